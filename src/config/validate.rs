//! The checks a merged configuration must pass, each naming the key and where its
//! value came from.

use super::{ConfigError, Layered, MAX_SECONDS};

impl Layered {
    /// Checks values that are well-typed but make no sense.
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key: &str, message: &str| ConfigError::Invalid {
            key: key.to_string(),
            origin: self.origin(key),
            message: message.to_string(),
        };
        let c = &self.config;
        if c.memory_budget_mb == 0 {
            return Err(invalid("memory_budget_mb", "must be more than 0"));
        }
        // A time limit becomes a deadline on the clock, which overflows (and panics)
        // long before u64 does.
        let seconds = |key: &str, value: u64| {
            if (1..=MAX_SECONDS).contains(&value) {
                Ok(())
            } else {
                Err(invalid(
                    key,
                    &format!("must be between 1 and {MAX_SECONDS} seconds (a year)"),
                ))
            }
        };
        seconds("shell.timeout_s", c.shell.timeout_s)?;
        if c.edit.retries > 5 {
            return Err(invalid("edit.retries", "must be 5 or fewer"));
        }
        if c.verify.attempts > 5 {
            return Err(invalid("verify.attempts", "must be 5 or fewer"));
        }
        seconds("verify.test_timeout_s", c.verify.test_timeout_s)?;
        seconds("commit_msg.timeout_s", c.commit_msg.timeout_s)?;
        if c.commit_msg.max_diff_bytes < 1000 {
            return Err(invalid(
                "commit_msg.max_diff_bytes",
                "must be at least 1000",
            ));
        }
        if c.review.max_file_bytes < 1000 {
            return Err(invalid("review.max_file_bytes", "must be at least 1000"));
        }
        seconds("review.timeout_s", c.review.timeout_s)?;
        if c.review.max_model_requests == 0 {
            return Err(invalid(
                "review.max_model_requests",
                "must be at least 1 (use --static-only to skip the model)",
            ));
        }
        for (key, value) in [
            ("router.rules_confident", c.router.rules_confident),
            ("router.threshold", c.router.threshold),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(invalid(key, "must be between 0 and 1"));
            }
        }
        seconds("daemon.idle_exit_s", c.daemon.idle_exit_s)?;
        for (name, role) in c.models.roles() {
            if role.context_size < 64 {
                return Err(invalid(
                    &format!("models.{name}.context_size"),
                    "must be at least 64 tokens",
                ));
            }
            if role.max_tokens == 0 {
                return Err(invalid(
                    &format!("models.{name}.max_tokens"),
                    "must be more than 0",
                ));
            }
            seconds(&format!("models.{name}.timeout_s"), role.timeout_s)?;
            let endpoint = role.endpoint.trim();
            let is_url = endpoint.starts_with("http://") || endpoint.starts_with("https://");
            if !endpoint.is_empty() && !is_url {
                return Err(invalid(
                    &format!("models.{name}.endpoint"),
                    "must be an http:// or https:// URL, like http://127.0.0.1:8080/v1",
                ));
            }
        }
        Ok(())
    }
}
