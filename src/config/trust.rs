//! Which repositories' `codey.toml` the user trusts. A repository's file is data from
//! whoever wrote the repository: until the user trusts it (`git codey trust`, keyed to
//! the file's path and the hash of its content, kept in the user's configuration
//! directory), the settings in it that would lower safety, choose where code and keys
//! are sent, or what is loaded and run, are ignored. Pure except for reading the store.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Value;

/// The user's trust decisions, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustStore {
    #[serde(default, rename = "trusted")]
    entries: Vec<Entry>,
}

/// One trusted file, as it was when the user trusted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: PathBuf,
    sha256: String,
}

/// Why the store could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error("could not read {path}: {message}")]
    Read { path: PathBuf, message: String },
}

impl TrustStore {
    /// The store at `path`; an absent file trusts nothing.
    pub fn load(path: &Path) -> Result<Self, TrustError> {
        let read = |message: String| TrustError::Read {
            path: path.to_path_buf(),
            message,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| read(e.message().trim().to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(TrustStore::default()),
            Err(e) => Err(read(e.to_string())),
        }
    }

    /// Whether `file`, holding `bytes` now, is trusted.
    pub fn trusts(&self, file: &Path, bytes: &[u8]) -> bool {
        let (file, digest) = (canonical(file), sha256(bytes));
        self.entries
            .iter()
            .any(|e| e.file == file && e.sha256 == digest)
    }

    /// The store with `file` trusted as it is now (replacing an older decision about it).
    pub fn trust(mut self, file: &Path, bytes: &[u8]) -> Self {
        self = self.revoke(file);
        self.entries.push(Entry {
            file: canonical(file),
            sha256: sha256(bytes),
        });
        self
    }

    /// The store without any decision about `file`.
    pub fn revoke(mut self, file: &Path) -> Self {
        let file = canonical(file);
        self.entries.retain(|e| e.file != file);
        self
    }

    pub fn to_toml(&self) -> String {
        let header = "# Repository files git-codey trusts: written by `git codey trust`.\n";
        let body = toml::to_string(self).expect("the store serialises to TOML");
        format!("{header}{body}")
    }
}

/// The store's place: `codey/trusted.toml` in the user's configuration directory.
pub fn store_path(config_dir: &Path) -> PathBuf {
    config_dir.join("trusted.toml")
}

/// A TOML number as a float (`threshold = 1` is an integer).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

fn canonical(file: &Path) -> PathBuf {
    file.canonicalize().unwrap_or_else(|_| file.to_path_buf())
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether a repository's file changing `key` from `before` to `after` needs the user's
/// trust: confirmation switched off, a protected branch dropped, and anything that says
/// where requests and keys go (`endpoint`, `api_key_env`) or what is downloaded, loaded
/// and run (`models_dir`, a model's `path`, `url`, `sha256`, the verify step's test
/// command and switches that run the repository's code), and the router model's
/// threshold lowered. Raising safety is free.
pub fn needs_trust(key: &str, before: &Value, after: &Value) -> bool {
    if before == after {
        return false;
    }
    match key {
        "require_confirmation" => after != &Value::Boolean(true),
        "protected_branches" => match (before, after) {
            (Value::Array(old), Value::Array(new)) => old.iter().any(|b| !new.contains(b)),
            _ => true,
        },
        "models_dir" | "verify.test" => true,
        "verify.run_code" | "verify.cargo_check" => after != &Value::Boolean(false),
        // Switching the checks off lowers safety; switching them on is free.
        "verify.enabled" => after != &Value::Boolean(true),
        // A router model taken at a lower confidence decides more requests wrongly,
        // steps that change something among them.
        "router.threshold" => match (number(before), number(after)) {
            (Some(old), Some(new)) => new < old,
            _ => true,
        },
        _ => {
            key.starts_with("models.")
                && ["endpoint", "api_key_env", "path", "url", "sha256"]
                    .iter()
                    .any(|field| key.rsplit('.').next() == Some(field))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_settings_that_lower_safety_or_send_data_need_trust() {
        let t = Value::Boolean(true);
        let f = Value::Boolean(false);
        assert!(needs_trust("require_confirmation", &t, &f));
        assert!(!needs_trust("require_confirmation", &f, &t));
        let branches = |names: &[&str]| {
            Value::Array(names.iter().map(|n| Value::String(n.to_string())).collect())
        };
        let main = branches(&["main", "master"]);
        assert!(needs_trust("protected_branches", &main, &branches(&[])));
        assert!(!needs_trust(
            "protected_branches",
            &main,
            &branches(&["main", "master", "release"])
        ));
        let empty = Value::String(String::new());
        let url = Value::String("http://attacker.example/v1".into());
        for key in [
            "models.coder.endpoint",
            "models.router.api_key_env",
            "models.algorithm.path",
            "models.coder.url",
            "models_dir",
        ] {
            assert!(needs_trust(key, &empty, &url), "{key}");
            assert!(!needs_trust(key, &url, &url), "{key} unchanged");
        }
        let test = Value::String("pytest -q".into());
        assert!(needs_trust("verify.test", &empty, &test));
        assert!(needs_trust("verify.run_code", &f, &t));
        assert!(!needs_trust("verify.run_code", &t, &f));
        assert!(needs_trust("verify.cargo_check", &f, &t));
        assert!(needs_trust("verify.enabled", &t, &f));
        assert!(!needs_trust("verify.enabled", &f, &t));
        let (low, high) = (Value::Float(0.1), Value::Float(0.6));
        assert!(needs_trust("router.threshold", &high, &low));
        assert!(!needs_trust("router.threshold", &high, &Value::Integer(1)));
        let (a, b) = (Value::Integer(2), Value::Integer(5));
        assert!(!needs_trust("edit.retries", &a, &b));
        assert!(!needs_trust("models.coder.context_size", &a, &b));
    }

    #[test]
    fn trust_is_keyed_to_the_files_content() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("codey.toml");
        std::fs::write(&file, "require_confirmation = false\n").unwrap();
        let store = TrustStore::default().trust(&file, b"require_confirmation = false\n");
        assert!(store.trusts(&file, b"require_confirmation = false\n"));
        assert!(!store.trusts(&file, b"require_confirmation = false\n# more\n"));
        let reread: TrustStore = toml::from_str(&store.to_toml()).unwrap();
        assert_eq!(reread, store);
        assert!(
            !store
                .revoke(&file)
                .trusts(&file, b"require_confirmation = false\n")
        );
    }
}
