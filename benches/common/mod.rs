//! What the benchmarks share.

use std::path::PathBuf;

/// A test model from `scripts/fetch-test-models` ($CODEY_TEST_MODELS, else
/// `~/.cache/codey/test-models`); stops the benchmark, saying what to fetch, when it is
/// not there.
pub fn test_model(file: &str, fetch: &str) -> PathBuf {
    let model = std::env::var_os("CODEY_TEST_MODELS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/codey/test-models"))
        })
        .expect("HOME")
        .join(file);
    assert!(model.is_file(), "run scripts/fetch-test-models {fetch}");
    model
}
