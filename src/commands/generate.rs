//! `--generate`: the man page and shell completion scripts, printed on stdout so the
//! install step can put them where `man` and the shells look.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, Generate};
use crate::error::CommandError;
use crate::ui;

pub fn run(kind: Generate) -> Result<(), CommandError> {
    let mut cmd = Cli::command();
    ui::with_stdout(|out| match kind {
        Generate::Man => {
            // git looks for `git-codey(1)` when asked `git codey --help`.
            let cmd = cmd.name("git-codey").bin_name("git-codey");
            clap_mangen::Man::new(cmd).render(out)
        }
        Generate::CompleteBash => complete(Shell::Bash, &mut cmd, out),
        Generate::CompleteZsh => complete(Shell::Zsh, &mut cmd, out),
        Generate::CompleteFish => complete(Shell::Fish, &mut cmd, out),
        Generate::CompleteElvish => complete(Shell::Elvish, &mut cmd, out),
        Generate::CompletePowershell => complete(Shell::PowerShell, &mut cmd, out),
    })
}

fn complete(
    shell: Shell,
    cmd: &mut clap::Command,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    clap_complete::generate(shell, cmd, "git-codey", out);
    Ok(())
}
