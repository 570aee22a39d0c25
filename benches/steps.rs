//! Reads that run together against the same git commands one after the other.
//!
//! In a clone of this repository (a real history), `git codey "git status then git
//! log -n 300 --stat then git diff HEAD~20 --stat"` — three steps that only read, so
//! the step engine runs them at the same time — against the same three `git` commands
//! run one after another, alternately, many times. The ratio of medians is what
//! running them together wins back (below 1.0) after git-codey's own start-up.
//!
//! Run with `cargo bench --bench steps`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 40;

fn main() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_git-codey"));
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    let cloned = Command::new("git")
        .args([
            "clone",
            "--quiet",
            "--no-hardlinks",
            env!("CARGO_MANIFEST_DIR"),
        ])
        .arg(&repo)
        .status()
        .expect("git clone runs");
    assert!(cloned.success(), "cloning the project's own history");
    let commits = git_count(&repo);
    let back = (commits - 1).min(20);
    let steps: [Vec<String>; 3] = [
        vec!["status".into()],
        vec!["log".into(), "-n".into(), "300".into(), "--stat".into()],
        vec!["diff".into(), format!("HEAD~{back}"), "--stat".into()],
    ];
    let request = steps
        .iter()
        .map(|s| format!("git {}", s.join(" ")))
        .collect::<Vec<_>>()
        .join(" then ");

    let mut together = Vec::new();
    let mut one_by_one = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let ok = Command::new(&bin)
            .arg(&request)
            .current_dir(&repo)
            .env("CODEY_NO_ROUTER_MODEL", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("git-codey runs")
            .success();
        assert!(ok, "{request}");
        together.push(start.elapsed());

        let start = Instant::now();
        for args in &steps {
            let ok = Command::new("git")
                .args(args)
                .current_dir(&repo)
                .stdout(Stdio::null())
                .status()
                .expect("git runs")
                .success();
            assert!(ok);
        }
        one_by_one.push(start.elapsed());
    }
    let (t, s) = (median(&mut together), median(&mut one_by_one));
    println!(
        "three reads in a {commits}-commit clone ({RUNS} runs each, medians):\n  \
         git-codey, together     {t:7.2} ms\n  git, one after another  {s:7.2} ms\n  \
         ratio {:.2}×",
        t / s
    );
}

fn git_count(repo: &Path) -> usize {
    let out = Command::new("git")
        .args(["rev-list", "--count", "HEAD"])
        .current_dir(repo)
        .output()
        .expect("git rev-list runs");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a count")
}

fn median(times: &mut [Duration]) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}
