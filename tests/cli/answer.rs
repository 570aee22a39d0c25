//! Questions answered by a real model through llama.cpp (the tiny SmolLM2 test model,
//! a short answer), and the clear errors when the model is missing or not a model.

use predicates::prelude::*;

use crate::common::{SMOLLM2, TestEnv, stdout, test_model};

fn with_tiny_coder(env: &TestEnv) -> assert_cmd::Command {
    let mut cmd = env.codey();
    cmd.env("CODEY_MODELS_CODER_PATH", test_model(SMOLLM2))
        .env("CODEY_MODELS_CODER_MAX_TOKENS", "24")
        .env("CODEY_MODELS_CODER_CONTEXT_SIZE", "512")
        .env("CODEY_MODELS_CODER_THREADS", "2");
    cmd
}

#[test]
fn a_question_is_answered_by_the_model_and_nothing_changes() {
    let env = TestEnv::new();
    let first = with_tiny_coder(&env)
        .arg("what is a closure in Rust?")
        .output()
        .expect("runs");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let answer = stdout(&first);
    assert!(
        answer.chars().filter(|c| c.is_alphabetic()).count() >= 10,
        "a real answer: {answer:?}"
    );
    // Greedy decoding by default: the same question gets the same answer.
    let second = with_tiny_coder(&env)
        .args(["--json", "what is a closure in Rust?"])
        .output()
        .expect("runs");
    assert!(second.status.success());
    let v: serde_json::Value = serde_json::from_slice(&second.stdout).expect("JSON");
    assert_eq!(v["steps"][0]["route"]["intent"], "question");
    assert_eq!(v["steps"][0]["status"], "done");
    assert_eq!(
        v["steps"][0]["stdout"].as_str().map(str::trim),
        Some(answer.trim())
    );
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_missing_or_foreign_model_is_a_clear_error() {
    let env = TestEnv::new();
    env.codey()
        .env("CODEY_MODELS_DIR", env.outside())
        .arg("what is a closure in Rust?")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the coder model is missing"))
        .stderr(predicate::str::contains("CODEY_MODELS_CODER_PATH"))
        .stderr(predicate::str::contains("git codey models pull coder"));
    let foreign = env.outside().join("weights.gguf");
    std::fs::write(&foreign, "not weights").expect("write");
    env.codey()
        .env("CODEY_MODELS_CODER_PATH", &foreign)
        .arg("what is a closure in Rust?")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a GGUF file"));
}

#[test]
fn a_model_over_the_memory_budget_is_refused_before_loading() {
    let env = TestEnv::new();
    with_tiny_coder(&env)
        .env("CODEY_MEMORY_BUDGET_MB", "50")
        .arg("what is a closure in Rust?")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("but memory_budget_mb is 50"));
}
