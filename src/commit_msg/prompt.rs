//! The request that asks the coder for a commit message: the style rules, git's diff
//! stat, the files only named, and the diff itself — whole when it fits the budget,
//! otherwise each file's first lines, so that every file gets a share.

use std::time::Duration;

use super::staged::Staged;
use crate::llm::{Message, Request};

const SYSTEM: &str = "You write git commit messages. Read the staged changes and reply with \
the commit message only: a summary line in the imperative mood (\"Add\", \"Fix\", not \
\"Added\"), under 72 characters, with no period at the end. Only when the change needs \
explaining, add a blank line and a short body, wrapped at 72 characters, that says what \
changed and why. No Markdown, no code fences, no quotes, nothing before or after the message.";

const CONVENTIONAL: &str = " Begin the summary with a Conventional Commits type and an \
optional scope: feat, fix, docs, style, refactor, perf, test, build, ci or chore, as in \
\"fix(parser): accept empty input\".";

/// Tokens a commit message needs at most.
const REPLY_TOKENS: u32 = 256;

/// Characters per token, a low estimate for code, so a prompt sized by it fits.
const CHARS_PER_TOKEN: usize = 3;

/// How the request is shaped.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub conventional: bool,
    /// The most diff bytes to show (the configuration's, and what the context holds).
    pub budget: usize,
    pub max_tokens: u32,
    pub timeout: Duration,
}

impl Shape {
    /// The diff budget for a model with `context_size` tokens: the configured bytes, or
    /// less when the context cannot hold them next to the rest of the prompt and reply.
    pub fn budget(configured: u64, context_size: u32, max_tokens: u32) -> usize {
        let reply = max_tokens.min(REPLY_TOKENS) as usize;
        let room = (context_size as usize).saturating_sub(reply + 500) * CHARS_PER_TOKEN;
        (configured as usize).min(room).max(500)
    }
}

pub fn request(staged: &Staged, shape: &Shape) -> Request {
    let mut system = SYSTEM.to_string();
    if shape.conventional {
        system.push_str(CONVENTIONAL);
    }
    let mut user = format!(
        "Staged changes (git diff --cached --stat):\n{}",
        staged.stat
    );
    let omitted = staged.omitted();
    if !omitted.is_empty() {
        user.push_str(&format!(
            "\nAlso changed (diff not shown): {}\n",
            omitted.join(", ")
        ));
    }
    let (diff, summarised) = shown_diff(&staged.patch, shape.budget);
    if summarised {
        user.push_str("\nThe diff is too long to show whole; the first lines of each file:\n");
    } else if !diff.is_empty() {
        user.push_str("\nThe diff:\n");
    }
    user.push_str(&diff);
    user.push_str("\nWrite the commit message.");
    let mut request = Request::new(vec![Message::system(system), Message::user(user)]);
    request.max_tokens = shape.max_tokens.min(REPLY_TOKENS);
    request.timeout = shape.timeout;
    request
}

/// The patch as the model sees it, and whether it was cut down to fit `budget` bytes.
pub fn shown_diff(patch: &str, budget: usize) -> (String, bool) {
    if patch.len() <= budget {
        return (patch.to_string(), false);
    }
    let files = split_files(patch);
    // Small files are shown whole and what they leave is shared by the larger ones.
    let mut sizes: Vec<usize> = files.iter().map(|f| f.len()).collect();
    sizes.sort_unstable();
    let mut left = budget;
    let mut share = budget / files.len().max(1);
    for (i, size) in sizes.iter().enumerate() {
        let rest = files.len() - i;
        share = left / rest;
        if *size > share {
            break;
        }
        left -= size;
    }
    let mut out = String::new();
    for file in files {
        out.push_str(&head(file, share));
    }
    (out, true)
}

/// Each file's part of a patch, from its `diff --git` line.
fn split_files(patch: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = patch
        .match_indices("\ndiff --git ")
        .map(|(i, _)| i + 1)
        .collect();
    starts.insert(0, 0);
    starts.push(patch.len());
    starts
        .windows(2)
        .map(|w| &patch[w[0]..w[1]])
        .filter(|f| !f.is_empty())
        .collect()
}

/// A file's diff cut to about `share` bytes at a line end, saying how much was left out.
fn head(file: &str, share: usize) -> String {
    let mut out = String::new();
    let mut lines = file.split_inclusive('\n');
    for line in lines.by_ref() {
        // The blob ids say nothing about the change.
        if line.starts_with("index ") {
            continue;
        }
        if out.len() + line.len() > share && out.contains("\n@@") {
            let rest = 1 + lines.count();
            out.push_str(&format!("[… {rest} more lines of this file not shown]\n"));
            return out;
        }
        if line.len() > share {
            // One huge line (minified, data): its start is enough.
            out.push_str(&line[..floor_char_boundary(line, share)]);
            out.push_str(" […]\n");
        } else {
            out.push_str(line);
        }
    }
    out
}

fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commit_msg::staged::File;

    fn file_diff(name: &str, lines: usize) -> String {
        let mut d = format!(
            "diff --git a/{name} b/{name}\nindex 1111111..2222222 100644\n--- a/{name}\n+++ b/{name}\n@@ -1,{lines} +1,{lines} @@\n"
        );
        for i in 0..lines {
            d.push_str(&format!("+line {i} of {name}\n"));
        }
        d
    }

    #[test]
    fn a_diff_within_budget_is_shown_whole() {
        let patch = file_diff("a.rs", 3);
        assert_eq!(shown_diff(&patch, 10_000), (patch.clone(), false));
    }

    #[test]
    fn a_large_diff_gives_every_file_its_first_lines() {
        let patch = [
            file_diff("big.rs", 500),
            file_diff("small.rs", 2),
            file_diff("other.rs", 300),
        ]
        .concat();
        let (shown, summarised) = shown_diff(&patch, 3000);
        assert!(summarised);
        assert!(shown.len() <= 3300, "{}", shown.len());
        for name in ["big.rs", "small.rs", "other.rs"] {
            assert!(shown.contains(&format!("+++ b/{name}")), "{name}:\n{shown}");
        }
        assert!(shown.contains("+line 1 of small.rs\n"));
        assert!(shown.contains("+line 0 of big.rs\n"));
        assert!(shown.contains("more lines of this file not shown]"));
        assert!(!shown.contains("index 1111111"));
    }

    #[test]
    fn the_request_names_omitted_files_and_follows_the_style() {
        let staged = Staged {
            files: vec![
                File {
                    path: "src/a.rs".into(),
                    status: 'M',
                    omit: None,
                },
                File {
                    path: "Cargo.lock".into(),
                    status: 'M',
                    omit: Some(crate::commit_msg::paths::Omit::Lockfile),
                },
            ],
            stat: " src/a.rs | 3 ++-\n".into(),
            patch: file_diff("src/a.rs", 2),
        };
        let shape = Shape {
            conventional: true,
            budget: 8000,
            max_tokens: 2048,
            timeout: Duration::from_secs(5),
        };
        let r = request(&staged, &shape);
        assert!(r.messages[0].content.contains("Conventional Commits"));
        let user = &r.messages[1].content;
        assert!(user.contains("Also changed (diff not shown): Cargo.lock (lockfile)"));
        assert!(user.contains("+line 1 of src/a.rs"));
        assert_eq!(r.max_tokens, REPLY_TOKENS);
    }

    #[test]
    fn the_budget_fits_the_context() {
        assert_eq!(Shape::budget(8000, 8192, 2048), 8000);
        assert_eq!(Shape::budget(8000, 2048, 256), (2048 - 756) * 3);
        assert_eq!(Shape::budget(8000, 64, 64), 500);
    }
}
