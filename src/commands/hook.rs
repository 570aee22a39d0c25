//! `git codey hook install|uninstall|status`: git-codey's prepare-commit-msg hook in the
//! current repository's hooks directory.

use serde_json::json;

use crate::cli::HookCommand;
use crate::error::CommandError;
use crate::hook::{self, HookError, Installed, State, Uninstalled};
use crate::ui;

pub fn run(command: &HookCommand) -> Result<(), CommandError> {
    let workspace = super::current_workspace()?;
    let dir = hook::hooks_dir(&workspace.root)?;
    match command {
        HookCommand::Install => {
            let (outcome, status) = hook::install(&dir).map_err(error)?;
            let path = status.path.display();
            ui::note(&match outcome {
                Installed::New => format!("installed the prepare-commit-msg hook: {path}"),
                Installed::Updated => format!("updated the prepare-commit-msg hook: {path}"),
                Installed::Already => format!("already installed: {path}"),
            });
            if let Some(kept) = &status.kept {
                ui::note(&format!(
                    "the hook that was there is kept as {} and runs first",
                    kept.display()
                ));
            }
            if let Some(edited) = &status.edited {
                ui::note(&format!(
                    "the hook that was there differed from this version's; it is kept as {}",
                    edited.display()
                ));
            }
            if !on_path() {
                ui::warn(
                    "git-codey is not on PATH, so the hook will do nothing; install it with scripts/install or cargo install",
                );
            }
            Ok(())
        }
        HookCommand::Uninstall => {
            let path = dir.join(hook::NAME);
            let path = path.display();
            ui::note(&match hook::uninstall(&dir).map_err(error)? {
                Uninstalled::Removed => format!("removed the prepare-commit-msg hook: {path}"),
                Uninstalled::Restored => {
                    format!("removed git-codey's hook and put back the one that was there: {path}")
                }
                Uninstalled::NotInstalled => {
                    format!("git-codey's hook is not installed ({path}); nothing was changed")
                }
            });
            if let Some(edited) = hook::status(&dir).map_err(error)?.edited {
                ui::note(&format!(
                    "edits made to git-codey's hook are kept in {}",
                    edited.display()
                ));
            }
            Ok(())
        }
        HookCommand::Status { json } => {
            let status = hook::status(&dir).map_err(error)?;
            let (state, text) = match status.state {
                State::Ours { current: true } => ("installed", "installed"),
                State::Ours { current: false } => (
                    "outdated",
                    "installed, an older version (`git codey hook install` updates it)",
                ),
                State::Absent => ("absent", "not installed"),
                State::Foreign => ("foreign", "another hook is there, not git-codey's"),
            };
            let on_path = on_path();
            ui::with_stdout(|out| {
                if *json {
                    serde_json::to_writer(
                        &mut *out,
                        &json!({
                            "hooks_dir": dir,
                            "path": status.path,
                            "state": state,
                            "kept": status.kept,
                            "on_path": on_path,
                        }),
                    )?;
                    return writeln!(out);
                }
                writeln!(
                    out,
                    "prepare-commit-msg: {text} ({})",
                    status.path.display()
                )?;
                if let Some(kept) = &status.kept {
                    writeln!(out, "runs first: {}", kept.display())?;
                }
                if !on_path && matches!(status.state, State::Ours { .. }) {
                    writeln!(out, "git-codey is not on PATH: the hook does nothing")?;
                }
                Ok(())
            })
        }
    }
}

fn error(e: HookError) -> CommandError {
    match e {
        HookError::Occupied { .. } => CommandError::refused(anyhow::anyhow!(e)).with_hint(
            "another tool replaced git-codey's hook; move one of the two hooks away, then install again",
        ),
        HookError::Foreign(_) => CommandError::refused(anyhow::anyhow!(e))
            .with_hint("that hook was not installed by git-codey; remove it by hand if you want it gone"),
        HookError::Io { .. } => CommandError::from(anyhow::anyhow!(e)),
    }
}

/// Whether the shim will find `git-codey` (it looks it up on PATH).
fn on_path() -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| dir.join("git-codey").is_file())
    })
}
