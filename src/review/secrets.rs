//! Secrets in added lines: cloud access keys, private key blocks, the common forges'
//! and Slack's tokens, and high-entropy literals assigned to names like `password` or
//! `api_key`. Values that are obviously fake (`changeme`, `xxxx`, `<your-token>`,
//! `${TOKEN}`, AWS's documented example key…) are not flagged: a reviewer that cries
//! wolf gets switched off.

use std::sync::LazyLock;

use regex::Regex;

/// What was found, for the finding's rule and message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Secret {
    pub rule: &'static str,
    pub what: &'static str,
}

struct TokenRule {
    rule: &'static str,
    what: &'static str,
    /// A literal the line must contain before the regex is tried (cheap to test).
    hint: &'static [&'static str],
    pattern: Regex,
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("the secret patterns are valid regexes")
}

static TOKENS: LazyLock<Vec<TokenRule>> = LazyLock::new(|| {
    vec![
        TokenRule {
            rule: "aws-access-key",
            what: "an AWS access key id",
            hint: &["AKIA", "ASIA", "ABIA", "ACCA"],
            pattern: regex(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"),
        },
        TokenRule {
            rule: "github-token",
            what: "a GitHub token",
            hint: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
            pattern: regex(
                r"\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{60,251})\b",
            ),
        },
        TokenRule {
            rule: "gitlab-token",
            what: "a GitLab access token",
            hint: &["glpat-", "glptt-", "gldt-"],
            pattern: regex(r"\b(?:glpat|glptt|gldt)-[A-Za-z0-9_\-]{20,}"),
        },
        TokenRule {
            rule: "slack-token",
            what: "a Slack token or webhook",
            hint: &["xox", "hooks.slack.com"],
            pattern: regex(
                r"\bxox[abposr]-[A-Za-z0-9\-]{10,}|https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+",
            ),
        },
    ]
});

static PRIVATE_KEY: LazyLock<Regex> =
    LazyLock::new(|| regex(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"));

/// Base64 body of a PEM block, on its own line or after an escaped `\n`.
static PEM_BODY: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:^|\\n)\s*(?:Proc-Type:|[A-Za-z0-9+/=]{40,})"));

/// `name = "value"`, `name: value`, `"name": "value"`, `NAME=value`, `name := "v"`:
/// the name ends in a secret-like word; the value is a quoted literal or an unquoted
/// token.
static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"(?i)(?:^|[^a-z0-9_])([a-z0-9_.\-]*?(?:password|passwd|pwd|secret|token|api[_\-]?key|apikey|access[_\-]?key|secret[_\-]?key|private[_\-]?key|auth[_\-]?key|client[_\-]?secret|credentials?))["']?\s*(?:=|:=|:|=>)\s*(?:"([^"]*)"|'([^']*)'|`([^`]*)`|([A-Za-z0-9+/=_\-.]+))"#,
    )
});

/// Words of the secret-like names, to skip the assignment regex on most lines.
const NAME_WORDS: [&str; 6] = ["pass", "pwd", "secret", "token", "key", "credential"];

/// The first secret on an added line. `next` is the following line of the new file,
/// when it is added too (a private key block's body).
pub fn scan_line(text: &str, next: Option<&str>) -> Option<Secret> {
    for rule in TOKENS.iter() {
        if !rule.hint.iter().any(|h| text.contains(h)) {
            continue;
        }
        if rule
            .pattern
            .find_iter(text)
            .any(|m| !is_placeholder(m.as_str()))
        {
            return Some(Secret {
                rule: rule.rule,
                what: rule.what,
            });
        }
    }
    if text.contains("PRIVATE KEY")
        && let Some(m) = PRIVATE_KEY.find(text)
    {
        // A key, not code that mentions the header (a PEM parser's constant): key
        // material follows, on this line or the next.
        let rest = &text[m.end()..];
        if PEM_BODY.is_match(rest) || next.is_some_and(|n| PEM_BODY.is_match(n.trim())) {
            return Some(Secret {
                rule: "private-key",
                what: "a private key",
            });
        }
    }
    if NAME_WORDS.iter().any(|w| contains_ignore_case(text, w)) {
        for caps in ASSIGNMENT.captures_iter(text) {
            let quoted = caps.get(2).or(caps.get(3)).or(caps.get(4));
            let (value, is_quoted) = match (quoted, caps.get(5)) {
                (Some(v), _) => (v.as_str(), true),
                (None, Some(v)) => (v.as_str(), false),
                (None, None) => continue,
            };
            if looks_like_secret(value, is_quoted) {
                return Some(Secret {
                    rule: "hardcoded-secret",
                    what: "a secret literal",
                });
            }
        }
    }
    None
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Whether an assigned value looks like a real credential: long enough, varied enough
/// and not a placeholder, a reference or a path.
fn looks_like_secret(value: &str, quoted: bool) -> bool {
    let min_len = if quoted { 8 } else { 12 };
    if value.chars().count() < min_len || value.chars().any(char::is_whitespace) {
        return false;
    }
    if is_stand_in(value)
        || value.contains("://")
        || value.starts_with('/')
        || value.starts_with("./")
        || value.starts_with('$')
    {
        return false;
    }
    let classes = [
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
        value.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    // Letters only is usually a word (`"Zugangsschluessel"`); keys have digits or
    // symbols, or are long and mixed-case.
    let letters_only = value.chars().all(|c| c.is_ascii_alphabetic());
    if letters_only && (value.len() < 20 || entropy(value) < 3.5 || classes < 2) {
        return false;
    }
    if !quoted {
        // Unquoted, it may be code (`self.token`, `SOME_CONSTANT`): only clear tokens.
        let has_digit = value.chars().any(|c| c.is_ascii_digit());
        let has_letter = value.chars().any(|c| c.is_ascii_alphabetic());
        let constant_name = value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !has_digit || !has_letter || constant_name {
            return false;
        }
    }
    classes >= 2 && entropy(value) >= 3.0
}

/// Words that mark a token-shaped string as documentation, not a credential.
const PLACEHOLDER_WORDS: [&str; 9] = [
    "example",
    "xxxx",
    "placeholder",
    "your",
    "dummy",
    "fake",
    "redacted",
    "sample",
    "changeme",
];

/// More words that make an assigned value a stand-in (`password = "test-password"`);
/// too common as substrings to rule out random tokens.
const STAND_IN_WORDS: [&str; 17] = [
    "change_me",
    "change-me",
    "xxx",
    "secret",
    "password",
    "token",
    "test",
    "todo",
    "fixme",
    "insert",
    "replace",
    "foo",
    "***",
    "...",
    "env",
    "none",
    "null",
];

/// Whether a value is an obvious stand-in: a placeholder word, a template or
/// environment reference, or one repeated character.
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    if ["${", "{{", "%(", "$(", "<", ">", "%s"]
        .iter()
        .any(|t| value.contains(t))
    {
        return true;
    }
    // `ghp_000…`, `AKIA0000…`: the part after a short prefix is one character.
    let body = value
        .rsplit(['_', '-'])
        .next()
        .filter(|b| b.len() >= 8)
        .unwrap_or(value);
    let body = body.strip_prefix("AKIA").unwrap_or(body);
    let mut chars = body.chars();
    chars.next().is_some_and(|first| chars.all(|c| c == first))
}

/// `is_placeholder`, or a value spelled with a stand-in word.
fn is_stand_in(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    is_placeholder(value) || STAND_IN_WORDS.iter().any(|w| lower.contains(w))
}

/// Shannon entropy in bits per character.
fn entropy(value: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let mut total = 0usize;
    for c in value.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
        total += 1;
    }
    let total = total as f64;
    counts
        .values()
        .map(|n| {
            let p = *n as f64 / total;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        for fake in [
            "changeme",
            "xxxxxxxxxxxx",
            "AKIA0000000000000000",
            "<your-token>",
            "${API_TOKEN}",
            "AKIAIOSFODNN7EXAMPLE",
            "ghp_000000000000000000000000000000000000",
            "{{ vault_password }}",
        ] {
            assert!(is_placeholder(fake), "{fake}");
        }
        for real in ["Zq8#vLr2@pW9", "AKIAQ3EGRTV5XN7ZPM4K"] {
            assert!(!is_placeholder(real), "{real}");
        }
    }

    #[test]
    fn entropy_separates_words_from_keys() {
        assert!(entropy("aaaaaaaa") < 0.1);
        assert!(entropy("hunter22") < 3.0);
        assert!(entropy("q8Zr2LwP9vXk4TsM") > 3.5);
    }
}
