//! The repository map on a real repository of several thousand files: the real-edit
//! corpus (`scripts/fetch-edit-corpus`, unpacked PyPI and crates.io packages) copied
//! into one git repository until it holds at least 3,000 tracked files. Measured: the
//! first build (no cache), a warm load (nothing changed), a load after one file changed,
//! and a lookup (ranking a request, and an outline for it). Reference, in the same run:
//! `git ls-files` on the same repository, which every load runs once and which no map
//! can be faster than. Each figure is the median of several runs.
//!
//! The copied files are given a modification time an hour back, as a real checkout's
//! files have; files changed in the last two seconds are never trusted from the cache.
//!
//! Run with `cargo bench --bench map` (add `--profile dev` for a quick, unoptimised run).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use codey::map::{self, Map};

const MIN_FILES: usize = 3_000;
const RUNS: usize = 5;

fn main() {
    let (corpus, files) = common::edit_corpus();
    let sources: Vec<PathBuf> = files
        .iter()
        .map(|p| {
            p.strip_prefix(&corpus)
                .expect("under the corpus")
                .to_path_buf()
        })
        .collect();
    assert!(!sources.is_empty(), "the corpus is empty");

    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("repo");
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let copies = MIN_FILES.div_ceil(sources.len());
    for copy in 0..copies {
        for relative in &sources {
            let to = root.join(format!("copy{copy}")).join(relative);
            std::fs::create_dir_all(to.parent().expect("a parent")).expect("mkdir");
            std::fs::copy(corpus.join(relative), &to).expect("copy");
            set_mtime(&to, an_hour_ago);
        }
    }
    let files = copies * sources.len();
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    let git_dir = root.join(".git");
    let cache = git_dir.join("codey/map");

    let ls_files = median(|| {
        let started = Instant::now();
        git(&root, &["ls-files", "-z"]);
        started.elapsed()
    });
    let cold = median(|| {
        let _ = std::fs::remove_file(&cache);
        let started = Instant::now();
        let (_, update) = Map::load(&root, &git_dir).expect("map");
        let took = started.elapsed();
        assert_eq!(update.reused, 0);
        took
    });
    let (built, _) = Map::load(&root, &git_dir).expect("map");
    let parsed = built.files.iter().filter(|f| f.parsed).count();
    let definitions: usize = built.files.iter().map(|f| f.definitions.len()).sum();
    let cache_bytes = std::fs::metadata(&cache).map_or(0, |m| m.len());
    let warm = median(|| {
        let started = Instant::now();
        let (_, update) = Map::load(&root, &git_dir).expect("map");
        let took = started.elapsed();
        assert_eq!(update.parsed, 0);
        took
    });
    let changeable: Vec<&String> = built
        .files
        .iter()
        .filter(|f| f.parsed && f.path.ends_with(".py"))
        .map(|f| &f.path)
        .collect();
    let mut next = 0;
    let one_changed = median(|| {
        let path = root.join(changeable[next % changeable.len()]);
        next += 1;
        let mut text = std::fs::read_to_string(&path).expect("read");
        text.push_str("\n\ndef added_by_the_benchmark():\n    return 1\n");
        std::fs::write(&path, text).expect("write");
        set_mtime(&path, an_hour_ago + Duration::from_secs(next as u64));
        let started = Instant::now();
        let (_, update) = Map::load(&root, &git_dir).expect("map");
        let took = started.elapsed();
        assert_eq!(update.parsed, 1);
        took
    });
    let request = "rename parse_version to parse_release and update its callers";
    let lookup = median(|| {
        let started = Instant::now();
        let ranking = map::rank(&built, request);
        let targets: Vec<String> = ranking.files.iter().map(|c| c.path.clone()).collect();
        let outline = map::outline(&built, &targets, request, 4_000);
        let took = started.elapsed();
        std::hint::black_box((ranking, outline));
        took
    });

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let ratio = |d: Duration| d.as_secs_f64() / ls_files.as_secs_f64();
    println!(
        "repository: {} tracked files ({copies} copies of the corpus, {files} files), {parsed} parsed, {definitions} definitions; cache {:.1} MB",
        built.files.len(),
        cache_bytes as f64 / 1e6
    );
    println!("git ls-files (reference): {:8.1} ms", ms(ls_files));
    for (what, d) in [
        ("cold build", cold),
        ("warm, nothing changed", warm),
        ("one file changed", one_changed),
        ("lookup (rank + outline)", lookup),
    ] {
        println!(
            "{what:<24} {:8.1} ms  = {:6.1} × git ls-files",
            ms(d),
            ratio(d)
        );
    }
}

fn median(mut run: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS).map(|_| run()).collect();
    times.sort();
    times[RUNS / 2]
}

fn set_mtime(path: &Path, time: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(time))
        .expect("set the modification time");
}

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(root)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .args([
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.com",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?} failed");
}
