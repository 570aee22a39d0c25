//! `git codey models list|check`: the configured models, and whether their files are
//! whole and of the right kind — read from the GGUF header, never by loading.

use serde_json::{Value, json};

use crate::cli::ModelsCommand;
use crate::error::{CommandError, exit};
use crate::llm::fetch::{self, FetchError};
use crate::llm::{self, RoleModel, Source, gguf};
use crate::route::model::ModelRouter;
use crate::ui;

pub fn run(command: &ModelsCommand) -> Result<(), CommandError> {
    let workspace = super::current_workspace().ok();
    let layered = super::load_config(workspace.as_ref().map(|w| w.root.as_path()))?;
    let roles = llm::roles(&layered.config);
    match command {
        ModelsCommand::List { json } => list(&roles, *json),
        ModelsCommand::Pull { roles: wanted, all } => {
            let chosen: Vec<&RoleModel> = roles
                .iter()
                .filter(|r| *all || wanted.contains(&r.role))
                .collect();
            pull(&chosen)
        }
        ModelsCommand::Check {
            roles: wanted,
            json,
        } => {
            let chosen: Vec<&RoleModel> = roles
                .iter()
                .filter(|r| wanted.is_empty() || wanted.contains(&r.role))
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
            let estimate = header.as_ref().map(|h| role.estimate(h).total());
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
                "backend": role.backend(),
                "endpoint": endpoint,
                "model": model,
                "ok": null,
                "note": "served by a remote engine; nothing to check on disk",
            }),
            Source::Local { path } => match gguf::Header::read(path) {
                Ok(h) => json!({
                    "role": role.role,
                    "backend": role.backend(),
                    "path": path,
                    "ok": true,
                    "architecture": h.architecture(),
                    "name": h.name(),
                    "version": h.version,
                    "tensors": h.tensors.len(),
                    "parameters": h.parameters(),
                    "chat_template": h.has_chat_template(),
                    "estimated_memory": role.estimate(&h).total(),
                }),
                Err(e) => {
                    failed = true;
                    let hint = match e {
                        gguf::GgufError::Missing { .. } => format!(
                            "run `git codey models pull {0}`, or point models.{0}.path (CODEY_MODELS_{1}_PATH) at a GGUF file",
                            role.role,
                            role.role.as_str().to_uppercase()
                        ),
                        _ => "replace the file with a complete GGUF model".to_string(),
                    };
                    json!({
                        "role": role.role,
                        "backend": role.backend(),
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

fn pull(roles: &[&RoleModel]) -> Result<(), CommandError> {
    crate::interrupt::install();
    let mut failed = false;
    for role in roles {
        if crate::interrupt::requested() {
            return Err(CommandError::quiet(exit::INTERRUPTED));
        }
        let Source::Local { path } = &role.source else {
            ui::note(&format!(
                "{}: served by {}; nothing to download",
                role.role,
                role.describe()
            ));
            continue;
        };
        let url = role.settings.url.trim();
        let sha256 = Some(role.settings.sha256.trim()).filter(|s| !s.is_empty());
        if path.is_file() {
            let verdict = match sha256 {
                None => Ok("present (no checksum configured)".to_string()),
                Some(expected) => match fetch::sha256_of(path) {
                    Ok(actual) if actual.eq_ignore_ascii_case(expected) => {
                        Ok("present and verified".to_string())
                    }
                    Ok(actual) => Err(format!(
                        "{} is present but its sha256 is {actual}, not {expected}; move it away and pull again",
                        path.display()
                    )),
                    Err(e) => Err(format!("{}: {e}", path.display())),
                },
            };
            match verdict {
                Ok(v) => {
                    ui::note(&format!("{}: {v}: {}", role.role, path.display()));
                    failed |= !ready(role);
                }
                Err(e) => {
                    failed = true;
                    ui::report_error(&CommandError::new(
                        crate::error::ErrorKind::Failed,
                        anyhow::anyhow!("{}: {e}", role.role),
                    ));
                }
            }
            continue;
        }
        if url.is_empty() {
            failed = true;
            ui::report_error(
                &CommandError::new(
                    crate::error::ErrorKind::Failed,
                    anyhow::anyhow!("{}: no download URL is configured", role.role),
                )
                .with_hint(format!(
                    "set models.{0}.url (CODEY_MODELS_{1}_URL), or put the file at {2}",
                    role.role,
                    role.role.as_str().to_uppercase(),
                    path.display()
                )),
            );
            continue;
        }
        let bar = ui::download_bar(format!("{} <- {url}", role.role));
        let result = fetch::download(url, path, sha256, &mut |done, total| {
            if let Some(bar) = &bar {
                if let Some(total) = total {
                    bar.set_length(total);
                }
                bar.set_position(done);
            }
        });
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        match result {
            Ok(outcome) => {
                let resumed = if outcome.resumed_from > 0 {
                    format!(", resumed at {}", llm::human_bytes(outcome.resumed_from))
                } else {
                    String::new()
                };
                let verified = if outcome.verified {
                    ", sha256 verified"
                } else {
                    ", no checksum configured"
                };
                ui::note(&format!(
                    "{}: downloaded {}{resumed}{verified}: {}",
                    role.role,
                    llm::human_bytes(outcome.bytes),
                    path.display()
                ));
                failed |= !ready(role);
            }
            Err(FetchError::Cancelled) => {
                ui::warn("interrupted: the partial download is kept, and the next pull resumes it");
                return Err(CommandError::quiet(exit::INTERRUPTED));
            }
            Err(e) => {
                failed = true;
                ui::report_error(&CommandError::new(
                    crate::error::ErrorKind::Failed,
                    anyhow::anyhow!("{}: {e}", role.role),
                ));
            }
        }
    }
    if crate::interrupt::requested() {
        return Err(CommandError::quiet(exit::INTERRUPTED));
    }
    if failed {
        return Err(CommandError::quiet(exit::FAILED));
    }
    Ok(())
}

/// Makes a pulled model ready to use where that takes more than its file: the router
/// model reads its labelled requests (once per model, about a minute on 2 cores; see
/// `route::nearest`), which routing otherwise does without until the service has read
/// them. Says what it did; `false` when it failed.
fn ready(role: &RoleModel) -> bool {
    if role.role != crate::config::RoleName::Router {
        return true;
    }
    let started = std::time::Instant::now();
    let loading = ui::spinner(format!("{}: loading", role.role));
    let loaded = ModelRouter::load(role, &crate::config::cache_dir());
    if let Some(bar) = loading {
        bar.finish_and_clear();
    }
    let mut router = match loaded {
        Ok(router) => router,
        Err(e) => {
            ui::report_error(&CommandError::new(
                crate::error::ErrorKind::Failed,
                anyhow::anyhow!("{}: the model could not be loaded: {e}", role.role),
            ));
            return false;
        }
    };
    let Some((_, total)) = router.bank_unread() else {
        ui::note(&format!(
            "{}: ready (its reading of the labelled requests is cached)",
            role.role
        ));
        return true;
    };
    let bar = ui::count_bar(
        format!("{}: reading the labelled requests it routes by", role.role),
        total as u64,
    );
    let mut result = Ok(());
    while let Some((done, _)) = router.bank_unread() {
        if let Some(bar) = &bar {
            bar.set_position(done as u64);
        }
        if crate::interrupt::requested() {
            break;
        }
        result = router.read_bank(8);
        if result.is_err() {
            break;
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match (result, router.bank_unread()) {
        (Ok(()), None) => {
            ui::note(&format!(
                "{}: ready: read {total} labelled requests in {:.0} s (once per model)",
                role.role,
                started.elapsed().as_secs_f64()
            ));
            true
        }
        (Err(e), _) => {
            ui::report_error(&CommandError::new(
                crate::error::ErrorKind::Failed,
                anyhow::anyhow!("{}: reading the labelled requests failed: {e}", role.role),
            ));
            false
        }
        (Ok(()), Some(_)) => {
            ui::warn("interrupted: the labelled requests are read again next time");
            false
        }
    }
}
