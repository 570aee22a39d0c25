//! FunctionGemma's function-calling format: the router's intents and tools declared as
//! functions, the prompt built around them, and a model's call turned back into an
//! `Action` whose parameters are checked against the request.
//!
//! The format (FunctionGemma's model card): a `developer` turn lists declarations
//! `<start_function_declaration>declaration:NAME{description:<escape>…<escape>,
//! parameters:{properties:{…},required:[…],type:<escape>OBJECT<escape>}}
//! <end_function_declaration>`; the model answers `<start_function_call>call:NAME{key:
//! <escape>value<escape>,…}<end_function_call>`. Strings are delimited by `<escape>`.
//! The prompt is built here rather than by a generic chat template, which knows none
//! of this.

use serde_json::{Map, Value, json};

use crate::route::text::{self, is_path_like, paths_in};
use crate::route::{Action, FileAction, GitAction};

/// A parameter's type, as FunctionGemma spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Boolean,
    /// A list of paths.
    Paths,
}

impl Kind {
    fn declaration(self) -> &'static str {
        match self {
            Kind::Text => "type:<escape>STRING<escape>",
            Kind::Integer => "type:<escape>INTEGER<escape>",
            Kind::Boolean => "type:<escape>BOOLEAN<escape>",
            Kind::Paths => "items:{type:<escape>STRING<escape>},type:<escape>ARRAY<escape>",
        }
    }
}

pub struct Param {
    pub name: &'static str,
    pub kind: Kind,
    pub description: &'static str,
    pub required: bool,
    /// Filled from the request itself rather than generated: the model would only
    /// copy it, slower and less exactly.
    pub from_request: bool,
}

pub struct Function {
    pub name: &'static str,
    pub description: &'static str,
    pub params: &'static [Param],
}

const fn param(name: &'static str, kind: Kind, description: &'static str) -> Param {
    Param {
        name,
        kind,
        description,
        required: true,
        from_request: false,
    }
}

const fn optional(name: &'static str, kind: Kind, description: &'static str) -> Param {
    Param {
        required: false,
        ..param(name, kind, description)
    }
}

const fn copied(name: &'static str, kind: Kind, description: &'static str) -> Param {
    Param {
        from_request: true,
        ..param(name, kind, description)
    }
}

const PATH: &[Param] = &[param("path", Kind::Text, "The file or directory")];

/// The declared functions. Their names start with distinct tokens, so one forward pass
/// over the request scores every function at once.
pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "status",
        description: "Show which files are modified, staged or untracked (git status)",
        params: &[],
    },
    Function {
        name: "log",
        description: "Show the commit history (git log)",
        params: &[optional("n", Kind::Integer, "How many commits")],
    },
    Function {
        name: "diff",
        description: "Show the changes not yet committed (git diff)",
        params: &[optional("staged", Kind::Boolean, "Only the staged changes")],
    },
    Function {
        name: "stage",
        description: "Stage files for the next commit (git add)",
        params: &[param("paths", Kind::Paths, "Files to stage")],
    },
    Function {
        name: "commit",
        description: "Record the staged changes in a commit (git commit)",
        params: &[optional("message", Kind::Text, "The commit message")],
    },
    Function {
        name: "push",
        description: "Upload local commits to the remote (git push)",
        params: &[],
    },
    Function {
        name: "pull",
        description: "Fetch and merge the remote's new commits (git pull)",
        params: &[],
    },
    Function {
        name: "branch",
        description: "Create a new branch (git branch)",
        params: &[param("name", Kind::Text, "The branch name")],
    },
    Function {
        name: "checkout",
        description: "Switch to another branch (git checkout)",
        params: &[param("name", Kind::Text, "The branch name")],
    },
    Function {
        name: "stash",
        description: "Set uncommitted changes aside for later (git stash)",
        params: &[],
    },
    Function {
        name: "read",
        description: "Print a file's contents",
        params: PATH,
    },
    Function {
        name: "list",
        description: "List the files in a directory",
        params: PATH,
    },
    Function {
        name: "delete",
        description: "Delete a file",
        params: PATH,
    },
    Function {
        name: "mkdir",
        description: "Create a directory",
        params: PATH,
    },
    Function {
        name: "run",
        description: "Run a shell command: build, test, install, compile",
        params: &[param("command", Kind::Text, "The command line")],
    },
    Function {
        name: "edit",
        description: "Change the project's code or docs: fix a bug, add a feature, refactor",
        params: &[
            copied("instruction", Kind::Text, "What to change"),
            copied("files", Kind::Paths, "Files named in the request"),
        ],
    },
    Function {
        name: "solve",
        description: "Write an algorithm or data structure, with its complexity",
        params: &[
            copied("problem", Kind::Text, "The problem"),
            copied("language", Kind::Text, "The programming language"),
        ],
    },
    Function {
        name: "answer",
        description: "Answer a question or explain a concept; nothing is changed",
        params: &[copied("question", Kind::Text, "The question")],
    },
    Function {
        name: "unclear",
        description: "The request is too vague to act on",
        params: &[],
    },
];

/// One declaration in FunctionGemma's syntax.
fn declaration(f: &Function) -> String {
    let properties: Vec<String> = f
        .params
        .iter()
        .map(|p| {
            format!(
                "{}:{{description:<escape>{}<escape>,{}}}",
                p.name,
                p.description,
                p.kind.declaration()
            )
        })
        .collect();
    let required: Vec<String> = f
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| format!("<escape>{}<escape>", p.name))
        .collect();
    format!(
        "<start_function_declaration>declaration:{}{{description:<escape>{}<escape>,parameters:{{properties:{{{}}},required:[{}],type:<escape>OBJECT<escape>}}}}<end_function_declaration>",
        f.name,
        f.description,
        properties.join(","),
        required.join(",")
    )
}

/// How a model is spoken to: its turns and how its calls are marked.
///
/// FunctionGemma's `<start_function_call>` and `<end_function_call>` are single tokens
/// of its vocabulary; a Gemma model without them (the Gemma 3 base model the tests use)
/// would read each as seven tokens of punctuation in every request's turn (a quarter of
/// its cost), so it gets its calls unmarked: `call:NAME{…}`. An instruction-tuned model
/// with ChatML turns (Qwen2.5, SmolLM2) gets the functions described in plain words in
/// its system turn and answers with the same unmarked calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    FunctionGemma,
    Gemma,
    ChatMl,
}

impl Dialect {
    /// The marker that opens a FunctionGemma call, the text its vocabulary must hold as
    /// one token.
    pub const OPEN: &str = "<start_function_call>";
    /// What opens a ChatML turn, one token in such a vocabulary.
    pub const CHAT_ML_OPEN: &str = "<|im_start|>";

    fn markers(self) -> (&'static str, &'static str) {
        match self {
            Dialect::FunctionGemma => (Self::OPEN, "<end_function_call>"),
            Dialect::Gemma | Dialect::ChatMl => ("", ""),
        }
    }

    /// A turn of `role` holding `text`, closed.
    fn turn_text(self, role: &str, text: &str) -> String {
        match self {
            Dialect::ChatMl => format!("<|im_start|>{role}\n{text}<|im_end|>\n"),
            Dialect::FunctionGemma | Dialect::Gemma => {
                let role = if role == "assistant" { "model" } else { role };
                format!("<start_of_turn>{role}\n{text}<end_of_turn>\n")
            }
        }
    }
}

/// A call in FunctionGemma's syntax, arguments in the order given.
pub fn call_text(name: &str, args: &[(&str, Value)], dialect: Dialect) -> String {
    let args: Vec<String> = args
        .iter()
        .map(|(k, v)| format!("{k}:{}", value_text(v)))
        .collect();
    let (open, close) = dialect.markers();
    format!("{open}call:{name}{{{}}}{close}", args.join(","))
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => format!("<escape>{s}<escape>"),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(value_text).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

/// A worked example: a request, the function it calls, and the call's arguments.
type Example = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Worked examples shown to the model before the request, one per kind of request the
/// rules leave to it, in the phrasings of `fixtures/routes.jsonl`. (A longer list was
/// tried and routed worse: the base model copied surface words from it.)
const EXAMPLES: &[Example] = &[
    ("what did I change in app.py", "diff", &[]),
    ("keep my current changes aside", "stash", &[]),
    ("share my work with the team", "push", &[]),
    ("show the last 4 commits", "log", &[("n", "4")]),
    ("what is in config.yaml", "read", &[("path", "config.yaml")]),
    ("remove the file tmp.log", "delete", &[("path", "tmp.log")]),
    (
        "build the project with npm",
        "run",
        &[("command", "npm run build")],
    ),
    ("add error handling to the login function", "edit", &[]),
    ("the parser fails on empty lines, fix it", "edit", &[]),
    ("implement Dijkstra's algorithm", "solve", &[]),
    ("an LRU cache with O(1) operations", "solve", &[]),
    ("explain how git rebase works", "answer", &[]),
    ("difference between a process and a thread", "answer", &[]),
    ("do the thing", "unclear", &[]),
];

/// Examples an instruction-tuned model gets as well: it read "logging" as a call for
/// the commit log.
const CHAT_ML_EXAMPLES: &[Example] = &[(
    "make the importer log a warning instead of crashing",
    "edit",
    &[],
)];

/// The system prompt: the declarations, then the worked examples as earlier turns.
/// Evaluated once; its KV state is what the cache keeps.
///
/// Only FunctionGemma, fine-tuned on them, gets the declarations. A model without the
/// call markers was not: to it they are about 900 tokens of markup that every request
/// then attends to. Without them the Gemma 3 base model routed all our corpora the
/// same (1439 of 1484 against 1440, with the bank's vote; 640 against 638 of the held
/// out without it) and a request took about a seventh less time (warm p95 86 ms
/// against 100).
pub fn prompt(dialect: Dialect) -> String {
    let mut out = match dialect {
        Dialect::FunctionGemma => {
            let declarations: String = FUNCTIONS.iter().map(declaration).collect();
            dialect.turn_text(
                "developer",
                &format!("You are a model that can do function calling with the following functions{declarations}"),
            )
        }
        Dialect::Gemma => dialect.turn_text(
            "developer",
            "You are a model that can do function calling with the following functions",
        ),
        Dialect::ChatMl => dialect.turn_text("system", &described()),
    };
    let extra: &[Example] = match dialect {
        Dialect::ChatMl => CHAT_ML_EXAMPLES,
        Dialect::FunctionGemma | Dialect::Gemma => &[],
    };
    for (request, name, args) in EXAMPLES.iter().chain(extra) {
        let args: Vec<(&str, Value)> = args
            .iter()
            .map(|(k, v)| {
                let value = v.parse::<u64>().map_or_else(|_| json!(v), |n| json!(n));
                (*k, value)
            })
            .collect();
        out.push_str(&dialect.turn_text("user", request));
        out.push_str(&dialect.turn_text("assistant", &call_text(name, &args, dialect)));
    }
    // Every request's turn opens the same way: that belongs to the cached prompt.
    out.push_str(opening(dialect));
    out
}

/// The functions in plain words, for an instruction-tuned model's system turn.
fn described() -> String {
    let mut out = String::from(
        "You route requests to a git assistant. A request may be in any language and may have typos. Answer each with exactly one call, call:NAME{ARGUMENTS}, naming one of these functions:\n",
    );
    for f in FUNCTIONS {
        let params: Vec<&str> = f
            .params
            .iter()
            .filter(|p| !p.from_request)
            .map(|p| p.name)
            .collect();
        out.push_str(&format!(
            "- {}({}): {}\n",
            f.name,
            params.join(", "),
            f.description
        ));
    }
    out
}

/// How a request's turn opens; the prompt ends with it.
fn opening(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::ChatMl => "<|im_start|>user\n",
        Dialect::FunctionGemma | Dialect::Gemma => "<start_of_turn>user\n",
    }
}

/// What follows the prompt (which ends with the turn's opening) for one request, split
/// so that the request is tokenized as plain text (a request cannot smuggle control
/// tokens in): the request, and the closing that leads the model into its call.
pub fn turn(request: &str, dialect: Dialect) -> [&str; 2] {
    [
        request,
        match dialect {
            Dialect::FunctionGemma => {
                "<end_of_turn>\n<start_of_turn>model\n<start_function_call>call:"
            }
            Dialect::Gemma => "<end_of_turn>\n<start_of_turn>model\ncall:",
            Dialect::ChatMl => "<|im_end|>\n<|im_start|>assistant\ncall:",
        },
    ]
}

/// Candidate values for a generated parameter: the spans of the request a value may
/// be (so the model cannot invent one).
pub fn candidates(p: &Param, request: &str) -> Vec<String> {
    let raw: Vec<&str> = request.split_whitespace().collect();
    let clean = |w: &str| {
        w.trim_matches(|c: char| matches!(c, ',' | ';' | '?' | '!' | '"' | '\'' | '`' | ')' | '('))
            .trim_end_matches('.')
            .to_string()
    };
    let words = || raw.iter().map(|w| clean(w)).filter(|w| !w.is_empty());
    // Runs of whole words whose first word passes `first`.
    let spans = |first: &dyn Fn(&str) -> bool| {
        let mut out = Vec::new();
        for start in (0..raw.len()).filter(|&s| first(raw[s])) {
            for end in start + 1..=raw.len() {
                out.push(clean(&raw[start..end].join(" ")));
            }
        }
        out.retain(|s| !s.is_empty());
        out
    };
    match p.kind {
        Kind::Integer => words().filter(|w| w.parse::<u32>().is_ok()).collect(),
        Kind::Paths => paths_in(request),
        Kind::Boolean => vec!["true".into(), "false".into()],
        Kind::Text if p.name == "path" => {
            let paths = paths_in(request);
            if paths.is_empty() {
                words().collect()
            } else {
                paths
            }
        }
        Kind::Text if p.name == "name" => words().collect(),
        // A command starts with a command's name.
        Kind::Text if p.name == "command" => spans(&crate::route::rules::is_command_word),
        // A message: what the request quotes, when it quotes anything (a preamble's
        // words are never the message then); otherwise any run of words.
        Kind::Text => {
            let quoted: Vec<String> = text::quoted_spans(request)
                .into_iter()
                .map(str::to_string)
                .collect();
            if quoted.is_empty() {
                spans(&|_| true)
            } else {
                quoted
            }
        }
    }
}

/// Whether the model may call `f` for this request: every parameter it must spell has
/// something in the request to spell it from.
pub fn possible(f: &Function, request: &str) -> bool {
    f.params
        .iter()
        .filter(|p| p.required && !p.from_request)
        .all(|p| !candidates(p, request).is_empty())
}

/// What opens a parameter's value in a call being written: its key, after what
/// separates it from the value `before` it (`None` for the first): a number or a
/// boolean was ended by its own `,` (see `value_end`), a list still needs closing.
pub fn key_text(p: &Param, before: Option<Kind>) -> String {
    let separator = match before {
        None => "{",
        Some(Kind::Integer | Kind::Boolean) => "",
        Some(Kind::Paths) => "],",
        Some(Kind::Text) => ",",
    };
    let opening = match p.kind {
        Kind::Text => "<escape>",
        Kind::Paths => "[<escape>",
        Kind::Integer | Kind::Boolean => "",
    };
    format!("{separator}{}:{opening}", p.name)
}

/// What closes a written value: a string's `<escape>` (a comma inside a message does
/// not end it); a number or a boolean has no delimiter, so what follows it: `,` before
/// another parameter, `}` at the end of the call.
pub fn value_end(kind: Kind, last: bool) -> &'static str {
    match kind {
        Kind::Text | Kind::Paths => "<escape>",
        Kind::Integer | Kind::Boolean if last => "}",
        Kind::Integer | Kind::Boolean => ",",
    }
}

/// Turns the model's call into an action, checking every parameter against the
/// request; `Err` says why the call is not trusted.
pub fn action(name: &str, args: &Map<String, Value>, request: &str) -> Result<Action, String> {
    let (core, _) = text::core(request);
    let string = |key: &str| args.get(key).and_then(Value::as_str).map(str::to_string);
    let mentioned = |value: &str| crate::syntax::spelled_in(request, value);
    let path = || -> Result<String, String> {
        let path = string("path").ok_or("no path given")?;
        if !mentioned(&path) {
            return Err(format!("the path {path:?} is not in the request"));
        }
        Ok(path)
    };
    let git = |action: GitAction| Action::Git {
        action,
        args: Vec::new(),
    };
    let file = |action: FileAction| -> Result<Action, String> {
        Ok(Action::File {
            action,
            path: path()?,
        })
    };
    Ok(match name {
        "status" => git(GitAction::Status),
        "log" => git(GitAction::Log {
            n: args
                .get("n")
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok()),
        }),
        "diff" => git(GitAction::Diff {
            staged: args.get("staged").and_then(Value::as_bool) == Some(true),
            paths: Vec::new(),
        }),
        "stage" => {
            let paths: Vec<String> = args
                .get("paths")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            if paths.is_empty() || !paths.iter().all(|p| mentioned(p)) {
                return Err("the paths to stage are not all in the request".into());
            }
            git(GitAction::Add { paths })
        }
        "commit" => git(GitAction::Commit {
            message: string("message").filter(|m| mentioned(m)),
            all: false,
            paths: Vec::new(),
        }),
        "push" => git(GitAction::Push),
        "pull" => git(GitAction::Pull),
        "stash" => git(GitAction::Stash),
        "branch" | "checkout" => {
            let name_arg = string("name").ok_or("no branch name given")?;
            if !mentioned(&name_arg) || name_arg.contains(char::is_whitespace) {
                return Err(format!("{name_arg:?} is not a branch named in the request"));
            }
            if name == "branch" {
                git(GitAction::Branch {
                    name: Some(name_arg),
                })
            } else {
                git(GitAction::Checkout {
                    name: name_arg,
                    create: false,
                })
            }
        }
        "read" => file(FileAction::Read)?,
        "list" => file(FileAction::List)?,
        "delete" => {
            let p = path()?;
            if !is_path_like(&p) {
                return Err(format!("{p:?} does not look like a file"));
            }
            Action::File {
                action: FileAction::Delete,
                path: p,
            }
        }
        // "a blank file called notes.txt": a name with an extension is a file's.
        "mkdir" => match file(FileAction::Mkdir)? {
            Action::File { path, .. } if super::names_a_file(&path) && path != "." => {
                return Err(format!("{path:?} names a file, not a directory"));
            }
            action => action,
        },
        "run" => {
            let command = string("command").ok_or("no command given")?;
            if !mentioned(&command) {
                return Err(format!("the command {command:?} is not in the request"));
            }
            Action::Shell {
                command: Some(command),
            }
        }
        "edit" => Action::Code {
            files: paths_in(core),
            instruction: core.to_string(),
        },
        "solve" => Action::Algorithm {
            problem: core.to_string(),
            language: crate::route::rules::language(core),
        },
        "answer" => Action::Question {
            question: core.to_string(),
        },
        "unclear" => return Err("the model finds the request too vague".into()),
        other => return Err(format!("{other:?} is not a declared function")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn function(name: &str) -> Option<&'static Function> {
        FUNCTIONS.iter().find(|f| f.name == name)
    }

    #[test]
    fn an_instruction_tuned_model_gets_the_functions_in_words_and_chat_ml_turns() {
        let p = prompt(Dialect::ChatMl);
        assert!(p.starts_with("<|im_start|>system\n"), "{p}");
        assert!(!p.contains("<start_of_turn>") && !p.contains("declaration"));
        for f in FUNCTIONS {
            assert!(
                p.contains(&format!("- {}(", f.name)),
                "{} is not described",
                f.name
            );
        }
        assert!(p.contains("<|im_start|>assistant\ncall:stash{}<|im_end|>\n"));
        assert!(p.ends_with("<|im_start|>user\n"));
        let [request, closing] = turn("show me the log", Dialect::ChatMl);
        assert_eq!(request, "show me the log");
        assert_eq!(closing, "<|im_end|>\n<|im_start|>assistant\ncall:");
        // The Gemma prompts are as they were: their cached states stay valid.
        assert!(!prompt(Dialect::Gemma).contains("importer"));
    }

    #[test]
    fn a_directory_is_not_made_of_a_file_name() {
        let args = |path: &str| json!({ "path": path }).as_object().cloned().unwrap();
        let request = "I'd like a blank file called notes.txt, create it";
        assert!(action("mkdir", &args("notes.txt"), request).is_err());
        let made = action("mkdir", &args("build"), "make a build folder").unwrap();
        assert_eq!(made.name(), "mkdir");
    }

    #[test]
    fn declarations_follow_function_gemma_syntax() {
        let log = declaration(function("log").unwrap());
        assert_eq!(
            log,
            "<start_function_declaration>declaration:log{description:<escape>Show the commit history (git log)<escape>,parameters:{properties:{n:{description:<escape>How many commits<escape>,type:<escape>INTEGER<escape>}},required:[],type:<escape>OBJECT<escape>}}<end_function_declaration>"
        );
        assert_eq!(
            call_text("read", &[("path", json!("a.py"))], Dialect::FunctionGemma),
            "<start_function_call>call:read{path:<escape>a.py<escape>}<end_function_call>"
        );
        assert_eq!(
            call_text("log", &[("n", json!(3))], Dialect::Gemma),
            "call:log{n:3}"
        );
        let bare = prompt(Dialect::Gemma);
        assert!(!bare.contains("function_call>"));
        assert!(bare.contains("call:stash{}<end_of_turn>"));
        assert!(turn("x", Dialect::Gemma)[1].ends_with("model\ncall:"));
        assert!(!bare.contains("declaration"));
        let p = prompt(Dialect::FunctionGemma);
        assert!(p.contains("<start_function_call>call:stash{}<end_function_call>"));
        assert!(p.starts_with("<start_of_turn>developer\n"));
        assert_eq!(
            p.matches("<start_function_declaration>").count(),
            FUNCTIONS.len()
        );
    }

    #[test]
    fn names_are_distinct() {
        let mut names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FUNCTIONS.len());
    }

    #[test]
    fn invented_parameters_are_rejected() {
        let args = |k: &str, v: &str| {
            let mut m = Map::new();
            m.insert(k.into(), json!(v));
            m
        };
        assert!(action("read", &args("path", "secret.txt"), "show notes.txt").is_err());
        assert_eq!(
            action(
                "read",
                &args("path", "notes.txt"),
                "what's inside notes.txt"
            ),
            Ok(Action::File {
                action: FileAction::Read,
                path: "notes.txt".into()
            })
        );
        assert!(action("run", &args("command", "rm -rf /"), "compile it with make").is_err());
        assert!(action("checkout", &args("name", "dev"), "go to develop").is_err());
        assert!(action("unclear", &Map::new(), "hmm").is_err());
        assert!(action("teleport", &Map::new(), "hmm").is_err());
    }

    #[test]
    fn keys_and_ends_write_what_call_text_writes() {
        let n = optional("n", Kind::Integer, "");
        let paths = param("paths", Kind::Paths, "");
        let message = optional("message", Kind::Text, "");
        let written = [
            key_text(&n, None),
            "3".into(),
            value_end(Kind::Integer, false).into(),
            key_text(&paths, Some(Kind::Integer)),
            "a.py".into(),
            value_end(Kind::Paths, false).into(),
            key_text(&message, Some(Kind::Paths)),
            "fix, then test".into(),
            value_end(Kind::Text, true).into(),
        ]
        .concat();
        let args = [
            ("n", json!(3)),
            ("paths", json!(["a.py"])),
            ("message", json!("fix, then test")),
        ];
        let call = call_text("f", &args, Dialect::Gemma);
        assert_eq!(call, format!("call:f{written}}}"));
    }

    #[test]
    fn candidates_are_spans_of_the_request() {
        let command = function("run").unwrap().params.first().unwrap();
        let spans = candidates(command, "compile the project with make");
        assert!(spans.contains(&"make".to_string()));
        assert!(!spans.contains(&"compile the project".to_string()));
        assert!(candidates(command, "refactor database.py to use a context manager").is_empty());
        assert!(!spans.iter().any(|s| s.contains("cargo")));
        let message = function("commit").unwrap().params.first().unwrap();
        let request =
            "it's done, I've checked. can you commit it with the message 'fix: cap retries'";
        assert_eq!(
            candidates(message, request),
            vec!["fix: cap retries".to_string()]
        );
        let n = function("log").unwrap().params.first().unwrap();
        assert_eq!(candidates(n, "the last 3 things"), vec!["3".to_string()]);
    }
}
