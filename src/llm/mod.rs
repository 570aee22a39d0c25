//! Models: which file or server serves each role, what a GGUF file holds, how much
//! memory a model will take, and the backends that run them.

pub mod backend;
pub mod fetch;
pub mod gguf;
pub mod llama;
pub mod openai;
pub mod pool;

pub use backend::{Backend, Completion, LlmError, Message, Request};

use std::path::PathBuf;

use crate::config::{Config, Role};

/// Where a role's model comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A GGUF file run in-process.
    Local { path: PathBuf },
    /// An OpenAI-compatible server.
    Remote { endpoint: String, model: String },
}

/// One configured role and where its model comes from.
#[derive(Debug, Clone)]
pub struct RoleModel {
    pub role: &'static str,
    pub source: Source,
    pub settings: Role,
}

impl RoleModel {
    /// The file name or endpoint that serves the role.
    pub fn describe(&self) -> String {
        match &self.source {
            Source::Local { path } => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            Source::Remote { endpoint, model } => format!("{model} at {endpoint}"),
        }
    }

    pub fn backend(&self) -> &'static str {
        match self.source {
            Source::Local { .. } => "llama",
            Source::Remote { .. } => "openai",
        }
    }
}

/// Every role of the configuration, in order: router, coder, algorithm. A relative
/// `path` is looked up in `models_dir`; a non-empty `endpoint` wins over `path`.
pub fn roles(config: &Config) -> Vec<RoleModel> {
    config
        .models
        .roles()
        .into_iter()
        .map(|(role, settings)| {
            let source = if settings.endpoint.trim().is_empty() {
                let path = crate::config::expand_home(&settings.path);
                let path = if path.is_absolute() {
                    path
                } else {
                    config.models_dir().join(path)
                };
                Source::Local { path }
            } else {
                Source::Remote {
                    endpoint: settings.endpoint.trim().to_string(),
                    model: settings.model.clone(),
                }
            };
            RoleModel {
                role,
                source,
                settings: settings.clone(),
            }
        })
        .collect()
}

/// How much memory a loaded model is expected to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    /// Tensor data, memory-mapped from the file.
    pub weights: u64,
    /// Keys and values for the configured context (f16).
    pub kv_cache: u64,
    /// Compute buffers and the rest: a margin of 64 MiB plus 5% of the weights.
    pub overhead: u64,
}

impl Estimate {
    pub fn new(header: &gguf::Header, context: u64) -> Self {
        let weights = header.weight_bytes();
        Estimate {
            weights,
            kv_cache: header.kv_cache_bytes(context).unwrap_or(0),
            overhead: (64 << 20) + weights / 20,
        }
    }

    pub fn total(&self) -> u64 {
        self.weights + self.kv_cache + self.overhead
    }
}

/// `1.2 GB`, `98.4 MB`: sizes for people.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "kB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Loads the model that serves a role.
pub fn load(role: &RoleModel) -> Result<Box<dyn Backend>, LlmError> {
    match &role.source {
        Source::Local { path } => {
            let settings = llama::Settings {
                context_size: role.settings.context_size,
                threads: role.settings.threads,
                n_gpu_layers: role.settings.n_gpu_layers,
            };
            Ok(Box::new(llama::LlamaEngine::load(path, settings)?))
        }
        Source::Remote { endpoint, model } => {
            let key_var = role.settings.api_key_env.trim();
            let api_key = if key_var.is_empty() {
                None
            } else {
                Some(std::env::var(key_var).map_err(|_| {
                    LlmError::Setup(format!(
                        "models.{}.api_key_env names {key_var}, which is not set",
                        role.role
                    ))
                })?)
            };
            let timeout = std::time::Duration::from_secs(role.settings.timeout_s);
            Ok(Box::new(openai::OpenAiEngine::new(
                endpoint, model, api_key, timeout,
            )))
        }
    }
}

/// The memory a role's model is expected to need: from its GGUF header for a local
/// file (0 when the header cannot be read: loading will say why), 0 for a server.
pub fn estimated_bytes(role: &RoleModel) -> u64 {
    match &role.source {
        Source::Local { path } => gguf::Header::read(path)
            .map(|h| Estimate::new(&h, u64::from(role.settings.context_size)).total())
            .unwrap_or(0),
        Source::Remote { .. } => 0,
    }
}
