//! Inference speed and memory: the same GGUF model with the same thread count, through
//! git-codey's `llama` backend and through llama.cpp's own server (xllamacpp from PyPI,
//! set up by `scripts/fetch-test-server`), in one run. Prints prompt-processing and
//! generation tokens/s for both and their ratio (goal >= 0.95x), and the RSS the model
//! took against the pool's estimate. Cold against cold: every measured run of ours is
//! a freshly loaded engine with nothing cached, as the server is asked with
//! `cache_prompt: false`; what git-codey's prompt cache saves on the same request asked
//! again is its own line.
//!
//! Run with `cargo bench --bench inference` (model: $CODEY_BENCH_MODEL, else the
//! Qwen2.5-Coder 0.5B test model).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use codey::llm::backend::{Backend, Message, Request};
use codey::llm::{Estimate, gguf, llama};
use serde_json::json;

const THREADS: u32 = 2;
const CONTEXT: u32 = 2048;
const NEW_TOKENS: u32 = 128;
/// Runs per side; the best of each is reported (the first also warms caches).
const RUNS: usize = 3;

fn main() {
    let home = PathBuf::from(std::env::var_os("HOME").expect("HOME"));
    let model = std::env::var_os("CODEY_BENCH_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            home.join(".cache/codey/test-models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
        });
    assert!(
        model.is_file(),
        "{} is missing: run scripts/fetch-test-models",
        model.display()
    );
    let messages = vec![
        Message::system("You are a helpful coding assistant."),
        Message::user(format!(
            "Rewrite every function below with a docstring and type hints.\n\n```python\n{}```",
            (0..45)
                .map(|i| format!("def f{i}(x):\n    return x * {i} + {}\n", i * 7))
                .collect::<String>()
        )),
    ];
    let mut request = Request::new(messages.clone());
    request.max_tokens = NEW_TOKENS;

    // git-codey's backend.
    let rss_before = rss_kb("VmRSS");
    let header = gguf::Header::read(&model).expect("GGUF header");
    let estimate = Estimate::new(&header, u64::from(CONTEXT));
    let load = || {
        llama::LlamaEngine::load_checked(
            &model,
            &header,
            llama::Settings {
                context_size: CONTEXT,
                threads: THREADS,
                n_gpu_layers: 0,
            },
        )
        .expect("model loads")
    };
    let mut engine = load();
    let rss_loaded = rss_kb("VmRSS");
    let (mut ours_pp, mut ours_tg) = (0f64, 0f64);
    let mut ours = None;
    for run_index in 0..RUNS {
        if run_index > 0 {
            // A new engine: nothing of the last run's prompt is kept.
            drop(engine);
            engine = load();
        }
        let run = engine.complete(&request, &mut |_| {}).expect("completion");
        ours_pp = ours_pp.max(run.prompt_tokens as f64 / run.prompt_time.as_secs_f64());
        ours_tg = ours_tg.max(run.completion_tokens as f64 / run.generation_time.as_secs_f64());
        ours = Some(run);
    }
    let ours = ours.expect("at least one run");
    // The same request again on the last engine: its prompt is in the cache now.
    let cached = engine.complete(&request, &mut |_| {}).expect("completion");
    let peak = rss_kb("VmHWM");

    // The reference: llama.cpp's server, greedy through its top-k-1 sampler.
    let python = home.join(".cache/codey/venv/bin/python");
    assert!(python.is_file(), "run scripts/fetch-test-server first");
    let mut server = Command::new(python)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/llama_server.py"
        ))
        .arg(&model)
        .arg(CONTEXT.to_string())
        .env("OMP_NUM_THREADS", THREADS.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    let mut endpoint = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut endpoint)
        .expect("address");
    let body = json!({
        "model": "bench",
        "messages": messages.iter().map(|m| json!({"role": m.speaker.as_str(), "content": m.content})).collect::<Vec<_>>(),
        "max_tokens": NEW_TOKENS,
        "samplers": ["top_k"],
        "top_k": 1,
        "cache_prompt": false,
    });
    let url = format!("{}/chat/completions", endpoint.trim());
    let (mut ref_pp, mut ref_tg) = (0f64, 0f64);
    let mut ref_tokens = 0;
    for _ in 0..RUNS {
        let mut response = ureq::post(&url)
            .send_json(&body)
            .expect("reference answers");
        let v: serde_json::Value = response.body_mut().read_json().expect("JSON");
        let t = &v["timings"];
        ref_pp = ref_pp.max(t["prompt_per_second"].as_f64().unwrap_or(0.0));
        ref_tg = ref_tg.max(t["predicted_per_second"].as_f64().unwrap_or(0.0));
        ref_tokens = t["predicted_n"].as_u64().unwrap_or(0);
    }
    let _ = server.kill();
    let _ = server.wait();

    let name = model
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    println!("{name}, {THREADS} threads, context {CONTEXT}, best of {RUNS} runs each");
    println!("                          git-codey    llama.cpp server   ratio (goal >= 0.95x)");
    println!(
        "prompt processing     {ours_pp:8.1} tok/s   {ref_pp:8.1} tok/s      {:.2}x   ({} prompt tokens)",
        ours_pp / ref_pp,
        ours.prompt_tokens
    );
    println!(
        "generation            {ours_tg:8.1} tok/s   {ref_tg:8.1} tok/s      {:.2}x   ({} / {ref_tokens} tokens)",
        ours_tg / ref_tg,
        ours.completion_tokens
    );
    println!(
        "prompt cache (ours, same request again): {} tokens evaluated in {:.0} ms against {:.0} ms cold ({:.1}x less time)",
        cached.prompt_tokens,
        cached.prompt_time.as_secs_f64() * 1000.0,
        ours.prompt_time.as_secs_f64() * 1000.0,
        ours.prompt_time.as_secs_f64() / cached.prompt_time.as_secs_f64().max(1e-6)
    );
    println!(
        "memory: RSS grew {:.0} MB on load (mmap, pages touched so far), peak RSS {:.0} MB during a request; estimate {:.0} MB (weights {:.0} + KV {:.0} + margin {:.0})",
        (rss_loaded - rss_before) as f64 / 1024.0,
        peak as f64 / 1024.0,
        estimate.total() as f64 / 1048576.0,
        estimate.weights as f64 / 1048576.0,
        estimate.kv_cache as f64 / 1048576.0,
        estimate.overhead as f64 / 1048576.0,
    );
}

/// A field of /proc/self/status, in kB.
fn rss_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
