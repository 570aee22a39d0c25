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
            || after.trim_start().starts_with("please")
            || before.trim_end().ends_with(" using")
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
    None
}
