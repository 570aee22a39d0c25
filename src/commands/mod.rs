//! Dispatch: one module per subcommand, and the shared set-up they need.

mod ask;
mod commit_msg;
mod config;
mod daemon;
mod edit;
mod generate;
mod history;
mod hook;
mod models;
mod plan;
mod review;
mod route;
mod trust;
mod undo;

use std::path::Path;

use crate::cli::{Cli, Command};
use crate::config::{Layered, Sources};
use crate::error::CommandError;
use crate::route::Hints;
use crate::workspace::Workspace;

pub fn run(cli: Cli) -> Result<(), CommandError> {
    crate::llm::llama::show_logs(cli.verbose);
    if let Some(kind) = cli.generate {
        return generate::run(kind);
    }
    match cli.command {
        Some(Command::Route(args)) => route::run(&args),
        Some(Command::Plan(args)) => plan::run(&args),
        Some(Command::Edit(args)) => edit::run(&args),
        Some(Command::Undo(args)) => undo::run(&args),
        Some(Command::History(args)) => history::run(&args),
        Some(Command::Config(args)) => config::run(&args),
        Some(Command::Trust(args)) => trust::run(&args),
        Some(Command::Models(command)) => models::run(&command),
        Some(Command::Review(args)) => review::run(&args),
        Some(Command::CommitMsg(args)) => commit_msg::run(&args),
        Some(Command::Hook(command)) => hook::run(&command),
        Some(Command::Daemon(command)) => daemon::run(&command),
        None => ask::run(&cli.ask),
    }
}

/// The front binary's short cut (see `ask::lone_git_command`): the git command a
/// command line runs as when it is a lone read-only git request; `None` for anything
/// else, which the full binary runs.
pub fn lone_git_command(cli: &Cli) -> Option<std::process::Command> {
    if cli.generate.is_some() || cli.command.is_some() {
        return None;
    }
    lone_git_request(&cli.ask)
}

/// The same for the default command's arguments alone (`cli::plain_request`).
pub use ask::lone_git_command as lone_git_request;

/// The repository around the current directory, if there is one.
fn current_workspace() -> Result<Workspace, CommandError> {
    let cwd = std::env::current_dir().map_err(|e| {
        CommandError::usage(anyhow::anyhow!("cannot read the current directory: {e}"))
    })?;
    Ok(Workspace::discover(&cwd)?)
}

/// The configuration for a repository root (or without one).
fn load_config(root: Option<&Path>) -> Result<Layered, CommandError> {
    let sources = Sources::standard(root);
    let layered = Layered::load(&sources, &|name| std::env::var(name).ok())?;
    if !layered.untrusted.is_empty() {
        crate::ui::warn(&format!(
            "this repository's codey.toml sets {}, which git-codey ignores until you trust the file: read it, then run `git codey trust`",
            layered.untrusted_keys()
        ));
    }
    Ok(layered)
}

/// Facts about the repository that routing uses to fill parameters.
fn hints(root: Option<&Path>, config: &crate::config::Config) -> Hints {
    Hints {
        test_command: root.and_then(test_command),
        python: Some(python()),
        protected_branches: config.protected_branches.clone(),
    }
}

/// Splits a request into steps routed by the rules and, for what they are unsure of,
/// the router model.
fn plan(request: &str, root: Option<&Path>, config: &crate::config::Config) -> crate::plan::Plan {
    crate::plan::plan(request, &mut router(root, config))
}

/// The rules, and the router model the configuration names (loaded when a request
/// first needs it).
fn router(root: Option<&Path>, config: &crate::config::Config) -> crate::route::Router {
    let model = crate::provider::RouterModel::from_config(config, crate::ui::model_notices(true))
        .map(|m| Box::new(m) as Box<dyn crate::route::Consult>);
    let second =
        crate::provider::RouterModel::second_opinion(config, crate::ui::model_notices(true))
            .map(|m| Box::new(m) as Box<dyn crate::route::Consult>);
    crate::route::Router::new(hints(root, config), config.router.clone(), model)
        .with_second_opinion(second)
}

/// The test command a project's files point to.
fn test_command(root: &Path) -> Option<String> {
    let has = |name: &str| root.join(name).exists();
    let command = if has("Cargo.toml") {
        "cargo test"
    } else if has("package.json") {
        "npm test"
    } else if has("go.mod") {
        "go test ./..."
    } else if has("pytest.ini")
        || has("pyproject.toml")
        || has("setup.py")
        || has("setup.cfg")
        || has("tox.ini")
        || has("conftest.py")
    {
        "python -m pytest"
    } else if has("Makefile") {
        "make test"
    } else if has("tests") || has("test") {
        "python -m pytest"
    } else {
        return None;
    };
    Some(command.to_string())
}

/// `python` where it exists, else `python3`.
fn python() -> String {
    let found = |name: &str| {
        std::env::var_os("PATH")
            .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
    };
    if found("python") || !found("python3") {
        "python".into()
    } else {
        "python3".into()
    }
}

/// Joins a request given as several words.
fn joined(words: &[String]) -> String {
    words.join(" ")
}
