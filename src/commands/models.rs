//! `git codey models list|check`: the configured models, and whether their files are
//! whole and of the right kind — read from the GGUF header, never by loading.

use serde_json::{Value, json};

use crate::cli::ModelsCommand;
use crate::error::{CommandError, exit};
use crate::llm::{self, Estimate, RoleModel, Source, gguf};
use crate::ui;

pub fn run(command: &ModelsCommand) -> Result<(), CommandError> {
    let workspace = super::current_workspace().ok();
    let layered = super::load_config(workspace.as_ref().map(|w| w.root.as_path()))?;
    let roles = llm::roles(&layered.config);
    match command {
        ModelsCommand::List { json } => list(&roles, *json),
        ModelsCommand::Check {
            roles: wanted,
            json,
        } => {
            let chosen: Vec<&RoleModel> = roles
                .iter()
                .filter(|r| wanted.is_empty() || wanted.iter().any(|w| w == r.role))
                .collect();
            check(&chosen, *json)
        }
    }
}

fn list(roles: &[RoleModel], as_json: bool) -> Result<(), CommandError> {
    let rows: Vec<Value> = roles.iter().map(list_row).collect();
    ui::with_stdout(|out| {
        if as_json {
            serde_json::to_writer_pretty(&mut *out, &json!({ "models": rows }))?;
            return writeln!(out);
        }
        writeln!(
            out,
            "{}",
            ui::bold(&format!(
                "{:<10} {:<8} {:<8} {:>9} {:>9}  {}",
                "ROLE", "BACKEND", "PRESENT", "SIZE", "MEMORY", "FILE"
            ))
        )?;
        for (role, row) in roles.iter().zip(&rows) {
            let bytes = |key: &str| row[key].as_u64().map_or("-".into(), llm::human_bytes);
            let present = match row["present"].as_bool() {
                Some(true) => ui::green("yes"),
                Some(false) => ui::red("no "),
                None => ui::dim("-  "),
            };
            let target = match &role.source {
                Source::Local { path } => path.display().to_string(),
                Source::Remote { endpoint, model } => format!("{endpoint} ({model})"),
            };
            writeln!(
                out,
                "{:<10} {:<8} {present}      {:>9} {:>9}  {target}",
                role.role,
                role.backend(),
                bytes("size"),
                bytes("estimated_memory"),
            )?;
        }
        Ok(())
    })
}

fn list_row(role: &RoleModel) -> Value {
    match &role.source {
        Source::Remote { endpoint, model } => json!({
            "role": role.role,
            "backend": role.backend(),
            "endpoint": endpoint,
            "model": model,
            "present": null,
            "size": null,
            "estimated_memory": null,
        }),
        Source::Local { path } => {
            let header = gguf::Header::read(path).ok();
            let size = std::fs::metadata(path).ok().map(|m| m.len());
            let estimate = header
                .as_ref()
                .map(|h| Estimate::new(h, u64::from(role.settings.context_size)).total());
            json!({
                "role": role.role,
                "backend": role.backend(),
                "path": path,
                "present": size.is_some(),
                "size": size,
                "estimated_memory": estimate,
                "architecture": header.as_ref().and_then(|h| h.architecture().map(str::to_string)),
            })
        }
    }
}

fn check(roles: &[&RoleModel], as_json: bool) -> Result<(), CommandError> {
    let mut results = Vec::new();
    let mut failed = false;
    for role in roles {
        let result = match &role.source {
            Source::Remote { endpoint, model } => json!({
                "role": role.role,
                "backend": "openai",
                "endpoint": endpoint,
                "model": model,
                "ok": null,
                "note": "served by a remote engine; nothing to check on disk",
            }),
            Source::Local { path } => match gguf::Header::read(path) {
                Ok(h) => json!({
                    "role": role.role,
                    "backend": "llama",
                    "path": path,
                    "ok": true,
                    "architecture": h.architecture(),
                    "name": h.name(),
                    "version": h.version,
                    "tensors": h.tensors.len(),
                    "parameters": h.parameters(),
                    "chat_template": h.has_chat_template(),
                    "estimated_memory": Estimate::new(&h, u64::from(role.settings.context_size)).total(),
                }),
                Err(e) => {
                    failed = true;
                    let hint = match e {
                        gguf::GgufError::Missing { .. } => format!(
                            "put the GGUF file there, or point models.{0}.path (CODEY_MODELS_{1}_PATH) at one",
                            role.role,
                            role.role.to_uppercase()
                        ),
                        _ => "replace the file with a complete GGUF model".to_string(),
                    };
                    json!({
                        "role": role.role,
                        "backend": "llama",
                        "path": path,
                        "ok": false,
                        "error": e.to_string(),
                        "hint": hint,
                    })
                }
            },
        };
        results.push(result);
    }
    ui::with_stdout(|out| {
        if as_json {
            serde_json::to_writer_pretty(&mut *out, &json!({ "models": results }))?;
            return writeln!(out);
        }
        for r in &results {
            let role = r["role"].as_str().unwrap_or_default();
            match r["ok"].as_bool() {
                Some(true) => writeln!(
                    out,
                    "{} {role}: {} GGUF v{}, {} tensors, {:.0}M parameters, chat template {}, needs about {}",
                    ui::green("ok"),
                    r["architecture"].as_str().unwrap_or("?"),
                    r["version"],
                    r["tensors"],
                    r["parameters"].as_u64().unwrap_or(0) as f64 / 1e6,
                    if r["chat_template"] == true {
                        "yes"
                    } else {
                        "no"
                    },
                    llm::human_bytes(r["estimated_memory"].as_u64().unwrap_or(0)),
                )?,
                Some(false) => {
                    writeln!(
                        out,
                        "{} {role}: {}",
                        ui::red("error"),
                        r["error"].as_str().unwrap_or_default()
                    )?;
                    writeln!(
                        out,
                        "      hint: {}",
                        r["hint"].as_str().unwrap_or_default()
                    )?;
                }
                None => writeln!(
                    out,
                    "{} {role}: {} at {}",
                    ui::dim("remote"),
                    r["model"].as_str().unwrap_or_default(),
                    r["endpoint"].as_str().unwrap_or_default()
                )?,
            }
        }
        Ok(())
    })?;
    if failed {
        return Err(CommandError::quiet(exit::FAILED));
    }
    Ok(())
}
