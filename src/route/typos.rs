//! Misspelt command words: `git stauts`, `shwo the diff`, `comitt everything`. A word
//! the rules do not know is read as the one word of the tool's own vocabulary it is
//! clearly nearest to (Damerau–Levenshtein, so a swapped pair of letters counts once),
//! and only where no other word is as near. Pure; the rules ask it before they read
//! the request, and a word that is right costs no more than a look-up.

/// Git's commands: a misspelt one is read as the one it is nearest to. What it then
/// does is judged by the permission gate like any command typed right.
const GIT_WORDS: &[&str] = &[
    "status",
    "log",
    "diff",
    "show",
    "commit",
    "checkout",
    "switch",
    "branch",
    "push",
    "pull",
    "add",
    "stash",
    "fetch",
    "merge",
    "rebase",
    "reset",
    "restore",
    "tag",
    "remote",
    "blame",
    "revert",
    "bisect",
    "grep",
    "clone",
    "init",
    "describe",
    "archive",
    "notes",
    "worktree",
    "submodule",
    "config",
    "clean",
    "apply",
    "reflog",
    "shortlog",
    "prune",
    "fsck",
    "bundle",
    "help",
    "version",
    "cherry",
    "maintenance",
];

/// Whether `word` is one of git's own commands.
pub fn is_git_command(word: &str) -> bool {
    GIT_WORDS.contains(&word)
}

/// Words a request starts with that the rules act on.
const VERBS: &[&str] = &[
    "show",
    "list",
    "commit",
    "checkout",
    "switch",
    "create",
    "delete",
    "remove",
    "run",
    "read",
    "push",
    "pull",
    "display",
    "open",
    "make",
    "stage",
    "unstage",
    "status",
    "diff",
    "log",
    "branch",
    "stash",
    "print",
    "view",
    "execute",
    "add",
    "undo",
    "rename",
    "what",
    "which",
    "how",
    "why",
    "explain",
    "implement",
    "write",
    "fix",
    "please",
    "mkdir",
    "touch",
    "build",
    "rebuild",
    "install",
    "check",
];

/// Commands a misspelling is never read as: ones that delete, overwrite or kill.
const NEVER: &[&str] = &[
    "rm", "rmdir", "dd", "mkfs", "shred", "chmod", "chown", "kill", "killall",
];

/// Words that are not misspellings of the vocabulary, however near they are.
const KNOWN: &[&str] = &[
    // Common words one edit from a step that changes the repository.
    "poll", "pool", "pill", "pall", "posh", "pish", "pump", "rush", "bush", "gush", "hush", "mush",
    "lush", "stack", "stick", "stamp", "smash", "slash", "splash", "lint", "format", "clean",
    "build", "test", "deploy", "bump", "mute", "slow", "shot", "lost", "most", "last", "lift",
    "new", "now", "how", "why", "who", "the", "this", "that", "then", "them", "all", "any", "one",
    "two", "see", "saw", "set", "get", "put", "let", "use", "copy", "move", "find", "sort", "edit",
    "save", "load", "send", "tell", "take", "keep", "give", "have", "done", "code", "file",
    "files", "repo", "main", "tree", "tags", "when", "where", "shell", "store", "start", "stop",
    "step", "steps", "stat", "stats", "mode", "can", "could", "would", "should", "will", "may",
    "might", "must", "does", "did", "are", "was", "were", "has", "had", "its", "our", "your",
    "their", "there", "here", "give", "need", "want", "try", "check", "clear", "close", "call",
    "cast", "cat", "cut", "job", "jobs", "hello", "world", "fit", "lot", "bit", "hit", "sit",
    "pit", "kit", "wit", "whats", "poll", "polls", "pall", "pill", "dull", "full", "lush", "rush",
    "gush", "bush", "mush", "post", "past", "pest",
];

/// Whether `word` (lower case) is a verb a request opens with ("show", "pull").
pub fn is_verb(word: &str) -> bool {
    VERBS.contains(&word)
}

/// Whether `word` (lower case) is a word the tool knows in its own right, and so no
/// misspelling of another.
pub fn is_word(word: &str) -> bool {
    [VERBS, GIT_WORDS, KNOWN, NEVER]
        .iter()
        .any(|list| list.contains(&word))
}

/// Words past the first that the rules read, distinct enough from other English words
/// to be read through one typo ("the last three comits", "which brach am I on").
/// Not "stash" ("drop the last slash"), "status" ("states") nor "staged" ("stated").
const NOUNS: &[&str] = &[
    "commits",
    "branch",
    "branches",
    "rebuild",
    "everything",
    "history",
    "directory",
];

/// Words past the first that the rules read, read through one typo only when what was
/// typed is no English word: "check the staus", "make a foler", "anything unstagd"
/// are misspelt, while "the stats page", "drop the last slash", "a dev sever" (sic)
/// and "the brach" are words, and stay as typed.
const READ: &[&str] = &[
    "files",
    "contents",
    "status",
    "staged",
    "unstaged",
    "untracked",
    "uncommitted",
    "stash",
    "changes",
    "changed",
    "modified",
    "tests",
    "folder",
    "directory",
    "server",
    "remote",
    "origin",
    "upstream",
    "latest",
    "history",
    "commit",
    "commits",
    "branch",
    "branches",
    "everything",
    "install",
    "dependencies",
    "requirements",
    "build",
    "rebuild",
    "repository",
    "message",
    "called",
    "named",
    "switch",
    "checkout",
    "merge",
    "push",
    "pull",
    "diff",
    // What an algorithm is named by: "implment a binary serach tree".
    "search",
    "function",
    "binary",
    "algorithm",
    "sorting",
    "quicksort",
    "mergesort",
    "dijkstra",
];

/// The question word `word` (lower case) is a slip of, when it is no English word and
/// one edit from one ("hwo", "waht", "whcih"); the commoner where two are as near.
pub fn question_word(word: &str) -> Option<&'static str> {
    const QUESTION: &[&str] = &["how", "what", "why", "which", "where", "when", "who"];
    if word.len() < 3 || QUESTION.contains(&word) || english(word) {
        return None;
    }
    QUESTION
        .iter()
        .find(|q| strsim::damerau_levenshtein(word, q) == 1)
        .copied()
}

/// Whether `word` (lower case ASCII) is an English word, by the Wordnik list.
pub fn english(word: &str) -> bool {
    wordnik_list::word_exists(word)
}

/// `core` with its misspelt words spelt right, when the right words are clear: the
/// command word (see [`command_word`]) and, before any quote, the words the rules read
/// past it ([`NOUNS`] one edit away, and [`READ`] one edit away from a word that is no
/// English word).
pub fn correct(core: &str, commands: &[&'static str]) -> Option<String> {
    let fixed = command_word(core, commands);
    let text = fixed.as_deref().unwrap_or(core);
    let quoted = text.find(['"', '\'', '`']).unwrap_or(text.len());
    // A command line's words are its arguments, however short: `git clean -fd ot`
    // names the folder `ot`.
    let first = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let command_line = first == "git" || commands.contains(&first.as_str());
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (i, piece) in text.split_inclusive(' ').enumerate() {
        let word = piece.trim_end();
        let bare = word.trim_end_matches(['?', '!', ',', '.']);
        let nearer = (i > 0 && at + word.len() <= quoted)
            .then(|| {
                slip(bare)
                    .filter(|_| !command_line)
                    .or_else(|| nearest(bare, NOUNS, 1))
                    .or_else(|| {
                        let lower = bare.to_ascii_lowercase();
                        (lower.len() >= 4 && !english(&lower))
                            .then(|| nearest(bare, READ, 1))
                            .flatten()
                    })
            })
            .flatten()
            // "change" is no misspelt "changes": a word the noun inflects is right.
            .filter(|noun| !noun.starts_with(bare.to_ascii_lowercase().as_str()));
        match nearer {
            Some(noun) => {
                changed = true;
                out.push_str(noun);
                out.push_str(&piece[bare.len()..]);
            }
            None => out.push_str(piece),
        }
        at += piece.len();
    }
    match (changed, fixed) {
        (true, _) => Some(out),
        (false, fixed) => fixed,
    }
}

/// The little words most often typed with two letters swapped, too short to be read
/// through the distance ("whats teh staus", "status adn then pull").
fn slip(word: &str) -> Option<&'static str> {
    const SLIPS: &[(&str, &str)] = &[
        ("teh", "the"),
        ("adn", "and"),
        ("nad", "and"),
        ("taht", "that"),
        ("fo", "of"),
        ("ot", "to"),
        ("ti", "it"),
    ];
    SLIPS
        .iter()
        .find(|(slip, _)| slip.eq_ignore_ascii_case(word))
        .map(|(_, word)| *word)
}

/// `core` with its command word spelt right, when it was misspelt and the right word is
/// clear: the first word (a verb, or one of `commands`), or the one after `git`.
fn command_word(core: &str, commands: &[&'static str]) -> Option<String> {
    let core = core.trim_start();
    // "pul, and show me the log": the word without the comma after it.
    let first = core
        .split_whitespace()
        .next()?
        .trim_end_matches([',', ';', '.', '!', '?']);
    if first.eq_ignore_ascii_case("git") {
        let after = core[first.len()..].trim_start();
        let sub = after.split_whitespace().next()?;
        let fixed = nearest(sub, GIT_WORDS, 2)?;
        return Some(format!("{first} {fixed}{}", &after[sub.len()..]));
    }
    let rest = &core[first.len()..];
    // "ad all files": too short to be read through the distance, and no command.
    if first.eq_ignore_ascii_case("ad") && !rest.trim().is_empty() {
        return Some(format!("add{rest}"));
    }
    // A command's name is read from a typo only one edit away, and only in what looks
    // like a command line (a flag, a path): English words are near command names too
    // (`just` and jest, `stuff` and ruff), so an English word is never read as one
    // ("not delete temp.txt" is no `nox`), nor as a verb before a command line's
    // flags and paths ("fake -j4 build/" is no `make`, "rum -rf build/" no `run`).
    let command_line = rest
        .split_whitespace()
        .any(|w| w.starts_with('-') || w.contains('/') || w.contains('.'));
    if command_line && english(&first.to_ascii_lowercase()) {
        // … but before paths alone, a word one edit from a verb that only reads, makes
        // or records is that verb ("reed src/app.py", "crate a branch called fix/x").
        // (Not "switch" nor "stage": "stitch src/app.py" would throw its edits away,
        // "state src/app.py" stage it.)
        const SAFE: &[&str] = &[
            "create", "read", "show", "list", "open", "view", "display", "branch",
        ];
        if rest.split_whitespace().any(|w| w.starts_with('-')) {
            return None;
        }
        let fixed = nearest(first, SAFE, 1)?;
        return Some(format!("{fixed}{rest}"));
    }
    // An English word is never read as a verb that runs or deletes: "ran it" is no
    // "run it", "rum" no "run", "dealt" no "delete"; and it is read through one edit
    // at most ("pause" is no "push").
    const ACTS: &[&str] = &["run", "execute", "delete", "remove"];
    let english_word = english(&first.to_ascii_lowercase());
    let shows: Vec<&'static str> = VERBS
        .iter()
        .copied()
        .filter(|verb| !english_word || !ACTS.contains(verb))
        .collect();
    // (An English word two edits from a push or a pull is no typo of it: "pause".)
    let far_remote = |verb: &&str| {
        english_word
            && matches!(*verb, "push" | "pull")
            && strsim::damerau_levenshtein(&first.to_ascii_lowercase(), verb) > 1
    };
    let fixed = nearest(first, &shows, 2)
        .filter(|verb| !far_remote(verb))
        .or_else(|| {
            if !command_line {
                return None;
            }
            let commands: Vec<&'static str> = commands
                .iter()
                .copied()
                .filter(|w| !NEVER.contains(w))
                .collect();
            nearest(first, &commands, 1)
        })?;
    Some(format!("{fixed}{rest}"))
}

/// The one word of `vocabulary` nearest to `word`, within one edit for short words and
/// up to `most` for longer ones, when no other is as near; `None` for a word that is
/// right, or known as a word in its own right.
fn nearest(word: &str, vocabulary: &[&'static str], most: usize) -> Option<&'static str> {
    // Most words are right or no word at all: say so before any allocation.
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let known = |w: &str| {
        vocabulary.contains(&w)
            || VERBS.contains(&w)
            || GIT_WORDS.contains(&w)
            || KNOWN.contains(&w)
            || NEVER.contains(&w)
    };
    if lower.len() < 3 || !lower.bytes().all(|b| b.is_ascii_lowercase()) || known(&lower) {
        return None;
    }
    // "commits", "pushes", "staged": a word of the vocabulary inflected, not misspelt.
    let inflected = ["s", "es", "ed", "d", "ing"].iter().any(|suffix| {
        lower
            .strip_suffix(suffix)
            .is_some_and(|stem| vocabulary.contains(&stem) || VERBS.contains(&stem))
    });
    if inflected {
        return None;
    }
    let limit = if lower.len() <= 4 { 1 } else { most };
    let mut scored: Vec<(usize, &'static str)> = vocabulary
        .iter()
        .map(|v| (strsim::damerau_levenshtein(&lower, v), *v))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    match scored.as_slice() {
        [(_, only)] => Some(only),
        [(best, word), (next, _), ..] if best < next => Some(word),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_misspellings_are_read_as_the_word() {
        for (typed, meant) in [
            ("git stauts", "git status"),
            ("git comit -m 'x'", "git commit -m 'x'"),
            ("shwo the diff", "show the diff"),
            ("comitt everything", "commit everything"),
            ("chekcout develop", "checkout develop"),
            ("lits the files", "list the files"),
            ("dleete temp.txt", "delete temp.txt"),
            ("biuld the project", "build the project"),
            (
                "show me the last three comits",
                "show me the last three commits",
            ),
            ("which brach am i on rn", "which branch am i on rn"),
            ("stage everythign in src/", "stage everything in src/"),
            ("comit -m 'fix the brach'", "commit -m 'fix the brach'"),
            ("crago build --release", "cargo build --release"),
            ("doker ps -a", "docker ps -a"),
            ("git reebase -i HEAD~3", "git rebase -i HEAD~3"),
        ] {
            assert_eq!(
                correct(typed, &["cargo", "docker"]).as_deref(),
                Some(meant),
                "{typed}"
            );
        }
    }

    #[test]
    fn right_words_other_words_and_unclear_ones_stay() {
        for typed in [
            "git status",
            "show the diff",
            "lint the code",
            "format main.py",
            "ls -la",
            "git xyzzy",
            "git revert HEAD",
            "make",
            "add binary search to search.py",
            "stuff",
            "just do the thing",
            "handle that",
            "change the default port in config.py",
            "commits",
            "pushes the branch",
            "poll the queue",
            "change the stats page",
            "add a liner",
            "drop the last slash",
            "as stated in the docs, fix parse() in a.py",
        ] {
            assert_eq!(correct(typed, &["cargo", "docker"]), None, "{typed}");
        }
    }
}
