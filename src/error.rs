//! The command layer's one error type: what went wrong, a hint for what to do next,
//! and the exit code it maps to.

use std::fmt;

/// Exit codes of git-codey, documented in `--help` and the README.
pub mod exit {
    /// Everything asked for was done.
    pub const OK: u8 = 0;
    /// A step failed, or an internal error (a failing command's own code is used instead
    /// when there is one).
    pub const FAILED: u8 = 1;
    /// Bad usage or configuration, or not inside a repository.
    pub const USAGE: u8 = 2;
    /// The permission gate refused, or the user declined: nothing was changed.
    pub const REFUSED: u8 = 3;
    /// `daemon status`: the service is not running (as `systemctl status` says it).
    pub const NOT_RUNNING: u8 = 3;
    /// A shell step ran past its time limit.
    pub const TIMED_OUT: u8 = 124;
    /// Interrupted with Ctrl-C.
    pub const INTERRUPTED: u8 = 130;
}

/// What kind of failure, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Failed,
    Usage,
    Refused,
    Interrupted,
    /// Exit with this code; everything the user needs was already reported.
    Quiet(u8),
}

#[derive(Debug)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub error: anyhow::Error,
    pub hint: Option<String>,
}

impl CommandError {
    pub fn new(kind: ErrorKind, error: impl Into<anyhow::Error>) -> Self {
        CommandError {
            kind,
            error: error.into(),
            hint: None,
        }
    }

    pub fn usage(error: impl Into<anyhow::Error>) -> Self {
        Self::new(ErrorKind::Usage, error)
    }

    pub fn refused(error: impl Into<anyhow::Error>) -> Self {
        Self::new(ErrorKind::Refused, error)
    }

    /// Exit with `code` without printing anything more.
    pub fn quiet(code: u8) -> Self {
        Self::new(ErrorKind::Quiet(code), anyhow::anyhow!("exit {code}"))
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::Failed => exit::FAILED,
            ErrorKind::Usage => exit::USAGE,
            ErrorKind::Refused => exit::REFUSED,
            ErrorKind::Interrupted => exit::INTERRUPTED,
            ErrorKind::Quiet(code) => code,
        }
    }
}

impl From<anyhow::Error> for CommandError {
    fn from(error: anyhow::Error) -> Self {
        Self::new(ErrorKind::Failed, error)
    }
}

impl From<std::io::Error> for CommandError {
    fn from(error: std::io::Error) -> Self {
        Self::new(ErrorKind::Failed, error)
    }
}

impl From<crate::config::ConfigError> for CommandError {
    fn from(error: crate::config::ConfigError) -> Self {
        Self::usage(error).with_hint("fix the value, or run `git codey config` to see every key")
    }
}

impl From<crate::workspace::DiscoverError> for CommandError {
    fn from(error: crate::workspace::DiscoverError) -> Self {
        let hint = match &error {
            crate::workspace::DiscoverError::NotARepository(_) => {
                "run git-codey inside a git work tree (cd into one, or `git init`)"
            }
            crate::workspace::DiscoverError::Bare(_) => {
                "run it in a work tree: `git worktree add <dir>` makes one"
            }
            crate::workspace::DiscoverError::Other { .. } => {
                "check the repository with `git status`"
            }
        };
        Self::usage(error).with_hint(hint)
    }
}

impl From<crate::edit::pipeline::Failure> for CommandError {
    fn from(failure: crate::edit::pipeline::Failure) -> Self {
        use crate::edit::pipeline::Failure as F;
        let (kind, hint) = match &failure {
            F::BadTarget(_) => (ErrorKind::Usage, None),
            F::NoTarget => (
                ErrorKind::Usage,
                Some("name it in the request (\"… in search.py\") or with --file".to_string()),
            ),
            F::Ambiguous { .. } => (
                ErrorKind::Usage,
                Some("name the file with --file, or the definition more precisely".to_string()),
            ),
            F::MidOperation(what) => (
                ErrorKind::Refused,
                Some(format!("finish or abort {what} first, or run without --commit")),
            ),
            F::Dirty(_) => (
                ErrorKind::Refused,
                Some("commit or stash them first, or run without --commit".into()),
            ),
            F::TooBig { role, .. } => (
                ErrorKind::Failed,
                Some(format!(
                    "name fewer or smaller files with --file, or raise models.{role}.context_size"
                )),
            ),
            F::Unusable(_) => (
                ErrorKind::Failed,
                Some("nothing was changed; name the file with --file, say more precisely what to change, or try --format whole-file".into()),
            ),
            F::NoChange => (
                ErrorKind::Failed,
                Some("say more precisely what to change".into()),
            ),
            F::Declined => (ErrorKind::Refused, None),
            F::Failing(_) => (
                ErrorKind::Refused,
                Some("nothing was changed; rerun with --yes to apply it anyway, or --no-check to skip the checks".into()),
            ),
            F::Interrupted => (ErrorKind::Interrupted, None),
            F::Locked(_) => (ErrorKind::Failed, Some("nothing was changed".into())),
            F::CommitFailed => (
                ErrorKind::Failed,
                Some("fix what git said and commit it yourself, or `git codey undo` to put the files back".into()),
            ),
            F::Unavailable(_) | F::Model { .. } | F::Io(_) | F::Git(_) => (ErrorKind::Failed, None),
        };
        let error = CommandError::new(kind, failure);
        match hint {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.error)
    }
}
