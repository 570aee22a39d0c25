//! Where the service lives: `$XDG_RUNTIME_DIR/codey`, else `/tmp/codey-<uid>`, a
//! directory only its user may enter. Anyone who could reach the socket could feed the
//! router answers or read requests, so a directory owned by someone else or open to
//! others is refused, never repaired.

use std::fs::DirBuilder;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};

use super::DaemonError;

/// The service's runtime directory and the files in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runtime {
    dir: PathBuf,
}

impl Runtime {
    /// `$XDG_RUNTIME_DIR/codey` when the variable is set and not empty, else
    /// `/tmp/codey-<uid>`.
    pub fn locate() -> Self {
        let dir = std::env::var_os("XDG_RUNTIME_DIR")
            .filter(|v| !v.is_empty())
            .map_or_else(
                || PathBuf::from(format!("/tmp/codey-{}", nix::unistd::getuid())),
                |d| PathBuf::from(d).join("codey"),
            );
        Runtime { dir }
    }

    /// A runtime directory somewhere else.
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Runtime { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The socket the service listens on (mode 0600).
    pub fn socket(&self) -> PathBuf {
        self.dir.join("daemon.sock")
    }

    /// The service's pid, locked while it runs: the lock is what makes it the only one.
    pub fn pid_file(&self) -> PathBuf {
        self.dir.join("daemon.pid")
    }

    /// Where a started service's stdout and stderr go.
    pub fn log_file(&self) -> PathBuf {
        self.dir.join("daemon.log")
    }

    /// Creates the directory with mode 0700, or checks the one already there.
    pub fn prepare(&self) -> Result<(), DaemonError> {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)
            .map_err(DaemonError::io(format!(
                "could not create {}",
                self.dir.display()
            )))?;
        self.check().map(|_| ())
    }

    /// Whether the directory exists; an error when it exists but is not safe to use.
    pub fn check(&self) -> Result<bool, DaemonError> {
        let meta = match std::fs::symlink_metadata(&self.dir) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => {
                return Err(DaemonError::io(format!(
                    "could not read {}",
                    self.dir.display()
                ))(e));
            }
        };
        let refuse = |reason: String| DaemonError::UnsafeDir {
            dir: self.dir.clone(),
            reason,
        };
        if !meta.is_dir() {
            return Err(refuse(
                "it is not a directory (a symbolic link is not followed)".into(),
            ));
        }
        let me = nix::unistd::getuid().as_raw();
        if meta.uid() != me {
            return Err(refuse(format!(
                "it belongs to uid {}, not to you (uid {me})",
                meta.uid()
            )));
        }
        let mode = meta.mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(refuse(format!(
                "others may enter it (mode {mode:04o}, not 0700)"
            )));
        }
        Ok(true)
    }
}
