//! The gist of a request no rule's pattern fits: what its words are about, whatever
//! their order. "is my branch clean", "put this work aside for later", "pull the
//! lastest from origin", "zeig mir mal den aktuellen Stand vom Repo" fit no pattern,
//! but their words say status, stash, pull and status. Each word is read as a cue (in
//! English, Spanish, German or French, and through a clear typo), and the cues are read
//! as the canonical request they stand for, which the rules then place as usual.
//!
//! Only a request that names no file, asks about no concept ("what does git stash
//! do") and speaks of no code ("add a status endpoint") is read this way, and only when
//! the rules' patterns placed it as nothing, a question or an edit of nothing.

use crate::route::text::paths_in;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cue {
    State,
    Pending,
    Changed,
    Staged,
    History,
    Commit,
    Push,
    Pull,
    Update,
    Latest,
    Remote,
    Branch,
    Switch,
    Stash,
    Pop,
    Tests,
    Run,
    Build,
    Install,
    Deps,
    Detail,
}

/// Words and the cue each gives.
const CUES: &[(&str, Cue)] = &[
    ("status", Cue::State),
    ("state", Cue::State),
    ("stand", Cue::State),
    ("estado", Cue::State),
    ("état", Cue::State),
    ("clean", Cue::State),
    ("dirty", Cue::State),
    ("uncommitted", Cue::State),
    ("untracked", Cue::State),
    ("unstaged", Cue::State),
    ("pending", Cue::State),
    ("forgot", Cue::Pending),
    ("forget", Cue::Pending),
    ("yet", Cue::Pending),
    ("havent", Cue::Pending),
    ("haven't", Cue::Pending),
    ("unpushed", Cue::Pending),
    ("behind", Cue::Pending),
    ("ahead", Cue::Pending),
    ("already", Cue::Pending),
    ("sin", Cue::Pending),
    ("pendiente", Cue::Pending),
    ("pendientes", Cue::Pending),
    ("commitear", Cue::Commit),
    ("changed", Cue::Changed),
    ("changes", Cue::Changed),
    ("modified", Cue::Changed),
    ("modifications", Cue::Changed),
    ("modification", Cue::Changed),
    ("change", Cue::Changed),
    ("edits", Cue::Changed),
    ("edited", Cue::Changed),
    ("touched", Cue::Changed),
    ("diff", Cue::Changed),
    ("different", Cue::Changed),
    ("alter", Cue::Changed),
    ("altered", Cue::Changed),
    ("änderungen", Cue::Changed),
    ("geändert", Cue::Changed),
    ("cambios", Cue::Changed),
    ("cambiado", Cue::Changed),
    ("modifié", Cue::Changed),
    ("différences", Cue::Changed),
    ("differences", Cue::Changed),
    ("patch", Cue::Changed),
    ("diferencias", Cue::Changed),
    ("unterschiede", Cue::Changed),
    ("staged", Cue::Staged),
    ("staging", Cue::Staged),
    ("staging-area", Cue::Staged),
    ("stagged", Cue::Staged),
    ("stagging", Cue::Staged),
    ("index", Cue::Staged),
    ("cached", Cue::Staged),
    ("history", Cue::History),
    ("log", Cue::History),
    ("historique", Cue::History),
    ("historial", Cue::History),
    ("verlauf", Cue::History),
    ("commits", Cue::History),
    ("committed", Cue::History),
    ("entries", Cue::History),
    ("commit", Cue::Commit),
    ("push", Cue::Push),
    ("pushe", Cue::Push),
    ("pousse", Cue::Push),
    ("pull", Cue::Pull),
    ("fetch", Cue::Pull),
    ("sync", Cue::Pull),
    ("hol", Cue::Pull),
    ("récupère", Cue::Pull),
    ("trae", Cue::Pull),
    ("update", Cue::Update),
    ("refresh", Cue::Update),
    ("date", Cue::Update),
    ("latest", Cue::Latest),
    ("newest", Cue::Latest),
    ("neuesten", Cue::Latest),
    ("derniers", Cue::Latest),
    ("dernières", Cue::Latest),
    ("últimos", Cue::Latest),
    ("origin", Cue::Remote),
    ("remote", Cue::Remote),
    ("server", Cue::Remote),
    ("upstream", Cue::Remote),
    ("servidor", Cue::Remote),
    ("serveur", Cue::Remote),
    ("github", Cue::Remote),
    // What others have published is on the remote.
    ("published", Cue::Remote),
    ("branch", Cue::Branch),
    ("branches", Cue::Branch),
    ("rama", Cue::Branch),
    ("zweig", Cue::Branch),
    ("branche", Cue::Branch),
    ("switch", Cue::Switch),
    ("go", Cue::Switch),
    ("move", Cue::Switch),
    ("jump", Cue::Switch),
    ("hop", Cue::Switch),
    ("checkout", Cue::Switch),
    ("wechsle", Cue::Switch),
    ("cambia", Cue::Switch),
    ("passe", Cue::Switch),
    ("bascule", Cue::Switch),
    ("stash", Cue::Stash),
    ("stashed", Cue::Stash),
    ("aside", Cue::Stash),
    ("apart", Cue::Stash),
    ("away", Cue::Stash),
    ("shelve", Cue::Stash),
    ("park", Cue::Stash),
    ("stow", Cue::Stash),
    ("beiseite", Cue::Stash),
    ("pop", Cue::Pop),
    ("unstash", Cue::Pop),
    ("reapply", Cue::Pop),
    ("back", Cue::Pop),
    ("restore", Cue::Pop),
    ("tests", Cue::Tests),
    ("test", Cue::Tests),
    ("suite", Cue::Tests),
    ("specs", Cue::Tests),
    ("pruebas", Cue::Tests),
    ("run", Cue::Run),
    ("execute", Cue::Run),
    ("launch", Cue::Run),
    ("lance", Cue::Run),
    ("ejecuta", Cue::Run),
    ("führe", Cue::Run),
    ("build", Cue::Build),
    ("compile", Cue::Build),
    ("compila", Cue::Build),
    ("baue", Cue::Build),
    ("install", Cue::Install),
    ("instal", Cue::Install),
    ("installe", Cue::Install),
    ("instala", Cue::Install),
    ("installiere", Cue::Install),
    ("dependencies", Cue::Deps),
    ("deps", Cue::Deps),
    ("requirements", Cue::Deps),
    ("requirement", Cue::Deps),
    ("packages", Cue::Deps),
    ("package", Cue::Deps),
    ("dépendances", Cue::Deps),
    ("dependencias", Cue::Deps),
    ("abhängigkeiten", Cue::Deps),
    ("detail", Cue::Detail),
    ("details", Cue::Detail),
];

/// Words of a request about a concept, not about this repository's state, wherever
/// they stand: "explain the difference between pull and fetch", "I don't get how
/// rebasing works", "a good naming convention for branches".
const CONCEPT: &[&str] = &[
    "mean",
    "means",
    "meaning",
    "difference",
    "differ",
    "vs",
    "versus",
    "explain",
    "why",
    "how",
    "good",
    "best",
    "convention",
    "conventions",
    "practice",
    "practices",
    "idea",
    "erklär",
    "erkläre",
    "explique",
    "explica",
    "warum",
    "wie",
    "pourquoi",
    "comment",
    "cómo",
    "quoi",
    "qu'est-ce",
    "c'est",
    "unterschied",
    "différence",
    "diferencia",
    "safe",
    "bad",
    "wrong",
    "possible",
    "recommended",
];

/// Words that ask about a concept after a question word: "what does git stash do",
/// "que fait git stash".
const ABOUT: &[&str] = &[
    "does", "do", "is", "are", "should", "when", "fait", "macht", "hace", "qué", "que", "was",
    "ist", "es", "est",
];

/// Words that make a request about code, whatever else it says.
const CODE: &[&str] = &[
    "function",
    "functions",
    "method",
    "class",
    "endpoint",
    "api",
    "component",
    "module",
    "variable",
    "script",
    "bug",
    "error",
    "exception",
    "handler",
    "page",
    "button",
    "query",
    "regex",
    "field",
    "struct",
    "enum",
    "loop",
    "parser",
    "code",
    "implement",
    "write",
    "refactor",
    "rename",
    "generate",
    "algorithm",
    "unit",
    "feature",
];

/// What a step that changes the repository acts on: the user's work, not a thing of
/// the program's ("push notifications", "the ad banner", "the user profile").
const WORK: &[&str] = &[
    "work",
    "changes",
    "change",
    "stuff",
    "edits",
    "modifications",
    "everything",
    "all",
    "branch",
    "main",
    "master",
    "develop",
    "local",
    "repo",
    "repository",
    "commits",
    "code",
    "latest",
    "lastest",
    "newest",
    "index",
    "staged",
    "whatever",
    "work-in-progress",
    "wip",
    "stash",
    "stashed",
    "tree",
    "copy",
    "änderungen",
    "cambios",
    "modifiche",
    "neuesten",
    "derniers",
    "últimos",
    "todo",
    "alles",
    "tout",
    "it",
    "this",
    "that",
];

/// The verbs that open each step that changes the repository.
const OPENS_STASH: &[&str] = &[
    "stash", "put", "save", "set", "tuck", "keep", "move", "shelve", "park", "leg", "guarda",
    "mets", "metti",
];
const OPENS_POP: &[&str] = &[
    "bring", "get", "restore", "pop", "unstash", "reapply", "apply", "give", "recover",
];
const OPENS_PULL: &[&str] = &[
    "pull",
    "fetch",
    "sync",
    "update",
    "bring",
    "get",
    "grab",
    "hol",
    "zieh",
    "récupère",
    "trae",
    "refresh",
    "catch",
];
/// Verbs that only do what the next word names ("mach einen pull", "haz commit").
const DO: &[&str] = &["do", "mach", "haz", "fais", "faz", "fai", "fa'"];
const ARTICLES: &[&str] = &["a", "an", "the", "einen", "ein", "un", "una", "une", "uno"];
const OPENS_PUSH: &[&str] = &["push", "get", "send", "ship", "put", "pushe", "pousse"];

/// Words that join steps.
const STEPS: &[&str] = &[
    "then",
    "afterwards",
    "after",
    "before",
    "dann",
    "danach",
    "puis",
    "ensuite",
    "luego",
    "después",
    "also",
];

/// Opening verbs that change code ("add an upload form", "clean up the imports").
const MAKES: &[&str] = &[
    "add", "create", "make", "fix", "remove", "replace", "use", "support", "handle", "allow",
    "return", "convert", "parse", "validate", "optimize", "speed", "clean", "tidy", "format",
    "lint", "delete", "change", "extend", "improve", "simplify", "split", "merge", "sort", "log",
    "notify", "connect", "cache", "retry", "ajoute", "añade", "agrega", "füge", "crée", "crea",
    "erstelle",
];

/// Opening words that ask about a concept when they open the request.
const ASKS: &[&str] = &[
    "what", "what's", "whats", "which", "is", "are", "que", "qué", "was", "quoi",
];

/// The canonical request `core`'s words stand for, when they clearly stand for one.
pub fn canonical(core: &str) -> Option<String> {
    if !paths_in(core).is_empty() || core.contains(['"', '`']) {
        return None;
    }
    let line_by_line = {
        let lower = core.to_lowercase();
        lower.contains("line by line") || lower.contains("line-by-line")
    };
    // "what's queued up for the next commit, line by line": how to show it, said last.
    let core = core
        .trim_end_matches(['?', '!', '.', ' '])
        .strip_suffix(", line by line")
        .unwrap_or(core);
    // "tuck my changes away without committing (them)": what a stash is.
    let core_owned;
    let core = if regex_lite::Regex::new(r"(?i)\b(?:aside|away|apart|stash|shelve|park)\b")
        .is_ok_and(|r| r.is_match(core))
    {
        core_owned = without_committing(core);
        core_owned.as_str()
    } else {
        core
    };
    let lower = core.to_lowercase();
    let mut words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-' || c == '/'))
        .filter(|w| !w.is_empty())
        .collect();
    // "show me line by line what I changed": how to show it, no cue, but the lines
    // are a diff's.
    if let Some(at) = words.windows(3).position(|w| w == ["line", "by", "line"]) {
        words.drain(at..at + 3);
    }
    words.retain(|w| *w != "line-by-line");
    staged_said_in_words(&mut words);
    // "hwo do I undo the last commit?": a question, its first word misspelt.
    if let Some(question) = words
        .first()
        .and_then(|w| crate::route::typos::question_word(w))
    {
        words[0] = question;
    }
    // More than one step ("the last 5 commits and then the diff") is the planner's.
    let trimmed = core.trim_end_matches(['?', '!', '.', ' ']);
    // ("ok everything's committed, publish it to the remote": each clause is read on
    // its own, see `with_reason`.)
    let steps = words.iter().any(|w| STEPS.contains(w))
        || trimmed.contains(['?', ';'])
        || trimmed.contains(". ")
        || trimmed.contains(", ");
    // "push fails", "commit hook broken", "pull conflict": a report, not a step.
    let complaint = words.iter().any(|w| {
        ["fail", "broke", "conflict", "reject", "error", "crash"]
            .iter()
            .any(|c| w.starts_with(c))
            || matches!(*w, "not" | "never")
            // "commit everything w/o the lockfile": a limit no canonical request keeps.
            || matches!(*w, "without" | "w/o" | "except" | "excluding")
            || (w.ends_with("n't") && !matches!(*w, "haven't" | "hasn't"))
    });
    // "what's queued up for the next commit and if it's ok commit it": a condition,
    // which no canonical request keeps ("see if main is fine" asks whether; "until
    // now" is so far).
    let conditioned = words.iter().enumerate().any(|(at, w)| {
        let before = if at > 0 { words[at - 1] } else { "" };
        match *w {
            "if" | "wenn" | "falls" | "si" => !matches!(
                before,
                "see" | "check" | "know" | "tell" | "ask" | "wonder" | "whether"
            ),
            "unless" | "once" => true,
            "until" => words.get(at + 1) != Some(&"now"),
            _ => false,
        }
    });
    if words.is_empty()
        || words.len() > 14
        || conditioned
        || steps
        || (complaint && !core.trim_end().ends_with('?'))
    {
        return None;
    }
    let opener = words
        .iter()
        .position(|w| !matches!(*w, "just" | "please" | "pls" | "now" | "ok" | "so"))
        .unwrap_or(0);
    // "what I changed in the code since my last commit": where the changes are, no code
    // to write.
    let changed_in_code = |at: usize| {
        matches!(words[at], "code" | "codebase")
            && at >= 2
            && words[at - 1] == "the"
            && matches!(words[at - 2], "in" | "to")
            && words[..at].iter().any(|w| cue(w) == Some(Cue::Changed))
    };
    if words
        .iter()
        .enumerate()
        .any(|(at, w)| CODE.contains(w) && !changed_in_code(at))
        || MAKES.contains(&words[opener])
    {
        return None;
    }
    // "what does git stash do", "how do I push": about the concept. "what have I
    // changed", "which branch am I on": about this repository.
    let first = words[0];
    let second = words.get(1).copied().unwrap_or("");
    let asks_about = words[1..].iter().any(|w| ABOUT.contains(w))
        && (ASKS.contains(&first) || ABOUT.contains(&first))
        && !matches!(
            second,
            "i" | "my" | "we" | "our" | "the" | "branch" | "commit"
        );
    // "what's the difference between git fetch and git pull?": a git command named
    // in a question is asked about.
    let names_git = lower.contains("git ") && core.trim_end().ends_with('?');
    // "whats the diff between git fetch and git pull": two of git's commands compared
    // is about them ("the diff between main and develop" compares two branches).
    let compares_commands = words
        .iter()
        .position(|w| *w == "between")
        .is_some_and(|at| {
            let named: Vec<&str> = words[at + 1..]
                .iter()
                .copied()
                .filter(|w| !matches!(*w, "git" | "and" | "&" | "vs" | "the" | "a"))
                .collect();
            named.len() == 2 && named.iter().all(|w| crate::route::typos::is_git_command(w))
        });
    // "should I push now?": advice asked for, not a step.
    let advice = matches!(words[0], "should" | "shall") && core.trim_end().ends_with('?');
    if asks_about
        || names_git
        || compares_commands
        || advice
        || words.iter().any(|w| CONCEPT.contains(w))
    {
        return None;
    }
    let question = core.trim_end().ends_with('?')
        || ASKS.contains(&first)
        || matches!(first, "did" | "have" | "has" | "is" | "are" | "am");
    let cues: Vec<(usize, Cue)> = words
        .iter()
        .enumerate()
        // "what did I change?" asks for the diff; "undo that change", "the change
        // event fires twice" speak of one.
        .filter(|(_, w)| question || **w != "change")
        // "pull up the commit history": brings it to the screen, not from a remote
        // ("pull up the changes from origin", "pull up main" are pulls).
        .filter(|(i, w)| {
            const PULLED: &[&str] = &[
                "to", "origin", "upstream", "remote", "latest", "changes", "updates", "main",
                "master", "develop", "dev", "new", "newest",
            ];
            let shown = words.get(i + 2..).unwrap_or(&[]);
            **w != "pull"
                || words.get(i + 1) != Some(&"up")
                || shown.is_empty()
                || shown.iter().any(|s| PULLED.contains(s))
        })
        .filter_map(|(i, w)| cue(w).map(|c| (i, c)))
        .collect();
    let has = |c: Cue| cues.iter().any(|(_, x)| *x == c);
    let lists_files = words
        .windows(2)
        .any(|w| matches!(w[0], "which" | "what") && w[1] == "files");
    let at = |c: Cue| cues.iter().find(|(_, x)| *x == c).map(|(i, _)| *i);
    let number = words.iter().find_map(|w| w.parse::<u32>().ok());
    let hash = words.iter().find(|w| {
        (7..=40).contains(&w.len())
            && w.bytes().all(|b| b.is_ascii_hexdigit())
            && w.bytes().any(|b| b.is_ascii_digit())
    });
    // "did I forget to push?", "anything I haven't committed yet?": a question about
    // what is left to do is one about the repository's state.
    let asks = core.trim_end().ends_with('?')
        || matches!(
            first,
            "did" | "have" | "has" | "is" | "are" | "am" | "anything" | "any"
        );
    // "did I push everything?", "is my branch up to date with origin?": whether a
    // step was done is the repository's state.
    let done = first == "did" && (has(Cue::Push) || has(Cue::Commit) || has(Cue::Pull));
    let about_remote = asks && (has(Cue::Push) || has(Cue::Pull) || has(Cue::Remote));
    // A step that changes the repository is read only when the request opens with
    // its verb ("put this work aside", "pull the lastest from origin") and names no
    // other thing ("push notifications don't arrive", "fetch the user profile from
    // the server", "move the ad banner aside"); a question only ever reads.
    // "mach einen pull", "haz commit de …": the verb after a verb that only does.
    let mut opener = opener;
    if DO.contains(&words[opener]) && opener + 1 < words.len() {
        opener += 1;
        while opener + 1 < words.len() && ARTICLES.contains(&words[opener]) {
            opener += 1;
        }
    }
    let verb = words[opener];
    let about_work = words.iter().any(|w| WORK.contains(w))
        || cues
            .iter()
            .any(|(_, c)| matches!(c, Cue::History | Cue::Changed | Cue::Staged));
    // "grab whatever my teammates pushed", "what the team published": others' pushes,
    // which a pull brings.
    let others_pushed = words
        .iter()
        // ("get the newest version the team made": made and shared, by the team.)
        .any(|w| {
            matches!(
                *w,
                "pushed" | "published" | "uploaded" | "upstream" | "made"
            )
        })
        && (has(Cue::Latest) || !words.contains(&"made"))
        && words.iter().any(|w| {
            matches!(
                *w,
                "team"
                    | "teammates"
                    | "colleagues"
                    | "coworkers"
                    | "others"
                    | "everyone"
                    | "everybody"
                    | "upstream"
            )
        });
    // ("get me a list of what my teammates pushed": a read of them, no pull.)
    let others_pushed = others_pushed
        && !words.iter().any(|w| {
            matches!(
                *w,
                "list"
                    | "log"
                    | "diff"
                    | "review"
                    | "summary"
                    | "overview"
                    | "history"
                    | "names"
                    | "details"
            )
        })
        && !lower.contains("bring up")
        && !lower.contains("pull up");
    let writes = !asks && (about_work || others_pushed || words.len() <= 3);
    let canonical = if has(Cue::Pending) && asks || done || about_remote {
        "git status".to_string()
    } else if writes && has(Cue::Stash) && has(Cue::Pop) && OPENS_POP.contains(&verb) {
        "git stash pop".to_string()
    } else if writes && has(Cue::Stash) && OPENS_STASH.contains(&verb) {
        "git stash".to_string()
    } else if writes
        && at(Cue::Commit) == Some(opener)
        && cues
            .iter()
            .all(|(_, c)| matches!(c, Cue::Commit | Cue::Staged | Cue::State | Cue::Changed))
    {
        // "just commit whatever is in the index"
        "git commit".to_string()
    } else if let (true, Some(hash)) = (has(Cue::Commit) || has(Cue::Changed), hash) {
        format!("git show {hash}")
    } else if has(Cue::Commit)
        && (has(Cue::Detail) || has(Cue::Latest))
        && !has(Cue::History)
        // ("the latest commit together with its full patch": the commit's own.)
        && (!has(Cue::Changed) || (words.contains(&"patch") && !has(Cue::Staged)))
    {
        "git show".to_string()
    } else if writes
        && OPENS_PULL.contains(&verb)
        && (has(Cue::Pull)
            // ("give me the last changes of server": "last" for "latest".)
            || (has(Cue::Latest)
                || has(Cue::Update)
                || words.contains(&"last")
                    && words
                        .iter()
                        .any(|w| matches!(*w, "changes" | "updates" | "stuff" | "work" | "code")))
                && has(Cue::Remote)
            // "get the latest version from the team", "… of everything".
            || (has(Cue::Latest)
                && words.contains(&"version")
                && words.iter().any(|w| {
                    matches!(*w, "team" | "teammates" | "everyone" | "everything" | "others")
                }))
            // "bring those changes down", "get the new commits down here".
            || words.contains(&"down")
                && words
                    .iter()
                    .any(|w| matches!(*w, "bring" | "get" | "grab" | "fetch" | "pull"))
                && words
                    .iter()
                    .any(|w| matches!(*w, "changes" | "updates" | "commits" | "work"))
            // "bring my copy up to date", "grab whatever is on the server".
            // ("… up to date with main" merges a branch: no pull.)
            || lower.contains("up to date")
                && words
                    .iter()
                    .any(|w| matches!(*w, "copy" | "branch" | "clone" | "checkout" | "repo"))
                && !words.windows(2).any(|pair| {
                    pair[0] == "with" && matches!(pair[1], "main" | "master" | "develop" | "dev")
                })
            || others_pushed)
        && (!has(Cue::Push) || others_pushed)
    {
        "git pull".to_string()
    } else if writes
        && OPENS_PUSH.contains(&verb)
        && (has(Cue::Push)
            || has(Cue::Remote) && words.iter().any(|w| matches!(*w, "to" | "onto" | "up")))
        && !has(Cue::Pull)
    {
        // "get my commits onto the remote"
        "git push".to_string()
    } else if !asks && has(Cue::Switch) && has(Cue::Branch) && at(Cue::Switch) == Some(opener) {
        let name = branch_name(&words, at(Cue::Branch)?)?;
        format!("git checkout {name}")
    } else if has(Cue::Branch)
        && words.iter().any(|w| {
            matches!(
                *w,
                "which" | "what" | "what's" | "whats" | "list" | "show" | "all"
            )
        })
    {
        "git branch".to_string()
    } else if has(Cue::History) && !has(Cue::Changed) {
        match number {
            Some(n) => format!("git log -n {n}"),
            None => "git log".to_string(),
        }
    } else if lists_files && (has(Cue::Changed) || has(Cue::State)) && !line_by_line {
        // "an overview of which files are modified or untracked": their names.
        "git status".to_string()
    } else if has(Cue::Staged) && (has(Cue::Changed) || words.contains(&"diff") || line_by_line) {
        "git diff --staged".to_string()
    } else if has(Cue::Changed) && at(Cue::Commit) != Some(opener) {
        "git diff".to_string()
    } else if has(Cue::State) || has(Cue::Staged) {
        "git status".to_string()
    } else if asks || words.iter().any(|w| matches!(*w, "with" | "using" | "via")) {
        // "get the project compiled, with make": the tool named is the model's to read.
        return None;
    } else if cue(verb) == Some(Cue::Install) && has(Cue::Deps) {
        "install the dependencies".to_string()
    } else if has(Cue::Tests)
        && (matches!(cue(verb), Some(Cue::Run))
            || cue(verb) == Some(Cue::Tests) && words.len() <= 2)
    {
        "run the tests".to_string()
    } else if cue(verb) == Some(Cue::Build) {
        "build the project".to_string()
    } else {
        return None;
    };
    Some(canonical)
}

/// Reads what is staged, said in other words, as "staged": "queued up for the next
/// commit", "in stage". What is said not to be staged ("the edits that aren't queued
/// for the next commit yet", "files I not added still") is "unstaged", no complaint.
fn staged_said_in_words(words: &mut Vec<&str>) {
    const LEADS: &[&str] = &[
        "the", "for", "into", "in", "to", "up", "go", "going", "queued", "lined", "ready",
        "waiting", "headed", "be", "included", "as",
    ];
    if let Some(next) = words
        .windows(2)
        .position(|w| w[0] == "next" && matches!(w[1], "commit" | "snapshot"))
    {
        let mut start = next;
        while start > 0 && LEADS.contains(&words[start - 1]) {
            start -= 1;
        }
        words.splice(start..next + 2, ["staged"]);
    }
    // "the changes lined up to be committed": what the next commit takes.
    if let Some(be) = words
        .windows(2)
        .position(|w| w[0] == "be" && w[1] == "committed")
    {
        let mut start = be;
        while start > 0 && LEADS.contains(&words[start - 1]) {
            start -= 1;
        }
        if start < be {
            words.splice(start..be + 2, ["staged"]);
        }
    }
    for at in 1..words.len() {
        if words[at] == "stage" && matches!(words[at - 1], "in" | "on" | "the") {
            words[at] = "staged";
        }
    }
    let mut at = 0;
    while at < words.len() {
        let negation = matches!(
            words[at],
            "not" | "aren't" | "arent" | "isn't" | "isnt" | "haven't" | "havent"
        );
        let staged = words[at + 1..]
            .iter()
            .take(2)
            .position(|w| matches!(*w, "staged" | "added"));
        if let (true, Some(offset)) = (negation, staged) {
            words.remove(at + 1 + offset);
            words[at] = "unstaged";
        }
        at += 1;
    }
}

/// `core` without "without committing (them)", which only says what a stash is.
fn without_committing(core: &str) -> String {
    static SAID: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(r"(?i),?\s+without\s+(?:committing|a\s+commit|making\s+a\s+commit)(?:\s+(?:them|it|anything))?")
            .expect("the without-committing pattern is a valid regex")
    });
    SAID.replace_all(core, "").into_owned()
}

/// A word's cue, the word as typed or through a clear typo of a cue word.
fn cue(word: &str) -> Option<Cue> {
    if let Some((_, c)) = CUES.iter().find(|(w, _)| *w == word) {
        return Some(*c);
    }
    // "pushed", "stashes": a cue word inflected, never a typo of another.
    for suffix in ["s", "es", "ed", "d", "ing"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && let Some((_, c)) = CUES.iter().find(|(w, _)| *w == stem)
        {
            return Some(*c);
        }
    }

    // A typo only of six letters or more ("async" is no misspelt "sync"), and only in
    // what is no English word: "unstagd" is misspelt, "stated" is a word.
    let chars = word.chars().count();
    if chars < 6
        || !word.chars().all(|c| c.is_ascii_alphabetic())
        || super::super::typos::is_word(word)
        || super::super::typos::english(word)
    {
        return None;
    }
    // One edit: two would read "notifications" as "modifications".
    let limit = 1;
    let mut near: Vec<(usize, Cue)> = CUES
        .iter()
        .map(|(w, c)| (strsim::damerau_levenshtein(word, w), *c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    near.sort_by_key(|(d, _)| *d);
    match near.as_slice() {
        [(_, only)] => Some(*only),
        [(best, c), (next, other), ..] if best < next || c == other => Some(*c),
        _ => None,
    }
}

/// The branch a request names after its branch word or "to": "go over to branch
/// main", "cambia a la rama develop".
fn branch_name<'a>(words: &[&'a str], branch_at: usize) -> Option<&'a str> {
    let after = words.get(branch_at + 1).copied();
    let fillers = [
        "to", "the", "a", "la", "el", "den", "zum", "auf", "de", "sur", "called", "named",
    ];
    after
        .filter(|w| !fillers.contains(w) && cue(w).is_none())
        .or_else(|| {
            let to = words.iter().position(|w| *w == "to")?;
            words
                .get(to + 1)
                .copied()
                .filter(|w| *w != "branch" && *w != "the")
        })
        .filter(|w| w.len() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_any_order_say_what_the_request_is_about() {
        for (typed, meant) in [
            ("is my branch clean", "git status"),
            ("put this work aside for later", "git stash"),
            (
                "bring back the stuff i stashed (stash pop)",
                "git stash pop",
            ),
            ("pull the lastest from origin", "git pull"),
            ("update my local main from the server", "git pull"),
            ("what have I changed since the last commit", "git diff"),
            ("diff of the staged stuff", "git diff --staged"),
            ("go over to branch main", "git checkout main"),
            ("which brnach am i on rn", "git branch"),
            ("zeig mir mal den aktuellen Stand vom Repo", "git status"),
            ("montre-moi l'historique des commits", "git log"),
            ("just commit whatever is in the index", "git commit"),
            ("show me the latest commit in detail", "git show"),
            ("instal the dependancies", "install the dependencies"),
            ("run the whole test suite", "run the tests"),
            ("get my commits onto the remote", "git push"),
            ("bring my branch up to date with the server", "git pull"),
            ("the last 3 things that were committed", "git log -n 3"),
            ("anything i havent commited yet?", "git status"),
            (
                "did I forget to push or is origin already up to date?",
                "git status",
            ),
            (
                "montre-moi les différences depuis le dernier commit",
                "git diff",
            ),
            ("list all the brnaches", "git branch"),
            ("bring back the stuff i stashed earlier", "git stash pop"),
            ("hay algo sin commitear?", "git status"),
            ("did i push everything?", "git status"),
            ("are my changes pushed to github?", "git status"),
            ("is my branch up to date with origin?", "git status"),
            ("send my comits up to github", "git push"),
            ("zieh die neuesten Änderungen vom remote rein", "git pull"),
            ("mach einen pull", "git pull"),
            ("test", "run the tests"),
        ] {
            assert_eq!(canonical(typed).as_deref(), Some(meant), "{typed}");
        }
    }

    #[test]
    fn concepts_code_and_files_are_not_read_for_their_words() {
        for typed in [
            "what does git stash do",
            "explain the difference between pull and fetch",
            "how do I push a new branch",
            "add a status endpoint to the server",
            "write a function that shows the diff of two lists",
            "update config.py to read the branch from the environment",
            "make it faster",
            "is it safe to rebase a pushed branch",
            "what's the difference between git pull and git fetch?",
            "que fait git stash ?",
            "qu'est-ce que l'index dans git ?",
            "what's a good naming convention for branches?",
            "I don't get how async iterators work in JavaScript",
            "the upload form accepts 2GB files, limit it to 50MB",
            "push notifications don't arrive on iOS",
            "the app can't connect to the server, please fix it",
            "log failed logins to the server",
            "fetch the user profile from the server on login",
            "sync the cart with the server on reconnect",
            "commit the db transaction on success",
            "move the ad banner aside on mobile",
            "what's in the stash?",
            "the branch dropdown should switch to main",
            "the CI installs the dependencies twice",
            "tests are flaky",
            "the build is slow on windows",
            "I already pushed to origin but CI doesn't see the commit",
            "show me the last 5 commits and then the diff of my working tree",
            "get the project compiled, with make",
            "install the git hook",
        ] {
            assert_eq!(canonical(typed), None, "{typed}");
        }
    }
}
