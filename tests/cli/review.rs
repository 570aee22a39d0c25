//! `git codey review`: real repositories, staged and committed changes, the three
//! output forms and exit codes, and the model's part through a scripted server.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{ScriptedServer, TestEnv, stdout};

/// Credential-shaped test data is assembled at run time, so that no scanner (this
/// one included) finds it in the source.
fn aws_key() -> String {
    ["AK", "IAQ3EGRTV5XN7ZPM4K"].concat()
}

fn review_json(env: &TestEnv, args: &[&str]) -> (Value, i32, String) {
    let out = env
        .codey()
        .arg("review")
        .args(args)
        .arg("--json")
        .output()
        .expect("runs");
    let text = stdout(&out);
    let json: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("stdout is one JSON document ({e}): {text:?}"));
    (
        json,
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (file, line, rule) of each finding.
fn findings(json: &Value) -> Vec<(String, u64, String)> {
    json["findings"]
        .as_array()
        .expect("findings list")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().expect("file").to_string(),
                f["line"].as_u64().expect("line"),
                f["rule"].as_str().expect("rule").to_string(),
            )
        })
        .collect()
}

fn has(json: &Value, file: &str, line: u64, rule: &str) -> bool {
    findings(json).contains(&(file.to_string(), line, rule.to_string()))
}

#[test]
fn staged_secrets_and_conflict_markers_fail_with_new_file_line_numbers() {
    let env = TestEnv::new();
    env.write("app.py", "import os\n\n\ndef main():\n    return 0\n");
    env.git(&["add", "app.py"]);
    env.git(&["commit", "-q", "-m", "app"]);
    env.write(
        "app.py",
        &format!(
            "import os\nKEY = \"{}\"\n\n<<<<<<< HEAD\ndef main():\n    return 0\n",
            aws_key()
        ),
    );
    env.git(&["add", "app.py"]);

    let (json, code, _) = review_json(&env, &["--static-only"]);
    assert_eq!(code, 1, "{json}");
    assert!(has(&json, "app.py", 2, "aws-access-key"), "{json}");
    assert!(has(&json, "app.py", 4, "conflict-marker"), "{json}");
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(2), "{json}");
    let summary = &json["summary"];
    assert_eq!(summary["errors"], 2);
    assert_eq!(summary["files"], 1);
    assert_eq!(summary["added_lines"], 2);
    assert_eq!(summary["target"], "staged");
    assert_eq!(summary["model"]["status"], "skipped");

    // Text: grouped under the file name, and the same exit code.
    let out = env
        .codey()
        .args(["review", "--static-only"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.starts_with("app.py\n"), "{text}");
    assert!(
        text.contains("      2  error    adds an AWS access key id"),
        "{text}"
    );
    assert!(
        text.contains("2 errors, 0 warnings, 0 info in 1 changed file"),
        "{text}"
    );
    // Only what is staged counts: the work tree is not the change.
    env.write("app.py", "import os\n");
    let (json, code, _) = review_json(&env, &["--static-only"]);
    assert_eq!(code, 1);
    assert!(has(&json, "app.py", 2, "aws-access-key"));
}

#[test]
fn a_clean_change_passes_and_warnings_do_not_fail() {
    let env = TestEnv::new();
    env.write("lib.py", "def add(a, b):\n    return a + b\n");
    env.git(&["add", "lib.py"]);
    let out = env
        .codey()
        .args(["review", "--static-only"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("no findings in 1 changed file (2 added lines)"),
        "{}",
        stdout(&out)
    );

    env.write(
        "lib.py",
        "def add(a, b):\n    breakpoint()\n    return a + b  \n",
    );
    env.git(&["add", "lib.py"]);
    let (json, code, _) = review_json(&env, &["--static-only"]);
    assert_eq!(code, 0, "{json}");
    assert!(has(&json, "lib.py", 2, "debug-leftover"), "{json}");
    assert!(has(&json, "lib.py", 3, "trailing-whitespace"), "{json}");
    assert_eq!(json["summary"]["warnings"], 2);
}

#[test]
fn a_repository_without_commits_and_an_empty_index_are_reviewed() {
    let env = TestEnv::empty();
    let out = env.codey().arg("review").output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("nothing to review: no staged changes"),
        "{}",
        stdout(&out)
    );

    env.write("config.json", "{\n  \"debug\": true,\n}\n");
    env.git(&["add", "config.json"]);
    let (json, code, _) = review_json(&env, &["--static-only"]);
    assert_eq!(code, 1, "{json}");
    assert!(has(&json, "config.json", 3, "parse-error"), "{json}");
}

#[test]
fn a_staged_file_that_no_longer_parses_is_an_error_at_the_parsers_line() {
    let env = TestEnv::new();
    env.write(
        "lib.rs",
        "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n",
    );
    env.write("old.py", "def broken(:\n    pass\n");
    env.git(&["add", "lib.rs", "old.py"]);
    env.git(&["commit", "-q", "-m", "code"]);

    // A new file with an unclosed paren, a Rust file that lost its closing brace.
    env.write(
        "stats.py",
        "def mean(values):\n    total = sum(float(v) for v in values\n    return total / len(values)\n",
    );
    env.write(
        "lib.rs",
        "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n\npub fn one() -> i32 { 1 }\n",
    );
    // A file that did not parse before the change: an old problem, not this change's.
    env.write("old.py", "def broken(:\n    pass\n\nx = 1\n");
    env.git(&["add", "stats.py", "lib.rs", "old.py"]);

    let (json, code, _) = review_json(&env, &["--static-only"]);
    assert_eq!(code, 1, "{json}");
    let syntax: Vec<_> = findings(&json)
        .into_iter()
        .filter(|(_, _, rule)| rule == "syntax-error")
        .collect();
    assert_eq!(
        syntax,
        [
            ("lib.rs".to_string(), 1, "syntax-error".to_string()),
            ("stats.py".to_string(), 2, "syntax-error".to_string()),
        ],
        "{json}"
    );
    let message = |file: &str| {
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["file"] == file && f["rule"] == "syntax-error")
            .and_then(|f| f["message"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        message("stats.py"),
        "does not parse as Python: `(` is never closed (column 16)"
    );
    assert!(
        message("lib.rs").starts_with("does not parse as Rust: "),
        "{json}"
    );

    // Fixed, it passes again.
    env.write(
        "stats.py",
        "def mean(values):\n    total = sum(float(v) for v in values)\n    return total / len(values)\n",
    );
    env.write(
        "lib.rs",
        "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n\npub fn one() -> i32 { 1 }\n",
    );
    env.git(&["add", "stats.py", "lib.rs"]);
    let (json, code, _) = review_json(&env, &["--static-only"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(findings(&json), Vec::new(), "{json}");
}

#[test]
fn a_range_reviews_committed_changes() {
    let env = TestEnv::new();
    env.write(
        "deploy.sh",
        &format!("export AWS_ACCESS_KEY_ID={}\n", aws_key()),
    );
    env.git(&["add", "deploy.sh"]);
    env.git(&["commit", "-q", "-m", "deploy"]);
    env.write("notes.md", "# notes\n");
    env.git(&["add", "notes.md"]);
    env.git(&["commit", "-q", "-m", "notes"]);

    let (json, code, _) = review_json(&env, &["--static-only", "--range", "HEAD~2..HEAD"]);
    assert_eq!(code, 1, "{json}");
    assert!(has(&json, "deploy.sh", 1, "aws-access-key"), "{json}");
    assert_eq!(json["summary"]["files"], 2);
    assert_eq!(json["summary"]["target"], "HEAD~2..HEAD");

    // B defaults to HEAD; the last commit alone is clean.
    let (json, code, _) = review_json(&env, &["--static-only", "--range", "HEAD~1.."]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["summary"]["files"], 1);

    for bad in ["HEAD", "nope..HEAD", "HEAD~1...HEAD"] {
        let out = env
            .codey()
            .args(["review", "--static-only", "--range", bad])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "--range {bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("error:"),
            "--range {bad}"
        );
    }
    let out = env
        .codey()
        .args(["review", "--staged", "--range", "HEAD~1..HEAD"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn renames_deletions_binaries_submodules_and_invalid_utf8_do_not_crash() {
    let env = TestEnv::new();
    let body: String = (1..=20).map(|i| format!("line {i}\n")).collect();
    env.write("old_name.txt", "other content\n");
    env.write("moved.py", &body);
    env.write("gone.txt", "bye\n");
    env.git(&["add", "."]);
    env.git(&["commit", "-q", "-m", "files"]);

    env.git(&["mv", "old_name.txt", "new_name.txt"]);
    std::fs::create_dir_all(env.repo.join("pkg")).expect("pkg dir");
    env.git(&["mv", "moved.py", "pkg/moved.py"]);
    env.write(
        "pkg/moved.py",
        &body.replace("line 10\n", "line 10\nbreakpoint()\n"),
    );
    env.git(&["add", "pkg/moved.py"]);
    env.git(&["rm", "-q", "gone.txt"]);
    std::fs::write(
        env.repo.join("logo.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe",
    )
    .expect("write");
    std::fs::write(env.repo.join("latin1.txt"), b"caf\xe9 \nna\xefve\n").expect("write");
    env.git(&["add", "logo.png", "latin1.txt"]);
    let head = env.git(&["rev-parse", "HEAD"]);
    env.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{},vendor/lib", head.trim()),
    ]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("new_name.txt", env.repo.join("link")).expect("symlink");
        env.git(&["add", "link"]);
    }

    let (json, code, stderr) = review_json(&env, &["--static-only"]);
    assert_eq!(code, 0, "{json} {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Moved and edited: only the new line counts, numbered in the new file.
    assert!(has(&json, "pkg/moved.py", 11, "debug-leftover"), "{json}");
    assert!(has(&json, "logo.png", 0, "binary-file"), "{json}");
    assert!(has(&json, "latin1.txt", 1, "trailing-whitespace"), "{json}");
    // Found as a rename, the moved file adds one line; the Latin-1 file adds two.
    assert_eq!(json["summary"]["added_lines"], 3, "{json}");
    let files: Vec<String> = findings(&json).into_iter().map(|f| f.0).collect();
    for quiet in ["new_name.txt", "gone.txt", "vendor/lib", "link"] {
        assert!(!files.contains(&quiet.to_string()), "{quiet}: {json}");
    }

    // The model would be shown neither the binary nor the submodule.
    let (json, code, _) = review_json(&env, &[]);
    assert_eq!(code, 0, "{json}");
    let not_reviewed = json["summary"]["not_reviewed"].to_string();
    assert!(
        not_reviewed.contains(r#"{"file":"logo.png","reason":"binary"}"#),
        "{not_reviewed}"
    );
    assert!(
        not_reviewed.contains(r#"{"file":"vendor/lib","reason":"submodule"}"#),
        "{not_reviewed}"
    );
}

#[test]
fn large_files_are_flagged_without_being_read() {
    let env = TestEnv::new();
    env.write("data.csv", &"1,2,3,4\n".repeat(1000));
    env.git(&["add", "data.csv"]);
    let out = env
        .codey()
        .args(["review", "--static-only", "--json"])
        .env("CODEY_REVIEW_MAX_FILE_BYTES", "4000")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert!(has(&json, "data.csv", 0, "large-file"), "{json}");
}

#[test]
fn sarif_is_a_minimal_valid_log() {
    let env = TestEnv::new();
    env.write(
        "src/my app.js",
        &format!("const k = \"{}\";\nconsole.log(k);\n", aws_key()),
    );
    env.git(&["add", "."]);
    let out = env
        .codey()
        .args(["review", "--static-only", "--format", "sarif"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_str(&stdout(&out)).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        sarif["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("sarif-2.1.0"))
    );
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "git-codey");
    assert!(driver["version"].is_string());
    let rules: Vec<&str> = driver["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(rules, vec!["aws-access-key", "debug-leftover"]);
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    let first = &results[0];
    assert_eq!(first["ruleId"], "aws-access-key");
    assert_eq!(first["level"], "error");
    assert!(first["message"]["text"].is_string());
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "src/my%20app.js");
    assert_eq!(location["region"]["startLine"], 1);
    assert_eq!(results[1]["level"], "warning");

    let out = env
        .codey()
        .args(["review", "--json", "--format", "sarif"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn model_findings_are_merged_with_the_static_ones() {
    let env = TestEnv::new();
    env.write(
        "db.py",
        "def find(conn, name):\n    breakpoint()\n    return conn.execute(\"SELECT * FROM users WHERE name = '\" + name + \"'\")\n",
    );
    env.write("Cargo.lock", "# generated\nversion = 3\n");
    env.git(&["add", "."]);
    let reply = serde_json::json!({"findings": [
        {"file": "db.py", "line": 3, "severity": "error", "rule": "SQL injection",
         "message": "name is pasted into the SQL; use a parameter"},
        {"file": "db.py", "line": 2, "severity": "warning", "rule": "debug-leftover",
         "message": "breakpoint left in"},
        {"file": "elsewhere.py", "line": 1, "severity": "error", "rule": "bug",
         "message": "not part of the change"}
    ]});
    let server = ScriptedServer::start(vec![reply.to_string()]);
    let out = env
        .codey()
        .args(["review", "--json"])
        .env("CODEY_ENDPOINT", &server.endpoint)
        .env("CODEY_MODEL", "scripted")
        .output()
        .expect("runs");
    let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(out.status.code(), Some(1), "{json}");
    assert!(has(&json, "db.py", 3, "model/sql-injection"), "{json}");
    // The model's copy of a static finding is merged into it.
    let on_line_2: Vec<_> = findings(&json)
        .into_iter()
        .filter(|f| f.0 == "db.py" && f.1 == 2)
        .collect();
    assert_eq!(on_line_2.len(), 1, "{json}");
    assert!(!findings(&json).iter().any(|f| f.0 == "elsewhere.py"));
    let model = &json["summary"]["model"];
    assert_eq!(model["status"], "reviewed", "{json}");
    assert_eq!(model["requests"], 1);
    assert_eq!(model["dropped"], 1);
    assert_eq!(
        json["summary"]["not_reviewed"],
        serde_json::json!([{"file": "Cargo.lock", "reason": "lockfile"}])
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let body: Value = serde_json::from_str(&requests[0]).expect("request JSON");
    assert_eq!(body["response_format"]["type"], "json_schema");
    let prompt = body["messages"][1]["content"].as_str().expect("prompt");
    assert!(prompt.contains("### db.py (new file)"), "{prompt}");
    assert!(prompt.contains("    2 +     breakpoint()"), "{prompt}");
    assert!(
        !prompt.contains("version = 3"),
        "the lockfile was sent: {prompt}"
    );
}

#[test]
fn a_model_that_answers_nonsense_leaves_the_static_findings() {
    let env = TestEnv::new();
    env.write("app.js", "function f() {\n  console.log('here');\n}\n");
    env.git(&["add", "app.js"]);
    let server = ScriptedServer::start(vec!["Looks great to me! Ship it.".into()]);
    let (json, code, stderr) = {
        let out = env
            .codey()
            .args(["review", "--json"])
            .env("CODEY_ENDPOINT", &server.endpoint)
            .env("CODEY_MODEL", "scripted")
            .output()
            .expect("runs");
        (
            serde_json::from_str::<Value>(&stdout(&out)).expect("json"),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(code, Some(0), "warnings only: {json}");
    assert!(has(&json, "app.js", 2, "debug-leftover"), "{json}");
    assert_eq!(json["summary"]["model"]["status"], "failed");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("warning: model review:") && stderr.contains("not JSON"),
        "{stderr}"
    );
}

#[test]
fn a_missing_or_silent_model_is_a_warning_not_a_failure() {
    let env = TestEnv::new();
    env.write("ok.py", "print('hi')\n");
    env.git(&["add", "ok.py"]);
    // The default coder file does not exist in the test's home.
    let (json, code, stderr) = review_json(&env, &[]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["summary"]["model"]["status"], "unavailable");
    assert!(
        stderr.contains("warning: no model review: the coder model is missing"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    // A server that accepts and never answers: stopped at review.timeout_s.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let endpoint = format!("http://{}/v1", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let started = Instant::now();
    let out = env
        .codey()
        .args(["review", "--json"])
        .env("CODEY_ENDPOINT", &endpoint)
        .env("CODEY_MODEL", "silent")
        .env("CODEY_REVIEW_TIMEOUT_S", "2")
        .output()
        .expect("runs");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(json["summary"]["model"]["status"], "failed");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning: model review:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_sparse_index_is_not_mistaken_for_deletions() {
    let env = TestEnv::new();
    env.write("in/a.txt", "a\n");
    env.write("out/b.txt", "b\n");
    env.git(&["add", "."]);
    env.git(&["commit", "-q", "-m", "dirs"]);
    env.git(&["sparse-checkout", "init", "--cone", "--sparse-index"]);
    env.git(&["sparse-checkout", "set", "in"]);
    assert!(env.git(&["ls-files", "--sparse"]).contains("out/\n"));
    env.write("in/c.txt", "c\n");
    env.git(&["add", "in/c.txt"]);
    let (json, code, _) = review_json(&env, &["--static-only"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["summary"]["files"], 1, "{json}");
}
