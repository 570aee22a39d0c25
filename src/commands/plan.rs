//! `git codey plan`: split a request into steps and route each, without running them.

use crate::cli::PlanArgs;
use crate::error::CommandError;
use crate::ui;

pub fn run(args: &PlanArgs) -> Result<(), CommandError> {
    let workspace = super::current_workspace().ok();
    let root = workspace.as_ref().map(|w| w.root.as_path());
    let config = super::load_config(root)?;
    let plan = super::plan(&super::joined(&args.request), root, &config.config);
    let together = crate::steps::together(&plan);
    ui::with_stdout(|out| {
        if args.json {
            let mut value = plan.to_json();
            // Steps that run at the same time, numbered from 1 as people count them.
            value["together"] = together
                .iter()
                .map(|r| serde_json::json!([r.start + 1, r.end]))
                .collect();
            serde_json::to_writer(&mut *out, &value)?;
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
            if let Some(condition) = &step.judged {
                writeln!(
                    out,
                    "      {}",
                    ui::dim(&format!(
                        "waits for you to say so (\"{}\"), even with --yes",
                        ui::escape_controls(condition)
                    ))
                )?;
            }
            match crate::steps::doubted(step) {
                Some(crate::route::Doubt::Guess(model)) => writeln!(
                    out,
                    "      {}",
                    ui::dim(&format!(
                        "{model}'s reading, no rule's: asked even with --yes"
                    ))
                )?,
                Some(crate::route::Doubt::SaidAround(after)) => writeln!(
                    out,
                    "      {}",
                    ui::dim(&format!(
                        "you also said \"{}\": asked even with --yes",
                        ui::escape_controls(after)
                    ))
                )?,
                None => {}
            }
            if let Some(run) = together.iter().find(|r| r.start == i) {
                writeln!(
                    out,
                    "      {}",
                    ui::dim(&format!(
                        "steps {}–{} only read: they run at the same time",
                        run.start + 1,
                        run.end
                    ))
                )?;
            }
        }
        Ok(())
    })
}
