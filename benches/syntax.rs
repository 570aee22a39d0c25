//! Parse speed and false positives of `syntax` on real code: every `.py` and `.rs`
//! file of the real-edit corpus (`scripts/fetch-edit-corpus`, unpacked PyPI and
//! crates.io packages), parsed and checked for errors as review's syntax check does.
//! Reference, in the same run: CPython compiling the same `.py` files in one process
//! (`compile(source, path, "exec")`, what `py_compile` does without writing `.pyc`),
//! timed from outside, interpreter start included, as ours includes reading the files.
//! Both run once, cold (no warm-up run), after one pass that reads every file so that
//! the page cache favours neither.
//!
//! A Python file CPython compiles and the parser rejects is a false positive (review
//! would block a valid commit); so is any rejected `.rs` file, since published crates
//! compile. Both counts should be 0.
//!
//! Run with `cargo bench --bench syntax` (add `--profile dev` for a quick, unoptimised
//! run; the grammars' C is then compiled without optimisation too).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use codey::syntax::{self, Language};

/// CPython's side: compile each path read from stdin; print the paths that fail.
const COMPILE_ALL: &str = r#"
import sys
for path in sys.stdin.read().splitlines():
    with open(path, "rb") as f:
        source = f.read()
    try:
        compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        print(path)
"#;

fn main() {
    let (corpus, files) = common::edit_corpus();
    let python: Vec<&PathBuf> = files.iter().filter(|p| has_extension(p, "py")).collect();
    let rust: Vec<&PathBuf> = files.iter().filter(|p| has_extension(p, "rs")).collect();
    for path in python.iter().chain(&rust) {
        std::fs::read(path).expect("corpus files are readable");
    }

    let ours_python = parse_all(Language::Python, &python);
    let ours_rust = parse_all(Language::Rust, &rust);

    let started = Instant::now();
    let mut child = Command::new("python3")
        .args(["-c", COMPILE_ALL])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let list: String = python
        .iter()
        .map(|p| format!("{}\n", p.display()))
        .collect();
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(list.as_bytes())
        .expect("python3 reads the list");
    let out = child.wait_with_output().expect("python3 finishes");
    let cpython_s = started.elapsed().as_secs_f64();
    assert!(out.status.success(), "python3 failed");
    let cpython_rejects: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();

    let false_positives: Vec<&(String, String)> = ours_python
        .rejected
        .iter()
        .filter(|(path, _)| !cpython_rejects.contains(path))
        .chain(&ours_rust.rejected)
        .collect();
    let agreed = ours_python
        .rejected
        .iter()
        .filter(|(path, _)| cpython_rejects.contains(path))
        .count();

    println!(
        "parse + first error of the real-edit corpus ({}), one cold run each:",
        corpus.display()
    );
    println!(
        "  CPython compile(), {:>4} .py files  {:>8.1} ms  {:>7.0} files/s   (reference; rejects {})",
        python.len(),
        cpython_s * 1000.0,
        python.len() as f64 / cpython_s,
        cpython_rejects.len()
    );
    for (name, run) in [("Python", &ours_python), ("Rust", &ours_rust)] {
        println!(
            "  syntax::parse {name:<6} {:>4} files  {:>8.1} ms  {:>7.0} files/s  {:>5.1} MB/s   rejects {}",
            run.files,
            run.seconds * 1000.0,
            run.files as f64 / run.seconds,
            run.bytes as f64 / run.seconds / 1e6,
            run.rejected.len()
        );
    }
    println!(
        "  Python: ratio {:.2}x CPython's time ({}); both reject {agreed}",
        ours_python.seconds / cpython_s,
        if ours_python.seconds <= cpython_s {
            "faster"
        } else {
            "slower"
        }
    );
    println!(
        "  false positives (valid files rejected): {}",
        false_positives.len()
    );
    for (path, error) in &false_positives {
        println!("    {path}: {error}");
    }
    for (path, error) in ours_python
        .rejected
        .iter()
        .filter(|(path, _)| cpython_rejects.contains(path))
    {
        println!("    (CPython rejects it too) {path}: {error}");
    }
}

struct Run {
    files: usize,
    bytes: usize,
    seconds: f64,
    /// Path and first error of each file that does not parse.
    rejected: Vec<(String, String)>,
}

/// Reads, parses and asks for the first error, as review does for a new file.
fn parse_all(language: Language, paths: &[&PathBuf]) -> Run {
    let mut run = Run {
        files: paths.len(),
        bytes: 0,
        seconds: 0.0,
        rejected: Vec::new(),
    };
    let started = Instant::now();
    for path in paths {
        let bytes = std::fs::read(path).expect("corpus files are readable");
        run.bytes += bytes.len();
        let text = String::from_utf8_lossy(&bytes);
        if let Some(error) = syntax::parse(language, &text).errors(1).first() {
            run.rejected.push((
                path.display().to_string(),
                format!("{}:{} {}", error.line, error.column, error.message),
            ));
        }
    }
    run.seconds = started.elapsed().as_secs_f64();
    run
}

fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension().is_some_and(|e| e == extension)
}
