//! Command lines: a request in backticks, "run X", and a command typed as it is
//! (`ls -la`, `cargo test`, `./build.sh`), with the runner a script file needs.

use super::git_args::literal_git;
use super::vocabulary::{COMMANDS, NOT_A_COMMAND, WORDLIKE_COMMANDS};
use super::{CLEAR, GUESS, LIKELY, LITERAL, SURE, file, shell, shell_owned};
use crate::route::text::{self, has_shell_operators, is_path_like, paths_in};
use crate::route::{Action, FileAction, Hints};

/// A request that is nothing but a command in backticks.
pub(super) fn backticked(core: &str) -> Option<(Action, f32)> {
    let inner = core.strip_prefix('`')?.strip_suffix('`')?.trim();
    if inner.is_empty() || inner.contains('`') {
        return None;
    }
    literal_git(inner).or_else(|| shell(inner, LITERAL))
}

/// A task and, last, the command line in backticks it is done with: "install the
/// dependencies with `npm ci`", "run the migrations with `python manage.py
/// migrate`", "instala las dependencias con `npm ci`", "führe die Tests mit `npm
/// test` aus". Only a request that opens with a verb of running, building or
/// installing, and names no file, reads so ("rewrite the loop with `map`", "update
/// the Makefile with `rm -rf dist`" are edits).
pub(super) fn done_with_backticked(core: &str) -> Option<(Action, f32)> {
    const VERBS: &[&str] = &[
        "run",
        "execute",
        "exec",
        "install",
        "build",
        "compile",
        "test",
        "lint",
        "migrate",
        "deploy",
        // "pull in the node dependencies by running npm install": a task named, then
        // the line that does it.
        "pull",
        "fetch",
        "grab",
        "upgrade",
        "typecheck",
        "rebuild",
        "rerun",
        "retest",
        "ejecuta",
        "ejecutá",
        "corre",
        "instala",
        "compila",
        "lance",
        "lancez",
        "exécute",
        "exécutez",
        "installe",
        "installez",
        "führe",
        "installiere",
        "baue",
        "starte",
        "roda",
        "rode",
        "executa",
        "instale",
        "esegui",
        "lancia",
        "installa",
        "avvia",
    ];
    const WITH: &[&str] = &[
        "with",
        "using",
        "via",
        "through",
        "by running",
        "con",
        "usando",
        "avec",
        "en utilisant",
        "en lançant",
        "mit",
        "com",
        "tramite",
    ];
    // "rebuild w/ `npm run build`": "with", typed fast.
    let with = core
        .contains(" w/ ")
        .then(|| core.replace(" w/ ", " with "));
    let core = with.as_deref().unwrap_or(core);
    // German puts a separable verb's particle last: "führe … mit `npm test` aus".
    let body = core.strip_suffix(" aus").unwrap_or(core).trim_end();
    // "install the node dependencies using npm install", "execute the unit tests with
    // cargo test": the command line typed bare after the task, when it reads as one and
    // nothing in it talks or asks.
    if !body.ends_with('`') {
        let lower = body.to_lowercase();
        let verb = lower.split_whitespace().next()?;
        let (at, with) = WITH
            .iter()
            .filter_map(|w| lower.find(&format!(" {w} ")).map(|at| (at, *w)))
            .min()?;
        let inner = body[at + with.len() + 2..].trim();
        let tool = inner.split_whitespace().next()?;
        let talks = inner.split_whitespace().skip(1).any(|w| {
            let w = w.to_ascii_lowercase();
            PROSE_WORDS.contains(&w.as_str()) || REMARKS.contains(&w.as_str())
        });
        return (VERBS.contains(&verb)
            && paths_in(&body[..at]).is_empty()
            && !says_not_with(&body[..at])
            && (COMMANDS.contains(&tool) || (tool.starts_with("./") && is_check_command(inner)))
            // "… using npm install once Tom approves": said with a condition or a wait.
            && crate::route::rules::context_only(inner)
            && !NOT_A_COMMAND.contains(&tool)
            && !inner.contains(['?', ','])
            && !talks
            && !has_shell_operators(inner)
            && !crate::route::rules::hedged(inner)
            // A tool named alone runs bare only if that is what it does ("build
            // everything by running make"; "install deps with pip" says too little).
            && (inner.split_whitespace().count() >= 2
                || ["make", "ninja", "pytest", "tox", "nox", "just", "rake", "tsc", "mypy", "jest", "vitest"]
                    .contains(&tool)))
            .then(|| literal_git(inner).or_else(|| literal_command(inner)))
            .flatten();
    }
    let body = body.strip_suffix('`')?;
    let open = body.rfind('`')?;
    let inner = body[open + 1..].trim();
    let before = body[..open].trim_end().to_lowercase();
    // "rebuild but not w/ `rm -rf src`": the command said not to be used.
    if says_not_with(&before) {
        return None;
    }
    let verb = before.split_whitespace().next()?;
    let tool = inner.split_whitespace().next()?;
    // "test the example in README.md with `x`": a task on a file is the file's edit.
    if !VERBS.contains(&verb)
        || !paths_in(&before).is_empty()
        || !WITH.iter().any(|w| before.ends_with(&format!(" {w}")))
        || !(COMMANDS.contains(&tool) || tool.starts_with("./"))
    {
        return None;
    }
    literal_git(inner).or_else(|| shell(inner, SURE))
}

/// Whether the words before a command said to do a task with say not to use it
/// ("rebuild but not w/ `rm -rf src`", "rerun instead of `git push`").
fn says_not_with(before: &str) -> bool {
    crate::route::rules::limits(before)
        || regex!(r"(?i)\b(?:but|instead|rather|except|skip|minus)\b").is_match(before)
}

/// Whether a check also writes: a formatter or a linter told to fix, an install, a
/// snapshot update, or a report, a build output or a temporary folder written where
/// it is told (`pytest --junitxml=prod.db`, `pytest --basetemp=src` empties src/, `go
/// build -o prod.db`). A formatter told to check does not.
pub(super) fn check_writes(command: &str) -> bool {
    regex!(r"(?i)(?:\s--fix\b|\s--write\b|\s-w\b|\s-u\b|\s--update\b|\s--update-?snapshots?\b|\s--updateSnapshot\b|\s--cache-clear\b|\bnpm\s+ci\b|\binstall\b|\s--basetemp\b|\s--junit-?xml\b|\s--cov-report\b|\s--html\b|\s--json-report-file\b|\s--result-log\b|\s-o\b|\s--output\b|\s--out(?:put)?-?(?:dir|file)?\b|\s--target-dir\b|\s--outdir\b|>)")
        .is_match(command)
        || (regex!(r"(?i)\b(?:fmt|format|black|prettier)\b").is_match(command)
            && !regex!(r"(?i)\s--check\b").is_match(command))
}

/// "run the linter, it's npm run lint", "start the dev server — that's `npm run dev`",
/// "test (npm test)": a task named, then the command line it is.
pub(super) fn named_then_given(core: &str) -> Option<(Action, f32)> {
    let caps = regex!(r"(?i)^(?:run|execute|start|kick\s+off)\s+(?:the\s+|our\s+|my\s+)?[\w-]+(?:\s+[\w-]+){0,2}\s*(?:,|—|–|-|:)\s*(?:it's|its|it\s+is|that's|thats|that\s+is|which\s+is|i\.e\.?|aka)\s+(.+?)[.!]?$")
        .captures(core)
        .or_else(|| {
            regex!(r"(?i)^(?:(?:run|execute|start|do)\s+)?(?:the\s+|our\s+|my\s+)?(?:tests?|test\s+suite|build|lint|linter|checks?|type\s*check|benchmarks?|benches)\s*\(([^()]+)\)[.!]?$")
                .captures(core)
        })?;
    let given = caps[1].trim();
    // Only a check the project has, quoted or not, and nothing after it ("it's rm -rf
    // src — never do this", "run the tests, it's `rm -rf src`").
    let command = inside_quotes(given).unwrap_or(given);
    if !is_command_line(command)
        || has_shell_operators(command)
        || !is_check_command(command)
        || check_writes(command)
    {
        return None;
    }
    literal_git(command).or_else(|| literal_command(command))
}

/// A command quoted whole (`'make clean'`, `` `go vet ./...` ``): what is inside the
/// quotes, which the shell would otherwise read as one program's name.
fn inside_quotes(command: &str) -> Option<&str> {
    ['`', '\'', '"']
        .iter()
        .find_map(|&q| {
            command
                .strip_prefix(q)
                .and_then(|inner| inner.strip_suffix(q))
                .filter(|inner| !inner.contains(q) && !inner.trim().is_empty())
        })
        .map(str::trim)
}

/// Whether a command line is a check: a build, test or lint tool's run ("cargo
/// build", "npm run lint", "pytest -q"), not one that ships, deletes or changes the
/// world ("git push origin main", "npm publish", "rm -rf x"), with nothing said about
/// it ("cargo test would be nice") and no shell syntax.
pub fn is_check_command(command: &str) -> bool {
    const RUNNERS: &[&str] = &[
        "cargo",
        "npm",
        "yarn",
        "pnpm",
        "npx",
        "bun",
        "deno",
        "make",
        "pytest",
        "tox",
        "nox",
        "go",
        "mvn",
        "gradle",
        "gradlew",
        "mvnw",
        "ruff",
        "eslint",
        "tsc",
        "mypy",
        "flake8",
        "pylint",
        "black",
        "bazel",
        "ctest",
        "dotnet",
        "mix",
        "rake",
        "rspec",
        "jest",
        "vitest",
        "phpunit",
        "python",
        "python3",
        "uv",
        "poetry",
        "just",
        "ninja",
        "cmake",
        "swift",
        "zig",
        "shellcheck",
        "golangci-lint",
        "prettier",
        "stylelint",
        "tsx",
        "clippy",
    ];
    // Anything that ships, deletes or changes the world, inside a word too
    // ("deploy:prod", "db:drop", "clean:all", "deploy-prod").
    const NOT_CHECKS: &[&str] = &[
        "publish",
        "deploy",
        "release",
        "push",
        "upload",
        "delete",
        "destroy",
        "apply",
        "clean",
        "reset",
        "install",
        "prune",
        "drop",
        "flush",
        "migrat",
        "downgrade",
        "purge",
        "nuke",
        "wipe",
        "erase",
        "remove",
        "kill",
        "truncate",
        "seed",
        "rollback",
        "teardown",
    ];
    // A check's own words: its task, a flag, a path, a target ("test", "--release",
    // "./...", "tests/unit", ":lint").
    const TASKS: &[&str] = &[
        "test",
        "tests",
        "build",
        "check",
        "lint",
        "run",
        "vet",
        "fmt",
        "format",
        "clippy",
        "typecheck",
        "type-check",
        "compile",
        "verify",
        "ci",
        "all",
        "spec",
        "specs",
        "unit",
        "integration",
        "e2e",
        "workspace",
        "bench",
        "coverage",
        "pytest",
        "mypy",
        "ruff",
        "eslint",
        "tsc",
        "jest",
        "vitest",
        "tox",
        "unittest",
        "-m",
    ];
    let command = command.trim();
    let lower = command.to_ascii_lowercase();
    let mut words = command.split_whitespace();
    let program = words.next().unwrap_or_default();
    let program = program.strip_prefix("./").unwrap_or(program);
    // A runner of scripts checks only with a check's words ("python -m pytest", not
    // "python -m http.server" nor "deno run -A https://…").
    const SCRIPT_RUNNERS: &[&str] = &["python", "python3", "uv", "poetry", "npx", "deno", "bun"];
    let checks_by_name = !SCRIPT_RUNNERS.contains(&program)
        || lower.split_whitespace().skip(1).any(|w| {
            matches!(
                w,
                "test"
                    | "tests"
                    | "pytest"
                    | "unittest"
                    | "lint"
                    | "check"
                    | "mypy"
                    | "ruff"
                    | "tsc"
                    | "jest"
                    | "vitest"
                    | "tox"
            )
        });
    RUNNERS.contains(&program)
        && checks_by_name
        && !lower.contains("://")
        // Nothing outside the work tree: "make -C / all".
        && !lower
            .split_whitespace()
            .any(|w| w.starts_with('/') || w.starts_with('~') || w.starts_with("..") || w.contains("=/"))
        && !has_shell_operators(command)
        && !command.contains('?')
        && !NOT_CHECKS.iter().any(|w| lower.contains(w))
        // Its words: the check's task, a flag that points nowhere else (`-C dir`, `-f
        // file`, `-c code`, `-e` are not), a path inside the tree ("./...",
        // "tests/unit"): nothing after a `:` ("npm run pwn:now"), no `..`.
        && !lower.contains("..")
        && words.all(|w| {
            let w = w.to_ascii_lowercase();
            (w.starts_with('-')
                && !matches!(w.as_str(), "-c" | "-f" | "-e" | "-i" | "-r" | "-x" | "-p")
                && !w.starts_with("-c")
                && !w.starts_with("-f")
                && !["file", "dir", "exec", "eval", "config", "root", "require", "import"]
                    .iter()
                    .any(|x| w.contains(x)))
                || TASKS.contains(&w.as_str())
                || (w == "./..." || w.ends_with("/..."))
                || (is_path_like(&w) && !w.contains(':') && !w.starts_with("./") && !w.ends_with(".py") && !w.ends_with(".js") && !w.ends_with(".mk"))
        })
        && is_command_line(command)
}

/// A command introduced by a label: `execute: make clean`, `run: sed …`, `cmd: ls`.
pub(super) fn labelled(core: &str) -> Option<(Action, f32)> {
    // "run the linter (cargo clippy)": a check named, then its command line in
    // brackets, which must be a check too ("run the tests (rm -rf src would be bad)"
    // says something about a command, and runs nothing).
    if core.ends_with(')')
        && let Some(caps) = regex!(r"(?i)^(?:run|execute)\s+(?:the\s+|my\s+|our\s+)?(?:unit\s+|integration\s+|e2e\s+)?(?:linter|lint|lints|tests?|test\s+suite|specs|formatter|build|type\s*checker|type\s*checks?|checks|benchmarks?|benches)\s*\(\s*([^()]+?)\s*\)$").captures(core)
        && is_check_command(&caps[1])
    {
        return literal_command(&caps[1]);
    }
    // Every request passes here: the pattern is compiled only for one that has a label.
    if !core.contains(':') {
        return None;
    }
    // "run: 'make clean'": the command inside its quotes, as after "run".
    let unquote = |command: &str| -> String {
        let command = command.trim();
        inside_quotes(command).unwrap_or(command).to_string()
    };
    if let Some(caps) =
        regex!(r"(?i)^(?:run|execute|exec|cmd|command|shell|sh|bash|terminal)\s*:\s*(\S.*)$")
            .captures(core)
    {
        let command = unquote(caps.get(1)?.as_str());
        return literal_git(&command).or_else(|| shell(&command, LITERAL));
    }
    // "run the linter: npx eslint src --fix", "execute this: make clean": what it is,
    // then the command line itself, which must read as one.
    let caps = regex!(r"(?i)^(?:run|execute|exec)\s+(?:the\s+|this\s+|these\s+|my\s+|our\s+|a\s+)?(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*\s*:\s*(\S.*)$")
        .captures(core)?;
    let command = unquote(caps.get(1)?.as_str());
    literal_git(&command).or_else(|| literal_command(&command))
}

/// Package installs: "install the requirements" → `pip install -r requirements.txt`,
/// "install pytest and black" → `pip install pytest black`. Python's installer is the
/// one meant when none is named (an npm or cargo install is typed as a command).
pub(super) fn install(core: &str) -> Option<(Action, f32)> {
    // Every request passes here: the patterns are compiled only for one that installs.
    if !core
        .as_bytes()
        .windows(b"install".len())
        .any(|w| w.eq_ignore_ascii_case(b"install"))
    {
        return None;
    }
    let caps = regex!(r"(?i)^(?:pip3?\s+)?install\s+(.+?)(?:\s+(?:with|using)\s+pip3?)?$")
        .captures(core)?;
    let what = caps.get(1)?.as_str().trim();
    if let Some(req) = regex!(r"(?i)^(?:all\s+)?(?:the\s+|our\s+|my\s+|project\s+)?(?:python\s+)?(?:requirements|dependencies|deps|packages)(?:\s+(?:from|in|of|listed\s+in)\s+(?:the\s+)?(?:file\s+)?(\S+))?$").captures(what) {
        let file = match req.get(1) {
            Some(m) if is_path_like(m.as_str()) && m.as_str().ends_with(".txt") => m.as_str(),
            Some(_) => return None,
            None => "requirements.txt",
        };
        return shell_owned(format!("pip install -r {file}"), CLEAR);
    }
    if regex!(r"(?i)^requirements[\w.-]*\.txt$").is_match(what) {
        return shell_owned(format!("pip install -r {what}"), CLEAR);
    }
    // Package names: one to four, joined by commas or "and", none an English word.
    let names: Vec<&str> = what
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("and"))
        .collect();
    let package = |w: &&str| {
        regex!(r"^[A-Za-z0-9][A-Za-z0-9._\-\[\]]*(?:[=<>~!]=?[\w.*]+)?$").is_match(w)
            && !NOT_A_COMMAND.contains(&w.to_ascii_lowercase().as_str())
            && !NOT_A_PACKAGE.contains(&w.to_ascii_lowercase().as_str())
    };
    if names.is_empty() || names.len() > 4 || !names.iter().all(package) {
        return None;
    }
    shell_owned(format!("pip install {}", names.join(" ")), LIKELY)
}

/// Words after "install" that name no Python package.
const NOT_A_PACKAGE: &[&str] = &[
    "hook",
    "hooks",
    "git",
    "dependencies",
    "requirements",
    "deps",
    "packages",
    "package",
    "tool",
    "tools",
    "locally",
    "globally",
    "now",
    "again",
    "here",
];

/// A project task and the tool it is done with: "build with make", "run the tests
/// with make test", "format the code with black"; and one done on the whole project,
/// its tool not named: "compile everything", "lint the whole repo".
pub(super) fn project_task(core: &str) -> Option<(Action, f32)> {
    // "start the dev server": the project's own command, which the plan asks for.
    if regex!(r"(?i)^(?:start|run|launch|spin\s+up|fire\s+up|boot\s+up|serve)\s+(?:up\s+)?(?:the\s+|my\s+|our\s+)?(?:local\s+|dev\s+|development\s+)?(?:server|app|application|site|website)(?:\s+locally)?$").is_match(core) {
        return Some((Action::Shell { command: None }, SURE));
    }
    if !regex!(
        r"(?i)^(?:build|compile|test|lint|format|reformat|typecheck|type-check|check|run\s+the)\b"
    )
    .is_match(core)
    {
        return None;
    }
    if regex!(r"(?i)^(?:build|compile|lint|format|reformat|typecheck|type-check)\s+(?:everything|it|it\s+all|all|the\s+(?:whole\s+|entire\s+)?(?:project|repo|repository|codebase|code\s*base|workspace|code))$").is_match(core) {
        // The project's own tool, which the plan asks for when it is not known.
        return Some((Action::Shell { command: None }, SURE));
    }
    let caps = regex!(r"(?i)^(build|compile|test|lint|format|reformat|typecheck|type-check|check|run\s+the\s+(?:(?:unit\s+|integration\s+|e2e\s+)?(?:tests?|specs?)|test\s+suite|build|linter|checks?|formatter))(?:\s+((?:the|my|our|this|all|everything|it|project|app)\b[\w\s]*?))?\s+(?:with|using|via|through)\s+`?((?:\./)?[a-z][\w.-]*(?:\s+[\w./:=-]+)*?)`?\s*$").captures(core)?;
    let verb = caps.get(1)?.as_str().to_ascii_lowercase();
    let command = caps.get(3)?.as_str().trim();
    let tool = command.split_whitespace().next()?;
    // "build it with ./gradlew build": the project's own script, as typed.
    if tool.starts_with("./") && is_check_command(command) {
        return shell(command, SURE);
    }
    if !COMMANDS.contains(&tool) || NOT_A_COMMAND.contains(&tool) {
        return None;
    }
    // Words after the tool that are no arguments ("cargo in release mode"): the tool is
    // known, its command line is not.
    if command
        .split_whitespace()
        .skip(1)
        .any(|w| PROSE.contains(&w.to_ascii_lowercase().as_str()))
    {
        return Some((Action::Shell { command: None }, SURE));
    }
    if command != tool {
        return shell(command, SURE);
    }
    // A tool named alone: its usual command for the task over the whole project, when
    // the request names no narrower scope ("format the tests with black" does).
    let scope = caps.get(2).map_or(String::new(), |object| {
        object
            .as_str()
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    });
    let whole = [
        "",
        "the code",
        "everything",
        "it",
        "all",
        "all the code",
        "the project",
        "project",
        "app",
        "the app",
        "the whole project",
        "the repo",
        "the whole repo",
        "the codebase",
        "the whole codebase",
        "the tests",
        "the test suite",
    ];
    let checks = verb == "lint" || verb == "check" || verb == "typecheck" || verb == "type-check";
    let task = if verb.starts_with("run the") {
        if verb.contains("test") {
            "test"
        } else if verb.contains("build") {
            "build"
        } else {
            "lint"
        }
    } else if verb.contains("format") {
        "format"
    } else if checks {
        "lint"
    } else if verb == "compile" {
        "build"
    } else {
        verb.as_str()
    };
    if !whole.contains(&scope.as_str()) || (task != "test" && scope.contains("test")) {
        // A narrower scope than the tool's usual one: the command is the user's to say.
        return Some((Action::Shell { command: None }, SURE));
    }
    let usual = match (task, tool) {
        ("format", "black" | "isort") => format!("{tool} ."),
        ("lint", "black") => "black --check .".to_string(),
        ("lint", "isort") => "isort --check-only .".to_string(),
        ("format", "ruff") => "ruff format .".to_string(),
        ("lint", "ruff") => "ruff check .".to_string(),
        ("format", "prettier") => "prettier --write .".to_string(),
        ("lint", "prettier") => "prettier --check .".to_string(),
        ("format", "gofmt") => "gofmt -w .".to_string(),
        ("lint", "gofmt") => "gofmt -l .".to_string(),
        ("format", "rustfmt") => "cargo fmt".to_string(),
        ("lint", "rustfmt") => "cargo fmt --check".to_string(),
        ("lint", "clippy") => "cargo clippy".to_string(),
        ("lint", "mypy" | "pylint" | "flake8" | "eslint") => format!("{tool} ."),
        ("build" | "test", "cargo" | "go") => {
            let all = if tool == "go" { " ./..." } else { "" };
            format!("{tool} {task}{all}")
        }
        ("lint", "cargo") => "cargo clippy".to_string(),
        ("lint", "go") => "go vet ./...".to_string(),
        ("format", "cargo") => "cargo fmt".to_string(),
        ("test", "npm" | "yarn" | "pnpm") => format!("{tool} test"),
        ("build" | "lint" | "format", "npm" | "yarn" | "pnpm") => format!("{tool} run {task}"),
        ("test", "make") => "make test".to_string(),
        ("build" | "test", "bazel") => format!("bazel {task} //..."),
        ("test", "pytest" | "tox" | "nox" | "ninja") | ("build", "make" | "ninja") => {
            tool.to_string()
        }
        // A tool whose usual command for this is not known here: ask.
        _ => return Some((Action::Shell { command: None }, SURE)),
    };
    shell_owned(usual, SURE)
}

/// `make lint`, `make test`: a make target typed alone is make's, not the English verb's
/// ("make a folder", "make it faster" have more words).
pub(super) fn make_target(core: &str) -> Option<(Action, f32)> {
    const TARGETS: &[&str] = &[
        "all",
        "build",
        "clean",
        "test",
        "check",
        "lint",
        "install",
        "uninstall",
        "docs",
        "doc",
        "dist",
        "release",
        "run",
        "format",
        "fmt",
        "bench",
        "coverage",
        "dev",
        "serve",
        "deploy",
        "package",
        "distclean",
        "tidy",
        "vet",
        "ci",
        "help",
    ];
    let target = core.strip_prefix("make ")?.trim();
    // "make branch feature/x", "make new branch x": a branch, said without an article
    // (a Makefile's target "branch" is rare; a new branch is not).
    if regex!(r"(?i)^(?:a\s+)?(?:new\s+)?branch\s+\S").is_match(target) {
        return super::git_phrases::git_phrase(core);
    }
    // "make dir docs/api": a folder, said the way `mkdir` reads.
    if let Some(path) = ["dir ", "directory ", "folder "]
        .iter()
        .find_map(|w| target.strip_prefix(w))
        .map(str::trim)
        .filter(|p| {
            !p.contains(char::is_whitespace)
                && (is_path_like(p.trim_end_matches('/'))
                    || p.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-'))
        })
    {
        return file(FileAction::Mkdir, path, CLEAR);
    }
    TARGETS
        .contains(&target)
        .then(|| shell_owned(format!("make {target}"), SURE))?
}

/// Words that say how rather than pass an argument.
const PROSE: &[&str] = &[
    "in", "on", "for", "mode", "please", "again", "the", "a", "and", "with", "release", "debug",
];

/// "run X", "execute X".
pub(super) fn run_prefix(core: &str, hints: &Hints) -> Option<(Action, f32)> {
    if regex!(r"(?i)^(?:the\s+)?(?:unit\s+)?tests$").is_match(core) {
        // "tests first; if they're green, push": the tests, run.
        return run_prefix("run the tests", hints);
    }
    // "do a git pull", "fais un git pull": git's own command, with an article.
    if text::contains_ci(core, " git ")
        && let Some(caps) =
            regex!(r"(?i)^(?:do|make|perform|run|execute)\s+(?:a|an)\s+(git\s+(\w+).*)$")
                .captures(core)
        && crate::route::typos::is_git_command(&caps[2].to_ascii_lowercase())
    {
        return literal_git(caps.get(1)?.as_str());
    }
    // "can you do npm run build": `do` before a command line, not a question that
    // opens with one ("do rm calls in cleanup.sh need -f?") nor one said in prose.
    if text::starts_with_ci(core, "do ") {
        let rest = core[3..].trim_start();
        let first = rest.split_whitespace().next()?;
        let prose = rest
            .split_whitespace()
            .skip(1)
            .any(|w| PROSE_WORDS.contains(&w.to_ascii_lowercase().as_str()));
        return if COMMANDS.contains(&first) && !core.trim_end().ends_with('?') && !prose {
            literal_command(rest)
        } else {
            None
        };
    }
    // "start yarn dev", "launch docker compose up": a server or a dev task to start,
    // with a runner of its own and nothing said about it ("start rm -rf build? no",
    // "start npm publish maybe" are no such thing).
    if let Some(caps) =
        regex!(r"(?i)^(?:start|launch|fire\s+up|spin\s+up|kick\s+off)\s+(\S.*)$").captures(core)
    {
        const STARTS: &[&str] = &[
            "npm",
            "yarn",
            "pnpm",
            "bun",
            "deno",
            "node",
            "npx",
            "python",
            "python3",
            "cargo",
            "go",
            "docker",
            "docker-compose",
            "make",
            "rails",
            "flask",
            "uvicorn",
            "gunicorn",
            "php",
            "hugo",
            "jekyll",
            "mvn",
            "gradle",
            "dotnet",
            "vite",
            "next",
            "ng",
            "mix",
        ];
        const STARTED: &[&str] = &[
            "dev",
            "start",
            "serve",
            "server",
            "run",
            "up",
            "watch",
            "runserver",
            "storybook",
        ];
        let command = &caps[1];
        let mut words = command.split_whitespace();
        let program = words.next().unwrap_or_default();
        // A dev server or task as such tools start them, and nothing else ("start npx
        // rimraf . dev" is no dev server).
        let known = regex!(r"(?i)^(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:dev|start|serve|watch|storybook)|docker(?:-compose|\s+compose)\s+up(?:\s+-d)?|(?:python3?\s+)?manage\.py\s+runserver|cargo\s+run|(?:npx\s+)?(?:vite|next\s+dev|ng\s+serve)|(?:hugo|jekyll)\s+serve|(?:flask|rails)\s+(?:run|server|s)|make\s+(?:dev|run|serve|start|watch)|go\s+run\s+\.)$")
            .is_match(command.trim());
        let starts = known
            && STARTS.contains(&program)
            && words.any(|w| STARTED.contains(&w.to_ascii_lowercase().as_str()) || w == ".")
            && !command.contains('?')
            && !text::has_shell_operators(command)
            && !command.split_whitespace().skip(1).any(|w| {
                let w = w.to_ascii_lowercase();
                PROSE_WORDS.contains(&w.as_str()) || REMARKS.contains(&w.as_str())
            });
        return if starts {
            literal_command(command)
        } else {
            None
        };
    }
    if !["run ", "execute ", "exec ", "rerun ", "re-run "]
        .iter()
        .any(|p| text::starts_with_ci(core, p))
    {
        return None;
    }
    // "run it with python3 fizz.py": what came before, run by the command line named.
    if let Some(caps) =
        regex!(r"(?i)^(?:run|execute)\s+(?:it|that|this|them)\s+(?:with|using|via)\s+(.+)$")
            .captures(core)
        && is_command_line(&caps[1])
    {
        return literal_command(&caps[1]);
    }
    let caps = regex!(r"(?i)^(?:run|execute|exec|rerun|re-run)\s+(.+)$").captures(core)?;
    let mut rest = caps.get(1)?.as_str().trim();
    // "execute for me `pytest -x tests/`": who it is for, no argument.
    if let Some(after) = rest.strip_prefix("for me ") {
        rest = after.trim_start();
    }
    // "execute ./scripts/setup.sh for me, the onboarding doc says to do it first":
    // who it is for, and a remark after it.
    if !rest.contains(['`', '"', '\'', '|', ';', '&'])
        && let Some(m) = regex!(r"(?i)\s+for\s+me(?:,\s.*)?$").find(rest)
    {
        rest = &rest[..m.start()];
    }
    // "run npm test locally", "run make on my machine": where it runs, no argument.
    if let Some(m) =
        regex!(r"(?i)\s+(?:locally|on\s+my\s+(?:machine|laptop|computer|box|end))$").find(rest)
    {
        rest = &rest[..m.start()];
    }
    // "run the tets": the tests, misspelt.
    if let Some(caps) = regex!(r"(?i)^(?:the\s+|my\s+)?([a-z]{4,6})$").captures(rest)
        && strsim::damerau_levenshtein(&caps[1].to_ascii_lowercase(), "tests") == 1
        // Its own letters misplaced or left out ("tets", "tsets"): "texts" and "rests"
        // are other words.
        && caps[1].to_ascii_lowercase().bytes().all(|b| b"tes".contains(&b))
    {
        return run_prefix("run the tests", hints);
    }
    if let Some(m) =
        regex!(r"(?i)^(?:the\s+)?(?:following\s+)?(?:shell\s+)?(?:command|cmd)\s*:?\s+").find(rest)
    {
        rest = &rest[m.end()..];
    }
    // "run `make lint`", "run the command 'go vet ./...'": the command inside its
    // quotes (quoted whole, the shell would look for a program named "go vet ./...").
    if let Some(inner) = inside_quotes(rest) {
        return literal_git(inner).or_else(|| shell(inner, LITERAL));
    }
    // "run `ls -la` and show the result": the command in backticks, without the words
    // after it, which the shell would otherwise run with the backticks' output
    // substituted (`ls -la` would run, then what it printed).
    if let Some(span) = rest.strip_prefix('`')
        && let Some(end) = span.find('`')
        && let inner = span[..end].trim()
        && !inner.is_empty()
        && span[end + 1..]
            .trim_start()
            .starts_with(|c: char| c.is_alphabetic())
        // ("rerun `make deploy` once Bob approves": a condition after it, no report.)
        && crate::route::rules::context_only(&span[end + 1..])
    {
        return literal_git(inner).or_else(|| shell(inner, LITERAL));
    }
    if regex!(r"(?i)^(?:all\s+)?(?:the\s+|my\s+|our\s+)?(?:unit\s+|integration\s+|project'?s?\s+)?(?:tests?|test\s+suite|specs?)(?:\s+again)?$").is_match(rest) {
        return hints
            .test_command
            .as_deref()
            .map(|cmd| shell_owned(cmd.to_string(), LIKELY))
            .unwrap_or(Some((Action::Shell { command: None }, GUESS)));
    }
    if regex!(r"(?i)^(?:the\s+|a\s+)?(?:build|linter|lint(?:ing)?|formatter|format(?:ting)?|type\s*checker|type\s*checks?|checks|benchmarks?|benches|dev\s+server|(?:db\s+|database\s+)?migrations?|seeds?|seeders?|e2e\s+tests|end-to-end\s+tests|smoke\s+tests)(?:\s+again|\s+(?:over|on)\s+(?:everything|the\s+(?:whole\s+)?(?:project|repo|codebase)))?$").is_match(rest) {
        // The project's own tool for it, which the plan asks for when it is not known.
        return Some((Action::Shell { command: None }, GUESS));
    }
    if regex!(r"(?i)^(?:it|that|this|them|the\s+(?:file|script|program)|again)$").is_match(rest) {
        // A pronoun: the planner resolves it against an earlier step.
        return Some((Action::Shell { command: None }, LIKELY));
    }
    let script = rest
        .strip_prefix("the script ")
        .or_else(|| rest.strip_prefix("the file "))
        .unwrap_or(rest);
    if let Some(command) = script_command(script, hints) {
        return shell_owned(command, CLEAR);
    }
    if text::starts_with_ci(rest, "git ") {
        return literal_git(rest);
    }
    let first = rest.split_whitespace().next()?.to_ascii_lowercase();
    // "rerun but skip `git push`", "run without `rm prod.db`": words of a sentence,
    // no program (and the shell would run what the backticks quote).
    // The shell's own words are programs too ("run exit 7").
    const BUILTINS: &[&str] = &[
        "exit", "cd", "export", "source", "alias", "set", "unset", "eval", "exec", "type",
        "command", "umask", "shift", "nohup", "yes", "seq", "cut", "tr", "stat", "watch",
        "timeout", "test", "wait", "trap",
    ];
    let program = COMMANDS.contains(&first.as_str())
        || BUILTINS.contains(&first.as_str())
        || first.contains(['/', '.', '_', '-'])
        || !crate::route::typos::english(&first);
    if NOT_A_COMMAND.contains(&first.as_str()) || !program || rest.contains('`') {
        return None;
    }
    shell(rest, CLEAR)
}

/// The command that runs a script file, chosen by its extension.
pub fn script_command(path: &str, hints: &Hints) -> Option<String> {
    if path.contains(char::is_whitespace) || !is_path_like(path) {
        return None;
    }
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    let runner = match ext.as_str() {
        "py" => hints.python(),
        "sh" | "bash" => "bash",
        "js" | "mjs" | "cjs" => "node",
        "rb" => "ruby",
        "pl" => "perl",
        "php" => "php",
        "lua" => "lua",
        "go" => "go run",
        "ts" => "npx tsx",
        _ => return None,
    };
    Some(format!("{runner} {path}"))
}

/// Whether a request is a command line typed as it is.
pub fn is_command_line(core: &str) -> bool {
    literal_command(core).is_some()
}

/// Words of a sentence, never of a command line: a command word followed by them is
/// talked about, not typed ("rm -rf node_modules and a fresh install fix this").
pub const PROSE_WORDS: &[&str] = &[
    "is", "are", "was", "what", "why", "how", "i", "we", "you", "want", "need", "should", "avoid",
    "them", "it", "this", "that", "which", "because", "so", "fix", "a", "the", "and", "dont",
    "don't", "ugh", "my",
];

/// Words that say something about a command line rather than belong to it ("rm -rf
/// node_modules didn't help", "npm install fails with EACCES").
const REMARKS: &[&str] = &[
    "is", "was", "are", "were", "didn't", "doesn't", "don't", "isn't", "wasn't", "won't", "can't",
    "got", "gave", "says", "said", "fails", "failed", "fixed", "lost", "broke", "broken",
    "deleted", "wiped", "takes", "took", "hangs", "crashes", "crashed", "keeps", "seems",
];

/// Whether a command line is followed by a remark about it: a word of [`REMARKS`]
/// outside quotes and outside a commit message after `-m`.
pub(super) fn remarks_on(core: &str) -> bool {
    let unquoted = text::unquoted(core);
    let mut message = false;
    unquoted.split_whitespace().skip(1).any(|w| {
        if matches!(w, "-m" | "-am" | "--message") {
            message = true;
        } else if w.starts_with('-') {
            message = false;
        }
        !message && REMARKS.contains(&w.to_ascii_lowercase().trim_end_matches([',', '.']))
    })
}

/// A command line typed as it is ("ls -la", "cargo test", "python3 main.py").
pub(super) fn literal_command(core: &str) -> Option<(Action, f32)> {
    let mut words = core.split_whitespace();
    let first = words.next()?;
    let second = words.next();
    if first.starts_with("./") || first.starts_with("~/") || first.starts_with("../") {
        return shell(core, LITERAL);
    }
    if first == ":(){" || first.starts_with(":()") {
        return shell(core, LITERAL);
    }
    // `for f in *.txt; do echo $f; done`, `if [ -f a ]; then …; fi`: the shell's own
    // loops and conditions, typed whole.
    if matches!(first, "for" | "while" | "until" | "if")
        && regex!(r"^(?:(?:for\s+\w+\s+in|while|until)\s+[^;]+;\s*do\s.*;?\s*done|if\s+[^;]+;\s*then\s.*;?\s*fi)$")
            .is_match(core)
    {
        return shell(core, LITERAL);
    }
    if !COMMANDS.contains(&first) {
        return None;
    }
    if remarks_on(core) {
        // "rm -rf dist is what the clean target does": said about a command line.
        return None;
    }
    // … and `ls src/` lists a folder, as the file rules do (`ls` alone, the root).
    if first == "ls" && second.is_none() {
        return None;
    }
    let listed = first == "ls"
        && second.is_some_and(|s| {
            !s.starts_with(['/', '-'])
                && (is_path_like(s) || s.chars().all(|c| c.is_alphanumeric() || "-_".contains(c)))
                && !s.contains(['*', '?', '[', '~', '$'])
        });
    let file_command = matches!(first, "touch" | "cat")
        && second.is_some_and(|s| is_path_like(s) && !s.starts_with('-'));
    if (listed || file_command) && words.clone().next().is_none() {
        // `touch notes.md` creates a file, `cat package.json` reads one: the file
        // rules', which keep to the tree.
        return None;
    }
    if WORDLIKE_COMMANDS.contains(&first) {
        let args_like = match second {
            None => matches!(first, "make" | "date" | "tree" | "env" | "true" | "false"),
            Some(next) => {
                let lower = next.to_ascii_lowercase();
                // "make Button.tsx accept a disabled prop": a file and then a sentence
                // is a request about the file, not arguments.
                let prose = words
                    .clone()
                    .filter(|w| w.chars().all(|c| c.is_ascii_lowercase()))
                    .count()
                    >= 3;
                // "make && make test", "make; make install": the shell's operators.
                next.starts_with(['-', '.', '/', '~', '"', '\'', '$', '*', '<', '>', '|', '&', ';'])
                    // "make index.html responsive": a file and a word of a sentence.
                    || (is_path_like(next)
                        && !((prose || words.clone().any(|w| w.chars().all(|c| c.is_ascii_lowercase())))
                            && first == "make"))
                    // "make Tabelle again" (a German noun): no target of make's.
                    || (first == "make"
                        && !is_path_like(next)
                        && !NOT_A_COMMAND.contains(&lower.as_str())
                        && !next.starts_with(char::is_uppercase)
                        && core.split_whitespace().count() <= 3)
                    || (first == "echo" && !NOT_A_COMMAND.contains(&lower.as_str()))
                    || (first == "go"
                        && matches!(
                            next,
                            "run" | "build" | "test" | "vet" | "mod" | "get" | "fmt" | "install"
                        ))
                    || (first == "docker" && !NOT_A_COMMAND.contains(&lower.as_str()))
                    || (matches!(first, "sleep" | "kill" | "head" | "tail")
                        && next.parse::<f64>().is_ok())
            }
        };
        if !args_like {
            return None;
        }
    }
    if first == "mkdir" {
        let targets: Vec<&str> = core
            .split_whitespace()
            .skip(1)
            .filter(|w| *w != "-p")
            .collect();
        if let [path] = targets.as_slice()
            && !has_shell_operators(path)
        {
            return file(FileAction::Mkdir, path, LITERAL);
        }
    }
    shell(core, LITERAL)
}
