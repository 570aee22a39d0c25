//! The verify step on real repositories: code-running checks work in a scratch copy and
//! leave neither the copy nor any change in the work tree behind, whatever the tests do
//! (fail, write files, run past the time limit); and the built-in undefined-name check
//! reports nothing on the real packages of the edit corpus but the one real bug in it.
//! Through the library until the pipeline calls it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codey::verify::{self, Change, CheckKind, RunCode, Settings, Status};
use codey::workspace::Workspace;

use crate::common::{ScriptedServer, TestEnv, gone};

const CALC: &str = "def add(a, b):\n    return a + b\n";
const TEST: &str = "import unittest\n\nfrom calc import add\n\n\nclass T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n\n\nif __name__ == '__main__':\n    unittest.main()\n";

fn settings(test: &str, timeout: u64) -> Settings {
    Settings {
        enabled: true,
        attempts: 2,
        test: test.to_string(),
        test_timeout_s: timeout,
        run_code: true,
        cargo_check: false,
        examples: codey::config::Examples::Off,
    }
}

/// Every file under `dir` with its bytes, `.git` left out.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable") {
            let path = entry.expect("entry").path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).expect("readable"));
            }
        }
    }
    out
}

fn repo() -> (TestEnv, Workspace) {
    let env = TestEnv::new();
    env.write("calc.py", CALC);
    env.write("test_calc.py", TEST);
    env.git(&["add", "."]);
    env.git(&["commit", "-q", "-m", "calc"]);
    let workspace = Workspace::discover(&env.repo).expect("a repository");
    (env, workspace)
}

fn python3() -> bool {
    std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn code_running_checks_leave_no_scratch_copy_and_no_change_behind() {
    if !python3() {
        eprintln!("python3 is not installed: the code-running checks cannot run");
        return;
    }
    let (env, workspace) = repo();
    let before = snapshot(&env.repo);
    let broken = "def add(a, b):\n    return a - b\n";
    let changes = [Change {
        path: "calc.py",
        before: Some(CALC),
        after: Some(broken),
    }];
    // Tests that fail, and that write into the directory they run in.
    let test = "touch written-by-tests && python3 -m unittest -q";
    let report = verify::check(
        &workspace,
        &changes,
        &settings(test, 60),
        &RunCode::Allowed,
        &|| false,
    );
    let tests = report
        .checks
        .iter()
        .find(|c| c.kind == CheckKind::Tests)
        .expect("tests ran");
    let Status::Failed { problems } = &tests.status else {
        panic!("the broken add passed its tests: {report:?}");
    };
    assert!(
        problems[0].message.contains("AssertionError"),
        "{problems:?}"
    );
    assert_eq!(
        problems[0].path.as_deref(),
        Some("test_calc.py"),
        "{problems:?}"
    );
    let feedback = report.feedback().expect("feedback");
    assert!(feedback.contains("-1 != 5"), "{feedback}");
    assert!(
        !feedback.contains(".git/codey/tmp"),
        "the scratch copy's paths are not shown: {feedback}"
    );
    // The same edit, fixed, passes.
    let fixed = "def add(a, b):\n    return b + a\n";
    let report = verify::check(
        &workspace,
        &[Change {
            after: Some(fixed),
            ..changes[0]
        }],
        &settings(test, 60),
        &RunCode::Allowed,
        &|| false,
    );
    assert!(!report.failed(), "{report:?}");
    assert!(
        report.summary().contains(&"tests 1 passed".to_string()),
        "{:?}",
        report.summary()
    );
    // Tests that run past the time limit are stopped with what they started.
    let started = std::time::Instant::now();
    let report = verify::check(
        &workspace,
        &changes,
        &settings("sleep 30 & sleep 30", 1),
        &RunCode::Allowed,
        &|| false,
    );
    assert!(started.elapsed().as_secs() < 20, "the time limit held");
    let tests = report.checks.iter().find(|c| c.kind == CheckKind::Tests);
    assert!(
        matches!(tests.map(|c| &c.status), Some(Status::Skipped { why }) if why.contains("time limit")),
        "{report:?}"
    );

    assert_eq!(snapshot(&env.repo), before, "the work tree is untouched");
    assert_eq!(env.git(&["status", "--porcelain"]), "");
    let tmp = workspace.git_dir.join("codey/tmp");
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .map(|d| d.map(|e| e.expect("entry").path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn a_module_that_no_longer_imports_is_blamed_at_its_line() {
    if !python3() {
        eprintln!("python3 is not installed: the code-running checks cannot run");
        return;
    }
    let (_env, workspace) = repo();
    // Parses, compiles and binds every name; fails only when run.
    let after = "RATES = {}\nDEFAULT = RATES['eur']\n\n\ndef add(a, b):\n    return a + b\n";
    let changes = [Change {
        path: "calc.py",
        before: Some(CALC),
        after: Some(after),
    }];
    let report = verify::check(
        &workspace,
        &changes,
        &settings("", 60),
        &RunCode::Allowed,
        &|| false,
    );
    let run = report
        .checks
        .iter()
        .find(|c| c.kind == CheckKind::Run)
        .expect("modules were imported");
    let Status::Failed { problems } = &run.status else {
        panic!("a module raising on import passed: {report:?}");
    };
    let calc = problems
        .iter()
        .find(|p| p.message.starts_with("importing calc failed: KeyError"))
        .unwrap_or_else(|| panic!("{problems:?}"));
    assert_eq!(
        (calc.path.as_deref(), calc.line),
        (Some("calc.py"), Some(2))
    );
    // Its importer is imported too, and fails with it.
    assert!(
        problems
            .iter()
            .any(|p| p.message.starts_with("importing test_calc failed")),
        "{problems:?}"
    );
    assert!(!workspace.git_dir.join("codey/tmp").exists());
}

#[test]
fn without_consent_no_code_runs() {
    let (env, workspace) = repo();
    let changes = [Change {
        path: "calc.py",
        before: Some(CALC),
        after: Some("def add(a, b):\n    return a - b\n"),
    }];
    let report = verify::check(
        &workspace,
        &changes,
        &settings("touch ran", 60),
        &RunCode::NotAllowed {
            why: "not trusted".into(),
        },
        &|| false,
    );
    assert!(!report.failed());
    assert!(
        report.checks.iter().any(|c| c.kind == CheckKind::Tests
            && matches!(&c.status, Status::Skipped { why } if why == "not trusted")),
        "{report:?}"
    );
    assert!(!workspace.git_dir.join("codey/tmp").exists());
    assert!(!env.exists("ran"));
}

#[test]
fn a_repository_file_asking_to_run_code_needs_trust() {
    let env = TestEnv::new();
    env.write(
        "codey.toml",
        "[verify]\ntest = \"touch pwned\"\nrun_code = true\n",
    );
    let sources = codey::config::Sources {
        user_file: None,
        repo_file: Some(env.repo.join("codey.toml")),
        trust_file: Some(env.home.join("trusted.toml")),
    };
    let layered = codey::config::Layered::load(&sources, &|_| None).expect("config");
    assert_eq!(layered.config.verify.test, "");
    assert!(!layered.config.verify.run_code);
    let RunCode::NotAllowed { why } = RunCode::from_config(&layered) else {
        panic!("an untrusted file ran code");
    };
    assert!(
        why.contains("verify.test") && why.contains("git codey trust"),
        "{why}"
    );
    // Trusted, it counts.
    let bytes = std::fs::read(env.repo.join("codey.toml")).expect("read");
    let store =
        codey::config::trust::TrustStore::default().trust(&env.repo.join("codey.toml"), &bytes);
    std::fs::write(env.home.join("trusted.toml"), store.to_toml()).expect("write");
    let layered = codey::config::Layered::load(&sources, &|_| None).expect("config");
    assert_eq!(layered.config.verify.test, "touch pwned");
    assert_eq!(RunCode::from_config(&layered), RunCode::Allowed);
}

/// The real-edit corpus (see `edit_corpus.rs`).
fn corpus_dir() -> PathBuf {
    match std::env::var_os("CODEY_EDIT_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
            .join(".cache/codey/edit-corpus"),
    }
}

#[test]
fn no_undefined_name_is_reported_in_real_packages_but_the_real_bug() {
    let root = corpus_dir().join("pypi");
    assert!(
        root.is_dir(),
        "the real-edit corpus is not downloaded ({} is missing): run scripts/fetch-edit-corpus",
        root.display()
    );
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "py") {
                files.push(path);
            }
        }
    }
    let mut judged = 0;
    let mut flagged = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let tree = codey::syntax::parse(codey::syntax::Language::Python, &text);
        let Some(unbound) = tree.unbound_names() else {
            continue;
        };
        judged += 1;
        if !unbound.is_empty() {
            let names: Vec<String> = unbound
                .iter()
                .map(|u| format!("{}:{}", u.name, u.line))
                .collect();
            flagged.push(format!(
                "{} {}",
                file.strip_prefix(&root).expect("under the root").display(),
                names.join(" ")
            ));
        }
    }
    assert!(
        judged * 10 >= files.len() * 8,
        "judged {judged} of {} files",
        files.len()
    );
    // toml 0.10.1 shipped a module that uses `_escapes` before anything defines it
    // (`python3 -c "import toml.common"` raises NameError): a true positive.
    assert_eq!(
        flagged,
        ["toml/0.10.1/toml/common.py _escapes:6 _escapedchars:6"],
        "judged {judged} files"
    );
}

/// Ctrl-C while the project's tests run in the scratch copy: the edit stops with exit
/// 130, the test process is stopped, the scratch copy is gone and no file changed.
#[test]
fn ctrl_c_during_the_tests_leaves_nothing_behind() {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    use std::time::{Duration, Instant};

    if !python3() {
        return;
    }
    let (env, _) = repo();
    let before = snapshot(&env.repo);
    let server = ScriptedServer::start(vec![
        "calc.py\n```python\n<<<<<<< SEARCH\n    return a + b\n=======\n    return b + a\n>>>>>>> REPLACE\n```\n".into(),
    ]);
    let marker = env.outside().join("test.pid");
    let mut child = env
        .codey_process()
        .env("CODEY_ENDPOINT", &server.endpoint)
        .env("CODEY_MODEL", "scripted")
        .env("CODEY_VERIFY_RUN_CODE", "1")
        .env(
            "CODEY_VERIFY_TEST",
            format!("sh -c 'echo $$ > {}; exec sleep 100'", marker.display()),
        )
        .env("CODEY_VERIFY_TEST_TIMEOUT_S", "120")
        .args(["edit", "--yes", "swap the operands in add in calc.py"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawns");
    let until = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&marker).is_ok_and(|s| s.ends_with('\n')) {
        assert!(Instant::now() < until, "the tests never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = Pid::from_raw(i32::try_from(child.id()).expect("pid"));
    kill(pid, Signal::SIGINT).expect("signal git-codey");
    let status = child.wait().expect("waits");
    assert_eq!(status.code(), Some(130));
    assert!(gone(&marker), "the test process survived Ctrl-C");
    let tmp = env.repo.join(".git/codey/tmp");
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert_eq!(snapshot(&env.repo), before, "a file changed");
}
