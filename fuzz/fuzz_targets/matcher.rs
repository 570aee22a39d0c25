//! The SEARCH/REPLACE matcher on any file, SEARCH and REPLACE text (split from the input
//! at NUL bytes). It never panics, and what it does is checked against what it promises.

#![no_main]

use std::collections::HashSet;

use codey::edit::matcher::{MatchError, MatchKind, replace};
use libfuzzer_sys::fuzz_target;

/// Lines the matcher reads as "the model left lines out here" (kept in step with
/// `is_elision` in src/edit/matcher.rs).
fn is_elision(line: &str) -> bool {
    matches!(
        line.trim(),
        "..." | "…" | "# ..." | "// ..." | "/* ... */" | "# …" | "// …"
    )
}

/// Lines of a file as the matcher counts them: split at `\n`, a final newline ends the
/// last line rather than starting an empty one.
fn file_lines(text: &str) -> Vec<&str> {
    if text.is_empty() {
        return Vec::new();
    }
    text.strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .collect()
}

/// The expected result when `search` is whole lines found exactly once, verbatim, and
/// nothing in it calls for tolerance: the text with that one stretch replaced.
fn exact_oracle(text: &str, search: &str, replace: &str) -> Option<String> {
    if search.is_empty()
        || !search.ends_with('\n')
        || search.contains('\r')
        || replace.contains('\r')
        || !(replace.is_empty() || replace.ends_with('\n'))
        || search == replace
    {
        return None;
    }
    let needle: Vec<&str> = search[..search.len() - 1].split('\n').collect();
    if needle.first()?.trim().is_empty() || needle.last()?.trim().is_empty() {
        return None;
    }
    let file = file_lines(text);
    if needle.len() > file.len() {
        return None;
    }
    let starts: Vec<usize> = (0..=file.len() - needle.len())
        .filter(|&s| file[s..s + needle.len()] == needle[..])
        .collect();
    let [start] = starts[..] else { return None };
    let at: usize = file[..start].iter().map(|l| l.len() + 1).sum();
    if !text[at..].starts_with(search) {
        return None;
    }
    Some(format!(
        "{}{}{}",
        &text[..at],
        replace,
        &text[at + search.len()..]
    ))
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let mut parts = input.splitn(3, '\0');
    let text = parts.next().unwrap_or_default();
    let search = parts.next().unwrap_or_default();
    let new = parts.next().unwrap_or_default();

    let result = replace(text, search, new);
    let lines = file_lines(text).len();
    match &result {
        Err(MatchError::NoChange) => assert_eq!(search, new, "NoChange for a change"),
        _ => assert_ne!(search, new, "SEARCH == REPLACE was not refused"),
    }
    match &result {
        Ok((out, kind)) => {
            // Every line REPLACE adds is in the result (re-indented at most).
            let present: HashSet<&str> = out.lines().map(str::trim).collect();
            for line in new
                .lines()
                .filter(|l| !l.trim().is_empty() && !is_elision(l))
            {
                assert!(
                    present.contains(line.trim()),
                    "REPLACE line {line:?} is missing from the result ({kind:?})"
                );
            }
            if let Some(expected) = exact_oracle(text, search, new) {
                assert_eq!(*kind, MatchKind::Exact);
                assert_eq!(
                    out, &expected,
                    "an exact, unique match was replaced wrongly"
                );
            }
        }
        Err(MatchError::Ambiguous { lines: at }) => {
            assert!(at.len() >= 2, "ambiguous with one place: {at:?}");
            assert!(
                at.windows(2).all(|w| w[0] < w[1]),
                "places out of order: {at:?}"
            );
            assert!(
                at.iter().all(|&l| (1..=lines).contains(&l)),
                "{at:?} of {lines}"
            );
        }
        Err(MatchError::NotFound { closest: Some(c) }) => {
            assert!(
                (1..=lines).contains(&c.line),
                "closest line {} of {lines}",
                c.line
            );
        }
        Err(_) => {}
    }
    if exact_oracle(text, search, new).is_some() {
        assert!(result.is_ok(), "an exact, unique match failed: {result:?}");
    }
});
