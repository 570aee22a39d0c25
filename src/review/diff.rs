//! From two versions of a file to what a review looks at: the lines the change adds,
//! numbered as in the new file, and hunks with a little context for the model.

use std::time::Duration;

use similar::{DiffTag, TextDiff};

/// How long one file's line diff may search for the smallest diff before it settles
/// for a larger one (which only makes a few unchanged lines count as added).
const DIFF_TIMEOUT: Duration = Duration::from_millis(200);

/// Lines of unchanged context around each hunk the model sees.
const CONTEXT: usize = 3;

/// One line of the new file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// From 1.
    pub number: u32,
    /// Without its line ending.
    pub text: String,
    /// It ended in `\r\n`.
    pub crlf: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HunkLine {
    Context(Line),
    Added(Line),
    Removed(String),
}

/// A run of changes with its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub lines: Vec<HunkLine>,
}

impl Hunk {
    /// The hunk as the model reads it: new-file line numbers on the left, so the
    /// lines it names are the ones findings use.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            match line {
                HunkLine::Context(l) => out.push_str(&format!("{:>5}   {}\n", l.number, l.text)),
                HunkLine::Added(l) => out.push_str(&format!("{:>5} + {}\n", l.number, l.text)),
                HunkLine::Removed(text) => out.push_str(&format!("      - {text}\n")),
            }
        }
        out
    }
}

/// A text file's change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    pub added: Vec<Line>,
    pub hunks: Vec<Hunk>,
    /// Lines of the new file.
    pub line_count: u32,
    /// Lines of the new file that end in `\r\n`, and in a bare `\n`.
    pub crlf_lines: u32,
    pub lf_lines: u32,
    /// The last line has a line ending.
    pub ends_with_newline: bool,
}

/// Whether content is binary, by git's rule: a NUL byte in its first 8000 bytes.
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8000).any(|b| *b == 0)
}

/// Text for review: invalid UTF-8 is replaced, never a reason to fail, and never
/// changes line boundaries (so line numbers stay right).
pub fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

fn line(number: usize, raw: &str) -> Line {
    let without_lf = raw.strip_suffix('\n').unwrap_or(raw);
    let (text, crlf) = match without_lf.strip_suffix('\r') {
        Some(t) if raw.ends_with('\n') => (t, true),
        _ => (without_lf, false),
    };
    Line {
        number: u32::try_from(number + 1).unwrap_or(u32::MAX),
        text: text.to_string(),
        crlf,
    }
}

/// The change from `old` to `new` (`old` empty for an added file).
pub fn diff(old: &str, new: &str) -> Diff {
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut diff = Diff {
        line_count: u32::try_from(new_lines.len()).unwrap_or(u32::MAX),
        ends_with_newline: new.ends_with('\n'),
        ..Diff::default()
    };
    for raw in &new_lines {
        if raw.ends_with("\r\n") {
            diff.crlf_lines += 1;
        } else if raw.ends_with('\n') {
            diff.lf_lines += 1;
        }
    }
    if old.is_empty() {
        // An added file: every line is new, no diff to search.
        diff.added = new_lines
            .iter()
            .enumerate()
            .map(|(i, raw)| line(i, raw))
            .collect();
        if !diff.added.is_empty() {
            diff.hunks.push(Hunk {
                lines: diff.added.iter().cloned().map(HunkLine::Added).collect(),
            });
        }
        return diff;
    }
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let text_diff = TextDiff::configure()
        .timeout(DIFF_TIMEOUT)
        .diff_slices(&old_lines, &new_lines);
    for op in text_diff.ops() {
        let (tag, _, new_range) = op.as_tag_tuple();
        if matches!(tag, DiffTag::Insert | DiffTag::Replace) {
            diff.added.extend(new_range.map(|i| line(i, new_lines[i])));
        }
    }
    for group in text_diff.grouped_ops(CONTEXT) {
        let mut hunk = Hunk { lines: Vec::new() };
        for op in group {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => hunk
                    .lines
                    .extend(new_range.map(|i| HunkLine::Context(line(i, new_lines[i])))),
                DiffTag::Delete | DiffTag::Insert | DiffTag::Replace => {
                    hunk.lines
                        .extend(old_range.map(|i| HunkLine::Removed(line(i, old_lines[i]).text)));
                    hunk.lines
                        .extend(new_range.map(|i| HunkLine::Added(line(i, new_lines[i]))));
                }
            }
        }
        diff.hunks.push(hunk);
    }
    diff
}

/// How alike two contents are, from 0 to 1, by lines.
pub fn similarity(old: &[u8], new: &[u8]) -> f32 {
    let (old, new) = (text(old), text(new));
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    TextDiff::configure()
        .timeout(DIFF_TIMEOUT)
        .diff_slices(&old_lines, &new_lines)
        .ratio()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added(diff: &Diff) -> Vec<(u32, &str)> {
        diff.added
            .iter()
            .map(|l| (l.number, l.text.as_str()))
            .collect()
    }

    #[test]
    fn added_lines_carry_their_new_file_numbers() {
        let d = diff("a\nb\nc\n", "a\nB\nb\nc\nd");
        assert_eq!(added(&d), vec![(2, "B"), (5, "d")]);
        assert_eq!(d.line_count, 5);
        assert_eq!(d.hunks.len(), 1);
        let rendered = d.hunks[0].render();
        assert!(rendered.contains("    2 + B\n"), "{rendered}");
        assert!(rendered.contains("    1   a\n"), "{rendered}");
    }

    #[test]
    fn a_new_file_is_all_added_and_line_endings_are_counted() {
        let d = diff("", "x\r\ny\nz");
        assert_eq!(added(&d), vec![(1, "x"), (2, "y"), (3, "z")]);
        assert!(d.added[0].crlf && !d.added[1].crlf && !d.added[2].crlf);
        assert_eq!((d.crlf_lines, d.lf_lines), (1, 1));
    }

    #[test]
    fn replaced_lines_show_what_they_replaced() {
        let d = diff("keep\nold\nkeep\n", "keep\nnew\nkeep\n");
        assert_eq!(added(&d), vec![(2, "new")]);
        assert!(d.hunks[0].render().contains("      - old\n"));
    }

    #[test]
    fn binary_is_a_nul_byte_early_on() {
        assert!(is_binary(b"PNG\0\x01"));
        assert!(!is_binary("héllo\n".as_bytes()));
        assert!(!is_binary(b"\xff\xfe not utf-8 but no NUL"));
    }

    #[test]
    fn invalid_utf8_keeps_line_numbers() {
        let new = text(b"ok\n\xff\xfebad\nlast\n").into_owned();
        let d = diff("", &new);
        assert_eq!(d.added.len(), 3);
        assert_eq!(d.added[2].text, "last");
    }
}
