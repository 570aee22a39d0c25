//! Which reply form should a model write edits in? Runs every task of
//! `fixtures/edit-tasks.jsonl` (small real Python edits, each with a check script) with
//! real GGUF coder models through the same session code the tool uses, once per form:
//! SEARCH/REPLACE, SEARCH/REPLACE held by a grammar to the file's lines, whole
//! definitions spliced by name, and whole files. Prints, per model and form, how many
//! first replies were well-formed, how many edits applied (within the retries), how many
//! passed their task's check, the tokens generated over all attempts, and those tokens
//! against the whole-file form's.
//!
//! Run with `cargo bench --bench edit_formats`. Models: `$CODEY_BENCH_MODELS` (paths,
//! comma-separated), else the Qwen2.5-Coder 0.5B and 1.5B test models that are present.
//! `$CODEY_BENCH_FORMS` and `$CODEY_BENCH_TASKS` (comma-separated names / ids) narrow it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use codey::edit::session::{self, Progress, Task};
use codey::edit::{Form, Workset, apply, format};
use codey::llm::llama::{LlamaEngine, Settings};
use codey::workspace::Workspace;
use serde_json::Value;

const CONTEXT: u32 = 4096;
const MAX_TOKENS: u32 = 768;
const RETRIES: u32 = 2;

#[derive(Default, Clone)]
struct Tally {
    tasks: usize,
    well_formed: usize,
    applied: usize,
    passed: usize,
    tokens: usize,
    wall: Duration,
}

fn main() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tasks: Vec<Value> = std::fs::read_to_string(manifest.join("fixtures/edit-tasks.jsonl"))
        .expect("fixtures/edit-tasks.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a task per line"))
        .filter(|t: &Value| common::selected("CODEY_BENCH_TASKS", t["id"].as_str().unwrap_or("")))
        .collect();
    let forms: Vec<Form> = [
        Form::SearchReplace,
        Form::Grammar,
        Form::Definitions,
        Form::WholeFile,
    ]
    .into_iter()
    .filter(|f| common::selected("CODEY_BENCH_FORMS", f.as_str()))
    .collect();
    let models = common::coder_models();
    assert!(
        !models.is_empty(),
        "no coder model: run scripts/fetch-test-models qwen-0.5b"
    );

    println!(
        "edit formats: {} tasks, greedy, {RETRIES} retries, 2 threads",
        tasks.len()
    );
    for model in &models {
        let mut engine = LlamaEngine::load(
            model,
            Settings {
                context_size: CONTEXT,
                threads: 2,
                n_gpu_layers: 0,
            },
        )
        .expect("the model loads");
        println!("\n{}", common::model_name(model));
        println!(
            "{:<16} {:>11} {:>9} {:>8} {:>11} {:>9}",
            "form", "well-formed", "applied", "passed", "tokens/task", "s/task"
        );
        let mut whole_file_tokens = None;
        let mut rows = Vec::new();
        for form in &forms {
            let mut tally = Tally::default();
            for task in &tasks {
                run_task(&mut engine, task, *form, &mut tally);
                if std::env::var_os("CODEY_BENCH_VERBOSE").is_some() {
                    eprintln!(
                        "  {} {} passed so far: {}",
                        form.as_str(),
                        task["id"],
                        tally.passed
                    );
                }
            }
            if *form == Form::WholeFile {
                whole_file_tokens = Some(tally.tokens);
            }
            let n = tally.tasks.max(1);
            println!(
                "{:<16} {:>8}/{:<2} {:>6}/{:<2} {:>5}/{:<2} {:>11.0} {:>9.1}",
                form.as_str(),
                tally.well_formed,
                tally.tasks,
                tally.applied,
                tally.tasks,
                tally.passed,
                tally.tasks,
                tally.tokens as f64 / n as f64,
                tally.wall.as_secs_f64() / n as f64
            );
            rows.push((*form, tally));
        }
        if let Some(whole) = whole_file_tokens.filter(|w| *w > 0) {
            for (form, tally) in &rows {
                println!(
                    "tokens vs whole file, {}: {:.2}",
                    form.as_str(),
                    tally.tokens as f64 / whole as f64
                );
            }
        }
    }
}

/// Runs one task in a fresh directory and adds its outcome to `tally`.
fn run_task(engine: &mut LlamaEngine, task: &Value, form: Form, tally: &mut Tally) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("temp dir path");
    std::fs::create_dir_all(root.join(".git")).expect(".git");
    let files = task["files"].as_object().expect("files");
    for (path, content) in files {
        write(&root, path, content.as_str().expect("text"));
    }
    let instruction = task["instruction"].as_str().expect("instruction");
    let mut targets: Vec<String> = files
        .keys()
        .chain(task["solution"].as_object().expect("solution").keys())
        .filter(|p| instruction.contains(p.as_str()))
        .cloned()
        .collect();
    targets.dedup();
    if targets.is_empty() {
        targets = files.keys().cloned().collect();
    }
    let map: String = files.keys().map(|p| format!("{p}\n")).collect();
    let workspace = Workspace {
        root: root.clone(),
        git_dir: root.join(".git"),
    };
    let mut workset = Workset::new(&workspace, targets.clone(), instruction);
    let session_task = Task {
        instruction,
        map: &map,
        form,
        algorithm: false,
        retries: RETRIES,
        max_tokens: MAX_TOKENS,
        timeout: Duration::from_secs(300),
    };
    let default_path = (targets.len() == 1).then(|| targets[0].clone());
    let mut first_reply = String::new();
    let mut first_done = false;
    // Each streamed piece is one generated token with the llama backend: counted over
    // every attempt, so failed replies cost what they cost.
    let mut generated = 0;
    let started = Instant::now();
    let result = session::propose(engine, &mut workset, &session_task, &mut |p| match p {
        Progress::Text(t) => {
            generated += 1;
            if !first_done {
                first_reply.push_str(t);
            }
        }
        Progress::Retry { .. } => first_done = true,
        Progress::Checked { .. } | Progress::Mended { .. } | Progress::WritingExamples { .. } => {}
    });
    tally.wall += started.elapsed();
    tally.tasks += 1;
    tally.tokens += generated;
    if format::parse(&first_reply, default_path.as_deref()).is_ok() {
        tally.well_formed += 1;
    }
    let Ok(proposal) = result else {
        return;
    };
    tally.applied += 1;
    if apply::apply(&proposal.patch, &workspace.git_dir.join("codey/tmp")).is_err() {
        return;
    }
    let check = Command::new("python3")
        .arg("-c")
        .arg(task["check"].as_str().expect("check"))
        .current_dir(&root)
        .output()
        .expect("python3 runs");
    if check.status.success() {
        tally.passed += 1;
    }
}

fn write(root: &Path, path: &str, content: &str) {
    let full = root.join(path);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).expect("parent dir");
    }
    std::fs::write(full, content).expect("write");
}
