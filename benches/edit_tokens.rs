//! Output tokens of an edit: SEARCH/REPLACE blocks against rewriting the whole file.
//!
//! Takes the modified text files of the last 300 non-merge commits of a real git history,
//! writes the reply a model would give for each in both formats, and counts the tokens of
//! both with the coder model's own tokenizer. The claim measured: SEARCH/REPLACE costs about
//! 1/5 or fewer of the whole-file tokens (goal: ratio ≤ 0.20).
//!
//! The SEARCH/REPLACE reply names the path once, then has one fenced block per hunk, with 2
//! lines of context so that each SEARCH is likely unique in the file:
//!
//! ````text
//! src/lib.rs
//! ```
//! <<<<<<< SEARCH
//! old lines
//! =======
//! new lines
//! >>>>>>> REPLACE
//! ```
//! ````
//!
//! The whole-file reply is the path, then the new content in one fence.
//!
//! Run with `cargo bench --bench edit_tokens`. Environment:
//! - `CODEY_BENCH_REPO`: the git repository whose history is measured (default: this one).
//! - `CODEY_BENCH_MODEL`: the GGUF whose vocabulary counts tokens (default: the
//!   Qwen2.5-Coder 0.5B test model, fetched by `scripts/fetch-test-models qwen-0.5b`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use llama_cpp_2::LogOptions;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::model::params::LlamaModelParams;
use similar::TextDiff;

const COMMITS: usize = 300;
/// Unchanged lines around each hunk, so a SEARCH is likely to match one place only.
const CONTEXT_LINES: usize = 2;
/// The files a commit changed, NUL-separated: a status, then one path or (renames) two.
const DIFF_TREE: [&str; 6] = [
    "diff-tree",
    "-z",
    "--no-commit-id",
    "-r",
    "--name-status",
    "-M",
];
/// Files larger than this on either side are skipped: nobody rewrites them whole.
const MAX_FILE_BYTES: usize = 100 * 1024;

/// One modified file of one commit.
struct Edit {
    path: String,
    before: String,
    after: String,
}

fn main() -> ExitCode {
    let repo = std::env::var_os("CODEY_BENCH_REPO")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let model_path = std::env::var_os("CODEY_BENCH_MODEL").map_or_else(
        || {
            let home = PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
            home.join(".cache/codey/test-models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
        },
        PathBuf::from,
    );
    if !model_path.is_file() {
        eprintln!(
            "edit_tokens: model {} is missing: run scripts/fetch-test-models qwen-0.5b \
             (or set CODEY_BENCH_MODEL)",
            model_path.display()
        );
        return ExitCode::FAILURE;
    }

    let (commits, edits) = match collect_edits(&repo) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("edit_tokens: {message}");
            return ExitCode::FAILURE;
        }
    };
    if edits.is_empty() {
        eprintln!(
            "edit_tokens: no modified text files in the last {COMMITS} commits of {} \
             (set CODEY_BENCH_REPO to a repository with some history)",
            repo.display()
        );
        return ExitCode::FAILURE;
    }

    llama_cpp_2::send_logs_to_tracing(LogOptions::default().with_logs_enabled(false));
    let backend = LlamaBackend::init().expect("llama.cpp backend initialises once");
    let params = LlamaModelParams::default().with_vocab_only(true);
    let model = match LlamaModel::load_from_file(&backend, &model_path, &params) {
        Ok(model) => model,
        Err(error) => {
            eprintln!("edit_tokens: cannot load {}: {error}", model_path.display());
            return ExitCode::FAILURE;
        }
    };
    let vocab = model.vocab();
    // What the model generates is plain text: special tokens are not parsed.
    let tokens = |text: &str| vocab.tokenize(text.as_bytes(), false, false).len();

    let (mut blocks_total, mut whole_total) = (0, 0);
    let mut ratios = Vec::with_capacity(edits.len());
    for edit in &edits {
        let blocks = tokens(&search_replace_reply(edit));
        let whole = tokens(&whole_file_reply(edit));
        blocks_total += blocks;
        whole_total += whole;
        ratios.push(blocks as f64 / whole as f64);
    }
    ratios.sort_by(f64::total_cmp);

    println!("repository: {}", repo.display());
    println!("commits: {commits} with edits measured (of the last {COMMITS} non-merge)");
    println!("edits (modified text files): {}", edits.len());
    println!("tokens, SEARCH/REPLACE: {blocks_total}");
    println!("tokens, whole file:     {whole_total}");
    println!(
        "per-edit ratio: median {:.2}, p90 {:.2}",
        percentile(&ratios, 0.5),
        percentile(&ratios, 0.9)
    );
    println!(
        "ratio: {:.2} (goal <= 0.20)",
        blocks_total as f64 / whole_total as f64
    );
    ExitCode::SUCCESS
}

/// The (before, after) contents of every modified text file in the recent history, and
/// the number of commits they came from.
fn collect_edits(repo: &Path) -> Result<(usize, Vec<Edit>), String> {
    let limit = COMMITS.to_string();
    let log = git(repo, &["log", "--no-merges", "--format=%H", "-n", &limit])
        .map_err(|error| format!("cannot read the history of {}: {error}", repo.display()))?;
    let log = String::from_utf8(log).map_err(|_| "git log printed non-UTF-8 ids".to_owned())?;
    let mut commits = 0;
    let mut edits = Vec::new();
    for sha in log.lines() {
        let changes = git(repo, &[&DIFF_TREE[..], &[sha]].concat())?;
        let found = edits.len();
        let mut fields = changes.split(|&byte| byte == 0).filter(|f| !f.is_empty());
        while let Some(status) = fields.next() {
            // Renames and copies name two paths; only in-place modifications are edits.
            let paths = 1 + usize::from(matches!(status.first(), Some(b'R' | b'C')));
            let path = fields.by_ref().take(paths).last();
            if status != b"M" {
                continue;
            }
            let Some(Ok(path)) = path.map(std::str::from_utf8) else {
                continue;
            };
            let (Some(before), Some(after)) = (
                text_at(repo, &format!("{sha}^:{path}")),
                text_at(repo, &format!("{sha}:{path}")),
            ) else {
                continue;
            };
            if before != after {
                edits.push(Edit {
                    path: path.to_owned(),
                    before,
                    after,
                });
            }
        }
        commits += usize::from(edits.len() > found);
    }
    Ok((commits, edits))
}

/// A blob's content if it is text of a size a model would rewrite whole.
fn text_at(repo: &Path, object: &str) -> Option<String> {
    let bytes = git(repo, &["cat-file", "blob", object]).ok()?;
    if bytes.len() > MAX_FILE_BYTES || bytes.contains(&0) {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// Runs `git` in `repo` with a pinned environment and returns its standard output.
fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .env("LC_ALL", "C")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git {} failed: {}", args.join(" "), stderr.trim()));
    }
    Ok(output.stdout)
}

/// The reply with one SEARCH/REPLACE block per hunk of the line diff.
fn search_replace_reply(edit: &Edit) -> String {
    let diff = TextDiff::from_lines(edit.before.as_str(), edit.after.as_str());
    let old: Vec<&str> = diff.iter_old_slices().collect();
    let new: Vec<&str> = diff.iter_new_slices().collect();
    let mut reply = format!("{}\n", edit.path);
    for hunk in diff.grouped_ops(CONTEXT_LINES) {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        reply.push_str("```\n<<<<<<< SEARCH\n");
        push_lines(
            &mut reply,
            &old[first.old_range().start..last.old_range().end],
        );
        reply.push_str("=======\n");
        push_lines(
            &mut reply,
            &new[first.new_range().start..last.new_range().end],
        );
        reply.push_str(">>>>>>> REPLACE\n```\n");
    }
    reply
}

/// The reply that rewrites the file: its path, then the new content in one fence.
fn whole_file_reply(edit: &Edit) -> String {
    let mut reply = format!("{}\n```\n", edit.path);
    push_lines(&mut reply, &[edit.after.as_str()]);
    reply.push_str("```\n");
    reply
}

/// Appends lines (each keeping its own newline), ending them with one if the last has none.
fn push_lines(out: &mut String, lines: &[&str]) {
    out.extend(lines.iter().copied());
    if !out.ends_with('\n') {
        out.push('\n');
    }
}

/// The nearest-rank percentile `p` (0..=1) of sorted, non-empty values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
