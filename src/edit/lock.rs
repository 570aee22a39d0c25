//! One git-codey at a time changes a repository's files: applying an edit and undoing
//! one hold an exclusive lock on `.git/codey/lock` (released by the kernel when the
//! process ends, however it ends). A second run waits briefly, then says who holds it.
//! Holding the lock also makes it safe to clear what a crashed run left in the scratch
//! directory where new contents are staged.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::fcntl::{Flock, FlockArg};

/// How long a run waits for another to finish before giving up.
pub const WAIT: Duration = Duration::from_secs(10);

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another git-codey{} is changing files in this repository; try again when it has finished",
        .holder.map(|p| format!(" (process {p})")).unwrap_or_default()
    )]
    Busy { holder: Option<u32> },
    #[error("could not lock {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The repository's lock, held until dropped.
pub struct RepoLock {
    _lock: Flock<std::fs::File>,
    scratch: PathBuf,
}

impl RepoLock {
    /// Takes the lock of the repository whose git directory is `git_dir`, waiting up to
    /// `wait` for another run to let go.
    pub fn acquire(git_dir: &Path, wait: Duration) -> Result<Self, LockError> {
        let dir = git_dir.join("codey");
        let path = dir.join("lock");
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(&dir).map_err(io)?;
        let started = Instant::now();
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let mut lock = loop {
            match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
                Ok(lock) => break lock,
                Err((back, _)) if started.elapsed() < wait => {
                    file = back;
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err((mut back, _)) => {
                    let mut text = String::new();
                    let _ = back.read_to_string(&mut text);
                    return Err(LockError::Busy {
                        holder: text.trim().parse().ok(),
                    });
                }
            }
        };
        // Who holds it, for the message another run shows.
        lock.set_len(0).map_err(io)?;
        lock.rewind().map_err(io)?;
        write!(lock, "{}", std::process::id()).map_err(io)?;
        let scratch = dir.join("tmp");
        // Whatever is in the scratch directory now was left by a run that ended without
        // cleaning up (it held this lock while it wrote there).
        let _ = std::fs::remove_dir_all(&scratch);
        Ok(RepoLock {
            _lock: lock,
            scratch,
        })
    }

    /// Where new file contents are staged before they are renamed into place: inside
    /// the git directory, so that a run killed part-way leaves nothing in the work tree.
    pub fn scratch(&self) -> &Path {
        &self.scratch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_then_is_told_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = RepoLock::acquire(dir.path(), WAIT).unwrap();
        std::fs::create_dir_all(first.scratch()).unwrap();
        std::fs::write(first.scratch().join("left.tmp"), "x").unwrap();
        let err = RepoLock::acquire(dir.path(), Duration::from_millis(100))
            .err()
            .expect("the lock is held");
        assert!(
            err.to_string()
                .contains(&format!("process {}", std::process::id())),
            "{err}"
        );
        drop(first);
        let second = RepoLock::acquire(dir.path(), Duration::ZERO).unwrap();
        assert!(!second.scratch().exists(), "leftovers are cleared");
    }
}
