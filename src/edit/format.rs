//! Reading a model's reply into edit blocks: SEARCH/REPLACE blocks, fenced unified diffs
//! (turned into SEARCH/REPLACE blocks, one per hunk, so that they are matched as
//! tolerantly), and fenced code under a path (a whole file, or whole definitions to
//! splice in by name). Chatter around the blocks is ignored; path lines may be wrapped
//! in backticks or `**`, or end with a colon.

use std::sync::LazyLock;

use regex::Regex;

/// One change a reply asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditBlock {
    /// Replace `search` with `replace` in `path`. An empty `search` creates the file,
    /// or appends to it when it exists.
    Replace {
        path: String,
        search: String,
        replace: String,
        /// Where SEARCH starts (1-based) in the file as edited so far, when the reply
        /// says (a diff's hunk header): it only settles a SEARCH found in several places.
        line: Option<usize>,
    },
    /// Fenced code for `path`: a whole file, or whole definitions to splice in.
    Code { path: String, code: String },
}

impl EditBlock {
    pub fn path(&self) -> &str {
        match self {
            EditBlock::Replace { path, .. } | EditBlock::Code { path, .. } => path,
        }
    }
}

/// Why a reply could not be read.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    #[error("the reply holds no edit: no SEARCH/REPLACE block, diff or code block")]
    Empty,
    #[error("block {0} has no ======= line between its SEARCH and REPLACE parts")]
    NoDivider(usize),
    #[error("block {0} has no >>>>>>> REPLACE line (the reply may have been cut off)")]
    Unterminated(usize),
    #[error(
        "block {0} does not say which file it edits: put the file's path on the line before it"
    )]
    NoPath(usize),
    #[error(
        "a code block does not say which file it is for: put the file's path on the line before it"
    )]
    CodeWithoutPath,
    #[error("a code block is not closed with ``` (the reply may have been cut off)")]
    UnclosedFence,
}

static SEARCH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*<{5,9}\s*SEARCH\b").expect("valid regex"));
static DIVIDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*={5,9}\s*$").expect("valid regex"));
static REPLACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*>{5,9}\s*REPLACE\b").expect("valid regex"));
static FENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$").expect("valid regex"));
static HUNK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@").expect("valid regex"));

/// Reads every edit in `reply`. `default_path` names the file a block is for when the
/// reply does not say (a request about one file).
pub fn parse(reply: &str, default_path: Option<&str>) -> Result<Vec<EditBlock>, FormatError> {
    let lines: Vec<&str> = reply.lines().map(|l| l.trim_end_matches('\r')).collect();
    let blocks = if lines.iter().any(|l| SEARCH.is_match(l)) {
        search_replace(&lines, default_path)?
    } else if let Some(blocks) = unified_diff(&lines) {
        blocks
    } else {
        code_blocks(&lines, default_path)?
    };
    if blocks.is_empty() {
        return Err(FormatError::Empty);
    }
    Ok(blocks)
}

fn search_replace(
    lines: &[&str],
    default_path: Option<&str>,
) -> Result<Vec<EditBlock>, FormatError> {
    let mut blocks = Vec::new();
    let mut path: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if !SEARCH.is_match(line) {
            if let Some(p) = path_line(line) {
                path = Some(p);
            }
            continue;
        }
        // The line just above the block (or above its fence) names the file, even when
        // the name has no extension or directory (`Makefile`, `sub`): a path that is
        // not a file the edit may write is refused by name, never guessed at.
        if let Some(name) = lines[..i - 1]
            .iter()
            .rev()
            .find(|l| !FENCE.is_match(l))
            .and_then(|l| bare_path(l))
        {
            path = Some(name);
        }
        let number = blocks.len() + 1;
        let block_path = path
            .clone()
            .or_else(|| default_path.map(str::to_string))
            .ok_or(FormatError::NoPath(number))?;
        // The block's body runs to the REPLACE marker; the divider is chosen after,
        // since a body can hold lines that look like one (a reStructuredText heading).
        let body_start = i;
        loop {
            let Some(line) = lines.get(i) else {
                return Err(unfinished(&lines[body_start..], number));
            };
            i += 1;
            if REPLACE.is_match(line) {
                break;
            }
            if SEARCH.is_match(line) {
                return Err(unfinished(&lines[body_start..i - 1], number));
            }
        }
        let body = &lines[body_start..i - 1];
        let divider = divider(body).ok_or(FormatError::NoDivider(number))?;
        let (search, replace) = (&body[..divider], &body[divider + 1..]);
        blocks.push(EditBlock::Replace {
            path: block_path,
            search: joined(search),
            replace: replacement(replace),
            line: None,
        });
    }
    Ok(blocks)
}

/// Which of a block's lines divides SEARCH from REPLACE. When several look like a
/// divider, the ones of exactly seven `=` are preferred, and of an odd number of those
/// the middle one: a line like it in SEARCH usually stays in REPLACE.
fn divider(body: &[&str]) -> Option<usize> {
    let all: Vec<usize> = (0..body.len())
        .filter(|&k| DIVIDER.is_match(body[k]))
        .collect();
    let exact: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&k| body[k].trim() == "=======")
        .collect();
    let pick = if exact.is_empty() { &all } else { &exact };
    match pick.len() {
        0 => None,
        n if n % 2 == 1 => Some(pick[n / 2]),
        _ => Some(pick[0]),
    }
}

/// The error for a block cut off before its REPLACE marker.
fn unfinished(body: &[&str], number: usize) -> FormatError {
    if body.iter().any(|l| DIVIDER.is_match(l)) {
        FormatError::Unterminated(number)
    } else {
        FormatError::NoDivider(number)
    }
}

/// Lines as text, each ending in a newline; blank-only content is empty.
fn joined(lines: &[&str]) -> String {
    if lines.iter().all(|l| l.trim().is_empty()) {
        return String::new();
    }
    kept(lines)
}

/// A REPLACE's lines as text: only empty lines and nothing else mean "nothing" (a
/// line of spaces is content a change can write).
fn replacement(lines: &[&str]) -> String {
    if lines.iter().all(|l| l.is_empty()) {
        return String::new();
    }
    kept(lines)
}

fn kept(lines: &[&str]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// A unified diff (fenced or bare): one SEARCH/REPLACE block per hunk, so the hunks are
/// located by content rather than by line numbers a model rarely gets right.
fn unified_diff(lines: &[&str]) -> Option<Vec<EditBlock>> {
    let starts: Vec<usize> = (0..lines.len().saturating_sub(1))
        .filter(|&i| lines[i].starts_with("--- ") && lines[i + 1].starts_with("+++ "))
        .collect();
    if starts.is_empty() {
        return None;
    }
    let mut blocks = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        let new = diff_path(&lines[start + 1][4..]);
        let old = diff_path(&lines[start][4..]);
        let Some(path) = new.or(old) else { continue };
        let mut search: Vec<&str> = Vec::new();
        let mut replace: Vec<&str> = Vec::new();
        let mut in_hunk = false;
        let mut at: Option<usize> = None;
        let flush = |search: &mut Vec<&str>,
                     replace: &mut Vec<&str>,
                     at: Option<usize>,
                     blocks: &mut Vec<_>| {
            if !search.is_empty() || !replace.is_empty() {
                blocks.push(EditBlock::Replace {
                    path: path.clone(),
                    search: joined(search),
                    replace: replacement(replace),
                    line: at,
                });
            }
            search.clear();
            replace.clear();
        };
        for line in &lines[start + 2..end] {
            if let Some(hunk) = HUNK.captures(line) {
                flush(&mut search, &mut replace, at, &mut blocks);
                // The new file's line: where the hunk lands once the ones before it
                // are applied, as they are here, in order.
                at = hunk[1].parse().ok();
                in_hunk = true;
                continue;
            }
            // A fence at the start of a line closes the diff; a context line holding a
            // fence (Markdown) starts with the space of context.
            let fence = line.starts_with("```") || line.starts_with("~~~");
            if !in_hunk || fence {
                in_hunk = in_hunk && !fence;
                continue;
            }
            match line.chars().next() {
                Some('-') => search.push(&line[1..]),
                Some('+') => replace.push(&line[1..]),
                Some(' ') => {
                    search.push(&line[1..]);
                    replace.push(&line[1..]);
                }
                None => {
                    search.push("");
                    replace.push("");
                }
                Some('\\') => {}
                Some(_) => in_hunk = false,
            }
        }
        flush(&mut search, &mut replace, at, &mut blocks);
    }
    Some(blocks)
}

/// The path of a `---`/`+++` line: without `a/`/`b/`, a timestamp, or `/dev/null`.
fn diff_path(raw: &str) -> Option<String> {
    let raw = raw.split('\t').next().unwrap_or(raw).trim();
    if raw == "/dev/null" || raw.is_empty() {
        return None;
    }
    let raw = raw
        .strip_prefix("a/")
        .or_else(|| raw.strip_prefix("b/"))
        .unwrap_or(raw);
    Some(raw.to_string())
}

fn code_blocks(lines: &[&str], default_path: Option<&str>) -> Result<Vec<EditBlock>, FormatError> {
    let mut blocks = Vec::new();
    let mut path: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let Some(open) = FENCE.captures(line) else {
            if let Some(p) = path_line(line) {
                path = Some(p);
            } else if !line.trim().is_empty() && !is_chatter_before_code(line) {
                // A sentence between a path and its block breaks the link.
                path = None;
            }
            continue;
        };
        let marker = open[1].to_string();
        let info = format!("{} {}", &open[2], &open[3]);
        let mut body = Vec::new();
        let mut closed = false;
        while let Some(line) = lines.get(i) {
            i += 1;
            if line.trim() == marker {
                closed = true;
                break;
            }
            body.push(*line);
        }
        if !closed {
            return Err(FormatError::UnclosedFence);
        }
        if is_example_language(&open[2]) {
            path = None;
            continue;
        }
        // The path may also sit in the fence's info string, or in a first-line comment.
        let from_info = info.split_whitespace().find_map(path_token);
        let from_comment = body.first().and_then(|first| path_comment(first));
        if from_comment.is_some() {
            body.remove(0);
        }
        let block_path = from_info
            .or(from_comment)
            .or_else(|| path.take())
            .or_else(|| default_path.map(str::to_string))
            .ok_or(FormatError::CodeWithoutPath)?;
        blocks.push(EditBlock::Code {
            path: block_path,
            code: joined(&body),
        });
        path = None;
    }
    Ok(blocks)
}

/// Lines like "Here is the updated file:" that may sit between a path and its code.
fn is_chatter_before_code(line: &str) -> bool {
    let t = line.trim();
    t.ends_with(':') && t.split_whitespace().count() <= 8
}

/// Blocks that show how to run something, not a file's content.
fn is_example_language(lang: &str) -> bool {
    matches!(
        lang.to_ascii_lowercase().as_str(),
        "bash" | "sh" | "shell" | "console" | "text" | "output" | "plaintext"
    )
}

/// A line that names a file: `search.py`, `` `src/a.rs` ``, `**a.py**`, `a.py:`,
/// `File: a.py`, `### a.py`.
fn path_line(line: &str) -> Option<String> {
    let mut t = line.trim();
    for prefix in [
        "#",
        "File:",
        "file:",
        "Path:",
        "path:",
        "Filename:",
        "filename:",
    ] {
        while let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim_start();
        }
    }
    path_token(t)
}

/// A token that looks like a relative file path once its wrapping is removed.
fn path_token(token: &str) -> Option<String> {
    let t = token
        .trim()
        .trim_end_matches(':')
        .trim_matches(|c| c == '`' || c == '*' || c == '"' || c == '\'')
        .trim_end_matches(':');
    let plausible = !t.is_empty()
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && (t.contains('.') || t.contains('/'))
        && !t.ends_with('.')
        && t.chars().any(char::is_alphabetic);
    // `../x` and `.git/config` are kept as written, so confinement refuses them by name
    // rather than the block landing in some other file.
    plausible.then(|| t.strip_prefix("./").unwrap_or(t).to_string())
}

/// A line that is nothing but one name (`Makefile`, `` `sub` ``): a label like `Fix:`
/// is not one.
fn bare_path(line: &str) -> Option<String> {
    let t = line
        .trim()
        .trim_matches(|c| c == '`' || c == '*' || c == '"' || c == '\'');
    let name = !t.is_empty()
        && !t.ends_with(':')
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && t.chars().any(char::is_alphabetic);
    name.then(|| t.strip_prefix("./").unwrap_or(t).to_string())
}

/// `# search.py`, `// file: src/a.rs`: a first-line comment that names the file.
fn path_comment(line: &str) -> Option<String> {
    let t = line.trim();
    let rest = ["#", "//", "--", ";"]
        .iter()
        .find_map(|c| t.strip_prefix(c))?
        .trim();
    let rest = ["file:", "File:", "filename:", "path:"]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .unwrap_or(rest)
        .trim();
    if rest.contains(char::is_whitespace) {
        return None;
    }
    // A bare comment word with a dot ("# e.g.") is not a path; require a known shape.
    let token = path_token(rest)?;
    token
        .rsplit_once('.')
        .is_some_and(|(_, ext)| {
            (1..=5).contains(&ext.len()) && ext.chars().all(char::is_alphanumeric)
        })
        .then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(path: &str, search: &str, replace: &str) -> EditBlock {
        EditBlock::Replace {
            path: path.into(),
            search: search.into(),
            replace: replace.into(),
            line: None,
        }
    }

    #[test]
    fn blocks_are_read_through_fences_chatter_and_path_variants() {
        let reply = "Sure! Here is the change.\n\n**src/search.py**\n```python\n<<<<<<< SEARCH\ndef f():\n    return 1\n=======\ndef f():\n    return 2\n>>>>>>> REPLACE\n```\n\nAnd a second one:\n`b.py`:\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\nHope this helps.";
        assert_eq!(
            parse(reply, None).unwrap(),
            vec![
                replace(
                    "src/search.py",
                    "def f():\n    return 1\n",
                    "def f():\n    return 2\n"
                ),
                replace("b.py", "x = 1\n", "x = 2\n"),
            ]
        );
    }

    fn hunk(mut block: EditBlock, at: usize) -> EditBlock {
        if let EditBlock::Replace { line, .. } = &mut block {
            *line = Some(at);
        }
        block
    }

    #[test]
    fn a_heading_underline_in_a_block_is_not_its_divider() {
        let reply = "README.rst\n<<<<<<< SEARCH\nLicense\n=======\n\nMIT\n=======\nLicense\n=======\n\nMIT or Apache-2.0\n>>>>>>> REPLACE\n";
        assert_eq!(
            parse(reply, None).unwrap(),
            vec![replace(
                "README.rst",
                "License\n=======\n\nMIT\n",
                "License\n=======\n\nMIT or Apache-2.0\n"
            )]
        );
    }

    #[test]
    fn a_diff_keeps_fenced_context_and_says_where_each_hunk_lands() {
        let reply = "```diff\n--- a/README.md\n+++ b/README.md\n@@ -3,5 +3,5 @@\n ```python\n print(1)\n ```\n \n-Old text.\n+New text.\n```\n";
        assert_eq!(
            parse(reply, None).unwrap(),
            vec![hunk(
                replace(
                    "README.md",
                    "```python\nprint(1)\n```\n\nOld text.\n",
                    "```python\nprint(1)\n```\n\nNew text.\n"
                ),
                3
            )]
        );
    }

    #[test]
    fn a_bare_name_above_a_block_is_its_path() {
        let block = "<<<<<<< SEARCH\n=======\nall:\n>>>>>>> REPLACE\n";
        for (above, path) in [
            ("Makefile\n", "Makefile"),
            ("`sub`\n```\n", "sub"),
            ("Fix:\n", "a.py"),
            ("Here is the change\n", "a.py"),
        ] {
            let reply = format!("{above}{block}");
            assert_eq!(
                parse(&reply, Some("a.py")).unwrap(),
                vec![replace(path, "", "all:\n")],
                "{above:?}"
            );
        }
    }

    #[test]
    fn an_empty_search_creates_and_the_default_path_fills_in() {
        let reply = "<<<<<<< SEARCH\n=======\nprint('hi')\n>>>>>>> REPLACE\n";
        assert_eq!(
            parse(reply, Some("hello.py")).unwrap(),
            vec![replace("hello.py", "", "print('hi')\n")]
        );
        assert_eq!(parse(reply, None), Err(FormatError::NoPath(1)));
    }

    #[test]
    fn broken_blocks_say_what_is_missing() {
        let no_divider = "a.py\n<<<<<<< SEARCH\nx\n>>>>>>> REPLACE\n";
        assert_eq!(parse(no_divider, None), Err(FormatError::NoDivider(1)));
        let cut = "a.py\n<<<<<<< SEARCH\nx\n=======\ny\n";
        assert_eq!(parse(cut, None), Err(FormatError::Unterminated(1)));
        assert_eq!(parse("I cannot do that.", None), Err(FormatError::Empty));
        assert_eq!(
            parse("a.py\n```python\ndef f():\n", None),
            Err(FormatError::UnclosedFence)
        );
    }

    #[test]
    fn unified_diffs_become_one_block_per_hunk() {
        let reply = "```diff\n--- a/calc.py\n+++ b/calc.py\n@@ -1,3 +1,3 @@\n def add(a, b):\n-    return a - b\n+    return a + b\n \n@@ -10,2 +10,3 @@\n x = 1\n+y = 2\n```\n";
        assert_eq!(
            parse(reply, None).unwrap(),
            vec![
                hunk(
                    replace(
                        "calc.py",
                        "def add(a, b):\n    return a - b\n\n",
                        "def add(a, b):\n    return a + b\n\n"
                    ),
                    1
                ),
                hunk(replace("calc.py", "x = 1\n", "x = 1\ny = 2\n"), 10),
            ]
        );
    }

    #[test]
    fn code_blocks_take_their_path_from_around_them() {
        let reply = "search.py\n```python\ndef f():\n    pass\n```\nUsage:\n```bash\npython search.py\n```\n```python\n# util/io.py\nimport os\n```\n";
        assert_eq!(
            parse(reply, None).unwrap(),
            vec![
                EditBlock::Code {
                    path: "search.py".into(),
                    code: "def f():\n    pass\n".into()
                },
                EditBlock::Code {
                    path: "util/io.py".into(),
                    code: "import os\n".into()
                },
            ]
        );
        let unnamed = "Here you go:\n```python\nx = 1\n```\n";
        assert_eq!(parse(unnamed, None), Err(FormatError::CodeWithoutPath));
        assert_eq!(
            parse(unnamed, Some("a.py")).unwrap(),
            vec![EditBlock::Code {
                path: "a.py".into(),
                code: "x = 1\n".into()
            }]
        );
    }

    #[test]
    fn sentences_are_not_paths() {
        for line in ["e.g.", "Here is the code.", "1.", "...", "Note: done", "v2"] {
            assert_eq!(path_line(line), None, "{line}");
        }
        for (line, path) in [
            ("`a.py`", "a.py"),
            ("**src/x.rs**:", "src/x.rs"),
            ("File: lib/m.js", "lib/m.js"),
            ("### ./tools/run.sh", "tools/run.sh"),
            ("../outside.py", "../outside.py"),
            (".env", ".env"),
        ] {
            assert_eq!(path_line(line).as_deref(), Some(path), "{line}");
        }
    }
}
