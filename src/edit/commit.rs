//! Committing an applied edit: refused up front when the commit would not be the
//! edit's own (mid merge or rebase, or the files hold other changes), then exactly the
//! edit's files committed through `git commit`, so that hooks and signing run.

use super::pipeline::Failure;
use crate::workspace::Workspace;

/// Refuses `--commit` in the middle of a merge, rebase, cherry-pick or revert: the
/// commit would be folded into the merge, or made on a rebase's HEAD and lost when the
/// rebase is aborted.
pub fn refuse_mid_operation(workspace: &Workspace) -> Result<(), Failure> {
    match crate::tools::git::operation_in_progress(&workspace.root)
        .map_err(|e| Failure::Git(format!("{e:#}")))?
    {
        Some(operation) => Err(Failure::MidOperation(operation.describe().to_string())),
        None => Ok(()),
    }
}

/// Refuses `--commit` when a file it would commit already has changes of the user's,
/// which the commit would sweep in.
pub fn refuse_dirty(workspace: &Workspace, targets: &[String]) -> Result<(), Failure> {
    if targets.is_empty() {
        return Ok(());
    }
    let mut args = vec!["status", "--porcelain", "--untracked-files=no", "--"];
    args.extend(targets.iter().map(String::as_str));
    let status = crate::tools::git::output(&workspace.root, &args)
        .map_err(|e| Failure::Git(format!("{e:#}")))?;
    let dirty: Vec<String> = status
        .lines()
        .filter_map(|l| l.get(3..))
        .map(str::to_string)
        .collect();
    if dirty.is_empty() {
        return Ok(());
    }
    Err(Failure::Dirty(dirty))
}

/// Commits exactly `paths` (whatever else is staged stays staged), through `git commit`
/// so hooks and signing run. Returns the new commit's id.
pub fn commit(workspace: &Workspace, paths: &[&str], instruction: &str) -> Result<String, Failure> {
    let git = |e: anyhow::Error| Failure::Git(format!("{e:#}"));
    let root = &workspace.root;
    let mut add = vec!["add", "--"];
    add.extend(paths);
    crate::tools::git::output(root, &add).map_err(git)?;
    let message = commit_message(instruction, paths);
    let mut args = vec!["commit", "--quiet", "-m", message.as_str(), "--only", "--"];
    args.extend(paths);
    let status = crate::tools::git::command(root)
        .args(&args)
        .status()
        .map_err(|e| Failure::Git(format!("could not run git commit: {e}")))?;
    if !status.success() {
        return Err(Failure::CommitFailed);
    }
    let sha = crate::tools::git::output(root, &["rev-parse", "HEAD"]).map_err(git)?;
    Ok(sha.trim().to_string())
}

/// A commit message drafted from the request and the files it touched: the request as
/// a capitalised summary line under 72 characters, and the files in the body.
pub fn commit_message(instruction: &str, paths: &[&str]) -> String {
    let text = instruction.trim().trim_end_matches('.');
    let mut summary = String::new();
    for word in text.split_whitespace() {
        if summary.len() + word.len() + 1 > 68 {
            summary.push('…');
            break;
        }
        if !summary.is_empty() {
            summary.push(' ');
        }
        summary.push_str(word);
    }
    let mut chars = summary.chars();
    let summary = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Edit files".to_string(),
    };
    format!(
        "{summary}\n\nChanged by git-codey: {}\nRequest: {}\n",
        paths.join(", "),
        instruction.trim()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_messages_summarise_the_request() {
        let m = commit_message("add binary search to search.py.", &["search.py"]);
        assert!(m.starts_with("Add binary search to search.py\n\n"));
        assert!(m.contains("Changed by git-codey: search.py\n"));
        let long = commit_message(&"word ".repeat(40), &["a.py"]);
        assert!(long.lines().next().unwrap().chars().count() <= 72);
    }
}
