//! What the benchmarks share. Each bench uses a part of it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A test model from `scripts/fetch-test-models` ($CODEY_TEST_MODELS, else
/// `~/.cache/codey/test-models`); stops the benchmark, saying what to fetch, when it is
/// not there.
pub fn test_model(file: &str, fetch: &str) -> PathBuf {
    let model = std::env::var_os("CODEY_TEST_MODELS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/codey/test-models"))
        })
        .expect("HOME")
        .join(file);
    assert!(model.is_file(), "run scripts/fetch-test-models {fetch}");
    model
}

/// Whether `name` is among the comma-separated names in `var` (everything is, when
/// `var` is unset): how a bench run is narrowed to some tasks, sets or forms.
pub fn selected(var: &str, name: &str) -> bool {
    std::env::var(var).map_or(true, |list| list.split(',').any(|n| n.trim() == name))
}

/// The coder models to run: `CODEY_BENCH_MODELS` (comma-separated paths), else the
/// Qwen2.5-Coder test models that are in the cache.
pub fn coder_models() -> Vec<PathBuf> {
    if let Ok(list) = std::env::var("CODEY_BENCH_MODELS") {
        return list.split(',').map(PathBuf::from).collect();
    }
    let cache =
        PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache/codey/test-models");
    [
        "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    ]
    .iter()
    .map(|f| cache.join(f))
    .filter(|p| p.is_file())
    .collect()
}

/// A model's file name, for a table's heading.
pub fn model_name(model: &Path) -> String {
    model
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The real-edit corpus (`CODEY_EDIT_CORPUS_DIR`, else `~/.cache/codey/edit-corpus`) and
/// every file of its released packages, sorted; stops the benchmark, saying what to
/// fetch, when it is not there.
pub fn edit_corpus() -> (PathBuf, Vec<PathBuf>) {
    let corpus = match std::env::var_os("CODEY_EDIT_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
            .join(".cache/codey/edit-corpus"),
    };
    let mut files = Vec::new();
    for part in ["pypi", "crates"] {
        let dir = corpus.join(part);
        assert!(
            dir.is_dir(),
            "the real-edit corpus is not downloaded ({} is missing): run scripts/fetch-edit-corpus",
            dir.display()
        );
        walk(&dir, &mut files);
    }
    (corpus, files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus directory is readable")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() && path.file_name().is_some_and(|n| n != ".git") {
            walk(&path, out);
        } else if path.is_file() {
            out.push(path);
        }
    }
}

/// A fresh repository in a temp dir holding a copy of `repo`, committed; its root and
/// its files (relative, with `/`), sorted.
pub fn checkout(repo: &Path) -> (tempfile::TempDir, PathBuf, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("temp dir path");
    let mut files = Vec::new();
    copy(repo, &root, "", &mut files);
    files.sort();
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &[
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.com",
            "commit",
            "-q",
            "-m",
            "task",
        ],
    ] {
        let status = Command::new("git")
            .args(args)
            .current_dir(&root)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }
    (dir, root, files)
}

fn copy(from: &Path, to: &Path, prefix: &str, files: &mut Vec<String>) {
    std::fs::create_dir_all(to).expect("dir");
    for entry in std::fs::read_dir(from).expect("readable") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let relative = format!("{prefix}{name}");
        if path.is_dir() {
            copy(&path, &to.join(&name), &format!("{relative}/"), files);
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy");
            files.push(relative);
        }
    }
}

/// The built binary at `root` as a user runs it with `model` as the coder (and the
/// algorithm model): a home of its own (`home`), no resident service, no router model,
/// two threads.
pub fn codey(model: &Path, root: &Path, home: &Path, context: u32) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_git-codey"));
    cmd.current_dir(root)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("CODEY_DAEMON_AUTOSTART", "0")
        .env("CODEY_NO_ROUTER_MODEL", "1")
        .env("CODEY_MODELS_CODER_PATH", model)
        .env("CODEY_MODELS_ALGORITHM_PATH", model)
        .env("CODEY_MODELS_CODER_CONTEXT_SIZE", context.to_string())
        .env("CODEY_MODELS_CODER_THREADS", "2");
    cmd
}

/// The median of some wall times.
pub fn median(walls: &mut [Duration]) -> Duration {
    walls.sort();
    match walls.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => walls[n / 2],
        n => (walls[n / 2 - 1] + walls[n / 2]) / 2,
    }
}
