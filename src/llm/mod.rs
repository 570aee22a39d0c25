//! Models: which file or server serves each role, what a GGUF file holds, how much
//! memory a model will take, and the backends that run them.

pub mod backend;
pub mod fetch;
pub mod gguf;
pub mod llama;
pub mod openai;
pub mod pool;

pub use backend::{Backend, Completion, LlmError, Message, Request};

use std::path::{Path, PathBuf};

use crate::config::{Config, Role, RoleName};

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
    pub role: RoleName,
    pub source: Source,
    pub settings: Role,
}

impl RoleModel {
    /// The file name or endpoint that serves the role.
    pub fn describe(&self) -> String {
        match &self.source {
            Source::Local { path } => file_label(path),
            Source::Remote { endpoint, model } => format!("{model} at {endpoint}"),
        }
    }

    /// The memory this role's model needs, from its header and the role's context.
    pub fn estimate(&self, header: &gguf::Header) -> Estimate {
        Estimate::new(header, u64::from(self.settings.context_size))
    }

    /// The API key for a server, from the environment variable the role names.
    pub fn api_key(&self) -> Result<Option<String>, LlmError> {
        let var = self.settings.api_key_env.trim();
        if var.is_empty() {
            return Ok(None);
        }
        std::env::var(var).map(Some).map_err(|_| {
            LlmError::Setup(format!(
                "models.{}.api_key_env names {var}, which is not set",
                self.role
            ))
        })
    }

    /// The context, in tokens, requests to this role may fill: `context_size` when it is
    /// configured or the model is local; for a server, what the server says it serves
    /// (asked once, only when `needed` does not fit the configured size).
    pub fn context_for(&self, needed: usize) -> u32 {
        let configured = self.settings.context_size;
        match &self.source {
            Source::Remote { endpoint, model }
                if !self.settings.context_size_set && needed > configured as usize =>
            {
                let key = self.api_key().ok().flatten();
                openai::served_context(endpoint, model, key.as_deref()).unwrap_or(configured)
            }
            _ => configured,
        }
    }

    /// Whether the role's model can be used: a server is configured, or its file exists.
    pub fn available(&self) -> bool {
        match &self.source {
            Source::Local { path } => path.is_file(),
            Source::Remote { .. } => true,
        }
    }

    pub fn backend(&self) -> &'static str {
        match self.source {
            Source::Local { .. } => "llama",
            Source::Remote { .. } => "openai",
        }
    }
}

/// Every role of the configuration, in order: router, coder, algorithm.
pub fn roles(config: &Config) -> Vec<RoleModel> {
    RoleName::ALL.iter().map(|r| role(config, *r)).collect()
}

/// One role of the configuration and where its model comes from. A relative `path` is
/// looked up in `models_dir`; a non-empty `endpoint` wins over `path`.
pub fn role(config: &Config, role: RoleName) -> RoleModel {
    let settings = config.models.get(role);
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

/// A model file's name, for messages (the whole path if it has no name).
pub fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A role's model, checked before it is loaded: a local file's GGUF header is read
/// once, to size the model for the pool and then to load it.
pub struct Checked<'a> {
    role: &'a RoleModel,
    model: CheckedModel<'a>,
}

enum CheckedModel<'a> {
    Local {
        path: &'a Path,
        header: gguf::Header,
    },
    Remote {
        endpoint: &'a str,
        model: &'a str,
    },
}

/// Checks a role's model: a missing, foreign or damaged file is an error here, before
/// anything is loaded. A server is checked when it is first asked.
pub fn check(role: &RoleModel) -> Result<Checked<'_>, LlmError> {
    let model = match &role.source {
        Source::Local { path } => CheckedModel::Local {
            path,
            header: gguf::Header::read(path)?,
        },
        Source::Remote { endpoint, model } => CheckedModel::Remote { endpoint, model },
    };
    Ok(Checked { role, model })
}

impl Checked<'_> {
    /// The memory the model is expected to need (nothing local for a server).
    pub fn estimated_bytes(&self) -> u64 {
        match &self.model {
            CheckedModel::Local { header, .. } => self.role.estimate(header).total(),
            CheckedModel::Remote { .. } => 0,
        }
    }

    /// Loads the model that serves the role.
    pub fn load(self) -> Result<Box<dyn Backend>, LlmError> {
        let settings = &self.role.settings;
        match self.model {
            CheckedModel::Local { path, header } => {
                let llama_settings = llama::Settings {
                    context_size: settings.context_size,
                    threads: settings.threads,
                    n_gpu_layers: settings.n_gpu_layers,
                };
                Ok(Box::new(llama::LlamaEngine::load_checked(
                    path,
                    &header,
                    llama_settings,
                )?))
            }
            CheckedModel::Remote { endpoint, model } => {
                let api_key = self.role.api_key()?;
                let timeout = std::time::Duration::from_secs(settings.timeout_s);
                Ok(Box::new(openai::OpenAiEngine::new(
                    endpoint, model, api_key, timeout,
                )))
            }
        }
    }
}
