//! The programming language a request names ("in Rust", "a Go function").

/// The programming language a request names, in a canonical spelling.
pub fn language(core: &str) -> Option<String> {
    let caps = regex!(r"(?i)(?:^|[\s(])(python3?|rust|javascript|js|typescript|ts|golang|go|java|kotlin|swift|c\+\+|cpp|c#|csharp|ruby|haskell|scala|php|lua|bash|shell|sql|elixir|zig|c)(?:$|[\s,.)?!])").captures_iter(core);
    for cap in caps {
        let word = cap[1].to_ascii_lowercase();
        let before = &core[..cap.get(1).map_or(0, |m| m.start())].to_ascii_lowercase();
        let after = &core[cap.get(1).map_or(0, |m| m.end())..].to_ascii_lowercase();
        // "go" and "c" are languages only where a language is expected.
        let expected = before.trim_end().ends_with(" in")
            || before.trim_end().ends_with(',')
            // "MERGE SORT. JAVA.": a language said on its own after the problem.
            || (before.trim_end().ends_with(['.', ':']) && after.trim().trim_end_matches(['.', '!']).is_empty())
            || after.trim_start().starts_with("please")
            || before.trim_end().ends_with(" using")
            // "I need algorithm of Dijkstra, language go", "language: go".
            || regex!(r"(?:^|\s)(?:language|lang|lenguaje|sprache|langage|linguagem|linguaggio)\s*:?$").is_match(before.trim_end())
            || before.trim_end().ends_with(" with")
            || regex!(r"^\s*(?:function|class|program|script|code|implementation|module|struct|version|solution)\b").is_match(after);
        if matches!(word.as_str(), "go" | "c" | "shell" | "ts" | "js" | "sql") && !expected {
            continue;
        }
        if !expected
            && !matches!(
                word.as_str(),
                "python"
                    | "python3"
                    | "rust"
                    | "javascript"
                    | "typescript"
                    | "golang"
                    | "kotlin"
                    | "haskell"
                    | "c++"
                    | "cpp"
                    | "c#"
                    | "csharp"
            )
        {
            continue;
        }
        let canonical = match word.as_str() {
            "python3" => "python",
            "js" => "javascript",
            "ts" => "typescript",
            "golang" => "go",
            "cpp" => "c++",
            "csharp" => "c#",
            other => other,
        };
        return Some(canonical.to_string());
    }
    misspelt(core)
}

/// A language named after "in" and misspelt, one or two edits from one of the longer
/// names and no English word: "a binary search in pyhton", "en javscript".
fn misspelt(core: &str) -> Option<String> {
    const NAMES: &[&str] = &[
        "python",
        "javascript",
        "typescript",
        "kotlin",
        "haskell",
        "golang",
        "rust",
        "java",
        "swift",
        "ruby",
        "scala",
        "elixir",
    ];
    let caps = regex!(r"(?i)\b(?:in|en|em|using)\s+([a-z]{4,12})\s*[.!?]?$").captures(core)?;
    let word = caps[1].to_ascii_lowercase();
    if crate::route::typos::english(&word) {
        return None;
    }
    let most = if word.len() <= 5 { 1 } else { 2 };
    let mut near: Vec<(usize, &str)> = NAMES
        .iter()
        .map(|name| (strsim::damerau_levenshtein(&word, name), *name))
        .filter(|(d, _)| *d <= most)
        .collect();
    near.sort();
    // Only where no other name is as near.
    match near.as_slice() {
        [(_, name)] => Some(name),
        [(best, name), (next, _), ..] if best < next => Some(name),
        _ => None,
    }
    .map(|name| if *name == "golang" { "go" } else { name }.to_string())
}

#[cfg(test)]
mod tests {
    use super::language;

    #[test]
    fn a_misspelt_language_after_in_is_read_when_clear() {
        for (typed, meant) in [
            ("implment quicksort in pyhton", Some("python")),
            ("write a binary search in javscript", Some("javascript")),
            ("un árbol binario en pyhton", Some("python")),
            ("a binary search in english", None),
            ("a binary search in place", None),
        ] {
            assert_eq!(language(typed).as_deref(), meant, "{typed}");
        }
    }
}
