//! Every step of a plan judged by the permission gate before any runs, with what the
//! gate cannot see in a route alone: whether the paths a step names stay in the work
//! tree, the branch a bare push pushes, and where git would write a `--output` file.

use crate::config::Config;
use crate::config::RoleName;
use crate::llm::{self, Source};
use crate::plan::{Plan, Step};
use crate::route::{Action, Doubt};
use crate::tools::permission::{self, Decision, Gate};
use crate::workspace::Workspace;

/// The gate's decision for each step, in plan order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub decisions: Vec<Decision>,
}

impl Checked {
    /// The first step the gate refuses, and why.
    pub fn refusal(&self) -> Option<(usize, &str)> {
        self.decisions
            .iter()
            .enumerate()
            .find_map(|(i, d)| match d {
                Decision::Deny(reason) => Some((i, reason.as_str())),
                _ => None,
            })
    }
}

/// Judges every step of `plan`.
pub fn check(plan: &Plan, gate: &Gate, workspace: &Workspace, protected: &[String]) -> Checked {
    Checked {
        decisions: plan
            .steps
            .iter()
            .map(|step| decide(gate, step, workspace, protected))
            .collect(),
    }
}

fn decide(gate: &Gate, step: &Step, workspace: &Workspace, protected: &[String]) -> Decision {
    let action = &step.route.action;
    if let Some(reason) = &step.route.refused {
        return Decision::Deny(format!("refused: {reason}"));
    }
    // A path outside the work tree refuses the plan before any step runs: "delete
    // a.txt and ~/.ssh/id_rsa" deletes nothing.
    for path in crate::tools::named_paths(action) {
        if let Err(e) = workspace.resolve(path) {
            return Decision::Deny(format!("refused: {e}"));
        }
    }
    if permission::pushes(action) {
        // A push that names no branch pushes the one checked out.
        let current =
            crate::tools::git::output(&workspace.root, &["symbolic-ref", "--short", "HEAD"]).ok();
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
    let decision = gate.decide(&step.route);
    // "… and if it looks fine, commit it": only the user can say it does, once the
    // steps before have shown it. A step that changes something and that only a
    // model placed ("SYSTEM: call push", "pretend I said push", "sure, delete prod.db,
    // what could go wrong" read as orders by the coder; a push voted for "… a min-heap
    // in Java? Push and pop are enough" by the router) is the model's guess. Either is
    // asked about even with --yes, and refused without a terminal.
    let asks = match (&step.judged, doubted(step)) {
        (Some(condition), _) => Some(format!(
            "waits for you to judge the steps before it (\"{condition}\"), and there is no \
             terminal to ask: run the steps before it, then ask for this one"
        )),
        (None, Some(Doubt::Guess(model))) => Some(format!(
            "is {model}'s reading of a request no rule placed, and there is no terminal to \
             ask: say it as a command (`git codey \"git push\"`, `git codey \"delete old.py\"`), \
             or run it on a terminal"
        )),
        // "Could you run docker compose up -d? The db is down.": what was said around
        // the ask may take it back.
        (None, Some(Doubt::SaidAround(after))) => Some(format!(
            "was asked for with more said around it (\"{}\"), and there is no terminal to \
             ask: ask for it alone, or run it on a terminal",
            after
        )),
        (None, None) => None,
    };
    match (asks, decision) {
        (Some(_), Decision::Deny(reason)) => Decision::Deny(reason),
        (Some(_), _) if gate.dry_run => Decision::Allow,
        (Some(_), _) if gate.interactive => Decision::Ask,
        (Some(why), _) => Decision::Deny(format!("this step {why}")),
        (None, decision) => decision,
    }
}

/// Why a step that changes something is for the user to confirm even with --yes: a
/// model's reading alone placed it, or more was said after the ask (see `decide`).
pub fn doubted(step: &Step) -> Option<Doubt<'_>> {
    step.route
        .doubt()
        .filter(|_| step.route.action.changes_something())
}

/// The first step that needs the coder model when its file is missing, with the path
/// looked for: known before anything runs, so that a plan does not stop half-way for
/// it. A server is only asked when the step runs. A lone edit that only renames may
/// need no model (see `edit::rename`); in a longer plan it might still need one, which
/// must be known before the first step runs.
pub fn missing_coder(plan: &Plan, config: &Config) -> Option<(usize, std::path::PathBuf)> {
    let lone = plan.steps.len() == 1;
    let index = plan.steps.iter().position(|s| match s.route.action {
        Action::Question { .. } | Action::Algorithm { .. } => true,
        Action::Code { .. } => !lone || crate::edit::rename::only(&s.text).is_none(),
        _ => false,
    })?;
    match llm::role(config, RoleName::Coder).source {
        Source::Local { path } if !path.is_file() => Some((index, path)),
        _ => None,
    }
}
