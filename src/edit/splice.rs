//! Whole definitions spliced into a file by name: the model rewrites only the functions
//! or classes it changes, and each replaces the definition of the same name (at any
//! depth, re-indented to fit). New definitions are appended, new imports join the
//! imports, and a class the model shortened keeps the members it left out. Works on
//! indentation, so it serves Python and brace languages formatted the usual way.

use std::sync::LazyLock;

use regex::Regex;

/// What a splice did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spliced {
    pub text: String,
    pub replaced: Vec<String>,
    pub added: Vec<String>,
    /// Top-level statements of the reply that are not definitions, left out.
    pub ignored: usize,
}

/// Why definitions could not be spliced in.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SpliceError {
    #[error("the reply holds no definitions to splice in")]
    Nothing,
    #[error(
        "`{0}` is defined more than once in the file: say which one, or reply with SEARCH/REPLACE blocks"
    )]
    Ambiguous(String),
    #[error(
        "`{0}` is indented like a member, but the file has no definition of that name to replace; reply with its whole class"
    )]
    Orphan(String),
}

static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(?:pub(?:\([^)]*\))?|export|default|async|static|public|private|protected|abstract|final|unsafe|extern|inline|const)\s+)*(def|class|fn|function|struct|enum|trait|interface|type|mod|func|impl)\b\s*(?:<[^>]*>\s*)?(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*)",
    )
    .expect("valid regex")
});
static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:const|let|var|static|pub)\s+)*([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=[^=]")
        .expect("valid regex")
});
static IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:import\s|from\s+\S+\s+import\s|use\s|#include\s|require\s)")
        .expect("valid regex")
});

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    /// A definition: its keyword and name.
    Named(String, String),
    Import,
    /// Any other top-level statement, known by its first line.
    Other(String),
}

/// One top-level piece of code: leading decorators and comments, then the item.
#[derive(Debug, Clone)]
struct Item {
    key: Key,
    lines: Vec<String>,
    /// Lines before the definition line itself (decorators, comments).
    leaders: usize,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn key_of(line: &str) -> Key {
    if IMPORT.is_match(line) {
        return Key::Import;
    }
    if let Some(c) = DEFINITION.captures(line) {
        let keyword = match &c[1] {
            "def" | "fn" | "function" | "func" => "function",
            other => other,
        };
        return Key::Named(keyword.to_string(), c[2].to_string());
    }
    if let Some(c) = ASSIGNMENT.captures(line.trim_start()) {
        return Key::Named("value".into(), c[1].to_string());
    }
    Key::Other(line.trim().to_string())
}

fn is_leader(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('@')
        || t.starts_with("#[")
        || t.starts_with("///")
        || t.starts_with("//")
        || t.starts_with('#') && !t.starts_with("#include")
}

fn is_closer(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('}') || t == "end"
}

fn is_continuation(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with(')')
        || t.starts_with(']')
        || ["else", "elif", "except", "finally", "catch"]
            .iter()
            .any(|w| t.starts_with(w))
}

/// The end (exclusive) of the item whose definition line is `start`, at indentation
/// `depth`: every later line indented deeper, continuation lines, and a closing brace
/// at the same depth; trailing blank lines excluded.
fn item_end(lines: &[&str], start: usize, depth: usize) -> usize {
    let mut end = start + 1;
    let mut j = start + 1;
    while j < lines.len() {
        let line = lines[j];
        if line.trim().is_empty() {
            j += 1;
            continue;
        }
        let indent = indent_of(line);
        if indent > depth || (indent == depth && is_continuation(line)) {
            end = j + 1;
        } else if indent == depth && is_closer(line) {
            return j + 1;
        } else {
            break;
        }
        j += 1;
    }
    end
}

/// The top-level items of a piece of code (relative to its least indentation).
fn items(code: &str) -> Vec<Item> {
    let lines: Vec<&str> = code.lines().collect();
    let base = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent_of(l))
        .min()
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() || indent_of(line) != base {
            i += 1;
            continue;
        }
        let first = i;
        while i < lines.len() && is_leader(lines[i]) && indent_of(lines[i]) == base {
            i += 1;
        }
        if i >= lines.len() {
            break;
        }
        let end = item_end(&lines, i, base);
        out.push(Item {
            key: key_of(lines[i]),
            lines: lines[first..end]
                .iter()
                .map(|l| l.get(base..).unwrap_or(l.trim_start()).to_string())
                .collect(),
            leaders: i - first,
        });
        i = end;
    }
    out
}

/// What a splice needs to know besides the two texts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hints<'a> {
    /// The file's own module name: an import of the file into itself is dropped.
    pub module: Option<&'a str>,
    /// Renames the request asks for, old name to new: a reply definition with the new
    /// name replaces the old one instead of joining it.
    pub renames: &'a [(String, String)],
}

/// Splices every definition in `code` into `text`.
pub fn splice(text: &str, code: &str, hints: Hints) -> Result<Spliced, SpliceError> {
    let module = hints.module;
    let mut file: Vec<String> = text.lines().map(str::to_string).collect();
    let mut outcome = Spliced::default();
    let reply_base = code
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(indent_of)
        .min()
        .unwrap_or(0);
    let reply = items(code);
    if !reply
        .iter()
        .any(|i| matches!(i.key, Key::Named(..) | Key::Import))
    {
        return Err(SpliceError::Nothing);
    }
    for item in reply {
        match &item.key {
            Key::Import => {
                for line in &item.lines {
                    add_import(&mut file, line, module, &mut outcome);
                }
            }
            Key::Named(_, name) => {
                let name = name.clone();
                let renamed_from = hints
                    .renames
                    .iter()
                    .find(|(_, new)| *new == name)
                    .map(|(old, _)| old.as_str());
                let found = match (find(&file, &item.key)?, &item.key, renamed_from) {
                    (None, Key::Named(kind, _), Some(old)) => {
                        find(&file, &Key::Named(kind.clone(), old.to_string()))?
                    }
                    (found, ..) => found,
                };
                match found {
                    Some((start, depth)) => {
                        replace_definition(&mut file, start, depth, &item);
                        outcome.replaced.push(name);
                    }
                    None if reply_base > 0 || is_method(&item) => {
                        add_member(&mut file, &item, &name)?;
                        outcome.added.push(name);
                    }
                    None => {
                        append(&mut file, &item.lines);
                        outcome.added.push(name);
                    }
                }
            }
            Key::Other(first) => {
                let exists = file.iter().any(|l| l.trim() == first);
                if !exists {
                    outcome.ignored += 1;
                }
            }
        }
    }
    let mut text_out = file.join("\n");
    if !text_out.is_empty() {
        text_out.push('\n');
    }
    outcome.text = text_out;
    Ok(outcome)
}

/// The definition line and indentation of the one definition with `key`.
fn find(file: &[String], key: &Key) -> Result<Option<(usize, usize)>, SpliceError> {
    let found: Vec<(usize, usize)> = file
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && key_of(l) == *key)
        .map(|(i, l)| (i, indent_of(l)))
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        many => {
            // The shallowest wins when it is the only one at its depth (a function and
            // a method of the same name).
            let top = many.iter().map(|f| f.1).min().unwrap_or(0);
            let at_top: Vec<_> = many.iter().filter(|f| f.1 == top).collect();
            match at_top.as_slice() {
                [one] => Ok(Some(**one)),
                _ => Err(SpliceError::Ambiguous(match key {
                    Key::Named(_, name) => name.clone(),
                    _ => String::new(),
                })),
            }
        }
    }
}

fn replace_definition(file: &mut Vec<String>, start: usize, depth: usize, item: &Item) {
    let lines: Vec<&str> = file.iter().map(String::as_str).collect();
    let end = item_end(&lines, start, depth);
    // Replace the file's decorators too when the model wrote its own.
    let mut first = start;
    if item.leaders > 0 {
        while first > 0 && is_leader(lines[first - 1]) && indent_of(lines[first - 1]) == depth {
            first -= 1;
        }
    }
    let old: Vec<String> = file[start..end].to_vec();
    let pad = " ".repeat(depth);
    let mut new: Vec<String> = item
        .lines
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect();
    // A function's body is what the model wrote: a statement it left out is one it
    // removed. Only containers (classes, impls, modules) have members left out.
    if !matches!(&item.key, Key::Named(keyword, _) if keyword == "function") {
        keep_left_out_members(&old, &mut new, depth, item.leaders);
    }
    file.splice(first..end, new);
}

/// A container (class, impl) the model rewrote without some of its members keeps
/// them: each member the reply lacks goes back in, before the closing line if any.
fn keep_left_out_members(old: &[String], new: &mut Vec<String>, depth: usize, leaders: usize) {
    let old_body = member_items(old, depth);
    if old_body.is_empty() {
        return;
    }
    let new_keys: Vec<Key> = member_items(&new[leaders..], depth)
        .into_iter()
        .map(|i| i.key)
        .collect();
    let missing: Vec<Item> = old_body
        .into_iter()
        .filter(|i| matches!(i.key, Key::Named(..)) && !new_keys.contains(&i.key))
        .collect();
    if missing.is_empty() {
        return;
    }
    let at = if new
        .last()
        .is_some_and(|l| is_closer(l) && indent_of(l) == depth)
    {
        new.len() - 1
    } else {
        new.len()
    };
    let member_indent = " ".repeat(
        old.iter()
            .skip(1)
            .find(|l| !l.trim().is_empty())
            .map_or(depth + 4, |l| indent_of(l)),
    );
    let mut insert = Vec::new();
    for item in missing {
        insert.push(String::new());
        insert.extend(item.lines.iter().map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("{member_indent}{l}")
            }
        }));
    }
    new.splice(at..at, insert);
}

/// The items one level inside a definition's lines.
fn member_items(lines: &[String], depth: usize) -> Vec<Item> {
    let body: Vec<&str> = lines
        .iter()
        .skip(1)
        .map(String::as_str)
        .filter(|l| !(is_closer(l) && indent_of(l) == depth))
        .collect();
    if body
        .iter()
        .all(|l| l.trim().is_empty() || indent_of(l) <= depth)
    {
        return Vec::new();
    }
    items(&body.join("\n"))
}

/// A Python method (its first parameter is `self` or `cls`) written without its class.
fn is_method(item: &Item) -> bool {
    static METHOD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:async\s+)?def\s+\w+\s*\(\s*(?:self|cls)\b").expect("valid regex")
    });
    item.lines
        .get(item.leaders)
        .is_some_and(|l| METHOD.is_match(l))
}

/// Adds a new member to the file's one top-level class, at the end of its body.
fn add_member(file: &mut Vec<String>, item: &Item, name: &str) -> Result<(), SpliceError> {
    let classes: Vec<usize> = file
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            indent_of(l) == 0
                && matches!(key_of(l), Key::Named(k, _) if k == "class" || k == "impl")
        })
        .map(|(i, _)| i)
        .collect();
    let [class] = classes.as_slice() else {
        return Err(SpliceError::Orphan(name.to_string()));
    };
    let lines: Vec<&str> = file.iter().map(String::as_str).collect();
    let mut end = item_end(&lines, *class, 0);
    let closed = lines
        .get(end - 1)
        .is_some_and(|l| is_closer(l) && indent_of(l) == 0);
    if closed {
        end -= 1;
    }
    let member_indent = lines[*class + 1..end]
        .iter()
        .find(|l| !l.trim().is_empty())
        .map_or(4, |l| indent_of(l));
    let pad = " ".repeat(member_indent);
    let mut insert = vec![String::new()];
    insert.extend(item.lines.iter().map(|l| {
        if l.trim().is_empty() {
            String::new()
        } else {
            format!("{pad}{l}")
        }
    }));
    file.splice(end..end, insert);
    Ok(())
}

fn append(file: &mut Vec<String>, lines: &[String]) {
    while file.last().is_some_and(|l| l.trim().is_empty()) {
        file.pop();
    }
    if !file.is_empty() {
        file.push(String::new());
        if file
            .iter()
            .any(|l| l.starts_with("def ") || l.starts_with("class "))
        {
            file.push(String::new());
        }
    }
    file.extend(lines.iter().cloned());
}

fn add_import(file: &mut Vec<String>, line: &str, module: Option<&str>, outcome: &mut Spliced) {
    let t = line.trim();
    if t.is_empty() || file.iter().any(|l| l.trim() == t) {
        return;
    }
    if let Some(module) = module {
        let own = t
            .strip_prefix("from ")
            .and_then(|r| r.split_whitespace().next())
            == Some(module)
            || t.strip_prefix("import ").map(str::trim) == Some(module);
        if own {
            return;
        }
    }
    let at = file
        .iter()
        .rposition(|l| IMPORT.is_match(l) && indent_of(l) == 0)
        .map_or_else(|| header_end(file), |i| i + 1);
    file.insert(at, t.to_string());
    if at == header_end(file) && file.get(at + 1).is_some_and(|l| !l.trim().is_empty()) {
        file.insert(at + 1, String::new());
    }
    outcome.added.push(t.to_string());
}

/// Where a file's preamble ends: after a shebang and a module docstring.
fn header_end(file: &[String]) -> usize {
    let mut i = 0;
    if file.first().is_some_and(|l| l.starts_with("#!")) {
        i = 1;
    }
    if let Some(first) = file.get(i) {
        let t = first.trim_start();
        for quote in ["\"\"\"", "'''"] {
            if let Some(rest) = t.strip_prefix(quote) {
                if rest.contains(quote) {
                    return i + 1;
                }
                let close = file[i + 1..].iter().position(|l| l.contains(quote));
                return close.map_or(i, |c| i + c + 2);
            }
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints(module: Option<&str>) -> Hints<'_> {
        Hints {
            module,
            renames: &[],
        }
    }

    #[test]
    fn a_renamed_definition_replaces_the_old_name() {
        let renames = [("linear".to_string(), "find_first".to_string())];
        let code = "def find_first(items, x):\n    return items.index(x) if x in items else -1\n";
        let out = splice(
            FILE,
            code,
            Hints {
                module: None,
                renames: &renames,
            },
        )
        .unwrap();
        assert!(!out.text.contains("def linear("));
        assert!(out.text.contains("def find_first(items, x):"));
        assert_eq!(out.replaced, vec!["find_first"]);
    }

    const FILE: &str = "\"\"\"Search helpers.\"\"\"\nimport math\n\n\ndef linear(items, x):\n    for i, v in enumerate(items):\n        if v == x:\n            return i\n    return -1\n\n\nclass Index:\n    def __init__(self, items):\n        self.items = items\n\n    def find(self, x):\n        return linear(self.items, x)\n\n    def size(self):\n        return len(self.items)\n";

    #[test]
    fn a_changed_function_replaces_its_namesake() {
        let code = "def linear(items, x):\n    return items.index(x) if x in items else -1\n";
        let out = splice(FILE, code, hints(Some("search"))).unwrap();
        assert_eq!(out.replaced, vec!["linear"]);
        assert!(out.text.contains("def linear(items, x):\n    return items.index(x) if x in items else -1\n\n\nclass Index:"));
        assert!(out.text.contains("    def size(self):\n"));
    }

    #[test]
    fn new_functions_and_imports_are_added_and_self_imports_dropped() {
        let code = "import bisect\nfrom search import linear\n\ndef binary(items, x):\n    i = bisect.bisect_left(items, x)\n    return i if i < len(items) and items[i] == x else -1\n";
        let out = splice(FILE, code, hints(Some("search"))).unwrap();
        assert_eq!(out.added, vec!["import bisect", "binary"]);
        assert!(
            out.text
                .starts_with("\"\"\"Search helpers.\"\"\"\nimport math\nimport bisect\n")
        );
        assert!(!out.text.contains("from search import"));
        assert!(out.text.ends_with("        return len(self.items)\n\n\ndef binary(items, x):\n    i = bisect.bisect_left(items, x)\n    return i if i < len(items) and items[i] == x else -1\n"));
    }

    #[test]
    fn a_method_alone_is_found_inside_its_class_and_reindented() {
        let code = "def find(self, x):\n    if x not in self.items:\n        return None\n    return linear(self.items, x)\n";
        let out = splice(FILE, code, Hints::default()).unwrap();
        assert!(out.text.contains("    def find(self, x):\n        if x not in self.items:\n            return None\n        return linear(self.items, x)\n\n    def size(self):"));
    }

    #[test]
    fn a_function_keeps_no_statement_the_model_removed() {
        let file = "def f(x):\n    y = str(x)\n    return x\n\n\ndef g():\n    pass\n";
        let out = splice(file, "def f(x):\n    return x\n", Hints::default()).unwrap();
        assert_eq!(
            out.text,
            "def f(x):\n    return x\n\n\ndef g():\n    pass\n"
        );
    }

    #[test]
    fn a_shortened_class_keeps_the_members_left_out() {
        let code =
            "class Index:\n    def __init__(self, items):\n        self.items = sorted(items)\n";
        let out = splice(FILE, code, Hints::default()).unwrap();
        assert!(out.text.contains("self.items = sorted(items)"));
        assert!(
            out.text
                .contains("    def find(self, x):\n        return linear(self.items, x)\n")
        );
        assert!(
            out.text
                .contains("    def size(self):\n        return len(self.items)\n")
        );
    }

    #[test]
    fn brace_languages_splice_whole_blocks() {
        let file = "fn a() -> u32 {\n    1\n}\n\nfn b() -> u32 {\n    2\n}\n";
        let out = splice(file, "fn a() -> u32 {\n    10\n}\n", Hints::default()).unwrap();
        assert_eq!(
            out.text,
            "fn a() -> u32 {\n    10\n}\n\nfn b() -> u32 {\n    2\n}\n"
        );
    }

    #[test]
    fn replies_without_definitions_or_with_orphan_members_are_refused() {
        assert_eq!(
            splice(FILE, "print(linear([1], 1))\n", Hints::default()),
            Err(SpliceError::Nothing)
        );
        let two_classes = "class A:\n    pass\n\n\nclass B:\n    pass\n";
        assert_eq!(
            splice(
                two_classes,
                "    def grow(self):\n        pass\n",
                Hints::default()
            ),
            Err(SpliceError::Orphan("grow".into()))
        );
    }

    #[test]
    fn a_new_method_joins_the_one_class() {
        let out = splice(
            FILE,
            "def first(self):\n    return self.items[0]\n",
            Hints::default(),
        )
        .unwrap();
        assert!(out.text.ends_with(
            "        return len(self.items)\n\n    def first(self):\n        return self.items[0]\n"
        ));
    }
}
