//! What a git command line does, read from its arguments: the files a "read-only"
//! command writes (`--output`), what a push changes on the remote (forced updates and
//! deletions, by destination ref), and which commands destroy work or history.
//! Pure: the gate decides with these answers.

/// Where git writes its output instead of stdout, for the commands that accept
/// `--output=<file>` (log, show, diff, stash list/show and the like). Git takes both
/// `--output=<file>` and `--output <file>`.
pub fn output_files(args: &[String]) -> Vec<String> {
    let mut files = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        if let Some(file) = word.strip_prefix("--output=") {
            files.push(file.to_string());
        } else if word == "--output" {
            // A missing value is git's usage error; treat it as a write all the same.
            files.push(words.next().cloned().unwrap_or_default());
        }
    }
    files
}

/// The short options of a word such as `-uf`, or `None` for a long option, an operand or
/// a lone `-`.
fn short_flags(word: &str) -> Option<&str> {
    word.strip_prefix('-')
        .filter(|rest| !rest.is_empty() && !rest.starts_with('-'))
}

/// Whether `args` hold the short flag `flag` (alone or combined, as in `-fdx`) or one of
/// the long options `long`, before a `--`.
fn has_flag(args: &[String], flag: char, long: &[&str]) -> bool {
    args.iter()
        .take_while(|a| *a != "--")
        .any(|a| long.contains(&a.as_str()) || short_flags(a).is_some_and(|f| f.contains(flag)))
}

/// One refspec of a push: `[+]src[:dst]`, with `:dst` deleting `dst`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refspec {
    pub force: bool,
    pub src: String,
    /// The destination as written, or `None` when it is the source's own name.
    pub dst: Option<String>,
}

impl Refspec {
    pub fn parse(spec: &str) -> Refspec {
        let (force, spec) = match spec.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, spec),
        };
        match spec.split_once(':') {
            Some((src, dst)) => Refspec {
                force,
                src: src.to_string(),
                dst: Some(dst.to_string()),
            },
            None => Refspec {
                force,
                src: spec.to_string(),
                dst: None,
            },
        }
    }

    /// The branch this refspec changes on the remote; `HEAD` stands for `current`.
    /// `None` when it names no branch (a tag, or a source that is a commit).
    fn destination(&self, current: Option<&str>) -> Option<String> {
        let name = match &self.dst {
            Some(dst) if !dst.is_empty() => dst.as_str(),
            // `:` alone pushes the matching branches: every one may change.
            Some(_) if self.src.is_empty() => "*",
            _ => self.src.as_str(),
        };
        let name = name.strip_prefix("refs/heads/").unwrap_or(name);
        if name.starts_with("refs/") {
            return None;
        }
        match name {
            "HEAD" | "@" => current.map(str::to_string),
            "" => None,
            name => Some(name.to_string()),
        }
    }
}

/// A `git push` command line, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Push {
    pub force: bool,
    pub delete: bool,
    pub mirror: bool,
    /// `--all`, `--branches` or `--prune`: every branch may change.
    pub all_branches: bool,
    pub remote: Option<String>,
    pub refspecs: Vec<Refspec>,
}

/// How a push changes one branch on the remote, when it is more than a fast-forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rewrite {
    Forced,
    Deleted,
}

impl Rewrite {
    pub fn verb(self) -> &'static str {
        match self {
            Rewrite::Forced => "force-pushes",
            Rewrite::Deleted => "deletes",
        }
    }
}

impl Push {
    /// Parses the arguments after `push`.
    pub fn parse(args: &[String]) -> Push {
        const WITH_VALUE: &[&str] = &["--repo", "--push-option", "--receive-pack", "--exec"];
        let mut push = Push::default();
        let mut operands = Vec::new();
        let mut words = args.iter();
        while let Some(word) = words.next() {
            if word == "--" {
                operands.extend(words.by_ref().cloned());
                break;
            }
            if let Some(long) = word.strip_prefix("--") {
                let name = long.split('=').next().unwrap_or(long);
                match name {
                    "force" | "force-with-lease" | "force-if-includes" => push.force = true,
                    "delete" => push.delete = true,
                    "mirror" => push.mirror = true,
                    "all" | "branches" | "prune" => push.all_branches = true,
                    _ if WITH_VALUE.contains(&name) && !long.contains('=') => {
                        words.next();
                    }
                    _ => {}
                }
            } else if let Some(flags) = short_flags(word) {
                for (i, flag) in flags.char_indices() {
                    match flag {
                        'f' => push.force = true,
                        'd' => push.delete = true,
                        'o' => {
                            // `-o` takes a value: the rest of the word, or the next one.
                            if i + 1 == flags.len() {
                                words.next();
                            }
                            break;
                        }
                        _ => {}
                    }
                }
            } else {
                operands.push(word.clone());
            }
        }
        let mut operands = operands.into_iter();
        push.remote = operands.next();
        push.refspecs = operands.map(|s| Refspec::parse(&s)).collect();
        push
    }

    /// Every branch the push rewrites on the remote (not a fast-forward), with how.
    /// `current` is the branch checked out, which a push naming no refspec (or `HEAD`)
    /// pushes. A `*` stands for every branch.
    pub fn rewrites(&self, current: Option<&str>) -> Vec<(String, Rewrite)> {
        if self.mirror {
            return vec![
                ("*".into(), Rewrite::Forced),
                ("*".into(), Rewrite::Deleted),
            ];
        }
        let mut out = Vec::new();
        if self.all_branches && (self.force || self.delete) {
            out.push(("*".to_string(), Rewrite::Forced));
        }
        if self.refspecs.is_empty() && !self.all_branches && self.force {
            if let Some(branch) = current {
                out.push((branch.to_string(), Rewrite::Forced));
            } else {
                out.push(("HEAD".to_string(), Rewrite::Forced));
            }
        }
        for spec in &self.refspecs {
            let deletes = self.delete
                || (spec.src.is_empty() && spec.dst.as_ref().is_some_and(|d| !d.is_empty()));
            let how = if deletes {
                Rewrite::Deleted
            } else if self.force || spec.force {
                Rewrite::Forced
            } else {
                continue;
            };
            // `--delete main` names the branch as a source.
            let branch = if self.delete && spec.dst.is_none() {
                Refspec {
                    dst: Some(spec.src.clone()),
                    ..spec.clone()
                }
                .destination(current)
            } else {
                spec.destination(current)
            };
            if let Some(branch) = branch {
                out.push((branch, how));
            }
        }
        out
    }

    /// The first protected branch this push force-updates or deletes.
    pub fn protected_rewrite(
        &self,
        protected: &[String],
        current: Option<&str>,
    ) -> Option<(String, Rewrite)> {
        self.rewrites(current)
            .into_iter()
            .find_map(|(branch, how)| {
                protected
                    .iter()
                    .find(|p| branch_matches(&branch, p))
                    .map(|p| (p.clone(), how))
            })
    }
}

/// Whether a destination (which may be a pattern such as `*` or `release/*`) can be the
/// protected branch. Case-insensitive: refs on a case-insensitive file system are.
fn branch_matches(destination: &str, protected: &str) -> bool {
    let (d, p) = (destination.to_lowercase(), protected.to_lowercase());
    match d.split_once('*') {
        Some((prefix, suffix)) => p.starts_with(prefix) && p.ends_with(suffix),
        None => d == p,
    }
}

/// The git options that come before the subcommand and take a value as the next word.
const GLOBAL_WITH_VALUE: &[&str] = &[
    "-C",
    "-c",
    "--git-dir",
    "--work-tree",
    "--namespace",
    "--exec-path",
    "--config-env",
];

/// The subcommand of `git <global options> <sub> <args>` and its arguments.
pub fn subcommand(args: &[String]) -> Option<(&str, &[String])> {
    let mut rest = args;
    while let Some(first) = rest.first() {
        if !first.starts_with('-') {
            return Some((first.as_str(), &rest[1..]));
        }
        let takes_value = GLOBAL_WITH_VALUE.contains(&first.as_str());
        rest = &rest[if takes_value { 2.min(rest.len()) } else { 1 }..];
    }
    None
}

/// What a git command destroys that cannot be taken back — untracked files, uncommitted
/// changes, stashes, branches, reflogs, commits on a remote — as a phrase naming the
/// loss, or `None`. `sub` and `args` follow `git`'s global options.
pub fn destroys(sub: &str, args: &[String]) -> Option<&'static str> {
    let flag = |c: char, long: &[&str]| has_flag(args, c, long);
    let operands = || args.iter().filter(|a| !a.starts_with('-'));
    match sub {
        "clean" if !flag('n', &["--dry-run"]) => Some(if flag('x', &[]) || flag('X', &[]) {
            "deletes untracked and ignored files"
        } else {
            "deletes untracked files"
        }),
        "stash" => match args.first().map(String::as_str) {
            Some("clear") => Some("deletes every stash"),
            Some("drop") => Some("deletes a stash"),
            _ => None,
        },
        "reset" if args.iter().any(|a| a == "--hard") => Some("discards uncommitted changes"),
        "checkout" => {
            let paths = args.iter().any(|a| a == "--") || operands().any(|a| a == "." || a == ":/");
            (paths || flag('f', &["--force", "--discard-changes"]))
                .then_some("discards uncommitted changes")
        }
        "switch" if flag('f', &["--force", "--discard-changes"]) => {
            Some("discards uncommitted changes")
        }
        "restore" => {
            let staged_only = flag('S', &["--staged"]) && !flag('W', &["--worktree"]);
            (!staged_only).then_some("discards uncommitted changes")
        }
        // `-D`, `-d -f`, `-f` (moving a branch), `-M` and `-C` (renaming or copying
        // over an existing one) all drop commits that only that branch held.
        "branch" => (flag('D', &[]) || flag('f', &["--force"]) || flag('M', &[]) || flag('C', &[]))
            .then_some("deletes or overwrites a branch, and the commits only it holds"),
        "reflog" if matches!(args.first().map(String::as_str), Some("expire" | "delete")) => {
            Some("expires the reflog, the record that recovers lost commits")
        }
        "gc" if args.iter().any(|a| a.starts_with("--prune")) => {
            Some("prunes unreachable commits for good")
        }
        "prune" => Some("prunes unreachable commits for good"),
        "push" => {
            let push = Push::parse(args);
            let rewrites = push.rewrites(None);
            if rewrites.iter().any(|(_, how)| *how == Rewrite::Deleted) {
                Some("deletes branches on the remote")
            } else if !rewrites.is_empty() {
                Some("overwrites commits on the remote")
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(line: &str) -> Vec<String> {
        shell_words::split(line).expect("test lines split")
    }

    fn protected() -> Vec<String> {
        vec!["main".into(), "master".into()]
    }

    fn protected_push(line: &str, current: Option<&str>) -> Option<(String, Rewrite)> {
        Push::parse(&w(line)).protected_rewrite(&protected(), current)
    }

    #[test]
    fn output_flags_are_found_in_both_spellings() {
        assert_eq!(output_files(&w("-1 --output=notes.txt")), vec!["notes.txt"]);
        assert_eq!(
            output_files(&w("--stat --output ../victim.txt")),
            vec!["../victim.txt"]
        );
        assert!(output_files(&w("--oneline --output-indicator-new=+ -- --output=x")).is_empty());
    }

    #[test]
    fn forced_and_deleting_pushes_of_protected_branches_are_found() {
        use Rewrite::*;
        let main = |how| Some(("main".to_string(), how));
        assert_eq!(protected_push("-uf origin main", None), main(Forced));
        assert_eq!(protected_push("origin +main", None), main(Forced));
        assert_eq!(protected_push("origin +feature:main", None), main(Forced));
        assert_eq!(
            protected_push("origin +HEAD:refs/heads/main", None),
            main(Forced)
        );
        assert_eq!(
            protected_push("--force-with-lease origin main", None),
            main(Forced)
        );
        assert_eq!(
            protected_push("--force-if-includes origin MAIN", None),
            main(Forced)
        );
        assert_eq!(protected_push("origin :main", None), main(Deleted));
        assert_eq!(protected_push("-d origin main", None), main(Deleted));
        assert_eq!(protected_push("--delete origin main", None), main(Deleted));
        assert_eq!(
            protected_push("-o ci.skip -f origin main", None),
            main(Forced)
        );
        assert_eq!(protected_push("--force", Some("main")), main(Forced));
        assert_eq!(protected_push("-f origin HEAD", Some("main")), main(Forced));
        assert_eq!(protected_push("-f origin", Some("main")), main(Forced));
        assert!(protected_push("--mirror", None).is_some());
        assert!(protected_push("--all -f origin", None).is_some());
        assert!(protected_push("origin +refs/heads/*:refs/heads/*", None).is_some());
    }

    #[test]
    fn ordinary_pushes_are_not_rewrites() {
        for line in [
            "origin main",
            "-u origin main",
            "origin feature:main",
            "--force origin feature/x",
            "origin :feature",
            "-f origin +HEAD:feature",
            "--tags -f origin",
            "-o main origin topic",
        ] {
            assert_eq!(protected_push(line, Some("topic")), None, "{line}");
        }
        assert_eq!(protected_push("--force", Some("topic")), None);
    }

    #[test]
    fn destroying_commands_name_their_loss() {
        for (line, loss) in [
            ("clean -fdx", "deletes untracked and ignored files"),
            ("clean -f", "deletes untracked files"),
            ("stash clear", "deletes every stash"),
            ("stash drop", "deletes a stash"),
            ("reset --hard", "discards uncommitted changes"),
            ("reset --hard HEAD~1", "discards uncommitted changes"),
            ("checkout -- .", "discards uncommitted changes"),
            ("checkout .", "discards uncommitted changes"),
            ("restore .", "discards uncommitted changes"),
            (
                "reflog expire --expire=now --all",
                "expires the reflog, the record that recovers lost commits",
            ),
            ("gc --prune=now", "prunes unreachable commits for good"),
            (
                "push --force origin feature",
                "overwrites commits on the remote",
            ),
            ("push origin :feature", "deletes branches on the remote"),
        ] {
            let args = w(line);
            let (sub, rest) = subcommand(&args).expect("a subcommand");
            assert_eq!(destroys(sub, rest), Some(loss), "{line}");
        }
        let (sub, rest) = (String::from("branch"), w("-D main"));
        assert!(destroys(&sub, &rest).is_some());
        for line in [
            "clean -n",
            "stash",
            "stash list",
            "stash pop",
            "reset",
            "reset --soft HEAD~1",
            "checkout main",
            "checkout -b x",
            "restore --staged a.txt",
            "branch -d topic",
            "branch x",
            "gc",
            "push origin main",
            "push -u origin topic",
            "log --oneline",
        ] {
            let args = w(line);
            let (sub, rest) = subcommand(&args).expect("a subcommand");
            assert_eq!(destroys(sub, rest), None, "{line}");
        }
    }

    #[test]
    fn global_options_come_before_the_subcommand() {
        let args = w("-C sub -c core.pager=cat --no-pager clean -fd");
        assert_eq!(subcommand(&args).map(|(s, _)| s), Some("clean"));
    }
}
