//! A GBNF grammar, built per request, under which a local model can only write
//! SEARCH/REPLACE blocks for one file whose SEARCH part is a run of consecutive lines
//! that exist in that file: a SEARCH that matches nowhere becomes impossible instead of
//! a retry.

/// Most blocks one reply may hold.
const MAX_BLOCKS: usize = 4;

/// The grammar for edits to `path`, whose current text is `text`.
pub fn search_replace(path: &str, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut g = String::new();
    g.push_str(&format!("root ::= {} \"\\n\" block", literal(path)));
    for _ in 1..MAX_BLOCKS {
        g.push_str(" block?");
    }
    g.push('\n');
    g.push_str(
        "block ::= \"<<<<<<< SEARCH\\n\" search \"=======\\n\" rline* \">>>>>>> REPLACE\\n\"\n",
    );
    // A line of the replacement: anything but the closing marker.
    g.push_str("rline ::= \"\\n\" | [^>\\n] [^\\n]* \"\\n\" | \">\" [^>\\n] [^\\n]* \"\\n\"\n");
    if lines.is_empty() {
        g.push_str("search ::= \"\\n\"\n");
        return g;
    }
    // `search` starts at any line; line i may be followed by line i+1, and so on.
    let starts: Vec<String> = (0..lines.len()).map(|i| format!("l{i}")).collect();
    g.push_str(&format!("search ::= {}\n", starts.join(" | ")));
    for (i, line) in lines.iter().enumerate() {
        let next = if i + 1 < lines.len() {
            format!(" l{}?", i + 1)
        } else {
            String::new()
        };
        g.push_str(&format!(
            "l{i} ::= {}{next}\n",
            literal(&format!("{line}\n"))
        ));
    }
    g
}

/// A GBNF string literal.
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_may_only_be_followed_by_the_next() {
        let g = search_replace("a.py", "def f():\n\treturn \"x\\n\"\n");
        assert!(g.starts_with("root ::= \"a.py\" \"\\n\" block block? block? block?\n"));
        assert!(g.contains("search ::= l0 | l1\n"));
        assert!(g.contains("l0 ::= \"def f():\\n\" l1?\n"));
        assert!(g.contains("l1 ::= \"\\treturn \\\"x\\\\n\\\"\\n\"\n"));
    }
}
