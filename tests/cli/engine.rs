//! The llama backend through the library, on the real SmolLM2 test model: constrained
//! output, stop sequences, time limits and context limits.

use std::time::Duration;

use codey::llm::backend::{Backend, Finish, LlmError, Message, Request};
use codey::llm::llama::{LlamaEngine, Settings};

use crate::common::{SMOLLM2, test_model};

fn engine(context_size: u32) -> LlamaEngine {
    LlamaEngine::load(
        &test_model(SMOLLM2),
        Settings {
            context_size,
            threads: 2,
            n_gpu_layers: 0,
        },
    )
    .expect("the test model loads")
}

fn ask(text: &str, max_tokens: u32) -> Request {
    let mut request = Request::new(vec![Message::user(text)]);
    request.max_tokens = max_tokens;
    request
}

#[test]
fn a_json_schema_constrains_the_reply() {
    let mut engine = engine(512);
    let mut request = ask("Is Rust a programming language? Answer in JSON.", 24);
    request.json_schema = Some(serde_json::json!({
        "type": "object",
        "properties": {"yes": {"type": "boolean"}},
        "required": ["yes"],
        "additionalProperties": false
    }));
    let reply = engine.complete(&request, &mut |_| {}).expect("completion");
    let value: serde_json::Value =
        serde_json::from_str(reply.text.trim()).expect("the reply is JSON");
    assert!(value["yes"].is_boolean(), "{value}");
}

#[test]
fn a_search_grammar_only_lets_the_model_search_for_lines_the_file_has() {
    use codey::edit::{EditBlock, format, grammar, matcher};
    let file =
        "def area(r):\n    return 3.14 * r * r\n\n\ndef perimeter(r):\n    return 2 * 3.14 * r\n";
    let mut engine = engine(1024);
    let mut request = ask(
        &format!("Use math.pi instead of 3.14 in shapes.py:\n\n{file}"),
        160,
    );
    request.grammar = Some(grammar::search_replace("shapes.py", file));
    let reply = engine.complete(&request, &mut |_| {}).expect("completion");
    // The tiny model may ramble on in REPLACE until the token limit; what the grammar
    // guarantees is the shape and that every SEARCH is a run of the file's lines.
    let text = &reply.text;
    assert!(text.starts_with("shapes.py\n<<<<<<< SEARCH\n"), "{text}");
    let mut searches = 0;
    for part in text.split("<<<<<<< SEARCH\n").skip(1) {
        let Some((search, _)) = part.split_once("=======\n") else {
            continue;
        };
        searches += 1;
        assert!(
            !search.is_empty() && file.contains(search),
            "SEARCH is a run of the file's lines: {search:?}"
        );
        assert!(matcher::replace(file, search, "x\n").is_ok() || file.matches(search).count() > 1);
    }
    assert!(searches >= 1, "{text}");
    if reply.finish == Finish::Stop {
        let blocks = format::parse(text, None).expect("well-formed blocks");
        assert!(
            blocks
                .iter()
                .all(|b| matches!(b, EditBlock::Replace { path, .. } if path == "shapes.py"))
        );
    }
}

#[test]
fn an_examples_grammar_lets_the_model_write_only_the_assert_lines_asked_for() {
    use codey::verify::examples::{self, Target};
    let targets = [Target {
        module: "text".into(),
        name: "slug".into(),
        signature: "def slug(s):".into(),
    }];
    let mut engine = engine(512);
    let mut request = Request::new(examples::ask(
        "add a function slug(s) to text.py that lowercases s and turns spaces into dashes",
        &targets,
    ));
    request.max_tokens = 80;
    request.grammar = Some(examples::grammar(&targets));
    let reply = engine.complete(&request, &mut |_| {}).expect("completion");
    let lines: Vec<&str> = reply.text.lines().collect();
    assert!(!lines.is_empty() && lines.len() <= 2, "{:?}", reply.text);
    assert!(
        lines.iter().all(|l| l.starts_with("assert slug(")),
        "{:?}",
        reply.text
    );
    if reply.finish == Finish::Stop {
        assert_eq!(lines.len(), 2, "{:?}", reply.text);
    }
}

#[test]
fn streaming_and_stop_sequences_agree_with_the_full_reply() {
    let mut engine = engine(512);
    let request = ask("Explain what a closure is in two sentences.", 48);
    let mut streamed = String::new();
    let full = engine
        .complete(&request, &mut |piece| streamed.push_str(piece))
        .expect("completion");
    assert_eq!(streamed, full.text, "the sink saw exactly the reply");
    let first_stop = full.text.find('.').expect("greedy reply has a full stop");

    let mut stopped = request.clone();
    stopped.stop = vec![".".into()];
    let mut shown = String::new();
    let cut = engine
        .complete(&stopped, &mut |piece| shown.push_str(piece))
        .expect("completion");
    assert_eq!(cut.finish, Finish::Stop);
    assert_eq!(cut.text, full.text[..first_stop]);
    assert_eq!(shown, cut.text, "the stop sequence is never streamed");
}

#[test]
fn time_and_context_limits_are_errors_not_crashes() {
    let mut engine = engine(64);
    let mut request = ask("Say hello.", 16);
    request.timeout = Duration::from_nanos(1);
    assert!(matches!(
        engine.complete(&request, &mut |_| {}),
        Err(LlmError::Timeout(_))
    ));
    let long = ask(&"word ".repeat(200), 16);
    assert!(matches!(
        engine.complete(&long, &mut |_| {}),
        Err(LlmError::PromptTooLong { context: 64, .. })
    ));
}

#[test]
fn a_shared_prefix_is_evaluated_once_and_a_failed_request_leaves_nothing_stale() {
    let mut engine = engine(1024);
    let system = (1..=40)
        .map(|n| format!("Rule {n}: keep functions short and name them for what they do.\n"))
        .collect::<String>();
    let chat = |question: &str| {
        let mut request = Request::new(vec![Message::system(&system), Message::user(question)]);
        request.max_tokens = 8;
        request
    };
    let first = chat("What is a closure?");
    let second = chat("Why use Rust?");

    let a = engine.complete(&first, &mut |_| {}).expect("first");
    assert_eq!(a.cached_tokens, 0);
    let b = engine.complete(&second, &mut |_| {}).expect("second");
    // Only the question and the turn markers around it are new.
    assert!(
        b.cached_tokens + 16 >= a.prompt_tokens && b.cached_tokens < b.prompt_tokens,
        "{} of {} prompt tokens reused (first prompt: {})",
        b.cached_tokens,
        b.prompt_tokens,
        a.prompt_tokens
    );
    let again = engine.complete(&first, &mut |_| {}).expect("first again");
    assert!(again.cached_tokens > 0);
    // Reading only the question, in a smaller batch, moves the logits slightly (as any
    // other batch split would); this reply has no near-tie for that to flip.
    assert_eq!(
        again.text, a.text,
        "greedy decoding over reused keys and values"
    );

    // A request cut off mid-prompt leaves part of it in the cache: none of it is reused.
    let mut hurried = first.clone();
    hurried.timeout = Duration::from_nanos(1);
    assert!(matches!(
        engine.complete(&hurried, &mut |_| {}),
        Err(LlmError::Timeout(_))
    ));
    let after = engine
        .complete(&first, &mut |_| {})
        .expect("after the error");
    assert_eq!((after.cached_tokens, after.text), (0, a.text));
}

#[test]
fn a_request_of_another_kind_in_between_keeps_the_first_kinds_cache() {
    let mut engine = engine(1024);
    let rules = |topic: &str| {
        (1..=30)
            .map(|n| format!("Rule {n} about {topic}: be exact and brief.\n"))
            .collect::<String>()
    };
    let chat = |system: &str, question: &str| {
        let mut request = Request::new(vec![Message::system(system), Message::user(question)]);
        request.max_tokens = 8;
        request
    };
    let (edits, examples, third) = (rules("edits"), rules("examples"), rules("questions"));
    let edit = engine
        .complete(&chat(&edits, "Rename f."), &mut |_| {})
        .expect("edit");
    // The examples asked between two edits take a slot of their own...
    let asked = engine
        .complete(&chat(&examples, "Two asserts."), &mut |_| {})
        .expect("examples");
    assert!(asked.cached_tokens < 16, "{} reused", asked.cached_tokens);
    // ...so the next edit still finds its instructions evaluated.
    let next = engine
        .complete(&chat(&edits, "Rename g."), &mut |_| {})
        .expect("next edit");
    assert!(
        next.cached_tokens + 16 >= edit.prompt_tokens,
        "{} of {} reused",
        next.cached_tokens,
        next.prompt_tokens
    );
    // A third kind takes the slot used least recently (the examples'), not the edits'.
    engine
        .complete(&chat(&third, "Why?"), &mut |_| {})
        .expect("question");
    let after = engine
        .complete(&chat(&edits, "Rename h."), &mut |_| {})
        .expect("edit after");
    assert!(after.cached_tokens + 16 >= edit.prompt_tokens);
}

#[test]
fn slots_that_do_not_fit_together_give_way_rather_than_fail() {
    // Room for about one of these prompts with its reply at a time.
    let mut engine = engine(400);
    let long = |topic: &str| {
        let mut request = Request::new(vec![Message::user(
            (1..=25)
                .map(|n| format!("Note {n} on {topic}.\n"))
                .collect::<String>(),
        )]);
        request.max_tokens = 16;
        request
    };
    for topic in ["parsing", "logging", "parsing", "caching", "logging"] {
        let reply = engine.complete(&long(topic), &mut |_| {});
        assert!(reply.is_ok(), "{topic}: {reply:?}");
    }
}
