//! Layered configuration: built-in defaults (the project's `codey.toml`, compiled in),
//! then the user's file, the repository's file, `CODEY_*` environment variables and
//! flags. Every value remembers where it came from, and a bad key or value is an error
//! that names its file and line.

use std::path::PathBuf;

use serde::Deserialize;

mod env;
mod layers;
mod paths;
pub mod trust;
mod validate;

pub use env::env_name;
pub use layers::{ConfigError, Layered, Origin, Setting, Sources};
pub use paths::{cache_dir, expand_home, home_dir};

/// The built-in layer: the documented `codey.toml` at the project root, as `build.rs`
/// leaves it for parsing (its comment and blank lines taken out).
pub const BUILTIN: &str = include_str!(concat!(env!("OUT_DIR"), "/codey.toml"));

/// The model roles of docs/DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum RoleName {
    /// Decides what a request is (FunctionGemma).
    Router,
    /// Writes edits and answers questions.
    Coder,
    /// Algorithm tasks, and edits the coder could not make.
    Algorithm,
}

impl RoleName {
    pub const ALL: [RoleName; 3] = [RoleName::Router, RoleName::Coder, RoleName::Algorithm];

    /// The name in configuration keys, messages and `--json`.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleName::Router => "router",
            RoleName::Coder => "coder",
            RoleName::Algorithm => "algorithm",
        }
    }

    pub fn parse(name: &str) -> Option<RoleName> {
        RoleName::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

impl serde::Serialize for RoleName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for RoleName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The effective configuration the rest of the program reads.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub memory_budget_mb: u64,
    pub require_confirmation: bool,
    pub models_dir: String,
    pub protected_branches: Vec<String>,
    pub shell: Shell,
    pub edit: Edit,
    pub verify: Verify,
    pub commit_msg: CommitMsg,
    pub review: Review,
    pub router: RouterSettings,
    pub daemon: Daemon,
    pub models: Models,
}

/// How model edits are asked for and applied.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub format: EditFormat,
    pub retries: u32,
    pub escalate: bool,
    pub commit: bool,
}

/// How an edit is checked before it is shown (`crate::verify`). `test`, `run_code` and
/// `cargo_check` run the repository's code, so a repository's own file sets them only
/// once trusted.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verify {
    pub enabled: bool,
    /// Times a failing check goes back to the model.
    pub attempts: u32,
    /// The test command, run by `sh` at the root of a scratch copy; empty for none.
    pub test: String,
    pub test_timeout_s: u64,
    /// Import the edited Python modules and their importers.
    pub run_code: bool,
    pub cargo_check: bool,
    /// With `run_code`, run examples of what the request asks that the model writes
    /// from the request (`verify::examples`).
    pub examples: Examples,
}

/// `verify.examples`: on, off, or `auto` (on except for a local model too small to
/// write them right, see `verify::examples::suit`). A boolean is taken for on and off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Examples {
    Auto,
    On,
    Off,
}

impl Examples {
    /// The word for this setting.
    pub fn as_str(self) -> &'static str {
        match self {
            Examples::Auto => "auto",
            Examples::On => "on",
            Examples::Off => "off",
        }
    }

    /// The words `verify.examples` accepts.
    pub const NAMES: &[&str] = &["auto", "on", "off", "true", "false"];
}

impl<'de> Deserialize<'de> for Examples {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The layers have checked the word against `NAMES`.
        let word = String::deserialize(d)?;
        match word.as_str() {
            "on" | "true" => Ok(Examples::On),
            "off" | "false" => Ok(Examples::Off),
            "auto" => Ok(Examples::Auto),
            _ => Err(serde::de::Error::custom(format!(
                "`verify.examples` must be one of {}",
                Examples::NAMES.join(", ")
            ))),
        }
    }
}

/// How the model writes an edit (`edit.format`, `--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum EditFormat {
    /// What measurement favours for the backend: definitions for a local model,
    /// SEARCH/REPLACE for a server.
    Auto,
    SearchReplace,
    Grammar,
    Definitions,
    WholeFile,
}

impl EditFormat {
    /// The names `edit.format` accepts.
    pub const NAMES: &[&str] = &[
        "auto",
        "search-replace",
        "grammar",
        "definitions",
        "whole-file",
    ];
}

/// How the prepare-commit-msg hook drafts messages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitMsg {
    pub timeout_s: u64,
    pub mode: CommitMode,
    pub conventional: bool,
    pub amend: bool,
    pub merge: bool,
    pub squash: bool,
    pub max_diff_bytes: u64,
}

/// How a drafted commit message reaches the editor (`commit_msg.mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommitMode {
    /// Drafted as the message itself.
    Live,
    /// Drafted as comment lines under git's own template.
    Commented,
}

impl CommitMode {
    /// The names `commit_msg.mode` accepts.
    pub const NAMES: &[&str] = &["live", "commented"];
}

/// The longest time limit any `*_s` key may set: a year, beyond any real need and far
/// from where a deadline on the clock overflows.
pub const MAX_SECONDS: u64 = 365 * 24 * 60 * 60;

/// How `git codey review` bounds its work.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub max_file_bytes: u64,
    pub timeout_s: u64,
    pub max_model_requests: u32,
}

/// How requests are routed: the rules' fast path, then the router model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouterSettings {
    /// Ask the router model about requests the rules are unsure of.
    pub model: bool,
    /// Rules at or above this confidence decide without the model.
    pub rules_confident: f32,
    /// The model's answer is taken at or above this confidence; below, the rules decide.
    pub threshold: f32,
    /// Ask the coder model about a request neither the rules nor the router model
    /// could place, before offering the user a choice.
    pub coder_when_unsure: bool,
}

/// The resident model service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Daemon {
    /// Start the service on demand when a request needs a model.
    pub autostart: bool,
    /// Seconds without a request after which the service exits.
    pub idle_exit_s: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shell {
    pub timeout_s: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Models {
    pub router: Role,
    pub coder: Role,
    pub algorithm: Role,
}

/// One model role: a local GGUF file or a remote endpoint.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub path: String,
    pub endpoint: String,
    pub model: String,
    pub api_key_env: String,
    pub url: String,
    pub sha256: String,
    pub context_size: u32,
    pub max_tokens: u32,
    pub n_gpu_layers: u32,
    pub threads: u32,
    pub timeout_s: u64,
    /// `context_size` was set by a file or the environment, not left at the default.
    #[serde(skip)]
    pub context_size_set: bool,
}

impl Models {
    fn roles_mut(&mut self) -> [(RoleName, &mut Role); 3] {
        [
            (RoleName::Router, &mut self.router),
            (RoleName::Coder, &mut self.coder),
            (RoleName::Algorithm, &mut self.algorithm),
        ]
    }

    pub fn roles(&self) -> [(RoleName, &Role); 3] {
        [
            (RoleName::Router, &self.router),
            (RoleName::Coder, &self.coder),
            (RoleName::Algorithm, &self.algorithm),
        ]
    }

    /// One role's settings.
    pub fn get(&self, role: RoleName) -> &Role {
        match role {
            RoleName::Router => &self.router,
            RoleName::Coder => &self.coder,
            RoleName::Algorithm => &self.algorithm,
        }
    }
}

impl Config {
    /// The models directory with `~` expanded.
    pub fn models_dir(&self) -> PathBuf {
        expand_home(&self.models_dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parsed_builtin_layer_holds_every_value_of_the_documented_file() {
        let documented: toml::Table = include_str!("../../codey.toml").parse().unwrap();
        let parsed: toml::Table = BUILTIN.parse().unwrap();
        assert_eq!(parsed, documented);
        assert!(BUILTIN.len() * 3 < include_str!("../../codey.toml").len());
    }

    fn load_with(files: &[(&str, &str)], env: &[(&str, &str)]) -> Result<Layered, ConfigError> {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut sources = Sources::default();
        for (i, (name, text)) in files.iter().enumerate() {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write config");
            if i == 0 {
                sources.user_file = Some(path);
            } else {
                sources.repo_file = Some(path);
            }
        }
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Layered::load(&sources, &|name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn builtin_defaults_load() {
        let c = load_with(&[], &[]).expect("defaults").config;
        assert_eq!(c.memory_budget_mb, 8000);
        assert!(c.require_confirmation);
        assert_eq!(c.models.coder.path, "qwen2.5-coder-7b-instruct-q4_k_m.gguf");
    }

    #[test]
    fn later_layers_win_and_remember_their_origin() {
        let l = load_with(
            &[
                (
                    "user.toml",
                    "memory_budget_mb = 4000\n[models.coder]\ncontext_size = 4096\n",
                ),
                ("repo.toml", "\nmemory_budget_mb = 3000\n"),
            ],
            &[("CODEY_MODELS_CODER_CONTEXT_SIZE", "1024")],
        )
        .expect("layers");
        assert_eq!(l.config.memory_budget_mb, 3000);
        assert_eq!(l.config.models.coder.context_size, 1024);
        let origin = l.origin("memory_budget_mb");
        assert!(matches!(origin, Origin::File { line: 2, .. }), "{origin:?}");
        assert_eq!(
            l.origin("models.coder.context_size"),
            Origin::Env("CODEY_MODELS_CODER_CONTEXT_SIZE".into())
        );
    }

    #[test]
    fn global_endpoint_is_overridden_by_a_role_specific_one() {
        let l = load_with(
            &[],
            &[
                ("CODEY_ENDPOINT", "http://127.0.0.1:8080/v1"),
                ("CODEY_MODELS_ROUTER_ENDPOINT", "http://127.0.0.1:9090/v1"),
            ],
        )
        .expect("env");
        assert_eq!(l.config.models.coder.endpoint, "http://127.0.0.1:8080/v1");
        assert_eq!(l.config.models.router.endpoint, "http://127.0.0.1:9090/v1");
    }

    #[test]
    fn bad_keys_and_values_name_file_and_line() {
        let err = load_with(&[("user.toml", "\n\nmemory_budget = 1\n")], &[])
            .expect_err("unknown key")
            .to_string();
        assert!(err.contains("user.toml:3"), "{err}");
        assert!(err.contains("did you mean `memory_budget_mb`"), "{err}");

        let err = load_with(
            &[("u.toml", "[models.coder]\ncontext_size = \"big\"\n")],
            &[],
        )
        .expect_err("bad type")
        .to_string();
        assert!(
            err.contains("u.toml:2") && err.contains("must be an integer"),
            "{err}"
        );

        let err = load_with(&[("u.toml", "memory_budget_mb = \n")], &[])
            .expect_err("bad toml")
            .to_string();
        assert!(err.contains("u.toml:1"), "{err}");

        let err = load_with(&[], &[("CODEY_REQUIRE_CONFIRMATION", "maybe")])
            .expect_err("bad env")
            .to_string();
        assert!(err.contains("CODEY_REQUIRE_CONFIRMATION"), "{err}");

        let err = load_with(&[("u.toml", "memory_budget_mb = 0\n")], &[])
            .expect_err("zero budget")
            .to_string();
        assert!(
            err.contains("u.toml:1") && err.contains("memory_budget_mb"),
            "{err}"
        );
    }

    #[test]
    fn commit_msg_values_are_checked() {
        let c = load_with(&[], &[("CODEY_COMMIT_MSG_TIMEOUT_S", "5")])
            .expect("env")
            .config;
        assert_eq!(c.commit_msg.timeout_s, 5);
        assert_eq!(c.commit_msg.mode, CommitMode::Live);
        assert!(!c.commit_msg.amend);
        let err = load_with(&[("u.toml", "[commit_msg]\nmode = \"silent\"\n")], &[])
            .expect_err("bad mode")
            .to_string();
        assert!(
            err.contains("u.toml:2") && err.contains("commit_msg.mode"),
            "{err}"
        );
        assert!(load_with(&[], &[("CODEY_COMMIT_MSG_TIMEOUT_S", "0")]).is_err());
    }

    #[test]
    fn examples_take_a_word_or_a_boolean_and_nothing_else() {
        let examples = |files: &[(&str, &str)], env: &[(&str, &str)]| {
            load_with(files, env).map(|l| l.config.verify.examples)
        };
        assert_eq!(examples(&[], &[]).expect("default"), Examples::Auto);
        for (text, want) in [
            ("examples = true", Examples::On),
            ("examples = false", Examples::Off),
            ("examples = \"auto\"", Examples::Auto),
            ("examples = \"on\"", Examples::On),
        ] {
            let file = format!("[verify]\n{text}\n");
            assert_eq!(examples(&[("u.toml", &file)], &[]).expect(text), want);
        }
        for (raw, want) in [
            ("auto", Examples::Auto),
            ("1", Examples::On),
            ("Yes", Examples::On),
            ("0", Examples::Off),
        ] {
            assert_eq!(
                examples(&[], &[("CODEY_VERIFY_EXAMPLES", raw)]).expect(raw),
                want
            );
        }
        assert!(examples(&[], &[("CODEY_VERIFY_EXAMPLES", "maybe")]).is_err());
        let err = examples(&[("u.toml", "[verify]\nexamples = \"maybe\"\n")], &[])
            .expect_err("not a setting")
            .to_string();
        assert!(
            err.contains("u.toml:2") && err.contains("auto, on, off"),
            "{err}"
        );
        // A boolean is taken only where a word may be on or off.
        let err = load_with(&[("u.toml", "[verify]\ntest = true\n")], &[])
            .expect_err("a test command is not a switch")
            .to_string();
        assert!(err.contains("must be a string"), "{err}");
    }

    #[test]
    fn time_limits_too_long_for_the_clock_are_refused() {
        for name in [
            "CODEY_SHELL_TIMEOUT_S",
            "CODEY_COMMIT_MSG_TIMEOUT_S",
            "CODEY_REVIEW_TIMEOUT_S",
            "CODEY_DAEMON_IDLE_EXIT_S",
            "CODEY_MODELS_CODER_TIMEOUT_S",
        ] {
            let err = load_with(&[], &[(name, "9223372036854775807")])
                .expect_err("a limit past the clock")
                .to_string();
            assert!(err.contains("between 1 and 31536000"), "{name}: {err}");
        }
        let c = load_with(&[], &[("CODEY_SHELL_TIMEOUT_S", "31536000")])
            .expect("a year is allowed")
            .config;
        assert_eq!(c.shell.timeout_s, MAX_SECONDS);
    }

    #[test]
    fn every_key_has_an_env_name() {
        assert_eq!(env_name("models.coder.path"), "CODEY_MODELS_CODER_PATH");
        assert_eq!(env_name("memory_budget_mb"), "CODEY_MEMORY_BUDGET_MB");
    }
}
