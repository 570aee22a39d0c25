//! The code intent from request to applied patch, in order: the target files, what the
//! model is shown, the model asked (the algorithm specialist when the coder's edit is
//! unusable), the patch previewed and confirmed, then applied under the repository
//! lock with its undo record, and committed when asked. It returns a typed report or
//! a typed failure; how any of it looks is the caller's, through [`Hooks`].

use crate::config::RoleName;
use std::time::Duration;

use serde_json::{Value, json};

use super::lock::{self, RepoLock};
use super::session::{self, EditError, Progress, Proposal, Task};
use super::{Form, Workset, apply, commit, context, rename, targets, undo};
use crate::config::Config;
use crate::llm::{self, RoleModel, Source};
use crate::provider::{Observer, Provider};
use crate::workspace::Workspace;

/// What to change.
pub struct Job {
    pub instruction: String,
    pub files: Vec<String>,
    /// An algorithm task: the specialist, and a complexity analysis.
    pub algorithm: bool,
}

/// How to go about it.
pub struct Options {
    /// Ask before applying (a person is there, and nobody said yes in advance).
    pub confirm: bool,
    pub dry_run: bool,
    pub commit: bool,
    pub form: Option<Form>,
    /// `--yes`: the user agreed in advance, even to a patch whose checks still fail.
    pub yes: bool,
    /// Whether a person is there to confirm.
    pub interactive: bool,
    /// Check the patch before it is shown (`--no-check` turns it off).
    pub check: bool,
    /// Whether the checks may run the repository's code.
    pub consent: crate::verify::RunCode,
}

/// How much of the prompt the outline of the rest of the repository may take.
const OUTLINE_CHARS: usize = 6_000;
/// How much of it the session's earlier turns may take.
const MEMORY_CHARS: usize = 1_500;

/// Whether a request points back at an earlier one: "it", "that", "the test", "again".
fn refers_back(instruction: &str) -> bool {
    instruction.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w.to_ascii_lowercase().as_str(),
            "it" | "that" | "this" | "again" | "them" | "those"
        )
    })
}

/// What an edit came to, for people and for `--json`.
pub struct Report {
    pub proposal: Proposal,
    /// The form the model wrote the patch in; `None` when no model wrote it (a rename).
    pub form: Option<Form>,
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
            "form": self.form.map_or("rename", Form::as_str),
            "model": self.model,
            "attempts": p.attempts,
            "prompt_tokens": p.prompt_tokens,
            "completion_tokens": p.completion_tokens,
            "generation_s": p.generation_time.as_secs_f64(),
            "complexity": p.complexity,
            "notes": self.notes,
            "unnamed": self.unnamed,
            "checks": p.checks,
            "verdict": p.verdict,
        })
    }
}

/// What happens along the way, for a spinner and the messages around the patch.
pub enum Event<'a> {
    /// The model starts writing the edit.
    Writing {
        model: &'a str,
    },
    /// One more piece of the reply.
    Piece,
    /// The model starts writing examples of what the request asks of the functions
    /// named `of`; the edit goes on after them (`Retry` when it is asked again).
    WritingExamples {
        of: &'a str,
    },
    /// A reply could not be used; the model is asked again.
    Retry {
        attempt: u32,
        reason: &'a str,
    },
    /// The model is done (or failed): the spinner can go.
    Written,
    /// An attempt's patch was checked: what the checks said, and whether it failed.
    Checked {
        attempt: u32,
        summary: Vec<String>,
        failed: bool,
    },
    /// A failing patch was mended without the model (an import it lacked).
    Mended {
        note: &'a str,
    },
    /// The coder's edit failed and the specialist is asked instead.
    Escalating {
        reason: &'a str,
    },
    /// A dry run ends here: nothing was changed.
    DryRun,
    Applied {
        paths: &'a [&'a str],
    },
    Committed {
        sha: &'a str,
    },
}

/// The presentation layer's part in an edit.
pub trait Hooks {
    fn event(&mut self, event: Event);
    /// Shows the patch (and the notes about it) before it is confirmed or applied.
    fn preview(&mut self, report: &Report);
    /// A yes/no question; anything but a clear yes is a no.
    fn confirm(&mut self, prompt: &str) -> bool;
    /// One of `items`, chosen by the user; `None` when nobody can choose.
    fn choose(&mut self, prompt: &str, items: &[String]) -> Option<usize>;
    /// Where the model provider's notices go (loading spinners, warnings).
    fn observer(&self) -> Observer;
}

/// Why an edit changed nothing (or, for a commit that failed, was not committed).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// A named file cannot be edited: outside the repository, a directory, …
    #[error("{0}")]
    BadTarget(String),
    /// Nothing in the request or the repository says which file to change.
    #[error("could not tell which file to change")]
    NoTarget,
    #[error("{name} is defined in several files: {}", candidates.join(", "))]
    Ambiguous {
        name: String,
        candidates: Vec<String>,
    },
    #[error(
        "the repository is in the middle of {0}, so --commit would not make a commit of its own"
    )]
    MidOperation(String),
    #[error("{} {} uncommitted changes, which --commit would sweep into the edit's commit", .0.join(", "), if .0.len() == 1 { "has" } else { "have" })]
    Dirty(Vec<String>),
    #[error(
        "the files do not fit the {role} model's context: about {needed} tokens, {room} available"
    )]
    TooBig {
        role: &'static str,
        needed: usize,
        room: u32,
    },
    /// The model could not be loaded or reached; the sentence says what to do.
    #[error("{0}")]
    Unavailable(String),
    #[error("{model} failed: {message}")]
    Model { model: String, message: String },
    /// The replies could not be applied.
    #[error("the model's edit could not be applied: {0}")]
    Unusable(String),
    #[error("the model's reply changes nothing")]
    NoChange,
    #[error("declined: nothing was changed")]
    Declined,
    /// The patch still fails its checks, and nobody is there to accept it anyway.
    #[error("the edit still fails its checks ({0}), and there is no terminal to accept it anyway")]
    Failing(String),
    #[error("interrupted: nothing was changed")]
    Interrupted,
    /// Another git-codey holds the repository's lock, or it could not be taken.
    #[error("{0}")]
    Locked(String),
    /// Reading a file, writing the patch or the undo record failed.
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    Git(String),
    #[error("git commit failed, so the edit is applied but not committed")]
    CommitFailed,
}

/// Carries out one edit: the whole path from request to applied (and committed) patch.
pub fn perform(
    workspace: &Workspace,
    config: &Config,
    provider: &Provider,
    job: &Job,
    options: &Options,
    hooks: &mut dyn Hooks,
) -> Result<Report, Failure> {
    let mut notes = Vec::new();
    let now = std::time::SystemTime::now();
    let mut memory = crate::memory::Memory::load(
        &workspace.git_dir,
        &crate::memory::branch(&workspace.root),
        now,
    );
    let tracked = targets::tracked_files(workspace);
    // The map of what the tracked files define and use: read from its cache, re-parsed
    // where files changed.
    let (map, _) = crate::map::Map::update(&workspace.root, &workspace.git_dir, &tracked);
    // A follow-up ("now add a test for it") names no file: what its "it" stands for is
    // spelled out for the map and the model, and the last turn's files are targets.
    let referents = memory.referents();
    let follows =
        job.files.is_empty() && refers_back(&job.instruction) && !referents.files.is_empty();
    let mut instruction = job.instruction.clone();
    if follows && let Some(meant) = referents.resolve(&job.instruction) {
        let place = referents
            .definitions
            .iter()
            .rev()
            .find(|d| d.name == meant)
            .map(|d| format!(" in {}", d.path))
            .unwrap_or_default();
        instruction = format!(
            "{} (“it” is {meant}{place}, from the last request: “{}”)",
            job.instruction,
            referents.request.as_deref().unwrap_or_default()
        );
    }
    let asked = Job {
        instruction: instruction.clone(),
        files: job.files.clone(),
        algorithm: job.algorithm,
    };
    let mut targets = targets::targets(
        workspace,
        &asked,
        &tracked,
        &map,
        &mut |prompt, items| hooks.choose(prompt, items),
        &mut notes,
    );
    if follows {
        let mut files = targets.unwrap_or_default();
        for file in referents.files.iter().rev() {
            if !files.contains(file) {
                files.insert(0, file.clone());
            }
        }
        notes.push(format!(
            "“{}” follows the last request: {}",
            job.instruction,
            referents.files.join(", ")
        ));
        targets = Ok(files);
    }
    let targets = targets?;
    if options.commit && !options.dry_run {
        commit::refuse_mid_operation(workspace)?;
        commit::refuse_dirty(workspace, &targets)?;
    }

    let (coder, specialist) = (
        &llm::role(config, RoleName::Coder),
        &llm::role(config, RoleName::Algorithm),
    );
    let specialist_ready = specialist.available();
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

    let mut outline = crate::map::outline(&map, &targets, &instruction, OUTLINE_CHARS);
    let earlier = memory.for_prompt(MEMORY_CHARS, now);
    if !earlier.is_empty() {
        outline = format!("{earlier}\n\n{outline}");
    }
    let ask = Ask {
        workspace,
        config,
        provider,
        job,
        targets: &targets,
        symbols: &map,
        map: &outline,
        asked: options.form,
        instruction: &instruction,
        check: options.check && config.verify.enabled,
        consent: &options.consent,
    };
    // A request that only renames needs no model: the parser knows every place.
    let renamed = match rename::only(&job.instruction) {
        Some(renames) if !job.algorithm => ask.renamed(&renames, &mut notes, hooks)?,
        _ => None,
    };
    let (proposal, form, model) = match renamed {
        Some(proposal) => (
            proposal,
            None,
            "none (a rename on the syntax tree)".to_string(),
        ),
        None => {
            let (proposal, form, used) =
                ask.with_escalation(first, coder, specialist, &mut notes, hooks)?;
            (proposal, Some(form), used.describe())
        }
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
        model,
        applied: false,
        commit: None,
        notes,
        algorithm: job.algorithm,
    };
    hooks.preview(&report);
    if options.dry_run {
        hooks.event(Event::DryRun);
        return Ok(report);
    }
    // A patch that still fails its checks is never applied without a yes for it.
    let failing = report.proposal.verdict == session::Verdict::Failing;
    if failing && !options.yes && !options.interactive {
        let said = report
            .proposal
            .checks
            .last()
            .map(|a| a.report.summary().join(", "))
            .unwrap_or_default();
        return Err(Failure::Failing(said));
    }
    let patch = &report.proposal.patch;
    if options.confirm || (failing && !options.yes) {
        let files = patch.changes.len();
        let prompt = format!(
            "apply this change to {files} file{}{}?",
            if files == 1 { "" } else { "s" },
            if failing {
                ", although its checks fail"
            } else {
                ""
            }
        );
        if !hooks.confirm(&prompt) {
            return Err(if crate::interrupt::requested() {
                Failure::Interrupted
            } else {
                Failure::Declined
            });
        }
    }
    // Ctrl-C between the checks and here: nothing is written.
    if crate::interrupt::requested() {
        return Err(Failure::Interrupted);
    }
    crate::fault::pause("prepared");
    let lock = RepoLock::acquire(&workspace.git_dir, lock::WAIT)
        .map_err(|e| Failure::Locked(e.to_string()))?;
    crate::fault::pause("locked");
    undo::record(&workspace.git_dir, patch, &job.instruction)
        .map_err(|e| Failure::Io(e.to_string()))?;
    if let Err(e) = apply::apply(patch, lock.scratch()) {
        undo::discard(&workspace.git_dir);
        return Err(Failure::Io(e.to_string()));
    }
    undo::settle(&workspace.git_dir);
    report.applied = true;
    // What the next request's "it" and "that" mean. The session memory is a help, not
    // the edit: a failure to write it changes nothing that was applied.
    let _ = memory.record(turn(job, patch, &report, now));
    let paths = patch.paths();
    hooks.event(Event::Applied { paths: &paths });
    if options.commit {
        let sha = commit::commit(workspace, &paths, &job.instruction)?;
        undo::set_commit(&workspace.git_dir, &sha).map_err(|e| Failure::Io(e.to_string()))?;
        hooks.event(Event::Committed { sha: &sha });
        report.commit = Some(sha);
    }
    Ok(report)
}

/// Work on a patch given the checks (when they run) and a place to report progress.
type Checked<'w, R> = dyn FnMut(Option<session::Verifier>, &mut dyn FnMut(Progress)) -> R + 'w;

/// What every attempt at the edit shares.
struct Ask<'a> {
    workspace: &'a Workspace,
    config: &'a Config,
    provider: &'a Provider,
    job: &'a Job,
    targets: &'a [String],
    /// The repository map: where a name a patch lacks is defined.
    symbols: &'a crate::map::Map,
    /// The outline of the repository the model is shown.
    map: &'a str,
    asked: Option<Form>,
    /// The request as the model is asked it.
    instruction: &'a str,
    check: bool,
    consent: &'a crate::verify::RunCode,
}

impl Ask<'_> {
    /// One model's go at the edit, in the form that suits it.
    fn attempt(
        &self,
        role: &RoleModel,
        notes: &mut Vec<String>,
        hooks: &mut dyn Hooks,
    ) -> Result<(Proposal, Form), Failure> {
        let form = form_for(role, self.asked, self.config, notes);
        self.propose(role, form, notes, hooks).map(|p| (p, form))
    }

    /// `first`'s go at the edit, and the specialist's when the coder's reply could not
    /// be used and the specialist is another model.
    fn with_escalation<'r>(
        &self,
        first: &'r RoleModel,
        coder: &'r RoleModel,
        specialist: &'r RoleModel,
        notes: &mut Vec<String>,
        hooks: &mut dyn Hooks,
    ) -> Result<(Proposal, Form, &'r RoleModel), Failure> {
        match self.attempt(first, notes, hooks) {
            Ok((proposal, form)) => Ok((proposal, form, first)),
            // Escalating only helps when the specialist is another model.
            Err(Failure::Unusable(reason))
                if first.role == RoleName::Coder
                    && self.config.edit.escalate
                    && specialist.available()
                    && specialist.source != coder.source =>
            {
                hooks.event(Event::Escalating { reason: &reason });
                notes.push(format!(
                    "the coder's edit failed ({reason}); asking the algorithm model"
                ));
                let (proposal, form) = self.attempt(specialist, notes, hooks)?;
                Ok((proposal, form, specialist))
            }
            Err(failure) => Err(failure),
        }
    }

    /// A request that only renames, done on the syntax tree without a model and
    /// checked as a model's patch would be; `None` (with a note saying why) when the
    /// rename is not one the tool can do with certainty.
    fn renamed(
        &self,
        renames: &[rename::Rename],
        notes: &mut Vec<String>,
        hooks: &mut dyn Hooks,
    ) -> Result<Option<Proposal>, Failure> {
        let mut workset = Workset::new(self.workspace, self.targets.to_vec(), self.instruction);
        let done = match rename::apply(&mut workset, self.symbols, renames) {
            Ok(done) => done,
            Err(declined) => {
                notes.push(format!("not renamed without a model: {declined}"));
                return Ok(None);
            }
        };
        let what = done.join("\n");
        let proposal = match self.checked(None, notes, hooks, &mut |verifier, progress| {
            session::made_by_tool(&mut workset, what.clone(), verifier, progress)
        }) {
            Ok(proposal) => proposal,
            Err(EditError::Interrupted) => return Err(Failure::Interrupted),
            Err(other) => {
                notes.push(format!("not renamed without a model: {other}"));
                return Ok(None);
            }
        };
        if proposal.verdict == session::Verdict::Failing {
            // The tool vouches for its own rename or makes none.
            let said = proposal
                .checks
                .last()
                .map(|a| a.report.summary().join(", "))
                .unwrap_or_default();
            notes.push(format!(
                "not renamed without a model: the rename fails its checks ({said})"
            ));
            return Ok(None);
        }
        notes.extend(done);
        Ok(Some(proposal))
    }

    /// Runs `work` with the checks and the progress events every patch shares, and
    /// keeps the notes of what was mended; examples when `role`'s model suits them.
    fn checked<R>(
        &self,
        role: Option<&RoleModel>,
        notes: &mut Vec<String>,
        hooks: &mut dyn Hooks,
        work: &mut Checked<'_, R>,
    ) -> R {
        let settings = &self.config.verify;
        let mut check = |patch: &super::Patch| {
            crate::verify::check(
                self.workspace,
                &session::changes(patch),
                settings,
                self.consent,
                &crate::interrupt::requested,
            )
        };
        let mut mend = |patch: &super::Patch, report: &crate::verify::Report| {
            super::imports::missing(self.symbols, patch, &report.undefined_names())
        };
        let mut examples = |patch: &super::Patch, examples: &[crate::verify::examples::Example]| {
            crate::verify::examples::run(
                self.workspace,
                &session::changes(patch),
                examples,
                Duration::from_secs(settings.test_timeout_s),
            )
        };
        // Examples run the repository's code: only with the consent that needs.
        let run_examples = role
            .is_some_and(|role| crate::verify::examples::suit(settings.examples, &role.source))
            && settings.run_code
            && *self.consent == crate::verify::RunCode::Allowed;
        let verifier = self.check.then_some(session::Verifier {
            attempts: settings.attempts,
            check: &mut check,
            mend: &mut mend,
            examples: run_examples.then_some(&mut examples),
        });
        let mut mended = Vec::new();
        let mut progress = |p: Progress| match p {
            Progress::Text(_) => hooks.event(Event::Piece),
            Progress::Retry { attempt, reason } => hooks.event(Event::Retry { attempt, reason }),
            Progress::WritingExamples { of } => hooks.event(Event::WritingExamples { of }),
            Progress::Mended { note } => {
                hooks.event(Event::Mended { note });
                mended.push(note.to_string());
            }
            Progress::Checked { attempt, report } => hooks.event(Event::Checked {
                attempt,
                summary: report.summary(),
                failed: report.failed(),
            }),
        };
        let result = work(verifier, &mut progress);
        notes.append(&mut mended);
        result
    }

    fn propose(
        &self,
        role: &RoleModel,
        form: Form,
        notes: &mut Vec<String>,
        hooks: &mut dyn Hooks,
    ) -> Result<Proposal, Failure> {
        let job = self.job;
        let mut workset = Workset::new(self.workspace, self.targets.to_vec(), self.instruction);
        let task = Task {
            instruction: self.instruction,
            map: self.map,
            form,
            algorithm: job.algorithm,
            retries: self.config.edit.retries,
            max_tokens: role.settings.max_tokens,
            timeout: Duration::from_secs(role.settings.timeout_s),
        };
        fits(&mut workset, self.targets, self.map, role, &task)?;
        let engine = self
            .provider
            .backend(role, &hooks.observer())
            .map_err(Failure::Unavailable)?;
        let mut engine = engine
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let model = engine.describe();
        hooks.event(Event::Writing { model: &model });
        let result = self.checked(Some(role), notes, hooks, &mut |verifier, progress| {
            session::propose_checked(&mut **engine, &mut workset, &task, progress, verifier)
        });
        hooks.event(Event::Written);
        result.map_err(|e| match e {
            EditError::Unusable { reason, attempts } => {
                Failure::Unusable(format!("{reason} (after {attempts} attempts)"))
            }
            EditError::Model(llm::LlmError::Cancelled) => Failure::Interrupted,
            EditError::Model(e) => Failure::Model {
                model: role.describe(),
                message: e.to_string(),
            },
            EditError::NoChange => Failure::NoChange,
            EditError::Interrupted => Failure::Interrupted,
        })
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
        .or_else(|| Form::from_setting(config.edit.format))
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
        let text = workset.text(path).map_err(|e| Failure::Io(e.to_string()))?;
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
        return Err(Failure::TooBig {
            role: role.role.as_str(),
            needed,
            room,
        });
    }
    Ok(())
}

/// The session's record of an applied edit.
fn turn(
    job: &Job,
    patch: &super::Patch,
    report: &Report,
    now: std::time::SystemTime,
) -> crate::memory::Turn {
    let mut added = Vec::new();
    let mut changes = Vec::new();
    for change in &patch.changes {
        let (plus, minus) = change.stat();
        changes.push(crate::memory::FileChange {
            path: change.path.clone(),
            added: u32::try_from(plus).unwrap_or(u32::MAX),
            removed: u32::try_from(minus).unwrap_or(u32::MAX),
        });
        added.extend(crate::memory::added_definitions(
            &change.path,
            &change.old_text,
            &change.new_text,
        ));
    }
    crate::memory::Turn {
        request: job.instruction.clone(),
        files: patch.paths().iter().map(|p| p.to_string()).collect(),
        changes,
        added,
        checks: report
            .proposal
            .checks
            .last()
            .map(|a| a.report.summary().join(", "))
            .unwrap_or_default(),
        time: now
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        branch: String::new(),
    }
}
