//! A model's reply applied in memory, as `edit::session` does: parse it, apply every
//! block to a `Workset`, take the patch. The repository (built once) has traps beside
//! its one target file: a nested repository, symbolic links into `.git` and out of the
//! tree, a file outside. Whatever the reply says, the workset writes nothing and its
//! patch names only files inside the work tree and outside any `.git`.

#![no_main]

use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;
use std::time::SystemTime;

use codey::edit::{Form, Workset, format};
use codey::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

const TARGET: &str = "a.py";
const FILE: &str = "def count(items, x):\n    return sum(1 for v in items if v == x)\n\n\ndef first(items):\n    return items[0]\n";

struct Repo {
    /// Keeps the directories alive for the whole run.
    _dir: tempfile::TempDir,
    /// Everything under the temporary directory (repository and outside), as built.
    listing: Vec<(PathBuf, u64, Option<SystemTime>)>,
    top: PathBuf,
    workspace: Workspace,
}

fn listing(dir: &Path, out: &mut Vec<(PathBuf, u64, Option<SystemTime>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable test directory")
        .map(|e| e.expect("readable entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let meta = std::fs::symlink_metadata(&path).expect("metadata");
        out.push((path.clone(), meta.len(), meta.modified().ok()));
        if meta.is_dir() {
            listing(&path, out);
        }
    }
}

static REPO: LazyLock<Repo> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temp dir");
    let top = dir.path().canonicalize().expect("canonical temp dir");
    let root = top.join("repo");
    let outside = top.join("outside");
    std::fs::create_dir_all(root.join("sub")).expect("mkdir");
    std::fs::create_dir_all(root.join("vendor/lib/.git")).expect("mkdir");
    std::fs::create_dir_all(&outside).expect("mkdir");
    let status = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&root)
        .status()
        .expect("git runs");
    assert!(status.success(), "git init failed");
    std::fs::write(root.join(TARGET), FILE).expect("write");
    std::fs::write(root.join("sub/b.py"), "x = 1\n").expect("write");
    std::fs::write(root.join("vendor/lib/.git/config"), "[core]\n").expect("write");
    std::fs::write(root.join("vendor/lib/.git/HEAD"), "ref: refs/heads/main\n").expect("write");
    std::fs::write(outside.join("secret.txt"), "secret\n").expect("write");
    for (link, to) in [
        ("link_in.py", Path::new(TARGET)),
        ("gitlink", Path::new(".git")),
        ("GitLink", Path::new(".GIT")),
        ("nestedlink", Path::new("vendor/lib/.git")),
        ("out_dir", outside.as_path()),
        ("out_file.py", &outside.join("secret.txt")),
        ("up", Path::new("..")),
    ] {
        std::os::unix::fs::symlink(to, root.join(link)).expect("symlink");
    }
    let workspace = Workspace::discover(&root).expect("a repository");
    let mut built = Vec::new();
    listing(&top, &mut built);
    Repo {
        _dir: dir,
        listing: built,
        top,
        workspace,
    }
});

/// `full`, with the part of it that exists resolved through symbolic links.
fn resolved(full: &Path) -> PathBuf {
    let mut existing = full;
    let mut rest = Vec::new();
    while existing.symlink_metadata().is_err() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            break;
        };
        rest.push(name.to_owned());
        existing = parent;
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, reply)) = data.split_first() else {
        return;
    };
    let repo = &*REPO;
    let form = [
        Form::SearchReplace,
        Form::Grammar,
        Form::Definitions,
        Form::WholeFile,
    ][usize::from(first % 4)];
    let instruction = if first & 4 == 0 {
        "make count faster in a.py"
    } else {
        "rename count to tally in a.py and remove first"
    };
    let reply = String::from_utf8_lossy(reply);
    let Ok(blocks) = format::parse(&reply, Some(TARGET)) else {
        return;
    };
    let mut workset = Workset::new(&repo.workspace, vec![TARGET.to_string()], instruction);
    for block in &blocks {
        let _ = workset.apply(block, form);
    }
    let patch = workset.patch();

    let root = &repo.workspace.root;
    for change in &patch.changes {
        let real = resolved(&change.full);
        let Ok(inside) = real.strip_prefix(root) else {
            panic!("{:?} ({real:?}) is outside the work tree", change.path);
        };
        assert!(
            inside
                .components()
                .all(|c| matches!(c, Component::Normal(_))),
            "{:?} is not a plain path inside the tree: {inside:?}",
            change.path
        );
        assert!(
            !inside.components().any(|c| c
                .as_os_str()
                .as_encoded_bytes()
                .eq_ignore_ascii_case(b".git")),
            "{:?} ({inside:?}) is inside a .git directory",
            change.path
        );
        assert!(!real.is_dir(), "{:?} is a directory", change.path);
    }
    let mut now = Vec::new();
    listing(&repo.top, &mut now);
    assert!(now == repo.listing, "the workset wrote to disk");
});
