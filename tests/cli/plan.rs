//! `plan --json`: steps and resolved pronouns.

use crate::common::TestEnv;

fn plan(env: &TestEnv, request: &str) -> serde_json::Value {
    let out = env
        .codey()
        .args(["plan", "--json", request])
        .output()
        .expect("runs");
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn pronouns_resolve_to_the_earlier_step() {
    let env = TestEnv::new();
    let v = plan(&env, "create test.py then run it");
    let steps = v["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["route"]["action"], "create");
    let command = steps[1]["route"]["params"]["command"]
        .as_str()
        .expect("command");
    assert!(
        command == "python test.py" || command == "python3 test.py",
        "{command}"
    );
}

#[test]
fn quotes_and_shell_commands_are_never_split() {
    let env = TestEnv::new();
    for request in [
        "commit with message \"fix parsing and then rendering\"",
        "run echo 'a then b'",
        "write a function that reads a file and returns the lines",
    ] {
        let v = plan(&env, request);
        assert_eq!(v["steps"].as_array().expect("steps").len(), 1, "{request}");
    }
    let v = plan(
        &env,
        "commit with message \"fix parsing and then rendering\"",
    );
    assert_eq!(
        v["steps"][0]["route"]["params"]["message"],
        "fix parsing and then rendering"
    );
}

#[test]
fn numbered_lists_become_steps() {
    let env = TestEnv::new();
    let v = plan(
        &env,
        "1. git status\n2. list files in src\n3. show the last 2 commits",
    );
    let actions: Vec<&str> = v["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["route"]["action"].as_str().expect("action"))
        .collect();
    assert_eq!(actions, ["status", "list", "log"]);
}
