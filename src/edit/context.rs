//! What the model sees besides the request: the files it may change (named by the
//! request or `--file`, or else picked by matching the request's words against file
//! names and contents, gitignore-aware) and a short map of the repository.

use std::collections::HashSet;
use std::path::Path;

/// Files larger than this are never picked as candidates.
const MAX_CANDIDATE_BYTES: u64 = 100_000;
/// Files walked at most when looking for candidates.
const MAX_WALK: usize = 5_000;
/// Paths listed at most in the map.
const MAP_ENTRIES: usize = 40;

/// A file picked for a request, and the words that picked it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub path: String,
    pub score: f32,
    pub matched: Vec<String>,
}

/// Words of a request worth looking for: identifiers and words of 3+ letters that are
/// not common English or request verbs.
pub fn keywords(request: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "the",
        "and",
        "for",
        "that",
        "this",
        "with",
        "from",
        "into",
        "add",
        "make",
        "use",
        "write",
        "change",
        "update",
        "fix",
        "file",
        "function",
        "method",
        "class",
        "code",
        "should",
        "when",
        "then",
        "return",
        "returns",
        "new",
        "all",
        "each",
        "every",
        "not",
        "can",
        "have",
        "has",
        "are",
        "was",
        "will",
        "does",
        "its",
        "their",
        "them",
        "there",
        "which",
        "what",
        "how",
        "called",
        "named",
        "takes",
        "give",
        "gives",
        "list",
        "value",
        "values",
        "instead",
        "also",
        "only",
        "one",
        "two",
        "please",
        "create",
        "implement",
    ];
    let mut seen = HashSet::new();
    request
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !COMMON.contains(&w.as_str()))
        .filter(|w| seen.insert(w.clone()))
        .collect()
}

/// The files under `root` that best match `request`: the best one, and any other
/// scoring at least half as well (three at most). Empty when nothing matches.
pub fn candidates(root: &Path, request: &str) -> Vec<Candidate> {
    let words = keywords(request);
    if words.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<Candidate> = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .build();
    for entry in walker.flatten().take(MAX_WALK) {
        let path = entry.path();
        if !entry.file_type().is_some_and(|t| t.is_file())
            || entry
                .metadata()
                .map_or(true, |m| m.len() > MAX_CANDIDATE_BYTES)
        {
            continue;
        }
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        let Ok(content) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = relative.to_lowercase();
        let stem = Path::new(&name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lower = content.to_lowercase();
        let mut score = 0.0;
        let mut matched = Vec::new();
        for word in &words {
            let in_name = if stem == *word {
                4.0
            } else if name.contains(word.as_str()) {
                2.0
            } else {
                0.0
            };
            let hits = lower.matches(word.as_str()).count();
            let in_content = if hits > 0 {
                1.0 + (hits as f32).ln()
            } else {
                0.0
            };
            if in_name + in_content > 0.0 {
                score += in_name + in_content;
                matched.push(word.clone());
            }
        }
        if score > 0.0 {
            scored.push(Candidate {
                path: relative,
                score,
                matched,
            });
        }
    }
    scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.path.cmp(&b.path)));
    let Some(best) = scored.first().map(|c| c.score) else {
        return Vec::new();
    };
    scored
        .into_iter()
        .take_while(|c| c.score * 2.0 >= best)
        .take(3)
        .collect()
}

/// The repository's files, one per line, at most `MAP_ENTRIES` of them.
pub fn map(tracked: &[String]) -> String {
    let mut out: String = tracked
        .iter()
        .take(MAP_ENTRIES)
        .map(|p| format!("{p}\n"))
        .collect();
    if tracked.len() > MAP_ENTRIES {
        out.push_str(&format!("… and {} more\n", tracked.len() - MAP_ENTRIES));
    }
    out
}

/// A rough token count for `chars` characters of prompt: code runs near three
/// characters per token in these tokenizers, so this errs on the side of too many.
pub fn estimate_tokens(chars: usize) -> usize {
    chars.div_ceil(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_words_skip_the_common_ones() {
        assert_eq!(
            keywords("add binary search to search.py and fix parse_config"),
            vec!["binary", "search", "parse_config"]
        );
    }

    #[test]
    fn files_are_picked_by_name_and_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("search.py"),
            "def linear(items, x):\n    pass\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.md"), "nothing relevant\n").unwrap();
        std::fs::write(dir.path().join("util.py"), "# used by search\n").unwrap();
        let picked = candidates(dir.path(), "add binary search next to linear");
        assert_eq!(picked[0].path, "search.py");
        assert!(picked.iter().all(|c| c.path != "notes.md"));
        assert!(candidates(dir.path(), "quantum chromodynamics").is_empty());
    }

    #[test]
    fn the_map_is_capped() {
        let files: Vec<String> = (0..45).map(|i| format!("f{i}.py")).collect();
        let m = map(&files);
        assert_eq!(m.lines().count(), 41);
        assert!(m.ends_with("… and 5 more\n"));
    }
}
