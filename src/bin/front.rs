//! `git-codey`, the front: the binary every invocation starts.
//!
//! A tool request that is one read-only git command (`git codey "git status"`) pays
//! only for what it uses: this binary parses the command line, finds the repository,
//! loads the configuration, routes with the rules, asks the permission gate, and
//! becomes git (exec). It never calls into a model, so link-time dead-code elimination
//! leaves llama.cpp, its C++ runtime and their initialisers out of it — they were most
//! of the start-up of every request (docs/BENCHMARKS.md, `startup`).
//!
//! Everything else — subcommands, edits, questions, several steps, anything the rules
//! are unsure of or the gate would explain — is handed, arguments unchanged, to the
//! full binary `codey-engine` installed beside this one. Help, the version and usage
//! errors are clap's, the same from either binary, and answered here.

use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};

use clap::Parser;

/// The full binary's file name, beside this one.
const ENGINE: &str = "codey-engine";

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The usual shape, one quoted request, skips building clap's whole command tree.
    let git = match codey::cli::plain_request(&args) {
        Some(ask) => codey::commands::lone_git_request(&ask),
        None => {
            let cli = codey::cli::Cli::try_parse_from(codey::cli::requests_as_values(args.clone()))
                .unwrap_or_else(|err| err.exit());
            codey::commands::lone_git_command(&cli)
        }
    };
    if let Some(mut git) = git {
        // `exec` returns only when git could not be started; the full binary then
        // tries the same and says why.
        let _ = git.exec();
    }
    let (place, err) = match std::env::current_exe() {
        Ok(exe) => {
            let engine = exe.with_file_name(ENGINE);
            let err = Command::new(&engine)
                .arg0(args.first().cloned().unwrap_or_else(|| "git-codey".into()))
                .args(args.iter().skip(1))
                .exec();
            (engine.display().to_string(), err)
        }
        Err(err) => (
            format!("{ENGINE} (where git-codey is installed cannot be told)"),
            err,
        ),
    };
    codey::ui::init_colors(codey::ui::ColorChoice::Auto);
    let err = codey::error::CommandError::usage(anyhow::anyhow!(
        "cannot start the full binary, {place}: {err}"
    ))
    .with_hint("git-codey and codey-engine are installed side by side; reinstall both with scripts/install (or cargo install)");
    codey::ui::report_error(&err);
    ExitCode::from(err.exit_code())
}
