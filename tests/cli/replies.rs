//! Model replies written from a real change: given a file's old and new text, the
//! replies a model would give for it in each shape the tool accepts — SEARCH/REPLACE
//! blocks with the change's own context (exact, whitespace-drifted, indentation-drifted,
//! fenced with chatter), a unified diff, and whole definitions. Each SEARCH is unique
//! where it is applied (context grows until it is), so a correct tool reproduces the new
//! text byte for byte.

use std::ops::Range;

use similar::{Algorithm, DiffOp, DiffTag};

/// The shapes a reply can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Variant {
    /// SEARCH/REPLACE blocks with the change's own context lines.
    Exact,
    /// Trailing whitespace dropped from SEARCH and from REPLACE's context lines (or,
    /// where there is none, added to them).
    Whitespace,
    /// Each block's SEARCH and REPLACE shifted by one consistent amount (code only).
    Indentation,
    /// The file in CRLF, the reply (exact blocks) in LF.
    Crlf,
    /// Exact blocks in ```lang fences, prose around them, the path in backticks or bold.
    Fenced,
    /// A fenced unified diff with three lines of context.
    Diff,
    /// The changed top-level definitions, whole, in a fenced block under the path.
    Definitions,
}

impl Variant {
    pub const ALL: [Variant; 7] = [
        Variant::Exact,
        Variant::Whitespace,
        Variant::Indentation,
        Variant::Crlf,
        Variant::Fenced,
        Variant::Diff,
        Variant::Definitions,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Exact => "exact",
            Variant::Whitespace => "whitespace-drift",
            Variant::Indentation => "indentation-drift",
            Variant::Crlf => "crlf-file",
            Variant::Fenced => "fenced-chatter",
            Variant::Diff => "unified-diff",
            Variant::Definitions => "definitions",
        }
    }
}

/// One block: lines `old` of the old text become lines `new` of the new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub old: Range<usize>,
    pub new: Range<usize>,
}

/// How two lines compare when deciding whether a SEARCH text is unique: the matcher
/// must not find it anywhere else under the tolerance the variant relies on.
pub type Same = fn(&str, &str) -> bool;

pub fn exactly(a: &str, b: &str) -> bool {
    a == b
}

pub fn without_trailing(a: &str, b: &str) -> bool {
    a.trim_end() == b.trim_end()
}

pub fn without_indentation(a: &str, b: &str) -> bool {
    a.trim() == b.trim()
}

/// The lines of a text, as the matcher splits them.
pub fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// The change as blocks with `context` lines around each hunk (adjacent hunks merged,
/// as `git diff` does), each grown until its SEARCH occurs once, under `same`, in the
/// text it is applied to (earlier blocks already applied).
pub fn blocks(old: &[&str], new: &[&str], context: usize, same: Same) -> Vec<Block> {
    let ops = similar::capture_diff_slices(Algorithm::Myers, old, new);
    let mut blocks: Vec<Block> = similar::group_diff_ops(ops, context)
        .iter()
        .map(|group| {
            let (first, last) = (&group[0], &group[group.len() - 1]);
            Block {
                old: first.old_range().start..last.old_range().end,
                new: first.new_range().start..last.new_range().end,
            }
        })
        .collect();
    loop {
        merge_overlapping(&mut blocks);
        let mut grown = false;
        for b in &mut blocks {
            let needle = &old[b.old.clone()];
            let blank = needle.iter().all(|l| l.trim().is_empty());
            let unique = !blank && {
                let mut current: Vec<&str> = new[..b.new.start].to_vec();
                current.extend_from_slice(&old[b.old.start..]);
                occurrences(&current, needle, same) == 1
            };
            if unique {
                continue;
            }
            if b.old.start > 0 && b.new.start > 0 {
                b.old.start -= 1;
                b.new.start -= 1;
                grown = true;
            }
            if b.old.end < old.len() && b.new.end < new.len() {
                b.old.end += 1;
                b.new.end += 1;
                grown = true;
            }
        }
        if !grown {
            merge_overlapping(&mut blocks);
            return blocks;
        }
    }
}

fn merge_overlapping(blocks: &mut Vec<Block>) {
    let mut merged: Vec<Block> = Vec::with_capacity(blocks.len());
    for b in blocks.drain(..) {
        match merged.last_mut() {
            Some(prev) if b.old.start <= prev.old.end => {
                prev.old.end = prev.old.end.max(b.old.end);
                prev.new.end = prev.new.end.max(b.new.end);
            }
            _ => merged.push(b),
        }
    }
    *blocks = merged;
}

fn occurrences(haystack: &[&str], needle: &[&str], same: Same) -> usize {
    if needle.is_empty() || needle.len() > haystack.len() {
        return usize::from(needle.is_empty());
    }
    haystack
        .windows(needle.len())
        .filter(|w| w.iter().zip(needle).all(|(a, b)| same(a, b)))
        .count()
}

/// Which lines of the new text are unchanged context (not inserted by the change).
fn context_lines(old: &[&str], new: &[&str]) -> Vec<bool> {
    let mut context = vec![false; new.len()];
    for op in similar::capture_diff_slices(Algorithm::Myers, old, new) {
        if op.tag() == DiffTag::Equal {
            if let DiffOp::Equal { new_index, len, .. } = op {
                context[new_index..new_index + len].fill(true);
            }
        }
    }
    context
}

fn block_text(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// A SEARCH/REPLACE block as the format writes it, after its path line.
fn search_replace(search: &[String], replace: &[String]) -> String {
    format!(
        "<<<<<<< SEARCH\n{}=======\n{}>>>>>>> REPLACE\n",
        block_text(search),
        block_text(replace)
    )
}

fn owned(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| (*l).to_string()).collect()
}

/// Plain SEARCH/REPLACE blocks, each under the path.
pub fn exact_reply(path: &str, old: &str, new: &str) -> String {
    let (o, n) = (lines(old), lines(new));
    blocks(&o, &n, 3, exactly)
        .iter()
        .map(|b| {
            format!(
                "{path}\n{}",
                search_replace(&owned(&o[b.old.clone()]), &owned(&n[b.new.clone()]))
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Blocks with trailing whitespace dropped from SEARCH and from REPLACE's context
/// lines (what a model copies); lines the change adds keep theirs. Where no line of any
/// block has trailing whitespace to drop, the drift goes the other way: two spaces
/// after every non-blank line of SEARCH and of REPLACE's context. `None` when a block
/// changes nothing but trailing whitespace.
pub fn whitespace_reply(path: &str, old: &str, new: &str) -> Option<String> {
    dropped_whitespace_reply(path, old, new).or_else(|| added_whitespace_reply(path, old, new))
}

fn added_whitespace_reply(path: &str, old: &str, new: &str) -> Option<String> {
    let (o, n) = (lines(old), lines(new));
    let context = context_lines(&o, &n);
    let pad = |l: &str| {
        if l.trim().is_empty() {
            l.to_string()
        } else {
            format!("{l}  ")
        }
    };
    let mut expressible = true;
    let reply = blocks(&o, &n, 3, without_trailing)
        .iter()
        .map(|b| {
            let search: Vec<String> = o[b.old.clone()].iter().map(|l| pad(l)).collect();
            let replace: Vec<String> = b
                .new
                .clone()
                .map(|i| {
                    if context[i] {
                        pad(n[i])
                    } else {
                        n[i].to_string()
                    }
                })
                .collect();
            expressible &= search != replace;
            format!("{path}\n{}", search_replace(&search, &replace))
        })
        .collect::<Vec<_>>()
        .join("\n");
    expressible.then_some(reply)
}

fn dropped_whitespace_reply(path: &str, old: &str, new: &str) -> Option<String> {
    let (o, n) = (lines(old), lines(new));
    let context = context_lines(&o, &n);
    let (mut drifted, mut expressible) = (false, true);
    let reply = blocks(&o, &n, 3, without_trailing)
        .iter()
        .map(|b| {
            let search: Vec<String> = o[b.old.clone()]
                .iter()
                .map(|l| l.trim_end().to_string())
                .collect();
            let replace: Vec<String> = b
                .new
                .clone()
                .map(|i| {
                    if context[i] {
                        n[i].trim_end().to_string()
                    } else {
                        n[i].to_string()
                    }
                })
                .collect();
            drifted |= search.iter().zip(&o[b.old.clone()]).any(|(a, b)| a != b);
            // A change to trailing whitespace alone cannot be written without it.
            expressible &= search != replace;
            format!("{path}\n{}", search_replace(&search, &replace))
        })
        .collect::<Vec<_>>()
        .join("\n");
    (drifted && expressible).then_some(reply)
}

fn leading(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// Blocks whose SEARCH and REPLACE are shifted together: dedented by the indentation
/// all their lines share, or, at the top level, indented by four spaces (a tab where the
/// block is tab-indented). Each SEARCH is unique even ignoring indentation, so where it
/// belongs is never in doubt.
pub fn indentation_reply(path: &str, old: &str, new: &str) -> String {
    let (o, n) = (lines(old), lines(new));
    blocks(&o, &n, 3, without_indentation)
        .iter()
        .map(|b| {
            let all: Vec<&str> = o[b.old.clone()]
                .iter()
                .chain(&n[b.new.clone()])
                .copied()
                .filter(|l| !l.trim().is_empty())
                .collect();
            let common =
                all.iter()
                    .skip(1)
                    .fold(all.first().map_or("", |l| leading(l)), |acc, l| {
                        let lead = leading(l);
                        let k = acc
                            .bytes()
                            .zip(lead.bytes())
                            .take_while(|(a, b)| a == b)
                            .count();
                        &acc[..k]
                    });
            let tabs = all.iter().any(|l| l.starts_with('\t'));
            let shift = |l: &&str| -> String {
                if l.trim().is_empty() {
                    String::new()
                } else if !common.is_empty() {
                    l[common.len()..].to_string()
                } else if tabs {
                    format!("\t{l}")
                } else {
                    format!("    {l}")
                }
            };
            let search: Vec<String> = o[b.old.clone()].iter().map(shift).collect();
            let replace: Vec<String> = n[b.new.clone()].iter().map(shift).collect();
            format!("{path}\n{}", search_replace(&search, &replace))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The fence's language for a path.
fn language(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("py" | "pyi") => "python",
        Some("rs") => "rust",
        Some("toml") => "toml",
        Some("md") => "markdown",
        Some("rst") => "rst",
        Some("cfg") => "ini",
        _ => "",
    }
}

/// A fence longer than any run of backticks that starts a line of `text`, as Markdown
/// requires for fenced text that holds fences itself.
fn fence(text: &str) -> String {
    let longest = text
        .lines()
        .map(|l| l.trim_start().bytes().take_while(|b| *b == b'`').count())
        .max()
        .unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

/// The exact blocks as a chatty model writes them: prose first, each block in a
/// fence under its path in backticks or bold, more prose after.
pub fn fenced_reply(path: &str, old: &str, new: &str) -> String {
    let (o, n) = (lines(old), lines(new));
    let lang = language(path);
    let mut reply = String::from("Sure! Here are the changes, one block per place:\n\n");
    for (k, b) in blocks(&o, &n, 3, exactly).iter().enumerate() {
        let shown = if k % 2 == 0 {
            format!("`{path}`")
        } else {
            format!("**{path}**")
        };
        let block = search_replace(&owned(&o[b.old.clone()]), &owned(&n[b.new.clone()]));
        let fence = fence(&block);
        reply.push_str(&format!(
            "Change {} in {shown}:\n\n{shown}\n{fence}{lang}\n{block}{fence}\n\n",
            k + 1,
        ));
    }
    reply.push_str(
        "These keep the behaviour the same for existing callers. Let me know if you want tests.\n",
    );
    reply
}

/// A fenced unified diff with three lines of context, as `git diff` writes it.
pub fn diff_reply(path: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_lines(old, new);
    let body = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let fence = fence(&body);
    format!("Here is the patch:\n\n{fence}diff\n{body}{fence}\n")
}

/// A top-level definition: its key (kind and name, or its first line) and its lines,
/// leading decorators and comments included, trailing blank lines not.
#[derive(Debug)]
struct Definition {
    key: String,
    lines: Range<usize>,
}

fn definition_key(line: &str, rust: bool) -> Option<String> {
    static PY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(?:async\s+)?(def|class)\s+(\w+)").expect("valid regex")
    });
    static RS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:pub(?:\([^)]*\))?\s+)?(?:(?:unsafe|async|const|extern\s+\S+)\s+)*(fn|struct|enum|trait|mod|union|macro_rules!)\s*(\w+)",
        )
        .expect("valid regex")
    });
    if rust {
        if line.starts_with("impl") {
            return Some(line.trim_end().to_string());
        }
        RS.captures(line).map(|c| format!("{} {}", &c[1], &c[2]))
    } else {
        PY.captures(line).map(|c| format!("{} {}", &c[1], &c[2]))
    }
}

fn is_leader(line: &str, rust: bool) -> bool {
    if rust {
        line.starts_with("#[") || line.starts_with("//")
    } else {
        line.starts_with('@') || line.starts_with('#')
    }
}

fn definitions(text: &[&str], rust: bool) -> Vec<Definition> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let Some(key) = definition_key(text[i], rust) else {
            i += 1;
            continue;
        };
        let mut start = i;
        while start > 0 && is_leader(text[start - 1], rust) {
            start -= 1;
        }
        let mut end = i + 1;
        let mut j = i + 1;
        while j < text.len() {
            let line = text[j];
            if line.trim().is_empty() {
                j += 1;
                continue;
            }
            let indented = line.starts_with([' ', '\t']);
            if indented || (!rust && line.starts_with(')')) {
                end = j + 1;
            } else if rust && line.starts_with('}') {
                end = j + 1;
                break;
            } else {
                break;
            }
            j += 1;
        }
        out.push(Definition {
            key,
            lines: start..end,
        });
        i = end.max(i + 1);
    }
    out
}

/// The changed top-level definitions, whole, when replacing just those turns the old
/// text into the new one (no change outside them, no definition added or removed, each
/// name defined once); otherwise `None`.
pub fn definitions_reply(path: &str, old: &str, new: &str) -> Option<String> {
    let rust = path.ends_with(".rs");
    if !(rust || path.ends_with(".py")) {
        return None;
    }
    let (o, n) = (lines(old), lines(new));
    let (od, nd) = (definitions(&o, rust), definitions(&n, rust));
    let unique = |defs: &[Definition]| {
        let mut keys: Vec<&str> = defs.iter().map(|d| d.key.as_str()).collect();
        keys.sort_unstable();
        keys.windows(2).all(|w| w[0] != w[1])
    };
    if !unique(&od) || !unique(&nd) || od.len() != nd.len() {
        return None;
    }
    let mut rebuilt: Vec<&str> = Vec::new();
    let mut changed: Vec<&[&str]> = Vec::new();
    let mut from = 0;
    for (a, b) in od.iter().zip(&nd) {
        if a.key != b.key {
            return None;
        }
        rebuilt.extend_from_slice(&o[from..a.lines.start]);
        let (was, now) = (&o[a.lines.clone()], &n[b.lines.clone()]);
        rebuilt.extend_from_slice(now);
        if was != now {
            changed.push(now);
        }
        from = a.lines.end;
    }
    rebuilt.extend_from_slice(&o[from..]);
    if changed.is_empty() || rebuilt != n {
        return None;
    }
    let code = changed
        .iter()
        .map(|d| block_text(&owned(d)))
        .collect::<Vec<_>>()
        .join("\n");
    let fence = fence(&code);
    Some(format!(
        "Here are the definitions that change:\n\n`{path}`\n{fence}{}\n{code}{fence}\n",
        language(path)
    ))
}

/// `text` with CRLF line endings.
pub fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}
