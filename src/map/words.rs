//! The names a request mentions: identifiers as written in code (`moving_average`,
//! `Point.area`, `parseConfig()`), plain words that may name a definition or a module
//! (`summarize`, `numutil`), and paths (`stats/report.py`).

/// One name from a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    pub text: String,
    /// `Point` of `Point.area`.
    pub parent: Option<String>,
    /// Written as code (underscores, inner capitals, digits, a call's parentheses, a
    /// dot or backticks), not an English word that happens to be a name too.
    pub code: bool,
}

/// What a request mentions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Mentions {
    pub names: Vec<Name>,
    /// Words with a file extension or a `/`, as written.
    pub paths: Vec<String>,
}

/// Words never taken for names: English and the verbs and nouns of requests.
const COMMON: &[&str] = &[
    "the",
    "and",
    "for",
    "that",
    "this",
    "these",
    "those",
    "with",
    "from",
    "into",
    "onto",
    "add",
    "make",
    "use",
    "uses",
    "using",
    "used",
    "write",
    "change",
    "update",
    "fix",
    "file",
    "files",
    "function",
    "functions",
    "method",
    "methods",
    "class",
    "classes",
    "code",
    "should",
    "when",
    "then",
    "return",
    "returns",
    "new",
    "all",
    "each",
    "every",
    "not",
    "can",
    "have",
    "has",
    "are",
    "was",
    "were",
    "will",
    "does",
    "its",
    "their",
    "them",
    "there",
    "which",
    "what",
    "how",
    "called",
    "named",
    "takes",
    "give",
    "gives",
    "instead",
    "also",
    "only",
    "one",
    "two",
    "please",
    "create",
    "implement",
    "rename",
    "replace",
    "call",
    "calls",
    "caller",
    "callers",
    "test",
    "tests",
    "bug",
    "off",
    "now",
    "but",
    "its",
    "our",
    "your",
    "you",
    "let",
    "get",
    "put",
    "set",
    "move",
    "remove",
    "delete",
    "module",
    "modules",
    "type",
    "types",
    "struct",
    "variable",
    "argument",
    "arguments",
    "parameter",
    "parameters",
    "line",
    "lines",
    "error",
    "errors",
    "case",
    "cases",
    "way",
    "like",
    "than",
    "more",
    "less",
    "any",
    "some",
    "other",
    "same",
    "about",
    "after",
    "before",
    "again",
    "still",
    "just",
    "need",
    "needs",
    "want",
    "keep",
    "it's",
    "don't",
    "doesn't",
    "isn't",
    "why",
    "did",
    "undo",
    "loop",
    "where",
    "work",
    "works",
    "algorithm",
    "simple",
    "small",
    "big",
    "sure",
    "handle",
    "handles",
    "support",
    "supports",
    "correct",
    "correctly",
    "wrong",
    "broken",
    "break",
    "breaks",
    "check",
    "checks",
    "value",
    "values",
    "list",
    "lists",
    "number",
    "numbers",
    "string",
    "strings",
    "empty",
    "input",
    "output",
    "result",
    "results",
    "instead",
    "into",
    "over",
    "under",
    "between",
    "without",
    "within",
    "own",
    "too",
    "very",
    "done",
    "so",
    "everywhere",
    "wherever",
    "usage",
    "usages",
    "site",
    "sites",
    "signature",
    "docstring",
    "comment",
    "comments",
    "doc",
    "docs",
    "able",
    "them",
    "him",
    "her",
    "his",
    "she",
];

/// Whether a lower-case word is one of [`COMMON`].
pub(crate) fn is_common(word: &str) -> bool {
    COMMON.contains(&word)
}

pub(crate) fn mentions(request: &str) -> Mentions {
    let mut out = Mentions::default();
    let mut seen = std::collections::HashSet::new();
    for raw in request.split(|c: char| c.is_whitespace() || ",;!?[]{}\"<>=".contains(c)) {
        let quoted = raw.contains('`');
        let word = raw
            .trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'))
            .trim_end_matches("'s")
            .trim_end_matches("’s");
        if word.is_empty() {
            continue;
        }
        let called = raw.contains("()");
        if word.contains('/') || has_extension(word) {
            if seen.insert(word.to_string()) {
                out.paths.push(word.to_string());
            }
            continue;
        }
        let mut parts: Vec<&str> = word.split(['.', ':']).filter(|p| !p.is_empty()).collect();
        if parts
            .iter()
            .any(|p| !p.chars().all(|c| c.is_alphanumeric() || c == '_'))
        {
            continue;
        }
        let Some(last) = parts.pop() else {
            continue;
        };
        let parent = parts.last().map(|p| (*p).to_string());
        let code = quoted || called || parent.is_some() || looks_like_code(last);
        if !code && (last.chars().count() < 3 || is_common(&last.to_lowercase())) {
            continue;
        }
        if last.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        if let Some(p) = &parent
            && seen.insert(p.clone())
        {
            out.names.push(Name {
                text: p.clone(),
                parent: None,
                code: true,
            });
        }
        if seen.insert(last.to_string()) {
            out.names.push(Name {
                text: last.to_string(),
                parent,
                code,
            });
        }
    }
    out
}

/// `snake_case`, `camelCase`, `CamelCase`, `x2`: what English words are not.
fn looks_like_code(word: &str) -> bool {
    word.contains('_')
        || word.chars().skip(1).any(|c| c.is_uppercase())
        || word.chars().any(|c| c.is_ascii_digit())
}

/// `numutil.py`, `src/lib.rs`; not `Point.area` or `e.g`.
fn has_extension(word: &str) -> bool {
    word.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (crate::syntax::Language::from_path(word).is_some()
                || matches!(
                    ext,
                    "md" | "txt"
                        | "toml"
                        | "json"
                        | "yaml"
                        | "yml"
                        | "cfg"
                        | "ini"
                        | "html"
                        | "css"
                ))
    })
}

/// `moving_average` from `moving average`, `MovingAverage` or `movingAverage`: the
/// snake_case a new file or function would be named with.
pub(crate) fn snake(words: &[&str]) -> String {
    let mut out = String::new();
    for word in words {
        for (i, c) in word.chars().enumerate() {
            if c.is_uppercase() && i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
            } else if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
        }
        if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(request: &str) -> Vec<String> {
        mentions(request)
            .names
            .into_iter()
            .map(|n| n.text)
            .collect()
    }

    #[test]
    fn code_names_plain_words_and_paths() {
        assert_eq!(
            names("fix the off-by-one bug in moving_average"),
            ["moving_average"]
        );
        assert_eq!(
            names("add mean() to numutil and make summarize use it"),
            ["mean", "numutil", "summarize"]
        );
        let m = mentions("make `Point.area` round, see geometry/shapes.py");
        assert_eq!(m.paths, ["geometry/shapes.py"]);
        assert_eq!(m.names[1].text, "area");
        assert_eq!(m.names[1].parent.as_deref(), Some("Point"));
        assert_eq!(
            names("implement dijkstra's shortest path algorithm"),
            ["dijkstra", "shortest", "path"]
        );
    }

    #[test]
    fn snake_case_from_any_spelling() {
        assert_eq!(snake(&["MovingAverage"]), "moving_average");
        assert_eq!(snake(&["binary", "search", "tree"]), "binary_search_tree");
        assert_eq!(snake(&["parseConfig"]), "parse_config");
    }
}
