//! The draft written without a model, when none answers in time: the files touched
//! ("Add x.py, update a.rs and b.rs"), the kind of change inferred from their paths,
//! and git's diff stat. Deterministic, so the user always gets a starting point.

use super::paths;
use super::reply::WIDTH;
use super::staged::Staged;
use crate::tools::git;

pub fn draft(staged: &Staged, conventional: bool) -> String {
    let kinds = paths::kinds(staged.files.iter().map(|f| f.path.as_str()));
    let mut summary = git::default_message(&staged.name_status());
    if conventional {
        let kind = match kinds.as_slice() {
            [only] => only.conventional_type(),
            _ => "chore",
        };
        let mut chars = summary.chars();
        let lowered: String = chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default();
        summary = format!("{kind}: {lowered}");
    }
    if summary.chars().count() > WIDTH {
        summary = summary.chars().take(WIDTH - 1).collect::<String>() + "…";
    }
    let stat = staged.stat.trim_end();
    format!("{summary}\n\n{}\n\n{stat}", paths::describe(&kinds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commit_msg::staged::File;

    fn staged(files: &[(char, &str)]) -> Staged {
        Staged {
            files: files
                .iter()
                .map(|(status, path)| File {
                    path: path.to_string(),
                    status: *status,
                    omit: None,
                })
                .collect(),
            stat: " README.md | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n".into(),
            patch: String::new(),
        }
    }

    #[test]
    fn the_draft_names_files_kind_and_stat() {
        assert_eq!(
            draft(&staged(&[('M', "README.md")]), false),
            "Update README.md\n\nDocumentation only.\n\n README.md | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)"
        );
        let d = draft(
            &staged(&[('A', "src/x.py"), ('M', "tests/test_x.py")]),
            true,
        );
        assert!(
            d.starts_with(
                "chore: add src/x.py, update tests/test_x.py\n\nChanges code and tests.\n"
            ),
            "{d}"
        );
        let d = draft(&staged(&[('M', "docs/a.md")]), true);
        assert!(d.starts_with("docs: update docs/a.md\n"), "{d}");
    }

    #[test]
    fn a_long_summary_is_cut() {
        let long = format!("src/{}.rs", "x".repeat(90));
        let d = draft(&staged(&[('M', &long)]), false);
        assert!(d.lines().next().expect("summary").chars().count() <= WIDTH);
    }
}
