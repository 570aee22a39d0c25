//! `git codey commit-msg`: the prepare-commit-msg hook's entry point, which puts a draft
//! into the message file git prepared and never fails the commit, and `--print`, which
//! prints a draft for the staged changes.
//!
//! The model is asked on a worker thread so that the deadline (`commit_msg.timeout_s`,
//! loading included) and Ctrl-C are noticed whatever it is doing; past the deadline
//! the deterministic draft is written and the worker is left to the process's end.

use crate::config::RoleName;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::cli::CommitMsgArgs;
use crate::commit_msg::{self, MessageSource, fallback, file, prompt, reply, staged};
use crate::config::Config;
use crate::error::{CommandError, ErrorKind};
use crate::tools::git;
use crate::ui;

pub fn run(args: &CommitMsgArgs) -> Result<(), CommandError> {
    let started = Instant::now();
    let Some(path) = &args.msg_file else {
        return print(started);
    };
    // Every failure leaves the file as git prepared it, and the commit goes on.
    if let Err(why) = hook(path, args.source.as_deref(), started) {
        ui::warn(&format!(
            "git-codey: {}; the message is as git prepared it",
            one_line(&why)
        ));
    }
    Ok(())
}

/// Drafts into the message file, or leaves it alone and says why (`Err`). Commits that
/// need no draft are left alone silently.
fn hook(path: &Path, source: Option<&str>, started: Instant) -> Result<(), String> {
    if std::env::var_os("CODEY_SKIP_HOOK").is_some_and(|v| v == "1") {
        return Ok(());
    }
    let source = MessageSource::parse(source);
    // Decided before anything is read: `git commit -m` must cost next to nothing.
    if matches!(source, None | Some(MessageSource::Message)) {
        return Ok(());
    }
    let editor = std::env::var_os("GIT_EDITOR").is_none_or(|v| v != ":");
    let workspace = super::current_workspace().map_err(|e| e.to_string())?;
    let root = &workspace.root;
    let layered = super::load_config(Some(root)).map_err(|e| e.to_string())?;
    let config = &layered.config;
    if !commit_msg::wanted(source, editor, &config.commit_msg)
        || commit_msg::sequence_in_progress(root).map_err(|e| e.to_string())?
    {
        return Ok(());
    }
    let Some(staged) = staged::read(root).map_err(|e| e.to_string())? else {
        return Ok(());
    };
    let prepared = std::fs::read_to_string(path)
        .map_err(|e| format!("could not read {}: {e}", path.display()))?;
    crate::interrupt::install();
    let (draft, why) = match draft(&staged, config, started) {
        Drafted::Model(message) => (message, None),
        Drafted::Fallback { draft, why } => (draft, Some(why)),
        Drafted::Interrupted => return Err("interrupted".into()),
    };
    let comment = file::comment_string(configured_comment(root).as_deref(), &prepared);
    let mode = config.commit_msg.mode;
    let message_made = source.is_some_and(MessageSource::message_made);
    let composed = file::compose(&prepared, &draft, mode, &comment, message_made);
    crate::edit::apply::write_atomic(path, composed.as_bytes())
        .map_err(|e| format!("could not write {}: {e}", path.display()))?;
    if let Some(why) = why {
        ui::warn(&format!(
            "git-codey: {}; wrote a draft from the file list instead",
            one_line(&why)
        ));
    }
    Ok(())
}

/// `--print`: a draft for the staged changes on stdout.
fn print(started: Instant) -> Result<(), CommandError> {
    let workspace = super::current_workspace()?;
    let layered = super::load_config(Some(&workspace.root))?;
    let Some(staged) = staged::read(&workspace.root)? else {
        return Err(CommandError::from(anyhow::anyhow!(
            "nothing is staged, so there is nothing to describe"
        ))
        .with_hint("stage changes with `git add`, then run this again"));
    };
    crate::interrupt::install();
    let message = match draft(&staged, &layered.config, started) {
        Drafted::Model(message) => message,
        Drafted::Fallback { draft, why } => {
            ui::warn(&format!(
                "git-codey: {}; printed a draft from the file list instead",
                one_line(&why)
            ));
            draft
        }
        Drafted::Interrupted => {
            return Err(CommandError::new(
                ErrorKind::Interrupted,
                anyhow::anyhow!("interrupted"),
            ));
        }
    };
    ui::with_stdout(|out| writeln!(out, "{message}"))
}

enum Drafted {
    Model(String),
    /// The deterministic draft, and why the model's could not be had.
    Fallback {
        draft: String,
        why: String,
    },
    Interrupted,
}

/// A draft from the coder model within the deadline, else the deterministic one.
fn draft(staged: &staged::Staged, config: &Config, started: Instant) -> Drafted {
    let settings = &config.commit_msg;
    let fallback = |why: String| Drafted::Fallback {
        draft: fallback::draft(staged, settings.conventional),
        why,
    };
    let mut coder = crate::llm::role(config, RoleName::Coder);
    let limit = Duration::from_secs(settings.timeout_s);
    let deadline = started + limit;
    let remaining = deadline.saturating_duration_since(Instant::now());
    // The backend's own limits end its work near the deadline too, so a worker left
    // behind does not keep a server or the CPU busy for long.
    coder.settings.timeout_s = coder.settings.timeout_s.min(remaining.as_secs() + 1).max(1);
    let shape = prompt::Shape {
        conventional: settings.conventional,
        budget: prompt::Shape::budget(
            settings.max_diff_bytes,
            coder.settings.context_size,
            coder.settings.max_tokens,
        ),
        max_tokens: coder.settings.max_tokens,
        timeout: remaining,
    };
    let request = prompt::request(staged, &shape);
    let label = format!("drafting the commit message with {}", coder.describe());
    let config = config.clone();
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .name("commit-msg".into())
        .spawn(move || {
            let pool = crate::provider::Provider::new(&config);
            let result = reachable(&coder.source, remaining)
                .and_then(|()| pool.backend(&coder, &crate::provider::quiet()))
                .and_then(|engine| {
                    let mut engine = engine
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    engine
                        .complete(&request, &mut |_| {})
                        .map_err(|e| format!("{} failed: {e}", engine.describe()))
                });
            // The model is unloaded before the answer goes back: an answer in time
            // then never lets the process end while the model is being freed.
            drop(pool);
            let _ = tx.send(result);
        });
    if let Err(e) = worker {
        return fallback(format!("could not start a thread for the model: {e}"));
    }
    let spinner = ui::spinner(label);
    let late = || {
        format!(
            "the coder model gave no draft within commit_msg.timeout_s ({} s)",
            settings.timeout_s
        )
    };
    let outcome = loop {
        match rx.recv_timeout(Duration::from_millis(25)) {
            // The backend's own time limit ends at the deadline too, and may report
            // first: a failure that arrives past the deadline is the deadline's.
            Ok(Err(_)) if Instant::now() >= deadline => break Some(Err(late())),
            Ok(result) => break Some(result),
            Err(RecvTimeoutError::Timeout) => {
                if crate::interrupt::requested() {
                    break None;
                }
                if Instant::now() >= deadline {
                    break Some(Err(late()));
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                break Some(Err("the model thread ended without an answer".into()));
            }
        }
    };
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    if crate::interrupt::requested() {
        return Drafted::Interrupted;
    }
    match outcome {
        None => Drafted::Interrupted,
        Some(Ok(completion)) => match reply::clean(&completion.text) {
            Some(message) => Drafted::Model(message),
            None => fallback("the coder model's reply held no commit message".into()),
        },
        Some(Err(why)) => fallback(why),
    }
}

/// Whether a server's port takes connections. A server that is down fails the draft at
/// once, rather than after the backend's retries, which are for servers still starting.
fn reachable(source: &crate::llm::Source, limit: Duration) -> Result<(), String> {
    use std::net::{TcpStream, ToSocketAddrs};
    let crate::llm::Source::Remote { endpoint, .. } = source else {
        return Ok(());
    };
    // Through a proxy, the server's own port says nothing; the backend finds out.
    if ureq::Proxy::try_from_env().is_some() {
        return Ok(());
    }
    let Ok(uri) = endpoint.parse::<ureq::http::Uri>() else {
        // The backend reports a malformed endpoint in its own words.
        return Ok(());
    };
    let Some(host) = uri.host() else {
        return Ok(());
    };
    let port = uri
        .port_u16()
        .unwrap_or(if uri.scheme_str() == Some("https") {
            443
        } else {
            80
        });
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("could not resolve the coder model's server {endpoint}: {e}"))?;
    let limit = limit.clamp(Duration::from_millis(1), Duration::from_secs(2));
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, limit) {
            Ok(_) => return Ok(()),
            Err(e) => last = Some(e),
        }
    }
    Err(format!(
        "could not reach the coder model's server at {endpoint} ({})",
        last.map_or_else(|| "no address".into(), |e| e.to_string())
    ))
}

/// `core.commentChar` / `core.commentString`, whichever git reads last, if set.
fn configured_comment(root: &Path) -> Option<String> {
    let out = git::read_only(root)
        .args(["config", "--get-regexp", r"^core\.comment(char|string)$"])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .and_then(|l| l.split_once(' '))
        .map(|(_, value)| value.to_string())
}

/// A message as one line of stderr.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
