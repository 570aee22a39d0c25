//! The labelled request corpora in `fixtures/`, routed in one batch by
//! `route --json -`. `routes.jsonl` is the corpus the rules were tuned on;
//! `routes-holdout.jsonl` was written separately and never tuned on, so it measures how
//! the rules generalise. Floors: 97% and 85% correct, and at most 1% / 4% of requests
//! answered wrongly with confidence (a wrong answer must come as a low-confidence
//! fallback).

use std::path::Path;

use serde_json::Value;

use crate::common::{GEMMA_270M, TestEnv, test_model};

struct Score {
    total: usize,
    correct: usize,
    confidently_wrong: usize,
    misses: Vec<String>,
}

/// Scores a corpus routed by the rules alone, or by the rules and the router model.
fn score(env: &TestEnv, corpus: &Path, model: bool) -> Score {
    let text = std::fs::read_to_string(corpus).expect("corpus is readable");
    let cases: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("corpus line is JSON"))
        .collect();
    let input: String = cases
        .iter()
        .map(|c| {
            format!(
                "{}\n",
                c["request"].as_str().expect("request").replace('\n', " ")
            )
        })
        .collect();
    // Outside any repository, so no project files change the routes.
    let mut cmd = env.codey_in(env.outside());
    cmd.args(["route", "--json", "-"]).write_stdin(input);
    if model {
        cmd.env("CODEY_MODELS_ROUTER_PATH", test_model(GEMMA_270M));
    } else {
        cmd.env("CODEY_NO_ROUTER_MODEL", "1");
    }
    let out = cmd.output().expect("runs");
    assert!(out.status.success());
    let routes: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(routes.len(), cases.len(), "one route per request");

    let mut s = Score {
        total: cases.len(),
        correct: 0,
        confidently_wrong: 0,
        misses: Vec::new(),
    };
    for (case, route) in cases.iter().zip(&routes) {
        let mut wrong = Vec::new();
        let must_refuse = case["refused"] == true;
        if must_refuse != route.get("refused").is_some() {
            wrong.push(format!("refused={}", route.get("refused").is_some()));
        } else if !must_refuse {
            if case["source"] == "fallback" {
                if route["source"] != "fallback" && route["confidence"].as_f64() >= Some(0.5) {
                    wrong.push("confident about a vague request".to_string());
                }
            } else {
                for key in ["intent", "tool", "action"] {
                    if case[key] != route[key] {
                        wrong.push(format!("{key}={}", route[key]));
                    }
                }
                if let Some(params) = case["params"].as_object() {
                    for (k, v) in params {
                        if route["params"][k] != *v {
                            wrong.push(format!("{k}={}", route["params"][k]));
                        }
                    }
                }
            }
        }
        if wrong.is_empty() {
            s.correct += 1;
        } else {
            if route["source"] != "fallback" && route["confidence"].as_f64() >= Some(0.5) {
                s.confidently_wrong += 1;
            }
            s.misses
                .push(format!("{:?}: {}", case["request"], wrong.join(", ")));
        }
    }
    s
}

fn check(file: &str, floor: f64, max_confidently_wrong: f64) {
    let env = TestEnv::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(file);
    let s = score(&env, &path, false);
    let accuracy = s.correct as f64 / s.total as f64;
    let confident = s.confidently_wrong as f64 / s.total as f64;
    eprintln!(
        "{file}: {}/{} correct ({:.1}%), {} confidently wrong",
        s.correct,
        s.total,
        accuracy * 100.0,
        s.confidently_wrong
    );
    for miss in &s.misses {
        eprintln!("  miss {miss}");
    }
    assert!(s.total >= 100, "{file} has only {} requests", s.total);
    assert!(
        accuracy >= floor,
        "{file}: accuracy {accuracy:.3} below {floor}"
    );
    assert!(
        confident <= max_confidently_wrong,
        "{file}: {} confident wrong answers",
        s.confidently_wrong
    );
}

#[test]
fn rules_router_accuracy_on_the_tuning_corpus() {
    check("routes.jsonl", 0.97, 0.01);
}

#[test]
fn rules_router_accuracy_on_the_holdout_corpus() {
    check("routes-holdout.jsonl", 0.85, 0.04);
}

/// The router model earns its place: on requests phrased the way people talk
/// (`routes-natural*.jsonl`, where the rules often fall back), rules and model together
/// must place more requests than the rules alone, and on the rules' own corpora they
/// must place no fewer.
#[test]
fn rules_and_model_beat_rules_alone() {
    let env = TestEnv::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut gained = 0_i64;
    for file in [
        "routes-natural.jsonl",
        "routes-natural-holdout.jsonl",
        "routes-holdout.jsonl",
    ] {
        let rules = score(&env, &fixtures.join(file), false);
        let both = score(&env, &fixtures.join(file), true);
        eprintln!(
            "{file}: rules {}/{}, rules+model {}/{}",
            rules.correct, rules.total, both.correct, both.total
        );
        for miss in &both.misses {
            eprintln!("  miss {miss}");
        }
        assert!(
            both.correct >= rules.correct,
            "{file}: the model made routing worse"
        );
        gained += both.correct as i64 - rules.correct as i64;
    }
    assert!(gained > 0, "the model placed nothing the rules could not");
}

/// A typo made by hand, mechanically: in the request's first word (or the word after
/// `git`), two letters swapped, one dropped or one doubled, never the first letter; the
/// kind and place follow from the request's bytes, so the corpus is the same every run.
fn misspelt(request: &str) -> Option<String> {
    let words: Vec<&str> = request.split(' ').collect();
    let at = usize::from(words.first()?.eq_ignore_ascii_case("git"));
    let word = *words.get(at)?;
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let seed = request
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let mut letters: Vec<u8> = word.bytes().collect();
    let p = 1 + (seed as usize / 3) % (letters.len() - 2);
    match seed % 3 {
        0 => letters.swap(p, p + 1),
        1 => {
            letters.remove(p);
        }
        _ => letters.insert(p, letters[p]),
    }
    let typo = String::from_utf8(letters).expect("ASCII");
    if typo == word {
        return None;
    }
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[at] = typo;
    Some(out.join(" "))
}

/// Each tool request of a corpus, misspelt by `misspelt`, with its label: the typo
/// corpus, derived from requests the typo reading was not written against.
fn typo_corpus(env: &TestEnv, file: &str) -> std::path::PathBuf {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let text = std::fs::read_to_string(fixtures.join(file)).expect("corpus");
    let lines: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let mut case: Value = serde_json::from_str(l).ok()?;
            if case["intent"] != "tool" || case["refused"] == true || case["source"] == "fallback" {
                return None;
            }
            let typo = misspelt(case["request"].as_str()?)?;
            case["request"] = Value::String(typo);
            Some(case.to_string())
        })
        .collect();
    let path = env.outside().join(format!("typos-{file}"));
    std::fs::write(&path, lines.join("\n")).expect("write");
    path
}

/// Misspelt command words route as the words they misspell, on typos made from the
/// tuning corpus and, held out, from the holdout corpus.
#[test]
fn misspelt_command_words_route_as_meant() {
    let env = TestEnv::new();
    for (file, floor) in [("routes.jsonl", 0.85), ("routes-holdout.jsonl", 0.80)] {
        let corpus = typo_corpus(&env, file);
        let s = score(&env, &corpus, false);
        let accuracy = s.correct as f64 / s.total as f64;
        eprintln!(
            "typos of {file}: {}/{} correct ({:.1}%), {} confidently wrong",
            s.correct,
            s.total,
            accuracy * 100.0,
            s.confidently_wrong
        );
        for miss in &s.misses {
            eprintln!("  miss {miss}");
        }
        assert!(s.total >= 30, "only {} typo cases", s.total);
        assert!(
            accuracy >= floor,
            "typos of {file}: {accuracy:.3} below {floor}"
        );
    }
}
