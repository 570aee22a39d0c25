//! Mending a patch that uses a name it never imports, when the repository says where
//! the name lives: a Python file calling `is_even`, which exactly one module of the
//! repository defines at its top level, gets `from mathx import is_even` — no model
//! call, and the checks run again on the result. Anything less certain (no module or
//! several define the name) is left to the model, with the checks' error.

use std::collections::BTreeMap;

use super::Patch;
use crate::map::{FileEntry, Map, Stamp};
use crate::syntax::DefinitionKind;

/// One file's text with the imports it lacked, and what was added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mended {
    pub path: String,
    pub text: String,
    /// `added “from mathx import is_even” to test_mathx.py (mathx.py defines it)`.
    pub note: String,
}

/// The imports a patch's Python files lack, for the names `undefined` lists (path,
/// name) that exactly one other module defines at its top level — in the patch as
/// edited, else in the map of the repository.
pub fn missing(map: &Map, patch: &Patch, undefined: &[(&str, &str)]) -> Vec<Mended> {
    // The patch's own files as edited: a definition added in this very patch counts.
    let edited: Vec<FileEntry> = patch
        .changes
        .iter()
        .filter(|c| c.path.ends_with(".py"))
        .map(|c| crate::map::entry(&c.path, Stamp::default(), Some(&c.new_text)))
        .collect();
    let modules = || {
        let in_map = map
            .files
            .iter()
            .filter(|f| !edited.iter().any(|e| e.path == f.path));
        edited.iter().chain(in_map)
    };
    let mut wanted: BTreeMap<&str, BTreeMap<String, Vec<&str>>> = BTreeMap::new();
    let mut sources: BTreeMap<(&str, String), String> = BTreeMap::new();
    for &(path, name) in undefined {
        if !path.ends_with(".py") {
            continue;
        }
        let homes: Vec<&FileEntry> = modules()
            .filter(|f| f.path != path && f.path.ends_with(".py"))
            .filter(|f| {
                f.definitions.iter().any(|d| {
                    d.name == name
                        && d.parent.is_none()
                        && matches!(d.kind, DefinitionKind::Function | DefinitionKind::Class)
                })
            })
            .collect();
        let [home] = homes.as_slice() else { continue };
        let Some(module) = module_name(&home.path) else {
            continue;
        };
        let names = wanted
            .entry(path)
            .or_default()
            .entry(module.clone())
            .or_default();
        if !names.contains(&name) {
            names.push(name);
        }
        sources.insert((path, module), home.path.clone());
    }
    let mut out = Vec::new();
    for (path, imports) in wanted {
        let Some(change) = patch.changes.iter().find(|c| c.path == path) else {
            continue;
        };
        let lines: Vec<String> = imports
            .iter()
            .map(|(module, names)| format!("from {module} import {}", names.join(", ")))
            .collect();
        let whence: Vec<String> = imports
            .keys()
            .map(|module| {
                let file = &sources[&(path, module.clone())];
                format!("{file} defines {}", imports[module].join(", "))
            })
            .collect();
        out.push(Mended {
            path: path.to_string(),
            text: with_imports(&change.new_text, &lines),
            note: format!(
                "added “{}” to {path} ({})",
                lines.join("; "),
                whence.join("; ")
            ),
        });
    }
    out
}

/// The module a repository path imports as: `pkg/util.py` → `pkg.util`,
/// `pkg/__init__.py` → `pkg`, `src/pkg/util.py` → `pkg.util` (the src layout). `None`
/// for a path that is no importable name.
pub(super) fn module_name(path: &str) -> Option<String> {
    let stem = path.strip_suffix(".py")?;
    let stem = stem.strip_prefix("src/").unwrap_or(stem);
    let mut parts: Vec<&str> = stem.split('/').collect();
    if parts.last() == Some(&"__init__") {
        parts.pop();
    }
    let identifier = |p: &&str| {
        p.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && p.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    (!parts.is_empty() && parts.iter().all(identifier)).then(|| parts.join("."))
}

/// `text` with `imports` added after its leading imports (or, with none, after its
/// opening comments and docstring).
fn with_imports(text: &str, imports: &[String]) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut at = 0;
    let mut after_imports = None;
    let mut open_parens = 0i32;
    let mut in_docstring: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if let Some(quote) = in_docstring {
            if trimmed.contains(quote) {
                in_docstring = None;
                at = i + 1;
            }
            continue;
        }
        if open_parens > 0 {
            open_parens += paren_balance(trimmed);
            if open_parens <= 0 {
                after_imports = Some(i + 1);
            }
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            if after_imports.is_none() {
                at = i + 1;
            }
            continue;
        }
        let top_level = !line.starts_with([' ', '\t']);
        if top_level && (trimmed.starts_with("import ") || trimmed.starts_with("from ")) {
            open_parens = paren_balance(trimmed).max(0);
            if open_parens == 0 {
                after_imports = Some(i + 1);
            }
            continue;
        }
        let quote = ["\"\"\"", "'''"]
            .into_iter()
            .find(|q| trimmed.starts_with(q));
        if let (Some(quote), None, true) = (quote, after_imports, at == i) {
            // A module docstring, on one line or several.
            if trimmed.len() >= 6 && trimmed[3..].contains(quote) {
                at = i + 1;
            } else {
                in_docstring = Some(quote);
            }
            continue;
        }
        break;
    }
    let (at, blank_after) = match after_imports {
        Some(at) => (at, false),
        None => (at, lines.get(at).is_some_and(|l| !l.trim().is_empty())),
    };
    let mut out = String::with_capacity(text.len() + 64);
    for line in &lines[..at] {
        out.push_str(line);
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    for import in imports {
        out.push_str(import);
        out.push('\n');
    }
    if blank_after {
        out.push_str("\n\n");
    }
    for line in &lines[at..] {
        out.push_str(line);
    }
    out
}

fn paren_balance(line: &str) -> i32 {
    line.chars().fold(0, |n, c| match c {
        '(' => n + 1,
        ')' => n - 1,
        _ => n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::patch::FileChange;

    fn change(path: &str, before: Option<&str>, after: &str) -> FileChange {
        FileChange {
            path: path.into(),
            full: path.into(),
            before: before.map(|b| b.as_bytes().to_vec()),
            after: after.as_bytes().to_vec(),
            old_text: before.unwrap_or_default().into(),
            new_text: after.into(),
        }
    }

    fn map_of(files: &[(&str, &str)]) -> Map {
        Map {
            files: files
                .iter()
                .map(|(path, text)| crate::map::entry(path, Stamp::default(), Some(text)))
                .collect(),
        }
    }

    const TEST: &str = "def test_is_even():\n    assert is_even(4)\n    assert not is_even(7)\n";

    #[test]
    fn a_name_one_module_defines_is_imported_from_it() {
        let map = map_of(&[
            (
                "mathx.py",
                "def square(x):\n    return x * x\n\n\ndef is_even(n):\n    return n % 2 == 0\n",
            ),
            ("README.md", "# is_even\n"),
        ]);
        let patch = Patch {
            changes: vec![change("test_mathx.py", None, TEST)],
        };
        let mended = missing(&map, &patch, &[("test_mathx.py", "is_even")]);
        assert_eq!(mended.len(), 1);
        assert_eq!(
            mended[0].text,
            format!("from mathx import is_even\n\n\n{TEST}")
        );
        assert!(
            mended[0].note.contains("mathx.py defines is_even"),
            "{}",
            mended[0].note
        );
    }

    #[test]
    fn a_definition_added_in_the_same_patch_counts_and_packages_import_by_dotted_name() {
        let map = map_of(&[
            ("pkg/__init__.py", ""),
            ("pkg/stats.py", "def mean(v):\n    return 0\n"),
        ]);
        let patch = Patch {
            changes: vec![
                change(
                    "pkg/stats.py",
                    Some("def mean(v):\n    return 0\n"),
                    "def mean(v):\n    return 0\n\n\ndef median(v):\n    return 1\n",
                ),
                change(
                    "app.py",
                    Some("\"\"\"The app.\"\"\"\nimport os\n\nprint(os.sep)\n"),
                    "\"\"\"The app.\"\"\"\nimport os\n\nprint(os.sep, mean([1]), median([2]))\n",
                ),
            ],
        };
        let mended = missing(&map, &patch, &[("app.py", "mean"), ("app.py", "median")]);
        assert_eq!(mended.len(), 1);
        assert_eq!(
            mended[0].text,
            "\"\"\"The app.\"\"\"\nimport os\nfrom pkg.stats import mean, median\n\nprint(os.sep, mean([1]), median([2]))\n"
        );
    }

    #[test]
    fn a_name_no_module_or_several_modules_define_is_left_to_the_model() {
        let map = map_of(&[
            ("a.py", "def helper():\n    pass\n"),
            ("b.py", "def helper():\n    pass\n"),
            ("c.py", "class Box:\n    def is_even(self):\n        pass\n"),
        ]);
        let patch = Patch {
            changes: vec![change(
                "t.py",
                None,
                "helper()\nre.sub('a', 'b', 'c')\nis_even(2)\n",
            )],
        };
        let undefined = [("t.py", "helper"), ("t.py", "re"), ("t.py", "is_even")];
        assert!(missing(&map, &patch, &undefined).is_empty());
    }

    #[test]
    fn imports_go_after_the_header_however_it_is_written() {
        let imports = ["from m import f".to_string()];
        // Parenthesised imports, comments and a shebang.
        let text = "#!/usr/bin/env python3\n# a tool\nfrom x import (\n    a,\n    b,\n)\nimport y\n\n\ndef main():\n    import z\n    f()\n";
        assert_eq!(
            with_imports(text, &imports),
            "#!/usr/bin/env python3\n# a tool\nfrom x import (\n    a,\n    b,\n)\nimport y\nfrom m import f\n\n\ndef main():\n    import z\n    f()\n"
        );
        // A docstring over several lines and no imports.
        let text = "\"\"\"Tools.\n\nMore.\n\"\"\"\nf()\n";
        assert_eq!(
            with_imports(text, &imports),
            "\"\"\"Tools.\n\nMore.\n\"\"\"\nfrom m import f\n\n\nf()\n"
        );
        assert_eq!(with_imports("", &imports), "from m import f\n");
    }

    #[test]
    fn module_names_follow_python_packages() {
        assert_eq!(module_name("mathx.py").as_deref(), Some("mathx"));
        assert_eq!(module_name("src/pkg/util.py").as_deref(), Some("pkg.util"));
        assert_eq!(module_name("pkg/__init__.py").as_deref(), Some("pkg"));
        assert_eq!(module_name("my-tool/x.py"), None);
        assert_eq!(module_name("2fast.py"), None);
    }
}
