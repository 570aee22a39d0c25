//! Checking a model's edit before anyone sees it, cheapest first, stopping at the first
//! tier that fails: (1) every edited file still parses; (2) for Python, it compiles,
//! uses no name it never binds, and every `from M import N` into or out of an edited
//! module still finds `N`; (3) with the user's consent, code runs in a scratch copy of
//! the work tree: the edited modules and their importers are imported, the configured
//! tests run, `cargo check` when configured. Only what the edit broke is blamed: a file
//! that did not parse before, a name already missing, tests already failing the same
//! way are not the edit's fault.
//!
//! The user's work tree is never written: static checks read texts, and code runs in a
//! copy under `.git/codey/tmp` that is removed on every way out (`scratch`).

pub mod examples;
mod python;
mod run;
mod scratch;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::config::Layered;
use crate::syntax::{self, Language};
use crate::workspace::Workspace;

pub use crate::config::Verify as Settings;

/// The settings that make the check run the repository's code. A repository's own
/// `codey.toml` sets them only once the user trusts it (`config::trust`).
pub const CODE_KEYS: [&str; 3] = ["verify.run_code", "verify.test", "verify.cargo_check"];

/// Whether the check may run the repository's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "run_code", rename_all = "snake_case")]
pub enum RunCode {
    /// The settings that ask for it come from the user (their file, the environment) or
    /// from a repository file the user trusts.
    Allowed,
    /// Not now: the reason is shown where the checks would have been.
    NotAllowed { why: String },
}

impl RunCode {
    /// The consent the configuration gives: what asks for code to run has passed the
    /// trust filter; a repository file that asks without being trusted is named.
    pub fn from_config(layered: &Layered) -> RunCode {
        let held: Vec<&str> = layered
            .untrusted
            .iter()
            .map(|s| s.key.as_str())
            .filter(|k| CODE_KEYS.contains(k))
            .collect();
        let settings = &layered.config.verify;
        let configured =
            settings.run_code || !settings.test.trim().is_empty() || settings.cargo_check;
        if held.is_empty() || configured {
            RunCode::Allowed
        } else {
            RunCode::NotAllowed {
                why: format!(
                    "the repository's codey.toml sets {}, which runs its code, and is not trusted (`git codey trust`)",
                    held.join(", ")
                ),
            }
        }
    }
}

/// Whether `python3` is on the PATH, so that the compile check runs.
pub fn python3_available() -> bool {
    python::python3().is_some()
}

/// One file an edit changes, as the check sees it (LF text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change<'a> {
    /// Relative to the work tree's root, with `/`.
    pub path: &'a str,
    /// `None` for a new file.
    pub before: Option<&'a str>,
    /// `None` for a deleted file.
    pub after: Option<&'a str>,
}

/// What one check looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// Every edited file in a language with a built-in parser still parses.
    Parse,
    /// Python's own compiler accepts the edited files (nothing is run).
    Compile,
    /// No name is used that nothing binds.
    Names,
    /// `from M import N` finds `N`, for the edited modules and those importing them.
    Imports,
    /// The edited modules and their importers import (runs code).
    Run,
    /// The configured test command passes (runs code).
    Tests,
    /// `cargo check` passes (runs build scripts and macros).
    Cargo,
    /// Examples of what the request asks, written by the model from the request,
    /// hold for the edited functions (runs code; see `examples`).
    Examples,
}

impl CheckKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Parse => "parse",
            CheckKind::Compile => "compile",
            CheckKind::Names => "names",
            CheckKind::Imports => "imports",
            CheckKind::Run => "run",
            CheckKind::Tests => "tests",
            CheckKind::Cargo => "cargo",
            CheckKind::Examples => "examples",
        }
    }

    /// How the preview names it when it passed.
    fn done(self) -> &'static str {
        match self {
            CheckKind::Parse => "parsed",
            CheckKind::Compile => "compiled",
            CheckKind::Names => "names",
            CheckKind::Imports => "imports",
            CheckKind::Run => "modules import",
            CheckKind::Tests => "tests",
            CheckKind::Cargo => "cargo check",
            CheckKind::Examples => "examples",
        }
    }
}

/// One thing wrong, where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Relative to the root; `None` when the error names no file of the repository.
    pub path: Option<String>,
    /// From 1.
    pub line: Option<u32>,
    pub message: String,
    /// The lines around `line` in the edited file, numbered, for the model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

/// How a check went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// `detail` says how much was checked, when there is a count: "12 passed".
    Passed {
        detail: Option<String>,
    },
    Failed {
        problems: Vec<Problem>,
    },
    Skipped {
        why: String,
    },
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub kind: CheckKind,
    #[serde(flatten)]
    pub status: Status,
    #[serde(rename = "ms", serialize_with = "millis")]
    pub duration: Duration,
}

/// Every check run on one patch, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub checks: Vec<Check>,
    #[serde(rename = "ms", serialize_with = "millis")]
    pub duration: Duration,
    /// The check stopped early: Ctrl-C, or the caller's cancel.
    pub cancelled: bool,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Report {
    /// Whether any check failed.
    pub fn failed(&self) -> bool {
        self.checks
            .iter()
            .any(|c| matches!(c.status, Status::Failed { .. }))
    }

    /// Every problem of every failed check.
    pub fn problems(&self) -> impl Iterator<Item = (CheckKind, &Problem)> {
        self.checks.iter().flat_map(|c| match &c.status {
            Status::Failed { problems } => problems.iter().map(|p| (c.kind, p)).collect(),
            _ => Vec::new(),
        })
    }

    /// The names each file uses that nothing binds: (path, name), from the names check.
    pub fn undefined_names(&self) -> Vec<(&str, &str)> {
        self.problems()
            .filter(|(kind, _)| *kind == CheckKind::Names)
            .filter_map(|(_, p)| Some((p.path.as_deref()?, python::undefined_name(&p.message)?)))
            .collect()
    }

    /// What to tell the model: each error exactly, with the lines around it. `None`
    /// when nothing failed.
    pub fn feedback(&self) -> Option<String> {
        if !self.failed() {
            return None;
        }
        let mut out = String::new();
        for (kind, problem) in self.problems() {
            let place = match (&problem.path, problem.line) {
                (Some(path), Some(line)) => format!("{path}:{line}: "),
                (Some(path), None) => format!("{path}: "),
                _ => String::new(),
            };
            // An example's failure is said as what the request asks, not as a check
            // (a small model answered "examples check" with a file `examples.py`).
            let check = match kind {
                CheckKind::Examples => String::new(),
                _ => format!("{} check: ", kind.as_str()),
            };
            out.push_str(&format!("- {check}{place}{}\n", problem.message.trim_end()));
            if let Some(excerpt) = &problem.excerpt {
                out.push_str(excerpt);
            }
        }
        Some(out)
    }

    /// Short parts for the preview: "parsed ✓", "names ✗", "tests 12 passed".
    pub fn summary(&self) -> Vec<String> {
        self.checks
            .iter()
            .map(|c| match &c.status {
                Status::Passed { detail: Some(d) } => format!("{} {d}", c.kind.done()),
                Status::Passed { detail: None } => format!("{} ✓", c.kind.done()),
                Status::Failed { problems } => {
                    format!("{} ✗ ({})", c.kind.done(), problems.len())
                }
                Status::Skipped { why } => format!("{} skipped: {why}", c.kind.as_str()),
            })
            .collect()
    }

    /// The time spent running code (imports, tests, cargo) as opposed to reading it.
    pub fn run_time(&self) -> Duration {
        self.checks
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    CheckKind::Run | CheckKind::Tests | CheckKind::Cargo | CheckKind::Examples
                )
            })
            .map(|c| c.duration)
            .sum()
    }
}

/// Checks `changes` (relative to `workspace`'s root) as `settings` say, running code only
/// with `consent`. `cancel` is asked between checks; Ctrl-C also stops a running command.
pub fn check(
    workspace: &Workspace,
    changes: &[Change],
    settings: &Settings,
    consent: &RunCode,
    cancel: &dyn Fn() -> bool,
) -> Report {
    let started = Instant::now();
    let mut report = Report::default();
    if !settings.enabled || changes.is_empty() {
        return report;
    }
    let stopped = |report: &mut Report| {
        let stop = cancel() || crate::interrupt::requested();
        report.cancelled |= stop;
        stop
    };

    let timed = |kind: CheckKind, f: &mut dyn FnMut() -> Option<Status>| {
        let start = Instant::now();
        f().map(|status| Check {
            kind,
            status,
            duration: start.elapsed(),
        })
    };

    // Tier 1: parsing, in memory.
    report
        .checks
        .extend(timed(CheckKind::Parse, &mut || parse(changes)));
    if report.failed() || stopped(&mut report) {
        report.duration = started.elapsed();
        return report;
    }

    // Tier 2: Python's static checks.
    let python: Vec<&Change> = changes
        .iter()
        .filter(|c| Language::from_path(c.path) == Some(Language::Python))
        .collect();
    if !python.is_empty() {
        report
            .checks
            .extend(timed(CheckKind::Compile, &mut || python::compile(&python)));
        report
            .checks
            .extend(timed(CheckKind::Names, &mut || python::names(&python)));
        report.checks.extend(timed(CheckKind::Imports, &mut || {
            python::imports(&workspace.root, changes)
        }));
    }
    if report.failed() || stopped(&mut report) {
        report.duration = started.elapsed();
        return report;
    }

    // Tier 3: running code, in a scratch copy.
    let wanted = run::wanted(settings, changes);
    if !wanted.is_empty() {
        match consent {
            RunCode::Allowed => {
                run::all(workspace, changes, settings, &wanted, cancel, &mut report)
            }
            RunCode::NotAllowed { why } => {
                for kind in wanted {
                    report.checks.push(Check {
                        kind,
                        status: Status::Skipped { why: why.clone() },
                        duration: Duration::ZERO,
                    });
                }
            }
        }
    } else if let RunCode::NotAllowed { why } = consent {
        report.checks.push(Check {
            kind: CheckKind::Tests,
            status: Status::Skipped { why: why.clone() },
            duration: Duration::ZERO,
        });
    }
    stopped(&mut report);
    report.duration = started.elapsed();
    report
}

/// Tier 1: a file in a language with a parser that parsed before (or is new) and does
/// not parse now.
fn parse(changes: &[Change]) -> Option<Status> {
    let mut problems = Vec::new();
    let mut any = false;
    for change in changes {
        let (Some(language), Some(after)) = (Language::from_path(change.path), change.after) else {
            continue;
        };
        any = true;
        let Some(error) = syntax::parse(language, after).errors(1).into_iter().next() else {
            continue;
        };
        if change
            .before
            .is_some_and(|before| syntax::parse(language, before).has_errors())
        {
            continue;
        }
        problems.push(problem(
            change.path,
            after,
            error.line,
            format!("{} syntax error: {}", language.name(), error.message),
        ));
    }
    any.then(|| status(problems, None))
}

fn status(problems: Vec<Problem>, detail: Option<String>) -> Status {
    if problems.is_empty() {
        Status::Passed { detail }
    } else {
        Status::Failed { problems }
    }
}

/// A problem at `line` of `path`, whose text (after the edit) is `text`.
fn problem(path: &str, text: &str, line: u32, message: String) -> Problem {
    Problem {
        path: Some(path.to_string()),
        line: Some(line),
        message,
        excerpt: excerpt(text, line),
    }
}

/// Lines around `line` (two before, two after), numbered, the line itself marked.
pub fn excerpt(text: &str, line: u32) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = usize::try_from(line).ok()?.checked_sub(1)?;
    if at >= lines.len() {
        return None;
    }
    let (from, to) = (at.saturating_sub(2), (at + 2).min(lines.len() - 1));
    let width = (to + 1).to_string().len();
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate().take(to + 1).skip(from) {
        let mark = if i == at { ">" } else { " " };
        out.push_str(&format!("  {mark} {:>width$} | {l}\n", i + 1));
    }
    Some(out)
}

/// The texts of the files after the edit, for checks that read other files: a changed
/// file's new text (absent when deleted), else the file on disk.
struct After<'a> {
    root: &'a Path,
    changed: BTreeMap<&'a str, Option<&'a str>>,
}

impl<'a> After<'a> {
    fn new(root: &'a Path, changes: &'a [Change<'a>]) -> Self {
        After {
            root,
            changed: changes.iter().map(|c| (c.path, c.after)).collect(),
        }
    }

    /// `before` reads the state before the edit instead.
    fn before(root: &'a Path, changes: &'a [Change<'a>]) -> Self {
        After {
            root,
            changed: changes.iter().map(|c| (c.path, c.before)).collect(),
        }
    }

    fn text(&self, path: &str) -> Option<std::borrow::Cow<'a, str>> {
        match self.changed.get(path) {
            Some(text) => text.map(std::borrow::Cow::Borrowed),
            None => std::fs::read_to_string(self.root.join(path))
                .ok()
                .map(std::borrow::Cow::Owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn change<'a>(path: &'a str, before: Option<&'a str>, after: &'a str) -> Change<'a> {
        Change {
            path,
            before,
            after: Some(after),
        }
    }

    #[test]
    fn a_file_that_stops_parsing_fails_at_the_parsers_line() {
        let before = "def f(x):\n    return x\n\n\ndef g():\n    pass\n";
        let after = "def f(x):\n    return x\n\n\ndef g(:\n    pass\n";
        let Some(Status::Failed { problems }) = parse(&[change("a.py", Some(before), after)])
        else {
            panic!("a broken file passed");
        };
        assert_eq!(problems[0].path.as_deref(), Some("a.py"));
        assert_eq!(problems[0].line, Some(5), "{problems:?}");
        let excerpt = problems[0].excerpt.as_deref().expect("excerpt");
        assert!(excerpt.contains("> 5 | def g(:"), "{excerpt}");
        assert!(excerpt.contains("  3 | \n"), "{excerpt}");
    }

    #[test]
    fn a_file_broken_before_is_not_blamed() {
        let broken = "def f(:\n    pass\n";
        let still = "def f(:\n    return 1\n";
        assert_eq!(
            parse(&[change("a.py", Some(broken), still)]),
            Some(Status::Passed { detail: None })
        );
        // A new file is judged on its own.
        assert!(matches!(
            parse(&[change("n.py", None, still)]),
            Some(Status::Failed { .. })
        ));
        // No parser, nothing to say.
        assert_eq!(parse(&[change("notes.txt", None, "((")]), None);
    }

    #[test]
    fn feedback_names_each_error_and_shows_its_lines() {
        let report = Report {
            checks: vec![
                Check {
                    kind: CheckKind::Parse,
                    status: Status::Passed { detail: None },
                    duration: Duration::ZERO,
                },
                Check {
                    kind: CheckKind::Names,
                    status: Status::Failed {
                        problems: vec![problem(
                            "slug.py",
                            "def slug(s):\n    return re.sub('x', '-', s)\n",
                            2,
                            "undefined name 're'".into(),
                        )],
                    },
                    duration: Duration::from_millis(3),
                },
            ],
            ..Report::default()
        };
        let feedback = report.feedback().expect("failed");
        assert_eq!(
            feedback,
            "- names check: slug.py:2: undefined name 're'\n    1 | def slug(s):\n  > 2 |     return re.sub('x', '-', s)\n"
        );
        assert_eq!(report.summary(), ["parsed ✓", "names ✗ (1)"]);
        let json = serde_json::to_value(&report).expect("serialises");
        assert_eq!(json["checks"][1]["status"], "failed");
        assert_eq!(json["checks"][1]["ms"], 3);
        assert_eq!(json["checks"][1]["problems"][0]["line"], 2);
    }
}
