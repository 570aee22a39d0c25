//! File actions inside the work tree: read, list (gitignore-aware, as a tree), create
//! (never over an existing file), delete and mkdir. Paths arrive already confined by
//! `Workspace::resolve`.

use std::io::{self, Read, Write};
use std::path::Path;

/// Why a file action failed.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    #[error("`{0}` does not exist")]
    Missing(String),
    #[error(
        "`{0}` already exists; git-codey never overwrites a file with `create` (ask for an edit to change it)"
    )]
    Exists(String),
    #[error("`{0}` is a directory; use `list` to see what is in it")]
    IsDirectory(String),
    #[error("`{0}` is {1}, not a regular file; `read` shows only files")]
    NotAFile(String, &'static str),
    #[error(
        "`{0}` is a directory with files in it; delete those first, or run `rm -r {0}` as a shell step"
    )]
    DirectoryNotEmpty(String),
    #[error("`{0}` is the repository itself")]
    Root(String),
    #[error("`{0}` exists and is not a directory")]
    NotADirectory(String),
    #[error("{action} `{path}`: {source}")]
    Io {
        action: &'static str,
        path: String,
        #[source]
        source: io::Error,
    },
}

fn io_err<'a>(action: &'static str, path: &'a str) -> impl FnOnce(io::Error) -> FsError + 'a {
    move |source| FsError::Io {
        action,
        path: path.to_string(),
        source,
    }
}

/// An error reading `shown`: a missing file says so plainly.
fn reading(shown: &str) -> impl FnOnce(io::Error) -> FsError + '_ {
    move |e| match e.kind() {
        io::ErrorKind::NotFound => FsError::Missing(shown.into()),
        _ => FsError::Io {
            action: "reading",
            path: shown.into(),
            source: e,
        },
    }
}

/// Writes a file's contents; a binary file is described rather than dumped.
pub fn read(full: &Path, shown: &str, out: &mut dyn Write) -> Result<(), FsError> {
    let mut bytes = Vec::new();
    open_regular(full, shown)?
        .read_to_end(&mut bytes)
        .map_err(reading(shown))?;
    let head = &bytes[..bytes.len().min(8000)];
    let result = if head.contains(&0) {
        writeln!(out, "{shown}: binary file, {} bytes", bytes.len())
    } else {
        out.write_all(&bytes).and_then(|()| {
            if bytes.last().is_some_and(|b| *b != b'\n') {
                writeln!(out)
            } else {
                Ok(())
            }
        })
    };
    result.map_err(io_err("writing", shown))
}

/// Opens a regular file for reading and refuses anything else before a byte is read: a
/// named pipe waits for a writer forever, and a device (reached through a link) may
/// never end. The type is checked on the opened file, so nothing can be swapped in after.
fn open_regular(full: &Path, shown: &str) -> Result<std::fs::File, FsError> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let file = std::fs::OpenOptions::new()
        .read(true)
        // Opening a named pipe would otherwise itself wait for a writer. Reads of a
        // regular file ignore the flag.
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(full)
        .map_err(reading(shown))?;
    let kind = file.metadata().map_err(reading(shown))?.file_type();
    if kind.is_file() {
        return Ok(file);
    }
    Err(if kind.is_dir() {
        FsError::IsDirectory(shown.into())
    } else if kind.is_fifo() {
        FsError::NotAFile(shown.into(), "a named pipe")
    } else if kind.is_char_device() || kind.is_block_device() {
        FsError::NotAFile(shown.into(), "a device")
    } else if kind.is_socket() {
        FsError::NotAFile(shown.into(), "a socket")
    } else {
        FsError::NotAFile(shown.into(), "something else")
    })
}

/// Most entries a listing shows before it says how many it left out.
const LIST_LIMIT: usize = 2000;

/// Writes a tree of `dir`, skipping what git ignores and the `.git` directory.
pub fn list(
    full: &Path,
    shown: &str,
    directory_style: &dyn Fn(&str) -> String,
    out: &mut dyn Write,
) -> Result<(), FsError> {
    if !full.exists() {
        return Err(FsError::Missing(shown.into()));
    }
    if !full.is_dir() {
        return Err(FsError::NotADirectory(shown.into()));
    }
    let walker = ignore::WalkBuilder::new(full)
        .hidden(false)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    let mut entries = Vec::new();
    for entry in walker.flatten() {
        if entry.depth() == 0 {
            continue;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        entries.push((
            entry.depth(),
            entry.file_name().to_string_lossy().into_owned(),
            is_dir,
        ));
    }
    let title = if shown.is_empty() || shown == "." {
        "."
    } else {
        shown
    };
    let w = &mut *out;
    (|| -> io::Result<()> {
        writeln!(w, "{}", directory_style(title))?;
        for (i, (depth, name, is_dir)) in entries.iter().enumerate().take(LIST_LIMIT) {
            // The branch glyph depends on whether a later sibling follows at this depth.
            let mut prefix = String::new();
            for level in 1..*depth {
                let continues = entries[i + 1..]
                    .iter()
                    .take_while(|(d, _, _)| *d >= level)
                    .any(|(d, _, _)| *d == level);
                prefix.push_str(if continues { "│   " } else { "    " });
            }
            let last = !entries[i + 1..]
                .iter()
                .take_while(|(d, _, _)| d >= depth)
                .any(|(d, _, _)| d == depth);
            prefix.push_str(if last { "└── " } else { "├── " });
            if *is_dir {
                writeln!(w, "{prefix}{}/", directory_style(name))?;
            } else {
                writeln!(w, "{prefix}{name}")?;
            }
        }
        if entries.len() > LIST_LIMIT {
            writeln!(w, "… {} more", entries.len() - LIST_LIMIT)?;
        }
        Ok(())
    })()
    .map_err(io_err("writing", shown))
}

/// Creates an empty file (and its parent directories); an existing file is an error.
pub fn create(full: &Path, shown: &str) -> Result<(), FsError> {
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).map_err(io_err("creating the directory of", shown))?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(full)
        .map(drop)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => FsError::Exists(shown.into()),
            _ => FsError::Io {
                action: "creating",
                path: shown.into(),
                source: e,
            },
        })
}

/// Deletes a file, a symbolic link or an empty directory.
pub fn delete(full: &Path, root: &Path, shown: &str) -> Result<(), FsError> {
    if full == root {
        return Err(FsError::Root(shown.into()));
    }
    let meta = full.symlink_metadata().map_err(reading(shown))?;
    if meta.is_dir() {
        std::fs::remove_dir(full).map_err(|e| match e.kind() {
            io::ErrorKind::DirectoryNotEmpty => FsError::DirectoryNotEmpty(shown.into()),
            _ => FsError::Io {
                action: "deleting",
                path: shown.into(),
                source: e,
            },
        })
    } else {
        std::fs::remove_file(full).map_err(io_err("deleting", shown))
    }
}

/// Creates a directory and its parents; an existing directory is fine.
pub fn mkdir(full: &Path, shown: &str) -> Result<(), FsError> {
    if full.exists() && !full.is_dir() {
        return Err(FsError::NotADirectory(shown.into()));
    }
    std::fs::create_dir_all(full).map_err(io_err("creating", shown))
}
