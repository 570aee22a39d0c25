//! `git codey route`: route requests and print where each would go.

use std::io::{BufRead, Write};

use crate::cli::RouteArgs;
use crate::error::CommandError;
use crate::route::Route;
use crate::ui;

pub fn run(args: &RouteArgs) -> Result<(), CommandError> {
    let workspace = super::current_workspace().ok();
    let root = workspace.as_ref().map(|w| w.root.as_path());
    let config = super::load_config(root)?;
    let mut router = super::router(root, &config.config);
    ui::with_stdout(|out| {
        for request in &args.requests {
            if request == "-" {
                for line in std::io::stdin().lock().lines() {
                    let line = line?;
                    if !line.trim().is_empty() {
                        print(out, &router.route(&line), args.json)?;
                    }
                }
            } else {
                print(out, &router.route(request), args.json)?;
            }
        }
        Ok(())
    })
}

fn print(out: &mut dyn Write, route: &Route, json: bool) -> std::io::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, &route.to_json())?;
        return writeln!(out);
    }
    writeln!(out, "{}", describe(route))
}

/// One line for a person: `git status  (regex, 0.98)  "git status"`.
pub fn describe(route: &Route) -> String {
    let target = match route.action.tool() {
        Some(tool) => format!("{tool} {}", route.action.name()),
        None => format!("{} {}", route.intent().as_str(), route.action.name()),
    };
    let params = serde_json::Value::Object(route.action.params()).to_string();
    let verdict = match &route.refused {
        Some(reason) => format!(
            "  {}",
            ui::red(&format!("refused: {}", ui::escape_controls(reason)))
        ),
        None => String::new(),
    };
    format!(
        "{}  {}  {}{verdict}",
        ui::bold(&target),
        params,
        ui::dim(&format!(
            "({}, {:.2}, {:?})",
            route.source.as_str(),
            route.confidence,
            route.request
        )),
    )
}
