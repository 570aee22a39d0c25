//! `git codey daemon start|stop|status`: real processes on a real socket in the test's
//! runtime directory. Every test holds a `Daemon` guard that stops (or kills) what it
//! started, even when an assertion fails.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{TestEnv, assert_success, mode, stdout};

/// Stops the test's daemon when dropped: `daemon stop`, then SIGKILL for any pid the
/// test saw that is still alive.
struct Daemon<'a> {
    env: &'a TestEnv,
    pids: Vec<u32>,
}

impl<'a> Daemon<'a> {
    fn guard(env: &'a TestEnv) -> Self {
        Daemon {
            env,
            pids: Vec::new(),
        }
    }

    /// `daemon start --json` with extra environment; its JSON document.
    fn start(&mut self, vars: &[(&str, &str)]) -> Value {
        let mut cmd = self.env.codey();
        cmd.args(["daemon", "start", "--json"]);
        for (key, value) in vars {
            cmd.env(key, value);
        }
        let out = cmd.timeout(Duration::from_secs(30)).output().expect("runs");
        let doc = self.note(&out);
        assert!(
            out.status.success(),
            "start failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        doc
    }

    /// Remembers the pid of a `start --json` output; its JSON document.
    fn note(&mut self, out: &std::process::Output) -> Value {
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        if let Some(pid) = doc["pid"].as_u64() {
            self.pids.push(pid as u32);
        }
        doc
    }
}

impl Drop for Daemon<'_> {
    fn drop(&mut self) {
        if let Some(pid) = std::fs::read_to_string(pid_file(self.env))
            .ok()
            .and_then(|p| p.trim().parse().ok())
        {
            self.pids.push(pid);
        }
        let _ = self
            .env
            .codey()
            .args(["daemon", "stop"])
            .timeout(Duration::from_secs(10))
            .output();
        for &pid in &self.pids {
            if alive(pid) {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid as i32),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
        }
    }
}

fn codey_dir(env: &TestEnv) -> PathBuf {
    env.runtime_dir().join("codey")
}

fn socket(env: &TestEnv) -> PathBuf {
    codey_dir(env).join("daemon.sock")
}

fn pid_file(env: &TestEnv) -> PathBuf {
    codey_dir(env).join("daemon.pid")
}

/// Whether a process runs (a zombie waiting for a parent that does not reap it does not).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        let state = stat.rsplit(')').next().unwrap_or("").trim_start();
        !state.starts_with('Z') && !state.starts_with('X')
    })
}

/// Waits up to `seconds` for `done`.
fn eventually(seconds: u64, done: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
}

fn status_json(env: &TestEnv) -> (Option<i32>, Value) {
    let out = env
        .codey()
        .args(["daemon", "status", "--json"])
        .output()
        .expect("runs");
    let doc = serde_json::from_slice(&out.stdout).expect("status prints JSON");
    (out.status.code(), doc)
}

/// Sends raw lines on the daemon's socket; the lines it answers before closing.
fn exchange(env: &TestEnv, lines: &str) -> Vec<Value> {
    let stream = UnixStream::connect(socket(env)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    (&stream).write_all(lines.as_bytes()).expect("write");
    // The daemon answers what it was sent, then sees the end and closes its side.
    stream
        .shutdown(std::net::Shutdown::Write)
        .expect("shutdown");
    BufReader::new(&stream)
        .lines()
        .map(|line| serde_json::from_str(&line.expect("a reply line")).expect("a JSON reply"))
        .collect()
}

#[test]
fn start_status_stop() {
    let env = TestEnv::new();
    let mut daemon = Daemon::guard(&env);
    env.codey()
        .args(["daemon", "status"])
        .assert()
        .code(3)
        .stdout("daemon is not running\n");

    let out = env
        .codey()
        .args(["daemon", "start"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    let pid: u32 = std::fs::read_to_string(pid_file(&env))
        .expect("pid file")
        .trim()
        .parse()
        .expect("a pid");
    daemon.pids.push(pid);
    assert_eq!(
        stdout(&out),
        format!(
            "daemon started (pid {pid}, socket {})\n",
            socket(&env).display()
        )
    );
    assert!(alive(pid));
    assert_eq!(mode(&codey_dir(&env)), 0o700);
    assert_eq!(mode(&socket(&env)), 0o600);
    assert_eq!(mode(&pid_file(&env)), 0o600);
    assert_eq!(mode(&codey_dir(&env).join("daemon.log")), 0o600);

    let (code, doc) = status_json(&env);
    assert_eq!(code, Some(0));
    assert_eq!(doc["running"], true);
    assert_eq!(doc["pid"], pid);
    assert_eq!(doc["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["idle_exit_s"], 900);
    assert_eq!(doc["requests"], 0);
    assert_eq!(doc["models"], serde_json::json!([]));
    env.codey()
        .args(["daemon", "status"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains(format!("pid {pid}"))
                .and(predicate::str::contains("idle exit: after 15m 0s"))
                .and(predicate::str::contains("requests:  0 routed, 0 completed"))
                .and(predicate::str::contains("models:    none loaded")),
        );

    env.codey()
        .args(["daemon", "stop"])
        .assert()
        .success()
        .stdout("daemon stopped\n");
    assert!(!socket(&env).exists(), "the socket is removed");
    assert!(!pid_file(&env).exists(), "the pid file is removed");
    assert!(eventually(5, || !alive(pid)), "pid {pid} still runs");
    env.codey()
        .args(["daemon", "stop"])
        .assert()
        .success()
        .stdout("daemon is not running\n");
    let (code, doc) = status_json(&env);
    assert_eq!(code, Some(3));
    assert_eq!(doc["running"], false);
}

#[test]
fn a_second_start_finds_the_first() {
    let env = TestEnv::new();
    let mut daemon = Daemon::guard(&env);
    let first = daemon.start(&[]);
    assert_eq!(first["started"], true);
    let second = daemon.start(&[]);
    assert_eq!(second["started"], false);
    assert_eq!(second["pid"], first["pid"]);
    env.codey()
        .args(["daemon", "start"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "daemon is already running (pid {}",
            first["pid"]
        )));
}

#[test]
fn racing_starts_leave_one_server() {
    let env = TestEnv::new();
    let mut daemon = Daemon::guard(&env);
    let outs: Vec<std::process::Output> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..3)
            .map(|_| {
                scope.spawn(|| {
                    env.codey()
                        .args(["daemon", "start", "--json"])
                        .timeout(Duration::from_secs(30))
                        .output()
                        .expect("runs")
                })
            })
            .collect();
        runs.into_iter()
            .map(|r| r.join().expect("joined"))
            .collect()
    });
    let docs: Vec<Value> = outs.iter().map(|out| daemon.note(out)).collect();
    for out in &outs {
        assert!(out.status.success(), "{out:?}");
    }
    assert!(
        docs.iter().all(|d| d["pid"] == docs[0]["pid"]),
        "one pid: {docs:?}"
    );
    let started = docs.iter().filter(|d| d["started"] == true).count();
    assert_eq!(started, 1, "{docs:?}");
    let (_, status) = status_json(&env);
    assert_eq!(status["pid"], docs[0]["pid"]);
}

#[test]
fn a_stale_socket_is_replaced() {
    let env = TestEnv::new();
    let mut daemon = Daemon::guard(&env);
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(codey_dir(&env))
        .expect("runtime dir");
    drop(UnixListener::bind(socket(&env)).expect("bind"));
    assert!(socket(&env).exists(), "a socket nobody listens on");

    env.codey().args(["daemon", "status"]).assert().code(3);
    let started = daemon.start(&[]);
    assert_eq!(started["started"], true);
    let (code, status) = status_json(&env);
    assert_eq!(code, Some(0));
    assert_eq!(status["pid"], started["pid"]);
}

#[test]
fn a_runtime_dir_others_can_enter_is_refused() {
    let env = TestEnv::new();
    let _daemon = Daemon::guard(&env);
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o755)
        .create(codey_dir(&env))
        .expect("runtime dir");
    std::fs::set_permissions(codey_dir(&env), std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    for command in ["start", "status", "stop"] {
        env.codey()
            .args(["daemon", command])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(format!("refusing to use {}", codey_dir(&env).display()))
                    .and(predicate::str::contains("mode 0755"))
                    .and(predicate::str::contains("chmod 700")),
            );
    }
    assert!(!socket(&env).exists());
    assert_eq!(mode(&codey_dir(&env)), 0o755, "left as it was");
}

#[test]
fn it_exits_when_idle() {
    let env = TestEnv::new();
    let mut daemon = Daemon::guard(&env);
    let started = daemon.start(&[("CODEY_DAEMON_IDLE_EXIT_S", "1")]);
    let pid = started["pid"].as_u64().expect("pid") as u32;
    assert!(eventually(10, || !alive(pid)), "pid {pid} still runs");
    assert!(
        eventually(2, || !socket(&env).exists()),
        "socket left behind"
    );
    assert!(!pid_file(&env).exists(), "pid file left behind");
    env.codey().args(["daemon", "status"]).assert().code(3);
}

#[test]
fn sigterm_ends_it_cleanly() {
    let env = TestEnv::new();
    let mut daemon = Daemon::guard(&env);
    let started = daemon.start(&[]);
    let pid = started["pid"].as_u64().expect("pid") as u32;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("signal");
    assert!(eventually(5, || !alive(pid)), "pid {pid} still runs");
    assert!(!socket(&env).exists(), "socket left behind");
    assert!(!pid_file(&env).exists(), "pid file left behind");
}

#[test]
fn bad_requests_get_errors_and_it_keeps_serving() {
    let env = TestEnv::new();
    let mut daemon = Daemon::guard(&env);
    daemon.start(&[]);

    // Another protocol version: an error naming both, then the connection ends.
    let replies = exchange(
        &env,
        "{\"v\":99,\"op\":\"status\"}\n{\"v\":1,\"op\":\"status\"}\n",
    );
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0]["v"], 1);
    assert_eq!(replies[0]["ok"], false);
    let error = replies[0]["error"].as_str().expect("error");
    assert!(
        error.contains("version 99") && error.contains("version 1"),
        "{error}"
    );

    for (line, expected) in [
        ("this is not JSON\n", "not a JSON line"),
        ("{\"op\":\"status\"}\n", "no protocol version"),
        ("{\"v\":1,\"op\":\"dance\"}\n", "unknown op \"dance\""),
        ("{\"v\":1,\"op\":\"route\"}\n", "bad route request"),
    ] {
        let replies = exchange(&env, line);
        assert_eq!(replies.len(), 1, "{line}: {replies:?}");
        assert_eq!(replies[0]["ok"], false, "{line}");
        let error = replies[0]["error"].as_str().expect("error");
        assert!(error.contains(expected), "{line}: {error}");
    }

    // Good requests on one connection, one reply each.
    let replies = exchange(
        &env,
        "{\"v\":1,\"op\":\"status\"}\n{\"v\":1,\"op\":\"status\"}\n",
    );
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert!(replies.iter().all(|r| r["ok"] == true && r["v"] == 1));
    let (code, status) = status_json(&env);
    assert_eq!(code, Some(0));
    assert_eq!(status["pid"], replies[0]["pid"]);
}

#[test]
fn the_client_api_reports_a_model_that_will_not_load_and_goes_on() {
    use codey::daemon::{Runtime, client};
    let env = TestEnv::new();
    let mut daemon = Daemon::guard(&env);
    let started = daemon.start(&[]);
    let runtime = Runtime::at(codey_dir(&env));

    let config = codey::config::Layered::load(&codey::config::Sources::default(), &|_| None)
        .expect("built-in configuration")
        .config;
    let mut router = codey::llm::role(&config, codey::config::RoleName::Router);
    let missing = env.home.join("no-such-router.gguf");
    router.source = codey::llm::Source::Local {
        path: missing.clone(),
    };

    let mut client = client::connect(&runtime).expect("a daemon of this version answers");
    let err = client
        .route(&router, &["git status".to_string()], 0.0)
        .expect_err("the model cannot load");
    assert!(
        matches!(&err, codey::daemon::DaemonError::Refused(m) if m.contains(&missing.display().to_string())),
        "{err}"
    );
    let status = client.status().expect("the same connection goes on");
    assert_eq!(status.pid as u64, started["pid"].as_u64().expect("pid"));
    assert!(status.models.is_empty());

    router.source = codey::llm::Source::Remote {
        endpoint: "http://127.0.0.1:9/v1".into(),
        model: "router".into(),
    };
    assert!(matches!(
        client.route(&router, &[], 0.0),
        Err(codey::daemon::DaemonError::Remote("router"))
    ));
}

/// The service the user never starts: the first request that needs the router model
/// starts it (autostart on), later commands find the router already loaded there, and
/// answers are the same as in-process.
#[test]
fn the_first_model_request_starts_the_service_and_later_ones_reuse_it() {
    let env = TestEnv::new();
    let mut guard = Daemon::guard(&env);
    let model = crate::common::test_model(crate::common::GEMMA_270M);
    env.seed_router_bank();
    let route = |request: &str, autostart: &str| {
        let out = env
            .codey_in(env.outside())
            .args(["route", "--json", request])
            .env("CODEY_MODELS_ROUTER_PATH", &model)
            .env("CODEY_DAEMON_AUTOSTART", autostart)
            .timeout(Duration::from_secs(120))
            .output()
            .expect("runs");
        assert_success(&out);
        serde_json::from_str::<Value>(stdout(&out).trim()).expect("JSON")
    };
    // The rules' fast path starts nothing.
    route("git status", "1");
    assert!(
        !socket(&env).exists(),
        "no service for a request the rules place"
    );

    let in_process = route("get the project compiled, with make", "0");
    assert!(!socket(&env).exists());
    let served = route("get the project compiled, with make", "1");
    let (code, status) = status_json(&env);
    if let Some(pid) = status["pid"].as_u64() {
        guard.pids.push(pid as u32);
    }
    assert_eq!(code, Some(0), "{status}");
    assert_eq!(status["requests"], 1, "{status}");
    assert_eq!(status["models"][0]["role"], "router", "{status}");
    for key in ["source", "tool", "params", "model"] {
        assert_eq!(served[key], in_process[key], "{key}");
    }
    // A second command is served by the running service.
    route("hmm", "0");
    let (_, status) = status_json(&env);
    assert_eq!(status["requests"], 2, "{status}");
}

/// The coder kept warm: a question asked with the service running is answered by the
/// model the service holds (the same answer as in-process), a second command finds it
/// loaded, and a model file that is missing reads as it does without the service.
#[test]
fn commands_ask_the_service_for_completions_and_it_keeps_the_coder() {
    let env = TestEnv::new();
    let mut guard = Daemon::guard(&env);
    let model = crate::common::test_model(crate::common::SMOLLM2);
    let ask = |question: &str, autostart: &str| {
        env.codey()
            .args(["--json", question])
            .env("CODEY_MODELS_CODER_PATH", &model)
            .env("CODEY_MODELS_CODER_MAX_TOKENS", "24")
            .env("CODEY_MODELS_CODER_CONTEXT_SIZE", "512")
            .env("CODEY_DAEMON_AUTOSTART", autostart)
            .timeout(Duration::from_secs(120))
            .output()
            .expect("runs")
    };
    let answer = |out: &std::process::Output| {
        assert_success(out);
        let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(doc["steps"][0]["status"], "done", "{doc}");
        doc["steps"][0]["stdout"]
            .as_str()
            .expect("an answer")
            .to_string()
    };
    let here = answer(&ask("what is a closure in Rust?", "0"));
    assert!(!socket(&env).exists());
    let served = answer(&ask("what is a closure in Rust?", "1"));
    let (code, status) = status_json(&env);
    if let Some(pid) = status["pid"].as_u64() {
        guard.pids.push(pid as u32);
    }
    assert_eq!(code, Some(0), "{status}");
    assert_eq!(served, here, "the service runs the same model the same way");
    assert_eq!(status["completions"], 1, "{status}");
    assert_eq!(status["models"][0]["role"], "coder", "{status}");
    assert_eq!(
        status["models"][0]["path"].as_str(),
        Some(model.to_str().expect("UTF-8 path"))
    );

    // A second command, autostart off, finds the service and the coder in it.
    answer(&ask("what is a trait in Rust?", "0"));
    let (_, status) = status_json(&env);
    assert_eq!(status["completions"], 2, "{status}");
    assert_eq!(status["models"].as_array().map(Vec::len), Some(1));

    let missing = env
        .codey()
        .arg("what is a closure in Rust?")
        .env(
            "CODEY_MODELS_CODER_PATH",
            env.home.join("no-such-coder.gguf"),
        )
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("the coder model is missing"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}

/// The wire format of a completion: a `loading` line when the model is not there yet,
/// the text in pieces, then the figures; the same prompt again reuses every token of
/// it but the last, whose logits start the reply.
#[test]
fn a_completion_streams_and_the_next_reuses_its_prompt() {
    let env = TestEnv::new();
    let mut daemon = Daemon::guard(&env);
    daemon.start(&[]);
    let model = crate::common::test_model(crate::common::SMOLLM2);
    let request = serde_json::json!({
        "v": 1,
        "op": "complete",
        "role": "coder",
        "model": {"path": model, "context_size": 512, "threads": 2, "n_gpu_layers": 0},
        "request": {
            "messages": [["system", "Answer in one short sentence."], ["user", "What is a closure?"]],
            "max_tokens": 8, "stop": [], "temperature": 0.0, "seed": 0,
            "grammar": null, "json_schema": null, "timeout_ms": 60000
        }
    });
    let line = format!("{request}\n");
    let replies = exchange(&env, &format!("{line}{line}"));
    let ends: Vec<usize> = (0..replies.len())
        .filter(|&i| replies[i].get("done").is_some())
        .collect();
    assert_eq!(ends.len(), 2, "{replies:?}");
    let (first, second) = replies.split_at(ends[0] + 1);
    assert_eq!(first[0]["loading"], crate::common::SMOLLM2);
    assert!(second.iter().all(|r| r.get("loading").is_none()));
    let text =
        |part: &[Value]| -> String { part.iter().filter_map(|r| r["piece"].as_str()).collect() };
    assert!(!text(first).trim().is_empty(), "{first:?}");
    let (done1, done2) = (
        &first[first.len() - 1]["done"],
        &second[second.len() - 1]["done"],
    );
    assert_eq!(done1["cached_tokens"], 0);
    let prompt = done2["prompt_tokens"].as_u64().expect("prompt tokens");
    assert_eq!(done2["prompt_tokens"], done1["prompt_tokens"]);
    assert_eq!(done2["cached_tokens"].as_u64(), Some(prompt - 1));
    let (_, status) = status_json(&env);
    assert_eq!(status["completions"], 2, "{status}");
}

/// A service that hangs in the middle of a completion (a test-only pause point, so it
/// sends not even its heartbeat) is given up on after a few missed beats, and the
/// command answers with the model loaded in-process instead of waiting out the coder's
/// time limit and failing.
#[test]
fn a_hung_service_is_given_up_on_and_the_model_runs_here() {
    let env = TestEnv::new();
    let mut daemon = Daemon::guard(&env);
    let marker = env.outside().join("service-paused");
    daemon.start(&[(
        "CODEY_TEST_PAUSE",
        &format!("completing:{}", marker.display()),
    )]);
    let model = crate::common::test_model(crate::common::SMOLLM2);
    let started = Instant::now();
    let out = env
        .codey()
        .args(["--json", "what is a closure in Rust?"])
        .env("CODEY_MODELS_CODER_PATH", &model)
        .env("CODEY_MODELS_CODER_MAX_TOKENS", "16")
        .env("CODEY_MODELS_CODER_CONTEXT_SIZE", "512")
        .env("CODEY_MODELS_CODER_TIMEOUT_S", "600")
        .timeout(Duration::from_secs(300))
        .output()
        .expect("runs");
    assert!(marker.exists(), "the service reached its pause point");
    assert_success(&out);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["steps"][0]["status"], "done", "{doc}");
    assert!(
        started.elapsed() < Duration::from_secs(240),
        "waited out the coder's time limit"
    );
    let _ = std::fs::remove_file(&marker);
}

/// The router's labelled bank, read the first time a router model is used (about a
/// minute), is read by the service behind the requests: they are routed meanwhile by
/// the model's scoring alone, and by the nearest requests' vote once it is complete
/// and saved for the next load.
#[test]
fn the_service_reads_the_labelled_bank_behind_the_requests() {
    let env = TestEnv::new();
    let mut guard = Daemon::guard(&env);
    let model = crate::common::test_model(crate::common::GEMMA_270M);
    let request = "open up Makefile for me to read";
    let route = || {
        let out = env
            .codey_in(env.outside())
            .args(["route", "--json", request])
            .env("CODEY_MODELS_ROUTER_PATH", &model)
            .env("CODEY_DAEMON_AUTOSTART", "1")
            .timeout(Duration::from_secs(120))
            .output()
            .expect("runs");
        assert_success(&out);
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_str::<Value>(stdout(&out).trim()).expect("JSON")
    };
    let banks = || {
        std::fs::read_dir(env.home.join(".cache/codey/router"))
            .map(|d| {
                d.flatten()
                    .filter(|e| e.path().extension().is_some_and(|x| x == "bank"))
                    .count()
            })
            .unwrap_or(0)
    };
    let first = route();
    let (_, status) = status_json(&env);
    if let Some(pid) = status["pid"].as_u64() {
        guard.pids.push(pid as u32);
    }
    assert!(first["model"].get("nearest").is_none(), "{first}");
    let reading = &status["models"][0]["reading"];
    assert!(reading["of"].as_u64().unwrap_or(0) > 500, "{status}");
    assert!(
        reading["read"].as_u64() < reading["of"].as_u64(),
        "{status}"
    );
    // Generous: the bank takes about a minute on 2 cores, longer on a loaded machine.
    let waited = std::time::Instant::now();
    while banks() == 0 && waited.elapsed() < Duration::from_secs(600) {
        std::thread::sleep(Duration::from_secs(1));
    }
    assert_eq!(banks(), 1, "the service saved the bank's readings");
    let voted = route();
    assert_eq!(voted["action"], "read", "{voted}");
    assert!(voted["model"]["nearest"].is_string(), "{voted}");
    let (_, status) = status_json(&env);
    assert_eq!(status["requests"], 2, "{status}");
}
