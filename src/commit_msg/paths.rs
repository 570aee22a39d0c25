//! What a changed path is, judged by its name alone: whether the model is spared its
//! diff (lockfiles, generated and minified files), and which kind of change it makes
//! (documentation, tests, CI, build, code), for the draft written without a model.

/// Why a file's diff is left out of the model's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Omit {
    Lockfile,
    Generated,
    Binary,
}

impl Omit {
    pub fn as_str(self) -> &'static str {
        match self {
            Omit::Lockfile => "lockfile",
            Omit::Generated => "generated",
            Omit::Binary => "binary",
        }
    }
}

/// Lockfiles and generated files: long, mechanical diffs that say nothing a summary
/// needs beyond their name (judged as the review judges them).
pub fn omitted(path: &str) -> Option<Omit> {
    use crate::review::files::MachineMade;
    match crate::review::files::machine_made(path, "")? {
        MachineMade::Lockfile => Some(Omit::Lockfile),
        MachineMade::Minified | MachineMade::Generated => Some(Omit::Generated),
    }
}

/// The kind of change a path makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Code,
    Tests,
    Docs,
    Build,
    Ci,
}

impl Kind {
    /// The Conventional Commits type for a change of only this kind.
    pub fn conventional_type(self) -> &'static str {
        match self {
            Kind::Code => "chore",
            Kind::Tests => "test",
            Kind::Docs => "docs",
            Kind::Build => "build",
            Kind::Ci => "ci",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Code => "code",
            Kind::Tests => "tests",
            Kind::Docs => "documentation",
            Kind::Build => "build files",
            Kind::Ci => "CI configuration",
        }
    }
}

const BUILD_FILES: [&str; 16] = [
    "Cargo.toml",
    "build.rs",
    "package.json",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "go.mod",
    "Makefile",
    "CMakeLists.txt",
    "Dockerfile",
    "meson.build",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "Gemfile",
    "rust-toolchain.toml",
];

pub fn kind(path: &str) -> Kind {
    let name = file_name(path);
    let dirs: Vec<&str> = path.split('/').collect();
    let dirs = &dirs[..dirs.len() - 1];
    let in_dir = |names: &[&str]| dirs.iter().any(|d| names.contains(d));
    if path.starts_with(".github/workflows/")
        || path.starts_with(".circleci/")
        || path.starts_with(".buildkite/")
        || [
            ".gitlab-ci.yml",
            ".travis.yml",
            "Jenkinsfile",
            "azure-pipelines.yml",
            "appveyor.yml",
            ".drone.yml",
        ]
        .contains(&path)
    {
        return Kind::Ci;
    }
    if omitted(path) == Some(Omit::Lockfile)
        || BUILD_FILES.contains(&name)
        || (name.starts_with("requirements") && name.ends_with(".txt"))
    {
        return Kind::Build;
    }
    let stem = name.split('.').next().unwrap_or(name);
    if in_dir(&["tests", "test", "__tests__", "spec", "testdata"])
        || name.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("Test")
        || stem.ends_with("Tests")
        || name.contains(".test.")
        || name.contains(".spec.")
    {
        return Kind::Tests;
    }
    let upper = name.to_ascii_uppercase();
    if in_dir(&["docs", "doc"])
        || [".md", ".rst", ".adoc", ".txt"]
            .iter()
            .any(|e| name.ends_with(e))
        || ["README", "CHANGELOG", "CONTRIBUTING", "LICENSE", "AUTHORS"]
            .iter()
            .any(|p| upper.starts_with(p))
    {
        return Kind::Docs;
    }
    Kind::Code
}

/// The kinds a set of paths touches, in a fixed order, each once.
pub fn kinds<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = paths.into_iter().map(kind).collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// "Documentation only." or "Changes code and tests.": the kind of change in words.
pub fn describe(kinds: &[Kind]) -> String {
    match kinds {
        [] => "Changes files.".into(),
        [only] => {
            let noun = only.noun();
            let mut s = noun[..1].to_ascii_uppercase();
            s.push_str(&noun[1..]);
            s.push_str(" only.");
            s
        }
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(|k| k.noun()).collect();
            format!("Changes {} and {}.", init.join(", "), last.noun())
        }
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockfiles_and_generated_files_are_left_out() {
        for lock in [
            "Cargo.lock",
            "web/package-lock.json",
            "yarn.lock",
            "poetry.lock",
            "go.sum",
        ] {
            assert_eq!(omitted(lock), Some(Omit::Lockfile), "{lock}");
        }
        for generated in ["static/app.min.js", "api_pb2.py", "dist/index.js"] {
            assert_eq!(omitted(generated), Some(Omit::Generated), "{generated}");
        }
        for kept in ["src/lock.rs", "src/main.rs", "distance.py", "README.md"] {
            assert_eq!(omitted(kept), None, "{kept}");
        }
    }

    #[test]
    fn kinds_come_from_paths() {
        assert_eq!(kind("README.md"), Kind::Docs);
        assert_eq!(kind("docs/guide/intro.html"), Kind::Docs);
        assert_eq!(kind("tests/cli/main.rs"), Kind::Tests);
        assert_eq!(kind("pkg/server_test.go"), Kind::Tests);
        assert_eq!(kind("test_app.py"), Kind::Tests);
        assert_eq!(kind("web/button.spec.ts"), Kind::Tests);
        assert_eq!(kind(".github/workflows/ci.yml"), Kind::Ci);
        assert_eq!(kind("Cargo.toml"), Kind::Build);
        assert_eq!(kind("requirements-dev.txt"), Kind::Build);
        assert_eq!(kind("src/tests.rs"), Kind::Code);
        assert_eq!(kind("src/main.rs"), Kind::Code);
    }

    #[test]
    fn kinds_are_described_in_words() {
        assert_eq!(
            describe(&kinds(["README.md", "docs/a.md"])),
            "Documentation only."
        );
        assert_eq!(
            describe(&kinds(["src/a.rs", "tests/a.rs", "README.md"])),
            "Changes code, tests and documentation."
        );
        assert_eq!(
            describe(&kinds([".github/workflows/ci.yml"])),
            "CI configuration only."
        );
    }
}
