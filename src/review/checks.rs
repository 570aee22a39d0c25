//! The static rules: instant, precise checks on what a change adds — conflict
//! markers, secrets, debugging leftovers, trailing whitespace, mixed line endings,
//! large and binary files, JSON and TOML that do not parse, source files that parsed
//! before and no longer do, and new TODOs. Only added lines are judged, so old
//! problems in a touched file do not block a commit.

use std::sync::LazyLock;

use regex::Regex;

use super::diff::{Diff, Line};
use super::files::{self, Language};
use super::source::Status;
use super::{Body, ChangedFile, Finding, Limits, Severity, secrets};
use crate::syntax;

/// Trailing-whitespace findings per file before the rest are counted in one.
const WHITESPACE_SHOWN: usize = 10;

/// Every rule's name, severity and description (SARIF's rule list).
pub const RULES: [(&str, Severity, &str); 16] = [
    (
        "conflict-marker",
        Severity::Error,
        "a leftover merge-conflict marker",
    ),
    ("aws-access-key", Severity::Error, "an AWS access key id"),
    ("private-key", Severity::Error, "a private key block"),
    ("github-token", Severity::Error, "a GitHub token"),
    ("gitlab-token", Severity::Error, "a GitLab access token"),
    (
        "slack-token",
        Severity::Error,
        "a Slack token or webhook URL",
    ),
    (
        "hardcoded-secret",
        Severity::Error,
        "a high-entropy literal assigned to a secret-like name",
    ),
    (
        "parse-error",
        Severity::Error,
        "a JSON or TOML file that does not parse",
    ),
    (
        "syntax-error",
        Severity::Error,
        "a source file that parsed before the change and does not after",
    ),
    (
        "debug-leftover",
        Severity::Warning,
        "a debugging statement left in",
    ),
    (
        "trailing-whitespace",
        Severity::Warning,
        "whitespace at the end of an added line",
    ),
    (
        "mixed-line-endings",
        Severity::Warning,
        "CRLF and LF line endings in one file",
    ),
    (
        "large-file",
        Severity::Warning,
        "a file over review.max_file_bytes",
    ),
    ("binary-file", Severity::Info, "a binary file added"),
    ("todo", Severity::Info, "a TODO or FIXME comment added"),
    (
        "unmerged",
        Severity::Error,
        "a path with unresolved conflicts in the index",
    ),
];

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("the rule patterns are valid regexes")
}

static DEBUG_PYTHON: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"\b(?:breakpoint\(\)|i?pdb\.set_trace\(\)|pudb\.set_trace\(\))|^\s*import\s+i?pdb\b")
});
static DEBUG_JS: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"\bconsole\.(?:log|debug|trace|dir)\s*\(|(?:^|[;{])\s*debugger\s*;?\s*$")
});
static DEBUG_RUST: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(?:dbg|todo)!\s*[\(\[\{]"));
static DEBUG_GO: LazyLock<Regex> = LazyLock::new(|| regex(r"\bruntime\.Breakpoint\(\)"));
static DEBUG_RUBY: LazyLock<Regex> =
    LazyLock::new(|| regex(r"\bbinding\.(?:pry|irb)\b|^\s*(?:byebug|debugger)\b"));
static DEBUG_PHP: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(?:var_dump|xdebug_break)\s*\("));

static TODO: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(?:TODO|FIXME)\b"));

/// Comment openers, for telling a TODO comment from a `TODO` identifier.
const COMMENT_MARKERS: [&str; 7] = ["//", "#", "/*", "*", "--", "<!--", ";"];

/// The rules' findings for one changed file.
pub fn check(file: &ChangedFile, limits: &Limits) -> Vec<Finding> {
    let path = file.path.as_str();
    let mut out = Vec::new();
    match &file.body {
        Body::TooLarge { size } => out.push(Finding::new(
            path,
            0,
            Severity::Warning,
            "large-file",
            format!(
                "adds a {} file (over review.max_file_bytes, {}); large files stay in the history forever — consider Git LFS",
                crate::llm::human_bytes(*size),
                crate::llm::human_bytes(limits.max_file_bytes)
            ),
        )),
        Body::Binary { size } if file.status == Status::Added => out.push(Finding::new(
            path,
            0,
            Severity::Info,
            "binary-file",
            format!("adds a binary file ({})", crate::llm::human_bytes(*size)),
        )),
        Body::Text { new, old, diff } => {
            let head: String = new.chars().take(1000).collect();
            let machine_made = files::machine_made(path, &head);
            let language = files::language(path);
            // Nobody writes a lockfile or a minified bundle by hand: line rules there
            // are noise (and slow on big ones). Whether it parses still matters.
            if !matches!(
                machine_made,
                Some(files::MachineMade::Lockfile | files::MachineMade::Minified)
            ) {
                line_rules(path, language, diff, &mut out);
                mixed_endings(path, diff, &mut out);
            }
            if !diff.added.is_empty() {
                out.extend(parse_error(path, language, new));
                // A conflict marker breaks the parse too: one cause, one finding.
                if !out.iter().any(|f| f.rule == "conflict-marker") {
                    out.extend(syntax_error(path, old.as_deref(), new));
                }
            }
        }
        _ => {}
    }
    out
}

fn line_rules(path: &str, language: Language, diff: &Diff, out: &mut Vec<Finding>) {
    let added = &diff.added;
    // `=======` alone is a setext heading or a separator; it is a marker only when the
    // change adds the other markers too.
    let has_markers = added
        .iter()
        .any(|l| marker(&l.text).is_some_and(|m| m != "======="));
    let mut whitespace = 0usize;
    for (i, line) in added.iter().enumerate() {
        let text = line.text.as_str();
        if let Some(m) = marker(text)
            && (m != "=======" || has_markers)
        {
            out.push(Finding::new(
                path,
                line.number,
                Severity::Error,
                "conflict-marker",
                format!("leftover merge-conflict marker `{m}`"),
            ));
            continue;
        }
        let next = added
            .get(i + 1)
            .filter(|n| n.number == line.number + 1)
            .map(|n| n.text.as_str());
        if let Some(secret) = secrets::scan_line(text, next) {
            out.push(Finding::new(
                path,
                line.number,
                Severity::Error,
                secret.rule,
                format!(
                    "adds {}; remove it, revoke it, and read it from the environment or a secret store",
                    secret.what
                ),
            ));
        }
        if let Some(leftover) = debug_leftover(language, text) {
            out.push(Finding::new(
                path,
                line.number,
                Severity::Warning,
                "debug-leftover",
                format!("debugging leftover `{leftover}`"),
            ));
        }
        if trailing_whitespace(language, text) {
            whitespace += 1;
            if whitespace <= WHITESPACE_SHOWN {
                out.push(Finding::new(
                    path,
                    line.number,
                    Severity::Warning,
                    "trailing-whitespace",
                    "trailing whitespace",
                ));
            }
        }
        if let Some(todo) = todo(text) {
            out.push(Finding::new(
                path,
                line.number,
                Severity::Info,
                "todo",
                format!("adds a {todo}"),
            ));
        }
    }
    if whitespace > WHITESPACE_SHOWN
        && let Some(finding) = out
            .iter_mut()
            .rev()
            .find(|f| f.rule == "trailing-whitespace")
    {
        finding.message = format!(
            "trailing whitespace (and on {} more added lines not listed)",
            whitespace - WHITESPACE_SHOWN
        );
    }
}

/// A conflict marker as git writes them: seven characters at the start of a line,
/// then a space and a label, or nothing.
fn marker(text: &str) -> Option<&'static str> {
    let markers = ["<<<<<<<", ">>>>>>>", "|||||||", "======="];
    let found = markers.into_iter().find(|m| text.starts_with(m))?;
    let rest = &text[found.len()..];
    match found {
        "=======" => rest.is_empty().then_some(found),
        _ => (rest.is_empty() || rest.starts_with(' ')).then_some(found),
    }
}

fn debug_leftover(language: Language, text: &str) -> Option<String> {
    const ALL_QUOTES: &[char] = &['"', '\'', '`'];
    // In Rust, `'` starts a character or a lifetime, not a string.
    let (pattern, quotes): (&Regex, &[char]) = match language {
        Language::Python => (&DEBUG_PYTHON, ALL_QUOTES),
        Language::JavaScript => (&DEBUG_JS, ALL_QUOTES),
        Language::Rust => (&DEBUG_RUST, &['"']),
        Language::Go => (&DEBUG_GO, &['"', '`']),
        Language::Ruby => (&DEBUG_RUBY, ALL_QUOTES),
        Language::Php => (&DEBUG_PHP, ALL_QUOTES),
        _ => return None,
    };
    let trimmed = text.trim_start();
    // Commented out, it no longer runs (and may be a usage example).
    if ["//", "#", "/*", "*", "--"]
        .iter()
        .any(|c| trimmed.starts_with(c))
    {
        return None;
    }
    let found = pattern.find(text)?;
    if inside_string(&text[..found.start()], quotes) {
        return None;
    }
    Some(
        found
            .as_str()
            .trim()
            .trim_start_matches([';', '{'])
            .trim()
            .to_string(),
    )
}

/// Whether the end of `before` is inside a string literal: an odd number of
/// unescaped quotes of one kind precede it.
fn inside_string(before: &str, quotes: &[char]) -> bool {
    quotes.iter().any(|quote| {
        let mut count = 0;
        let mut escaped = false;
        for c in before.chars() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == *quote {
                count += 1;
            }
        }
        count % 2 == 1
    })
}

fn trailing_whitespace(language: Language, text: &str) -> bool {
    if language == Language::Patch || !text.ends_with([' ', '\t']) {
        return false;
    }
    // Two spaces end a Markdown line with a line break: deliberate.
    let markdown_break = language == Language::Markdown
        && text.ends_with("  ")
        && !text.ends_with("   ")
        && !text.trim().is_empty();
    !markdown_break
}

/// `TODO: tidy this` when the line adds a TODO or FIXME comment.
fn todo(text: &str) -> Option<String> {
    let found = TODO.find(text)?;
    let before = &text[..found.start()];
    if !COMMENT_MARKERS.iter().any(|m| before.contains(m)) {
        return None;
    }
    let comment: String = text[found.start()..].trim().chars().take(80).collect();
    Some(comment)
}

/// One finding when a file mixes CRLF and LF and the change adds lines with the
/// minority ending (an old mix the change does not touch is not its fault).
fn mixed_endings(path: &str, diff: &Diff, out: &mut Vec<Finding>) {
    if diff.crlf_lines == 0 || diff.lf_lines == 0 {
        return;
    }
    let minority_crlf = diff.crlf_lines < diff.lf_lines;
    // The last line may lack an ending altogether; only lines with one count.
    let ends_with_newline = |l: &&Line| l.number < diff.line_count || diff.ends_with_newline;
    if let Some(line) = diff
        .added
        .iter()
        .filter(ends_with_newline)
        .find(|l| l.crlf == minority_crlf)
    {
        out.push(Finding::new(
            path,
            line.number,
            Severity::Warning,
            "mixed-line-endings",
            format!(
                "the file mixes line endings ({} CRLF, {} LF); this line ends in {}",
                diff.crlf_lines,
                diff.lf_lines,
                if minority_crlf { "CRLF" } else { "LF" }
            ),
        ));
    }
}

/// A JSON or TOML file that no longer parses, at the line the parser stopped.
fn parse_error(path: &str, language: Language, text: &str) -> Option<Finding> {
    let (kind, line, message) = match language {
        Language::Json if !files::allows_comments(path) => {
            let e = serde_json::from_str::<serde::de::IgnoredAny>(text).err()?;
            ("JSON", e.line(), e.to_string())
        }
        Language::Toml => {
            let e = text.parse::<toml::Table>().err()?;
            let offset = e.span().map_or(0, |s| s.start);
            let line = text[..offset.min(text.len())].matches('\n').count() + 1;
            ("TOML", line, e.message().trim().to_string())
        }
        _ => return None,
    };
    Some(Finding::new(
        path,
        u32::try_from(line).unwrap_or(u32::MAX),
        Severity::Error,
        "parse-error",
        format!("does not parse as {kind}: {message}"),
    ))
}

/// A source file that no longer parses, at the first place the parser reports. A file
/// that did not parse before the change is left alone: the change did not break it.
fn syntax_error(path: &str, old: Option<&str>, new: &str) -> Option<Finding> {
    let language = syntax::Language::from_path(path)?;
    let error = syntax::parse(language, new).errors(1).into_iter().next()?;
    if old.is_some_and(|old| syntax::parse(language, old).has_errors()) {
        return None;
    }
    Some(Finding::new(
        path,
        error.line,
        Severity::Error,
        "syntax-error",
        format!(
            "does not parse as {}: {} (column {})",
            language.name(),
            error.message,
            error.column
        ),
    ))
}

/// A finding for each path still in conflict.
pub fn unmerged(paths: &[String]) -> Vec<Finding> {
    paths
        .iter()
        .map(|p| {
            Finding::new(
                p,
                0,
                Severity::Error,
                "unmerged",
                "has unresolved conflicts in the index; resolve them and `git add` it",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashSet};

    use super::*;
    use crate::review::source::{Content, FileChange};

    /// Labelled added lines: see the header of the file. The first set was written
    /// with the rules; the held-out set after them, and never used to tune them.
    const CORPUS: &str = include_str!("../../fixtures/review-checks.tsv");
    const HOLDOUT: &str = include_str!("../../fixtures/review-checks-holdout.tsv");

    fn added(path: &str, bytes: &[u8]) -> ChangedFile {
        ChangedFile::prepare(FileChange {
            path: path.into(),
            old_path: None,
            status: Status::Added,
            old: None,
            new: Some(Content::Bytes(bytes.to_vec())),
        })
    }

    type Labels = HashSet<(String, u32, String)>;

    /// A corpus's files, and the (file, line, rule) findings it expects.
    fn corpus(text: &str) -> (Vec<(String, String)>, Labels) {
        let mut files: Vec<(String, String)> = Vec::new();
        let mut expected = HashSet::new();
        for row in text.lines() {
            if row.trim().is_empty() || row.starts_with('#') {
                continue;
            }
            let mut parts = row.splitn(3, '\t');
            let (Some(label), Some(path), Some(line)) = (parts.next(), parts.next(), parts.next())
            else {
                panic!("corpus row without three fields: {row:?}");
            };
            let line = line
                .replace("%%", "")
                .replace("{sp}", " ")
                .replace("{tab}", "\t");
            let (line, ending) = match line.strip_suffix("{cr}") {
                Some(l) => (l.to_string(), "\r\n"),
                None => (line, "\n"),
            };
            let at = match files.iter().position(|(p, _)| p == path) {
                Some(at) => at,
                None => {
                    files.push((path.to_string(), String::new()));
                    files.len() - 1
                }
            };
            files[at].1.push_str(&line);
            files[at].1.push_str(ending);
            let number = files[at].1.matches('\n').count() as u32;
            for rule in label.split(',').filter(|r| *r != "-") {
                expected.insert((path.to_string(), number, rule.to_string()));
            }
        }
        (files, expected)
    }

    /// Prints each rule's counts and returns overall precision and recall, with the
    /// findings that were wrong or missing.
    fn measure(name: &str, text: &str) -> (f64, f64, Vec<(String, u32, String)>) {
        let (files, expected) = corpus(text);
        let mut found = HashSet::new();
        for (path, content) in &files {
            for f in check(&added(path, content.as_bytes()), &Limits::default()) {
                found.insert((f.file, f.line, f.rule));
            }
        }
        // Per rule: true positives, false positives, false negatives.
        let mut table: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
        for (_, _, rule) in found.union(&expected) {
            table.entry(rule.as_str()).or_default();
        }
        for key in &found {
            let counts = table.get_mut(key.2.as_str()).expect("listed");
            counts[usize::from(!expected.contains(key))] += 1;
        }
        for key in expected.difference(&found) {
            table.get_mut(key.2.as_str()).expect("listed")[2] += 1;
        }
        let ratio = |a: usize, b: usize| {
            if a + b == 0 {
                1.0
            } else {
                a as f64 / (a + b) as f64
            }
        };
        let mut totals = [0; 3];
        println!("{name}:");
        for (rule, [tp, fp, fn_]) in &table {
            println!(
                "  {rule:<20} tp {tp:>2} fp {fp:>2} fn {fn_:>2}  precision {:.2} recall {:.2}",
                ratio(*tp, *fp),
                ratio(*tp, *fn_)
            );
            totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn_];
        }
        let quiet = text.lines().filter(|l| l.starts_with("-\t")).count();
        let (precision, recall) = (ratio(totals[0], totals[1]), ratio(totals[0], totals[2]));
        println!(
            "  all rules: {} labelled findings, {quiet} lines that must stay quiet; precision {precision:.3}, recall {recall:.3}",
            expected.len()
        );
        let mut wrong: Vec<_> = found.symmetric_difference(&expected).cloned().collect();
        wrong.sort();
        (precision, recall, wrong)
    }

    #[test]
    fn precision_and_recall_on_the_labelled_corpus() {
        let (precision, recall, wrong) = measure("development set", CORPUS);
        println!("  mismatches: {wrong:?}");
        assert!(
            precision >= 0.95 && recall >= 0.95,
            "precision {precision:.3}, recall {recall:.3}; mismatches: {wrong:#?}"
        );
    }

    #[test]
    fn precision_and_recall_on_the_held_out_corpus() {
        let (precision, recall, wrong) = measure("held-out set", HOLDOUT);
        println!("  mismatches: {wrong:?}");
        assert!(
            precision >= 0.85 && recall >= 0.85,
            "precision {precision:.3}, recall {recall:.3}; mismatches: {wrong:#?}"
        );
    }

    #[test]
    fn large_and_binary_files_are_flagged_once_for_the_whole_file() {
        let limits = Limits::default();
        let binary = added("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        let found = check(&binary, &limits);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].line, found[0].rule.as_str()), (0, "binary-file"));
        let large = ChangedFile {
            path: "data.csv".into(),
            old_path: None,
            status: Status::Added,
            body: Body::TooLarge { size: 5_000_000 },
        };
        let found = check(&large, &limits);
        assert_eq!(found[0].rule, "large-file");
        assert!(found[0].message.contains("5.0 MB"), "{}", found[0].message);
    }

    #[test]
    fn old_problems_in_a_touched_file_are_not_reported() {
        let modified = ChangedFile::prepare(FileChange {
            path: "app.py".into(),
            old_path: None,
            status: Status::Modified,
            old: Some(Content::Bytes(b"breakpoint()\nx = 1   \n".to_vec())),
            new: Some(Content::Bytes(b"breakpoint()\nx = 1   \ny = 2\n".to_vec())),
        });
        assert_eq!(check(&modified, &Limits::default()), Vec::new());
    }

    #[test]
    fn many_whitespace_lines_are_summed_up() {
        let text: String = (0..25).map(|i| format!("x{i} = 1 \n")).collect();
        let found = check(&added("w.py", text.as_bytes()), &Limits::default());
        assert_eq!(found.len(), WHITESPACE_SHOWN);
        assert!(found[WHITESPACE_SHOWN - 1].message.contains("15 more"));
    }
}
