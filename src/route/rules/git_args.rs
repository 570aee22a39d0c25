//! A literal `git …` command line read as git's own argument parser would: the
//! contract's git action and its parameters, the rest passed through as arguments.

use super::{LITERAL, commit, git, shell};
use crate::route::text::{self, has_shell_operators};
use crate::route::{Action, GitAction};

/// A literal `git …` command line, mapped to the contract's git actions when its
/// subcommand is one; other subcommands run as the shell command the user typed.
pub(super) fn literal_git(core: &str) -> Option<(Action, f32)> {
    if !text::starts_with_ci(core, "git ") {
        return None;
    }
    if super::commands::remarks_on(core) {
        // "git push origin main got rejected": said about a git command.
        return None;
    }
    if has_shell_operators(core) {
        return shell(core, LITERAL);
    }
    let Ok(words) = shell_words::split(core) else {
        return shell(core, LITERAL);
    };
    let sub = words.get(1)?.as_str();
    let rest: Vec<String> = words[2..].to_vec();
    // "git history for this repo pls": no git command, but words about one, which the
    // rules read as such.
    let prose = ["for", "the", "this", "my", "of", "pls", "please", "me"];
    if !crate::route::typos::is_git_command(sub)
        && rest
            .iter()
            .any(|w| prose.contains(&w.to_ascii_lowercase().as_str()))
    {
        return None;
    }
    let action = match sub {
        "status" | "st" => GitAction::Status,
        "log" => return git_log(rest),
        "diff" => {
            let staged = rest.iter().any(|a| a == "--staged" || a == "--cached");
            let args = without(&rest, &["--staged", "--cached"]);
            return Some((
                Action::Git {
                    action: GitAction::Diff {
                        staged,
                        paths: Vec::new(),
                    },
                    args,
                },
                LITERAL,
            ));
        }
        "add" => {
            let (flags, mut paths): (Vec<String>, Vec<String>) =
                rest.into_iter().partition(|a| a.starts_with('-'));
            // "git add README.md and docs/setup.md": the words between paths are prose.
            if paths.len() > 2 {
                paths.retain(|p| !matches!(p.as_str(), "and" | "&" | "plus"));
            }
            // "git add the migrations/0004_users.sql file thx": a path said in words.
            if paths.iter().any(|p| text::is_path_like(p)) {
                paths.retain(|p| {
                    text::is_path_like(p)
                        || !matches!(
                            p.to_ascii_lowercase().as_str(),
                            "the" | "file" | "files" | "pls" | "please" | "thx" | "thanks" | "too"
                        )
                });
            }
            let mut args = without(&flags, &["-A", "--all", "--"]);
            if paths.is_empty() && flags.iter().any(|f| f == "-A" || f == "--all") {
                paths.push(".".into());
            } else if flags.iter().any(|f| f == "-A" || f == "--all") {
                args.push("-A".into());
            }
            return Some((
                Action::Git {
                    action: GitAction::Add { paths },
                    args,
                },
                LITERAL,
            ));
        }
        "commit" => return git_commit(rest),
        "push" => GitAction::Push,
        "pull" => GitAction::Pull,
        "branch" => {
            if rest.len() == 1 && !rest[0].starts_with('-') {
                return git(
                    GitAction::Branch {
                        name: Some(rest[0].clone()),
                    },
                    LITERAL,
                );
            }
            GitAction::Branch { name: None }
        }
        "checkout" | "switch" | "co" => {
            if rest.iter().any(|a| a == "--" || a == "." || a == "-p") {
                // Restoring files, not switching branches.
                return shell(core, LITERAL);
            }
            let create = rest.iter().any(|a| a == "-b" || a == "-c" || a == "-B");
            let name = rest.iter().find(|a| !a.starts_with('-'))?.clone();
            let args: Vec<String> = rest
                .iter()
                .filter(|a| **a != name && !matches!(a.as_str(), "-b" | "-c" | "-B"))
                .cloned()
                .collect();
            return Some((
                Action::Git {
                    action: GitAction::Checkout { name, create },
                    args,
                },
                LITERAL,
            ));
        }
        "stash" => GitAction::Stash,
        "show" => {
            let rev = rest.iter().find(|a| !a.starts_with('-')).cloned();
            let args: Vec<String> = rest
                .iter()
                .filter(|a| Some(*a) != rev.as_ref())
                .cloned()
                .collect();
            return Some((
                Action::Git {
                    action: GitAction::Show { rev },
                    args,
                },
                LITERAL,
            ));
        }
        other => match crate::route::plain_git::find(other) {
            Some(plain) => GitAction::Plain(plain),
            // A git command the rules do not know runs as typed (`route` has already
            // read a misspelt one as the command it misspells).
            None => return shell(core, LITERAL),
        },
    };
    Some((Action::Git { action, args: rest }, LITERAL))
}

pub(super) fn without(args: &[String], drop: &[&str]) -> Vec<String> {
    args.iter()
        .filter(|a| !drop.contains(&a.as_str()))
        .cloned()
        .collect()
}

pub(super) fn git_log(rest: Vec<String>) -> Option<(Action, f32)> {
    let mut n = None;
    let mut args = Vec::new();
    let mut words = rest.into_iter();
    while let Some(word) = words.next() {
        let count = if word == "-n" || word == "--max-count" {
            words.next().and_then(|v| v.parse().ok())
        } else if let Some(v) = word
            .strip_prefix("--max-count=")
            .or_else(|| word.strip_prefix("-n"))
        {
            v.trim_start_matches('=').parse().ok()
        } else if let Some(v) = word.strip_prefix('-') {
            v.parse().ok()
        } else {
            None
        };
        match count {
            Some(c) => n = Some(c),
            None => args.push(word),
        }
    }
    Some((
        Action::Git {
            action: GitAction::Log { n },
            args,
        },
        LITERAL,
    ))
}

pub(super) fn git_commit(rest: Vec<String>) -> Option<(Action, f32)> {
    let mut message = None;
    let mut all = false;
    let mut args = Vec::new();
    let mut words = rest.into_iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "-a" | "--all" => all = true,
            "-m" | "--message" => message = words.next(),
            "-am" => {
                all = true;
                message = words.next();
            }
            w if w.starts_with("--message=") => {
                message = Some(w["--message=".len()..].to_string());
            }
            w if w.starts_with("-m") && w.len() > 2 => message = Some(w[2..].to_string()),
            _ => args.push(word),
        }
    }
    commit(message, all, args, LITERAL)
}
