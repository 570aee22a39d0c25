//! `git codey config`: the effective configuration and where each value came from.

use serde_json::json;

use crate::cli::ConfigArgs;
use crate::error::CommandError;
use crate::ui;

pub fn run(args: &ConfigArgs) -> Result<(), CommandError> {
    let workspace = super::current_workspace().ok();
    let layered = super::load_config(workspace.as_ref().map(|w| w.root.as_path()))?;
    ui::with_stdout(|out| {
        if args.json {
            let as_json = |s: &crate::config::Setting| {
                json!({
                    "key": s.key,
                    "value": toml_to_json(&s.value),
                    "source": s.origin.to_string(),
                    "env": crate::config::env_name(&s.key),
                })
            };
            let settings: Vec<_> = layered.settings.iter().map(as_json).collect();
            let untrusted: Vec<_> = layered.untrusted.iter().map(as_json).collect();
            serde_json::to_writer_pretty(
                &mut *out,
                &json!({ "settings": settings, "untrusted": untrusted }),
            )?;
            return writeln!(out);
        }
        let width = layered
            .settings
            .iter()
            .map(|s| s.key.len() + s.value.to_string().len() + 3)
            .max()
            .unwrap_or(0);
        for s in &layered.settings {
            let line = format!("{} = {}", s.key, s.value);
            let origin = s.origin.to_string();
            let origin = if origin == "default" {
                ui::dim(&format!("# {origin}"))
            } else {
                ui::green(&format!("# {origin}"))
            };
            writeln!(out, "{line:width$}  {origin}")?;
        }
        if !layered.untrusted.is_empty() {
            writeln!(out, "\n# ignored until `git codey trust`:")?;
            for s in &layered.untrusted {
                let line = format!("# {} = {}", s.key, s.value);
                writeln!(
                    out,
                    "{line:width$}  {}",
                    ui::dim(&format!("# {}", s.origin))
                )?;
            }
        }
        Ok(())
    })
}

fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => json!(d.to_string()),
        toml::Value::Array(items) => items.iter().map(toml_to_json).collect(),
        toml::Value::Table(t) => t
            .iter()
            .map(|(k, v)| (k.clone(), toml_to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}
