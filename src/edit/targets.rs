//! Which files an edit may change: the ones the request or `--file` names (checked
//! against the work tree, a bare name found where it is tracked), else the best
//! matches for the request's words.

use super::context;
use super::pipeline::{Failure, Job};
use crate::workspace::Workspace;

/// The files the model may change: named ones (checked against the work tree), or
/// the best matches for the request's words. Empty for an algorithm task that names
/// none: the model then picks a new file's name.
pub fn targets(
    workspace: &Workspace,
    job: &Job,
    tracked: &[String],
    map: &crate::map::Map,
    choose: &mut dyn FnMut(&str, &[String]) -> Option<usize>,
    notes: &mut Vec<String>,
) -> Result<Vec<String>, Failure> {
    let mut out = Vec::new();
    for file in &job.files {
        let full = workspace
            .resolve(file)
            .map_err(|e| Failure::BadTarget(e.to_string()))?;
        if full.is_dir() {
            return Err(Failure::BadTarget(format!(
                "{file} is a directory; name the files in it to change"
            )));
        }
        let mut relative = full
            .strip_prefix(&workspace.root)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| file.clone());
        // "search.py" in a request often means the one tracked src/search.py.
        if !full.exists()
            && !relative.contains('/')
            && let [only] = same_name(tracked, &relative).as_slice()
        {
            notes.push(format!("{relative} is {only}"));
            relative = only.clone();
        }
        if !out.contains(&relative) {
            out.push(relative);
        }
    }
    if !out.is_empty() {
        return Ok(out);
    }
    let choice = context::choose(&workspace.root, map, &job.instruction);
    let mut files: Vec<(String, String)> = choice.files;
    // A name several files define, with nothing in the request to tell them apart: the
    // user says which (on a terminal), or the edit stops naming them.
    for ambiguity in &choice.ambiguous {
        let prompt = format!("{} is defined in several files; which one?", ambiguity.name);
        match choose(&prompt, &ambiguity.candidates) {
            Some(k) => files.insert(
                0,
                (
                    ambiguity.candidates[k].clone(),
                    format!("defines {} (chosen)", ambiguity.name),
                ),
            ),
            None => {
                return Err(Failure::Ambiguous {
                    name: ambiguity.name.clone(),
                    candidates: ambiguity.candidates.clone(),
                });
            }
        }
    }
    if let Some(new) = &choice.new_file {
        files.push((new.clone(), "a new file for it".into()));
    }
    if files.is_empty() {
        if job.algorithm {
            return Ok(Vec::new());
        }
        return Err(Failure::NoTarget);
    }
    let described: Vec<String> = files
        .iter()
        .map(|(path, why)| format!("{path} ({why})"))
        .collect();
    notes.push(format!(
        "files: {} — name others with --file",
        described.join("; ")
    ));
    let mut out: Vec<String> = Vec::new();
    for (path, _) in files {
        if !out.contains(&path) {
            out.push(path);
        }
    }
    Ok(out)
}

/// Tracked files named `name` in some directory.
fn same_name(tracked: &[String], name: &str) -> Vec<String> {
    tracked
        .iter()
        .filter(|p| p.rsplit('/').next() == Some(name))
        .cloned()
        .collect()
}

/// Tracked files, for the map.
pub fn tracked_files(workspace: &Workspace) -> Vec<String> {
    crate::tools::git::output(&workspace.root, &["ls-files"])
        .map(|out| out.lines().map(str::to_string).collect())
        .unwrap_or_default()
}
