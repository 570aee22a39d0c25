//! What a step would do, in words a user can check before saying yes: the exact git
//! command lines, the shell command, or a sentence for a file action.

use crate::route::{Action, FileAction};

/// What a step would do, as a command line or a sentence.
pub fn describe_action(action: &Action) -> String {
    match action {
        Action::Git { action, args } => crate::tools::git::invocations(action, args)
            .iter()
            .map(|argv| {
                let mut line = String::from("git");
                for a in argv {
                    line.push(' ');
                    line.push_str(&shell_words::quote(a));
                }
                line
            })
            .collect::<Vec<_>>()
            .join(" && "),
        Action::Shell { command } => format!("$ {}", command.as_deref().unwrap_or("(no command)")),
        Action::File { action, path } => match action {
            FileAction::Read => format!("show the contents of {path}"),
            FileAction::List => format!("list {path}"),
            FileAction::Create => format!("create the empty file {path}"),
            FileAction::Delete => format!("delete {path}"),
            FileAction::Mkdir => format!("create the directory {path}"),
        },
        other => other.name().to_string(),
    }
}
