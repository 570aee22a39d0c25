//! A scratch copy of the work tree for checks that run code: the files git knows of
//! (tracked, and untracked ones not ignored) copied, never linked, under
//! `.git/codey/tmp/verify-…`, with the patch written over them. Symbolic links are kept
//! only when they stay inside the tree. The copy is removed when dropped, on every way
//! out: an error, a time limit, Ctrl-C (which git-codey notes rather than dies of); a run
//! killed outright leaves it to the next `RepoLock::acquire`, which clears the directory.

use std::path::{Component, Path, PathBuf};

use super::Change;

pub(super) struct Scratch {
    pub dir: PathBuf,
    /// `.git/codey/tmp` when this copy created it, to take it away again if empty.
    made_parent: Option<PathBuf>,
}

impl Scratch {
    /// Copies `workspace`'s files into a new scratch directory.
    pub fn create(root: &Path, git_dir: &Path) -> std::io::Result<Scratch> {
        let parent = git_dir.join("codey").join("tmp");
        let made_parent = (!parent.exists()).then(|| parent.clone());
        std::fs::create_dir_all(&parent)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = parent.join(format!("verify-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&dir)?;
        // From here on, Drop cleans up whatever happens.
        let scratch = Scratch { dir, made_parent };
        let listed = crate::tools::git::output(
            root,
            &[
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
        )
        .map_err(|e| std::io::Error::other(e.to_string()))?;
        let canonical_root = root.canonicalize()?;
        let mut seen = std::collections::BTreeSet::new();
        for path in listed.split('\0').filter(|p| !p.is_empty()) {
            if !seen.insert(path) || !plain(path) || path.contains("__pycache__/") {
                continue;
            }
            let from = root.join(path);
            let to = scratch.dir.join(path);
            let Ok(meta) = from.symlink_metadata() else {
                // Listed by the index, gone from the work tree.
                continue;
            };
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir)?;
            }
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&from)?;
                let inside = target.is_relative()
                    && from
                        .canonicalize()
                        .is_ok_and(|t| t.starts_with(&canonical_root));
                if inside {
                    std::os::unix::fs::symlink(&target, &to)?;
                }
            } else if meta.is_file() {
                std::fs::copy(&from, &to)?;
            }
        }
        Ok(scratch)
    }

    /// Writes each change's new text (or removes a deleted file).
    pub fn write_after(&self, changes: &[Change]) -> std::io::Result<()> {
        self.write(changes.iter().map(|c| (c.path, c.after)))
    }

    /// Puts back each changed file as it was before the edit.
    pub fn write_before(&self, changes: &[Change]) -> std::io::Result<()> {
        self.write(changes.iter().map(|c| (c.path, c.before)))
    }

    fn write<'a>(
        &self,
        files: impl Iterator<Item = (&'a str, Option<&'a str>)>,
    ) -> std::io::Result<()> {
        for (path, text) in files {
            if !plain(path) {
                continue;
            }
            let to = self.dir.join(path);
            // A link kept from the work tree is replaced, not written through.
            if to.symlink_metadata().is_ok() {
                std::fs::remove_file(&to)?;
            }
            if let Some(text) = text {
                if let Some(dir) = to.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(&to, text)?;
            }
        }
        Ok(())
    }

    /// A path inside the copy, back as the repository names it.
    pub fn relative(&self, path: &str) -> Option<String> {
        let path = Path::new(path);
        let inside = path
            .strip_prefix(&self.dir)
            .ok()
            .or_else(|| path.strip_prefix(self.dir.canonicalize().ok()?).ok())?;
        Some(inside.to_string_lossy().into_owned())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(parent) = &self.made_parent {
            // Only if empty: another run may be staging files there.
            let _ = std::fs::remove_dir(parent);
        }
    }
}

/// A relative path of plain parts: nothing that climbs out or starts at the root.
fn plain(path: &str) -> bool {
    Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_holds_the_patch_and_goes_away() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let git = |args: &[&str]| {
            assert!(
                std::process::Command::new("git")
                    .args(args)
                    .current_dir(root)
                    .status()
                    .expect("git")
                    .success()
            );
        };
        git(&["init", "-q"]);
        std::fs::write(root.join("a.py"), "x = 1\n").expect("write");
        std::fs::write(root.join(".gitignore"), "ignored/\n").expect("write");
        std::fs::create_dir(root.join("ignored")).expect("dir");
        std::fs::write(root.join("ignored/big.bin"), "x").expect("write");
        std::os::unix::fs::symlink("/etc/passwd", root.join("out")).expect("link");
        std::os::unix::fs::symlink("a.py", root.join("in")).expect("link");
        git(&["add", "a.py", ".gitignore", "out", "in"]);
        let scratch = Scratch::create(root, &root.join(".git")).expect("scratch");
        let copy = scratch.dir.clone();
        assert!(copy.starts_with(root.join(".git/codey/tmp")));
        let changes = [Change {
            path: "a.py",
            before: Some("x = 1\n"),
            after: Some("x = 2\n"),
        }];
        scratch.write_after(&changes).expect("write");
        assert_eq!(
            std::fs::read_to_string(copy.join("a.py")).unwrap(),
            "x = 2\n"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("a.py")).unwrap(),
            "x = 1\n"
        );
        assert!(!copy.join("ignored").exists());
        assert!(
            copy.join("out").symlink_metadata().is_err(),
            "a link out is not copied"
        );
        assert!(copy.join("in").symlink_metadata().is_ok());
        drop(scratch);
        assert!(!copy.exists());
        assert!(!root.join(".git/codey/tmp").exists());
    }
}
