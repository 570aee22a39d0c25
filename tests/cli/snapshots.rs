//! What people read, pinned word for word: the plan, a dry run, refusals and usage
//! errors, a review, and an edit's preview. A change of wording shows up here as a
//! failing snapshot to review (`cargo insta review`, or update the `@"…"` text), never
//! by accident. Output goes through a pipe, so there is no colour to strip.

use crate::common::{ScriptedServer, TestEnv};

/// stdout and stderr of a run, with the exit code, as one text.
fn shown(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("runs");
    format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_plan_shows_each_step_with_its_route() {
    let env = TestEnv::new();
    insta::assert_snapshot!(shown(env.codey().args([
        "plan",
        "git status then run make test, then commit that with message 'x'"
    ])), @r#"
    exit 0
    --- stdout
    [1/3] git status
          git status  {}  (regex, 0.98, "git status")
    [2/3] run make test
          shell run  {"command":"make test"}  (regex, 0.95, "run make test")
    [3/3] commit that with message 'x'
          git commit  {"all":false,"message":"x"}  (regex, 0.95, "commit that with message 'x'")
    --- stderr
    "#);
}

#[test]
fn a_dry_run_says_what_each_step_would_do() {
    let env = TestEnv::new();
    insta::assert_snapshot!(shown(env.codey().args([
        "--dry-run",
        "create a.txt then git status then delete README.md"
    ])), @r"
    exit 0
    --- stdout
    [1/3] create a.txt
          would: create the empty file a.txt
    [2/3] git status
          would: git status
    [3/3] delete README.md
          would: delete README.md
    --- stderr
    dry run: nothing was changed
    ");
}

#[test]
fn refusals_and_usage_errors_say_what_to_do() {
    let env = TestEnv::new();
    insta::assert_snapshot!(shown(env.codey().arg("rm -rf / then git status")), @r"
    exit 3
    --- stdout
    --- stderr
    error: step 1 (“rm -rf /”): refused: the command deletes everything under `/`
    hint: nothing was run: the whole plan is refused when one step is
    ");
    insta::assert_snapshot!(shown(env.codey().arg("create notes.txt")), @r"
    exit 3
    --- stdout
    --- stderr
    error: “create notes.txt”: this step changes files and there is no terminal to confirm it: rerun with --yes to allow it
    ");
    insta::assert_snapshot!(shown(env.codey().arg("")), @r#"
    exit 2
    --- stdout
    --- stderr
    error: no request given
    hint: say what to do, for example: git codey "git status" (or see git codey --help)
    "#);
}

#[test]
fn a_review_lists_findings_by_file_then_the_counts() {
    let env = TestEnv::new();
    env.write("calc.py", "def add(a, b):\n    return a + b\n");
    env.git(&["add", "calc.py"]);
    env.git(&["commit", "-q", "-m", "calc"]);
    env.write("calc.py", "def add(a, b:\n    return a + b\n");
    env.git(&["add", "calc.py"]);
    insta::assert_snapshot!(shown(env.codey().args(["review", "--static-only"])), @r"
    exit 1
    --- stdout
    calc.py
          1  error    does not parse as Python: `(` is never closed (column 8) [syntax-error]

    1 error, 0 warnings, 0 info in 1 changed file (1 added line)
    model review: skipped (--static-only)
    --- stderr
    ");
}

#[test]
fn an_edit_preview_shows_the_patch_and_what_it_cost() {
    let env = TestEnv::new();
    env.write("calc.py", "def add(a, b):\n    return a - b\n");
    env.git(&["add", "calc.py"]);
    env.git(&["commit", "-q", "-m", "calc"]);
    let reply = "calc.py\n```python\n<<<<<<< SEARCH\n    return a - b\n=======\n    return a + b\n>>>>>>> REPLACE\n```\n";
    let server = ScriptedServer::start(vec![reply.into()]);
    let text = shown(
        env.codey()
            .env("CODEY_ENDPOINT", &server.endpoint)
            .env("CODEY_MODEL", "scripted")
            .args(["edit", "--dry-run", "fix add in calc.py"]),
    );
    // The timing and the server's port vary from run to run.
    let text = regex_lite(&text, &server.endpoint);
    insta::assert_snapshot!(text, @r"
    exit 0
    --- stdout
    diff --git a/calc.py b/calc.py
    --- a/calc.py
    +++ b/calc.py
    @@ -1,2 +1,2 @@
     def add(a, b):
    -    return a - b
    +    return a + b
    --- stderr
    files: calc.py (named in the request) — name others with --file
    1 file changed, +1 -1 · scripted at ENDPOINT · N tokens in T s
    checked: parsed ✓, compiled ✓, names ✓, imports ✓
    dry run: nothing was changed
    ");
}

/// The run-to-run parts of an edit's summary line made constant.
fn regex_lite(text: &str, endpoint: &str) -> String {
    let text = text.replace(endpoint, "ENDPOINT");
    text.lines()
        .map(|line| match line.find(" tokens in ") {
            Some(at) if line.contains(" · ") => {
                let before = &line[..at];
                let tokens_from = before.rfind(' ').map_or(0, |i| i + 1);
                format!("{}N tokens in T s", &before[..tokens_from])
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
