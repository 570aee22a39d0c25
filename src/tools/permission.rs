//! The permission gate: what may run, what must be confirmed first, and what is
//! refused whatever the flags (destructive commands, attempts to talk the tool out of
//! its rules, attempts to send secrets away).

use crate::route::{Action, GitAction, Route};
use crate::safety::{git_args, shell_destroys, walk};
use crate::tools::git;

/// How much a step can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Shows something; never asks.
    ReadOnly,
    /// Writes to the work tree.
    ChangesFiles,
    /// Writes to the repository's history, index or remotes.
    ChangesHistory,
    /// Runs an arbitrary command.
    RunsCommand,
    /// Destroys work or history that cannot be brought back; the phrase names the loss
    /// ("deletes untracked files"). `--yes` alone is not consent to it.
    Destroys(&'static str),
}

impl Effect {
    pub fn describe(self) -> &'static str {
        match self {
            Effect::ReadOnly => "only reads",
            Effect::ChangesFiles => "changes files",
            Effect::ChangesHistory => "changes the repository",
            Effect::RunsCommand => "runs a shell command",
            Effect::Destroys(loss) => loss,
        }
    }
}

/// What a step does to the world, judged from its actual arguments.
pub fn effect(action: &Action) -> Effect {
    match action {
        // A git action that shows may still write its `--output`.
        Action::Git { action, args } => git_effect(action, args),
        _ if action.only_reads() => Effect::ReadOnly,
        Action::Shell {
            command: Some(command),
        } => match shell_destroys(command) {
            Some(loss) => Effect::Destroys(loss),
            None => Effect::RunsCommand,
        },
        Action::Shell { command: None } => Effect::RunsCommand,
        Action::File { .. } | Action::Code { .. } | Action::Algorithm { .. } => {
            Effect::ChangesFiles
        }
        Action::Question { .. } => Effect::ReadOnly,
    }
}

fn git_effect(action: &GitAction, args: &[String]) -> Effect {
    if action.shows_only(args) {
        // `--output=<file>` turns a command that shows into one that writes a file.
        return if git_args::output_files(args).is_empty() {
            Effect::ReadOnly
        } else {
            Effect::ChangesFiles
        };
    }
    for argv in git::invocations(action, args) {
        if let Some((sub, rest)) = argv.split_first()
            && let Some(loss) = git_args::destroys(sub, rest)
        {
            return Effect::Destroys(loss);
        }
    }
    Effect::ChangesHistory
}

/// The files a git step writes its output to (`--output`), which the caller confines to
/// the work tree before the step may run.
pub fn output_files(action: &Action) -> Vec<String> {
    action.output_files()
}

/// Whether the step pushes, so that the gate needs to know the branch checked out.
pub fn pushes(action: &Action) -> bool {
    match action {
        Action::Git {
            action: GitAction::Push,
            ..
        } => true,
        Action::Shell {
            command: Some(command),
        } => command.contains("push"),
        _ => false,
    }
}

/// Why a step's push must never run: it force-updates or deletes a protected branch,
/// found by its destination ref, with `current` standing for a push that names none.
pub fn protected_push(
    action: &Action,
    protected: &[String],
    current: Option<&str>,
) -> Option<String> {
    let refusal = |args: &[String]| {
        git_args::Push::parse(args)
            .protected_rewrite(protected, current)
            .map(|(branch, how)| format!("it {} the protected branch `{branch}`", how.verb()))
    };
    match action {
        Action::Git {
            action: GitAction::Push,
            args,
        } => refusal(args),
        Action::Shell {
            command: Some(command),
        } => {
            let mut found = None;
            walk(command, false, 0, &mut |pipeline| {
                for stage in pipeline {
                    if stage.name == "git"
                        && let Some(("push", args)) = git_args::subcommand(&stage.args)
                        && let Some(reason) = refusal(args)
                    {
                        found = Some(reason);
                        return true;
                    }
                }
                false
            });
            found
        }
        _ => None,
    }
}

/// Whether a route must be confirmed, may run, or is refused, given the flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Ask,
    Deny(String),
}

/// The settings the gate decides with.
#[derive(Debug, Clone, Copy)]
pub struct Gate {
    /// `--yes`: the user has agreed in advance.
    pub assume_yes: bool,
    /// `--allow-destructive`: the user has agreed in advance to steps that destroy work
    /// or history too.
    pub allow_destructive: bool,
    /// `require_confirmation` from the configuration.
    pub require_confirmation: bool,
    /// Whether a person is there to answer a question.
    pub interactive: bool,
    /// `--dry-run`: nothing will run, so nothing needs confirming.
    pub dry_run: bool,
}

impl Gate {
    pub fn decide(&self, route: &Route) -> Decision {
        if let Some(reason) = &route.refused {
            return Decision::Deny(format!("refused: {reason}"));
        }
        let effect = effect(&route.action);
        let agreed = self.assume_yes || !self.require_confirmation;
        match effect {
            Effect::ReadOnly => Decision::Allow,
            _ if self.dry_run => Decision::Allow,
            Effect::Destroys(_) if agreed && self.allow_destructive => Decision::Allow,
            Effect::Destroys(loss) if !self.interactive => Decision::Deny(format!(
                "this step {loss}, which cannot be undone, and there is no terminal to confirm it: \
                 rerun with --yes --allow-destructive to allow it"
            )),
            Effect::Destroys(_) => Decision::Ask,
            _ if agreed => Decision::Allow,
            _ if self.interactive => Decision::Ask,
            _ => Decision::Deny(format!(
                "this step {} and there is no terminal to confirm it: rerun with --yes to allow it",
                effect.describe()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::safety::forbidden;

    fn protected() -> Vec<String> {
        vec!["main".into(), "master".into()]
    }

    #[test]
    fn protected_branches_are_found_by_their_destination() {
        for cmd in [
            "git push -uf origin main",
            "git push origin +main",
            "git push origin +feature:main",
            "git push --force origin ma\"\"in",
            "git push --force-with-lease origin main",
            "git push origin :main",
            "git push -d origin main",
            "git push --delete origin master",
            "git push --mirror",
            "git push origin +HEAD:refs/heads/main",
            "cd sub && git -C .. push -f origin main",
        ] {
            assert!(forbidden(cmd, &protected()).is_some(), "{cmd}");
        }
        let push = |args: &[&str]| Action::Git {
            action: GitAction::Push,
            args: args.iter().map(|a| a.to_string()).collect(),
        };
        assert!(protected_push(&push(&["--force"]), &protected(), Some("main")).is_some());
        assert!(
            protected_push(
                &push(&["-f", "origin", "HEAD"]),
                &protected(),
                Some("master")
            )
            .is_some()
        );
        assert_eq!(
            protected_push(&push(&["--force"]), &protected(), Some("topic")),
            None
        );
        assert_eq!(
            protected_push(&push(&["origin", "main"]), &protected(), Some("main")),
            None
        );
        let shell = Action::Shell {
            command: Some("git fetch && git push -f".into()),
        };
        assert!(protected_push(&shell, &protected(), Some("main")).is_some());
    }

    #[test]
    fn steps_that_destroy_work_name_the_loss() {
        let shell = |c: &str| Action::Shell {
            command: Some(c.into()),
        };
        for (command, loss) in [
            ("git clean -fdx", "deletes untracked and ignored files"),
            ("rm -rf .git", "deletes the repository's history (.git)"),
            // What the shell expands to it, or names it otherwise (an attacker review
            // in the thirteenth session ran each of these with --yes).
            ("rm -rf .g*", "deletes the repository's history (.git)"),
            ("rm -rf .gi?", "deletes the repository's history (.git)"),
            ("rm -rf .[g]it", "deletes the repository's history (.git)"),
            (
                "rm -rf $(git rev-parse --git-dir)",
                "deletes the repository's history (.git)",
            ),
            (
                "find . -name .git -exec rm -rf {} +",
                "deletes the repository's history (.git)",
            ),
            (
                "python3 -c \"import shutil; shutil.rmtree('.git')\"",
                "deletes the repository's history (.git)",
            ),
            (
                "mv .git .git_bak",
                "moves the repository's history (.git) away",
            ),
            (
                "find .git -delete",
                "may delete or overwrite the repository's history (.git)",
            ),
            (
                "tar czf ../g.tgz .git --remove-files",
                "may delete or overwrite the repository's history (.git)",
            ),
            (
                "mv -t .. .git",
                "may delete or overwrite the repository's history (.git)",
            ),
            (
                "echo .git | xargs rm -rf",
                "may delete or overwrite the repository's history (.git)",
            ),
            (
                "rm -rf \"${GIT_DIR:-.git}\"",
                "may delete or overwrite the repository's history (.git)",
            ),
            (
                "echo > .git/HEAD",
                "may delete or overwrite the repository's history (.git)",
            ),
            (
                "ln -sf /dev/null .git/HEAD",
                "may delete or overwrite the repository's history (.git)",
            ),
            ("git stash clear", "deletes every stash"),
            ("git reset --hard", "discards uncommitted changes"),
            ("git checkout -- .", "discards uncommitted changes"),
            ("git restore .", "discards uncommitted changes"),
            (
                "git reflog expire --expire=now --all && git gc --prune=now",
                "expires the reflog, the record that recovers lost commits",
            ),
        ] {
            assert_eq!(effect(&shell(command)), Effect::Destroys(loss), "{command}");
        }
        let git = |action: GitAction, args: &[&str]| Action::Git {
            action,
            args: args.iter().map(|a| a.to_string()).collect(),
        };
        assert!(matches!(
            effect(&git(GitAction::Branch { name: None }, &["-D", "main"])),
            Effect::Destroys(_)
        ));
        assert_eq!(
            effect(&git(GitAction::Stash, &["drop"])),
            Effect::Destroys("deletes a stash")
        );
        assert!(matches!(
            effect(&git(GitAction::Push, &["--force", "origin", "topic"])),
            Effect::Destroys(_)
        ));
        assert_eq!(
            effect(&git(GitAction::Push, &["origin", "topic"])),
            Effect::ChangesHistory
        );
        assert_eq!(effect(&shell("rm -rf build")), Effect::RunsCommand);
        for harmless in [
            "rm -rf .gitignore.bak",
            "rm -f *.pyc",
            "rm -rf .g[!i]t",
            "cat .git/HEAD",
            "ls -la .git",
            "du -sh .git",
            "git log > log.txt",
            "mv notes.txt .git-notes.txt",
            "find . -name '*.pyc' -delete",
            "python3 -c \"import os; os.remove('build.log')\"",
        ] {
            assert_eq!(effect(&shell(harmless)), Effect::RunsCommand, "{harmless}");
        }
        assert_eq!(
            effect(&shell("git status && git stash list")),
            Effect::RunsCommand
        );
    }

    #[test]
    fn git_output_to_a_file_is_a_write() {
        let git = |action: GitAction, args: &[&str]| Action::Git {
            action,
            args: args.iter().map(|a| a.to_string()).collect(),
        };
        let log = git(GitAction::Log { n: Some(1) }, &["--output=notes.txt"]);
        assert_eq!(effect(&log), Effect::ChangesFiles);
        assert_eq!(output_files(&log), vec!["notes.txt"]);
        let diff = git(
            GitAction::Diff {
                staged: false,
                paths: vec![],
            },
            &["--output", "../victim.txt"],
        );
        assert_eq!(output_files(&diff), vec!["../victim.txt"]);
        let show = git(GitAction::Show { rev: None }, &["--output=.git/config"]);
        assert_eq!(effect(&show), Effect::ChangesFiles);
        let stash = git(GitAction::Stash, &["list", "--output=s.txt"]);
        assert_eq!(effect(&stash), Effect::ChangesFiles);
        assert_eq!(
            effect(&git(GitAction::Log { n: None }, &["--oneline"])),
            Effect::ReadOnly
        );
        assert_eq!(
            effect(&git(
                GitAction::Diff {
                    staged: true,
                    paths: vec![]
                },
                &["--ext-diff"]
            )),
            Effect::ReadOnly
        );
    }

    #[test]
    fn destroying_steps_need_more_than_yes() {
        let route = |command: &str| crate::route::route(command, &crate::route::Hints::sample());
        let gate = |assume_yes, allow_destructive, interactive| Gate {
            assume_yes,
            allow_destructive,
            require_confirmation: true,
            interactive,
            dry_run: false,
        };
        let clean = route("git clean -fdx");
        assert!(
            matches!(gate(true, false, false).decide(&clean), Decision::Deny(why) if why.contains("--allow-destructive"))
        );
        assert_eq!(gate(true, false, true).decide(&clean), Decision::Ask);
        assert_eq!(gate(false, true, true).decide(&clean), Decision::Ask);
        assert_eq!(gate(true, true, false).decide(&clean), Decision::Allow);
        let dry = Gate {
            dry_run: true,
            ..gate(false, false, false)
        };
        assert_eq!(dry.decide(&clean), Decision::Allow);
        assert_eq!(
            gate(true, false, false).decide(&route("run touch a")),
            Decision::Allow
        );
    }
}
