//! The router model in-process: FunctionGemma's prompt evaluated once (its KV state kept
//! in memory and in the cache directory), then per request only the request's tokens.
//!
//! The function is chosen by scoring, not by sampling: one forward pass over the request
//! gives the probability of every declared function's first name token, and the
//! confidence is the chosen function's share of that probability. Parameters the
//! request must spell are then generated under a grammar that admits only spans of
//! the request.
//!
//! The same pass gives the model's reading of the request (its next-token scores where
//! it is about to name a function, sampled across the vocabulary); when the labelled
//! requests nearest to that reading agree (see `super::nearest`), their function is
//! called instead of the scored one.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::function_gemma::{self as fg, Function, Kind};
use super::nearest;
use crate::llm::llama::{self, load_model};
use crate::llm::{LlmError, RoleModel, Source, gguf};

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
    /// The closest labelled request, when the nearest ones chose the function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nearest: Option<String>,
}

/// A loaded router model with its prompt evaluated.
pub struct ModelRouter {
    model: &'static LlamaModel,
    ctx: LlamaContext<'static>,
    /// Tokens of the prompt held in the KV cache, before any request's.
    prefix: usize,
    /// Each declared function with its name's tokens.
    names: Vec<(&'static Function, Vec<LlamaToken>)>,
    timeout: Duration,
    /// The log-probability of each function's first name token for a content-free
    /// request: the model's prior, subtracted before choosing ("calibrate before
    /// use"), so that a base model's leaning toward one function does not decide.
    prior: Vec<(LlamaToken, f32)>,
    /// How the model is spoken to: found from its vocabulary.
    dialect: fg::Dialect,
    /// The model's reading of the labelled bank; `None` until it is read (or if it
    /// could not be).
    nearest: Option<nearest::Index>,
    /// The bank's readings so far, while they are being read; `None` once they are
    /// (or once reading them failed).
    unread: Option<Unread>,
}

/// A bank being read, a few requests at a time.
struct Unread {
    /// Where the readings are saved when complete.
    file: Option<PathBuf>,
    vectors: Vec<Vec<f32>>,
}

impl ModelRouter {
    /// Loads the role's model and restores (or evaluates and saves) the prompt's KV
    /// state under `cache_dir`. The model is kept for the life of the process: the
    /// router is the resident model, and its context borrows it.
    pub fn load(role: &RoleModel, cache_dir: &Path) -> Result<Self, LlmError> {
        let Source::Local { path } = &role.source else {
            return Err(LlmError::Setup(
                "the router model runs in-process only; a server endpoint is not used for routing"
                    .into(),
            ));
        };
        gguf::Header::read(path)?;
        let model = load_model(path, role.settings.n_gpu_layers)?;
        let model: &'static LlamaModel = Box::leak(Box::new(model));
        let ctx = llama::new_context(model, role.settings.context_size, role.settings.threads, 1)?;
        let vocab = model.vocab();
        let names = fg::FUNCTIONS
            .iter()
            .map(|f| (f, vocab.tokenize(f.name.as_bytes(), false, false)))
            .collect::<Vec<_>>();
        let one_token = |text: &str| vocab.tokenize(text.as_bytes(), false, true).len() == 1;
        let dialect = if one_token(fg::Dialect::OPEN) {
            fg::Dialect::FunctionGemma
        } else if one_token(fg::Dialect::CHAT_ML_OPEN) {
            fg::Dialect::ChatMl
        } else {
            fg::Dialect::Gemma
        };
        let mut router = ModelRouter {
            model,
            ctx,
            prefix: 0,
            names,
            timeout: Duration::from_secs(role.settings.timeout_s),
            prior: Vec::new(),
            dialect,
            nearest: None,
            unread: None,
        };
        router.prepare(path, cache_dir)?;
        Ok(router)
    }

    /// Puts the prompt's KV state and the model's prior in place: from the cache when
    /// it holds exactly this prompt for this model, else by evaluating them (and saving
    /// them for next time).
    fn prepare(&mut self, model_path: &Path, cache_dir: &Path) -> Result<(), LlmError> {
        let vocab = self.model.vocab();
        let mut tokens = vocab.tokenize(fg::prompt(self.dialect).as_bytes(), false, true);
        if vocab.should_add_bos() {
            tokens.insert(0, vocab.bos());
        }
        if tokens.len() + 256 > self.ctx.n_ctx() as usize {
            return Err(LlmError::PromptTooLong {
                tokens: tokens.len(),
                context: self.ctx.n_ctx(),
            });
        }
        let file = state_file(model_path, cache_dir, &tokens, self.ctx.n_ctx());
        let restored = file.as_ref().is_some_and(|file| {
            file.is_file()
                && match self.ctx.state_seq_load_file(file, 0, tokens.len() + 1) {
                    Ok((saved, _)) => saved == tokens,
                    Err(_) => false,
                }
        });
        self.prefix = tokens.len();
        // Best effort below: a cache that cannot be written costs time, not correctness.
        if !restored {
            // Another prompt or a damaged file: evaluate afresh and replace it.
            self.ctx.clear_kv_cache();
            self.decode(&tokens, 0, false)?;
            if let Some(file) = &file {
                let _ = save_state(&self.ctx, file, &tokens);
            }
        }
        let prior_file = file.as_ref().map(|f| f.with_extension("prior"));
        let saved = prior_file
            .as_ref()
            .filter(|_| restored)
            .and_then(|f| read_prior(f, self.prior_tokens().len()));
        self.prior = match saved {
            Some(prior) => prior,
            None => {
                let prior = self.prior()?;
                if let Some(f) = &prior_file {
                    let _ = write_prior(f, &prior);
                }
                prior
            }
        };
        // An instruction-tuned model (asked for a second opinion) chooses by its own
        // reading of the functions' descriptions: the bank is the router model's.
        if self.dialect == fg::Dialect::ChatMl {
            return Ok(());
        }
        // Keyed like the state (model, prompt, version) and by the bank's content, the
        // readings stand whether or not the state was restored. Reading them takes
        // about a minute, so it is not done here: see `read_bank`.
        let bank_file = file.map(|f| f.with_extension(format!("{}.bank", nearest::bank_digest())));
        let width = nearest::reading_width(self.model.n_vocab().max(0) as usize);
        let saved = bank_file.as_ref().and_then(|f| {
            nearest::Index::from_raw_bytes(&std::fs::read(f).ok()?, nearest::bank().len(), width)
        });
        match saved {
            Some(vectors) => self.nearest = nearest::Index::new(vectors, bank_functions()),
            None => {
                self.unread = Some(Unread {
                    file: bank_file,
                    vectors: Vec::new(),
                })
            }
        }
        Ok(())
    }

    /// How far the reading of the labelled bank has come (requests read, of how
    /// many) while it is not complete; `None` once it is, or once it failed. Until it
    /// is complete, requests are routed without the nearest requests' vote.
    pub fn bank_unread(&self) -> Option<(usize, usize)> {
        self.unread
            .as_ref()
            .map(|u| (u.vectors.len(), nearest::bank().len()))
    }

    /// Reads up to `n` more bank requests, exactly as `call` reads a request (without
    /// its politeness, see `text::core`): the model's scores at the end of the
    /// request's turn, one request at a time after the prompt. (Eight at a time in
    /// sequences of their own took a fifth less time, but batched arithmetic read a
    /// request differently enough that "hmm" was no longer nearest to itself.) When
    /// the last is read the vote is in use from the next call and the readings are
    /// saved for the next load. Between two parts the router serves calls as usual.
    ///
    /// On error the bank is given up for this load (routing goes on without the vote).
    pub fn read_bank(&mut self, n: usize) -> Result<(), LlmError> {
        let Some(mut unread) = self.unread.take() else {
            return Ok(());
        };
        let bank = nearest::bank();
        for example in bank.iter().skip(unread.vectors.len()).take(n) {
            let tokens = self.request_tokens(super::text::core(&example.request).0);
            unread
                .vectors
                .push(nearest::reading(self.read_turn(&tokens)?));
        }
        if unread.vectors.len() < bank.len() {
            self.unread = Some(unread);
            return Ok(());
        }
        if let Some(file) = &unread.file {
            // Best effort: a cache that cannot be written costs the next load time.
            let _ = write_atomically(file, &nearest::Index::raw_bytes(&unread.vectors));
        }
        self.nearest = nearest::Index::new(unread.vectors, bank_functions());
        Ok(())
    }

    /// Reads one request's turn after the prompt, every earlier request forgotten, and
    /// gives the model's scores for the token after it. A turn that leaves no room
    /// after it is refused.
    fn read_turn(&mut self, tokens: &[LlamaToken]) -> Result<&[f32], LlmError> {
        if self.prefix + tokens.len() + 64 > self.ctx.n_ctx() as usize {
            return Err(LlmError::PromptTooLong {
                tokens: self.prefix + tokens.len(),
                context: self.ctx.n_ctx(),
            });
        }
        self.forget()?;
        self.decode(tokens, self.prefix, true)?;
        Ok(self.ctx.get_logits_ith(-1))
    }

    /// The distinct first tokens of the declared names: what the prior is over.
    fn prior_tokens(&self) -> Vec<LlamaToken> {
        let mut firsts: Vec<LlamaToken> = Vec::new();
        for (_, tokens) in &self.names {
            if let Some(&t) = tokens.first()
                && !firsts.contains(&t)
            {
                firsts.push(t);
            }
        }
        firsts
    }

    /// The model's leaning: first-token log-probabilities averaged over requests that
    /// say nothing.
    fn prior(&mut self) -> Result<Vec<(LlamaToken, f32)>, LlmError> {
        let firsts = self.prior_tokens();
        const EMPTY: [&str; 3] = ["N/A", "", "..."];
        let mut sums = vec![0.0_f32; firsts.len()];
        for text in EMPTY {
            let tokens = self.request_tokens(text);
            let logits = self.read_turn(&tokens)?;
            let chosen: Vec<f32> = firsts.iter().map(|t| logits[t.0 as usize]).collect();
            for (sum, lp) in sums.iter_mut().zip(log_softmax(&chosen)) {
                *sum += lp / EMPTY.len() as f32;
            }
        }
        self.forget()?;
        Ok(firsts.into_iter().zip(sums).collect())
    }

    /// Drops every request's tokens from the KV cache; the prompt stays.
    fn forget(&mut self) -> Result<(), LlmError> {
        self.ctx
            .clear_kv_cache_seq(Some(0), Some(self.prefix as u32), None)
            .map(|_| ())
            .map_err(|e| LlmError::Inference(e.to_string()))
    }

    /// The tokens of one request's turn, the request itself as plain text (it cannot
    /// close its turn).
    fn request_tokens(&self, request: &str) -> Vec<LlamaToken> {
        let vocab = self.model.vocab();
        let mut tokens = Vec::new();
        for (i, part) in fg::turn(request, self.dialect).iter().enumerate() {
            tokens.extend(vocab.tokenize(part.as_bytes(), false, i != 0));
        }
        tokens
    }

    /// Evaluates `tokens` from position `from`; logits for the last one when asked.
    fn decode(&mut self, tokens: &[LlamaToken], from: usize, logits: bool) -> Result<(), LlmError> {
        llama::decode(&mut self.ctx, tokens, from, 0, logits, || Ok(()))
    }

    /// The model's function call for one request.
    /// A function chosen with less than `min_confidence` comes without its
    /// parameters (the caller will not use it; choosing them costs passes).
    pub fn call(&mut self, request: &str, min_confidence: f32) -> Result<Call, LlmError> {
        let started = Instant::now();
        let deadline = started + self.timeout;
        let tokens = self.request_tokens(request);
        // Values are spans of the request, so they need no more room than it does.
        if self.prefix + 2 * tokens.len() + 64 > self.ctx.n_ctx() as usize {
            return Err(LlmError::PromptTooLong {
                tokens: self.prefix + tokens.len(),
                context: self.ctx.n_ctx(),
            });
        }
        let voting = self.nearest.is_some();
        let logits = self.read_turn(&tokens)?;
        let reading = voting.then(|| nearest::reading(logits));
        let mut pos = self.prefix + tokens.len();
        let vote = self
            .nearest
            .as_ref()
            .zip(reading)
            .and_then(|(index, reading)| {
                let vote = index.vote(&reading)?;
                let chosen = self
                    .names
                    .iter()
                    .position(|(f, _)| Some(f.name) == vote.function)?;
                let function = self.names[chosen].0;
                (vote.share >= nearest::min_share(function.name) && fg::possible(function, request))
                    .then_some((chosen, vote))
            });
        let (chosen, evaluated, confidence) = match &vote {
            Some((chosen, vote)) => (*chosen, 0, vote.share),
            // A request its labelled neighbours do not agree on is one the model's own
            // choice does not place either: on every corpus, of the 7 requests where
            // that choice was sure enough to decide, it was wrong in 6. Choosing costs
            // passes; the request stays the rules' fallback, and unclear is said.
            None if voting => {
                return Ok(Call {
                    function: "unclear".to_string(),
                    args: Map::new(),
                    confidence: 0.0,
                    ms: started.elapsed().as_secs_f64() * 1000.0,
                    nearest: None,
                });
            }
            None => self.choose(request, &mut pos)?,
        };
        let function = self.names[chosen].0;
        let mut args = Map::new();
        // The parameters worth writing, each with the values it may take.
        let write = confidence >= min_confidence;
        let params: Vec<(&fg::Param, Vec<String>)> = function
            .params
            .iter()
            .filter(|p| write && !p.from_request)
            .map(|p| (p, fg::candidates(p, request)))
            .filter(|(p, candidates)| {
                let optional_absent = !p.required
                    && match p.kind {
                        Kind::Integer | Kind::Paths => candidates.is_empty(),
                        Kind::Text => !request.contains(['"', '\'', '`']),
                        Kind::Boolean => false,
                    };
                !candidates.is_empty() && !optional_absent
            })
            .collect();
        // Tokens written but not yet evaluated: the rest of the name, each key, and
        // the parts of values no choice depended on. They are evaluated together when
        // the model is next asked, and not at all when it is not.
        let mut pending = self.names[chosen].1[evaluated..].to_vec();
        for (i, (p, candidates)) in params.iter().enumerate() {
            if Instant::now() > deadline {
                return Err(LlmError::Timeout(self.timeout));
            }
            let key = fg::key_text(p, i.checked_sub(1).map(|before| params[before].0.kind));
            pending.extend(self.model.vocab().tokenize(key.as_bytes(), false, true));
            let end = fg::value_end(p.kind, i + 1 == params.len());
            let value = self.pick(candidates, end, &mut pending, &mut pos)?;
            let value = match p.kind {
                Kind::Text => json!(value),
                Kind::Paths => json!([value]),
                Kind::Boolean => json!(value == "true"),
                Kind::Integer => match value.parse::<u64>() {
                    Ok(n) => json!(n),
                    Err(_) => continue,
                },
            };
            args.insert(p.name.to_string(), value);
        }
        Ok(Call {
            function: function.name.to_string(),
            args,
            confidence,
            ms: started.elapsed().as_secs_f64() * 1000.0,
            nearest: vote.map(|(_, v)| nearest::bank()[v.nearest].request.clone()),
        })
    }

    /// Picks the function whose name the model finds likeliest, feeding shared name
    /// tokens until one function is left; the confidence is the product of the chosen
    /// token's share among the tokens the declared names allow at each step.
    ///
    /// Returns the function's index, how many of its name tokens were evaluated (the
    /// last one is not: a call without parameters to write needs no further pass),
    /// and the confidence.
    fn choose(&mut self, request: &str, pos: &mut usize) -> Result<(usize, usize, f32), LlmError> {
        let mut alive: Vec<usize> = (0..self.names.len())
            .filter(|&i| fg::possible(self.names[i].0, request))
            .collect();
        let mut depth = 0;
        let mut confidence = 1.0_f32;
        loop {
            let logits = self.ctx.get_logits_ith(-1);
            let mut options: Vec<(LlamaToken, f32)> = Vec::new();
            for &i in &alive {
                if let Some(&t) = self.names[i].1.get(depth)
                    && !options.iter().any(|(o, _)| *o == t)
                {
                    let prior = if depth == 0 {
                        self.prior
                            .iter()
                            .find(|(p, _)| *p == t)
                            .map_or(0.0, |(_, lp)| *lp)
                    } else {
                        0.0
                    };
                    options.push((t, logits[t.0 as usize] - prior));
                }
            }
            let max = options
                .iter()
                .map(|(_, l)| *l)
                .fold(f32::NEG_INFINITY, f32::max);
            let total: f32 = options.iter().map(|(_, l)| (l - max).exp()).sum();
            let (best, best_logit) = options
                .iter()
                .copied()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .ok_or_else(|| LlmError::Inference("no function to choose from".into()))?;
            confidence *= (best_logit - max).exp() / total;
            alive.retain(|&i| self.names[i].1.get(depth) == Some(&best));
            depth += 1;
            let done: Vec<usize> = alive
                .iter()
                .copied()
                .filter(|&i| self.names[i].1.len() == depth)
                .collect();
            if alive.len() == 1 || (!done.is_empty() && done.len() == alive.len()) {
                return Ok((alive[0], depth - 1, confidence));
            }
            if let Some(&i) = done.first() {
                // A name that is a prefix of another (none today): take the shorter.
                return Ok((i, depth - 1, confidence));
            }
            self.decode(&[best], *pos, true)?;
            *pos += 1;
        }
    }

    /// The candidate the model would write next, followed by `end`, chosen token by
    /// token: where the candidates still possible agree on the next token it is taken
    /// without asking the model; where they part, the model's likeliest continuation is.
    /// `pending` holds tokens written but not evaluated; on return it holds the rest of
    /// the chosen value.
    fn pick(
        &mut self,
        candidates: &[String],
        end: &str,
        pending: &mut Vec<LlamaToken>,
        pos: &mut usize,
    ) -> Result<String, LlmError> {
        let vocab = self.model.vocab();
        let mut alive: Vec<(&String, Vec<LlamaToken>)> = Vec::new();
        for c in candidates {
            if alive.iter().any(|(seen, _)| *seen == c) {
                continue;
            }
            // The value as plain text (it comes from the request), its end as the
            // model's own markup.
            let mut tokens = vocab.tokenize(c.as_bytes(), false, false);
            tokens.extend(vocab.tokenize(end.as_bytes(), false, true));
            alive.push((c, tokens));
        }
        let mut depth = 0;
        while alive.len() > 1 {
            let mut next: Vec<LlamaToken> = Vec::new();
            for (_, tokens) in &alive {
                if let Some(&t) = tokens.get(depth)
                    && !next.contains(&t)
                {
                    next.push(t);
                }
            }
            let token = match next.as_slice() {
                [] => break,
                [only] => *only,
                _ => {
                    self.decode(pending, *pos, true)?;
                    *pos += pending.len();
                    pending.clear();
                    let logits = self.ctx.get_logits_ith(-1);
                    next.into_iter()
                        .max_by(|a, b| logits[a.0 as usize].total_cmp(&logits[b.0 as usize]))
                        .expect("two or more tokens")
                }
            };
            pending.push(token);
            alive.retain(|(_, tokens)| tokens.get(depth) == Some(&token));
            depth += 1;
        }
        let (value, tokens) = alive
            .into_iter()
            .next()
            .ok_or_else(|| LlmError::Inference("no value to choose from".into()))?;
        pending.extend_from_slice(tokens.get(depth..).unwrap_or_default());
        Ok(value.clone())
    }
}

/// The function each bank request calls, in the bank's order.
fn bank_functions() -> Vec<Option<&'static str>> {
    nearest::bank().iter().map(|e| e.function).collect()
}

fn log_softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let total: f32 = logits.iter().map(|l| (l - max).exp()).sum();
    logits.iter().map(|l| l - max - total.ln()).collect()
}

/// Where the prompt's KV state is cached: keyed by the model file (its size and first
/// and last mebibyte, not a full hash of hundreds of megabytes), the prompt's tokens,
/// the context size and this program's version. `None` when there is no cache
/// directory to use.
fn state_file(
    model: &Path,
    cache_dir: &Path,
    tokens: &[LlamaToken],
    n_ctx: u32,
) -> Option<PathBuf> {
    use sha2::{Digest, Sha256};
    use std::io::{Read, Seek, SeekFrom};
    let mut hash = Sha256::new();
    let mut file = std::fs::File::open(model).ok()?;
    let size = file.metadata().ok()?.len();
    hash.update(size.to_le_bytes());
    let mut buf = vec![0u8; 1 << 20];
    for start in [0, size.saturating_sub(buf.len() as u64)] {
        file.seek(SeekFrom::Start(start)).ok()?;
        let n = file.read(&mut buf).ok()?;
        hash.update(&buf[..n]);
    }
    for t in tokens {
        hash.update(t.0.to_le_bytes());
    }
    hash.update(n_ctx.to_le_bytes());
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    let digest = hash.finalize();
    let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    Some(cache_dir.join("router").join(format!("{name}.kv")))
}

/// The prior saved beside the KV state, if it is there and covers `n` tokens. It is
/// read only with the state it was computed against.
fn read_prior(file: &Path, n: usize) -> Option<Vec<(LlamaToken, f32)>> {
    let pairs: Vec<(i32, f32)> = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
    (pairs.len() == n).then(|| {
        pairs
            .into_iter()
            .map(|(t, lp)| (LlamaToken::new(t), lp))
            .collect()
    })
}

fn write_prior(file: &Path, prior: &[(LlamaToken, f32)]) -> Option<()> {
    let pairs: Vec<(i32, f32)> = prior.iter().map(|(t, lp)| (t.0, *lp)).collect();
    write_atomically(file, &serde_json::to_vec(&pairs).ok()?)
}

/// Writes beside `file` and renames into place, so a reader never sees half of it.
fn write_atomically(file: &Path, bytes: &[u8]) -> Option<()> {
    let temp = file.with_extension(format!("{}.tmp", std::process::id()));
    std::fs::write(&temp, bytes).ok()?;
    std::fs::rename(&temp, file).ok()
}

/// Writes the KV state beside its final name and renames it into place, so a reader
/// never sees half a file.
fn save_state(ctx: &LlamaContext, file: &Path, tokens: &[LlamaToken]) -> Option<()> {
    let dir = file.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let temp = dir.join(format!(".{}.tmp", std::process::id()));
    ctx.state_seq_save_file(&temp, 0, tokens).ok()?;
    std::fs::rename(&temp, file).ok()
}
