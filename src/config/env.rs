//! `CODEY_*` environment variables: the name each key is set by, and the overlay of
//! their values on the settings (typed as the key's default is).

use toml::Value;

use super::layers::{SWITCHES, type_name};
use super::{ConfigError, Origin, RoleName, Setting};

/// The environment variable that sets a dotted key.
pub fn env_name(key: &str) -> String {
    format!("CODEY_{}", key.replace('.', "_").to_ascii_uppercase())
}

/// Overlays `CODEY_*` variables: first `CODEY_ENDPOINT` / `CODEY_MODEL` for every role,
/// then each key's own variable, which is more specific and so wins.
pub(super) fn apply_env(
    settings: &mut [Setting],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ConfigError> {
    for (global, field) in [("CODEY_ENDPOINT", "endpoint"), ("CODEY_MODEL", "model")] {
        if let Some(value) = env(global) {
            for role in RoleName::ALL {
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
            // A word that may be on or off takes what any boolean variable takes.
            Value::String(_) if SWITCHES.contains(&setting.key.as_str()) => {
                Value::String(match switch(&raw) {
                    Some(true) => "on".to_string(),
                    Some(false) => "off".to_string(),
                    None => raw.trim().to_ascii_lowercase(),
                })
            }
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
            Value::Boolean(_) => Value::Boolean(
                switch(&raw).ok_or_else(|| err(format!("expected true or false, got `{raw}`")))?,
            ),
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

/// What a variable that switches something says: on, off, or neither.
fn switch(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}
