//! Python's static checks, none of which runs the repository's code: the edited files
//! compile (CPython's own compiler, in an isolated interpreter away from the
//! repository, when `python3` is on the PATH); no name is used that nothing binds
//! (pyflakes when installed, else `syntax`'s scope walk); and every `from M import N`
//! that involves an edited module still finds `N` in the repository's `M`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use super::{After, Change, Problem, Status, problem, status};
use crate::syntax::{self, Language};
use crate::tools::shell;

/// How long a static check's interpreter may take (it only compiles).
const STATIC_LIMIT: Duration = Duration::from_secs(20);

/// `python3` on the PATH, looked up once.
pub(super) fn python3() -> Option<&'static Path> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .map(|dir| dir.join("python3"))
                .find(|p| p.is_file())
        })
        .as_deref()
}

/// CPython's verdict on each file named on the command line: `ok` or the error's line
/// and message, one JSON value per line. Compiling runs nothing.
const COMPILE: &str = r#"
import json, sys
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        source = f.read()
    try:
        compile(source, path, "exec", dont_inherit=True)
        print(json.dumps(None))
    except SyntaxError as e:
        print(json.dumps({"line": e.lineno or 0, "message": "%s: %s" % (type(e).__name__, e.msg)}))
    except (ValueError, MemoryError, RecursionError) as e:
        print(json.dumps({"line": 0, "message": "%s: %s" % (type(e).__name__, e)}))
"#;

#[derive(serde::Deserialize)]
struct Compiled {
    line: u32,
    message: String,
}

/// The edited files compile; a file that did not compile before is not blamed.
pub(super) fn compile(changes: &[&Change]) -> Option<Status> {
    let python = python3()?;
    let dir = tempfile::tempdir().ok()?;
    let mut args = Vec::new();
    let mut jobs = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        let Some(after) = change.after else { continue };
        let after_path = dir.path().join(format!("{i}-after.py"));
        std::fs::write(&after_path, after).ok()?;
        args.push(after_path);
        let before_at = change.before.map(|before| {
            let path = dir.path().join(format!("{i}-before.py"));
            args.push(path.clone());
            (path, before)
        });
        if let Some((path, before)) = &before_at {
            std::fs::write(path, before).ok()?;
        }
        jobs.push((change, before_at.is_some()));
    }
    if jobs.is_empty() {
        return None;
    }
    // Isolated (`-I`): no PYTHON* variables, no user site, not the current directory on
    // the path, so nothing of the repository is imported by the interpreter itself.
    let mut cmd = std::process::Command::new(python);
    cmd.args(["-I", "-B", "-c", COMPILE])
        .args(&args)
        .current_dir(dir.path());
    let outcome = shell::run(cmd, shell::Output::Capture, STATIC_LIMIT).ok()?;
    if !outcome.success() {
        return None;
    }
    let verdicts: Vec<Option<Compiled>> = outcome
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).ok().flatten())
        .collect();
    let mut verdicts = verdicts.into_iter();
    let mut problems = Vec::new();
    for (change, has_before) in jobs {
        let after = verdicts.next().flatten();
        let before = if has_before {
            verdicts.next().flatten()
        } else {
            None
        };
        if let (Some(error), None) = (after, before) {
            let text = change.after.unwrap_or_default();
            let mut p = problem(change.path, text, error.line.max(1), error.message);
            if error.line == 0 {
                p.line = None;
                p.excerpt = None;
            }
            problems.push(p);
        }
    }
    Some(status(problems, None))
}

/// No edited file uses a name it never binds, unless it already did before the edit.
pub(super) fn names(changes: &[&Change]) -> Option<Status> {
    let mut problems = Vec::new();
    let mut judged = false;
    for change in changes {
        let Some(after) = change.after else { continue };
        let Some(now) = unbound(after) else { continue };
        judged = true;
        let known: BTreeSet<String> = change
            .before
            .and_then(unbound)
            .map(|b| b.into_iter().map(|(name, _)| name).collect())
            .unwrap_or_default();
        let mut seen = BTreeSet::new();
        for (name, line) in now {
            if known.contains(&name) || !seen.insert(name.clone()) {
                continue;
            }
            problems.push(problem(change.path, after, line, undefined(&name)));
        }
    }
    judged.then(|| status(problems, None))
}

/// The names check's message for a name nothing binds.
fn undefined(name: &str) -> String {
    format!("undefined name '{name}' (it is never imported, defined or assigned)")
}

/// The name a names-check problem is about (the inverse of `undefined`).
pub(super) fn undefined_name(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("undefined name '")?;
    let name = &rest[..rest.find('\'')?];
    (undefined(name) == message).then_some(name)
}

/// The names a text uses unbound, with the line of their first use: pyflakes' verdict
/// when it is installed, else the built-in one. `None` when neither can judge.
fn unbound(text: &str) -> Option<Vec<(String, u32)>> {
    if let Some(found) = pyflakes(text) {
        return Some(found);
    }
    let names = syntax::parse(Language::Python, text).unbound_names()?;
    Some(names.into_iter().map(|u| (u.name, u.line)).collect())
}

/// Whether `python3 -m pyflakes` works here, asked once.
fn has_pyflakes() -> bool {
    static FOUND: OnceLock<bool> = OnceLock::new();
    *FOUND.get_or_init(|| {
        let Some(python) = python3() else {
            return false;
        };
        let Ok(dir) = tempfile::tempdir() else {
            return false;
        };
        let mut cmd = std::process::Command::new(python);
        cmd.args(["-B", "-m", "pyflakes", "--version"])
            .current_dir(dir.path());
        shell::run(cmd, shell::Output::Capture, STATIC_LIMIT).is_ok_and(|o| o.success())
    })
}

/// pyflakes' undefined names in `text`, run away from the repository (its directory is
/// the first entry of `sys.path` under `-m`).
fn pyflakes(text: &str) -> Option<Vec<(String, u32)>> {
    if !has_pyflakes() {
        return None;
    }
    let python = python3()?;
    let dir = tempfile::tempdir().ok()?;
    let file = dir.path().join("checked.py");
    std::fs::write(&file, text).ok()?;
    let mut cmd = std::process::Command::new(python);
    cmd.args(["-B", "-m", "pyflakes", "checked.py"])
        .current_dir(dir.path());
    let outcome = shell::run(cmd, shell::Output::Capture, STATIC_LIMIT).ok()?;
    // pyflakes exits 1 when it has anything to say.
    if !matches!(outcome.ending, shell::Ending::Exited(0 | 1)) {
        return None;
    }
    static LINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^checked\.py:(\d+):(?:\d+:)? undefined name '([^']+)'")
            .expect("valid regex")
    });
    Some(
        outcome
            .stdout
            .lines()
            .filter_map(|l| {
                let c = LINE.captures(l)?;
                Some((c[2].to_string(), c[1].parse().ok()?))
            })
            .collect(),
    )
}

/// One `from M import N` that does not find `N`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Missing {
    importer: String,
    line: u32,
    module: String,
    name: String,
    target: String,
}

/// Every `from M import N` in an edited Python file, or into an edited module from
/// another file of the repository, finds `N` in `M` when `M` is a module of the
/// repository. Only what the edit broke is reported.
pub(super) fn imports(root: &Path, changes: &[Change]) -> Option<Status> {
    let mut files: BTreeSet<String> = python_files(root);
    for change in changes {
        if Language::from_path(change.path) != Some(Language::Python) {
            continue;
        }
        if change.after.is_some() {
            files.insert(change.path.to_string());
        }
    }
    let after = After::new(root, changes);
    let before = After::before(root, changes);
    let edited: Vec<&str> = changes
        .iter()
        .filter(|c| Language::from_path(c.path) == Some(Language::Python))
        .map(|c| c.path)
        .collect();
    if edited.is_empty() {
        return None;
    }
    // Files that may import an edited module: their text names its last part.
    let stems: Vec<&str> = edited.iter().map(|p| stem(p)).collect();
    let mut importers: Vec<String> = Vec::new();
    for file in &files {
        if edited.contains(&file.as_str()) {
            importers.push(file.clone());
            continue;
        }
        if let Some(text) = after.text(file)
            && text.contains("import")
            && stems.iter().any(|s| text.contains(s))
        {
            importers.push(file.clone());
        }
    }
    let edited_set: BTreeSet<&str> = edited.iter().copied().collect();
    let now = missing(&after, &files, &importers, &edited_set);
    if now.is_empty() {
        return Some(Status::Passed { detail: None });
    }
    let mut files_before = files.clone();
    for change in changes {
        if change.before.is_none() {
            files_before.remove(change.path);
        } else {
            files_before.insert(change.path.to_string());
        }
    }
    let was: BTreeSet<(String, String, String)> =
        missing(&before, &files_before, &importers, &edited_set)
            .into_iter()
            .map(|m| (m.importer, m.module, m.name))
            .collect();
    let problems: Vec<Problem> = now
        .into_iter()
        .filter(|m| !was.contains(&(m.importer.clone(), m.module.clone(), m.name.clone())))
        .map(|m| {
            let text = after.text(&m.importer).unwrap_or_default();
            problem(
                &m.importer,
                &text,
                m.line,
                format!(
                    "cannot import name '{}' from '{}' ({} does not define it)",
                    m.name, m.module, m.target
                ),
            )
        })
        .collect();
    Some(status(problems, None))
}

/// The `from … import` failures of `importers` in the state `texts`, counting only
/// imports that involve an edited module (as importer or imported).
fn missing(
    texts: &After,
    files: &BTreeSet<String>,
    importers: &[String],
    edited: &BTreeSet<&str>,
) -> Vec<Missing> {
    let mut defined: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
    let mut out = Vec::new();
    for importer in importers {
        let Some(text) = texts.text(importer) else {
            continue;
        };
        let tree = syntax::parse(Language::Python, &text);
        for import in tree.from_imports() {
            let Some(target) = resolve(files, importer, &import.module) else {
                continue;
            };
            if !edited.contains(importer.as_str()) && !edited.contains(target.as_str()) {
                continue;
            }
            let names = defined.entry(target.clone()).or_insert_with(|| {
                let text = texts.text(&target)?;
                syntax::parse(Language::Python, &text).module_names()
            });
            let Some(names) = names else { continue };
            for (name, line) in &import.names {
                if names.contains(name) || is_submodule(files, &target, name) {
                    continue;
                }
                out.push(Missing {
                    importer: importer.clone(),
                    line: *line,
                    module: import.module.clone(),
                    name: name.clone(),
                    target: target.clone(),
                });
            }
        }
    }
    out.sort();
    out
}

/// The repository file `module` names when imported from `importer`: relative to the
/// importer's package, or from the root, `src/`, or the importer's own directory (a
/// script's siblings). `None` for a module from outside the repository.
fn resolve(files: &BTreeSet<String>, importer: &str, module: &str) -> Option<String> {
    let dir = importer.rsplit_once('/').map_or("", |(d, _)| d);
    let dots = module.len() - module.trim_start_matches('.').len();
    let rest = &module[dots..];
    let bases: Vec<String> = if dots > 0 {
        let mut base = dir.to_string();
        for _ in 1..dots {
            base = base
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_string());
        }
        vec![base]
    } else {
        let mut bases = vec![String::new(), "src".to_string()];
        if !dir.is_empty() && dir != "src" {
            bases.push(dir.to_string());
        }
        bases
    };
    for base in bases {
        let join = |tail: &str| {
            if base.is_empty() {
                tail.to_string()
            } else if tail.is_empty() {
                base.clone()
            } else {
                format!("{base}/{tail}")
            }
        };
        let stem = join(&rest.replace('.', "/"));
        if stem.is_empty() {
            continue;
        }
        for candidate in [format!("{stem}.py"), format!("{stem}/__init__.py")] {
            if files.contains(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

/// Whether `name` is a module of the package whose `__init__.py` is `target`.
fn is_submodule(files: &BTreeSet<String>, target: &str, name: &str) -> bool {
    let Some(package) = target.strip_suffix("__init__.py") else {
        return false;
    };
    let prefix = format!("{package}{name}");
    files.contains(&format!("{prefix}.py"))
        || files.iter().any(|f| f.starts_with(&format!("{prefix}/")))
}

/// A module's last dotted part as a path's file stem (a package's directory name).
fn stem(path: &str) -> &str {
    let path = path.strip_suffix("/__init__.py").unwrap_or(path);
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".py").unwrap_or(name)
}

/// The repository's Python files, tracked or not ignored.
pub(super) fn python_files(root: &Path) -> BTreeSet<String> {
    crate::tools::git::output(
        root,
        &[
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            "--",
            "*.py",
        ],
    )
    .map(|out| out.lines().map(str::to_string).collect())
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let git = |args: &[&str]| {
            let status = std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .status()
                .expect("git runs");
            assert!(status.success());
        };
        git(&["init", "-q"]);
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().expect("parent")).expect("dir");
            std::fs::write(full, text).expect("write");
        }
        git(&["add", "."]);
        dir
    }

    fn failed(status: Option<Status>) -> Vec<Problem> {
        match status {
            Some(Status::Failed { problems }) => problems,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    const ORDERS: &str = "TAX = 0.2\n\n\ndef calc(items):\n    return sum(items) * (1 + TAX)\n";
    const APP: &str = "from shop.orders import calc\n\n\ndef main():\n    print(calc([1, 2]))\n";

    #[test]
    fn a_rename_that_leaves_an_importer_behind_is_caught() {
        let dir = repo(&[
            ("shop/__init__.py", ""),
            ("shop/orders.py", ORDERS),
            ("app.py", APP),
        ]);
        let renamed = ORDERS.replace("def calc", "def subtotal");
        let changes = [Change {
            path: "shop/orders.py",
            before: Some(ORDERS),
            after: Some(&renamed),
        }];
        let problems = failed(imports(dir.path(), &changes));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path.as_deref(), Some("app.py"));
        assert_eq!(problems[0].line, Some(1));
        assert!(
            problems[0]
                .message
                .contains("cannot import name 'calc' from 'shop.orders'"),
            "{}",
            problems[0].message
        );
        // Renaming the importer too is a whole rename.
        let app = APP.replace("calc", "subtotal");
        let both = [
            changes[0],
            Change {
                path: "app.py",
                before: Some(APP),
                after: Some(&app),
            },
        ];
        assert_eq!(
            imports(dir.path(), &both),
            Some(Status::Passed { detail: None })
        );
    }

    #[test]
    fn imports_from_outside_and_submodules_are_not_judged() {
        let dir = repo(&[
            ("pkg/__init__.py", "from .core import run\n"),
            ("pkg/core.py", "def run():\n    pass\n"),
            ("pkg/util.py", "X = 1\n"),
        ]);
        let main =
            "from pkg import util, run\nfrom os.path import nothing_here\nfrom .missing import x\n";
        let changes = [Change {
            path: "main.py",
            before: None,
            after: Some(main),
        }];
        assert_eq!(
            imports(dir.path(), &changes),
            Some(Status::Passed { detail: None })
        );
        let bad = "from pkg.core import walk\n";
        let changes = [Change {
            path: "pkg/cli.py",
            before: None,
            after: Some(bad),
        }];
        let problems = failed(imports(dir.path(), &changes));
        assert!(problems[0].message.contains("'walk'"), "{problems:?}");
    }

    #[test]
    fn an_import_already_broken_is_not_blamed() {
        let dir = repo(&[
            ("a.py", "def f():\n    pass\n"),
            ("b.py", "from a import g\n"),
        ]);
        let after = "def f():\n    return 1\n";
        let changes = [Change {
            path: "a.py",
            before: Some("def f():\n    pass\n"),
            after: Some(after),
        }];
        assert_eq!(
            imports(dir.path(), &changes),
            Some(Status::Passed { detail: None })
        );
    }

    #[test]
    fn a_new_use_of_an_unimported_module_is_caught() {
        let before = "def slug(s):\n    return s.lower()\n";
        let after = "def slug(s):\n    return re.sub(r'\\W+', '-', s.lower())\n";
        let change = Change {
            path: "text.py",
            before: Some(before),
            after: Some(after),
        };
        let problems = failed(names(&[&change]));
        assert_eq!(problems[0].line, Some(2));
        assert!(problems[0].message.contains("'re'"), "{problems:?}");
        let fixed = format!("import re\n\n\n{after}");
        let change = Change {
            after: Some(&fixed),
            ..change
        };
        assert_eq!(names(&[&change]), Some(Status::Passed { detail: None }));
    }

    #[test]
    fn compile_errors_the_parser_accepts_are_found() {
        if python3().is_none() {
            return;
        }
        // tree-sitter parses this; CPython refuses it.
        let after = "def f():\n    pass\n\nreturn 1\n";
        let change = Change {
            path: "a.py",
            before: Some("def f():\n    pass\n"),
            after: Some(after),
        };
        let problems = failed(compile(&[&change]));
        assert_eq!(problems[0].line, Some(4), "{problems:?}");
        assert!(
            problems[0].message.contains("'return' outside function"),
            "{problems:?}"
        );
    }
}
