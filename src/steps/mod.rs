//! The step engine: a plan's steps checked by the permission gate before any runs (a
//! plan is refused whole, not half-done), then run in order by the executors, stopping
//! at the first that does not end well. Each step ends as a typed [`StepOutcome`].
//! Nothing here prints: a [`Reporter`] from the presentation layer is told as steps
//! start and end, and asked when a step needs a yes.

mod describe;
mod gate;
mod outcome;

pub use describe::describe_action;
pub use gate::{Checked, check, doubted, missing_coder};
pub use outcome::{Captured, StepError, StepOutcome};

use crate::plan::{Plan, Step};
use crate::route::Doubt;
use crate::tools::permission::{self, Decision, Effect};

/// Carries out one step of a kind the engine does not run itself.
pub trait Executor {
    /// Runs `step`. `confirm` says the gate wants a yes: tool steps have been asked
    /// already when this is called; an edit asks after showing its patch.
    fn run(&mut self, step: &Step, confirm: bool) -> StepOutcome;

    /// Runs steps that only read (see [`together`]), their output captured, in any
    /// order or at once; the outcomes come back in plan order. One after the other
    /// unless the executor can do better.
    fn run_together(&mut self, steps: &[&Step]) -> Vec<StepOutcome> {
        steps.iter().map(|step| self.run(step, false)).collect()
    }
}

/// The runs of consecutive steps that may run at the same time: two or more in a row
/// that only read (git status, log, diff, show and listings, reading and listing
/// files) and so neither depend on nor disturb each other. Each range is one run;
/// every step outside them runs alone, after everything before it.
pub fn together(plan: &Plan) -> Vec<std::ops::Range<usize>> {
    let reads = |step: &Step| {
        let action = &step.route.action;
        step.route.refused.is_none()
            && matches!(
                action,
                crate::route::Action::Git { .. } | crate::route::Action::File { .. }
            )
            && permission::effect(action) == Effect::ReadOnly
    };
    let mut runs = Vec::new();
    let mut start = None;
    for (i, step) in plan.steps.iter().enumerate() {
        match (reads(step), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s > 1 {
                    runs.push(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start
        && plan.steps.len() - s > 1
    {
        runs.push(s..plan.steps.len());
    }
    runs
}

/// What the presentation layer is told, and asked, while a plan runs.
pub trait Reporter {
    /// Step `index` (0-based) of `total` starts.
    fn starting(&mut self, index: usize, total: usize, step: &Step);
    /// A yes/no question for the user; anything but a clear yes is a no.
    fn confirm(&mut self, prompt: &str) -> bool;
    /// Step `index` ended so.
    fn finished(&mut self, index: usize, step: &Step, outcome: &StepOutcome);
}

/// How a run went: one outcome per step, in plan order.
#[derive(Debug, Clone)]
pub struct PlanOutcome {
    pub steps: Vec<StepOutcome>,
    /// Ctrl-C stopped the plan between two steps.
    pub interrupted: bool,
}

impl PlanOutcome {
    /// The run's exit code: the code of the step that stopped it, else 0.
    pub fn exit_code(&self) -> u8 {
        let stopped = self
            .steps
            .iter()
            .find(|o| !o.carries_on() && !matches!(o, StepOutcome::Skipped));
        match stopped {
            Some(step) => step.exit_code(),
            None if self.interrupted => crate::error::exit::INTERRUPTED,
            None => crate::error::exit::OK,
        }
    }

    /// How many steps ended with each status, in the order the summary line gives them.
    pub fn counts(&self) -> [(&'static str, usize); 4] {
        let count = |status| self.steps.iter().filter(|o| o.status() == status).count();
        ["done", "failed", "refused", "skipped"].map(|s| (s, count(s)))
    }
}

/// A plan refused whole, before anything ran: the refused steps say why, the others
/// are skipped.
pub fn refused(checked: &Checked) -> PlanOutcome {
    PlanOutcome {
        steps: checked
            .decisions
            .iter()
            .map(|d| match d {
                Decision::Deny(reason) => StepOutcome::Refused(reason.clone()),
                _ => StepOutcome::Skipped,
            })
            .collect(),
        interrupted: false,
    }
}

/// Runs a checked plan's steps in order; Ctrl-C or the first step that does not end
/// well stops it, and the steps after it are skipped.
pub fn run_plan(
    plan: &Plan,
    checked: &Checked,
    executor: &mut dyn Executor,
    reporter: &mut dyn Reporter,
) -> PlanOutcome {
    let total = plan.steps.len();
    let mut steps = vec![StepOutcome::Skipped; total];
    let mut interrupted = false;
    let runs = together(plan);
    let mut i = 0;
    while i < total {
        if crate::interrupt::requested() {
            interrupted = true;
            break;
        }
        // Only steps the gate allows outright run together (a read never needs a yes).
        if let Some(run) = runs.iter().find(|r| r.start == i)
            && checked.decisions[run.clone()]
                .iter()
                .all(|d| *d == Decision::Allow)
        {
            let group: Vec<&Step> = plan.steps[run.clone()].iter().collect();
            let outcomes = executor.run_together(&group);
            let mut stop = false;
            for (k, outcome) in run.clone().zip(outcomes) {
                reporter.starting(k, total, &plan.steps[k]);
                reporter.finished(k, &plan.steps[k], &outcome);
                stop |= !outcome.carries_on();
                steps[k] = outcome;
            }
            if stop {
                break;
            }
            i = run.end;
            continue;
        }
        let step = &plan.steps[i];
        reporter.starting(i, total, step);
        let ask = checked.decisions[i] == Decision::Ask;
        // An edit is confirmed after its patch is shown, not before.
        let outcome = if ask && !crate::tools::needs_model(&step.route.action) {
            if reporter.confirm(&confirmation(step)) {
                executor.run(step, false)
            } else {
                // Ctrl-C at the prompt is an interruption, not an answer.
                StepOutcome::Declined {
                    interrupted: crate::interrupt::requested(),
                }
            }
        } else {
            executor.run(step, ask)
        };
        reporter.finished(i, step, &outcome);
        let stop = !outcome.carries_on();
        steps[i] = outcome;
        if stop {
            break;
        }
        i += 1;
    }
    PlanOutcome { steps, interrupted }
}

/// The question a tool step that needs a yes is asked with.
fn confirmation(step: &Step) -> String {
    let action = &step.route.action;
    let what = describe_action(action);
    let command = what.trim_start_matches("$ ");
    // "You said \"if it looks fine\": run `git commit`?"
    let said = match (&step.judged, gate::doubted(step)) {
        (Some(condition), _) => format!("You said \"{condition}\": "),
        (None, Some(Doubt::SaidAround(said))) => format!("You also said \"{said}\": "),
        (None, Some(Doubt::Guess(model))) => {
            let model = model.strip_prefix("the ").unwrap_or(model);
            format!(
                "The {model} read \"{}\" as this (no rule placed it): ",
                step.text
            )
        }
        (None, None) => String::new(),
    };
    let question = match (action, permission::effect(action)) {
        (_, Effect::Destroys(loss)) => {
            format!("`{command}` {loss}, which cannot be undone. Run it anyway?")
        }
        (crate::route::Action::File { .. }, _) => format!("{what}?"),
        _ => format!("run `{command}`?"),
    };
    format!("{said}{question}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Hints;

    /// Runs every step as told, recording what it was asked.
    struct Scripted {
        outcomes: Vec<StepOutcome>,
        ran: Vec<(String, bool)>,
    }

    impl Executor for Scripted {
        fn run(&mut self, step: &Step, confirm: bool) -> StepOutcome {
            self.ran.push((step.text.clone(), confirm));
            self.outcomes.remove(0)
        }
    }

    struct Answers {
        yes: bool,
        asked: Vec<String>,
        finished: Vec<&'static str>,
    }

    impl Reporter for Answers {
        fn starting(&mut self, _: usize, _: usize, _: &Step) {}
        fn confirm(&mut self, prompt: &str) -> bool {
            self.asked.push(prompt.to_string());
            self.yes
        }
        fn finished(&mut self, _: usize, _: &Step, outcome: &StepOutcome) {
            self.finished.push(outcome.status());
        }
    }

    fn plan(request: &str) -> Plan {
        crate::plan::plan(
            request,
            &mut crate::route::Router::rules_only(Hints::sample()),
        )
    }

    fn checked(decisions: Vec<Decision>) -> Checked {
        Checked { decisions }
    }

    /// Runs `request` with these decisions, the executor answering with `outcomes` in
    /// turn and the user answering `yes` at every prompt.
    fn run(
        request: &str,
        decisions: Vec<Decision>,
        outcomes: Vec<StepOutcome>,
        yes: bool,
    ) -> (Plan, PlanOutcome, Scripted, Answers) {
        let plan = plan(request);
        let mut executor = Scripted {
            outcomes,
            ran: Vec::new(),
        };
        let mut reporter = Answers {
            yes,
            asked: Vec::new(),
            finished: Vec::new(),
        };
        let outcome = run_plan(&plan, &checked(decisions), &mut executor, &mut reporter);
        (plan, outcome, executor, reporter)
    }

    #[test]
    fn a_failing_step_stops_the_plan_and_gives_its_code() {
        let failed = StepOutcome::Failed {
            error: StepError::Exited(2),
            output: Captured::default(),
        };
        let (_, outcome, executor, reporter) = run(
            "git status then run make test then git log",
            vec![Decision::Allow; 3],
            vec![StepOutcome::Done(Captured::default()), failed],
            true,
        );
        assert_eq!(executor.ran.len(), 2);
        assert_eq!(outcome.exit_code(), 2);
        assert_eq!(outcome.steps[2], StepOutcome::Skipped);
        assert_eq!(reporter.finished, ["done", "failed"]);
    }

    #[test]
    fn a_declined_tool_step_is_not_run_and_refuses_the_rest() {
        let (_, outcome, executor, reporter) = run(
            "run make clean then git status",
            vec![Decision::Ask, Decision::Allow],
            Vec::new(),
            false,
        );
        assert!(executor.ran.is_empty());
        assert_eq!(reporter.asked, ["run `make clean`?"]);
        assert_eq!(
            outcome.steps[0],
            StepOutcome::Declined { interrupted: false }
        );
        assert_eq!(outcome.exit_code(), crate::error::exit::REFUSED);
        assert_eq!(
            outcome.counts(),
            [("done", 0), ("failed", 0), ("refused", 1), ("skipped", 1)]
        );
    }

    #[test]
    fn consecutive_reads_run_together_and_anything_else_alone() {
        let runs = |request: &str| together(&plan(request));
        assert_eq!(runs("git status then git log then git diff"), vec![(0..3)]);
        assert_eq!(
            runs("git status then create a.txt then git log then read a.txt"),
            vec![(2..4)]
        );
        assert!(runs("git status then git commit -m x then git log").is_empty());
        assert!(runs("git status").is_empty());
        // A diff into a file writes: it waits its turn.
        assert!(runs("git status then git diff --output=d.txt").is_empty());
    }

    #[test]
    fn a_run_together_reports_in_plan_order_and_stops_at_a_failure() {
        let failed = StepOutcome::Failed {
            error: StepError::Exited(128),
            output: Captured::default(),
        };
        let done = || StepOutcome::Done(Captured::default());
        let (_, outcome, _, reporter) = run(
            "git status then git log then git diff then run make",
            vec![Decision::Allow; 4],
            vec![done(), failed, done()],
            true,
        );
        assert_eq!(reporter.finished, ["done", "failed", "done"]);
        assert_eq!(outcome.steps[3], StepOutcome::Skipped);
        assert_eq!(outcome.exit_code(), 128);
    }

    #[test]
    fn a_step_only_a_model_placed_is_asked_as_that_models_reading() {
        let mut step = plan("git push").steps.remove(0);
        assert_eq!(gate::doubted(&step), None);
        step.route.source = crate::route::Source::Model;
        step.route.model_alone = true;
        assert_eq!(gate::doubted(&step), Some(Doubt::Guess("the router model")));
        assert!(
            confirmation(&step).starts_with("The router model read \"git push\" as this"),
            "{}",
            confirmation(&step)
        );
        step.route.second_opinion = true;
        assert!(confirmation(&step).starts_with("The coder model read"));
        // A step that only shows something is no guess worth asking about.
        let mut status = plan("git status").steps.remove(0);
        status.route.model_alone = true;
        assert_eq!(gate::doubted(&status), None);
    }

    #[test]
    fn a_step_judged_by_eye_is_asked_with_the_users_condition() {
        let (plan, _, executor, reporter) = run(
            "show the diff, then if it looks fine push",
            vec![Decision::Allow, Decision::Ask],
            vec![StepOutcome::Done(Captured::default())],
            false,
        );
        assert_eq!(plan.steps[1].judged.as_deref(), Some("if it looks fine"));
        assert_eq!(executor.ran.len(), 1);
        assert_eq!(reporter.asked.len(), 1);
        assert!(
            reporter.asked[0].starts_with("You said \"if it looks fine\": run `git push"),
            "{}",
            reporter.asked[0]
        );
    }

    #[test]
    fn an_edit_is_asked_after_its_patch_not_before() {
        let (plan, _, executor, reporter) = run(
            "add a docstring to main.py",
            vec![Decision::Ask],
            vec![StepOutcome::Done(Captured::default())],
            false,
        );
        assert!(reporter.asked.is_empty());
        assert_eq!(executor.ran, [(plan.steps[0].text.clone(), true)]);
    }
}
