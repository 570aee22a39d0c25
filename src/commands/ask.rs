//! The default command, `git codey "<request>"`: plan, check every step with the
//! permission gate, then run the steps in order, stopping at the first failure.

use std::io::Write;
use std::time::Duration;

use serde_json::{Value, json};

use crate::cli::AskArgs;
use crate::error::{CommandError, exit};
use crate::llm::{self, LlmError, RoleModel};
use crate::plan::{Plan, Step};
use crate::route::{Action, FileAction, GitAction};
use crate::tools::permission::{self, Decision, Gate};
use crate::tools::{self, Context, Ending, Output, StepResult};
use crate::ui::{self, StepStatus};
use crate::workspace::Workspace;

use super::{Models, edit};
use crate::config::Config;

pub fn run(args: &AskArgs) -> Result<(), CommandError> {
    let request = super::joined(&args.request);
    if request.trim().is_empty() {
        return Err(
            CommandError::usage(anyhow::anyhow!("no request given")).with_hint(
                "say what to do, for example: git codey \"git status\" (or see git codey --help)",
            ),
        );
    }
    let workspace = super::current_workspace()?;
    let layered = super::load_config(Some(&workspace.root))?;
    let config = &layered.config;
    let plan = super::plan(&request, Some(&workspace.root), config);
    let interactive = ui::interactive();
    let gate = Gate {
        assume_yes: args.yes,
        allow_destructive: args.allow_destructive,
        require_confirmation: config.require_confirmation,
        interactive,
        dry_run: args.dry_run,
    };

    // Every step is checked before any runs: a plan is refused whole, not half-done.
    let decisions: Vec<Decision> = plan
        .steps
        .iter()
        .map(|step| decide(&gate, step, &workspace, &config.protected_branches))
        .collect();
    if let Some(refusal) = refusal(&plan, &decisions) {
        return refuse(args, &request, &plan, &decisions, refusal);
    }

    // A lone edit shows its patch in a dry run; in a longer plan, later steps depend
    // on earlier ones, so a dry run only describes them.
    let lone_edit = plan.steps.len() == 1 && tools::needs_model(&plan.steps[0].route.action);
    if args.dry_run && !lone_edit {
        return dry_run(args, &request, &plan);
    }
    missing_model(&plan, config)?;

    let single = plan.steps.len() == 1;
    if single
        && !args.json
        && decisions[0] == Decision::Allow
        && let Action::Git {
            action,
            args: extra,
        } = &plan.steps[0].route.action
        && permission::effect(&plan.steps[0].route.action) == permission::Effect::ReadOnly
    {
        return exec_git(&workspace, action, extra);
    }

    crate::interrupt::install();
    let ctx = Context {
        workspace: &workspace,
        shell_timeout: Duration::from_secs(config.shell.timeout_s),
        output: if args.json {
            Output::Capture
        } else {
            Output::Inherit
        },
        pager: single,
        interactive,
    };
    execute(args, &request, &plan, &decisions, &ctx, config)
}

/// Answers a question with the coder model, streaming the answer to stdout (or
/// collecting it for `--json`).
fn answer(
    question: &str,
    coder: &RoleModel,
    pool: &Models,
    json: bool,
    config: &Config,
) -> StepResult {
    let engine = match super::load_model(coder, pool, json, config) {
        Ok(engine) => engine,
        Err(message) => return StepResult::failed(message),
    };
    let mut engine = engine
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let request = crate::answer::request(question, &coder.settings);
    let mut captured = String::new();
    let stdout = std::io::stdout();
    // The answer is the model's text: shown, never obeyed by the terminal.
    let mut escaper = ui::StreamEscaper::default();
    let result = engine.complete(&request, &mut |piece| {
        if json {
            captured.push_str(piece);
        } else {
            let mut out = stdout.lock();
            // A closed pipe only means nobody reads the rest.
            let _ = out
                .write_all(escaper.push(piece).as_bytes())
                .and_then(|()| out.flush());
        }
    });
    if !json {
        let _ = stdout.lock().write_all(escaper.finish().as_bytes());
    }
    match result {
        Ok(completion) => {
            if !json && !completion.text.ends_with('\n') {
                // As above: a closed pipe is not an error, and must not panic.
                let _ = writeln!(stdout.lock());
            }
            StepResult::done(captured)
        }
        Err(LlmError::Cancelled) => StepResult {
            ending: Ending::Interrupted,
            stdout: captured,
            stderr: String::new(),
        },
        Err(e) => StepResult::failed(format!("{} failed: {e}", engine.describe())),
    }
}

fn decide(gate: &Gate, step: &Step, workspace: &Workspace, protected: &[String]) -> Decision {
    let action = &step.route.action;
    if let Some(reason) = &step.route.refused {
        return Decision::Deny(format!("refused: {reason}"));
    }
    if permission::pushes(action) {
        // A push that names no branch pushes the one checked out.
        let current =
            tools::git::output(&workspace.root, &["symbolic-ref", "--short", "HEAD"]).ok();
        if let Some(reason) =
            permission::protected_push(action, protected, current.as_deref().map(str::trim))
        {
            return Decision::Deny(format!("refused: {reason}"));
        }
    }
    for file in permission::output_files(action) {
        if let Err(e) = workspace.resolve(&file) {
            return Decision::Deny(format!("refused: git would write its output to {e}"));
        }
    }
    gate.decide(&step.route)
}

/// Fails before any step runs when a step needs the coder model and it is missing, so
/// a plan does not stop half-way for something known from the start.
fn missing_model(plan: &Plan, config: &Config) -> Result<(), CommandError> {
    let Some(index) = plan.steps.iter().position(|s| {
        matches!(
            s.route.action,
            Action::Question { .. } | Action::Code { .. } | Action::Algorithm { .. }
        )
    }) else {
        return Ok(());
    };
    let coder = llm::role(config, "coder");
    // A server is asked when the step runs; only a local file can be known missing.
    let llm::Source::Local { path } = &coder.source else {
        return Ok(());
    };
    if path.is_file() {
        return Ok(());
    }
    let which = if plan.steps.len() > 1 {
        format!("step {} needs the coder model, and ", index + 1)
    } else {
        String::new()
    };
    Err(CommandError::from(anyhow::anyhow!(
        "{which}the coder model is missing: no file at {}",
        path.display()
    ))
    .with_hint("run `git codey models pull coder`, or set models.coder.path (CODEY_MODELS_CODER_PATH); nothing was run"))
}

/// The first step the gate denies, with its reason.
fn refusal(plan: &Plan, decisions: &[Decision]) -> Option<(usize, String)> {
    plan.steps
        .iter()
        .zip(decisions)
        .enumerate()
        .find_map(|(i, (_, d))| match d {
            Decision::Deny(reason) => Some((i, reason.clone())),
            _ => None,
        })
}

fn refuse(
    args: &AskArgs,
    request: &str,
    plan: &Plan,
    decisions: &[Decision],
    (index, reason): (usize, String),
) -> Result<(), CommandError> {
    if args.json {
        let statuses: Vec<StepStatus> = decisions
            .iter()
            .map(|d| match d {
                Decision::Deny(_) => StepStatus::Refused,
                _ => StepStatus::Skipped,
            })
            .collect();
        let results: Vec<Option<StepResult>> = vec![None; plan.steps.len()];
        print_json(request, plan, &statuses, &results, decisions)?;
        return Err(CommandError::quiet(exit::REFUSED));
    }
    let step = &plan.steps[index];
    let which = if plan.steps.len() > 1 {
        format!("step {} (“{}”)", index + 1, step.text)
    } else {
        format!("“{}”", step.text)
    };
    let error = anyhow::anyhow!("{which}: {reason}");
    let mut err = CommandError::refused(error);
    if plan.steps.len() > 1 {
        err = err.with_hint("nothing was run: the whole plan is refused when one step is");
    }
    Err(err)
}

/// What a step would do, as a command line or a sentence.
fn describe_action(action: &Action) -> String {
    match action {
        Action::Git { action, args } => tools::git::invocations(action, args)
            .iter()
            .map(|argv| {
                let mut line = String::from("git");
                for a in argv {
                    line.push(' ');
                    line.push_str(&shell_words::quote(a));
                }
                line
            })
            .collect::<Vec<_>>()
            .join(" && "),
        Action::Shell { command } => format!("$ {}", command.as_deref().unwrap_or("(no command)")),
        Action::File { action, path } => match action {
            FileAction::Read => format!("show the contents of {path}"),
            FileAction::List => format!("list {path}"),
            FileAction::Create => format!("create the empty file {path}"),
            FileAction::Delete => format!("delete {path}"),
            FileAction::Mkdir => format!("create the directory {path}"),
        },
        other => other.name().to_string(),
    }
}

fn dry_run(args: &AskArgs, request: &str, plan: &Plan) -> Result<(), CommandError> {
    if args.json {
        let steps: Vec<Value> = plan
            .steps
            .iter()
            .map(|s| json!({"text": s.text, "route": s.route.to_json(), "would_run": describe_action(&s.route.action)}))
            .collect();
        return ui::with_stdout(|out| {
            serde_json::to_writer(
                &mut *out,
                &json!({"request": request, "dry_run": true, "steps": steps}),
            )?;
            writeln!(out)
        });
    }
    let total = plan.steps.len();
    ui::with_stdout(|out| {
        for (i, step) in plan.steps.iter().enumerate() {
            writeln!(
                out,
                "{} {}",
                ui::bold(&format!("[{}/{total}]", i + 1)),
                ui::escape_controls(&step.text)
            )?;
            writeln!(
                out,
                "      would: {}",
                ui::escape_controls(&describe_action(&step.route.action))
            )?;
            if let permission::Effect::Destroys(loss) = permission::effect(&step.route.action) {
                writeln!(
                    out,
                    "      which {loss}, and needs --allow-destructive (or a yes at the prompt)"
                )?;
            }
        }
        Ok(())
    })?;
    ui::note("dry run: nothing was changed");
    Ok(())
}

/// A lone read-only git step becomes git itself: exactly git's output, pager and exit
/// code, and no time spent waiting on a child.
fn exec_git(
    workspace: &Workspace,
    action: &GitAction,
    extra: &[String],
) -> Result<(), CommandError> {
    use std::os::unix::process::CommandExt;
    let invocations = tools::git::invocations(action, extra);
    let [argv] = invocations.as_slice() else {
        unreachable!("read-only git actions are one invocation");
    };
    let err = tools::git::command(&workspace.root).args(argv).exec();
    Err(CommandError::from(anyhow::anyhow!(
        "could not run git: {err}"
    )))
}

fn execute(
    args: &AskArgs,
    request: &str,
    plan: &Plan,
    decisions: &[Decision],
    ctx: &Context,
    config: &Config,
) -> Result<(), CommandError> {
    let coder = llm::role(config, "coder");
    let total = plan.steps.len();
    let mut statuses = vec![StepStatus::Skipped; total];
    let mut results: Vec<Option<StepResult>> = vec![None; total];
    let mut failure: Option<u8> = None;
    let pool = Models::new(config.memory_budget_mb);

    for (i, step) in plan.steps.iter().enumerate() {
        if crate::interrupt::requested() {
            failure = Some(exit::INTERRUPTED);
            break;
        }
        if total > 1 && !args.json {
            ui::step_header(i + 1, total, &step.text);
        }
        // An edit is confirmed after its patch is shown, not before.
        if decisions[i] == Decision::Ask && !tools::needs_model(&step.route.action) {
            let what = describe_action(&step.route.action);
            let prompt = match (&step.route.action, permission::effect(&step.route.action)) {
                (_, permission::Effect::Destroys(loss)) => format!(
                    "`{}` {loss}, which cannot be undone. Run it anyway?",
                    what.trim_start_matches("$ ")
                ),
                (Action::File { .. }, _) => format!("{what}?"),
                _ => format!("run `{}`?", what.trim_start_matches("$ ")),
            };
            if !ui::confirm(&prompt) {
                statuses[i] = StepStatus::Refused;
                // Ctrl-C at the prompt is an interruption, not an answer.
                failure = Some(if crate::interrupt::requested() {
                    exit::INTERRUPTED
                } else {
                    exit::REFUSED
                });
                if !args.json {
                    ui::warn("declined: this step and the ones after it were not run");
                }
                break;
            }
        }
        let result = match &step.route.action {
            Action::Question { question } => answer(question, &coder, &pool, args.json, config),
            Action::Code { files, instruction } => {
                let job = edit::Job {
                    instruction: instruction.clone(),
                    files: files.clone(),
                    algorithm: false,
                };
                edit_step(args, config, ctx, &pool, &job, &decisions[i])
            }
            Action::Algorithm { problem, language } => {
                let job = edit::Job {
                    instruction: match language {
                        Some(lang) => format!("{problem} (in {lang})"),
                        None => problem.clone(),
                    },
                    files: Vec::new(),
                    algorithm: true,
                };
                edit_step(args, config, ctx, &pool, &job, &decisions[i])
            }
            action => tools::execute(action, ctx),
        };
        let ending = result.ending.clone();
        if !args.json {
            report(step, &result);
        }
        results[i] = Some(result);
        match ending {
            Ending::Done => statuses[i] = StepStatus::Done,
            Ending::Failed { code, .. } => {
                statuses[i] = StepStatus::Failed;
                failure = Some(
                    code.and_then(|c| u8::try_from(c).ok())
                        .filter(|c| *c != 0)
                        .unwrap_or(exit::FAILED),
                );
                break;
            }
            Ending::TimedOut => {
                statuses[i] = StepStatus::Failed;
                failure = Some(exit::TIMED_OUT);
                break;
            }
            Ending::Interrupted => {
                statuses[i] = StepStatus::Failed;
                failure = Some(exit::INTERRUPTED);
                break;
            }
        }
    }

    if args.json {
        print_json(request, plan, &statuses, &results, decisions)?;
    } else if total > 1 {
        ui::print_summary(&statuses);
    }
    match failure {
        None => Ok(()),
        Some(code) => Err(CommandError::quiet(code)),
    }
}

/// A code or algorithm step: the edit, with its outcome as a step result.
fn edit_step(
    args: &AskArgs,
    config: &Config,
    ctx: &Context,
    pool: &Models,
    job: &edit::Job,
    decision: &Decision,
) -> StepResult {
    let options = edit::Options {
        confirm: *decision == Decision::Ask,
        dry_run: args.dry_run,
        commit: args.commit.resolve(config.edit.commit),
        json: args.json,
        form: None,
    };
    match edit::perform(ctx.workspace, config, pool, job, &options) {
        Ok(report) => StepResult::done(if args.json {
            report.to_json().to_string()
        } else {
            String::new()
        }),
        Err(e) => {
            let mut message = e.to_string();
            if let Some(hint) = &e.hint {
                message.push_str(&format!(" ({hint})"));
            }
            StepResult {
                ending: match e.kind {
                    crate::error::ErrorKind::Interrupted => Ending::Interrupted,
                    _ => Ending::Failed {
                        code: Some(i32::from(e.exit_code())),
                        message: Some(message),
                    },
                },
                stdout: String::new(),
                stderr: String::new(),
            }
        }
    }
}

/// Tells the user how a step ended, when its own output does not.
fn report(step: &Step, result: &StepResult) {
    match &result.ending {
        Ending::Done => {
            if let Action::File { action, path } = &step.route.action {
                let done = match action {
                    FileAction::Create => Some("created"),
                    FileAction::Delete => Some("deleted"),
                    FileAction::Mkdir => Some("created the directory"),
                    FileAction::Read | FileAction::List => None,
                };
                if let Some(done) = done {
                    ui::note(&format!("{done} {path}"));
                }
            }
        }
        Ending::Failed { code, message } => {
            let text = match (message, code) {
                (Some(m), _) => m.clone(),
                (None, Some(c)) => format!(
                    "`{}` exited with code {c}",
                    describe_action(&step.route.action).trim_start_matches("$ ")
                ),
                (None, None) => "the step failed".into(),
            };
            ui::report_error(&CommandError::new(
                crate::error::ErrorKind::Failed,
                anyhow::anyhow!(text),
            ));
        }
        Ending::TimedOut => ui::report_error(
            &CommandError::new(
                crate::error::ErrorKind::Failed,
                anyhow::anyhow!("the command ran past its time limit and was stopped"),
            )
            .with_hint("raise shell.timeout_s in codey.toml (or CODEY_SHELL_TIMEOUT_S)"),
        ),
        Ending::Interrupted => ui::warn("interrupted"),
    }
}

fn print_json(
    request: &str,
    plan: &Plan,
    statuses: &[StepStatus],
    results: &[Option<StepResult>],
    decisions: &[Decision],
) -> Result<(), CommandError> {
    let steps: Vec<Value> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let mut o = json!({
                "text": step.text,
                "route": step.route.to_json(),
                "status": statuses[i].as_str(),
            });
            if let Decision::Deny(reason) = &decisions[i] {
                o["error"] = json!(reason);
            }
            if let Some(r) = &results[i] {
                o["stdout"] = json!(r.stdout);
                o["stderr"] = json!(r.stderr);
                match &r.ending {
                    Ending::Failed { code, message } => {
                        o["exit_code"] = json!(code);
                        if let Some(m) = message {
                            o["error"] = json!(m);
                        }
                    }
                    Ending::Done => o["exit_code"] = json!(0),
                    Ending::TimedOut => o["error"] = json!("timed out"),
                    Ending::Interrupted => o["error"] = json!("interrupted"),
                }
            }
            o
        })
        .collect();
    let count = |s: StepStatus| statuses.iter().filter(|x| **x == s).count();
    let value = json!({
        "request": request,
        "steps": steps,
        "summary": {
            "done": count(StepStatus::Done),
            "failed": count(StepStatus::Failed),
            "refused": count(StepStatus::Refused),
            "skipped": count(StepStatus::Skipped),
        }
    });
    ui::with_stdout(|out| {
        serde_json::to_writer(&mut *out, &value)?;
        writeln!(out)
    })
}
