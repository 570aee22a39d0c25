//! The checks that run the repository's code, in a scratch copy, each with a time limit
//! and its process group killed at it or on Ctrl-C (`tools::shell`): importing the
//! edited Python modules and the files that import them, the configured test command,
//! and `cargo check`. A check that fails is run again on the copy as it was before the
//! edit, and the edit is blamed only for what is new: a module that imported before,
//! tests that passed before or now fail differently.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use super::scratch::Scratch;
use super::{Change, Check, CheckKind, Problem, Report, Settings, Status, excerpt};
use crate::syntax::Language;
use crate::tools::shell;
use crate::workspace::Workspace;

/// Output kept from a command, from its end, where test runners sum up.
const KEPT_CHARS: usize = 3000;

/// The code-running checks the settings ask for that apply to `changes`.
pub(super) fn wanted(settings: &Settings, changes: &[Change]) -> Vec<CheckKind> {
    let mut out = Vec::new();
    let python = changes
        .iter()
        .any(|c| Language::from_path(c.path) == Some(Language::Python));
    if settings.run_code && python && super::python::python3().is_some() {
        out.push(CheckKind::Run);
    }
    if !settings.test.trim().is_empty() {
        out.push(CheckKind::Tests);
    }
    let rust = changes.iter().any(|c| {
        Language::from_path(c.path) == Some(Language::Rust) || c.path.ends_with("Cargo.toml")
    });
    if settings.cargo_check && rust {
        out.push(CheckKind::Cargo);
    }
    out
}

/// Runs `wanted` in a scratch copy of the work tree and adds their checks to `report`.
pub(super) fn all(
    workspace: &Workspace,
    changes: &[Change],
    settings: &Settings,
    wanted: &[CheckKind],
    cancel: &dyn Fn() -> bool,
    report: &mut Report,
) {
    let limit = Duration::from_secs(settings.test_timeout_s);
    let skipped = |why: String| Status::Skipped { why };
    let scratch = match Scratch::create(&workspace.root, &workspace.git_dir)
        .and_then(|s| s.write_after(changes).map(|()| s))
    {
        Ok(s) => s,
        Err(e) => {
            for kind in wanted {
                report.checks.push(Check {
                    kind: *kind,
                    status: skipped(format!("could not make a scratch copy: {e}")),
                    duration: Duration::ZERO,
                });
            }
            return;
        }
    };
    for kind in wanted {
        if cancel() || crate::interrupt::requested() {
            report.cancelled = true;
            break;
        }
        let start = Instant::now();
        let job = Job::new(*kind, workspace, changes, settings);
        let status = match job.run(&scratch, limit) {
            Verdict::Passed(detail) => Status::Passed { detail },
            Verdict::Unknown(why) => skipped(why),
            Verdict::Failed(after) => {
                // Was it the edit? The same job on the copy as it was.
                let before = scratch
                    .write_before(changes)
                    .ok()
                    .map(|()| job.run(&scratch, limit));
                if scratch.write_after(changes).is_err() {
                    // The copy no longer holds the edit: nothing more can be checked.
                    report.cancelled = true;
                }
                match before {
                    Some(Verdict::Failed(old)) if job.same(&old, &after) => {
                        skipped("it fails the same way without the edit".to_string())
                    }
                    _ => Status::Failed {
                        problems: job.problems(&scratch, &after, changes),
                    },
                }
            }
        };
        report.checks.push(Check {
            kind: *kind,
            status,
            duration: start.elapsed(),
        });
        if report.cancelled || crate::interrupt::requested() {
            report.cancelled = true;
            break;
        }
    }
}

/// What a command came to.
enum Verdict {
    Passed(Option<String>),
    /// Its captured output (the tail), or per-module failures for imports.
    Failed(Failure),
    /// It could not be judged (timed out, interrupted, could not start).
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Failure {
    Output(String),
    Modules(Vec<ModuleError>),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
struct ModuleError {
    module: String,
    error: String,
    /// Frames inside the copy, innermost last.
    frames: Vec<(String, u32)>,
}

struct Job<'a> {
    kind: CheckKind,
    modules: Vec<String>,
    test: &'a str,
    root: &'a Path,
}

impl<'a> Job<'a> {
    fn new(
        kind: CheckKind,
        workspace: &'a Workspace,
        changes: &[Change],
        settings: &'a Settings,
    ) -> Self {
        let modules = if kind == CheckKind::Run {
            modules(&workspace.root, changes)
        } else {
            Vec::new()
        };
        Job {
            kind,
            modules,
            test: settings.test.trim(),
            root: &workspace.root,
        }
    }

    fn run(&self, scratch: &Scratch, limit: Duration) -> Verdict {
        let dir = &scratch.dir;
        let mut cmd = match self.kind {
            CheckKind::Run => {
                if self.modules.is_empty() {
                    return Verdict::Passed(Some("no module to import".into()));
                }
                let Some(python) = super::python::python3() else {
                    return Verdict::Unknown("python3 is not on the PATH".into());
                };
                let mut cmd = std::process::Command::new(python);
                cmd.args(["-B", "-c", IMPORT]).arg(dir).args(&self.modules);
                cmd
            }
            CheckKind::Tests => shell::command(dir, self.test),
            CheckKind::Cargo => {
                let mut cmd = std::process::Command::new("cargo");
                cmd.args(["check", "--quiet", "--message-format=short"]);
                // The user's own build directory: its dependencies are already built.
                if std::env::var_os("CARGO_TARGET_DIR").is_none() {
                    cmd.env("CARGO_TARGET_DIR", self.root.join("target"));
                }
                cmd
            }
            _ => return Verdict::Unknown("not a check that runs code".into()),
        };
        cmd.current_dir(dir).env("PYTHONDONTWRITEBYTECODE", "1");
        let mut path = std::ffi::OsString::from(dir);
        if dir.join("src").is_dir() {
            path.push(":");
            path.push(dir.join("src"));
        }
        cmd.env("PYTHONPATH", path);
        let outcome = match shell::run(cmd, shell::Output::Capture, limit) {
            Ok(o) => o,
            Err(e) => return Verdict::Unknown(format!("could not start it: {e}")),
        };
        match outcome.ending {
            shell::Ending::TimedOut => {
                return Verdict::Unknown(format!(
                    "stopped at the time limit of {} s (verify.test_timeout_s)",
                    limit.as_secs()
                ));
            }
            shell::Ending::Signalled => return Verdict::Unknown("interrupted".into()),
            shell::Ending::Exited(_) => {}
        }
        let output = format!("{}{}", outcome.stdout, outcome.stderr);
        if self.kind == CheckKind::Run {
            let failures: Vec<ModuleError> = outcome
                .stdout
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect();
            return if failures.is_empty() && outcome.success() {
                Verdict::Passed(Some(format!("{} imported", self.modules.len())))
            } else if failures.is_empty() {
                Verdict::Failed(Failure::Output(tail(&output)))
            } else {
                Verdict::Failed(Failure::Modules(failures))
            };
        }
        if outcome.success() {
            Verdict::Passed(counted(&output))
        } else {
            Verdict::Failed(Failure::Output(tail(&output)))
        }
    }

    /// Whether a failure before the edit is the same as after it.
    fn same(&self, before: &Failure, after: &Failure) -> bool {
        match (before, after) {
            (Failure::Output(b), Failure::Output(a)) => normalised(b) == normalised(a),
            (Failure::Modules(b), Failure::Modules(a)) => a.iter().all(|m| {
                b.iter()
                    .any(|o| o.module == m.module && normalised(&o.error) == normalised(&m.error))
            }),
            _ => false,
        }
    }

    fn problems(&self, scratch: &Scratch, failure: &Failure, changes: &[Change]) -> Vec<Problem> {
        let text_of = |path: &str| -> Option<String> {
            changes
                .iter()
                .find(|c| c.path == path)
                .and_then(|c| c.after.map(str::to_string))
                .or_else(|| std::fs::read_to_string(scratch.dir.join(path)).ok())
        };
        let place = |path: Option<String>, line: Option<u32>| {
            let excerpt = match (&path, line) {
                (Some(p), Some(l)) => text_of(p).and_then(|t| excerpt(&t, l)),
                _ => None,
            };
            (path, line, excerpt)
        };
        match failure {
            Failure::Modules(errors) => errors
                .iter()
                .map(|e| {
                    let frame = e
                        .frames
                        .last()
                        .and_then(|(file, line)| scratch.relative(file).map(|p| (p, *line)));
                    let (path, line, excerpt) =
                        place(frame.as_ref().map(|f| f.0.clone()), frame.map(|f| f.1));
                    Problem {
                        path,
                        line,
                        message: format!("importing {} failed: {}", e.module, e.error),
                        excerpt,
                    }
                })
                .collect(),
            Failure::Output(output) => {
                let cleaned = output.replace(&format!("{}/", scratch.dir.display()), "");
                let (path, line) = last_frame(&cleaned, changes);
                let (path, line, excerpt) = place(path, line);
                let what = match self.kind {
                    CheckKind::Tests => format!("`{}` failed:\n", self.test),
                    CheckKind::Cargo => "cargo check failed:\n".to_string(),
                    _ => String::new(),
                };
                vec![Problem {
                    path,
                    line,
                    message: format!("{what}{cleaned}"),
                    excerpt,
                }]
            }
        }
    }
}

/// Imports each module named after the copy's path; one JSON line per failure, with
/// the frames of the traceback that are files of the copy.
const IMPORT: &str = r#"
import importlib, json, os, sys, traceback
root = os.path.realpath(sys.argv[1])
sys.path.insert(0, root)
for name in sys.argv[2:]:
    try:
        importlib.import_module(name)
    except BaseException as e:
        frames = [(f.filename, f.lineno or 0) for f in traceback.extract_tb(e.__traceback__)
                  if os.path.realpath(f.filename).startswith(root + os.sep)]
        if isinstance(e, SyntaxError) and e.filename:
            frames.append((e.filename, e.lineno or 0))
        print(json.dumps({"module": name, "error": "%s: %s" % (type(e).__name__, e), "frames": frames}))
        sys.stdout.flush()
"#;

/// The dotted names of the edited Python modules and of the files importing them, as
/// imported from the root (or `src/`). Entry points that do their work on import
/// (`setup.py`, `__main__.py`, `manage.py`, `conftest.py`) are left out.
fn modules(root: &Path, changes: &[Change]) -> Vec<String> {
    let edited: Vec<&str> = changes
        .iter()
        .filter(|c| c.after.is_some() && Language::from_path(c.path) == Some(Language::Python))
        .map(|c| c.path)
        .collect();
    let stems: BTreeSet<String> = edited
        .iter()
        .filter_map(|p| dotted(p))
        .filter_map(|m| m.rsplit('.').next().map(str::to_string))
        .collect();
    let mut files: Vec<String> = edited.iter().map(|p| p.to_string()).collect();
    for file in super::python::python_files(root) {
        let file = file.as_str();
        if files.iter().any(|f| f == file) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(file)) else {
            continue;
        };
        let imports_one = text.lines().any(|l| {
            let l = l.trim_start();
            (l.starts_with("import ") || l.starts_with("from "))
                && stems.iter().any(|s| l.contains(s.as_str()))
        });
        if imports_one {
            files.push(file.to_string());
        }
    }
    let mut out: Vec<String> = files.iter().filter_map(|f| dotted(f)).collect();
    out.dedup();
    out
}

/// A file's module name, when it is importable under one.
pub(super) fn dotted(path: &str) -> Option<String> {
    let name = path.rsplit('/').next()?;
    if matches!(
        name,
        "setup.py" | "__main__.py" | "manage.py" | "conftest.py"
    ) {
        return None;
    }
    let path = path.strip_prefix("src/").unwrap_or(path);
    let stem = path.strip_suffix(".py")?;
    let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
    let parts: Vec<&str> = stem.split('/').collect();
    let identifier = |p: &&str| {
        p.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && p.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    (parts.iter().all(identifier)).then(|| parts.join("."))
}

/// "12 passed" from what pytest or unittest printed.
fn counted(output: &str) -> Option<String> {
    static PYTEST: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"(\d+) passed").expect("valid regex"));
    static UNITTEST: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"Ran (\d+) tests?").expect("valid regex"));
    PYTEST
        .captures_iter(output)
        .last()
        .or_else(|| UNITTEST.captures_iter(output).last())
        .map(|c| format!("{} passed", &c[1]))
}

/// The last place in the output that names a file of the edit with a line: Python's
/// `File "x.py", line 3`, or `x.py:3:` from pytest, cargo and most tools.
fn last_frame(output: &str, changes: &[Change]) -> (Option<String>, Option<u32>) {
    static PLACE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(?:File "([^"]+)", line (\d+))|(?:([\w./-]+):(\d+)(?::\d+)?:)"#)
            .expect("valid regex")
    });
    let mut found = (None, None);
    let mut any = (None, None);
    for c in PLACE.captures_iter(output) {
        let (path, line) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(p), Some(l), _, _) | (_, _, Some(p), Some(l)) => (p.as_str(), l.as_str()),
            _ => continue,
        };
        let path = path.trim_start_matches("./").to_string();
        let line = line.parse().ok();
        if changes.iter().any(|ch| ch.path == path) {
            found = (Some(path), line);
        } else if !path.starts_with('/') {
            any = (Some(path), line);
        }
    }
    if found.0.is_some() { found } else { any }
}

/// The end of a command's output, where runners put their verdict.
fn tail(output: &str) -> String {
    let output = output.trim_end();
    if output.chars().count() <= KEPT_CHARS {
        return output.to_string();
    }
    let start = output
        .char_indices()
        .rev()
        .nth(KEPT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    format!("…{}", &output[start..])
}

/// Output with what differs between two runs of the same failure (times, addresses,
/// the scratch directory's name) taken out.
fn normalised(output: &str) -> String {
    static NOISE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"0x[0-9a-f]+|\d+\.\d+\s*s(ec(onds)?)?\b|verify-\d+-\d+")
            .expect("valid regex")
    });
    NOISE.replace_all(output, "#").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_come_from_paths() {
        assert_eq!(dotted("shop/orders.py").as_deref(), Some("shop.orders"));
        assert_eq!(dotted("src/pkg/__init__.py").as_deref(), Some("pkg"));
        assert_eq!(dotted("setup.py"), None);
        assert_eq!(dotted("my-scripts/run.py"), None);
    }

    #[test]
    fn counts_and_places_are_read_from_runner_output() {
        assert_eq!(
            counted("....\n12 passed in 0.03s\n").as_deref(),
            Some("12 passed")
        );
        assert_eq!(
            counted("Ran 3 tests in 0.001s\n\nOK\n").as_deref(),
            Some("3 passed")
        );
        let changes = [Change {
            path: "calc.py",
            before: None,
            after: Some("x\n"),
        }];
        let out = "Traceback (most recent call last):\n  File \"test_calc.py\", line 9, in test_add\n    self.assertEqual(add(1, 2), 3)\n  File \"calc.py\", line 2, in add\n    return a - b\nAssertionError: -1 != 3\n";
        assert_eq!(last_frame(out, &changes), (Some("calc.py".into()), Some(2)));
        assert_eq!(
            normalised("Ran 3 tests in 0.004s"),
            normalised("Ran 3 tests in 0.017s")
        );
    }
}
