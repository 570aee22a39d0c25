//! Writing a patch to the work tree, all or nothing as far as a file system allows: every
//! file is first checked to be exactly as it was when the patch was made, then each new
//! content is written to a temporary file beside its target (with the target's
//! permissions) and renamed over it. A failure part-way puts back what was renamed.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::patch::{FileChange, Patch};

/// Why a patch was not written.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(
        "{0} changed on disk after the change was prepared; nothing was written (run the request again)"
    )]
    Changed(String),
    #[error("could not write {path}: {source}; nothing was changed")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Checks that no file changed since `patch` was made.
pub fn verify(patch: &Patch) -> Result<(), ApplyError> {
    for change in &patch.changes {
        let now = match std::fs::read(&change.full) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(ApplyError::Io {
                    path: change.path.clone(),
                    source,
                });
            }
        };
        if now != change.before {
            return Err(ApplyError::Changed(change.path.clone()));
        }
    }
    Ok(())
}

/// Writes every change of `patch`, after checking none of its files changed. New
/// contents are staged in `scratch` (inside the git directory, where a run killed
/// part-way leaves nothing `git add .` would see) when it is on the same file system
/// as the target, else beside the target.
pub fn apply(patch: &Patch, scratch: &Path) -> Result<(), ApplyError> {
    verify(patch)?;
    std::fs::create_dir_all(scratch).map_err(|source| ApplyError::Io {
        path: scratch.display().to_string(),
        source,
    })?;
    let mut staged = Vec::with_capacity(patch.changes.len());
    for change in &patch.changes {
        let io = |source| ApplyError::Io {
            path: change.path.clone(),
            source,
        };
        let dir = change.full.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io)?;
        let dir = if same_device(dir, scratch) {
            scratch
        } else {
            dir
        };
        staged.push(stage_in(dir, &change.full, &change.after).map_err(io)?);
    }
    for (i, (temp, change)) in staged.into_iter().zip(&patch.changes).enumerate() {
        if i == 1 {
            crate::fault::pause("applying");
        }
        if let Err(e) = temp.persist(&change.full) {
            restore(&patch.changes[..i]);
            return Err(ApplyError::Io {
                path: change.path.clone(),
                source: e.error,
            });
        }
    }
    Ok(())
}

fn same_device(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev(),
        _ => false,
    }
}

/// `bytes` in a temporary file beside `target`, with the target's permissions.
fn stage(target: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    stage_in(dir, target, bytes)
}

/// `bytes` in a temporary file in `dir`, with `target`'s permissions.
fn stage_in(dir: &Path, target: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let mut temp = tempfile::Builder::new()
        .prefix(".codey-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    let mode = match std::fs::metadata(target) {
        Ok(meta) => meta.permissions().mode(),
        Err(_) => 0o644,
    };
    temp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(mode))?;
    Ok(temp)
}

/// Puts files back as they were before (best effort, after a failed rename).
fn restore(changes: &[FileChange]) {
    for change in changes {
        let _ = match &change.before {
            Some(bytes) => write_atomic(&change.full, bytes),
            None => std::fs::remove_file(&change.full),
        };
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename, keeping the mode.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    stage(path, bytes)?
        .persist(path)
        .map(|_| ())
        .map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(dir: &Path, name: &str, before: Option<&[u8]>, after: &[u8]) -> FileChange {
        FileChange {
            path: name.into(),
            full: dir.join(name),
            before: before.map(<[u8]>::to_vec),
            after: after.to_vec(),
            old_text: String::new(),
            new_text: String::new(),
        }
    }

    #[test]
    fn files_are_written_with_their_mode_kept() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("run.sh");
        std::fs::write(&script, "echo a\n").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let patch = Patch {
            changes: vec![
                change(dir.path(), "run.sh", Some(b"echo a\n"), b"echo b\n"),
                change(dir.path(), "sub/new.txt", None, b"hi\n"),
            ],
        };
        apply(&patch, &dir.path().join("scratch")).unwrap();
        assert_eq!(std::fs::read(&script).unwrap(), b"echo b\n");
        assert_eq!(
            std::fs::metadata(&script).unwrap().permissions().mode() & 0o777,
            0o755
        );
        assert_eq!(
            std::fs::read(dir.path().join("sub/new.txt")).unwrap(),
            b"hi\n"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".codey-"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_file_changed_since_the_preview_stops_everything() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "edited meanwhile\n").unwrap();
        std::fs::write(dir.path().join("b.txt"), "b\n").unwrap();
        let patch = Patch {
            changes: vec![
                change(dir.path(), "b.txt", Some(b"b\n"), b"B\n"),
                change(dir.path(), "a.txt", Some(b"a\n"), b"A\n"),
            ],
        };
        assert!(
            matches!(apply(&patch, &dir.path().join("scratch")), Err(ApplyError::Changed(p)) if p == "a.txt")
        );
        assert_eq!(std::fs::read(dir.path().join("b.txt")).unwrap(), b"b\n");
        assert_eq!(
            std::fs::read(dir.path().join("a.txt")).unwrap(),
            b"edited meanwhile\n"
        );
    }
}
