//! Reviewing a change before it is committed: read what changed (`source`), turn it
//! into added lines and hunks (`diff`), run the instant rules (`checks`, `secrets`),
//! ask the coder about what rules cannot see (`model`), and present the merged
//! findings (`report`).

pub mod checks;
pub mod diff;
pub mod files;
pub mod model;
pub mod report;
pub mod secrets;
pub mod source;

use serde::Serialize;

use source::{Content, FileChange, Status};

/// How much a finding matters; only errors fail the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Reads a severity as the model writes it; anything unknown is a warning.
    pub fn parse_lenient(text: &str) -> Self {
        match text.trim().to_ascii_lowercase().as_str() {
            "error" | "critical" | "high" => Severity::Error,
            "info" | "note" | "low" | "suggestion" => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

/// One problem in the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The path in the new tree.
    pub file: String,
    /// The line in the new file, from 1; 0 means the whole file.
    pub line: u32,
    pub severity: Severity,
    /// A stable kebab-case name; the model's rules start with `model/`.
    pub rule: String,
    pub message: String,
}

impl Finding {
    pub fn new(
        file: &str,
        line: u32,
        severity: Severity,
        rule: &str,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            file: file.to_string(),
            line,
            severity,
            rule: rule.to_string(),
            message: message.into(),
        }
    }
}

/// A file the model did not look at, and why (lockfile, binary, over the limit…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotReviewed {
    pub file: String,
    pub reason: String,
}

/// Limits that keep a review fast whatever the change holds.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files bigger than this are flagged and not read line by line.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1_000_000,
        }
    }
}

/// A changed path, ready for the rules and the model.
#[derive(Debug, Clone)]
pub struct ChangedFile {
    pub path: String,
    pub old_path: Option<String>,
    pub status: Status,
    pub body: Body,
}

/// What the change leaves at a path.
#[derive(Debug, Clone)]
pub enum Body {
    Text {
        new: String,
        /// The text before, when there was readable text (not for an added file).
        old: Option<String>,
        diff: diff::Diff,
    },
    Binary {
        size: u64,
    },
    TooLarge {
        size: u64,
    },
    Link,
    /// A submodule's commit changed: nothing here to read.
    Submodule,
    /// Deleted, or moved without a change: nothing was added.
    Gone,
}

impl ChangedFile {
    /// Diffs one change's contents (binary content is only measured).
    pub fn prepare(change: FileChange) -> Self {
        let body = match change.new {
            _ if change.status == Status::Deleted => Body::Gone,
            None => Body::Gone,
            Some(Content::TooLarge(size)) => Body::TooLarge { size },
            Some(Content::Link) => Body::Link,
            Some(Content::Submodule(_)) => Body::Submodule,
            Some(Content::Bytes(bytes)) if diff::is_binary(&bytes) => Body::Binary {
                size: bytes.len() as u64,
            },
            Some(Content::Bytes(bytes)) => {
                // Against binary or unread old content, every line counts as added.
                let old = match &change.old {
                    Some(Content::Bytes(old)) if !diff::is_binary(old) => {
                        Some(diff::text(old).into_owned())
                    }
                    _ => None,
                };
                let new = diff::text(&bytes).into_owned();
                let diff = diff::diff(old.as_deref().unwrap_or_default(), &new);
                Body::Text { new, old, diff }
            }
        };
        ChangedFile {
            path: change.path,
            old_path: change.old_path,
            status: change.status,
            body,
        }
    }

    /// The lines this file's change adds.
    pub fn added(&self) -> &[diff::Line] {
        match &self.body {
            Body::Text { diff, .. } => &diff.added,
            _ => &[],
        }
    }
}
