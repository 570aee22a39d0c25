//! The front binary: `git-codey` runs a lone read-only git request itself and hands
//! everything else, arguments unchanged, to `codey-engine` beside it. Shown with a copy
//! of the front that has no engine beside it: what that copy does alone is what the
//! front keeps; what fails asking for the engine is what it hands on.

use std::path::PathBuf;

use predicates::prelude::*;

use crate::common::{TestEnv, stdout};

/// A copy of the front alone in a directory of its own (kept while the guard lives).
fn front_alone() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("git-codey");
    std::fs::copy(assert_cmd::cargo::cargo_bin!("git-codey"), &copy).expect("copy the front");
    (dir, copy)
}

#[test]
fn a_lone_git_read_runs_without_the_engine() {
    let env = TestEnv::new();
    env.write("notes.txt", "draft\n");
    let (_dir, front) = front_alone();
    for (request, git) in [
        ("git status --short", vec!["status", "--short"]),
        ("show the last 1 commits", vec!["log", "-n", "1"]),
        ("git diff", vec!["diff"]),
    ] {
        let out = env.binary(&front).arg(request).output().expect("runs");
        assert!(
            out.status.success(),
            "{request}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(stdout(&out), env.git(&git), "{request}");
    }
    // The version and help are answered by the front too.
    env.binary(&front)
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("git-codey "));
}

#[test]
fn everything_else_goes_to_the_engine_with_a_clear_error_when_it_is_missing() {
    let env = TestEnv::new();
    let (_dir, front) = front_alone();
    let handed_on = |args: &[&str]| {
        env.binary(&front)
            .args(args)
            .write_stdin("")
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot start the full binary"))
            .stderr(predicate::str::contains("codey-engine"))
            .stderr(predicate::str::contains("reinstall"));
    };
    handed_on(&["history"]); // a subcommand
    handed_on(&["--json", "git status"]); // git-codey's own output
    handed_on(&["git status then git log"]); // several steps
    handed_on(&["create notes.md"]); // a step that writes
    handed_on(&["git push"]); // one the gate asks about
    handed_on(&["run rm -rf ~"]); // a refusal to explain
    handed_on(&["what is a closure?"]); // a model's work

    // A setting the repository may not make without trust is warned about, and only
    // the engine warns.
    env.write("codey.toml", "require_confirmation = false\n");
    handed_on(&["git status"]);
}

#[test]
fn with_the_engine_beside_it_the_front_is_invisible() {
    let env = TestEnv::new();
    env.write("codey.toml", "require_confirmation = false\n");
    // The engine's warning about an untrusted setting, then git's own output.
    let out = env
        .codey()
        .arg("git status --short")
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert_eq!(stdout(&out), env.git(&["status", "--short"]));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("git codey trust"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A subcommand's output comes back through the front unchanged.
    env.codey()
        .args(["route", "git status"])
        .assert()
        .success()
        .stdout(predicate::str::contains("git status"));
}
