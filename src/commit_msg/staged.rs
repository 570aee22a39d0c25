//! The staged change, read from git once: each file with its status and line counts,
//! git's diff stat, and the patch of the files the model may see. `GIT_INDEX_FILE` is
//! inherited, so inside `git commit -a` or `git commit <paths>` this is the index that
//! commit will record.

use std::path::Path;

use super::paths::{self, Omit};
use crate::tools::git;

/// One staged file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// The path after the change (the new name of a rename).
    pub path: String,
    /// git's status letter: A, M, D, R, C, T.
    pub status: char,
    /// Why its diff is not shown to the model, if it is not.
    pub omit: Option<Omit>,
}

/// Everything a draft is made from.
#[derive(Debug, Clone)]
pub struct Staged {
    pub files: Vec<File>,
    /// `git diff --cached --stat`, 72 columns wide.
    pub stat: String,
    /// The patch of the files whose diff the model may see.
    pub patch: String,
}

impl Staged {
    /// `git diff --name-status` lines, the form `git::default_message` reads.
    pub fn name_status(&self) -> String {
        self.files
            .iter()
            .map(|f| format!("{}\t{}\n", f.status, f.path))
            .collect()
    }

    /// Files named to the model but not shown: `Cargo.lock (lockfile)`.
    pub fn omitted(&self) -> Vec<String> {
        self.files
            .iter()
            .filter_map(|f| f.omit.map(|o| format!("{} ({})", f.path, o.as_str())))
            .collect()
    }
}

/// Reads the staged change at `root`; `None` when nothing is staged.
pub fn read(root: &Path) -> anyhow::Result<Option<Staged>> {
    // Paths as they are (not octal-escaped), and renames found as git commit shows them.
    let diff = |extra: &[&str]| {
        let mut args = vec![
            "-c",
            "core.quotePath=false",
            "diff",
            "--cached",
            "-M",
            "--no-ext-diff",
        ];
        args.extend_from_slice(extra);
        git::output(root, &args)
    };
    let name_status = diff(&["--name-status", "-z"])?;
    let mut files = parse_name_status(&name_status);
    if files.is_empty() {
        return Ok(None);
    }
    for path in binary_paths(&diff(&["--numstat", "-z"])?) {
        if let Some(file) = files.iter_mut().find(|f| f.path == path) {
            file.omit = Some(Omit::Binary);
        }
    }
    let stat = diff(&["--stat=72"])?;
    let mut args = vec!["--no-textconv".to_string(), "--".into(), ".".into()];
    args.extend(
        files
            .iter()
            .filter(|f| f.omit.is_some())
            .map(|f| format!(":(exclude,literal){}", f.path)),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let patch = diff(&args)?;
    Ok(Some(Staged { files, stat, patch }))
}

/// `git diff --name-status -z`: a status, then one path (two for renames and copies).
fn parse_name_status(out: &str) -> Vec<File> {
    let mut fields = out.split('\0').filter(|f| !f.is_empty());
    let mut files = Vec::new();
    while let Some(status) = fields.next() {
        let letter = status.chars().next().unwrap_or('M');
        let mut path = fields.next();
        if matches!(letter, 'R' | 'C') {
            path = fields.next();
        }
        let Some(path) = path else { break };
        files.push(File {
            path: path.to_string(),
            status: letter,
            omit: paths::omitted(path),
        });
    }
    files
}

/// The paths `git diff --numstat -z` counts no lines for: binary files.
fn binary_paths(out: &str) -> Vec<String> {
    let mut binary = Vec::new();
    let mut fields = out.split('\0');
    while let Some(record) = fields.next() {
        let mut parts = record.splitn(3, '\t');
        let (Some(added), Some(_), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        // A rename leaves the path empty and gives the old and new names as fields.
        let path = if path.is_empty() {
            let _old = fields.next();
            fields.next().unwrap_or_default()
        } else {
            path
        };
        if added == "-" {
            binary.push(path.to_string());
        }
    }
    binary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_status_keeps_the_new_name_of_a_rename() {
        let files = parse_name_status("M\0src/a.rs\0R087\0old.rs\0new.rs\0A\0Cargo.lock\0");
        let got: Vec<(char, &str, Option<Omit>)> = files
            .iter()
            .map(|f| (f.status, f.path.as_str(), f.omit))
            .collect();
        assert_eq!(
            got,
            vec![
                ('M', "src/a.rs", None),
                ('R', "new.rs", None),
                ('A', "Cargo.lock", Some(Omit::Lockfile)),
            ]
        );
    }

    #[test]
    fn numstat_marks_binary_files() {
        let out = "3\t1\tsrc/a.rs\0-\t-\tlogo.png\0-\t-\t\0old.bin\0new.bin\0";
        assert_eq!(binary_paths(out), vec!["logo.png", "new.bin"]);
    }
}
