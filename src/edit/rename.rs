//! Renames done on the syntax tree, without a model: "rename calc in orders.py to
//! subtotal and update its callers". A rename is mechanical, and small models do it
//! badly (they rewrite the definition and forget an importer, or splice in a copy under
//! the new name); the parser knows every place the name is written.
//!
//! The files changed are the ones that define the name (narrowed to the files the
//! request names, when it names a definer; for a module's constant or variable, the
//! named files that use it) and the ones that use it from them: a file
//! of the same language that uses the name and imports it or its module, or that the
//! request names. Strings and comments are left alone. Whatever this cannot do with
//! certainty (no file defines the name, the new name is taken, a file does not parse
//! before or after) it declines, and the model gets the request.

use std::sync::LazyLock;

use regex::Regex;

use super::workset::{BlockError, Workset};
use crate::map::{FileEntry, Map};
use crate::syntax::{self, Language};

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
    #[error("no file of the repository defines {0}")]
    Undefined(String),
    #[error("{name} is already used in {path}, so renaming to it would change what it means")]
    Taken { name: String, path: String },
    #[error("{0} does not parse, so its names cannot be told from its text")]
    Unparsed(String),
    #[error("{0} is not a name {1} allows")]
    NotAName(String, &'static str),
    #[error("{0}")]
    File(String),
}

impl From<BlockError> for Declined {
    fn from(e: BlockError) -> Self {
        Declined::File(e.to_string())
    }
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
        "that",
        "this",
        "fix",
        "change",
        "adjust",
        "everything",
        "which",
        "uses",
        "instances",
        "occurrences",
        "mentions",
        "usages",
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
        let files = affected(map, &workset.targets, rename)?;
        for path in &files {
            let language =
                Language::from_path(path).ok_or_else(|| Declined::Unparsed(path.clone()))?;
            check_name(&rename.new, language)?;
            let current = edits
                .iter()
                .rev()
                .find(|(p, _)| p == path)
                .map(|(_, t)| t.clone());
            let text = match current {
                Some(text) => text,
                None => workset
                    .text(path)?
                    .ok_or_else(|| Declined::File(format!("{path} is gone")))?
                    .to_string(),
            };
            let renamed = rename_in(path, language, &text, rename)?;
            edits.push((path.clone(), renamed));
        }
        notes.push(format!(
            "renamed {} to {} in {} on the syntax tree, without a model (strings and comments that mention {} are left as they are)",
            rename.old,
            rename.new,
            files.join(", "),
            rename.old
        ));
    }
    for (path, text) in edits {
        workset.replace(&path, text)?;
    }
    Ok(notes)
}

/// The files a rename changes: its definers, then the files that use the name from
/// them.
fn affected(map: &Map, targets: &[String], rename: &Rename) -> Result<Vec<String>, Declined> {
    let defines = |f: &FileEntry| {
        f.definitions.iter().any(|d| {
            d.name == rename.old
                && rename
                    .parent
                    .as_ref()
                    .is_none_or(|p| d.parent.as_deref() == Some(p.as_str()))
        })
    };
    let mut definers: Vec<&FileEntry> = map.files.iter().filter(|f| defines(f)).collect();
    if definers.iter().any(|f| targets.contains(&f.path)) {
        definers.retain(|f| targets.contains(&f.path));
    }
    if definers.is_empty() && rename.parent.is_none() {
        // A module constant or variable (`TIMEOUT = 30`) is no definition the map
        // lists; a file the request names that binds it stands for its definer.
        definers = map
            .files
            .iter()
            .filter(|f| targets.contains(&f.path) && f.references.contains(&rename.old))
            .collect();
    }
    if definers.is_empty() {
        return Err(Declined::Undefined(rename.old.clone()));
    }
    let stems: Vec<&str> = definers.iter().map(|f| module_of(&f.path)).collect();
    let languages: Vec<Option<Language>> = definers
        .iter()
        .map(|f| Language::from_path(&f.path))
        .collect();
    let users = map.files.iter().filter(|f| {
        !definers.iter().any(|d| d.path == f.path)
            && languages.contains(&Language::from_path(&f.path))
            && f.references.contains(&rename.old)
            && (targets.contains(&f.path)
                || f.imports
                    .iter()
                    .any(|i| *i == rename.old || stems.contains(&i.as_str())))
    });
    let files: Vec<&FileEntry> = definers.iter().copied().chain(users).collect();
    for file in &files {
        let taken = file.definitions.iter().any(|d| d.name == rename.new)
            || file.references.contains(&rename.new);
        if taken {
            return Err(Declined::Taken {
                name: rename.new.clone(),
                path: file.path.clone(),
            });
        }
    }
    Ok(files.into_iter().map(|f| f.path.clone()).collect())
}

/// The name a file is imported by: `shop/orders.py` → `orders`.
fn module_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split('.').next().unwrap_or(name)
}

/// `text` with every identifier `old` written as `new`.
fn rename_in(
    path: &str,
    language: Language,
    text: &str,
    rename: &Rename,
) -> Result<String, Declined> {
    let tree = syntax::parse(language, text);
    if tree.has_errors() {
        return Err(Declined::Unparsed(path.to_string()));
    }
    let mut out = text.to_string();
    for range in tree.occurrences(&rename.old).into_iter().rev() {
        out.replace_range(range, &rename.new);
    }
    if syntax::parse(language, &out).has_errors() {
        return Err(Declined::Unparsed(path.to_string()));
    }
    Ok(out)
}

/// Refuses a new name that is no identifier, or a keyword, of the language.
fn check_name(name: &str, language: Language) -> Result<(), Declined> {
    const PYTHON: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    ];
    const RUST: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
        "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
        "true", "type", "unsafe", "use", "where", "while",
    ];
    let keyword = match language {
        Language::Python => PYTHON.contains(&name),
        Language::Rust => RUST.contains(&name),
        _ => false,
    };
    // Whether the language reads it as one identifier, keywords aside.
    let parsed = match language {
        Language::Python => format!("{name} = 1\n"),
        Language::Rust => format!("fn {name}() {{}}\n"),
        _ => format!("{name};\n"),
    };
    if keyword || syntax::parse(language, &parsed).has_errors() {
        return Err(Declined::NotAName(name.to_string(), language.name()));
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
        ] {
            assert!(only(more).is_none(), "{more}");
        }
    }

    #[test]
    fn identifiers_change_and_strings_and_comments_do_not() {
        let text =
            "from shop.orders import calc\n\n# calc is old\nprint(calc(2), 'calc', calculate)\n";
        let out = rename_in(
            "app.py",
            Language::Python,
            text,
            &rename("calc", "subtotal"),
        )
        .unwrap();
        assert_eq!(
            out,
            "from shop.orders import subtotal\n\n# calc is old\nprint(subtotal(2), 'calc', calculate)\n"
        );
    }

    #[test]
    fn keywords_and_non_identifiers_are_refused_as_new_names() {
        assert!(check_name("class", Language::Python).is_err());
        assert!(check_name("two words", Language::Python).is_err());
        assert!(check_name("fn", Language::Rust).is_err());
        assert!(check_name("full_name", Language::Python).is_ok());
        assert!(check_name("full_name", Language::Rust).is_ok());
    }
}
