//! Renames done on the syntax tree, without a model: "rename calc in orders.py to
//! subtotal and update its callers". A rename is mechanical, and small models do it
//! badly (they rewrite the definition and forget an importer, or splice in a copy under
//! the new name); the parser knows every place the name is written, and in what role.
//!
//! Python only. The files changed are the module that defines the name (narrowed to
//! the files the request names, when it names a definer; for a module's constant, the
//! named file that assigns it at module level) and the modules that import it from
//! there. In those, what means the definition changes: its definition, its uses, `from
//! m import name`, `m.name` where `m` is that module, and `__all__`; an attribute of
//! anything else (`d.get`), a keyword argument and strings and comments do not. A method
//! is renamed where it is defined and wherever it is called as an attribute, so only a
//! method whose name nothing else in the repository defines, and no common one. Whatever
//! is not certain (a parameter or local variable of the same name, a module that
//! rebinds it, a new name already in use, a file that does not parse) declines, and the
//! model gets the request.

use std::sync::LazyLock;

use regex::Regex;

use super::workset::{BlockError, Workset};
use crate::map::{FileEntry, Map};
use crate::syntax::{self, ImportOf, Language, Role};

/// One rename a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub old: String,
    pub new: String,
    /// The class or type the renamed member belongs to, when the request says.
    pub parent: Option<String>,
}

/// Why a rename is left to the model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Declined {
    #[error("no Python module of the repository defines {0}")]
    Undefined(String),
    #[error("{name} is already used in {path}, so renaming to it would change what it means")]
    Taken { name: String, path: String },
    #[error("{0} does not parse, so its names cannot be told from its text")]
    Unparsed(String),
    #[error("{0} is not a name Python allows")]
    NotAName(String),
    #[error(
        "{path} also binds {name} as a parameter or local variable (line {line}), which a rename must not touch"
    )]
    Shadowed {
        name: String,
        path: String,
        line: usize,
    },
    #[error(
        "{name} is a common method name, or more than one class defines it, so its calls cannot be told apart"
    )]
    AmbiguousMethod { name: String },
    #[error("renames without a model are done for Python; {0} is not Python")]
    NotPython(String),
    #[error(transparent)]
    File(#[from] BlockError),
}

static RENAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\brename\s+(?:the\s+)?(?:(?:function|method|class|variable|constant|type|struct|field|attribute)\s+)?`?([A-Za-z_]\w*)(?:\(\))?`?((?:\s+(?:of|in|from)\s+(?:the\s+)?(?:class\s+|module\s+|file\s+|type\s+|struct\s+)?`?[\w./-]+`?)*)\s+(?:to|as|into)\s+`?([A-Za-z_]\w*)`?",
    )
    .expect("the rename pattern is a valid regex")
});

/// Every rename the request asks for, old name to new, in order.
pub fn asked(instruction: &str) -> Vec<Rename> {
    RENAME
        .captures_iter(instruction)
        .map(|c| Rename {
            old: c[1].to_string(),
            new: c[3].to_string(),
            parent: parent_of(&c[2]),
        })
        .collect()
}

/// "… of class Person in people.py": the class.
fn parent_of(places: &str) -> Option<String> {
    let words: Vec<&str> = places.split_whitespace().collect();
    words.windows(2).find_map(|w| {
        matches!(
            w[0].to_ascii_lowercase().as_str(),
            "class" | "type" | "struct"
        )
        .then(|| w[1].trim_matches('`').to_string())
    })
}

/// The renames, when renaming (and updating what uses the names) is all the request
/// asks: `None` when it asks anything more, which is the model's work.
pub fn only(instruction: &str) -> Option<Vec<Rename>> {
    // Words that say where the rename reaches, and nothing more: "… and update its
    // callers", "… every use of it". A verb of its own ("fix", "change") asks for more.
    const FILLER: &[&str] = &[
        "in",
        "and",
        "update",
        "updating",
        "its",
        "their",
        "callers",
        "caller",
        "every",
        "all",
        "use",
        "uses",
        "usages",
        "usage",
        "of",
        "it",
        "the",
        "references",
        "reference",
        "call",
        "calls",
        "sites",
        "site",
        "everywhere",
        "accordingly",
        "too",
        "also",
        "please",
        "them",
        "file",
        "files",
        "imports",
        "import",
        "importers",
        "where",
        "used",
        "is",
        "are",
        "then",
        "as",
        "well",
        "across",
        "codebase",
        "places",
        "place",
        "other",
        "modules",
        "module",
        "rest",
        "repo",
        "repository",
        "project",
        "which",
        "instances",
        "occurrences",
        "mentions",
    ];
    let renames = asked(instruction);
    if renames.is_empty() {
        return None;
    }
    let rest = RENAME.replace_all(instruction, " ");
    let pure = rest
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '!' | '`'))
        .map(|w| w.trim_end_matches(['.', '?']))
        .filter(|w| !w.is_empty())
        .all(|w| {
            crate::route::text::is_path_like(w) || FILLER.contains(&w.to_ascii_lowercase().as_str())
        });
    pure.then_some(renames)
}

/// Carries out `renames` in `workset`, on the files of `map` that define and use the
/// names. Returns a line per rename saying where it was done; nothing is changed in
/// the workset when it declines.
pub fn apply(
    workset: &mut Workset,
    map: &Map,
    renames: &[Rename],
) -> Result<Vec<String>, Declined> {
    let mut edits: Vec<(String, String)> = Vec::new();
    let mut notes = Vec::new();
    for rename in renames {
        check_name(&rename.new)?;
        let mut changed = Vec::new();
        for (path, text) in renamed_files(workset, map, rename, &edits)? {
            edits.retain(|(p, _)| *p != path);
            changed.push(path.clone());
            edits.push((path, text));
        }
        notes.push(format!(
            "renamed {} to {} in {} on the syntax tree, without a model (strings and comments that mention {} are left as they are)",
            rename.old,
            rename.new,
            changed.join(", "),
            rename.old
        ));
    }
    for (path, text) in edits {
        workset.replace(&path, text)?;
    }
    Ok(notes)
}

/// A file of the rename: its module name and text, parsed.
struct Source {
    path: String,
    module: String,
    text: String,
}

/// The new text of every file one rename changes.
fn renamed_files(
    workset: &mut Workset,
    map: &Map,
    rename: &Rename,
    earlier: &[(String, String)],
) -> Result<Vec<(String, String)>, Declined> {
    let targets = workset.targets.clone();
    let mut read = |path: &str| -> Result<Option<Source>, Declined> {
        if Language::from_path(path) != Some(Language::Python) {
            return Ok(None);
        }
        let Some(module) = super::imports::module_name(path) else {
            return Ok(None);
        };
        let text = match earlier.iter().rev().find(|(p, _)| p == path) {
            Some((_, text)) => text.clone(),
            None => match workset.text(path)? {
                Some(text) => text.to_string(),
                None => return Ok(None),
            },
        };
        Ok(Some(Source {
            path: path.to_string(),
            module,
            text,
        }))
    };
    let definers = definers(map, &targets, rename, &mut read)?;
    let method = rename.parent.is_some();
    if method && !plain_method(map, &rename.old) {
        return Err(Declined::AmbiguousMethod {
            name: rename.old.clone(),
        });
    }
    let mut out = Vec::new();
    for definer in &definers {
        out.push((
            definer.path.clone(),
            rename_in(definer, rename, &Place::Definer)?,
        ));
    }
    // The modules whose attribute the name is: its definers, then every module that
    // imports it by name and so re-exports it (`from ._result import HookCallError` in
    // a package's `__init__`), until no more are found.
    let mut modules: Vec<String> = definers.iter().map(|d| d.module.clone()).collect();
    let mut done: Vec<String> = definers.iter().map(|d| d.path.clone()).collect();
    loop {
        let mut grew = false;
        let stems: Vec<String> = modules
            .iter()
            .map(|m| m.rsplit('.').next().unwrap_or(m).to_string())
            .collect();
        for file in &map.files {
            let mentions =
                file.references.contains(&rename.old) || file.imports.contains(&rename.old);
            // A method's calls are attributes of objects of any origin: every module
            // that writes its (unique, uncommon) name is read. A module-level name is
            // reached only through an import of it or of its module.
            let reaches = method
                || targets.contains(&file.path)
                || file
                    .imports
                    .iter()
                    .any(|i| *i == rename.old || stems.contains(i));
            if done.contains(&file.path) || !mentions || !reaches {
                continue;
            }
            let Some(source) = read(&file.path)? else {
                continue;
            };
            let place = if method {
                Place::Importer {
                    by_name: false,
                    objects: Vec::new(),
                }
            } else {
                let tree = syntax::parse(Language::Python, &source.text);
                let modules: Vec<&str> = modules.iter().map(String::as_str).collect();
                importer(&tree, &source.path, &source.module, &modules, &rename.old)
            };
            let Place::Importer { by_name, .. } = place else {
                continue;
            };
            done.push(source.path.clone());
            grew = true;
            if by_name && !method {
                modules.push(source.module.clone());
            }
            let text = rename_in(&source, rename, &place)?;
            if text != source.text {
                out.push((source.path.clone(), text));
            }
        }
        if !grew {
            break;
        }
    }
    Ok(out)
}

/// The modules that define the renamed name.
fn definers(
    map: &Map,
    targets: &[String],
    rename: &Rename,
    read: &mut dyn FnMut(&str) -> Result<Option<Source>, Declined>,
) -> Result<Vec<Source>, Declined> {
    let defines = |f: &FileEntry| {
        f.definitions.iter().any(|d| {
            d.name == rename.old
                && rename
                    .parent
                    .as_ref()
                    .is_none_or(|p| d.parent.as_deref() == Some(p.as_str()))
        })
    };
    let mut paths: Vec<&str> = map
        .files
        .iter()
        .filter(|f| defines(f))
        .map(|f| f.path.as_str())
        .collect();
    if paths.iter().any(|p| targets.iter().any(|t| t == p)) {
        paths.retain(|p| targets.iter().any(|t| t == p));
    }
    let mut out = Vec::new();
    for path in &paths {
        match read(path)? {
            Some(source) => out.push(source),
            None => return Err(Declined::NotPython((*path).to_string())),
        }
    }
    if out.is_empty() && rename.parent.is_none() {
        // A module's constant (`TIMEOUT = 30`) is no definition the map lists: a file
        // the request names that assigns it at module level stands for its definer.
        for target in targets {
            let Some(source) = read(target)? else {
                continue;
            };
            let tree = syntax::parse(Language::Python, &source.text);
            let assigned = tree
                .python_occurrences(&rename.old)
                .is_some_and(|o| o.iter().any(|o| o.role == Role::ModuleBinding));
            if assigned {
                out.push(source);
            }
        }
    }
    if out.is_empty() {
        return Err(Declined::Undefined(rename.old.clone()));
    }
    Ok(out)
}

/// A method rename changes every call written as an attribute, so the name must be one
/// only the class defines, and not one every library has.
fn plain_method(map: &Map, name: &str) -> bool {
    const COMMON: &[&str] = &[
        "get",
        "set",
        "put",
        "post",
        "delete",
        "update",
        "pop",
        "push",
        "append",
        "extend",
        "add",
        "remove",
        "insert",
        "clear",
        "copy",
        "keys",
        "values",
        "items",
        "read",
        "write",
        "close",
        "open",
        "run",
        "start",
        "stop",
        "join",
        "split",
        "format",
        "count",
        "index",
        "sort",
        "find",
        "replace",
        "strip",
        "encode",
        "decode",
        "send",
        "recv",
        "load",
        "loads",
        "dump",
        "dumps",
        "save",
        "parse",
        "render",
        "call",
        "apply",
        "next",
        "reset",
        "flush",
        "seek",
        "fetch",
        "execute",
        "connect",
        "match",
        "search",
        "sub",
        "lower",
        "upper",
        "discard",
        "setdefault",
        "process",
        "handle",
        "init",
        "setup",
        "main",
        "test",
        "check",
        "validate",
        "to_dict",
        "from_dict",
        "name",
        "id",
        "value",
    ];
    !COMMON.contains(&name) && map.definitions_of(name).count() == 1
}

/// How a file that is not the definer refers to it.
enum Place {
    Definer,
    /// Imports the name itself (`from m import name`, unaliased: its uses are the
    /// definition's), and reaches the module as the objects listed (`m.name`).
    Importer {
        by_name: bool,
        objects: Vec<String>,
    },
    Unrelated,
}

/// How `tree` (the file `path`, module `module`) imports from `modules`.
fn importer(tree: &syntax::Tree, path: &str, module: &str, modules: &[&str], name: &str) -> Place {
    // Relative imports start from the file's package: a package's `__init__` is its
    // own package, any other module's is the one around it.
    let package = if path.ends_with("__init__.py") {
        module.to_string()
    } else {
        module.rsplit_once('.').map_or("", |(p, _)| p).to_string()
    };
    let mut by_name = false;
    let mut objects = Vec::new();
    for import in tree.python_imports() {
        match import {
            ImportOf::Module { module: m, alias } => {
                if modules.contains(&m.as_str()) {
                    objects.push(alias.unwrap_or(m));
                }
            }
            ImportOf::Name {
                module: from,
                name: imported,
                alias,
            } => {
                let Some(from) = absolute(&from, &package) else {
                    continue;
                };
                if modules.contains(&from.as_str()) && imported == name {
                    by_name |= alias.is_none();
                }
                let whole = format!("{from}.{imported}");
                if modules.contains(&whole.as_str()) {
                    objects.push(alias.unwrap_or(imported));
                }
            }
        }
    }
    if by_name || !objects.is_empty() {
        Place::Importer { by_name, objects }
    } else {
        Place::Unrelated
    }
}

/// A `from` module as an absolute name, relative to `package`: `.orders` in package
/// `shop` is `shop.orders`, `..util` in `a.b` is `a.util`.
fn absolute(from: &str, package: &str) -> Option<String> {
    let dots = from.chars().take_while(|c| *c == '.').count();
    if dots == 0 {
        return Some(from.to_string());
    }
    let mut parts: Vec<&str> = package.split('.').filter(|p| !p.is_empty()).collect();
    for _ in 1..dots {
        parts.pop()?;
    }
    let rest = &from[dots..];
    if !rest.is_empty() {
        parts.push(rest);
    }
    Some(parts.join("."))
}

/// The file's text with what means the renamed definition renamed.
fn rename_in(source: &Source, rename: &Rename, place: &Place) -> Result<String, Declined> {
    let tree = syntax::parse(Language::Python, &source.text);
    let occurrences = tree
        .python_occurrences(&rename.old)
        .ok_or_else(|| Declined::Unparsed(source.path.clone()))?;
    let taken = tree
        .python_occurrences(&rename.new)
        .is_none_or(|o| !o.is_empty());
    if taken {
        return Err(Declined::Taken {
            name: rename.new.clone(),
            path: source.path.clone(),
        });
    }
    let shadowed = |at: usize| Declined::Shadowed {
        name: rename.old.clone(),
        path: source.path.clone(),
        line: source.text[..at].matches('\n').count() + 1,
    };
    let method = rename.parent.is_some();
    let mut ranges = Vec::new();
    for occurrence in occurrences {
        let change = match (&occurrence.role, place) {
            (Role::Definition { top_level, class }, Place::Definer) => {
                if method {
                    class.as_deref() == rename.parent.as_deref()
                } else {
                    *top_level
                }
            }
            (Role::Definition { top_level, .. }, _) => {
                if !method && *top_level {
                    return Err(shadowed(occurrence.bytes.start));
                }
                false
            }
            (Role::Attribute { .. }, _) if method => true,
            (Role::Attribute { object }, Place::Importer { objects, .. }) => {
                objects.contains(object)
            }
            (Role::Attribute { .. } | Role::Keyword, _) => false,
            (_, _) if method => false,
            (Role::LocalBinding, _) => return Err(shadowed(occurrence.bytes.start)),
            (Role::ModuleBinding, Place::Definer) => true,
            (Role::ModuleBinding, _) => return Err(shadowed(occurrence.bytes.start)),
            (Role::Import, Place::Definer) => return Err(shadowed(occurrence.bytes.start)),
            (Role::Import | Role::Use | Role::Exported, Place::Importer { by_name, .. }) => {
                *by_name
            }
            (Role::Use | Role::Exported, Place::Definer) => true,
            (_, Place::Unrelated) => false,
        };
        if change {
            ranges.push(occurrence.bytes);
        }
    }
    let mut out = source.text.clone();
    for range in ranges.into_iter().rev() {
        out.replace_range(range, &rename.new);
    }
    if syntax::parse(Language::Python, &out).has_errors() {
        return Err(Declined::Unparsed(source.path.clone()));
    }
    Ok(out)
}

/// Refuses a new name that is no Python identifier, or a keyword.
fn check_name(name: &str) -> Result<(), Declined> {
    const KEYWORDS: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield", "match", "case", "type",
    ];
    let identifier = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if !identifier || KEYWORDS.contains(&name) {
        return Err(Declined::NotAName(name.to_string()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rename(old: &str, new: &str) -> Rename {
        Rename {
            old: old.into(),
            new: new.into(),
            parent: None,
        }
    }

    #[test]
    fn renames_are_read_from_the_request() {
        assert_eq!(
            asked("in orders.py, rename the function `calc()` to `subtotal` and update its caller"),
            [rename("calc", "subtotal")]
        );
        assert_eq!(
            asked("rename the method get_name of class Person in people.py to full_name"),
            [Rename {
                parent: Some("Person".into()),
                ..rename("get_name", "full_name")
            }]
        );
        assert!(asked("add a rename button").is_empty());
    }

    #[test]
    fn only_a_request_that_asks_nothing_but_renames_is_one() {
        for pure in [
            "in shop/orders.py, rename the function calc to subtotal and update its callers",
            "rename the class Usr in models.py to User, and update every use of it",
            "rename the constant TIMEOUT in config.py to DEFAULT_TIMEOUT and update client.py",
            "rename load_cfg to load_config everywhere.",
        ] {
            assert!(only(pure).is_some(), "{pure}");
        }
        for more in [
            "rename calc to subtotal and make it round to cents",
            "rename calc to subtotal and add a docstring",
            "add a rename command to cli.py",
            "rename calc to subtotal and change app.py",
            "rename calc to subtotal and fix it",
            "rename calc to subtotal and fix everything",
            "rename calc to subtotal and fix this",
        ] {
            assert!(only(more).is_none(), "{more}");
        }
    }

    fn source(path: &str, text: &str) -> Source {
        Source {
            path: path.into(),
            module: super::super::imports::module_name(path).unwrap(),
            text: text.into(),
        }
    }

    fn importer_of(text: &str, path: &str, modules: &[&str], name: &str) -> Place {
        let module = super::super::imports::module_name(path).unwrap();
        importer(
            &syntax::parse(Language::Python, text),
            path,
            &module,
            modules,
            name,
        )
    }

    #[test]
    fn what_means_the_definition_changes_and_nothing_else() {
        let calc = rename("calc", "subtotal");
        let definer = "__all__ = ['calc']\n\n\ndef calc(items):\n    \"\"\"calc: the sum.\"\"\"\n    return sum(items)\n\n\nclass Cart:\n    def calc(self):\n        return self.calc\n\n\nTOTAL = calc([1]) + json.dumps({}, calc=1).calc\n";
        assert_eq!(
            rename_in(&source("shop/orders.py", definer), &calc, &Place::Definer).unwrap(),
            "__all__ = ['subtotal']\n\n\ndef subtotal(items):\n    \"\"\"calc: the sum.\"\"\"\n    return sum(items)\n\n\nclass Cart:\n    def calc(self):\n        return self.calc\n\n\nTOTAL = subtotal([1]) + json.dumps({}, calc=1).calc\n"
        );
        let user = "import requests\nimport shop.orders as o\nfrom shop.orders import calc\n\n# calc\nprint(calc(2), o.calc(3), requests.calc, 'calc')\n";
        let place = importer_of(user, "app.py", &["shop.orders"], "calc");
        assert_eq!(
            rename_in(&source("app.py", user), &calc, &place).unwrap(),
            "import requests\nimport shop.orders as o\nfrom shop.orders import subtotal\n\n# calc\nprint(subtotal(2), o.subtotal(3), requests.calc, 'calc')\n"
        );
        // Imported under another name, the file's own `calc` is something else.
        let aliased = "from shop.orders import calc as c\n\nprint(c(1))\n";
        let place = importer_of(aliased, "app.py", &["shop.orders"], "calc");
        assert_eq!(
            rename_in(&source("app.py", aliased), &calc, &place).unwrap(),
            aliased
        );
    }

    #[test]
    fn a_file_that_does_not_parse_or_a_taken_name_declines() {
        let calc = rename("calc", "subtotal");
        let broken = "def calc(items:\n    return 1\n";
        assert!(matches!(
            rename_in(&source("orders.py", broken), &calc, &Place::Definer),
            Err(Declined::Unparsed(_))
        ));
        let taken = "def calc():\n    return subtotal\n";
        assert!(matches!(
            rename_in(&source("orders.py", taken), &calc, &Place::Definer),
            Err(Declined::Taken { .. })
        ));
    }

    #[test]
    fn a_parameter_or_local_of_the_same_name_declines() {
        let calc = rename("calc", "subtotal");
        let user = "from shop.orders import calc\n\n\ndef f(calc):\n    return calc\n";
        let place = importer_of(user, "app.py", &["shop.orders"], "calc");
        assert!(matches!(
            rename_in(&source("app.py", user), &calc, &place),
            Err(Declined::Shadowed { line: 4, .. })
        ));
    }

    #[test]
    fn relative_imports_are_read_from_their_package() {
        let user = "from .orders import calc\n";
        assert!(matches!(
            importer_of(user, "shop/cart.py", &["shop.orders"], "calc"),
            Place::Importer { by_name: true, .. }
        ));
        assert!(matches!(
            importer_of(user, "shop/__init__.py", &["shop.orders"], "calc"),
            Place::Importer { by_name: true, .. }
        ));
        assert_eq!(absolute(".orders", "shop").as_deref(), Some("shop.orders"));
        assert_eq!(absolute("..util", "a.b").as_deref(), Some("a.util"));
        assert_eq!(absolute(".", "shop").as_deref(), Some("shop"));
        assert_eq!(absolute("shop.orders", "x").as_deref(), Some("shop.orders"));
    }

    #[test]
    fn keywords_and_non_identifiers_are_refused_as_new_names() {
        assert!(check_name("class").is_err());
        assert!(check_name("two words").is_err());
        assert!(check_name("1st").is_err());
        assert!(check_name("full_name").is_ok());
    }
}
