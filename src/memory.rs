//! The session memory of one repository: the last few turns (request, files, what the
//! patch changed, what the checks said), kept in `.git/codey/history.jsonl` so that a
//! follow-up ("now add a test for it", "undo that", "why did you change the import?")
//! has something to refer to. It is short-lived on purpose: turns expire after a few
//! hours, only the last few are kept, and a turn made on another branch starts the
//! session afresh. It stays in the repository's git directory and is only ever given
//! to the configured model.
//!
//! The file is data: a line that does not parse is skipped, an oversized file is
//! ignored, and nothing in it can make loading fail.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Turns kept at most.
pub const MAX_TURNS: usize = 8;
/// A turn older than this is forgotten.
pub const EXPIRES_AFTER_S: u64 = 4 * 60 * 60;
/// A history file larger than this is not read (a real one is a few kilobytes).
const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// A request is kept to this many characters.
const MAX_REQUEST_CHARS: usize = 500;

/// A request as a turn keeps it: its first [`MAX_REQUEST_CHARS`] characters.
fn kept(request: &str) -> &str {
    match request.char_indices().nth(MAX_REQUEST_CHARS) {
        Some((cut, _)) => &request[..cut],
        None => request,
    }
}

/// One request and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub request: String,
    /// The files the turn changed (or chose, when nothing was applied).
    #[serde(default)]
    pub files: Vec<String>,
    /// What the patch did, per file: `stats.py +3 -1`.
    #[serde(default)]
    pub changes: Vec<FileChange>,
    /// The definitions the patch added, with their files: what "it" and "that
    /// function" most likely mean next.
    #[serde(default)]
    pub added: Vec<Added>,
    /// What the checks said, in a few words ("tests passed", "3 tests failed").
    #[serde(default)]
    pub checks: String,
    /// Seconds since the epoch.
    pub time: u64,
    /// The branch the turn was made on ("" for a detached HEAD).
    #[serde(default)]
    pub branch: String,
}

/// One file's lines added and removed by a turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    pub path: String,
    pub added: u32,
    pub removed: u32,
}

/// A definition a turn added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Added {
    pub path: String,
    pub name: String,
    /// `function`, `class`, `method`, … as the map names kinds.
    pub kind: String,
}

/// What a follow-up's pronouns most likely refer to, from the last turn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Referents {
    /// The last turn's files, in its order.
    pub files: Vec<String>,
    /// The definitions the last turn added, last added last.
    pub definitions: Vec<Added>,
    /// Test files among the recent turns' files, newest first.
    pub tests: Vec<String>,
    /// The last request.
    pub request: Option<String>,
}

impl Referents {
    /// The likeliest thing a phrase of a follow-up means: "the test" → the last test
    /// file; "that function", "it", "that" → the last added definition, else the last
    /// file.
    pub fn resolve(&self, phrase: &str) -> Option<String> {
        let phrase = phrase.to_lowercase();
        if phrase.contains("test") {
            if let Some(test) = self.tests.first() {
                return Some(test.clone());
            }
        }
        if phrase.contains("file") {
            return self.files.first().cloned();
        }
        self.definitions
            .last()
            .map(|d| d.name.clone())
            .or_else(|| self.files.first().cloned())
    }
}

/// Why the history could not be written or removed.
#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    #[error("could not write the session history {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not remove the session history {path}: {source}")]
    Remove {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The session memory of a repository, as it stands for one branch at one time.
#[derive(Debug, Clone)]
pub struct Memory {
    path: PathBuf,
    branch: String,
    turns: Vec<Turn>,
}

/// The branch a memory is kept for: the current branch's short name, "" when HEAD is
/// detached or cannot be read.
pub fn branch(root: &Path) -> String {
    crate::tools::git::output(root, &["symbolic-ref", "--quiet", "--short", "HEAD"])
        .map(|b| b.trim().to_string())
        .unwrap_or_default()
}

/// Where the history of the repository with this git directory is kept.
pub fn path(git_dir: &Path) -> PathBuf {
    git_dir.join("codey").join("history.jsonl")
}

fn seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Memory {
    /// The turns still in force on `branch` at `now`: the last ones made on this branch
    /// after the last turn on another, unexpired, at most [`MAX_TURNS`].
    pub fn load(git_dir: &Path, branch: &str, now: SystemTime) -> Memory {
        let path = path(git_dir);
        let now = seconds(now);
        let mut turns: Vec<Turn> = read(&path);
        if let Some(other) = turns.iter().rposition(|t| t.branch != branch) {
            turns.drain(..=other);
        }
        turns.retain(|t| t.time <= now && now - t.time <= EXPIRES_AFTER_S);
        let skip = turns.len().saturating_sub(MAX_TURNS);
        turns.drain(..skip);
        Memory {
            path,
            branch: branch.to_string(),
            turns,
        }
    }

    /// The turns, oldest first.
    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }

    pub fn is_empty(&self) -> bool {
        self.turns.is_empty()
    }

    /// Adds a turn and writes the history: the turns in force and this one, the oldest
    /// dropped past [`MAX_TURNS`]. The turn's branch is the memory's.
    pub fn record(&mut self, mut turn: Turn) -> Result<(), MemoryError> {
        turn.branch.clone_from(&self.branch);
        turn.request = kept(&turn.request).to_string();
        self.turns.push(turn);
        let skip = self.turns.len().saturating_sub(MAX_TURNS);
        self.turns.drain(..skip);
        self.save()
    }

    /// Forgets the last turn that made `request`, when an undo took its edit back: what
    /// was undone is no "it" for the next request. Nothing to forget is no error.
    pub fn forget_undone(&mut self, request: &str) -> Result<(), MemoryError> {
        let Some(at) = self.turns.iter().rposition(|t| kept(request) == t.request) else {
            return Ok(());
        };
        self.turns.remove(at);
        self.save()
    }

    /// Writes the turns in force, replacing the history file.
    fn save(&self) -> Result<(), MemoryError> {
        let mut text = String::new();
        for t in &self.turns {
            if let Ok(line) = serde_json::to_string(t) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        write_atomic(&self.path, text.as_bytes()).map_err(|source| MemoryError::Write {
            path: self.path.clone(),
            source,
        })
    }

    /// Forgets every turn, on every branch, and removes the file.
    pub fn clear(&mut self) -> Result<(), MemoryError> {
        self.turns.clear();
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(MemoryError::Remove {
                path: self.path.clone(),
                source: e,
            }),
            _ => Ok(()),
        }
    }

    /// What "it", "that function", "the test" most likely mean now.
    pub fn referents(&self) -> Referents {
        let Some(last) = self.turns.last() else {
            return Referents::default();
        };
        let mut tests = Vec::new();
        for t in self.turns.iter().rev() {
            for f in &t.files {
                if is_test(f) && !tests.contains(f) {
                    tests.push(f.clone());
                }
            }
        }
        Referents {
            files: last.files.clone(),
            definitions: last.added.clone(),
            tests,
            request: Some(last.request.clone()),
        }
    }

    /// The turns for the model's prompt, newest kept first when the budget is short:
    /// one line each, oldest first. Empty when there is none.
    pub fn for_prompt(&self, budget_chars: usize, now: SystemTime) -> String {
        let now = seconds(now);
        let mut lines: Vec<String> = Vec::new();
        let mut used = 0;
        let header = "Earlier requests in this session (oldest first):\n";
        for t in self.turns.iter().rev() {
            let line = describe(t, now);
            if header.len() + used + line.len() > budget_chars {
                break;
            }
            used += line.len();
            lines.push(line);
        }
        if lines.is_empty() {
            return String::new();
        }
        lines.reverse();
        let mut out = header.to_string();
        for line in lines {
            out.push_str(&line);
        }
        out
    }
}

/// One turn on one line: `- 5 min ago: "add mean to numutil" → numutil.py +4 -0; added
/// mean (function); checks: tests passed`.
pub fn describe(t: &Turn, now: u64) -> String {
    let mut line = format!(
        "- {}: \"{}\"",
        ago(now.saturating_sub(t.time)),
        one_line(&t.request)
    );
    if !t.changes.is_empty() {
        let changes: Vec<String> = t
            .changes
            .iter()
            .map(|c| format!("{} +{} -{}", c.path, c.added, c.removed))
            .collect();
        let _ = write!(line, " → changed {}", changes.join(", "));
    } else if !t.files.is_empty() {
        let _ = write!(line, " → files {}", t.files.join(", "));
    } else {
        line.push_str(" → nothing changed");
    }
    if !t.added.is_empty() {
        let added: Vec<String> = t
            .added
            .iter()
            .map(|a| format!("{} ({} in {})", a.name, a.kind, a.path))
            .collect();
        let _ = write!(line, "; added {}", added.join(", "));
    }
    if !t.checks.is_empty() {
        let _ = write!(line, "; checks: {}", one_line(&t.checks));
    }
    line.push('\n');
    line
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ago(seconds: u64) -> String {
    match seconds {
        0..60 => "just now".into(),
        60..3600 => format!("{} min ago", seconds / 60),
        _ => format!("{} h ago", seconds / 3600),
    }
}

fn is_test(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.split('/').any(|p| p == "tests" || p == "test")
        || name.starts_with("test_")
        || name.contains("_test.")
        || name.contains(".test.")
}

/// The turns in the file, in order, skipping any line that is not one.
fn read(path: &Path) -> Vec<Turn> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Vec::new();
    };
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return Vec::new();
    }
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|line| serde_json::from_str::<Turn>(line).ok())
        .collect()
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("the history path has no directory"))?;
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.persist(path).map(|_| ()).map_err(|e| e.error)
}

/// The definitions `after` has that `before` did not (by kind, parent and name), as
/// the map reads them: what a turn added to a file. A file in a language without a
/// grammar adds nothing.
pub fn added_definitions(path: &str, before: &str, after: &str) -> Vec<Added> {
    let Some(language) = crate::syntax::Language::from_path(path) else {
        return Vec::new();
    };
    let key = |d: &crate::syntax::Definition| (d.kind, d.parent.clone(), d.name.clone());
    let old: std::collections::HashSet<_> = crate::syntax::parse(language, before)
        .definitions()
        .iter()
        .map(key)
        .collect();
    crate::syntax::parse(language, after)
        .definitions()
        .into_iter()
        .filter(|d| !old.contains(&key(d)))
        .map(|d| Added {
            path: path.to_string(),
            kind: serde_json::to_value(d.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            name: d.name,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn turn(request: &str, files: &[&str], time: u64) -> Turn {
        Turn {
            request: request.into(),
            files: files.iter().map(|f| (*f).to_string()).collect(),
            changes: Vec::new(),
            added: Vec::new(),
            checks: String::new(),
            time,
            branch: String::new(),
        }
    }

    fn at(s: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(s)
    }

    const T0: u64 = 1_800_000_000;

    #[test]
    fn turns_are_kept_between_loads_and_expire_after_hours() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Memory::load(dir.path(), "main", at(T0));
        assert!(m.is_empty());
        m.record(turn("add a function area to geo.py", &["geo.py"], T0))
            .unwrap();
        let again = Memory::load(dir.path(), "main", at(T0 + 60));
        assert_eq!(again.turns().len(), 1);
        assert_eq!(again.turns()[0].branch, "main");
        let later = Memory::load(dir.path(), "main", at(T0 + EXPIRES_AFTER_S + 1));
        assert!(later.is_empty());
    }

    #[test]
    fn a_branch_switch_starts_fresh() {
        let dir = tempfile::tempdir().unwrap();
        Memory::load(dir.path(), "main", at(T0))
            .record(turn("on main", &["a.py"], T0))
            .unwrap();
        let mut other = Memory::load(dir.path(), "feature", at(T0 + 5));
        assert!(other.is_empty());
        other.record(turn("on feature", &["b.py"], T0 + 5)).unwrap();
        // Back on main, the session there is over too: the last turn was elsewhere.
        assert!(Memory::load(dir.path(), "main", at(T0 + 10)).is_empty());
        let feature = Memory::load(dir.path(), "feature", at(T0 + 10));
        assert_eq!(feature.turns()[0].request, "on feature");
    }

    #[test]
    fn only_the_last_turns_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Memory::load(dir.path(), "main", at(T0));
        for i in 0..(MAX_TURNS as u64 + 3) {
            m.record(turn(&format!("request {i}"), &[], T0 + i))
                .unwrap();
        }
        let loaded = Memory::load(dir.path(), "main", at(T0 + 100));
        assert_eq!(loaded.turns().len(), MAX_TURNS);
        assert_eq!(loaded.turns()[0].request, "request 3");
        let text = std::fs::read_to_string(path(dir.path())).unwrap();
        assert_eq!(text.lines().count(), MAX_TURNS);
    }

    #[test]
    fn a_damaged_file_is_read_as_far_as_it_makes_sense() {
        let dir = tempfile::tempdir().unwrap();
        let file = path(dir.path());
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let good = serde_json::to_string(&Turn {
            branch: "main".into(),
            ..turn("kept", &["a.py"], T0)
        })
        .unwrap();
        std::fs::write(
            &file,
            format!("{{\"request\": 5}}\n\u{0}\u{ff}garbage\n{good}\n[1,2\n"),
        )
        .unwrap();
        let m = Memory::load(dir.path(), "main", at(T0 + 1));
        assert_eq!(m.turns().len(), 1);
        assert_eq!(m.turns()[0].request, "kept");
        // A turn from the future (a clock set back) is not trusted either.
        assert!(Memory::load(dir.path(), "main", at(T0 - 10)).is_empty());
    }

    #[test]
    fn clear_removes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Memory::load(dir.path(), "main", at(T0));
        m.record(turn("x", &[], T0)).unwrap();
        m.clear().unwrap();
        assert!(!path(dir.path()).exists());
        assert!(Memory::load(dir.path(), "main", at(T0)).is_empty());
        m.clear().unwrap();
    }

    #[test]
    fn it_means_what_the_last_turn_added() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Memory::load(dir.path(), "main", at(T0));
        m.record(turn("add tests", &["tests/test_geo.py"], T0))
            .unwrap();
        let before = "def area(r):\n    return 3.14 * r * r\n";
        let after = "def area(r):\n    return 3.14 * r * r\n\n\ndef perimeter(r):\n    return 2 * 3.14 * r\n";
        let added = added_definitions("geo.py", before, after);
        assert_eq!(added.len(), 1);
        assert_eq!(
            (added[0].name.as_str(), added[0].kind.as_str()),
            ("perimeter", "function")
        );
        m.record(Turn {
            added,
            changes: vec![FileChange {
                path: "geo.py".into(),
                added: 4,
                removed: 0,
            }],
            checks: "tests passed".into(),
            ..turn("add a function perimeter to geo.py", &["geo.py"], T0 + 30)
        })
        .unwrap();
        let r = m.referents();
        assert_eq!(r.files, ["geo.py"]);
        assert_eq!(r.resolve("it").as_deref(), Some("perimeter"));
        assert_eq!(r.resolve("that function").as_deref(), Some("perimeter"));
        assert_eq!(r.resolve("the test").as_deref(), Some("tests/test_geo.py"));
        let prompt = m.for_prompt(2_000, at(T0 + 120));
        assert!(prompt.contains("\"add a function perimeter to geo.py\" → changed geo.py +4 -0; added perimeter (function in geo.py); checks: tests passed"), "{prompt}");
        // A short budget keeps the newest turn.
        let short = m.for_prompt(200, at(T0 + 120));
        assert!(
            short.contains("perimeter") && !short.contains("add tests"),
            "{short}"
        );
        assert_eq!(m.for_prompt(10, at(T0)), "");
    }
}
