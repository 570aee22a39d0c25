//! An edit as people see it: a spinner while the model writes (with the tokens so
//! far), retries and escalation as warnings, the patch coloured on a terminal with
//! the numbers under it, and what was applied and committed. Under `--json` nothing
//! is shown and nothing is asked here.

use crate::edit::pipeline::{Event, Hooks, Report};
use crate::error::CommandError;
use crate::provider::Observer;

/// The presentation of one edit.
pub struct EditView {
    /// `--json`: show nothing (the report is printed whole at the end).
    json: bool,
    spinner: Option<indicatif::ProgressBar>,
    /// The model writing the edit, as the spinner names it.
    model: String,
    label: String,
    pieces: usize,
}

impl EditView {
    pub fn new(json: bool) -> Self {
        EditView {
            json,
            spinner: None,
            model: String::new(),
            label: String::new(),
            pieces: 0,
        }
    }
}

impl Hooks for EditView {
    fn event(&mut self, event: Event) {
        if self.json {
            return;
        }
        match event {
            Event::Writing { model } => {
                self.model = model.to_string();
                self.label = format!("writing the edit with {model}");
                self.pieces = 0;
                self.spinner = super::spinner(self.label.clone());
            }
            Event::WritingExamples { of } => {
                self.label = format!("writing examples of what the request asks of {of}");
                self.pieces = 0;
                if let Some(s) = &self.spinner {
                    s.set_message(self.label.clone());
                }
            }
            Event::Piece => {
                self.pieces += 1;
                if let Some(s) = &self.spinner {
                    s.set_message(format!("{} · {} tokens", self.label, self.pieces));
                }
            }
            Event::Retry { attempt, reason } => {
                // The next attempt is an edit again (after examples, too).
                self.label = format!("writing the edit with {}", self.model);
                self.pieces = 0;
                let message = format!("{reason}; asking again (attempt {attempt})");
                match &self.spinner {
                    Some(s) => s.suspend(|| super::warn(&message)),
                    None => super::warn(&message),
                }
            }
            Event::Written => {
                if let Some(s) = self.spinner.take() {
                    s.finish_and_clear();
                }
            }
            // A passing check is said with the patch; a failing one now, as it goes back
            // to the model.
            Event::Checked {
                attempt,
                summary,
                failed: true,
            } => {
                let line = format!("attempt {attempt} fails its checks: {}", summary.join(", "));
                match &self.spinner {
                    Some(s) => s.suspend(|| super::warn(&line)),
                    None => super::warn(&line),
                }
            }
            Event::Checked { .. } => {}
            Event::Mended { note } => match &self.spinner {
                Some(s) => s.suspend(|| super::note(note)),
                None => super::note(note),
            },
            Event::Escalating { reason } => super::warn(&format!(
                "the coder's edit failed ({reason}); asking the algorithm model"
            )),
            Event::DryRun => super::note("dry run: nothing was changed"),
            Event::Applied { paths } => super::note(&format!(
                "applied to {}; `git codey undo` puts the files back",
                paths.join(", ")
            )),
            Event::Committed { sha } => {
                super::note(&format!("committed as {}", &sha[..sha.len().min(12)]))
            }
        }
    }

    fn preview(&mut self, report: &Report) {
        if !self.json {
            // A closed stdout (`| head`) is not a reason to stop before the question.
            let _ = show(report);
        }
    }

    fn confirm(&mut self, prompt: &str) -> bool {
        super::confirm(prompt)
    }

    fn choose(&mut self, prompt: &str, items: &[String]) -> Option<usize> {
        if self.json || !super::interactive() {
            return None;
        }
        super::choose(prompt, items)
    }

    fn observer(&self) -> Observer {
        super::model_notices(self.json)
    }
}

/// The patch, coloured on a terminal, then the numbers.
fn show(report: &Report) -> Result<(), CommandError> {
    for note in &report.notes {
        super::note(note);
    }
    let p = &report.proposal;
    for change in p
        .patch
        .changes
        .iter()
        .filter(|c| report.unnamed.contains(&c.path))
    {
        let how = if change.before.is_none() {
            "creates"
        } else {
            "changes"
        };
        super::warn(&format!(
            "the edit also {how} {}, which the request did not name",
            change.path
        ));
    }
    let diff = p.patch.unified();
    super::with_stdout(|out| {
        for line in diff.lines() {
            // The reply's lines are the model's: escaped, so none can hide itself.
            let line = &*super::escape_controls(line);
            let header = line.starts_with("diff --git")
                || line.starts_with("+++")
                || line.starts_with("---");
            let styled = if header {
                super::bold(line)
            } else if line.starts_with('+') {
                super::green(line)
            } else if line.starts_with('-') {
                super::red(line)
            } else if line.starts_with("@@") {
                super::dim(line)
            } else {
                line.to_string()
            };
            writeln!(out, "{styled}")?;
        }
        if let Some(complexity) = &p.complexity {
            writeln!(out, "\n{}", super::escape_controls(complexity))?;
        }
        Ok(())
    })?;
    let (added, removed) = p.patch.stat();
    let seconds = p.generation_time.as_secs_f64();
    let rate = if seconds > 0.0 {
        format!(", {:.1} tokens/s", p.completion_tokens as f64 / seconds)
    } else {
        String::new()
    };
    super::note(&format!(
        "{} file{} changed, +{added} -{removed} · {} · {} tokens in {seconds:.1} s{rate}{}",
        p.patch.changes.len(),
        if p.patch.changes.len() == 1 { "" } else { "s" },
        report.model,
        p.completion_tokens,
        if p.attempts > 1 {
            format!(" · {} attempts", p.attempts)
        } else {
            String::new()
        }
    ));
    if let Some(last) = p.checks.last() {
        let said = last.report.summary();
        if !said.is_empty() {
            let line = format!("checked: {}", said.join(", "));
            if last.report.failed() {
                super::warn(&format!("{line} — the edit still fails its checks"));
            } else {
                super::note(&line);
            }
        }
    }
    if report.algorithm && report.proposal.complexity.is_none() {
        super::note("the model gave no complexity analysis");
    }
    Ok(())
}
