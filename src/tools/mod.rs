//! The tool executor: carries out git, shell and file actions — the steps that need no
//! model — at the repository root.

pub mod fs;
pub mod git;
pub mod permission;
pub mod shell;

use std::io::Write;
use std::time::Duration;

use crate::route::{Action, FileAction, GitAction};
use crate::workspace::Workspace;

pub use shell::Output;

/// What a step needs from its surroundings.
pub struct Context<'a> {
    pub workspace: &'a Workspace,
    pub shell_timeout: Duration,
    pub output: Output,
    /// Whether git may start its pager (only for a lone step on a terminal).
    pub pager: bool,
    /// Whether a person is at a terminal (git may open an editor for a message).
    pub interactive: bool,
    /// Whether shown output goes to a terminal: a file's contents are then escaped (a
    /// file is data, and its escape sequences are shown, not obeyed).
    pub terminal: bool,
    /// How a directory's name looks in a listing (bold on a terminal).
    pub directory_style: fn(&str) -> String,
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    Done,
    /// The step failed; `code` is the exit code of the command that failed, if one ran.
    Failed {
        code: Option<i32>,
        message: Option<String>,
    },
    TimedOut,
    Interrupted,
}

/// The result of one step, with its output when output is captured.
#[derive(Debug, Clone)]
pub struct StepResult {
    pub ending: Ending,
    pub stdout: String,
    pub stderr: String,
}

impl StepResult {
    pub fn done(stdout: String) -> Self {
        StepResult {
            ending: Ending::Done,
            stdout,
            stderr: String::new(),
        }
    }

    pub fn failed(message: impl Into<String>) -> Self {
        StepResult {
            ending: Ending::Failed {
                code: None,
                message: Some(message.into()),
            },
            stdout: String::new(),
            stderr: String::new(),
        }
    }
}

/// Whether an action is a model edit, which this build does not make yet.
pub fn needs_model(action: &Action) -> bool {
    matches!(action, Action::Code { .. } | Action::Algorithm { .. })
}

/// Carries out one action. What a file action shows goes to `out` (with
/// `Output::Inherit`); git and shell commands write to the inherited stdout themselves.
pub fn execute(action: &Action, ctx: &Context, out: &mut dyn Write) -> StepResult {
    match action {
        Action::Git { action, args } => run_git(action, args, ctx),
        Action::Shell { command: None } => {
            StepResult::failed("nothing to run: name the command (for example `run make test`)")
        }
        Action::Shell {
            command: Some(command),
        } => run_process(shell::command(&ctx.workspace.root, command), ctx),
        Action::File { action, path } => run_file(*action, path, ctx, out),
        Action::Code { .. } | Action::Algorithm { .. } | Action::Question { .. } => {
            StepResult::failed(format!("`{}` is not a tool action", action.name()))
        }
    }
}

fn run_process(cmd: std::process::Command, ctx: &Context) -> StepResult {
    match shell::run(cmd, ctx.output, ctx.shell_timeout) {
        Err(e) => StepResult::failed(format!("could not start the command: {e}")),
        Ok(outcome) => {
            let ending = match outcome.ending {
                shell::Ending::Exited(0) => Ending::Done,
                shell::Ending::Exited(code) => Ending::Failed {
                    code: Some(code),
                    message: None,
                },
                shell::Ending::Signalled if crate::interrupt::requested() => Ending::Interrupted,
                shell::Ending::Signalled => Ending::Failed {
                    code: None,
                    message: Some("the command was killed by a signal".into()),
                },
                shell::Ending::TimedOut => Ending::TimedOut,
            };
            StepResult {
                ending,
                stdout: outcome.stdout,
                stderr: outcome.stderr,
            }
        }
    }
}

fn run_git(action: &GitAction, extra: &[String], ctx: &Context) -> StepResult {
    let root = &ctx.workspace.root;
    for path in action_paths(action) {
        if path != "."
            && let Err(e) = ctx.workspace.resolve(path)
        {
            return StepResult::failed(e.to_string());
        }
    }
    let mut invocations = git::invocations(action, extra);
    let mut stdout = String::new();
    let mut stderr = String::new();
    let last = invocations.len().saturating_sub(1);
    for (i, args) in invocations.iter_mut().enumerate() {
        if i == last
            && let GitAction::Commit {
                message: None, all, ..
            } = action
            && !ctx.interactive
        {
            // Nobody can answer git's editor: give it a message drawn from the change.
            let diff_args: &[&str] = if *all {
                &["diff", "HEAD", "--name-status"]
            } else {
                &["diff", "--cached", "--name-status"]
            };
            let names = git::output(root, diff_args)
                .or_else(|_| git::output(root, &["diff", "--cached", "--name-status"]))
                .unwrap_or_default();
            args.splice(1..1, ["-m".to_string(), git::default_message(&names)]);
        }
        let mut cmd = git::command(root);
        if !ctx.pager {
            cmd.arg("--no-pager");
        }
        cmd.args(args.iter());
        let result = run_process(cmd, ctx);
        stdout.push_str(&result.stdout);
        stderr.push_str(&result.stderr);
        if result.ending != Ending::Done {
            return StepResult {
                ending: result.ending,
                stdout,
                stderr,
            };
        }
    }
    StepResult {
        ending: Ending::Done,
        stdout,
        stderr,
    }
}

/// The paths in the work tree a step names: a file action's, the paths a git add,
/// commit or diff is limited to (not `.`), an edit's files. Each must resolve inside
/// the work tree, which the gate checks for every step before the first runs.
pub fn named_paths(action: &Action) -> Vec<&str> {
    match action {
        Action::File { path, .. } => vec![path.as_str()],
        Action::Git { action, .. } => action_paths(action)
            .iter()
            .map(String::as_str)
            .filter(|p| *p != ".")
            .collect(),
        Action::Code { files, .. } => files.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

fn action_paths(action: &GitAction) -> &[String] {
    match action {
        GitAction::Add { paths }
        | GitAction::Commit { paths, .. }
        | GitAction::Diff { paths, .. } => paths,
        _ => &[],
    }
}

fn run_file(action: FileAction, path: &str, ctx: &Context, out: &mut dyn Write) -> StepResult {
    let full = match ctx.workspace.resolve(path) {
        Ok(full) => full,
        Err(e) => return StepResult::failed(e.to_string()),
    };
    let root = &ctx.workspace.root;
    let mut buf: Vec<u8> = Vec::new();
    let result = match (action, ctx.output) {
        (FileAction::Read, Output::Capture) => fs::read(&full, path, &mut buf),
        (FileAction::Read, Output::Inherit) => {
            shown(out, |out| read_to(&full, path, ctx.terminal, out))
        }
        (FileAction::List, Output::Capture) => fs::list(&full, path, &|d| d.to_string(), &mut buf),
        (FileAction::List, Output::Inherit) => {
            shown(out, |out| fs::list(&full, path, &ctx.directory_style, out))
        }
        (FileAction::Create, _) => fs::create(&full, path),
        (FileAction::Delete, _) => fs::delete(&full, root, path),
        (FileAction::Mkdir, _) => fs::mkdir(&full, path),
    };
    match result {
        Ok(()) => StepResult::done(String::from_utf8_lossy(&buf).into_owned()),
        Err(e) => StepResult::failed(e.to_string()),
    }
}

/// A file's contents, shown. On a terminal they are escaped: a file is data, and its
/// escape sequences are shown, not obeyed. Into a pipe or a file they go as they are.
fn read_to(
    full: &std::path::Path,
    shown: &str,
    terminal: bool,
    out: &mut dyn Write,
) -> Result<(), fs::FsError> {
    if !terminal {
        return fs::read(full, shown, out);
    }
    let mut raw = Vec::new();
    fs::read(full, shown, &mut raw)?;
    out.write_all(crate::escape::escape_controls(&String::from_utf8_lossy(&raw)).as_bytes())
        .map_err(|source| fs::FsError::Io {
            action: "writing",
            path: shown.into(),
            source,
        })
}

/// Writes what a file action shows; a reader that went away (`| head`) is not an error.
fn shown(
    out: &mut dyn Write,
    f: impl FnOnce(&mut dyn Write) -> Result<(), fs::FsError>,
) -> Result<(), fs::FsError> {
    let result = f(out);
    let _ = out.flush();
    match result {
        Err(fs::FsError::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(())
        }
        other => other,
    }
}
