//! Running a shell command at the repository root: output streamed (or captured for
//! `--json`), the exit code kept, and a time limit.
//!
//! The command runs in a process group of its own, so that what it starts can be stopped
//! with it: at the time limit or on Ctrl-C the whole group is killed, and whatever it
//! leaves running in the background when it ends is stopped too. A step never outlives
//! itself, and git-codey never waits on a process it did not mean to wait for.

use std::io::{self, IsTerminal, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use nix::sys::signal::{SigSet, SigmaskHow, Signal, killpg, pthread_sigmask};
use nix::sys::termios::{self, SetArg, Termios};
use nix::unistd::{Pid, getpgrp, tcgetpgrp, tcsetpgrp};
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
pub struct Finished {
    pub ending: Ending,
    /// Captured output, when capturing.
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
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

/// How often the wait looks up from the child to notice Ctrl-C and the time limit.
const POLL: Duration = Duration::from_millis(100);

/// How long processes get to go after being asked to (SIGINT, SIGTERM) before they are
/// killed, and how long output is still collected once the command is gone.
const GRACE: Duration = Duration::from_secs(1);

/// The shell command line for `command`, run by `sh` at `root`.
pub fn command(root: &Path, command: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(command).current_dir(root);
    cmd
}

/// Runs a prepared command to its end or until `timeout`, when its process group is
/// killed. Background processes it leaves behind are stopped when it ends.
pub fn run(mut cmd: Command, output: Output, timeout: Duration) -> io::Result<Finished> {
    cmd.process_group(0);
    if output == Output::Capture {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
    }
    let mut child = cmd.spawn()?;
    let group =
        Pid::from_raw(i32::try_from(child.id()).expect("a process id fits the platform's pid_t"));
    let foreground = match output {
        Output::Inherit => Foreground::give(group),
        Output::Capture => None,
    };
    // Read pipes on threads so a chatty command cannot fill a pipe and stall.
    let readers = [
        child.stdout.take().map(Reader::start),
        child.stderr.take().map(Reader::start),
    ];
    let ending = wait(&mut child, group, timeout);
    // The terminal comes back before anything else is printed.
    drop(foreground);
    let ending = ending?;
    // A process that left the group (`setsid`) may still hold a pipe open: what it
    // writes after the grace is not waited for.
    let deadline = Instant::now() + GRACE;
    let [out, err] = readers.map(|r| r.map(|r| r.collect(deadline)).unwrap_or_default());
    Ok(Finished {
        ending,
        stdout: out,
        stderr: err,
    })
}

/// Waits for the command, killing its group at the time limit or stopping it on Ctrl-C,
/// and stops what it left running when it ends.
fn wait(child: &mut Child, group: Pid, limit: Duration) -> io::Result<Ending> {
    let start = Instant::now();
    loop {
        let left = limit.saturating_sub(start.elapsed());
        if left.is_zero() {
            let _ = killpg(group, Signal::SIGKILL);
            child.wait()?;
            return Ok(Ending::TimedOut);
        }
        if crate::interrupt::requested() {
            // What the terminal would have sent, had the group been in the foreground.
            let _ = killpg(group, Signal::SIGINT);
            if child.wait_timeout(GRACE)?.is_some() {
                stop_leftovers(group);
            } else {
                let _ = killpg(group, Signal::SIGKILL);
                child.wait()?;
            }
            return Ok(Ending::Signalled);
        }
        if let Some(status) = child.wait_timeout(left.min(POLL))? {
            stop_leftovers(group);
            return Ok(ending(status));
        }
    }
}

fn ending(status: ExitStatus) -> Ending {
    match (status.code(), status.signal()) {
        (Some(code), _) => Ending::Exited(code),
        (None, signal) => {
            // With the terminal handed to the command, Ctrl-C reached it and not us.
            if signal == Some(Signal::SIGINT as i32) {
                crate::interrupt::note_key_press();
            }
            Ending::Signalled
        }
    }
}

/// Stops the processes the command left in its group: asked with SIGTERM, killed after
/// the grace.
fn stop_leftovers(group: Pid) {
    // Signal 0 only asks whether any process of the group is left. Its id stays reserved
    // while one is (the command itself, unreaped, is why the other paths may signal
    // freely), so only a group that emptied between two calls could be reused.
    let alive = || killpg(group, None).is_ok();
    if !alive() {
        return;
    }
    let _ = killpg(group, Signal::SIGTERM);
    let deadline = Instant::now() + GRACE;
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        if !alive() {
            return;
        }
    }
    let _ = killpg(group, Signal::SIGKILL);
}

/// The terminal handed to the command's group while it runs, so that it can read keys,
/// open an editor or a pager and get Ctrl-C itself, as under a shell. Taken back, with
/// the terminal's modes as they were, when dropped.
struct Foreground {
    ours: Pid,
    modes: Option<Termios>,
}

impl Foreground {
    /// Hands the terminal on stdin to `group`, when git-codey holds it.
    fn give(group: Pid) -> Option<Foreground> {
        let tty = io::stdin();
        if !tty.is_terminal() {
            return None;
        }
        let ours = getpgrp();
        // Run in the background, git-codey has no terminal to hand on.
        if tcgetpgrp(&tty).ok()? != ours {
            return None;
        }
        let modes = termios::tcgetattr(&tty).ok();
        tcsetpgrp(&tty, group).ok()?;
        // A command that read the terminal before it was handed over was stopped for
        // it; this lets it go on.
        let _ = killpg(group, Signal::SIGCONT);
        Some(Foreground { ours, modes })
    }
}

impl Drop for Foreground {
    fn drop(&mut self) {
        let tty = io::stdin();
        // Taking the terminal back from the background raises SIGTTOU, which would stop
        // git-codey; with the signal blocked, the request is simply granted.
        let ttou = {
            let mut set = SigSet::empty();
            set.add(Signal::SIGTTOU);
            set
        };
        let mut before = SigSet::empty();
        let blocked = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&ttou), Some(&mut before));
        let _ = tcsetpgrp(&tty, self.ours);
        // A killed editor leaves the terminal raw.
        if let Some(modes) = &self.modes {
            let _ = termios::tcsetattr(&tty, SetArg::TCSADRAIN, modes);
        }
        if blocked.is_ok() {
            let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&before), None);
        }
    }
}

/// One output pipe, read on its own thread into a buffer that can be taken at any time.
struct Reader {
    buf: Arc<Mutex<Vec<u8>>>,
    done: mpsc::Receiver<()>,
}

impl Reader {
    fn start(mut source: impl Read + Send + 'static) -> Reader {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let (tx, done) = mpsc::channel();
        let shared = Arc::clone(&buf);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            loop {
                match source.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => shared
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .extend_from_slice(&chunk[..n]),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = tx.send(());
        });
        Reader { buf, done }
    }

    /// What was read by the end of the pipe or by `deadline`, whichever comes first; a
    /// pipe still open then is left to its thread.
    fn collect(self, deadline: Instant) -> String {
        let _ = self
            .done
            .recv_timeout(deadline.saturating_duration_since(Instant::now()));
        let bytes = std::mem::take(&mut *self.buf.lock().unwrap_or_else(PoisonError::into_inner));
        String::from_utf8_lossy(&bytes).into_owned()
    }
}
