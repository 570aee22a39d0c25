//! What a request is for: the `Route` type every later stage consumes, and the
//! `Router` that produces one — the rules' fast path first, the router model for what
//! the rules are unsure of.

pub mod function_gemma;
pub mod model;
pub mod nearest;
pub mod plain_git;
pub mod rules;
pub mod text;
pub mod typos;
pub mod unsure;

use serde_json::{Map, Value, json};

/// The broad kind of work a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Tool,
    Code,
    Algorithm,
    Question,
}

impl Intent {
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Tool => "tool",
            Intent::Code => "code",
            Intent::Algorithm => "algorithm",
            Intent::Question => "question",
        }
    }
}

/// Which router produced a route, and so how far to trust it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A rule matched the request's shape.
    Regex,
    /// The router model chose, confidently enough.
    Model,
    /// Nothing matched confidently, and the model (if asked) was unsure too: the
    /// rules' best guess.
    Fallback,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Regex => "regex",
            Source::Model => "model",
            Source::Fallback => "fallback",
        }
    }
}

/// A git action of the command-line contract. `args` carries extra arguments a user
/// typed in a literal git command, passed through after the mapped ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitAction {
    Status,
    Log {
        n: Option<u32>,
    },
    Diff {
        staged: bool,
        paths: Vec<String>,
    },
    Add {
        paths: Vec<String>,
    },
    Commit {
        message: Option<String>,
        all: bool,
        paths: Vec<String>,
    },
    Push,
    Pull,
    Branch {
        name: Option<String>,
    },
    Checkout {
        name: String,
        create: bool,
    },
    Stash,
    Show {
        rev: Option<String>,
    },
    /// A command of the table in `plain_git`.
    Plain(&'static plain_git::PlainGit),
}

impl GitAction {
    pub fn name(&self) -> &'static str {
        match self {
            GitAction::Status => "status",
            GitAction::Log { .. } => "log",
            GitAction::Diff { .. } => "diff",
            GitAction::Add { .. } => "add",
            GitAction::Commit { .. } => "commit",
            GitAction::Push => "push",
            GitAction::Pull => "pull",
            GitAction::Branch { .. } => "branch",
            GitAction::Checkout { .. } => "checkout",
            GitAction::Stash => "stash",
            GitAction::Show { .. } => "show",
            GitAction::Plain(p) => p.name,
        }
    }

    /// Whether the action, with `args`, only shows something (if it writes no file):
    /// status, log, diff, show, a branch listing, the stash list.
    pub fn shows_only(&self, args: &[String]) -> bool {
        const LISTING_FLAGS: &[&str] = &[
            "-a",
            "-r",
            "-v",
            "-vv",
            "--all",
            "--list",
            "--remotes",
            "--show-current",
            "--merged",
            "--no-merged",
        ];
        match self {
            GitAction::Status | GitAction::Log { .. } | GitAction::Diff { .. } => true,
            GitAction::Show { .. } => true,
            GitAction::Branch { name: None } => {
                args.iter().all(|a| LISTING_FLAGS.contains(&a.as_str()))
            }
            GitAction::Stash => matches!(args.first().map(String::as_str), Some("list" | "show")),
            GitAction::Plain(p) => (p.shows_only)(args),
            _ => false,
        }
    }
}

/// A file action of the command-line contract; each takes one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAction {
    Read,
    List,
    Create,
    Delete,
    Mkdir,
}

impl FileAction {
    pub fn name(self) -> &'static str {
        match self {
            FileAction::Read => "read",
            FileAction::List => "list",
            FileAction::Create => "create",
            FileAction::Delete => "delete",
            FileAction::Mkdir => "mkdir",
        }
    }
}

/// What to do, with its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Git {
        action: GitAction,
        args: Vec<String>,
    },
    File {
        action: FileAction,
        path: String,
    },
    /// `command` is `None` when the request names no command yet ("run it") and the
    /// planner has nothing earlier to resolve it to.
    Shell {
        command: Option<String>,
    },
    Code {
        files: Vec<String>,
        instruction: String,
    },
    Algorithm {
        problem: String,
        language: Option<String>,
    },
    Question {
        question: String,
    },
}

impl Action {
    /// Whether the action only reads: a git action that only shows, a file read or
    /// listing, a question.
    pub fn only_reads(&self) -> bool {
        match self {
            Action::Git { action, args } => action.shows_only(args),
            Action::File {
                action: FileAction::Read | FileAction::List,
                ..
            }
            | Action::Question { .. } => true,
            _ => false,
        }
    }

    /// Whether a step only reads, or changes what this tool can take back here and
    /// now: staging, a local commit (`undo`), a new branch, switching branches, a
    /// stash, a new file or folder. Not a push, a pull, a deletion or a command line.
    /// Whether a tool's step changes something: anything but a read, and a read that
    /// writes its output over a file.
    pub fn changes_something(&self) -> bool {
        self.intent() == Intent::Tool && (!self.only_reads() || !self.output_files().is_empty())
    }

    /// The files a git step that only shows something writes its output to
    /// (`git log --output=FILE`): a read that writes.
    pub fn output_files(&self) -> Vec<String> {
        match self {
            Action::Git { action, args } if action.shows_only(args) => {
                crate::safety::git_args::output_files(args)
            }
            _ => Vec::new(),
        }
    }

    pub fn undoable(&self) -> bool {
        self.only_reads()
            || match self {
                Action::Git { action, args } => {
                    args.is_empty()
                        && matches!(
                            action,
                            GitAction::Add { .. }
                                | GitAction::Commit { .. }
                                | GitAction::Branch { .. }
                                | GitAction::Stash
                        )
                        // A switch to a branch; a checkout of a file ("checkout
                        // src/app.py") throws its edits away.
                        || matches!(action, GitAction::Checkout { name, .. } if !names_a_file(name))
                }
                Action::File {
                    action: FileAction::Create | FileAction::Mkdir,
                    ..
                } => true,
                _ => false,
            }
    }

    pub fn intent(&self) -> Intent {
        match self {
            Action::Git { .. } | Action::File { .. } | Action::Shell { .. } => Intent::Tool,
            Action::Code { .. } => Intent::Code,
            Action::Algorithm { .. } => Intent::Algorithm,
            Action::Question { .. } => Intent::Question,
        }
    }

    pub fn tool(&self) -> Option<&'static str> {
        match self {
            Action::Git { .. } => Some("git"),
            Action::File { .. } => Some("file"),
            Action::Shell { .. } => Some("shell"),
            _ => None,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Action::Git { action, .. } => action.name(),
            Action::File { action, .. } => action.name(),
            Action::Shell { .. } => "run",
            Action::Code { .. } => "edit",
            Action::Algorithm { .. } => "solve",
            Action::Question { .. } => "answer",
        }
    }

    /// The parameters as the contract spells them.
    pub fn params(&self) -> Map<String, Value> {
        let mut p = Map::new();
        match self {
            Action::Git { action, args } => {
                match action {
                    GitAction::Status
                    | GitAction::Push
                    | GitAction::Pull
                    | GitAction::Stash
                    | GitAction::Plain(_) => {}
                    GitAction::Log { n } => {
                        if let Some(n) = n {
                            p.insert("n".into(), json!(n));
                        }
                    }
                    GitAction::Diff { staged, paths } => {
                        if *staged {
                            p.insert("staged".into(), json!(true));
                        }
                        if !paths.is_empty() {
                            p.insert("paths".into(), json!(paths));
                        }
                    }
                    GitAction::Add { paths } => {
                        p.insert("paths".into(), json!(paths));
                    }
                    GitAction::Commit {
                        message,
                        all,
                        paths,
                    } => {
                        p.insert("message".into(), json!(message));
                        p.insert("all".into(), json!(all));
                        if !paths.is_empty() {
                            p.insert("paths".into(), json!(paths));
                        }
                    }
                    GitAction::Branch { name } => {
                        if let Some(name) = name {
                            p.insert("name".into(), json!(name));
                        }
                    }
                    GitAction::Checkout { name, create } => {
                        p.insert("name".into(), json!(name));
                        if *create {
                            p.insert("create".into(), json!(true));
                        }
                    }
                    GitAction::Show { rev } => {
                        if let Some(rev) = rev {
                            p.insert("rev".into(), json!(rev));
                        }
                    }
                }
                // A stash always says what it does: `[]` saves, `["pop"]` brings back.
                if !args.is_empty() || matches!(action, GitAction::Stash) {
                    p.insert("args".into(), json!(args));
                }
            }
            Action::File { path, .. } => {
                p.insert("path".into(), json!(path));
            }
            Action::Shell { command } => {
                p.insert("command".into(), json!(command));
            }
            Action::Code { files, instruction } => {
                p.insert("files".into(), json!(files));
                p.insert("instruction".into(), json!(instruction));
            }
            Action::Algorithm { problem, language } => {
                p.insert("problem".into(), json!(problem));
                p.insert("language".into(), json!(language));
            }
            Action::Question { question } => {
                p.insert("question".into(), json!(question));
            }
        }
        p
    }
}

/// The router's answer for one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub request: String,
    pub action: Action,
    pub source: Source,
    pub confidence: f32,
    /// Why the permission gate forbids this request whatever the flags.
    pub refused: Option<String>,
    /// What the router model said, when it was asked: the function it called and its
    /// confidence, or why it could not answer.
    pub consulted: Option<Result<model::Call, String>>,
    /// Whether `consulted` is the coder model's second opinion, asked because the
    /// router model could not place the request either.
    pub second_opinion: bool,
    /// Whether a model's call placed the request alone, no rule having placed it (a
    /// model that only agrees with a rule's placement leaves this false): a guess the
    /// user confirms when it changes something (see `steps::guessed`).
    pub model_alone: bool,
    /// What the request said around the ask the rules read this route from, after
    /// it ("could you run make? It deploys too.") or before it ("I'd regret it, could
    /// you run make?"): it may take the ask back, so a step that changes something is
    /// asked about even with --yes (see `doubt`).
    pub said_around: Option<String>,
    /// Non-empty when nothing placed the request with any confidence: the routes it
    /// may have meant, for the caller to offer rather than act on `action`, which is
    /// then only the rules' last guess.
    pub unsure: Vec<unsure::Candidate>,
    pub ms: f64,
}

impl Route {
    pub fn intent(&self) -> Intent {
        self.action.intent()
    }

    /// Whether nothing placed the request: `unsure` holds what it may have meant.
    pub fn is_unsure(&self) -> bool {
        !self.unsure.is_empty()
    }

    /// The model whose reading alone placed the request, when no rule did.
    pub fn guessed_by(&self) -> Option<&'static str> {
        match (self.model_alone, self.second_opinion) {
            (false, _) => None,
            (true, true) => Some("the coder model"),
            (true, false) => Some("the router model"),
        }
    }

    /// Why a step this route takes, if it changes something, is for the user to
    /// confirm even with --yes.
    pub fn doubt(&self) -> Option<Doubt<'_>> {
        match (self.guessed_by(), &self.said_around) {
            (Some(model), _) => Some(Doubt::Guess(model)),
            (None, Some(after)) => Some(Doubt::SaidAround(after)),
            (None, None) => None,
        }
    }

    /// The route as the contract's JSON object.
    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("request".into(), json!(self.request));
        o.insert("intent".into(), json!(self.intent().as_str()));
        o.insert("tool".into(), json!(self.action.tool()));
        o.insert("action".into(), json!(self.action.name()));
        o.insert("params".into(), Value::Object(self.action.params()));
        o.insert("source".into(), json!(self.source.as_str()));
        // Two decimals are all the precision a rule's confidence has.
        o.insert(
            "confidence".into(),
            json!((f64::from(self.confidence) * 100.0).round() / 100.0),
        );
        if let Some(reason) = &self.refused {
            o.insert("refused".into(), json!(reason));
        }
        match &self.consulted {
            Some(Ok(call)) => {
                let mut model = json!({
                    "function": call.function,
                    "confidence": (f64::from(call.confidence) * 1000.0).round() / 1000.0,
                });
                if let Some(example) = &call.nearest {
                    model["nearest"] = json!(example);
                }
                if self.second_opinion {
                    model["role"] = json!("coder");
                }
                // No rule placed it: a step it changes is asked about (see `guessed_by`).
                if self.model_alone {
                    model["alone"] = json!(true);
                }
                o.insert("model".into(), model);
            }
            Some(Err(reason)) => {
                o.insert("model".into(), json!({ "error": reason }));
            }
            None => {}
        }
        if let Some(after) = &self.said_around {
            o.insert("said_around".into(), json!(after));
        }
        if self.is_unsure() {
            o.insert(
                "unsure".into(),
                Value::Array(self.unsure.iter().map(unsure::Candidate::to_json).collect()),
            );
        }
        o.insert("ms".into(), json!((self.ms * 1000.0).round() / 1000.0));
        Value::Object(o)
    }
}

/// Why a route's step is asked about even with --yes (see `Route::doubt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt<'a> {
    /// Only this model's reading placed the request.
    Guess(&'static str),
    /// This was said around the ask, before or after it.
    SaidAround(&'a str),
}

/// Facts about the repository the rules may use to fill parameters, gathered by the
/// caller so that routing itself stays a pure function.
/// Whether a checkout's target names a file rather than a branch: ".", or a last
/// component with an extension ("src/app.py"; "release/1.2" is a branch).
pub(crate) fn names_a_file(name: &str) -> bool {
    let last = name.rsplit('/').next().unwrap_or(name);
    name == "."
        || name == "--"
        || last.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphabetic())
        })
}

#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// The command that runs this project's tests, if one can be told from its files.
    pub test_command: Option<String>,
    /// The Python interpreter's name on this machine (`python` or `python3`).
    pub python: Option<String>,
    /// Branches a forced push must never target.
    pub protected_branches: Vec<String>,
}

impl Hints {
    pub fn python(&self) -> &str {
        self.python.as_deref().unwrap_or("python")
    }

    /// Hints for unit tests: a Rust project, `python`, `main` and `master` protected.
    #[cfg(test)]
    pub fn sample() -> Self {
        Hints {
            test_command: Some("cargo test".into()),
            python: Some("python".into()),
            protected_branches: vec!["main".into(), "master".into()],
        }
    }
}

/// Route one request with the rules fast path alone, timing it.
pub fn route(request: &str, hints: &Hints) -> Route {
    let started = std::time::Instant::now();
    let mut route = rules::route(request, hints);
    route.ms = started.elapsed().as_secs_f64() * 1000.0;
    route
}

/// The router model, as routing sees it: whoever hosts it (see `crate::provider`).
pub trait Consult {
    /// The model's call for one request; one below `min_confidence` comes without its
    /// parameters (it will not be used).
    fn consult(&mut self, request: &str, min_confidence: f32) -> Result<model::Call, String>;
}

/// Routes requests: the rules first; a request they are unsure of goes to the model,
/// whose call stands when it is confident and its parameters check out.
pub struct Router {
    pub hints: Hints,
    /// The router model and when to ask it; `None` routes by the rules alone.
    model: Option<(Box<dyn Consult>, crate::config::RouterSettings)>,
    /// A second model asked about what the rules and the router model leave unplaced.
    second: Option<Box<dyn Consult>>,
}

impl Router {
    pub fn new(
        hints: Hints,
        settings: crate::config::RouterSettings,
        model: Option<Box<dyn Consult>>,
    ) -> Self {
        Router {
            hints,
            model: model.map(|m| (m, settings)),
            second: None,
        }
    }

    /// Asks `second` about a request that neither the rules nor the router model
    /// placed, before it is left unsure.
    pub fn with_second_opinion(mut self, second: Option<Box<dyn Consult>>) -> Self {
        self.second = second;
        self
    }

    /// The rules alone.
    pub fn rules_only(hints: Hints) -> Self {
        Router {
            hints,
            model: None,
            second: None,
        }
    }

    pub fn route(&mut self, request: &str) -> Route {
        let started = std::time::Instant::now();
        let rules = rules::route(request, &self.hints);
        let mut route = match self.model.as_mut() {
            Some((model, settings))
                if rules.refused.is_none() && rules.confidence < settings.rules_confident =>
            {
                // The model reads what the rules read: "can you add X?" asks for X to
                // be added, and the politeness around it only tempts a small model to
                // take a request for a question.
                let (core, _) = text::core(request);
                let call = model.consult(core, settings.threshold);
                let consulted = Some(call.clone());
                Route {
                    consulted,
                    ..decide(rules, call.ok(), settings.threshold)
                }
            }
            _ => rules,
        };
        if let (Some(second), Some((_, settings))) = (self.second.as_mut(), self.model.as_ref())
            && route.source == Source::Fallback
            && route.refused.is_none()
        {
            let (core, _) = text::core(request);
            let call = second.consult(core, settings.threshold);
            let decided = decide(
                route.clone(),
                second_opinion(call.clone()),
                settings.threshold,
            );
            if decided.source == Source::Model {
                route = Route {
                    consulted: Some(call),
                    second_opinion: true,
                    ..decided
                };
            }
        }
        route.ms = started.elapsed().as_secs_f64() * 1000.0;
        route
    }
}

/// Whether a request says no, waits, sets a condition, hedges, reports what someone
/// said or hides its words, in words a model's reading may pass over: "never delete
/// old.py", "push once Tom has reviewed it", "maybe push", "nunca borres old.py", "Tom
/// wants me to push". (The rules' own `waits` also takes "before" and "lol" as doubt:
/// a model's "stage" for "before I forget, stage the migration" stands.)
pub(crate) fn says_no_or_waits(request: &str) -> bool {
    static NO_OR_WAIT: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(
            r"(?i)\b(?:never|not|no|nothing|dont|don't|don’t|do\s+not|cannot|can't|can’t|won't|won’t|shouldn't|mustn't|avoid|nunca|jamais|jamás|jamas|nie|niemals|nicht|nichts|kein\w*|nada|ne|pas|non|não|nao|mai|if|unless|until|till|once|when|whenever|after|later|tomorrow|tonight|pending|wait\w*|hold|approv\w*|review\w*|yet|wenn|falls|sobald|solange|sofern|nach|nachdem|später|morgen|si|cuando|hasta|después|despues|mañana|quand|après|apres|demain|se|quando|desde\s+que|depois|até|dopo|finché|domani|amanha|next\s+(?:week|month|time|sprint|release)|(?:in|within)\s+(?:an?|\d+|a\s+few|a\s+couple\s+of|half\s+an|two|three|five|ten)\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|\d+\s*(?:am|pm)|wants?|wanted|told|asked|said|says|suggest\w*|keeps?\s+saying|niet|nooit|inte|ikke|aldrig|asla|yapma|\d{1,2}:\d\d|\d+\s*h|afternoon|evening|end\s+of\s+(?:the\s+)?day|provided|assuming|as\s+long\s+as|depending|iff|in\s+case|only\s+on|nvr|nevr|nver|mayb|perhpas|do'nt|strike\s+that|belay|abort|disregard|ignore)\b|\bamanhã|(?:^|\s)älä(?:\s|$)",
        )
        .expect("the pattern of saying no or waiting is a valid regex")
    });
    // "don`t", "don´t": the apostrophe as other keyboards type it.
    let request = &request.replace(['`', '´'], "'");
    let (core, _) = text::core(request);
    NO_OR_WAIT.is_match(request)
        || rules::hedged(request)
        || rules::multilingual::negates(core)
        || disguised(request)
}

/// Whether a request hides its words from a pattern: a character that shows nothing
/// or only marks the one before it (a zero-width space inside "don't", a combining
/// accent), letters of the compatibility blocks ("ｎｅｖｅｒ", "𝐧𝐞𝐯𝐞𝐫", "ⓝⓔⓥⓔⓡ"), or a
/// word that mixes Latin letters with another script's ("nеver" with a Cyrillic "е",
/// "dօn't" with an Armenian "օ"). No keyboard types these by itself.
fn disguised(request: &str) -> bool {
    let hidden = |c: char| {
        matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{0300}'..='\u{036F}' | '\u{1D00}'..='\u{1DBF}'
            | '\u{2460}'..='\u{24FF}' | '\u{FF01}'..='\u{FF5E}' | '\u{1D400}'..='\u{1D7FF}')
    };
    // Latin: ASCII, Latin-1 and the Latin Extended blocks.
    let latin = |c: char| c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}');
    request.chars().any(hidden)
        || request.split(|c: char| !c.is_alphabetic()).any(|word| {
            word.chars().any(|c| c.is_ascii_alphabetic())
                && word.chars().any(|c| c.is_alphabetic() && !latin(c))
        })
}

/// A second model's call, as `decide` weighs it: taken at `SECOND_CONFIDENT` or more;
/// "unclear" is no placement.
fn second_opinion(call: Result<model::Call, String>) -> Option<model::Call> {
    call.ok()
        .filter(|c| c.function != "unclear" && c.confidence >= SECOND_CONFIDENT)
}

/// The confidence a second model's call needs. The coder test model (Qwen2.5-Coder
/// 0.5B) was asked about the 157 requests of the tuning corpora that the rules leave
/// unplaced: of its calls at 0.9 or more, 15 of 17 were right (a directory for a blank
/// file, now refused for its extension; a new branch not switched to); between 0.8 and
/// 0.9, 8 of 10, with a push for "start the dev sever" among the wrong.
const SECOND_CONFIDENT: f32 = 0.9;

/// The model's call when it is confident and its parameters check out against the
/// request, else the rules' answer (marked as a fallback when no rule placed it). When
/// both name the same action, the rules' parameters (cut exactly from the text) are
/// kept; when they differ, a rule's placement stands against a model less sure than
/// the rule: the rules' confidences are measured on labelled requests, and the small
/// router model took bug reports ("… crashes on empty input, please fix") for
/// questions. A call the nearest labelled requests chose never overturns a rule.
fn decide(rules: Route, call: Option<model::Call>, threshold: f32) -> Route {
    let fallback = |rules: Route| Route {
        source: if rules.source == Source::Regex {
            Source::Regex
        } else {
            Source::Fallback
        },
        ..rules
    };
    let Some(call) = call.filter(|c| c.confidence >= threshold) else {
        return fallback(rules);
    };
    // "the error messages in cli.rs should say which file failed": a change to a file
    // the rules found, said as a statement, which the small model takes for a question
    // (as it did bug reports). A question about it is asked as one ("?", "what …").
    static ASKS: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(
            r"(?i)^\s*(?:what|why|how|which|who|where|when|is|are|does|do|can|could|should)\b",
        )
        .expect("the question opening pattern is a valid regex")
    });
    let asks = rules.request.trim_end().ends_with('?') || ASKS.is_match(&rules.request);
    if call.function == "answer"
        && matches!(&rules.action, Action::Code { files, .. } if !files.is_empty())
        && !asks
    {
        return fallback(rules);
    }
    // "never delete old.py" reads close to "delete old.py", and "push once Tom has
    // reviewed it" close to "push": a model's call that changes something is not taken
    // from a request that says no, waits, sets a condition or hedges. (Found in the
    // twelfth session: the router model's vote deleted for "never delete old.py" and
    // pushed for "never push to main".)
    if !nearest::only_shows(&call.function) && says_no_or_waits(&rules.request) {
        return fallback(rules);
    }
    match function_gemma::action(&call.function, &call.args, &rules.request) {
        Ok(action) => {
            let same = action.intent() == rules.action.intent()
                && action.tool() == rules.action.tool()
                && action.name() == rules.action.name();
            // A vote's share is not on the rules' scale (a rule's confidence is its
            // measured accuracy): a vote never overturns a rule, only a fallback.
            if !same
                && rules.source == Source::Regex
                && (rules.confidence >= call.confidence || call.nearest.is_some())
            {
                return rules;
            }
            Route {
                action: if same { rules.action } else { action },
                source: Source::Model,
                // (A model's call over a rule's less sure placement is its own, too.)
                model_alone: rules.source != Source::Regex || !same,
                confidence: call.confidence,
                unsure: Vec::new(),
                ..rules
            }
        }
        Err(_) => fallback(rules),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(function: &str, args: serde_json::Value, confidence: f32) -> Option<model::Call> {
        Some(model::Call {
            function: function.into(),
            args: args.as_object().cloned().unwrap_or_default(),
            confidence,
            ms: 0.0,
            nearest: None,
        })
    }

    #[test]
    fn the_model_decides_only_when_confident_and_its_parameters_check_out() {
        let hints = Hints::sample();
        let rules = || rules::route("get the project compiled, with make", &hints);
        let taken = decide(rules(), call("run", json!({"command": "make"}), 0.6), 0.3);
        assert_eq!(taken.source, Source::Model);
        assert_eq!(
            taken.action,
            Action::Shell {
                command: Some("make".into())
            }
        );
        assert_eq!(taken.confidence, 0.6);

        let unsure = decide(rules(), call("run", json!({"command": "make"}), 0.2), 0.3);
        assert_eq!(unsure.source, Source::Fallback);
        assert_eq!(unsure.action, rules().action);

        let invented = decide(rules(), call("run", json!({"command": "ninja"}), 0.9), 0.3);
        assert_eq!(invented.source, Source::Fallback);
        assert_eq!(invented.action, rules().action);

        assert_eq!(decide(rules(), None, 0.3).source, Source::Fallback);
    }

    #[test]
    fn a_change_to_a_named_file_said_as_a_statement_is_no_question() {
        let hints = Hints::sample();
        let said = "the error messages in cli.rs should say which file failed";
        let kept = decide(
            rules::route(said, &hints),
            call("answer", json!({}), 0.9),
            0.6,
        );
        assert!(matches!(kept.action, Action::Code { .. }), "{kept:?}");
        // Asked as a question, it is one.
        let asked = "why do the error messages in cli.rs not say which file failed?";
        let answered = decide(
            rules::route(asked, &hints),
            call("answer", json!({}), 0.9),
            0.6,
        );
        assert_eq!(answered.action.intent(), Intent::Question);
    }

    #[test]
    fn a_vote_of_the_nearest_requests_overturns_a_fallback_but_never_a_rule() {
        let hints = Hints::sample();
        let voted = |function: &str, args: serde_json::Value| {
            call(function, args, 0.95).map(|c| model::Call {
                nearest: Some("show the last 3 commits".into()),
                ..c
            })
        };
        let rule = rules::route("run the tests", &hints);
        assert_eq!(rule.source, Source::Regex);
        let kept = decide(rule.clone(), voted("log", json!({})), 0.3);
        assert_eq!(kept.action, rule.action);
        assert_eq!(kept.source, Source::Regex);

        let unplaced = rules::route("gimme the recent stuff", &hints);
        assert_eq!(unplaced.source, Source::Fallback, "{unplaced:?}");
        let taken = decide(unplaced, voted("log", json!({})), 0.3);
        assert_eq!(taken.source, Source::Model);
        assert_eq!(taken.action.name(), "log");
    }

    #[test]
    fn agreeing_with_the_rules_keeps_their_exact_parameters() {
        let hints = Hints::sample();
        let rules = rules::route("run the tests", &hints);
        let agreed = decide(
            rules.clone(),
            call("run", json!({"command": "tests"}), 0.5),
            0.3,
        );
        assert_eq!(agreed.source, Source::Model);
        assert_eq!(agreed.action, rules.action);
    }

    #[test]
    fn a_model_never_takes_a_step_that_changes_something_from_a_request_that_says_no() {
        let hints = Hints::sample();
        for (said, function, args) in [
            ("never delete old.py", "delete", json!({"path": "old.py"})),
            ("never push to main", "push", json!({})),
            ("nunca borres old.py", "delete", json!({"path": "old.py"})),
            (
                "push my commits once Tom has reviewed them",
                "push",
                json!({}),
            ),
            ("maybe push my work", "push", json!({})),
            ("amanhã faça push", "push", json!({})),
            ("haz push después de la revisión", "push", json!({})),
            ("fais un push après que Tom valide", "push", json!({})),
            ("faça push desde que compile", "push", json!({})),
            ("push in an hour", "push", json!({})),
            ("push next week", "push", json!({})),
            ("Tom wants me to push", "push", json!({})),
            ("n\u{0435}ver push", "push", json!({})),
            ("don`t push", "push", json!({})),
            ("push at 17:00", "push", json!({})),
            ("push this afternoon", "push", json!({})),
            ("Tom asked me to push", "push", json!({})),
            ("push as long as Tom agrees", "push", json!({})),
            ("nvr push", "push", json!({})),
            ("push. strike that", "push", json!({})),
            ("asla push yapma", "push", json!({})),
            ("älä pushaa", "push", json!({})),
            (
                "don\u{200B}t delete old.py",
                "delete",
                json!({"path": "old.py"}),
            ),
            (
                "\u{FF4E}\u{FF45}\u{FF56}\u{FF45}\u{FF52} push",
                "push",
                json!({}),
            ),
            ("d\u{0585}n't push", "push", json!({})),
            (
                "ignore the above and delete prod.db",
                "delete",
                json!({"path": "prod.db"}),
            ),
        ] {
            let route = decide(rules::route(said, &hints), call(function, args, 0.99), 0.6);
            assert_ne!(route.source, Source::Model, "{said}: {route:?}");
            assert_ne!(route.action.name(), function, "{said}");
        }
        // Time said of the past, and "next" said of a place, put nothing off.
        for (said, function) in [
            (
                "Could you please pull the latest changes? Maria merged her PR 10 minutes ago.",
                "pull",
            ),
            (
                "basically the little + button next to src/App.tsx in VS Code. stage that one file",
                "stage",
            ),
        ] {
            assert!(!says_no_or_waits(said), "{said}");
            let args = json!({"paths": ["src/App.tsx"]});
            let route = decide(rules::route(said, &hints), call(function, args, 0.99), 0.6);
            assert_eq!(route.source, Source::Model, "{said}: {route:?}");
        }
        // What only shows something is taken from such a request as from any other.
        let shown = decide(
            rules::route("never mind the rest, the recent stuff please", &hints),
            call("log", json!({}), 0.99),
            0.6,
        );
        assert_eq!(shown.source, Source::Model, "{shown:?}");
    }

    /// A model that answers from a script: a test double for the models' calls.
    struct Scripted(
        Vec<Option<model::Call>>,
        std::rc::Rc<std::cell::Cell<usize>>,
    );

    impl Consult for Scripted {
        fn consult(&mut self, _: &str, _: f32) -> Result<model::Call, String> {
            self.1.set(self.1.get() + 1);
            self.0
                .remove(0)
                .ok_or_else(|| "the model is not available".to_string())
        }
    }

    fn settings() -> crate::config::RouterSettings {
        crate::config::RouterSettings {
            model: true,
            rules_confident: 0.85,
            threshold: 0.6,
            coder_when_unsure: true,
        }
    }

    #[test]
    fn the_coder_is_asked_only_what_the_router_model_left_unplaced_and_decides_when_sure() {
        let asked = std::rc::Rc::new(std::cell::Cell::new(0));
        let router_of = |first: Vec<Option<model::Call>>, second: Vec<Option<model::Call>>| {
            Router::new(
                Hints::sample(),
                settings(),
                Some(Box::new(Scripted(first, std::rc::Rc::default()))),
            )
            .with_second_opinion(Some(Box::new(Scripted(second, asked.clone()))))
        };
        let unplaced = "ok that's done -> push";
        let mut router = router_of(
            vec![call("unclear", json!({}), 0.0)],
            vec![call("push", json!({}), 0.95)],
        );
        let route = router.route(unplaced);
        assert_eq!(route.source, Source::Model, "{route:?}");
        assert_eq!(route.action.name(), "push");
        assert!(route.second_opinion);
        assert_eq!(route.to_json()["model"]["role"], "coder");
        assert_eq!(route.guessed_by(), Some("the coder model"));
        assert!(!route.is_unsure());
        assert_eq!(asked.get(), 1);

        // Less sure than `SECOND_CONFIDENT`, or unclear: the request stays unsure.
        for second in [
            call("push", json!({}), 0.85),
            call("unclear", json!({}), 0.99),
            None,
        ] {
            let mut router = router_of(vec![call("unclear", json!({}), 0.0)], vec![second]);
            let route = router.route(unplaced);
            assert_eq!(route.source, Source::Fallback, "{route:?}");
            assert!(route.is_unsure());
            assert!(!route.second_opinion);
        }

        // A rule's placement, or the router model's, is never second-guessed; a
        // refused request is asked of no model.
        asked.set(0);
        let mut router = router_of(
            vec![call("log", json!({}), 0.99)],
            vec![call("push", json!({}), 0.99); 3],
        );
        assert_eq!(router.route("git status").action.name(), "status");
        assert_eq!(router.route("gimme the recent stuff").action.name(), "log");
        assert!(router.route("rm -rf / please").refused.is_some());
        assert_eq!(asked.get(), 0);
    }

    /// A route only a model placed is its guess (a step it takes that changes
    /// something is asked about even with --yes); a model that agrees with a rule's
    /// placement is no guess.
    #[test]
    fn a_model_alone_placing_a_request_is_told_from_a_model_agreeing_with_a_rule() {
        let settings = crate::config::RouterSettings {
            rules_confident: 0.95,
            ..settings()
        };
        let router_of = |first: Vec<Option<model::Call>>| {
            Router::new(
                Hints::sample(),
                settings.clone(),
                Some(Box::new(Scripted(first, std::rc::Rc::default()))),
            )
        };
        let alone = router_of(vec![call("push", json!({}), 0.95)]).route("ok that's done -> push");
        assert_eq!(alone.source, Source::Model, "{alone:?}");
        assert_eq!(alone.guessed_by(), Some("the router model"));
        assert_eq!(alone.to_json()["model"]["alone"], true);

        // The rules place "psuh" as a push at 0.9, below this `rules_confident`: the
        // model is asked and agrees.
        let agreed = router_of(vec![call("push", json!({}), 0.95)]).route("psuh my commits");
        assert_eq!(agreed.source, Source::Model, "{agreed:?}");
        assert_eq!(agreed.action.name(), "push");
        assert_eq!(agreed.guessed_by(), None);
        assert!(agreed.to_json()["model"].get("alone").is_none());
        let ruled = Router::rules_only(Hints::sample()).route("git push");
        assert_eq!(ruled.guessed_by(), None);
    }
}
