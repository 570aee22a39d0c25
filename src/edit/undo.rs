//! What `git codey undo` needs: before an edit is written, the exact bytes of every file
//! it touches (or that the file did not exist) are kept under `.git/codey/undo/`, with
//! the hash of what the edit wrote. Undo puts them back only when the files still hold
//! what the edit wrote, and explains `git revert` when the edit was committed.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::apply::write_atomic;
use super::patch::Patch;

const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    version: u32,
    request: String,
    commit: Option<String>,
    files: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    path: String,
    existed: bool,
    before_sha256: Option<String>,
    after_sha256: String,
}

/// Why an undo did not happen.
#[derive(Debug, thiserror::Error)]
pub enum UndoError {
    #[error("there is nothing to undo: git-codey has no applied edit on record in this repository")]
    Nothing,
    #[error(
        "the last edit (“{request}”) was committed as {commit}; undo it with `git revert {commit}`"
    )]
    Committed { request: String, commit: String },
    #[error("{} changed since the last edit (“{request}”) was applied; nothing was restored", .paths.join(", "))]
    Changed { request: String, paths: Vec<String> },
    #[error("the undo record in {0} is damaged; remove that directory to start afresh")]
    Corrupt(PathBuf),
    #[error("could not {what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
}

/// What an undo restored.
#[derive(Debug)]
pub struct Undone {
    pub request: String,
    pub restored: Vec<String>,
    pub removed: Vec<String>,
}

fn dir(git_dir: &Path) -> PathBuf {
    git_dir.join("codey").join("undo")
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> UndoError {
    let what = what.into();
    move |source| UndoError::Io { what, source }
}

/// Where the record of the edit before is kept while a new one is being applied.
fn previous(git_dir: &Path) -> PathBuf {
    git_dir.join("codey").join("undo.prev")
}

/// Keeps what undo needs for `patch`; call before writing it, then `settle` once it is
/// written or `discard` when it was not. The record it replaces is kept until then.
pub fn record(git_dir: &Path, patch: &Patch, request: &str) -> Result<(), UndoError> {
    let dir = dir(git_dir);
    let previous = previous(git_dir);
    if dir.exists() {
        let _ = std::fs::remove_dir_all(&previous);
        std::fs::rename(&dir, &previous).map_err(io(format!(
            "keep the last undo record in {}",
            previous.display()
        )))?;
    }
    std::fs::create_dir_all(&dir).map_err(io(format!("create {}", dir.display())))?;
    let mut files = Vec::new();
    for (i, change) in patch.changes.iter().enumerate() {
        if let Some(before) = &change.before {
            write_atomic(&dir.join(format!("{i}.pre")), before)
                .map_err(io(format!("keep a copy of {}", change.path)))?;
        }
        files.push(Entry {
            path: change.path.clone(),
            existed: change.before.is_some(),
            before_sha256: change.before.as_deref().map(sha256),
            after_sha256: sha256(&change.after),
        });
    }
    save(
        &dir,
        &Journal {
            version: VERSION,
            request: request.to_string(),
            commit: None,
            files,
        },
    )
}

fn save(dir: &Path, journal: &Journal) -> Result<(), UndoError> {
    let json = serde_json::to_vec_pretty(journal).expect("a journal always serialises");
    write_atomic(&dir.join("journal.json"), &json).map_err(io("write the undo record"))
}

fn load(dir: &Path) -> Result<Journal, UndoError> {
    let bytes = match std::fs::read(dir.join("journal.json")) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(UndoError::Nothing),
        Err(e) => return Err(io("read the undo record")(e)),
    };
    let journal: Journal =
        serde_json::from_slice(&bytes).map_err(|_| UndoError::Corrupt(dir.to_path_buf()))?;
    if journal.version != VERSION {
        return Err(UndoError::Corrupt(dir.to_path_buf()));
    }
    Ok(journal)
}

/// Forgets the record: the edit was not written after all, so the record of the edit
/// before it is the last one again.
pub fn discard(git_dir: &Path) {
    let _ = std::fs::remove_dir_all(dir(git_dir));
    let previous = previous(git_dir);
    if previous.exists() {
        let _ = std::fs::rename(previous, dir(git_dir));
    }
}

/// The edit was written: the record of the one before is no longer needed.
pub fn settle(git_dir: &Path) {
    let _ = std::fs::remove_dir_all(previous(git_dir));
}

/// Notes that the last edit was committed as `commit`.
pub fn set_commit(git_dir: &Path, commit: &str) -> Result<(), UndoError> {
    let dir = dir(git_dir);
    let mut journal = load(&dir)?;
    journal.commit = Some(commit.to_string());
    save(&dir, &journal)
}

/// Restores the files of the last applied edit.
pub fn undo(git_dir: &Path, root: &Path) -> Result<Undone, UndoError> {
    let dir = dir(git_dir);
    let journal = load(&dir)?;
    if let Some(commit) = journal.commit {
        return Err(UndoError::Committed {
            request: journal.request,
            commit,
        });
    }
    // A file may hold what the edit wrote, or still what it had before (an edit cut
    // off part-way); anything else is someone's later work and is not touched.
    let mut changed = Vec::new();
    let mut to_restore = Vec::new();
    for (i, entry) in journal.files.iter().enumerate() {
        let full = root.join(&entry.path);
        let now = match std::fs::read(&full) {
            Ok(bytes) => Some(sha256(&bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(format!("read {}", entry.path))(e)),
        };
        if now.as_deref() == Some(entry.after_sha256.as_str()) {
            to_restore.push((i, entry, full));
        } else if now != entry.before_sha256 {
            changed.push(entry.path.clone());
        }
    }
    if !changed.is_empty() {
        return Err(UndoError::Changed {
            request: journal.request,
            paths: changed,
        });
    }
    let mut undone = Undone {
        request: journal.request.clone(),
        restored: Vec::new(),
        removed: Vec::new(),
    };
    for (i, entry, full) in to_restore {
        if entry.existed {
            let before = std::fs::read(dir.join(format!("{i}.pre")))
                .map_err(|_| UndoError::Corrupt(dir.clone()))?;
            if Some(sha256(&before)) != entry.before_sha256 {
                return Err(UndoError::Corrupt(dir));
            }
            write_atomic(&full, &before).map_err(io(format!("restore {}", entry.path)))?;
            undone.restored.push(entry.path.clone());
        } else {
            std::fs::remove_file(&full).map_err(io(format!("remove {}", entry.path)))?;
            undone.removed.push(entry.path.clone());
        }
    }
    std::fs::remove_dir_all(&dir).map_err(io("clear the undo record"))?;
    Ok(undone)
}
