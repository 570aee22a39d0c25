//! A reply applied the way `git codey edit` applies one (`edit::session`): the file in
//! a git repository, a `Workset` naming it, the reply parsed with it as the default
//! path, every block applied in memory, and the patch taken. Nothing is written to the
//! work tree but the old file itself.

use std::path::{Path, PathBuf};
use std::process::Command;

use codey::edit::{Form, Workset, format};
use codey::workspace::Workspace;
use tempfile::TempDir;

/// A throwaway repository to replay replies in, one file at a time.
pub struct Sandbox {
    dir: TempDir,
}

/// What applying a reply produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replayed {
    /// The file's bytes after the patch (its old bytes when the patch is empty).
    Applied(Vec<u8>),
    /// The reply was refused: why, and whether the patch was empty all the same.
    Refused { reason: String, untouched: bool },
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let status = Command::new("git")
            .args(["init", "-q"])
            .current_dir(dir.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .expect("git runs");
        assert!(status.success(), "git init");
        Sandbox { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    fn full(&self, path: &str) -> PathBuf {
        self.root().join(path)
    }

    /// Writes `old` at `path` and applies `reply` to it as `form`.
    pub fn replay(&self, path: &str, old: &[u8], reply: &str, form: Form) -> Replayed {
        let full = self.full(path);
        std::fs::create_dir_all(full.parent().expect("a file has a parent")).expect("mkdir");
        std::fs::write(&full, old).expect("write the old file");
        let workspace = Workspace::discover(self.root()).expect("the sandbox is a repository");
        let mut workset = Workset::new(&workspace, vec![path.to_string()], "make the change");
        let blocks = match format::parse(reply, Some(path)) {
            Ok(blocks) => blocks,
            Err(e) => {
                return Replayed::Refused {
                    reason: format!("parse: {e}"),
                    untouched: true,
                };
            }
        };
        let failures: Vec<String> = blocks
            .iter()
            .enumerate()
            .filter_map(|(i, block)| {
                workset
                    .apply(block, form)
                    .err()
                    .map(|e| format!("block {}: {e}", i + 1))
            })
            .collect();
        let patch = workset.patch();
        if !failures.is_empty() {
            return Replayed::Refused {
                reason: failures.join("; "),
                untouched: patch.is_empty(),
            };
        }
        assert!(
            patch.paths().iter().all(|p| *p == path),
            "the reply for {path} changed {:?}",
            patch.paths()
        );
        match patch.changes.into_iter().next() {
            Some(change) => Replayed::Applied(change.after),
            None => Replayed::Applied(old.to_vec()),
        }
    }
}
