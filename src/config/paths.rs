//! Where git-codey keeps things outside a repository: the cache, and home.

use std::path::PathBuf;

/// Where git-codey keeps what it can rebuild (the router's evaluated prompt):
/// `$XDG_CACHE_HOME/codey`, else `~/.cache/codey`, else the temp directory's
/// `codey-cache` when there is no home.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| home_dir().map(|h| h.join(".cache")))
        .map_or_else(
            || std::env::temp_dir().join("codey-cache"),
            |d| d.join("codey"),
        )
}

pub fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

pub fn expand_home(path: &str) -> PathBuf {
    match (
        path.strip_prefix("~/").or((path == "~").then_some("")),
        home_dir(),
    ) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}
