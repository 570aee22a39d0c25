//! What the installed prepare-commit-msg hook adds to `git commit -m`, where it must do
//! nothing, against the same commits without the hook, measured in one run.
//!
//! Two repositories, one with the hook installed, get the same small change committed
//! alternately (N each); the ratio of median times is the price of the hook (goal:
//! ≤ 30 ms added). For reference, the same is printed for `git commit --amend --no-edit`,
//! which the shim cannot rule out by itself, so git-codey starts and decides.
//!
//! Run with `cargo bench --bench hook` (`--profile dev` skips the release LTO build).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const N: usize = 20;

fn main() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_git-codey"));
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let path = std::env::join_paths(
        std::iter::once(bin.parent().expect("bin dir").to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .collect::<Vec<_>>(),
        ),
    )
    .expect("PATH");
    let env = Env { home, path };

    let plain = dir.path().join("plain");
    let hooked = dir.path().join("hooked");
    for repo in [&plain, &hooked] {
        make_repo(&env, repo);
    }
    let install = env
        .command(&bin, &hooked)
        .args(["hook", "install"])
        .output()
        .expect("hook install runs");
    assert!(install.status.success(), "hook install failed");

    println!("binary: {}", bin.display());
    let mut plain_times = Vec::new();
    let mut hooked_times = Vec::new();
    for i in 0..N + 2 {
        for (repo, times) in [(&plain, &mut plain_times), (&hooked, &mut hooked_times)] {
            let t = commit(&env, repo, i, &["-q", "-m", "a small change"]);
            // The first commits warm the file cache and are not counted.
            if i >= 2 {
                times.push(t);
            }
        }
    }
    report("git commit -m", &mut plain_times, &mut hooked_times, true);

    let mut plain_times = Vec::new();
    let mut hooked_times = Vec::new();
    for i in 0..N + 2 {
        for (repo, times) in [(&plain, &mut plain_times), (&hooked, &mut hooked_times)] {
            let t = commit(&env, repo, 100 + i, &["-q", "--amend", "--no-edit"]);
            if i >= 2 {
                times.push(t);
            }
        }
    }
    report(
        "git commit --amend --no-edit (git-codey starts)",
        &mut plain_times,
        &mut hooked_times,
        false,
    );
}

/// The environment every command runs with: nothing from outside the bench leaks in.
struct Env {
    home: PathBuf,
    path: std::ffi::OsString,
}

impl Env {
    fn command(&self, program: &Path, repo: &Path) -> Command {
        let mut cmd = Command::new(program);
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy().into_owned();
            if key.starts_with("CODEY_") || key.starts_with("GIT_") {
                cmd.env_remove(&key);
            }
        }
        cmd.current_dir(repo)
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("PATH", &self.path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Bench")
            .env("GIT_AUTHOR_EMAIL", "bench@example.com")
            .env("GIT_COMMITTER_NAME", "Bench")
            .env("GIT_COMMITTER_EMAIL", "bench@example.com");
        cmd
    }

    fn git(&self, repo: &Path, args: &[&str]) {
        let out = self
            .command(Path::new("git"), repo)
            .args(args)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?} failed");
    }
}

fn make_repo(env: &Env, repo: &Path) {
    std::fs::create_dir_all(repo).expect("repo dir");
    env.git(repo, &["init", "-q", "-b", "main"]);
    for i in 0..50 {
        std::fs::write(repo.join(format!("file{i}.txt")), format!("line {i}\n")).expect("write");
    }
    env.git(repo, &["add", "."]);
    env.git(repo, &["commit", "-q", "-m", "initial"]);
}

/// Stages a one-line change (not timed), then times `git commit ARGS`.
fn commit(env: &Env, repo: &Path, i: usize, args: &[&str]) -> Duration {
    std::fs::write(repo.join("changing.txt"), format!("change {i}\n")).expect("write");
    env.git(repo, &["add", "changing.txt"]);
    let start = Instant::now();
    let out = env
        .command(Path::new("git"), repo)
        .arg("commit")
        .args(args)
        .output()
        .expect("git commit runs");
    let elapsed = start.elapsed();
    assert!(
        out.status.success(),
        "git commit failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    elapsed
}

fn median(times: &mut [Duration]) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

fn report(what: &str, plain: &mut [Duration], hooked: &mut [Duration], goal: bool) {
    let n = plain.len();
    let (p, h) = (median(plain), median(hooked));
    println!(
        "\n{what}, median of {n}:\n  without the hook  {p:7.2} ms\n  with the hook     {h:7.2} ms\n  added             {:7.2} ms   ratio {:.2}×{}",
        h - p,
        h / p,
        if goal {
            "   (goal: ≤ 30 ms added)"
        } else {
            ""
        }
    );
}
