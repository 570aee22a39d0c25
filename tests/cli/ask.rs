//! The default command: requests run as git, shell and file actions.

use predicates::prelude::*;

use crate::common::{TestEnv, assert_success, stdout};

#[test]
fn git_status_prints_exactly_what_git_prints() {
    let env = TestEnv::new();
    env.write("notes.txt", "x\n");
    let ours = env.codey().arg("git status").output().expect("runs");
    assert!(ours.status.success());
    assert_eq!(stdout(&ours), env.git(&["status"]));
}

#[test]
fn create_run_and_commit_only_the_created_file() {
    let env = TestEnv::new();
    env.write("unrelated.txt", "keep me out of the commit\n");
    env.write("staged.txt", "staged by the user\n");
    env.git(&["add", "staged.txt"]);
    env.codey()
        .args([
            "--yes",
            "create hello.py then run it, then commit that with message 'add hello'",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("[2/3] run it"))
        .stderr(predicate::str::contains("3 done"));
    assert_eq!(env.read("hello.py").as_deref(), Some(""));
    assert_eq!(env.git(&["log", "-1", "--format=%s"]).trim(), "add hello");
    assert_eq!(
        env.git(&["show", "--name-only", "--format=", "HEAD"])
            .trim(),
        "hello.py"
    );
    // The user's own staged change is still staged and not committed.
    assert_eq!(
        env.git(&["diff", "--cached", "--name-only"]).trim(),
        "staged.txt"
    );
}

#[test]
fn a_failing_step_stops_the_plan_and_passes_its_exit_code_on() {
    let env = TestEnv::new();
    env.codey()
        .args(["--yes", "run exit 7 then create after.txt"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("0 done, 1 failed, 1 skipped"));
    assert!(!env.exists("after.txt"));
}

#[test]
fn shell_commands_run_at_the_root_with_their_quotes() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.repo.join("sub")).expect("subdir");
    env.codey_in(&env.repo.join("sub"))
        .args([
            "--yes",
            "run printf '%s|%s' 'a then b' \"$(basename \"$PWD\")\"",
        ])
        .assert()
        .success()
        .stdout(format!(
            "a then b|{}",
            env.repo.file_name().expect("name").to_string_lossy()
        ));
}

#[test]
fn shell_steps_stop_at_their_time_limit() {
    let env = TestEnv::new();
    env.codey()
        .env("CODEY_SHELL_TIMEOUT_S", "1")
        .args(["--yes", "run sleep 20"])
        .assert()
        .code(124)
        .stderr(predicate::str::contains("time limit"));
}

#[test]
fn file_actions_read_list_create_mkdir_delete() {
    let env = TestEnv::new();
    env.write(".gitignore", "build/\n");
    env.write("build/out.bin", "ignored");
    env.write("src/config.json", "{\"a\": 1}\n");
    env.codey()
        .arg("read src/config.json")
        .assert()
        .success()
        .stdout("{\"a\": 1}\n");
    let listing = env.codey().arg("list files").output().expect("runs");
    let listing = stdout(&listing);
    assert!(
        listing.contains("config.json") && listing.contains("src/"),
        "{listing}"
    );
    assert!(
        !listing.contains("out.bin"),
        "ignored files are not listed: {listing}"
    );
    env.codey()
        .args(["--yes", "mkdir docs/api; create docs/api/index.md"])
        .assert()
        .success();
    assert!(env.exists("docs/api/index.md"));
    env.codey()
        .args(["--yes", "delete docs/api/index.md"])
        .assert()
        .success();
    assert!(!env.exists("docs/api/index.md"));
}

#[test]
fn create_never_overwrites() {
    let env = TestEnv::new();
    env.write("notes.txt", "precious\n");
    env.codey()
        .args(["--yes", "create notes.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(env.read("notes.txt").as_deref(), Some("precious\n"));
}

#[test]
fn dry_run_shows_and_changes_nothing() {
    let env = TestEnv::new();
    env.codey()
        .args([
            "--dry-run",
            "create a.txt then commit that with message 'x'",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "would: create the empty file a.txt",
        ))
        .stdout(predicate::str::contains("git commit -m x -- a.txt"));
    assert!(!env.exists("a.txt"));
    assert_eq!(env.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
}

#[test]
fn json_reports_each_step_with_its_output() {
    let env = TestEnv::new();
    env.write("notes.txt", "hello\n");
    let out = env
        .codey()
        .args(["--json", "--yes", "read notes.txt then run false"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(v["steps"][0]["status"], "done");
    assert_eq!(v["steps"][0]["stdout"], "hello\n");
    assert_eq!(v["steps"][1]["status"], "failed");
    assert_eq!(v["steps"][1]["exit_code"], 1);
    assert_eq!(v["summary"]["done"], 1);
}

#[test]
fn a_plan_needing_a_missing_model_runs_no_step() {
    let env = TestEnv::new();
    env.codey()
        .args(["--yes", "create a.txt then add a docstring to utils.py"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("step 2 needs the coder model"))
        .stderr(predicate::str::contains("models pull coder"));
    assert!(!env.exists("a.txt"));
}

#[test]
fn commit_without_a_message_gets_one_from_the_change() {
    let env = TestEnv::new();
    env.write("notes.txt", "x\n");
    env.codey()
        .args(["--yes", "add notes.txt to git then commit"])
        .assert()
        .success();
    assert_eq!(
        env.git(&["log", "-1", "--format=%s"]).trim(),
        "Add notes.txt"
    );
}

#[test]
fn read_refuses_pipes_and_devices_instead_of_hanging() {
    let env = TestEnv::new();
    let fifo = env.repo.join("events.log");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    env.codey()
        .timeout(std::time::Duration::from_secs(20))
        .arg("read events.log")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "`events.log` is a named pipe, not a regular file",
        ));
    // A device behind a link in the tree: refused, never read.
    std::os::unix::fs::symlink("/dev/zero", env.repo.join("zeros.txt")).expect("link");
    env.codey()
        .timeout(std::time::Duration::from_secs(20))
        .arg("read zeros.txt")
        .assert()
        .failure()
        .stdout("");
}

/// A git action added by one entry of the table (`route::plain_git`): `git tag` lists
/// without asking, and creating a tag is confirmed like any change to the repository.
#[test]
fn tags_are_listed_in_words_and_created_only_with_consent() {
    let env = TestEnv::new();
    env.git(&["tag", "v1.0"]);
    let listed = env.codey().arg("list the tags").output().expect("runs");
    assert!(listed.status.success());
    assert_eq!(stdout(&listed).trim(), "v1.0");

    let routed = env
        .codey()
        .args(["route", "--json", "git tag v2.0"])
        .output()
        .expect("runs");
    let route: serde_json::Value = serde_json::from_str(&stdout(&routed)).expect("json");
    assert_eq!(route["tool"], "git");
    assert_eq!(route["action"], "tag");

    // No terminal and no --yes: a new tag changes the repository, so it is refused.
    env.codey()
        .arg("git tag v2.0")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(env.git(&["tag"]).trim(), "v1.0");
    env.codey()
        .args(["--yes", "git tag v2.0"])
        .assert()
        .success();
    assert_eq!(env.git(&["tag"]).trim(), "v1.0\nv2.0");
}

#[test]
fn reads_run_together_and_show_their_output_in_plan_order() {
    let env = TestEnv::new();
    env.write("notes.txt", "first line\n");
    let request = "read notes.txt then git log --format=%s then git status --short";
    let plan = env
        .codey()
        .args(["plan", "--json", request])
        .output()
        .expect("runs");
    let plan: serde_json::Value = serde_json::from_str(&stdout(&plan)).expect("json");
    assert_eq!(plan["together"], serde_json::json!([[1, 3]]));

    let out = env.codey().arg(request).output().expect("runs");
    assert!(out.status.success());
    let text = stdout(&out);
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {text}"))
    };
    // File, then log, then status: the order of the plan, whatever order they ended in.
    assert!(
        at("first line") < at("initial") && at("initial") < at("?? notes.txt"),
        "{text}"
    );

    // A step that writes waits for the reads before it, and the reads after it see it.
    let out = env
        .codey()
        .args([
            "--yes",
            "git status --short then create made.txt then git status --short",
        ])
        .output()
        .expect("runs");
    let text = stdout(&out);
    assert_eq!(text.matches("?? made.txt").count(), 1, "{text}");
}

#[test]
fn a_request_nothing_places_is_never_guessed() {
    let env = TestEnv::new();
    let routed = env
        .codey()
        .args(["route", "--json", "do the usual"])
        .output()
        .expect("runs");
    let route: serde_json::Value = serde_json::from_str(&stdout(&routed)).expect("json");
    assert!(
        route["unsure"].as_array().is_some_and(|c| !c.is_empty()),
        "{route}"
    );
    // Without a terminal: the candidates and their exact words, exit 2, nothing run.
    env.codey()
        .arg("do the usual")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it may mean"))
        .stderr(predicate::str::contains("git codey"));
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

/// A request the rules are unsure of that names what the repository defines is an edit
/// of the files the map finds, not a list of guesses; the same words in a repository
/// that defines none of them still stop with the candidates.
#[test]
fn an_unsure_request_naming_repository_definitions_is_placed_by_the_map() {
    use crate::common::ScriptedServer;
    let env = TestEnv::new();
    let request = "add mean() to numutil and make summarize use it";
    env.codey()
        .arg(request)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it may mean"));

    env.write(
        "numutil.py",
        "def median(v):\n    return sorted(v)[len(v) // 2]\n",
    );
    env.write(
        "stats.py",
        "from numutil import median\n\n\ndef summarize(v):\n    return {\"mean\": sum(v) / len(v), \"median\": median(v)}\n",
    );
    env.git(&["add", "."]);
    env.git(&["commit", "-q", "-m", "modules"]);
    // The request run with `--yes` against a model that answers `reply`; what it
    // was asked.
    let edit = |reply: &str, request: &str| {
        let server = ScriptedServer::start(vec![reply.into()]);
        let out = env
            .codey()
            .env("CODEY_ENDPOINT", &server.endpoint)
            .env("CODEY_MODEL", "scripted")
            .args(["--yes", request])
            .output()
            .expect("runs");
        assert_success(&out);
        server.requests()
    };
    let reply = "numutil.py\n```python\ndef mean(v):\n    return sum(v) / len(v)\n```\n\nstats.py\n```python\ndef summarize(v):\n    return {\"mean\": mean(v), \"median\": median(v)}\n```\n";
    let asked = edit(reply, request);
    let stats = env.read("stats.py").unwrap_or_default();
    assert!(stats.contains("\"mean\": mean(v)"), "{stats}");
    // The import the reply left out, added from the map.
    assert!(stats.contains("from numutil import mean\n"), "{stats}");
    let numutil = env.read("numutil.py").unwrap_or_default();
    assert!(numutil.contains("def mean(v)"), "{numutil}");
    assert!(
        asked[0].contains("def summarize"),
        "stats.py was sent: {}",
        asked[0]
    );

    // A word that is a whole part of a definition's name places it too.
    env.write(
        "dates.py",
        "def is_weekend(day):\n    return day.weekday() >= 5\n",
    );
    env.git(&["add", "."]);
    env.git(&["commit", "-q", "-m", "dates"]);
    let reply = "dates.py\n```python\ndef is_weekend(day):\n    return day.weekday() >= 4\n```\n";
    edit(reply, "the weekend check should treat Friday as weekend");
    assert!(env.read("dates.py").is_some_and(|t| t.contains(">= 4")));
}

/// "switch to docs" where docs is a directory and no branch: git is told the name is a
/// branch, so it refuses, and the uncommitted change under docs/ is still there.
#[test]
fn switching_to_a_name_that_is_only_a_directory_keeps_its_changes() {
    let env = TestEnv::new();
    env.write("docs/a.md", "one\n");
    env.git(&["add", "docs/a.md"]);
    env.git(&["commit", "-q", "-m", "docs"]);
    env.write("docs/a.md", "one\ntwo, not committed\n");
    for request in ["switch to docs", "head to the docs"] {
        let out = env
            .codey()
            .args(["--yes", request])
            .env("CODEY_NO_ROUTER_MODEL", "1")
            .output()
            .expect("runs");
        assert!(!out.status.success(), "{request}");
        assert_eq!(
            env.read("docs/a.md").unwrap(),
            "one\ntwo, not committed\n",
            "{request}"
        );
    }
}
