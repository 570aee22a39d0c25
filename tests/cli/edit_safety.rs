//! Edits under faults, through the real binary and its test-only pause points: a run
//! killed part-way through applying, a run whose files change before it applies, two
//! runs at once. Files are always wholly old or wholly new, nothing is left in the work
//! tree, and the undo record always describes what is on disk.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::{ScriptedServer, TestEnv};

fn files(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| (format!("m{i}.py"), format!("VALUE = {i}\n")))
        .collect()
}

/// A repository holding `files`, committed.
fn repo_with(files: &[(String, String)]) -> TestEnv {
    let env = TestEnv::new();
    for (path, text) in files {
        env.write(path, text);
    }
    env.git(&["add", "."]);
    env.git(&["commit", "-q", "-m", "files"]);
    env
}

/// A reply that changes every one of `files`.
fn reply_for(files: &[(String, String)], to: &str) -> String {
    files
        .iter()
        .map(|(path, text)| {
            format!(
                "{path}\n<<<<<<< SEARCH\n{text}=======\n{}>>>>>>> REPLACE\n\n",
                text.replace("VALUE", to)
            )
        })
        .collect()
}

/// `git codey edit --yes` of `files` with a scripted `reply`, started in the background,
/// pausing at `point` (its marker file is returned).
fn start(
    env: &TestEnv,
    files: &[(String, String)],
    reply: String,
    point: &str,
) -> (Child, PathBuf, ScriptedServer) {
    let server = ScriptedServer::start(vec![reply]);
    let marker = env.outside().join(format!("paused-{point}-{}", files[0].0));
    let mut cmd = env.codey_process();
    cmd.env("CODEY_ENDPOINT", &server.endpoint)
        .env("CODEY_MODEL", "scripted")
        .env("CODEY_EDIT_RETRIES", "0")
        .env("CODEY_TEST_PAUSE", format!("{point}:{}", marker.display()))
        .args(["edit", "--yes"]);
    for (path, _) in files {
        cmd.args(["--file", path]);
    }
    cmd.arg("rename VALUE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    (cmd.spawn().expect("starts"), marker, server)
}

fn wait_for(marker: &Path, child: &mut Child) {
    let started = Instant::now();
    while !marker.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the run ended ({status}) before its pause point");
        }
        assert!(started.elapsed() < Duration::from_secs(60), "never paused");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr_of(child: Child) -> (std::process::ExitStatus, String) {
    let out = child.wait_with_output().expect("waits");
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Nothing of git-codey's own is left in the work tree.
fn no_leftovers(env: &TestEnv) {
    let status = env.git(&["status", "--porcelain", "--untracked-files=all"]);
    assert!(
        !status.contains(".codey-"),
        "temporary files left in the work tree:\n{status}"
    );
}

#[test]
fn a_run_killed_while_applying_leaves_whole_files_and_undo_restores_them() {
    let files = files(40);
    let env = repo_with(&files);
    let (mut child, marker, _server) =
        start(&env, &files, reply_for(&files, "CHANGED"), "applying");
    wait_for(&marker, &mut child);
    child.kill().expect("kill -9");
    let _ = child.wait();
    let _ = std::fs::remove_file(&marker);

    let mut new = 0;
    for (path, text) in &files {
        let now = env.read(path).unwrap();
        assert!(
            now == *text || now == text.replace("VALUE", "CHANGED"),
            "{path} is neither old nor new: {now:?}"
        );
        new += usize::from(now != *text);
    }
    assert!(new >= 1 && new < files.len(), "killed part-way: {new} new");
    no_leftovers(&env);

    env.codey().arg("undo").assert().success();
    for (path, text) in &files {
        assert_eq!(env.read(path).as_deref(), Some(text.as_str()), "{path}");
    }
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_failed_apply_keeps_the_record_of_the_edit_before() {
    let first = files(1);
    let env = repo_with(&first);
    let second = vec![("other.py".to_string(), "OTHER = 1\n".to_string())];
    env.write("other.py", "OTHER = 1\n");
    let server = ScriptedServer::start(vec![reply_for(&first, "FIRST")]);
    env.codey()
        .env("CODEY_ENDPOINT", &server.endpoint)
        .env("CODEY_MODEL", "scripted")
        .args(["edit", "--yes", "--file", "m0.py", "rename VALUE"])
        .assert()
        .success();

    // The second edit's file changes between its preview and its apply.
    let reply = "other.py\n<<<<<<< SEARCH\nOTHER = 1\n=======\nOTHER = 2\n>>>>>>> REPLACE\n";
    let (mut child, marker, _server) = start(&env, &second, reply.to_string(), "locked");
    wait_for(&marker, &mut child);
    env.write("other.py", "OTHER = 1  # edited meanwhile\n");
    std::fs::remove_file(&marker).unwrap();
    let (status, stderr) = stderr_of(child);
    assert!(!status.success());
    assert!(stderr.contains("changed on disk"), "{stderr}");
    assert_eq!(
        env.read("other.py").unwrap(),
        "OTHER = 1  # edited meanwhile\n"
    );

    env.codey()
        .arg("undo")
        .assert()
        .success()
        .stderr(predicates::str::contains("restored m0.py"));
    assert_eq!(env.read("m0.py").unwrap(), "VALUE = 0\n");
}

#[test]
fn two_edits_at_once_never_lose_a_change() {
    let files = files(1);
    let env = repo_with(&files);
    // The first run holds the lock; the second prepares its patch from the same file,
    // then waits for the lock while the first writes.
    let (mut first, marker, _s1) = start(&env, &files, reply_for(&files, "FIRST"), "locked");
    wait_for(&marker, &mut first);
    let (mut second, second_marker, _s2) =
        start(&env, &files, reply_for(&files, "SECOND"), "prepared");
    wait_for(&second_marker, &mut second);
    std::fs::remove_file(&second_marker).unwrap();
    std::fs::remove_file(&marker).unwrap();
    let (first_status, first_err) = stderr_of(first);
    let (second_status, second_err) = stderr_of(second);
    assert!(!second_marker.exists());
    assert!(first_status.success(), "{first_err}");
    // The second saw the file change under it and wrote nothing.
    assert!(!second_status.success(), "{second_err}");
    assert!(second_err.contains("changed on disk"), "{second_err}");
    assert_eq!(env.read("m0.py").unwrap(), "FIRST = 0\n");
    no_leftovers(&env);
    env.codey().arg("undo").assert().success();
    assert_eq!(env.read("m0.py").unwrap(), "VALUE = 0\n");
}
