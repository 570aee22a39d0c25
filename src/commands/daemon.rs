//! `git codey daemon start|stop|status`, and the hidden `run` that is the service
//! itself. Start and stop are idempotent; status exits 3 when nothing runs, as
//! `systemctl status` does, so scripts can test for it.

use std::time::Duration;

use serde_json::json;

use crate::cli::DaemonCommand;
use crate::config::Config;
use crate::daemon::client::{self, Client, Started};
use crate::daemon::protocol::Status;
use crate::daemon::{DaemonError, Runtime, server};
use crate::error::{CommandError, exit};
use crate::ui;

pub fn run(command: &DaemonCommand) -> Result<(), CommandError> {
    let runtime = Runtime::locate();
    match command {
        DaemonCommand::Start {
            foreground: true, ..
        } => serve(&runtime, None),
        DaemonCommand::Run { idle_exit_s } => serve(&runtime, *idle_exit_s),
        DaemonCommand::Start { json, .. } => start(&runtime, *json),
        DaemonCommand::Stop { json } => stop(&runtime, *json),
        DaemonCommand::Status { json } => status(&runtime, *json),
    }
}

/// The configuration of the repository around, if any: a service started from a
/// repository takes that repository's settings.
fn config() -> Result<Config, CommandError> {
    let workspace = super::current_workspace().ok();
    Ok(super::load_config(workspace.as_ref().map(|w| w.root.as_path()))?.config)
}

fn serve(runtime: &Runtime, idle_exit_s: Option<u64>) -> Result<(), CommandError> {
    let config = config()?;
    let options = server::Options {
        idle_exit: Duration::from_secs(idle_exit_s.unwrap_or(config.daemon.idle_exit_s)),
        cache_dir: crate::config::cache_dir(),
        router: config.models.router.clone(),
        memory_budget_mb: config.memory_budget_mb,
    };
    server::run(runtime, options).map_err(error)
}

fn start(runtime: &Runtime, as_json: bool) -> Result<(), CommandError> {
    let config = config()?;
    let started = client::start(runtime, config.daemon.idle_exit_s).map_err(error)?;
    let (new, status) = match &started {
        Started::New(status) => (true, status),
        Started::Already(status) => (false, status),
    };
    let socket = runtime.socket();
    ui::with_stdout(|out| {
        if as_json {
            serde_json::to_writer(
                &mut *out,
                &json!({
                    "started": new,
                    "pid": status.pid,
                    "version": status.version,
                    "socket": socket,
                }),
            )?;
            return writeln!(out);
        }
        let what = if new {
            "daemon started"
        } else {
            "daemon is already running"
        };
        writeln!(
            out,
            "{what} (pid {}, socket {})",
            status.pid,
            socket.display()
        )
    })
}

fn stop(runtime: &Runtime, as_json: bool) -> Result<(), CommandError> {
    let stopped = match Client::open(runtime) {
        Ok(client) => {
            client.stop().map_err(|e| {
                error(e).with_hint(format!(
                    "its pid is in {}; `kill` that pid to end it",
                    runtime.pid_file().display()
                ))
            })?;
            true
        }
        Err(DaemonError::NotRunning) => false,
        Err(e) => return Err(error(e)),
    };
    ui::with_stdout(|out| {
        if as_json {
            serde_json::to_writer(&mut *out, &json!({ "stopped": stopped }))?;
            return writeln!(out);
        }
        if stopped {
            writeln!(out, "daemon stopped")
        } else {
            writeln!(out, "daemon is not running")
        }
    })
}

fn status(runtime: &Runtime, as_json: bool) -> Result<(), CommandError> {
    let found = match Client::open(runtime).and_then(|mut client| client.status()) {
        Ok(status) => Some(status),
        Err(DaemonError::NotRunning) => None,
        Err(e) => return Err(error(e)),
    };
    let socket = runtime.socket();
    ui::with_stdout(|out| {
        if as_json {
            let mut value = json!({ "running": found.is_some(), "socket": socket });
            if let Some(status) = &found
                && let (Some(object), serde_json::Value::Object(fields)) =
                    (value.as_object_mut(), serde_json::to_value(status)?)
            {
                object.extend(fields);
            }
            serde_json::to_writer(&mut *out, &value)?;
            return writeln!(out);
        }
        match &found {
            Some(status) => describe(out, status, &socket),
            None => writeln!(out, "daemon is not running"),
        }
    })?;
    match found {
        Some(_) => Ok(()),
        None => Err(CommandError::quiet(exit::NOT_RUNNING)),
    }
}

fn describe(
    out: &mut dyn std::io::Write,
    status: &Status,
    socket: &std::path::Path,
) -> std::io::Result<()> {
    writeln!(
        out,
        "daemon is running (pid {}, git-codey {})",
        status.pid, status.version
    )?;
    writeln!(out, "socket:    {}", socket.display())?;
    writeln!(out, "uptime:    {}", duration(status.uptime_s))?;
    writeln!(
        out,
        "idle exit: after {} without a request",
        duration(status.idle_exit_s)
    )?;
    writeln!(
        out,
        "requests:  {} routed, {} completed",
        status.requests, status.completions
    )?;
    if status.models.is_empty() {
        return writeln!(out, "models:    none loaded");
    }
    for (i, model) in status.models.iter().enumerate() {
        let reading = match model.reading {
            Some(r) => format!("; reading its labelled requests: {} of {}", r.read, r.of),
            None => String::new(),
        };
        writeln!(
            out,
            "{:<11}{} {} (loaded in {} ms{reading})",
            if i == 0 { "models:" } else { "" },
            model.role,
            model.path.display(),
            model.loaded_ms
        )?;
    }
    Ok(())
}

/// `42s`, `3m 12s`, `2h 5m`.
fn duration(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m {}s", seconds / 60, seconds % 60),
        _ => format!("{}h {}m", seconds / 3600, seconds % 3600 / 60),
    }
}

fn error(e: DaemonError) -> CommandError {
    match &e {
        DaemonError::UnsafeDir { dir, .. } => {
            let hint = format!(
                "use a directory only you can enter: `chmod 700 {}` if it is yours, or set XDG_RUNTIME_DIR to one of your own",
                dir.display()
            );
            CommandError::usage(anyhow::anyhow!(e)).with_hint(hint)
        }
        DaemonError::StartFailed { .. } => CommandError::from(anyhow::anyhow!(e)).with_hint(
            "`git codey daemon start --foreground` runs it in the terminal, with its errors",
        ),
        _ => CommandError::from(anyhow::anyhow!(e)),
    }
}
