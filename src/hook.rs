//! git-codey's prepare-commit-msg hook in a repository's hooks directory: installing the
//! shim (a hook that was there before is kept beside it and run first), uninstalling it
//! so that exactly what was there comes back, and saying what is installed.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The shim, compiled in so that `hook install` works from any repository.
pub const SHIM: &str = include_str!("../hooks/prepare-commit-msg");

/// The hook's file name in the hooks directory.
pub const NAME: &str = "prepare-commit-msg";

/// Appended to the name of a hook that was there before; the shim runs the file of that
/// name, so the two must agree.
pub const KEPT_SUFFIX: &str = ".codey-orig";

/// Appended to the name of a copy of git-codey's hook that differs from this version's
/// (edited by someone, or an older version), kept rather than discarded.
pub const EDITED_SUFFIX: &str = ".codey-edited";

/// What marks a hook file as git-codey's, whichever version wrote it.
const MARKER: &str = "# git-codey prepare-commit-msg hook";

/// What is at the hook's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Absent,
    /// git-codey's shim; `current` when it is this version's.
    Ours {
        current: bool,
    },
    /// Someone else's hook.
    Foreign,
}

/// The hook's place in one repository and what is there.
#[derive(Debug, Clone)]
pub struct Status {
    pub path: PathBuf,
    pub state: State,
    /// The hook that was there before git-codey's, kept and run first.
    pub kept: Option<PathBuf>,
    /// A copy of git-codey's hook as someone had edited it, kept when install or
    /// uninstall replaced or removed it.
    pub edited: Option<PathBuf>,
}

/// What `install` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Installed {
    New,
    /// An older shim was replaced by this version's.
    Updated,
    Already,
}

/// What `uninstall` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uninstalled {
    Removed,
    /// The shim was removed and the hook it kept put back.
    Restored,
    NotInstalled,
}

#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is not git-codey's hook, and {kept} already holds a kept hook; nothing was changed"
    )]
    Occupied { path: PathBuf, kept: PathBuf },
    #[error("{0} is not git-codey's hook; nothing was changed")]
    Foreign(PathBuf),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> HookError + '_ {
    move |source| HookError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The hooks directory git runs hooks from, `core.hooksPath` included, as an absolute
/// path (git answers relative to `root`, where it runs hooks).
pub fn hooks_dir(root: &Path) -> anyhow::Result<PathBuf> {
    let out = crate::tools::git::output(root, &["rev-parse", "--git-path", "hooks"])?;
    Ok(root.join(out.trim_end_matches(['\n', '\r'])))
}

fn kept_path(path: &Path) -> PathBuf {
    suffixed(path, KEPT_SUFFIX)
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Moves a hook of ours that is not this version's byte for byte out of the way, so that
/// edits made to it are never lost.
fn keep_edited(path: &Path) -> Result<(), HookError> {
    let edited = suffixed(path, EDITED_SUFFIX);
    let _ = std::fs::remove_file(suffixed(&edited, ".old"));
    if edited.symlink_metadata().is_ok() {
        std::fs::rename(&edited, suffixed(&edited, ".old")).map_err(io(&edited))?;
    }
    std::fs::rename(path, &edited).map_err(io(path))
}

fn state(path: &Path) -> Result<State, HookError> {
    if path.symlink_metadata().is_err() {
        return Ok(State::Absent);
    }
    match std::fs::read(path) {
        Ok(bytes) if bytes == SHIM.as_bytes() => Ok(State::Ours { current: true }),
        Ok(bytes) if String::from_utf8_lossy(&bytes).contains(MARKER) => {
            Ok(State::Ours { current: false })
        }
        Ok(_) => Ok(State::Foreign),
        // A dangling symbolic link is someone's hook too, however broken.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::Foreign),
        Err(e) => Err(io(path)(e)),
    }
}

/// What is installed in `dir`.
pub fn status(dir: &Path) -> Result<Status, HookError> {
    let path = dir.join(NAME);
    let kept = kept_path(&path);
    let edited = suffixed(&path, EDITED_SUFFIX);
    Ok(Status {
        state: state(&path)?,
        kept: kept.symlink_metadata().is_ok().then_some(kept),
        edited: edited.symlink_metadata().is_ok().then_some(edited),
        path,
    })
}

/// Puts the shim in `dir`. A foreign hook there is renamed to keep it (the shim runs it
/// first); running it again changes nothing.
pub fn install(dir: &Path) -> Result<(Installed, Status), HookError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let before = status(dir)?;
    let path = &before.path;
    let outcome = match before.state {
        State::Ours { current: true } => return Ok((Installed::Already, before)),
        State::Ours { current: false } => {
            keep_edited(path)?;
            Installed::Updated
        }
        State::Absent => Installed::New,
        State::Foreign => {
            if let Some(kept) = before.kept {
                return Err(HookError::Occupied {
                    path: path.clone(),
                    kept,
                });
            }
            // A rename keeps the hook byte for byte, with its mode (and as a link if it
            // is one), which is what uninstall must put back.
            std::fs::rename(path, kept_path(path)).map_err(io(path))?;
            Installed::New
        }
    };
    crate::edit::apply::write_atomic(path, SHIM.as_bytes()).map_err(io(path))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(io(path))?;
    Ok((outcome, status(dir)?))
}

/// Removes the shim from `dir` and puts back the hook it kept, if any. A foreign hook
/// is left alone.
pub fn uninstall(dir: &Path) -> Result<Uninstalled, HookError> {
    let before = status(dir)?;
    let path = &before.path;
    match before.state {
        State::Absent => Ok(Uninstalled::NotInstalled),
        State::Foreign => Err(HookError::Foreign(path.clone())),
        State::Ours { current } => match before.kept {
            Some(kept) => {
                if !current {
                    keep_edited(path)?;
                }
                // The rename replaces the shim in one step, so a commit at the same
                // moment sees one hook or the other, never none.
                std::fs::rename(&kept, path).map_err(io(&kept))?;
                Ok(Uninstalled::Restored)
            }
            None if current => {
                std::fs::remove_file(path).map_err(io(path))?;
                Ok(Uninstalled::Removed)
            }
            None => {
                keep_edited(path)?;
                Ok(Uninstalled::Removed)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn the_shim_carries_the_marker_and_runs_the_kept_hook() {
        assert!(SHIM.starts_with("#!/bin/sh\n"));
        assert!(SHIM.contains(MARKER));
        assert!(SHIM.contains(&format!("\"$0{KEPT_SUFFIX}\"")));
    }

    #[test]
    fn install_keeps_a_foreign_hook_and_uninstall_puts_it_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let hook = dir.path().join(NAME);
        std::fs::write(&hook, "#!/bin/sh\necho mine\n").expect("write hook");
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o750)).expect("chmod");

        let (outcome, status) = install(dir.path()).expect("install");
        assert_eq!(outcome, Installed::New);
        assert_eq!(status.state, State::Ours { current: true });
        assert_eq!(status.kept, Some(kept_path(&hook)));
        assert_eq!(mode(&hook), 0o755);
        assert_eq!(install(dir.path()).expect("again").0, Installed::Already);

        assert_eq!(
            uninstall(dir.path()).expect("uninstall"),
            Uninstalled::Restored
        );
        assert_eq!(
            std::fs::read_to_string(&hook).expect("read"),
            "#!/bin/sh\necho mine\n"
        );
        assert_eq!(mode(&hook), 0o750);
        assert!(!kept_path(&hook).exists());
        assert_eq!(
            uninstall(dir.path()).expect_err("foreign").to_string(),
            format!(
                "{} is not git-codey's hook; nothing was changed",
                hook.display()
            )
        );
    }

    #[test]
    fn an_older_shim_is_updated_and_a_second_foreign_hook_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let hook = dir.path().join(NAME);
        std::fs::write(&hook, format!("#!/bin/sh\n{MARKER} (old)\n")).expect("write");
        assert_eq!(install(dir.path()).expect("update").0, Installed::Updated);
        assert_eq!(std::fs::read_to_string(&hook).expect("read"), SHIM);

        std::fs::write(&hook, "#!/bin/sh\necho another tool\n").expect("overwrite");
        std::fs::write(kept_path(&hook), "#!/bin/sh\necho first\n").expect("kept");
        assert!(matches!(
            install(dir.path()),
            Err(HookError::Occupied { .. })
        ));
        assert_eq!(
            std::fs::read_to_string(&hook).expect("read"),
            "#!/bin/sh\necho another tool\n"
        );
    }

    #[test]
    fn edits_to_our_hook_are_kept_when_it_is_replaced_or_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        install(dir.path()).expect("install");
        let hook = dir.path().join(NAME);
        let edited = format!("{SHIM}echo my addition\n");
        std::fs::write(&hook, &edited).expect("edit the hook");
        assert_eq!(
            uninstall(dir.path()).expect("uninstall"),
            Uninstalled::Removed
        );
        let status = status(dir.path()).expect("status");
        assert_eq!(status.state, State::Absent);
        let copy = status.edited.expect("the edited hook is kept");
        assert_eq!(std::fs::read_to_string(&copy).unwrap(), edited);

        install(dir.path()).expect("install");
        std::fs::write(
            &hook,
            "#!/bin/sh\n# git-codey prepare-commit-msg hook\n# mine\n",
        )
        .unwrap();
        assert_eq!(install(dir.path()).expect("update").0, Installed::Updated);
        assert_eq!(
            std::fs::read_to_string(suffixed(&hook, EDITED_SUFFIX)).unwrap(),
            "#!/bin/sh\n# git-codey prepare-commit-msg hook\n# mine\n"
        );
        assert_eq!(
            std::fs::read_to_string(suffixed(&suffixed(&hook, EDITED_SUFFIX), ".old")).unwrap(),
            edited,
            "an earlier kept copy is not overwritten"
        );
    }

    #[test]
    fn uninstall_without_a_hook_changes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(
            uninstall(dir.path()).expect("uninstall"),
            Uninstalled::NotInstalled
        );
        assert_eq!(status(dir.path()).expect("status").state, State::Absent);
    }
}
