//! A proposed change as a patch: each file's bytes before and after, and the unified
//! diff the tool computes itself (the model never has to write one).

use std::path::PathBuf;

/// One file's change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Relative to the repository root, with `/`.
    pub path: String,
    pub full: PathBuf,
    /// The bytes on disk when the change was made; `None` for a new file.
    pub before: Option<Vec<u8>>,
    pub after: Vec<u8>,
    /// Before and after as LF text, for the diff.
    pub old_text: String,
    pub new_text: String,
}

/// Every file a proposal changes, in the order they were first touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patch {
    pub changes: Vec<FileChange>,
}

impl Patch {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn paths(&self) -> Vec<&str> {
        self.changes.iter().map(|c| c.path.as_str()).collect()
    }

    /// The unified diff of every change, as `git diff` would print it.
    pub fn unified(&self) -> String {
        self.changes.iter().map(FileChange::unified).collect()
    }

    /// Lines added and removed over all files.
    pub fn stat(&self) -> (usize, usize) {
        self.changes.iter().fold((0, 0), |(a, r), c| {
            let (ca, cr) = c.stat();
            (a + ca, r + cr)
        })
    }
}

impl FileChange {
    pub fn unified(&self) -> String {
        let old = if self.before.is_some() {
            format!("a/{}", self.path)
        } else {
            "/dev/null".to_string()
        };
        let new = format!("b/{}", self.path);
        let diff = similar::TextDiff::from_lines(&self.old_text, &self.new_text);
        let mut out = format!("diff --git a/{0} b/{0}\n", self.path);
        if self.before.is_none() {
            out.push_str("new file mode 100644\n");
        }
        let body = diff
            .unified_diff()
            .context_radius(3)
            .header(&old, &new)
            .to_string();
        out.push_str(&body);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out
    }

    pub fn stat(&self) -> (usize, usize) {
        let diff = similar::TextDiff::from_lines(&self.old_text, &self.new_text);
        diff.iter_all_changes()
            .fold((0, 0), |(a, r), change| match change.tag() {
                similar::ChangeTag::Insert => (a + 1, r),
                similar::ChangeTag::Delete => (a, r + 1),
                similar::ChangeTag::Equal => (a, r),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_look_like_git_diffs() {
        let change = FileChange {
            path: "a.py".into(),
            full: PathBuf::from("/r/a.py"),
            before: Some(b"x = 1\ny = 2\n".to_vec()),
            after: b"x = 1\ny = 3\n".to_vec(),
            old_text: "x = 1\ny = 2\n".into(),
            new_text: "x = 1\ny = 3\n".into(),
        };
        assert_eq!(
            change.unified(),
            "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n x = 1\n-y = 2\n+y = 3\n"
        );
        assert_eq!(change.stat(), (1, 1));
        let new = FileChange {
            before: None,
            old_text: String::new(),
            ..change
        };
        assert!(new.unified().contains("--- /dev/null\n+++ b/a.py\n"));
    }
}
