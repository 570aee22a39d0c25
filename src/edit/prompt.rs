//! What the model is told: one system prompt per reply form (short, because small
//! models follow short instructions best), and the user turn with the repository map,
//! the files and the request. The example uses a file name no repository is likely to
//! have, and the tool maps a reply to that name back to the real target.

use super::workset::Form;

const EXAMPLE_PATH: &str = "example/shapes.py";

const SEARCH_REPLACE: &str = "\
You are an expert programmer who edits code in a git repository. Reply with the changes \
as SEARCH/REPLACE blocks, each under the path of its file, like this:

example/shapes.py
<<<<<<< SEARCH
def area(r):
    return 3.14 * r * r
=======
def area(r):
    return math.pi * r * r
>>>>>>> REPLACE

Rules:
- SEARCH copies lines of the current file exactly, with their indentation: just enough of \
them to be unique.
- REPLACE holds the new lines. To add code, SEARCH the lines next to where it goes and \
repeat them in REPLACE with the new code.
- To create a new file, leave SEARCH empty.
- Keep everything else in the file as it is. No explanations.";

/// The example both whole-code forms end with: a file's path, then its code fenced.
macro_rules! fenced_example {
    () => {
        "example/shapes.py\n```python\ndef area(r):\n    return 3.14159 * r * r\n```\n\nNo explanations."
    };
}

const DEFINITIONS: &str = concat!(
    "\
You are an expert programmer who edits code in a git repository. Reply with the path of \
each file you change on its own line, then one fenced code block with only the functions, \
classes and imports you add or change, each written out in full, with any import the new \
code needs. Leave out the functions you do not change: they are kept. For a new file, \
write the whole file. Like this:\n\n",
    fenced_example!()
);

const WHOLE_FILE: &str = concat!(
    "\
You are an expert programmer who edits code in a git repository. Reply with the path of \
each file you change on its own line, then the whole new content of that file in one \
fenced code block, keeping every part you do not change exactly as it is. Like this:\n\n",
    fenced_example!()
);

const COMPLEXITY: &str = "\n\nAfter the code, add one section that starts with `Complexity:` \
and gives the time and space complexity of your solution in big-O notation, with one \
sentence on why.";

/// The system prompt for a reply form.
pub fn system(form: Form, algorithm: bool) -> String {
    let base = match form {
        Form::SearchReplace | Form::Grammar => SEARCH_REPLACE,
        Form::Definitions => DEFINITIONS,
        Form::WholeFile => WHOLE_FILE,
    };
    if algorithm {
        format!("{base}{COMPLEXITY}")
    } else {
        base.to_string()
    }
}

/// A file shown to the model: its path, and its text or `None` when it is new.
pub struct Shown<'a> {
    pub path: &'a str,
    pub text: Option<&'a str>,
}

/// The user turn: the repository map, each file in a fence, then the request.
pub fn user(map: &str, files: &[Shown], instruction: &str) -> String {
    let mut out = String::new();
    if !map.is_empty() {
        out.push_str("Files in the repository:\n");
        out.push_str(map);
        out.push('\n');
    }
    for file in files {
        match file.text {
            Some(text) => {
                let fence = fence_for(text);
                out.push_str(&format!(
                    "{}\n{fence}{}\n{text}{}{fence}\n\n",
                    file.path,
                    language(file.path),
                    if text.ends_with('\n') || text.is_empty() {
                        ""
                    } else {
                        "\n"
                    }
                ));
            }
            None => out.push_str(&format!("{} does not exist yet: create it.\n\n", file.path)),
        }
    }
    out.push_str(&format!("Request: {instruction}\n"));
    out
}

/// What to tell the model after a reply that could not be used.
pub fn retry(applied: &[usize], failed: &[(usize, String)], form: Form) -> String {
    let mut out = String::new();
    if !applied.is_empty() {
        let list: Vec<String> = applied.iter().map(ToString::to_string).collect();
        out.push_str(&format!(
            "Blocks {} were applied; do not repeat them.\n",
            list.join(", ")
        ));
    }
    for (n, error) in failed {
        if *n == 0 {
            out.push_str(&format!("Your reply could not be used: {error}\n"));
        } else {
            out.push_str(&format!("Block {n} failed: {error}\n"));
        }
    }
    out.push_str(match form {
        Form::SearchReplace | Form::Grammar => {
            "Reply again with SEARCH/REPLACE blocks for the changes not applied yet, copying SEARCH lines exactly from the file."
        }
        Form::Definitions => {
            "Reply again with the path line and one fenced block of the complete functions you change."
        }
        Form::WholeFile => "Reply again with the path line and the whole file in one fenced block.",
    });
    out
}

/// What to tell the model after its edit failed the checks: each error with its lines.
pub fn checks_failed(feedback: &str, form: Form) -> String {
    let again = match form {
        Form::SearchReplace | Form::Grammar => {
            "Reply with SEARCH/REPLACE blocks that fix them, copying SEARCH lines exactly from the file as it is now (with your edit)."
        }
        Form::Definitions => {
            "Reply with the path line and one fenced block of the complete functions, classes and imports that fix them."
        }
        Form::WholeFile => "Reply with the path line and the whole fixed file in one fenced block.",
    };
    format!("Your edit was applied and checked, and the checks failed:\n{feedback}\n{again}")
}

/// The note after the request when it is asked afresh because examples of what it asks
/// failed (`verify::examples`): each failure as the examples check said it.
pub fn examples_failed(failed: &[&str]) -> String {
    let mut note = String::from("\nAn earlier attempt got this wrong:\n");
    for f in failed {
        note.push_str(&format!("- {f}\n"));
    }
    note.push_str("Write the change so that it does what the request asks.\n");
    note
}

/// The note after the request when it is asked again in another form: the last reply
/// changed nothing (`unchanged`), or repeated an attempt that failed `feedback`.
pub fn another_form(unchanged: bool, feedback: &str) -> String {
    if unchanged {
        "\nAn earlier reply changed nothing: write out the change itself.\n".to_string()
    } else if feedback.is_empty() {
        "\nThe files above hold your earlier attempt. Write a different change.\n".to_string()
    } else {
        format!(
            "\nThe files above hold your earlier attempt, which failed these checks:\n{feedback}Fix them with a different change.\n"
        )
    }
}

/// A fence longer than any run of backticks in the text.
fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// The fence's language tag, from the extension.
pub fn language(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("py") => "python",
        Some("rs") => "rust",
        Some("js" | "mjs" | "cjs") => "javascript",
        Some("ts") => "typescript",
        Some("go") => "go",
        Some("c" | "h") => "c",
        Some("cc" | "cpp" | "hpp") => "cpp",
        Some("java") => "java",
        Some("rb") => "ruby",
        Some("sh") => "bash",
        Some("md") => "markdown",
        Some("toml") => "toml",
        Some("json") => "json",
        Some("yml" | "yaml") => "yaml",
        _ => "",
    }
}

/// The example's path, which a reply must not be taken literally to mean.
pub fn example_path() -> &'static str {
    EXAMPLE_PATH
}

/// The complexity section of an algorithm reply: from a line starting with
/// "Complexity" (or "Time complexity") to the end, outside code fences.
pub fn complexity(reply: &str) -> Option<String> {
    let mut in_fence = false;
    let mut found: Vec<&str> = Vec::new();
    for line in reply.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            if !found.is_empty() {
                break;
            }
            continue;
        }
        if in_fence {
            continue;
        }
        let t = line
            .trim()
            .trim_start_matches(['#', '*', '-', ' '])
            .to_lowercase();
        if found.is_empty() && (t.starts_with("complexity") || t.starts_with("time complexity")) {
            found.push(line.trim());
        } else if !found.is_empty() {
            if line.trim().is_empty() && found.len() > 3 {
                break;
            }
            found.push(line.trim());
        }
    }
    let text = found.join("\n").trim().to_string();
    (!text.is_empty() && text.contains("O(")).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_turn_fences_each_file_and_names_new_ones() {
        let turn = user(
            "a.py\nb.py\n",
            &[
                Shown {
                    path: "a.py",
                    text: Some("x = 1\n"),
                },
                Shown {
                    path: "new.py",
                    text: None,
                },
            ],
            "do it",
        );
        assert_eq!(
            turn,
            "Files in the repository:\na.py\nb.py\n\na.py\n```python\nx = 1\n```\n\nnew.py does not exist yet: create it.\n\nRequest: do it\n"
        );
        assert_eq!(fence_for("a ``` b"), "````");
    }

    #[test]
    fn complexity_sections_are_found_outside_code() {
        let reply = "a.py\n```python\n# Complexity: not this\ndef f(): pass\n```\n\n**Complexity:** time O(log n), space O(1): the range halves each step.\n";
        assert_eq!(
            complexity(reply).as_deref(),
            Some("**Complexity:** time O(log n), space O(1): the range halves each step.")
        );
        assert_eq!(complexity("no analysis here"), None);
    }
}
