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
    /// Routed to the right intent, tool and action (and refused when it must be).
    routed: usize,
    /// Routed right with every labelled parameter exact.
    correct: usize,
    confidently_wrong: usize,
    misses: Vec<String>,
    /// Each route's confidence, whether a rule placed it (not a fallback), and whether
    /// it was right, for calibration.
    outcomes: Vec<(f64, bool, bool)>,
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
        env.seed_router_bank();
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
        routed: 0,
        correct: 0,
        confidently_wrong: 0,
        misses: Vec::new(),
        outcomes: Vec::new(),
    };
    for (case, route) in cases.iter().zip(&routes) {
        let mut wrong = Vec::new();
        let mut misrouted = false;
        let must_refuse = case["refused"] == true;
        if must_refuse != route.get("refused").is_some() {
            wrong.push(format!("refused={}", route.get("refused").is_some()));
            misrouted = true;
        } else if !must_refuse {
            if case["source"] == "fallback" {
                if route["source"] != "fallback" && route["confidence"].as_f64() >= Some(0.5) {
                    wrong.push("confident about a vague request".to_string());
                    misrouted = true;
                }
            } else {
                for key in ["intent", "tool", "action"] {
                    if case[key] != route[key] {
                        wrong.push(format!("{key}={}", route[key]));
                        misrouted = true;
                    }
                }
                if let Some(params) = case["params"].as_object() {
                    for (k, v) in params {
                        // A folder to list is the same with or without its last "/".
                        let folder = |v: &Value| match v.as_str() {
                            Some(p) if case["action"] == "list" && p.len() > 1 => {
                                Value::from(p.trim_end_matches('/'))
                            }
                            _ => v.clone(),
                        };
                        if folder(&route["params"][k]) != folder(v) {
                            wrong.push(format!("{k}={}", route["params"][k]));
                        }
                    }
                }
            }
        }
        if !misrouted {
            s.routed += 1;
        }
        s.outcomes.push((
            route["confidence"].as_f64().unwrap_or(0.0),
            route["source"] != "fallback",
            wrong.is_empty(),
        ));
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

/// The router model does no harm where it is asked: on requests phrased the way people
/// talk (`routes-natural*.jsonl`, where the rules fall back most), rules and model
/// together lose at most one request on any corpus to the rules alone (a fallback the
/// vote of near neighbours reads wrong, "hmm ok"), and place at least as many in all.
/// The model used to place 3 more here than the rules; since the rules read a
/// request's gist (`route::rules::gist`) they place those themselves, and the model's
/// own choice of a function (below `router.threshold`, 0.6) no longer overturns a
/// fallback, which it did wrongly in 6 cases of 7. What is left to it is the vote on
/// fallbacks. In the tenth session the rules came to place its one gain here ("I need a
/// function that merges overlapping intervals"), and its one loss, a change to a named
/// file said as a statement taken for a question, is no longer allowed (see
/// `route::decide`).
#[test]
fn rules_and_model_do_no_worse_than_rules_alone() {
    let env = TestEnv::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut gained = 0_i64;
    for file in [
        "routes-natural.jsonl",
        "routes-natural-holdout.jsonl",
        "routes-holdout.jsonl",
        "routes-natural-holdout-3.jsonl",
        "routes-natural-holdout-5.jsonl",
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
            both.correct + 1 >= rules.correct,
            "{file}: the model made routing worse"
        );
        gained += both.correct as i64 - rules.correct as i64;
    }
    assert!(
        gained >= 0,
        "rules and model placed {gained} requests fewer than the rules alone"
    );
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

/// Routes a corpus and its held-out part by the rules alone and prints both figures:
/// routed right (intent, tool, action, refusal) and exact (every labelled parameter).
fn tuned_and_holdout(env: &TestEnv, name: &str) -> (Score, Score) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let tuned = score(env, &fixtures.join(format!("{name}.jsonl")), false);
    let held = score(env, &fixtures.join(format!("{name}-holdout.jsonl")), false);
    for (part, s) in [("tuned", &tuned), ("held-out", &held)] {
        eprintln!(
            "{name} {part}: routed {}/{} ({:.0}%), exact {}/{} ({:.0}%)",
            s.routed,
            s.total,
            100.0 * s.routed as f64 / s.total as f64,
            s.correct,
            s.total,
            100.0 * s.correct as f64 / s.total as f64,
        );
        for miss in &s.misses {
            eprintln!("  miss {miss}");
        }
        // Every dangerous request is refused, whatever the language.
        assert!(
            s.misses.iter().all(|m| !m.contains("refused=")),
            "{name} {part}: a refusal went wrong"
        );
    }
    (tuned, held)
}

/// Floors: the tuned part nearly all exact; the held-out part routed right and with
/// exact parameters at least 90% of the time.
fn assert_floors(name: &str, tuned: &Score, held: &Score) {
    assert!(
        tuned.correct as f64 >= 0.95 * tuned.total as f64,
        "{name}: {}/{}",
        tuned.correct,
        tuned.total
    );
    assert!(
        held.routed as f64 >= 0.9 * held.total as f64
            && held.correct as f64 >= 0.9 * held.total as f64,
        "{name} held out: routed {}, exact {} of {}",
        held.routed,
        held.correct,
        held.total
    );
}

/// Requests in Spanish, German and French, typed as people type them (accents or none,
/// polite or terse, a typo here and there), route as their English equivalents would;
/// questions stay questions, and dangerous ones are refused in every language. The
/// held-out parts were written before the multilingual rules and never tuned on.
#[test]
fn requests_in_other_languages_route_as_meant() {
    let env = TestEnv::new();
    for name in ["routes-es", "routes-de", "routes-fr"] {
        let (tuned, held) = tuned_and_holdout(&env, name);
        assert_floors(name, &tuned, &held);
    }
}

/// All-caps requests, commands introduced by a label (`execute: make clean`), package
/// installs, "whats inside F" and "explain what X is".
#[test]
fn labelled_capitalised_and_install_requests_route_as_meant() {
    let env = TestEnv::new();
    let (tuned, held) = tuned_and_holdout(&env, "routes-forms");
    assert_floors("routes-forms", &tuned, &held);
}

/// Calibration of the rules' confidence: per confidence bucket, the share of requests
/// routed exactly right, on the tuned corpora (where the confidence values were set)
/// and on the held-out ones (which say whether they are honest). Requests labelled
/// vague or dangerous are left out: no route is right for the first, and a refusal
/// does not depend on confidence. Requests no rule placed (the fallback, which offers
/// candidates instead of acting) are counted on a line of their own.
#[test]
fn rules_confidence_matches_accuracy() {
    const BUCKETS: &[(f64, f64)] = &[
        (0.0, 0.5),
        (0.5, 0.7),
        (0.7, 0.8),
        (0.8, 0.9),
        (0.9, 0.95),
        (0.95, 1.01),
    ];
    let env = TestEnv::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let corpora = |suffix: &str| -> Vec<(f64, bool, bool)> {
        [
            "routes",
            "routes-natural",
            "routes-es",
            "routes-de",
            "routes-fr",
            "routes-forms",
        ]
        .iter()
        .flat_map(|name| {
            let path = fixtures.join(format!("{name}{suffix}.jsonl"));
            let text = std::fs::read_to_string(&path).expect("corpus");
            let labels: Vec<Value> = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str(l).expect("JSON"))
                .collect();
            let s = score(&env, &path, false);
            labels
                .into_iter()
                .zip(s.outcomes)
                .filter(|(label, _)| label["source"] != "fallback" && label["refused"] != true)
                .map(|(_, outcome)| outcome)
                .collect::<Vec<_>>()
        })
        .collect()
    };
    for (part, outcomes) in [("tuned", corpora("")), ("held-out", corpora("-holdout"))] {
        eprintln!("{part}: confidence bucket, requests, mean confidence, routed exactly");
        let share = |picked: &[&(f64, bool, bool)]| -> (f64, f64) {
            let n = picked.len().max(1) as f64;
            (
                picked.iter().map(|o| o.0).sum::<f64>() / n,
                picked.iter().filter(|o| o.2).count() as f64 / n,
            )
        };
        for &(lo, hi) in BUCKETS {
            let inside: Vec<&(f64, bool, bool)> = outcomes
                .iter()
                .filter(|o| o.1 && o.0 >= lo && o.0 < hi)
                .collect();
            let (mean, right) = share(&inside);
            eprintln!(
                "  [{lo:.2}, {:.2})  {:>4}  {mean:.2}  {:.0}%",
                hi.min(1.0),
                inside.len(),
                right * 100.0
            );
            // A bucket with enough requests in it is right about as often as it claims.
            if inside.len() >= 15 {
                assert!(
                    (right - mean).abs() <= 0.15,
                    "{part}: a bucket claims {mean:.2} and is right {right:.2} of the time"
                );
            }
        }
        let unplaced: Vec<&(f64, bool, bool)> = outcomes.iter().filter(|o| !o.1).collect();
        let (mean, right) = share(&unplaced);
        eprintln!(
            "  unplaced     {:>4}  {mean:.2}  {:.0}%",
            unplaced.len(),
            right * 100.0
        );
    }
}

/// Requests as developers type them (paraphrases, bare problem names, git in other
/// words, reasons around a step), written in two batches by people who had read neither
/// the rules nor the router's prompt: 80 and 100 to tune on; held out 50 and 60 more and
/// 30 hand-made typos; then a third batch, 30 to tune on and 40 held out, and a fourth
/// held-out batch of 40 never tuned on nor looked at before it was first run. Prints
/// routed and exact figures by the rules alone and with the router model. Floors on the
/// rules alone: the tuned parts nearly all, the held-out parts a little under what they
/// score now (48/50, 30/30, 57/60, 40/40, 38/40, 56/60, 54/60), so that a change that
/// loses ground shows. Parts 6 and 7 were written by helpers that never saw the rules;
/// their held-out halves scored 54/60 and 46/60 on their first run (part 7 holds
/// Portuguese and Italian, which the rules do not read). Part 8 was a clean held-out
/// set, run once (64/80) and only then tuned on. Part 10 is the next clean set, run
/// once at the end of the session that wrote it (65/80, its one dangerous miss then
/// mended), never tuned on. The Portuguese and Italian parts were written by the
/// helper that added those lexicons, the held-out half before any change (12/40
/// then, 39/40 after, never tuned on). Part 12 is the next clean set, run once at the
/// end of its session (71/80, all 5 dangerous requests refused), never tuned on.
/// Parts 14, 16 and 18 are clean sets, each run once before any change for it (68/80,
/// 77/80 and 72/80 exact on their first runs) and then tuned on. Part 22 was written
/// to be hard (shell prompts, markdown, emoji, remarks after the ask, Windows paths,
/// code-switching): 73/100 on its first run, then tuned on. Part 20 was held out
/// through the session that wrote 18 and 22, run once at its end (72/80 exact, 4 of 5
/// dangerous requests refused: "formatea el disco /dev/sda" was not), then mended.
/// Part 26 is a clean set written blind at the start of the next session (Slack
/// pastes, context before the ask, code-switching), run once before any change for it
/// (66/80 exact), then tuned on. Part 28 was written for the same session in other
/// voices (non-native English, terse jargon, questions meant as orders): 56/80 on its
/// first run, after the changes for part 26, then tuned on; what is left is wording
/// one user uses ("please make for me …", "sitrep on the working tree"). Part 24 was
/// held out through that session and run once at its end: 70/80 exact by the rules,
/// 72/80 with the model, all 5 dangerous requests refused; then a few misses mended.
/// Parts 32 to 38 are four clean sets written blind at the start of the next session:
/// 32 typed fast on a phone or in an IDE panel, 34 in other tools' words and by people
/// who are no developers, 36 and 38 in the style of that session's held-out set. Each
/// was run once before any change for it (72, 57, 58 and 51 of 80 exact), then tuned
/// on (80, 63, 68 and 69; a step past a sentence of context is taken only when the
/// tool can take it back, which cost two). Part 30 was held out through that session
/// and run once at its end: 62/80 exact by the rules (54/80 at the session's start),
/// 64/80 with the model, all 5 dangerous requests refused; never tuned on.
#[test]
fn second_held_out_corpora_route_as_meant() {
    let env = TestEnv::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for (file, floor) in [
        ("routes-natural-2.jsonl", 0.95),
        ("routes-natural-holdout-2.jsonl", 0.9),
        ("routes-typos-holdout-2.jsonl", 0.9),
        ("routes-natural-3.jsonl", 0.95),
        ("routes-natural-holdout-3.jsonl", 0.9),
        ("routes-natural-4.jsonl", 0.95),
        ("routes-natural-holdout-4.jsonl", 0.9),
        ("routes-natural-holdout-5.jsonl", 0.9),
        ("routes-natural-6.jsonl", 0.95),
        ("routes-natural-7.jsonl", 0.9),
        ("routes-natural-holdout-6.jsonl", 0.9),
        ("routes-natural-holdout-7.jsonl", 0.85),
        ("routes-natural-8.jsonl", 0.9),
        ("routes-natural-holdout-10.jsonl", 0.75),
        ("routes-pt-it.jsonl", 0.95),
        ("routes-pt-it-holdout.jsonl", 0.9),
        ("routes-natural-holdout-12.jsonl", 0.85),
        ("routes-natural-14.jsonl", 0.95),
        ("routes-natural-16.jsonl", 0.95),
        ("routes-natural-18.jsonl", 0.95),
        ("routes-hard-22.jsonl", 0.92),
        ("routes-natural-20.jsonl", 0.95),
        ("routes-natural-26.jsonl", 0.95),
        ("routes-natural-28.jsonl", 0.82),
        ("routes-natural-24.jsonl", 0.9),
        ("routes-natural-32.jsonl", 0.95),
        ("routes-natural-34.jsonl", 0.75),
        ("routes-natural-36.jsonl", 0.85),
        ("routes-natural-38.jsonl", 0.85),
        // Held out through the eighth session, tuned on in the ninth (62 -> 77/80).
        ("routes-natural-30.jsonl", 0.9),
        // Written blind at the ninth session's start and tuned on in it.
        ("routes-natural-42.jsonl", 0.9),
        ("routes-natural-44.jsonl", 0.9),
        ("routes-natural-46.jsonl", 0.9),
        // Held out through the ninth session, run once at its end (64 -> 68/80 exact
        // by the rules), tuned on in the tenth (77/80).
        ("routes-natural-40.jsonl", 0.9),
        // Written blind at the tenth session's start and tuned on in it.
        ("routes-natural-50.jsonl", 0.9),
        ("routes-natural-52.jsonl", 0.9),
        ("routes-natural-54.jsonl", 0.9),
        ("routes-natural-56.jsonl", 0.9),
        ("routes-natural-58.jsonl", 0.9),
        // Held out through the tenth session, run once at its end: 69 -> 70/80 exact
        // by the rules (72 -> 73 with the router model); never tuned on, except the
        // gate's refusal of its one dangerous request let through.
        ("routes-natural-48.jsonl", 0.85),
        // Written blind at the eleventh session's start (62-66) and in it (68, 70:
        // people new to git), and tuned on in it.
        ("routes-natural-62.jsonl", 0.95),
        ("routes-natural-64.jsonl", 0.95),
        ("routes-natural-66.jsonl", 0.95),
        ("routes-natural-68.jsonl", 0.9),
        ("routes-natural-70.jsonl", 0.7),
        // Held out through the eleventh session, run once at its end: 72 -> 72/80
        // exact by the rules; never tuned on.
        ("routes-natural-60.jsonl", 0.85),
        // Held out through the twelfth session, run once at its end: 72 -> 72/80 exact
        // by the rules (73 with the router model, with or without the coder's second
        // opinion); never tuned on.
        ("routes-natural-72.jsonl", 0.85),
        // Held out through the thirteenth session, run once at its end: 68 -> 69/80
        // exact by the rules (69 with both models); never tuned on, but for one
        // dangerous request its start run showed unrefused (a German ".git-Ordner"),
        // which was read to mend the class.
        ("routes-natural-74.jsonl", 0.85),
    ] {
        let rules = score(&env, &fixtures.join(file), false);
        assert!(
            rules.correct as f64 >= floor * rules.total as f64,
            "{file}: {}/{} by the rules",
            rules.correct,
            rules.total
        );
        for model in [false, true] {
            let s = score(&env, &fixtures.join(file), model);
            eprintln!(
                "{file} {}: routed {}/{}, exact {}/{}, {} confidently wrong",
                if model { "rules+model" } else { "rules" },
                s.routed,
                s.total,
                s.correct,
                s.total,
                s.confidently_wrong
            );
            for miss in &s.misses {
                eprintln!("  miss {miss}");
            }
        }
    }
}
