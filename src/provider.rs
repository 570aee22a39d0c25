//! Where a role's model comes from, for every user of a model (edits, questions,
//! review, commit messages and the router): the resident service when it answers (or
//! can be started), else loaded in this process, at most once per run and within the
//! memory budget. It prints nothing: what it is doing (loading, giving up on the
//! service) goes to an observer the presentation layer supplies.

use crate::config::RoleName;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::daemon::client::{Client, Event, ensure};
use crate::daemon::protocol::LocalModel;
use crate::llm::{self, Backend, Completion, LlmError, RoleModel, Source, gguf, pool::Pool};
use crate::route::model::{Call, ModelRouter};

/// What the provider is doing, for a spinner or a warning.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// A model starts loading: in this process, or into the service (`service`).
    Loading {
        role: &'static str,
        model: String,
        service: bool,
    },
    /// The model that was loading is ready (or failed): the spinner can go.
    Ready,
    /// Something the user should know, that does not stop the run.
    Warning(String),
}

/// Receives notices; `Send` so that a model kept in the pool can carry it.
pub type Observer = Arc<dyn Fn(Notice) + Send + Sync>;

/// An observer that ignores everything (for `--json` and quiet callers).
pub fn quiet() -> Observer {
    Arc::new(|_| {})
}

/// A loaded model, shared through the pool.
pub type Loaded = Arc<Mutex<Box<dyn Backend>>>;

/// The models one run has loaded, and how to find more.
pub struct Provider {
    config: Config,
    pool: Pool<Box<dyn Backend>>,
}

impl Provider {
    pub fn new(config: &Config) -> Self {
        Provider {
            config: config.clone(),
            pool: Pool::new(config.memory_budget_mb),
        }
    }

    /// A role's model, through the service when it answers (the model then stays
    /// loaded for the next command), else loaded here. The error is a sentence saying
    /// what to do.
    pub fn backend(&self, role: &RoleModel, observe: &Observer) -> Result<Loaded, String> {
        let checked = match llm::check(role) {
            Ok(checked) => checked,
            Err(LlmError::BadModel(gguf::GgufError::Missing { path })) => {
                return Err(format!(
                    "the {0} model is missing: no file at {1}; run `git codey models pull {0}`, or set models.{0}.path (CODEY_MODELS_{2}_PATH)",
                    role.role,
                    path.display(),
                    role.role.as_str().to_ascii_uppercase()
                ));
            }
            Err(e) => return Err(format!("the {} model could not be loaded: {e}", role.role)),
        };
        let failed =
            |e: &dyn std::fmt::Display| format!("the {} model could not be loaded: {e}", role.role);
        // Checked first either way, so that a missing or damaged file reads the same.
        if let Some(hosted) = Hosted::connect(role, &self.config, observe.clone()) {
            return self
                .pool
                .get(role.role.as_str(), 0, false, || {
                    Ok::<_, LlmError>(Box::new(hosted) as Box<dyn Backend>)
                })
                .map_err(|e| failed(&e));
        }
        if let Some(loaded) = self.pool.lookup(role.role.as_str()) {
            return Ok(loaded);
        }
        observe(Notice::Loading {
            role: role.role.as_str(),
            model: role.describe(),
            service: false,
        });
        let loaded = self
            .pool
            .get(role.role.as_str(), checked.estimated_bytes(), false, || {
                checked.load()
            });
        observe(Notice::Ready);
        loaded.map_err(|e| failed(&e))
    }
}

/// A role's model hosted by the service, so that it stays loaded (and its last prompt
/// evaluated) from one command to the next; loaded here instead when the service
/// cannot serve it.
struct Hosted {
    role: RoleModel,
    client: Option<Client>,
    here: Option<Box<dyn Backend>>,
    observe: Observer,
}

impl Hosted {
    /// The role's model through the service, when the role is a local file and the
    /// service answers (or is started, if `daemon.autostart`); `None` otherwise.
    fn connect(role: &RoleModel, config: &Config, observe: Observer) -> Option<Self> {
        LocalModel::of(role)?;
        Some(Hosted {
            role: role.clone(),
            client: Some(ensure(config)?),
            here: None,
            observe,
        })
    }
}

impl Backend for Hosted {
    fn describe(&self) -> String {
        self.role.describe()
    }

    fn complete(
        &mut self,
        request: &llm::Request,
        sink: &mut dyn FnMut(&str),
    ) -> Result<Completion, LlmError> {
        if let Some(client) = &mut self.client {
            let (role, observe) = (self.role.role.as_str(), &self.observe);
            let mut loading = false;
            let answer = client.complete(&self.role, request, &mut |event| match event {
                Event::Loading(file) => {
                    loading = true;
                    observe(Notice::Loading {
                        role,
                        model: file.to_string(),
                        service: true,
                    });
                }
                Event::Piece(piece) => {
                    if std::mem::take(&mut loading) {
                        observe(Notice::Ready);
                    }
                    sink(piece);
                }
            });
            if loading {
                observe(Notice::Ready);
            }
            match answer {
                Ok(result) => return result,
                // Nothing was said yet: the model loaded here says it instead.
                Err(_) => self.client = None,
            }
        }
        let here = match &mut self.here {
            Some(here) => here,
            None => self.here.insert(llm::check(&self.role)?.load()?),
        };
        here.complete(request, sink)
    }
}

/// The environment variable that turns the router model off.
pub const NO_ROUTER_MODEL: &str = "CODEY_NO_ROUTER_MODEL";

enum RouterState {
    NotYet,
    Service(Client),
    InProcess(Box<ModelRouter>),
    Failed,
}

/// A model that routes, found when a request first needs it: the service when it
/// answers (or could be started), else loaded in this process.
pub struct RouterModel {
    role: RoleModel,
    cache_dir: PathBuf,
    state: RouterState,
    config: Config,
    observe: Observer,
    /// Whether this is the coder asked for a second opinion: its absence is not worth
    /// a warning (the router's answer stands), and a failure is said in its name.
    second: bool,
}

impl RouterModel {
    /// The router model the configuration asks for, or `None` when routing is by rules
    /// alone: turned off, or served by a server (routing needs token probabilities).
    /// A missing file is found out, and said, when a request first needs it.
    pub fn from_config(config: &Config, observe: Observer) -> Option<Self> {
        Self::of_role(config, RoleName::Router, observe, false)
    }

    /// The coder model, asked about a request that neither the rules nor the router
    /// model could place (`router.coder_when_unsure`): an instruction-tuned model that
    /// reads many languages. `None` when routing is by rules alone, when the setting
    /// is off, or when the coder is served by a server.
    pub fn second_opinion(config: &Config, observe: Observer) -> Option<Self> {
        if !config.router.coder_when_unsure {
            return None;
        }
        Self::of_role(config, RoleName::Coder, observe, true)
    }

    fn of_role(config: &Config, name: RoleName, observe: Observer, second: bool) -> Option<Self> {
        let off = std::env::var(NO_ROUTER_MODEL).is_ok_and(|v| !v.is_empty() && v != "0");
        if off || !config.router.model {
            return None;
        }
        let role = llm::role(config, name);
        if !matches!(role.source, Source::Local { .. }) {
            return None;
        }
        Some(RouterModel {
            role,
            cache_dir: crate::config::cache_dir(),
            state: RouterState::NotYet,
            config: config.clone(),
            observe,
            second,
        })
    }

    /// Finds the model: the service when it answers (or could be started), else loaded
    /// in this process. A missing file is said once, and neither is tried.
    fn ensure_loaded(&mut self) {
        if !matches!(self.state, RouterState::NotYet) {
            return;
        }
        if let Source::Local { path } = &self.role.source
            && !path.is_file()
        {
            if !self.second {
                (self.observe)(Notice::Warning(format!(
                    "the router model is missing (no file at {}): routing with rules alone; run `git codey models pull router`, or set {NO_ROUTER_MODEL}=1 to route with rules and silence this",
                    path.display()
                )));
            }
            self.state = RouterState::Failed;
            return;
        }
        if let Some(client) = ensure(&self.config) {
            self.state = RouterState::Service(client);
        }
        self.load_here();
    }

    /// Loads the model in this process, unless the service or an earlier load has it.
    fn load_here(&mut self) {
        if matches!(self.state, RouterState::NotYet) {
            if self.second
                && let Source::Local { path } = &self.role.source
            {
                (self.observe)(Notice::Loading {
                    role: "coder",
                    model: path.display().to_string(),
                    service: false,
                });
            }
            let loaded = ModelRouter::load(&self.role, &self.cache_dir);
            if self.second {
                (self.observe)(Notice::Ready);
            }
            self.state = match loaded {
                Ok(router) => {
                    if router.bank_unread().is_some() {
                        (self.observe)(Notice::Warning(
                            "the router model has not read its labelled requests yet (once per model, about a minute), so it routes less surely: run `git codey models pull router` to read them now; the model service reads them by itself".into(),
                        ));
                    }
                    RouterState::InProcess(Box::new(router))
                }
                Err(e) => {
                    let (which, without) = if self.second {
                        ("coder", "the router's answer stands")
                    } else {
                        ("router", "routing with rules alone")
                    };
                    (self.observe)(Notice::Warning(format!(
                        "the {which} model could not be loaded for routing ({e}): {without}"
                    )));
                    RouterState::Failed
                }
            };
        }
    }
}

impl crate::route::Consult for RouterModel {
    fn consult(&mut self, request: &str, min_confidence: f32) -> Result<Call, String> {
        self.ensure_loaded();
        if let RouterState::Service(client) = &mut self.state {
            match client.route(&self.role, &[request.to_string()], min_confidence) {
                Ok(mut calls) if calls.len() == 1 => return calls.remove(0),
                // The service went away or cannot load the model: carry on here.
                _ => {
                    self.state = RouterState::NotYet;
                    self.load_here();
                }
            }
        }
        match &mut self.state {
            RouterState::InProcess(router) => router
                .call(request, min_confidence)
                .map_err(|e| e.to_string()),
            _ => Err("the router model is not available".into()),
        }
    }
}
