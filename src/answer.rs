//! The question intent: the coder model answers, streamed as it is generated. Nothing
//! is written and nothing runs.

use std::time::Duration;

use crate::config::Role;
use crate::llm::{Message, Request};

const SYSTEM: &str = "You are git-codey, a coding assistant that lives inside the user's git \
repository. Answer the question accurately and concisely. Put code in Markdown code blocks.";

/// The request that asks the model a question.
pub fn request(question: &str, role: &Role) -> Request {
    let mut request = Request::new(vec![Message::system(SYSTEM), Message::user(question)]);
    request.max_tokens = role.max_tokens;
    request.timeout = Duration::from_secs(role.timeout_s);
    request
}
