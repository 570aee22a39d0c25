//! Pause points for fault-injection tests, compiled into debug builds only: with
//! `CODEY_TEST_PAUSE=NAME:PATH`, a run that reaches the point NAME creates PATH and
//! waits until it is removed, so that a test can change files, start a rival run or
//! kill the process at exactly that moment.

#[cfg(debug_assertions)]
pub fn pause(name: &str) {
    let Ok(spec) = std::env::var("CODEY_TEST_PAUSE") else {
        return;
    };
    let Some((point, path)) = spec.split_once(':') else {
        return;
    };
    if point != name || std::fs::write(path, std::process::id().to_string()).is_err() {
        return;
    }
    while std::path::Path::new(path).exists() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[cfg(not(debug_assertions))]
pub fn pause(_name: &str) {}
