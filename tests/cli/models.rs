//! `models list|check` on real GGUF files, and on broken ones.

use predicates::prelude::*;

use crate::common::{SMOLLM2, TestEnv, test_model};

#[test]
fn check_reads_a_real_model_header() {
    let env = TestEnv::new();
    let out = env
        .codey()
        .env("CODEY_MODELS_CODER_PATH", test_model(SMOLLM2))
        .args(["models", "check", "coder", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let coder = &v["models"][0];
    assert_eq!(coder["ok"], true);
    assert_eq!(coder["architecture"], "llama");
    assert_eq!(coder["version"], 3);
    assert_eq!(coder["tensors"], 272);
    assert_eq!(coder["chat_template"], true);
    // Weights plus a KV cache for the default 8192-token context.
    assert!(coder["estimated_memory"].as_u64().expect("estimate") > 98_362_432);
}

#[test]
fn truncated_and_foreign_files_are_refused_by_name() {
    let env = TestEnv::new();
    let model = std::fs::read(test_model(SMOLLM2)).expect("read model");
    let truncated = env.outside().join("truncated.gguf");
    std::fs::write(&truncated, &model[..10 << 20]).expect("write");
    let foreign = env.outside().join("notes.gguf");
    std::fs::write(&foreign, "just some text\n").expect("write");
    env.codey()
        .env("CODEY_MODELS_CODER_PATH", &truncated)
        .args(["models", "check", "coder"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("truncated"));
    env.codey()
        .env("CODEY_MODELS_CODER_PATH", &foreign)
        .args(["models", "check", "coder"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("not a GGUF file"));
}

#[test]
fn a_missing_model_names_the_role_path_and_setting() {
    let env = TestEnv::new();
    env.codey()
        .env("CODEY_MODELS_DIR", env.outside())
        .args(["models", "check", "router"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "functiongemma-270m-it-Q8_0.gguf: no such file",
        ))
        .stdout(predicate::str::contains("CODEY_MODELS_ROUTER_PATH"))
        .stdout(predicate::str::contains("git codey models pull router"));
}

#[test]
fn list_shows_presence_and_remote_roles() {
    let env = TestEnv::new();
    let out = env
        .codey()
        .env("CODEY_MODELS_DIR", env.outside())
        .env("CODEY_MODELS_CODER_PATH", test_model(SMOLLM2))
        .env("CODEY_MODELS_ALGORITHM_ENDPOINT", "http://127.0.0.1:9/v1")
        .args(["models", "list", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let roles = v["models"].as_array().expect("models");
    assert_eq!(roles[0]["role"], "router");
    assert_eq!(roles[0]["present"], false);
    assert_eq!(roles[1]["present"], true);
    assert_eq!(roles[1]["size"], 98_362_432);
    assert_eq!(roles[2]["backend"], "openai");
}

/// Serves `data` over HTTP with range requests; the first answer is cut off after
/// `cut_first` bytes when given. Records each request's Range header.
fn file_server(
    data: std::sync::Arc<Vec<u8>>,
    cut_first: Option<usize>,
) -> (
    String,
    std::sync::Arc<std::sync::Mutex<Vec<Option<String>>>>,
) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/model.gguf", listener.local_addr().expect("addr"));
    let ranges = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&ranges);
    std::thread::spawn(move || {
        for (i, stream) in listener.incoming().enumerate().take(8) {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut range = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("range:") {
                    range = Some(v.trim().to_string());
                }
            }
            seen.lock().expect("lock").push(range.clone());
            let start: usize = range
                .as_deref()
                .and_then(|r| r.strip_prefix("bytes="))
                .and_then(|r| r.trim_end_matches('-').parse().ok())
                .unwrap_or(0);
            let body = &data[start..];
            let head = if start > 0 {
                format!(
                    "HTTP/1.1 206 Partial Content\r\ncontent-length: {}\r\ncontent-range: bytes {start}-{}/{}\r\nconnection: close\r\n\r\n",
                    body.len(),
                    data.len() - 1,
                    data.len()
                )
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                )
            };
            let _ = stream.write_all(head.as_bytes());
            let send = match cut_first {
                Some(cut) if i == 0 => &body[..cut],
                _ => body,
            };
            let _ = stream.write_all(send);
        }
    });
    (url, ranges)
}

fn payload() -> std::sync::Arc<Vec<u8>> {
    let mut x: u32 = 12345;
    std::sync::Arc::new(
        (0..3 << 20)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect(),
    )
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn pull_resumes_an_interrupted_download_and_verifies_it() {
    let env = TestEnv::new();
    let data = payload();
    let (url, ranges) = file_server(std::sync::Arc::clone(&data), Some(1 << 20));
    let models = env.outside().join("models");
    let pull = || {
        let mut cmd = env.codey();
        cmd.env("CODEY_MODELS_DIR", &models)
            .env("CODEY_MODELS_CODER_URL", &url)
            .env("CODEY_MODELS_CODER_SHA256", sha256_hex(&data))
            .args(["models", "pull", "coder"]);
        cmd
    };
    let target = models.join("qwen2.5-coder-7b-instruct-q4_k_m.gguf");
    let part = models.join("qwen2.5-coder-7b-instruct-q4_k_m.gguf.part");
    pull()
        .assert()
        .code(1)
        .stderr(predicate::str::contains("broke off"))
        .stderr(predicate::str::contains(
            "run the same command again to resume",
        ));
    assert!(!target.exists());
    assert_eq!(
        std::fs::metadata(&part).expect("partial file kept").len(),
        1 << 20
    );

    pull()
        .assert()
        .success()
        .stderr(predicate::str::contains("resumed at"))
        .stderr(predicate::str::contains("sha256 verified"));
    assert_eq!(std::fs::read(&target).expect("model"), *data);
    assert!(!part.exists());
    assert_eq!(
        *ranges.lock().expect("lock"),
        vec![None, Some(format!("bytes={}-", 1 << 20))]
    );
}

#[test]
fn pull_refuses_a_download_that_fails_its_checksum() {
    let env = TestEnv::new();
    let (url, _) = file_server(payload(), None);
    let models = env.outside().join("models");
    env.codey()
        .env("CODEY_MODELS_DIR", &models)
        .env("CODEY_MODELS_ROUTER_URL", &url)
        .env("CODEY_MODELS_ROUTER_SHA256", "0".repeat(64))
        .args(["models", "pull", "router"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not match its checksum"));
    assert_eq!(
        std::fs::read_dir(&models).expect("dir").count(),
        0,
        "nothing left behind"
    );
}

#[test]
fn pull_needs_roles_or_all() {
    let env = TestEnv::new();
    env.codey().args(["models", "pull"]).assert().code(2);
}
