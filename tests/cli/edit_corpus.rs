//! The real-edit corpus: every text file that changed between consecutive released
//! versions of the packages pinned in `fixtures/edit-corpus.toml` (downloaded by
//! `scripts/fetch-edit-corpus`), replayed as model replies in each shape (`replies`)
//! through the library exactly as `git codey edit` applies them (`replay`), and
//! required to come out byte-identical to the real new version.
//!
//! All of it runs in every `cargo test` (about 20 s); `CODEY_EDIT_CORPUS=sample` runs
//! a fixed sample of it. A few edits also go through the binary, from a server on
//! 127.0.0.1, as a dry run and then for real.
//! One file in five (by a hash of its package and path, so every version of a file
//! falls on the same side) is held out: the figures for it say whether a fix made
//! for the tuned part generalises. Failing cases are written under the corpus cache,
//! one file each, with the reply and a diff of what came out against what should have.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use codey::edit::Form;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::common::{ScriptedServer, TestEnv};
use crate::replay::{Replayed, Sandbox};
use crate::replies::{self, Variant};

/// How many edits the default run replays: fixed, chosen by hash.
const SAMPLE: usize = 200;

/// Floors from the edits issue, on tuned and held-out edits together.
const FLOORS: [(Variant, f64); 4] = [
    (Variant::Exact, 99.0),
    (Variant::Whitespace, 98.0),
    (Variant::Indentation, 95.0),
    (Variant::Fenced, 99.0),
];

const TEXT_EXTENSIONS: [&str; 8] = ["py", "pyi", "rs", "toml", "cfg", "md", "rst", "txt"];

#[derive(Deserialize)]
struct Manifest {
    #[serde(default)]
    pypi: Vec<Package>,
    #[serde(default)]
    crates: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    versions: Vec<String>,
}

/// One real change to one file.
struct Edit {
    /// `pypi/attrs 23.1.0..23.2.0 src/attr/_make.py`.
    id: String,
    path: String,
    old: Vec<u8>,
    new: Vec<u8>,
    held_out: bool,
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("CODEY_EDIT_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
            .join(".cache/codey/edit-corpus"),
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus directory is readable")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Why a changed file is not an edit a reply can express; counted, not replayed.
fn excluded(old: &[u8], new: &[u8]) -> Option<&'static str> {
    let (Ok(o), Ok(n)) = (std::str::from_utf8(old), std::str::from_utf8(new)) else {
        return Some("not UTF-8");
    };
    if o.contains('\0') || n.contains('\0') {
        return Some("binary");
    }
    let crlf = |t: &str| t.contains("\r\n");
    let mixed = |t: &str| {
        t.replace("\r\n", "").contains('\r') || (crlf(t) && t.replace("\r\n", "").contains('\n'))
    };
    if mixed(o) || mixed(n) || crlf(o) != crlf(n) {
        return Some("mixed or changed line endings");
    }
    let final_newline = |t: &str| t.is_empty() || t.ends_with('\n');
    if final_newline(o) != final_newline(n) {
        return Some("final newline added or removed (the tool keeps the file's)");
    }
    if o.starts_with('\u{feff}') != n.starts_with('\u{feff}') {
        return Some("byte-order mark added or removed");
    }
    None
}

/// Every edit of the corpus, and how many changed files were left out and why.
fn load(root: &Path) -> (Vec<Edit>, BTreeMap<&'static str, usize>) {
    let manifest_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/edit-corpus.toml");
    let manifest: Manifest = toml::from_str(
        &std::fs::read_to_string(&manifest_path).expect("fixtures/edit-corpus.toml is readable"),
    )
    .expect("fixtures/edit-corpus.toml parses");
    let mut edits = Vec::new();
    let mut skipped = BTreeMap::new();
    for (kind, packages) in [("pypi", &manifest.pypi), ("crates", &manifest.crates)] {
        for package in packages {
            for pair in package.versions.windows(2) {
                let dir = |v: &str| root.join(kind).join(&package.name).join(v);
                let (old_dir, new_dir) = (dir(&pair[0]), dir(&pair[1]));
                for d in [&old_dir, &new_dir] {
                    assert!(
                        d.join(".complete").exists(),
                        "the real-edit corpus is not downloaded ({} is missing): run scripts/fetch-edit-corpus",
                        d.display()
                    );
                }
                let mut files = Vec::new();
                files_under(&old_dir, &mut files);
                for old_file in files {
                    let path = old_file
                        .strip_prefix(&old_dir)
                        .expect("under the version's directory")
                        .to_string_lossy()
                        .into_owned();
                    let text_file = path
                        .rsplit_once('.')
                        .is_some_and(|(_, e)| TEXT_EXTENSIONS.contains(&e));
                    let new_file = new_dir.join(&path);
                    if !text_file || !new_file.exists() {
                        continue;
                    }
                    let old = std::fs::read(&old_file).expect("readable");
                    let new = std::fs::read(&new_file).expect("readable");
                    if old == new {
                        continue;
                    }
                    if let Some(why) = excluded(&old, &new) {
                        *skipped.entry(why).or_insert(0) += 1;
                        continue;
                    }
                    let key = format!("{kind}/{}/{path}", package.name);
                    edits.push(Edit {
                        id: format!("{kind}/{} {}..{} {path}", package.name, pair[0], pair[1]),
                        held_out: digest(&key)[0] < 52,
                        path,
                        old,
                        new,
                    });
                }
            }
        }
    }
    (edits, skipped)
}

/// The sample every `cargo test` runs: the `SAMPLE` edits whose ids hash lowest.
fn sample(mut edits: Vec<Edit>) -> Vec<Edit> {
    edits.sort_by_cached_key(|e| digest(&e.id));
    edits.truncate(SAMPLE);
    edits.sort_by(|a, b| a.id.cmp(&b.id));
    edits
}

fn text_of(bytes: &[u8]) -> String {
    let text = std::str::from_utf8(bytes).expect("checked UTF-8");
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n")
}

/// The case a variant makes of an edit: the file's old bytes, the reply, the form it is
/// applied as, and the bytes that must come out. `None` where the variant does not apply.
fn case(edit: &Edit, variant: Variant) -> Option<(Vec<u8>, String, Form, Vec<u8>)> {
    let (old, new, path) = (text_of(&edit.old), text_of(&edit.new), edit.path.as_str());
    let code = [".py", ".pyi", ".rs"].iter().any(|e| path.ends_with(e));
    let sr = |reply: String| {
        Some((
            edit.old.clone(),
            reply,
            Form::SearchReplace,
            edit.new.clone(),
        ))
    };
    match variant {
        Variant::Exact => sr(replies::exact_reply(path, &old, &new)),
        Variant::Whitespace => sr(replies::whitespace_reply(path, &old, &new)?),
        Variant::Indentation if code => sr(replies::indentation_reply(path, &old, &new)),
        Variant::Indentation => None,
        Variant::Crlf => {
            let plain = !edit.old.contains(&b'\r') && !edit.new.contains(&b'\r');
            plain.then(|| {
                (
                    replies::crlf(std::str::from_utf8(&edit.old).expect("UTF-8")).into_bytes(),
                    replies::exact_reply(path, &old, &new),
                    Form::SearchReplace,
                    replies::crlf(std::str::from_utf8(&edit.new).expect("UTF-8")).into_bytes(),
                )
            })
        }
        Variant::Fenced => sr(replies::fenced_reply(path, &old, &new)),
        Variant::Diff => sr(replies::diff_reply(path, &old, &new)),
        Variant::Definitions => Some((
            edit.old.clone(),
            replies::definitions_reply(path, &old, &new)?,
            Form::Definitions,
            edit.new.clone(),
        )),
    }
}

#[derive(Default)]
struct Tally {
    exact: usize,
    total: usize,
}

impl Tally {
    fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * self.exact as f64 / self.total as f64
        }
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "byte-exact {}/{} ({:.1}%)",
            self.exact,
            self.total,
            self.percent()
        )
    }
}

/// What a failing case looks like, for the failures directory.
fn describe(edit: &Edit, variant: Variant, reply: &str, expected: &[u8], got: &Replayed) -> String {
    let mut out = format!("{}\nvariant: {}\n\n", edit.id, variant.name());
    match got {
        Replayed::Refused { reason, untouched } => {
            let _ = writeln!(out, "refused (patch empty: {untouched}): {reason}\n");
        }
        Replayed::Applied(bytes) => {
            let (want, have) = (
                String::from_utf8_lossy(expected),
                String::from_utf8_lossy(bytes),
            );
            let diff = similar::TextDiff::from_lines(want.as_ref(), have.as_ref());
            let shown = diff
                .unified_diff()
                .context_radius(2)
                .header("expected", "got")
                .to_string();
            let _ = writeln!(out, "applied, but not byte-identical:");
            for line in shown.lines().take(80) {
                let _ = writeln!(out, "{}", line.escape_debug());
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "reply:\n{reply}");
    out
}

/// Replays every case and returns the report, with the floors that were missed.
fn run(edits: &[Edit], label: &str) -> (String, Vec<String>) {
    let failures_dir = corpus_dir().join(format!("failures-{label}"));
    let _ = std::fs::remove_dir_all(&failures_dir);
    std::fs::create_dir_all(&failures_dir).expect("failures directory");
    let sandbox = Sandbox::new();
    let mut tallies: BTreeMap<Variant, [Tally; 2]> = BTreeMap::new();
    let mut failed = 0;
    for edit in edits {
        for variant in Variant::ALL {
            let Some((old, reply, form, expected)) = case(edit, variant) else {
                continue;
            };
            let got = sandbox.replay(&edit.path, &old, &reply, form);
            let tally = &mut tallies.entry(variant).or_default()[usize::from(edit.held_out)];
            tally.total += 1;
            if got == Replayed::Applied(expected.clone()) {
                tally.exact += 1;
                continue;
            }
            failed += 1;
            let name = format!(
                "{failed:04}-{}-{}.txt",
                variant.name(),
                edit.id.replace(['/', ' '], "_")
            );
            std::fs::write(
                failures_dir.join(name),
                describe(edit, variant, &reply, &expected, &got),
            )
            .expect("write a failure");
        }
    }
    let held = edits.iter().filter(|e| e.held_out).count();
    let mut report = format!(
        "real-edit corpus ({label}): {} edits, {} tuned, {held} held out\n",
        edits.len(),
        edits.len() - held
    );
    let mut missed = Vec::new();
    for (variant, [tuned, held_out]) in &tallies {
        let _ = writeln!(
            report,
            "  {:<18} tuned {tuned:<28} held-out {held_out}",
            variant.name()
        );
        let all = Tally {
            exact: tuned.exact + held_out.exact,
            total: tuned.total + held_out.total,
        };
        if let Some((_, floor)) = FLOORS.iter().find(|(v, _)| v == variant) {
            if all.percent() < *floor {
                missed.push(format!("{} {all} < {floor}%", variant.name()));
            }
        }
    }
    let _ = writeln!(
        report,
        "  failing cases: {failed}, written to {}",
        failures_dir.display()
    );
    let _ = std::fs::write(corpus_dir().join(format!("report-{label}.txt")), &report);
    (report, missed)
}

#[test]
fn real_edits_replay_byte_exact() {
    let root = corpus_dir();
    let (edits, skipped) = load(&root);
    let quick = std::env::var("CODEY_EDIT_CORPUS").is_ok_and(|v| v == "sample");
    let (edits, label) = if quick {
        (sample(edits), "sample")
    } else {
        (edits, "full")
    };
    let (mut report, missed) = run(&edits, label);
    for (why, n) in &skipped {
        let _ = writeln!(report, "  not replayed: {n} changed files: {why}");
    }
    println!("{report}");
    assert!(
        missed.is_empty(),
        "the edit path misses its floors on real edits: {}\n{report}",
        missed.join("; ")
    );
}

/// Real edits through `git codey edit`: a dry run shows the patch and changes nothing
/// (no file, no index, no undo record), then the real run writes the new version.
#[test]
fn real_edits_through_the_binary_dry_run_then_apply() {
    let (edits, _) = load(&corpus_dir());
    for edit in sample(edits).iter().step_by(17) {
        let env = TestEnv::new();
        let old = std::str::from_utf8(&edit.old).expect("checked UTF-8");
        env.write(&edit.path, old);
        env.git(&["add", "."]);
        env.git(&["commit", "-q", "-m", "old version"]);
        let (text_old, text_new) = (text_of(&edit.old), text_of(&edit.new));
        let reply = replies::fenced_reply(&edit.path, &text_old, &text_new);
        // A server that serves a large context, as a real one would.
        let server = ScriptedServer::with_context(vec![reply.clone(), reply], 1 << 17);
        let run = |extra: &str| {
            env.codey()
                .env("CODEY_ENDPOINT", &server.endpoint)
                .env("CODEY_MODEL", "scripted")
                .args(["edit", extra, "--file", &edit.path, "make the change"])
                .assert()
                .success()
        };
        let shown = run("--dry-run");
        assert!(
            String::from_utf8_lossy(&shown.get_output().stdout).contains("+++ b/"),
            "{}: the dry run shows the patch",
            edit.id
        );
        assert_eq!(
            std::fs::read(env.repo.join(&edit.path)).unwrap(),
            edit.old,
            "{}: a dry run writes nothing",
            edit.id
        );
        assert_eq!(env.git(&["status", "--porcelain", "--ignored"]), "");
        assert!(!env.repo.join(".git/codey/undo").exists());
        run("--yes");
        assert_eq!(
            std::fs::read(env.repo.join(&edit.path)).unwrap(),
            edit.new,
            "{}: applied byte for byte",
            edit.id
        );
    }
}
