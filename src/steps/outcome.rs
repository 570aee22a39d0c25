//! How one step of a plan ended, as a type: what the reporters show, what `--json`
//! prints and what decides the exit code.

use serde_json::{Value, json};

use crate::error::exit;
use crate::tools::{Ending, StepResult};

/// What a step printed, when its output was captured (`--json`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captured {
    pub stdout: String,
    pub stderr: String,
}

/// Why a step failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    /// The command it ran exited with this code.
    Exited(i32),
    /// It could not do what it was asked: the sentence says why, `exit` is the code the
    /// run ends with (a usage error in an edit is 2, anything else 1).
    Failed { message: String, exit: u8 },
}

impl StepError {
    pub fn message(message: impl Into<String>) -> Self {
        StepError::Failed {
            message: message.into(),
            exit: exit::FAILED,
        }
    }
}

/// How one step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    Done(Captured),
    Failed {
        error: StepError,
        output: Captured,
    },
    /// The permission gate refused it (and with it the whole plan) before anything ran.
    Refused(String),
    /// The user said no at the prompt (or pressed Ctrl-C there).
    Declined {
        interrupted: bool,
    },
    /// It ran past its time limit and was stopped.
    TimedOut(Captured),
    /// Ctrl-C while it ran.
    Interrupted(Captured),
    /// Not run: an earlier step stopped the plan, or the plan was refused.
    Skipped,
}

impl From<StepResult> for StepOutcome {
    fn from(result: StepResult) -> Self {
        let output = Captured {
            stdout: result.stdout,
            stderr: result.stderr,
        };
        match result.ending {
            Ending::Done => StepOutcome::Done(output),
            Ending::Failed {
                message: Some(message),
                ..
            } => StepOutcome::Failed {
                error: StepError::message(message),
                output,
            },
            Ending::Failed {
                code: Some(code),
                message: None,
            } => StepOutcome::Failed {
                error: StepError::Exited(code),
                output,
            },
            Ending::Failed {
                code: None,
                message: None,
            } => StepOutcome::Failed {
                error: StepError::message("the step failed"),
                output,
            },
            Ending::TimedOut => StepOutcome::TimedOut(output),
            Ending::Interrupted => StepOutcome::Interrupted(output),
        }
    }
}

impl StepOutcome {
    /// Whether the plan goes on after this step.
    pub fn carries_on(&self) -> bool {
        matches!(self, StepOutcome::Done(_))
    }

    /// The word `--json` and the summary line use: done, failed, refused, skipped.
    pub fn status(&self) -> &'static str {
        match self {
            StepOutcome::Done(_) => "done",
            StepOutcome::Failed { .. } | StepOutcome::TimedOut(_) | StepOutcome::Interrupted(_) => {
                "failed"
            }
            StepOutcome::Refused(_) | StepOutcome::Declined { .. } => "refused",
            StepOutcome::Skipped => "skipped",
        }
    }

    /// The exit code a run that ends with this step has (0 for a step that carries on).
    pub fn exit_code(&self) -> u8 {
        match self {
            StepOutcome::Done(_) | StepOutcome::Skipped => exit::OK,
            StepOutcome::Failed {
                error: StepError::Exited(code),
                ..
            } => u8::try_from(*code)
                .ok()
                .filter(|c| *c != 0)
                .unwrap_or(exit::FAILED),
            StepOutcome::Failed {
                error: StepError::Failed { exit, .. },
                ..
            } => *exit,
            StepOutcome::Refused(_) => exit::REFUSED,
            StepOutcome::Declined { interrupted: true } | StepOutcome::Interrupted(_) => {
                exit::INTERRUPTED
            }
            StepOutcome::Declined { interrupted: false } => exit::REFUSED,
            StepOutcome::TimedOut(_) => exit::TIMED_OUT,
        }
    }

    fn captured(&self) -> Option<&Captured> {
        match self {
            StepOutcome::Done(c)
            | StepOutcome::Failed { output: c, .. }
            | StepOutcome::TimedOut(c)
            | StepOutcome::Interrupted(c) => Some(c),
            _ => None,
        }
    }

    /// The step's fields in `--json` (besides its text and route): `status`, and
    /// `stdout`, `stderr`, `exit_code` and `error` where they apply.
    pub fn json_fields(&self, into: &mut Value) {
        into["status"] = json!(self.status());
        if let Some(c) = self.captured() {
            into["stdout"] = json!(c.stdout);
            into["stderr"] = json!(c.stderr);
        }
        match self {
            StepOutcome::Done(_) => into["exit_code"] = json!(0),
            StepOutcome::Failed { error, .. } => match error {
                StepError::Exited(code) => into["exit_code"] = json!(code),
                StepError::Failed { message, exit } => {
                    into["exit_code"] = json!(exit);
                    into["error"] = json!(message);
                }
            },
            StepOutcome::Refused(reason) => into["error"] = json!(reason),
            StepOutcome::Declined { .. } => into["error"] = json!("declined"),
            StepOutcome::TimedOut(_) => into["error"] = json!("timed out"),
            StepOutcome::Interrupted(_) => into["error"] = json!("interrupted"),
            StepOutcome::Skipped => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_command_ends_the_run_with_its_own_code() {
        let failed = StepOutcome::from(StepResult {
            ending: Ending::Failed {
                code: Some(4),
                message: None,
            },
            stdout: String::new(),
            stderr: "boom".into(),
        });
        assert_eq!(failed.exit_code(), 4);
        assert_eq!(failed.status(), "failed");
        assert!(!failed.carries_on());
        let mut v = json!({});
        failed.json_fields(&mut v);
        assert_eq!(v["exit_code"], 4);
        assert_eq!(v["stderr"], "boom");
    }

    #[test]
    fn a_declined_step_is_a_refusal_not_a_failure() {
        let declined = StepOutcome::Declined { interrupted: false };
        assert_eq!(declined.status(), "refused");
        assert_eq!(declined.exit_code(), exit::REFUSED);
        let interrupted = StepOutcome::Declined { interrupted: true };
        assert_eq!(interrupted.exit_code(), exit::INTERRUPTED);
    }
}
