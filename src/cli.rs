//! Command-line definitions (clap). Parsed once in `main`, then handed to `commands`.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::ui::ColorChoice;

const EXAMPLES_AND_EXIT_CODES: &str = "\
Examples:
  git codey \"git status\"
  git codey \"create notes.md then commit that with message 'add notes'\"
  git codey --dry-run \"run cargo test then push\"
  git codey \"add binary search to search.py\"
  git codey edit --file src/app.py \"log every retry\"
  git codey undo
  git codey route --json \"read config.json\"
  git codey plan --json \"create test.py then run it\"

Exit codes:
  0    everything asked for was done
  1    a step failed (a failing command's own exit code is passed on instead)
  2    bad usage or configuration, or not inside a git repository
  3    refused by the permission gate, or declined at the prompt: nothing changed
  124  a shell step ran past shell.timeout_s
  130  interrupted (Ctrl-C)";

/// A local-first AI coding assistant that lives inside git.
///
/// Give it a request in plain words. A planner splits it into steps; each step is
/// routed to a git, shell or file action run at the repository root, a code edit made
/// by a local model and shown as a patch, or a question the model answers. Anything
/// that changes files, runs a command or touches history is confirmed first, and an
/// applied edit can be taken back with `git codey undo`.
#[derive(Debug, Parser)]
#[command(
    name = "git-codey",
    bin_name = "git codey",
    version,
    after_help = EXAMPLES_AND_EXIT_CODES,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub ask: AskArgs,

    /// When to use colour.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Show llama.cpp's own log lines on stderr.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Print a man page or a shell completion script on stdout, then exit.
    #[arg(long, value_enum, value_name = "KIND", exclusive = true)]
    pub generate: Option<Generate>,
}

/// The command line with a last argument that starts with `-` but is no option — a
/// request written as a list, "- git status\n- git log" — marked as a value (`--`
/// before it), where clap would read it as a cluster of short flags.
pub fn requests_as_values(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = args.into_iter().collect();
    let request = args.last().and_then(|a| a.to_str()).is_some_and(|last| {
        let name = last.split('=').next().unwrap_or(last);
        last.starts_with('-') && name.contains(char::is_whitespace)
    });
    if request && args.len() > 1 && !args.iter().any(|a| a == "--") {
        let at = args.len() - 1;
        args.insert(at, "--".into());
    }
    args
}

/// A command line that is nothing but a request — words, the first holding a space so
/// that it cannot name a subcommand, no option anywhere — as the default command's
/// arguments, parsed by those arguments alone: the same values `Cli` gives it, at a
/// fraction of the cost of building the whole command tree (the front binary's case).
pub fn plain_request(args: &[std::ffi::OsString]) -> Option<AskArgs> {
    let words = args.get(1..)?;
    let first = words.first()?.to_str()?;
    if !first.contains(char::is_whitespace)
        || words
            .iter()
            .any(|w| w.to_str().is_none_or(|w| w.starts_with('-')))
    {
        return None;
    }
    #[derive(Parser)]
    #[command(name = "git-codey")]
    struct Plain {
        #[command(flatten)]
        ask: AskArgs,
    }
    Plain::try_parse_from(args).ok().map(|plain| plain.ask)
}

/// The default command: plan, route and run a request.
#[derive(Debug, Args)]
pub struct AskArgs {
    /// What to do, in plain words (quote it, or give it as several words).
    #[arg(value_name = "REQUEST")]
    pub request: Vec<String>,

    /// Answer yes to every confirmation (needed without a terminal).
    #[arg(short, long)]
    pub yes: bool,

    /// Show what would run, and change nothing.
    #[arg(short = 'n', long)]
    pub dry_run: bool,

    /// Skip checking an edit before it is shown (parse, names, imports, tests).
    #[arg(long)]
    pub no_check: bool,

    /// Also allow, with --yes, steps that destroy work or history that cannot be
    /// brought back (git clean, reset --hard, stash clear, a forced push, …). Without
    /// it they are asked about on a terminal and refused without one.
    #[arg(long)]
    pub allow_destructive: bool,

    /// Print one JSON result on stdout instead of the commands' output.
    #[arg(long)]
    pub json: bool,

    /// Start a fresh session: forget the earlier requests `git codey history` shows, so
    /// that "it" and "that" in this one refer to nothing from before.
    #[arg(long)]
    pub new: bool,

    #[command(flatten)]
    pub commit: CommitFlags,
}

/// Whether an applied edit is committed (edit.commit in the configuration otherwise).
#[derive(Debug, Args, Clone, Copy)]
pub struct CommitFlags {
    /// Commit each applied edit: exactly the files it touched, through `git commit`.
    #[arg(long, overrides_with = "no_commit")]
    pub commit: bool,

    /// Do not commit applied edits.
    #[arg(long, overrides_with = "commit")]
    pub no_commit: bool,
}

impl CommitFlags {
    /// The flags' decision, or the configured default.
    pub fn resolve(self, configured: bool) -> bool {
        if self.commit {
            true
        } else if self.no_commit {
            false
        } else {
            configured
        }
    }
}

/// `git codey edit`: the code intent, without routing.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// What to change, in plain words.
    #[arg(value_name = "INSTRUCTION", required = true)]
    pub instruction: Vec<String>,

    /// A file the model may change (repeatable); without it, files are picked by the
    /// instruction's words.
    #[arg(short, long = "file", value_name = "PATH")]
    pub files: Vec<String>,

    /// Apply without asking (needed without a terminal).
    #[arg(short, long)]
    pub yes: bool,

    /// Show the patch, and change nothing.
    #[arg(short = 'n', long)]
    pub dry_run: bool,

    /// Skip checking an edit before it is shown (parse, names, imports, tests).
    #[arg(long)]
    pub no_check: bool,

    #[command(flatten)]
    pub commit: CommitFlags,

    /// How the model writes the edit (edit.format in the configuration otherwise).
    #[arg(long, value_name = "FORM")]
    pub format: Option<crate::config::EditFormat>,

    /// Print one JSON result on stdout.
    #[arg(long)]
    pub json: bool,
}

const REVIEW_EXIT_CODES: &str = "\
Examples:
  git codey review
  git codey review --static-only --format sarif > review.sarif
  git codey review --range main..HEAD --json

Exit codes:
  0    no error findings (warnings and info do not fail)
  1    at least one error finding
  2    bad usage, or the change could not be read";

/// `git codey review`: findings for a change, before it is committed.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Review the staged changes, the index against HEAD (the default).
    #[arg(long, conflicts_with = "range")]
    pub staged: bool,

    /// Review the change from commit A to commit B instead (B defaults to HEAD).
    #[arg(long, value_name = "A..B")]
    pub range: Option<String>,

    /// Print one JSON document, {"findings": [...], "summary": {...}}; the same as
    /// --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// How to print the findings: text grouped by file, JSON, or SARIF 2.1.0 for
    /// code-scanning tools.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text, value_name = "FORMAT")]
    pub format: ReviewFormat,

    /// Run only the static checks; do not ask the model.
    #[arg(long)]
    pub static_only: bool,
}

/// What `git codey review` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Args)]
pub struct UndoArgs {
    /// Print one JSON result on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `git codey history`: the session memory of this repository.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Print the turns as one JSON array.
    #[arg(long)]
    pub json: bool,

    /// Forget every turn (on every branch) and remove the history file.
    #[arg(long)]
    pub clear: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Route requests and print where each would go; nothing is run.
    ///
    /// Each argument is one request; `-` reads one request per line from stdin.
    Route(RouteArgs),
    /// Split a request into steps and route each; nothing is run.
    Plan(PlanArgs),
    /// Ask the coder model for a change, shown as a patch before it is applied.
    ///
    /// The model sees the files named with --file (or in the instruction, or picked
    /// by its words) and writes the change; git-codey computes the diff, asks before
    /// applying it, writes it atomically, and keeps what `git codey undo` needs.
    Edit(EditArgs),
    /// Put back the files of the last applied edit, exactly as they were.
    Undo(UndoArgs),
    /// Show the session memory: the last requests in this repository and what came of
    /// them.
    ///
    /// A follow-up ("now add a test for it", "undo that") is read against these turns,
    /// and the model is given them with the next request. They are kept in
    /// .git/codey/history.jsonl, the last few only; they expire after a few hours, on a
    /// switch of branch, and with `git codey --new "…"`. They never leave the machine
    /// except to the configured model.
    History(HistoryArgs),
    /// Print the effective configuration and where each value came from.
    Config(ConfigArgs),
    /// Trust this repository's codey.toml, so that all of its settings take effect.
    ///
    /// A repository's codey.toml comes with the repository, from whoever wrote it. Until
    /// you trust it, the settings in it that switch confirmation off, drop protected
    /// branches, or choose where requests and API keys go or which model files are
    /// downloaded and loaded (endpoint, api_key_env, path, url, sha256, models_dir) are
    /// ignored, with a warning naming them. Trust holds for the file as it is now: once
    /// it changes, it must be trusted again. --revoke takes trust back.
    Trust(TrustArgs),
    /// List the configured models, or check their files.
    #[command(subcommand)]
    Models(ModelsCommand),
    /// Review a change before it is committed: instant static checks, then the coder.
    ///
    /// Reads the staged changes (the index against HEAD), or --range A..B. Static
    /// checks look at the lines the change adds: merge-conflict markers, secrets,
    /// debugging leftovers, trailing whitespace, mixed line endings, large and binary
    /// files, JSON and TOML that do not parse, and new TODOs. The coder model then
    /// reviews the diff, cut to fit its context; lockfiles, generated and binary files
    /// are listed as not reviewed. If the model is missing, slow or answers nonsense,
    /// a warning says so and the static findings stand.
    #[command(after_help = REVIEW_EXIT_CODES)]
    Review(ReviewArgs),
    /// Draft a commit message for the staged changes with the coder model.
    ///
    /// Run by the prepare-commit-msg hook with git's arguments: the draft goes above
    /// git's comment lines in MSGFILE. Nothing is drafted when the message was given
    /// (-m, -F), for merges, squashes and amends (unless commit_msg.merge, .squash or
    /// .amend say so) or during a rebase, cherry-pick or revert. It never fails the
    /// commit: when the model cannot answer within commit_msg.timeout_s, a draft made
    /// from the file list and diff stat is written instead. CODEY_SKIP_HOOK=1 skips it.
    CommitMsg(CommitMsgArgs),
    /// Install, remove or inspect git-codey's prepare-commit-msg hook.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Start, stop or inspect the resident model service.
    ///
    /// One service per user keeps models loaded between commands (the router always,
    /// the coder and the specialist while memory_budget_mb allows), on a Unix socket in
    /// $XDG_RUNTIME_DIR/codey (else /tmp/codey-<uid>) that only you can reach. Commands start it on demand when daemon.autostart is true, and it exits
    /// after daemon.idle_exit_s seconds without a request. Every command also works
    /// without it, loading models itself.
    #[command(subcommand, after_help = DAEMON_EXIT_CODES)]
    Daemon(DaemonCommand),
}

const DAEMON_EXIT_CODES: &str = "\
Exit codes:
  0    done; also start when it was already running, and stop when it was not
  1    it could not be started or stopped
  2    the runtime directory is not safe to use (another owner, or open to others)
  3    status: the service is not running";

#[derive(Debug, Subcommand)]
pub enum DaemonCommand {
    /// Start the service in the background, unless it is running already.
    Start {
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
        /// Serve in the foreground instead, until stopped, idle or interrupted.
        #[arg(long, conflicts_with = "json")]
        foreground: bool,
    },
    /// Stop the service, and wait until it is gone.
    Stop {
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Say whether the service runs: its pid, version, uptime, idle exit, requests
    /// routed and completed, and loaded models.
    Status {
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// The service itself, in the foreground (what `start` runs in the background).
    #[command(hide = true)]
    Run {
        /// Seconds without a request before it exits (daemon.idle_exit_s otherwise).
        #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
        idle_exit_s: Option<u64>,
    },
}

#[derive(Debug, Args)]
pub struct CommitMsgArgs {
    /// The message file git prepared (the hook's first argument).
    #[arg(value_name = "MSGFILE", required_unless_present = "print")]
    pub msg_file: Option<std::path::PathBuf>,

    /// Where git's message came from: message, template, merge, squash or commit.
    #[arg(value_name = "SOURCE", requires = "msg_file")]
    pub source: Option<String>,

    /// The commit whose message a `commit` source reuses (passed by git; not needed).
    #[arg(value_name = "SHA", requires = "source")]
    pub sha: Option<String>,

    /// Print a draft for the staged changes on stdout instead of writing a file.
    #[arg(long, conflicts_with = "msg_file")]
    pub print: bool,
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Put git-codey's prepare-commit-msg hook in the hooks directory.
    ///
    /// The directory is the one git runs hooks from (core.hooksPath when it is set). A
    /// prepare-commit-msg hook already there is kept beside it and runs first, with the
    /// same arguments. Running it again changes nothing.
    Install,
    /// Remove git-codey's hook and put back exactly the hook that was there before.
    Uninstall,
    /// Say which prepare-commit-msg hook is installed, and where.
    Status {
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// Each role with its backend, file, whether it is present, its size and the
    /// memory it is expected to need.
    List {
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Download the configured models into models_dir: resumed after an interruption,
    /// checked against their sha256 when it is known, moved into place only when whole.
    #[command(group = clap::ArgGroup::new("which").required(true).args(["roles", "all"]))]
    Pull {
        /// Roles to download (router, coder, algorithm).
        #[arg(value_name = "ROLE", value_enum)]
        roles: Vec<crate::config::RoleName>,
        /// Download every role's model.
        #[arg(long)]
        all: bool,
    },
    /// Validate each local model's GGUF header (magic, version, architecture, tensor
    /// table, and that the file is complete) without loading it.
    Check {
        /// Roles to check (router, coder, algorithm); all by default.
        #[arg(value_name = "ROLE", value_enum)]
        roles: Vec<crate::config::RoleName>,
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct RouteArgs {
    /// Print one JSON object per request, one per line.
    #[arg(long)]
    pub json: bool,

    /// Requests to route; `-` reads them from stdin, one per line.
    #[arg(value_name = "REQUEST", required = true)]
    pub requests: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Print the plan as JSON.
    #[arg(long)]
    pub json: bool,

    /// The request to plan.
    #[arg(value_name = "REQUEST", required = true)]
    pub request: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TrustArgs {
    /// Stop trusting this repository's codey.toml.
    #[arg(long)]
    pub revoke: bool,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the settings as JSON.
    #[arg(long)]
    pub json: bool,
}

/// What `--generate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Generate {
    /// The man page, git-codey(1), which `git codey --help` shows through `git help`.
    Man,
    CompleteBash,
    CompleteZsh,
    CompleteFish,
    CompleteElvish,
    CompletePowershell,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &[&str]) -> Vec<std::ffi::OsString> {
        std::iter::once("git-codey")
            .chain(line.iter().copied())
            .map(Into::into)
            .collect()
    }

    #[test]
    fn a_plain_request_parses_as_the_whole_command_line_would() {
        for line in [
            &["git status"][..],
            &["show the last 3 commits", "history"],
            &["history of main", "--json"],
            &["review this", "plan"],
            &["create notes.md then commit that"],
            &["  help me  "],
        ] {
            let args = words(line);
            let full = Cli::try_parse_from(requests_as_values(args.clone()));
            match plain_request(&args) {
                Some(ask) => {
                    let full = full.expect("the full parse accepts it");
                    assert!(
                        full.command.is_none() && full.generate.is_none(),
                        "{line:?}"
                    );
                    assert_eq!(format!("{ask:?}"), format!("{:?}", full.ask), "{line:?}");
                }
                // Only a line with an option, or whose first word could be a
                // subcommand, is left to the full parse.
                None => assert!(
                    line.iter().any(|w| w.starts_with('-'))
                        || !line[0].contains(char::is_whitespace),
                    "{line:?}"
                ),
            }
        }
        for line in [
            &["history"][..],
            &["plan", "x y"],
            &["--json", "git status"],
            &[],
        ] {
            assert!(plain_request(&words(line)).is_none(), "{line:?}");
        }
    }
}
