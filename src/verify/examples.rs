//! Examples of what the request asks, run against the edit: for a Python function the
//! request names and the edit adds or changes, the model writes a few `assert` lines
//! from the request and the function's signature alone (not its body, so that a
//! misreading of the request in the code is not copied into its examples), and they are
//! run in a scratch copy. A repository without tests still gets its logic checked: the
//! slug that keeps single characters apart, the extension returned with its dot.
//!
//! An example is the model's reading of the request, not the user's: one that cannot
//! run by itself (a name it never defined, a call that does not fit the signature) is
//! dropped rather than blamed on the edit. They run only with the consent that running
//! the repository's code needs (`verify.run_code`).

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::scratch::Scratch;
use super::{Change, Check, CheckKind, Problem, Status};
use crate::config;
use crate::llm::{Message, Source, gguf};
use crate::syntax::{self, DefinitionKind, Language};
use crate::tools::shell;
use crate::workspace::Workspace;

/// Models with fewer parameters get no examples under `auto` (see `suit`).
const SMALLEST: u64 = 1_000_000_000;

/// Whether edits by the model at `source` get examples under `setting`. `auto` leaves
/// them out for a local model of fewer than a billion parameters: on the verify bench,
/// Qwen2.5-Coder 0.5B passed no more tasks with them, at three to four times the time,
/// its own examples being often wrong, where 1.5B's caught its logic
/// (docs/BENCHMARKS.md). A server's model is taken to be big enough; a file whose
/// header cannot be read gets none.
pub fn suit(setting: config::Examples, source: &Source) -> bool {
    match setting {
        config::Examples::On => true,
        config::Examples::Off => false,
        config::Examples::Auto => match source {
            Source::Local { path } => {
                gguf::Header::read(path).is_ok_and(|h| h.parameters() >= SMALLEST)
            }
            Source::Remote { .. } => true,
        },
    }
}

/// At most this many functions get examples, and this many examples each.
const FUNCTIONS: usize = 2;
const PER_FUNCTION: usize = 3;
/// How many examples are asked for each: every one costs generation time, and each is
/// another chance of the model misreading the request in its examples.
const ASKED: usize = 2;
/// Longer lines are not examples but programs.
const MAX_LINE: usize = 240;
/// Examples are meant to be instant: one that runs longer (a naive recursion on a big
/// input, a loop that never ends) is not worth the test command's whole time limit.
const MAX_TIME: Duration = Duration::from_secs(10);

/// A function the examples are about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The module to import it from (`pkg.text` for `src/pkg/text.py`).
    pub module: String,
    pub name: String,
    /// Its `def` line(s), without the body.
    pub signature: String,
}

/// One example: an `assert` line about a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    pub module: String,
    pub function: String,
    pub line: String,
}

/// The top-level Python functions `changes` add or change whose names the instruction
/// says: what the request is about, where examples can say what it asks.
pub fn targets(instruction: &str, changes: &[Change]) -> Vec<Target> {
    let mut out = Vec::new();
    for change in changes {
        let (Some(after), Some(module)) = (change.after, module_of(change.path)) else {
            continue;
        };
        let tree = syntax::parse(Language::Python, after);
        if tree.has_errors() {
            continue;
        }
        let before: Vec<(String, String)> = change
            .before
            .map(|text| {
                syntax::parse(Language::Python, text)
                    .definitions()
                    .into_iter()
                    .map(|d| (d.name, text[d.bytes].to_string()))
                    .collect()
            })
            .unwrap_or_default();
        for def in tree.definitions() {
            if def.kind != DefinitionKind::Function
                || def.parent.is_some()
                || def.name.starts_with('_')
                || !syntax::spelled_in(instruction, &def.name)
            {
                continue;
            }
            let text = &after[def.bytes.clone()];
            if before.iter().any(|(n, t)| *n == def.name && t == text) {
                continue;
            }
            out.push(Target {
                module: module.clone(),
                name: def.name.clone(),
                signature: signature(text),
            });
        }
    }
    out.truncate(FUNCTIONS);
    out
}

/// The dotted module a Python file is imported as (see `run::dotted`), unless it is a
/// test, where examples do not belong.
fn module_of(path: &str) -> Option<String> {
    let file = path.rsplit('/').next()?.strip_suffix(".py")?;
    if file.starts_with("test_") || file.ends_with("_test") {
        return None;
    }
    super::run::dotted(path)
}

/// The `def` header of a function's text (decorators dropped), up to its colon.
fn signature(text: &str) -> String {
    let mut out = Vec::new();
    for line in text.lines().skip_while(|l| l.trim_start().starts_with('@')) {
        out.push(line.trim_end());
        if line.trim_end().ends_with(':') {
            break;
        }
    }
    out.join("\n")
}

/// The conversation that asks for examples of `targets` as `instruction` describes them:
/// short, since the examples are asked on every edit that gets this far.
pub fn ask(instruction: &str, targets: &[Target]) -> Vec<Message> {
    let functions: Vec<String> = targets
        .iter()
        .map(|t| format!("{}    # in {}", t.signature, t.module))
        .collect();
    let names: Vec<String> = targets.iter().map(|t| format!("`{}`", t.name)).collect();
    // The instructions first and the same every time, so that a model's prompt cache
    // keeps them: only the request and the signatures are read anew.
    vec![
        Message::system(
            "You write Python assert lines from a request and a function's signature; you never see the function's body. Each line calls the function on an ordinary literal input and compares it with == to the exact value the request says it returns. Only inputs whose result the request makes certain. Only the assert lines.",
        ),
        Message::user(format!(
            "Request: {instruction}\n\n{}\n\nWrite {} assert lines, each calling {}.",
            functions.join("\n"),
            ASKED * targets.len(),
            names.join(" or "),
        )),
    ]
}

/// Tokens enough for the reply to `ask`: a long line (a list of intervals) is 45.
pub fn room(targets: &[Target]) -> u32 {
    60 * (ASKED * targets.len()) as u32
}

/// A grammar for the reply to `ask` (local models): the lines asked for, each `assert`
/// and a call of a target, and nothing else, so that no token goes on fences, chatter
/// or lines past those asked.
pub fn grammar(targets: &[Target]) -> String {
    debug_assert!(!targets.is_empty(), "a grammar of no lines is not one");
    // Python names need no escaping in a GBNF string.
    let names: Vec<String> = targets.iter().map(|t| format!("\"{}\"", t.name)).collect();
    let lines = vec!["line"; ASKED * targets.len()].join(" ");
    format!(
        "root ::= {lines}\nline ::= \"assert \" name \"(\" [^\\n]+ \"\\n\"\nname ::= {}\n",
        names.join(" | ")
    )
}

/// The examples in a reply: `assert` lines about a target, that parse, compare with
/// `==`, and do nothing but call and compare (no imports, files, dunders or `exec`).
pub fn parse(reply: &str, targets: &[Target]) -> Vec<Example> {
    const FORBIDDEN: [&str; 9] = [
        "import",
        "open(",
        "__",
        "exec",
        "eval",
        "os.",
        "sys.",
        "input(",
        "subprocess",
    ];
    let mut out: Vec<Example> = Vec::new();
    for line in reply.lines().map(str::trim) {
        let line = line.trim_end_matches(';');
        if !line.starts_with("assert ")
            || line.len() > MAX_LINE
            || !line.contains("==")
            || FORBIDDEN.iter().any(|f| line.contains(f))
            || syntax::parse(Language::Python, line).has_errors()
        {
            continue;
        }
        let Some(target) = targets
            .iter()
            .find(|t| line.contains(&format!("{}(", t.name)))
        else {
            continue;
        };
        let apiece = out.iter().filter(|e| e.function == target.name).count();
        if apiece >= PER_FUNCTION || out.iter().any(|e| e.line == line) {
            continue;
        }
        out.push(Example {
            module: target.module.clone(),
            function: target.name.clone(),
            line: line.to_string(),
        });
    }
    out
}

/// What running one example came to (the runner's JSON).
#[derive(Debug, Deserialize)]
struct Ran {
    ok: Option<bool>,
    /// The left side's source and value and the right side's value, for a comparison.
    call: Option<String>,
    got: Option<String>,
    expected: Option<String>,
    /// An exception raised inside the repository's code.
    error: Option<String>,
    /// Why the example itself could not run; it is dropped.
    dropped: Option<String>,
}

/// Runs `examples` in a scratch copy of the work tree with the edit written over it,
/// within `limit` (at most `MAX_TIME`).
pub fn run(
    workspace: &Workspace,
    changes: &[Change],
    examples: &[Example],
    limit: Duration,
) -> Check {
    let started = Instant::now();
    let status = run_status(workspace, changes, examples, limit.min(MAX_TIME));
    Check {
        kind: CheckKind::Examples,
        status,
        duration: started.elapsed(),
    }
}

fn run_status(
    workspace: &Workspace,
    changes: &[Change],
    examples: &[Example],
    limit: Duration,
) -> Status {
    let skipped = |why: String| Status::Skipped { why };
    let Some(python) = super::python::python3() else {
        return skipped("python3 is not on the PATH".into());
    };
    let scratch = match Scratch::create(&workspace.root, &workspace.git_dir)
        .and_then(|s| s.write_after(changes).map(|()| s))
    {
        Ok(s) => s,
        Err(e) => return skipped(format!("could not make a scratch copy: {e}")),
    };
    let cases = match serde_json::to_string(examples) {
        Ok(json) => json,
        Err(e) => return skipped(e.to_string()),
    };
    // Marks the runner's own line: nothing the repository's code prints can pass for it.
    let marker = format!(
        "codey-examples-{}-{}:",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    );
    let mut cmd = std::process::Command::new(python);
    cmd.args(["-I", "-B", "-c", RUNNER])
        .arg(&scratch.dir)
        .arg(scratch.dir.join("src"))
        .arg(&marker)
        .arg(&cases)
        .current_dir(&scratch.dir)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let outcome = match shell::run(cmd, shell::Output::Capture, limit) {
        Ok(o) => o,
        Err(e) => return skipped(format!("could not start python3: {e}")),
    };
    if outcome.ending == shell::Ending::TimedOut {
        return skipped(format!(
            "stopped at the time limit of {} s",
            limit.as_secs()
        ));
    }
    let Some(ran) = outcome
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix(marker.as_str()))
        .and_then(|l| serde_json::from_str::<Vec<Ran>>(l).ok())
        .filter(|ran| ran.len() == examples.len())
    else {
        return skipped("the examples' runner said nothing readable".into());
    };
    let mut problems = Vec::new();
    let mut passed = 0;
    for (example, ran) in examples.iter().zip(ran) {
        if ran.dropped.is_some() {
            continue;
        }
        let message = match (ran.ok, ran.error) {
            (Some(true), _) => {
                passed += 1;
                continue;
            }
            (_, Some(error)) => format!("`{}` raises {error}", example.line),
            _ => match (ran.call, ran.got, ran.expected) {
                (Some(call), Some(got), Some(expected)) => format!(
                    "{call} returns {got}, but the request asks for {expected}: change the code of {} so that `{}` holds",
                    example.function, example.line
                ),
                _ => format!("`{}` fails", example.line),
            },
        };
        let place = changes.iter().find_map(|c| {
            let after = c.after?;
            (module_of(c.path).as_deref() == Some(example.module.as_str())).then_some(())?;
            let def = syntax::parse(Language::Python, after)
                .definitions()
                .into_iter()
                .find(|d| d.name == example.function && d.parent.is_none())?;
            Some(super::problem(c.path, after, def.start_line, String::new()))
        });
        problems.push(match place {
            Some(p) => Problem { message, ..p },
            None => Problem {
                path: None,
                line: None,
                message,
                excerpt: None,
            },
        });
    }
    if problems.is_empty() && passed == 0 {
        return skipped("no example could run by itself".into());
    }
    super::status(problems, Some(format!("{passed} passed")))
}

/// Runs each example in its module's namespace. A comparison reports both sides; an
/// exception whose every frame is the example's own (a name it never defined, a call
/// that does not fit) drops the example; one raised inside the repository's code is a
/// failure. Numbers compare within a relative 1e-3, since an example worked out by
/// hand rounds (floats only: an integer is exact).
const RUNNER: &str = r#"
import ast, importlib, json, math, os, sys, traceback

# The runner's own modules are imported; only now the copy's directories come first
# (run with -I, nothing else is on the path), and what the repository's code prints
# goes to stderr, so only the runner writes its line to stdout, after its marker.
marker = sys.argv[3]
sys.path[:0] = [sys.argv[1], sys.argv[2]]
result = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)

def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
            return math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-9)
    return a == b

out = []
for case in json.loads(sys.argv[4]):
    try:
        ns = dict(vars(importlib.import_module(case["module"])))
    except BaseException as e:
        out.append({"dropped": "import: %s" % e})
        continue
    try:
        test = ast.parse(case["line"]).body[0].test
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
            left = eval(compile(ast.Expression(test.left), "<example>", "eval"), ns)
            right = eval(compile(ast.Expression(test.comparators[0]), "<example>", "eval"), ns)
            call = ast.get_source_segment(case["line"], test.left) or case["function"]
            out.append({"ok": bool(same(left, right)), "call": call, "got": repr(left)[:200], "expected": repr(right)[:200]})
        else:
            exec(compile(case["line"], "<example>", "exec"), ns)
            out.append({"ok": True})
    except AssertionError:
        out.append({"ok": False})
    except Exception as e:
        frames = traceback.extract_tb(e.__traceback__)
        own = all(f.filename in ("<example>", "<string>") for f in frames)
        message = "%s: %s" % (type(e).__name__, str(e)[:200])
        out.append({"dropped": message} if own else {"error": message})
result.write(marker + json.dumps(out) + "\n")
result.flush()
"#;

#[cfg(test)]
mod tests {
    use super::super::tests::change;
    use super::*;
    use crate::verify::Status;

    const BEFORE: &str = "def parts(path):\n    return path.split(\"/\")\n";
    const AFTER: &str = "import os\n\ndef parts(path):\n    return path.split(\"/\")\n\n\ndef extension(path):\n    return os.path.splitext(path)[1]\n\n\ndef _helper(x):\n    return x\n";

    #[test]
    fn the_targets_are_the_changed_functions_the_request_names() {
        let changes = [change("src/pkg/paths.py", Some(BEFORE), AFTER)];
        let found = targets(
            "add a function extension(path) to paths.py; parts stays as it is",
            &changes,
        );
        assert_eq!(
            found,
            [Target {
                module: "pkg.paths".into(),
                name: "extension".into(),
                signature: "def extension(path):".into(),
            }]
        );
        // Unnamed, or a word inside another: no target.
        assert!(targets("add a helper to paths.py", &changes).is_empty());
        assert!(targets("add extensions(path)", &changes).is_empty());
        // A test file is not where examples go.
        assert!(targets("extension", &[change("test_paths.py", None, AFTER)]).is_empty());
    }

    #[test]
    fn only_plain_asserts_about_a_target_are_examples() {
        let target = Target {
            module: "paths".into(),
            name: "extension".into(),
            signature: "def extension(path):".into(),
        };
        let reply = "```python\nassert extension('a/b.tar.gz') == 'gz'\nassert extension('README') == ''\nassert extension('x.py') == 'py'  \nassert extension(__import__('os').getcwd()) == ''\nassert parts('a') == ['a']\nassert extension('x' == \nprint(extension('x'))\nassert extension('x.py') == 'py'\n```";
        let lines: Vec<String> = parse(reply, &[target])
            .into_iter()
            .map(|e| e.line)
            .collect();
        assert_eq!(
            lines,
            [
                "assert extension('a/b.tar.gz') == 'gz'",
                "assert extension('README') == ''",
                "assert extension('x.py') == 'py'",
            ]
        );
    }

    #[test]
    fn modules_are_named_as_python_imports_them() {
        assert_eq!(module_of("text.py").as_deref(), Some("text"));
        assert_eq!(module_of("src/pkg/__init__.py").as_deref(), Some("pkg"));
        assert_eq!(module_of("a/b-c.py"), None);
        assert_eq!(module_of("tests/test_text.py"), None);
        assert_eq!(module_of("README.md"), None);
    }

    /// What the repository's code prints cannot pass for the runner's result, and an
    /// integer is compared exactly (only floats get the rounding tolerance).
    #[test]
    fn examples_run_apart_from_what_the_code_prints_and_integers_are_exact() {
        if !super::super::python3_available() {
            return;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "print('[{\"ok\": true}, {\"ok\": true}, {\"ok\": true}]')\n\ndef f(x):\n    return x + 1\n\n\ndef area(r):\n    return 3.14159 * r * r\n";
        std::fs::write(dir.path().join("m.py"), text).expect("write");
        let git = std::process::Command::new("git")
            .args(["init", "-q"])
            .current_dir(dir.path())
            .status()
            .expect("git");
        assert!(git.success());
        let workspace = Workspace {
            root: dir.path().to_path_buf(),
            git_dir: dir.path().join(".git"),
        };
        let example = |function: &str, line: &str| Example {
            module: "m".into(),
            function: function.into(),
            line: line.into(),
        };
        let examples = [
            example("f", "assert f(1) == 2"),
            example("f", "assert f(999) == 999"),
            example("area", "assert area(1) == 3.1416"),
        ];
        let check = run(
            &workspace,
            &[change("m.py", Some(text), text)],
            &examples,
            Duration::from_secs(10),
        );
        let Status::Failed { problems } = &check.status else {
            panic!("{:?}", check.status);
        };
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with("f(999) returns 1000, but the request asks for 999"),
            "{messages:?}"
        );
        assert_eq!(problems[0].line, Some(3));
    }

    #[test]
    fn auto_gives_examples_to_models_of_a_billion_parameters_and_servers() {
        use crate::config::Examples;
        let dir = tempfile::tempdir().expect("temp dir");
        // A header declaring the parameters (IQ1_S, 50 bytes a 256), the data as holes.
        let model = |name: &str, parameters: u64| {
            let path = dir.path().join(name);
            let header = gguf::tests::header_bytes(Some("qwen2"), parameters, 19, 0);
            let file = std::fs::File::create(&path).expect("create");
            std::io::Write::write_all(&mut &file, &header).expect("write");
            let data = parameters.div_ceil(256) * 50;
            file.set_len(header.len() as u64 + data).expect("size");
            Source::Local { path }
        };
        let small = model("small.gguf", 494_000_000);
        let big = model("big.gguf", 1_540_000_000);
        assert!(!suit(Examples::Auto, &small));
        assert!(suit(Examples::Auto, &big));
        assert!(suit(Examples::On, &small));
        assert!(!suit(Examples::Off, &big));
        let missing = Source::Local {
            path: dir.path().join("missing.gguf"),
        };
        assert!(!suit(Examples::Auto, &missing));
        let server = Source::Remote {
            endpoint: "http://127.0.0.1:8080/v1".into(),
            model: "qwen".into(),
        };
        assert!(suit(Examples::Auto, &server));
    }
}
