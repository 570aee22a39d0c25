//! A plan's run as people see it: a header per step when there are several, a line
//! for what a step did that its own output does not say, errors with their hints, and
//! the summary; and the same run as one JSON object for `--json`.

use serde_json::{Value, json};

use crate::error::{CommandError, ErrorKind};
use crate::plan::{Plan, Step};
use crate::route::{Action, FileAction};
use crate::steps::{Captured, PlanOutcome, Reporter, StepError, StepOutcome, describe_action};

/// Tells a person at a terminal (or reading stderr) how the steps go.
pub struct Human;

impl Reporter for Human {
    fn starting(&mut self, index: usize, total: usize, step: &Step) {
        if total > 1 {
            super::step_header(index + 1, total, &step.text);
        }
    }

    fn confirm(&mut self, prompt: &str) -> bool {
        super::confirm(prompt)
    }

    fn finished(&mut self, _: usize, step: &Step, outcome: &StepOutcome) {
        // Steps that ran together come back with their output captured.
        if let StepOutcome::Done(c) | StepOutcome::Failed { output: c, .. } = outcome {
            show_captured(c);
        }
        let failed = |text: String, hint: Option<&str>| {
            let mut err = CommandError::new(ErrorKind::Failed, anyhow::anyhow!(text));
            if let Some(hint) = hint {
                err = err.with_hint(hint.to_string());
            }
            super::report_error(&err);
        };
        match outcome {
            StepOutcome::Done(_) => {
                if let Action::File { action, path } = &step.route.action {
                    let done = match action {
                        FileAction::Create => Some("created"),
                        FileAction::Delete => Some("deleted"),
                        FileAction::Mkdir => Some("created the directory"),
                        FileAction::Read | FileAction::List => None,
                    };
                    if let Some(done) = done {
                        super::note(&format!("{done} {path}"));
                    }
                }
            }
            StepOutcome::Failed { error, .. } => match error {
                StepError::Exited(code) => failed(
                    format!(
                        "`{}` exited with code {code}",
                        describe_action(&step.route.action).trim_start_matches("$ ")
                    ),
                    None,
                ),
                StepError::Failed { message, .. } => failed(message.clone(), None),
            },
            StepOutcome::TimedOut(_) => failed(
                "the command ran past its time limit and was stopped".into(),
                Some("raise shell.timeout_s in codey.toml (or CODEY_SHELL_TIMEOUT_S)"),
            ),
            StepOutcome::Interrupted(_) => super::warn("interrupted"),
            StepOutcome::Declined { .. } => {
                super::warn("declined: this step and the ones after it were not run")
            }
            StepOutcome::Refused(_) | StepOutcome::Skipped => {}
        }
    }
}

/// What a step printed while it ran with others, shown now; escaped on a terminal
/// (a file's contents are data).
fn show_captured(captured: &Captured) {
    fn show(text: &str, mut stream: impl std::io::Write + std::io::IsTerminal) {
        if text.is_empty() {
            return;
        }
        let text = if stream.is_terminal() {
            super::escape_controls(text)
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        // A closed pipe only means nobody reads the rest.
        let _ = stream.write_all(text.as_bytes());
    }
    show(&captured.stdout, std::io::stdout().lock());
    show(&captured.stderr, std::io::stderr().lock());
}

/// Says nothing while steps run and never asks (under `--json` the gate has refused
/// every step that would need a yes).
pub struct Quiet;

impl Reporter for Quiet {
    fn starting(&mut self, _: usize, _: usize, _: &Step) {}
    fn confirm(&mut self, _: &str) -> bool {
        false
    }
    fn finished(&mut self, _: usize, _: &Step, _: &StepOutcome) {}
}

/// `2 done, 1 failed, 1 skipped`, on stderr, green when everything was done.
pub fn summary(outcome: &PlanOutcome) {
    let counts = outcome.counts();
    let mut parts = vec![format!("{} done", counts[0].1)];
    parts.extend(
        counts[1..]
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(status, n)| format!("{n} {status}")),
    );
    let ok = counts[0].1 == outcome.steps.len();
    super::print_summary_line(&parts.join(", "), ok);
}

/// The whole run as one JSON object: the request, every step with its route and how it
/// ended, and the counts.
pub fn json(request: &str, plan: &Plan, outcome: &PlanOutcome) -> Value {
    let steps: Vec<Value> = plan
        .steps
        .iter()
        .zip(&outcome.steps)
        .map(|(step, ended)| {
            let mut o = json!({"text": step.text, "route": step.route.to_json()});
            ended.json_fields(&mut o);
            o
        })
        .collect();
    let summary: serde_json::Map<String, Value> = outcome
        .counts()
        .iter()
        .map(|(status, n)| (status.to_string(), json!(n)))
        .collect();
    json!({"request": request, "steps": steps, "summary": summary})
}
