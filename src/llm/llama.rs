//! In-process inference through llama.cpp (`llama-cpp-2`): a memory-mapped GGUF model,
//! the chat template from the file's own metadata (with a fallback for models that
//! carry none), greedy or seeded sampling, an optional grammar, stop sequences, a time
//! limit and Ctrl-C.
//!
//! The engine keeps one context between requests, and with it the keys and values of
//! recent requests' tokens, in a few slots side by side (one sequence each): a request
//! evaluates only what it does not share with the slot it is given (the same system
//! prompt and examples), and a request of another kind in between (the examples asked
//! after an edit) takes a slot of its own rather than evicting the edit's.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;

use super::backend::{Backend, Completion, Finish, LlmError, Request, StopFilter, Utf8Stream};
use super::gguf;

/// Tokens evaluated per decode call while reading the prompt.
const BATCH: usize = 512;

/// Prompt caches kept side by side in one context, one sequence each.
const SLOTS: usize = 2;

/// Fewer tokens than this in common with every slot: the request is of another kind,
/// and takes an empty slot, else the one used least recently, rather than cutting a
/// longer cache down to a few shared opening tokens.
const SHARED: usize = 32;

/// How a model is run.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub context_size: u32,
    /// 0: one thread per core.
    pub threads: u32,
    pub n_gpu_layers: u32,
}

static VERBOSE: AtomicBool = AtomicBool::new(false);

/// Lets llama.cpp's own log lines through to stderr (`-v`); set before the first load.
pub fn show_logs(verbose: bool) {
    VERBOSE.store(verbose, Ordering::Relaxed);
}

/// llama.cpp's process-wide state: initialised once, on first use, with its own
/// log lines silenced unless `-v` asked for them.
fn runtime() -> Result<&'static LlamaBackend, LlmError> {
    static RUNTIME: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            if !VERBOSE.load(Ordering::Relaxed) {
                llama_cpp_2::send_logs_to_tracing(
                    llama_cpp_2::LogOptions::default().with_logs_enabled(false),
                );
            }
            LlamaBackend::init().map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| LlmError::Setup(e.clone()))
}

/// How a prompt is laid out when the model file carries no chat template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fallback {
    /// Gemma's `<start_of_turn>` turns (Gemma 3 base ships without a template).
    Gemma,
    /// ChatML, which most instruction-tuned small models understand.
    ChatMl,
}

pub struct LlamaEngine {
    /// Created on the first request and kept. Declared before `model`, which it
    /// borrows, so that it is dropped first.
    cache: Option<Cache>,
    /// Behind an `Arc` so that its address stays put when the engine moves, and moving
    /// the engine asserts no unique ownership over what `cache` borrows.
    model: Arc<LlamaModel>,
    path: PathBuf,
    settings: Settings,
    template: Option<llama_cpp_2::model::LlamaChatTemplate>,
    fallback: Fallback,
}

// The model service holds engines behind a `Mutex` shared across threads.
const _: fn() = || {
    fn send<T: Send>() {}
    send::<LlamaEngine>();
};

/// A context kept between requests.
struct Cache {
    ctx: LlamaContext<'static>,
    slots: [Slot; SLOTS],
    /// Counts requests, to tell which slot was used least recently.
    clock: u64,
}

/// One sequence of the cache's context.
#[derive(Default)]
struct Slot {
    /// The tokens whose keys and values the sequence holds, from position 0. Empty
    /// while a request runs in it, and after one that failed, so that nothing unknown
    /// is reused.
    tokens: Vec<LlamaToken>,
    used: u64,
}

impl Cache {
    /// The slot for a prompt of `tokens`: the one sharing the longest prefix with it,
    /// when that is a real share (`SHARED`); else an empty one, else the one used least
    /// recently.
    fn slot_for(&self, tokens: &[LlamaToken]) -> usize {
        let (best, shared) = self
            .slots
            .iter()
            .enumerate()
            .map(|(i, slot)| (i, common_prefix(&slot.tokens, tokens)))
            .max_by_key(|&(i, shared)| (shared, std::cmp::Reverse(i)))
            .unwrap_or((0, 0));
        if shared >= SHARED.min(tokens.len().saturating_sub(1)).max(1) {
            return best;
        }
        self.slots
            .iter()
            .position(|slot| slot.tokens.is_empty())
            .unwrap_or_else(|| (0..SLOTS).min_by_key(|&i| self.slots[i].used).unwrap_or(0))
    }

    /// Empties other slots, least recently used first, until `needed` more cells fit
    /// beside what `keep` holds of this one.
    fn make_room(&mut self, seq: usize, needed: usize) {
        let room = self.ctx.n_ctx() as usize;
        let mut others: Vec<usize> = (0..SLOTS)
            .filter(|&i| i != seq && !self.slots[i].tokens.is_empty())
            .collect();
        others.sort_by_key(|&i| self.slots[i].used);
        for other in others {
            let held: usize = self.slots.iter().map(|s| s.tokens.len()).sum();
            if held + needed <= room {
                return;
            }
            self.forget(other);
        }
    }

    /// Empties slot `seq`; where llama.cpp cannot remove a sequence, the whole cache.
    fn forget(&mut self, seq: usize) {
        self.slots[seq].tokens.clear();
        let id = u32::try_from(seq).unwrap_or(u32::MAX);
        if !matches!(self.ctx.clear_kv_cache_seq(Some(id), None, None), Ok(true)) {
            self.ctx.clear_kv_cache();
            for slot in &mut self.slots {
                slot.tokens.clear();
            }
        }
    }
}

impl LlamaEngine {
    /// Loads a GGUF model after checking its header, so a wrong or damaged file is a
    /// clear error rather than a llama.cpp abort.
    pub fn load(path: &Path, settings: Settings) -> Result<Self, LlmError> {
        Self::load_checked(path, &gguf::Header::read(path)?, settings)
    }

    /// Loads a model whose header the caller has already read and checked.
    pub fn load_checked(
        path: &Path,
        header: &gguf::Header,
        settings: Settings,
    ) -> Result<Self, LlmError> {
        let model = load_model(path, settings.n_gpu_layers)?;
        let template = model.chat_template(None).ok();
        let fallback = if header
            .architecture()
            .is_some_and(|a| a.starts_with("gemma"))
        {
            Fallback::Gemma
        } else {
            Fallback::ChatMl
        };
        Ok(LlamaEngine {
            cache: None,
            model: Arc::new(model),
            path: path.to_path_buf(),
            settings,
            template,
            fallback,
        })
    }

    /// A context for the engine's cache.
    #[allow(unsafe_code)]
    fn new_context(&self) -> Result<LlamaContext<'static>, LlmError> {
        let model: *const LlamaModel = &raw const *self.model;
        // SAFETY: the context is stored only in `self.cache`, next to the model it
        // borrows. The model is shared behind an `Arc` that is never replaced, so
        // moving the engine neither moves it nor claims it uniquely; and `cache` is
        // declared before `model`, so the context is dropped before the model. The
        // `'static` reference therefore never outlives the model.
        let model: &'static LlamaModel = unsafe { &*model };
        new_context(
            model,
            self.settings.context_size,
            self.settings.threads,
            SLOTS as u32,
        )
    }

    /// The prompt text for a chat, through the model's own template when it has one.
    fn prompt(&self, request: &Request) -> Result<String, LlmError> {
        if let Some(template) = &self.template {
            let messages = request
                .messages
                .iter()
                .map(|m| LlamaChatMessage::new(m.speaker.as_str().into(), m.content.clone()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| LlmError::Setup(format!("a message holds a NUL byte: {e}")))?;
            return self
                .model
                .apply_chat_template(template, &messages, true)
                .map_err(|e| LlmError::Setup(format!("the model's chat template failed: {e}")));
        }
        Ok(fallback_prompt(self.fallback, request))
    }

    fn tokens(&self, prompt: &str) -> Vec<LlamaToken> {
        let vocab = self.model.vocab();
        let mut tokens = vocab.tokenize(prompt.as_bytes(), false, true);
        if vocab.should_add_bos() && tokens.first() != Some(&vocab.bos()) {
            tokens.insert(0, vocab.bos());
        }
        tokens
    }
}

/// A context on `model` of `context` tokens, run on `threads` threads (0: one per
/// physical core), reading prompts `BATCH` tokens at a time, with `sequences` sequences
/// that share its room (one cache for all, so that a sequence alone may fill it).
/// Sliding-window layers keep every token: a sliding-window cache overwrites keys and
/// values that left the window, which a later request keeping a longer prefix may need,
/// and llama.cpp still reports the cut as done; a full one costs memory only for models
/// with such layers (Gemma).
pub(crate) fn new_context(
    model: &LlamaModel,
    context: u32,
    threads: u32,
    sequences: u32,
) -> Result<LlamaContext<'_>, LlmError> {
    let threads = match threads {
        0 => physical_cores(),
        n => n as usize,
    };
    let threads = i32::try_from(threads).unwrap_or(1);
    let params = LlamaContextParams::default()
        .with_n_ctx(NonZeroU32::new(context))
        .with_n_batch(BATCH as u32)
        .with_n_ubatch(BATCH as u32)
        .with_n_threads(threads)
        .with_n_threads_batch(threads)
        .with_no_perf(false)
        .with_swa_full(true);
    // A single sequence keeps llama.cpp's defaults (and the router its readings).
    let params = match sequences {
        0 | 1 => params,
        n => params.with_n_seq_max(n).with_kv_unified(true),
    };
    model.new_context(runtime()?, params).map_err(|e| {
        LlmError::Setup(format!(
            "could not create a context of {context} tokens: {e}"
        ))
    })
}

/// Evaluates `tokens` as sequence `seq` at the positions from `from`, `BATCH` at a
/// time, with logits for the last one when `logits`; `between` runs after each batch and
/// may stop the rest.
pub(crate) fn decode(
    ctx: &mut LlamaContext,
    tokens: &[LlamaToken],
    from: usize,
    seq: i32,
    logits: bool,
    mut between: impl FnMut() -> Result<(), LlmError>,
) -> Result<(), LlmError> {
    let mut batch = LlamaBatch::new(BATCH, 1);
    let last = tokens.len().saturating_sub(1);
    for (chunk_index, chunk) in tokens.chunks(BATCH).enumerate() {
        batch.clear();
        for (i, token) in chunk.iter().enumerate() {
            let index = chunk_index * BATCH + i;
            batch
                .add(
                    *token,
                    (from + index) as i32,
                    &[seq],
                    logits && index == last,
                )
                .map_err(|e| LlmError::Inference(e.to_string()))?;
        }
        ctx.decode(&mut batch)
            .map_err(|e| LlmError::Inference(e.to_string()))?;
        between()?;
    }
    Ok(())
}

/// Memory-maps a GGUF model (the caller has checked its header).
pub(crate) fn load_model(path: &Path, n_gpu_layers: u32) -> Result<LlamaModel, LlmError> {
    let params = LlamaModelParams::default()
        .with_n_gpu_layers(n_gpu_layers)
        .with_use_mmap(true);
    LlamaModel::load_from_file(runtime()?, path, &params).map_err(|e| LlmError::Load {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Physical cores (hyper-threads share a core's arithmetic units, so more threads than
/// cores only slows matrix work): distinct (package, core) pairs in /proc/cpuinfo, or
/// the logical CPU count where that is not available.
fn physical_cores() -> usize {
    let logical = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let Ok(info) = std::fs::read_to_string("/proc/cpuinfo") else {
        return logical;
    };
    let mut cores = std::collections::HashSet::new();
    let mut package = "";
    for line in info.lines() {
        let mut parts = line.splitn(2, ':').map(str::trim);
        match (parts.next(), parts.next()) {
            (Some("physical id"), Some(v)) => package = v,
            (Some("core id"), Some(v)) => {
                cores.insert((package.to_string(), v.to_string()));
            }
            _ => {}
        }
    }
    if cores.is_empty() {
        logical
    } else {
        cores.len().min(logical)
    }
}

fn fallback_prompt(style: Fallback, request: &Request) -> String {
    use super::backend::Speaker;
    let mut out = String::new();
    match style {
        Fallback::Gemma => {
            // Gemma has no system turn: the system text opens the first user turn.
            let mut system = String::new();
            for m in &request.messages {
                match m.speaker {
                    Speaker::System => system.push_str(&format!("{}\n\n", m.content)),
                    Speaker::User => {
                        out.push_str(&format!(
                            "<start_of_turn>user\n{}{}<end_of_turn>\n",
                            std::mem::take(&mut system),
                            m.content
                        ));
                    }
                    Speaker::Assistant => {
                        out.push_str(&format!(
                            "<start_of_turn>model\n{}<end_of_turn>\n",
                            m.content
                        ));
                    }
                }
            }
            out.push_str("<start_of_turn>model\n");
        }
        Fallback::ChatMl => {
            for m in &request.messages {
                out.push_str(&format!(
                    "<|im_start|>{}\n{}<|im_end|>\n",
                    m.speaker.as_str(),
                    m.content
                ));
            }
            out.push_str("<|im_start|>assistant\n");
        }
    }
    out
}

impl Backend for LlamaEngine {
    fn describe(&self) -> String {
        super::file_label(&self.path)
    }

    fn complete(
        &mut self,
        request: &Request,
        sink: &mut dyn FnMut(&str),
    ) -> Result<Completion, LlmError> {
        let started = Instant::now();
        let deadline = started + request.timeout;
        let prompt = self.prompt(request)?;
        let tokens = self.tokens(&prompt);
        let context = self.settings.context_size;
        // Leave room for at least a short answer.
        if tokens.len() + 16 > context as usize {
            return Err(LlmError::PromptTooLong {
                tokens: tokens.len(),
                context,
            });
        }
        let max_new = (request.max_tokens as usize).min(context as usize - tokens.len());

        if self.cache.is_none() {
            self.cache = Some(Cache {
                ctx: self.new_context()?,
                slots: Default::default(),
                clock: 0,
            });
        }
        let cache = self.cache.as_mut().expect("the cache was filled above");
        let slot = cache.slot_for(&tokens);
        // A slot that holds nothing known (a request in it failed) may still hold keys
        // and values: they are removed, or they would fill the cache unseen.
        for other in 0..SLOTS {
            if other != slot && cache.slots[other].tokens.is_empty() {
                cache.forget(other);
            }
        }
        // At least the last token is evaluated again: its logits start the reply.
        let keep = common_prefix(&cache.slots[slot].tokens, &tokens).min(tokens.len() - 1);
        cache.slots[slot].tokens.truncate(keep);
        cache.make_room(slot, tokens.len() - keep + max_new);
        // Making room may have emptied the whole cache.
        let mut keep = keep.min(cache.slots[slot].tokens.len());
        let seq = i32::try_from(slot).unwrap_or(0);
        // What the slot holds past `keep` is removed; a slot that cannot be cut there
        // is emptied and the whole prompt read.
        if keep == 0
            || !matches!(
                cache
                    .ctx
                    .clear_kv_cache_seq(Some(seq as u32), Some(keep as u32), None),
                Ok(true)
            )
        {
            cache.forget(slot);
            keep = 0;
        }
        // Empty while the request runs: a failure leaves nothing to be reused.
        cache.slots[slot].tokens.clear();
        cache.clock += 1;
        cache.slots[slot].used = cache.clock;
        let ctx = &mut cache.ctx;

        // Read the rest of the prompt; only the last token's logits are needed.
        decode(ctx, &tokens[keep..], keep, seq, true, || {
            if request.cancelled() {
                return Err(LlmError::Cancelled);
            }
            if Instant::now() > deadline {
                return Err(LlmError::Timeout(request.timeout));
            }
            Ok(())
        })?;
        let prompt_time = started.elapsed();

        let mut sampler = picker(&self.model, request)?;
        let vocab = self.model.vocab();
        let mut utf8 = Utf8Stream::default();
        let mut filter = StopFilter::new(&request.stop);
        let mut evaluated = tokens.clone();
        let mut batch = LlamaBatch::new(1, 1);
        let mut generated = 0;
        let mut finish = Finish::Length;
        let generating = Instant::now();
        while generated < max_new {
            // The last output's logits: the prompt's last token, then each new one.
            let token = sampler.pick(ctx, -1);
            if vocab.is_eog(token) {
                finish = Finish::Stop;
                break;
            }
            generated += 1;
            let piece = utf8.push(&vocab.token_to_piece(token, false, None));
            let (shown, stopped) = filter.push(&piece);
            if !shown.is_empty() {
                sink(&shown);
            }
            if stopped || generated == max_new {
                // The token's own logits would never be read.
                if stopped {
                    finish = Finish::Stop;
                }
                break;
            }
            if request.cancelled() {
                return Err(LlmError::Cancelled);
            }
            if Instant::now() > deadline {
                return Err(LlmError::Timeout(request.timeout));
            }
            batch.clear();
            batch
                .add(token, evaluated.len() as i32, &[seq], true)
                .map_err(|e| LlmError::Inference(e.to_string()))?;
            ctx.decode(&mut batch)
                .map_err(|e| LlmError::Inference(e.to_string()))?;
            evaluated.push(token);
        }
        cache.slots[slot].tokens = evaluated;
        Ok(Completion {
            text: filter.finish(sink),
            finish,
            prompt_tokens: tokens.len(),
            cached_tokens: keep,
            completion_tokens: generated,
            prompt_time,
            generation_time: generating.elapsed(),
        })
    }
}

/// How many tokens two sequences share from the start.
fn common_prefix(a: &[LlamaToken], b: &[LlamaToken]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// How the next token is chosen.
enum Picker {
    /// A llama.cpp sampler chain (which accepts the token itself).
    Chain(LlamaSampler),
    /// Greedy under a grammar: the most likely token is checked against the grammar
    /// alone, and the whole vocabulary only when it is rejected — a full check at
    /// every token costs more than generating it.
    GreedyGrammar(LlamaSampler),
}

impl Picker {
    fn pick(&mut self, ctx: &llama_cpp_2::context::LlamaContext, index: i32) -> LlamaToken {
        use llama_cpp_2::token::data::LlamaTokenData;
        use llama_cpp_2::token::data_array::LlamaTokenDataArray;
        match self {
            Picker::Chain(sampler) => sampler.sample(ctx, index),
            Picker::GreedyGrammar(grammar) => {
                let logits = ctx.get_logits_ith(index);
                let best = logits
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map_or(0, |(i, _)| i);
                let best = LlamaToken::new(i32::try_from(best).unwrap_or(0));
                let mut one =
                    LlamaTokenDataArray::new(vec![LlamaTokenData::new(best, 1.0, 0.0)], false);
                grammar.apply(&mut one);
                let token = if one.data.first().is_some_and(|d| d.logit().is_finite()) {
                    best
                } else {
                    let mut all = ctx.token_data_array_ith(index);
                    grammar.apply(&mut all);
                    all.sample_token_greedy()
                };
                grammar.accept(token);
                token
            }
        }
    }
}

/// Greedy by default; seeded sampling at a temperature; a grammar always first in the
/// chain (after the selecting sampler it aborts the process).
fn picker(model: &LlamaModel, request: &Request) -> Result<Picker, LlmError> {
    let mut chain = Vec::new();
    let from_schema = match (&request.grammar, &request.json_schema) {
        (None, Some(schema)) => Some(
            llama_cpp_2::json_schema_to_grammar(&schema.to_string())
                .map_err(|e| LlmError::Setup(format!("the JSON schema has no grammar: {e}")))?,
        ),
        _ => None,
    };
    if let Some(grammar) = request.grammar.as_ref().or(from_schema.as_ref()) {
        let sampler = LlamaSampler::grammar(model, grammar, "root")
            .map_err(|e| LlmError::Setup(format!("the grammar is not valid GBNF: {e}")))?;
        if request.temperature <= 0.0 {
            return Ok(Picker::GreedyGrammar(sampler));
        }
        chain.push(sampler);
    }
    if request.temperature > 0.0 {
        chain.push(LlamaSampler::temp(request.temperature));
        chain.push(LlamaSampler::dist(request.seed));
    } else {
        chain.push(LlamaSampler::greedy());
    }
    Ok(Picker::Chain(LlamaSampler::chain_simple(chain)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::backend::Message;

    #[test]
    fn fallback_prompts_follow_each_family() {
        let request = Request::new(vec![Message::system("Be brief."), Message::user("Hi")]);
        assert_eq!(
            fallback_prompt(Fallback::Gemma, &request),
            "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\n"
        );
        assert_eq!(
            fallback_prompt(Fallback::ChatMl, &request),
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        );
    }
}
