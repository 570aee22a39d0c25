//! The OpenAI-compatible backend: against a real llama.cpp server on 127.0.0.1
//! (xllamacpp serving the SmolLM2 test model), and against a small scripted server for
//! the faults a real one rarely shows on demand: 5xx, a hang, garbage, nobody there.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use predicates::prelude::*;

use crate::common::{SMOLLM2, TestEnv, assert_success, read_request, stdout, test_model};

/// A real llama.cpp server, stopped when dropped.
struct RealServer {
    child: Child,
    endpoint: String,
}

impl RealServer {
    fn start() -> Self {
        let python = std::env::var_os("CODEY_TEST_PYTHON")
            .map(std::path::PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .map(|h| std::path::PathBuf::from(h).join(".cache/codey/venv/bin/python"))
            })
            .expect("HOME is set");
        assert!(
            python.is_file(),
            "no test server: run scripts/fetch-test-server"
        );
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/llama_server.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(test_model(SMOLLM2))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the test server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the server prints its address");
        assert!(
            line.starts_with("http://127.0.0.1:"),
            "server said {line:?}"
        );
        RealServer {
            child,
            endpoint: line.trim().to_string(),
        }
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_question_is_answered_through_a_real_llama_cpp_server() {
    let server = RealServer::start();
    let env = TestEnv::new();
    let out = env
        .codey()
        .env("CODEY_ENDPOINT", &server.endpoint)
        .env("CODEY_MODEL", "smollm2")
        .env("CODEY_MODELS_CODER_MAX_TOKENS", "24")
        .arg("what is a closure in Rust?")
        .output()
        .expect("runs");
    assert_success(&out);
    let answer = stdout(&out);
    assert!(
        answer.chars().filter(|c| c.is_alphabetic()).count() >= 10,
        "a real answer: {answer:?}"
    );
}

/// What the scripted server does with one connection.
#[derive(Clone, Copy)]
enum Reply {
    ServerError,
    Stream,
    Html,
    Hang,
}

/// Serves `replies` in order, one per connection, and counts requests.
fn scripted(replies: Vec<Reply>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let endpoint = format!("http://{}/v1", listener.local_addr().expect("addr"));
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    std::thread::spawn(move || {
        let mut hung = Vec::new();
        for (reply, stream) in replies.into_iter().zip(listener.incoming()) {
            let Ok(mut stream) = stream else { return };
            let _ = read_request(&mut stream);
            seen.fetch_add(1, Ordering::SeqCst);
            let response = match reply {
                Reply::ServerError => {
                    "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 4\r\nconnection: close\r\n\r\noops".to_string()
                }
                Reply::Html => {
                    let body = "<html><body>Welcome to nginx!</body></html>";
                    format!("HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len())
                }
                Reply::Stream => {
                    let mut body = String::new();
                    for piece in ["A closure", " captures", " its environment."] {
                        body.push_str(&format!(
                            "data: {{\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{piece}\"}},\"finish_reason\":null}}]}}\n\n"
                        ));
                    }
                    body.push_str("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
                    format!("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len())
                }
                Reply::Hang => {
                    hung.push(stream);
                    continue;
                }
            };
            let _ = stream.write_all(response.as_bytes());
        }
        // Keep hung connections open until the test process ends.
        std::thread::sleep(std::time::Duration::from_secs(60));
        drop(hung);
    });
    (endpoint, count)
}

fn ask(env: &TestEnv, endpoint: &str) -> assert_cmd::assert::Assert {
    env.codey()
        .env("CODEY_ENDPOINT", endpoint)
        .env("CODEY_MODEL", "scripted")
        .env("CODEY_MODELS_CODER_TIMEOUT_S", "2")
        .arg("what is a closure in Rust?")
        .assert()
}

#[test]
fn server_errors_are_retried_then_the_stream_is_shown() {
    let env = TestEnv::new();
    let (endpoint, count) = scripted(vec![Reply::ServerError, Reply::ServerError, Reply::Stream]);
    ask(&env, &endpoint)
        .success()
        .stdout("A closure captures its environment.\n");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[test]
fn faults_are_clear_errors() {
    let env = TestEnv::new();
    let (endpoint, _) = scripted(vec![Reply::Html]);
    ask(&env, &endpoint)
        .code(1)
        .stderr(predicate::str::contains(
            "did not answer with an OpenAI-compatible stream",
        ));

    let (endpoint, _) = scripted(vec![Reply::Hang]);
    ask(&env, &endpoint)
        .code(1)
        .stderr(predicate::str::contains(
            "did not answer within the time limit",
        ));

    let (endpoint, _) = scripted(vec![Reply::ServerError; 3]);
    ask(&env, &endpoint)
        .code(1)
        .stderr(predicate::str::contains("500"))
        .stderr(predicate::str::contains("after 3 attempts"));

    // Nobody listens on a port just released.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    ask(&env, &format!("http://127.0.0.1:{port}/v1"))
        .code(1)
        .stderr(predicate::str::contains(format!(
            "could not reach http://127.0.0.1:{port}/v1"
        )))
        .stderr(predicate::str::contains("is the server running?"));
}

#[test]
fn a_real_llama_cpp_server_says_what_context_it_serves() {
    let server = RealServer::start();
    assert_eq!(
        codey::llm::openai::served_context(&server.endpoint, "smollm2", None),
        Some(1024)
    );
    // Nobody there: no answer, quickly, and no error.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}/v1", closed.local_addr().unwrap());
    drop(closed);
    assert_eq!(
        codey::llm::openai::served_context(&endpoint, "x", None),
        None
    );
}
