//! The resident model service: one process per user on a Unix socket in a private
//! runtime directory, keeping the router model loaded between commands so that only the
//! first request pays for the load. Every command works without it: whenever the
//! service cannot answer, the caller loads the model in-process instead.

pub mod client;
pub mod protocol;
pub mod runtime;
pub mod server;

use std::path::PathBuf;

pub use runtime::Runtime;

/// Why the service could not be reached, started or run.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error("refusing to use {dir} for the daemon's socket: {reason}")]
    UnsafeDir { dir: PathBuf, reason: String },
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the daemon is already running (pid {pid})")]
    AlreadyRunning { pid: String },
    #[error("the daemon is not running")]
    NotRunning,
    #[error("the daemon did not start: {detail} (its log is {})", log.display())]
    StartFailed { detail: String, log: PathBuf },
    #[error("the daemon was asked to stop but its socket is still there after {waited_s} s")]
    StopFailed { waited_s: u64 },
    /// The service answered `"ok": false`; its sentence.
    #[error("the daemon answered: {0}")]
    Refused(String),
    #[error("the daemon's reply makes no sense: {0}")]
    BadReply(String),
    #[error("the connection to the daemon failed earlier; connect again")]
    Broken,
    #[error("the {0} model is served remotely; the daemon hosts only local models")]
    Remote(&'static str),
}

impl DaemonError {
    fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let what = what.into();
        move |source| DaemonError::Io { what, source }
    }
}
