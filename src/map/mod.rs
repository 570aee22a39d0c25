//! The repository map: what each tracked file defines (functions, classes, methods,
//! types, with their signature line and line range) and which names it uses and
//! imports, read with the `syntax` parser. It is what finds the files a request
//! concerns ([`rank`]) and what the model sees of the rest of the repository
//! ([`outline`], [`excerpt`]).
//!
//! Parsing every file on every request would cost seconds on a large repository, so the
//! map is kept under `.git/codey/map` and brought up to date from file stamps (size and
//! modification time): only the files that changed are parsed again.

mod cache;
mod outline;
mod rank;
pub(crate) mod words;

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::syntax::{self, DefinitionKind, Language};

pub use outline::{Excerpt, excerpt, outline};
pub use rank::{Ambiguity, Chosen, Ranking, rank};

/// Files larger than this are listed in the map but not parsed: generated code, data
/// and vendored bundles, which a request rarely concerns and which cost the most.
pub const MAX_PARSED_BYTES: u64 = 1_000_000;

/// Signature lines are cut to this many characters.
const MAX_SIGNATURE_CHARS: usize = 160;

/// The map of a repository's tracked files, in path order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Map {
    pub files: Vec<FileEntry>,
}

/// One tracked file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the work tree's root, with `/`.
    #[serde(rename = "p")]
    pub path: String,
    #[serde(rename = "s")]
    pub stamp: Stamp,
    /// Whether the parser read it (a grammar exists, it is small enough, it is text).
    #[serde(rename = "k")]
    pub parsed: bool,
    #[serde(rename = "d", default)]
    pub definitions: Vec<Symbol>,
    /// Each name the file uses, once, in order of first use.
    #[serde(rename = "r", default)]
    pub references: Vec<String>,
    /// The names on its import lines (`import x`, `from x import y`, `use a::b`,
    /// `require("x")`), once each: what makes it an importer of a module or symbol.
    #[serde(rename = "i", default)]
    pub imports: Vec<String>,
}

/// What tells a changed file from an unchanged one without reading it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    /// Nanoseconds since the epoch; 0 when it cannot be trusted (see [`stamp_of`]).
    pub mtime_ns: u64,
}

/// One definition in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Symbol {
    #[serde(rename = "n")]
    pub name: String,
    #[serde(rename = "k")]
    pub kind: DefinitionKind,
    /// The enclosing definition's name (a method's class or impl type).
    #[serde(rename = "o", default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// From 1, inclusive, decorators and attributes included.
    #[serde(rename = "a")]
    pub start_line: u32,
    #[serde(rename = "b")]
    pub end_line: u32,
    /// The line that names it (`def mean(values):`, `pub fn parse(s: &str) -> T {`),
    /// trimmed and cut short.
    #[serde(rename = "g")]
    pub signature: String,
}

/// What an update did: how many files were parsed and how many were taken from the
/// cache unchanged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Update {
    pub parsed: usize,
    pub reused: usize,
    /// Whether a cache was there and readable (a damaged one counts as absent).
    pub cache_read: bool,
    /// Whether the cache was written back (something changed).
    pub cache_written: bool,
}

/// Why the map could not be made.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("could not list the tracked files: {0}")]
    Tracked(String),
}

impl Map {
    /// The map of the files git tracks under `root`, brought up to date with the cache in
    /// `git_dir` (rebuilt when missing or damaged) and written back when it changed. A
    /// cache that cannot be written is not an error: the map is still right, only the
    /// next call is slower.
    pub fn load(root: &Path, git_dir: &Path) -> Result<(Map, Update), MapError> {
        let listed = crate::tools::git::output(root, &["ls-files", "-z"])
            .map_err(|e| MapError::Tracked(e.to_string()))?;
        let tracked: Vec<String> = listed
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        Ok(Map::update(root, git_dir, &tracked))
    }

    /// [`Map::load`] for a list of tracked paths the caller already has.
    pub fn update(root: &Path, git_dir: &Path, tracked: &[String]) -> (Map, Update) {
        let cache_path = cache::path(git_dir);
        let cached = cache::read(&cache_path);
        let mut update = Update {
            cache_read: cached.is_some(),
            ..Update::default()
        };
        let old: HashMap<String, FileEntry> = cached
            .map(|m| m.files.into_iter().map(|f| (f.path.clone(), f)).collect())
            .unwrap_or_default();
        let started = SystemTime::now();
        let mut paths: Vec<&String> = tracked.iter().collect();
        paths.sort();
        paths.dedup();
        let mut files: Vec<Option<FileEntry>> = vec![None; paths.len()];
        let mut stale: Vec<(usize, Stamp)> = Vec::new();
        for (at, path) in paths.iter().enumerate() {
            let stamp = stamp_of(&root.join(path), started);
            match old.get(path.as_str()) {
                Some(entry) if entry.stamp == stamp && stamp.mtime_ns != 0 => {
                    files[at] = Some(entry.clone());
                    update.reused += 1;
                }
                _ => stale.push((at, stamp)),
            }
        }
        update.parsed = stale.len();
        for (at, entry) in parse_all(root, &paths, &stale) {
            files[at] = Some(entry);
        }
        let map = Map {
            files: files.into_iter().flatten().collect(),
        };
        if update.parsed > 0 || old.len() != map.files.len() || !update.cache_read {
            update.cache_written = cache::write(&cache_path, &map).is_ok();
        }
        (map, update)
    }

    /// The entry for a path, if it is tracked.
    pub fn file(&self, path: &str) -> Option<&FileEntry> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|at| &self.files[at])
    }

    /// Every definition of `name` (exactly as written), with its file.
    pub fn definitions_of<'m>(
        &'m self,
        name: &'m str,
    ) -> impl Iterator<Item = (&'m FileEntry, &'m Symbol)> + 'm {
        self.files.iter().flat_map(move |f| {
            f.definitions
                .iter()
                .filter(move |s| s.name == name)
                .map(move |s| (f, s))
        })
    }
}

/// Reads and parses one file into its entry.
pub fn entry(path: &str, stamp: Stamp, text: Option<&str>) -> FileEntry {
    let mut entry = FileEntry {
        path: path.to_string(),
        stamp,
        parsed: false,
        definitions: Vec::new(),
        references: Vec::new(),
        imports: Vec::new(),
    };
    let (Some(language), Some(text)) = (Language::from_path(path), text) else {
        return entry;
    };
    let (definitions, references, imports) = read_source(language, text);
    entry.parsed = true;
    entry.definitions = definitions;
    entry.references = references;
    entry.imports = imports;
    entry
}

/// The definitions, used names and imported names of a source text.
fn read_source(language: Language, text: &str) -> (Vec<Symbol>, Vec<String>, Vec<String>) {
    let tree = syntax::parse(language, text);
    let lines: Vec<&str> = text.lines().collect();
    let definitions = tree
        .definitions()
        .into_iter()
        .map(|d| Symbol {
            signature: signature(&lines, d.start_line, d.end_line, &d.name),
            name: d.name,
            kind: d.kind,
            parent: d.parent,
            start_line: d.start_line,
            end_line: d.end_line,
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let references = tree
        .references()
        .into_iter()
        .filter(|r| seen.insert(r.name.clone()))
        .map(|r| r.name)
        .collect();
    (definitions, references, imports(&lines))
}

/// The names a file's import statements bring in, read from its lines: `import x`,
/// `from x import (a, b)` over several lines, `use a::{b, c}`, `const { a } =
/// require("x")`, `import { a } from "./x"`, and Go's quoted package paths (the last
/// segment). The parser's references miss some of these (destructuring patterns, Go's
/// strings), and text is enough to tell an importer from a file that only mentions a
/// name.
fn imports(lines: &[&str]) -> Vec<String> {
    const KEYWORDS: &[&str] = &[
        "import", "from", "as", "use", "pub", "crate", "self", "super", "const", "let", "var",
        "require", "export", "type", "default",
    ];
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in lines {
        let t = line.trim();
        let starts = [
            "import ",
            "from ",
            "use ",
            "pub use ",
            "export {",
            "export * ",
        ]
        .iter()
        .any(|p| t.starts_with(p))
            || t.contains("require(")
            || (t.starts_with('"') && t.ends_with('"') && t.len() > 2);
        if !(starts || open) {
            continue;
        }
        let t = t
            .split('#')
            .next()
            .unwrap_or(t)
            .split("//")
            .next()
            .unwrap_or(t);
        if t.starts_with('"') && !t.contains(' ') {
            // A Go import path: its package is its last segment.
            if let Some(last) = t.trim_matches('"').rsplit('/').next()
                && !last.is_empty()
                && !out.iter().any(|o| o == last)
            {
                out.push(last.to_string());
            }
            continue;
        }
        for word in t.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if !word.is_empty()
                && !word.starts_with(|c: char| c.is_ascii_digit())
                && !KEYWORDS.contains(&word)
                && !out.iter().any(|o| o == word)
            {
                out.push(word.to_string());
            }
        }
        // An import that goes on over the next lines: `(` or `{` left open.
        let opened = t.matches(['(', '{']).count();
        let closed = t.matches([')', '}']).count();
        open = if open { closed == 0 } else { opened > closed };
    }
    out
}

/// The first line of a definition that names it (past its decorators), trimmed and cut.
fn signature(lines: &[&str], start: u32, end: u32, name: &str) -> String {
    let from = start.saturating_sub(1) as usize;
    let to = (end as usize).min(lines.len());
    let line = lines
        .get(from..to)
        .unwrap_or_default()
        .iter()
        .find(|l| l.contains(name))
        .or_else(|| lines.get(from))
        .copied()
        .unwrap_or("");
    let line = line.trim();
    match line.char_indices().nth(MAX_SIGNATURE_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

/// A file's stamp. A file modified within two seconds of `now` gets no trusted stamp
/// (mtime 0): a second change within the file system's clock granularity would leave
/// size and time as they were, and the map would keep the older contents.
pub fn stamp_of(full: &Path, now: SystemTime) -> Stamp {
    let Ok(meta) = std::fs::symlink_metadata(full) else {
        return Stamp::default();
    };
    let modified = meta.modified().unwrap_or(UNIX_EPOCH);
    let recent = now
        .duration_since(modified)
        .map_or(true, |age| age < Duration::from_secs(2));
    let mtime_ns = if recent {
        0
    } else {
        modified
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
    };
    Stamp {
        size: meta.len(),
        mtime_ns,
    }
}

/// Parses the stale files, on a few threads when there are many.
fn parse_all(root: &Path, paths: &[&String], stale: &[(usize, Stamp)]) -> Vec<(usize, FileEntry)> {
    let one = |&(at, stamp): &(usize, Stamp)| {
        let path = paths[at];
        let full = root.join(path);
        let readable = Language::from_path(path).is_some()
            && stamp.size <= MAX_PARSED_BYTES
            && std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_file());
        let text = if readable {
            std::fs::read(&full)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
        } else {
            None
        };
        (at, entry(path, stamp, text.as_deref()))
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(4);
    if stale.len() < 64 || threads < 2 {
        return stale.iter().map(one).collect();
    }
    let chunk = stale.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = stale
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

#[cfg(test)]
pub(crate) mod tests;
