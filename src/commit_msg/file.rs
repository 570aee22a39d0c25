//! The message file git prepared, with the draft put in: above git's comment lines,
//! which stay exactly as they were. A live draft is the message (a template's text
//! stays below it; a message git made — the old one of an amend, a merge's — stays
//! visible as comments); a commented draft waits above git's comments for the user.

pub use crate::config::CommitMode as Mode;

/// The file with the draft in it. `comment` is git's comment string; `message_made`
/// says the text above the comments is a message git made rather than a template.
pub fn compose(
    prepared: &str,
    draft: &str,
    mode: Mode,
    comment: &str,
    message_made: bool,
) -> String {
    let (above, comments) = split(prepared, comment);
    let draft = draft.trim_end();
    let mut out = String::new();
    match mode {
        Mode::Live => {
            out.push_str(draft);
            out.push_str("\n\n");
            let above = above.trim_matches('\n');
            if !above.is_empty() {
                if message_made {
                    out.push_str(&commented(
                        &format!("The message git prepared:\n{above}"),
                        comment,
                    ));
                } else {
                    out.push_str(above);
                    out.push('\n');
                }
                out.push('\n');
            }
        }
        Mode::Commented => {
            out.push_str(above);
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            if out.trim_matches('\n').is_empty() {
                // The first line stays free for the user's own message.
                out = "\n".into();
            }
            out.push_str(&commented(
                &format!("Draft by git-codey (uncomment the lines to use it):\n\n{draft}"),
                comment,
            ));
            out.push_str(comment);
            out.push('\n');
        }
    }
    out.push_str(comments);
    out
}

/// The text above git's first comment line, and the rest from that line on.
fn split<'a>(prepared: &'a str, comment: &str) -> (&'a str, &'a str) {
    let mut at = 0;
    for line in prepared.split_inclusive('\n') {
        if line.starts_with(comment) {
            return (&prepared[..at], &prepared[at..]);
        }
        at += line.len();
    }
    (prepared, "")
}

/// Each line of `text` as a comment line.
fn commented(text: &str, comment: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                format!("{comment}\n")
            } else {
                format!("{comment} {l}\n")
            }
        })
        .collect()
}

/// Characters `core.commentChar = auto` picks from, in git's order.
const AUTO_CANDIDATES: &str = "#;@!$%^&|:";

/// The comment string git used, from `core.commentChar`/`core.commentString` (the value
/// set last, if any): "auto" is recognised in the file git prepared.
pub fn comment_string(configured: Option<&str>, prepared: &str) -> String {
    match configured.map(str::trim) {
        None | Some("") => "#".into(),
        Some("auto") => prepared
            .lines()
            .filter_map(|l| {
                let mut chars = l.chars();
                let first = chars.next()?;
                let next = chars.next();
                (AUTO_CANDIDATES.contains(first) && matches!(next, None | Some(' ' | '\t')))
                    .then_some(first)
            })
            .next()
            .unwrap_or('#')
            .to_string(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &str = "\n# Please enter the commit message for your changes. Lines starting\n# with '#' will be ignored.\n#\n# On branch main\n";

    #[test]
    fn a_live_draft_goes_above_git_comments_which_stay_intact() {
        let out = compose(PLAIN, "Add x\n\nBody.\n", Mode::Live, "#", false);
        assert_eq!(out, format!("Add x\n\nBody.\n\n{}", &PLAIN[1..]));
    }

    #[test]
    fn a_template_stays_below_a_live_draft() {
        let prepared = format!("Ticket: \n\n{}", &PLAIN[1..]);
        let out = compose(&prepared, "Add x", Mode::Live, "#", false);
        assert_eq!(out, format!("Add x\n\nTicket: \n\n{}", &PLAIN[1..]));
    }

    #[test]
    fn a_message_git_made_stays_visible_as_comments() {
        let prepared = format!("Old summary\n\nOld body\n\n{}", &PLAIN[1..]);
        let out = compose(&prepared, "New summary", Mode::Live, "#", true);
        assert_eq!(
            out,
            format!(
                "New summary\n\n# The message git prepared:\n# Old summary\n#\n# Old body\n\n{}",
                &PLAIN[1..]
            )
        );
    }

    #[test]
    fn a_commented_draft_leaves_the_first_line_free() {
        let out = compose(PLAIN, "Add x\n\nBody.", Mode::Commented, "#", false);
        assert_eq!(
            out,
            format!(
                "\n# Draft by git-codey (uncomment the lines to use it):\n#\n# Add x\n#\n# Body.\n#\n{}",
                &PLAIN[1..]
            )
        );
        let amend = compose("Old\n\n; c\n", "New", Mode::Commented, ";", true);
        assert!(amend.starts_with("Old\n\n; Draft by git-codey"), "{amend}");
        assert!(amend.ends_with("; New\n;\n; c\n"), "{amend}");
    }

    #[test]
    fn the_comment_string_follows_git() {
        assert_eq!(comment_string(None, PLAIN), "#");
        assert_eq!(comment_string(Some(";"), ""), ";");
        assert_eq!(comment_string(Some("//"), ""), "//");
        assert_eq!(
            comment_string(Some("auto"), "#123 fixed\n\n; Please enter\n;\n"),
            ";"
        );
    }
}
