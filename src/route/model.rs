//! The router model in-process: FunctionGemma's prompt evaluated once (its KV state kept
//! in memory and in the cache directory), then per request only the request's tokens.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::llm::{LlmError, RoleModel};

/// The function call the router model chose for one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    /// A declared function's name.
    pub function: String,
    pub args: Map<String, Value>,
    /// The model's probability for `function` among the declared functions.
    pub confidence: f32,
    /// Time the model spent on this request.
    pub ms: f64,
}

/// A loaded router model with its prompt evaluated.
pub struct ModelRouter {
    label: String,
}

impl ModelRouter {
    /// Loads the role's model and restores (or evaluates and saves) the prompt's KV
    /// state under `cache_dir`.
    pub fn load(role: &RoleModel, cache_dir: &Path) -> Result<Self, LlmError> {
        let _ = (role, cache_dir);
        Err(LlmError::Setup("the router model is not built yet".into()))
    }

    /// The model's function call for one request.
    pub fn call(&mut self, request: &str) -> Result<Call, LlmError> {
        let _ = request;
        Err(LlmError::Setup("the router model is not built yet".into()))
    }

    /// The model file's name.
    pub fn describe(&self) -> String {
        self.label.clone()
    }
}
