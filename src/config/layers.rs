//! The layers and where every value came from: the built-in file, the user's file, the
//! repository's file (whose safety-lowering keys wait for trust), the environment;
//! read as settings with their origin, then merged into the typed `Config`.

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::env::apply_env;
use super::{BUILTIN, CommitMode, Config, EditFormat, Examples, home_dir};

/// Keys whose value is a word that a file may also give as a boolean (on or off).
pub(super) const SWITCHES: &[&str] = &["verify.examples"];

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
    Trust(#[from] super::trust::TrustError),
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
            trust_file: dir.as_deref().map(super::trust::store_path),
            repo_file: repo_root.map(|r| r.join("codey.toml")),
        }
    }
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
                    super::trust::needs_trust(&settings[k].key, &below[k].value, &settings[k].value)
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

        // Keys with a fixed set of names are checked here, where each value still knows
        // its file and line: the typed configuration below cannot say where.
        for (key, names) in [
            ("edit.format", EditFormat::NAMES),
            ("commit_msg.mode", CommitMode::NAMES),
            ("verify.examples", Examples::NAMES),
        ] {
            if let Some(s) = settings.iter().find(|s| s.key == key)
                && !s.value.as_str().is_some_and(|v| names.contains(&v))
            {
                return Err(ConfigError::Invalid {
                    key: key.to_string(),
                    origin: s.origin.clone(),
                    message: format!("must be one of {}", names.join(", ")),
                });
            }
        }
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
            let key = format!("models.{name}.context_size");
            role.context_size_set = settings
                .iter()
                .any(|s| s.key == key && s.origin != Origin::Default);
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

    pub(super) fn origin(&self, key: &str) -> Origin {
        self.settings
            .iter()
            .find(|s| s.key == key)
            .map(|s| s.origin.clone())
            .unwrap_or(Origin::Default)
    }
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

pub(super) fn type_name(value: &Value) -> &'static str {
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
    let store = super::trust::TrustStore::load(store)?;
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
        // `examples = true` means "on".
        let widened = match (value, &setting.value) {
            (Value::Integer(i), Value::Float(_)) => Some(Value::Float(*i as f64)),
            (Value::Boolean(b), Value::String(_)) if SWITCHES.contains(&key.as_str()) => {
                Some(Value::String(b.to_string()))
            }
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
        .map(|s| (strsim::levenshtein(&s.key, key), s.key.as_str()))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}
