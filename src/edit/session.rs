//! One conversation with a model that ends in a patch: ask, read the reply, apply its
//! blocks in memory, and on failure tell the model which blocks applied and what went
//! wrong with the rest, up to the retry limit. A retry samples at a small temperature:
//! under greedy decoding the same prompt gives the same broken reply again.

use std::time::Duration;

use super::format::{self, EditBlock};
use super::grammar;
use super::patch::Patch;
use super::prompt::{self, Shown};
use super::workset::{Form, Workset};
use crate::llm::{Backend, LlmError, Message, Request};

/// What to ask for.
pub struct Task<'a> {
    pub instruction: &'a str,
    /// The repository map shown to the model.
    pub map: &'a str,
    pub form: Form,
    /// An algorithm task: the reply ends with a complexity analysis.
    pub algorithm: bool,
    pub retries: u32,
    pub max_tokens: u32,
    pub timeout: Duration,
}

/// A patch the model proposed, and what it cost.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub patch: Patch,
    pub attempts: u32,
    pub prompt_tokens: usize,
    pub completion_tokens: usize,
    pub generation_time: Duration,
    pub complexity: Option<String>,
    /// The last reply, as the model wrote it.
    pub reply: String,
}

/// Why no patch came out.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error(transparent)]
    Model(#[from] LlmError),
    #[error("the model's reply could not be applied after {attempts} attempts: {reason}")]
    Unusable { attempts: u32, reason: String },
    #[error("the model's reply changes nothing")]
    NoChange,
}

/// What the caller is told while the model works.
pub enum Progress<'a> {
    /// Generated text, as it streams.
    Text(&'a str),
    /// A reply failed; another attempt starts.
    Retry { attempt: u32, reason: &'a str },
}

/// Asks `backend` for the edit and applies the reply to `workset` in memory.
pub fn propose(
    backend: &mut dyn Backend,
    workset: &mut Workset,
    task: &Task,
    progress: &mut dyn FnMut(Progress),
) -> Result<Proposal, EditError> {
    let targets = workset.targets.clone();
    let mut texts = Vec::new();
    for path in &targets {
        let text = workset
            .text(path)
            .map_err(|e| EditError::Unusable {
                attempts: 0,
                reason: e.to_string(),
            })?
            .map(str::to_string);
        texts.push((path.clone(), text));
    }
    let shown: Vec<Shown> = texts
        .iter()
        .map(|(path, text)| Shown {
            path,
            text: text.as_deref(),
        })
        .collect();
    let mut messages = vec![
        Message::system(prompt::system(task.form, task.algorithm)),
        Message::user(prompt::user(task.map, &shown, task.instruction)),
    ];
    let default_path = match targets.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    };
    let grammar = match (task.form, &texts[..]) {
        (Form::Grammar, [(path, Some(text))]) => Some(grammar::search_replace(path, text)),
        _ => None,
    };

    let mut totals = (0, 0, Duration::ZERO);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut request = Request::new(messages.clone());
        request.max_tokens = task.max_tokens;
        request.timeout = task.timeout;
        request.grammar = grammar.clone();
        if attempt > 1 {
            request.temperature = 0.3;
            request.seed = attempt;
        }
        let completion =
            backend.complete(&request, &mut |piece| progress(Progress::Text(piece)))?;
        totals.0 += completion.prompt_tokens;
        totals.1 += completion.completion_tokens;
        totals.2 += completion.generation_time;
        let reply = completion.text;

        let (applied, failed) = match format::parse(&reply, default_path.as_deref()) {
            Ok(blocks) => apply_blocks(workset, &blocks, task.form),
            Err(e) => (Vec::new(), vec![(0, e.to_string())]),
        };
        if failed.is_empty() {
            let patch = workset.patch();
            if patch.is_empty() {
                return Err(EditError::NoChange);
            }
            return Ok(Proposal {
                patch,
                attempts: attempt,
                prompt_tokens: totals.0,
                completion_tokens: totals.1,
                generation_time: totals.2,
                complexity: task.algorithm.then(|| prompt::complexity(&reply)).flatten(),
                reply,
            });
        }
        let reason = failed
            .iter()
            .map(|(_, e)| e.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        if attempt > task.retries {
            return Err(EditError::Unusable {
                attempts: attempt,
                reason,
            });
        }
        progress(Progress::Retry {
            attempt: attempt + 1,
            reason: &reason,
        });
        messages.push(Message::assistant(reply));
        messages.push(Message::user(prompt::retry(&applied, &failed, task.form)));
    }
}

/// Applies each block in turn; returns the numbers (1-based) of those that applied and
/// the errors of those that did not.
fn apply_blocks(
    workset: &mut Workset,
    blocks: &[EditBlock],
    form: Form,
) -> (Vec<usize>, Vec<(usize, String)>) {
    let mut applied = Vec::new();
    let mut failed = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        match workset.apply(block, form) {
            Ok(()) => applied.push(i + 1),
            Err(e) => failed.push((i + 1, e.to_string())),
        }
    }
    (applied, failed)
}
