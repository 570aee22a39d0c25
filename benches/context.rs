//! Does finding the files work as well as naming them? Runs the tasks of
//! `fixtures/context-tasks.jsonl` on the fifteen-module repository of
//! `fixtures/map-repo` with real GGUF coder models, through the built binary as a user
//! runs it: once with the files named (`git codey edit --yes --file … "<request>"`, the
//! reference, measured in the same run) and once as the request alone
//! (`git codey --yes "<request>"`), where the repository map chooses the files. Each
//! task's check runs the edited code (or the test it asked for); every check fails on
//! the untouched repository, which the bench asserts first.
//!
//! Prints per model and task set (`tuned`, the requests the map's ranking was developed
//! on; `held-out`, which it was not; `held-out-2`, written after the first held-out run
//! and before the change it prompted, so that change is measured on tasks it never
//! saw): tasks passed named and unnamed, and the median wall time per task.
//!
//! Run with `cargo bench --bench context`. Models: `$CODEY_BENCH_MODELS` (paths,
//! comma-separated), else the Qwen2.5-Coder 0.5B and 1.5B test models that are present;
//! `$CODEY_BENCH_SETS` narrows it; `$CODEY_BENCH_VERBOSE` prints each task's outcome.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const CONTEXT: u32 = 4096;
const MAX_TOKENS: u32 = 768;

/// What a check may use: `inspect`, and `run_tests(path)`, which runs a test file's
/// `test*` functions and fails when there are none.
const PRELUDE: &str = "import inspect, runpy, sys
sys.path.insert(0, '.')
def run_tests(path):
    found = runpy.run_path(path)
    ran = [f() for n, f in found.items() if n.startswith('test') and callable(f)]
    assert ran, 'no test function in ' + path
";

#[derive(serde::Deserialize)]
struct Task {
    split: String,
    request: String,
    files: Vec<String>,
    check: String,
}

fn main() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let repo = manifest.join("fixtures/map-repo");
    let tasks: Vec<Task> = std::fs::read_to_string(manifest.join("fixtures/context-tasks.jsonl"))
        .expect("the task list")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a task"))
        .collect();
    // A check that passes before the edit measures nothing.
    let (_dir, root, _) = common::checkout(&repo);
    for task in &tasks {
        assert!(!passes(task, &root), "passes unedited: {}", task.request);
    }
    let models = common::coder_models();
    assert!(
        !models.is_empty(),
        "no coder model: run scripts/fetch-test-models qwen-0.5b"
    );
    println!(
        "context: fixtures/context-tasks.jsonl on fixtures/map-repo, through the binary, 2 threads"
    );
    for model in &models {
        println!("\n{}", common::model_name(model));
        println!(
            "{:<9} {:>7} {:>9} {:>15} {:>17}",
            "set", "named", "unnamed", "median s named", "median s unnamed"
        );
        for set in ["tuned", "held-out", "held-out-2"] {
            if !common::selected("CODEY_BENCH_SETS", set) {
                continue;
            }
            let mut passed = [0, 0];
            let mut walls = [Vec::new(), Vec::new()];
            let chosen: Vec<&Task> = tasks.iter().filter(|t| t.split == set).collect();
            for task in &chosen {
                for (k, named) in [true, false].into_iter().enumerate() {
                    let (ok, wall) = run(model, &repo, task, named);
                    passed[k] += usize::from(ok);
                    walls[k].push(wall);
                    if std::env::var_os("CODEY_BENCH_VERBOSE").is_some() {
                        eprintln!(
                            "  {set} {:<8} {} {:.1}s  {}",
                            if named { "named" } else { "unnamed" },
                            if ok { "pass" } else { "FAIL" },
                            wall.as_secs_f64(),
                            task.request
                        );
                    }
                }
            }
            let [named, unnamed] = walls.map(|mut w| common::median(&mut w).as_secs_f64());
            println!(
                "{:<9} {:>4}/{:<2} {:>6}/{:<2} {:>15.1} {:>17.1}",
                set,
                passed[0],
                chosen.len(),
                passed[1],
                chosen.len(),
                named,
                unnamed
            );
        }
    }
}

/// One task in a fresh copy of the repository: whether its check passes afterwards,
/// and the wall time of the request.
fn run(model: &Path, repo: &Path, task: &Task, named: bool) -> (bool, Duration) {
    let (_dir, root, _) = common::checkout(repo);
    let home = tempfile::tempdir().expect("home");
    let mut cmd = common::codey(model, &root, home.path(), CONTEXT);
    // A reply that runs on is cut where a task's answer has long ended.
    cmd.env("CODEY_MODELS_CODER_MAX_TOKENS", MAX_TOKENS.to_string());
    if named {
        cmd.args(["edit", "--yes"]);
        for file in &task.files {
            cmd.args(["--file", file]);
        }
    } else {
        cmd.arg("--yes");
    }
    let started = Instant::now();
    let out = cmd.arg(&task.request).output().expect("git-codey runs");
    let wall = started.elapsed();
    (out.status.success() && passes(task, &root), wall)
}

/// The task's check, run on the repository at `root`.
fn passes(task: &Task, root: &Path) -> bool {
    Command::new("python3")
        .args(["-c", &format!("{PRELUDE}{}", task.check)])
        .current_dir(root)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .is_ok_and(|o| o.status.success())
}
