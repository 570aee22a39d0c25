//! Which files a request concerns, from the names it mentions: the file defining a
//! named symbol first, then, when the request asks to rename or replace it or to change
//! its callers, the files that use or import it, and the tests of it when it asks for a
//! test. Each file comes with the reason it was chosen. A name defined in several files
//! with nothing to choose between them is reported as ambiguous, and a request that
//! defines something new that nothing in the repository matches gets a file name to
//! create.

use std::collections::{BTreeMap, HashMap};

use super::words::{self, Name};
use super::{FileEntry, Map, Symbol};
use crate::syntax::{DefinitionKind, Language};

/// Files chosen for one request, best first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranking {
    pub files: Vec<Chosen>,
    /// Names defined in several files with no way to choose: a terminal asks which,
    /// without one it is an error listing them.
    pub ambiguous: Vec<Ambiguity>,
    /// The file to create for a request that defines something new with no home in the
    /// repository (`dijkstra.py`), in the directory and language of its other sources.
    pub new_file: Option<String>,
}

/// One chosen file and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub path: String,
    /// "defines summarize", "calls mean", "imports numutil", "named in the request".
    pub reason: String,
}

/// A name several files define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    pub name: String,
    pub candidates: Vec<String>,
}

/// Callers and importers added at most for one request.
const MAX_USERS: usize = 8;

/// What a request asks to do with the names it mentions.
#[derive(Debug, Default)]
struct Intent {
    /// Rename, replace, change the signature, update the callers: the users change too.
    users: bool,
    /// A test of the named thing.
    test: bool,
    /// Something new is defined.
    create: bool,
}

fn intent(request: &str) -> Intent {
    let lower = request.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let phrase = |p: &str| lower.contains(p);
    Intent {
        users: has("rename")
            || has("replace")
            || has("callers")
            || has("caller")
            || has("usages")
            || has("everywhere")
            || has("wherever")
            || has("signature")
            || phrase("call sites")
            || phrase("every call")
            || phrase("all calls")
            || phrase("every use")
            || phrase("all uses")
            || phrase("uses of")
            || phrase("calls to")
            || phrase("importers"),
        test: has("test") || has("tests") || has("unittest") || has("pytest"),
        create: has("implement")
            || has("add")
            || has("create")
            || has("write")
            || has("define")
            || has("new")
            || has("build"),
    }
}

/// Ranks the map's files for a request.
pub fn rank(map: &Map, request: &str) -> Ranking {
    let mentions = words::mentions(request);
    let intent = intent(request);
    // Each file with why, how strongly, and where in the request what chose it stands
    // (the files are shown in that order: "add mean() to numutil and make summarize use
    // it" is numutil first); a file chosen as a user of a name comes after them all.
    let lower = request.to_lowercase();
    let at = |text: &str| lower.find(&text.to_lowercase()).unwrap_or(usize::MAX - 1);
    let mut chosen: Vec<(String, String, u32, usize)> = Vec::new();
    let mut add = |path: &str, reason: String, score: u32, position: usize| {
        if let Some(c) = chosen.iter_mut().find(|c| c.0 == path) {
            c.2 = c.2.max(score);
            c.3 = c.3.min(position);
        } else {
            chosen.push((path.to_string(), reason, score, position));
        }
    };
    let mut ambiguous = Vec::new();

    for written in &mentions.paths {
        if let Some(f) = find_path(map, written) {
            add(&f.path, "named in the request".into(), 100, at(written));
        }
    }
    let by_name = index(map);
    let stems = modules(map);
    // A name's defining files, with the evidence of the request's other names: a file
    // that also defines another named symbol, or is a named module, wins a tie.
    let mentioned: Vec<String> = mentions
        .names
        .iter()
        .map(|n| n.text.to_lowercase())
        .collect();
    let mut defined: Vec<(&Name, Vec<&FileEntry>)> = Vec::new();
    for name in &mentions.names {
        let files = defining_files(&by_name, name, &mentioned, &stems, intent.test);
        if !files.is_empty() {
            defined.push((name, files));
        }
    }
    for (name, files) in &defined {
        match files.as_slice() {
            [one] => add(
                &one.path,
                format!("defines {}", name.text),
                50,
                at(&name.text),
            ),
            several => ambiguous.push(Ambiguity {
                name: name.text.clone(),
                candidates: several.iter().map(|f| f.path.clone()).collect(),
            }),
        }
    }
    for name in &mentions.names {
        if defined.iter().any(|(n, _)| n.text == name.text) {
            continue;
        }
        if let Some(files) = stems.get(&name.text.to_lowercase()) {
            for f in files {
                add(&f.path, format!("module {}", name.text), 40, at(&name.text));
            }
        }
    }

    // Users of the named definitions (and of named modules, for a rename).
    if intent.users || intent.test {
        let mut users: Vec<(String, String, u32)> = Vec::new();
        for (name, files) in &defined {
            let [definer] = files.as_slice() else {
                continue;
            };
            let module = stem_of(&definer.path);
            for f in &map.files {
                if f.path == definer.path || (intent.test && !intent.users && !is_test(&f.path)) {
                    continue;
                }
                let imports = f.imports.contains(&name.text);
                let uses = f.references.contains(&name.text);
                let via_module = module
                    .as_deref()
                    .is_some_and(|m| f.imports.iter().any(|i| i == m));
                if !(imports || (uses && via_module) || (uses && !is_common_name(&name.text))) {
                    continue;
                }
                let reason = if intent.test && is_test(&f.path) {
                    format!("tests {}", name.text)
                } else if imports {
                    format!("imports {}", name.text)
                } else {
                    format!("calls {}", name.text)
                };
                let weight = u32::from(imports) + u32::from(via_module) + u32::from(uses);
                users.push((f.path.clone(), reason, 10 + weight));
            }
        }
        if intent.users {
            for name in &mentions.names {
                let stem = name.text.to_lowercase();
                if defined.iter().any(|(n, _)| n.text == name.text) || !stems.contains_key(&stem) {
                    continue;
                }
                for f in &map.files {
                    if stem_of(&f.path).is_some_and(|s| s.to_lowercase() == stem) {
                        continue;
                    }
                    if f.imports.iter().any(|i| i.to_lowercase() == stem) {
                        users.push((f.path.clone(), format!("imports {}", name.text), 12));
                    }
                }
            }
        }
        users.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        for (path, reason, score) in users.into_iter().take(MAX_USERS) {
            add(&path, reason, score, usize::MAX);
        }
    }

    let mut new_file = None;
    if intent.test
        && !chosen.iter().any(|c| is_test(&c.0))
        && let Some((_, files)) = defined.first()
        && let [definer] = files.as_slice()
    {
        new_file = test_file_for(map, &definer.path);
    }
    if chosen.is_empty() && ambiguous.is_empty() && intent.create && new_file.is_none() {
        new_file = new_home(map, request, &mentions);
    }

    chosen.sort_by_key(|c| (c.3, std::cmp::Reverse(c.2)));
    Ranking {
        files: chosen
            .into_iter()
            .map(|(path, reason, ..)| Chosen { path, reason })
            .collect(),
        ambiguous,
        new_file,
    }
}

/// Lower-cased name → the files defining it.
fn index(map: &Map) -> HashMap<String, Vec<(&FileEntry, &Symbol)>> {
    let mut out: HashMap<String, Vec<(&FileEntry, &Symbol)>> = HashMap::new();
    for f in &map.files {
        for s in &f.definitions {
            out.entry(s.name.to_lowercase()).or_default().push((f, s));
        }
    }
    out
}

/// Lower-cased module name → the source files it names: `numutil` for `numutil.py`,
/// `pkg` for `pkg/__init__.py` and `src/pkg/mod.rs`.
fn modules(map: &Map) -> HashMap<String, Vec<&FileEntry>> {
    let mut out: HashMap<String, Vec<&FileEntry>> = HashMap::new();
    for f in &map.files {
        if let Some(stem) = stem_of(&f.path) {
            out.entry(stem.to_lowercase()).or_default().push(f);
        }
    }
    out
}

/// The module name of a source file.
fn stem_of(path: &str) -> Option<String> {
    Language::from_path(path)?;
    let mut parts = path.rsplit('/');
    let name = parts.next()?;
    let stem = name.split('.').next()?;
    if matches!(stem, "__init__" | "mod" | "index") {
        return parts.next().map(str::to_string);
    }
    Some(stem.to_string())
}

/// The files that define a name, narrowed by what else the request says.
fn defining_files<'m>(
    by_name: &HashMap<String, Vec<(&'m FileEntry, &'m Symbol)>>,
    name: &Name,
    mentioned: &[String],
    stems: &HashMap<String, Vec<&'m FileEntry>>,
    test: bool,
) -> Vec<&'m FileEntry> {
    let Some(all) = by_name.get(&name.text.to_lowercase()) else {
        return Vec::new();
    };
    // Exact spelling first; another case only for a word written as code or a long one.
    let exact: Vec<_> = all.iter().filter(|(_, s)| s.name == name.text).collect();
    let mut found: Vec<&(&FileEntry, &Symbol)> = if !exact.is_empty() {
        exact
    } else if name.code || name.text.len() >= 5 {
        all.iter().collect()
    } else {
        return Vec::new();
    };
    if let Some(parent) = &name.parent {
        found.retain(|(_, s)| {
            s.parent
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case(parent))
        });
    }
    // An impl block repeats its type's name; the type's own definition is what counts.
    let single = found.len() == 1;
    found.retain(|(_, s)| s.kind != DefinitionKind::Impl || single);
    let mut files: Vec<&'m FileEntry> = Vec::new();
    for &(f, _) in found {
        if !files.iter().any(|g| g.path == f.path) {
            files.push(f);
        }
    }
    if files.len() < 2 {
        return files;
    }
    // Narrow by the other evidence, one step at a time, while something is left.
    let narrowings: [&dyn Fn(&FileEntry) -> bool; 4] = [
        &|f: &FileEntry| {
            mentioned.iter().any(|m| {
                *m != name.text.to_lowercase()
                    && (f.definitions.iter().any(|s| s.name.to_lowercase() == *m)
                        || stems
                            .get(m)
                            .is_some_and(|fs| fs.iter().any(|g| g.path == f.path)))
            })
        },
        &|f: &FileEntry| test || !is_test(&f.path),
        &|f: &FileEntry| {
            f.definitions.iter().any(|s| {
                s.name == name.text
                    && matches!(
                        s.kind,
                        DefinitionKind::Function | DefinitionKind::Class | DefinitionKind::Type
                    )
                    && s.parent.is_none()
            })
        },
        &|f: &FileEntry| !f.path.contains("vendor/") && !f.path.contains("third_party/"),
    ];
    for keep in narrowings {
        let narrowed: Vec<&FileEntry> = files.iter().copied().filter(|f| keep(f)).collect();
        if !narrowed.is_empty() {
            files = narrowed;
        }
        if files.len() == 1 {
            break;
        }
    }
    files
}

/// Names too common to count a bare use of as a call of the named definition.
fn is_common_name(name: &str) -> bool {
    name.len() < 4
        || matches!(
            name,
            "main" | "run" | "new" | "init" | "get" | "set" | "test" | "self"
        )
}

fn is_test(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.split('/')
        .any(|p| matches!(p, "tests" | "test" | "__tests__" | "spec"))
        || name.starts_with("test_")
        || name.contains("_test.")
        || name.contains(".test.")
        || name.contains(".spec.")
}

/// A tracked file a request's path names: exactly, or as the end of a path.
fn find_path<'m>(map: &'m Map, written: &str) -> Option<&'m FileEntry> {
    let written = written.trim_start_matches("./");
    map.file(written).or_else(|| {
        let tail = format!("/{written}");
        let mut matching = map.files.iter().filter(|f| f.path.ends_with(&tail));
        let first = matching.next()?;
        matching.next().is_none().then_some(first)
    })
}

/// Where a test of a source file goes, when the repository has a convention for it:
/// `tests/test_stats.py` (or beside it), `stats_test.go`, `stats.test.js`. Rust tests
/// live in the file itself, so none.
fn test_file_for(map: &Map, source: &str) -> Option<String> {
    let (dir, name) = source.rsplit_once('/').unwrap_or(("", source));
    let (stem, ext) = name.rsplit_once('.')?;
    let beside = |file: String| {
        if dir.is_empty() {
            file
        } else {
            format!("{dir}/{file}")
        }
    };
    match Language::from_path(source)? {
        Language::Python => {
            let file = format!("test_{stem}.py");
            let tests_dir = map
                .files
                .iter()
                .filter(|f| f.path.ends_with(".py") && is_test(&f.path))
                .find_map(|f| f.path.rsplit_once('/').map(|(d, _)| d.to_string()));
            Some(match tests_dir {
                Some(d) => format!("{d}/{file}"),
                None => beside(file),
            })
        }
        Language::Go => Some(beside(format!("{stem}_test.go"))),
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            Some(beside(format!("{stem}.test.{ext}")))
        }
        _ => None,
    }
}

/// The file a new thing gets: named after it (`dijkstra.py` for "implement dijkstra's
/// shortest path algorithm", `binary_search_tree.py` for "add a binary search tree"),
/// with the extension and in the directory most of the repository's sources share.
fn new_home(map: &Map, request: &str, mentions: &words::Mentions) -> Option<String> {
    let stem = new_name(request, mentions)?;
    let mut by_language: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_dir: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in &map.files {
        if Language::from_path(&f.path).is_none() || is_test(&f.path) {
            continue;
        }
        let Some((_, ext)) = f.path.rsplit_once('.') else {
            continue;
        };
        let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d);
        *by_language.entry(ext).or_default() += 1;
        *by_dir.entry((ext, dir)).or_default() += 1;
    }
    let ext = by_language
        .iter()
        .max_by_key(|(_, n)| **n)
        .map_or("py", |(e, _)| *e);
    let dir = by_dir
        .iter()
        .filter(|((e, _), _)| *e == ext)
        .max_by_key(|(_, n)| **n)
        .map_or("", |((_, d), _)| *d);
    let stem = match ext {
        "js" | "ts" | "jsx" | "tsx" | "mjs" => camel(&stem),
        _ => stem,
    };
    Some(if dir.is_empty() {
        format!("{stem}.{ext}")
    } else {
        format!("{dir}/{stem}.{ext}")
    })
}

/// The snake_case name of what a request creates: a name written as code, else a
/// possessive (`dijkstra's`), else the words after the verb up to a noun like
/// "algorithm" or "function".
fn new_name(request: &str, mentions: &words::Mentions) -> Option<String> {
    if let Some(code) = mentions.names.iter().find(|n| n.code) {
        return Some(words::snake(&[&code.text]));
    }
    let lower = request.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(owner) = tokens
        .iter()
        .find_map(|t| t.strip_suffix("'s").or_else(|| t.strip_suffix("’s")))
        && !owner.is_empty()
    {
        return Some(words::snake(&[owner]));
    }
    const VERBS: &[&str] = &[
        "implement",
        "add",
        "create",
        "write",
        "define",
        "build",
        "new",
    ];
    const SKIP: &[&str] = &[
        "a", "an", "the", "some", "new", "simple", "basic", "function", "class", "module", "me",
    ];
    const STOP: &[&str] = &[
        "algorithm",
        "function",
        "class",
        "module",
        "that",
        "which",
        "to",
        "for",
        "in",
        "with",
        "using",
        "and",
        "from",
        "of",
        "on",
        "so",
        "as",
        "file",
        "script",
    ];
    let start = tokens.iter().position(|t| VERBS.contains(t))? + 1;
    let words: Vec<&str> = tokens[start..]
        .iter()
        .copied()
        .skip_while(|t| SKIP.contains(t))
        .take_while(|t| !STOP.contains(t))
        .take(3)
        .collect();
    let name = words::snake(&words);
    (!name.is_empty()).then_some(name)
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    for (i, part) in snake.split('_').enumerate() {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.push(first);
            } else {
                out.extend(first.to_uppercase());
            }
            out.extend(chars);
        }
    }
    out
}
