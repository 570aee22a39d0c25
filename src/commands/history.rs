//! `git codey history`: the session memory of this repository, the turns a follow-up
//! is read against; `--clear` forgets them.

use std::time::SystemTime;

use crate::cli::HistoryArgs;
use crate::error::CommandError;
use crate::memory::{self, Memory};
use crate::ui;

pub fn run(args: &HistoryArgs) -> Result<(), CommandError> {
    let workspace = super::current_workspace()?;
    let now = SystemTime::now();
    let mut memory = Memory::load(&workspace.git_dir, &memory::branch(&workspace.root), now);
    if args.clear {
        memory
            .clear()
            .map_err(|e| CommandError::from(anyhow::anyhow!(e)))?;
        if !args.json {
            ui::note("the session history is cleared");
        }
        return if args.json {
            ui::with_stdout(|out| writeln!(out, "[]"))
        } else {
            Ok(())
        };
    }
    if args.json {
        return ui::with_stdout(|out| {
            serde_json::to_writer(&mut *out, memory.turns())?;
            writeln!(out)
        });
    }
    if memory.is_empty() {
        ui::note(
            "no earlier requests are remembered in this repository (on this branch, in the last few hours)",
        );
        return Ok(());
    }
    let seconds = now
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    ui::with_stdout(|out| {
        for turn in memory.turns() {
            write!(
                out,
                "{}",
                ui::escape_controls(&memory::describe(turn, seconds))
            )?;
        }
        Ok(())
    })
}
