//! The files one edit works on: read once (confined to the work tree, refused when
//! binary or not UTF-8), changed block by block in memory, and turned into a `Patch`.
//! Nothing here writes to disk.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::format::EditBlock;
use super::matcher::{self, MatchError};
use super::patch::{FileChange, Patch};
use super::splice::{self, SpliceError};
use super::text::{TextError, TextFile};
use crate::workspace::{PathError, Workspace};

/// How the model was asked to write its edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// SEARCH/REPLACE blocks.
    SearchReplace,
    /// SEARCH/REPLACE blocks whose SEARCH lines a grammar holds to the file's own lines.
    Grammar,
    /// Whole changed definitions, spliced in by name.
    Definitions,
    /// Whole files.
    WholeFile,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::SearchReplace => "search-replace",
            Form::Grammar => "grammar",
            Form::Definitions => "definitions",
            Form::WholeFile => "whole-file",
        }
    }

    /// The form a setting names; `auto` names none (the backend decides).
    pub fn from_setting(format: crate::config::EditFormat) -> Option<Self> {
        use crate::config::EditFormat;
        match format {
            EditFormat::Auto => None,
            EditFormat::SearchReplace => Some(Form::SearchReplace),
            EditFormat::Grammar => Some(Form::Grammar),
            EditFormat::Definitions => Some(Form::Definitions),
            EditFormat::WholeFile => Some(Form::WholeFile),
        }
    }
}

/// Why one block could not be used.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum BlockError {
    #[error(transparent)]
    Path(#[from] PathError),
    #[error("{path}: {source}")]
    Text { path: String, source: TextError },
    #[error("could not read {path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}: {source}")]
    Match { path: String, source: MatchError },
    #[error("{path}: {source}")]
    Splice { path: String, source: SpliceError },
    #[error(
        "{path} does not exist, so its SEARCH text cannot be found; to create it, leave SEARCH empty"
    )]
    NewFileSearch { path: String },
    #[error(
        "the reply would cut {path} from {before} lines to {after}, and the request does not ask to remove code"
    )]
    Shrink {
        path: String,
        before: usize,
        after: usize,
    },
    #[error("{path} is not a file an edit may write ({kind}); nothing was changed")]
    NotAFile { path: String, kind: &'static str },
    #[error(
        "the reply writes to {path}, the example file of the instructions, not a file of this repository"
    )]
    Example { path: String },
}

struct Entry {
    full: PathBuf,
    original: Option<Vec<u8>>,
    file: TextFile,
    /// The content as edited so far (LF).
    text: String,
}

/// The files of one edit and their edited text.
pub struct Workset<'a> {
    workspace: &'a Workspace,
    entries: BTreeMap<String, Entry>,
    order: Vec<String>,
    /// Paths the request is about (existing or to be created).
    pub targets: Vec<String>,
    /// The request allows removing code (the shrink guard stands down).
    pub removal_asked: bool,
    /// Renames the request asks for, old name to new.
    renames: Vec<(String, String)>,
}

impl<'a> Workset<'a> {
    /// Drops every edit made so far: each file's text is as it was read again.
    pub fn reset(&mut self) {
        for entry in self.entries.values_mut() {
            entry.text = entry.file.text.clone();
        }
    }

    pub fn new(workspace: &'a Workspace, targets: Vec<String>, instruction: &str) -> Self {
        Workset {
            workspace,
            entries: BTreeMap::new(),
            order: Vec::new(),
            targets,
            removal_asked: asks_for_removal(instruction),
            renames: super::rename::asked(instruction)
                .into_iter()
                .map(|r| (r.old, r.new))
                .collect(),
        }
    }

    /// A file's current text (as edited so far), or `None` when it does not exist.
    pub fn text(&mut self, path: &str) -> Result<Option<&str>, BlockError> {
        let entry = self.entry(path)?;
        let exists = entry.original.is_some() || !entry.text.is_empty();
        Ok(exists.then_some(entry.text.as_str()))
    }

    /// The path as the repository knows it, relative with `/`, and where it is. A
    /// symbolic link inside the tree stands for its target, which is what gets edited;
    /// anything but a regular file (a directory, a pipe, a device) is refused.
    fn key(&self, path: &str) -> Result<(String, PathBuf), BlockError> {
        let mut full = self.workspace.resolve(path)?;
        let not_a_file = |kind| BlockError::NotAFile {
            path: path.to_string(),
            kind,
        };
        match std::fs::metadata(&full) {
            Ok(meta) if meta.is_dir() => return Err(not_a_file("a directory")),
            Ok(meta) if !meta.is_file() => return Err(not_a_file("not a regular file")),
            Ok(_) => {
                if full
                    .symlink_metadata()
                    .is_ok_and(|m| m.file_type().is_symlink())
                {
                    // `resolve` has checked the target is inside the tree and out of .git.
                    full = full.canonicalize().map_err(|e| BlockError::Read {
                        path: path.to_string(),
                        message: e.to_string(),
                    })?;
                }
            }
            Err(_) if full.symlink_metadata().is_ok() => {
                return Err(not_a_file("a symbolic link to nothing"));
            }
            Err(_) => {}
        }
        let relative = full
            .strip_prefix(&self.workspace.root)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| path.to_string());
        Ok((relative, full))
    }

    fn entry(&mut self, path: &str) -> Result<&mut Entry, BlockError> {
        let (key, full) = self.key(path)?;
        if !self.entries.contains_key(&key) {
            let (original, file) = match std::fs::read(&full) {
                Ok(bytes) => {
                    let file = TextFile::decode(&bytes).map_err(|source| BlockError::Text {
                        path: key.clone(),
                        source,
                    })?;
                    (Some(bytes), file)
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, TextFile::new_file()),
                Err(e) => {
                    return Err(BlockError::Read {
                        path: key.clone(),
                        message: e.to_string(),
                    });
                }
            };
            let text = file.text.clone();
            self.entries.insert(
                key.clone(),
                Entry {
                    full,
                    original,
                    file,
                    text,
                },
            );
            self.order.push(key.clone());
        }
        Ok(self.entries.get_mut(&key).expect("inserted above"))
    }

    /// A block's path. Any file inside the work tree may be part of a patch (the preview
    /// marks those the request did not name); a path that is not a file the edit may
    /// write is an error, never redirected. The one exception is the instructions' own
    /// example file, which small models copy: it stands for the request's one file.
    fn target_of(&mut self, block: &EditBlock) -> Result<String, BlockError> {
        let path = block.path().to_string();
        let (key, full) = self.key(&path)?;
        if path != super::prompt::example_path() || full.exists() {
            return Ok(key);
        }
        match self.targets.as_slice() {
            [only] => Ok(only.clone()),
            _ => Err(BlockError::Example { path: key }),
        }
    }

    /// Replaces a file's edited text with one the tool made itself (a mend, see
    /// `super::imports`).
    pub fn replace(&mut self, path: &str, text: String) -> Result<(), BlockError> {
        self.entry(path)?.text = text;
        Ok(())
    }

    /// Applies one block to the in-memory text.
    pub fn apply(&mut self, block: &EditBlock, form: Form) -> Result<(), BlockError> {
        let path = self.target_of(block)?;
        let removal_asked = self.removal_asked;
        let renames = self.renames.clone();
        let entry = self.entry(&path)?;
        let exists = entry.original.is_some();
        let new_text = match block {
            EditBlock::Replace {
                search,
                replace,
                line,
                ..
            } => {
                if search.trim().is_empty() {
                    if entry.text.trim().is_empty() {
                        replace.clone()
                    } else {
                        let mut text = entry.text.clone();
                        if !text.ends_with('\n') {
                            text.push('\n');
                        }
                        text.push('\n');
                        text.push_str(replace);
                        text
                    }
                } else if !exists && entry.text.is_empty() {
                    return Err(BlockError::NewFileSearch { path });
                } else {
                    matcher::replace_near(&entry.text, search, replace, *line)
                        .map_err(|source| BlockError::Match {
                            path: path.clone(),
                            source,
                        })?
                        .0
                }
            }
            EditBlock::Code { code, .. } => {
                if entry.text.trim().is_empty() {
                    code.clone()
                } else {
                    let module = std::path::Path::new(&path)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned());
                    let shrinks = shrinks(&entry.text, code) && !removal_asked;
                    if form == Form::WholeFile && !shrinks {
                        code.clone()
                    } else {
                        let hints = splice::Hints {
                            module: module.as_deref(),
                            renames: &renames,
                        };
                        match splice::splice(&entry.text, code, hints) {
                            Ok(spliced) => spliced.text,
                            Err(_) if shrinks && form == Form::WholeFile => {
                                return Err(BlockError::Shrink {
                                    path,
                                    before: entry.text.lines().count(),
                                    after: code.lines().count(),
                                });
                            }
                            Err(source) => return Err(BlockError::Splice { path, source }),
                        }
                    }
                }
            }
        };
        entry.text = new_text;
        Ok(())
    }

    /// Every file whose text changed, with its bytes in its own conventions.
    pub fn patch(&self) -> Patch {
        let changes = self
            .order
            .iter()
            .filter_map(|key| {
                let entry = &self.entries[key];
                let after = entry.file.encode(&entry.text);
                if entry.original.as_deref() == Some(after.as_slice())
                    || (entry.original.is_none() && entry.text.is_empty())
                {
                    return None;
                }
                Some(FileChange {
                    path: key.clone(),
                    full: entry.full.clone(),
                    before: entry.original.clone(),
                    after,
                    old_text: entry.file.text.clone(),
                    new_text: entry.text.clone(),
                })
            })
            .collect();
        Patch { changes }
    }
}

/// A whole-file reply that would drop most of a file of some size.
fn shrinks(before: &str, after: &str) -> bool {
    let count = |t: &str| t.lines().filter(|l| !l.trim().is_empty()).count();
    let (b, a) = (count(before), count(after));
    b >= 8 && a * 2 < b
}

fn asks_for_removal(instruction: &str) -> bool {
    let lower = instruction.to_lowercase();
    [
        "remove",
        "delete",
        "drop",
        "shorten",
        "simplify",
        "strip",
        "trim",
        "get rid",
        "clean up",
        "only keep",
        "replace the file",
        "rewrite",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal_words_stand_the_shrink_guard_down() {
        assert!(asks_for_removal("Remove the unused helpers from a.py"));
        assert!(!asks_for_removal("add binary search to search.py"));
        let long = "a = 1\n".repeat(10);
        assert!(shrinks(&long, "a = 1\n"));
        assert!(!shrinks("a = 1\n", ""));
    }

    #[test]
    fn every_named_format_is_its_own_form() {
        use crate::config::EditFormat;
        use clap::ValueEnum;
        for format in EditFormat::value_variants() {
            let name = format
                .to_possible_value()
                .expect("named")
                .get_name()
                .to_string();
            assert!(EditFormat::NAMES.contains(&name.as_str()), "{name}");
            match Form::from_setting(*format) {
                Some(form) => assert_eq!(form.as_str(), name),
                None => assert_eq!(name, "auto"),
            }
        }
    }
}
