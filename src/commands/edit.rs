//! `git codey edit`: the code intent without routing. The edit itself is
//! `edit::pipeline`; this reads the arguments, refuses what cannot be confirmed, and
//! prints the report for `--json`.

use crate::cli::EditArgs;
use crate::edit::{Form, pipeline};
use crate::error::CommandError;
use crate::provider::Provider;
use crate::ui;

pub fn run(args: &EditArgs) -> Result<(), CommandError> {
    let instruction = super::joined(&args.instruction);
    if instruction.trim().is_empty() {
        return Err(
            CommandError::usage(anyhow::anyhow!("no instruction given")).with_hint(
                "say what to change, for example: git codey edit \"add a docstring to main.py\"",
            ),
        );
    }
    let workspace = super::current_workspace()?;
    let layered = super::load_config(Some(&workspace.root))?;
    let config = &layered.config;
    let interactive = ui::interactive();
    let must_confirm = config.require_confirmation && !args.yes;
    if must_confirm && !interactive && !args.dry_run {
        return Err(CommandError::refused(anyhow::anyhow!(
            "an edit changes files, and there is no terminal to confirm it"
        ))
        .with_hint("rerun with --yes to apply it, or --dry-run to only see the patch"));
    }
    let job = pipeline::Job {
        instruction,
        files: args.files.clone(),
        algorithm: false,
    };
    let options = pipeline::Options {
        confirm: must_confirm,
        dry_run: args.dry_run,
        commit: args.commit.resolve(config.edit.commit),
        form: args.format.and_then(Form::from_setting),
        yes: args.yes,
        interactive,
        check: !args.no_check,
        consent: crate::verify::RunCode::from_config(&layered),
    };
    crate::interrupt::install();
    let provider = Provider::new(config);
    let mut view = ui::edit::EditView::new(args.json);
    let report = pipeline::perform(&workspace, config, &provider, &job, &options, &mut view)?;
    if args.json {
        ui::with_stdout(|out| {
            serde_json::to_writer(&mut *out, &report.to_json())?;
            writeln!(out)
        })?;
    }
    Ok(())
}
