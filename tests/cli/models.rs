//! `models list|check` on real GGUF files, and on broken ones.

use predicates::prelude::*;

use crate::common::{SMOLLM2, TestEnv, test_model};

#[test]
fn check_reads_a_real_model_header() {
    let env = TestEnv::new();
    let out = env
        .codey()
        .env("CODEY_MODELS_CODER_PATH", test_model(SMOLLM2))
        .args(["models", "check", "coder", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let coder = &v["models"][0];
    assert_eq!(coder["ok"], true);
    assert_eq!(coder["architecture"], "llama");
    assert_eq!(coder["version"], 3);
    assert_eq!(coder["tensors"], 272);
    assert_eq!(coder["chat_template"], true);
    // Weights plus a KV cache for the default 8192-token context.
    assert!(coder["estimated_memory"].as_u64().expect("estimate") > 98_362_432);
}

#[test]
fn truncated_and_foreign_files_are_refused_by_name() {
    let env = TestEnv::new();
    let model = std::fs::read(test_model(SMOLLM2)).expect("read model");
    let truncated = env.outside().join("truncated.gguf");
    std::fs::write(&truncated, &model[..10 << 20]).expect("write");
    let foreign = env.outside().join("notes.gguf");
    std::fs::write(&foreign, "just some text\n").expect("write");
    env.codey()
        .env("CODEY_MODELS_CODER_PATH", &truncated)
        .args(["models", "check", "coder"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("truncated"));
    env.codey()
        .env("CODEY_MODELS_CODER_PATH", &foreign)
        .args(["models", "check", "coder"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("not a GGUF file"));
}

#[test]
fn a_missing_model_names_the_role_path_and_setting() {
    let env = TestEnv::new();
    env.codey()
        .env("CODEY_MODELS_DIR", env.outside())
        .args(["models", "check", "router"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "functiongemma-270m-it-Q8_0.gguf: no such file",
        ))
        .stdout(predicate::str::contains("CODEY_MODELS_ROUTER_PATH"));
}

#[test]
fn list_shows_presence_and_remote_roles() {
    let env = TestEnv::new();
    let out = env
        .codey()
        .env("CODEY_MODELS_DIR", env.outside())
        .env("CODEY_MODELS_CODER_PATH", test_model(SMOLLM2))
        .env("CODEY_MODELS_ALGORITHM_ENDPOINT", "http://127.0.0.1:9/v1")
        .args(["models", "list", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let roles = v["models"].as_array().expect("models");
    assert_eq!(roles[0]["role"], "router");
    assert_eq!(roles[0]["present"], false);
    assert_eq!(roles[1]["present"], true);
    assert_eq!(roles[1]["size"], 98_362_432);
    assert_eq!(roles[2]["backend"], "openai");
}
