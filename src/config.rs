//! Layered configuration: built-in defaults (the project's `codey.toml`, compiled in),
//! then the user's file, the repository's file, `CODEY_*` environment variables and
//! flags. Every value remembers where it came from, and a bad key or value is an error
//! that names its file and line.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::{Table, Value};

pub mod trust;

/// The built-in layer: the documented `codey.toml` at the project root.
pub const BUILTIN: &str = include_str!("../codey.toml");

/// The model roles of DESIGN.md.
pub const ROLES: [&str; 3] = ["router", "coder", "algorithm"];

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
    pub router: Router,
    pub daemon: Daemon,
    pub models: Models,
}

/// How model edits are asked for and applied.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub format: String,
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
}

/// The names `edit.format` accepts.
pub const EDIT_FORMATS: [&str; 5] = [
    "auto",
    "search-replace",
    "grammar",
    "definitions",
    "whole-file",
];

/// How the prepare-commit-msg hook drafts messages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitMsg {
    pub timeout_s: u64,
    pub mode: String,
    pub conventional: bool,
    pub amend: bool,
    pub merge: bool,
    pub squash: bool,
    pub max_diff_bytes: u64,
}

/// The names `commit_msg.mode` accepts.
pub const COMMIT_MSG_MODES: [&str; 2] = ["live", "commented"];

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
pub struct Router {
    /// Ask the router model about requests the rules are unsure of.
    pub model: bool,
    /// Rules at or above this confidence decide without the model.
    pub rules_confident: f32,
    /// The model's answer is taken at or above this confidence; below, the rules decide.
    pub threshold: f32,
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

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File { path: PathBuf, line: usize },
    Env(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File { path, line } => write!(f, "{}:{line}", path.display()),
            Origin::Env(name) => write!(f, "env {name}"),
        }
    }
}

/// One key's effective value.
#[derive(Debug, Clone)]
pub struct Setting {
    /// The dotted key, `models.coder.path`.
    pub key: String,
    pub value: Value,
    pub origin: Origin,
}

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}:{line}: {message}")]
    File {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("could not read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Trust(#[from] trust::TrustError),
    #[error("environment variable {name}: {message}")]
    Env { name: String, message: String },
    #[error("{origin}: {key}: {message}")]
    Invalid {
        key: String,
        origin: Origin,
        message: String,
    },
}

/// Where the configuration files are looked for.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The user's file, normally `~/.config/codey/codey.toml`.
    pub user_file: Option<PathBuf>,
    /// The repository's file, `<repo>/codey.toml`.
    pub repo_file: Option<PathBuf>,
    /// The user's decisions about which repository files to trust.
    pub trust_file: Option<PathBuf>,
}

impl Sources {
    /// The standard locations: `$XDG_CONFIG_HOME/codey/codey.toml` (or
    /// `~/.config/codey/codey.toml`) and `codey.toml` at the repository root.
    pub fn standard(repo_root: Option<&Path>) -> Self {
        let config_home = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| home_dir().map(|h| h.join(".config")));
        let dir = config_home.map(|d| d.join("codey"));
        Sources {
            user_file: dir.as_ref().map(|d| d.join("codey.toml")),
            trust_file: dir.as_deref().map(trust::store_path),
            repo_file: repo_root.map(|r| r.join("codey.toml")),
        }
    }
}

/// Where git-codey keeps what it can rebuild (the router's evaluated prompt):
/// `$XDG_CACHE_HOME/codey`, else `~/.cache/codey`, else the temp directory's
/// `codey-cache` when there is no home.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| home_dir().map(|h| h.join(".cache")))
        .map_or_else(
            || std::env::temp_dir().join("codey-cache"),
            |d| d.join("codey"),
        )
}

pub fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The merged configuration with the origin of every value.
#[derive(Debug, Clone)]
pub struct Layered {
    pub settings: Vec<Setting>,
    pub config: Config,
    /// Settings of the repository's file that are ignored until the user trusts it.
    pub untrusted: Vec<Setting>,
}

impl Layered {
    /// Loads every layer. `env` is the process environment (passed in so tests can
    /// give their own).
    pub fn load(
        sources: &Sources,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let builtin: Table = BUILTIN
            .parse()
            .expect("the built-in codey.toml is valid TOML");
        let mut settings = Vec::new();
        flatten(&builtin, "", &mut settings);
        let mut untrusted = Vec::new();

        for path in [&sources.user_file, &sources.repo_file]
            .into_iter()
            .flatten()
        {
            let text = match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => {
                    return Err(ConfigError::Read {
                        path: path.clone(),
                        source,
                    });
                }
            };
            let repo = Some(path) == sources.repo_file.as_ref();
            // What the layers below say, for the repository's settings that need trust.
            let below = repo.then(|| settings.clone());
            apply_file(&mut settings, path, &text)?;
            let Some(below) = below else { continue };
            let lowered: Vec<usize> = (0..settings.len())
                .filter(|&k| {
                    trust::needs_trust(&settings[k].key, &below[k].value, &settings[k].value)
                })
                .collect();
            // The store is read only when the file would lower something.
            if !lowered.is_empty() && !trusted(sources, path, &text)? {
                for k in lowered {
                    untrusted.push(std::mem::replace(&mut settings[k], below[k].clone()));
                }
            }
        }
        apply_env(&mut settings, env)?;

        let mut root = Table::new();
        for s in &settings {
            insert_dotted(&mut root, &s.key, s.value.clone());
        }
        let mut config: Config = Value::Table(root)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid {
                key: String::new(),
                origin: Origin::Default,
                message: e.message().to_string(),
            })?;
        for (name, role) in config.models.roles_mut() {
            role.context_size_set = settings.iter().any(|s| {
                s.key == format!("models.{name}.context_size") && s.origin != Origin::Default
            });
        }
        let layered = Layered {
            settings,
            config,
            untrusted,
        };
        layered.validate()?;
        Ok(layered)
    }

    /// The untrusted keys, for a warning: `require_confirmation, models.coder.endpoint`.
    pub fn untrusted_keys(&self) -> String {
        self.untrusted
            .iter()
            .map(|s| s.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn origin(&self, key: &str) -> Origin {
        self.settings
            .iter()
            .find(|s| s.key == key)
            .map(|s| s.origin.clone())
            .unwrap_or(Origin::Default)
    }

    /// Checks values that are well-typed but make no sense.
    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key: &str, message: &str| ConfigError::Invalid {
            key: key.to_string(),
            origin: self.origin(key),
            message: message.to_string(),
        };
        let c = &self.config;
        if c.memory_budget_mb == 0 {
            return Err(invalid("memory_budget_mb", "must be more than 0"));
        }
        // A time limit becomes a deadline on the clock, which overflows (and panics)
        // long before u64 does.
        let seconds = |key: &str, value: u64| {
            if (1..=MAX_SECONDS).contains(&value) {
                Ok(())
            } else {
                Err(invalid(
                    key,
                    &format!("must be between 1 and {MAX_SECONDS} seconds (a year)"),
                ))
            }
        };
        seconds("shell.timeout_s", c.shell.timeout_s)?;
        if !EDIT_FORMATS.contains(&c.edit.format.as_str()) {
            return Err(invalid(
                "edit.format",
                &format!("must be one of {}", EDIT_FORMATS.join(", ")),
            ));
        }
        if c.edit.retries > 5 {
            return Err(invalid("edit.retries", "must be 5 or fewer"));
        }
        if c.verify.attempts > 5 {
            return Err(invalid("verify.attempts", "must be 5 or fewer"));
        }
        seconds("verify.test_timeout_s", c.verify.test_timeout_s)?;
        seconds("commit_msg.timeout_s", c.commit_msg.timeout_s)?;
        if !COMMIT_MSG_MODES.contains(&c.commit_msg.mode.as_str()) {
            return Err(invalid(
                "commit_msg.mode",
                &format!("must be one of {}", COMMIT_MSG_MODES.join(", ")),
            ));
        }
        if c.commit_msg.max_diff_bytes < 1000 {
            return Err(invalid(
                "commit_msg.max_diff_bytes",
                "must be at least 1000",
            ));
        }
        if c.review.max_file_bytes < 1000 {
            return Err(invalid("review.max_file_bytes", "must be at least 1000"));
        }
        seconds("review.timeout_s", c.review.timeout_s)?;
        if c.review.max_model_requests == 0 {
            return Err(invalid(
                "review.max_model_requests",
                "must be at least 1 (use --static-only to skip the model)",
            ));
        }
        for (key, value) in [
            ("router.rules_confident", c.router.rules_confident),
            ("router.threshold", c.router.threshold),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(invalid(key, "must be between 0 and 1"));
            }
        }
        seconds("daemon.idle_exit_s", c.daemon.idle_exit_s)?;
        for (name, role) in c.models.roles() {
            if role.context_size < 64 {
                return Err(invalid(
                    &format!("models.{name}.context_size"),
                    "must be at least 64 tokens",
                ));
            }
            if role.max_tokens == 0 {
                return Err(invalid(
                    &format!("models.{name}.max_tokens"),
                    "must be more than 0",
                ));
            }
            seconds(&format!("models.{name}.timeout_s"), role.timeout_s)?;
            let endpoint = role.endpoint.trim();
            let is_url = endpoint.starts_with("http://") || endpoint.starts_with("https://");
            if !endpoint.is_empty() && !is_url {
                return Err(invalid(
                    &format!("models.{name}.endpoint"),
                    "must be an http:// or https:// URL, like http://127.0.0.1:8080/v1",
                ));
            }
        }
        Ok(())
    }
}

impl Models {
    fn roles_mut(&mut self) -> [(&'static str, &mut Role); 3] {
        [
            ("router", &mut self.router),
            ("coder", &mut self.coder),
            ("algorithm", &mut self.algorithm),
        ]
    }

    pub fn roles(&self) -> [(&'static str, &Role); 3] {
        [
            ("router", &self.router),
            ("coder", &self.coder),
            ("algorithm", &self.algorithm),
        ]
    }
}

/// The environment variable that sets a dotted key.
pub fn env_name(key: &str) -> String {
    format!("CODEY_{}", key.replace('.', "_").to_ascii_uppercase())
}

fn flatten(table: &Table, prefix: &str, out: &mut Vec<Setting>) {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            Value::Table(inner) => flatten(inner, &key, out),
            other => out.push(Setting {
                key,
                value: other.clone(),
                origin: Origin::Default,
            }),
        }
    }
}

fn insert_dotted(root: &mut Table, key: &str, value: Value) {
    let mut table = root;
    let mut parts = key.split('.').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            table.insert(part.to_string(), value);
            return;
        }
        let entry = table
            .entry(part.to_string())
            .or_insert_with(|| Value::Table(Table::new()));
        table = match entry {
            Value::Table(t) => t,
            _ => unreachable!("the built-in layer fixes which keys are tables"),
        };
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true or false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

fn de_type_name(value: &toml::de::DeValue<'_>) -> &'static str {
    use toml::de::DeValue;
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// Whether the user trusts the repository's file as it is now.
fn trusted(sources: &Sources, path: &Path, text: &str) -> Result<bool, ConfigError> {
    let Some(store) = &sources.trust_file else {
        return Ok(false);
    };
    let store = trust::TrustStore::load(store)?;
    Ok(store.trusts(path, text.as_bytes()))
}

/// Checks one file against the built-in keys and overlays its values.
fn apply_file(settings: &mut [Setting], path: &Path, text: &str) -> Result<(), ConfigError> {
    let file_error = |offset: usize, message: String| ConfigError::File {
        path: path.to_path_buf(),
        line: line_of(text, offset),
        message,
    };
    let spanned = toml::de::DeTable::parse(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        file_error(offset, e.message().trim().to_string())
    })?;
    let values: Table = text
        .parse()
        .map_err(|e: toml::de::Error| file_error(0, e.message().trim().to_string()))?;

    let mut found = Vec::new();
    walk(spanned.get_ref(), "", &mut found);
    for (key, offset, kind, is_table) in found {
        let known_prefix = settings
            .iter()
            .any(|s| s.key.starts_with(&format!("{key}.")));
        let Some(setting) = settings.iter_mut().find(|s| s.key == key) else {
            if is_table && known_prefix {
                continue;
            }
            let hint = closest_key(settings, &key)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            return Err(file_error(offset, format!("unknown key `{key}`{hint}")));
        };
        let value = lookup(&values, &key).expect("a key found by the span walk has a value");
        // `threshold = 1` means 1.0.
        let widened = match (value, &setting.value) {
            (Value::Integer(i), Value::Float(_)) => Some(Value::Float(*i as f64)),
            _ => None,
        };
        let value = widened.as_ref().unwrap_or(value);
        let expected = type_name(&setting.value);
        if type_name(value) != expected {
            return Err(file_error(
                offset,
                format!("`{key}` must be {expected}, not {kind}"),
            ));
        }
        if let (Value::Integer(i), Value::Integer(_)) = (value, &setting.value)
            && *i < 0
        {
            return Err(file_error(offset, format!("`{key}` cannot be negative")));
        }
        if let Value::Array(items) = value
            && items.iter().any(|v| !v.is_str())
        {
            return Err(file_error(
                offset,
                format!("`{key}` must be a list of strings"),
            ));
        }
        setting.value = value.clone();
        setting.origin = Origin::File {
            path: path.to_path_buf(),
            line: line_of(text, offset),
        };
    }
    Ok(())
}

/// Every key of a parsed file with its byte offset, its type and whether it is a table.
fn walk(
    table: &toml::de::DeTable<'_>,
    prefix: &str,
    out: &mut Vec<(String, usize, &'static str, bool)>,
) {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.get_ref().to_string()
        } else {
            format!("{prefix}.{}", name.get_ref())
        };
        let offset = name.span().start;
        match value.get_ref() {
            toml::de::DeValue::Table(inner) => {
                out.push((key.clone(), offset, "a table", true));
                walk(inner, &key, out);
            }
            other => out.push((key, offset, de_type_name(other), false)),
        }
    }
}

fn lookup<'a>(table: &'a Table, key: &str) -> Option<&'a Value> {
    let mut parts = key.split('.');
    let mut value = table.get(parts.next()?)?;
    for part in parts {
        value = value.as_table()?.get(part)?;
    }
    Some(value)
}

/// A known key that differs from an unknown one by a small edit, for the error message.
fn closest_key<'a>(settings: &'a [Setting], key: &str) -> Option<&'a str> {
    settings
        .iter()
        .map(|s| (edit_distance(&s.key, key), s.key.as_str()))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Overlays `CODEY_*` variables: first `CODEY_ENDPOINT` / `CODEY_MODEL` for every role,
/// then each key's own variable, which is more specific and so wins.
fn apply_env(
    settings: &mut [Setting],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ConfigError> {
    for (global, field) in [("CODEY_ENDPOINT", "endpoint"), ("CODEY_MODEL", "model")] {
        if let Some(value) = env(global) {
            for role in ROLES {
                let key = format!("models.{role}.{field}");
                if let Some(s) = settings.iter_mut().find(|s| s.key == key) {
                    s.value = Value::String(value.clone());
                    s.origin = Origin::Env(global.to_string());
                }
            }
        }
    }
    for setting in settings.iter_mut() {
        let name = env_name(&setting.key);
        let Some(raw) = env(&name) else { continue };
        let err = |message: String| ConfigError::Env {
            name: name.clone(),
            message,
        };
        setting.value = match &setting.value {
            Value::String(_) => Value::String(raw),
            Value::Integer(_) => Value::Integer(
                raw.trim()
                    .parse::<u32>()
                    .map(i64::from)
                    .or_else(|_| {
                        raw.trim()
                            .parse::<i64>()
                            .map_err(|_| ())
                            .and_then(|v| if v >= 0 { Ok(v) } else { Err(()) })
                    })
                    .map_err(|()| err(format!("expected a whole number ≥ 0, got `{raw}`")))?,
            ),
            Value::Float(_) => Value::Float(
                raw.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| err(format!("expected a number, got `{raw}`")))?,
            ),
            Value::Boolean(_) => Value::Boolean(match raw.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                _ => return Err(err(format!("expected true or false, got `{raw}`"))),
            }),
            Value::Array(_) => Value::Array(
                raw.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            ),
            other => unreachable!("the built-in layer has no {} values", type_name(other)),
        };
        setting.origin = Origin::Env(name);
    }
    Ok(())
}

impl Config {
    /// The models directory with `~` expanded.
    pub fn models_dir(&self) -> PathBuf {
        expand_home(&self.models_dir)
    }
}

pub fn expand_home(path: &str) -> PathBuf {
    match (
        path.strip_prefix("~/").or((path == "~").then_some("")),
        home_dir(),
    ) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(c.commit_msg.mode, "live");
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
