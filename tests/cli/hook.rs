//! `git codey hook install|uninstall|status`, and the installed shim run by real
//! `git commit`s: an existing hook kept and run first, `core.hooksPath`, restoring
//! exactly what was there.

use std::os::unix::fs::PermissionsExt;

use predicates::prelude::*;

use crate::common::{ScriptedServer, TestEnv, assert_success, mode, stdout};

fn status_json(env: &TestEnv) -> serde_json::Value {
    let out = env
        .codey()
        .args(["hook", "status", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// `git commit` with the editor left as it is (it only saves), using `server`.
fn commit(env: &TestEnv, server: &ScriptedServer, args: &[&str]) -> std::process::Output {
    env.git_command()
        .arg("commit")
        .args(args)
        .env("GIT_EDITOR", "true")
        .env("CODEY_ENDPOINT", &server.endpoint)
        .env("CODEY_MODEL", "scripted")
        .output()
        .expect("git commit runs")
}

fn last_message(env: &TestEnv) -> String {
    env.git(&["log", "-1", "--format=%B"])
        .trim_end()
        .to_string()
}

#[test]
fn install_is_idempotent_and_uninstall_removes_the_hook() {
    let env = TestEnv::new();
    let hook = env.repo.join(".git/hooks/prepare-commit-msg");
    assert_eq!(status_json(&env)["state"], "absent");
    env.codey()
        .args(["hook", "install"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "installed the prepare-commit-msg hook",
        ));
    let installed = std::fs::read(&hook).expect("hook written");
    assert_eq!(installed, codey::hook::SHIM.as_bytes());
    assert_eq!(mode(&hook), 0o755);
    env.codey()
        .args(["hook", "install"])
        .assert()
        .success()
        .stderr(predicate::str::contains("already installed"));
    assert_eq!(std::fs::read(&hook).expect("hook"), installed);
    let status = status_json(&env);
    assert_eq!(status["state"], "installed");
    assert_eq!(status["kept"], serde_json::Value::Null);
    let out = env.codey().args(["hook", "status"]).output().expect("runs");
    assert!(stdout(&out).starts_with("prepare-commit-msg: installed ("));

    env.codey().args(["hook", "uninstall"]).assert().success();
    assert!(!hook.exists());
    env.codey()
        .args(["hook", "uninstall"])
        .assert()
        .success()
        .stderr(predicate::str::contains("nothing was changed"));
}

#[test]
fn an_existing_hook_still_runs_first_and_comes_back_byte_for_byte() {
    let env = TestEnv::new();
    let hook = env.repo.join(".git/hooks/prepare-commit-msg");
    let original = "#!/bin/sh\n# the team's hook\necho \"team hook: [$2]\" >> \"$(git rev-parse --git-dir)/team.log\"\n";
    std::fs::write(&hook, original).expect("write hook");
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o700)).expect("chmod");

    env.codey()
        .args(["hook", "install"])
        .assert()
        .success()
        .stderr(predicate::str::contains("kept as"));
    assert!(
        status_json(&env)["kept"]
            .as_str()
            .expect("kept")
            .ends_with("prepare-commit-msg.codey-orig")
    );

    let server = ScriptedServer::start(vec!["Add the notes file".into()]);
    env.write("notes.py", "print('notes')\n");
    env.git(&["add", "notes.py"]);
    let out = commit(&env, &server, &[]);
    assert_success(&out);
    assert_eq!(last_message(&env), "Add the notes file");
    env.write("notes.py", "print('more notes')\n");
    env.git(&["add", "notes.py"]);
    let out = commit(&env, &server, &["-m", "by hand"]);
    assert_success(&out);
    assert_eq!(last_message(&env), "by hand");
    assert_eq!(
        std::fs::read_to_string(env.repo.join(".git/team.log")).expect("the team's hook ran"),
        "team hook: []\nteam hook: [message]\n"
    );

    env.codey()
        .args(["hook", "uninstall"])
        .assert()
        .success()
        .stderr(predicate::str::contains("put back"));
    assert_eq!(std::fs::read_to_string(&hook).expect("hook"), original);
    assert_eq!(mode(&hook), 0o700);
    assert!(
        !env.repo
            .join(".git/hooks/prepare-commit-msg.codey-orig")
            .exists()
    );
}

#[test]
fn a_failing_existing_hook_still_stops_the_commit() {
    let env = TestEnv::new();
    let hook = env.repo.join(".git/hooks/prepare-commit-msg");
    std::fs::write(&hook, "#!/bin/sh\necho 'no commits today' >&2\nexit 1\n").expect("write");
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    env.codey().args(["hook", "install"]).assert().success();
    let server = ScriptedServer::start(vec!["Never asked".into()]);
    env.write("a.txt", "a\n");
    env.git(&["add", "a.txt"]);
    let out = commit(&env, &server, &["-m", "blocked"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no commits today"));
    assert_eq!(last_message(&env), "initial");
}

#[test]
fn core_hooks_path_is_honoured() {
    let env = TestEnv::new();
    env.git(&["config", "core.hooksPath", ".githooks"]);
    env.codey().args(["hook", "install"]).assert().success();
    assert!(env.exists(".githooks/prepare-commit-msg"));
    assert!(!env.repo.join(".git/hooks/prepare-commit-msg").exists());
    let status = status_json(&env);
    assert_eq!(status["state"], "installed");
    assert!(
        status["path"]
            .as_str()
            .expect("path")
            .ends_with(".githooks/prepare-commit-msg")
    );

    let server = ScriptedServer::start(vec!["Add the parser".into()]);
    env.write("parser.py", "def parse(s):\n    return s.split()\n");
    env.git(&["add", "parser.py"]);
    let out = commit(&env, &server, &[]);
    assert_success(&out);
    assert_eq!(last_message(&env), "Add the parser");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn without_git_codey_on_path_the_shim_does_nothing_quietly() {
    let env = TestEnv::new();
    env.codey().args(["hook", "install"]).assert().success();
    let file = env.outside().join("MSG");
    std::fs::write(&file, "\n# comments\n").expect("message file");
    let out = std::process::Command::new("/bin/sh")
        .arg(env.repo.join(".git/hooks/prepare-commit-msg"))
        .arg(&file)
        .env("PATH", "/nonexistent")
        .current_dir(&env.repo)
        .output()
        .expect("sh runs");
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "\n# comments\n"
    );
}
