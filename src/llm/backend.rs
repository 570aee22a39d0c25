//! The one interface everything that talks to a model uses: chat messages in, text
//! streamed to a sink, a `Completion` out. Implemented in-process by `llama` (and by an
//! OpenAI-compatible server client).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Who said a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    System,
    User,
    Assistant,
}

impl Speaker {
    pub fn as_str(self) -> &'static str {
        match self {
            Speaker::System => "system",
            Speaker::User => "user",
            Speaker::Assistant => "assistant",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub speaker: Speaker,
    pub content: String,
}

impl Message {
    pub fn system(content: impl Into<String>) -> Self {
        Message {
            speaker: Speaker::System,
            content: content.into(),
        }
    }

    pub fn user(content: impl Into<String>) -> Self {
        Message {
            speaker: Speaker::User,
            content: content.into(),
        }
    }

    pub fn assistant(content: impl Into<String>) -> Self {
        Message {
            speaker: Speaker::Assistant,
            content: content.into(),
        }
    }
}

/// One request to a model.
#[derive(Debug, Clone)]
pub struct Request {
    pub messages: Vec<Message>,
    pub max_tokens: u32,
    /// Generation stops before any of these strings, which are not returned.
    pub stop: Vec<String>,
    /// 0 is greedy decoding (the default for code).
    pub temperature: f32,
    pub seed: u32,
    /// A GBNF grammar the reply must follow (local models only).
    pub grammar: Option<String>,
    /// A JSON schema the reply must follow: a grammar for local models, a
    /// `response_format` for servers.
    pub json_schema: Option<serde_json::Value>,
    pub timeout: Duration,
    /// Set by someone else to stop generation (the model service, when the client that
    /// asked has gone); Ctrl-C stops it too.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Request {
    pub fn new(messages: Vec<Message>) -> Self {
        Request {
            messages,
            max_tokens: 512,
            stop: Vec::new(),
            temperature: 0.0,
            seed: 0,
            grammar: None,
            json_schema: None,
            timeout: Duration::from_secs(300),
            cancel: None,
        }
    }

    /// Whether generation should stop now: Ctrl-C, or `cancel` set.
    pub fn cancelled(&self) -> bool {
        crate::interrupt::requested()
            || self
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

/// Why generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// The model ended its reply, or a stop sequence came.
    Stop,
    /// `max_tokens` was reached.
    Length,
}

/// A finished reply.
#[derive(Debug, Clone)]
pub struct Completion {
    pub text: String,
    pub finish: Finish,
    pub prompt_tokens: usize,
    /// Prompt tokens whose keys and values were kept from the previous request rather
    /// than evaluated again.
    pub cached_tokens: usize,
    pub completion_tokens: usize,
    /// Time spent evaluating the prompt (the part not reused), and generating the reply.
    pub prompt_time: Duration,
    pub generation_time: Duration,
}

/// Why a model could not answer.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error(transparent)]
    BadModel(#[from] super::gguf::GgufError),
    #[error("llama.cpp could not load {path}: {reason}")]
    Load { path: String, reason: String },
    #[error("could not set up inference: {0}")]
    Setup(String),
    #[error(
        "the prompt has {tokens} tokens, more than the context of {context} allows with room to answer"
    )]
    PromptTooLong { tokens: usize, context: u32 },
    #[error("inference failed: {0}")]
    Inference(String),
    #[error("the model took longer than {0:?} and was stopped")]
    Timeout(Duration),
    #[error("cancelled")]
    Cancelled,
    /// What the model service said went wrong.
    #[error("the model service: {0}")]
    Service(String),
}

/// A model that answers chat requests.
pub trait Backend {
    /// What serves the requests, for messages: a file name or an endpoint.
    fn describe(&self) -> String;

    /// Answers `request`, calling `sink` with each piece of text as it is generated.
    fn complete(
        &mut self,
        request: &Request,
        sink: &mut dyn FnMut(&str),
    ) -> Result<Completion, LlmError>;
}

/// Holds back text that could be the start of a stop sequence, so that a stop
/// sequence is never streamed, even when it arrives across several tokens.
#[derive(Debug, Default)]
pub struct StopFilter {
    stops: Vec<String>,
    held: String,
    /// Everything released so far.
    pub text: String,
}

impl StopFilter {
    pub fn new(stops: &[String]) -> Self {
        StopFilter {
            stops: stops.iter().filter(|s| !s.is_empty()).cloned().collect(),
            ..Default::default()
        }
    }

    /// Adds generated text; returns the part that is safe to show now, and whether a
    /// stop sequence ended the reply.
    pub fn push(&mut self, piece: &str) -> (String, bool) {
        self.held.push_str(piece);
        if let Some(at) = self
            .stops
            .iter()
            .filter_map(|s| self.held.find(s.as_str()))
            .min()
        {
            let out = self.held[..at].to_string();
            self.held.clear();
            self.text.push_str(&out);
            return (out, true);
        }
        // Keep the longest tail that is a prefix of some stop sequence.
        let keep = self
            .stops
            .iter()
            .flat_map(|s| {
                (1..s.len())
                    .filter(|n| s.is_char_boundary(*n))
                    .map(move |n| &s[..n])
            })
            .filter(|prefix| self.held.ends_with(prefix))
            .map(str::len)
            .max()
            .unwrap_or(0);
        let cut = self.held.len() - keep;
        let out = self.held[..cut].to_string();
        self.held.drain(..cut);
        self.text.push_str(&out);
        (out, false)
    }

    /// Releases what was held back at the end of generation to `sink`, and returns
    /// the whole reply.
    pub fn finish(mut self, sink: &mut dyn FnMut(&str)) -> String {
        let rest = std::mem::take(&mut self.held);
        if !rest.is_empty() {
            sink(&rest);
            self.text.push_str(&rest);
        }
        self.text
    }
}

/// Turns token bytes into text without splitting a character that spans tokens.
#[derive(Debug, Default)]
pub struct Utf8Stream {
    pending: Vec<u8>,
}

impl Utf8Stream {
    pub fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        match std::str::from_utf8(&self.pending) {
            Ok(s) => {
                let out = s.to_string();
                self.pending.clear();
                out
            }
            Err(e) if e.error_len().is_none() => {
                // An incomplete character at the end: keep it for the next token.
                let valid = e.valid_up_to();
                let out = String::from_utf8_lossy(&self.pending[..valid]).into_owned();
                self.pending.drain(..valid);
                out
            }
            Err(_) => {
                let out = String::from_utf8_lossy(&self.pending).into_owned();
                self.pending.clear();
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_sequences_are_never_shown_even_across_pieces() {
        let mut f = StopFilter::new(&["</answer>".to_string()]);
        let mut shown = String::new();
        for piece in ["Hello", " world</", "ans", "wer> trailing"] {
            let (out, stop) = f.push(piece);
            shown.push_str(&out);
            if stop {
                break;
            }
        }
        assert_eq!(shown, "Hello world");
        let mut f = StopFilter::new(&["END".to_string()]);
        let (out, stop) = f.push("almost E");
        assert_eq!((out.as_str(), stop), ("almost ", false));
        let mut rest = String::new();
        assert_eq!(f.finish(&mut |r| rest.push_str(r)), "almost E");
        assert_eq!(rest, "E");
    }

    #[test]
    fn characters_split_across_tokens_are_joined() {
        let mut s = Utf8Stream::default();
        let bytes = "é→".as_bytes();
        assert_eq!(s.push(&bytes[..1]), "");
        assert_eq!(s.push(&bytes[1..3]), "é");
        assert_eq!(s.push(&bytes[3..]), "→");
    }
}
