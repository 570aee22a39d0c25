//! Commit messages drafted for the prepare-commit-msg hook: when a draft is wanted
//! (githooks(5)'s SOURCE argument, the configuration, a rebase in progress), and the
//! pieces that make one — the staged change, the model's request, the cleaned reply,
//! the deterministic draft, the message file with the draft in it.

pub mod fallback;
pub mod file;
pub mod paths;
pub mod prompt;
pub mod reply;
pub mod staged;

use std::path::Path;

use crate::config::CommitMsg;

/// Where the message git prepared came from: githooks(5)'s second argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageSource {
    /// No argument: a plain `git commit`.
    Fresh,
    /// `-m` or `-F`: the user gave the message.
    Message,
    /// `-t` or `commit.template`.
    Template,
    Merge,
    Squash,
    /// `--amend`, `-c` or `-C`: an existing commit's message.
    Commit,
}

impl MessageSource {
    /// The source git named; `None` for one this version does not know.
    pub fn parse(arg: Option<&str>) -> Option<MessageSource> {
        Some(match arg {
            None | Some("") => MessageSource::Fresh,
            Some("message") => MessageSource::Message,
            Some("template") => MessageSource::Template,
            Some("merge") => MessageSource::Merge,
            Some("squash") => MessageSource::Squash,
            Some("commit") => MessageSource::Commit,
            Some(_) => return None,
        })
    }

    /// Whether the text git prepared is a message it made (kept visible as comments
    /// under a live draft) rather than a template to fill in.
    pub fn message_made(self) -> bool {
        matches!(
            self,
            MessageSource::Merge | MessageSource::Squash | MessageSource::Commit
        )
    }
}

/// Whether to draft for a commit from `source`. `editor` says whether git will open
/// the editor (it sets `GIT_EDITOR=:` for the hook when it will not): without one,
/// whatever is drafted is committed unseen, so only a commit that has no message yet
/// gets a (live) draft.
pub fn wanted(source: Option<MessageSource>, editor: bool, settings: &CommitMsg) -> bool {
    let opted_in = match source {
        None | Some(MessageSource::Message) => return false,
        Some(MessageSource::Fresh | MessageSource::Template) => true,
        Some(MessageSource::Merge) => settings.merge,
        Some(MessageSource::Squash) => settings.squash,
        Some(MessageSource::Commit) => settings.amend,
    };
    if editor {
        return opted_in;
    }
    // Comment lines are not stripped from a message nobody edits.
    opted_in
        && settings.mode == crate::config::CommitMode::Live
        && matches!(source, Some(MessageSource::Fresh | MessageSource::Template))
}

/// Whether a rebase, cherry-pick or revert is under way: its commits keep the
/// messages they come with.
pub fn sequence_in_progress(root: &Path) -> anyhow::Result<bool> {
    use crate::tools::git::{Operation, operation_in_progress};
    Ok(operation_in_progress(root)?.is_some_and(|op| op != Operation::Merge))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(amend: bool, mode: crate::config::CommitMode) -> CommitMsg {
        CommitMsg {
            timeout_s: 20,
            mode,
            conventional: false,
            amend,
            merge: false,
            squash: false,
            max_diff_bytes: 8000,
        }
    }

    #[test]
    fn only_commits_without_a_message_get_a_draft() {
        let s = settings(false, crate::config::CommitMode::Live);
        let want = |arg: Option<&str>, editor| wanted(MessageSource::parse(arg), editor, &s);
        assert!(want(None, true));
        assert!(want(Some("template"), true));
        assert!(!want(Some("message"), false));
        assert!(!want(Some("merge"), true));
        assert!(!want(Some("squash"), true));
        assert!(!want(Some("commit"), true));
        assert!(!want(Some("something-new"), true));
        // `git commit --no-edit` without a message: the draft is the message.
        assert!(want(None, false));
    }

    #[test]
    fn amend_is_opt_in_and_never_unseen() {
        let s = settings(true, crate::config::CommitMode::Live);
        assert!(wanted(Some(MessageSource::Commit), true, &s));
        assert!(!wanted(Some(MessageSource::Commit), false, &s));
        let commented = settings(true, crate::config::CommitMode::Commented);
        assert!(!wanted(Some(MessageSource::Fresh), false, &commented));
        assert!(wanted(Some(MessageSource::Fresh), true, &commented));
    }
}
