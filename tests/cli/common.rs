//! A `TestEnv`: a temp home and a fresh repository, and the binary run inside it with
//! an environment that nothing outside the test can change.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use tempfile::TempDir;

pub struct TestEnv {
    _dir: TempDir,
    pub home: PathBuf,
    pub repo: PathBuf,
}

impl TestEnv {
    /// A repository with one commit on `main`.
    pub fn new() -> Self {
        let env = Self::empty();
        env.write("README.md", "# demo\n");
        env.git(&["add", "README.md"]);
        env.git(&["commit", "-q", "-m", "initial"]);
        env
    }

    /// A repository with no commits yet.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let home = dir.path().join("home");
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(&home).expect("home");
        std::fs::create_dir_all(&repo).expect("repo");
        let env = TestEnv {
            _dir: dir,
            home,
            repo,
        };
        env.git(&["init", "-q", "-b", "main"]);
        env
    }

    /// The temp directory that holds the home and the repository (not a repository).
    pub fn outside(&self) -> &Path {
        self.repo.parent().expect("repo has a parent")
    }

    fn pin(&self, cmd: &mut StdCommand) {
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy().into_owned();
            if key.starts_with("CODEY_") || key.starts_with("GIT_") {
                cmd.env_remove(&key);
            }
        }
        cmd.env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env("XDG_RUNTIME_DIR", self.runtime_dir())
            // No test leaves a daemon behind unless it starts one itself.
            .env("CODEY_DAEMON_AUTOSTART", "0")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .env("NO_COLOR", "1")
            .env_remove("EDITOR")
            .env_remove("VISUAL");
    }

    /// Puts the router model's reading of its labelled bank into this test's cache.
    /// Reading the bank takes about a minute on 2 cores; it is done once per test run
    /// (by a route in a home of its own) and copied, so tests that route with the
    /// model do not each pay for it. Only `router.rs` reads it afresh, on purpose.
    pub fn seed_router_bank(&self) {
        static BANK: std::sync::OnceLock<Vec<(std::ffi::OsString, Vec<u8>)>> =
            std::sync::OnceLock::new();
        let files = BANK.get_or_init(|| {
            let env = TestEnv::empty();
            let out = env
                .codey_in(env.outside())
                .args(["models", "pull", "router"])
                .env("CODEY_MODELS_ROUTER_PATH", test_model(GEMMA_270M))
                .output()
                .expect("runs");
            assert_success(&out);
            let dir = env.home.join(".cache/codey/router");
            let files: Vec<_> = std::fs::read_dir(&dir)
                .expect("the router's cache")
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "bank"))
                .map(|e| (e.file_name(), std::fs::read(e.path()).expect("readable")))
                .collect();
            assert_eq!(files.len(), 1, "one bank file in {}", dir.display());
            files
        });
        let dir = self.home.join(".cache/codey/router");
        std::fs::create_dir_all(&dir).expect("cache dir");
        for (name, bytes) in files {
            std::fs::write(dir.join(name), bytes).expect("seeded");
        }
    }

    /// The test's `XDG_RUNTIME_DIR`; the daemon lives in its `codey` directory.
    pub fn runtime_dir(&self) -> PathBuf {
        self.home.join("run")
    }

    /// The binary, run at the repository root.
    pub fn codey(&self) -> Command {
        self.codey_in(&self.repo)
    }

    pub fn codey_in(&self, dir: &Path) -> Command {
        let mut std = self.codey_process();
        std.current_dir(dir);
        Command::from_std(std)
    }

    /// The binary as a plain process at the repository root, for a test that signals it
    /// while it runs.
    pub fn codey_process(&self) -> StdCommand {
        self.process_of(assert_cmd::cargo::cargo_bin!("git-codey").as_ref())
    }

    /// Another copy of a binary, run at the repository root like `codey()`.
    pub fn binary(&self, path: &Path) -> Command {
        Command::from_std(self.process_of(path))
    }

    fn process_of(&self, path: &Path) -> StdCommand {
        let mut std = StdCommand::new(path);
        self.pin(&mut std);
        std.current_dir(&self.repo);
        std
    }

    /// Runs git in the repository and returns its stdout.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.repo, args)
    }

    pub fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let mut cmd = StdCommand::new("git");
        self.pin(&mut cmd);
        let out = cmd.args(args).current_dir(dir).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("git output is UTF-8")
    }

    /// `git` in the repository, pinned like `git`, with the built binary first on PATH
    /// so that an installed hook finds `git-codey`; the caller adds arguments and
    /// environment, and runs it.
    pub fn git_command(&self) -> StdCommand {
        let mut cmd = StdCommand::new("git");
        self.pin(&mut cmd);
        let bin: &Path = assert_cmd::cargo::cargo_bin!("git-codey").as_ref();
        let dirs = std::iter::once(bin.parent().expect("bin dir").to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .collect::<Vec<_>>(),
        );
        cmd.env("PATH", std::env::join_paths(dirs).expect("PATH"))
            .current_dir(&self.repo);
        cmd
    }

    /// Writes a file under the test's home (`.config/codey/codey.toml`, say).
    pub fn write_home(&self, path: &str, content: &str) {
        let full = self.home.join(path);
        std::fs::create_dir_all(full.parent().expect("a parent")).expect("parent dir");
        std::fs::write(full, content).expect("write file");
    }

    pub fn write(&self, path: &str, content: &str) {
        let full = self.repo.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("parent dir");
        }
        std::fs::write(full, content).expect("write file");
    }

    pub fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(self.repo.join(path)).ok()
    }

    pub fn exists(&self, path: &str) -> bool {
        self.repo.join(path).exists()
    }
}

/// A file's permission bits.
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

/// A command's stdout as text.
/// Asserts that a run succeeded, showing what it wrote to stderr when it did not.
#[track_caller]
pub fn assert_success(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A real GGUF test model from the cache `scripts/fetch-test-models` fills
/// (`$CODEY_TEST_MODELS`, else `~/.cache/codey/test-models`). Missing is a failure, not
/// a skip: the model tests must run.
pub fn test_model(file: &str) -> PathBuf {
    let dir = std::env::var_os("CODEY_TEST_MODELS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/codey/test-models"))
        })
        .expect("HOME or CODEY_TEST_MODELS is set");
    let path = dir.join(file);
    assert!(
        path.is_file(),
        "test model {} is missing: run scripts/fetch-test-models",
        path.display()
    );
    path
}

/// The tiny real model (SmolLM2 135M, llama architecture).
pub const SMOLLM2: &str = "smollm2-135m-instruct-q4_1.gguf";

/// A scripted OpenAI-compatible server on 127.0.0.1: answers each chat request with
/// the next reply, streamed in a few pieces, and keeps the request bodies.
pub struct ScriptedServer {
    pub endpoint: String,
    requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl ScriptedServer {
    pub fn start(replies: Vec<String>) -> Self {
        Self::serving(replies, None)
    }

    /// A server that also answers `GET /props` as llama.cpp's server does, saying it
    /// serves a context of `n_ctx` tokens.
    pub fn with_context(replies: Vec<String>, n_ctx: u32) -> Self {
        Self::serving(replies, Some(n_ctx))
    }

    fn serving(replies: Vec<String>, n_ctx: Option<u32>) -> Self {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let endpoint = format!("http://{}/v1", listener.local_addr().expect("addr"));
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = std::sync::Arc::clone(&requests);
        std::thread::spawn(move || {
            let mut replies = replies.into_iter().peekable();
            while replies.peek().is_some() {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                // A client checking that the port is open connects and sends nothing;
                // that is not a request, and takes no reply.
                let Some((head, body)) = read_http(&mut stream) else {
                    continue;
                };
                // Anything but a chat request (a client asking what the server serves)
                // takes no reply from the script.
                if !head.contains("/chat/completions") {
                    let response = match n_ctx {
                        Some(n) if head.contains("/props") => {
                            let props = format!(
                                "{{\"default_generation_settings\":{{\"n_ctx\":{n}}},\"total_slots\":1}}"
                            );
                            format!(
                                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{props}",
                                props.len()
                            )
                        }
                        _ => "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                            .to_string(),
                    };
                    let _ = stream.write_all(response.as_bytes());
                    continue;
                }
                let reply = replies.next().expect("peeked");
                seen.lock().expect("lock").push(body);
                let _ = stream.write_all(sse_response(&reply).as_bytes());
            }
        });
        ScriptedServer { endpoint, requests }
    }

    /// The request bodies received so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("lock").clone()
    }
}

/// An HTTP response streaming `content` as OpenAI chat-completion chunks.
pub fn sse_response(content: &str) -> String {
    let mut body = String::new();
    let chars: Vec<char> = content.chars().collect();
    for piece in chars.chunks(40) {
        let piece: String = piece.iter().collect();
        let chunk = serde_json::json!({"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": null}]});
        body.push_str(&format!("data: {chunk}\n\n"));
    }
    body.push_str("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Reads one HTTP request and returns its body.
pub fn read_request(stream: &mut std::net::TcpStream) -> String {
    read_request_if_any(stream).unwrap_or_default()
}

/// Reads one HTTP request and returns its body; `None` when the client sent nothing.
fn read_request_if_any(stream: &mut std::net::TcpStream) -> Option<String> {
    read_http(stream).map(|(_, body)| body)
}

/// Reads one HTTP request: its request line and its body.
fn read_http(stream: &mut std::net::TcpStream) -> Option<(String, String)> {
    use std::io::{BufRead, Read};
    let mut reader = std::io::BufReader::new(stream.try_clone().expect("clone"));
    let mut length = 0;
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            if head.is_empty() {
                return None;
            }
            break;
        }
        if head.is_empty() {
            head = line.clone();
        }
        if line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    Some((head, String::from_utf8_lossy(&body).into_owned()))
}

/// The small real coder (Qwen2.5-Coder 0.5B Instruct, Q4_K_M).
pub const QWEN_05B: &str = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf";

/// The router test model: Gemma 3 270M base, the architecture and tokenizer of
/// FunctionGemma 270M.
pub const GEMMA_270M: &str = "gemma-3-270m-q4_k_m.gguf";

/// Whether process `pid` is running (a zombie waiting to be reaped is not).
pub fn running(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        let state = stat
            .rsplit(')')
            .next()
            .and_then(|s| s.split_whitespace().next());
        !matches!(state, Some("Z" | "X") | None)
    })
}

/// Whether the process whose id is in `file` is gone, given a generous moment for the
/// kill to land.
pub fn gone(file: &Path) -> bool {
    let pid = std::fs::read_to_string(file).expect("the command wrote its pid");
    let pid = pid.trim();
    assert!(!pid.is_empty(), "{} is empty", file.display());
    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while running(pid) {
        if std::time::Instant::now() > until {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    true
}
