//! What the resident service saves the commands that use the coder: an edit and a
//! question as a user runs them (a new `git-codey` process each time, Qwen2.5-Coder
//! 0.5B), loading the model in-process against asking the running service, which keeps
//! the model loaded and the last prompt's keys and values. Same repository, same
//! requests, one run; prints medians and the ratio (service / in-process).
//!
//! Run with `cargo bench --bench service` (needs `scripts/fetch-test-models qwen-0.5b`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const RUNS: usize = 5;
/// Two of each, taken in turn, so that the service never sees the same prompt twice
/// in a row: what it reuses is what they share (the instructions and examples).
const EDITS: [&str; 2] = [
    "add a function is_even(n) to mathx.py that returns True when n is even",
    "add a function cube(x) to mathx.py that returns x * x * x",
];
const QUESTIONS: [&str; 2] = ["what is a closure in Rust?", "what is a trait in Rust?"];

struct Bench {
    bin: PathBuf,
    model: PathBuf,
    dir: tempfile::TempDir,
}

impl Bench {
    fn repo(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    fn git(&self, args: &[&str]) {
        let out = Command::new("git")
            .args(args)
            .current_dir(self.repo())
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?} failed");
    }

    fn codey(&self, autostart: bool) -> Command {
        let mut cmd = Command::new(&self.bin);
        let home = self.dir.path();
        cmd.current_dir(self.repo())
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_RUNTIME_DIR", home.join("run"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("CODEY_MODELS_CODER_PATH", &self.model)
            .env("CODEY_MODELS_CODER_MAX_TOKENS", "96")
            .env("CODEY_MODELS_CODER_THREADS", "2")
            .env("CODEY_NO_ROUTER_MODEL", "1")
            .env("CODEY_DAEMON_AUTOSTART", if autostart { "1" } else { "0" });
        cmd
    }

    /// Wall time of one command, in ms; the repository is put back afterwards.
    fn once(&self, request: &str, autostart: bool) -> f64 {
        let started = Instant::now();
        let out = self
            .codey(autostart)
            .args(["--yes", "--json", request])
            .output()
            .expect("git-codey runs");
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        assert!(
            out.status.success(),
            "{request}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.git(&["reset", "-q", "--hard", "base"]);
        self.git(&["clean", "-q", "-fd"]);
        ms
    }

    fn median(&self, requests: [&str; 2], autostart: bool) -> f64 {
        let mut times: Vec<f64> = (0..RUNS)
            .map(|i| self.once(requests[i % 2], autostart))
            .collect();
        times.sort_by(f64::total_cmp);
        times[RUNS / 2]
    }

    fn daemon(&self, verb: &str) {
        let _ = self.codey(false).args(["daemon", verb]).output();
    }
}

fn main() {
    let model = common::test_model("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", "qwen-0.5b");
    let bench = Bench {
        bin: PathBuf::from(env!("CARGO_BIN_EXE_git-codey")),
        model,
        dir: tempfile::tempdir().expect("temp dir"),
    };
    make_repo(&bench.repo());
    bench.git(&["tag", "base"]);

    println!("median of {RUNS} new processes each, ms (Qwen2.5-Coder 0.5B, 2 threads):");
    println!("                        in-process   service   service / in-process");
    for (what, requests) in [("edit", EDITS), ("question", QUESTIONS)] {
        let here = bench.median(requests, false);
        // The first request starts the service and loads the model there.
        let first = bench.once(requests[1], true);
        let served = bench.median(requests, false);
        bench.daemon("stop");
        println!(
            "  {what:<10}            {here:8.0}  {served:8.0}   {:.2}x   (first, starting it: {first:.0})",
            served / here
        );
    }
}

fn make_repo(repo: &Path) {
    std::fs::create_dir_all(repo).expect("repo dir");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(repo)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?} failed");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["config", "user.name", "bench"]);
    git(&["config", "user.email", "bench@example.invalid"]);
    std::fs::write(repo.join("mathx.py"), "def square(x):\n    return x * x\n").expect("file");
    git(&["add", "mathx.py"]);
    git(&["commit", "-q", "-m", "add mathx"]);
}
