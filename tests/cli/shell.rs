//! Shell steps and the processes they start: a time limit, Ctrl-C and the end of the
//! command stop the whole process group, and `--json` never waits on a process that
//! still holds the output pipes.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{TestEnv, gone, stdout};

#[test]
fn shell_timeout_stops_every_process_the_command_started() {
    let env = TestEnv::new();
    // Not reading the output: its end would wait for the sleeps whether they were
    // stopped or not.
    let status = env
        .codey_process()
        .env("CODEY_SHELL_TIMEOUT_S", "2")
        .args([
            "--yes",
            "run sh -c 'sleep 100 & echo $! > bg.pid; echo $$ > fg.pid; sleep 101'",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(124));
    assert!(
        gone(&env.repo.join("bg.pid")),
        "the background sleep survived"
    );
    assert!(gone(&env.repo.join("fg.pid")), "the inner shell survived");
}

#[test]
fn shell_timeout_with_json_returns_though_a_child_holds_the_pipes() {
    let env = TestEnv::new();
    let started = Instant::now();
    // `sh` cannot exec the sleep (a command follows it), so the sleep is a child of
    // `sh` that holds the pipes after `sh` is killed.
    let out = env
        .codey()
        .env("CODEY_SHELL_TIMEOUT_S", "2")
        .args([
            "--json",
            "--yes",
            "run echo $$ > sh.pid; sleep 15; echo late",
        ])
        .output()
        .expect("runs");
    // Generous: only the 15 s of the sleep must not have been waited for.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(124));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("one JSON document");
    assert_eq!(json["steps"][0]["error"], "timed out", "{json}");
    assert_eq!(json["steps"][0]["stdout"], "", "{json}");
    assert!(gone(&env.repo.join("sh.pid")));
}

#[test]
fn shell_background_processes_stop_when_the_command_ends() {
    let env = TestEnv::new();
    for json in [true, false] {
        let started = Instant::now();
        let mut cmd = env.codey();
        if json {
            cmd.arg("--json");
        }
        // Without --json the sleep inherits the test's pipe: reading to its end waits
        // for the sleep unless it is stopped.
        let out = cmd
            .args(["--yes", "run sleep 30 & echo $! > bg.pid; echo started"])
            .output()
            .expect("runs");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "took {:?}",
            started.elapsed()
        );
        assert!(out.status.success(), "{out:?}");
        assert!(stdout(&out).contains("started"), "{out:?}");
        assert!(
            gone(&env.repo.join("bg.pid")),
            "the background sleep survived"
        );
    }
}

#[test]
fn shell_ctrl_c_stops_the_whole_group() {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;

    let env = TestEnv::new();
    let mut child = env
        .codey_process()
        .env("CODEY_SHELL_TIMEOUT_S", "60")
        .args([
            "--json",
            "--yes",
            "run sh -c 'sleep 100 & echo $! > bg.pid; sleep 101'",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawns");
    let marker = env.repo.join("bg.pid");
    let until = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&marker).is_ok_and(|s| s.ends_with('\n')) {
        assert!(Instant::now() < until, "the command never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = Pid::from_raw(i32::try_from(child.id()).expect("pid"));
    kill(pid, Signal::SIGINT).expect("signal git-codey");
    let status = child.wait().expect("waits");
    assert_eq!(status.code(), Some(130));
    assert!(gone(&marker), "the background sleep survived Ctrl-C");
}
