//! `git codey history`: the session memory of a repository, shown, given as JSON, and
//! cleared; a damaged history file is read as far as it makes sense, never an error.

use predicates::prelude::*;

use crate::common::{TestEnv, stdout};

fn history_file(env: &TestEnv) -> std::path::PathBuf {
    env.repo.join(".git/codey/history.jsonl")
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A turn as git-codey writes one, made `age` seconds ago on `branch`.
fn turn(request: &str, branch: &str, age: u64) -> String {
    serde_json::json!({
        "request": request,
        "files": ["geo.py"],
        "changes": [{"path": "geo.py", "added": 4, "removed": 1}],
        "added": [{"path": "geo.py", "name": "perimeter", "kind": "function"}],
        "checks": "tests passed",
        "time": now() - age,
        "branch": branch,
    })
    .to_string()
}

fn write_history(env: &TestEnv, lines: &[String]) {
    let file = history_file(env);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
}

#[test]
fn a_fresh_repository_has_no_history() {
    let env = TestEnv::new();
    env.codey()
        .arg("history")
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "no earlier requests are remembered",
        ));
    let out = env.codey().args(["history", "--json"]).assert().success();
    assert_eq!(stdout(out.get_output()).trim(), "[]");
    assert!(
        !history_file(&env).exists(),
        "looking must not create the file"
    );
}

#[test]
fn the_turns_of_this_branch_are_shown_newest_last() {
    let env = TestEnv::new();
    write_history(
        &env,
        &[
            turn("on another branch", "feature", 600),
            turn("add a function perimeter to geo.py", "main", 300),
            turn("now add a test for it", "main", 30),
        ],
    );
    let out = env.codey().arg("history").assert().success();
    let text = stdout(out.get_output());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("- 5 min ago: \"add a function perimeter to geo.py\" → changed geo.py +4 -1; added perimeter (function in geo.py); checks: tests passed"), "{text}");
    assert!(lines[1].contains("\"now add a test for it\""), "{text}");

    let out = env.codey().args(["history", "--json"]).assert().success();
    let turns: serde_json::Value = serde_json::from_str(&stdout(out.get_output())).unwrap();
    assert_eq!(turns.as_array().unwrap().len(), 2);
    assert_eq!(turns[1]["request"], "now add a test for it");
    assert_eq!(turns[1]["files"][0], "geo.py");

    // On another branch, the session starts afresh.
    env.git(&["checkout", "-q", "-b", "other"]);
    let out = env.codey().args(["history", "--json"]).assert().success();
    assert_eq!(stdout(out.get_output()).trim(), "[]");
}

#[test]
fn old_turns_have_expired() {
    let env = TestEnv::new();
    write_history(&env, &[turn("yesterday's request", "main", 24 * 3600)]);
    let out = env.codey().args(["history", "--json"]).assert().success();
    assert_eq!(stdout(out.get_output()).trim(), "[]");
}

#[test]
fn a_damaged_history_is_ignored() {
    let env = TestEnv::new();
    write_history(
        &env,
        &[
            "{\"request\": [1, 2]".into(),
            "\u{1b}]0;pwned\u{7}not json at all".into(),
            turn("survives \u{1b}[2J the damage", "main", 10),
            "\u{0}\u{0}\u{0}".into(),
        ],
    );
    let out = env.codey().arg("history").assert().success();
    let text = stdout(out.get_output());
    assert_eq!(text.lines().count(), 1, "{text}");
    // The request is data: its escape sequence is shown, not obeyed.
    assert!(text.contains("survives ^[[2J the damage"), "{text}");
    assert!(!text.contains('\u{1b}'));

    std::fs::write(history_file(&env), [0xff, 0xfe, 0x00, 0x80]).unwrap();
    env.codey()
        .args(["history", "--json"])
        .assert()
        .success()
        .stdout("[]\n");
}

#[test]
fn clear_forgets_every_turn() {
    let env = TestEnv::new();
    write_history(&env, &[turn("remember me", "main", 10)]);
    env.codey()
        .args(["history", "--clear"])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleared"));
    assert!(!history_file(&env).exists());
    env.codey()
        .args(["history", "--json"])
        .assert()
        .success()
        .stdout("[]\n");
    // Clearing nothing is not an error.
    env.codey().args(["history", "--clear"]).assert().success();
}

/// A follow-up names no file and says "it": the last turn's file is the target, and the
/// model is told what the last turn did.
#[test]
fn a_follow_up_means_the_last_turns_file_and_definition() {
    use crate::common::ScriptedServer;
    let env = TestEnv::new();
    env.write("calc.py", "def add(a, b):\n    return a + b\n");
    env.git(&["add", "calc.py"]);
    env.git(&["commit", "-q", "-m", "calc"]);
    let first = "calc.py\n```python\n<<<<<<< SEARCH\ndef add(a, b):\n    return a + b\n=======\ndef add(a, b):\n    return a + b\n\n\ndef double(x):\n    return 2 * x\n>>>>>>> REPLACE\n```\n";
    let second = "test_calc.py\n```python\n<<<<<<< SEARCH\n=======\nfrom calc import double\n\n\ndef test_double():\n    assert double(2) == 4\n>>>>>>> REPLACE\n```\n";
    let server = ScriptedServer::start(vec![first.into(), second.into()]);
    let run = |request: &str| {
        env.codey()
            .env("CODEY_ENDPOINT", &server.endpoint)
            .env("CODEY_MODEL", "scripted")
            .args(["edit", "--yes", "--no-check", request])
            .assert()
            .success();
    };
    run("add a function double to calc.py");
    run("now add a test for it");
    assert!(
        env.read("test_calc.py")
            .is_some_and(|t| t.contains("from calc import double"))
    );
    let asked = &server.requests()[1];
    assert!(
        asked.contains("def double"),
        "the file the last turn changed: {asked}"
    );
    assert!(
        asked.contains("double to calc.py"),
        "the last turn, told: {asked}"
    );

    let shown = env
        .codey()
        .args(["history", "--json"])
        .output()
        .expect("runs");
    let turns: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
    assert_eq!(turns.as_array().map(Vec::len), Some(2), "{turns}");
    // An undone turn is forgotten: "it" means what the turn before it added.
    env.codey().arg("undo").assert().success();
    let shown = env
        .codey()
        .args(["history", "--json"])
        .output()
        .expect("runs");
    let turns: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
    assert_eq!(turns.as_array().map(Vec::len), Some(1), "{turns}");
    assert_eq!(turns[0]["request"], "add a function double to calc.py");
    env.codey().args(["--new", "git status"]).assert().success();
    let shown = env
        .codey()
        .args(["history", "--json"])
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&shown.stdout).trim(), "[]");
}
