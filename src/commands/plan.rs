//! `git codey plan`: split a request into steps and route each, without running them.

use crate::cli::PlanArgs;
use crate::error::CommandError;
use crate::ui;

pub fn run(args: &PlanArgs) -> Result<(), CommandError> {
    let workspace = super::current_workspace().ok();
    let root = workspace.as_ref().map(|w| w.root.as_path());
    let config = super::load_config(root)?;
    let plan = super::plan(&super::joined(&args.request), root, &config.config);
    ui::with_stdout(|out| {
        if args.json {
            serde_json::to_writer(&mut *out, &plan.to_json())?;
            return writeln!(out);
        }
        let total = plan.steps.len();
        for (i, step) in plan.steps.iter().enumerate() {
            writeln!(
                out,
                "{} {}",
                ui::bold(&format!("[{}/{total}]", i + 1),),
                ui::escape_controls(&step.text)
            )?;
            writeln!(out, "      {}", super::route::describe(&step.route))?;
        }
        Ok(())
    })
}
