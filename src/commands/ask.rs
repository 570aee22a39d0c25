//! The default command, `git codey "<request>"`: plan, check every step with the
//! permission gate, then hand the plan to the step engine with the executors (tools,
//! the question answerer, the edit pipeline) and a reporter for people or `--json`.

use crate::config::RoleName;
use std::io::Write;
use std::time::Duration;

use serde_json::{Value, json};

use crate::cli::AskArgs;
use crate::config::Config;
use crate::edit::pipeline;
use crate::error::{CommandError, exit};
use crate::llm::{self, LlmError, RoleModel};
use crate::plan::{Plan, Step};
use crate::provider::Provider;
use crate::route::Action;
use crate::steps::{self, Captured, Checked, Executor, StepError, StepOutcome, describe_action};
use crate::tools::permission::{self, Decision, Gate};
use crate::tools::{self, Context, Output};
use crate::ui;

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
    if args.new {
        // A fresh session: what earlier requests said is not "it" any more.
        let mut memory = crate::memory::Memory::load(
            &workspace.git_dir,
            &crate::memory::branch(&workspace.root),
            std::time::SystemTime::now(),
        );
        memory
            .clear()
            .map_err(|e| CommandError::from(anyhow::anyhow!(e)))?;
    }
    let mut plan = super::plan(&request, Some(&workspace.root), config);
    let interactive = ui::interactive();
    let gate = gate(args, config, interactive);

    // Every step is checked before any runs: a plan is refused whole, not half-done.
    // A refusal comes first, before anything is offered for a step nothing placed; a
    // candidate chosen then is checked like any other step.
    if plan.steps.iter().all(|s| s.route.refused.is_none()) {
        placed_by_map(&mut plan, &workspace);
        settle_unsure(&mut plan, interactive)?;
    }
    let checked = steps::check(&plan, &gate, &workspace, &config.protected_branches);
    if let Some((index, reason)) = checked.refusal() {
        return refuse(args, &request, &plan, &checked, index, reason);
    }

    // A lone edit shows its patch in a dry run; in a longer plan, later steps depend
    // on earlier ones, so a dry run only describes them.
    let lone_edit = plan.steps.len() == 1 && tools::needs_model(&plan.steps[0].route.action);
    if args.dry_run && !lone_edit {
        return dry_run(args, &request, &plan);
    }
    if let Some((index, path)) = steps::missing_coder(&plan, config) {
        let which = if plan.steps.len() > 1 {
            format!("step {} needs the coder model, and ", index + 1)
        } else {
            String::new()
        };
        return Err(CommandError::from(anyhow::anyhow!(
            "{which}the coder model is missing: no file at {}",
            path.display()
        ))
        .with_hint("run `git codey models pull coder`, or set models.coder.path (CODEY_MODELS_CODER_PATH); nothing was run"));
    }

    let single = plan.steps.len() == 1;
    if !args.json
        && let Some(argv) = lone_read_only_git(&plan, &checked)
    {
        use std::os::unix::process::CommandExt;
        let err = tools::git::command(&workspace.root).args(argv).exec();
        return Err(CommandError::from(anyhow::anyhow!(
            "could not run git: {err}"
        )));
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
        terminal: std::io::IsTerminal::is_terminal(&std::io::stdout()),
        directory_style: ui::bold,
    };
    let mut executor = Steps {
        args,
        config,
        ctx: &ctx,
        coder: llm::role(config, RoleName::Coder),
        provider: Provider::new(config),
        consent: crate::verify::RunCode::from_config(&layered),
    };
    let outcome = if args.json {
        steps::run_plan(&plan, &checked, &mut executor, &mut ui::steps::Quiet)
    } else {
        steps::run_plan(&plan, &checked, &mut executor, &mut ui::steps::Human)
    };
    if args.json {
        let value = ui::steps::json(&request, &plan, &outcome);
        ui::with_stdout(|out| {
            serde_json::to_writer(&mut *out, &value)?;
            writeln!(out)
        })?;
    } else if plan.steps.len() > 1 {
        ui::steps::summary(&outcome);
    }
    match outcome.exit_code() {
        exit::OK => Ok(()),
        code => Err(CommandError::quiet(code)),
    }
}

/// The permission gate as the command line and the configuration set it.
fn gate(args: &AskArgs, config: &Config, interactive: bool) -> Gate {
    Gate {
        assume_yes: args.yes,
        allow_destructive: args.allow_destructive,
        require_confirmation: config.require_confirmation,
        interactive,
        dry_run: args.dry_run,
    }
}

/// The arguments of git for a plan that is one read-only git step the gate allows:
/// such a step becomes git itself (exec), so that its output, pager, colours and exit
/// code are git's own.
fn lone_read_only_git(plan: &Plan, checked: &Checked) -> Option<Vec<String>> {
    let [step] = plan.steps.as_slice() else {
        return None;
    };
    let Action::Git {
        action,
        args: extra,
    } = &step.route.action
    else {
        return None;
    };
    if checked.decisions[0] != Decision::Allow
        || permission::effect(&step.route.action) != permission::Effect::ReadOnly
    {
        return None;
    }
    let mut invocations = tools::git::invocations(action, extra);
    // Read-only git actions are one invocation; anything else goes the long way.
    (invocations.len() == 1).then(|| invocations.remove(0))
}

/// The front binary's short cut (`src/bin/front.rs`): the git command a request runs
/// as, when the request is exactly what `run` would turn into git itself — one
/// read-only git step the rules place with confidence and the gate allows, with no
/// output of git-codey's own. `None` for everything else, which the full binary runs;
/// any doubt (an untrusted setting to warn about, a step the router model would be
/// asked about, a refusal to explain) is left to it. Prints nothing.
pub fn lone_git_command(args: &AskArgs) -> Option<std::process::Command> {
    if args.json || args.dry_run || args.new {
        return None;
    }
    let request = super::joined(&args.request);
    if request.trim().is_empty() {
        return None;
    }
    let workspace = super::current_workspace().ok()?;
    let sources = crate::config::Sources::standard(Some(&workspace.root));
    let layered = crate::config::Layered::load(&sources, &|name| std::env::var(name).ok()).ok()?;
    if !layered.untrusted.is_empty() {
        return None;
    }
    let config = &layered.config;
    let mut router = crate::route::Router::new(
        super::hints(Some(&workspace.root), config),
        config.router.clone(),
        Some(Box::new(LeftToTheEngine)),
    );
    let plan = crate::plan::plan(&request, &mut router);
    if plan
        .steps
        .iter()
        .any(|s| s.route.consulted.is_some() || s.route.is_unsure() || s.route.refused.is_some())
    {
        return None;
    }
    let gate = gate(args, config, ui::interactive());
    let checked = steps::check(&plan, &gate, &workspace, &config.protected_branches);
    let argv = lone_read_only_git(&plan, &checked)?;
    let mut git = tools::git::command(&workspace.root);
    git.args(argv);
    Some(git)
}

/// The router model as the front binary sees it: a request the rules would ask it
/// about is marked as consulted, and the full binary routes it.
struct LeftToTheEngine;

impl crate::route::Consult for LeftToTheEngine {
    fn consult(&mut self, _: &str, _: f32) -> Result<crate::route::model::Call, String> {
        Err("left to the full binary".into())
    }
}

/// A step the rules were unsure of whose likeliest reading is a code edit, and that
/// names what the repository defines — a function, a class, a module (“add mean() to
/// numutil and make summarize use it”) — is that edit: the repository map places it,
/// so it is no guess, and the edit pipeline chooses the files the same way. Reading
/// the map costs a `git ls-files` and its cache, so only unsure steps pay for it.
fn placed_by_map(plan: &mut Plan, workspace: &crate::workspace::Workspace) {
    let mut map = None;
    for step in &mut plan.steps {
        let Some(first) = step.route.unsure.first() else {
            continue;
        };
        if !matches!(&first.action, Action::Code { files, .. } if files.is_empty()) {
            continue;
        }
        let map = map.get_or_insert_with(|| {
            let tracked = crate::edit::targets::tracked_files(workspace);
            crate::map::Map::update(&workspace.root, &workspace.git_dir, &tracked).0
        });
        let ranking = crate::map::rank(map, &step.text);
        if ranking.files.is_empty()
            && ranking.ambiguous.is_empty()
            && !names_part_of_a_definition(map, &step.text)
        {
            continue;
        }
        step.route.action = first.action.clone();
        step.route.unsure.clear();
    }
}

/// Whether a word of the request is a whole part of a definition's name: “the weekend
/// check” for `is_weekend`, “the rounding of cents” for `round_cents`. Words of four
/// letters or more, so that “a”, “to” or “get” place nothing.
fn names_part_of_a_definition(map: &crate::map::Map, request: &str) -> bool {
    let words: Vec<String> = request
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect();
    map.files.iter().flat_map(|f| &f.definitions).any(|d| {
        let name = d.name.to_lowercase();
        name.contains('_') && name.split('_').any(|part| words.iter().any(|w| w == part))
    })
}

/// A step nothing could place with confidence never runs as a guess: on a terminal the
/// user picks what it meant among the candidates; without one, the run stops before
/// anything runs, naming them and the words that select each.
fn settle_unsure(plan: &mut Plan, interactive: bool) -> Result<(), CommandError> {
    let several = plan.steps.len() > 1;
    for (i, step) in plan.steps.iter_mut().enumerate() {
        if !step.route.is_unsure() {
            continue;
        }
        let which = if several {
            format!("step {} (“{}”)", i + 1, step.text)
        } else {
            format!("“{}”", step.text)
        };
        let offered: Vec<String> = step
            .route
            .unsure
            .iter()
            .map(|c| c.description.clone())
            .collect();
        if interactive {
            let prompt = format!("not sure what {which} means; did you mean");
            match ui::choose(&prompt, &offered) {
                Some(k) => {
                    step.route.action = step.route.unsure[k].action.clone();
                    step.route.unsure.clear();
                    continue;
                }
                None => {
                    return Err(CommandError::refused(anyhow::anyhow!(
                        "{which}: nothing chosen, nothing was run"
                    )));
                }
            }
        }
        let listed: Vec<String> = step
            .route
            .unsure
            .iter()
            .map(|c| format!("  {}: {}", c.description, c.phrasing))
            .collect();
        return Err(CommandError::usage(anyhow::anyhow!(
            "could not tell what {which} asks for; it may mean:\n{}",
            listed.join("\n")
        ))
        .with_hint("say it as one of these, or more precisely; nothing was run"));
    }
    Ok(())
}

/// The executors a request's steps run with.
struct Steps<'a> {
    args: &'a AskArgs,
    config: &'a Config,
    ctx: &'a Context<'a>,
    coder: RoleModel,
    provider: Provider,
    /// Whether an edit's checks may run the repository's code.
    consent: crate::verify::RunCode,
}

impl Executor for Steps<'_> {
    fn run(&mut self, step: &Step, confirm: bool) -> StepOutcome {
        match &step.route.action {
            Action::Question { question } => {
                answer(question, &self.coder, &self.provider, self.args.json)
            }
            Action::Code { files, instruction } => self.edit(
                pipeline::Job {
                    instruction: instruction.clone(),
                    files: files.clone(),
                    algorithm: false,
                },
                confirm,
            ),
            Action::Algorithm { problem, language } => self.edit(
                pipeline::Job {
                    instruction: match language {
                        Some(lang) => format!("{problem} (in {lang})"),
                        None => problem.clone(),
                    },
                    files: Vec::new(),
                    algorithm: true,
                },
                confirm,
            ),
            action => {
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::new(stdout.lock());
                tools::execute(action, self.ctx, &mut out).into()
            }
        }
    }

    /// Reads at the same time, each with its output captured; the reporter shows it in
    /// plan order.
    fn run_together(&mut self, steps: &[&Step]) -> Vec<StepOutcome> {
        let ctx = Context {
            output: Output::Capture,
            pager: false,
            ..*self.ctx
        };
        std::thread::scope(|scope| {
            let running: Vec<_> = steps
                .iter()
                .map(|step| {
                    let ctx = &ctx;
                    scope.spawn(move || {
                        StepOutcome::from(tools::execute(
                            &step.route.action,
                            ctx,
                            &mut std::io::sink(),
                        ))
                    })
                })
                .collect();
            running
                .into_iter()
                .map(|r| {
                    r.join().unwrap_or_else(|_| StepOutcome::Failed {
                        error: StepError::message("the step stopped unexpectedly"),
                        output: Captured::default(),
                    })
                })
                .collect()
        })
    }
}

/// Answers a question with the coder model, streaming the answer to stdout (or
/// collecting it for `--json`).
fn answer(question: &str, coder: &RoleModel, pool: &Provider, json: bool) -> StepOutcome {
    let engine = match pool.backend(coder, &ui::model_notices(json)) {
        Ok(engine) => engine,
        Err(message) => {
            return StepOutcome::Failed {
                error: StepError::message(message),
                output: Captured::default(),
            };
        }
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
            StepOutcome::Done(Captured {
                stdout: captured,
                stderr: String::new(),
            })
        }
        Err(LlmError::Cancelled) => StepOutcome::Interrupted(Captured {
            stdout: captured,
            stderr: String::new(),
        }),
        Err(e) => StepOutcome::Failed {
            error: StepError::message(format!("{} failed: {e}", engine.describe())),
            output: Captured::default(),
        },
    }
}

fn refuse(
    args: &AskArgs,
    request: &str,
    plan: &Plan,
    checked: &Checked,
    index: usize,
    reason: &str,
) -> Result<(), CommandError> {
    if args.json {
        let value = ui::steps::json(request, plan, &steps::refused(checked));
        ui::with_stdout(|out| {
            serde_json::to_writer(&mut *out, &value)?;
            writeln!(out)
        })?;
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

impl Steps<'_> {
    /// A code or algorithm step: the edit, with its outcome as a step's.
    fn edit(&mut self, job: pipeline::Job, confirm: bool) -> StepOutcome {
        let options = pipeline::Options {
            confirm,
            dry_run: self.args.dry_run,
            commit: self.args.commit.resolve(self.config.edit.commit),
            form: None,
            yes: self.args.yes,
            interactive: self.ctx.interactive,
            check: !self.args.no_check,
            consent: self.consent.clone(),
        };
        let mut view = ui::edit::EditView::new(self.args.json);
        let result = pipeline::perform(
            self.ctx.workspace,
            self.config,
            &self.provider,
            &job,
            &options,
            &mut view,
        );
        match result {
            Ok(report) => StepOutcome::Done(Captured {
                stdout: if self.args.json {
                    report.to_json().to_string()
                } else {
                    String::new()
                },
                stderr: String::new(),
            }),
            Err(pipeline::Failure::Declined) => StepOutcome::Declined { interrupted: false },
            Err(pipeline::Failure::Interrupted) => StepOutcome::Interrupted(Captured::default()),
            Err(failure) => {
                let error = CommandError::from(failure);
                let mut message = error.to_string();
                if let Some(hint) = &error.hint {
                    message.push_str(&format!(" ({hint})"));
                }
                StepOutcome::Failed {
                    error: StepError::Failed {
                        message,
                        exit: error.exit_code(),
                    },
                    output: Captured::default(),
                }
            }
        }
    }
}
