//! What to offer when nothing can place a request: the two or three routes it most
//! plausibly meant, each with a line saying what it would do and the exact words that
//! select it, so that the caller can let the user choose (on a terminal) or name them
//! in its error (without one) instead of guessing. A request nothing placed is never
//! an edit with no target.

use crate::route::text::{self, paths_in};
use crate::route::{Action, FileAction, GitAction};

/// One route an unplaced request may have meant.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The route it would take.
    pub action: Action,
    /// One line saying what that route does, for a menu or an error message.
    pub description: String,
    /// The command line that selects it without doubt, e.g. `git codey "git log"` or
    /// `git codey edit --file F "…"`.
    pub phrasing: String,
}

impl Candidate {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "intent": self.action.intent().as_str(),
            "tool": self.action.tool(),
            "action": self.action.name(),
            "description": self.description,
            "phrasing": self.phrasing,
        })
    }
}

/// Git words a request may mention without saying what to do with them.
const GIT_WORDS: &[(&str, &str)] = &[
    ("status", "show the working tree's status"),
    ("log", "show the commit history"),
    ("history", "show the commit history"),
    ("diff", "show the uncommitted changes"),
    ("changes", "show the uncommitted changes"),
    ("branch", "list the branches"),
    ("branches", "list the branches"),
    ("stash", "stash the uncommitted changes"),
    ("commit", "commit the staged changes"),
    ("push", "push the current branch"),
    ("pull", "pull from the remote"),
];

/// Up to three candidate routes for a request the rules could not place, most
/// plausible first.
pub fn candidates(core: &str) -> Vec<Candidate> {
    let mut out = Vec::new();
    let quoted = quote(core);
    let files = paths_in(core);
    let asks = core.ends_with('?')
        || core
            .split_whitespace()
            .next()
            .is_some_and(crate::route::text::is_question_word);
    let question = Candidate {
        action: Action::Question {
            question: core.to_string(),
        },
        description: "answer it as a question, changing nothing".into(),
        phrasing: format!(
            "git codey {}",
            quote(&format!("{}?", core.trim_end_matches('?')))
        ),
    };
    if asks {
        out.push(question.clone());
    }
    for file in &files {
        out.push(Candidate {
            action: Action::Code {
                files: vec![file.clone()],
                instruction: core.to_string(),
            },
            description: format!("change the code in {file} as the request says"),
            phrasing: format!("git codey edit --file {file} {quoted}"),
        });
        out.push(Candidate {
            action: Action::File {
                action: FileAction::Read,
                path: file.clone(),
            },
            description: format!("show the contents of {file}"),
            phrasing: format!("git codey {}", quote(&format!("read {file}"))),
        });
    }
    let lower = core.to_ascii_lowercase();
    if let Some((word, description)) = GIT_WORDS.iter().find(|(w, _)| {
        lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|x| x == *w)
    }) {
        let sub = match *word {
            "history" => "log",
            "changes" => "diff",
            "branches" => "branch",
            w => w,
        };
        out.push(Candidate {
            action: git_action(sub),
            description: format!("git {sub}: {description}"),
            phrasing: format!("git codey {}", quote(&format!("git {sub}"))),
        });
    }
    if files.is_empty() {
        out.push(Candidate {
            action: Action::Code {
                files: Vec::new(),
                instruction: core.to_string(),
            },
            description: "change code as the request says, in the file you name".into(),
            phrasing: format!("git codey edit --file FILE {quoted}"),
        });
    }
    if !asks {
        out.push(question);
    }
    if out.len() < 3 && looks_like_a_program(core) {
        out.push(Candidate {
            action: Action::Shell {
                command: Some(core.to_string()),
            },
            description: "run it as a shell command".into(),
            phrasing: format!("git codey {}", quote(&format!("run {core}"))),
        });
    }
    out.truncate(3);
    out
}

/// Words that open a question whatever follows ("do", "can" open requests too).
fn git_action(sub: &str) -> Action {
    let action = match sub {
        "status" => GitAction::Status,
        "log" => GitAction::Log { n: None },
        "diff" => GitAction::Diff {
            staged: false,
            paths: Vec::new(),
        },
        "branch" => GitAction::Branch { name: None },
        "stash" => GitAction::Stash,
        "commit" => GitAction::Commit {
            message: None,
            all: false,
            paths: Vec::new(),
        },
        "push" => GitAction::Push,
        _ => GitAction::Pull,
    };
    Action::Git {
        action,
        args: Vec::new(),
    }
}

/// One lower-case word with no spaces could be a program the rules do not know.
fn looks_like_a_program(core: &str) -> bool {
    let mut words = core.split_whitespace();
    let first = words.next().unwrap_or("");
    first.len() > 1
        && first
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
        && words.all(|w| w.starts_with('-') || text::is_path_like(w))
}

/// The text as one shell word in double quotes.
fn quote(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('$', "\\$")
        .replace('`', "\\`");
    format!("\"{escaped}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unplaced_request_offers_a_question_and_an_edit_that_names_its_file() {
        let offered = candidates("do the usual");
        assert!((2..=3).contains(&offered.len()));
        assert_eq!(
            offered[0].phrasing,
            "git codey edit --file FILE \"do the usual\""
        );
        assert_eq!(offered[1].phrasing, "git codey \"do the usual?\"");
    }

    #[test]
    fn named_files_and_git_words_are_offered_first() {
        let offered = candidates("notes.md from yesterday");
        assert_eq!(
            offered[0].phrasing,
            "git codey edit --file notes.md \"notes.md from yesterday\""
        );
        assert_eq!(offered[1].phrasing, "git codey \"read notes.md\"");
        let offered = candidates("that history thing");
        assert!(
            offered
                .iter()
                .any(|c| c.phrasing == "git codey \"git log\"")
        );
        assert!(offered.iter().all(|c| !c.description.is_empty()));
    }

    #[test]
    fn phrasings_survive_a_shell() {
        assert_eq!(quote("say \"hi\" $HOME"), "\"say \\\"hi\\\" \\$HOME\"");
    }
}
