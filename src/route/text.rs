//! Small pure helpers for reading requests: politeness stripping, path-like tokens,
//! quoted strings and shell operators. Shared by the rules router and the planner.

/// Words that open a polite request and carry no meaning for routing.
const POLITE_PREFIXES: &[&str] = &[
    "please to ",
    "please ",
    "hey, ",
    "hey ",
    "hi, ",
    "quick one: ",
    "quick one, ",
    "quick question: ",
    "quick check: ",
    "can u please ",
    "can u ",
    "could u ",
    "just ",
    "ok, ",
    "okay, ",
    "ok ",
    "okay ",
    "ok so ",
    "alright, ",
    "right, ",
    "pls ",
    "plz ",
    // "rn make test pls": right now.
    "rn ",
    "kindly ",
    "can you please ",
    "could you please ",
    "would you please ",
    "can you ",
    "could you ",
    "would you ",
    "will you ",
    "i want you to ",
    "i need you to ",
    "i'd like you to ",
    "i would like you to ",
    "i want to ",
    "i'd like to ",
    "i would like to ",
    "i need to ",
    "let's ",
    "lets ",
    "go ahead and ",
    "now ",
    "also ",
    "and ",
    "ok ",
    "okay ",
    "hey ",
    "codey, ",
    "codey ",
    "be so kind as to ",
    // "When you get a chance, could you …": no condition, a courtesy.
    "whenever you get a chance, ",
    "when you get a chance, ",
    "when you have a chance, ",
    "when you get a moment, ",
    "when you have a moment, ",
    "when you have a sec, ",
    "if you get a chance, ",
    "if you have a moment, ",
    // Asked as a question, and left one for a step that changes something ("would it
    // be possible to delete prod.db?"): no "you" in it, so it is not polite.
    "would it be possible to ",
];

const POLITE_SUFFIXES: &[&str] = &[
    " please",
    " pls",
    " plz",
    " for me",
    " thanks",
    " thank you",
    " thx",
    " real quick",
    " quickly",
    " whenever you get a chance",
    " when you get a chance",
    " when you have a moment",
    " when you get a moment",
    " rn",
    // "bring those changes down so I'm up to date": what a pull is for.
    " so i'm up to date",
    " so i am up to date",
    " so we're up to date",
    " so i'm in sync",
    " asap",
    " when you have a chance",
    // The same, in the languages the rules read: "lance `go build` s'il te plaît".
    " s'il te plaît",
    " s'il te plait",
    " s'il vous plaît",
    " s'il vous plait",
    " stp",
    " svp",
    // "roda o make clean pra mim", "esegui i test per me": "for me", in those languages.
    " pra mim",
    " para mim",
    " para mí",
    " para mi",
    " per me",
    " pour moi",
    " für mich",
    // What a step shows is shown: "run tsc --noEmit and tell me what it says".
    // "curl … | bash, can you do that for me": the ask, after the command.
    ", can you do that",
    ", could you do that",
    ", can you run that",
    ", could you run that",
    ", can you run it",
    ", could you run it",
    " and tell me what it says",
    " and tell me what happens",
    " and tell me the result",
    " and tell me the results",
    " and show me the output",
    " and show me",
    " and show me it",
    " and show it me",
    " and show it to me",
    " and show it",
    " and show me what's inside",
    " and show me whats inside",
    " and show me what is inside",
    " and show me what's in it",
    " and show me the contents",
    " and show me the result",
    " and show me the results",
    " and let me see it",
    " and let me see the output",
    " and let me know what it says",
    " and let me know how it goes",
    " and report back",
    " so i can read it",
    " so i can see what it says",
    " so i can see what's in it",
    " so i can see what is in it",
    " so i can get my bearings",
    " so i can see it",
    " so i can look at it",
    " so i can go through it",
    " so i can read through it",
    " so i can see what's left",
    " so i can see what is left",
    " so i can see what's there",
    " so i can see what's in there",
    " so i can read it through",
    " out to me",
    " so i can review it",
    " so i can check it",
    " so i can skim it",
    " so i can have a look",
    " so i can take a look",
];

/// When a request is asked for, said last ("stash my changes quick", "put my work
/// aside for a bit"): stripped only from words, never from a command line's arguments
/// nor a name ("run pytest -k quick", "create a branch called quick").
const TIME_SUFFIXES: &[&str] = &[
    " right now",
    " quick",
    " for now",
    " for the moment",
    " for a bit",
    " for a while",
];

/// Whether the words before a said-last "when" end in something they name or pass on
/// (see `TIME_SUFFIXES`).
fn names_or_passes(head: &str) -> bool {
    let lower = head.to_ascii_lowercase();
    let last = lower.split_whitespace().last().unwrap_or("");
    matches!(
        last,
        "called" | "named" | "as" | "to" | "with" | "for" | "is" | "be" | "name" | "message"
    ) || head.contains(['`', '"', '\''])
        || head.split_whitespace().any(|w| w.starts_with('-'))
        || ["run ", "execute ", "exec ", "rerun ", "re-run "]
            .iter()
            .any(|p| lower.starts_with(p))
}

/// Closings that are also words of a message or a name ("git branch -D cheers",
/// "… to say thank you so much"): stripped only after a comma or a sentence's end.
const CLOSINGS_AFTER_PUNCTUATION: &[&str] = &[
    "thank you so much",
    "thanks a lot",
    "many thanks",
    "thx",
    "cheers",
    "no rush",
    "no hurry",
    "much appreciated",
    "appreciated",
    "appreciate it",
];

/// Whether a clause is a remark about the situation, not something to do: "the CI is
/// red since yesterday", "I broke something", "need the binary asap", "the lockfile
/// changed". One that says what to do or not ("the target is staging", "the .env file
/// is needed", "it isn't ready") is no remark.
pub fn is_remark(clause: &str) -> bool {
    const OPENERS: &[&str] = &[
        "the",
        "it",
        "it's",
        "its",
        "this",
        "that",
        "that's",
        "i",
        "i'm",
        "im",
        "i've",
        "we",
        "we're",
        "my",
        "our",
        "ci",
        "need",
        "because",
        "since",
        "cause",
        "coz",
        "bc",
        "gotta",
        "everything",
        "everything's",
        "something",
    ];
    // What happened or how things stand.
    const STATES: &[&str] = &[
        "changed",
        "broke",
        "broken",
        "failed",
        "fails",
        "failing",
        "since",
        "finished",
        "done",
        "red",
        "green",
        "merged",
        "updated",
        "touched",
        "asap",
        "urgent",
        "yesterday",
        "lately",
        "earlier",
        // "…, I need the directory clean": why, a state wanted.
        "clean",
    ];
    // "need the binary asap", "because the CI is red": a reason by its first word.
    const REASONS: &[&str] = &["need", "because", "since", "cause", "coz", "bc", "gotta"];
    // Words that limit what is asked make a clause part of it.
    const LIMITS: &[&str] = &[
        "not", "no", "never", "keep", "kept", "preserve", "only", "must", "should", "except",
        "but", "without", "unless", "careful", "needed",
    ];
    let lower = clause.trim().to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    !clause.contains(['"', '`', '>', '<', '|', '&', ';', '$', '='])
        && (2..=14).contains(&words.len())
        && OPENERS.contains(&words[0])
        && !words
            .iter()
            .any(|w| LIMITS.contains(w) || w.ends_with("n't"))
        && (REASONS.contains(&words[0]) || words[1..].iter().any(|w| STATES.contains(w)))
}

/// Where a remark after the request starts ("execute uv sync, the lockfile changed",
/// "push. the CI is red since yesterday", "could you pull? the CI is red"): after
/// its last comma, full stop or (after a polite question) question mark, outside
/// quotes ("commit -m 'wip, the CI is red'" is a message). "delete x.log? it's stale"
/// asks whether to, and keeps its question.
fn remark_tail(s: &str, asked_politely: bool) -> Option<usize> {
    let seps: &[&str] = if asked_politely {
        &[", ", ". ", "; ", "? "]
    } else {
        &[", ", ". ", "; "]
    };
    let at = seps.iter().filter_map(|sep| s.rfind(sep)).max()?;
    (at > 0 && !in_quotes_at(s, at) && is_remark(&s[at + 2..])).then_some(at)
}

/// Whether byte `at` of `s` is inside a quoted span.
pub fn in_quotes_at(s: &str, at: usize) -> bool {
    let mut quote = None;
    let mut prev = ' ';
    for c in s[..at].chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if is_opening_quote(c, prev) => quote = Some(closing_quote(c)),
            None => {}
        }
        prev = c;
    }
    quote.is_some()
}

/// `text` without a reason said straight after the path it names, with no comma
/// ("delete tmp/debug.log its huge", "borra old_main.py q ya no sirve", "lösche
/// a.log weil es stört"): the step ends at its path. Only after a path, only a reason
/// by its first word, a few words long and with nothing quoted.
pub fn without_reason_after_path(text: &str) -> &str {
    const REASONS: &[&str] = &[
        "its", "it's", "because", "bc", "cuz", "coz", "cause", "porque", "pq", "weil", "denn",
        "car", "parce", "puisque", "perché", "perche", "poiché", "poiche", "pois", "porquê",
    ];
    // "q ya no sirve", "que ya no se usa": a reason, where "que" alone may say what to
    // write in the file.
    const THAT_NO_LONGER: &[&str] = &["ya", "no"];
    let mut at = 0;
    for word in text.split_inclusive(' ') {
        let bare = trim_sentence_punct(word.trim());
        let end = at + word.len();
        if is_path_like(bare) && bare.contains(['.', '/']) && !in_quotes_at(text, at) {
            let rest = &text[end..];
            let words: Vec<String> = rest.split_whitespace().map(str::to_lowercase).collect();
            let opens = words.first().is_some_and(|w| {
                REASONS.contains(&w.as_str())
                    || (matches!(w.as_str(), "q" | "que")
                        && words
                            .get(1)
                            .is_some_and(|n| THAT_NO_LONGER.contains(&n.as_str())))
            });
            if opens
                && words.len() <= 8
                && !rest.contains(['"', '\'', '`', ',', ';', '|', '&', '?', '!'])
                && says_it_is_useless(&words)
            {
                return text[..end].trim_end();
            }
        }
        at = end;
    }
    text
}

/// Whether the words of a reason only say the thing is of no use ("its huge", "ya no
/// sirve", "weil sie nicht mehr gebraucht wird"): a word for that, every word one such
/// a reason is said with, and no "not" but the one of "no longer".
fn says_it_is_useless(words: &[String]) -> bool {
    const USELESS: &[&str] = &[
        "huge",
        "big",
        "large",
        "massive",
        "bloated",
        "old",
        "stale",
        "outdated",
        "obsolete",
        "unused",
        "useless",
        "junk",
        "garbage",
        "trash",
        "leftover",
        "leftovers",
        "temporary",
        "temp",
        "generated",
        "broken",
        "corrupt",
        "corrupted",
        "empty",
        "duplicate",
        "dupe",
        "anymore",
        "longer",
        "sirve",
        "usa",
        "mehr",
        "plus",
        "più",
        "piu",
        "mais",
        "grande",
        "enorme",
        "énorme",
        "viejo",
        "vieja",
        "alt",
        "alte",
        "riesig",
        "groß",
        "gross",
        "vieux",
        "vecchio",
        "velho",
        "inútil",
        "inutil",
        "inutile",
        "nutzlos",
        "basura",
        "müll",
        "muell",
    ];
    // "no longer", "ya no", "nicht mehr", "ne … plus", "não … mais", "non … più".
    const NO_LONGER: &[&str] = &["anymore", "longer", "mehr", "plus", "più", "piu", "mais"];
    // Every word is one a reason like that is said with: "its old but leave it", "its
    // huge nvm", "weil es alt ist aber lass es" say more.
    const SAID_WITH: &[&str] = &[
        "its",
        "it's",
        "it",
        "is",
        "was",
        "so",
        "too",
        "very",
        "really",
        "super",
        "totally",
        "now",
        "already",
        "kinda",
        "pretty",
        "way",
        "because",
        "bc",
        "cuz",
        "coz",
        "cause",
        "porque",
        "pq",
        "weil",
        "denn",
        "car",
        "parce",
        "que",
        "qu'il",
        "puisque",
        "perché",
        "perche",
        "poiché",
        "poiche",
        "pois",
        "porquê",
        "q",
        "es",
        "ist",
        "sind",
        "er",
        "sie",
        "das",
        "est",
        "il",
        "elle",
        "c'est",
        "è",
        "é",
        "está",
        "esta",
        "son",
        "ya",
        "no",
        "longer",
        "nicht",
        "ne",
        "sert",
        "non",
        "não",
        "nao",
        "se",
        "wird",
        "needed",
        "used",
        "gebraucht",
        "benutzt",
        "usado",
        "utilisé",
        "utilise",
        "usato",
        "and",
        "y",
        "und",
        "et",
        "e",
        "a",
        "an",
        "the",
        "file",
        "one",
        "thing",
        "el",
        "la",
        "der",
        "die",
        "le",
        "lo",
        "o",
    ];
    if !words
        .iter()
        .all(|w| SAID_WITH.contains(&w.as_str()) || USELESS.contains(&w.as_str()))
    {
        return false;
    }
    let no_longer = words.iter().any(|w| NO_LONGER.contains(&w.as_str()))
        || words
            .windows(2)
            .any(|pair| pair[0] == "ya" && pair[1] == "no");
    // The "not"s a reason said with those words may hold; any other word of doubt,
    // waiting or keeping ("its old but leave it", "because we must keep it") failed the
    // test above.
    let says_not = words
        .iter()
        .any(|w| matches!(w.as_str(), "no" | "nicht" | "ne" | "non" | "não" | "nao"));
    words.iter().any(|w| USELESS.contains(&w.as_str())) && (!says_not || no_longer)
}

/// `core` without a remark after what it asks ("execute uv sync, the lockfile
/// changed"; after a polite question, "could you pull? the CI is red"): what a
/// tool's step is read from. An edit or a question keeps it, as it tells the model
/// more.
pub fn without_remark(text: &str, asked_politely: bool) -> &str {
    let mut s = text;
    while let Some(at) = remark_tail(s, asked_politely).or_else(|| purpose_tail(s)) {
        // "… please, need the binary asap": the closing before the remark too.
        s = core(&s[..at]).0;
    }
    s
}

/// Where a purpose said after a step starts ("pull so the machine is in a clean
/// state", "run make so I can see if it builds"): "so", then a few words about how
/// things will be, no path and nothing quoted.
fn purpose_tail(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    let at = lower.rfind(" so ")?;
    let tail = &lower[at + 4..];
    let tail = tail.strip_prefix("that ").unwrap_or(tail);
    let opens = [
        "the ",
        "my ",
        "it ",
        "it's ",
        "its ",
        "i ",
        "i'm ",
        "we ",
        "everything ",
        "nothing ",
        "there ",
        "nobody ",
        "no one ",
    ]
    .iter()
    .any(|w| tail.starts_with(w));
    // To the end of one clause, and saying nothing of the step ("push so the tree is
    // clean. Don't.", "… so it's done, but don't" say more); nor after a command
    // line, whose words are its own (`git clean -fdx so nobody does it`).
    const SAYS_MORE: &[&str] = &[
        "not", "no", "never", "but", "unless", "until", "if", "wait", "hold", "later", "tomorrow",
        "maybe", "don't", "dont", "only", "before", "after",
    ];
    // ("… so I don't break main": a purpose, said with a no of its own.)
    static OWN_NO: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(
            r"^(?:i|we|it|that|nobody)\s+(?:don't|doesn't|won't|can't|dont|doesnt|wont)\s",
        )
        .expect("the own-no pattern is a valid regex")
    });
    let own_no = OWN_NO.find(tail).map_or(0, |m| m.end());
    // ("push so it's done once Bob approves": a condition, which no purpose carries.)
    let says_more = tail[own_no..]
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .any(|w| SAYS_MORE.contains(&w) || w.ends_with("n't"))
        || {
            // "so I don't lose it": the loss is what the purpose avoids.
            let rest = &tail[own_no..];
            let rest = if own_no > 0 {
                rest.replace("lose", "").replace("losing", "")
            } else {
                rest.to_string()
            };
            !crate::route::rules::context_only(&rest)
        };
    // A mark that ends the request ends the purpose too.
    let tail = tail.trim_end_matches(['?', '.', '!', ' ']);
    (at > 0
        && opens
        && !says_more
        && !tail.contains(['.', ',', ';', ':', '!', '?', '-', '—', '–'])
        && tail.split_whitespace().count() <= 10
        && !in_quotes_at(s, at)
        && !s[at..].contains(['"', '`'])
        && paths_in(&s[at..]).is_empty()
        && !crate::route::rules::is_command_line(&s[..at])
        && !starts_with_ci(s, "git "))
    .then_some(at)
}

/// Where a closing request for a report starts ("… and tell me what it complains
/// about", "… and let me know if anything fails"): a few words, after a step.
fn report_tail(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    let (at, opening) = ["and tell me ", "and let me know "]
        .iter()
        .filter_map(|opening| lower.rfind(opening).map(|at| (at, opening.len())))
        .max()?;
    let tail = &s[at..];
    // What is reported on, not something else to tell ("… and tell me the time").
    let asks = [
        "what ",
        "how ",
        "if ",
        "whether ",
        "which ",
        "the result",
        "the output",
    ]
    .iter()
    .any(|w| lower[at + opening..].starts_with(w));
    (at > 0
        && asks
        && s[..at].ends_with(' ')
        && tail.split_whitespace().count() <= 9
        && !tail.contains(['"', '\'', '`']))
    .then_some(at)
}

/// Where "run that" starts after what is to be run ("pytest -x tests/test_api.py run
/// that for me"): two words or more before it, not ending in a word that joins it to
/// a step of its own ("write x.sh and run it"). `npm run it` keeps its words.
fn run_that_tail(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    let at = [
        " run that",
        " run it",
        " run this",
        " execute that",
        " execute it",
    ]
    .iter()
    .find(|tail| lower.ends_with(*tail))
    .map(|tail| s.len() - tail.len())?;
    // "cargo test please run it": the "please" goes with it.
    let at = [" please", " pls", " plz"]
        .iter()
        .find(|p| lower[..at].ends_with(*p))
        .map_or(at, |p| at - p.len());
    let head: Vec<&str> = lower[..at].split_whitespace().collect();
    // "… and run it", "can you run that": the words before ask, they are not run.
    let joined = head.last().is_some_and(|w| {
        matches!(
            *w,
            "and"
                | "then"
                | "&&"
                | "y"
                | "und"
                | "et"
                | "e"
                | "you"
                | "u"
                | "please"
                | "pls"
                | "plz"
                | "just"
                | "to"
                | "can"
                | "could"
                | "would"
                | "will"
                | "me"
        ) || w.ends_with([',', ';', '?', '.', '!'])
    });
    // "make deploy dont run it", "… don’t run it", "… nah run it": said not to, or
    // doubted, and the words stay to say so.
    let doubted = head.iter().any(|w| {
        let w = w.replace('’', "'");
        w.ends_with("n't")
            || matches!(
                w.as_str(),
                "dont"
                    | "cant"
                    | "wont"
                    | "couldnt"
                    | "shouldnt"
                    | "wouldnt"
                    | "mustnt"
                    | "didnt"
                    | "doesnt"
                    | "isnt"
                    | "cannot"
                    | "never"
                    | "not"
                    | "no"
                    | "nope"
                    | "nah"
                    | "maybe"
                    | "perhaps"
                    | "idk"
                    | "or"
                    | "jk"
                    | "lol"
                    | "nicht"
                    | "nein"
                    | "ne"
                    | "pas"
                    | "non"
                    | "nao"
                    | "não"
                    | "nunca"
                    | "jamais"
                    | "mai"
            )
            || w.starts_with("hmm")
    });
    (head.len() >= 2
        && !joined
        && !doubted
        && !s[..at].contains(['\n', '?'])
        && !in_quotes_at(s, at))
    .then_some(at)
}

/// The length of an opening "can you" typed with a slip ("cna you", "coudl you",
/// "woudl u"), which is as polite as one typed right.
fn misspelt_polite_opening(s: &str) -> Option<usize> {
    let mut words = s.splitn(3, ' ');
    let (first, second) = (words.next()?, words.next()?);
    let lower = first.to_ascii_lowercase();
    let near = ["can", "could", "would", "will"]
        .iter()
        .any(|w| strsim::damerau_levenshtein(&lower, w) == 1);
    (near
        && matches!(
            second.to_ascii_lowercase().as_str(),
            "you" | "u" | "yuo" | "yu"
        )
        && lower.bytes().all(|b| b.is_ascii_lowercase())
        && !super::typos::english(&lower))
    .then(|| first.len() + 1 + second.len())
}

/// Trims a request and strips polite openings and closings, returning a slice of the
/// original so that parameters keep their case. `polite` tells whether a "can you"-style
/// opening was removed, which turns a trailing `?` into plain punctuation.
pub fn core(request: &str) -> (&str, bool) {
    let mut s = request.trim();
    let mut polite = false;
    loop {
        let before = s.len();
        if let Some(len) = misspelt_polite_opening(s) {
            polite = true;
            s = s[len..].trim_start();
        }
        if let Some(len) = before_a_break(s) {
            s = s[len..].trim_start();
        }
        // "Grab the newest stuff from origin, would you?": the ask said after it.
        for tag in [" would you", " could you", " can you", " will you"] {
            let body = s.trim_end_matches(['?', ' ']);
            if ends_with_ci(body, tag) && body.len() > tag.len() {
                let asked = &body[..body.len() - tag.len()];
                // ("what can you?" asks what.)
                let words = asked.split_whitespace().count();
                let first = asked.split_whitespace().next().unwrap_or("");
                // ("delete prod.db? Why would you?" reproaches.)
                let last = asked
                    .split_whitespace()
                    .last()
                    .unwrap_or("")
                    .trim_end_matches(',');
                // ("push, why would you": a reproach too.)
                if !asked.contains(['?', '!', '？'])
                    && !is_question_word(last)
                    && (asked.ends_with(',') || (words >= 2 && !is_question_word(first)))
                {
                    polite = true;
                    s = asked.trim_end_matches([' ', ',']);
                }
            }
        }
        // "I want see the difference", "i wanna check the log": the want, said
        // without its "to".
        for want in ["i want ", "i wanna ", "i would like ", "i need "] {
            if starts_with_ci(s, want) {
                let next = s[want.len()..].split_whitespace().next().unwrap_or("");
                if ["see", "know", "check", "look", "view", "read"]
                    .iter()
                    .any(|verb| next.eq_ignore_ascii_case(verb))
                {
                    s = s[want.len()..].trim_start();
                }
            }
        }
        for prefix in POLITE_PREFIXES {
            if starts_with_ci(s, prefix) {
                if prefix.contains("you") || prefix.ends_with(" u ") {
                    polite = true;
                }
                s = s[prefix.len()..].trim_start();
            }
        }
        s = s.trim_end_matches(['!', ' ', ',']);
        // A full stop ends the sentence, but `git add .` and `./...` end with a path.
        if let Some(body) = s.strip_suffix('.')
            && body.ends_with(|c: char| c.is_alphanumeric() || matches!(c, ')' | '"' | '\'' | '`'))
        {
            s = body;
        }
        if polite {
            s = s.trim_end_matches(['?', ' ']);
        }
        for suffix in POLITE_SUFFIXES {
            if ends_with_ci(s, suffix) {
                s = s[..s.len() - suffix.len()].trim_end_matches([' ', ',']);
            }
        }
        for suffix in TIME_SUFFIXES {
            if ends_with_ci(s, suffix) {
                let head = s[..s.len() - suffix.len()].trim_end_matches([' ', ',']);
                if !names_or_passes(head) {
                    s = head;
                }
            }
        }
        if let Some(at) = report_tail(s) {
            s = s[..at].trim_end_matches([' ', ',']);
        }
        if let Some(at) = run_that_tail(s) {
            s = &s[..at];
        }
        for closing in CLOSINGS_AFTER_PUNCTUATION {
            if ends_with_ci(s, closing) {
                let head = &s[..s.len() - closing.len()];
                if head.ends_with(' ') && head.trim_end().ends_with([',', '.', '!', '?', ';']) {
                    s = head.trim_end_matches([' ', ',', ';']);
                }
            }
        }
        if s.len() == before {
            return (s, polite);
        }
    }
}

/// The length of an opening that says the ask is for now, before a break ("before
/// lunch, could you commit …", "before I head out can you push?"), when a polite ask
/// or a want ("before lunch I want to park my changes") follows it: when to do it is
/// now.
fn before_a_break(s: &str) -> Option<usize> {
    static BREAK: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(r"(?i)^(before\s+(?:lunch|the\s+(?:meeting|standup|demo|call|weekend)|standup|eod|the\s+end\s+of\s+the\s+day|i\s+(?:go|leave|forget|head\s+out|head|log\s+off|sign\s+off|call\s+it\s+a\s+day)(?:\s+(?:to\s+lunch|for\s+(?:lunch|the\s+day|the\s+weekend)|home))?)\s*[,:—–-]?\s+)(?:(?:can|could|would|will)\s+(?:you|u)|please|pls|i\s+(?:want|need|'d\s+like|would\s+like)\s+to)\b")
            .expect("the break pattern is a valid regex")
    });
    Some(BREAK.captures(s)?.get(1)?.end())
}

/// Whether a word opens a question ("what", "How").
pub fn is_question_word(word: &str) -> bool {
    [
        "what", "how", "why", "which", "who", "where", "when", "whats", "what's",
    ]
    .iter()
    .any(|q| word.eq_ignore_ascii_case(q))
}

/// A request typed with caps lock on ("GIT STATUS", "DELETE TEMP.TXT"), in lower case
/// except for what is a name: paths, quoted text and the word after "called" or
/// "named". `None` for a request with any lower-case letter in it.
pub fn uncapitalised(core: &str) -> Option<String> {
    // "COMMIT -m 'release 3.0'": a message in quotes is typed as meant.
    // Nor are a command's flags ("-m").
    let plain = unquoted(core);
    let words = || plain.split_whitespace().filter(|w| !w.starts_with('-'));
    if words().any(|w| w.bytes().any(|b| b.is_ascii_lowercase()))
        || words()
            .flat_map(str::bytes)
            .filter(u8::is_ascii_uppercase)
            .count()
            < 3
    {
        return None;
    }
    let mut out = String::with_capacity(core.len());
    let mut name_next = false;
    let mut quote: Option<char> = None;
    for (i, word) in core.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let opens = word.starts_with(['"', '\'', '`']);
        // "SHOW HEAD~2": a revision is a name too.
        let keep = quote.is_some()
            || opens
            || name_next
            || is_path_like(trim_sentence_punct(word))
            || word.starts_with("HEAD");
        if let Some(q) = quote {
            if word.ends_with(q) {
                quote = None;
            }
        } else if opens {
            let q = word.chars().next().unwrap_or('"');
            if word.len() == 1 || !word[1..].ends_with(q) {
                quote = Some(q);
            }
        }
        name_next = matches!(word, "CALLED" | "NAMED");
        if keep {
            out.push_str(word);
        } else {
            out.push_str(&word.to_lowercase());
        }
    }
    Some(out)
}

pub fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

pub fn contains_ci(s: &str, needle: &str) -> bool {
    s.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

pub fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.is_char_boundary(s.len() - suffix.len())
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// File names without an extension that are still obviously files.
const BARE_FILE_NAMES: &[&str] = &[
    "Makefile",
    "Dockerfile",
    "LICENSE",
    "README",
    "CHANGELOG",
    "Procfile",
    "Gemfile",
    "Rakefile",
    "Justfile",
    "Jenkinsfile",
    "Vagrantfile",
    "CODEOWNERS",
];

/// Whether a path reads as a folder's: it has a folder before it and its own name has
/// no extension and is no well-known file ("pkg/server", not "bin/setup.sh" or
/// "docs/Makefile").
pub fn names_folder(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    path.contains(['/', '\\'])
        && !name.is_empty()
        && !name.contains('.')
        && !BARE_FILE_NAMES.contains(&name)
}

/// Trailing punctuation that belongs to the sentence, not to a path.
fn trim_sentence_punct(token: &str) -> &str {
    token.trim_end_matches([',', '.', '!', '?', ';', ':', ')', '\'', '"', '`'])
}

/// Whether a token looks like a file path: a name with an extension, something with a
/// directory separator, or a well-known extension-less file name.
pub fn is_path_like(token: &str) -> bool {
    if token.is_empty()
        || token.len() > 255
        || token.contains("://")
        // "w/" and "w/o": "with" and "without", typed fast.
        || ["e.g", "i.e", "etc", "vs", "w/", "w/o", "b/c"].contains(&token.to_ascii_lowercase().as_str())
    {
        return false;
    }
    if !token
        .chars()
        .all(|c| c.is_alphanumeric() || "._-/~@+\\".contains(c))
    {
        return false;
    }
    if BARE_FILE_NAMES.contains(&token) {
        return true;
    }
    if is_email(token) {
        return false;
    }
    // `src\app.py`: a path as Windows writes it.
    let name = token.rsplit(['/', '\\']).next().unwrap_or(token);
    let has_dir = token.contains(['/', '\\']) && token.chars().any(char::is_alphanumeric);
    let has_ext = match name.rsplit_once('.') {
        // `.env`, `.gitignore`: a dotfile is a file.
        Some(("", ext)) => !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric()),
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=10).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && ext.chars().any(|c| c.is_ascii_alphabetic())
                && !is_member(stem, ext)
        }
        None => false,
    };
    has_ext || has_dir
}

/// Whether a token is an e-mail address (`noreply@example.com`), not a file: one `@`
/// after a name, no folder, and a domain ending as domains do (`icon@2x.png` is a file).
fn is_email(token: &str) -> bool {
    const DOMAINS: &[&str] = &[
        "com", "org", "net", "io", "dev", "edu", "gov", "de", "fr", "es", "it", "pt", "br", "nl",
        "pl", "uk", "co", "ai", "app", "me", "info", "ch", "at", "eu", "us", "ca", "jp", "cn",
    ];
    let Some((name, domain)) = token.split_once('@') else {
        return false;
    };
    !name.is_empty()
        && !token.contains(['/', '\\'])
        && !domain.contains('@')
        && domain.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty() && DOMAINS.contains(&tld.to_ascii_lowercase().as_str())
        })
}

/// Whether `stem.ext` reads as a member of a definition in code (`Circle.area`,
/// `LRUCache.evict`, `self.items`) rather than a file: an identifier before the dot, an
/// identifier of four letters or more after it that no common file ends with. A file
/// with an unusual short ending (`notes.rst`, `main.tf`) stays a file.
fn is_member(stem: &str, ext: &str) -> bool {
    let identifier = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    identifier(stem)
        && !stem.contains('.')
        && ext.len() >= 4
        && ext.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        && !LONG_EXTENSIONS.contains(&ext)
}

/// File endings of four letters or more, for `is_member`.
const LONG_EXTENSIONS: &[&str] = &[
    "json",
    "jsonl",
    "jsonc",
    "json5",
    "ndjson",
    "yaml",
    "toml",
    "html",
    "xhtml",
    "scss",
    "sass",
    "less",
    "conf",
    "lock",
    "java",
    "bash",
    "fish",
    "psql",
    "ipynb",
    "adoc",
    "parquet",
    "gguf",
    "safetensors",
    "svelte",
    "proto",
    "xlsx",
    "docx",
    "pptx",
    "jpeg",
    "tiff",
    "webp",
    "avif",
    "heic",
    "woff",
    "properties",
    "gradle",
    "swift",
    "dart",
    "scala",
    "groovy",
    "cabal",
    "markdown",
    "text",
    "sqlite",
    "patch",
    "diff",
    "orig",
    "tmpl",
    "plist",
    "gemspec",
    "podspec",
    "csproj",
    "vcxproj",
    "fsproj",
    "cmake",
    "ninja",
    "make",
    "bazel",
    "star",
    "cljs",
    "purs",
    "lisp",
    "psm1",
    "cuda",
    "metal",
    "glsl",
    "hlsl",
    "wgsl",
    "vert",
    "frag",
    "comp",
    "shader",
    "move",
    "cairo",
    "vyper",
    "graphql",
    "prisma",
    "avsc",
    "thrift",
    "capnp",
    "wasm",
    "wast",
    "xslt",
    "webm",
    "flac",
    "opus",
    "midi",
    "mpeg",
    "crate",
    "nupkg",
    "logs",
    "sock",
    "temp",
    "cache",
    "data",
    "dump",
    "pickle",
    "hdf5",
    "feather",
    "arrow",
    "avro",
    "onnx",
    "tflite",
    "ckpt",
    "weights",
    "keras",
    "mlmodel",
    "cert",
    "keystore",
    "htaccess",
    "nginx",
    "service",
    "timer",
    "socket",
    "mount",
    "desktop",
    "manifest",
    "spec",
    "template",
    "example",
    "sample",
    "dist",
    "local",
    "development",
    "production",
    "staging",
    "test",
    "tests",
    "config",
    "tsbuildinfo",
    "mjml",
    "vtt",
    "twig",
    "liquid",
    "mustache",
    "handlebars",
    "jinja",
    "editorconfig",
    "gitignore",
    "gitattributes",
    "dockerignore",
    "npmrc",
    "yarnrc",
    "babelrc",
    "eslintrc",
    "prettierrc",
    "env",
];

/// Path-like tokens of a request, in order and without repeats. Text inside quotes is
/// not searched: it is a message, not a file.
pub fn paths_in(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for word in unquoted(text).split_whitespace() {
        let word = word.trim_start_matches(['(', '`', '\'', '"']);
        let word = trim_sentence_punct(word);
        if is_path_like(word) && !found.iter().any(|f| f == word) {
            found.push(word.to_string());
        }
    }
    found
}

/// The text with every quoted span blanked out (byte offsets are kept).
pub fn unquoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for c in text.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
            Some(_) => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
            None if is_opening_quote(c, prev) => {
                quote = Some(closing_quote(c));
                out.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
            None => out.push(c),
        }
        prev = c;
    }
    out
}

/// A request made ready to read: tidied (see `tidy`), its ask said with a gerund said
/// plainly (see `mind_asked`), and a path read apart from the word for what it is
/// (see `apart_from_its_kind`).
pub fn prepared(request: &str) -> std::borrow::Cow<'_, str> {
    let tidy = tidy(request);
    let tidy = mind_asked(&tidy).map_or(tidy, std::borrow::Cow::Owned);
    apart_from_its_kind(&tidy).map_or(tidy, std::borrow::Cow::Owned)
}

/// "lösch den .git-Ordner", "öffne die config.toml-Datei", "delete the .git-folder": a
/// path joined by a hyphen to the word for what it is, as German and Dutch write
/// compounds (a capitalised noun), read apart ("den .git Ordner"); `None` when there
/// is none. Quoted text and command lines are left as typed: "prod.db-map" may be a
/// file's own name.
pub fn apart_from_its_kind(text: &str) -> Option<String> {
    static JOINED: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(
            r"(\S*\.[A-Za-z0-9_]+)-(Ordner|Verzeichnis|Datei|Map|Mappe|Bestand)\b|((?:^|\s)\.git)-((?i:folder|directory|dir))\b",
        )
        .expect("the joined-path pattern is a valid regex")
    });
    // (A command line's words are file names: `rm prod.db-map` removes that file.)
    (!text.contains(['"', '\'', '`'])
        && JOINED.is_match(text)
        && !crate::route::rules::is_command_line(text.trim()))
    .then(|| JOINED.replace_all(text, "$1$3 $2$4").into_owned())
}

/// "would you mind deleting old.sql?", "do you mind running make": the ask said with
/// a gerund, as "could you delete old.sql?"; `None` when there is none.
pub fn mind_asked(text: &str) -> Option<String> {
    static MIND: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(r"(?i)\b(?:would|do|could|will)\s+(?:you|u)\s+mind\s+([a-z]+)ing\b")
            .expect("the mind pattern is a valid regex")
    });
    // Verbs whose gerund drops an "e" ("deleting", "staging").
    const E: &[&str] = &[
        "delete",
        "stage",
        "create",
        "remove",
        "make",
        "write",
        "update",
        "merge",
        "rebase",
        "use",
        "close",
        "move",
        "share",
        "change",
        "rename",
        "compile",
        "configure",
        "execute",
        "save",
        "take",
        "give",
        "type",
        "serve",
        "tidy",
    ];
    // Most requests say no "mind" (and a plan's steps, read here once as the whole
    // request, come back without one): no pattern to run for them.
    if !contains_ci(text, "mind") {
        return None;
    }
    let caps = MIND.captures(text)?;
    let stem = caps.get(1)?.as_str();
    let lower = stem.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let verb = if E.contains(&format!("{lower}e").as_str()) {
        format!("{stem}e")
    } else if bytes.len() >= 3
        && bytes[bytes.len() - 1] == bytes[bytes.len() - 2]
        && !matches!(bytes[bytes.len() - 1], b'l' | b's' | b'f' | b'z')
    {
        // "running", "committing", "stopping".
        stem[..stem.len() - 1].to_string()
    } else {
        stem.to_string()
    };
    let whole = caps.get(0)?;
    Some(format!(
        "{}could you {verb}{}",
        &text[..whole.start()],
        &text[whole.end()..]
    ))
}

/// A request as typed in a chat rather than a terminal, read as plain text: a shell
/// prompt before a command (`$ git status`, `> npm test`), markdown emphasis
/// (`**run** the tests`), emoji (a sentence's end where text goes on after one, as in
/// "push 👍 the CI is red"), "w/" for "with", and runs of spaces outside quotes.
/// Borrowed when there is nothing to tidy, which is most requests.
/// Whether a character is an emoji or a pictograph (or joins or styles one), which
/// `tidy` drops from what is read.
pub fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0F | 0x200D)
}

pub fn tidy(text: &str) -> std::borrow::Cow<'_, str> {
    let emoji = is_emoji;
    let trimmed = text.trim();
    let prompt = ["$ ", "> ", "% "]
        .iter()
        .any(|p| trimmed.starts_with(p) && trimmed.len() > p.len());
    if !prompt
        && !text.contains("**")
        && !text.contains("  ")
        && !text.contains("w/ m")
        && !text.contains("w/ the m")
        && !text.contains("w/ commit m")
        && !text.chars().any(emoji)
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut body = trimmed;
    if prompt {
        body = body[2..].trim_start();
    }
    let mut out = String::with_capacity(body.len());
    let mut quote: Option<char> = None;
    let mut bold = false;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
                continue;
            }
            None if matches!(c, '"' | '`')
                || (c == '\'' && !out.ends_with(char::is_alphanumeric)) =>
            {
                if body[i + c.len_utf8()..].contains(c) {
                    quote = Some(c);
                }
                out.push(c);
                continue;
            }
            None => {}
        }
        // "**run** the tests": emphasis, a pair around words; `**/*.rs` and `2**10`
        // are a glob and a power, kept.
        if c == '*' && body[i..].starts_with("**") {
            let after = body[i + 2..].chars().next();
            let opens = !bold
                && out.chars().next_back().is_none_or(char::is_whitespace)
                && after.is_some_and(char::is_alphanumeric)
                && body[i + 2..].contains("**");
            let closes = bold
                && out.chars().next_back().is_some_and(|p| !p.is_whitespace())
                && after.is_none_or(|a| a.is_whitespace() || ",.;:!?".contains(a));
            if opens || closes {
                bold = opens;
                chars.next();
                continue;
            }
        }
        if emoji(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(at, n)) = chars.peek() {
                if !(emoji(n) || n == ' ') {
                    break;
                }
                end = at + n.len_utf8();
                chars.next();
            }
            let rest = &body[end..];
            // "commit with message 🐛 fix login": an emoji inside the words is theirs;
            // one at the end, or before a remark ("push 👍 the CI is red"), is none.
            if !rest.is_empty() && !is_remark(rest) {
                out.push_str(&body[i..end]);
                continue;
            }
            let head = out.trim_end().len();
            out.truncate(head);
            if head > 0 && !rest.is_empty() {
                if !out.ends_with(['.', '!', '?', ',', ';', ':']) {
                    out.push('.');
                }
                out.push(' ');
            }
            continue;
        }
        // Runs of spaces, only in a request with no quote at all: the shell's own
        // quoting (`echo it's  a   test`) is not read here.
        if c == ' ' && out.ends_with(' ') && !body.contains(['\'', '"', '`']) {
            continue;
        }
        // "w/ msg": with a message ("the fix w/ the tests" is no message).
        if c == 'w'
            && [
                "w/ msg",
                "w/ message",
                "w/ the message",
                "w/ commit message",
            ]
            .iter()
            .any(|w| body[i..].starts_with(w))
            && !out.ends_with(|p: char| p.is_alphanumeric() || p == '/')
        {
            out.push_str("with");
            chars.next();
            continue;
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out.trim().to_string())
}

/// The request with typographic quotes around a span written as ASCII double quotes:
/// `«atualiza dependências»`, `« corrige le bug »`, `„release-2.1“`, `“fix”`, `‹x›`.
/// Every reader of a request (the rules, the planner, parameters) then sees one kind of
/// quote. Left as typed when the request holds an ASCII double quote or a backtick (a
/// typographic quote may be part of a quoted message or command) or a pair does not
/// close.
pub fn plain_quotes(text: &str) -> std::borrow::Cow<'_, str> {
    const OPENERS: &[(char, &[char])] = &[
        ('«', &['»']),
        ('„', &['“', '”']),
        ('“', &['”']),
        ('‹', &['›']),
    ];
    let opens = |c: char| {
        OPENERS
            .iter()
            .find(|(o, _)| *o == c)
            .map(|(_, close)| *close)
    };
    // "commit -m 'say “hello”'": an ASCII quote may hold typographic ones, kept.
    let single_quoted = text.char_indices().any(|(i, c)| {
        c == '\''
            && text[..i]
                .chars()
                .next_back()
                .is_none_or(|p| !p.is_alphanumeric())
    });
    if !text.contains(|c: char| opens(c).is_some()) || text.contains(['"', '`']) || single_quoted {
        return std::borrow::Cow::Borrowed(text);
    }
    let padding = |c: char| c == ' ' || c == '\u{a0}' || c == '\u{202f}';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, open)) = rest.char_indices().find(|&(_, c)| opens(c).is_some()) {
        let closers = opens(open).unwrap_or_default();
        let body_start = at + open.len_utf8();
        let Some(len) = rest[body_start..].find(closers) else {
            break;
        };
        let body = rest[body_start..body_start + len].trim_matches(padding);
        let close = rest[body_start + len..].chars().next().unwrap_or(' ');
        out.push_str(&rest[..at]);
        if body.is_empty() {
            out.push_str(&rest[at..body_start + len + close.len_utf8()]);
        } else {
            out.push('"');
            out.push_str(body);
            out.push('"');
        }
        rest = &rest[body_start + len + close.len_utf8()..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// A quote only opens a quoted span at the start of a word: the apostrophe in
/// "what's" is not a quote.
fn is_opening_quote(c: char, prev: char) -> bool {
    match c {
        '"' | '`' | '“' => true,
        '\'' | '‘' => !prev.is_alphanumeric(),
        _ => false,
    }
}

fn closing_quote(open: char) -> char {
    match open {
        '“' => '”',
        '‘' => '’',
        c => c,
    }
}

/// The first quoted string at or after byte `from`: the text between its opening quote
/// and the last matching closing quote before the end of the text (so a message may
/// itself contain the quote character). Returns the content and the byte range of the
/// whole quoted span.
pub fn quoted_at(text: &str, from: usize) -> Option<(&str, std::ops::Range<usize>)> {
    let rest = &text[from..];
    let mut prev = ' ';
    for (i, c) in rest.char_indices() {
        if is_opening_quote(c, prev) {
            let open = from + i;
            let body_start = open + c.len_utf8();
            let close = closing_quote(c);
            let end = text[body_start..].rfind(close)? + body_start;
            return Some((&text[body_start..end], open..end + close.len_utf8()));
        }
        if !c.is_whitespace() && !matches!(c, ':' | '=') {
            return None;
        }
        prev = c;
    }
    None
}

/// Every quoted string in the text, in order: the content between a quote that opens
/// at the start of a word and its last matching quote (see [`quoted_at`]). The
/// apostrophes of "I've" and "it's" open nothing.
pub fn quoted_spans(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut prev = ' ';
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if i >= skip_to
            && is_opening_quote(c, prev)
            && let Some((body, span)) = quoted_at(text, i)
        {
            if !body.trim().is_empty() {
                out.push(body);
            }
            skip_to = span.end;
        }
        prev = c;
    }
    out
}

/// Whether a command line uses shell syntax outside quotes (pipes, lists,
/// redirections, substitutions), so it must run through the shell as written.
pub fn has_shell_operators(command: &str) -> bool {
    let plain = unquoted(command);
    plain.contains(['|', ';', '>', '<', '&', '$', '`', '*', '?', '(', ')'])
        || command.contains("$(")
}

/// Removes the words that join steps: "then", "and", "finally", "after that", "also",
/// "et enfin", "und dann".
/// Hand-written rather than a regex: it runs on every request, and a compiled
/// pattern would cost more than the rest of routing a plain "git status".
pub fn strip_connective(text: &str) -> &str {
    const WORDS: &[&str] = &[
        "and",
        "then",
        "first of all",
        "firstly",
        "first",
        // Slips of "first" that are no other word.
        "frist",
        "fisrt",
        "to begin with",
        "finally",
        "after that",
        "afterwards",
        "next",
        "lastly",
        "also",
        // "so please add it": what was said before led to it.
        "so",
        "y luego",
        "luego",
        "después",
        "despues",
        "und dann",
        "dann",
        "danach",
        "et ensuite",
        "ensuite",
        "et puis",
        "puis",
        "après",
        "apres",
        "tout d'abord",
        "d'abord",
        "primero",
        "en primer lugar",
        "primeiro",
        "em primeiro lugar",
        "prima di tutto",
        "per prima cosa",
        "prima",
        "zuerst",
        "erst",
        "erstens",
        "et",
        "enfin",
        "y",
        "und",
    ];
    let mut rest = text;
    'strip: loop {
        for word in WORDS {
            if starts_with_ci(rest, word) {
                let after = &rest[word.len()..];
                let trimmed = after.trim_start_matches([' ', '\t', ',', ':']);
                if trimmed.len() < after.len() {
                    rest = trimmed;
                    continue 'strip;
                }
            }
        }
        return rest;
    }
}

/// A step without the word after it that placed it among others ("list tmp/
/// afterwards", "push too").
pub fn without_when_said_last(text: &str) -> &str {
    const LAST: &[&str] = &[
        " afterwards",
        " afterward",
        " after that",
        " as well",
        " too",
    ];
    let mut rest = text;
    while let Some(word) = LAST
        .iter()
        .find(|word| ends_with_ci(rest, word) && rest.len() > word.len())
    {
        rest = rest[..rest.len() - word.len()].trim_end_matches([' ', ',']);
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_joined_to_the_word_for_what_it_is_is_read_apart() {
        for (joined, apart) in [
            (
                "lösch den .git-Ordner komplett",
                "lösch den .git Ordner komplett",
            ),
            ("öffne die config.toml-Datei", "öffne die config.toml Datei"),
            ("delete the .git-folder", "delete the .git folder"),
            ("verwijder de notes.txt-Map", "verwijder de notes.txt Map"),
        ] {
            assert_eq!(
                apart_from_its_kind(joined).as_deref(),
                Some(apart),
                "{joined}"
            );
        }
        // No path, a hyphenated word of its own, or quoted text: as typed.
        for kept in [
            "create a tmp-folder",
            "run make clean-dir",
            "commit -m \"add the .env-file\"",
            "lösch die Datei temp.txt",
            // A file's own name, as typed in English or on a command line.
            "delete prod.db-map",
            "delete the cache.v1-folder",
            "rm -r cache.v1-Ordner",
            "rm prod.db-map",
        ] {
            assert_eq!(apart_from_its_kind(kept), None, "{kept}");
        }
    }

    #[test]
    fn politeness_is_stripped_but_case_is_kept() {
        assert_eq!(
            core("Please read Config.json."),
            ("read Config.json", false)
        );
        assert_eq!(core("can you run the tests?"), ("run the tests", true));
        assert_eq!(
            core("what does git rebase do?"),
            ("what does git rebase do?", false)
        );
        assert_eq!(
            core("  show me the log please "),
            ("show me the log", false)
        );
    }

    #[test]
    fn members_of_definitions_are_no_files() {
        for member in [
            "Circle.area",
            "LRUCache.evict",
            "self.items",
            "Point.distance",
        ] {
            assert!(!is_path_like(member), "{member}");
        }
        for file in [
            "config.json",
            "notes.rst",
            "main.tf",
            "settings.local",
            "Cargo.toml",
            "README.md",
            "src/Circle.area",
        ] {
            assert!(is_path_like(file), "{file}");
        }
    }

    #[test]
    fn path_like_tokens() {
        for p in [
            "config.json",
            "src/main.rs",
            ".github/workflows/ci.yml",
            ".env",
            "Makefile",
            "src/",
            "a-b_c.test.ts",
        ] {
            assert!(is_path_like(p), "{p}");
        }
        for p in ["hello", "e.g", "v1.2", "http://x.y/z", "3.14", "..", "/"] {
            assert!(!is_path_like(p), "{p}");
        }
    }

    #[test]
    fn paths_skip_quoted_text_and_sentence_punctuation() {
        assert_eq!(
            paths_in("add a test to tests/test_app.py, then see \"notes.txt\"."),
            vec!["tests/test_app.py"]
        );
        assert_eq!(paths_in("read config.json."), vec!["config.json"]);
    }

    #[test]
    fn chat_formatting_is_read_as_plain_text() {
        assert_eq!(tidy("$ bun test"), "bun test");
        assert_eq!(tidy("> npm test"), "npm test");
        assert_eq!(
            tidy("**run** `pytest -x tests/test_api.py`"),
            "run `pytest -x tests/test_api.py`"
        );
        assert_eq!(
            tidy("`git diff --cached` pls 🙏"),
            "`git diff --cached` pls"
        );
        assert_eq!(
            tidy("push 👍 the CI is red since yesterday"),
            "push. the CI is red since yesterday"
        );
        assert_eq!(tidy("list   the files   here"), "list the files here");
        assert_eq!(tidy("commit w/ msg wip"), "commit with msg wip");
        // Nothing to tidy: the text itself, not a copy.
        assert!(matches!(tidy("git status"), std::borrow::Cow::Borrowed(_)));
        // An emoji inside the words is theirs; a glob and a power are no emphasis.
        assert_eq!(
            tidy("commit with message 🐛 fix login"),
            "commit with message 🐛 fix login"
        );
        assert_eq!(tidy("run rm **/*.log"), "run rm **/*.log");
        assert_eq!(tidy("python3 -c print(2**10)"), "python3 -c print(2**10)");
        // Spaces are the shell's where it may quote.
        assert_eq!(tidy("run echo it's  a   test"), "run echo it's  a   test");
    }

    #[test]
    fn remarks_after_a_request_are_no_part_of_it() {
        let asked = |text| {
            let (core, polite) = core(text);
            without_remark(core, polite)
        };
        assert_eq!(
            asked("execute uv sync, the lockfile changed"),
            "execute uv sync"
        );
        // After a question asked politely. What someone said is kept: it may say to
        // wait ("Tom said to wait until Friday").
        assert_eq!(
            asked("Could you please pull the latest changes? the CI is red since yesterday"),
            "pull the latest changes"
        );
        assert_eq!(
            asked("could you delete prod.db? Tom said it is the live database"),
            "delete prod.db? Tom said it is the live database"
        );
        assert_eq!(
            asked("delete x.log? it's stale"),
            "delete x.log? it's stale"
        );
        assert_eq!(
            asked("could you push? Tom said not to push yet"),
            "push? Tom said not to push yet"
        );
        assert_eq!(
            asked("cargo build --release please, need the binary asap"),
            "cargo build --release"
        );
        assert_eq!(asked("push. the CI is red since yesterday"), "push");
        // A clause that asks, limits or names is kept, and so is one in quotes.
        for kept in [
            "read a.txt, then b.txt",
            "run git clean -fdx, the .env file is needed",
            "run ./deploy.sh, the target is staging",
            "run npm publish, it isn't ready for prod",
            "git commit -m 'wip, the CI is red'",
            "run echo hello, it is done > out.txt",
        ] {
            assert_eq!(asked(kept), kept);
        }
        assert!(!is_remark("the tests"));
        assert!(is_remark("I broke something in the last hour"));
    }

    #[test]
    fn windows_paths_are_paths() {
        assert!(is_path_like("src\\app.py"));
        assert_eq!(paths_in("stage src\\app.py"), vec!["src\\app.py"]);
    }

    #[test]
    fn typographic_quotes_read_as_double_quotes() {
        for (typed, read) in [
            (
                "commita tudo com a mensagem «atualiza dependências»",
                "commita tudo com a mensagem \"atualiza dependências\"",
            ),
            (
                "commit avec le message « corrige le bug »",
                "commit avec le message \"corrige le bug\"",
            ),
            (
                "wechsel auf den Branch „release-2.1“",
                "wechsel auf den Branch \"release-2.1\"",
            ),
            ("„a“ und „b”", "\"a\" und \"b\""),
            ("commit -m “fix”", "commit -m \"fix\""),
        ] {
            assert_eq!(plain_quotes(typed), read, "{typed}");
        }
        // An ASCII quote may hold a typographic one; an unclosed or empty pair is text.
        for typed in [
            "commit -m \"le «bug»\"",
            "echo `printf «x»`",
            "« unclosed",
            "«» then",
            "git status",
        ] {
            assert_eq!(plain_quotes(typed), typed);
        }
    }

    #[test]
    fn run_that_after_a_command_line_is_no_part_of_it() {
        assert_eq!(
            core("pytest -x tests/test_api.py run that for me").0,
            "pytest -x tests/test_api.py"
        );
        assert_eq!(core("cargo test please run it").0, "cargo test");
        for kept in [
            "npm run it",
            "write x.sh and run it",
            "make build, run it",
            "@here can someone check the api? can you run that",
            "make deploy dont run it",
            "make clean never run it",
            "make deploy don’t run it",
            "make deploy couldnt run it",
            "make deploy hmm run it",
        ] {
            assert_eq!(core(kept).0, kept);
        }
    }

    #[test]
    fn a_reason_after_a_path_ends_the_step() {
        assert_eq!(
            without_reason_after_path("delete tmp/debug.log its huge"),
            "delete tmp/debug.log"
        );
        assert_eq!(
            without_reason_after_path("borra el archivo old_main.py q ya no sirve"),
            "borra el archivo old_main.py"
        );
        // What to write, a name, or a quoted message stays.
        for kept in [
            "crea notes.md que diga hola",
            "save notes.txt as notes.md",
            "commit a.py 'because tests'",
            "delete a.log because, well",
            "delete a.log its not to be deleted",
            "borra a.log que no",
            "delete a.log because we must keep it",
            "delete a.log bc dont touch it",
            "delete a.log cuz should I",
            "lösche a.log weil nein",
            "delete src/app.py because everything imports it",
            "delete a.log because hold on its big",
            "borra a.log porque la necesitamos",
            "supprime a.log car il faut le garder",
            "delete a.log its huge? no",
            "delete src/app.py its old but leave it",
            "delete a.log its huge nvm",
            "lösche a.log weil es alt ist aber lass es",
            "delete a.log its not useless anymore",
        ] {
            assert_eq!(without_reason_after_path(kept), kept);
        }
    }

    #[test]
    fn an_email_address_is_no_path() {
        assert_eq!(
            paths_in("in lib/mailer.rb change the sender to noreply@example.com"),
            vec!["lib/mailer.rb"]
        );
        assert!(is_path_like("assets/icon@2x.png"));
        assert!(is_path_like("node_modules/@types/node/index.d.ts"));
    }

    #[test]
    fn quoted_spans_skip_apostrophes() {
        let request = "I think it's done, tests are green. can you commit with the message 'retry: cap backoff at 30s'";
        assert_eq!(quoted_spans(request), vec!["retry: cap backoff at 30s"]);
        assert_eq!(
            quoted_spans("commit \"a\" then \u{201c}b\u{201d}"),
            vec!["a", "b"]
        );
        assert!(quoted_spans("what's new? don't push").is_empty());
    }

    #[test]
    fn quoted_takes_up_to_the_last_matching_quote() {
        let text = r#"commit -m "fix "x" parsing""#;
        assert_eq!(quoted_at(text, 10).map(|q| q.0), Some(r#"fix "x" parsing"#));
        assert_eq!(
            quoted_at("message: 'it works'", 7).map(|q| q.0),
            Some("it works")
        );
        assert_eq!(quoted_at("message fix it", 7), None);
        assert_eq!(
            quoted_at("m “smart quotes”", 1).map(|q| q.0),
            Some("smart quotes")
        );
    }

    #[test]
    fn caps_lock_is_read_in_lower_case_but_names_are_kept() {
        assert_eq!(uncapitalised("GIT STATUS").as_deref(), Some("git status"));
        assert_eq!(
            uncapitalised("DELETE TEMP.TXT").as_deref(),
            Some("delete TEMP.TXT")
        );
        assert_eq!(
            uncapitalised("CREATE A BRANCH CALLED HOTFIX").as_deref(),
            Some("create a branch called HOTFIX")
        );
        assert_eq!(uncapitalised("show README.md"), None);
        assert_eq!(uncapitalised("OK"), None);
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert_eq!(unquoted("what's in it"), "what's in it");
        assert!(!has_shell_operators("echo 'a | b'"));
        assert!(has_shell_operators("ls -la | grep foo"));
        assert!(has_shell_operators("cargo build && cargo test"));
    }
}
