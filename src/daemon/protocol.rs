//! The wire format: one JSON object per line each way, each carrying the protocol
//! version `"v"`, so that a client and a service from different builds notice instead of
//! misreading each other. Requests are `{"v":1,"op":"status"|"stop"|"route"|"complete",…}`;
//! replies are `{"v":1,"ok":true,…}` or `{"v":1,"ok":false,"error":"<sentence>"}`. A
//! completion is answered by a stream: a `"loading"` line when the model must be loaded
//! first, `{"v":1,"ok":true,"piece":"…"}` lines as the text is generated, then one
//! `"done"` (the completion's figures) or `"failed"` line.

use std::path::PathBuf;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::DaemonError;
use crate::config::Role;
use crate::llm::{self, LlmError, RoleModel, Source};
use crate::route::model::Call;

/// This build of git-codey: its version and a hash of the sources it was built from
/// (see build.rs), so that a rebuilt or reinstalled binary of the same version does not
/// go on talking to a service that runs the old code.
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), " ", env!("CODEY_BUILD_ID"));

/// The version of this format; both sides send it and refuse any other.
pub const PROTOCOL_VERSION: u64 = 1;

/// The operations a client may ask for.
pub const OPS: [&str; 4] = ["status", "stop", "route", "complete"];

/// A local model a request is for, with the settings it is loaded with. It is also what
/// identifies a loaded model: two requests with equal identities share one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LocalModel {
    /// The GGUF file, absolute.
    pub path: PathBuf,
    pub context_size: u32,
    pub threads: u32,
    pub n_gpu_layers: u32,
}

impl LocalModel {
    /// The identity of a role's local model; `None` for a server, which the service
    /// never hosts.
    pub fn of(role: &RoleModel) -> Option<Self> {
        let Source::Local { path } = &role.source else {
            return None;
        };
        Some(LocalModel {
            path: path.clone(),
            context_size: role.settings.context_size,
            threads: role.settings.threads,
            n_gpu_layers: role.settings.n_gpu_layers,
        })
    }

    /// The role to load: `base` (the service's own settings for it, for what a request
    /// does not carry) with this model's file and settings.
    pub fn role(&self, role: crate::config::RoleName, base: &Role) -> RoleModel {
        RoleModel {
            role,
            source: Source::Local {
                path: self.path.clone(),
            },
            settings: Role {
                path: self.path.display().to_string(),
                endpoint: String::new(),
                context_size: self.context_size,
                threads: self.threads,
                n_gpu_layers: self.n_gpu_layers,
                ..base.clone()
            },
        }
    }
}

/// What a client asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Request {
    Status,
    Stop,
    /// The router model's call for each request, in order.
    Route {
        model: LocalModel,
        requests: Vec<String>,
        /// Below this confidence the caller will not use the call, so its parameters
        /// are not written.
        #[serde(default)]
        min_confidence: f32,
    },
    /// A completion from a hosted model (the coder or the algorithm specialist).
    Complete {
        /// The role the model serves, for `status`.
        role: String,
        model: LocalModel,
        request: Completion,
    },
}

/// A chat request as it travels: `llm::Request` without what only the process that
/// made it can hold (cancellation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    /// `[speaker, content]` pairs; speakers are `system`, `user` and `assistant`.
    pub messages: Vec<(String, String)>,
    pub max_tokens: u32,
    pub stop: Vec<String>,
    pub temperature: f32,
    pub seed: u32,
    pub grammar: Option<String>,
    pub json_schema: Option<Value>,
    pub timeout_ms: u64,
}

impl Completion {
    pub fn of(request: &llm::Request) -> Self {
        Completion {
            messages: request
                .messages
                .iter()
                .map(|m| (m.speaker.as_str().to_string(), m.content.clone()))
                .collect(),
            max_tokens: request.max_tokens,
            stop: request.stop.clone(),
            temperature: request.temperature,
            seed: request.seed,
            grammar: request.grammar.clone(),
            json_schema: request.json_schema.clone(),
            timeout_ms: u64::try_from(request.timeout.as_millis()).unwrap_or(u64::MAX),
        }
    }

    /// The request to run; an unknown speaker is an error sentence.
    pub fn request(&self) -> Result<llm::Request, String> {
        let messages = self
            .messages
            .iter()
            .map(|(speaker, content)| match speaker.as_str() {
                "system" => Ok(llm::Message::system(content.clone())),
                "user" => Ok(llm::Message::user(content.clone())),
                "assistant" => Ok(llm::Message::assistant(content.clone())),
                other => Err(format!("unknown speaker {other:?}")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(llm::Request {
            messages,
            max_tokens: self.max_tokens,
            stop: self.stop.clone(),
            temperature: self.temperature,
            seed: self.seed,
            grammar: self.grammar.clone(),
            json_schema: self.json_schema.clone(),
            timeout: Duration::from_millis(self.timeout_ms),
            cancel: None,
        })
    }
}

/// How often the service says it is still working on a completion.
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(2);

/// One line of the reply to `complete`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Streamed {
    /// Before anything else when the model is not loaded yet: its file's name. Loading
    /// may take seconds, which the client should show.
    Loading { loading: String },
    /// Text as it is generated.
    Piece { piece: String },
    /// Sent every `HEARTBEAT` while the service works on the request (loads the model,
    /// waits for it, reads the prompt): silence longer than that means it hangs.
    Waiting { waiting: bool },
    /// The end: the completion's figures (its text came as pieces).
    Done { done: Finished },
    /// The end: why there is no completion.
    Failed { failed: Failure },
}

/// A finished completion, less its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finished {
    /// Whether the model ran out of `max_tokens` rather than ending its reply.
    pub length: bool,
    pub prompt_tokens: usize,
    pub cached_tokens: usize,
    pub completion_tokens: usize,
    pub prompt_ms: f64,
    pub generation_ms: f64,
}

impl Finished {
    pub fn of(c: &llm::Completion) -> Self {
        Finished {
            length: c.finish == llm::backend::Finish::Length,
            prompt_tokens: c.prompt_tokens,
            cached_tokens: c.cached_tokens,
            completion_tokens: c.completion_tokens,
            prompt_ms: c.prompt_time.as_secs_f64() * 1000.0,
            generation_ms: c.generation_time.as_secs_f64() * 1000.0,
        }
    }

    pub fn completion(&self, text: String) -> llm::Completion {
        llm::Completion {
            text,
            finish: if self.length {
                llm::backend::Finish::Length
            } else {
                llm::backend::Finish::Stop
            },
            prompt_tokens: self.prompt_tokens,
            cached_tokens: self.cached_tokens,
            completion_tokens: self.completion_tokens,
            prompt_time: Duration::from_secs_f64(self.prompt_ms / 1000.0),
            generation_time: Duration::from_secs_f64(self.generation_ms / 1000.0),
        }
    }
}

/// Why a hosted model gave no completion: the kinds a caller acts on, and the rest as
/// a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    PromptTooLong { tokens: usize, context: u32 },
    Timeout { ms: u64 },
    Cancelled,
    Other { message: String },
}

impl Failure {
    pub fn of(e: &LlmError) -> Self {
        match e {
            LlmError::PromptTooLong { tokens, context } => Failure::PromptTooLong {
                tokens: *tokens,
                context: *context,
            },
            LlmError::Timeout(t) => Failure::Timeout {
                ms: u64::try_from(t.as_millis()).unwrap_or(u64::MAX),
            },
            LlmError::Cancelled => Failure::Cancelled,
            other => Failure::Other {
                message: other.to_string(),
            },
        }
    }

    pub fn error(self) -> LlmError {
        match self {
            Failure::PromptTooLong { tokens, context } => {
                LlmError::PromptTooLong { tokens, context }
            }
            Failure::Timeout { ms } => LlmError::Timeout(Duration::from_millis(ms)),
            Failure::Cancelled => LlmError::Cancelled,
            Failure::Other { message } => LlmError::Service(message),
        }
    }
}

/// The reply to `status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub pid: u32,
    /// The service's git-codey version; a client of another version stops it.
    pub version: String,
    /// Which build of that version it runs (see `build`); a client of another build
    /// stops it too.
    #[serde(default)]
    pub build: String,
    pub uptime_s: u64,
    pub idle_exit_s: u64,
    /// Requests routed since it started.
    pub requests: u64,
    /// Completions served since it started.
    #[serde(default)]
    pub completions: u64,
    pub models: Vec<LoadedModel>,
}

/// A model the service holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadedModel {
    pub role: String,
    pub path: PathBuf,
    /// How long loading it took.
    pub loaded_ms: u64,
    /// A router reading its labelled requests behind the requests it routes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<Reading>,
}

/// How far a router has come reading its labelled requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub read: usize,
    pub of: usize,
}

/// The reply to `route`: one outcome per request, in the requests' order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Routed {
    pub calls: Vec<Outcome>,
}

/// One request's outcome: the model's call, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Outcome {
    // First, so that a call never reads as an error: a call has no `error` field.
    Failed { error: String },
    Call(Call),
}

/// A reply with nothing to say beyond `"ok": true` (to `stop`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {}

#[derive(Serialize)]
struct Envelope<'a, T> {
    v: u64,
    #[serde(flatten)]
    body: &'a T,
}

#[derive(Serialize)]
struct Reply<'a, T> {
    v: u64,
    ok: bool,
    #[serde(flatten)]
    body: &'a T,
}

#[derive(Serialize)]
struct Refusal<'a> {
    error: &'a str,
}

/// A request as one line, newline included.
pub fn encode_request(request: &Request) -> String {
    line(&Envelope {
        v: PROTOCOL_VERSION,
        body: request,
    })
}

/// A successful reply as one line.
pub fn encode_ok<T: Serialize>(body: &T) -> String {
    line(&Reply {
        v: PROTOCOL_VERSION,
        ok: true,
        body,
    })
}

/// A failure reply as one line.
pub fn encode_error(message: &str) -> String {
    line(&Reply {
        v: PROTOCOL_VERSION,
        ok: false,
        body: &Refusal { error: message },
    })
}

fn line<T: Serialize>(value: &T) -> String {
    let mut text =
        serde_json::to_string(value).expect("protocol messages are plain data and serialize");
    text.push('\n');
    text
}

/// Reads a request line; the error is the sentence to send back.
pub fn decode_request(line: &str) -> Result<Request, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not a JSON line: {e}"))?;
    let Some(object) = value.as_object() else {
        return Err("a request must be a JSON object".into());
    };
    check_version(object.get("v"), "request", "this daemon")?;
    let op = match object.get("op") {
        None => return Err(format!("the request has no \"op\" ({})", OPS.join(", "))),
        Some(Value::String(op)) if OPS.contains(&op.as_str()) => op.clone(),
        Some(other) => {
            return Err(format!(
                "unknown op {other}: this daemon knows {}",
                OPS.join(", ")
            ));
        }
    };
    Request::deserialize(value).map_err(|e| format!("bad {op} request: {e}"))
}

/// Reads a reply line: its body when `"ok"` is true, the service's sentence when false.
pub fn decode_reply<T: DeserializeOwned>(line: &str) -> Result<T, DaemonError> {
    let bad = |message: String| DaemonError::BadReply(message);
    let value: Value = serde_json::from_str(line).map_err(|e| bad(format!("not JSON: {e}")))?;
    let Some(object) = value.as_object() else {
        return Err(bad("not a JSON object".into()));
    };
    check_version(object.get("v"), "daemon", "this git-codey").map_err(bad)?;
    match object.get("ok") {
        Some(Value::Bool(true)) => T::deserialize(value).map_err(|e| bad(e.to_string())),
        Some(Value::Bool(false)) => Err(DaemonError::Refused(
            object
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or("(no reason given)")
                .to_string(),
        )),
        _ => Err(bad("no \"ok\" field".into())),
    }
}

/// Whether `v` is this build's protocol version; the error names both.
fn check_version(v: Option<&Value>, them: &str, us: &str) -> Result<(), String> {
    match v {
        Some(v) if v.as_u64() == Some(PROTOCOL_VERSION) => Ok(()),
        Some(v) => Err(format!(
            "the {them} speaks protocol version {v} and {us} version {PROTOCOL_VERSION}: they come from different builds of git-codey"
        )),
        None => Err(format!(
            "the {them} gave no protocol version \"v\" ({us} speaks version {PROTOCOL_VERSION})"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> LocalModel {
        LocalModel {
            path: "/m/router.gguf".into(),
            context_size: 2048,
            threads: 1,
            n_gpu_layers: 0,
        }
    }

    #[test]
    fn requests_carry_the_version_and_round_trip() {
        let status = encode_request(&Request::Status);
        assert_eq!(status, "{\"v\":1,\"op\":\"status\"}\n");
        let route = Request::Route {
            model: model(),
            requests: vec!["git status".into()],
            min_confidence: 0.3,
        };
        let line = encode_request(&route);
        assert!(
            line.starts_with("{\"v\":1,\"op\":\"route\",\"model\":{"),
            "{line}"
        );
        assert_eq!(decode_request(&line), Ok(route));
        assert_eq!(
            decode_request("{\"op\":\"stop\",\"v\":1}"),
            Ok(Request::Stop)
        );
    }

    #[test]
    fn bad_requests_are_sentences() {
        let err = decode_request("{\"v\":99,\"op\":\"status\"}").expect_err("version");
        assert!(
            err.contains("version 99") && err.contains("version 1"),
            "{err}"
        );
        let err = decode_request("{\"op\":\"status\"}").expect_err("no version");
        assert!(err.contains("no protocol version"), "{err}");
        let err = decode_request("{\"v\":1,\"op\":\"dance\"}").expect_err("op");
        assert!(err.contains("unknown op \"dance\""), "{err}");
        let err = decode_request("{\"v\":1,\"op\":\"route\"}").expect_err("fields");
        assert!(err.starts_with("bad route request"), "{err}");
        assert!(decode_request("status please").is_err());
        assert!(decode_request("[1]").is_err());
    }

    #[test]
    fn replies_decode_to_bodies_or_the_services_sentence() {
        let status = Status {
            pid: 7,
            version: "0.1.0".into(),
            build: "0.1.0 00ff".into(),
            uptime_s: 3,
            idle_exit_s: 900,
            requests: 0,
            completions: 0,
            models: vec![],
        };
        let line = encode_ok(&status);
        assert!(line.starts_with("{\"v\":1,\"ok\":true,\"pid\":7"), "{line}");
        assert_eq!(decode_reply::<Status>(&line).expect("status"), status);
        let err = decode_reply::<Done>(&encode_error("no such model")).expect_err("refused");
        assert!(matches!(err, DaemonError::Refused(m) if m == "no such model"));
        let err = decode_reply::<Done>("{\"v\":2,\"ok\":true}").expect_err("version");
        assert!(matches!(err, DaemonError::BadReply(m) if m.contains("version 2")));
    }

    #[test]
    fn outcomes_are_calls_or_errors() {
        let call = Call {
            function: "git_status".into(),
            args: serde_json::Map::new(),
            confidence: 0.75,
            ms: 40.0,
            nearest: Some("show the log".into()),
        };
        let routed = Routed {
            calls: vec![
                Outcome::Call(call.clone()),
                Outcome::Failed {
                    error: "too long".into(),
                },
            ],
        };
        let back: Routed = decode_reply(&encode_ok(&routed)).expect("routed");
        assert_eq!(back, routed);
    }
}
