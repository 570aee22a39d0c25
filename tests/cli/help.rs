//! Help, man page and completions.

use predicates::prelude::*;

use crate::common::{TestEnv, stdout};

#[test]
fn help_lists_only_what_is_built() {
    let env = TestEnv::new();
    let out = env.codey().arg("--help").output().expect("runs");
    let help = stdout(&out);
    for built in [
        "route",
        "plan",
        "config",
        "models",
        "edit",
        "undo",
        "commit-msg",
        "hook",
        "review",
        "daemon",
        "--commit",
        "--yes",
        "--dry-run",
        "--json",
        "Exit codes",
    ] {
        assert!(help.contains(built), "{built} missing from:\n{help}");
    }
}

#[test]
fn man_page_and_completions_are_generated() {
    let env = TestEnv::new();
    env.codey()
        .args(["--generate", "man"])
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH git-codey 1"));
    env.codey()
        .args(["--generate", "complete-bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("git-codey"));
}

#[test]
fn no_request_is_a_usage_error() {
    let env = TestEnv::new();
    env.codey()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("git codey"));
}
