//! `git codey edit`, and the code and algorithm steps of `git codey "<request>"`: pick
//! the files, ask the coder (or the algorithm specialist), show the patch, apply it on
//! confirmation, commit exactly its files when asked, and keep what undo needs.

use std::time::Duration;

use serde_json::{Value, json};

use super::Models;
use crate::cli::EditArgs;
use crate::config::Config;
use crate::edit::lock::{self, RepoLock};
use crate::edit::session::{self, EditError, Progress, Proposal, Task};
use crate::edit::{Form, Workset, apply, context, undo};
use crate::error::{CommandError, ErrorKind};
use crate::llm::{self, RoleModel, Source};
use crate::ui;
use crate::workspace::Workspace;

/// What to change.
pub(super) struct Job {
    pub instruction: String,
    pub files: Vec<String>,
    /// An algorithm task: the specialist, and a complexity analysis.
    pub algorithm: bool,
}

/// How to go about it.
pub(super) struct Options {
    /// Ask before applying (a person is there, and nobody said yes in advance).
    pub confirm: bool,
    pub dry_run: bool,
    pub commit: bool,
    pub json: bool,
    pub form: Option<Form>,
}

/// What an edit came to, for people and for `--json`.
pub(super) struct Report {
    pub proposal: Proposal,
    pub form: Form,
    pub model: String,
    pub applied: bool,
    pub commit: Option<String>,
    pub notes: Vec<String>,
    pub algorithm: bool,
    /// Files of the patch the request did not name.
    pub unnamed: Vec<String>,
}

impl Report {
    pub fn to_json(&self) -> Value {
        let p = &self.proposal;
        let (added, removed) = p.patch.stat();
        json!({
            "files": p.patch.paths(),
            "diff": p.patch.unified(),
            "added": added,
            "removed": removed,
            "applied": self.applied,
            "commit": self.commit,
            "form": self.form.as_str(),
            "model": self.model,
            "attempts": p.attempts,
            "prompt_tokens": p.prompt_tokens,
            "completion_tokens": p.completion_tokens,
            "generation_s": p.generation_time.as_secs_f64(),
            "complexity": p.complexity,
            "notes": self.notes,
            "unnamed": self.unnamed,
        })
    }
}

pub fn run(args: &EditArgs) -> Result<(), CommandError> {
    let instruction = super::joined(&args.instruction);
    if instruction.trim().is_empty() {
        return Err(
            CommandError::usage(anyhow::anyhow!("no instruction given")).with_hint(
                "say what to change, for example: git codey edit \"add a docstring to main.py\"",
            ),
        );
    }
    let workspace = super::current_workspace()?;
    let layered = super::load_config(Some(&workspace.root))?;
    let config = &layered.config;
    let interactive = ui::interactive();
    let must_confirm = config.require_confirmation && !args.yes;
    if must_confirm && !interactive && !args.dry_run {
        return Err(CommandError::refused(anyhow::anyhow!(
            "an edit changes files, and there is no terminal to confirm it"
        ))
        .with_hint("rerun with --yes to apply it, or --dry-run to only see the patch"));
    }
    let job = Job {
        instruction,
        files: args.files.clone(),
        algorithm: false,
    };
    let options = Options {
        confirm: must_confirm,
        dry_run: args.dry_run,
        commit: args.commit.resolve(config.edit.commit),
        json: args.json,
        form: args.format.as_deref().and_then(Form::parse),
    };
    crate::interrupt::install();
    let pool = Models::new(config.memory_budget_mb);
    let report = perform(&workspace, config, &pool, &job, &options)?;
    if args.json {
        ui::with_stdout(|out| {
            serde_json::to_writer(&mut *out, &report.to_json())?;
            writeln!(out)
        })?;
    }
    Ok(())
}

/// Carries out one edit: the whole path from request to applied (and committed) patch.
pub(super) fn perform(
    workspace: &Workspace,
    config: &Config,
    pool: &Models,
    job: &Job,
    options: &Options,
) -> Result<Report, CommandError> {
    let mut notes = Vec::new();
    let tracked = tracked_files(workspace);
    let targets = targets(workspace, job, &tracked, &mut notes)?;
    if options.commit && !options.dry_run {
        refuse_mid_operation(workspace)?;
        refuse_dirty(workspace, &targets)?;
    }

    let (coder, specialist) = (&llm::role(config, "coder"), &llm::role(config, "algorithm"));
    let specialist_ready = super::role_present(specialist);
    let first = if job.algorithm {
        if specialist_ready {
            specialist
        } else {
            notes.push(format!(
                "the algorithm model is not set up ({}), so the coder does this task",
                specialist.describe()
            ));
            coder
        }
    } else {
        coder
    };

    let map = context::map(&tracked);
    let attempt = |role: &RoleModel, notes: &mut Vec<String>| {
        let form = form_for(role, options.form, config, notes);
        propose(
            workspace, pool, role, job, &targets, &map, form, config, options,
        )
        .map(|proposal| (proposal, form))
    };
    let (proposal, form, used) = match attempt(first, &mut notes) {
        Ok((proposal, form)) => (proposal, form, first),
        // Escalating only helps when the specialist is another model.
        Err(Failure::Unusable(reason))
            if first.role == "coder"
                && config.edit.escalate
                && specialist_ready
                && specialist.source != coder.source =>
        {
            let message = format!("the coder's edit failed ({reason}); asking the algorithm model");
            if !options.json {
                ui::warn(&message);
            }
            notes.push(message);
            let (proposal, form) = attempt(specialist, &mut notes).map_err(Failure::into_error)?;
            (proposal, form, specialist)
        }
        Err(failure) => return Err(failure.into_error()),
    };

    let unnamed = proposal
        .patch
        .changes
        .iter()
        .filter(|c| !targets.contains(&c.path))
        .map(|c| c.path.clone())
        .collect();
    let mut report = Report {
        unnamed,
        proposal,
        form,
        model: used.describe(),
        applied: false,
        commit: None,
        notes,
        algorithm: job.algorithm,
    };
    if !options.json {
        show(&report)?;
    }
    if options.dry_run {
        if !options.json {
            ui::note("dry run: nothing was changed");
        }
        return Ok(report);
    }
    let patch = &report.proposal.patch;
    if options.confirm {
        let files = patch.changes.len();
        let prompt = format!(
            "apply this change to {files} file{}?",
            if files == 1 { "" } else { "s" }
        );
        if !ui::confirm(&prompt) {
            if crate::interrupt::requested() {
                return Err(CommandError::new(
                    ErrorKind::Interrupted,
                    anyhow::anyhow!("interrupted: nothing was changed"),
                ));
            }
            return Err(CommandError::refused(anyhow::anyhow!(
                "declined: nothing was changed"
            )));
        }
    }
    crate::fault::pause("prepared");
    let lock = RepoLock::acquire(&workspace.git_dir, lock::WAIT)
        .map_err(|e| CommandError::from(anyhow::anyhow!(e)).with_hint("nothing was changed"))?;
    crate::fault::pause("locked");
    undo::record(&workspace.git_dir, patch, &job.instruction)
        .map_err(|e| CommandError::from(anyhow::anyhow!(e)))?;
    if let Err(e) = apply::apply(patch, lock.scratch()) {
        undo::discard(&workspace.git_dir);
        return Err(CommandError::from(anyhow::anyhow!(e)));
    }
    undo::settle(&workspace.git_dir);
    report.applied = true;
    if !options.json {
        ui::note(&format!(
            "applied to {}; `git codey undo` puts the files back",
            patch.paths().join(", ")
        ));
    }
    if options.commit {
        let sha = commit(workspace, &patch.paths(), &job.instruction)?;
        undo::set_commit(&workspace.git_dir, &sha)
            .map_err(|e| CommandError::from(anyhow::anyhow!(e)))?;
        if !options.json {
            ui::note(&format!("committed as {}", &sha[..sha.len().min(12)]));
        }
        report.commit = Some(sha);
    }
    Ok(report)
}

/// Why a model gave no patch.
enum Failure {
    /// The replies could not be applied: worth asking another model.
    Unusable(String),
    Other(CommandError),
}

impl Failure {
    fn into_error(self) -> CommandError {
        match self {
            Failure::Unusable(reason) => CommandError::from(anyhow::anyhow!(
                "the model's edit could not be applied: {reason}"
            ))
            .with_hint("nothing was changed; name the file with --file, say more precisely what to change, or try --format whole-file"),
            Failure::Other(e) => e,
        }
    }
}

/// The reply form: asked for, configured, or what measurement favours for the backend.
fn form_for(
    role: &RoleModel,
    asked: Option<Form>,
    config: &Config,
    notes: &mut Vec<String>,
) -> Form {
    let remote = matches!(role.source, Source::Remote { .. });
    let form = asked
        .or_else(|| Form::parse(&config.edit.format))
        .unwrap_or(if remote {
            Form::SearchReplace
        } else {
            Form::Definitions
        });
    if form == Form::Grammar && remote {
        notes.push("a server cannot take a grammar: plain SEARCH/REPLACE blocks instead".into());
        return Form::SearchReplace;
    }
    form
}

#[allow(clippy::too_many_arguments)]
fn propose(
    workspace: &Workspace,
    pool: &Models,
    role: &RoleModel,
    job: &Job,
    targets: &[String],
    map: &str,
    form: Form,
    config: &Config,
    options: &Options,
) -> Result<Proposal, Failure> {
    let mut workset = Workset::new(workspace, targets.to_vec(), &job.instruction);
    let task = Task {
        instruction: &job.instruction,
        map,
        form,
        algorithm: job.algorithm,
        retries: config.edit.retries,
        max_tokens: role.settings.max_tokens,
        timeout: Duration::from_secs(role.settings.timeout_s),
    };
    fits(&mut workset, targets, map, role, &task)?;
    let engine = super::load_model(role, pool, options.json, config)
        .map_err(|m| Failure::Other(CommandError::from(anyhow::anyhow!(m))))?;
    let mut engine = engine
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let label = format!("writing the edit with {}", engine.describe());
    let spinner = if options.json {
        None
    } else {
        ui::spinner(label.clone())
    };
    let mut pieces = 0usize;
    let result = session::propose(&mut **engine, &mut workset, &task, &mut |p| match p {
        Progress::Text(_) => {
            pieces += 1;
            if let Some(s) = &spinner {
                s.set_message(format!("{label} · {pieces} tokens"));
            }
        }
        Progress::Retry { attempt, reason } => {
            if let Some(s) = &spinner {
                s.suspend(|| ui::warn(&format!("{reason}; asking again (attempt {attempt})")));
            } else if !options.json {
                ui::warn(&format!("{reason}; asking again (attempt {attempt})"));
            }
        }
        Progress::Checked { .. } => {}
    });
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    result.map_err(|e| match e {
        EditError::Unusable { reason, attempts } => {
            Failure::Unusable(format!("{reason} (after {attempts} attempts)"))
        }
        EditError::Model(llm::LlmError::Cancelled) => Failure::Other(CommandError::new(
            ErrorKind::Interrupted,
            anyhow::anyhow!("interrupted: nothing was changed"),
        )),
        EditError::Model(e) => Failure::Other(CommandError::from(anyhow::anyhow!(
            "{} failed: {e}",
            role.describe()
        ))),
        EditError::NoChange => Failure::Other(
            CommandError::from(anyhow::anyhow!("the model's reply changes nothing"))
                .with_hint("say more precisely what to change"),
        ),
    })
}

/// Refuses before loading anything when the files and the answer cannot fit the
/// model's context.
fn fits(
    workset: &mut Workset,
    targets: &[String],
    map: &str,
    role: &RoleModel,
    task: &Task,
) -> Result<(), Failure> {
    let mut chars = map.len() + task.instruction.len() + 1500;
    for path in targets {
        let text = workset
            .text(path)
            .map_err(|e| Failure::Other(CommandError::from(anyhow::anyhow!(e))))?;
        chars += text.map_or(0, str::len);
    }
    let needed = context::estimate_tokens(chars);
    let room = |context: u32| context.saturating_sub(task.max_tokens.min(context / 2));
    let mut context = role.settings.context_size;
    if needed > room(context) as usize {
        // A server's context is often far larger than the default for a local model.
        context = role.context_for(needed + task.max_tokens as usize);
    }
    let room = room(context);
    if needed > room as usize {
        return Err(Failure::Other(
            CommandError::from(anyhow::anyhow!(
                "the files do not fit the {} model's context: about {needed} tokens, {room} available",
                role.role
            ))
            .with_hint(format!(
                "name fewer or smaller files with --file, or raise models.{}.context_size",
                role.role
            )),
        ));
    }
    Ok(())
}

/// The files the model may change: named ones (checked against the work tree), or
/// the best matches for the request's words. Empty for an algorithm task that names
/// none: the model then picks a new file's name.
fn targets(
    workspace: &Workspace,
    job: &Job,
    tracked: &[String],
    notes: &mut Vec<String>,
) -> Result<Vec<String>, CommandError> {
    let mut out = Vec::new();
    for file in &job.files {
        let full = workspace
            .resolve(file)
            .map_err(|e| CommandError::usage(anyhow::anyhow!(e)))?;
        if full.is_dir() {
            return Err(CommandError::usage(anyhow::anyhow!(
                "{file} is a directory; name the files in it to change"
            )));
        }
        let mut relative = full
            .strip_prefix(&workspace.root)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| file.clone());
        // "search.py" in a request often means the one tracked src/search.py.
        if !full.exists()
            && !relative.contains('/')
            && let [only] = same_name(tracked, &relative).as_slice()
        {
            notes.push(format!("{relative} is {only}"));
            relative = only.clone();
        }
        if !out.contains(&relative) {
            out.push(relative);
        }
    }
    if !out.is_empty() {
        return Ok(out);
    }
    let picked = context::candidates(&workspace.root, &job.instruction);
    if picked.is_empty() {
        if job.algorithm {
            return Ok(Vec::new());
        }
        return Err(
            CommandError::usage(anyhow::anyhow!("could not tell which file to change"))
                .with_hint("name it in the request (\"… in search.py\") or with --file"),
        );
    }
    let described: Vec<String> = picked
        .iter()
        .map(|c| {
            let words: Vec<String> = c.matched.iter().take(3).map(|w| format!("“{w}”")).collect();
            format!("{} (matched {})", c.path, words.join(", "))
        })
        .collect();
    notes.push(format!(
        "files: {} — name others with --file",
        described.join("; ")
    ));
    Ok(picked.into_iter().map(|c| c.path).collect())
}

/// Tracked files named `name` in some directory.
fn same_name(tracked: &[String], name: &str) -> Vec<String> {
    tracked
        .iter()
        .filter(|p| p.rsplit('/').next() == Some(name))
        .cloned()
        .collect()
}

/// Refuses `--commit` in the middle of a merge, rebase, cherry-pick or revert: the
/// commit would be folded into the merge, or made on a rebase's HEAD and lost when the
/// rebase is aborted.
fn refuse_mid_operation(workspace: &Workspace) -> Result<(), CommandError> {
    match crate::tools::git::operation_in_progress(&workspace.root)? {
        Some(operation) => {
            let what = operation.describe();
            Err(CommandError::refused(anyhow::anyhow!(
                "the repository is in the middle of {what}, so --commit would not make a commit of its own"
            ))
            .with_hint(format!("finish or abort {what} first, or run without --commit")))
        }
        None => Ok(()),
    }
}

/// Refuses `--commit` when a file it would commit already has changes of the user's,
/// which the commit would sweep in.
fn refuse_dirty(workspace: &Workspace, targets: &[String]) -> Result<(), CommandError> {
    if targets.is_empty() {
        return Ok(());
    }
    let mut args = vec!["status", "--porcelain", "--untracked-files=no", "--"];
    args.extend(targets.iter().map(String::as_str));
    let status = crate::tools::git::output(&workspace.root, &args).map_err(CommandError::from)?;
    let dirty: Vec<&str> = status.lines().filter_map(|l| l.get(3..)).collect();
    if dirty.is_empty() {
        return Ok(());
    }
    Err(CommandError::refused(anyhow::anyhow!(
        "{} {} uncommitted changes, which --commit would sweep into the edit's commit",
        dirty.join(", "),
        if dirty.len() == 1 { "has" } else { "have" }
    ))
    .with_hint("commit or stash them first, or run without --commit"))
}

/// Commits exactly `paths` (whatever else is staged stays staged), through `git commit`
/// so hooks and signing run. Returns the new commit's id.
fn commit(
    workspace: &Workspace,
    paths: &[&str],
    instruction: &str,
) -> Result<String, CommandError> {
    let root = &workspace.root;
    let mut add = vec!["add", "--"];
    add.extend(paths);
    crate::tools::git::output(root, &add).map_err(CommandError::from)?;
    let message = commit_message(instruction, paths);
    let mut args = vec!["commit", "--quiet", "-m", message.as_str(), "--only", "--"];
    args.extend(paths);
    let status = crate::tools::git::command(root)
        .args(&args)
        .status()
        .map_err(|e| CommandError::from(anyhow::anyhow!("could not run git commit: {e}")))?;
    if !status.success() {
        return Err(CommandError::from(anyhow::anyhow!(
            "git commit failed, so the edit is applied but not committed"
        ))
        .with_hint(
            "fix what git said and commit it yourself, or `git codey undo` to put the files back",
        ));
    }
    let sha =
        crate::tools::git::output(root, &["rev-parse", "HEAD"]).map_err(CommandError::from)?;
    Ok(sha.trim().to_string())
}

/// A commit message drafted from the request and the files it touched: the request as
/// a capitalised summary line under 72 characters, and the files in the body.
pub(super) fn commit_message(instruction: &str, paths: &[&str]) -> String {
    let text = instruction.trim().trim_end_matches('.');
    let mut summary = String::new();
    for word in text.split_whitespace() {
        if summary.len() + word.len() + 1 > 68 {
            summary.push('…');
            break;
        }
        if !summary.is_empty() {
            summary.push(' ');
        }
        summary.push_str(word);
    }
    let mut chars = summary.chars();
    let summary = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Edit files".to_string(),
    };
    format!(
        "{summary}\n\nChanged by git-codey: {}\nRequest: {}\n",
        paths.join(", "),
        instruction.trim()
    )
}

/// Tracked files, for the map.
fn tracked_files(workspace: &Workspace) -> Vec<String> {
    crate::tools::git::output(&workspace.root, &["ls-files"])
        .map(|out| out.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// The patch, coloured on a terminal, then the numbers.
fn show(report: &Report) -> Result<(), CommandError> {
    for note in &report.notes {
        ui::note(note);
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
        ui::warn(&format!(
            "the edit also {how} {}, which the request did not name",
            change.path
        ));
    }
    let diff = p.patch.unified();
    ui::with_stdout(|out| {
        for line in diff.lines() {
            // The reply's lines are the model's: escaped, so none can hide itself.
            let line = &*ui::escape_controls(line);
            let header = line.starts_with("diff --git")
                || line.starts_with("+++")
                || line.starts_with("---");
            let styled = if header {
                ui::bold(line)
            } else if line.starts_with('+') {
                ui::green(line)
            } else if line.starts_with('-') {
                ui::red(line)
            } else if line.starts_with("@@") {
                ui::dim(line)
            } else {
                line.to_string()
            };
            writeln!(out, "{styled}")?;
        }
        if let Some(complexity) = &p.complexity {
            writeln!(out, "\n{}", ui::escape_controls(complexity))?;
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
    ui::note(&format!(
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
    if report.algorithm && report.proposal.complexity.is_none() {
        ui::note("the model gave no complexity analysis");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_messages_summarise_the_request() {
        let m = commit_message("add binary search to search.py.", &["search.py"]);
        assert!(m.starts_with("Add binary search to search.py\n\n"));
        assert!(m.contains("Changed by git-codey: search.py\n"));
        let long = commit_message(&"word ".repeat(40), &["a.py"]);
        assert!(long.lines().next().unwrap().chars().count() <= 72);
    }
}
