//! Routing by the nearest labelled requests: the router model's reading of a request
//! is compared with its reading of a bank of requests whose routes are known, and the
//! closest ones vote. The reading is the model's next-token scores where it is about
//! to name a function, at every `STRIDE`th token of its vocabulary: the scores are a
//! linear image of its hidden state (through the output layer), and a sample of them
//! keeps the geometry while costing nothing, since the pass that scores the functions
//! computes them anyway.
//!
//! A small base model names the wrong function for phrasings its prompt's few examples
//! do not cover ("ship my commits", "qu'y a-t-il dans setup.cfg"), yet it reads them
//! close to labelled requests that say the same thing. The bank is the tuning part of
//! our own corpora; their held-out parts are never in it (a test checks).

use std::sync::OnceLock;

use serde_json::Value;

/// The labelled corpora the bank is drawn from: only tuning parts.
const CORPORA: [&str; 8] = [
    include_str!("../../fixtures/routes.jsonl"),
    include_str!("../../fixtures/routes-natural.jsonl"),
    include_str!("../../fixtures/routes-natural-2.jsonl"),
    include_str!("../../fixtures/routes-natural-3.jsonl"),
    include_str!("../../fixtures/routes-es.jsonl"),
    include_str!("../../fixtures/routes-de.jsonl"),
    include_str!("../../fixtures/routes-fr.jsonl"),
    include_str!("../../fixtures/routes-forms.jsonl"),
];

/// How many neighbours vote.
const K: usize = 5;

/// Every how many vocabulary entries one score is read: 4,096 of Gemma's 262,144.
const STRIDE: usize = 64;

/// The reading of a request: the scores at every `STRIDE`th vocabulary entry, as
/// standard scores (less their mean, over their spread), so that how sure the model is
/// overall does not count, only which entries it favours. (On the bank, leaving each
/// request out, that took the vote from 87% to 88% right over a few more requests.)
pub fn reading(logits: &[f32]) -> Vec<f32> {
    let sample: Vec<f32> = logits.iter().step_by(STRIDE).copied().collect();
    let n = sample.len().max(1) as f32;
    let mean = sample.iter().sum::<f32>() / n;
    let spread = (sample.iter().map(|x| (x - mean).powi(2)).sum::<f32>() / n).sqrt();
    let spread = if spread > 0.0 { spread } else { 1.0 };
    sample.into_iter().map(|x| (x - mean) / spread).collect()
}

/// How wide a reading is for a vocabulary of `n_vocab` entries.
pub fn reading_width(n_vocab: usize) -> usize {
    n_vocab.div_ceil(STRIDE)
}

/// A labelled request read this close (cosine similarity) says the same thing: its
/// route decides alone, whatever the next ones say ("hmm" is unclear, though four
/// questions lie beyond it). Only for a route that reads, or an edit (its patch is
/// shown before it is applied): one close request is not agreement enough to run a
/// tool that writes ("don't delete x" lies close to "delete x").
const SAME: f32 = 0.9;

/// A vote for a function that only reads is taken at or above this share of the
/// neighbours' weight; one for a function that writes (commits, runs, deletes, edits)
/// needs `MIN_SHARE_WRITE`, since a wrong write costs more than a wrong read. On the
/// bank, leaving each request out in turn, a share of 0.6 or more was right 90% of the
/// time and one of 0.8 or more 94%; the share is reported as the confidence.
pub const MIN_SHARE: f32 = 0.6;
pub const MIN_SHARE_WRITE: f32 = 0.8;

/// The share a vote for `function` needs to be taken.
pub fn min_share(function: &str) -> f32 {
    if only_shows(function) {
        MIN_SHARE
    } else {
        MIN_SHARE_WRITE
    }
}

/// Whether a router function changes nothing: it shows something, answers, or says the
/// request is unclear.
pub fn only_shows(function: &str) -> bool {
    matches!(
        function,
        "status" | "log" | "diff" | "read" | "list" | "answer" | "unclear"
    )
}

/// One labelled request. `function` is the router function it calls; `None` for a
/// route no function declares (`git show`, a refused request): a vote for it is a
/// vote to leave the request to the model's own scoring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub request: String,
    pub function: Option<&'static str>,
}

/// The bank, read once.
pub fn bank() -> &'static [Example] {
    static BANK: OnceLock<Vec<Example>> = OnceLock::new();
    BANK.get_or_init(|| {
        CORPORA
            .iter()
            .flat_map(|text| text.lines())
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter_map(|case| {
                Some(Example {
                    request: case["request"].as_str()?.replace('\n', " "),
                    function: function_of(&case),
                })
            })
            .collect()
    })
}

/// Identifies the bank's content, for the cache of its vectors.
pub fn bank_digest() -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(STRIDE.to_le_bytes());
    hash.update(b"standard scores");
    for e in bank() {
        hash.update(e.request.as_bytes());
        hash.update([0]);
        hash.update(e.function.unwrap_or("").as_bytes());
        hash.update([0]);
    }
    hash.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The router function a labelled route calls.
fn function_of(case: &Value) -> Option<&'static str> {
    if case.get("refused").is_some() {
        return None;
    }
    if case["source"] == "fallback" {
        return Some("unclear");
    }
    let action = case["action"].as_str().unwrap_or("");
    match (case["intent"].as_str()?, case["tool"].as_str()) {
        ("code", _) => Some("edit"),
        ("algorithm", _) => Some("solve"),
        ("question", _) => Some("answer"),
        ("tool", Some("git")) => match action {
            "status" => Some("status"),
            "log" => Some("log"),
            "diff" => Some("diff"),
            "add" => Some("stage"),
            "commit" => Some("commit"),
            "push" => Some("push"),
            "pull" => Some("pull"),
            "branch" => Some("branch"),
            "checkout" => Some("checkout"),
            "stash" => Some("stash"),
            _ => None,
        },
        ("tool", Some("file")) => match action {
            "read" => Some("read"),
            "list" => Some("list"),
            "delete" => Some("delete"),
            "mkdir" => Some("mkdir"),
            _ => None,
        },
        ("tool", Some("shell")) => Some("run"),
        _ => None,
    }
}

/// What the nearest labelled requests say about one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Vote {
    /// The function with the most weight; `None` when the winners are routes no
    /// function declares.
    pub function: Option<&'static str>,
    /// Its share of the neighbours' weight.
    pub share: f32,
    /// The closest labelled request and its cosine similarity.
    pub nearest: usize,
    pub similarity: f32,
}

/// The bank's vectors, centred on their mean (a language model's hidden states share
/// a large common direction that would make every pair look alike) and of unit length.
#[derive(Debug, Clone)]
pub struct Index {
    mean: Vec<f32>,
    rows: Vec<Vec<f32>>,
    functions: Vec<Option<&'static str>>,
}

impl Index {
    /// Indexes `vectors`, one per bank example in order. `None` if there are none or
    /// their widths differ.
    pub fn new(vectors: Vec<Vec<f32>>, functions: Vec<Option<&'static str>>) -> Option<Self> {
        let width = vectors.first()?.len();
        if width == 0
            || vectors.len() != functions.len()
            || vectors.iter().any(|v| v.len() != width)
        {
            return None;
        }
        let mut mean = vec![0.0_f32; width];
        for v in &vectors {
            for (m, x) in mean.iter_mut().zip(v) {
                *m += x / vectors.len() as f32;
            }
        }
        let rows = vectors.iter().map(|v| centred(v, &mean)).collect();
        Some(Index {
            mean,
            rows,
            functions,
        })
    }

    pub fn width(&self) -> usize {
        self.mean.len()
    }

    /// The vote of the `K` nearest labelled requests, each weighing its similarity.
    pub fn vote(&self, vector: &[f32]) -> Option<Vote> {
        if vector.len() != self.width() {
            return None;
        }
        let query = centred(vector, &self.mean);
        let mut scored: Vec<(usize, f32)> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| (i, row.iter().zip(&query).map(|(a, b)| a * b).sum()))
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (nearest, similarity) = *scored.first()?;
        if similarity >= SAME
            && self.functions[nearest]
                .is_some_and(|f| min_share(f) == MIN_SHARE || matches!(f, "edit" | "solve"))
        {
            return Some(Vote {
                function: self.functions[nearest],
                share: similarity,
                nearest,
                similarity,
            });
        }
        let mut weights: Vec<(Option<&'static str>, f32)> = Vec::new();
        for &(i, s) in scored.iter().take(K) {
            let w = s.max(0.0);
            match weights.iter_mut().find(|(f, _)| *f == self.functions[i]) {
                Some((_, total)) => *total += w,
                None => weights.push((self.functions[i], w)),
            }
        }
        let total: f32 = weights.iter().map(|(_, w)| w).sum();
        let (function, weight) = weights.into_iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
        Some(Vote {
            function,
            share: if total > 0.0 { weight / total } else { 0.0 },
            nearest,
            similarity,
        })
    }

    /// The vectors as stored in the cache: little-endian `f32`s, bank order.
    pub fn raw_bytes(vectors: &[Vec<f32>]) -> Vec<u8> {
        vectors
            .iter()
            .flatten()
            .flat_map(|x| x.to_le_bytes())
            .collect()
    }

    /// Vectors read back from `raw_bytes`, when the bytes hold exactly `count` of
    /// them, `width` wide; anything else (a damaged or foreign file) is `None`.
    pub fn from_raw_bytes(bytes: &[u8], count: usize, width: usize) -> Option<Vec<Vec<f32>>> {
        if count == 0 || width == 0 || bytes.len() != 4 * count * width {
            return None;
        }
        let floats: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if floats.iter().any(|x| !x.is_finite()) {
            return None;
        }
        Some(floats.chunks(width).map(<[f32]>::to_vec).collect())
    }
}

fn centred(v: &[f32], mean: &[f32]) -> Vec<f32> {
    let c: Vec<f32> = v.iter().zip(mean).map(|(x, m)| x - m).collect();
    let norm = c.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        c.into_iter().map(|x| x / norm).collect()
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bank_holds_no_held_out_request() {
        let held_out = [
            include_str!("../../fixtures/routes-holdout.jsonl"),
            include_str!("../../fixtures/routes-natural-holdout.jsonl"),
            include_str!("../../fixtures/routes-natural-holdout-2.jsonl"),
            include_str!("../../fixtures/routes-natural-holdout-3.jsonl"),
            include_str!("../../fixtures/routes-natural-holdout-4.jsonl"),
            include_str!("../../fixtures/routes-typos-holdout-2.jsonl"),
            include_str!("../../fixtures/routes-es-holdout.jsonl"),
            include_str!("../../fixtures/routes-de-holdout.jsonl"),
            include_str!("../../fixtures/routes-fr-holdout.jsonl"),
            include_str!("../../fixtures/routes-forms-holdout.jsonl"),
        ];
        let bank: std::collections::HashSet<String> =
            bank().iter().map(|e| e.request.to_lowercase()).collect();
        assert!(bank.len() > 500, "the bank has {} requests", bank.len());
        for line in held_out.iter().flat_map(|t| t.lines()) {
            let case: Value = serde_json::from_str(line).unwrap();
            let request = case["request"].as_str().unwrap().to_lowercase();
            assert!(
                !bank.contains(&request),
                "held-out {request:?} is in the bank"
            );
        }
    }

    #[test]
    fn every_function_in_the_bank_is_declared() {
        let declared: Vec<&str> = super::super::function_gemma::FUNCTIONS
            .iter()
            .map(|f| f.name)
            .collect();
        for e in bank() {
            if let Some(f) = e.function {
                assert!(declared.contains(&f), "{f} is not declared");
            }
        }
        let labelled = |f| bank().iter().filter(|e| e.function == Some(f)).count();
        for f in ["status", "log", "edit", "solve", "answer", "unclear", "run"] {
            assert!(labelled(f) >= 5, "{f} has {} examples", labelled(f));
        }
    }

    fn index() -> Index {
        // Two clusters around a shared offset (the common direction centring removes).
        let v = |x: f32, y: f32| vec![10.0 + x, 10.0 + y, 10.0];
        Index::new(
            vec![
                v(1.0, 0.1),
                v(0.9, -0.1),
                v(1.1, 0.0),
                v(-1.0, 0.1),
                v(-0.9, 0.0),
            ],
            vec![Some("log"), Some("log"), Some("log"), Some("answer"), None],
        )
        .unwrap()
    }

    #[test]
    fn the_nearest_requests_vote_by_similarity() {
        let vote = index().vote(&[11.0, 10.05, 10.0]).unwrap();
        assert_eq!(vote.function, Some("log"));
        assert!(vote.share > 0.9, "{vote:?}");
        assert!(vote.similarity > 0.9, "{vote:?}");
        assert!([0, 1, 2].contains(&vote.nearest));

        // Between the clusters, nothing is sure.
        let split = index().vote(&[10.2, 11.0, 10.0]).unwrap();
        assert!(split.share < MIN_SHARE, "{split:?}");

        // Right on a lone example that reads, it decides alone against the three
        // beyond it; on one that writes, the neighbours still vote.
        let lone = index().vote(&[9.0, 10.1, 10.0]).unwrap();
        assert_eq!(lone.function, Some("answer"), "{lone:?}");
        assert_eq!(lone.nearest, 3);
        assert!(lone.share >= SAME, "{lone:?}");
    }

    #[test]
    fn a_vote_to_write_needs_more_agreement_than_one_to_read() {
        for read in ["status", "log", "diff", "read", "list", "answer", "unclear"] {
            assert_eq!(min_share(read), MIN_SHARE, "{read}");
        }
        for function in super::super::function_gemma::FUNCTIONS {
            if !["status", "log", "diff", "read", "list", "answer", "unclear"]
                .contains(&function.name)
            {
                assert_eq!(
                    min_share(function.name),
                    MIN_SHARE_WRITE,
                    "{}",
                    function.name
                );
            }
        }
    }

    #[test]
    fn a_vector_of_another_width_gets_no_vote() {
        assert_eq!(index().vote(&[1.0, 2.0]), None);
        assert!(Index::new(vec![vec![1.0], vec![1.0, 2.0]], vec![None, None]).is_none());
        assert!(Index::new(Vec::new(), Vec::new()).is_none());
    }

    #[test]
    fn cached_vectors_round_trip_and_damage_is_refused() {
        let vectors = vec![vec![1.0_f32, -2.5], vec![0.0, 3.25]];
        let bytes = Index::raw_bytes(&vectors);
        assert_eq!(Index::from_raw_bytes(&bytes, 2, 2), Some(vectors));
        assert_eq!(Index::from_raw_bytes(&bytes[..7], 2, 2), None);
        assert_eq!(Index::from_raw_bytes(&bytes, 3, 2), None);
        // The same bytes read as another model's width (one vector of four).
        assert_eq!(Index::from_raw_bytes(&bytes, 1, 2), None);
        assert_eq!(Index::from_raw_bytes(&bytes, 2, 1), None);
        let nan = Index::raw_bytes(&[vec![f32::NAN, 1.0]]);
        assert_eq!(Index::from_raw_bytes(&nan, 1, 2), None);
    }

    #[test]
    fn a_reading_samples_the_scores_evenly() {
        let logits: Vec<f32> = (0..200).map(|i| i as f32).collect();
        let r = reading(&logits);
        assert_eq!(r.len(), reading_width(200));
        // 0, 64, 128, 192 as standard scores.
        let expected = [-1.3416, -0.4472, 0.4472, 1.3416];
        for (got, want) in r.iter().zip(expected) {
            assert!((got - want).abs() < 1e-3, "{r:?}");
        }
        // Only which entries are favoured counts, not by how much overall.
        let scaled: Vec<f32> = logits.iter().map(|x| 3.0 * x + 7.0).collect();
        for (a, b) in reading(&scaled).iter().zip(&r) {
            assert!((a - b).abs() < 1e-4);
        }
        assert_eq!(reading(&[5.0; 70]), vec![0.0, 0.0]);
        assert_eq!(reading_width(262_144), 4096);
    }
}
