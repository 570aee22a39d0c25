//! Repository discovery: subdirectories, linked worktrees, and outside any repository.

use predicates::prelude::*;

use crate::common::TestEnv;

#[test]
fn paths_are_relative_to_the_root_from_a_subdirectory() {
    let env = TestEnv::new();
    env.write("src/deep/mod.rs", "");
    env.codey_in(&env.repo.join("src/deep"))
        .arg("read README.md")
        .assert()
        .success()
        .stdout("# demo\n");
}

#[test]
fn works_in_a_linked_worktree() {
    let env = TestEnv::new();
    let wt = env.outside().join("wt");
    env.git(&[
        "worktree",
        "add",
        "-q",
        wt.to_str().expect("utf-8 path"),
        "-b",
        "side",
    ]);
    env.codey_in(&wt)
        .args(["--yes", "create made-in-worktree.txt"])
        .assert()
        .success();
    assert!(wt.join("made-in-worktree.txt").exists());
    assert!(!env.exists("made-in-worktree.txt"));
    env.codey_in(&wt)
        .arg("what branch am I on?")
        .assert()
        .success()
        .stdout(predicate::str::contains("* side"));
}

#[test]
fn outside_a_repository_says_so() {
    let env = TestEnv::new();
    env.codey_in(env.outside())
        .arg("git status")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not inside a git repository"))
        .stderr(predicate::str::contains("git init"));
}

#[test]
fn a_repository_without_commits_works() {
    let env = TestEnv::empty();
    env.codey()
        .args([
            "--yes",
            "create a.txt, then git add a.txt, then commit -m 'first'",
        ])
        .assert()
        .success();
    assert_eq!(env.git(&["log", "--format=%s"]).trim(), "first");
}
