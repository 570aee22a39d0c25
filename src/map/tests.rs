use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::*;

/// Writes files under `root` with a modification time well in the past, as files are
/// when a request comes long after they were last saved.
fn write(root: &Path, files: &[(&str, &str)]) -> Vec<String> {
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, text).unwrap();
        age(&full, 3600);
    }
    files.iter().map(|(p, _)| (*p).to_string()).collect()
}

fn age(full: &Path, seconds: u64) {
    let file = std::fs::File::options().write(true).open(full).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(seconds))
        .unwrap();
}

/// A work tree and a separate git directory for the cache.
fn dirs() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("work");
    let git_dir = dir.path().join("git");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(&git_dir).unwrap();
    (dir, root, git_dir)
}

const PY: &str = "import numutil\nfrom numutil import median\n\n\nclass Report:\n    @property\n    def title(self):\n        return 'r'\n\n\ndef summarize(values):\n    return median(values) + numutil.clamp(1, 2, 3)\n";
const RS: &str = "use crate::geo::Point;\n\npub struct Grid {\n    cells: Vec<Point>,\n}\n\nimpl Grid {\n    pub fn area(&self) -> usize {\n        self.cells.len()\n    }\n}\n";
const JS: &str = "const { slug } = require('./text');\n\nexport class Cart {\n  total() { return slug(this.items); }\n}\n\nexport function checkout(cart) {\n  return cart.total();\n}\n";
const GO: &str = "package shop\n\nimport \"fmt\"\n\ntype Server struct{}\n\nfunc (s *Server) Start() error {\n\treturn fmt.Errorf(\"x\")\n}\n";

fn sample() -> Vec<(&'static str, &'static str)> {
    vec![
        ("app/report.py", PY),
        ("src/grid.rs", RS),
        ("web/cart.js", JS),
        ("shop/server.go", GO),
        ("README.md", "# readme\n"),
    ]
}

#[test]
fn definitions_and_references_across_languages() {
    let (_d, root, git_dir) = dirs();
    let tracked = write(&root, &sample());
    let (map, update) = Map::update(&root, &git_dir, &tracked);
    assert_eq!(update.parsed, 5);
    let names = |path: &str| -> Vec<(String, DefinitionKind, Option<String>, String)> {
        map.file(path)
            .unwrap()
            .definitions
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    s.kind,
                    s.parent.clone(),
                    s.signature.clone(),
                )
            })
            .collect()
    };
    let py = names("app/report.py");
    assert_eq!(py[1].0, "title");
    assert_eq!(py[1].1, DefinitionKind::Method);
    // The signature is the line naming it, not its decorator.
    assert_eq!(py[1].3, "def title(self):");
    assert_eq!(py[2].3, "def summarize(values):");
    let report = map.file("app/report.py").unwrap();
    assert!(report.imports.contains(&"numutil".to_string()));
    assert!(report.imports.contains(&"median".to_string()));
    assert!(report.references.contains(&"clamp".to_string()));
    assert!(!report.imports.contains(&"clamp".to_string()));

    let rs = names("src/grid.rs");
    assert!(rs.contains(&(
        "area".into(),
        DefinitionKind::Method,
        Some("Grid".into()),
        "pub fn area(&self) -> usize {".into()
    )));
    assert!(
        map.file("src/grid.rs")
            .unwrap()
            .imports
            .contains(&"Point".to_string())
    );
    let js = names("web/cart.js");
    assert_eq!(js[0].0, "Cart");
    assert_eq!(js[2].3, "export function checkout(cart) {");
    let cart = map.file("web/cart.js").unwrap();
    assert!(cart.imports.contains(&"slug".to_string()), "{cart:?}");
    assert!(!cart.imports.contains(&"checkout".to_string()));
    assert_eq!(map.file("shop/server.go").unwrap().imports, ["fmt"]);
    let go = names("shop/server.go");
    assert_eq!(go[1].0, "Start");
    assert_eq!(go[1].2.as_deref(), Some("Server"));
    let readme = map.file("README.md").unwrap();
    assert!(!readme.parsed && readme.definitions.is_empty());
}

#[test]
fn only_changed_files_are_parsed_again() {
    let (_d, root, git_dir) = dirs();
    let mut tracked = write(&root, &sample());
    let (first, update) = Map::update(&root, &git_dir, &tracked);
    assert_eq!((update.parsed, update.reused), (5, 0));
    assert!(update.cache_written);

    let (again, update) = Map::update(&root, &git_dir, &tracked);
    assert_eq!((update.parsed, update.reused), (0, 5));
    assert!(update.cache_read && !update.cache_written);
    assert_eq!(again, first);

    // One file changes, one is added, one is no longer tracked.
    write(
        &root,
        &[(
            "app/report.py",
            "def summarize(values, weights):\n    return 0\n",
        )],
    );
    tracked.push(write(&root, &[("lib/extra.py", "def extra():\n    pass\n")])[0].clone());
    tracked.retain(|p| p != "web/cart.js");
    let (map, update) = Map::update(&root, &git_dir, &tracked);
    assert_eq!((update.parsed, update.reused), (2, 3));
    assert!(update.cache_written);
    assert_eq!(
        map.file("app/report.py").unwrap().definitions[0].signature,
        "def summarize(values, weights):"
    );
    assert!(map.file("lib/extra.py").is_some());
    assert!(map.file("web/cart.js").is_none());
    assert_eq!(Map::update(&root, &git_dir, &tracked).1.parsed, 0);
}

#[test]
fn a_file_changed_just_now_is_read_again_next_time() {
    let (_d, root, git_dir) = dirs();
    let tracked = vec!["a.py".to_string()];
    std::fs::write(root.join("a.py"), "def one():\n    pass\n").unwrap();
    Map::update(&root, &git_dir, &tracked);
    // Same size, and possibly the same time stamp: it must not be taken from the cache.
    std::fs::write(root.join("a.py"), "def two():\n    pass\n").unwrap();
    let (map, update) = Map::update(&root, &git_dir, &tracked);
    assert_eq!(update.parsed, 1);
    assert_eq!(map.files[0].definitions[0].name, "two");
}

#[test]
fn a_damaged_or_hostile_cache_is_rebuilt() {
    let (_d, root, git_dir) = dirs();
    let tracked = write(&root, &sample());
    let (good, _) = Map::update(&root, &git_dir, &tracked);
    let cache = cache::path(&git_dir);
    let valid = std::fs::read_to_string(&cache).unwrap();
    let hostile = [
        String::new(),
        "\0\u{1}garbage".to_string(),
        valid[..valid.len() / 2].to_string(),
        valid.replace("\"version\":1", "\"version\":99"),
        // Entries out of order, and an impossible line range.
        r#"{"version":1,"map":{"files":[{"p":"b.py","s":{"size":1,"mtime_ns":1},"k":true},{"p":"a.py","s":{"size":1,"mtime_ns":1},"k":true}]}}"#.to_string(),
        r#"{"version":1,"map":{"files":[{"p":"app/report.py","s":{"size":1,"mtime_ns":1},"k":true,"d":[{"n":"x","k":"function","a":9,"b":2,"g":""}]}]}}"#.to_string(),
        r#"{"version":1,"map":{"files":[{"p":"/etc/passwd","s":{"size":1,"mtime_ns":1},"k":true}]}}"#.to_string(),
        "[".repeat(100_000),
    ];
    for text in hostile {
        std::fs::write(&cache, &text).unwrap();
        let (map, update) = Map::update(&root, &git_dir, &tracked);
        assert!(!update.cache_read, "{}", &text[..text.len().min(80)]);
        assert_eq!(update.parsed, 5);
        assert_eq!(map, good);
    }
    // A directory where the cache should be: the map is still made.
    std::fs::remove_file(&cache).unwrap();
    std::fs::create_dir_all(cache.join("x")).unwrap();
    let (map, update) = Map::update(&root, &git_dir, &tracked);
    assert_eq!(map, good);
    assert!(!update.cache_written);
}

#[test]
fn large_files_are_listed_but_not_parsed() {
    let (_d, root, git_dir) = dirs();
    let big = "def f():\n    pass\n".repeat(MAX_PARSED_BYTES as usize / 10);
    let tracked = write(
        &root,
        &[
            ("gen/big.py", big.as_str()),
            ("small.py", "def g():\n    pass\n"),
        ],
    );
    let (map, _) = Map::update(&root, &git_dir, &tracked);
    let entry = map.file("gen/big.py").unwrap();
    assert!(!entry.parsed && entry.definitions.is_empty());
    assert_eq!(entry.stamp.size, big.len() as u64);
    assert!(map.file("small.py").unwrap().parsed);
}

#[test]
fn the_map_of_a_real_repository_comes_from_git() {
    let (_d, root, git_dir) = dirs();
    write(&root, &sample());
    let git = |args: &[&str]| {
        let out = crate::tools::git::command(&root)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "app", "src", "README.md"]);
    std::fs::write(root.join("untracked.py"), "def nope():\n    pass\n").unwrap();
    let (map, _) = Map::load(&root, &git_dir).unwrap();
    let paths: Vec<&str> = map.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["README.md", "app/report.py", "src/grid.rs"]);
    assert!(Map::load(&git_dir, &git_dir).is_err());
}

/// The map of `fixtures/map-repo`, fourteen small Python modules and their tests.
pub(crate) fn fixture_map() -> (tempfile::TempDir, Map) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/map-repo");
    let mut tracked = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "tests" {
            for t in std::fs::read_dir(entry.path()).unwrap().flatten() {
                tracked.push(format!("tests/{}", t.file_name().to_string_lossy()));
            }
        } else {
            tracked.push(name);
        }
    }
    let git_dir = tempfile::tempdir().unwrap();
    let (map, _) = Map::update(&root, git_dir.path(), &tracked);
    (git_dir, map)
}

fn ranked(map: &Map, request: &str) -> Vec<(String, String)> {
    rank(map, request)
        .files
        .into_iter()
        .map(|c| (c.path, c.reason))
        .collect()
}

#[test]
fn the_file_defining_a_named_symbol_comes_first() {
    let (_g, map) = fixture_map();
    assert_eq!(
        ranked(&map, "fix the off-by-one bug in moving_average"),
        [(
            "numutil.py".to_string(),
            "defines moving_average".to_string()
        )]
    );
    let files = ranked(&map, "add mean() to numutil and make summarize use it");
    assert!(
        files.contains(&("stats.py".into(), "defines summarize".into())),
        "{files:?}"
    );
    assert!(
        files.contains(&("numutil.py".into(), "module numutil".into())),
        "{files:?}"
    );
    assert_eq!(files.len(), 2);
}

#[test]
fn a_rename_brings_the_callers_and_importers() {
    let (_g, map) = fixture_map();
    let files = ranked(&map, "rename slugify to make_slug");
    assert_eq!(files[0], ("textutil.py".into(), "defines slugify".into()));
    assert_eq!(files[1], ("report.py".into(), "imports slugify".into()));
    assert_eq!(files.len(), 2);
    // Without a rename, a fix stays in the definition.
    assert_eq!(ranked(&map, "slugify drops digits").len(), 1);
}

#[test]
fn a_name_defined_twice_is_ambiguous_unless_the_request_tells() {
    let (_g, map) = fixture_map();
    let r = rank(&map, "parse should accept tabs");
    assert!(r.files.is_empty());
    assert_eq!(r.ambiguous.len(), 1);
    assert_eq!(r.ambiguous[0].name, "parse");
    assert_eq!(r.ambiguous[0].candidates, ["config.py", "dates.py"]);
    let r = rank(&map, "Circle.area should round");
    assert!(r.ambiguous.is_empty());
    assert_eq!(r.files[0].path, "geometry.py");
    let r = rank(&map, "area of a Box is wrong");
    assert_eq!(r.files[0].path, "layout.py");
}

#[test]
fn something_new_gets_a_file_named_for_it() {
    let (_g, map) = fixture_map();
    let r = rank(&map, "implement dijkstra's shortest path algorithm");
    assert!(r.files.is_empty());
    assert_eq!(r.new_file.as_deref(), Some("dijkstra.py"));
    let r = rank(&map, "create a binary heap");
    assert_eq!(r.new_file.as_deref(), Some("binary_heap.py"));
    // Something new in a module that exists goes there.
    let r = rank(&map, "add a function moving_median to numutil");
    assert_eq!(r.new_file, None);
    assert_eq!(r.files[0].path, "numutil.py");
}

#[test]
fn a_test_request_finds_the_tests_or_names_a_test_file() {
    let (_g, map) = fixture_map();
    let r = rank(&map, "add a test for binary_search with an empty list");
    let paths: Vec<&str> = r.files.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["search.py", "tests/test_search.py"]);
    assert_eq!(r.files[1].reason, "tests binary_search");
    let r = rank(&map, "add a test for clamp");
    assert_eq!(r.files[0].path, "numutil.py");
    assert_eq!(r.new_file.as_deref(), Some("tests/test_numutil.py"));
}

#[test]
fn the_outline_shows_what_the_targets_use() {
    let (_g, map) = fixture_map();
    let text = outline(&map, &["report.py".into()], "add a stddev column", 10_000);
    assert!(text.contains("stats.py:\n"), "{text}");
    assert!(text.contains("def summarize(values):"), "{text}");
    assert!(text.contains("def stddev(values):"), "{text}");
    assert!(text.contains("textutil.py:\n") && text.contains("def slugify(title):"));
    assert!(
        !text.contains("report.py:"),
        "the target itself is sent whole: {text}"
    );
    assert!(!text.contains("merge_sort"), "{text}");
    // A short budget says what it left out.
    let short = outline(&map, &["report.py".into()], "add a stddev column", 60);
    assert!(
        short.len() < 120 && short.contains("more definitions not shown"),
        "{short}"
    );
}

#[test]
fn a_large_file_is_excerpted_around_the_definitions_asked_for() {
    let mut text = String::from("import math\n\n");
    for i in 0..200 {
        text.push_str(&format!("def helper_{i}(x):\n    return x + {i}\n\n\n"));
    }
    text.push_str("class Shape:\n    def area(self):\n        return 0\n\n    def grow(self, k):\n        return k\n");
    let e = excerpt("shapes.py", &text, "make Shape.area return 1", 2_000).unwrap();
    assert_eq!(e.names, ["area"]);
    assert_eq!(e.whole, [(804, 805)]);
    assert!(
        e.text
            .contains("# lines 804-805\n    def area(self):\n        return 0\n"),
        "{}",
        e.text
    );
    assert!(
        e.text.contains("803: class Shape:") && e.text.contains("807: def grow(self, k):"),
        "{}",
        e.text
    );
    assert!(
        e.text.contains("1: import math") || e.text.contains("lines 1-"),
        "{}",
        e.text
    );
    assert!(e.text.contains("3: def helper_0(x):"), "{}", e.text);
    assert!(e.text.contains("not shown"), "{}", e.text);
    assert!(e.text.len() < text.len());
    assert_eq!(
        excerpt("shapes.py", &text, "rename nothing_here", 2_000),
        None
    );
    assert_eq!(excerpt("notes.txt", &text, "Shape", 2_000), None);
}
