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

/// Splits a corpus of multi-step requests: the steps' actions, in order, exactly.
fn split_score(env: &TestEnv, file: &str) -> (usize, usize, Vec<String>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(file);
    let text = std::fs::read_to_string(path).expect("corpus");
    let mut misses = Vec::new();
    let mut total = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        total += 1;
        let request = case["request"].as_str().expect("request");
        let got: Vec<serde_json::Value> = plan(env, request)["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .map(|s| s["route"]["action"].clone())
            .collect();
        let want = case["actions"].as_array().expect("actions");
        if same_steps(&got) != same_steps(want) {
            misses.push(format!("{request:?}: {got:?}"));
        }
    }
    (total - misses.len(), total, misses)
}

/// Steps as what they do: `git branch X` then `git checkout X` is `git checkout -b X`
/// ("create a branch X and switch to it" is either; corpora written by others say one
/// or the other).
fn same_steps(actions: &[serde_json::Value]) -> Vec<&str> {
    let mut steps: Vec<&str> = Vec::new();
    for action in actions {
        let action = action.as_str().expect("action");
        if action == "checkout" && steps.last() == Some(&"branch") {
            steps.pop();
        }
        steps.push(action);
    }
    steps
}

/// Lists, `Step N:`, semicolons between git commands, comma series, "… and commit
/// that", "… and switch to it", conditions and the Spanish, German, French, Portuguese
/// and Italian connectives ("y luego", "und dann", "puis", "e depois", "e poi") split
/// into the steps meant, on the tuned
/// corpora and on held-out ones written before the splitter was run on them.
#[test]
fn multi_step_requests_split_as_meant() {
    let env = TestEnv::new();
    for (file, floor) in [
        ("plans.jsonl", 1.0),
        ("plans-holdout.jsonl", 0.8),
        ("plans-intl.jsonl", 0.9),
        ("plans-intl-holdout.jsonl", 0.8),
        ("plans-2.jsonl", 1.0),
        ("plans-holdout-2.jsonl", 0.9),
        ("plans-3.jsonl", 0.95),
        ("plans-holdout-3.jsonl", 0.75),
        ("plans-4.jsonl", 0.9),
        ("plans-holdout-4.jsonl", 0.85),
        ("plans-5.jsonl", 0.95),
        ("plans-holdout-5.jsonl", 0.9),
        ("plans-holdout-6.jsonl", 0.9),
        ("plans-7.jsonl", 0.9),
        ("plans-8.jsonl", 0.85),
        ("plans-holdout-7.jsonl", 0.8),
        ("plans-holdout-8.jsonl", 0.7),
        ("plans-9.jsonl", 0.7),
        ("plans-holdout-11.jsonl", 0.7),
        ("plans-holdout-13.jsonl", 0.7),
        ("plans-pt-it.jsonl", 0.8),
        ("plans-14.jsonl", 0.95),
        ("plans-16.jsonl", 0.9),
        ("plans-19.jsonl", 0.95),
        ("plans-hard-23.jsonl", 0.9),
        ("plans-21.jsonl", 0.85),
        ("plans-27.jsonl", 0.95),
        ("plans-29.jsonl", 0.95),
        ("plans-25.jsonl", 0.85),
        ("plans-33.jsonl", 0.75),
        ("plans-35.jsonl", 0.8),
        ("plans-37.jsonl", 0.65),
        ("plans-39.jsonl", 0.75),
        // Held out through the eighth session (21/40), tuned on in the ninth (32/40).
        ("plans-31.jsonl", 0.75),
        // Written blind at the ninth session's start and tuned on in it.
        ("plans-43.jsonl", 0.85),
        ("plans-45.jsonl", 0.9),
        ("plans-47.jsonl", 0.8),
        // Held out through the ninth session, run once at its end (27 -> 29/40), tuned
        // on in the tenth (35/40).
        ("plans-41.jsonl", 0.8),
        // Written blind at the tenth session's start and tuned on in it.
        ("plans-51.jsonl", 0.9),
        ("plans-53.jsonl", 0.9),
        ("plans-55.jsonl", 0.85),
        ("plans-57.jsonl", 0.75),
        ("plans-59.jsonl", 0.85),
        // Held out through the tenth session, run once at its end: 35 -> 36/40; never
        // tuned on.
        ("plans-49.jsonl", 0.85),
        // Written blind at the eleventh session's start (63-67) and in it (69, 71:
        // people new to git), and tuned on in it.
        ("plans-63.jsonl", 0.9),
        ("plans-65.jsonl", 0.95),
        ("plans-67.jsonl", 0.95),
        ("plans-69.jsonl", 0.7),
        ("plans-71.jsonl", 0.65),
        // Held out through the eleventh session, run once at its end: 33 -> 33/40;
        // never tuned on.
        ("plans-61.jsonl", 0.8),
        // Held out through the twelfth session, run once at its end: 32 -> 32/40;
        // never tuned on.
        ("plans-73.jsonl", 0.75),
        // Held out through the thirteenth session, run once at its end: 27 -> 29/40;
        // never tuned on.
        ("plans-75.jsonl", 0.7),
    ] {
        let (right, total, misses) = split_score(&env, file);
        eprintln!("{file}: {right}/{total} split exactly");
        for miss in &misses {
            eprintln!("  miss {miss}");
        }
        assert!(
            right as f64 >= floor * total as f64,
            "{file}: {right}/{total}"
        );
    }
}
