//! Where a reviewed change comes from: the index against HEAD (what `git commit` would
//! record; an unborn HEAD is the empty tree), or one tree against another for
//! `--range A..B`. Read with gix, so no `git diff` output is parsed and no pager,
//! colour or diff driver setting can change what is reviewed.

use std::collections::HashMap;
use std::path::Path;

use gix::ObjectId;
use gix::bstr::{BStr, BString, ByteSlice};

use super::Limits;

/// Which change to review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The index against HEAD.
    Staged,
    /// The tree of `to` against the tree of `from`.
    Range { from: String, to: String },
}

impl Target {
    /// Reads `A..B`; a missing B is HEAD, as in git.
    pub fn range(spec: &str) -> Result<Self, String> {
        if spec.contains("...") {
            return Err(format!(
                "`{spec}` is a symmetric range; give A..B (the change from A to B)"
            ));
        }
        let Some((from, to)) = spec.split_once("..") else {
            return Err(format!(
                "`{spec}` is not a range; give A..B, like main..HEAD"
            ));
        };
        if from.trim().is_empty() {
            return Err(format!("`{spec}` has no start; give A..B, like main..HEAD"));
        }
        let to = if to.trim().is_empty() { "HEAD" } else { to };
        Ok(Target::Range {
            from: from.trim().to_string(),
            to: to.trim().to_string(),
        })
    }

    /// `staged`, or the range as given.
    pub fn label(&self) -> String {
        match self {
            Target::Staged => "staged".into(),
            Target::Range { from, to } => format!("{from}..{to}"),
        }
    }
}

/// What a path holds on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular or executable file.
    File,
    Link,
    /// A gitlink: another repository's commit.
    Submodule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Added,
    Modified,
    Deleted,
    Renamed,
}

/// One side's content, as far as the review needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// Over `max_file_bytes`: only its size was read.
    TooLarge(u64),
    /// A symbolic link (its target is not reviewed).
    Link,
    /// A submodule at this commit.
    Submodule(String),
}

/// A path the change touches.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// The path in the new tree (the old one for a deletion).
    pub path: String,
    /// Where a renamed file came from.
    pub old_path: Option<String>,
    pub status: Status,
    /// Content before, when the review needs it (modified and similar renamed files).
    pub old: Option<Content>,
    /// Content after; `None` for a deletion.
    pub new: Option<Content>,
}

/// Everything the change touches.
#[derive(Debug, Default)]
pub struct Changes {
    pub files: Vec<FileChange>,
    /// Paths with unresolved conflicts in the index: nothing to review until resolved.
    pub unmerged: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("could not open the repository at {path}: {message}")]
    Open { path: String, message: String },
    #[error("could not read the index: {0}")]
    Index(String),
    #[error("could not resolve `{spec}` to a commit: {message}")]
    Revision { spec: String, message: String },
    #[error("could not read {what}: {message}")]
    Object { what: String, message: String },
}

/// One side of the comparison: path → what it holds and its object.
type Listing = Vec<(BString, Kind, ObjectId)>;

/// Reads the change `target` names in the repository at `root`.
pub fn read(root: &Path, target: &Target, limits: &Limits) -> Result<Changes, ReadError> {
    let mut repo = gix::open(root).map_err(|e| ReadError::Open {
        path: root.display().to_string(),
        message: e.to_string(),
    })?;
    // Trees are read once each, but blobs of a rename check may be read twice.
    repo.object_cache_size_if_unset(4 << 20);
    let (old, new, unmerged) = match target {
        Target::Staged => {
            let head = repo
                .head_tree_id_or_empty()
                .map_err(|e| ReadError::Object {
                    what: "HEAD".into(),
                    message: e.to_string(),
                })?
                .detach();
            let (new, unmerged, sparse) = index_listing(&repo)?;
            let mut old = tree_listing(&repo, head)?;
            // A sparse index keeps a directory outside the cone as one entry: what
            // HEAD has under it is unchanged, not deleted.
            if !sparse.is_empty() {
                old.retain(|(path, _, _)| !sparse.iter().any(|dir| path.starts_with(dir)));
            }
            (old, new, unmerged)
        }
        Target::Range { from, to } => (
            tree_listing(&repo, resolve(root, from)?)?,
            tree_listing(&repo, resolve(root, to)?)?,
            Vec::new(),
        ),
    };
    let mut changes = compare(&repo, &old, &new, &unmerged, limits)?;
    changes.unmerged = unmerged
        .iter()
        .map(|p| p.to_str_lossy().into_owned())
        .collect();
    Ok(changes)
}

/// The tree a revision names, through `git rev-parse` (the full revision syntax).
fn resolve(root: &Path, spec: &str) -> Result<ObjectId, ReadError> {
    let error = |message: String| ReadError::Revision {
        spec: spec.to_string(),
        message,
    };
    let tree = format!("{spec}^{{tree}}");
    let out =
        crate::tools::git::output(root, &["rev-parse", "--verify", "--end-of-options", &tree])
            .map_err(|e| error(e.to_string()))?;
    ObjectId::from_hex(out.trim().as_bytes()).map_err(|e| error(e.to_string()))
}

fn kind_of(mode: gix::objs::tree::EntryMode) -> Option<Kind> {
    use gix::objs::tree::EntryKind;
    match mode.kind() {
        EntryKind::Blob | EntryKind::BlobExecutable => Some(Kind::File),
        EntryKind::Link => Some(Kind::Link),
        EntryKind::Commit => Some(Kind::Submodule),
        EntryKind::Tree => None,
    }
}

fn tree_listing(repo: &gix::Repository, id: ObjectId) -> Result<Listing, ReadError> {
    let object_error = |e: gix::Error| ReadError::Object {
        what: format!("tree {id}"),
        message: e.to_string(),
    };
    let tree = repo.find_tree(id).map_err(object_error)?;
    let entries = tree.traverse().breadthfirst.files().map_err(object_error)?;
    Ok(entries
        .into_iter()
        .filter_map(|e| Some((e.filepath, kind_of(e.mode)?, e.oid)))
        .collect())
}

/// The staged side: stage-0 entries of the index, the paths in conflict, and the
/// directories a sparse index keeps whole (each ending in `/`). Intent-to-add entries
/// (`git add -N`) are not staged content and are left out, as `git diff --cached`
/// does.
fn index_listing(
    repo: &gix::Repository,
) -> Result<(Listing, Vec<BString>, Vec<BString>), ReadError> {
    use gix::index::entry::{Flags, Stage};
    let index = repo
        .index_or_empty()
        .map_err(|e| ReadError::Index(e.to_string()))?;
    let mut listing = Vec::with_capacity(index.entries().len());
    let mut unmerged: Vec<BString> = Vec::new();
    let mut sparse: Vec<BString> = Vec::new();
    for entry in index.entries() {
        let path = entry.path(&index);
        if entry.stage() != Stage::Unconflicted {
            if unmerged.last().is_none_or(|last| last.as_bstr() != path) {
                unmerged.push(path.to_owned());
            }
            continue;
        }
        if entry.mode.is_sparse() {
            let mut dir = path.to_owned();
            if !dir.ends_with(b"/") {
                dir.push(b'/');
            }
            sparse.push(dir);
            continue;
        }
        if entry.flags.contains(Flags::INTENT_TO_ADD) {
            continue;
        }
        let Some(kind) = entry.mode.to_tree_entry_mode().and_then(kind_of) else {
            continue;
        };
        listing.push((path.to_owned(), kind, entry.id));
    }
    Ok((listing, unmerged, sparse))
}

fn compare(
    repo: &gix::Repository,
    old: &Listing,
    new: &Listing,
    unmerged: &[BString],
    limits: &Limits,
) -> Result<Changes, ReadError> {
    let mut before: HashMap<&BStr, (Kind, ObjectId)> = old
        .iter()
        .map(|(path, kind, id)| (path.as_bstr(), (*kind, *id)))
        .collect();
    let mut added = Vec::new();
    let mut files = Vec::new();
    for (path, kind, id) in new {
        match before.remove(path.as_bstr()) {
            None => added.push((path.as_bstr(), *kind, *id)),
            Some((old_kind, old_id)) if old_kind == *kind && old_id == *id => {}
            Some((old_kind, old_id)) => files.push(FileChange {
                path: path.to_str_lossy().into_owned(),
                old_path: None,
                status: Status::Modified,
                old: Some(load(repo, old_kind, old_id, limits)?),
                new: Some(load(repo, *kind, *id, limits)?),
            }),
        }
    }
    let mut deleted: Vec<(&BStr, Kind, ObjectId)> = before
        .into_iter()
        .filter(|(path, _)| !unmerged.iter().any(|u| u.as_bstr() == *path))
        .map(|(path, (kind, id))| (path, kind, id))
        .collect();
    deleted.sort_by(|a, b| a.0.cmp(b.0));

    for (path, kind, id) in added {
        let lossy = path.to_str_lossy().into_owned();
        let from = take_rename_source(repo, &mut deleted, path, kind, id, limits)?;
        files.push(match from {
            Some(Rename::Exact(from)) => FileChange {
                path: lossy,
                old_path: Some(from),
                status: Status::Renamed,
                old: None,
                new: None,
            },
            Some(Rename::Similar { from, old }) => FileChange {
                path: lossy,
                old_path: Some(from),
                status: Status::Renamed,
                old: Some(old),
                new: Some(load(repo, kind, id, limits)?),
            },
            None => FileChange {
                path: lossy,
                old_path: None,
                status: Status::Added,
                old: None,
                new: Some(load(repo, kind, id, limits)?),
            },
        });
    }
    files.extend(deleted.into_iter().map(|(path, _, _)| FileChange {
        path: path.to_str_lossy().into_owned(),
        old_path: None,
        status: Status::Deleted,
        old: None,
        new: None,
    }));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Changes {
        files,
        unmerged: Vec::new(),
    })
}

enum Rename {
    /// The same content under another name: nothing was added.
    Exact(String),
    /// Moved and edited: diffed against the old content.
    Similar { from: String, old: Content },
}

/// Finds the deleted file an added one was moved from: the same object, or the only
/// deleted file of the same name whose content is mostly the same. Whole-repository
/// similarity search (git's `-M`) is not worth its cost for a review.
fn take_rename_source(
    repo: &gix::Repository,
    deleted: &mut Vec<(&BStr, Kind, ObjectId)>,
    path: &BStr,
    kind: Kind,
    id: ObjectId,
    limits: &Limits,
) -> Result<Option<Rename>, ReadError> {
    if kind != Kind::File {
        return Ok(None);
    }
    let name = |p: &BStr| p.rsplit_str("/").next().map(<[u8]>::to_owned);
    // Copies of one content may have been moved apart: a same-named source first.
    let exact = |d: &&(&BStr, Kind, ObjectId)| d.1 == Kind::File && d.2 == id;
    let same_named = deleted
        .iter()
        .position(|d| exact(&d) && name(d.0) == name(path));
    if let Some(at) = same_named.or_else(|| deleted.iter().position(|d| exact(&d))) {
        let (from, _, _) = deleted.remove(at);
        return Ok(Some(Rename::Exact(from.to_str_lossy().into_owned())));
    }
    let same_name: Vec<usize> = deleted
        .iter()
        .enumerate()
        .filter(|(_, d)| d.1 == Kind::File && name(d.0) == name(path))
        .map(|(i, _)| i)
        .collect();
    let [at] = same_name[..] else {
        return Ok(None);
    };
    let (Content::Bytes(old), Content::Bytes(new)) = (
        load(repo, Kind::File, deleted[at].2, limits)?,
        load(repo, Kind::File, id, limits)?,
    ) else {
        return Ok(None);
    };
    if super::diff::similarity(&old, &new) < 0.5 {
        return Ok(None);
    }
    let (from, _, _) = deleted.remove(at);
    Ok(Some(Rename::Similar {
        from: from.to_str_lossy().into_owned(),
        old: Content::Bytes(old),
    }))
}

/// Reads one side's content; a big blob's size is read from its header only.
fn load(
    repo: &gix::Repository,
    kind: Kind,
    id: ObjectId,
    limits: &Limits,
) -> Result<Content, ReadError> {
    let object_error = |e: gix::Error| ReadError::Object {
        what: format!("blob {id}"),
        message: e.to_string(),
    };
    match kind {
        Kind::Submodule => Ok(Content::Submodule(id.to_hex().to_string())),
        Kind::Link => Ok(Content::Link),
        Kind::File => {
            let size = repo.find_header(id).map_err(object_error)?.size();
            if size > limits.max_file_bytes {
                return Ok(Content::TooLarge(size));
            }
            let mut blob = repo.find_blob(id).map_err(object_error)?;
            Ok(Content::Bytes(blob.take_data()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_like_git() {
        assert_eq!(
            Target::range("main..feature"),
            Ok(Target::Range {
                from: "main".into(),
                to: "feature".into()
            })
        );
        assert_eq!(
            Target::range("HEAD~2.."),
            Ok(Target::Range {
                from: "HEAD~2".into(),
                to: "HEAD".into()
            })
        );
        assert!(Target::range("main").is_err());
        assert!(Target::range("..main").is_err());
        assert!(Target::range("a...b").is_err());
    }
}
