//! How things look: colour (only on a terminal, honouring `NO_COLOR` and `--color`),
//! progress and summaries on stderr, confirmation prompts, and a stdout that survives
//! a closed pipe. Nothing else in the program decides presentation.

use std::io::{self, IsTerminal, Write};

use console::{Style, Term};

pub mod edit;
pub mod review;
pub mod steps;

use crate::error::CommandError;
pub use crate::escape::{StreamEscaper, escape_controls};

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

/// The summary line of a run, on stderr: green and bold when `ok`, else red.
pub fn print_summary_line(text: &str, ok: bool) {
    let style = if ok {
        Style::new().green()
    } else {
        Style::new().red()
    };
    let _ = writeln!(io::stderr().lock(), "{}", paint(style.bold(), text));
}

/// A prompt that got no answer: Ctrl-C at it is noted as an interruption, not taken
/// for an answer.
fn prompt_failed(err: dialoguer::Error) {
    let dialoguer::Error::IO(e) = err;
    if e.kind() == io::ErrorKind::Interrupted {
        crate::interrupt::note_key_press();
    }
}

/// Asks the user to pick one of `items` on the terminal; `None` for Escape, Ctrl-C or
/// no terminal.
pub fn choose(prompt: &str, items: &[String]) -> Option<usize> {
    let items: Vec<String> = items
        .iter()
        .map(|i| escape_controls(i).into_owned())
        .collect();
    match dialoguer::Select::new()
        .with_prompt(escape_controls(prompt))
        .items(&items)
        .default(0)
        .interact_on_opt(&Term::stderr())
    {
        Ok(choice) => choice,
        Err(e) => {
            prompt_failed(e);
            None
        }
    }
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
        Err(e) => {
            prompt_failed(e);
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

/// Shows what the model provider is doing: a spinner while a model loads (unless
/// `quiet`, as under `--json`), and its warnings on stderr.
pub fn model_notices(quiet: bool) -> crate::provider::Observer {
    use crate::provider::Notice;
    let current = std::sync::Mutex::new(None::<indicatif::ProgressBar>);
    std::sync::Arc::new(move |notice| {
        let mut current = current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match notice {
            Notice::Loading { .. } if quiet => {}
            Notice::Loading {
                role,
                model,
                service,
            } => {
                let message = if service {
                    format!("loading the {role} model ({model}) into the model service")
                } else {
                    format!("loading the {role} model ({model})")
                };
                *current = spinner(message);
            }
            Notice::Ready => {
                if let Some(bar) = current.take() {
                    bar.finish_and_clear();
                }
            }
            Notice::Warning(message) => match current.as_ref() {
                Some(bar) => bar.suspend(|| warn(&message)),
                None => warn(&message),
            },
        }
    })
}

/// A progress bar on stderr over `total` items, only when stderr is a terminal.
pub fn count_bar(message: String, total: u64) -> Option<indicatif::ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total).with_message(message);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg}\n{wide_bar} {pos}/{len} eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
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
