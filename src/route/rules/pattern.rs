//! The rules' patterns, compiled when first needed, and not at all for a request that
//! cannot match: a pattern anchored at the start (`(?i)^(?:create|make|new)\s+…`)
//! needs the request to open with one of its literal openings. Most of the rules'
//! patterns are of that kind, and compiling them is most of what routing costs a new
//! process (about half of the engine's time for a request no early rule places).

use std::sync::OnceLock;

use regex_lite::{Captures, Match, Regex};

pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Regex>,
    openings: OnceLock<Option<Openings>>,
}

/// What a text must start with for the pattern to match: one of `words`, compared
/// ignoring ASCII case when `fold`.
struct Openings {
    words: Vec<&'static str>,
    fold: bool,
}

impl Pattern {
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
            openings: OnceLock::new(),
        }
    }

    fn regex(&self) -> &Regex {
        self.compiled
            .get_or_init(|| Regex::new(self.source).expect("rule patterns are valid regexes"))
    }

    /// Whether `text` may match: false only when it cannot.
    fn may_match(&self, text: &str) -> bool {
        let Some(openings) = self.openings.get_or_init(|| openings(self.source)) else {
            return true;
        };
        // Case folding beyond ASCII ("ſ" is an "s" to `(?i)`) is the compiled
        // pattern's to judge.
        if openings.fold && !text.is_ascii() {
            return true;
        }
        openings.words.iter().any(|word| {
            text.len() >= word.len()
                && text.is_char_boundary(word.len())
                && if openings.fold {
                    text[..word.len()].eq_ignore_ascii_case(word)
                } else {
                    text.starts_with(word)
                }
        })
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.may_match(text) && self.regex().is_match(text)
    }

    pub fn captures<'t>(&self, text: &'t str) -> Option<Captures<'t>> {
        if !self.may_match(text) {
            return None;
        }
        self.regex().captures(text)
    }

    pub fn find<'t>(&self, text: &'t str) -> Option<Match<'t>> {
        if !self.may_match(text) {
            return None;
        }
        self.regex().find(text)
    }
}

/// `captures_iter`, `replace` and the rest: the compiled pattern's own.
impl std::ops::Deref for Pattern {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.regex()
    }
}

/// The literal openings of a pattern anchored at the start, with no flag but `(?i)`:
/// `^(?:show|list)\s+…` opens with "show" or "list", `^pip3?\s` with "pip". `None`
/// when it is not anchored, or may open with anything else.
fn openings(source: &'static str) -> Option<Openings> {
    let (fold, rest) = match source.strip_prefix("(?i)^") {
        Some(rest) => (true, rest),
        None => (false, source.strip_prefix('^')?),
    };
    let (alternatives, after) = match rest.strip_prefix("(?:") {
        Some(group) => {
            let end = group_end(group)?;
            (split_alternatives(&group[..end])?, &group[end + 1..])
        }
        None => (vec![rest], rest),
    };
    // A group that may be left out opens with whatever follows it; an alternative
    // outside it ("^a|b") is not anchored.
    if after.starts_with(['?', '*', '{']) || split_alternatives(after)?.len() > 1 {
        return None;
    }
    let mut words = Vec::with_capacity(alternatives.len());
    for alternative in alternatives {
        let literal = alternative
            .find(|c: char| {
                !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '\'' | '-' | ':' | '/'))
            })
            .unwrap_or(alternative.len());
        let mut word = &alternative[..literal];
        // "pip3?": the last character may be left out or repeated.
        if alternative[literal..].starts_with(['?', '*', '{']) {
            word = &word[..word.len().saturating_sub(1)];
        }
        if word.is_empty() {
            return None;
        }
        words.push(word);
    }
    Some(Openings { words, fold })
}

/// The characters of a pattern that give it structure: each one neither escaped nor
/// in a character class, with the depth of groups it leaves open (a `)` closing the
/// group `text` is the body of stands at -1).
fn structure(text: &str) -> impl Iterator<Item = (usize, char, isize)> + '_ {
    let mut depth = 0isize;
    let mut class = false;
    let mut escaped = false;
    text.char_indices().filter_map(move |(i, c)| {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' if !class => class = true,
            ']' if class => class = false,
            _ if class => {}
            '(' => {
                depth += 1;
                return Some((i, c, depth));
            }
            ')' => {
                depth -= 1;
                return Some((i, c, depth));
            }
            _ => return Some((i, c, depth)),
        }
        None
    })
}

/// The byte at which the group whose body `text` starts closes.
fn group_end(text: &str) -> Option<usize> {
    structure(text).find_map(|(i, c, depth)| (c == ')' && depth < 0).then_some(i))
}

/// The top-level alternatives of a group's body.
fn split_alternatives(body: &'static str) -> Option<Vec<&'static str>> {
    let mut alternatives = Vec::new();
    let mut start = 0;
    for (i, c, depth) in structure(body) {
        if depth < 0 {
            return None;
        }
        if c == '|' && depth == 0 {
            alternatives.push(&body[start..i]);
            start = i + 1;
        }
    }
    alternatives.push(&body[start..]);
    Some(alternatives)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(source: &'static str) -> Option<Vec<&'static str>> {
        openings(source).map(|o| o.words)
    }

    #[test]
    fn openings_are_read_from_anchored_patterns() {
        assert_eq!(
            words(r"(?i)^(?:show|list|print(?:\s+out)?)\s+(\S+)$"),
            Some(vec!["show", "list", "print"])
        );
        assert_eq!(words(r"(?i)^(?:pip3?\s+)?install\s+(.+)$"), None);
        assert_eq!(words(r"(?i)^pip3?\s+install"), Some(vec!["pip"]));
        assert_eq!(words(r"(?i)^install\s+(.+)$"), Some(vec!["install"]));
        assert_eq!(words(r"(?i)^(?:git\s+)?(add|stage)\s+(.+)$"), None);
        assert_eq!(
            words(r"(?i)^(?:what(?:'s|s|\s+is)|how)\s"),
            Some(vec!["what", "how"])
        );
        assert_eq!(words(r"(?i)^(?:a|[bc]x)\s"), None);
        assert_eq!(words(r"(?i)^\s*push"), None);
        assert_eq!(words(r"(?i)\bpush\b"), None);
        assert_eq!(words(r"(?ix)^ push"), None);
        assert_eq!(words(r"(?i)^(?:the\s+)?tests$"), None);
        assert_eq!(words(r"(?i)^(?:x|y).$"), Some(vec!["x", "y"]));
        assert_eq!(words(r"(?i)^push|pull"), None);
        assert_eq!(words(r"(?i)^(?:a\)|b)\s"), Some(vec!["a", "b"]));
        assert_eq!(words(r"(?i)^(?:a[)|]|b)\s"), Some(vec!["a", "b"]));
        assert_eq!(words(r"(?i)^(?:push|pull)\s|commit"), None);
    }

    #[test]
    fn a_pattern_matches_as_its_regex_does() {
        let patterns = [
            Pattern::new(r"(?i)^(?:show|list|print(?:\s+out)?)\s+(\S+)$"),
            Pattern::new(r"(?i)^pip3?\s+install\s+(\S+)$"),
            Pattern::new(r"^(?:Make|git)\s+(\S+)$"),
            Pattern::new(r"(?i)^(?:git\s+)?(add|stage)\s+(.+)$"),
            Pattern::new(r"(?i)\bpush\b"),
        ];
        for text in [
            "show src",
            "SHOW src",
            "print out a.txt",
            "printout a.txt",
            "pip install x",
            "pip3 install x",
            "PIP install x",
            "Make x",
            "make x",
            "git add x",
            "stage it",
            "please push",
            "ſhow src",
            "",
            "sh",
        ] {
            for pattern in &patterns {
                let regex = Regex::new(pattern.source).expect("valid");
                assert_eq!(
                    pattern.is_match(text),
                    regex.is_match(text),
                    "{} on {text:?}",
                    pattern.source
                );
                assert_eq!(
                    pattern.captures(text).map(|c| c[0].to_string()),
                    regex.captures(text).map(|c| c[0].to_string())
                );
            }
        }
    }
}
