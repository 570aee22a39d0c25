//! `git codey undo`: puts back the files of the last applied edit, exactly as they were.

use serde_json::json;

use crate::cli::UndoArgs;
use crate::edit::lock::{self, RepoLock};
use crate::edit::undo::{self, UndoError};
use crate::error::CommandError;
use crate::ui;

pub fn run(args: &UndoArgs) -> Result<(), CommandError> {
    let workspace = super::current_workspace()?;
    let _lock = RepoLock::acquire(&workspace.git_dir, lock::WAIT)
        .map_err(|e| CommandError::from(anyhow::anyhow!(e)).with_hint("nothing was changed"))?;
    match undo::undo(&workspace.git_dir, &workspace.root) {
        Ok(undone) => {
            // The session forgets the undone turn: "it" no longer means what it added.
            let mut memory = crate::memory::Memory::load(
                &workspace.git_dir,
                &crate::memory::branch(&workspace.root),
                std::time::SystemTime::now(),
            );
            if let Err(e) = memory.forget_undone(&undone.request) {
                ui::warn(&format!("the files are back, but the session history was not updated: {e}"));
            }
            if args.json {
                return ui::with_stdout(|out| {
                    serde_json::to_writer(
                        &mut *out,
                        &json!({
                            "request": undone.request,
                            "restored": undone.restored,
                            "removed": undone.removed,
                        }),
                    )?;
                    writeln!(out)
                });
            }
            for path in &undone.restored {
                ui::note(&format!("restored {path}"));
            }
            for path in &undone.removed {
                ui::note(&format!("removed {path} (the edit created it)"));
            }
            ui::note(&format!("undid “{}”", undone.request));
            Ok(())
        }
        Err(e @ UndoError::Committed { .. }) => Err(CommandError::refused(anyhow::anyhow!(e))
            .with_hint("git revert makes a new commit that takes the change back; nothing was touched")),
        Err(e @ UndoError::Changed { .. }) => Err(CommandError::refused(anyhow::anyhow!(e))
            .with_hint("those files hold later work; restore them by hand with `git diff` / `git checkout -p` if you want the edit gone")),
        Err(e @ UndoError::Nothing) => Err(CommandError::refused(anyhow::anyhow!(e))),
        Err(e) => Err(CommandError::from(anyhow::anyhow!(e))),
    }
}
