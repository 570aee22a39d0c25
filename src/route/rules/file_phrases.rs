//! Natural phrasings of the file actions: read, list, create, delete, mkdir.

use super::{CLEAR, file};
use crate::route::text::is_path_like;
use crate::route::{Action, FileAction};

/// A path operand: one path-like token, or a quoted name.
pub(super) fn operand(s: &str) -> Option<&str> {
    let s = s.trim();
    let s = s
        .strip_prefix(['"', '\'', '`'])
        .and_then(|i| i.strip_suffix(['"', '\'', '`']))
        .unwrap_or(s);
    (!s.is_empty() && !s.contains(char::is_whitespace)).then_some(s)
}

/// Directory words that mean the whole repository.
pub(super) fn repo_root(word: &str) -> bool {
    regex!(r"(?i)^(?:the\s+|this\s+|my\s+|our\s+)?(?:repo|repository|project|top\s+of\s+(?:the\s+|this\s+)?(?:repo|repository|project)|(?:(?:repo|repository|project)(?:'s)?\s+)?(?:root|top[\s-]level|top\s+folder|top\s+directory)(?:\s+(?:directory|folder|dir))?(?:\s+of\s+(?:the\s+|this\s+)?(?:project|repo|repository|codebase))?|current|current\s+directory|current\s+folder|this\s+directory|this\s+folder|here|codebase|\.|\./)$").is_match(word)
}

/// Natural phrasings of the file actions.
pub(super) fn file_phrase(core: &str) -> Option<(Action, f32)> {
    // "read the file 'pros and cons.md'", "make a folder called "old stuff"": a quoted
    // name with spaces, read through a stand-in word and then put back.
    let Some((name, at)) = spaced_name(core) else {
        return plain_file_phrase(core);
    };
    let stand_in = if name.rsplit(' ').next().is_some_and(|w| w.contains('.')) {
        "codey-spaced-name.txt"
    } else {
        "codey-spaced-name/"
    };
    match plain_file_phrase(&format!("{}{stand_in}", &core[..at]))? {
        (Action::File { action, path }, confidence)
            if path.trim_end_matches('/') == stand_in.trim_end_matches('/') =>
        {
            Some((
                Action::File {
                    action,
                    path: name.to_string(),
                },
                confidence,
            ))
        }
        _ => None,
    }
}

/// A quoted name with a space in it that ends the request, and where its quote opens.
fn spaced_name(core: &str) -> Option<(&str, usize)> {
    let c = core.trim_end_matches('?').trim_end();
    let quote = c
        .chars()
        .next_back()
        .filter(|q| matches!(q, '\'' | '"' | '`'))?;
    let body = &c[..c.len() - 1];
    let open = body.rfind(quote)?;
    let name = &body[open + 1..];
    (name.contains(' ') && name.trim() == name && name.len() <= 100 && body[..open].ends_with(' '))
        .then_some((name, open))
}

fn plain_file_phrase(core: &str) -> Option<(Action, f32)> {
    let c = core.trim_end_matches('?').trim_end();

    if let Some(caps) = regex!(r"(?i)^(?:create|make|add|new|i\s+need|i\s+want|give\s+me)\s+(?:a\s+|an\s+|one\s+|the\s+)?(?:new\s+)?(?:empty\s+)?(?:directory|folder|dir|subdirectory|subfolder)(?:\s*:)?\s+(?:called\s+|named\s+|at\s+|with\s+(?:the\s+)?name\s+)?(\S+)(?:\s+(?:where|so\s+(?:that\s+)?)\s*(?:i|we)\s+can\s+(?:put|keep|store|save)\b[^,;]*)?$").captures(c) {
        let path = operand(&caps[1])?;
        return file(FileAction::Mkdir, path, CLEAR);
    }
    // "make a lib folder", "create a new docs directory": the name before the word.
    if let Some(caps) = regex!(r"(?i)^(?:create|make|add)\s+(?:a|an|the)\s+(?:new\s+)?(?:empty\s+)?([\w.-]+)\s+(?:directory|folder|dir)$").captures(c) {
        let path = operand(&caps[1])?;
        if !["new", "empty", "separate", "single", "second", "another"]
            .contains(&path.to_ascii_lowercase().as_str())
        {
            return file(FileAction::Mkdir, path, CLEAR);
        }
    }
    // "put an empty index.md in it", "create inside it the file settings.yaml": a new
    // file, in the folder a plan's step before made (see `plan`).
    if let Some(caps) = regex!(r"(?i)^put\s+(?:an?\s+)?(?:new\s+|empty\s+|blank\s+)+(?:file\s+)?(\S+)(?:\s+file)?\s+(?:in|inside|into)\s+(?:it|there)$").captures(c)
        .or_else(|| regex!(r"(?i)^(?:create|make|put)\s+(?:inside|in\s+(?:it|there))(?:\s+(?:it|there))?\s+(?:an?\s+|the\s+)?(?:new\s+|empty\s+|blank\s+)*(?:file\s+)?(\S+)$").captures(c))
        && let Some(path) = operand(&caps[1])
        && is_path_like(path)
    {
        return file(FileAction::Create, path, CLEAR);
    }
    if let Some(caps) = regex!(r"(?i)^(?:create|make|touch|new|add)\s+(?:(?:a\s+|an\s+|one\s+)?(?:new\s+)?(?:empty\s+|blank\s+)?|the\s+(?:new\s+)?(?:empty|blank)\s+|the\s+(?:new\s+)?file\s+)(?:placeholder\s+)?(?:file(?:\s*:)?\s+)?(?:(?:empty|blank)\s+)?(?:called\s+|named\s+|at\s+|with\s+(?:the\s+)?name\s+)?(\S+)(?:\s+file)?(?:\s+(?:inside|in)\s+(?:it|there)|\s+(?:at|in)\s+the\s+(?:repo(?:sitory)?\s+)?(?:root|top\s+level)(?:\s+of\s+the\s+(?:repo|repository|project))?)?$").captures(c) {
        let path = operand(&caps[1])?;
        let said_file = regex!(r"(?i)\b(?:file|empty|blank)\b").is_match(c);
        if is_path_like(path) && (said_file || !c.to_ascii_lowercase().starts_with("add")) {
            return file(FileAction::Create, path, CLEAR);
        }
    }
    // "put an index.md file in it": a new file, in the folder just made (see the
    // planner) or the one named.
    if let Some(caps) = regex!(r"(?i)^put\s+(?:a|an|one)\s+(?:new\s+)?(?:empty\s+|blank\s+)?(?:file\s+(?:called\s+|named\s+)?)?(\S+?)(?:\s+file)?\s+(?:in|inside|into)\s+(?:(it|there)|(?:the\s+)?(?:folder\s+|directory\s+)?(\S+?)(?:\s+(?:folder|directory))?)$").captures(c) {
        let name = operand(&caps[1])?;
        // ("put a console.log in it" is code: a file is said to be one.)
        let said_file = regex!(r"(?i)\bfile\b").is_match(c);
        if is_path_like(name) && name.contains('.') && said_file {
            return match caps.get(3) {
                Some(folder) if is_path_like(folder.as_str()) || !folder.as_str().contains('.') => {
                    let folder = folder.as_str().trim_end_matches('/');
                    file(FileAction::Create, &format!("{folder}/{name}"), CLEAR)
                }
                Some(_) => None,
                None => file(FileAction::Create, name, CLEAR),
            };
        }
    }
    if let Some(caps) = regex!(r"(?i)^(?:delete|remove|erase|trash)\s+(?:the\s+)?(?:(?:old|stale)\s+)?(?:file\s+|directory\s+|folder\s+|empty\s+directory\s+)?(\S+)(\s+(?:file|directory|folder|dir))?(?:\s+from\s+(?:the\s+)?(?:repo|repository|project|disk))?$").captures(c) {
        let path = operand(&caps[1])?;
        // "delete the folder tmp", "nuke the tmp dir": a name said to be a folder is
        // one, when it is no word ("remove the folder icon" is about code).
        let folder_after = caps
            .get(2)
            .is_some_and(|m| !m.as_str().trim().eq_ignore_ascii_case("file"));
        // Folders projects keep by convention are folders whatever else the word means
        // ("delete the build folder").
        const CONVENTIONAL: &[&str] = &[
            "build", "dist", "out", "target", "bin", "obj", "logs", "log", "cache", "tmp", "temp",
            "coverage", "vendor", "output", "release", "debug", "data", "docs", "public",
            "static", "assets",
        ];
        let lower = path.to_ascii_lowercase();
        let said = (folder_after || regex!(r"(?i)\s(?:directory|folder)\s+\S+$").is_match(c))
            && (!crate::route::typos::english(&lower) || CONVENTIONAL.contains(&lower.as_str()));
        if is_path_like(path) || said {
            return file(FileAction::Delete, path, CLEAR);
        }
    }
    // "what's written in docs/CONTRIBUTING.md": a file's words, asked for.
    if let Some(caps) =
        regex!(r"(?i)^what(?:'s|s|\s+is)\s+(?:written|said)\s+in\s+(?:the\s+)?(?:file\s+)?(\S+)$")
            .captures(c)
    {
        let path = operand(&caps[1])?;
        if is_path_like(path) && path.contains('.') && !path.ends_with('/') {
            return file(FileAction::Read, path, CLEAR);
        }
    }
    if let Some(caps) = regex!(r"(?i)^(?:read|show|open(?:\s+up)?|display|print(?:\s+out)?|view|cat|see|output|dump|preview|let\s+me\s+see)\s+(?:me\s+)?(?:what(?:'s|s|\s+is)\s+(?:in|inside|written\s+in)\s+)?(?:the\s+)?(?:(?:full\s+|whole\s+|entire\s+)?contents?\s+of\s+|content\s+of\s+|text\s+of\s+)?(?:the\s+)?(?:file\s+)?(\S+)(?:\s+file)?$").captures(c) {
        let path = operand(&caps[1])?;
        if is_path_like(path) && !path.ends_with('/') {
            return file(FileAction::Read, path, CLEAR);
        }
    }
    if let Some(caps) =
        regex!(r"(?i)^what(?:'s|s|\s+is)\s+(?:in|inside)\s+(?:the\s+)?(?:file\s+)?(\S+)$")
            .captures(c)
    {
        let path = operand(&caps[1])?;
        if is_path_like(path) && !path.ends_with('/') {
            // "whats in pkg/server": a folder's name, with no extension; what is in a
            // folder is its listing.
            let action = if crate::route::text::names_folder(path) {
                FileAction::List
            } else {
                FileAction::Read
            };
            return file(action, path, CLEAR);
        }
    }
    if let Some(caps) =
        regex!(r"(?i)^(?:list|show)\s+(?:me\s+)?(?:the\s+)?(\S+)\s+(?:folder|directory|dir)$")
            .captures(c)
            .or_else(|| {
                regex!(
                    r"(?i)^(?:list|show)\s+(?:me\s+)?(?:the\s+)?(?:folder|directory|dir)\s+(\S+)$"
                )
                .captures(c)
            })
        && let Some(path) = folder(&caps[1])
        && !matches!(
            path.to_ascii_lowercase().as_str(),
            "current" | "this" | "whole" | "entire"
        )
        && !matches!(
            path.to_ascii_lowercase().as_str(),
            "contents"
                | "content"
                | "structure"
                | "tree"
                | "listing"
                | "picker"
                | "icon"
                | "view"
                | "name"
                | "path"
                | "size"
                | "permissions"
                | "dialog"
                | "button"
        )
    {
        return file(FileAction::List, path, CLEAR);
    }
    if let Some(caps) = regex!(r"(?i)^what\s+files\s+(?:live|are|exist|sit)\s+(?:in|under|inside)\s+(?:the\s+)?(\S+?)(?:\s+(?:folder|directory|dir))?$")
        .captures(c)
        .or_else(|| regex!(r"(?i)^list\s+(?:whatever(?:'s|\s+is)|what(?:'s|s|\s+is)|everything)\s+(?:in|under|inside)\s+(?:the\s+)?(\S+?)(?:\s+(?:folder|directory|dir))?$").captures(c))
        // "FILES IN src/components", "files under docs/".
        .or_else(|| regex!(r"(?i)^(?:the\s+)?files\s+(?:in|under|inside)\s+(?:the\s+)?(\S+?)(?:\s+(?:folder|directory|dir))?$").captures(c))
    {
        return file(FileAction::List, folder(&caps[1])?, CLEAR);
    }
    // "show me what's in the root folder", "list what's at the top level of the
    // project": a folder said as one ("what's in config.py" is the file's to read).
    if let Some(caps) = regex!(r"(?i)^(?:list|show|display|print)\s+(?:me\s+)?(?:whatever(?:'s|\s+is)|what(?:'s|s|\s+is)(?:\s+left)?|everything)\s+(?:at|in|inside|under)\s+(.+?)$").captures(c) {
        let target = caps[1].trim();
        if repo_root(target) || regex!(r"(?i)(?:/|\s(?:folder|directory|dir))$").is_match(target) {
            return file(FileAction::List, list_target(target)?, CLEAR);
        }
    }
    if let Some(caps) = regex!(r"(?i)^(?:list|show|display|view|see|print)\s+(?:me\s+)?(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:current\s+|whole\s+)?(?:files|contents|content|directory\s+(?:structure|tree|contents|listing)|project\s+(?:structure|tree|files|layout)|repo(?:sitory)?\s+(?:structure|tree|files|layout)|file\s+(?:tree|structure|list)|tree|folder\s+(?:structure|contents)|directory|folder|everything|(?:repo(?:sitory)?|project)(?:\s+root)?|root(?:\s+(?:folder|directory))?)(?:\s+(?:sitting|living|located|lying|that\s+(?:are|live|sit)))?(?:\s+here|\s+(?:at|in)\s+the\s+(?:repo(?:sitory)?\s+|project\s+|top\s+)?(?:root|top\s+level)(?:\s+(?:of|folder\s+of|directory\s+of)\s+(?:the\s+|this\s+)?(?:project|repo(?:sitory)?))?|\s+(?:in|under|of|inside|within|from)\s+(.+?))?$").captures(c) {
        let path = match caps.get(1) {
            None => ".",
            Some(m) => list_target(m.as_str())?,
        };
        return file(FileAction::List, path, CLEAR);
    }
    if let Some(caps) = regex!(r"(?i)^(?:what|which)\s+files\s+(?:are\s+|do\s+we\s+have\s+|exist\s+)?(?:even\s+|actually\s+)?(?:(?:sitting|living|located|lying)\s+)?(?:there\s+)?(?:(?:in|under|inside|at)\s+(.+?))?$").captures(c) {
        let path = match caps.get(1) {
            None => ".",
            Some(m) => list_target(m.as_str())?,
        };
        return file(FileAction::List, path, CLEAR);
    }
    if let Some(caps) = regex!(
        r"(?i)^what(?:'s|s|\s+is)\s+(?:in|inside)\s+(?:the\s+)?(\S+)\s+(?:directory|folder|dir)$"
    )
    .captures(c)
    {
        // "what's in this folder?": the one the request is made in.
        let path = if caps[1].eq_ignore_ascii_case("this") {
            "."
        } else {
            folder(&caps[1])?
        };
        return file(FileAction::List, path, CLEAR);
    }
    if c == "ls" {
        return file(FileAction::List, ".", CLEAR);
    }
    if let Some(caps) = regex!(r"(?i)^(?:list|ls)\s+(\S+)$").captures(c) {
        let target = list_target(&caps[1])?;
        // "… stashes? list them": a pronoun is what came before, no folder.
        let pronoun = ["them", "it", "these", "those", "that", "this"]
            .iter()
            .any(|p| target.eq_ignore_ascii_case(p));
        if !pronoun && (!is_path_like(target) || target.contains('/') || target == ".") {
            return file(FileAction::List, target, CLEAR);
        }
    }
    None
}

/// A folder named in one word: "root" and its kin are the repository's root.
fn folder(word: &str) -> Option<&str> {
    if repo_root(word) {
        Some(".")
    } else {
        operand(word)
    }
}

/// The directory a "list …" request names: a path, or a word for the repository root.
pub(super) fn list_target(text: &str) -> Option<&str> {
    let t = text.trim();
    if repo_root(t) {
        return Some(".");
    }
    let t = regex!(r"(?i)^(?:the\s+)?(?:directory\s+|folder\s+|dir\s+)?").replace(t, "");
    let start = text.len() - text.trim_start().len() + (text.trim().len() - t.len());
    let t = &text[start..];
    let t = t
        .trim_end()
        .trim_end_matches(" directory")
        .trim_end_matches(" folder")
        .trim_end_matches(" dir");
    operand(t)
}
