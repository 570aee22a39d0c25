//! Where the router model's answers come from: the resident service when it runs (or
//! can be started), else the model loaded in this process — at most once, and only
//! when a request first needs it.

use std::path::PathBuf;

use super::model::{Call, ModelRouter};
use crate::config::Config;
use crate::llm::{RoleModel, Source};

/// The environment variable that turns the router model off.
pub const NO_ROUTER_MODEL: &str = "CODEY_NO_ROUTER_MODEL";

enum State {
    NotYet,
    Service(crate::daemon::client::Client),
    InProcess(Box<ModelRouter>),
    Failed,
}

/// The router model, loaded on first use.
pub struct Lazy {
    role: RoleModel,
    cache_dir: PathBuf,
    state: State,
    /// The configuration, for finding or starting the service.
    config: Config,
}

impl Lazy {
    /// The router model the configuration asks for, or `None` when routing is by rules
    /// alone: turned off, or served by a server (routing needs token probabilities).
    /// A missing file is found out, and warned about, when a request first needs it.
    pub fn from_config(config: &Config) -> Option<Self> {
        let off = std::env::var(NO_ROUTER_MODEL).is_ok_and(|v| !v.is_empty() && v != "0");
        if off || !config.router.model {
            return None;
        }
        let role = crate::llm::role(config, "router");
        if !matches!(role.source, Source::Local { .. }) {
            return None;
        }
        Some(Lazy {
            role,
            cache_dir: crate::config::cache_dir(),
            state: State::NotYet,
            config: config.clone(),
        })
    }

    /// Finds the model: the service when it answers (or could be started), else loaded
    /// in this process. A missing file is said once, and neither is tried.
    fn ensure_loaded(&mut self) {
        if !matches!(self.state, State::NotYet) {
            return;
        }
        if let Source::Local { path } = &self.role.source
            && !path.is_file()
        {
            crate::ui::warn(&format!(
                "the router model is missing (no file at {}): routing with rules alone; run `git codey models pull router`, or set {NO_ROUTER_MODEL}=1 to route with rules and silence this",
                path.display()
            ));
            self.state = State::Failed;
            return;
        }
        if let Some(client) = crate::daemon::client::ensure(&self.config) {
            self.state = State::Service(client);
        }
        self.load_here();
    }

    /// Loads the model in this process, unless the service or an earlier load has it.
    fn load_here(&mut self) {
        if matches!(self.state, State::NotYet) {
            self.state = match ModelRouter::load(&self.role, &self.cache_dir) {
                Ok(router) => State::InProcess(Box::new(router)),
                Err(e) => {
                    crate::ui::warn(&format!(
                        "the router model could not be loaded ({e}): routing with rules alone"
                    ));
                    State::Failed
                }
            };
        }
    }

    /// The model's call for one request; one below `min_confidence` comes without its
    /// parameters (it will not be used).
    pub fn consult(&mut self, request: &str, min_confidence: f32) -> Result<Call, String> {
        self.ensure_loaded();
        if let State::Service(client) = &mut self.state {
            match client.route(&self.role, &[request.to_string()], min_confidence) {
                Ok(mut calls) if calls.len() == 1 => return calls.remove(0),
                // The service went away or cannot load the model: carry on here.
                _ => {
                    self.state = State::NotYet;
                    self.load_here();
                }
            }
        }
        match &mut self.state {
            State::InProcess(router) => router
                .call(request, min_confidence)
                .map_err(|e| e.to_string()),
            _ => Err("the router model is not available".into()),
        }
    }
}
