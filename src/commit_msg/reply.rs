//! A model's reply made into a commit message: code fences, quotes, Markdown and
//! "Here is the commit message:" preambles taken off, the summary cut to 72 characters,
//! the body wrapped at 72.

/// The longest summary line and body line.
pub const WIDTH: usize = 72;

/// The commit message in a reply, or `None` when there is none.
pub fn clean(reply: &str) -> Option<String> {
    let text = without_thinking(reply);
    let text = inside_fence(text);
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    while lines
        .first()
        .is_some_and(|l| l.trim().is_empty() || is_preamble(l))
    {
        lines.remove(0);
    }
    let (first, rest) = lines.split_first()?;
    let summary = summary(first);
    if summary.is_empty() {
        return None;
    }
    let body = wrap_body(&rest.join("\n"));
    Some(if body.is_empty() {
        summary
    } else {
        format!("{summary}\n\n{body}")
    })
}

/// Reasoning models think aloud before answering; only the answer counts.
fn without_thinking(reply: &str) -> &str {
    match reply.find("</think>") {
        Some(end) => &reply[end + "</think>".len()..],
        None => reply,
    }
}

/// The inside of the first code fence, when the reply has one.
fn inside_fence(text: &str) -> &str {
    let Some(open) = text.find("```") else {
        return text;
    };
    let after = &text[open + 3..];
    // The rest of the opening line is a language tag.
    let start = after.find('\n').map_or(after.len(), |i| i + 1);
    let inner = &after[start..];
    match inner.find("```") {
        Some(close) => &inner[..close],
        None => inner,
    }
}

/// "Here is a commit message for these changes:", "Sure!", "Commit message:".
fn is_preamble(line: &str) -> bool {
    let l = line.trim().trim_matches('*').to_ascii_lowercase();
    let label = l.trim_end_matches(':');
    [
        "commit message",
        "suggested commit message",
        "message",
        "summary",
    ]
    .contains(&label)
        || (l.ends_with(':')
            && ["here", "sure", "certainly", "okay", "ok,", "based on"]
                .iter()
                .any(|p| l.starts_with(p)))
        || ["sure!", "sure.", "certainly!", "okay."].contains(&l.as_str())
}

/// The summary line without labels, quotes, Markdown or a final period, at most
/// `WIDTH` characters, cut at a word.
fn summary(line: &str) -> String {
    let strip = |s: &str| -> String {
        s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '*' | '#'))
            .to_string()
    };
    let mut s = strip(line);
    for label in ["commit message:", "summary:", "subject:", "title:"] {
        if s.len() >= label.len()
            && s.is_char_boundary(label.len())
            && s[..label.len()].eq_ignore_ascii_case(label)
        {
            s = strip(&s[label.len()..]);
        }
    }
    cut(s.trim_end_matches('.'), WIDTH)
}

/// `text` cut to `width` characters at the last space that fits (or mid-word when
/// there is none).
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let end = text
        .char_indices()
        .nth(width)
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    match head.rfind(' ') {
        Some(space) if space > width / 2 => head[..space].trim_end().to_string(),
        _ => head.to_string(),
    }
}

/// The body rewrapped: paragraphs and list items at `WIDTH`, indented lines (code,
/// tables) as they are, a trailing fence or quote dropped.
fn wrap_body(body: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut Vec<String>| {
        if !paragraph.is_empty() {
            let text = paragraph.join(" ");
            out.extend(wrap(&text, WIDTH, ""));
            paragraph.clear();
        }
    };
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut out);
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
        } else if let Some(item) = list_item(trimmed) {
            flush(&mut paragraph, &mut out);
            let marker = &trimmed[..trimmed.len() - item.len()];
            let mut wrapped = wrap(item, WIDTH - marker.len(), &" ".repeat(marker.len()));
            if let Some(first) = wrapped.first_mut() {
                *first = format!("{marker}{}", first.trim_start());
            }
            out.extend(wrapped);
        } else if line.starts_with("    ") || line.starts_with('\t') {
            flush(&mut paragraph, &mut out);
            out.push(line.to_string());
        } else {
            paragraph.push(trimmed);
        }
    }
    flush(&mut paragraph, &mut out);
    while out.last().is_some_and(|l| l.is_empty() || l == "\"") {
        out.pop();
    }
    out.join("\n")
}

/// The text of a list item (`- x`, `* x`, `1. x`), without its marker.
fn list_item(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some(rest);
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        return line[digits..]
            .strip_prefix(". ")
            .or_else(|| line[digits..].strip_prefix(") "));
    }
    None
}

/// Words filled into lines of at most `width` characters, each after `indent`
/// (a word longer than a line gets a line of its own).
pub fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(format!("{indent}{line}"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(format!("{indent}{line}"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_preambles_and_quotes_are_taken_off() {
        assert_eq!(
            clean("Here is a commit message for the change:\n\n```text\nAdd greeting helper\n\nIt says hello.\n```\nLet me know!").as_deref(),
            Some("Add greeting helper\n\nIt says hello.")
        );
        assert_eq!(
            clean("Commit message: \"Fix off-by-one in pager.\"").as_deref(),
            Some("Fix off-by-one in pager")
        );
        assert_eq!(
            clean("<think>hmm</think>\n**Summary:** `Update docs`").as_deref(),
            Some("Update docs")
        );
        assert_eq!(clean("```\n```"), None);
        assert_eq!(clean("   \n"), None);
    }

    #[test]
    fn the_summary_is_cut_at_a_word_within_72_characters() {
        let long =
            "Add a very long summary line that goes on and on about every detail of the change";
        let s = clean(long).expect("message");
        assert!(s.chars().count() <= WIDTH, "{s}");
        assert!(long.starts_with(&s) && !s.ends_with(' '), "{s}");
    }

    #[test]
    fn the_body_is_wrapped_at_72_and_keeps_lists_and_code() {
        let reply = "Refactor the parser\n\nThe parser used to read the whole input before it started, which made large files slow and used a lot of memory.\n- Stream tokens one at a time instead of collecting them all first into a vector\n- Keep errors\n\n    let x = 1;\n";
        let msg = clean(reply).expect("message");
        for line in msg.lines() {
            assert!(line.chars().count() <= WIDTH, "{line:?}");
        }
        assert!(msg.contains("\n- Stream tokens one at a time"), "{msg}");
        assert!(msg.contains("\n  "), "hanging indent:\n{msg}");
        assert!(msg.contains("\n- Keep errors\n"), "{msg}");
        assert!(msg.ends_with("\n\n    let x = 1;"), "{msg}");
    }
}
