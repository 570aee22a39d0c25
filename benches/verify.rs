//! Does checking each edit before it is shown pay for itself? Runs the small real coding
//! tasks of `fixtures/verify-tasks/` (a tiny Python repository per task, a request, and
//! a `check.py` that exits 0 when the task is done) with real GGUF coder models, once
//! without the verify step (the reference, measured in the same run) and once with it:
//! parse, compile, names and imports, then with consent (given here, as a user's own
//! setting would) importing the edited modules and running the repository's unittest
//! tests in a scratch copy, with up to two feedback rounds. Every patch is applied, as
//! `--yes` would, failing or not, and judged by the task's check.
//!
//! A request that only renames is done on the syntax tree without the model, as the
//! product does (`edit::rename`).
//!
//! Prints per model and task set (`tuned`, which the loop was developed on, and
//! `held-out`, which it was not): tasks passed, median wall time per task, and the verify
//! step's time as a share of the wall time.
//!
//! By default it runs the session in-process, as `benches/edit_formats.rs` does.
//! `CODEY_BENCH_VIA=binary` runs `git codey --yes "<request>"` in a temp copy instead,
//! with `CODEY_VERIFY_ENABLED=0` for the reference (then the verify share is not known
//! and not printed); it measures the real pipeline once it calls the verify step.
//!
//! Run with `cargo bench --bench verify`. Models: `$CODEY_BENCH_MODELS` (paths,
//! comma-separated), else the Qwen2.5-Coder 0.5B and 1.5B test models that are present.
//! `$CODEY_BENCH_SETS` (tuned, held-out), `$CODEY_BENCH_TASKS` (names) and
//! `$CODEY_BENCH_VERIFY` (off, on) narrow it. The examples check (`verify.examples`,
//! off by default) is added by `CODEY_BENCH_EXAMPLES=1` (or `on`), and by `=auto` for
//! the models `auto` gives it to;
//! `CODEY_BENCH_TRANSCRIPT=1` prints what the model was asked and answered.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use codey::edit::session::{self, Task, Verifier};
use codey::edit::{Form, Workset, apply};
use codey::llm::Source;
use codey::llm::llama::{LlamaEngine, Settings};
use codey::verify::{self, RunCode};
use codey::workspace::Workspace;

const CONTEXT: u32 = 4096;
const MAX_TOKENS: u32 = 768;
const RETRIES: u32 = 2;
const ATTEMPTS: u32 = 2;
/// What the product gives the outline of the repository (`edit::pipeline`).
const OUTLINE_CHARS: usize = 6_000;

struct Fixture {
    name: String,
    dir: PathBuf,
    request: String,
}

#[derive(Default)]
struct Tally {
    passed: usize,
    tasks: usize,
    walls: Vec<Duration>,
    verify: Duration,
    failing_marked: usize,
}

fn main() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let models = common::coder_models();
    assert!(
        !models.is_empty(),
        "no coder model: run scripts/fetch-test-models qwen-0.5b"
    );
    let via_binary = std::env::var("CODEY_BENCH_VIA").is_ok_and(|v| v == "binary");
    println!(
        "verify: tasks of fixtures/verify-tasks, greedy, {RETRIES} retries, {ATTEMPTS} check attempts, 2 threads, {}",
        if via_binary {
            "through the binary"
        } else {
            "in-process"
        }
    );
    for model in &models {
        println!("\n{}", common::model_name(model));
        println!(
            "{:<9} {:<9} {:>7} {:>13} {:>13} {:>8}",
            "set", "verify", "passed", "median s/task", "verify share", "marked"
        );
        let mut engine = (!via_binary).then(|| {
            LlamaEngine::load(
                model,
                Settings {
                    context_size: CONTEXT,
                    threads: 2,
                    n_gpu_layers: 0,
                },
            )
            .expect("the model loads")
        });
        for set in ["tuned", "held-out"] {
            if !common::selected("CODEY_BENCH_SETS", set) {
                continue;
            }
            let fixtures = fixtures(&manifest.join("fixtures/verify-tasks").join(set));
            let mut reference = None;
            for on in [false, true] {
                if !common::selected("CODEY_BENCH_VERIFY", if on { "on" } else { "off" }) {
                    continue;
                }
                let mut tally = Tally::default();
                for fixture in &fixtures {
                    match engine.as_mut() {
                        Some(engine) => run_in_process(engine, model, fixture, on, &mut tally),
                        None => run_binary(model, fixture, on, &mut tally),
                    }
                    if std::env::var_os("CODEY_BENCH_VERBOSE").is_some() {
                        eprintln!(
                            "  {set} {} verify={on} passed so far {}/{}",
                            fixture.name, tally.passed, tally.tasks
                        );
                    }
                }
                let median = common::median(&mut tally.walls);
                let wall: Duration = tally.walls.iter().sum();
                let share = if via_binary || !on {
                    "-".to_string()
                } else {
                    format!(
                        "{:.1}%",
                        100.0 * tally.verify.as_secs_f64() / wall.as_secs_f64().max(1e-9)
                    )
                };
                println!(
                    "{:<9} {:<9} {:>4}/{:<2} {:>13.1} {:>13} {:>8}",
                    set,
                    if on { "on" } else { "off" },
                    tally.passed,
                    tally.tasks,
                    median.as_secs_f64(),
                    share,
                    tally.failing_marked
                );
                match reference {
                    None => reference = Some((tally.passed, median)),
                    Some((passed, off_median)) => println!(
                        "{set}: passed with verify vs without: {} vs {passed}; median time ratio {:.2}",
                        tally.passed,
                        median.as_secs_f64() / off_median.as_secs_f64().max(1e-9)
                    ),
                }
            }
        }
    }
}

fn fixtures(dir: &Path) -> Vec<Fixture> {
    let mut out: Vec<Fixture> = std::fs::read_dir(dir)
        .expect("the task set exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("task.toml").is_file())
        .map(|dir| {
            let text = std::fs::read_to_string(dir.join("task.toml")).expect("task.toml");
            let table: toml::Table = text.parse().expect("task.toml is TOML");
            Fixture {
                name: dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                request: table["request"].as_str().expect("request").to_string(),
                dir,
            }
        })
        .filter(|f| common::selected("CODEY_BENCH_TASKS", &f.name))
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The files the request names, as `git codey` picks them (a new file named by the
/// request is a target too).
fn targets(request: &str, files: &[String]) -> Vec<String> {
    let mut out: Vec<String> = request
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '/' && c != '_' && c != '.'))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| w.ends_with(".py"))
        .map(str::to_string)
        .collect();
    out.dedup();
    if out.is_empty() {
        out = files
            .iter()
            .filter(|f| f.ends_with(".py"))
            .cloned()
            .collect();
    }
    out
}

fn settings(files: &[String]) -> verify::Settings {
    use codey::config::Examples;
    let tests = files
        .iter()
        .any(|f| f.rsplit('/').next().is_some_and(|n| n.starts_with("test_")));
    verify::Settings {
        enabled: true,
        attempts: ATTEMPTS,
        test: if tests {
            "python3 -m unittest -q".to_string()
        } else {
            String::new()
        },
        test_timeout_s: 30,
        run_code: true,
        cargo_check: false,
        // As the product's default (off) unless asked for.
        examples: match std::env::var("CODEY_BENCH_EXAMPLES").as_deref() {
            Ok("1" | "on") => Examples::On,
            Ok("auto") => Examples::Auto,
            _ => Examples::Off,
        },
    }
}

fn run_in_process(
    engine: &mut LlamaEngine,
    model: &Path,
    fixture: &Fixture,
    on: bool,
    tally: &mut Tally,
) {
    let (_dir, root, files) = common::checkout(&fixture.dir.join("repo"));
    let workspace = Workspace::discover(&root).expect("a repository");
    let targets = targets(&fixture.request, &files);
    // The imports a patch lacks are added from the map, and the model is shown the
    // map's outline of the repository, as the product does.
    let tracked: Vec<String> = files.clone();
    let (symbols, _) = codey::map::Map::update(&workspace.root, &workspace.git_dir, &tracked);
    let map = codey::map::outline(&symbols, &targets, &fixture.request, OUTLINE_CHARS);
    let mut workset = Workset::new(&workspace, targets, &fixture.request);
    let task = Task {
        instruction: &fixture.request,
        map: &map,
        form: Form::Definitions,
        algorithm: false,
        retries: RETRIES,
        max_tokens: MAX_TOKENS,
        timeout: Duration::from_secs(300),
    };
    let settings = settings(&files);
    let verify_time = std::cell::Cell::new(Duration::ZERO);
    let mut check = |patch: &codey::edit::Patch| {
        let report = verify::check(
            &workspace,
            &session::changes(patch),
            &settings,
            &RunCode::Allowed,
            &|| false,
        );
        verify_time.set(verify_time.get() + report.duration);
        report
    };
    let started = Instant::now();
    let mut mend = |patch: &codey::edit::Patch, report: &verify::Report| {
        codey::edit::imports::missing(&symbols, patch, &report.undefined_names())
    };
    let mut examples = |patch: &codey::edit::Patch, examples: &[verify::examples::Example]| {
        let check = verify::examples::run(
            &workspace,
            &session::changes(patch),
            examples,
            Duration::from_secs(settings.test_timeout_s),
        );
        verify_time.set(verify_time.get() + check.duration);
        check
    };
    let verifier = on.then_some(Verifier {
        attempts: ATTEMPTS,
        check: &mut check,
        mend: &mut mend,
        examples: verify::examples::suit(
            settings.examples,
            &Source::Local {
                path: model.to_path_buf(),
            },
        )
        .then_some(&mut examples),
    });
    // A request that only renames is done on the syntax tree, as the product does.
    let renamed = codey::edit::rename::only(&fixture.request)
        .filter(|renames| codey::edit::rename::apply(&mut workset, &symbols, renames).is_ok());
    let result = match renamed {
        Some(_) => session::made_by_tool(&mut workset, String::new(), verifier, &mut |_| {}),
        None => session::propose_checked(
            &mut Transcript(engine),
            &mut workset,
            &task,
            &mut |_| {},
            verifier,
        ),
    };
    let applied = match &result {
        Ok(proposal) => {
            if proposal.verdict == session::Verdict::Failing {
                tally.failing_marked += 1;
            }
            apply::apply(&proposal.patch, &workspace.git_dir.join("codey/tmp")).is_ok()
        }
        Err(_) => false,
    };
    tally.walls.push(started.elapsed());
    tally.verify += verify_time.get();
    tally.tasks += 1;
    let verdict = passes(fixture, &root);
    if applied && verdict.is_ok() {
        tally.passed += 1;
    }
    if std::env::var_os("CODEY_BENCH_VERBOSE").is_some() {
        let why = match (&result, &verdict) {
            (Err(e), _) => format!("no patch: {e}"),
            (Ok(p), Err(check)) => format!(
                "{:?} after {} attempt(s); check: {check}",
                p.verdict, p.attempts
            ),
            (Ok(p), Ok(())) => format!(
                "passed after {} attempt(s), {} tokens written",
                p.attempts, p.completion_tokens
            ),
        };
        let wall = tally.walls.last().map_or(0.0, Duration::as_secs_f64);
        eprintln!("  {} verify={on}: {why} ({wall:.1} s)", fixture.name);
    }
}

fn run_binary(model: &Path, fixture: &Fixture, on: bool, tally: &mut Tally) {
    let (_dir, root, files) = common::checkout(&fixture.dir.join("repo"));
    let home = tempfile::tempdir().expect("home");
    let settings = settings(&files);
    let started = Instant::now();
    let status = common::codey(model, &root, home.path(), CONTEXT)
        .args(["--yes", &fixture.request])
        .env("CODEY_VERIFY_ENABLED", if on { "1" } else { "0" })
        .env("CODEY_VERIFY_TEST", &settings.test)
        .env("CODEY_VERIFY_RUN_CODE", "1")
        .env("CODEY_VERIFY_EXAMPLES", settings.examples.as_str())
        .output()
        .expect("git-codey runs");
    tally.walls.push(started.elapsed());
    tally.tasks += 1;
    if status.status.success() && passes(fixture, &root).is_ok() {
        tally.passed += 1;
    }
}

/// The task's own check, run on the edited repository: `Err` holds the last line it
/// printed when it fails.
fn passes(fixture: &Fixture, root: &Path) -> Result<(), String> {
    let out = Command::new("python3")
        .arg(fixture.dir.join("check.py"))
        .current_dir(root)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        return Ok(());
    }
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    Err(text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string())
}

/// The engine, with each request's last message and the reply printed under
/// `CODEY_BENCH_TRANSCRIPT`, to see what the model was told and what it answered.
struct Transcript<'e>(&'e mut LlamaEngine);

impl codey::llm::Backend for Transcript<'_> {
    fn describe(&self) -> String {
        self.0.describe()
    }

    fn complete(
        &mut self,
        request: &codey::llm::Request,
        sink: &mut dyn FnMut(&str),
    ) -> Result<codey::llm::Completion, codey::llm::LlmError> {
        let completion = self.0.complete(request, sink)?;
        if std::env::var_os("CODEY_BENCH_TRANSCRIPT").is_some() {
            let asked = request.messages.last().map_or("", |m| m.content.as_str());
            eprintln!(
                "---- asked:\n{asked}\n---- replied ({} prompt tokens, {} cached, in {:.1} s; {} written in {:.1} s):\n{}\n----",
                completion.prompt_tokens,
                completion.cached_tokens,
                completion.prompt_time.as_secs_f64(),
                completion.completion_tokens,
                completion.generation_time.as_secs_f64(),
                completion.text
            );
        }
        Ok(completion)
    }
}
