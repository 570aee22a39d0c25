//! `git codey config`: layered values and their origins, and errors that name the line.

use predicates::prelude::*;

use crate::common::{TestEnv, stdout};

#[test]
fn shows_each_value_with_its_origin() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.home.join(".config/codey")).expect("config dir");
    std::fs::write(
        env.home.join(".config/codey/codey.toml"),
        "memory_budget_mb = 4000\n",
    )
    .expect("user config");
    env.write("codey.toml", "[models.coder]\ncontext_size = 4096\n");
    let out = env
        .codey()
        .env("CODEY_MODELS_ROUTER_THREADS", "1")
        .args(["config", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let find = |key: &str| {
        v["settings"]
            .as_array()
            .expect("settings")
            .iter()
            .find(|s| s["key"] == key)
            .cloned()
            .expect("key present")
    };
    assert_eq!(find("memory_budget_mb")["value"], 4000);
    assert!(
        find("memory_budget_mb")["source"]
            .as_str()
            .expect("source")
            .ends_with("codey.toml:1")
    );
    assert_eq!(find("models.coder.context_size")["value"], 4096);
    assert!(
        find("models.coder.context_size")["source"]
            .as_str()
            .expect("source")
            .ends_with("repo/codey.toml:2")
    );
    assert_eq!(
        find("models.router.threads")["source"],
        "env CODEY_MODELS_ROUTER_THREADS"
    );
    assert_eq!(find("require_confirmation")["source"], "default");
}

#[test]
fn a_bad_key_names_the_file_and_line() {
    let env = TestEnv::new();
    env.write("codey.toml", "# comment\n[models.coder]\ncontext = 4096\n");
    env.codey()
        .arg("config")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("codey.toml:3"))
        .stderr(predicate::str::contains("models.coder.context"));
    // Every command reads the configuration, so every command reports it.
    env.codey().arg("git status").assert().code(2);
}

#[test]
fn time_limits_past_the_clock_are_config_errors_not_crashes() {
    let env = TestEnv::new();
    env.write("app.py", "x = 1\n");
    env.git(&["add", "app.py"]);
    let huge = "9223372036854775807";
    env.codey()
        .env("CODEY_SHELL_TIMEOUT_S", huge)
        .args(["--yes", "run true"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("CODEY_SHELL_TIMEOUT_S"))
        .stderr(predicate::str::contains("between 1 and 31536000"));
    env.codey()
        .env("CODEY_REVIEW_TIMEOUT_S", huge)
        .env("CODEY_ENDPOINT", "http://127.0.0.1:9/v1")
        .arg("review")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("review.timeout_s"));
    // The commit hook never fails a commit: a warning, and the message as git made it.
    let msg = env.outside().join("MSG");
    std::fs::write(&msg, "as git made it\n").expect("message file");
    env.codey()
        .env("CODEY_COMMIT_MSG_TIMEOUT_S", huge)
        .env("CODEY_ENDPOINT", "http://127.0.0.1:9/v1")
        .arg("commit-msg")
        .arg(&msg)
        .assert()
        .success()
        .stderr(predicate::str::contains("commit_msg.timeout_s"));
    assert_eq!(
        std::fs::read_to_string(&msg).expect("message"),
        "as git made it\n"
    );
}
