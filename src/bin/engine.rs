//! `codey-engine`, the full git-codey: parse the command line, run it, turn the result
//! into an exit code. People run `git-codey` (src/bin/front.rs), which hands every
//! command line it does not run itself to this binary, arguments unchanged.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = codey::cli::Cli::parse_from(codey::cli::requests_as_values(std::env::args_os()));
    codey::ui::init_colors(cli.color);
    match codey::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if !matches!(err.kind, codey::error::ErrorKind::Quiet(_)) {
                codey::ui::report_error(&err);
            }
            ExitCode::from(err.exit_code())
        }
    }
}
