//! Ctrl-C handling while steps run: git-codey only notes it, so it can stop before the
//! next step and report what was done instead of dying mid-way. A running command gets
//! the signal from the terminal itself when it holds the terminal, and from the shell
//! executor otherwise (see `tools::shell`).

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Starts noting Ctrl-C instead of exiting on it.
pub fn install() {
    // An error means a handler is already installed, which is all we need.
    let _ = ctrlc::set_handler(|| REQUESTED.store(true, Ordering::SeqCst));
}

/// Whether Ctrl-C was pressed since `install`.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Notes a Ctrl-C that did not reach git-codey as a signal: a key press read by a prompt
/// (it reads the terminal raw), or a SIGINT the terminal sent to a command holding it.
pub fn note_key_press() {
    REQUESTED.store(true, Ordering::SeqCst);
}
