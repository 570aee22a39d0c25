//! Edits end to end with scripted model replies from a server on 127.0.0.1: every reply
//! form, the matching rules through the real binary, retries, the patch shown, atomic
//! apply, commit, undo, and the bad inputs that must leave every file as it was.

use std::os::unix::fs::PermissionsExt;

use predicates::prelude::*;

use crate::common::{ScriptedServer, TestEnv, stdout};

const SEARCH_PY: &str = "def linear(items, x):\n    for i, v in enumerate(items):\n        if v == x:\n            return i\n    return -1\n\n\ndef count(items, x):\n    return sum(1 for v in items if v == x)\n";

fn env_with_search() -> TestEnv {
    let env = TestEnv::new();
    env.write("search.py", SEARCH_PY);
    env.git(&["add", "search.py"]);
    env.git(&["commit", "-q", "-m", "add search"]);
    env
}

fn edit(env: &TestEnv, server: &ScriptedServer) -> assert_cmd::Command {
    let mut cmd = env.codey();
    cmd.env("CODEY_ENDPOINT", &server.endpoint)
        .env("CODEY_MODEL", "scripted")
        .env("CODEY_MODELS_CODER_TIMEOUT_S", "10");
    cmd
}

const FIX_COUNT: &str = "search.py\n```python\n<<<<<<< SEARCH\ndef count(items, x):\n    return sum(1 for v in items if v == x)\n=======\ndef count(items, x):\n    return items.count(x)\n>>>>>>> REPLACE\n```\n";

#[test]
fn a_search_replace_reply_is_shown_applied_and_undone() {
    let env = env_with_search();
    let server = ScriptedServer::start(vec![FIX_COUNT.into()]);
    let out = edit(&env, &server)
        .args(["edit", "--yes", "use list.count in count in search.py"])
        .assert()
        .success()
        .get_output()
        .clone();
    let diff = stdout(&out);
    assert!(
        diff.contains("--- a/search.py\n+++ b/search.py\n"),
        "{diff}"
    );
    assert!(
        diff.contains("-    return sum(1 for v in items if v == x)\n+    return items.count(x)\n")
    );
    let edited = env.read("search.py").unwrap();
    assert_eq!(
        edited,
        SEARCH_PY.replace("sum(1 for v in items if v == x)", "items.count(x)")
    );
    // The model saw the file and the request.
    let request = &server.requests()[0];
    assert!(request.contains("def linear(items, x):"));
    assert!(request.contains("use list.count in count in search.py"));

    env.codey()
        .arg("undo")
        .assert()
        .success()
        .stderr(predicate::str::contains("restored search.py"));
    assert_eq!(env.read("search.py").unwrap(), SEARCH_PY);
    env.codey()
        .arg("undo")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("nothing to undo"));
}

#[test]
fn a_plain_request_routes_to_an_edit_and_definitions_are_spliced_in() {
    let env = env_with_search();
    let reply = "Here is the new function:\n\nsearch.py\n```python\ndef binary_search(items, x):\n    lo, hi = 0, len(items) - 1\n    while lo <= hi:\n        mid = (lo + hi) // 2\n        if items[mid] == x:\n            return mid\n        if items[mid] < x:\n            lo = mid + 1\n        else:\n            hi = mid - 1\n    return -1\n```\n";
    let server = ScriptedServer::start(vec![reply.into()]);
    edit(&env, &server)
        .args(["--yes", "add binary search to search.py"])
        .assert()
        .success();
    let edited = env.read("search.py").unwrap();
    assert!(
        edited.starts_with(SEARCH_PY),
        "existing code kept:\n{edited}"
    );
    assert!(edited.ends_with("\n\n\ndef binary_search(items, x):\n    lo, hi = 0, len(items) - 1\n    while lo <= hi:\n        mid = (lo + hi) // 2\n        if items[mid] == x:\n            return mid\n        if items[mid] < x:\n            lo = mid + 1\n        else:\n            hi = mid - 1\n    return -1\n"));
}

#[test]
fn a_file_named_without_its_directory_is_found() {
    let env = TestEnv::new();
    env.write("src/search.py", SEARCH_PY);
    env.git(&["add", "src/search.py"]);
    let reply = FIX_COUNT.replacen("search.py", "src/search.py", 1);
    let server = ScriptedServer::start(vec![reply]);
    edit(&env, &server)
        .args(["--yes", "use list.count in count in search.py"])
        .assert()
        .success()
        .stderr(predicate::str::contains("search.py is src/search.py"));
    assert!(
        env.read("src/search.py")
            .unwrap()
            .contains("items.count(x)")
    );
    assert!(!env.exists("search.py"));
}

#[test]
fn a_search_that_misses_goes_back_to_the_model_with_the_closest_lines() {
    let env = env_with_search();
    let wrong = "search.py\n<<<<<<< SEARCH\ndef count(things, x):\n    return sum(1 for v in items if v == x)\n=======\ndef count(items, x):\n    return items.count(x)\n>>>>>>> REPLACE\n";
    let server = ScriptedServer::start(vec![wrong.into(), FIX_COUNT.into()]);
    edit(&env, &server)
        .args([
            "edit",
            "--yes",
            "--file",
            "search.py",
            "use list.count in count",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("asking again (attempt 2)"));
    assert!(
        env.read("search.py")
            .unwrap()
            .contains("return items.count(x)")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[1].contains("Block 1 failed"), "{}", requests[1]);
    assert!(requests[1].contains("closest lines are at line 8"));
}

#[test]
fn replies_that_never_apply_change_nothing() {
    let env = env_with_search();
    let chatter = "I would use a dictionary for this.".to_string();
    let server = ScriptedServer::start(vec![chatter.clone(), chatter.clone(), chatter]);
    edit(&env, &server)
        .args(["edit", "--yes", "--file", "search.py", "make count faster"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("after 3 attempts"))
        .stderr(predicate::str::contains("nothing was changed"));
    assert_eq!(env.read("search.py").unwrap(), SEARCH_PY);
    assert_eq!(server.requests().len(), 3);
    assert!(!env.repo.join(".git/codey/undo/journal.json").exists());
}

#[test]
fn paths_outside_the_work_tree_are_refused() {
    for path in ["../outside.py", ".git/config", "/etc/passwd"] {
        let env = env_with_search();
        let reply = format!("{path}\n<<<<<<< SEARCH\n=======\nx = 1\n>>>>>>> REPLACE\n");
        let server = ScriptedServer::start(vec![reply; 3]);
        edit(&env, &server)
            .args(["edit", "--yes", "--file", "search.py", "add x"])
            .assert()
            .code(1);
        assert_eq!(env.read("search.py").unwrap(), SEARCH_PY);
        assert!(!env.outside().join("outside.py").exists());
        let status = env.git(&["status", "--porcelain"]);
        assert_eq!(status, "", "{path}: nothing may change");
    }
}

#[test]
fn line_endings_modes_and_final_newlines_are_kept_and_new_files_created() {
    let env = TestEnv::new();
    env.write("win.py", "a = 1\r\nb = 2\r\n");
    env.write("tail.sh", "echo one\necho two");
    std::fs::set_permissions(
        env.repo.join("tail.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let reply = "win.py\n<<<<<<< SEARCH\nb = 2\n=======\nb = 3\nc = 4\n>>>>>>> REPLACE\n\ntail.sh\n<<<<<<< SEARCH\necho two\n=======\necho 2\n>>>>>>> REPLACE\n\nnew/util.py\n<<<<<<< SEARCH\n=======\ndef helper():\n    return 1\n>>>>>>> REPLACE\n";
    let server = ScriptedServer::start(vec![reply.into()]);
    edit(&env, &server)
        .args([
            "edit",
            "--yes",
            "-f",
            "win.py",
            "-f",
            "tail.sh",
            "-f",
            "new/util.py",
            "tidy up",
        ])
        .assert()
        .success();
    assert_eq!(
        std::fs::read(env.repo.join("win.py")).unwrap(),
        b"a = 1\r\nb = 3\r\nc = 4\r\n"
    );
    assert_eq!(env.read("tail.sh").unwrap(), "echo one\necho 2");
    let mode = std::fs::metadata(env.repo.join("tail.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
    assert_eq!(
        env.read("new/util.py").unwrap(),
        "def helper():\n    return 1\n"
    );

    env.codey().arg("undo").assert().success();
    assert_eq!(
        std::fs::read(env.repo.join("win.py")).unwrap(),
        b"a = 1\r\nb = 2\r\n"
    );
    assert_eq!(env.read("tail.sh").unwrap(), "echo one\necho two");
    assert!(!env.exists("new/util.py"));
}

#[test]
fn without_a_terminal_or_yes_nothing_is_asked_or_changed() {
    let env = env_with_search();
    let server = ScriptedServer::start(vec![FIX_COUNT.into()]);
    edit(&env, &server)
        .args(["edit", "--file", "search.py", "use list.count in count"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("--yes"));
    assert!(
        server.requests().is_empty(),
        "no model call before the gate"
    );
    assert_eq!(env.read("search.py").unwrap(), SEARCH_PY);
}

#[test]
fn a_dry_run_shows_the_patch_and_writes_nothing() {
    let env = env_with_search();
    let server = ScriptedServer::start(vec![FIX_COUNT.into()]);
    edit(&env, &server)
        .args(["--dry-run", "use list.count in count in search.py"])
        .assert()
        .success()
        .stdout(predicate::str::contains("+    return items.count(x)"))
        .stderr(predicate::str::contains("dry run: nothing was changed"));
    assert_eq!(env.read("search.py").unwrap(), SEARCH_PY);
}

#[test]
fn commit_takes_exactly_the_touched_files_and_undo_then_explains_revert() {
    let env = env_with_search();
    env.write("other.txt", "staged by the user\n");
    env.git(&["add", "other.txt"]);
    env.write("README.md", "# demo\nunstaged work\n");
    let server = ScriptedServer::start(vec![FIX_COUNT.into()]);
    edit(&env, &server)
        .args([
            "edit",
            "--yes",
            "--commit",
            "--file",
            "search.py",
            "use list.count in count",
        ])
        .assert()
        .success();
    let files = env.git(&["show", "--name-only", "--format=%s", "HEAD"]);
    assert_eq!(files, "Use list.count in count\n\nsearch.py\n");
    let status = env.git(&["status", "--porcelain"]);
    assert_eq!(
        status, " M README.md\nA  other.txt\n",
        "the user's changes stay as they were"
    );
    env.codey()
        .arg("undo")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("git revert"));
    assert!(env.read("search.py").unwrap().contains("items.count(x)"));
}

#[test]
fn commit_is_refused_when_the_file_holds_uncommitted_work() {
    let env = env_with_search();
    env.write("search.py", &format!("{SEARCH_PY}# my notes\n"));
    let server = ScriptedServer::start(vec![FIX_COUNT.into()]);
    edit(&env, &server)
        .args([
            "edit",
            "--yes",
            "--commit",
            "--file",
            "search.py",
            "use list.count in count",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("uncommitted changes"));
    assert!(server.requests().is_empty());
}

#[test]
fn undo_refuses_when_the_files_changed_since() {
    let env = env_with_search();
    let server = ScriptedServer::start(vec![FIX_COUNT.into()]);
    edit(&env, &server)
        .args([
            "edit",
            "--yes",
            "--file",
            "search.py",
            "use list.count in count",
        ])
        .assert()
        .success();
    let later = format!("{}# later work\n", env.read("search.py").unwrap());
    env.write("search.py", &later);
    env.codey()
        .arg("undo")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("search.py changed since"));
    assert_eq!(env.read("search.py").unwrap(), later);
}

#[test]
fn whole_file_replies_that_drop_most_of_a_file_are_refused() {
    let env = TestEnv::new();
    let body: String = (0..12).map(|i| format!("print({i})\n")).collect();
    env.write("consts.py", &body);
    let reply = "consts.py\n```python\nprint(100)\n```\n".to_string();
    let server = ScriptedServer::start(vec![reply; 3]);
    edit(&env, &server)
        .args([
            "edit",
            "--yes",
            "--format",
            "whole-file",
            "-f",
            "consts.py",
            "print 100 first",
        ])
        .assert()
        .code(1);
    assert_eq!(env.read("consts.py").unwrap(), body);
    let requests = server.requests();
    assert!(
        requests[1].contains("would cut consts.py from 12 lines to 1"),
        "{}",
        requests[1]
    );
}

#[test]
fn binary_and_non_utf8_files_are_not_edited() {
    let env = TestEnv::new();
    std::fs::write(env.repo.join("latin1.txt"), b"caf\xe9\n").unwrap();
    let server = ScriptedServer::start(vec![]);
    edit(&env, &server)
        .args(["edit", "--yes", "-f", "latin1.txt", "translate it"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not UTF-8"));
    assert_eq!(
        std::fs::read(env.repo.join("latin1.txt")).unwrap(),
        b"caf\xe9\n"
    );
}

#[test]
fn json_reports_the_patch_and_algorithm_tasks_show_their_complexity() {
    let env = TestEnv::new();
    let reply = "primes.py\n```python\ndef primes(n):\n    sieve = [True] * (n + 1)\n    out = []\n    for i in range(2, n + 1):\n        if sieve[i]:\n            out.append(i)\n            for j in range(i * i, n + 1, i):\n                sieve[j] = False\n    return out\n```\n\nComplexity: time O(n log log n), space O(n).\n";
    let server = ScriptedServer::start(vec![reply.into()]);
    let out = edit(&env, &server)
        .args([
            "--yes",
            "--json",
            "implement the sieve of eratosthenes in python",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let value: serde_json::Value =
        serde_json::from_str(stdout(&out).trim()).expect("one JSON document");
    let step = &value["steps"][0];
    assert_eq!(step["route"]["intent"], "algorithm");
    let report: serde_json::Value =
        serde_json::from_str(step["stdout"].as_str().unwrap()).expect("the edit's report");
    assert_eq!(report["files"], serde_json::json!(["primes.py"]));
    assert_eq!(report["applied"], true);
    assert_eq!(
        report["complexity"],
        "Complexity: time O(n log log n), space O(n)."
    );
    assert!(
        env.read("primes.py")
            .unwrap()
            .starts_with("def primes(n):\n")
    );
}

#[test]
fn a_block_ending_on_a_blank_line_adds_none() {
    let env = TestEnv::new();
    let app = "import os\n\nLIMIT = 1\n\n\ndef main():\n    pass\n";
    env.write("app.py", app);
    let reply = "app.py\n<<<<<<< SEARCH\nimport os\n\nLIMIT = 1\n\n=======\nimport os\n\nLIMIT = 2\n\n>>>>>>> REPLACE\n";
    let server = ScriptedServer::start(vec![reply.into()]);
    edit(&env, &server)
        .args(["edit", "--yes", "--file", "app.py", "raise the limit to 2"])
        .assert()
        .success();
    assert_eq!(
        env.read("app.py").unwrap(),
        app.replace("LIMIT = 1", "LIMIT = 2")
    );
}

#[test]
fn files_the_request_did_not_name_are_part_of_the_patch_and_marked() {
    let env = env_with_search();
    env.write("helpers.py", "X = 1\n");
    let reply = "search.py\n<<<<<<< SEARCH\ndef count(items, x):\n    return sum(1 for v in items if v == x)\n=======\ndef count(items, x):\n    return items.count(x)\n>>>>>>> REPLACE\n\ntests/test_search.py\n<<<<<<< SEARCH\n=======\nfrom search import count\n\n\ndef test_count():\n    assert count([1, 1], 1) == 2\n>>>>>>> REPLACE\n\nhelpers.py\n<<<<<<< SEARCH\nX = 1\n=======\nX = 2\n>>>>>>> REPLACE\n";
    let server = ScriptedServer::start(vec![reply.into()]);
    let out = edit(&env, &server)
        .args([
            "edit",
            "--yes",
            "--json",
            "use list.count in count in search.py",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        report["unnamed"],
        serde_json::json!(["tests/test_search.py", "helpers.py"])
    );
    assert!(env.read("search.py").unwrap().contains("items.count(x)"));
    assert!(
        env.read("tests/test_search.py")
            .unwrap()
            .starts_with("from search import count\n")
    );
    assert_eq!(env.read("helpers.py").unwrap(), "X = 2\n");

    // The preview says so, for each of them.
    env.codey().arg("undo").assert().success();
    let server = ScriptedServer::start(vec![reply.into()]);
    edit(&env, &server)
        .args(["edit", "--dry-run", "use list.count in count in search.py"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "creates tests/test_search.py, which the request did not name",
        ))
        .stderr(predicate::str::contains(
            "changes helpers.py, which the request did not name",
        ));
    assert_eq!(env.read("search.py").unwrap(), SEARCH_PY);
    assert!(!env.exists("tests/test_search.py"));
}

#[test]
fn a_block_for_a_path_it_may_not_write_fails_and_is_never_redirected() {
    for (path, why) in [
        ("sub", "a directory"),
        (".GIT/hooks/pre-commit", ".git"),
        ("vendor/lib/.git/config", ".git"),
        ("vendor/lib/.git", ".git"),
        ("pipe", "not a regular file"),
    ] {
        let env = env_with_search();
        std::fs::create_dir_all(env.repo.join("sub")).unwrap();
        std::fs::create_dir_all(env.repo.join("vendor/lib/.git")).unwrap();
        env.write("vendor/lib/.git/config", "[core]\n");
        nix::unistd::mkfifo(&env.repo.join("pipe"), nix::sys::stat::Mode::S_IRWXU).unwrap();
        let reply = format!("{path}\n<<<<<<< SEARCH\n=======\nVALUE = 2\n>>>>>>> REPLACE\n");
        let server = ScriptedServer::start(vec![reply; 3]);
        edit(&env, &server)
            .args(["edit", "--yes", "--file", "search.py", "set VALUE to 2"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(why));
        assert_eq!(env.read("search.py").unwrap(), SEARCH_PY, "{path}");
        assert_eq!(env.read("vendor/lib/.git/config").unwrap(), "[core]\n");
        assert!(!env.repo.join("sub/VALUE").exists());
        assert!(
            std::fs::read_dir(env.repo.join("sub"))
                .unwrap()
                .next()
                .is_none()
        );
    }
}

#[test]
fn a_symbolic_link_in_the_tree_is_edited_as_its_target() {
    let env = env_with_search();
    std::os::unix::fs::symlink("search.py", env.repo.join("link.py")).unwrap();
    let reply = FIX_COUNT.replace("search.py\n", "link.py\n");
    let server = ScriptedServer::start(vec![reply]);
    edit(&env, &server)
        .args([
            "edit",
            "--yes",
            "--file",
            "link.py",
            "use list.count in count",
        ])
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(env.repo.join("link.py"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert!(env.read("search.py").unwrap().contains("items.count(x)"));
    env.codey().arg("undo").assert().success();
    assert_eq!(env.read("search.py").unwrap(), SEARCH_PY);
}

#[test]
fn a_server_with_a_larger_context_takes_a_file_the_default_would_refuse() {
    let env = TestEnv::new();
    // About 15,000 tokens: more than the coder's default context of 8,192.
    let mut big: String = (0..1500)
        .map(|i| format!("def f{i}(x):\n    return x + {i}\n\n\n"))
        .collect();
    big.push_str("LIMIT = 1\n");
    env.write("big.py", &big);
    let reply = "big.py\n<<<<<<< SEARCH\nLIMIT = 1\n=======\nLIMIT = 2\n>>>>>>> REPLACE\n";

    let server = ScriptedServer::with_context(vec![reply.into()], 65536);
    edit(&env, &server)
        .args(["edit", "--yes", "--file", "big.py", "set LIMIT to 2"])
        .assert()
        .success();
    assert!(env.read("big.py").unwrap().ends_with("LIMIT = 2\n"));

    // A configured context_size is what counts, whatever the server says.
    env.codey().arg("undo").assert().success();
    let server = ScriptedServer::with_context(vec![reply.into()], 65536);
    edit(&env, &server)
        .env("CODEY_MODELS_CODER_CONTEXT_SIZE", "8192")
        .args(["edit", "--yes", "--file", "big.py", "set LIMIT to 2"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("do not fit"));
    // A server that does not say keeps the default.
    let server = ScriptedServer::start(vec![reply.into()]);
    edit(&env, &server)
        .args(["edit", "--yes", "--file", "big.py", "set LIMIT to 2"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("do not fit"));
    assert_eq!(env.read("big.py").unwrap(), big);
}

#[test]
fn commit_is_refused_in_the_middle_of_a_merge_or_rebase() {
    let env = env_with_search();
    env.git(&["checkout", "-q", "-b", "side"]);
    env.write("README.md", "# side\n");
    env.git(&["commit", "-q", "-am", "side"]);
    env.git(&["checkout", "-q", "main"]);
    env.write("README.md", "# main\n");
    env.git(&["commit", "-q", "-am", "main"]);
    let mut merge = env.git_command();
    let conflicted = merge.args(["merge", "-q", "side"]).output().unwrap();
    assert!(
        !conflicted.status.success(),
        "the merge stops on a conflict"
    );
    let head = env.git(&["rev-parse", "HEAD"]);
    let server = ScriptedServer::start(vec![FIX_COUNT.into()]);
    edit(&env, &server)
        .args([
            "edit",
            "--yes",
            "--commit",
            "--file",
            "search.py",
            "use list.count in count",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("in the middle of a merge"));
    assert!(
        server.requests().is_empty(),
        "refused before the model runs"
    );
    assert_eq!(env.read("search.py").unwrap(), SEARCH_PY);
    assert_eq!(env.git(&["rev-parse", "HEAD"]), head);
}

#[test]
fn adversarial_replies_change_nothing_and_never_panic() {
    let env = env_with_search();
    std::os::unix::fs::symlink("/etc", env.repo.join("etc-link")).unwrap();
    std::os::unix::fs::symlink(env.outside(), env.repo.join("out-link")).unwrap();
    env.git(&["add", "etc-link", "out-link"]);
    env.git(&["commit", "-q", "-m", "links"]);
    let block = |path: &str, search: &str, replace: &str| {
        format!("{path}\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n")
    };
    let garbage: String = (0u32..4000)
        .map(|i| char::from_u32((i * 7919) % 0x2FF).unwrap_or('?'))
        .collect();
    let replies = vec![
        block("etc-link/passwd", "", "pwned\n"),
        block("out-link/x.py", "", "pwned\n"),
        block(".git/hooks/pre-commit", "", "#!/bin/sh\n"),
        block("search.py/../../x", "", "x\n"),
        "search.py\n<<<<<<< SEARCH\ndef count(items, x):\n".to_string(),
        "search.py\n<<<<<<< SEARCH\ndef count(items, x):\n=======\ndef count(".to_string(),
        "search.py\n=======\n>>>>>>> REPLACE\n<<<<<<< SEARCH\n".to_string(),
        garbage,
        format!(
            "search.py\n```python\n{}",
            "def f():\n    pass\n".repeat(300_000)
        ),
        block("search.py", &"nowhere\n".repeat(50_000), "x\n"),
    ];
    for reply in replies {
        let server = ScriptedServer::start(vec![reply.clone()]);
        let out = edit(&env, &server)
            .env("CODEY_EDIT_RETRIES", "0")
            .env("CODEY_MODELS_CODER_CONTEXT_SIZE", "32768")
            .args(["edit", "--yes", "--file", "search.py", "change count"])
            .output()
            .unwrap();
        let shown: String = reply.chars().take(60).collect();
        assert_ne!(out.status.code(), Some(101), "panicked on {shown:?}");
        assert_ne!(out.status.code(), Some(0), "applied {shown:?}");
        assert!(!out.stderr.is_empty(), "said nothing about {shown:?}");
        assert_eq!(env.read("search.py").unwrap(), SEARCH_PY, "{shown:?}");
        assert_eq!(env.git(&["status", "--porcelain"]), "", "{shown:?}");
        assert!(!env.outside().join("x.py").exists());
    }
}
