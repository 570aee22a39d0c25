//! Running `git`: the one function that builds every git command (pinned environment,
//! run at the repository root), and the pure mapping from git actions to arguments.

use std::path::Path;
use std::process::Command;

use crate::route::GitAction;

/// The one way git-codey starts `git`. It runs at the repository root; the variables
/// that would point git at another repository than the one discovered are removed.
pub fn command(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(root)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    cmd
}

/// A git command whose output the program reads: stable, untranslated, uncoloured.
pub fn read_only(root: &Path) -> Command {
    let mut cmd = command(root);
    cmd.env("LC_ALL", "C").env("GIT_OPTIONAL_LOCKS", "0").args([
        "-c",
        "color.ui=false",
        "--no-pager",
    ]);
    cmd
}

/// Runs a read-only git command and returns its stdout, or its stderr as the error.
pub fn output(root: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = read_only(root)
        .args(args)
        .output()
        .map_err(|e| anyhow::anyhow!("could not run git: {e}"))?;
    if !out.status.success() {
        anyhow::bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The git invocations that carry out an action, in order. A commit of named paths
/// stages them first, so a file created by an earlier step can be committed.
pub fn invocations(action: &GitAction, extra: &[String]) -> Vec<Vec<String>> {
    let s = |v: &str| v.to_string();
    let mut args: Vec<String> = Vec::new();
    let mut before = Vec::new();
    match action {
        GitAction::Status => args.push(s("status")),
        GitAction::Log { n } => {
            args.push(s("log"));
            if let Some(n) = n {
                args.extend([s("-n"), n.to_string()]);
            }
        }
        GitAction::Diff { staged, paths } => {
            args.push(s("diff"));
            if *staged {
                args.push(s("--staged"));
            }
            args.extend(extra.iter().cloned());
            if !paths.is_empty() {
                args.push(s("--"));
                args.extend(paths.iter().cloned());
            }
            return vec![args];
        }
        GitAction::Add { paths } => {
            args.push(s("add"));
            args.extend(extra.iter().cloned());
            args.push(s("--"));
            args.extend(paths.iter().cloned());
            return vec![args];
        }
        GitAction::Commit {
            message,
            all,
            paths,
        } => {
            if !paths.is_empty() {
                let mut add = vec![s("add"), s("--")];
                add.extend(paths.iter().cloned());
                before.push(add);
            }
            args.push(s("commit"));
            if *all {
                args.push(s("--all"));
            }
            if let Some(message) = message {
                args.extend([s("-m"), message.clone()]);
            }
            args.extend(extra.iter().cloned());
            if !paths.is_empty() {
                args.push(s("--"));
                args.extend(paths.iter().cloned());
            }
            before.push(args);
            return before;
        }
        GitAction::Push => args.push(s("push")),
        GitAction::Pull => args.push(s("pull")),
        GitAction::Branch { name } => {
            args.push(s("branch"));
            args.extend(name.iter().cloned());
        }
        GitAction::Checkout { name, create } => {
            // The name is a branch, never a path: `git checkout docs` would throw away
            // the uncommitted changes under docs/ where no branch is called that.
            args.push(s("checkout"));
            args.extend(extra.iter().cloned());
            if *create {
                args.push(s("-b"));
            }
            args.extend([name.clone(), s("--")]);
            return vec![args];
        }
        GitAction::Stash => args.push(s("stash")),
        GitAction::Plain(p) => args.push(s(p.name)),
        GitAction::Show { rev } => {
            args.push(s("show"));
            args.extend(rev.iter().cloned());
        }
    }
    args.extend(extra.iter().cloned());
    vec![args]
}

/// A deterministic commit message for when none was given and nobody is at a
/// terminal to write one: what kind of change, to which files.
pub fn default_message(name_status: &str) -> String {
    let mut added = Vec::new();
    let mut deleted = Vec::new();
    let mut changed = Vec::new();
    for line in name_status.lines() {
        let (Some(status), Some(path)) = (line.split('\t').next(), line.rsplit('\t').next()) else {
            continue;
        };
        match status.chars().next() {
            Some('A') => added.push(path),
            Some('D') => deleted.push(path),
            _ => changed.push(path),
        }
    }
    let list = |paths: &[&str]| match paths {
        [one] => one.to_string(),
        [a, b] => format!("{a} and {b}"),
        many => format!("{} files", many.len()),
    };
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("Add {}", list(&added)));
    }
    if !changed.is_empty() {
        parts.push(format!("Update {}", list(&changed)));
    }
    if !deleted.is_empty() {
        parts.push(format!("Remove {}", list(&deleted)));
    }
    if parts.is_empty() {
        return "Update files".into();
    }
    let mut message = parts.join(", ");
    // Only the first part keeps its capital letter.
    for word in ["Update", "Remove"] {
        message = message.replace(&format!(", {word}"), &format!(", {}", word.to_lowercase()));
    }
    message
}

/// What git is in the middle of, when it is: the marker files git keeps in the
/// (worktree's) git directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Rebase,
    CherryPick,
    Revert,
    /// A cherry-pick or revert of several commits.
    Sequence,
    Merge,
}

impl Operation {
    pub fn describe(self) -> &'static str {
        match self {
            Operation::Rebase => "a rebase",
            Operation::CherryPick => "a cherry-pick",
            Operation::Revert => "a revert",
            Operation::Sequence => "a cherry-pick or revert",
            Operation::Merge => "a merge",
        }
    }
}

/// The operation under way in the repository at `root`, if any; a merge only when
/// nothing else is (a rebase can stop in a merge).
pub fn operation_in_progress(root: &Path) -> anyhow::Result<Option<Operation>> {
    const MARKERS: [(&str, Operation); 6] = [
        ("rebase-merge", Operation::Rebase),
        ("rebase-apply", Operation::Rebase),
        ("CHERRY_PICK_HEAD", Operation::CherryPick),
        ("REVERT_HEAD", Operation::Revert),
        ("sequencer", Operation::Sequence),
        ("MERGE_HEAD", Operation::Merge),
    ];
    let mut args = vec!["rev-parse"];
    for (name, _) in MARKERS {
        args.extend(["--git-path", name]);
    }
    let out = output(root, &args)?;
    Ok(out
        .lines()
        .zip(MARKERS)
        .find(|(path, _)| root.join(path).symlink_metadata().is_ok())
        .map(|(_, (_, operation))| operation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_map_to_git_arguments() {
        assert_eq!(
            invocations(&GitAction::Log { n: Some(3) }, &["--oneline".into()]),
            vec![vec!["log", "-n", "3", "--oneline"]]
        );
        assert_eq!(
            invocations(
                &GitAction::Commit {
                    message: Some("m".into()),
                    all: false,
                    paths: vec!["a.py".into()]
                },
                &[]
            ),
            vec![
                vec!["add", "--", "a.py"],
                vec!["commit", "-m", "m", "--", "a.py"]
            ]
        );
        assert_eq!(
            invocations(
                &GitAction::Checkout {
                    name: "x".into(),
                    create: true
                },
                &[]
            ),
            vec![vec!["checkout", "-b", "x", "--"]]
        );
    }

    #[test]
    fn default_messages_name_the_change() {
        assert_eq!(default_message("A\ttest.py\n"), "Add test.py");
        assert_eq!(
            default_message("M\ta.rs\nM\tb.rs\nD\told.txt\n"),
            "Update a.rs and b.rs, remove old.txt"
        );
        assert_eq!(default_message(""), "Update files");
    }
}
