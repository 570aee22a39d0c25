//! One conversation with a model that ends in a patch: ask, read the reply, apply its
//! blocks in memory, and on failure tell the model which blocks applied and what went
//! wrong with the rest, up to the retry limit. A retry samples at a small temperature:
//! under greedy decoding the same prompt gives the same broken reply again.
//!
//! With a verifier, each patch is checked before it is returned (`crate::verify`): a
//! failing check goes back to the model with the exact errors and lines, up to the
//! check attempts; a reply that changes nothing or repeats an earlier attempt is asked
//! for again in another reply form (definitions → whole file → SEARCH/REPLACE). Every
//! check is recorded, and a patch still failing at the end is returned marked so.

use std::cell::Cell;
use std::time::Duration;

use serde::Serialize;

use super::format::{self, EditBlock};
use super::grammar;
use super::imports::Mended;
use super::patch::{FileChange, Patch};
use super::prompt::{self, Shown};
use super::workset::{Form, Workset};
use crate::llm::backend::Finish;
use crate::llm::{Backend, Completion, LlmError, Message, Request};
use crate::verify;
use crate::verify::examples::Example;

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

/// Checks each patch before it is returned.
pub struct Verifier<'v> {
    /// Times a failing patch goes back to the model.
    pub attempts: u32,
    pub check: &'v mut dyn FnMut(&Patch) -> verify::Report,
    /// Mends what fails its checks where no model is needed and the fix is certain (the
    /// imports a patch lacks, see `super::imports`): each file's new text.
    pub mend: &'v mut dyn FnMut(&Patch, &verify::Report) -> Vec<Mended>,
    /// Runs examples of what the request asks against a patch (`verify::examples`);
    /// `None` when they are not to run. The model writes them once, the first time a
    /// patch passes the other checks.
    pub examples: Option<&'v mut RunExamples<'v>>,
}

/// Runs examples against a patch.
pub type RunExamples<'a> = dyn FnMut(&Patch, &[Example]) -> verify::Check + 'a;

/// How the returned patch fared in its checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No verifier was given, or it checked nothing.
    Unchecked,
    Passed,
    /// Still failing after the last attempt: it must not be applied without an explicit
    /// confirmation.
    Failing,
}

impl Verdict {
    /// What one check report says of its patch.
    fn of(report: &verify::Report) -> Verdict {
        match (report.failed(), report.checks.is_empty()) {
            (true, _) => Verdict::Failing,
            (false, true) => Verdict::Unchecked,
            (false, false) => Verdict::Passed,
        }
    }
}

/// One checked attempt.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptRecord {
    /// The model call it came from, from 1; 0 for a patch the tool made itself.
    pub attempt: u32,
    /// The form the model wrote it in; `None` for a patch the tool made itself
    /// (`"tool"` in JSON).
    #[serde(serialize_with = "form_name")]
    pub form: Option<Form>,
    pub report: verify::Report,
}

fn form_name<S: serde::Serializer>(form: &Option<Form>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(form.map_or("tool", Form::as_str))
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
    /// The form the patch was finally written in; `None` when the tool made it.
    pub form: Option<Form>,
    /// Every checked attempt, in order; the last is the returned patch's.
    pub checks: Vec<AttemptRecord>,
    pub verdict: Verdict,
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
    /// Ctrl-C (or the caller's cancel) stopped the checks: the patch is not vouched
    /// for, so there is none.
    #[error("interrupted while checking the edit")]
    Interrupted,
}

/// What the caller is told while the model works.
pub enum Progress<'a> {
    /// Generated text, as it streams.
    Text(&'a str),
    /// A reply failed; another attempt starts.
    Retry { attempt: u32, reason: &'a str },
    /// A failing patch was mended without the model (then checked again).
    Mended { note: &'a str },
    /// The model starts writing examples of what the request asks of the functions
    /// `of` (their names); its text streams as `Text`.
    WritingExamples { of: &'a str },
    /// An attempt's patch was checked.
    Checked {
        attempt: u32,
        report: &'a verify::Report,
    },
}

/// The change as the verifier reads it.
impl<'a> From<&'a FileChange> for verify::Change<'a> {
    fn from(change: &'a FileChange) -> Self {
        verify::Change {
            path: &change.path,
            before: change.before.is_some().then_some(change.old_text.as_str()),
            after: Some(change.new_text.as_str()),
        }
    }
}

/// The changes of `patch` as the verifier reads them.
pub fn changes(patch: &Patch) -> Vec<verify::Change<'_>> {
    patch.changes.iter().map(verify::Change::from).collect()
}

/// Asks `backend` for the edit and applies the reply to `workset` in memory.
pub fn propose(
    backend: &mut dyn Backend,
    workset: &mut Workset,
    task: &Task,
    progress: &mut dyn FnMut(Progress),
) -> Result<Proposal, EditError> {
    propose_checked(backend, workset, task, progress, None)
}

/// The next form to ask in when a reply changed nothing or repeated itself.
pub fn other_form(form: Form) -> Form {
    match form {
        Form::Definitions => Form::WholeFile,
        Form::WholeFile => Form::SearchReplace,
        Form::SearchReplace | Form::Grammar => Form::Definitions,
    }
}

/// `propose`, with each patch checked by `verifier` before it is returned.
pub fn propose_checked(
    backend: &mut dyn Backend,
    workset: &mut Workset,
    task: &Task,
    progress: &mut dyn FnMut(Progress),
    mut verifier: Option<Verifier>,
) -> Result<Proposal, EditError> {
    let targets = workset.targets.clone();
    let first_texts = current_texts(workset, &targets)?;
    let mut messages = conversation(task, task.form, &first_texts, "");
    let default_path = match targets.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    };
    let mut form = task.form;
    let mut grammar = grammar_for(form, &first_texts);

    // Tokens in, tokens out and generation time over every model call.
    let totals = Cell::new((0, 0, Duration::ZERO));
    let mut attempt = 0;
    let mut retries_left = task.retries;
    let mut checks_left = verifier.as_ref().map_or(0, |v| v.attempts);
    let mut records: Vec<AttemptRecord> = Vec::new();
    let mut seen_replies: Vec<String> = Vec::new();
    let mut examples: Option<Vec<Example>> = None;
    let mut examples_asked_again = false;
    // Each checked attempt's patch and reply, beside its record: what a repeat is
    // told by, and what a failing end keeps the best of.
    let mut checked: Vec<(Patch, String)> = Vec::new();
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
        spend(&totals, &completion);
        let reply = completion.text;
        let finish = |patch: Patch, reply: String, records: Vec<AttemptRecord>, verdict| Proposal {
            patch,
            attempts: attempt,
            prompt_tokens: totals.get().0,
            completion_tokens: totals.get().1,
            generation_time: totals.get().2,
            complexity: task.algorithm.then(|| prompt::complexity(&reply)).flatten(),
            reply,
            form: Some(form),
            checks: records,
            verdict,
        };

        let repeated_reply = seen_replies.iter().any(|r| r.trim() == reply.trim());
        seen_replies.push(reply.clone());
        let (applied, failed) = if repeated_reply && !checked.is_empty() {
            // The same reply again would be applied on top of itself; it is a repeat.
            (Vec::new(), Vec::new())
        } else {
            match format::parse(&reply, default_path.as_deref()) {
                Ok(blocks) => apply_blocks(workset, &blocks, form),
                Err(e) => (Vec::new(), vec![(0, e.to_string())]),
            }
        };
        if !failed.is_empty() {
            let reason = failed
                .iter()
                .map(|(_, e)| e.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            if retries_left == 0 {
                if !checked.is_empty() {
                    // An unusable last reply does not lose the attempts checked before.
                    return Ok(finish_best(&mut records, &mut checked, finish));
                }
                return Err(EditError::Unusable {
                    attempts: attempt,
                    reason,
                });
            }
            retries_left -= 1;
            progress(Progress::Retry {
                attempt: attempt + 1,
                reason: &reason,
            });
            messages.push(Message::assistant(reply));
            messages.push(Message::user(prompt::retry(&applied, &failed, form)));
            continue;
        }

        let patch = workset.patch();
        // An attempt checked before, as a reply or as a patch (a fresh attempt starts
        // from the files as they were, so a repeated reply may give its patch again).
        let repeat = (repeated_reply && !checked.is_empty())
            || (!patch.is_empty() && checked.iter().any(|(seen, _)| *seen == patch));
        let disputed = repeat
            && records
                .last()
                .is_some_and(|r| only_examples_failed(&r.report).is_some());
        if disputed {
            // Asked afresh with the examples it failed, the model wrote the same code
            // again: it reads the request otherwise than its examples do, and another
            // round will not settle which reading is right.
            return Ok(finish_best(&mut records, &mut checked, finish));
        }
        if patch.is_empty() || repeat {
            // Asked the same way, a small model tends to answer the same way.
            let budget = if repeat {
                &mut checks_left
            } else {
                &mut retries_left
            };
            if *budget == 0 {
                if checked.is_empty() {
                    return Err(EditError::NoChange);
                }
                // Every check before failed (a passing one ended the loop).
                return Ok(finish_best(&mut records, &mut checked, finish));
            }
            *budget -= 1;
            let reason = if repeat {
                "the reply repeats an earlier attempt"
            } else {
                "the reply changes nothing"
            };
            form = other_form(form);
            progress(Progress::Retry {
                attempt: attempt + 1,
                reason: &format!("{reason}; asking for {}", describe(form)),
            });
            let feedback = records
                .last()
                .and_then(|r| r.report.feedback())
                .unwrap_or_default();
            let texts = current_texts(workset, &paths_of(&targets, &patch))?;
            let note = prompt::another_form(!repeat, &feedback);
            messages = conversation(task, form, &texts, &note);
            grammar = None;
            continue;
        }

        let Some(verifier) = verifier.as_mut() else {
            return Ok(finish(patch, reply, records, Verdict::Unchecked));
        };
        let report = (verifier.check)(&patch);
        let (patch, report) = mended(verifier, workset, patch, report, progress);
        let report = with_examples(
            backend,
            task,
            verifier,
            &patch,
            report,
            &mut examples,
            &totals,
            progress,
        )?;
        if report.cancelled {
            return Err(EditError::Interrupted);
        }
        progress(Progress::Checked {
            attempt,
            report: &report,
        });
        let failed = report.failed();
        let feedback = report.feedback().unwrap_or_default();
        let first_problem = report
            .problems()
            .next()
            .map(|(kind, p)| {
                let place = match (&p.path, p.line) {
                    (Some(path), Some(line)) => format!("{path}:{line}: "),
                    _ => String::new(),
                };
                let message = p.message.lines().next().unwrap_or_default();
                format!("the {} check failed: {place}{message}", kind.as_str())
            })
            .unwrap_or_default();
        records.push(AttemptRecord {
            attempt,
            form: Some(form),
            report,
        });
        checked.push((patch.clone(), reply.clone()));
        if !failed {
            let verdict = Verdict::of(&records.last().expect("pushed above").report);
            return Ok(finish(patch, reply, records, verdict));
        }
        let examples_only = only_examples_failed(&records.last().expect("pushed above").report)
            .map(|failed| prompt::examples_failed(&failed));
        if checks_left == 0 || (examples_only.is_some() && examples_asked_again) {
            // Out of attempts, or a fresh attempt still fails the examples: the two
            // readings of the request disagree, and another round will not settle it.
            return Ok(finish_best(&mut records, &mut checked, finish));
        }
        checks_left -= 1;
        progress(Progress::Retry {
            attempt: attempt + 1,
            reason: &first_problem,
        });
        if let Some(note) = examples_only {
            // Shown its own code again, a small model defends it; asked afresh, with
            // the examples it failed beside the request, it writes the code anew, on
            // the files as they were (as it is shown them). Once.
            messages = conversation(task, form, &first_texts, &note);
            workset.reset();
            examples_asked_again = true;
            grammar = grammar_for(form, &first_texts);
            continue;
        }
        messages.push(Message::assistant(reply));
        messages.push(Message::user(prompt::checks_failed(&feedback, form)));
        if form == Form::Grammar {
            grammar = grammar_for(form, &current_texts(workset, &targets)?);
        }
    }
}

/// The failing end: the best failing attempt (`keep_best`), marked, with its own form.
fn finish_best(
    records: &mut Vec<AttemptRecord>,
    checked: &mut Vec<(Patch, String)>,
    finish: impl FnOnce(Patch, String, Vec<AttemptRecord>, Verdict) -> Proposal,
) -> Proposal {
    let (patch, reply) = keep_best(records, checked);
    let kept = records.last().and_then(|r| r.form);
    let mut proposal = finish(patch, reply, std::mem::take(records), Verdict::Failing);
    proposal.form = kept.or(proposal.form);
    proposal
}

/// The failing attempt to return: the one that fails the fewest examples among those
/// that fail nothing else (an example is the model's reading of the request and may be
/// wrong itself, and a later attempt may give up a right fix to please it), else the
/// last; the earliest of equals (a later attempt that fails as many was written to please
/// examples that may be wrong, and did no better). Its record is moved last, where the
/// returned patch's is.
fn keep_best(
    records: &mut Vec<AttemptRecord>,
    checked: &mut Vec<(Patch, String)>,
) -> (Patch, String) {
    let mut best = records.len() - 1;
    let mut fewest = usize::MAX;
    for (i, record) in records.iter().enumerate() {
        if let Some(failed) = only_examples_failed(&record.report)
            && failed.len() < fewest
        {
            fewest = failed.len();
            best = i;
        }
    }
    let record = records.remove(best);
    records.push(record);
    checked.swap_remove(best)
}

/// What the examples said, when they are all that failed.
fn only_examples_failed(report: &verify::Report) -> Option<Vec<&str>> {
    let problems: Vec<_> = report.problems().collect();
    problems
        .iter()
        .all(|(kind, _)| *kind == verify::CheckKind::Examples)
        .then(|| problems.iter().map(|(_, p)| p.message.as_str()).collect())
        .filter(|failed: &Vec<&str>| !failed.is_empty())
}

/// `report` with the examples check added when every other check passed: the model
/// writes the examples once (`written`), from the request and the signatures of the
/// functions it names that the first such patch adds or changes, and they run on each
/// patch from then on. No such function, or a reply with no usable example, means no
/// examples check; a model that fails to write them does not fail the edit (Ctrl-C
/// stops it).
// The loop's state it reads and adds to, each by its own name.
#[allow(clippy::too_many_arguments)]
fn with_examples(
    backend: &mut dyn Backend,
    task: &Task,
    verifier: &mut Verifier,
    patch: &Patch,
    mut report: verify::Report,
    written: &mut Option<Vec<Example>>,
    totals: &Cell<(usize, usize, Duration)>,
    progress: &mut dyn FnMut(Progress),
) -> Result<verify::Report, EditError> {
    let Some(run) = verifier.examples.as_mut() else {
        return Ok(report);
    };
    if report.failed() || report.cancelled || tests_say_it(task.instruction, &report, patch) {
        return Ok(report);
    }
    if written.is_none() {
        // Until a patch changes a function the request names, there is nothing to ask.
        let targets = verify::examples::targets(task.instruction, &changes(patch));
        if targets.is_empty() {
            return Ok(report);
        }
        let mut request = Request::new(verify::examples::ask(task.instruction, &targets));
        request.max_tokens = verify::examples::room(&targets);
        request.grammar = Some(verify::examples::grammar(&targets));
        request.timeout = task.timeout;
        let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
        progress(Progress::WritingExamples {
            of: &names.join(", "),
        });
        let reply = backend.complete(&request, &mut |piece| progress(Progress::Text(piece)));
        *written = Some(match reply {
            Ok(completion) => {
                spend(totals, &completion);
                // A line cut off by the token limit may still parse (`== 1` of
                // `== 12`) and would blame right code.
                let whole = match completion.finish {
                    Finish::Length => completion
                        .text
                        .rsplit_once('\n')
                        .map_or("", |(before, _)| before),
                    _ => completion.text.as_str(),
                };
                verify::examples::parse(whole, &targets)
            }
            Err(LlmError::Cancelled) => return Err(EditError::Interrupted),
            Err(_) => Vec::new(),
        });
    }
    let examples = written.as_deref().unwrap_or_default();
    if examples.is_empty() {
        return Ok(report);
    }
    let check = run(patch, examples);
    report.duration += check.duration;
    report.checks.push(check);
    Ok(report)
}

/// Whether the project's own tests passed and the request names a test file, one the
/// edit leaves as it was, as what says what it asks ("see test_counter.py",
/// "test_stats.py has the expected results"): the user's tests are the specification,
/// and the model's examples would only be a second, less certain reading of it. Tests
/// the edit writes or changes are the model's own reading, and say nothing.
fn tests_say_it(instruction: &str, report: &verify::Report, patch: &Patch) -> bool {
    let tests_passed = report.checks.iter().any(|c| {
        c.kind == verify::CheckKind::Tests && matches!(c.status, verify::Status::Passed { .. })
    });
    let touched: Vec<&str> = changes(patch)
        .iter()
        .map(|c| c.path.rsplit('/').next().unwrap_or(c.path))
        .collect();
    tests_passed
        && instruction.split_whitespace().any(|word| {
            let word = word
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '_' && c != '.')
                .trim_end_matches('.');
            let file = word.rsplit('/').next().unwrap_or(word);
            file.strip_suffix(".py")
                .is_some_and(|stem| stem.starts_with("test_") || stem.ends_with("_test"))
                && !touched.contains(&file)
        })
}

/// Adds a model call's tokens and time to `totals`.
fn spend(totals: &Cell<(usize, usize, Duration)>, completion: &Completion) {
    let (prompt, generated, time) = totals.get();
    totals.set((
        prompt + completion.prompt_tokens,
        generated + completion.completion_tokens,
        time + completion.generation_time,
    ));
}

/// A patch the tool made itself, with no model (a rename, see `super::rename`), checked
/// as a model's patch is: mended where that is certain, and marked when it still fails.
/// Its one check is recorded as attempt 0, since no model call made it.
pub fn made_by_tool(
    workset: &mut Workset,
    what: String,
    verifier: Option<Verifier>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Proposal, EditError> {
    let patch = workset.patch();
    let (patch, checks, verdict) = match verifier {
        None => (patch, Vec::new(), Verdict::Unchecked),
        Some(mut verifier) => {
            let report = (verifier.check)(&patch);
            let (patch, report) = mended(&mut verifier, workset, patch, report, progress);
            if report.cancelled {
                return Err(EditError::Interrupted);
            }
            progress(Progress::Checked {
                attempt: 0,
                report: &report,
            });
            let verdict = Verdict::of(&report);
            let record = AttemptRecord {
                attempt: 0,
                form: None,
                report,
            };
            (patch, vec![record], verdict)
        }
    };
    Ok(Proposal {
        patch,
        attempts: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        generation_time: Duration::ZERO,
        complexity: None,
        reply: what,
        form: None,
        checks,
        verdict,
    })
}

/// A failing patch with what can be mended without the model mended (see
/// `super::imports`), and checked again; the patch as it was when nothing applies.
fn mended(
    verifier: &mut Verifier,
    workset: &mut Workset,
    patch: Patch,
    report: verify::Report,
    progress: &mut dyn FnMut(Progress),
) -> (Patch, verify::Report) {
    if !report.failed() || report.cancelled {
        return (patch, report);
    }
    let fixes = (verifier.mend)(&patch, &report);
    if fixes.is_empty() {
        return (patch, report);
    }
    let mut changed = false;
    for fix in fixes {
        // The file is in the work set already (the patch holds it), so this holds.
        if workset.replace(&fix.path, fix.text).is_ok() {
            changed = true;
            progress(Progress::Mended { note: &fix.note });
        }
    }
    if !changed {
        return (patch, report);
    }
    let patch = workset.patch();
    let report = (verifier.check)(&patch);
    (patch, report)
}

/// The files' texts as edited so far (`None` for a file that does not exist yet).
fn current_texts(
    workset: &mut Workset,
    paths: &[String],
) -> Result<Vec<(String, Option<String>)>, EditError> {
    let mut texts = Vec::new();
    for path in paths {
        let text = workset
            .text(path)
            .map_err(|e| EditError::Unusable {
                attempts: 0,
                reason: e.to_string(),
            })?
            .map(str::to_string);
        texts.push((path.clone(), text));
    }
    Ok(texts)
}

/// The targets, then any other file the patch touches.
fn paths_of(targets: &[String], patch: &Patch) -> Vec<String> {
    let mut paths = targets.to_vec();
    for path in patch.paths() {
        if !paths.iter().any(|p| p == path) {
            paths.push(path.to_string());
        }
    }
    paths
}

/// A fresh conversation in `form`: its system prompt, then the files and the request,
/// with `note` after the request.
fn conversation(
    task: &Task,
    form: Form,
    texts: &[(String, Option<String>)],
    note: &str,
) -> Vec<Message> {
    let shown: Vec<Shown> = texts
        .iter()
        .map(|(path, text)| Shown {
            path,
            text: text.as_deref(),
        })
        .collect();
    let mut user = prompt::user(task.map, &shown, task.instruction);
    user.push_str(note);
    vec![
        Message::system(prompt::system(form, task.algorithm)),
        Message::user(user),
    ]
}

fn grammar_for(form: Form, texts: &[(String, Option<String>)]) -> Option<String> {
    match (form, texts) {
        (Form::Grammar, [(path, Some(text))]) => Some(grammar::search_replace(path, text)),
        _ => None,
    }
}

fn describe(form: Form) -> &'static str {
    match form {
        Form::Definitions => "whole definitions",
        Form::WholeFile => "the whole file",
        Form::SearchReplace | Form::Grammar => "SEARCH/REPLACE blocks",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::Completion;
    use crate::llm::backend::Finish;
    use crate::workspace::Workspace;

    /// A model that answers from a script and keeps every request.
    struct Scripted {
        replies: Vec<&'static str>,
        requests: Vec<Request>,
    }

    impl Backend for Scripted {
        fn describe(&self) -> String {
            "scripted".into()
        }

        fn complete(
            &mut self,
            request: &Request,
            _sink: &mut dyn FnMut(&str),
        ) -> Result<Completion, LlmError> {
            let text = self.replies[self.requests.len().min(self.replies.len() - 1)];
            self.requests.push(request.clone());
            Ok(Completion {
                text: text.to_string(),
                finish: Finish::Stop,
                prompt_tokens: 10,
                cached_tokens: 0,
                completion_tokens: 5,
                prompt_time: Duration::ZERO,
                generation_time: Duration::ZERO,
            })
        }
    }

    const SLUG: &str = "def slug(s):\n    return s.lower()\n";
    const NO_IMPORT: &str =
        "text.py\n```python\ndef slug(s):\n    return re.sub(r'\\W+', '-', s.lower())\n```\n";
    const WITH_IMPORT: &str = "text.py\n```python\nimport re\n\n\ndef slug(s):\n    return re.sub(r'\\W+', '-', s.lower())\n```\n";

    const DASHES: &str = "import re\n\n\ndef dashes(s):\n    return re.sub(r'\\W+', '-', s)\n";
    const USES_DASHES: &str =
        "text.py\n```python\ndef slug(s):\n    return dashes(s.lower())\n```\n";

    fn settings() -> verify::Settings {
        verify::Settings {
            enabled: true,
            attempts: 2,
            test: String::new(),
            test_timeout_s: 10,
            run_code: false,
            cargo_check: false,
            examples: crate::config::Examples::Off,
        }
    }

    /// Runs one edit of text.py with the real checks.
    fn run(
        replies: Vec<&'static str>,
        attempts: u32,
    ) -> (Result<Proposal, EditError>, Scripted, Vec<String>) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("text.py"), SLUG).expect("write");
        std::fs::write(dir.path().join("dashes.py"), DASHES).expect("write");
        let map = crate::map::Map {
            files: ["text.py", "dashes.py"]
                .map(|path| {
                    let text = std::fs::read_to_string(dir.path().join(path)).expect("read");
                    crate::map::entry(path, crate::map::Stamp::default(), Some(&text))
                })
                .to_vec(),
        };
        let workspace = Workspace {
            root: dir.path().to_path_buf(),
            git_dir: dir.path().join(".git"),
        };
        let mut backend = Scripted {
            replies,
            requests: Vec::new(),
        };
        let mut workset = Workset::new(&workspace, vec!["text.py".into()], "slugs with dashes");
        let task = Task {
            instruction: "make slug replace non-word characters with dashes",
            map: "",
            form: Form::Definitions,
            algorithm: false,
            retries: 1,
            max_tokens: 100,
            timeout: Duration::from_secs(10),
        };
        let settings = settings();
        let mut check = |patch: &Patch| {
            verify::check(
                &workspace,
                &changes(patch),
                &settings,
                &verify::RunCode::Allowed,
                &|| false,
            )
        };
        let mut mend = |patch: &Patch, report: &verify::Report| {
            super::super::imports::missing(&map, patch, &report.undefined_names())
        };
        let mut events = Vec::new();
        let result = propose_checked(
            &mut backend,
            &mut workset,
            &task,
            &mut |p| match p {
                Progress::Text(_) | Progress::WritingExamples { .. } => {}
                Progress::Retry { reason, .. } => events.push(format!("retry: {reason}")),
                Progress::Mended { note } => events.push(format!("mended: {note}")),
                Progress::Checked { report, .. } => {
                    events.push(format!("checked: {}", report.summary().join(", ")))
                }
            },
            Some(Verifier {
                attempts,
                check: &mut check,
                mend: &mut mend,
                examples: None,
            }),
        );
        (result, backend, events)
    }

    fn last_user(request: &Request) -> &str {
        &request.messages.last().expect("a message").content
    }

    #[test]
    fn a_failing_check_goes_back_to_the_model_with_the_error_and_its_lines() {
        let (result, backend, events) = run(vec![NO_IMPORT, WITH_IMPORT], 2);
        let proposal = result.expect("a patch");
        assert_eq!(proposal.verdict, Verdict::Passed);
        assert_eq!(proposal.attempts, 2);
        assert_eq!(proposal.checks.len(), 2);
        assert!(proposal.checks[0].report.failed());
        assert!(
            proposal.patch.changes[0]
                .new_text
                .starts_with("import re\n")
        );
        let retry = last_user(&backend.requests[1]);
        assert!(retry.contains("text.py:2: undefined name 're'"), "{retry}");
        assert!(retry.contains("> 2 |     return re.sub("), "{retry}");
        assert_eq!(
            events,
            [
                "checked: parsed ✓, compiled ✓, names ✗ (1), imports ✓",
                "retry: the names check failed: text.py:2: undefined name 're' (it is never imported, defined or assigned)",
                "checked: parsed ✓, compiled ✓, names ✓, imports ✓",
            ]
            .map(|e| e.replace("compiled ✓, ", if verify::python3_available() { "compiled ✓, " } else { "" }))
        );
    }

    #[test]
    fn a_name_the_repository_defines_once_is_imported_without_asking_the_model_again() {
        let (result, backend, events) = run(vec![USES_DASHES], 2);
        let proposal = result.expect("a patch");
        assert_eq!(proposal.verdict, Verdict::Passed);
        assert_eq!(backend.requests.len(), 1);
        assert_eq!(
            proposal.patch.changes[0].new_text,
            "from dashes import dashes\n\n\ndef slug(s):\n    return dashes(s.lower())\n"
        );
        assert_eq!(
            events[0],
            "mended: added “from dashes import dashes” to text.py (dashes.py defines dashes)"
        );
        assert!(events[1].contains("names ✓"), "{events:?}");
        // A name nothing in the repository defines still goes back to the model.
        let (result, backend, _) = run(vec![NO_IMPORT, WITH_IMPORT], 2);
        assert_eq!(result.expect("a patch").verdict, Verdict::Passed);
        assert_eq!(backend.requests.len(), 2);
    }

    #[test]
    fn a_repeated_reply_is_asked_for_again_in_another_form() {
        let whole = "text.py\n```python\nimport re\n\n\ndef slug(s):\n    return re.sub(r'\\W+', '-', s.lower())\n```\n";
        let (result, backend, events) = run(vec![NO_IMPORT, NO_IMPORT, whole], 2);
        let proposal = result.expect("a patch");
        assert_eq!(proposal.verdict, Verdict::Passed);
        assert_eq!(proposal.form, Some(Form::WholeFile));
        assert_eq!(backend.requests.len(), 3);
        let third = &backend.requests[2];
        assert_eq!(third.messages.len(), 2, "a fresh conversation");
        assert_eq!(
            third.messages[0].content,
            prompt::system(Form::WholeFile, false)
        );
        assert!(
            third.messages[1].content.contains("failed these checks"),
            "{}",
            third.messages[1].content
        );
        assert!(
            events
                .iter()
                .any(|e| e.contains("repeats an earlier attempt")),
            "{events:?}"
        );
    }

    #[test]
    fn examples_give_way_to_passing_tests_the_request_names() {
        let report = |kind, passed: bool| verify::Report {
            checks: vec![verify::Check {
                kind,
                status: if passed {
                    verify::Status::Passed { detail: None }
                } else {
                    verify::Status::Failed {
                        problems: Vec::new(),
                    }
                },
                duration: Duration::ZERO,
            }],
            ..Default::default()
        };
        let tests = report(verify::CheckKind::Tests, true);
        for named in [
            "fix word_count in counter.py; see test_counter.py",
            "implement median so that the tests in tests/test_stats.py pass",
            "make parse work as `parser_test.py` expects",
            "implement roman(n); the expected results are in test_roman.py.",
        ] {
            assert!(tests_say_it(named, &tests, &Patch::default()), "{named}");
        }
        for unnamed in [
            "add slugify(s) to text.py",
            "add a function testing(x) to test.py",
        ] {
            assert!(
                !tests_say_it(unnamed, &tests, &Patch::default()),
                "{unnamed}"
            );
        }
        // Tests that failed or never ran say nothing.
        let named = "fix total; test_inventory.py shows what is expected";
        let none = Patch::default();
        assert!(!tests_say_it(
            named,
            &report(verify::CheckKind::Tests, false),
            &none
        ));
        assert!(!tests_say_it(
            named,
            &report(verify::CheckKind::Run, true),
            &none
        ));
    }

    #[test]
    fn a_patch_still_failing_after_the_last_attempt_is_marked() {
        let other = "text.py\n```python\ndef slug(s):\n    return re.sub(r'[^a-z]+', '-', s.lower())\n```\n";
        let (result, backend, _) = run(vec![NO_IMPORT, other], 1);
        let proposal = result.expect("a patch, marked");
        assert_eq!(proposal.verdict, Verdict::Failing);
        assert_eq!(backend.requests.len(), 2);
        assert_eq!(proposal.checks.len(), 2);
        assert!(proposal.checks.iter().all(|c| c.report.failed()));
        assert!(proposal.patch.changes[0].new_text.contains("[^a-z]+"));
        let json = serde_json::to_value(&proposal.checks).expect("serialises");
        assert_eq!(json[1]["form"], "definitions");
        assert_eq!(json[1]["report"]["checks"][0]["kind"], "parse");
    }

    #[test]
    fn a_reply_that_changes_nothing_is_asked_for_again_in_another_form() {
        let same = "text.py\n```python\ndef slug(s):\n    return s.lower()\n```\n";
        let (result, backend, _) = run(vec![same, WITH_IMPORT], 2);
        let proposal = result.expect("a patch");
        assert_eq!(proposal.verdict, Verdict::Passed);
        assert_eq!(
            backend.requests[1].messages[0].content,
            prompt::system(Form::WholeFile, false)
        );
        assert!(last_user(&backend.requests[1]).contains("changed nothing"));
        // Without anything left to try, it is still an error.
        let (result, _, _) = run(vec![same, same, same], 2);
        assert!(
            matches!(result, Err(EditError::NoChange)),
            "{:?}",
            result.map(|p| p.verdict)
        );
    }

    const SQUASHED: &str =
        "text.py\n```python\ndef slug(s):\n    return s.lower().replace(' ', '')\n```\n";
    const EXAMPLES: &str = "Here you are:\n```python\nassert slug('Hello World') == 'hello-world'\nassert slug('a') == 'a'\nassert undefined_helper(1) == 2\n```";

    /// An edit of `SLUG` with the examples check, the model replying `replies`; whether
    /// the scratch copy was removed, and the examples the progress said were written.
    fn with_examples_run(
        replies: Vec<&'static str>,
    ) -> (Result<Proposal, EditError>, Scripted, bool, Vec<String>) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("text.py"), SLUG).expect("write");
        let git = |args: &[&str]| {
            let ok = std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .output()
                .expect("git runs")
                .status
                .success();
            assert!(ok, "git {args:?}");
        };
        git(&["init", "-q"]);
        git(&["add", "text.py"]);
        let workspace = Workspace {
            root: dir.path().to_path_buf(),
            git_dir: dir.path().join(".git"),
        };
        let mut backend = Scripted {
            replies,
            requests: Vec::new(),
        };
        let task = Task {
            instruction: "make slug replace every run of non-word characters with a dash",
            map: "",
            form: Form::Definitions,
            algorithm: false,
            retries: 1,
            max_tokens: 100,
            timeout: Duration::from_secs(10),
        };
        let mut workset = Workset::new(&workspace, vec!["text.py".into()], task.instruction);
        let settings = settings();
        let mut check = |patch: &Patch| {
            verify::check(
                &workspace,
                &changes(patch),
                &settings,
                &verify::RunCode::Allowed,
                &|| false,
            )
        };
        let mut mend = |_: &Patch, _: &verify::Report| Vec::new();
        let mut examples = |patch: &Patch, examples: &[Example]| {
            verify::examples::run(
                &workspace,
                &changes(patch),
                examples,
                Duration::from_secs(10),
            )
        };
        let mut writing = Vec::new();
        let result = propose_checked(
            &mut backend,
            &mut workset,
            &task,
            &mut |p| {
                if let Progress::WritingExamples { of } = p {
                    writing.push(of.to_string());
                }
            },
            Some(Verifier {
                attempts: 2,
                check: &mut check,
                mend: &mut mend,
                examples: Some(&mut examples),
            }),
        );
        let removed = !dir.path().join(".git/codey/tmp").exists();
        (result, backend, removed, writing)
    }

    /// Examples the model writes from the request (not from its code) catch logic that
    /// parses, compiles and names correctly, and the failure goes back to it.
    #[test]
    fn examples_written_from_the_request_catch_logic_and_go_back_to_the_model() {
        if !verify::python3_available() {
            return;
        }
        let (result, backend, removed, writing) =
            with_examples_run(vec![SQUASHED, EXAMPLES, WITH_IMPORT]);
        let proposal = result.expect("a patch");
        assert_eq!(writing, ["slug"], "the progress says whose examples, once");
        assert_eq!(proposal.verdict, Verdict::Passed);
        assert_eq!(backend.requests.len(), 3, "edit, examples, edit again");
        // A local model is held to the lines asked for.
        let grammar = backend.requests[1].grammar.as_deref().unwrap_or_default();
        assert!(grammar.contains("name ::= \"slug\""), "{grammar}");
        // The examples were asked from the request and the signature, not the body.
        let asked = last_user(&backend.requests[1]);
        assert!(asked.contains("def slug(s):"), "{asked}");
        assert!(!asked.contains("replace(' ', '')"), "{asked}");
        let first = &proposal.checks[0].report;
        assert!(first.failed());
        // Asked afresh: the files as they were, the request, and what went wrong.
        let feedback = last_user(&backend.requests[2]);
        assert!(
            feedback.starts_with("text.py\n```python\ndef slug(s):\n    return s.lower()\n"),
            "{feedback}"
        );
        assert!(
            feedback.contains(
                "slug('Hello World') returns 'helloworld', but the request asks for 'hello-world'"
            ),
            "{feedback}"
        );
        // The example that cannot run by itself is dropped, not blamed.
        assert!(!feedback.contains("undefined_helper"), "{feedback}");
        assert_eq!(
            proposal.checks[1]
                .report
                .summary()
                .last()
                .map(String::as_str),
            Some("examples 2 passed")
        );
        // The examples are written once: the second patch ran the same ones.
        assert_eq!(proposal.completion_tokens, 15);
        assert!(removed, "scratch removed");
    }

    /// Asked afresh, a model that writes the same code again, or other code that fails
    /// the examples too, disagrees with its examples: its best attempt comes back,
    /// marked, with no further rounds (a repeat is not "changes nothing").
    #[test]
    fn a_model_that_keeps_failing_its_examples_gets_its_best_attempt_back_marked() {
        if !verify::python3_available() {
            return;
        }
        let other =
            "text.py\n```python\ndef slug(s):\n    return s.lower().replace(' ', '_')\n```\n";
        // The same code again is not checked again.
        for (replies, checked) in [
            (vec![SQUASHED, EXAMPLES, SQUASHED, WITH_IMPORT], 1),
            (vec![SQUASHED, EXAMPLES, other, WITH_IMPORT], 2),
        ] {
            let (result, backend, removed, _) = with_examples_run(replies);
            let proposal = result.expect("the best attempt");
            assert_eq!(proposal.verdict, Verdict::Failing);
            assert_eq!(backend.requests.len(), 3, "edit, examples, edit afresh");
            assert_eq!(proposal.checks.len(), checked);
            assert!(proposal.checks.iter().all(|c| c.report.failed()));
            // Both fail one example; the first is kept.
            assert!(
                proposal.patch.changes[0]
                    .new_text
                    .contains("replace(' ', '')"),
                "{}",
                proposal.patch.changes[0].new_text
            );
            assert!(removed, "scratch removed");
        }
        // Nor does a fresh attempt whose replies cannot be used lose the one before.
        let (result, backend, _, _) =
            with_examples_run(vec![SQUASHED, EXAMPLES, "no code here", "still none"]);
        let proposal = result.expect("the checked attempt");
        assert_eq!(proposal.verdict, Verdict::Failing);
        assert_eq!(
            backend.requests.len(),
            4,
            "edit, examples, two unusable replies"
        );
        assert!(
            proposal.patch.changes[0]
                .new_text
                .contains("replace(' ', '')")
        );
    }

    #[test]
    fn of_failing_attempts_the_one_failing_fewest_examples_is_kept() {
        let report = |kinds: &[(verify::CheckKind, usize)]| verify::Report {
            checks: kinds
                .iter()
                .map(|&(kind, n)| verify::Check {
                    kind,
                    status: verify::Status::Failed {
                        problems: (0..n)
                            .map(|i| verify::Problem {
                                path: None,
                                line: None,
                                message: format!("problem {i}"),
                                excerpt: None,
                            })
                            .collect(),
                    },
                    duration: Duration::ZERO,
                })
                .collect(),
            ..verify::Report::default()
        };
        let record = |attempt, report| AttemptRecord {
            attempt,
            form: Some(Form::Definitions),
            report,
        };
        use verify::CheckKind::{Examples, Names};
        let mut records = vec![
            record(1, report(&[(Examples, 2)])),
            record(2, report(&[(Examples, 1)])),
            record(3, report(&[(Examples, 2)])),
            record(4, report(&[(Names, 1)])),
        ];
        let mut checked: Vec<(Patch, String)> = (1..=4)
            .map(|i| (Patch::default(), format!("reply {i}")))
            .collect();
        let (_, reply) = keep_best(&mut records, &mut checked);
        assert_eq!(reply, "reply 2");
        assert_eq!(
            records.iter().map(|r| r.attempt).collect::<Vec<_>>(),
            [1, 3, 4, 2],
            "the kept attempt's record is last"
        );
        // Nothing but other failures: the last attempt.
        let mut records = vec![
            record(1, report(&[(Names, 1)])),
            record(2, report(&[(Names, 2)])),
        ];
        let mut checked = vec![
            (Patch::default(), "a".into()),
            (Patch::default(), "b".into()),
        ];
        assert_eq!(keep_best(&mut records, &mut checked).1, "b");
        // As many examples failed: the earlier attempt.
        let mut records = vec![
            record(1, report(&[(Examples, 1)])),
            record(2, report(&[(Examples, 1)])),
        ];
        let mut checked = vec![
            (Patch::default(), "a".into()),
            (Patch::default(), "b".into()),
        ];
        assert_eq!(keep_best(&mut records, &mut checked).1, "a");
    }
}
