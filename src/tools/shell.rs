//! Running a shell command at the repository root: output streamed (or captured for
//! `--json`), the exit code kept, and a time limit.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    Exited(i32),
    /// Killed by a signal (Ctrl-C, a crash).
    Signalled,
    TimedOut,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub ending: Ending,
    /// Captured output, when capturing.
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    pub fn success(&self) -> bool {
        self.ending == Ending::Exited(0)
    }
}

/// Whether output goes straight to the terminal or is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Inherit,
    Capture,
}

/// The shell command line for `command`, run by `sh` at `root`.
pub fn command(root: &Path, command: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(command).current_dir(root);
    cmd
}

/// Runs a prepared command to its end or until `timeout`, when it is killed.
pub fn run(mut cmd: Command, output: Output, timeout: Duration) -> std::io::Result<Outcome> {
    if output == Output::Capture {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
    }
    let mut child = cmd.spawn()?;
    // Read pipes on threads so a chatty command cannot fill a pipe and stall.
    let readers = [
        child.stdout.take().map(|mut s| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let _ = s.read_to_end(&mut buf);
                buf
            })
        }),
        child.stderr.take().map(|mut s| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let _ = s.read_to_end(&mut buf);
                buf
            })
        }),
    ];
    let ending = match child.wait_timeout(timeout)? {
        Some(status) => match status.code() {
            Some(code) => Ending::Exited(code),
            None => Ending::Signalled,
        },
        None => {
            let _ = child.kill();
            let _ = child.wait();
            Ending::TimedOut
        }
    };
    let [out, err] = readers.map(|r| {
        r.and_then(|h| h.join().ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    });
    Ok(Outcome {
        ending,
        stdout: out,
        stderr: err,
    })
}
