//! The prepare-commit-msg hook at work: real `git commit`s with the hook installed and
//! the coder served by a scripted OpenAI-compatible server, and `commit-msg --print`.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Output;

use predicates::prelude::*;

use crate::common::{ScriptedServer, TestEnv, stdout};

/// A repository with the hook installed.
fn hooked() -> TestEnv {
    let env = TestEnv::new();
    env.codey().args(["hook", "install"]).assert().success();
    env
}

/// An editor that keeps a copy of the file git opens it on, and changes nothing.
fn recording_editor(env: &TestEnv) -> (PathBuf, PathBuf) {
    let editor = env.outside().join("editor.sh");
    let seen = env.outside().join("seen.txt");
    std::fs::write(
        &editor,
        format!("#!/bin/sh\ncp \"$1\" '{}'\n", seen.display()),
    )
    .expect("write editor");
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    (editor, seen)
}

/// `git commit ARGS` with `env` set (the editor only saves unless `GIT_EDITOR` is given).
fn commit(env: &TestEnv, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut cmd = env.git_command();
    cmd.arg("commit").args(args).env("GIT_EDITOR", "true");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().expect("git commit runs")
}

fn scripted(server: &ScriptedServer) -> [(&'static str, &str); 2] {
    [
        ("CODEY_ENDPOINT", server.endpoint.as_str()),
        ("CODEY_MODEL", "scripted"),
    ]
}

fn last_message(env: &TestEnv) -> String {
    env.git(&["log", "-1", "--format=%B"])
        .trim_end()
        .to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_commit_gets_the_model_draft_above_git_comments() {
    let env = hooked();
    env.write(
        "greet.py",
        "def greet(name):\n    return 'Hello, ' + name + '!'\n",
    );
    env.write("Cargo.lock", "[[package]]\nname = \"zzz-locked-crate\"\n");
    env.git(&["add", "greet.py", "Cargo.lock"]);
    let server = ScriptedServer::start(vec![
        "Here is the commit message:\n```\nAdd a greeting helper.\n\nIt returns a friendly greeting for a name, so that every caller says hello the same way.\n```"
            .into(),
    ]);
    let (editor, seen) = recording_editor(&env);
    let mut vars = scripted(&server).to_vec();
    vars.push(("GIT_EDITOR", editor.to_str().expect("UTF-8 path")));
    let out = commit(&env, &[], &vars);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");

    let expected = "Add a greeting helper\n\nIt returns a friendly greeting for a name, so that every caller says\nhello the same way.";
    assert_eq!(last_message(&env), expected);
    let opened = std::fs::read_to_string(seen).expect("the editor ran");
    assert!(
        opened.starts_with(&format!("{expected}\n\n# Please enter the commit message")),
        "{opened}"
    );
    assert!(opened.contains("#\tnew file:   greet.py\n"), "{opened}");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&requests[0]).expect("JSON body");
    let user = body["messages"][1]["content"].as_str().expect("user turn");
    assert!(user.contains("+def greet(name):"), "{user}");
    assert!(user.contains("Cargo.lock (lockfile)"), "{user}");
    assert!(!user.contains("zzz-locked-crate"), "{user}");
    let system = body["messages"][0]["content"].as_str().expect("system");
    assert!(system.contains("72 characters"), "{system}");
}

#[test]
fn commit_all_is_drafted_from_the_index_git_commit_builds() {
    let env = hooked();
    env.write("README.md", "# demo\n\nNow with usage notes.\n");
    let server = ScriptedServer::start(vec!["Describe how to use the demo".into()]);
    let out = commit(&env, &["-a"], &scripted(&server));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(last_message(&env), "Describe how to use the demo");
    assert!(server.requests()[0].contains("+Now with usage notes."));
}

#[test]
fn messages_given_or_made_by_git_are_left_alone() {
    let env = hooked();
    let server = ScriptedServer::start(vec!["Wrong: drafted".into()]);
    let vars = scripted(&server);

    env.write("a.txt", "a\n");
    env.git(&["add", "a.txt"]);
    let out = commit(&env, &["-m", "my own words"], &vars);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(last_message(&env), "my own words");

    env.write("a.txt", "a2\n");
    env.git(&["add", "a.txt"]);
    let out = commit(&env, &["--amend"], &vars);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(last_message(&env), "my own words");
    let out = commit(&env, &["--amend", "--no-edit"], &vars);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(last_message(&env), "my own words");

    env.git(&["checkout", "-q", "-b", "feature"]);
    env.write("f.txt", "feature\n");
    env.git(&["add", "f.txt"]);
    env.git(&["commit", "-q", "-m", "feature work"]);
    env.git(&["checkout", "-q", "main"]);
    env.write("m.txt", "main\n");
    env.git(&["add", "m.txt"]);
    env.git(&["commit", "-q", "-m", "main work"]);
    let out = env
        .git_command()
        .args(["merge", "--no-ff", "--edit", "feature"])
        .env("GIT_EDITOR", "true")
        .envs(vars)
        .output()
        .expect("git merge runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(last_message(&env), "Merge branch 'feature'");

    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[test]
fn amend_opt_in_drafts_and_keeps_the_old_message_visible() {
    let env = hooked();
    env.write("README.md", "# demo\n\nMore.\n");
    env.git(&["add", "README.md"]);
    let server = ScriptedServer::start(vec!["Expand the README".into()]);
    let (editor, seen) = recording_editor(&env);
    let mut vars = scripted(&server).to_vec();
    vars.push(("GIT_EDITOR", editor.to_str().expect("UTF-8 path")));
    vars.push(("CODEY_COMMIT_MSG_AMEND", "true"));
    let out = commit(&env, &["--amend"], &vars);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(last_message(&env), "Expand the README");
    let opened = std::fs::read_to_string(seen).expect("the editor ran");
    assert!(
        opened.starts_with(
            "Expand the README\n\n# The message git prepared:\n# initial\n\n# Please enter"
        ),
        "{opened}"
    );
}

#[test]
fn a_template_still_gets_a_draft_above_its_text() {
    let env = hooked();
    let template = env.outside().join("template.txt");
    std::fs::write(&template, "Ticket: NONE\n").expect("template");
    env.git(&[
        "config",
        "commit.template",
        template.to_str().expect("UTF-8"),
    ]);
    env.write("a.py", "x = 1\n");
    env.git(&["add", "a.py"]);
    let server = ScriptedServer::start(vec!["Add a.py".into()]);
    let out = commit(&env, &[], &scripted(&server));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(last_message(&env), "Add a.py\n\nTicket: NONE");
}

#[test]
fn a_commented_draft_waits_in_the_comments() {
    let env = hooked();
    env.write("a.py", "x = 1\n");
    env.git(&["add", "a.py"]);
    let server = ScriptedServer::start(vec!["Add a.py\n\nIt sets x.".into()]);
    let (editor, seen) = recording_editor(&env);
    let mut vars = scripted(&server).to_vec();
    vars.push(("GIT_EDITOR", editor.to_str().expect("UTF-8 path")));
    vars.push(("CODEY_COMMIT_MSG_MODE", "commented"));
    let out = commit(&env, &[], &vars);
    // Nobody uncommented it: the message is empty and git aborts, as without the hook.
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("empty commit message"),
        "{}",
        stderr(&out)
    );
    let opened = std::fs::read_to_string(seen).expect("the editor ran");
    assert!(
        opened.starts_with("\n# Draft by git-codey (uncomment the lines to use it):\n#\n# Add a.py\n#\n# It sets x.\n#\n# Please enter"),
        "{opened}"
    );
}

#[test]
fn conventional_style_is_asked_for() {
    let env = hooked();
    env.write("a.py", "x = 1\n");
    env.git(&["add", "a.py"]);
    let server = ScriptedServer::start(vec!["feat: add a.py".into()]);
    let mut vars = scripted(&server).to_vec();
    vars.push(("CODEY_COMMIT_MSG_CONVENTIONAL", "1"));
    let out = commit(&env, &[], &vars);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(last_message(&env), "feat: add a.py");
    assert!(server.requests()[0].contains("Conventional Commits"));
}

#[test]
fn with_the_server_down_the_commit_gets_the_file_list_draft() {
    let env = hooked();
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    env.write("hello.py", "print('hello')\n");
    env.git(&["add", "hello.py"]);
    let endpoint = format!("http://127.0.0.1:{port}/v1");
    let out = commit(
        &env,
        &[],
        &[("CODEY_ENDPOINT", &endpoint), ("CODEY_MODEL", "scripted")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        last_message(&env),
        "Add hello.py\n\nCode only.\n\n hello.py | 1 +\n 1 file changed, 1 insertion(+)"
    );
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("git-codey") && err.contains("could not reach"),
        "{err}"
    );
}

#[test]
fn a_server_that_never_answers_is_given_up_on_at_the_timeout() {
    let env = hooked();
    // Connections are taken by the kernel and never answered.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let endpoint = format!("http://{}/v1", silent.local_addr().expect("addr"));
    env.write("docs/guide.md", "# Guide\n");
    env.git(&["add", "docs/guide.md"]);
    let out = commit(
        &env,
        &[],
        &[
            ("CODEY_ENDPOINT", &endpoint),
            ("CODEY_MODEL", "scripted"),
            ("CODEY_COMMIT_MSG_TIMEOUT_S", "1"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(last_message(&env).starts_with("Add docs/guide.md\n\nDocumentation only.\n"));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("commit_msg.timeout_s"), "{err}");
}

#[test]
fn codey_skip_hook_leaves_the_message_as_git_prepared_it() {
    let env = hooked();
    env.write("a.txt", "a\n");
    env.git(&["add", "a.txt"]);
    let server = ScriptedServer::start(vec!["Never asked".into()]);
    let (editor, seen) = recording_editor(&env);
    let mut vars = scripted(&server).to_vec();
    vars.push(("GIT_EDITOR", editor.to_str().expect("UTF-8 path")));
    vars.push(("CODEY_SKIP_HOOK", "1"));
    let out = commit(&env, &[], &vars);
    assert!(!out.status.success(), "an empty message aborts the commit");
    let opened = std::fs::read_to_string(seen).expect("the editor ran");
    assert!(opened.starts_with("\n# Please enter"), "{opened}");
    assert!(server.requests().is_empty());
}

#[test]
fn nothing_is_drafted_while_a_rebase_is_under_way() {
    let env = hooked();
    env.write("a.txt", "a\n");
    env.git(&["add", "a.txt"]);
    std::fs::create_dir(env.repo.join(".git/rebase-merge")).expect("fake rebase");
    let file = env.repo.join(".git/COMMIT_EDITMSG");
    std::fs::write(&file, "picked message\n\n# comments\n").expect("message file");
    let server = ScriptedServer::start(vec!["Never asked".into()]);
    env.codey()
        .envs(scripted(&server))
        .args(["commit-msg", ".git/COMMIT_EDITMSG"])
        .assert()
        .success()
        .stderr("");
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "picked message\n\n# comments\n"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn print_writes_a_draft_on_stdout() {
    let env = TestEnv::new();
    env.codey()
        .args(["commit-msg", "--print"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nothing is staged"));

    env.write("README.md", "# demo\n\nTypo fixed.\n");
    env.git(&["add", "README.md"]);
    let server = ScriptedServer::start(vec!["`Fix the typo in the README`".into()]);
    let out = env
        .codey()
        .envs(scripted(&server))
        .args(["commit-msg", "--print"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Fix the typo in the README\n");
    assert_eq!(last_message(&env), "initial");
}
