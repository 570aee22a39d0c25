//! Git commands routed by a table: the user's arguments pass through as typed, the
//! action has no parameters of its own, and one entry says everything the router, the
//! gate and the executor need — the subcommand, the words that ask for it, and which
//! arguments leave it read-only. Adding a git action of this kind is one entry here
//! (and a test); docs/ARCHITECTURE.md says so.

use std::sync::LazyLock;

use regex::Regex;

/// One git command of the table.
pub struct PlainGit {
    /// The git subcommand, which is also the action's name in `route --json`.
    pub name: &'static str,
    /// A request in words that means exactly this command with no arguments: a
    /// case-insensitive regular expression for the whole request (a final `?` and
    /// surrounding spaces are ignored).
    pub phrase: &'static str,
    /// Whether the command with these arguments only shows something (so it needs no
    /// confirmation). Anything else changes the repository and is confirmed first.
    pub shows_only: fn(&[String]) -> bool,
}

impl PartialEq for PlainGit {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for PlainGit {}

impl std::fmt::Debug for PlainGit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PlainGit({})", self.name)
    }
}

/// The table.
pub static PLAIN: &[PlainGit] = &[PlainGit {
    name: "tag",
    phrase: r"(?:(?:list|show|display|view|see)\s+(?:me\s+)?(?:all\s+)?(?:the\s+)?(?:git\s+)?tags|what\s+tags\s+(?:are\s+there|exist|do\s+we\s+have))",
    // `git tag` alone, `-l`/`--list` with patterns, and the listing filters list
    // tags; a name (without `-l`) creates one, `-d` deletes.
    shows_only: |args| {
        const LISTING: &[&str] = &[
            "-l",
            "--list",
            "-n",
            "--contains",
            "--no-contains",
            "--merged",
            "--no-merged",
            "--points-at",
            "--sort",
            "--column",
            "--no-column",
            "--format",
            "-i",
            "--ignore-case",
        ];
        let flag = |a: &String| {
            let name = a.split('=').next().unwrap_or(a);
            LISTING.contains(&name)
                || (a.starts_with("-n") && a[2..].chars().all(|c| c.is_ascii_digit()))
        };
        let listing = args.iter().any(|a| a == "-l" || a == "--list");
        listing || args.iter().all(flag)
    },
}];

/// The entry for a git subcommand.
pub fn find(name: &str) -> Option<&'static PlainGit> {
    PLAIN.iter().find(|p| p.name == name)
}

/// The entry whose words make up the whole request.
pub fn phrase(core: &str) -> Option<&'static PlainGit> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        PLAIN
            .iter()
            .map(|p| {
                Regex::new(&format!(r"(?i)^\s*(?:{})\s*$", p.phrase))
                    .expect("the table's phrases are valid regexes")
            })
            .collect()
    });
    let text = core.trim().trim_end_matches('?');
    PATTERNS
        .iter()
        .position(|r| r.is_match(text))
        .map(|i| &PLAIN[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_compiles_and_names_are_unique() {
        for p in PLAIN {
            assert_eq!(find(p.name), Some(p));
            assert!(Regex::new(p.phrase).is_ok(), "{}", p.name);
        }
    }

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn listing_tags_only_shows_and_naming_one_creates_it() {
        let tag = find("tag").expect("tag is in the table");
        assert!((tag.shows_only)(&args(&[])));
        assert!((tag.shows_only)(&args(&["-l", "v1.*"])));
        assert!((tag.shows_only)(&args(&["-n5", "--sort=-v:refname"])));
        assert!(!(tag.shows_only)(&args(&["v1.0"])));
        assert!(!(tag.shows_only)(&args(&["-d", "v1.0"])));
        assert!(!(tag.shows_only)(&args(&["-a", "v1.0", "-m", "release"])));
    }

    #[test]
    fn words_for_a_listing_find_the_entry() {
        assert_eq!(phrase("list the tags").map(|p| p.name), Some("tag"));
        assert_eq!(phrase("What tags are there?").map(|p| p.name), Some("tag"));
        assert_eq!(phrase("tag this release as v2"), None);
    }
}
