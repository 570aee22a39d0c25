//! Startup and routing speed, against a reference measured in the same run.
//!
//! 1. `git-codey --version` against `git --version`: the bare price of starting the
//!    binary (loading, relocation, initialisers), both fresh processes run alternately.
//! 2. `git-codey "git status"` against plain `git status` in the same repository,
//!    run alternately many times: the ratio of medians is the price of going through
//!    git-codey (goal ≤ 1.3× at 2,000 files). The same through `git codey` (git's own
//!    dispatch to an external command) is printed for reference.
//! 3. The rules router's throughput over the labelled corpus: `route --json -` in one
//!    process, and the routing function alone.
//!
//! Run with `cargo bench --bench startup` (`CODEY_BENCH_BIN=path` to measure another
//! build of git-codey with the same harness).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 300;

fn main() {
    // CODEY_BENCH_BIN measures another build (a saved copy of an older one) with the
    // same harness.
    let bin = std::env::var_os("CODEY_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_git-codey")));
    let dir = tempfile::tempdir().expect("temp dir");
    version(&bin, dir.path());
    let floors = floors(dir.path());
    // The overhead is a fixed cost per run, so the ratio depends on how long
    // `git status` itself takes: measured in a small, the goal's and a larger repository.
    let mut repo = PathBuf::new();
    for files in [200, 2000, 5000] {
        repo = dir.path().join(format!("repo{files}"));
        make_repo(&repo, files);
        startup(&bin, &repo, files, &floors);
    }

    let corpus = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/routes.jsonl"),
    )
    .expect("corpus");
    let requests: Vec<String> = corpus
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["request"].as_str().map(|s| s.replace('\n', " ")))
        .collect();
    let input = requests.join("\n") + "\n";
    let mut batch = Vec::new();
    for _ in 0..10 {
        let start = Instant::now();
        let mut child = Command::new(&bin)
            .args(["route", "--json", "-"])
            .current_dir(&repo)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("route runs");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), input.as_bytes())
            .expect("write requests");
        assert!(child.wait().expect("route exits").success());
        batch.push(start.elapsed());
    }
    let batch_ms = median(&mut batch);
    println!(
        "\nrules router, {} corpus requests:\n  route --json - (one process)  {batch_ms:7.2} ms   {:.0} requests/s",
        requests.len(),
        requests.len() as f64 / (batch_ms / 1000.0)
    );
    let hints = codey::route::Hints::default();
    for r in &requests {
        codey::route::route(r, &hints); // compile every rule once
    }
    let start = Instant::now();
    let rounds = 20;
    for _ in 0..rounds {
        for r in &requests {
            std::hint::black_box(codey::route::route(r, &hints));
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / (rounds * requests.len()) as f64;
    println!("  routing function alone         {per:7.1} µs per request (warm)");
}

/// Both binaries' `--version`: no repository, no configuration, only start-up.
fn version(bin: &Path, dir: &Path) {
    let git = || {
        let mut c = Command::new("git");
        c.arg("--version").current_dir(dir);
        c
    };
    let codey = || {
        let mut c = Command::new(bin);
        c.arg("--version").current_dir(dir);
        c
    };
    // The same warm-up for both: each run below is a fresh process either way.
    for _ in 0..20 {
        run(&mut git());
        run(&mut codey());
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        a.push(run(&mut git()));
        b.push(run(&mut codey()));
    }
    let (git_ms, codey_ms) = (median(&mut a), median(&mut b));
    println!("start-up alone, median of {RUNS} alternating runs:");
    println!("  git --version               {git_ms:7.2} ms   (reference)");
    println!(
        "  git-codey --version         {codey_ms:7.2} ms   ratio {:.2}x\n",
        codey_ms / git_ms
    );
}

/// The least a front can cost: programs that do nothing but become `git status`
/// (exec), one in C and one in Rust (std, as the front is), built here with the
/// system's compilers; those that could not be built are left out.
fn floors(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let build = |name: &'static str, file: &str, source: &str, compiler: &mut Command| {
        let path = dir.join(file);
        let binary = dir.join(name);
        std::fs::write(&path, source).ok()?;
        let built = compiler.arg("-o").arg(&binary).arg(&path).status().ok()?;
        built.success().then_some((name, binary))
    };
    [
        build(
            "C",
            "floor.c",
            "#include <unistd.h>\nint main(void) { char *argv[] = {\"git\", \"status\", 0}; execvp(\"git\", argv); return 127; }\n",
            Command::new("cc").arg("-O2"),
        ),
        build(
            "Rust",
            "floor.rs",
            "use std::os::unix::process::CommandExt;\nfn main() { let _ = std::process::Command::new(\"git\").arg(\"status\").exec(); }\n",
            Command::new("rustc").args(["-O", "-C", "panic=abort"]),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn startup(bin: &Path, repo: &Path, files: usize, floors: &[(&str, PathBuf)]) {
    let git_status = || {
        let mut c = Command::new("git");
        c.arg("status").current_dir(repo);
        c
    };
    let codey_status = || {
        let mut c = Command::new(bin);
        c.arg("git status").current_dir(repo);
        c
    };
    let bin_dir = bin.parent().expect("binary has a directory").to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let via_git = || {
        let mut c = Command::new("git");
        c.args(["codey", "git status"])
            .current_dir(repo)
            .env("PATH", &path);
        c
    };

    // Warm the page cache and git's index before measuring.
    for _ in 0..20 {
        run(&mut git_status());
        run(&mut codey_status());
        run(&mut via_git());
    }
    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        a.push(run(&mut git_status()));
        b.push(run(&mut codey_status()));
        c.push(run(&mut via_git()));
    }
    let (git_ms, codey_ms, via_ms) = (median(&mut a), median(&mut b), median(&mut c));
    println!("startup, median of {RUNS} alternating runs in a repository of {files} files:");
    println!("  git status                  {git_ms:7.2} ms   (reference)");
    println!(
        "  git-codey \"git status\"      {codey_ms:7.2} ms   ratio {:.2}x{}",
        codey_ms / git_ms,
        if files == 2000 {
            "  (goal <= 1.30x)"
        } else {
            ""
        }
    );
    println!(
        "  git codey \"git status\"      {via_ms:7.2} ms   ratio {:.2}x  (through git's dispatch)",
        via_ms / git_ms
    );
    for (language, floor) in floors {
        // Measured after the rest, alternating with git status again.
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            a.push(run(&mut git_status()));
            b.push(run(Command::new(floor).current_dir(repo)));
        }
        let (git_ms, floor_ms) = (median(&mut a), median(&mut b));
        println!(
            "  exec-only {language:<4} front        {floor_ms:7.2} ms   ratio {:.2}x  (a floor: a process that only becomes git)",
            floor_ms / git_ms
        );
    }
}

fn run(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("command runs");
    assert!(status.success(), "{cmd:?} failed");
    start.elapsed()
}

fn median(samples: &mut [Duration]) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}

fn make_repo(repo: &Path, files: usize) {
    std::fs::create_dir_all(repo).expect("repo dir");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(repo)
            .env("GIT_AUTHOR_NAME", "b")
            .env("GIT_AUTHOR_EMAIL", "b@example.com")
            .env("GIT_COMMITTER_NAME", "b")
            .env("GIT_COMMITTER_EMAIL", "b@example.com")
            .stdout(Stdio::null())
            .status()
            .expect("git runs")
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    for i in 0..files {
        let dir = repo.join(format!("src/m{}", i % 50));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join(format!("f{i}.py")), format!("x = {i}\n")).expect("file");
    }
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "files"]);
    std::fs::write(repo.join("src/m0/f0.py"), "x = -1\n").expect("change");
    std::fs::write(repo.join("untracked.txt"), "u\n").expect("untracked");
}
