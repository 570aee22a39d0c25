//! English paraphrases of the tool's verbs, read as the verbs they stand for: "ship my
//! commits" is "push my commits", "shelve my changes" is "stash my changes", "hop over
//! to develop" is "switch to develop". Only the opening words are read this way, and
//! only when the request as typed fits no rule, so nothing a rule already placed
//! changes; a route read through a paraphrase is a little less sure (see `rules`), and
//! only a tool's route is taken from it ("mark the function deprecated" is no `git add`).

/// Opening phrases and what they stand for; where two open alike, the longer is read.
const LEXICON: &[(&str, &str)] = &[
    // "can I see what's staged?": asked as a question, meant as "show me"
    ("can i see", "show me"),
    ("could i see", "show me"),
    ("may i see", "show me"),
    ("can i have a look at", "show me"),
    // "give me a list of what's inside tests": a listing.
    ("give me a list of", "list"),
    ("get me a list of", "list"),
    ("show me a list of", "list"),
    // push
    ("ship", "push"),
    ("yeet", "push"),
    ("upload", "push"),
    ("send", "push"),
    ("send it up", "push it"),
    ("send them up", "push them"),
    ("send everything up", "push everything"),
    ("send my work up", "push my work"),
    ("send my changes up", "push my changes"),
    ("publish", "push"),
    // "record all modified tracked files in one go": a commit of them.
    ("record all modified", "commit all modified"),
    ("record all changed", "commit all changed"),
    ("record every modified", "commit every modified"),
    ("record all tracked", "commit all tracked"),
    // "get every change ready to be committed": staged.
    ("get every change ready to be committed", "stage everything"),
    ("get all changes ready to be committed", "stage everything"),
    ("get everything ready to be committed", "stage everything"),
    (
        "get all my changes ready to be committed",
        "stage everything",
    ),
    // "put my stuff on GitHub": where others see it.
    ("put my stuff on", "push my stuff to"),
    ("put my work on", "push my work to"),
    ("put my changes on", "push my changes to"),
    ("put my commits on", "push my commits to"),
    ("put everything on", "push everything to"),
    ("put it on", "push it to"),
    ("put it up on", "push it to"),
    // pull
    ("bring in", "pull"),
    ("grab whatever's new", "pull"),
    ("grab what's new", "pull"),
    ("get whatever's new", "pull"),
    ("get what's new", "pull"),
    ("download the latest changes", "pull"),
    ("download the latest", "pull"),
    ("bring those changes down", "pull those changes"),
    ("bring the changes down", "pull the changes"),
    ("bring down", "pull"),
    ("download whatever's new", "pull"),
    ("download what's new", "pull"),
    ("pull in", "pull"),
    ("get me up to date with", "pull from"),
    ("get up to date with", "pull from"),
    ("bring me up to date with", "pull from"),
    ("bring my branch up to date", "pull"),
    ("bring the branch up to date", "pull"),
    ("get my branch up to date", "pull"),
    ("catch up with", "pull from"),
    ("grab the latest from", "pull from"),
    ("grab the latest changes from", "pull from"),
    ("get the latest from", "pull from"),
    ("get the latest changes from", "pull from"),
    ("fetch the latest from", "pull from"),
    ("grab the latest", "pull"),
    ("grab the latest changes", "pull"),
    ("get the latest changes", "pull"),
    ("sync up with", "pull from"),
    ("sync with", "pull from"),
    // "pull up README.md": shows it (a pull is "pull", "pull in", "pull down")
    ("pull up", "show"),
    // checkout
    ("hop over to", "switch to"),
    ("hop back to", "switch to"),
    ("hop to", "switch to"),
    ("jump back to", "switch to"),
    ("jump over to", "switch to"),
    ("jump to", "switch to"),
    ("go back to", "switch to"),
    ("head over to", "switch to"),
    ("head to", "switch to"),
    ("move me onto", "switch to"),
    ("take me to", "switch to"),
    ("take me back to", "switch to"),
    ("switch over to", "switch to"),
    ("move me to", "switch to"),
    ("move me over to", "switch to"),
    ("move onto", "switch to"),
    ("put me on", "switch to"),
    ("put me in the branch", "switch to"),
    ("put me in branch", "switch to"),
    ("mk branch", "create branch"),
    ("mk a branch", "create a branch"),
    ("mk new branch", "create a new branch"),
    ("get me on", "switch to"),
    ("switch back to", "switch to"),
    ("switch me back to", "switch to"),
    ("switch me over to", "switch to"),
    ("switch me to", "switch to"),
    ("put me back on", "switch to"),
    ("get me back on", "switch to"),
    ("swap over to", "switch to"),
    // stash
    ("shelve", "stash"),
    ("park", "stash"),
    ("stow", "stash"),
    ("stow away", "stash"),
    ("tuck away", "stash"),
    ("tuck", "stash"),
    ("set aside", "stash"),
    // commit
    ("check in my", "commit my"),
    ("check in all", "commit all"),
    ("check in the changes", "commit the changes"),
    ("check in everything", "commit everything"),
    ("make a commit of", "commit"),
    // "make the commit of everything with 'release 1.0'": as said in other languages.
    ("make the commit of", "commit"),
    ("make commit of", "commit"),
    ("do commit of", "commit"),
    ("do the commit of", "commit"),
    ("do a commit of", "commit"),
    ("make a commit", "commit"),
    ("save a commit", "commit"),
    ("save everything in a commit", "commit everything"),
    ("save everything as a commit", "commit everything"),
    ("save it all in a commit", "commit everything"),
    ("save all my work in a commit", "commit everything"),
    ("save my work in a commit", "commit everything"),
    ("save all my changes in a commit", "commit everything"),
    ("save my changes in a commit", "commit everything"),
    // "save it in the history": a commit, as people who do not say "commit" put it.
    ("save it in the history", "commit it"),
    ("save this in the history", "commit this"),
    ("save my changes in the history", "commit my changes"),
    ("save everything in the history", "commit everything"),
    ("save a version of everything", "commit everything"),
    ("save a version of my changes", "commit my changes"),
    // "record" a "snapshot" or a "checkpoint": a commit, in the words of people new
    // to git; a "line of work" is a branch.
    (
        "record all of my modifications as a snapshot",
        "commit all my changes",
    ),
    (
        "record all my modifications as a snapshot",
        "commit all my changes",
    ),
    (
        "record all my changes as a snapshot",
        "commit all my changes",
    ),
    ("record", "commit"),
    ("save a checkpoint of", "commit"),
    ("save a snapshot of", "commit"),
    ("take a snapshot of", "commit"),
    ("start a new line of work", "create a branch"),
    ("make a new line of work", "create a branch"),
    ("make a separate line of work", "create a branch"),
    ("open a new line of work", "create a branch"),
    ("create a new line of development", "create a branch"),
    ("create a separate line of development", "create a branch"),
    ("make a new line of development", "create a branch"),
    ("make a separate line of development", "create a branch"),
    ("start a separate line of development", "create a branch"),
    // "save a snapshot with the note 'x'", "save my work with the note 'x'".
    ("save a snapshot", "commit"),
    ("take a snapshot", "commit"),
    ("save a checkpoint", "commit"),
    ("save my work", "commit my work"),
    ("save it with", "commit it with"),
    ("save them with", "commit them with"),
    ("save it all", "commit everything"),
    ("save my changes", "commit my changes"),
    ("save everything", "commit everything"),
    ("save all my work", "commit all my work"),
    ("save all my changes", "commit all my changes"),
    ("snapshot everything", "commit everything"),
    ("snapshot all of it", "commit everything"),
    ("snapshot my work", "commit my work"),
    ("start a new line of development", "create a branch"),
    ("start a separate line of work", "create a branch"),
    ("create a separate line of work", "create a branch"),
    ("create a new line of work", "create a branch"),
    ("spin up", "create"),
    // add
    ("mark", "stage"),
    ("throw", "stage"),
    ("queue up", "stage"),
    // show
    ("look at", "show"),
    ("take a look at", "show"),
    ("have a look at", "show"),
    ("glance at", "show"),
    ("peek at", "show"),
    ("check", "show"),
    // pull
    ("fetch the newest", "pull the newest"),
    ("fetch the latest", "pull the latest"),
    // file actions
    ("get rid of", "delete"),
    ("throw away", "delete"),
    ("trash", "delete"),
    ("nuke", "delete"),
    ("ditch", "delete"),
    // branch
    ("cut a new branch", "create a new branch"),
    ("cut a branch", "create a branch"),
    ("set up", "create"),
    // shell
    ("kick off", "run"),
    ("fire up", "run"),
    ("fire off", "run"),
    ("trigger", "run"),
    ("launch", "run"),
];

/// The request with its opening paraphrase replaced by the verb it stands for, if it
/// opens with one.
pub fn canonical(core: &str) -> Option<String> {
    let lower = core.to_ascii_lowercase();
    let (phrase, verb) = LEXICON
        .iter()
        .filter(|(phrase, _)| {
            lower.starts_with(phrase)
                && (lower.len() == phrase.len()
                    // ("save my work, call it 'x'": a comma after it too.)
                    || lower[phrase.len()..].starts_with(|c: char| c.is_whitespace() || c == ','))
        })
        .max_by_key(|(phrase, _)| phrase.len())?;
    let rest = &core[phrase.len()..];
    // "upload it to pastebin", "send my work to Tom", "ship the order": a push only
    // when nothing but git's own things are named.
    const GIT_THINGS: &[&str] = &[
        "it",
        "them",
        "that",
        "this",
        "my",
        "our",
        "the",
        "all",
        "everything",
        "changes",
        "commits",
        "commit",
        "work",
        "stuff",
        "local",
        "latest",
        "new",
        "up",
        "to",
        "remote",
        "origin",
        "upstream",
        "github",
        "gitlab",
        "server",
        "branch",
        "current",
        "now",
        "please",
        "pls",
        "code",
        "repo",
        "of",
        "off",
        "out",
        "over",
        "there",
        "online",
        "i've",
        "i",
        "shared",
        "files",
        "file",
        "every",
        "have",
        "modified",
        "changed",
        "staged",
        "queued-up",
        "into",
        "in",
        "history",
    ];
    // "… so my teacher can see it", "… so I can go back to it later": who it is for,
    // not what is pushed or saved.
    let only_git_things = |text: &str| {
        let text = regex!(r"(?i)\bso\s+(?:that\s+)?(?:i|we|\w+|my\s+\w+|the\s+\w+)\s+can\s+(?:see|review|look\s+at|check|go\s+back\s+to|get\s+back\s+to|find|read)\b[^,;]*")
            .replace_all(text, "");
        text.split_whitespace().all(|w| {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_ascii_lowercase();
            w.is_empty() || GIT_THINGS.contains(&w.as_str())
        })
    };
    if verb.starts_with("push") && !only_git_things(rest) {
        return None;
    }
    // "bring my branch up to date with main": another branch merged in, no pull.
    if verb.starts_with("pull")
        && regex!(r"(?i)^\s*(?:with|from)\s+(?:the\s+)?(?:main|master|develop|dev|trunk)\b(?:\s+branch)?\s*$")
            .is_match(rest)
        && phrase.contains("up to date")
    {
        return None;
    }
    // "save my work with the note 'x'", "snapshot everything I've modified, message:
    // x": a commit only when, up to its message, nothing but git's own things are
    // named ("save everything to disk", "save it with utf-8 encoding" are no commit).
    if verb.starts_with("commit")
        && ["save", "snapshot", "take"]
            .iter()
            .any(|w| phrase.starts_with(w))
    {
        // (A quote's words are blanked: "as 'x'" reads "as" and spaces to the end.)
        let plain = crate::route::text::unquoted(rest);
        let message = regex!(r"(?i)(?:^\s*(?:the\s+|a\s+)?(?:commit\s+)?(?:message|note|description|msg|title)\b|\bwith\s+(?:the\s+|a\s+)?(?:commit\s+)?(?:message|note|description|msg|title)\b|\b(?:message|msg|note)\s*:|\s-m\b|\bsaying\b|\b(?:call|name)\s+it\b|\bas\s+$)")
            .find(&plain)
            .map_or(plain.len(), |m| m.start());
        if !only_git_things(&plain[..message]) {
            return None;
        }
        // "save my work" alone may mean a stash as well: a commit when a message is
        // given ("save my work, just stash it", "save my work, then I'll commit").
        let may_stash = ["save my", "save everything", "save all", "save it"]
            .iter()
            .any(|p| phrase.starts_with(p));
        if may_stash && message == plain.len() {
            return None;
        }
    }
    Some(format!("{verb}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_paraphrases_read_as_verbs() {
        assert_eq!(
            canonical("ship my commits to the remote").as_deref(),
            Some("push my commits to the remote")
        );
        assert_eq!(
            canonical("Hop over to the develop branch").as_deref(),
            Some("switch to the develop branch")
        );
        assert_eq!(
            canonical("get rid of the file coverage.xml").as_deref(),
            Some("delete the file coverage.xml")
        );
        // Whole words only, and only at the start.
        assert_eq!(canonical("parking lot sort"), None);
        assert_eq!(canonical("please ship it"), None);
    }
}
