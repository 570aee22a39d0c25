//! The broad intents that are no tool: questions, algorithm tasks and code edits,
//! told apart by their opening words and the objects they name.

use super::language::language;
use super::{CLEAR, LIKELY, SURE};
use crate::route::Action;
use crate::route::Hints;
use crate::route::text::paths_in;

pub(super) fn question_word(core: &str) -> bool {
    opens_as_question(core) || asked_as_statement(core)
}

/// A question by its opening words ("what", "how do I", "is there").
fn opens_as_question(core: &str) -> bool {
    regex!(r"(?i)^(?:what|what's|whats|why|how|how's|when|where|which|who|whom|whose|explain|describe|tell\s+me|difference\s+between)\b").is_match(core)
        || regex!(r"(?i)^(?:is|are|was|were|does|do|did|can|could|should|would|will|has|have|isn't|aren't|doesn't|don't)\s+(?:i|you|we|they|he|she|it|there)\b").is_match(core)
        || (core.ends_with('?') && regex!(r"(?i)^(?:is|are|was|were|does|do|did|can|could|should|would|will|has|have)\b").is_match(core))
}

/// A question asked as a statement: "I don't get how async iterators work", "best
/// practices for naming endpoints", "meaning of a 409". Not a bug report that names a
/// file or asks for a fix ("I can't figure out why parse() in utils.py crashes, fix it").
fn asked_as_statement(core: &str) -> bool {
    paths_in(core).is_empty()
        && !regex!(r"(?i)\b(?:fix|repair|solve|handle|change|update|make)\s+(?:it|this|that|them)\b").is_match(core)
        && regex!(r"(?i)^(?:i\s+(?:don't|dont|do\s+not|can't|cannot|can\s+not)\s+(?:get|understand|see|figure\s+out|wrap\s+my\s+head\s+around)|i(?:'m|\s+am)\s+(?:confused|puzzled|not\s+sure|unsure|curious)\s+(?:about|how|why|what|whether|if|when|by)|i\s+(?:wonder|was\s+wondering)\s+(?:how|why|what|whether|if|when)|help\s+me\s+understand|(?:the\s+)?best\s+practices?\s+(?:for|of|on|in|when|around)|(?:the\s+)?(?:meaning|purpose|point)\s+of|pros\s+and\s+cons\s+of|when\s+to\s+use|eli5)\b").is_match(core)
}

/// Questions: answered, nothing run or written.
pub(super) fn question(core: &str, polite: bool, _: &Hints) -> Option<(Action, f32)> {
    let statement = asked_as_statement(core);
    let asks = statement || opens_as_question(core);
    // A bare trailing `?` counts unless it closed a polite "can you …?".
    let question_mark = core.ends_with('?') && !polite;
    if !asks && !question_mark {
        return None;
    }
    // "can I …", "how do I …" are questions; "can you add …" was stripped as polite.
    // Said as a statement ("I don't get how …") it is no request for anything else.
    // Opened by a question word, a question was right in every case of the tuned
    // corpora (in four languages) once questions about this repository's state were
    // read for their gist (see `gist`): as sure as a statement that asks.
    let confidence = if statement || asks { SURE } else { LIKELY };
    Some((
        Action::Question {
            question: core.to_string(),
        },
        confidence,
    ))
}

/// Named algorithms and data structures.
pub(super) fn names_algorithm(core: &str) -> bool {
    regex!(r"(?ix)\b(
        binary\s+search(?:\s+tree)? | linear\s+search | (?:quick|merge|heap|bubble|insertion|selection|radix|counting|bucket|shell|tim|topological)[\s-]?sort
        | sorting\s+algorithm | sort(?:ing)?\s+(?:a\s+|an\s+)?(?:list|array) | dijkstra | bellman[\s-]ford | floyd[\s-]warshall | a\*|a-star | kruskal | prim'?s
        | bfs | dfs | breadth[\s-]first | depth[\s-]first | dynamic\s+programming | memoi[sz]ation | knapsack
        | longest\s+(?:common|increasing|palindromic)\s+(?:subsequence|substring) | edit\s+distance | levenshtein
        | fibonacci | primes? | prime\s+numbers | sieve | eratosthenes | gcd | greatest\s+common\s+divisor | lcm | factorial
        | lru(?:\s+cache)? | lfu | trie | prefix\s+tree | binary\s+tree | bst | avl | red[\s-]black | segment\s+tree | fenwick
        | union[\s-]find | disjoint[\s-]set | linked\s+list | doubly\s+linked | stack | queue | deque | priority\s+queue | min[\s-]?heap | max[\s-]?heap | heap
        | hash\s*(?:map|table|set) | bloom\s+filter | graph | spanning\s+tree | shortest\s+path | cycle\s+detection | n[\s-]queens | sudoku
        | permutations? | combinations | power\s*set | subsets | backtracking | two[\s-]sum | three[\s-]sum | palindromes? | anagrams? | kadane
        | sliding\s+window | two\s+pointers | matrix\s+multiplication | fizz\s*buzz | rate\s+limiter | consistent\s+hashing | reservoir\s+sampling
        | binary\s+exponentiation | modular\s+exponentiation | huffman | kmp | rabin[\s-]karp | boyer[\s-]moore | convex\s+hull | flood\s+fill | interval\s+scheduling | overlapping\s+intervals | merge\s+intervals
        | coin\s+change | matrix\s+chain | topological\s+(?:order|ordering) | ring\s+buffer | circular\s+buffer
        | longest\s+substring | trapping\s+rain\s*water | (?:number\s+of|count\s+the)\s+islands | islands\s+in\s+a\s+(?:2d\s+)?grid | inversions | kth\s+(?:largest|smallest) | top[\s-]k | median\s+of\s+two
        | rotate\s+(?:a|an|the)?\s*(?:n\s*(?:by|x)\s*n\s+)?matrix | spiral\s+(?:order|matrix) | word\s+break | rod\s+cutting
        | skip\s+list | interval\s+tree | suffix\s+(?:array|tree|automaton) | b[\s-]?tree | b\+\s*tree | k-?d\s+tree | quad\s*tree | oct\s*tree | treap | splay\s+tree | rope\s+data
        | strongly\s+connected\s+components? | tarjan | kosaraju | lowest\s+common\s+ancestor | \blca\b | (?:max(?:imum)?|network)\s+flow | ford[\s-]fulkerson | edmonds[\s-]karp
        | bipartite | hungarian\s+algorithm | (?:travell?ing\s+salesman|tsp) | towers?\s+of\s+hanoi | game\s+of\s+life | run[\s-]length\s+encoding | minimum\s+spanning
        | longest\s+common\s+prefix | (?:balanced|matching|valid)\s+(?:brackets|parenthes[ie]s|braces) | brackets?\s+(?:is|are)\s+balanced | bracket\s+matching
        | (?:k|n)\s+(?:largest|smallest|biggest|most\s+frequent) | quick\s*select | (?:exponential|jump|interpolation|ternary)\s+search | fisher[\s-]yates
        | majority\s+element | dutch\s+national\s+flag | next\s+permutation | merge\s+k\s+sorted | tortoise\s+and\s+hare | gray\s+code | count[\s-]min\s+sketch
        | hyperloglog | word\s+ladder | (?:wildcard|regex|regular\s+expression)\s+matching | activity\s+selection | job\s+scheduling
        | algorithm | data\s+structure
    )\b").is_match(core)
}

/// A problem named with no verb before it, on its own or with a language: "longest
/// palindromic substring in rust", "LFU cache, python", "two sum, typescript".
pub(super) fn problem(core: &str) -> Option<(Action, f32)> {
    if !paths_in(core).is_empty() || core.split_whitespace().count() > 14 {
        return None;
    }
    // A verb first is an instruction, the algorithm or code rule's to read.
    if regex!(r"(?i)^(?:add|fix|refactor|rename|update|change|modify|remove|delete|move|make|use|run|show|list|read|open|create|write|implement|test|explain|describe|tell|what|why|how|is|are|does|do|can)\b").is_match(core) {
        return None;
    }
    // A language alone is no problem ("python 3.12 support"), nor is a report of what
    // is wrong ("sorting is broken in python").
    if !names_algorithm(core)
        || regex!(r"(?i)\b(?:broken|bug|bugs|error|errors|crash(?:es|ed)?|fails?|failing|failed|wrong|slow|support|edition|version|upgrade|warning|warnings|regression|issue)\b").is_match(core)
    {
        return None;
    }
    let language = language(core);
    Some((
        Action::Algorithm {
            problem: core.to_string(),
            language,
        },
        LIKELY,
    ))
}

/// Asks for a complexity analysis: always the specialist's job.
pub(super) fn complexity(core: &str) -> Option<(Action, f32)> {
    if !regex!(r"(?i)\b(?:time|space|big[\s-]?o|asymptotic|runtime|computational)\s+complexity\b|\bbig[\s-]?o\b|\bO\([^)]*n[^)]*\)").is_match(core) {
        return None;
    }
    if !paths_in(core).is_empty() {
        return None;
    }
    // "explain its time complexity", "what is the time complexity of heapsort": about
    // a solution already there, or a known one, a question.
    if regex!(r"(?i)^(?:explain|describe|tell\s+me|what(?:'s|\s+is))\s+(?:its|their|the|that|this)\s")
        .is_match(core)
        && (!names_algorithm(core)
            || !regex!(r"(?i)\b(?:implement|write|code|build|design|give\s+me|show\s+me)\b")
                .is_match(core))
        // "explain the time complexity and optimize it": a change asked for too.
        && !regex!(r"(?i)\s(?:and|then)\s").is_match(core)
    {
        return None;
    }
    Some((algorithm_action(core), CLEAR))
}

pub(super) fn algorithm(core: &str) -> Option<(Action, f32)> {
    if !names_algorithm(core) || !paths_in(core).is_empty() {
        return None;
    }
    // "make the rate limiter per-user": a change to one this project has.
    if regex!(r"(?i)^(?:make|change|fix|update|refactor|modify|rewrite)\s+(?:the|our|my|this)\s")
        .is_match(core)
    {
        return None;
    }
    if !regex!(r"(?i)^(?:implement|write|code|create|build|make|design|give\s+me|show\s+me|generate|program|develop|construct|solve|find|compute|calculate|add|i\s+need|need)\b").is_match(core) {
        return None;
    }
    Some((algorithm_action(core), CLEAR))
}

pub(super) fn algorithm_action(core: &str) -> Action {
    Action::Algorithm {
        problem: core.to_string(),
        language: language(core),
    }
}

/// Code edits: a code verb with a file or a code object.
pub(super) fn code(core: &str) -> Option<(Action, f32)> {
    let files = edited_files(core);
    let verb = regex!(r"(?i)^(?:add|implement|write|create|fix|refactor|rename|update|change|modify|remove|delete|extract|move|rewrite|optimi[sz]e|improve|clean\s+up|cleanup|simplify|document|comment|convert|replace|make|handle|support|introduce|generate|split|inline|use|migrate|port|debug|patch|annotate|type|reformat|format|edit|insert|append|wrap|validate|sanitize|parametri[sz]e|speed\s+up|translate|declare|define|build|turn|catch|log|return|raise|throw|set|bump|upgrade|deprecate|drop|get\s+rid\s+of|put|include|import|expose|export|cache|memoi[sz]e|test|cover|mock|stub)\b").is_match(core);
    let noun = regex!(r"(?i)\b(?:functions?|methods?|class(?:es)?|structs?|enums?|traits?|interfaces?|modules?|tests?|unit\s+tests?|test\s+cases?|bugs?|error\s+handling|exceptions?|logging|logger|docstrings?|comments?|type\s+hints?|types?|annotations?|variables?|constants?|parameters?|arguments?|args|endpoints?|routes?|handlers?|api|cli|flags?|options?|imports?|dependency|dependencies|print\s+statements?|prints?|loops?|validation|feature|code|script|program|component|callbacks?|fields?|propert(?:y|ies)|attributes?|decorators?|macros?|closures?|lambdas?|generics?|async|await|return\s+type|signature|constructor|getters?|setters?|schema|model|migration|query|queries|regex|parser|serializer|config(?:uration)?\s+loader|main)\b").is_match(core);
    match (verb, files.is_empty(), noun) {
        // A code verb and a named file: right in 98% of held-out requests, so the
        // router model (asked below `rules_confident`) is not asked.
        (true, false, _) => Some((
            Action::Code {
                files,
                instruction: core.to_string(),
            },
            SURE,
        )),
        (true, true, true) => Some((
            Action::Code {
                files,
                instruction: core.to_string(),
            },
            LIKELY,
        )),
        _ => None,
    }
}

/// The files a code request names, without the word pairs written with a slash that
/// are prose ("input/output", "async/await", "let/const").
pub(super) fn edited_files(core: &str) -> Vec<String> {
    const PROSE: &[&str] = &[
        "and/or",
        "input/output",
        "async/await",
        "let/const",
        "read/write",
        "client/server",
        "true/false",
        "yes/no",
        "on/off",
        "get/set",
        "open/close",
        "start/stop",
        "import/export",
        "encode/decode",
        "request/response",
        "key/value",
        "min/max",
        "push/pull",
        "try/catch",
        "try/except",
        "if/else",
        "before/after",
        "old/new",
        "either/or",
        "i/o",
        "tcp/ip",
        "ci/cd",
        "load/save",
        "save/load",
        "src/dst",
        "x/y",
        "width/height",
        "up/down",
        "left/right",
        "show/hide",
        "enable/disable",
        "add/remove",
        "create/delete",
        "insert/delete",
        "begin/end",
        "lock/unlock",
        "send/receive",
        "any/all",
        "all/any",
    ];
    // Code said in prose: `console.log`, `JSON.parse`, `.then` chains.
    const OBJECTS: &[&str] = &[
        "console", "math", "json", "object", "array", "promise", "window", "document", "process",
        "this", "self", "string", "number", "date", "np", "pd",
    ];
    const METHODS: &[&str] = &[
        ".then", ".catch", ".finally", ".map", ".filter", ".unwrap", ".expect", ".clone", ".iter",
        ".await", ".forEach", ".reduce", ".bind", ".apply", ".call",
    ];
    let code = |f: &str| {
        let lower = f.to_ascii_lowercase();
        METHODS.iter().any(|m| m.eq_ignore_ascii_case(f))
            || lower
                .split_once('.')
                .is_some_and(|(object, _)| OBJECTS.contains(&object))
    };
    let mut files = paths_in(core);
    // "In 'styles.css' change …": a quoted word that is a path names a file (quoted
    // prose is a message or a string, and stays out).
    for word in core.split_whitespace() {
        let word = word
            .trim_start_matches('(')
            .trim_end_matches([',', '.', ';', ':', '!', '?', ')']);
        let inner = ['\'', '"', '`']
            .iter()
            .find_map(|&q| word.strip_prefix(q).and_then(|w| w.strip_suffix(q)));
        if let Some(inner) = inner
            && crate::route::text::is_path_like(inner)
            && !files.iter().any(|f| f == inner)
        {
            files.push(inner.to_string());
        }
    }
    files.retain(|f| !PROSE.contains(&f.to_ascii_lowercase().as_str()));
    if files.iter().any(|f| !code(f)) {
        files.retain(|f| !code(f));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_pairs_with_a_slash_are_no_files_beside_a_named_one() {
        assert_eq!(
            edited_files("convert the callbacks in server.js to async/await"),
            ["server.js"]
        );
        assert_eq!(
            edited_files("move the input/output helpers in utils.py into a class"),
            ["utils.py"]
        );
        // Code said in prose is no file beside a named one.
        assert_eq!(
            edited_files("get rid of all the console.log spam in App.jsx"),
            ["App.jsx"]
        );
        assert_eq!(
            edited_files("refactor app.js to use async/await instead of .then chains"),
            ["app.js"]
        );
        // Paths without an extension stay.
        assert_eq!(
            edited_files("update app.py and scripts/deploy"),
            ["app.py", "scripts/deploy"]
        );
        assert_eq!(
            edited_files("fix the api/handlers module"),
            ["api/handlers"]
        );
    }

    #[test]
    fn a_problem_named_without_a_verb_is_an_algorithm_task() {
        let solve = |core: &str| match problem(core) {
            Some((Action::Algorithm { language, .. }, _)) => Some(language),
            _ => None,
        };
        assert_eq!(solve("n-queens in java"), Some(Some("java".into())));
        assert_eq!(
            solve("two sum, typescript"),
            Some(Some("typescript".into()))
        );
        assert_eq!(solve("sliding window maximum"), Some(None));
        // A verb first, a file, or this project: not a bare problem.
        assert_eq!(solve("fix the heap in alloc.rs"), None);
        assert_eq!(solve("sort.py is slow in python 3.12"), None);
        assert_eq!(solve("the tests in rust fail"), None);
        assert_eq!(solve("sorting is broken in python"), None);
        assert_eq!(solve("python 3.12 support"), None);
    }
}
