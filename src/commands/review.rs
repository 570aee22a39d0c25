//! `git codey review`: read the change, run the static checks, ask the coder (unless
//! `--static-only`), print the merged findings, and exit 1 when any is an error. The
//! model is a bonus: when it is missing, slow or talks nonsense, one warning says so
//! and the static findings decide the exit code.

use crate::config::RoleName;
use std::time::{Duration, Instant};

use crate::cli::{ReviewArgs, ReviewFormat};
use crate::config::Config;
use crate::error::{CommandError, ErrorKind, exit};
use crate::llm;
use crate::provider::Provider;
use crate::review::model::{self, Budget};
use crate::review::report::{self, ModelSummary, Report};
use crate::review::source::{self, ReadError, Target};
use crate::review::{ChangedFile, Finding, Limits, NotReviewed, checks};
use crate::ui;

pub fn run(args: &ReviewArgs) -> Result<(), CommandError> {
    let format = if args.json {
        ReviewFormat::Json
    } else {
        args.format
    };
    let target = match &args.range {
        Some(spec) => Target::range(spec).map_err(|message| {
            CommandError::usage(anyhow::anyhow!(message))
                .with_hint("for example: git codey review --range main..HEAD")
        })?,
        None => Target::Staged,
    };
    let workspace = super::current_workspace()?;
    let layered = super::load_config(Some(&workspace.root))?;
    let config = &layered.config;
    let limits = Limits {
        max_file_bytes: config.review.max_file_bytes,
    };

    let changes = source::read(&workspace.root, &target, &limits).map_err(read_error)?;
    let mut static_findings = checks::unmerged(&changes.unmerged);
    let files: Vec<ChangedFile> = changes
        .files
        .into_iter()
        .map(ChangedFile::prepare)
        .collect();
    for file in &files {
        static_findings.extend(checks::check(file, &limits));
    }

    let model = if args.static_only {
        ModelPart::status("skipped")
    } else {
        model_review(&files, config)
    };
    let added_lines = files.iter().map(|f| f.added().len()).sum();
    let report = Report::new(
        report::merge(static_findings, model.findings),
        target.label(),
        files.len(),
        added_lines,
        model.summary,
        model.not_reviewed,
    );

    ui::with_stdout(|out| match format {
        ReviewFormat::Json => {
            serde_json::to_writer(&mut *out, &report.to_json())?;
            writeln!(out)
        }
        ReviewFormat::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &report.to_sarif())?;
            writeln!(out)
        }
        ReviewFormat::Text if files.is_empty() && report.findings.is_empty() => {
            let what = match &target {
                Target::Staged => "no staged changes".to_string(),
                Target::Range { .. } => format!("no changes in {}", target.label()),
            };
            writeln!(out, "nothing to review: {what}")
        }
        ReviewFormat::Text => ui::review::write(&report, out),
    })?;

    if model.interrupted {
        return Err(CommandError::new(
            ErrorKind::Interrupted,
            anyhow::anyhow!("interrupted: the model's review was stopped"),
        ));
    }
    if report.has_errors() {
        return Err(CommandError::quiet(exit::FAILED));
    }
    Ok(())
}

/// A failure to read the change. Exit code 1 means "error findings" for review, so
/// anything that stops the review itself is a 2.
fn read_error(error: ReadError) -> CommandError {
    let hint = match &error {
        ReadError::Revision { .. } => {
            "check both ends of the range, for example with `git log A..B`"
        }
        _ => "check the repository with `git status`",
    };
    CommandError::usage(error).with_hint(hint)
}

/// What the model added to the review.
struct ModelPart {
    findings: Vec<Finding>,
    summary: ModelSummary,
    not_reviewed: Vec<NotReviewed>,
    interrupted: bool,
}

impl ModelPart {
    fn status(status: &'static str) -> Self {
        ModelPart {
            findings: Vec::new(),
            summary: ModelSummary {
                status,
                ..ModelSummary::default()
            },
            not_reviewed: Vec::new(),
            interrupted: false,
        }
    }
}

fn model_review(files: &[ChangedFile], config: &Config) -> ModelPart {
    let mut coder = llm::role(config, RoleName::Coder);
    // A server that accepts and never answers must not outlast the review's time.
    coder.settings.timeout_s = coder.settings.timeout_s.min(config.review.timeout_s);
    let budget = Budget::new(
        coder.settings.context_size,
        coder.settings.max_tokens,
        config.review.max_model_requests as usize,
    );
    let plan = model::plan(files, &budget);
    if plan.chunks.is_empty() {
        let mut part = ModelPart::status("not-needed");
        part.not_reviewed = plan.not_reviewed;
        return part;
    }

    crate::interrupt::install();
    let pool = Provider::new(config);
    let engine = match pool.backend(&coder, &ui::model_notices(false)) {
        Ok(engine) => engine,
        Err(message) => {
            ui::warn(&format!(
                "no model review: {message}. Showing the static findings only (--static-only skips the model)"
            ));
            let mut part = ModelPart::status("unavailable");
            part.summary.message = Some(message);
            part.not_reviewed = plan.not_reviewed;
            for chunk in &plan.chunks {
                for (file, _) in &chunk.files {
                    if !part.not_reviewed.iter().any(|n| &n.file == file) {
                        part.not_reviewed.push(NotReviewed {
                            file: file.clone(),
                            reason: "model unavailable".into(),
                        });
                    }
                }
            }
            return part;
        }
    };
    let name = coder.describe();
    let spinner = ui::spinner(format!("the coder is reviewing the change ({name})"));
    let deadline = Instant::now() + Duration::from_secs(config.review.timeout_s);
    let outcome = {
        let mut engine = engine
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        model::review(
            &mut **engine,
            plan,
            &budget,
            deadline,
            &mut |done, total| {
                if let Some(s) = &spinner
                    && total > 1
                {
                    s.set_message(format!(
                        "the coder is reviewing the change ({name}): part {} of {total}",
                        (done + 1).min(total)
                    ));
                }
            },
        )
    };
    if let Some(s) = spinner {
        s.finish_and_clear();
    }

    let status = if outcome.answered == 0 {
        "failed"
    } else if outcome.problems.is_empty() && outcome.answered == outcome.sent {
        "reviewed"
    } else {
        "partial"
    };
    if let Some(first) = outcome.problems.first() {
        let more = match outcome.problems.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let consequence = if status == "failed" {
            "static findings only"
        } else {
            "the files it did not review are listed"
        };
        ui::warn(&format!("model review: {first}{more}; {consequence}"));
    }
    if outcome.dropped > 0 {
        ui::note(&format!(
            "the model named {} lines outside the change; those findings were dropped",
            outcome.dropped
        ));
    }
    ModelPart {
        findings: outcome.findings,
        summary: ModelSummary {
            status,
            name: Some(name),
            requests: outcome.sent,
            answered: outcome.answered,
            dropped: outcome.dropped,
            message: outcome.problems.first().cloned(),
        },
        not_reviewed: outcome.not_reviewed,
        interrupted: outcome.interrupted,
    }
}
