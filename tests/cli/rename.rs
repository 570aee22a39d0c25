//! Renames without a model, on code nobody here wrote: the released Python packages of
//! the real-edit corpus. In each package, top-level functions and classes that another
//! module imports by name are renamed (as `git codey "rename X in F to X_renamed and
//! update its callers"` does), and then every module of the package must still import,
//! and no module may still import the old name. Through the binary, the request that
//! only renames is done with no model configured at all.

use std::path::{Path, PathBuf};
use std::process::Command;

use codey::edit::rename;
use codey::edit::{Workset, apply};
use codey::map::Map;
use codey::syntax::DefinitionKind;
use codey::workspace::Workspace;

use crate::common::{TestEnv, assert_success};

/// Renames tried per package, the first in name order.
const PER_PACKAGE: usize = 4;

fn corpus_dir() -> PathBuf {
    match std::env::var_os("CODEY_EDIT_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
            .join(".cache/codey/edit-corpus"),
    }
}

/// The newest version of each package in the corpus.
fn packages() -> Vec<PathBuf> {
    let root = corpus_dir().join("pypi");
    assert!(
        root.is_dir(),
        "the real-edit corpus is not downloaded ({} is missing): run scripts/fetch-edit-corpus",
        root.display()
    );
    let mut out = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("readable")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    for package in names {
        let mut versions: Vec<PathBuf> = std::fs::read_dir(&package)
            .expect("readable")
            .map(|e| e.expect("entry").path())
            .collect();
        versions.sort_by_key(|v| {
            v.file_name()
                .and_then(|n| n.to_str())
                .map(|n| {
                    n.split('.')
                        .map(|p| p.parse::<u32>().unwrap_or(0))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        });
        out.extend(versions.pop());
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("readable") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// The package's modules as Python names, with the directory to import them from:
/// `src/packaging/utils.py` → (`src`, `packaging.utils`); tests and setup left out.
fn modules(files: &[String]) -> Vec<(String, String)> {
    files
        .iter()
        .filter(|f| f.ends_with(".py") && f.contains('/'))
        .filter(|f| !f.starts_with("tests/") && !f.starts_with("docs/") && !f.contains("/tests/"))
        .filter_map(|f| {
            let (root, rest) = match f.strip_prefix("src/") {
                Some(rest) => ("src", rest),
                None => (".", f.as_str()),
            };
            let module = rest.strip_suffix(".py")?.replace('/', ".");
            let module = module
                .strip_suffix(".__init__")
                .unwrap_or(&module)
                .to_string();
            Some((root.to_string(), module))
        })
        .collect()
}

/// The modules that fail to import, each on a line of its own.
fn unimportable(root: &Path, modules: &[(String, String)]) -> Vec<String> {
    let mut script = String::from("import importlib, sys\nbad = []\n");
    for (dir, module) in modules {
        script.push_str(&format!(
            "sys.path.insert(0, {dir:?})\ntry:\n    importlib.import_module({module:?})\nexcept Exception as e:\n    bad.append({module:?} + ': ' + repr(e))\nsys.path.pop(0)\n"
        ));
    }
    script.push_str("print('\\n'.join(bad))\n");
    let out = Command::new("python3")
        .args(["-c", &script])
        .current_dir(root)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn python3() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn renames_in_real_packages_leave_every_module_importable() {
    if !python3() {
        eprintln!("skipped: no python3");
        return;
    }
    let (mut tried, mut renamed, mut files_changed) = (0, 0, 0);
    let mut failures = Vec::new();
    for package in packages() {
        let env = TestEnv::new();
        copy_tree(&package, &env.repo);
        env.git(&["add", "-A"]);
        env.git(&["commit", "-q", "-m", "release"]);
        let workspace = Workspace::discover(&env.repo).expect("a repository");
        let files: Vec<String> = env.git(&["ls-files"]).lines().map(str::to_string).collect();
        let importable = modules(&files);
        let broken_before = unimportable(&env.repo, &importable);
        let (map, _) = Map::update(&workspace.root, &workspace.git_dir, &files);
        // Top-level functions and classes another module imports by name.
        let mut candidates: Vec<(String, String)> = map
            .files
            .iter()
            .filter(|f| modules(std::slice::from_ref(&f.path)).len() == 1)
            .flat_map(|f| {
                f.definitions
                    .iter()
                    .filter(|d| {
                        d.parent.is_none()
                            && matches!(d.kind, DefinitionKind::Function | DefinitionKind::Class)
                    })
                    .map(move |d| (d.name.clone(), f.path.clone()))
            })
            .filter(|(name, path)| {
                map.files
                    .iter()
                    .any(|u| u.path != *path && u.imports.iter().any(|i| i == name))
            })
            .filter(|(name, _)| map.definitions_of(name).count() == 1)
            .collect();
        candidates.sort();
        for (old, path) in candidates.into_iter().take(PER_PACKAGE) {
            tried += 1;
            let new = format!("{old}_renamed");
            let request = format!("rename {old} in {path} to {new} and update its callers");
            let renames = rename::only(&request).expect("a request that only renames");
            let mut workset = Workset::new(&workspace, vec![path.clone()], &request);
            if let Err(declined) = rename::apply(&mut workset, &map, &renames) {
                failures.push(format!(
                    "{}: {old}: declined: {declined}",
                    package.display()
                ));
                continue;
            }
            let patch = workset.patch();
            apply::apply(&patch, &workspace.git_dir.join("codey/tmp")).expect("the patch applies");
            renamed += 1;
            files_changed += patch.changes.len();
            let broken: Vec<String> = unimportable(&env.repo, &importable)
                .into_iter()
                .filter(|b| !broken_before.contains(b))
                .collect();
            if !broken.is_empty() {
                failures.push(format!(
                    "{}: {old} → {new}: {}",
                    package.display(),
                    broken.join("; ")
                ));
            }
            // No module still imports the old name from anywhere.
            let (after, _) = Map::update(&workspace.root, &workspace.git_dir, &files);
            for f in &after.files {
                if f.imports.contains(&old) && f.references.contains(&old) {
                    failures.push(format!(
                        "{}: {}: still imports {old}",
                        package.display(),
                        f.path
                    ));
                }
            }
            env.git(&["checkout", "-q", "--", "."]);
        }
    }
    eprintln!(
        "renamed {renamed} of {tried} names in real packages, {files_changed} files changed; {} failures",
        failures.len()
    );
    for failure in &failures {
        eprintln!("  {failure}");
    }
    assert!(tried >= 10, "only {tried} names to rename in the corpus");
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The request that only renames, through the binary with no coder model anywhere: the
/// definer and its importers change, a module with its own unrelated name of the same
/// spelling does not, and nothing asks for a model.
#[test]
fn a_rename_request_needs_no_model() {
    let env = TestEnv::new();
    env.write(
        "shop/orders.py",
        "def calc(items):\n    \"\"\"calc: the subtotal.\"\"\"\n    return sum(items)\n",
    );
    env.write("shop/__init__.py", "from .orders import calc\n");
    env.write(
        "app.py",
        "from shop.orders import calc\n\nprint(calc([1, 2]))\n",
    );
    env.write("other.py", "def f(calc):\n    return calc + 1\n");
    env.git(&["add", "-A"]);
    env.git(&["commit", "-q", "-m", "shop"]);
    let out = rename_without_model(
        &env,
        &[
            "--json",
            "in shop/orders.py, rename the function calc to subtotal and update its callers",
        ],
    );
    assert_success(&out);
    assert_eq!(
        env.read("shop/orders.py").unwrap(),
        "def subtotal(items):\n    \"\"\"calc: the subtotal.\"\"\"\n    return sum(items)\n"
    );
    assert_eq!(
        env.read("shop/__init__.py").unwrap(),
        "from .orders import subtotal\n"
    );
    assert_eq!(
        env.read("app.py").unwrap(),
        "from shop.orders import subtotal\n\nprint(subtotal([1, 2]))\n"
    );
    assert_eq!(
        env.read("other.py").unwrap(),
        "def f(calc):\n    return calc + 1\n"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let edit: serde_json::Value = serde_json::from_str(
        report["steps"][0]["stdout"]
            .as_str()
            .expect("the edit's JSON"),
    )
    .expect("JSON");
    assert_eq!(edit["form"], "rename", "{report}");
    assert_eq!(edit["completion_tokens"], 0, "{report}");
}

/// A rename to a name the file already uses would change what that name means: it is
/// left to the model, and with no model nothing is changed.
#[test]
fn a_rename_to_a_name_in_use_is_not_done_mechanically() {
    let env = TestEnv::new();
    env.write(
        "calc.py",
        "def total(x):\n    return x\n\n\ndef subtotal(x):\n    return total(x)\n",
    );
    env.git(&["add", "-A"]);
    env.git(&["commit", "-q", "-m", "calc"]);
    let out = rename_without_model(&env, &["rename total in calc.py to subtotal"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("coder model is missing"), "{stderr}");
    assert_eq!(
        env.read("calc.py").unwrap(),
        "def total(x):\n    return x\n\n\ndef subtotal(x):\n    return total(x)\n"
    );
}

/// Runs `git codey --yes ARGS…` with no model anywhere.
fn rename_without_model(env: &TestEnv, args: &[&str]) -> std::process::Output {
    env.codey()
        .arg("--yes")
        .args(args)
        .env(
            "CODEY_MODELS_CODER_PATH",
            env.outside().join("no-model.gguf"),
        )
        .env("CODEY_NO_ROUTER_MODEL", "1")
        .output()
        .expect("runs")
}

/// What only shares the spelling stays: another object's attribute (`d.get`,
/// `requests.get`), a keyword argument, a method of the same name.
#[test]
fn a_rename_leaves_what_only_shares_the_name() {
    let env = TestEnv::new();
    env.write(
        "utils.py",
        "def get(key):\n    return key\n\n\nclass Box:\n    def get(self):\n        return 1\n",
    );
    let app = "import requests\nimport utils\n\nd = {}\nprint(d.get('a'), requests.get('u'), utils.get('a'), dict(get=1))\n";
    env.write("app.py", app);
    env.git(&["add", "-A"]);
    env.git(&["commit", "-q", "-m", "utils"]);
    let out = rename_without_model(
        &env,
        &["rename get in utils.py to lookup and update its callers"],
    );
    assert_success(&out);
    assert_eq!(
        env.read("utils.py").unwrap(),
        "def lookup(key):\n    return key\n\n\nclass Box:\n    def get(self):\n        return 1\n"
    );
    assert_eq!(
        env.read("app.py").unwrap(),
        app.replace("utils.get(", "utils.lookup(")
    );
}

/// A parameter of the same name in an importer makes the rename uncertain: it goes to
/// the model (here missing), and nothing changes.
#[test]
fn a_shadowing_parameter_leaves_the_rename_to_the_model() {
    let env = TestEnv::new();
    env.write("orders.py", "def calc(x):\n    return x\n");
    let app = "from orders import calc\n\n\ndef f(calc):\n    return calc(1)\n";
    env.write("app.py", app);
    env.git(&["add", "-A"]);
    env.git(&["commit", "-q", "-m", "orders"]);
    let out = rename_without_model(&env, &["rename calc in orders.py to subtotal"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("coder model is missing"), "{stderr}");
    assert_eq!(
        env.read("orders.py").unwrap(),
        "def calc(x):\n    return x\n"
    );
    assert_eq!(env.read("app.py").unwrap(), app);
}
