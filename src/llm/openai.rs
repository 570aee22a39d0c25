//! A model served by an OpenAI-compatible server (llama.cpp's server, vLLM, Ollama):
//! `POST {endpoint}/chat/completions` with server-sent events, connect and read time
//! limits, bounded retries with backoff on connection errors and 5xx before anything
//! was streamed, and an API key from an environment variable named in the config.

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::backend::{Backend, Completion, Finish, LlmError, Request, StopFilter};

/// Attempts before giving up on an unreachable or failing server.
const ATTEMPTS: u32 = 3;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub struct OpenAiEngine {
    endpoint: String,
    model: String,
    api_key: Option<String>,
    agent: ureq::Agent,
}

impl OpenAiEngine {
    /// A client for `endpoint` (ending in `/v1`); `timeout` bounds each request.
    pub fn new(endpoint: &str, model: &str, api_key: Option<String>, timeout: Duration) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(CONNECT_TIMEOUT.min(timeout)))
            .timeout_recv_response(Some(timeout))
            .timeout_recv_body(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        OpenAiEngine {
            endpoint: endpoint.trim_end_matches('/').to_string(),
            model: model.to_string(),
            api_key,
            agent,
        }
    }

    fn url(&self) -> String {
        format!("{}/chat/completions", self.endpoint)
    }

    fn body(&self, request: &Request) -> Value {
        let messages: Vec<Value> = request
            .messages
            .iter()
            .map(|m| json!({"role": m.speaker.as_str(), "content": m.content}))
            .collect();
        let mut body = json!({
            "model": self.model,
            "messages": messages,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "seed": request.seed,
            "stream": true,
        });
        if request.temperature == 0.0 {
            // Greedy, and without the default sampler chain some servers apply.
            body["top_k"] = json!(1);
        }
        if !request.stop.is_empty() {
            body["stop"] = json!(request.stop);
        }
        if let Some(schema) = &request.json_schema {
            body["response_format"] = json!({
                "type": "json_schema",
                "json_schema": {"name": "reply", "strict": true, "schema": schema},
            });
        }
        body
    }

    /// Sends the request, retrying connection failures and 5xx answers.
    fn send(&self, request: &Request) -> Result<ureq::http::Response<ureq::Body>, LlmError> {
        let url = self.url();
        let body = self.body(request);
        let mut last_error = String::new();
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(250 << attempt));
            }
            if request.cancelled() {
                return Err(LlmError::Cancelled);
            }
            let call = authorised(
                self.agent.post(&url).header("Accept", "text/event-stream"),
                self.api_key.as_deref(),
            );
            match call.send_json(&body) {
                Ok(response) if response.status().is_server_error() => {
                    last_error = format!("{url} answered {}", response.status());
                }
                Ok(response) if !response.status().is_success() => {
                    let status = response.status();
                    let text = response.into_body().read_to_string().unwrap_or_default();
                    return Err(LlmError::Inference(format!(
                        "{url} answered {status}: {}",
                        snippet(&text)
                    )));
                }
                Ok(response) => return Ok(response),
                Err(ureq::Error::Timeout(_)) => {
                    return Err(LlmError::Inference(format!(
                        "{url} did not answer within the time limit"
                    )));
                }
                Err(e) => last_error = format!("could not reach {url}: {e}"),
            }
        }
        Err(LlmError::Inference(format!(
            "{last_error} (after {ATTEMPTS} attempts); is the server running?"
        )))
    }
}

/// How long asking a server about itself may take: it is a convenience, never a wait.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// The context, in tokens, the server at `endpoint` serves `model` with, where it says:
/// llama.cpp's server (`/props`), vLLM (`max_model_len` in `/v1/models`) or Ollama
/// (`num_ctx` in `/api/show`). `None` when no answer makes sense.
pub fn served_context(endpoint: &str, model: &str, api_key: Option<&str>) -> Option<u32> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(PROBE_TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into();
    let endpoint = endpoint.trim_end_matches('/');
    let base = endpoint.strip_suffix("/v1").unwrap_or(endpoint);
    let json = |response: Result<ureq::http::Response<ureq::Body>, ureq::Error>| -> Option<Value> {
        let response = response.ok().filter(|r| r.status().is_success())?;
        let text = response
            .into_body()
            .with_config()
            .limit(1 << 20)
            .read_to_string()
            .ok()?;
        serde_json::from_str(&text).ok()
    };
    let sane = |n: u64| {
        u32::try_from(n)
            .ok()
            .filter(|n| (64..=16 << 20).contains(n))
    };

    if let Some(props) = json(authorised(agent.get(format!("{base}/props")), api_key).call()) {
        let n_ctx = props["default_generation_settings"]["n_ctx"]
            .as_u64()
            .or_else(|| props["n_ctx"].as_u64());
        if let Some(n) = n_ctx.and_then(sane) {
            return Some(n);
        }
    }
    if let Some(models) = json(authorised(agent.get(format!("{endpoint}/models")), api_key).call())
    {
        let data = models["data"].as_array().cloned().unwrap_or_default();
        let entry = data
            .iter()
            .find(|m| m["id"].as_str() == Some(model))
            .or(if data.len() == 1 { data.first() } else { None });
        if let Some(n) = entry
            .and_then(|m| m["max_model_len"].as_u64())
            .and_then(sane)
        {
            return Some(n);
        }
    }
    let show = json(
        authorised(agent.post(format!("{base}/api/show")), api_key)
            .send_json(json!({"model": model})),
    )?;
    show["parameters"].as_str()?.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some("num_ctx"))
            .then(|| words.next()?.parse().ok())
            .flatten()
            .and_then(sane)
    })
}

/// What a server's event stream carried.
#[derive(Debug)]
pub struct Streamed {
    pub text: String,
    pub finish: Finish,
    pub prompt_tokens: usize,
    /// Content pieces received (a server sends about one per token).
    pub chunks: usize,
}

/// Reads a server's `text/event-stream` answer from `endpoint`: `data:` events until
/// `[DONE]`, a stop sequence or the end, each piece passed to `sink` as it comes.
/// Apart from the clock and the cancel flag it is pure, so it is tested on any bytes.
pub fn read_stream(
    reader: impl BufRead,
    endpoint: &str,
    request: &Request,
    started: Instant,
    sink: &mut dyn FnMut(&str),
) -> Result<Streamed, LlmError> {
    let mut filter = StopFilter::new(&request.stop);
    let mut finish = Finish::Stop;
    let mut chunks = 0;
    let mut usage_prompt = 0;
    let mut saw_data = false;
    // A token is a few bytes; a server that streams far more than the tokens asked for
    // is not answering the request (and would hold the whole reply in memory).
    let limit = (request.max_tokens as usize)
        .saturating_mul(64)
        .max(64 << 10);
    let mut received = 0usize;
    for line in reader.lines() {
        let line = line.map_err(|e| {
            if e.kind() == std::io::ErrorKind::TimedOut {
                LlmError::Timeout(request.timeout)
            } else {
                LlmError::Inference(format!("the stream from {endpoint} broke: {e}"))
            }
        })?;
        if request.cancelled() {
            return Err(LlmError::Cancelled);
        }
        if started.elapsed() > request.timeout {
            return Err(LlmError::Timeout(request.timeout));
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with(':') {
            continue;
        }
        let Some(data) = line.strip_prefix("data:").map(str::trim) else {
            if saw_data {
                continue;
            }
            return Err(LlmError::Inference(format!(
                "{endpoint} did not answer with an OpenAI-compatible stream: {}",
                snippet(line)
            )));
        };
        saw_data = true;
        if data == "[DONE]" {
            break;
        }
        let event: Value = serde_json::from_str(data).map_err(|_| {
            LlmError::Inference(format!(
                "{endpoint} sent an event that is not JSON: {}",
                snippet(data)
            ))
        })?;
        if let Some(message) = event["error"]["message"].as_str() {
            return Err(LlmError::Inference(format!("{endpoint}: {message}")));
        }
        if let Some(n) = event["usage"]["prompt_tokens"].as_u64() {
            usage_prompt = n as usize;
        }
        let choice = &event["choices"][0];
        if let Some(piece) = choice["delta"]["content"].as_str() {
            chunks += 1;
            received += piece.len();
            if received > limit {
                return Err(LlmError::Inference(format!(
                    "{endpoint} sent more than {limit} bytes for a reply of at most {} tokens",
                    request.max_tokens
                )));
            }
            let (shown, stopped) = filter.push(piece);
            if !shown.is_empty() {
                sink(&shown);
            }
            if stopped {
                break;
            }
        }
        match choice["finish_reason"].as_str() {
            Some("length") => finish = Finish::Length,
            Some(_) => finish = Finish::Stop,
            None => {}
        }
    }
    if !saw_data {
        return Err(LlmError::Inference(format!(
            "{endpoint} closed the connection without answering"
        )));
    }
    Ok(Streamed {
        text: filter.finish(sink),
        finish,
        prompt_tokens: usage_prompt,
        chunks,
    })
}

fn authorised<B>(call: ureq::RequestBuilder<B>, api_key: Option<&str>) -> ureq::RequestBuilder<B> {
    match api_key {
        Some(key) => call.header("Authorization", format!("Bearer {key}")),
        None => call,
    }
}

/// The start of a server's answer, for an error message.
fn snippet(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_string(),
    }
}

impl Backend for OpenAiEngine {
    fn describe(&self) -> String {
        format!("{} at {}", self.model, self.endpoint)
    }

    fn complete(
        &mut self,
        request: &Request,
        sink: &mut dyn FnMut(&str),
    ) -> Result<Completion, LlmError> {
        let started = Instant::now();
        let response = self.send(request)?;
        let prompt_time = started.elapsed();
        let reader = BufReader::new(response.into_body().into_reader());
        let streamed = read_stream(reader, &self.endpoint, request, started, sink)?;
        Ok(Completion {
            text: streamed.text,
            finish: streamed.finish,
            prompt_tokens: streamed.prompt_tokens,
            cached_tokens: 0,
            completion_tokens: streamed.chunks,
            prompt_time,
            generation_time: started.elapsed() - prompt_time,
        })
    }
}
