//! The repository the tool works in: discovery from the current directory (with gix),
//! and confinement of every path a request names to the work tree.

use std::path::{Component, Path, PathBuf};

/// Why a path from a request is refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum PathError {
    #[error("`{0}` is an absolute path; name files relative to the repository root")]
    Absolute(String),
    #[error("`{0}` leads outside the repository")]
    Escapes(String),
    #[error("`{0}` is inside a .git directory, which git-codey never touches")]
    GitDir(String),
    #[error("`{0}` goes through a symbolic link that leads outside the repository")]
    SymlinkEscapes(String),
    #[error("no path given")]
    Empty,
}

/// Why no workspace could be opened.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("not inside a git repository (looked upwards from {0})")]
    NotARepository(PathBuf),
    #[error("{0} is a bare repository: git-codey needs a work tree")]
    Bare(PathBuf),
    #[error("could not discover the repository from {path}: {message}")]
    Other { path: PathBuf, message: String },
}

/// A repository's work tree and git directory.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The top of the work tree; commands run here.
    pub root: PathBuf,
    /// The repository's git directory (for a linked worktree, its private one).
    pub git_dir: PathBuf,
}

impl Workspace {
    /// Finds the repository containing `dir`, as git would: from a subdirectory, in a
    /// linked worktree, or at the top.
    pub fn discover(dir: &Path) -> Result<Self, DiscoverError> {
        use gix::discover::upwards::Error as Upwards;
        let (path, _trust) =
            gix::discover::upwards(dir).map_err(|err| match err.downcast_any_ref::<Upwards>() {
                Some(
                    Upwards::NoGitRepository { .. }
                    | Upwards::NoGitRepositoryWithinCeiling { .. }
                    | Upwards::NoGitRepositoryWithinFs { .. },
                ) => DiscoverError::NotARepository(dir.to_path_buf()),
                _ => DiscoverError::Other {
                    path: dir.to_path_buf(),
                    message: err.to_string(),
                },
            })?;
        let (git_dir, work_dir) = path.into_repository_and_work_tree_directories();
        let Some(work_dir) = work_dir else {
            return Err(DiscoverError::Bare(git_dir));
        };
        let root = absolute(dir, &work_dir);
        let git_dir = absolute(dir, &git_dir);
        Ok(Workspace { root, git_dir })
    }

    /// The absolute path inside the work tree that `requested` names, relative to the
    /// repository root. Refuses absolute paths, `..` that leaves the tree, anything in
    /// `.git`, and symbolic links that lead outside.
    pub fn resolve(&self, requested: &str) -> Result<PathBuf, PathError> {
        let relative = confine(requested)?;
        let full = self.root.join(&relative);
        // Follow symbolic links through the deepest part of the path that exists.
        let root = self
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.root.clone());
        let mut existing = full.as_path();
        loop {
            if existing.symlink_metadata().is_ok() {
                break;
            }
            match existing.parent() {
                Some(parent) => existing = parent,
                None => break,
            }
        }
        if let Ok(real) = existing.canonicalize() {
            let Ok(inside) = real.strip_prefix(&root) else {
                return Err(PathError::SymlinkEscapes(requested.to_string()));
            };
            if inside.components().any(|c| is_git_dir(c.as_os_str())) {
                return Err(PathError::GitDir(requested.to_string()));
            }
        }
        Ok(full)
    }

    /// A path for showing to the user: relative to the root when it is inside.
    pub fn display<'a>(&self, path: &'a Path) -> std::borrow::Cow<'a, str> {
        path.strip_prefix(&self.root)
            .map(|p| p.to_string_lossy())
            .unwrap_or_else(|_| path.to_string_lossy())
    }
}

fn absolute(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    joined.canonicalize().unwrap_or(joined)
}

/// The lexical part of confinement: a relative path with `.` and `..` folded away that
/// stays inside the tree and out of `.git`. Pure, so it is tested without a file system.
pub fn confine(requested: &str) -> Result<PathBuf, PathError> {
    let trimmed = requested.trim();
    if trimmed.is_empty() {
        return Err(PathError::Empty);
    }
    let path = Path::new(trimmed);
    if path.is_absolute() || trimmed.starts_with('~') {
        return Err(PathError::Absolute(requested.to_string()));
    }
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err(PathError::Escapes(requested.to_string()));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(PathError::Absolute(requested.to_string()));
            }
        }
    }
    if parts.iter().any(|p| is_git_dir(p)) {
        return Err(PathError::GitDir(requested.to_string()));
    }
    Ok(parts.iter().collect())
}

/// A `.git` at any depth — the repository's, a nested repository's, a submodule's
/// gitfile — in any case, since case-insensitive file systems (macOS, Windows) read
/// `.GIT` as `.git`.
fn is_git_dir(part: &std::ffi::OsStr) -> bool {
    part.as_encoded_bytes().eq_ignore_ascii_case(b".git")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_folded() {
        assert_eq!(confine("src/../README.md"), Ok(PathBuf::from("README.md")));
        assert_eq!(confine("./a/./b.txt"), Ok(PathBuf::from("a/b.txt")));
        assert_eq!(confine("."), Ok(PathBuf::new()));
    }

    #[test]
    fn escapes_are_refused() {
        assert!(matches!(confine("../x"), Err(PathError::Escapes(_))));
        assert!(matches!(confine("a/../../x"), Err(PathError::Escapes(_))));
        assert!(matches!(
            confine("/etc/passwd"),
            Err(PathError::Absolute(_))
        ));
        assert!(matches!(
            confine("~/.ssh/id_rsa"),
            Err(PathError::Absolute(_))
        ));
        assert!(matches!(confine(".git/config"), Err(PathError::GitDir(_))));
        assert!(matches!(
            confine("a/../.git/hooks"),
            Err(PathError::GitDir(_))
        ));
        assert!(matches!(confine(""), Err(PathError::Empty)));
        for nested in [
            "vendor/lib/.git/config",
            "vendor/lib/.git",
            ".GIT/hooks/pre-commit",
            "sub/.Git/config",
        ] {
            assert!(
                matches!(confine(nested), Err(PathError::GitDir(_))),
                "{nested}"
            );
        }
        assert_eq!(
            confine(".github/ci.yml"),
            Ok(PathBuf::from(".github/ci.yml"))
        );
        assert_eq!(confine("a.git/x"), Ok(PathBuf::from("a.git/x")));
    }
}
