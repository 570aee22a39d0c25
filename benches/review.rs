//! Static review speed: `git codey review --static-only` on a staged diff of 5,000
//! added lines (new and modified files in several languages, with a few findings),
//! against `git diff --cached` on the same repository, run alternately. Goal: the
//! review's median at most 200 ms.
//!
//! Run with `cargo bench --bench review` (add `--profile dev` for an unoptimised
//! build, which is what a quick local run measures).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 11;
const ADDED_LINES: usize = 5000;

fn main() {
    let bin = env!("CARGO_BIN_EXE_git-codey");
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path().join("home");
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&home).expect("home");
    std::fs::create_dir_all(&repo).expect("repo");
    make_repo(&repo, &home);

    let pinned = |program: &str| {
        let mut c = Command::new(program);
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy().into_owned();
            if key.starts_with("CODEY_") || key.starts_with("GIT_") {
                c.env_remove(&key);
            }
        }
        c.current_dir(&repo)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1");
        c
    };
    let review = || {
        let mut c = pinned(bin);
        c.args(["review", "--static-only"]);
        c
    };
    let diff = || {
        let mut c = pinned("git");
        c.args(["diff", "--cached"]);
        c
    };

    // The change is what it claims to be, and the findings are there.
    let out = pinned(bin)
        .args(["review", "--static-only", "--json"])
        .output()
        .expect("review runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("review JSON");
    let summary = &json["summary"];
    assert_eq!(summary["added_lines"], ADDED_LINES, "{summary}");
    assert_eq!(out.status.code(), Some(1), "a secret is staged: {summary}");

    for _ in 0..3 {
        run(&mut review(), 1);
        run(&mut diff(), 0);
    }
    let (mut ours, mut git) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        ours.push(run(&mut review(), 1));
        git.push(run(&mut diff(), 0));
    }
    let (ours_ms, git_ms) = (median(&mut ours), median(&mut git));
    println!(
        "static review of a staged diff of {ADDED_LINES} added lines in {} files ({} findings), median of {RUNS} alternating runs:",
        summary["files"],
        json["findings"].as_array().map_or(0, Vec::len)
    );
    println!("  git diff --cached                 {git_ms:8.2} ms   (reference)");
    println!(
        "  git codey review --static-only    {ours_ms:8.2} ms   ratio {:.1}x   goal <= 200 ms: {}",
        ours_ms / git_ms,
        if ours_ms <= 200.0 { "met" } else { "missed" }
    );
}

/// A repository with a few committed files, then a staged change adding exactly
/// `ADDED_LINES` lines: new files, and insertions into the committed ones.
fn make_repo(repo: &Path, home: &Path) {
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(args)
            .current_dir(repo)
            .env("HOME", home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Bench")
            .env("GIT_AUTHOR_EMAIL", "bench@example.com")
            .env("GIT_COMMITTER_NAME", "Bench")
            .env("GIT_COMMITTER_EMAIL", "bench@example.com")
            .stdout(Stdio::null())
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    let write = |name: &str, text: &str| {
        let path = repo.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(path, text).expect("write");
    };
    git(&["init", "-q", "-b", "main"]);
    let python = |n: usize, from: usize| -> String {
        (from..from + n)
            .map(|i| format!("def handler_{i}(request):\n    return respond(request, {i})\n\n"))
            .collect()
    };
    // Committed: three modules of 300 lines each.
    for name in ["app/views.py", "app/models.py", "app/forms.py"] {
        write(name, &python(100, 0));
    }
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);

    // Modified: 300 lines inserted in the middle of each committed module.
    let mut added = 0;
    for name in ["app/views.py", "app/models.py", "app/forms.py"] {
        write(
            name,
            &format!("{}{}{}", python(50, 0), python(100, 1000), python(50, 50)),
        );
        added += 300;
    }
    // New files in several languages.
    let js: String = (0..400)
        .map(|i| format!("export function widget{i}(props) {{\n  return render(props, {i});\n}}\n"))
        .collect();
    write("web/widgets.js", &js);
    added += 1200;
    let rust: String = (0..300)
        .map(|i| format!("pub fn step_{i}(x: u64) -> u64 {{\n    x.wrapping_mul({i})\n}}\n\n"))
        .collect();
    write("src/steps.rs", &rust);
    added += 1200;
    let json = format!(
        "[\n{}\n]\n",
        (0..498)
            .map(|i| format!("  {{\"id\": {i}, \"name\": \"item {i}\"}}"))
            .collect::<Vec<_>>()
            .join(",\n")
    );
    write("data/items.json", &json);
    added += 500;
    let toml: String = (0..300)
        .map(|i| format!("[service_{i}]\nport = {}\n\n", 8000 + i))
        .collect();
    write("config/services.toml", &toml);
    added += 900;
    // The findings: a secret, a debugging leftover, trailing whitespace, a TODO, and
    // plain lines up to the total.
    let key = ["AK", "IAQ3EGRTV5XN7ZPM4K"].concat();
    let mut findings =
        format!("AWS_KEY = \"{key}\"\nbreakpoint()\nx = 1   \n# TODO: remove the key\n");
    let rest = ADDED_LINES - added - 4;
    findings.extend((0..rest).map(|i| format!("value_{i} = {i}\n")));
    write("scripts/setup.py", &findings);
    git(&["add", "."]);
}

fn run(cmd: &mut Command, code: i32) -> Duration {
    let start = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("command runs");
    assert_eq!(status.code(), Some(code), "{cmd:?}");
    start.elapsed()
}

fn median(samples: &mut [Duration]) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}
