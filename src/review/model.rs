//! The coder's review: the change cut into requests that fit its context (lockfiles,
//! generated and binary files are named, not sent), a reply held to a JSON schema,
//! and the reply turned into findings. A reply is evidence, not truth: findings that
//! name files or lines outside the change are dropped and counted, and a reply that
//! is not the asked-for JSON costs only that request's files.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{Body, ChangedFile, Finding, NotReviewed, Severity, files};
use crate::llm::{Backend, LlmError, Message, Request};

const SYSTEM: &str = "You review code changes before they are committed. Report only real \
problems in the added lines (marked +): bugs, security holes, crashes, wrong logic, \
unhandled errors, resource leaks. Do not report style, formatting, naming or missing \
comments, and do not repeat yourself. Each finding gives the file, the line number shown \
at the left of the line, a severity (error: it will break or is insecure; warning: it is \
likely wrong; info: worth a second look), a short kebab-case rule name, and one sentence \
saying what is wrong. Answer with JSON only, {\"findings\": [...]}, and an empty list when \
the change looks right.";

/// Tokens the system prompt and the request's framing take, with a margin.
const PROMPT_TOKENS: u32 = 600;
/// Characters per token to plan with: code tokenises at about 3–4; 3 keeps a margin.
const CHARS_PER_TOKEN: usize = 3;
/// Findings one reply may hold (a bound on runaway generation).
const MAX_FINDINGS: u64 = 20;

/// How much one request may carry, and how many requests one review may send.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub chunk_chars: usize,
    pub reply_tokens: u32,
    pub max_requests: usize,
}

impl Budget {
    /// The budget for a model with `context_size` tokens that may answer with up to
    /// `max_tokens`.
    pub fn new(context_size: u32, max_tokens: u32, max_requests: usize) -> Self {
        let reply_tokens = max_tokens.min(1024).min(context_size / 4).max(64);
        let prompt = context_size
            .saturating_sub(reply_tokens)
            .saturating_sub(PROMPT_TOKENS)
            .max(128);
        Budget {
            chunk_chars: prompt as usize * CHARS_PER_TOKEN,
            reply_tokens,
            max_requests,
        }
    }
}

/// One request's worth of the change.
#[derive(Debug, Clone, Default)]
pub struct Chunk {
    /// The files it shows, with each one's line count (to check the reply's lines).
    pub files: Vec<(String, u32)>,
    pub text: String,
}

/// What will be sent, and what will not.
#[derive(Debug, Clone, Default)]
pub struct Batches {
    pub chunks: Vec<Chunk>,
    pub not_reviewed: Vec<NotReviewed>,
}

fn not_reviewed(file: &str, reason: impl Into<String>) -> NotReviewed {
    NotReviewed {
        file: file.to_string(),
        reason: reason.into(),
    }
}

/// Cuts the change into chunks: whole files while they fit, a big file by hunks, and
/// a hunk bigger than a whole request cut short (the file is then listed as partly
/// reviewed).
pub fn plan(changed: &[ChangedFile], budget: &Budget) -> Batches {
    let mut plan = Batches::default();
    let mut current = Chunk::default();
    let mut over_limit = false;
    for file in changed {
        let (new, diff) = match &file.body {
            Body::Text { new, diff, .. } => (new, diff),
            Body::Binary { .. } => {
                plan.not_reviewed.push(not_reviewed(&file.path, "binary"));
                continue;
            }
            Body::TooLarge { .. } => {
                plan.not_reviewed
                    .push(not_reviewed(&file.path, "over review.max_file_bytes"));
                continue;
            }
            Body::Submodule => {
                plan.not_reviewed
                    .push(not_reviewed(&file.path, "submodule"));
                continue;
            }
            Body::Link => {
                plan.not_reviewed
                    .push(not_reviewed(&file.path, "symbolic link"));
                continue;
            }
            Body::Gone => continue,
        };
        if diff.hunks.is_empty() {
            continue;
        }
        let head: String = new.chars().take(1000).collect();
        if let Some(reason) = files::machine_made(&file.path, &head) {
            plan.not_reviewed
                .push(not_reviewed(&file.path, reason.as_str()));
            continue;
        }
        if over_limit {
            plan.not_reviewed
                .push(not_reviewed(&file.path, "over review.max_model_requests"));
            continue;
        }
        let header = match (&file.old_path, file.status) {
            (Some(from), _) => format!("### {} (renamed from {from})\n", file.path),
            (None, super::source::Status::Added) => format!("### {} (new file)\n", file.path),
            _ => format!("### {}\n", file.path),
        };
        let mut truncated = false;
        let mut partly_sent = false;
        let mut section = header.clone();
        for hunk in &diff.hunks {
            let mut text = hunk.render();
            if header.len() + text.len() > budget.chunk_chars {
                text = cut(&text, budget.chunk_chars.saturating_sub(header.len() + 60));
                text.push_str("      [the rest of this hunk is not shown]\n");
                truncated = true;
            }
            let has_hunks = section.len() > header.len();
            let separator = if has_hunks { "...\n" } else { "" };
            let needed = current.text.len() + 1 + section.len() + separator.len() + text.len();
            if needed > budget.chunk_chars && (has_hunks || !current.text.is_empty()) {
                // No room left: close this request, with this file's part so far.
                if has_hunks {
                    push_section(&mut current, &file.path, diff.line_count, &section);
                    partly_sent = true;
                }
                plan.chunks.push(std::mem::take(&mut current));
                section = header.clone();
                if plan.chunks.len() >= budget.max_requests {
                    over_limit = true;
                    break;
                }
                section.push_str(&text);
                continue;
            }
            section.push_str(separator);
            section.push_str(&text);
        }
        if over_limit {
            let reason = if partly_sent {
                "partly: over review.max_model_requests"
            } else {
                "over review.max_model_requests"
            };
            plan.not_reviewed.push(not_reviewed(&file.path, reason));
            continue;
        }
        push_section(&mut current, &file.path, diff.line_count, &section);
        if truncated {
            plan.not_reviewed.push(not_reviewed(
                &file.path,
                "partly: a hunk too long for the model's context",
            ));
        }
    }
    // Closing a request at the limit sets `over_limit`, so what is left fits.
    if !current.text.is_empty() {
        plan.chunks.push(current);
    }
    plan
}

fn push_section(chunk: &mut Chunk, path: &str, line_count: u32, section: &str) {
    if !chunk.text.is_empty() {
        chunk.text.push('\n');
    }
    chunk.text.push_str(section);
    if !chunk.files.iter().any(|(f, _)| f == path) {
        chunk.files.push((path.to_string(), line_count));
    }
}

/// The first whole lines of `text` that fit in `max` bytes.
fn cut(text: &str, max: usize) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if out.len() + line.len() > max {
            break;
        }
        out.push_str(line);
    }
    out
}

/// The JSON schema every reply is held to.
pub fn schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "findings": {
                "type": "array",
                "maxItems": MAX_FINDINGS,
                "items": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string"},
                        "line": {"type": "integer"},
                        "severity": {"type": "string", "enum": ["error", "warning", "info"]},
                        "rule": {"type": "string"},
                        "message": {"type": "string"}
                    },
                    "required": ["file", "line", "severity", "rule", "message"],
                    "additionalProperties": false
                }
            }
        },
        "required": ["findings"],
        "additionalProperties": false
    })
}

/// The request for one chunk.
pub fn request(chunk: &Chunk, budget: &Budget, timeout: Duration) -> Request {
    let user = format!(
        "Review this change. Line numbers are those of the new file; `+` marks added lines, \
`-` removed ones.\n\n{}",
        chunk.text
    );
    let mut request = Request::new(vec![Message::system(SYSTEM), Message::user(user)]);
    request.max_tokens = budget.reply_tokens;
    request.json_schema = Some(schema());
    request.timeout = timeout;
    request
}

/// Findings read from a reply, and how many were dropped as impossible.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub findings: Vec<Finding>,
    pub dropped: usize,
}

/// Reads a reply. Code fences and chatter around the JSON are tolerated; a reply
/// without a findings list is an error saying what came back.
pub fn parse(reply: &str, chunk: &Chunk) -> Result<Parsed, String> {
    let value = extract_json(reply)
        .ok_or_else(|| format!("the answer was not JSON: {}", snippet(reply)))?;
    let items = match &value {
        Value::Object(map) => match map.get("findings") {
            Some(Value::Array(items)) => items.clone(),
            _ => {
                return Err(format!(
                    "the answer had no findings list: {}",
                    snippet(reply)
                ));
            }
        },
        Value::Array(items) => items.clone(),
        _ => {
            return Err(format!(
                "the answer had no findings list: {}",
                snippet(reply)
            ));
        }
    };
    let counts: HashMap<&str, u32> = chunk.files.iter().map(|(f, n)| (f.as_str(), *n)).collect();
    let mut parsed = Parsed::default();
    for item in &items {
        match finding(item, &counts) {
            Some(f) => parsed.findings.push(f),
            None => parsed.dropped += 1,
        }
    }
    Ok(parsed)
}

fn finding(item: &Value, counts: &HashMap<&str, u32>) -> Option<Finding> {
    let raw_file = item.get("file")?.as_str()?.trim();
    let file = resolve_file(raw_file, counts)?;
    let line = match item.get("line")? {
        Value::Number(n) => n.as_u64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    let line = u32::try_from(line).ok()?;
    if line > counts[file] {
        return None;
    }
    let message = item.get("message")?.as_str()?.trim();
    if message.is_empty() {
        return None;
    }
    let severity =
        Severity::parse_lenient(item.get("severity").and_then(Value::as_str).unwrap_or(""));
    let rule = rule_name(item.get("rule").and_then(Value::as_str).unwrap_or(""));
    let message: String = message.chars().take(300).collect();
    Some(Finding::new(file, line, severity, &rule, message))
}

/// The chunk's file a reply names: exactly, without `a/`/`b/`, or by a unique suffix.
fn resolve_file<'a>(raw: &str, counts: &HashMap<&'a str, u32>) -> Option<&'a str> {
    let raw = raw.trim_matches('`');
    let stripped = raw
        .strip_prefix("b/")
        .or_else(|| raw.strip_prefix("a/"))
        .unwrap_or(raw);
    for candidate in [raw, stripped] {
        if let Some((file, _)) = counts.get_key_value(candidate) {
            return Some(file);
        }
    }
    let mut suffix = counts
        .keys()
        .filter(|f| !stripped.is_empty() && f.ends_with(&format!("/{stripped}")));
    match (suffix.next(), suffix.next()) {
        (Some(file), None) => Some(file),
        _ => None,
    }
}

/// A model's rule as a stable name: kebab-case under `model/`, unless it names one of
/// the static rules (so the same problem found twice is merged).
fn rule_name(raw: &str) -> String {
    let mut name = String::new();
    for c in raw.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name: String = name.trim_end_matches('-').chars().take(40).collect();
    if super::checks::RULES
        .iter()
        .any(|(rule, _, _)| *rule == name)
    {
        return name;
    }
    if name.is_empty() {
        "model/review".into()
    } else {
        format!("model/{name}")
    }
}

fn extract_json(reply: &str) -> Option<Value> {
    let trimmed = reply.trim();
    if let Ok(v) = serde_json::from_str(trimmed) {
        return Some(v);
    }
    // Fenced, or with words around it: the outermost object or array.
    for (open, close) in [('{', '}'), ('[', ']')] {
        if let (Some(start), Some(end)) = (trimmed.find(open), trimmed.rfind(close))
            && start < end
            && let Ok(v) = serde_json::from_str(&trimmed[start..=end])
        {
            return Some(v);
        }
    }
    None
}

fn snippet(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() {
        return "(empty)".into();
    }
    let short: String = one_line.chars().take(60).collect();
    if short.len() < one_line.len() {
        format!("`{short}…`")
    } else {
        format!("`{short}`")
    }
}

/// What the model's review came to.
#[derive(Debug, Default)]
pub struct Reviewed {
    pub findings: Vec<Finding>,
    /// Requests answered with usable JSON, of those sent.
    pub answered: usize,
    pub sent: usize,
    pub not_reviewed: Vec<NotReviewed>,
    /// One line per request that went wrong.
    pub problems: Vec<String>,
    /// Findings that named files or lines outside the change.
    pub dropped: usize,
    /// Ctrl-C stopped the review.
    pub interrupted: bool,
}

/// Sends each chunk in turn until done, out of time, interrupted, or the backend
/// fails (then the rest is listed as not reviewed). `progress` hears (done, total).
pub fn review(
    backend: &mut dyn Backend,
    plan: Batches,
    budget: &Budget,
    deadline: Instant,
    progress: &mut dyn FnMut(usize, usize),
) -> Reviewed {
    let mut outcome = Reviewed {
        not_reviewed: plan.not_reviewed,
        ..Reviewed::default()
    };
    let total = plan.chunks.len();
    let mut chunks = plan.chunks.into_iter().enumerate();
    let mut stop_reason = None;
    for (i, chunk) in chunks.by_ref() {
        progress(i, total);
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            stop_reason = Some("out of time (review.timeout_s)");
            list_unreviewed(&mut outcome, &chunk, "out of time (review.timeout_s)");
            break;
        }
        outcome.sent += 1;
        // Whole seconds: the limit shows up in messages.
        let timeout = Duration::from_secs(remaining.as_secs().max(1));
        let request = request(&chunk, budget, timeout);
        let reply = backend.complete(&request, &mut |_| {});
        let text = match reply {
            Ok(completion) => completion.text,
            Err(e) => {
                let (reason, stop) = match &e {
                    LlmError::Timeout(_) => ("out of time (review.timeout_s)", true),
                    LlmError::Cancelled => {
                        outcome.interrupted = true;
                        ("interrupted", true)
                    }
                    LlmError::PromptTooLong { .. } => ("too long for the model's context", false),
                    _ => ("the model failed", true),
                };
                outcome
                    .problems
                    .push(format!("request {} of {total}: {e}", i + 1));
                list_unreviewed(&mut outcome, &chunk, reason);
                if stop {
                    stop_reason = Some(reason);
                    break;
                }
                continue;
            }
        };
        match parse(&text, &chunk) {
            Ok(parsed) => {
                outcome.answered += 1;
                outcome.dropped += parsed.dropped;
                outcome.findings.extend(parsed.findings);
            }
            Err(why) => {
                outcome
                    .problems
                    .push(format!("request {} of {total}: {why}", i + 1));
                list_unreviewed(&mut outcome, &chunk, "the model's answer was unusable");
            }
        }
    }
    if let Some(reason) = stop_reason {
        for (_, chunk) in chunks {
            list_unreviewed(&mut outcome, &chunk, reason);
        }
    }
    progress(total, total);
    outcome
}

fn list_unreviewed(outcome: &mut Reviewed, chunk: &Chunk, reason: &str) {
    for (file, _) in &chunk.files {
        if !outcome.not_reviewed.iter().any(|n| &n.file == file) {
            outcome.not_reviewed.push(not_reviewed(file, reason));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::source::{Content, FileChange, Status};

    fn added(path: &str, text: &str) -> ChangedFile {
        ChangedFile::prepare(FileChange {
            path: path.into(),
            old_path: None,
            status: Status::Added,
            old: None,
            new: Some(Content::Bytes(text.as_bytes().to_vec())),
        })
    }

    fn chunk(files: &[(&str, u32)]) -> Chunk {
        Chunk {
            files: files.iter().map(|(f, n)| (f.to_string(), *n)).collect(),
            text: String::new(),
        }
    }

    #[test]
    fn small_files_share_a_request_and_machine_made_ones_are_named() {
        let files = vec![
            added("a.py", "x = 1\n"),
            added("b.py", "y = 2\n"),
            added("Cargo.lock", "# lock\n"),
            ChangedFile::prepare(FileChange {
                path: "logo.png".into(),
                old_path: None,
                status: Status::Added,
                old: None,
                new: Some(Content::Bytes(b"\x89PNG\0".to_vec())),
            }),
        ];
        let plan = plan(&files, &Budget::new(8192, 512, 8));
        assert_eq!(plan.chunks.len(), 1);
        assert!(plan.chunks[0].text.contains("### a.py (new file)"));
        assert!(plan.chunks[0].text.contains("    1 + y = 2"));
        let skipped: Vec<_> = plan
            .not_reviewed
            .iter()
            .map(|n| (n.file.as_str(), n.reason.as_str()))
            .collect();
        assert_eq!(
            skipped,
            vec![("Cargo.lock", "lockfile"), ("logo.png", "binary")]
        );
    }

    #[test]
    fn a_big_change_is_cut_and_what_is_over_the_limit_is_listed() {
        let big: String = (0..400)
            .map(|i| format!("value_{i} = compute({i})\n"))
            .collect();
        let files = vec![
            added("one.py", &big),
            added("two.py", &big),
            added("three.py", &big),
        ];
        let budget = Budget {
            chunk_chars: 4000,
            reply_tokens: 256,
            max_requests: 2,
        };
        let plan = plan(&files, &budget);
        assert_eq!(plan.chunks.len(), 2);
        assert!(plan.chunks.iter().all(|c| c.text.len() <= 4000));
        assert!(
            plan.not_reviewed
                .iter()
                .any(|n| n.file == "three.py" && n.reason == "over review.max_model_requests"),
            "{:?}",
            plan.not_reviewed
        );
    }

    #[test]
    fn replies_are_checked_against_the_change() {
        let c = chunk(&[("src/app.py", 10)]);
        let reply = r#"```json
{"findings": [
  {"file": "src/app.py", "line": 3, "severity": "error", "rule": "Null Deref", "message": "x may be None"},
  {"file": "b/src/app.py", "line": 4, "severity": "bogus", "rule": "", "message": "odd"},
  {"file": "app.py", "line": "5", "severity": "info", "rule": "trailing-whitespace", "message": "ws"},
  {"file": "other.py", "line": 1, "severity": "error", "rule": "x", "message": "not in the change"},
  {"file": "src/app.py", "line": 99, "severity": "error", "rule": "x", "message": "past the end"}
]}
```"#;
        let parsed = parse(reply, &c).expect("parses");
        assert_eq!(parsed.dropped, 2);
        let got: Vec<_> = parsed
            .findings
            .iter()
            .map(|f| (f.line, f.severity, f.rule.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, Severity::Error, "model/null-deref"),
                (4, Severity::Warning, "model/review"),
                (5, Severity::Info, "trailing-whitespace"),
            ]
        );
        assert!(parse("I think it is fine!", &c).is_err());
        assert!(parse(r#"{"verdict": "ok"}"#, &c).is_err());
    }

    #[test]
    fn the_schema_becomes_a_grammar_for_local_models() {
        let grammar = llama_cpp_2::json_schema_to_grammar(&schema().to_string())
            .expect("llama.cpp accepts the schema");
        assert!(grammar.contains("root"), "{grammar}");
    }

    #[test]
    fn the_budget_leaves_room_for_the_answer() {
        let b = Budget::new(8192, 2048, 8);
        assert_eq!(b.reply_tokens, 1024);
        assert_eq!(b.chunk_chars, (8192 - 1024 - 600) * 3);
        let tiny = Budget::new(512, 2048, 8);
        assert!(tiny.chunk_chars >= 128 * 3);
    }
}
