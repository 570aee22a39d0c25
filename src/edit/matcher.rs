//! Finding a SEARCH text in a file as it is now, and replacing it: exactly first, then
//! ignoring trailing whitespace, then tolerating a consistent indentation drift (the
//! replacement is re-indented to match), then an elided middle (a line of `...`). A
//! text found nowhere, or in more than one place, is never guessed at: the error says
//! where the closest lines are, so the model can try again.

/// How a SEARCH text was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    Exact,
    TrailingWhitespace,
    Indentation,
    Elided,
}

/// Why a SEARCH text could not be placed.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum MatchError {
    #[error("the SEARCH text is not in the file{}", closest_note(.closest))]
    NotFound { closest: Option<Closest> },
    #[error("the SEARCH text is in the file {} times (at lines {}): include more surrounding lines so it is unique", .lines.len(), list(.lines))]
    Ambiguous { lines: Vec<usize> },
    #[error("SEARCH and REPLACE are the same: the block changes nothing")]
    NoChange,
}

/// The part of a file most like a SEARCH text that was not found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closest {
    /// 1-based.
    pub line: usize,
    pub text: String,
}

fn closest_note(closest: &Option<Closest>) -> String {
    match closest {
        Some(c) => format!(
            "; the closest lines are at line {}:\n{}",
            c.line,
            c.text.trim_end()
        ),
        None => String::new(),
    }
}

fn list(lines: &[usize]) -> String {
    lines
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Replaces the one place `search` occurs in `text` with `replace`.
///
/// Blank lines at the edges of SEARCH are matched when the file has them there;
/// otherwise they are padding, and as many blank lines at the same edge of REPLACE are
/// padding too (else a block ending on a blank line would add one). A line REPLACE
/// repeats from SEARCH unchanged keeps the file's own bytes (its trailing whitespace,
/// a lone CR), so only what the model changed is changed.
pub fn replace(text: &str, search: &str, replace: &str) -> Result<(String, MatchKind), MatchError> {
    replace_near(text, search, replace, None)
}

/// `replace`, where a SEARCH found in several places is taken at the one nearest `line`
/// (1-based) when one is nearest: a diff's hunk header says where it meant.
pub fn replace_near(
    text: &str,
    search: &str,
    replace: &str,
    line: Option<usize>,
) -> Result<(String, MatchKind), MatchError> {
    if search == replace {
        return Err(MatchError::NoChange);
    }
    let file = split_lines(text);
    let full: Vec<&str> = search.lines().collect();
    let needle = trimmed(&full);
    let mut replace_lines: Vec<&str> = replace.lines().collect();
    let unpadded = |replace_lines: &mut Vec<&str>| {
        locate(&file, needle, line).map(|found| {
            let lead = full.iter().take_while(|l| l.trim().is_empty()).count();
            let trail = full.len() - lead - needle.len();
            *replace_lines = strip_blank_edges(replace_lines, lead, trail);
            (found, needle)
        })
    };
    let found = if needle.len() == full.len() {
        unpadded(&mut replace_lines)
    } else {
        match locate(&file, &full, line) {
            Ok(found) => Ok((found, full.as_slice())),
            Err(MatchError::NotFound { .. }) => unpadded(&mut replace_lines),
            Err(err) => Err(err),
        }
    };
    let ((span, kind, indent), needle) = match found {
        Ok(found) => found,
        Err(err) => match elided(&file, needle, replace)? {
            Some(done) => return Ok((rebuild(text, &file, done.0, &done.1), MatchKind::Elided)),
            None => return Err(err),
        },
    };
    let new_lines = keep_unchanged(&file[span.0..span.1], needle, &replace_lines, &indent);
    Ok((rebuild(text, &file, span, &new_lines), kind))
}

/// A text's lines without their `\n`; unlike `str::lines`, a CR before it stays.
fn split_lines(text: &str) -> Vec<&str> {
    match text.strip_suffix('\n').unwrap_or(text) {
        "" if !text.contains('\n') => Vec::new(),
        body => body.split('\n').collect(),
    }
}

/// `lines` without up to `lead` blank lines at the start and `trail` at the end.
fn strip_blank_edges<'a>(lines: &[&'a str], lead: usize, trail: usize) -> Vec<&'a str> {
    let start = lines
        .iter()
        .take(lead)
        .take_while(|l| l.trim().is_empty())
        .count();
    let rest = &lines[start..];
    let end = rest.len()
        - rest
            .iter()
            .rev()
            .take(trail)
            .take_while(|l| l.trim().is_empty())
            .count();
    rest[..end].to_vec()
}

/// The replacement's lines, re-indented; a line the model copied from SEARCH unchanged
/// is the file's line it matched.
fn keep_unchanged(
    found: &[&str],
    needle: &[&str],
    replace: &[&str],
    indent: &Indent,
) -> Vec<String> {
    let mut out: Vec<String> = replace.iter().map(|l| indent.apply(l)).collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, needle, replace);
    for op in ops {
        if let similar::DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                out[new_index + k] = found[old_index + k].to_string();
            }
        }
    }
    out
}

/// The file with lines `span` replaced, keeping its final newline as it was.
fn rebuild(text: &str, file: &[&str], span: (usize, usize), new: &[String]) -> String {
    let mut out: Vec<&str> = Vec::with_capacity(file.len() + new.len());
    out.extend_from_slice(&file[..span.0]);
    out.extend(new.iter().map(String::as_str));
    out.extend_from_slice(&file[span.1..]);
    // Lines, not text: what is left may be one blank line, which needs its newline.
    let some_lines = !out.is_empty();
    let mut joined = out.join("\n");
    if (text.ends_with('\n') || text.is_empty()) && some_lines {
        joined.push('\n');
    }
    joined
}

/// How the replacement's indentation changes to fit the file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Indent {
    Keep,
    Add(String),
    Remove(usize),
}

impl Indent {
    fn apply(&self, line: &str) -> String {
        match self {
            Indent::Keep => line.to_string(),
            _ if line.trim().is_empty() => String::new(),
            Indent::Add(prefix) => format!("{prefix}{line}"),
            Indent::Remove(n) => {
                let strip = line
                    .char_indices()
                    .take_while(|(i, c)| *i < *n && (*c == ' ' || *c == '\t'))
                    .count();
                line[strip..].to_string()
            }
        }
    }
}

/// Lines `start..end` of a file.
type Span = (usize, usize);
type Found = (Span, MatchKind, Indent);
/// How two lines are compared on one rung of the ladder.
type LineEq = fn(&str, &str) -> bool;

/// Where `needle` is in `file`, trying each tolerance in turn; `near` settles a tie.
fn locate(file: &[&str], needle: &[&str], near: Option<usize>) -> Result<Found, MatchError> {
    if needle.is_empty() {
        return Err(MatchError::NotFound { closest: None });
    }
    let rungs: [(MatchKind, LineEq); 2] = [
        (MatchKind::Exact, |a, b| a == b),
        (MatchKind::TrailingWhitespace, |a, b| {
            a.trim_end() == b.trim_end()
        }),
    ];
    for (kind, eq) in rungs {
        let starts = nearest(matches(file, needle, eq), near, |start| *start);
        match starts.as_slice() {
            [one] => return Ok(((*one, one + needle.len()), kind, Indent::Keep)),
            [] => {}
            many => {
                return Err(MatchError::Ambiguous {
                    lines: many.iter().map(|s| s + 1).collect(),
                });
            }
        }
    }
    let drifted: Vec<(usize, Indent)> = matches(file, needle, |f, n| f.trim() == n.trim())
        .into_iter()
        .filter_map(|start| {
            indent_shift(&file[start..start + needle.len()], needle).map(|i| (start, i))
        })
        .collect();
    let drifted = nearest(drifted, near, |(start, _)| *start);
    match drifted.as_slice() {
        [(start, indent)] => Ok((
            (*start, start + needle.len()),
            MatchKind::Indentation,
            indent.clone(),
        )),
        [] => Err(MatchError::NotFound {
            closest: closest(file, needle),
        }),
        many => Err(MatchError::Ambiguous {
            lines: many.iter().map(|(s, _)| s + 1).collect(),
        }),
    }
}

/// Of several places (each starting where `start` says), the one nearest `near`
/// (1-based) when there is one nearest; else all of them.
fn nearest<T>(places: Vec<T>, near: Option<usize>, start: impl Fn(&T) -> usize) -> Vec<T> {
    let Some(near) = near.map(|l| l.saturating_sub(1)) else {
        return places;
    };
    if places.len() < 2 {
        return places;
    }
    let distance = |p: &T| start(p).abs_diff(near);
    let best = places.iter().map(distance).min().expect("two or more");
    if places.iter().filter(|p| distance(p) == best).count() != 1 {
        return places;
    }
    places.into_iter().filter(|p| distance(p) == best).collect()
}

fn matches(file: &[&str], needle: &[&str], eq: impl Fn(&str, &str) -> bool) -> Vec<usize> {
    if needle.len() > file.len() {
        return Vec::new();
    }
    (0..=file.len() - needle.len())
        .filter(|&start| {
            file[start..start + needle.len()]
                .iter()
                .zip(needle)
                .all(|(f, n)| eq(f, n))
        })
        .collect()
}

fn leading(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// The one indentation change that turns every non-blank needle line into the file's.
fn indent_shift(found: &[&str], needle: &[&str]) -> Option<Indent> {
    let mut shift: Option<Indent> = None;
    for (f, n) in found.iter().zip(needle) {
        if n.trim().is_empty() {
            continue;
        }
        let (fi, ni) = (leading(f), leading(n));
        let this = if let Some(prefix) = fi.strip_suffix(ni) {
            if prefix.is_empty() {
                Indent::Keep
            } else {
                Indent::Add(prefix.to_string())
            }
        } else if ni.ends_with(fi) {
            Indent::Remove(ni.len() - fi.len())
        } else {
            return None;
        };
        match &shift {
            None => shift = Some(this),
            Some(s) if *s == this => {}
            Some(_) => return None,
        }
    }
    shift
}

/// A line that stands for lines the model left out.
fn is_elision(line: &str) -> bool {
    matches!(
        line.trim(),
        "..." | "…" | "# ..." | "// ..." | "/* ... */" | "# …" | "// …"
    )
}

/// SEARCH with `...` lines: its pieces are found in order. When REPLACE has as many
/// `...` lines, each piece is replaced by its counterpart and the elided lines kept;
/// otherwise the whole stretch from the first piece to the last is replaced.
fn elided(
    file: &[&str],
    needle: &[&str],
    replace: &str,
) -> Result<Option<(Span, Vec<String>)>, MatchError> {
    let pieces: Vec<&[&str]> = needle
        .split(|l| is_elision(l))
        .filter(|p| p.iter().any(|l| !l.trim().is_empty()))
        .collect();
    if pieces.len() < 2 || !needle.iter().any(|l| is_elision(l)) {
        return Ok(None);
    }
    // The first piece must be unique; each later one is the first after the previous.
    let mut spans = Vec::new();
    let mut from = 0;
    for (i, piece) in pieces.iter().enumerate() {
        let piece = trimmed(piece);
        let (span, _, indent) = locate(&file[from..], piece, None).or_else(|e| match e {
            MatchError::Ambiguous { .. } if i > 0 => first_match(&file[from..], piece),
            other => Err(other),
        })?;
        let span = (span.0 + from, span.1 + from);
        spans.push((span, indent));
        from = span.1;
    }
    let start = spans[0].0.0;
    let end = spans[spans.len() - 1].0.1;
    let replace_lines: Vec<&str> = replace.lines().collect();
    let replace_pieces: Vec<&[&str]> = replace_lines.split(|l| is_elision(l)).collect();
    let indent = &spans[0].1;
    let mut new = Vec::new();
    if replace_pieces.len() == spans.len() {
        for (k, ((_, span_indent), piece)) in spans.iter().zip(&replace_pieces).enumerate() {
            new.extend(piece.iter().map(|l| span_indent.apply(l)));
            if let Some(next) = spans.get(k + 1) {
                // Keep what the model elided, exactly as it is.
                new.extend(
                    file[spans[k].0.1..next.0.0]
                        .iter()
                        .map(|l| (*l).to_string()),
                );
            }
        }
    } else {
        new.extend(
            replace_lines
                .iter()
                .filter(|l| !is_elision(l))
                .map(|l| indent.apply(l)),
        );
    }
    Ok(Some(((start, end), new)))
}

fn trimmed<'a>(piece: &'a [&'a str]) -> &'a [&'a str] {
    let start = piece
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(piece.len());
    let end = piece
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(start, |e| e + 1);
    &piece[start..end]
}

fn first_match(file: &[&str], piece: &[&str]) -> Result<Found, MatchError> {
    let starts = matches(file, piece, |f, n| f.trim_end() == n.trim_end());
    starts
        .first()
        .map(|s| ((*s, s + piece.len()), MatchKind::Elided, Indent::Keep))
        .ok_or(MatchError::NotFound { closest: None })
}

/// The window of the file most like `needle`, by how many of its lines appear there.
fn closest(file: &[&str], needle: &[&str]) -> Option<Closest> {
    let width = needle.len().clamp(1, 12);
    // A window is `width` lines, so no more of the needle can be in it: a SEARCH of
    // thousands of lines costs what one of a dozen does.
    let wanted: Vec<&str> = needle
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .take(width)
        .collect();
    let score = |start: usize| -> f32 {
        let window = &file[start..(start + width).min(file.len())];
        wanted
            .iter()
            .map(|w| {
                window
                    .iter()
                    .map(|f| similar::TextDiff::from_chars(f.trim(), *w).ratio())
                    .fold(0.0f32, f32::max)
            })
            .sum()
    };
    let best = (0..file.len())
        .map(|s| (s, score(s)))
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    if best.1 < 0.5 {
        return None;
    }
    let end = (best.0 + width).min(file.len());
    Some(Closest {
        line: best.0 + 1,
        text: file[best.0..end].iter().map(|l| format!("{l}\n")).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "class Stack:\n    def __init__(self):\n        self.items = []\n\n    def push(self, x):\n        self.items.append(x)\n\n    def pop(self):\n        return self.items.pop()\n";

    #[test]
    fn exact_matches_are_replaced_in_place() {
        let (out, kind) = replace(
            FILE,
            "    def pop(self):\n        return self.items.pop()\n",
            "    def pop(self):\n        return self.items.pop() if self.items else None\n",
        )
        .unwrap();
        assert_eq!(kind, MatchKind::Exact);
        assert!(out.ends_with("        return self.items.pop() if self.items else None\n"));
        assert!(out.starts_with("class Stack:\n    def __init__(self):\n"));
    }

    #[test]
    fn trailing_whitespace_is_tolerated() {
        let (_, kind) = replace(
            FILE,
            "    def push(self, x):   \n",
            "    def push(self, item):\n",
        )
        .unwrap();
        assert_eq!(kind, MatchKind::TrailingWhitespace);
    }

    #[test]
    fn indentation_drift_reindents_the_replacement() {
        let (out, kind) = replace(
            FILE,
            "def pop(self):\n    return self.items.pop()\n",
            "def pop(self):\n    if not self.items:\n        return None\n    return self.items.pop()\n",
        )
        .unwrap();
        assert_eq!(kind, MatchKind::Indentation);
        assert!(out.ends_with(
            "    def pop(self):\n        if not self.items:\n            return None\n        return self.items.pop()\n"
        ));
    }

    #[test]
    fn an_elided_middle_keeps_what_was_left_out() {
        let (out, kind) = replace(
            FILE,
            "class Stack:\n...\n    def pop(self):\n",
            "class Stack:\n    \"\"\"A stack.\"\"\"\n...\n    def pop(self):\n",
        )
        .unwrap();
        assert_eq!(kind, MatchKind::Elided);
        assert!(
            out.starts_with("class Stack:\n    \"\"\"A stack.\"\"\"\n    def __init__(self):\n")
        );
        assert!(out.contains("    def push(self, x):\n        self.items.append(x)\n"));
    }

    #[test]
    fn missing_text_points_at_the_closest_lines() {
        let err = replace(
            FILE,
            "    def pop(this):\n        return this.items.pop()\n",
            "x\n",
        )
        .unwrap_err();
        let MatchError::NotFound { closest: Some(c) } = &err else {
            panic!("expected the closest lines, got {err:?}");
        };
        assert_eq!(c.line, 8);
        assert!(err.to_string().contains("line 8"));
    }

    #[test]
    fn ambiguous_and_empty_changes_are_refused() {
        let text = "x = 1\ny = 2\nx = 1\n";
        assert_eq!(
            replace(text, "x = 1\n", "x = 3\n"),
            Err(MatchError::Ambiguous { lines: vec![1, 3] })
        );
        assert_eq!(
            replace(text, "y = 2\n", "y = 2\n"),
            Err(MatchError::NoChange)
        );
    }

    #[test]
    fn a_lone_blank_line_left_keeps_its_newline() {
        // Found by fuzz/matcher.
        assert_eq!(
            replace("c\n\n", "c\n", ""),
            Ok(("\n".to_string(), MatchKind::Exact))
        );
        assert_eq!(
            replace("\nc\n", "c\n", ""),
            Ok(("\n".to_string(), MatchKind::Exact))
        );
        assert_eq!(replace("c\n", "c\n", "").map(|r| r.0), Ok(String::new()));
    }

    #[test]
    fn a_file_without_a_final_newline_keeps_it_that_way() {
        let (out, _) = replace("a\nb", "b\n", "c\n").unwrap();
        assert_eq!(out, "a\nc");
    }

    #[test]
    fn blank_lines_at_block_edges_are_not_added() {
        let file = "import os\n\nLIMIT = 1\n\n\ndef main():\n    pass\n";
        let search = "import os\n\nLIMIT = 1\n\n";
        let (out, kind) = replace(file, search, "import os\n\nLIMIT = 2\n\n").unwrap();
        assert_eq!(kind, MatchKind::Exact);
        assert_eq!(out, file.replace("LIMIT = 1", "LIMIT = 2"));
        // Padding the file does not have there is padding in REPLACE too.
        let (out, _) = replace(file, "\n\nLIMIT = 1\n\n\n\n", "\nLIMIT = 2\n\n\n\n").unwrap();
        assert_eq!(out, file.replace("LIMIT = 1", "LIMIT = 2"));
        let (out, _) = replace("a\nb\n", "b\n\n", "c\n\n").unwrap();
        assert_eq!(out, "a\nc\n");
    }

    #[test]
    fn a_line_hint_settles_a_search_found_twice() {
        let file = "x = 0\n    x = 1\n    return x\n\nx = 0\n    x = 1\n    return x\n";
        let (out, _) =
            replace_near(file, "x = 0\n    x = 1\n", "x = 0\n    x = 2\n", Some(5)).unwrap();
        assert!(out.ends_with("x = 0\n    x = 2\n    return x\n"));
        assert!(out.starts_with("x = 0\n    x = 1\n"));
        // Halfway between is no answer.
        assert!(matches!(
            replace_near("a\nb\na\n", "a\n", "c\n", Some(2)),
            Err(MatchError::Ambiguous { .. })
        ));
    }

    #[test]
    fn lines_copied_unchanged_keep_the_files_bytes() {
        let file = "def f():\n    x = 1   \n    \n    return x\r\n";
        // The reply dropped trailing whitespace and the CR: only the changed line changes.
        let (out, kind) = replace(
            file,
            "def f():\n    x = 1\n\n    return x\n",
            "def f():\n    x = 2\n\n    return x\n",
        )
        .unwrap();
        assert_eq!(kind, MatchKind::TrailingWhitespace);
        assert_eq!(out, "def f():\n    x = 2\n    \n    return x\r\n");
        // A whitespace-only line the model writes is kept as written.
        let (out, _) = replace("a\nb\n", "b\n", "b\n  \nc\n").unwrap();
        assert_eq!(out, "a\nb\n  \nc\n");
    }
}
