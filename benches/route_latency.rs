//! Routing latency and accuracy with the router model (Gemma 3 270M test model).
//!
//! Latency per request as a user sees it — a new `git-codey route` process each time —
//! for requests the rules leave to the model: with the resident service running, and
//! without it (the model loaded in-process, its prompt state restored from the cache);
//! then warm, in one `route --json -` batch. Rules-only routing and plain `git status`
//! are measured in the same run as references. Goals: p95 ≤ 100 ms per new process
//! with the service, warm p95 ≤ 80 ms. The first load with nothing cached (the
//! prompt evaluated, the nearest-neighbour bank read, as `models pull router` does)
//! is timed once.
//!
//! Accuracy: every labelled corpus routed by the rules alone and by rules + model.
//!
//! Then the coder model's second opinion (Qwen2.5-Coder 0.5B test model) about what
//! the router model leaves unplaced: how many it places, its first load, a new process
//! loading both models, and warm.
//!
//! Run with `cargo bench --bench route_latency` (needs
//! `scripts/fetch-test-models gemma3-270m`).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

/// Tuning corpora (their requests are the nearest-neighbour bank) and held-out ones.
const CORPORA: [&str; 30] = [
    "routes.jsonl",
    "routes-natural.jsonl",
    "routes-natural-2.jsonl",
    "routes-natural-3.jsonl",
    "routes-es.jsonl",
    "routes-de.jsonl",
    "routes-fr.jsonl",
    "routes-forms.jsonl",
    "routes-natural-4.jsonl",
    "routes-natural-6.jsonl",
    "routes-natural-7.jsonl",
    "routes-natural-14.jsonl",
    "routes-natural-16.jsonl",
    "routes-holdout.jsonl",
    "routes-natural-holdout.jsonl",
    "routes-natural-holdout-2.jsonl",
    "routes-natural-holdout-3.jsonl",
    "routes-natural-holdout-4.jsonl",
    "routes-natural-holdout-5.jsonl",
    "routes-natural-holdout-6.jsonl",
    "routes-natural-holdout-7.jsonl",
    "routes-natural-holdout-10.jsonl",
    "routes-natural-holdout-12.jsonl",
    "routes-typos-holdout-2.jsonl",
    "routes-es-holdout.jsonl",
    "routes-de-holdout.jsonl",
    "routes-fr-holdout.jsonl",
    "routes-forms-holdout.jsonl",
    "routes-pt-it.jsonl",
    "routes-pt-it-holdout.jsonl",
];

struct Bench {
    bin: PathBuf,
    model: PathBuf,
    /// The coder model, asked for a second opinion about what the router leaves
    /// unplaced; `None` leaves it out (the coder's default file is not there).
    coder: Option<PathBuf>,
    dir: tempfile::TempDir,
}

impl Bench {
    fn command(&self, model: bool, autostart: bool) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.current_dir(self.dir.path())
            .env("XDG_RUNTIME_DIR", self.dir.path().join("run"))
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .env("CODEY_MODELS_ROUTER_PATH", &self.model)
            .env("CODEY_DAEMON_AUTOSTART", if autostart { "1" } else { "0" })
            .stderr(Stdio::null());
        if !model {
            cmd.env("CODEY_NO_ROUTER_MODEL", "1");
        }
        if let Some(coder) = &self.coder {
            cmd.env("CODEY_MODELS_CODER_PATH", coder);
        }
        cmd
    }

    /// The same bench with the coder model's second opinion.
    fn with_coder(&self, coder: PathBuf) -> Bench {
        Bench {
            bin: self.bin.clone(),
            model: self.model.clone(),
            coder: Some(coder),
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Wall time of one `route --json REQUEST` process, in ms.
    fn one(&self, request: &str, model: bool, autostart: bool) -> f64 {
        let start = Instant::now();
        let out = self
            .command(model, autostart)
            .args(["route", "--json", request])
            .output()
            .expect("route runs");
        assert!(out.status.success());
        start.elapsed().as_secs_f64() * 1000.0
    }

    /// p50 and p95 of the first ten requests, each a new process loading the model.
    fn new_processes(&self, requests: &[String]) -> (f64, f64) {
        let mut times: Vec<f64> = requests
            .iter()
            .take(10)
            .map(|r| self.one(r, true, false))
            .collect();
        percentiles(&mut times)
    }

    /// Routes requests in one process; the routes.
    fn batch(&self, requests: &[String], model: bool) -> Vec<Value> {
        let mut child = self
            .command(model, false)
            .args(["route", "--json", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("route runs");
        let input = requests.join("\n") + "\n";
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), input.as_bytes())
            .expect("write requests");
        let out = child.wait_with_output().expect("route exits");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect()
    }

    fn daemon(&self, verb: &str) {
        let _ = self.command(true, false).args(["daemon", verb]).output();
    }
}

fn cases(file: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(file),
    )
    .expect("corpus");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("corpus line"))
        .collect()
}

fn correct(case: &Value, route: &Value) -> bool {
    if case["refused"] == true {
        return route.get("refused").is_some();
    }
    if route.get("refused").is_some() {
        return false;
    }
    if case["source"] == "fallback" {
        return route["source"] == "fallback" || route["confidence"].as_f64() < Some(0.5);
    }
    ["intent", "tool", "action"]
        .iter()
        .all(|k| case[*k] == route[*k])
        && case["params"]
            .as_object()
            .is_none_or(|p| p.iter().all(|(k, v)| route["params"][k] == *v))
}

/// p50 and p95 of the routing time of a batch's routes, after the first (which pays
/// the load).
fn warm(routes: &[Value]) -> (f64, f64) {
    let mut times: Vec<f64> = routes
        .iter()
        .skip(1)
        .filter_map(|r| r["ms"].as_f64())
        .collect();
    percentiles(&mut times)
}

fn percentiles(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.95))
}

fn main() {
    let model = common::test_model("gemma-3-270m-q4_k_m.gguf", "gemma3-270m");
    let bench = Bench {
        bin: PathBuf::from(env!("CARGO_BIN_EXE_git-codey")),
        model,
        coder: None,
        dir: tempfile::tempdir().expect("temp dir"),
    };
    let git = Command::new("git")
        .args(["init", "-q"])
        .current_dir(bench.dir.path())
        .status()
        .expect("git");
    assert!(git.success());

    // The first load, nothing cached, as `models pull router` makes the router ready:
    // the prompt evaluated and the labelled bank read (a route alone no longer reads
    // it, and every figure below is meant with the vote).
    let start = Instant::now();
    let pulled = bench
        .command(true, false)
        .args(["models", "pull", "router"])
        .status()
        .expect("models pull runs");
    assert!(pulled.success(), "models pull router");
    let first = start.elapsed().as_secs_f64();
    println!("first load with nothing cached: {first:.1} s (prompt evaluated, bank read)\n");

    // Accuracy, and the requests the rules leave to the model.
    println!("accuracy (correct / requests):");
    let (mut held_rules, mut held_both, mut held_total) = (0, 0, 0);
    let mut for_model = Vec::new();
    // What the router model leaves unplaced too: the coder's to read.
    let mut unplaced = Vec::new();
    for file in CORPORA {
        let cases = cases(file);
        let requests: Vec<String> = cases
            .iter()
            .map(|c| c["request"].as_str().expect("request").replace('\n', " "))
            .collect();
        let rules = bench.batch(&requests, false);
        let both = bench.batch(&requests, true);
        let score = |routes: &[Value]| {
            cases
                .iter()
                .zip(routes)
                .filter(|(c, r)| correct(c, r))
                .count()
        };
        println!(
            "  {file:30} rules {:3}/{:3}   rules+model {:3}/{:3}   asked the model {}",
            score(&rules),
            cases.len(),
            score(&both),
            cases.len(),
            both.iter().filter(|r| r.get("model").is_some()).count()
        );
        if file.contains("holdout") {
            held_rules += score(&rules);
            held_both += score(&both);
            held_total += cases.len();
        }
        for (request, route) in requests.iter().zip(&both) {
            if route.get("model").is_some() && file.starts_with("routes-natural") {
                for_model.push(request.clone());
                if route["source"] == "fallback" {
                    unplaced.push(request.clone());
                }
            }
        }
    }

    println!(
        "  {:30} rules {held_rules:3}/{held_total:3}   rules+model {held_both:3}/{held_total:3}",
        "all held-out"
    );

    // Warm: per-request time inside one process (the first request pays the load).
    let (warm50, warm95) = warm(&bench.batch(&for_model, true));

    // References: a process that routes by rules alone, and `git status`.
    let mut git = Vec::new();
    let mut rules = Vec::new();
    for request in for_model.iter().take(30) {
        let start = Instant::now();
        let out = Command::new("git")
            .arg("status")
            .current_dir(bench.dir.path())
            .output()
            .expect("git");
        assert!(out.status.success());
        git.push(start.elapsed().as_secs_f64() * 1000.0);
        rules.push(bench.one(request, false, false));
    }
    let (git50, git95) = percentiles(&mut git);
    let (rules50, rules95) = percentiles(&mut rules);

    // In-process: a new process loads the model (prompt state from the cache).
    let (cold50, cold95) = bench.new_processes(&for_model);

    // With the service: started by the first request, then every request a new process.
    bench.one(&for_model[0], true, true);
    let mut served: Vec<f64> = for_model
        .iter()
        .map(|r| bench.one(r, true, false))
        .collect();
    bench.daemon("stop");
    let (served50, served95) = percentiles(&mut served);

    println!(
        "\nlatency per request the rules leave to the model ({} requests), ms:",
        for_model.len()
    );
    println!("                                         p50      p95");
    println!("  git status (reference)              {git50:7.1}  {git95:7.1}");
    println!("  new process, rules only             {rules50:7.1}  {rules95:7.1}");
    println!(
        "  new process, with the service       {served50:7.1}  {served95:7.1}   (goal p95 <= 100; {:.1}x git status at p50)",
        served50 / git50
    );
    println!("  new process, model in-process       {cold50:7.1}  {cold95:7.1}");
    println!("  warm, one batch                     {warm50:7.1}  {warm95:7.1}   (goal p95 <= 80)");

    second_opinion(&bench, &unplaced, git50);
}

/// The coder model's second opinion about what the router model leaves unplaced: its
/// first load with nothing cached, then each request a new process (the coder loaded
/// in it, its prompt state from the cache), and warm in one batch.
fn second_opinion(bench: &Bench, unplaced: &[String], git50: f64) {
    let coder = common::test_model("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", "qwen-0.5b");
    let with = bench.with_coder(coder);
    // The router's cache (prompt state and bank) comes along: only the coder's is new.
    let _ = Command::new("cp")
        .arg("-a")
        .arg(bench.dir.path().join("cache"))
        .arg(with.dir.path())
        .status();
    let Some(first_request) = unplaced.first() else {
        println!("\nno request was left unplaced by the router model: no second opinion to time");
        return;
    };
    let first = with.one(first_request, true, false) / 1000.0;
    let (cold50, cold95) = with.new_processes(unplaced);
    let routes = with.batch(unplaced, true);
    let placed = routes
        .iter()
        .filter(|r| r["model"]["role"] == "coder")
        .count();
    let (warm50, warm95) = warm(&routes);
    println!(
        "\nthe coder's second opinion (Qwen2.5-Coder 0.5B) on the {} requests the router model left unplaced: {placed} placed",
        unplaced.len()
    );
    println!("  first load with nothing cached: {first:.1} s (prompt evaluated)");
    println!("                                         p50      p95");
    println!(
        "  new process, both models in-process {cold50:7.1}  {cold95:7.1}   ({:.0}x git status at p50)",
        cold50 / git50
    );
    println!("  warm, one batch                     {warm50:7.1}  {warm95:7.1}");
}
