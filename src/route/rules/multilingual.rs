//! Requests in Spanish, German, French, Portuguese and Italian, read by rewriting them
//! into the English the rules already understand: `zeig mir den Verlauf` → "show me
//! history", `crea una rama nueva llamada prueba` → "create a new branch called
//! prueba", `supprime le fichier temp.txt` → "delete file temp.txt", `faça push` →
//! "push", `cancella il file temp.txt` → "delete file temp.txt".
//!
//! A lexicon per language maps command verbs, objects and the little words around them
//! (accents optional: `muéstrame` and `muestrame` are one word) to English; quoted
//! text, paths, names after "called" and the command after "run" are copied as they
//! were typed, so parameters keep their exact spelling. The language is told from the
//! words a request uses, and only a request with more words of one of these languages
//! than of English is rewritten (git's own words, `commit`, `push`, count for neither). Questions are rewritten as English questions ("was
//! macht git stash" → "what does git stash"), so they stay questions.

use std::collections::HashSet;
use std::sync::LazyLock;

/// A language the lexicon reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Spanish,
    German,
    French,
    Portuguese,
    Italian,
}

/// Every language the lexicon reads, in the order `detect` tries them: on a tie the
/// earlier wins, so Portuguese and Italian, which share words with Spanish (`mostra`,
/// `crea`, `lista`), come last and take a request only with more of their own words.
const LANGUAGES: [Language; 5] = [
    Language::Spanish,
    Language::German,
    Language::French,
    Language::Portuguese,
    Language::Italian,
];

/// The words each language's phrases start with, looked up for every word of every
/// request that is no command line: a set, not a scan of the lexicon.
static FIRST_WORDS: LazyLock<[HashSet<&'static str>; 5]> = LazyLock::new(|| {
    LANGUAGES.map(|language| {
        lexicon(language)
            .iter()
            .filter_map(|(phrase, _)| phrase.split(' ').next())
            .collect()
    })
});

/// Whether a phrase of the language's lexicon starts with `word`.
fn starts_phrase(language: Language, word: &str) -> bool {
    FIRST_WORDS[language as usize].contains(word)
}

/// `core` rewritten in English, when it is written in one of the lexicon's languages.
pub fn to_english(core: &str) -> Option<String> {
    let tokens = tokenize(core);
    let language = detect(&tokens)?;
    let mut english = translate(&tokens, language);
    // A question keeps its mark: "¿qué hace git rebase?", "que fait git stash ?".
    if core.trim_end().ends_with('?') && !english.ends_with('?') {
        english.push('?');
    }
    Some(english)
}

/// Whether `core`, written in one of the lexicon's languages, says not to take a step
/// it names: "nicht pushen", "lösche temp.txt nicht", "ne supprime pas temp.txt",
/// "no hagas commit", "não faça push", "non cancellare temp.txt", "commit, aber nicht
/// pushen". The translation keeps no negation (the lexicon has none), so the caller
/// must not act on it. A clause that says no to no step is a reason ("lösche
/// temp.txt, brauche ich nicht mehr").
pub fn negates(core: &str) -> bool {
    const STEPS: &[&str] = &[
        "push", "pull", "commit", "delete", "remove", "run", "checkout", "switch", "stash",
        "merge", "rebase", "reset", "create", "add", "stage", "build", "install", "format",
    ];
    // A request is read as one language, and git's words may tip it to another ("push
    // nicht" reads as Spanish, for "push forzado"): the words no other language uses
    // otherwise count in any ("no" is Portuguese for "in the", "mai" Italian for never).
    const NO: &[&str] = &[
        "nunca",
        "jamas",
        "nicht",
        "nie",
        "niemals",
        "kein",
        "keine",
        "keinen",
        "nein",
        "keinesfalls",
        "ne",
        "n'",
        "pas",
        "jamais",
        "nao",
        // Dutch and the Scandinavian languages, which the lexicon does not read: their
        // "not" and "never" still say no ("niet pushen", "push inte").
        "niet",
        "nooit",
        "inte",
        "ikke",
        "aldrig",
    ];
    let tokens = tokenize(core);
    let Some(language) = detect(&tokens) else {
        return false;
    };
    let own: &[&str] = match language {
        Language::Spanish => &["no"],
        Language::French | Language::Italian => &["non", "mai"],
        Language::German | Language::Portuguese => &[],
    };
    tokens
        .split_inclusive(|t| t.typed.ends_with([',', ';', ':', '.']))
        .filter(|clause| {
            clause.iter().any(|t| {
                !t.quoted && (NO.contains(&t.folded.as_str()) || own.contains(&t.folded.as_str()))
            })
        })
        .any(|clause| {
            let english = translate(clause, language).to_ascii_lowercase();
            english.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
                STEPS.contains(&w)
                    || STEPS
                        .iter()
                        .any(|s| w.len() > s.len() && w.starts_with(s) && w.len() <= s.len() + 3)
            })
        })
}

/// One word of a request: as typed, and folded (lower case, no accents, `ß` as `ss`)
/// for looking up. A quoted span is one token that is never looked up.
#[derive(Debug, Clone)]
struct Token<'a> {
    typed: &'a str,
    folded: String,
    quoted: bool,
}

fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' => out.push('i'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
            'ñ' => out.push('n'),
            'ç' => out.push('c'),
            'ß' => out.push_str("ss"),
            '’' => out.push('\''),
            '¿' | '¡' | '«' | '»' => {}
            c => out.push(c),
        }
    }
    out.trim_end_matches([',', '.', '!', ':', ';', '?'])
        .trim_start_matches(['(', '"'])
        .to_string()
}

/// Pronouns French and Spanish attach with a hyphen (`montre-moi`, `suis-je`,
/// `a-t-il`), split off so that the verb is found; `login-fix` stays whole.
const ATTACHED: &[&str] = &[
    "-t-il", "-moi", "-toi", "-le", "-la", "-les", "-lui", "-nous", "-vous", "-je", "-tu", "-il",
    "-ce", "-on",
];

fn tokenize(core: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = core.trim();
    while !rest.is_empty() {
        let first = rest.chars().next().unwrap_or(' ');
        // A quoted span is one token, up to its closing quote.
        if matches!(first, '"' | '\'' | '`' | '“' | '‘') {
            let close = match first {
                '“' => '”',
                '‘' => '’',
                c => c,
            };
            if let Some(end) = rest[first.len_utf8()..].find(close) {
                let end = first.len_utf8() + end + close.len_utf8();
                tokens.push(Token {
                    typed: &rest[..end],
                    folded: String::new(),
                    quoted: true,
                });
                rest = rest[end..].trim_start();
                continue;
            }
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        rest = rest[end..].trim_start();
        push_word(&mut tokens, word);
    }
    tokens
}

/// Splits French elisions (`l'historique`, `qu'est-ce`) and attached pronouns, and
/// a lone `?` or `¿` typed apart from its sentence is dropped.
fn push_word<'a>(tokens: &mut Vec<Token<'a>>, word: &'a str) {
    if word.chars().all(|c| matches!(c, '?' | '¿' | '!' | '¡')) {
        return;
    }
    // A flag (`-la`, `--force`) is a command's, copied as typed and never looked up.
    if word.starts_with('-') {
        tokens.push(Token {
            typed: word,
            folded: String::new(),
            quoted: false,
        });
        return;
    }
    if crate::route::text::is_path_like(word.trim_end_matches([',', '.', '?', '!', ':', ';'])) {
        tokens.push(Token {
            typed: word,
            folded: fold(word),
            quoted: false,
        });
        return;
    }
    // `l'`, `d'`, `qu'`, `j'`, `m'`, `s'`, `c'`, `n'`, `t'`: the elided word is a token.
    if let Some(at) = word.find(['\'', '’']) {
        let head = &word[..at];
        let quote = word[at..].chars().next().map_or(1, char::len_utf8);
        let tail = &word[at + quote..];
        if (1..=2).contains(&head.chars().count()) && !tail.is_empty() {
            tokens.push(Token {
                typed: &word[..at + quote],
                folded: format!("{}'", fold(head)),
                quoted: false,
            });
            push_word(tokens, tail);
            return;
        }
    }
    let folded = fold(word);
    for suffix in ATTACHED {
        if folded.len() > suffix.len() + 1 && folded.ends_with(suffix) {
            let cut = word.len() - word_suffix_len(word, suffix.len());
            let head = &word[..cut];
            push_word(tokens, head);
            tokens.push(Token {
                typed: &word[cut..],
                folded: suffix.to_string(),
                quoted: false,
            });
            return;
        }
    }
    let folded = umlaut_spelt_out(folded);
    tokens.push(Token {
        typed: word,
        folded,
        quoted: false,
    });
}

/// A German word typed without umlauts as German spells them out ("fuehr",
/// "loesche", "aendere"), folded as its umlauts are ("fuhr"); only when the lexicon
/// knows the word that way and no language knows it as typed ("que" stays).
fn umlaut_spelt_out(folded: String) -> String {
    if !folded.contains("ae") && !folded.contains("oe") && !folded.contains("ue") {
        return folded;
    }
    let known = |word: &str| {
        LANGUAGES
            .iter()
            .any(|&language| starts_phrase(language, word) || marker(language, word))
    };
    if known(&folded) {
        return folded;
    }
    let plain = folded
        .replace("ae", "a")
        .replace("oe", "o")
        .replace("ue", "u");
    if starts_phrase(Language::German, &plain) {
        plain
    } else {
        folded
    }
}

/// The byte length of the last `chars` characters of `word`, ignoring the sentence
/// punctuation `fold` drops.
fn word_suffix_len(word: &str, chars: usize) -> usize {
    let body = word.trim_end_matches([',', '.', '!', ':', ';', '?']);
    let punct = word.len() - body.len();
    body.char_indices()
        .rev()
        .nth(chars - 1)
        .map_or(body.len(), |(i, _)| body.len() - i)
        + punct
}

/// English words: a request with more of these than of another language's is English.
/// Portuguese `no` ("in the") is the English `no` too, so it never makes an English
/// request Portuguese ("no, show the log").
const ENGLISH: &[&str] = &[
    "the", "a", "an", "to", "of", "and", "me", "my", "in", "on", "with", "all", "show", "what",
    "is", "are", "do", "does", "how", "please", "file", "files", "changes", "from", "it", "this",
    "that", "for", "run", "create", "delete", "list", "called", "named", "new", "last", "can",
    "you", "i", "am", "read", "open", "add", "fix", "explain", "install", "switch", "no",
];

/// Which language a request is written in, when it is one the lexicon reads and it
/// has more of that language's words than of English.
fn detect(tokens: &[Token]) -> Option<Language> {
    let mut best: Option<(Language, usize)> = None;
    let mut english = 0;
    // "lance npm install puis npm run build": a command's own words ("install",
    // "run" after `npm`) are no English.
    const RUNNERS: &[&str] = &[
        "npm", "pnpm", "yarn", "bun", "npx", "cargo", "pip", "pip3", "go", "git", "make", "poetry",
        "uv", "deno", "docker", "mvn", "gradle", "dotnet", "bundle", "python", "python3", "node",
    ];
    for (i, t) in tokens.iter().enumerate().filter(|(_, t)| !t.quoted) {
        let after_runner = i > 0 && RUNNERS.contains(&tokens[i - 1].folded.as_str());
        if ENGLISH.contains(&t.folded.as_str()) && !after_runner {
            english += 1;
        }
    }
    for language in LANGUAGES {
        let mut score = 0;
        for (i, t) in tokens.iter().enumerate().filter(|(_, t)| !t.quoted) {
            let known = starts_phrase(language, &t.folded) || marker(language, &t.folded);
            if known && !ENGLISH.contains(&t.folded.as_str()) {
                // The first word is the verb, and French elisions and attached
                // pronouns (`l'`, `-moi`) are French: they say more than other words.
                // So is a German verb said last ("Branch x anlegen").
                let strong = i == 0
                    || t.folded.ends_with('\'')
                    || t.folded.starts_with('-')
                    || (language == Language::German
                        && i == tokens.len() - 1
                        && INFINITIVES.contains(&t.folded.as_str()));
                score += if strong { 2 } else { 1 };
            }
        }
        if score > english && best.is_none_or(|(_, s)| score > s) {
            best = Some((language, score));
        }
    }
    best.map(|(language, _)| language)
}

/// Words of a language the lexicon has no English for, but which tell the language.
fn marker(language: Language, word: &str) -> bool {
    let words: &[&str] = match language {
        Language::Spanish => &[
            "es", "esta", "este", "esto", "son", "hay", "algo", "muy", "pero",
        ],
        Language::German => &[
            "ist", "sind", "ich", "du", "nicht", "auch", "noch", "nur", "sie", "lade",
        ],
        Language::French => &[
            "est", "sont", "je", "tu", "il", "pas", "ne", "aussi", "encore",
        ],
        Language::Portuguese => &[
            "voce", "eu", "nao", "isso", "isto", "tambem", "mas", "muito", "sao", "tem",
        ],
        Language::Italian => &[
            "sono", "non", "anche", "ancora", "solo", "questo", "questa", "ma", "molto", "ho",
        ],
    };
    words.contains(&word)
}

/// Rewrites the tokens in English, longest phrase first; what the lexicon does not
/// know is copied as typed.
fn translate(tokens: &[Token], language: Language) -> String {
    let lexicon = lexicon(language);
    let tokens = separable(tokens, language);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let mut verbatim_next = false;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.quoted || verbatim_next || t.folded.is_empty() {
            out.push(t.typed.to_string());
            verbatim_next = false;
            i += 1;
            continue;
        }
        if !starts_phrase(language, &t.folded) {
            out.push(t.typed.to_string());
            i += 1;
            continue;
        }
        let found = (1..=8.min(tokens.len() - i)).rev().find_map(|n| {
            if tokens[i..i + n].iter().any(|t| t.quoted) {
                return None;
            }
            let phrase = tokens[i..i + n]
                .iter()
                .map(|t| t.folded.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            lexicon
                .iter()
                .find(|(p, _)| *p == phrase)
                .map(|(_, english)| (n, *english))
        });
        let Some((n, english)) = found else {
            out.push(t.typed.to_string());
            i += 1;
            continue;
        };
        if !english.is_empty() {
            out.push(english.to_string());
        }
        i += n;
        match english {
            // What follows "called" is a name, copied as typed.
            "called" => verbatim_next = true,
            // "commit con mensaje edita el readme": a message is the user's own words,
            // copied as typed to the end, whether quoted or not.
            "message"
                if out.len() >= 2
                    && matches!(out[out.len() - 2].as_str(), "with" | "with the" | "the")
                    && tokens.get(i).is_some_and(|t| !t.quoted) =>
            {
                out.extend(tokens[i..].iter().map(|t| t.typed.to_string()));
                break;
            }
            // What follows "run" is a command, unless it is more words of the language
            // ("ejecuta los tests").
            "run" if out.len() == 1 => {
                let next_known = tokens
                    .get(i)
                    .is_some_and(|t| !t.quoted && starts_phrase(language, &t.folded));
                // "lance `go build ./...` s'il te plaît": the quoted command, then more
                // words of the language, read as the rest of the request is.
                let quoted = tokens.get(i).is_some_and(|t| t.quoted);
                if !next_known && !quoted {
                    out.extend(tokens[i..].iter().map(|t| t.typed.to_string()));
                    break;
                }
            }
            _ => {}
        }
    }
    plural_after_number(&mut out);
    out.join(" ")
}

/// Italian and Portuguese keep an English loanword as it is in the plural (`gli ultimi
/// 5 commit`, `os últimos 3 commit`), where English wants "commits": after a number
/// the word is made plural.
fn plural_after_number(words: &mut [String]) {
    for i in 1..words.len() {
        let counted = words[i - 1].parse::<u32>().is_ok_and(|n| n > 1);
        if counted && words[i].eq_ignore_ascii_case("commit") {
            words[i].push('s');
        }
    }
}

/// German separable verbs put their particle last (`führe cargo build aus`, `lege
/// einen Ordner an`), and a verb in the infinitive comes last too (`Status anzeigen`):
/// the particle is dropped and the verb moved to the front, as English has it.
fn separable<'a>(tokens: &[Token<'a>], language: Language) -> Vec<Token<'a>> {
    let mut tokens = tokens.to_vec();
    if language != Language::German || tokens.len() < 2 {
        return tokens;
    }
    // "die Tests mit pytest laufen lassen": "run", in two words, said last.
    if tokens.len() > 2
        && tokens[tokens.len() - 1].folded == "lassen"
        && tokens[tokens.len() - 2].folded == "laufen"
    {
        tokens.remove(tokens.len() - 2);
        let last = tokens.len() - 1;
        tokens[last].folded = "ausfuhren".to_string();
    }
    // "Änderungen zwischenspeichern (stash)": a gloss after the verb, said again in
    // git's word ("(nicht)", "(später)" say more, and stay).
    if tokens.len() > 2
        && tokens.last().is_some_and(|t| {
            t.typed
                .strip_prefix('(')
                .and_then(|t| t.strip_suffix(')'))
                .is_some_and(|gloss| {
                    matches!(
                        gloss.to_ascii_lowercase().as_str(),
                        "stash"
                            | "commit"
                            | "push"
                            | "pull"
                            | "checkout"
                            | "switch"
                            | "add"
                            | "stage"
                            | "branch"
                            | "status"
                            | "log"
                            | "diff"
                    )
                })
        })
    {
        tokens.pop();
    }
    const PARTICLES: &[(&str, &[&str], &str)] = &[
        ("aus", &["fuhre", "fuhr", "fuhren"], "fuhre"),
        // "lies mir die Datei package.json vor": read out, which is a read.
        ("vor", &["lies", "lese", "lesen"], "lies"),
        ("an", &["lege", "leg", "legen"], "erstelle"),
        ("an", &["zeige", "zeig", "zeigen"], "zeige"),
        ("an", &["wende", "wend", "wenden"], "wende"),
        ("auf", &["liste", "list", "listen"], "liste"),
        ("hinzu", &["fuge", "fug", "fugen"], "fuge"),
        // "lade es hoch": upload, which is a push.
        ("hoch", &["lade", "lad", "laden"], "pushe"),
        ("ruckgangig", &["mache", "mach", "machen"], "undo"),
    ];
    let first = tokens[0].folded.clone();
    // The particle ends the verb's clause: "leg einen Zweig x an, ohne zu wechseln".
    let end = tokens
        .iter()
        .position(|t| t.typed.ends_with(','))
        .unwrap_or(tokens.len() - 1);
    let last = tokens[end].folded.clone();
    if let Some((_, _, verb)) = PARTICLES
        .iter()
        .find(|(particle, verbs, _)| *particle == last && verbs.contains(&first.as_str()))
    {
        tokens.remove(end);
        tokens[0].folded = (*verb).to_string();
        return tokens;
    }
    // "bitte mal git add für src/x.js machen": git's own command, said with "machen".
    if last == "machen"
        && end == tokens.len() - 1
        && let Some(git) = tokens.iter().position(|t| t.folded == "git")
        && git + 2 < end
        && tokens[..git]
            .iter()
            .all(|t| matches!(t.folded.as_str(), "bitte" | "mal" | "noch" | "kurz"))
    {
        tokens.truncate(end);
        if matches!(
            tokens[git + 2].folded.as_str(),
            "fur" | "auf" | "von" | "mit"
        ) {
            tokens.remove(git + 2);
        }
        return tokens.split_off(git);
    }

    // "zuerst die Datei notes.txt löschen", "bitte alles committen": the verb after
    // the words that open the sentence, as English has them ("first delete …").
    let opening = tokens
        .iter()
        .take_while(|t| {
            matches!(
                t.folded.as_str(),
                "zuerst"
                    | "erst"
                    | "zunachst"
                    | "dann"
                    | "danach"
                    | "jetzt"
                    | "bitte"
                    | "mal"
                    | "noch"
            )
        })
        .count();
    // "Ich hasse es, alles zu holen": a sentence with its own subject, or an
    // infinitive after "zu", says something else.
    let sentence = tokens.len() >= 2 && tokens[tokens.len() - 2].folded == "zu"
        || tokens.iter().any(|t| {
            matches!(
                t.folded.as_str(),
                "ich" | "du" | "wir" | "ihr" | "man" | "will" | "mochte" | "soll" | "sollte"
            )
        });
    if sentence {
        return tokens;
    }
    if INFINITIVES.contains(&last.as_str()) && opening < tokens.len() - 1 {
        let verb = tokens.pop().expect("at least two tokens");
        tokens.insert(opening, verb);
    } else if let Some(at) = tokens
        .iter()
        .position(|t| INFINITIVES.contains(&t.folded.as_str()))
        && at > opening
        && tokens[at + 1..]
            .iter()
            .all(|t| t.quoted || matches!(t.folded.as_str(), "mit" | "der" | "nachricht"))
    {
        // "alles committen mit \"WIP\"": the verb, then only its message.
        let verb = tokens.remove(at);
        tokens.insert(opening, verb);
    }
    tokens
}

/// German verbs in the infinitive, which a request puts last (`Status anzeigen`).
const INFINITIVES: &[&str] = &[
    "anzeigen",
    "zeigen",
    "auflisten",
    "loschen",
    "ausfuhren",
    "committen",
    "pushen",
    "pullen",
    "erstellen",
    "anlegen",
    "offnen",
    "stashen",
    "stagen",
    "hinzufugen",
    // "auf develop wechseln", "den neuesten Stand holen", "Änderungen
    // zwischenspeichern": a list item says its verb last.
    "wechseln",
    "zwischenspeichern",
];

type Lexicon = &'static [(&'static str, &'static str)];

fn lexicon(language: Language) -> Lexicon {
    match language {
        Language::Spanish => SPANISH,
        Language::German => GERMAN,
        Language::French => FRENCH,
        Language::Portuguese => PORTUGUESE,
        Language::Italian => ITALIAN,
    }
}

/// Spanish, folded (no accents), to English. An empty English drops the words.
const SPANISH: Lexicon = &[
    ("contenido", "contents"),
    ("raiz", "root"),
    ("pero no te cambies a ella", "without switching to it"),
    ("pero no te cambies", "without switching"),
    ("no te cambies a ella", "without switching to it"),
    ("la lista de stashes", "the stash list"),
    ("lista de stashes", "stash list"),
    // "mostra a lista de stashes": Portuguese, as close to Spanish as it reads.
    ("a lista de stashes", "the stash list"),
    ("tengo que", "i have to"),
    ("cambiar de rama", "switch branches"),
    ("urgente", "urgently"),
    ("escribe una solucion de", "write a"),
    ("programacion dinamica", "dynamic programming"),
    ("problema de la mochila", "knapsack problem"),
    ("para el", "for the"),
    ("carpeta raiz", "root folder"),
    ("directorio raiz", "root folder"),
    ("hazme un commit", "commit"),
    ("hazme commit", "commit"),
    ("vuelve a correr", "run"),
    ("vuelve a ejecutar", "run"),
    ("vuelve a lanzar", "run"),
    ("dime que cambio en", "show me what changed in"),
    ("dime que cambio", "show me what changed"),
    ("al area de staging", "to the staging area"),
    ("al area de preparacion", "to the staging area"),
    ("al indice", "to the index"),
    ("edita", "edit"),
    ("editar", "edit"),
    ("sin cambiarte a ella", "without switching to it"),
    ("sin cambiar a ella", "without switching to it"),
    ("sin cambiarte", "without switching to it"),
    ("sin cambiar de rama", "without switching to it"),
    ("sin moverte a ella", "without switching to it"),
    ("comando", "command"),
    ("bomba fork", "fork bomb"),
    ("bomba de fork", "fork bomb"),
    // politeness
    ("por favor", "please"),
    ("porfa", "please"),
    ("podrias", "can you"),
    ("puedes", "can you"),
    ("podria", "can you"),
    ("puede", "can you"),
    ("podrias por favor", "can you"),
    ("quiero", "i want to"),
    ("necesito", "i need to"),
    // verbs
    ("muestrame", "show me"),
    ("mostrame", "show me"),
    ("ensename", "show me"),
    ("mostrarme", "show me"),
    ("muestra", "show"),
    ("mostra", "show"),
    ("mostrar", "show"),
    ("muestre", "show"),
    ("muestreme", "show me"),
    ("ensena", "show"),
    ("ver", "show"),
    ("dame", "give me"),
    ("crea", "create"),
    ("crear", "create"),
    ("cree", "create"),
    ("creame", "create"),
    ("haz commit", "commit"),
    ("haz un commit", "commit"),
    ("hace commit", "commit"),
    ("haz push", "push"),
    ("hacer push", "push"),
    ("hacer pull", "pull"),
    ("hacer commit", "commit"),
    ("hacer el commit", "commit"),
    ("hacer el push", "push"),
    ("haz un push forzado", "force push"),
    ("haz push forzado", "force push"),
    ("push forzado", "force push"),
    ("haz un push", "push"),
    ("haz pull", "pull"),
    ("haz un pull", "pull"),
    ("haz force push", "force push"),
    ("haz un force push", "force push"),
    ("haz stash", "stash"),
    ("haz el stash", "stash"),
    ("haz un stash", "stash"),
    // "aplica el stash (de vuelta)": a stash applied, or brought back.
    ("aplica", "apply"),
    ("aplicar", "apply"),
    ("de vuelta", "back"),
    ("haz checkout a", "checkout"),
    ("hazme un checkout a la branch", "checkout"),
    ("hazme un checkout a la rama", "checkout"),
    ("hazme un checkout a", "checkout"),
    ("hazme checkout a", "checkout"),
    ("haz checkout a la branch", "checkout"),
    ("haz checkout a la rama", "checkout"),
    ("los tests", "the tests"),
    ("las pruebas", "the tests"),
    ("oye", ""),
    ("haz checkout de", "checkout"),
    ("haz checkout", "checkout"),
    ("haz", "make"),
    ("ejecutalo", "run it"),
    ("correlo", "run it"),
    ("lanzalo", "run it"),
    ("borralo", "delete it"),
    ("eliminalo", "delete it"),
    ("abrelo", "open it"),
    ("leelo", "read it"),
    ("muestralo", "show it"),
    ("commitealo", "commit it"),
    ("haz commit de eso", "commit it"),
    ("subelo", "push it"),
    ("cambiate a ella", "switch to it"),
    ("commitea", "commit"),
    ("comitea", "commit"),
    ("commitear", "commit"),
    ("sube", "push"),
    ("subir", "push"),
    ("empuja", "push"),
    ("pushea", "push"),
    ("trae", "pull"),
    // "trae lo nuevo del servidor", "descarga lo último del equipo": what is new there.
    ("trae lo nuevo", "pull the latest changes"),
    ("descarga lo ultimo", "pull the latest changes"),
    ("descarga lo nuevo", "pull the latest changes"),
    ("baja lo ultimo", "pull the latest changes"),
    // "guarda mis cambios a un lado sin hacer commit": put aside, a stash.
    ("guarda mis cambios a un lado", "stash my changes"),
    ("pon mis cambios a un lado", "stash my changes"),
    ("sin hacer commit", ""),
    ("traer", "pull"),
    ("baja", "pull"),
    ("bajar", "pull"),
    ("pullea", "pull"),
    ("lee", "read"),
    ("leer", "read"),
    ("abre", "open"),
    ("abrir", "open"),
    ("borra", "delete"),
    ("formatea", "format"),
    ("formatear", "format"),
    ("disco duro", "hard drive"),
    ("todo lo que hay en", "everything in"),
    ("todo lo que hay", "everything"),
    ("carpeta home", "home folder"),
    ("directorio personal", "home directory"),
    ("carpeta personal", "home folder"),
    ("disco", "disk"),
    ("entero", "entirely"),
    ("borrar", "delete"),
    ("elimina", "delete"),
    ("eliminar", "delete"),
    ("quita", "delete"),
    ("suprime", "delete"),
    ("lista su contenido", "list its contents"),
    ("muestra su contenido", "list its contents"),
    ("lista", "list"),
    ("listar", "list"),
    ("enumera", "list"),
    ("ejecuta", "run"),
    ("ejecutar", "run"),
    ("ejecute", "run"),
    ("corre", "run"),
    ("correr", "run"),
    ("lanza", "run"),
    ("cambia a", "switch to"),
    // "cámbiame a la rama main": the same, said to me.
    ("cambiame a", "switch to"),
    ("cambiate a", "switch to"),
    ("cambiar a", "switch to"),
    ("ve a", "switch to"),
    ("vete a", "switch to"),
    ("pasa a", "switch to"),
    ("pasate a", "switch to"),
    ("cambia", "change"),
    ("guarda", "save"),
    ("guardar", "save"),
    ("agrega", "add"),
    ("anade", "add"),
    ("anadelo", "add it"),
    ("anadelos", "add them"),
    ("agregar", "add"),
    ("anadir", "add"),
    ("arregla", "fix"),
    ("corrige", "fix"),
    ("arreglar", "fix"),
    ("corregir", "fix"),
    ("repara", "fix"),
    ("implementa", "implement"),
    ("implementar", "implement"),
    ("escribe", "write"),
    ("escribir", "write"),
    ("refactoriza", "refactor"),
    ("renombra", "rename"),
    ("actualiza", "update"),
    ("mueve", "move"),
    ("documenta", "document"),
    ("instala", "install"),
    ("instalar", "install"),
    ("explica", "explain"),
    ("explicame", "explain"),
    ("explicar", "explain"),
    ("dime", "tell me"),
    ("deshago", "undo"),
    ("deshacer", "undo"),
    ("deshaz", "undo"),
    // questions
    ("en que rama estoy", "what branch am i on"),
    ("en que rama estamos", "what branch are we on"),
    ("que rama estoy usando", "what branch am i on"),
    ("que he cambiado", "what have i changed"),
    ("que cambie", "what did i change"),
    ("que hay en", "what's in"),
    ("que hay dentro de", "what's in"),
    ("que contiene", "what's in"),
    ("que hace", "what does"),
    ("que es", "what is"),
    ("que son", "what are"),
    ("que", "what"),
    ("como", "how"),
    ("por que", "why"),
    ("porque", "why"),
    ("cual", "which"),
    ("cuales", "which"),
    ("donde", "where"),
    ("cuando", "when"),
    ("falla", "fail"),
    // objects
    ("estado", "status"),
    ("historial de cambios", "history"),
    ("historial", "history"),
    ("registro de cambios", "log"),
    ("registro", "log"),
    ("ultimos cambios", "latest changes"),
    ("que archivos he modificado", "which files have I modified"),
    ("que archivos he cambiado", "which files have I changed"),
    ("cola de prioridad", "priority queue"),
    ("lo ultimo", "the latest"),
    ("lo mas reciente", "the latest"),
    ("lo mas nuevo", "the latest"),
    ("del remoto", "from remote"),
    ("del servidor", "from server"),
    ("del origin", "from origin"),
    ("ultimos", "last"),
    ("ultimas", "last"),
    ("ultimo", "last"),
    ("rama nueva", "new branch"),
    ("carpeta nueva", "new folder"),
    ("archivo nuevo", "new file"),
    ("rama", "branch"),
    ("ramas", "branches"),
    ("nueva", "new"),
    ("nuevo", "new"),
    ("llamada", "called"),
    ("llamado", "called"),
    ("que se llame", "called"),
    ("con el nombre", "called"),
    ("con nombre", "called"),
    ("archivo", "file"),
    ("vacio", "empty"),
    ("vacia", "empty"),
    ("fichero", "file"),
    ("archivos", "files"),
    ("archivos modificados", "modified files"),
    ("todos los archivos modificados", "all modified files"),
    ("archivos cambiados", "changed files"),
    ("ficheros", "files"),
    ("carpeta", "folder"),
    ("directorio", "folder"),
    ("cambios", "changes"),
    ("diferencias", "differences"),
    ("mis", "my"),
    ("mi", "my"),
    ("de todo", "everything"),
    ("todo el repositorio", "the whole repository"),
    ("todo el disco duro", "the whole hard drive"),
    ("todo el disco", "the whole disk"),
    ("todo el proyecto", "the whole project"),
    ("todo", "everything"),
    ("todos los cambios", "all changes"),
    ("de todos los cambios", "all changes"),
    ("de todo", "everything"),
    ("todos los archivos", "all files"),
    ("todos", "all"),
    ("todas", "all"),
    ("mensaje", "message"),
    ("con", "with"),
    ("sus", "its"),
    ("en el stash", "in the stash"),
    ("en", "in"),
    ("dentro de", "in"),
    ("de", "of"),
    ("del", "of"),
    ("a", "to"),
    ("al", "to"),
    ("el", ""),
    ("la", ""),
    ("los", ""),
    ("las", ""),
    ("un", "a"),
    ("una", "a"),
    ("y", "and"),
    ("remoto", "remote"),
    ("servidor", "server"),
    ("repositorio", "repository"),
    ("proyecto", "project"),
    ("indice", "index"),
    ("para", "for"),
    ("error", "bug"),
    ("fallo", "bug"),
    ("funcion", "function"),
    ("pruebas", "tests"),
    ("requisitos", "requirements"),
    ("dependencias", "requirements"),
    ("algoritmo", "algorithm"),
    ("busqueda binaria", "binary search"),
    ("ordenamiento rapido", "quick sort"),
    ("ordenamiento por mezcla", "merge sort"),
    ("lista enlazada", "linked list"),
    ("arbol binario", "binary tree"),
    ("uno", "1"),
    ("dos", "2"),
    ("tres", "3"),
    ("cuatro", "4"),
    ("cinco", "5"),
    ("seis", "6"),
    ("siete", "7"),
    ("ocho", "8"),
    ("nueve", "9"),
    ("diez", "10"),
    ("veinte", "20"),
];

/// German, folded (no umlauts, `ß` as `ss`), to English.
const GERMAN: Lexicon = &[
    ("darauf wechseln", "switch to it"),
    ("wechsle darauf", "switch to it"),
    ("wechsel darauf", "switch to it"),
    ("inhalt von", "contents of"),
    ("den inhalt von", "the contents of"),
    ("wechsle dahin", "switch to it"),
    ("inhalt", "contents"),
    ("stammverzeichnis", "root"),
    ("wurzelverzeichnis", "root"),
    ("zuerst", "first"),
    ("erst", "first"),
    ("zunachst", "first"),
    ("als erstes", "first"),
    ("bearbeite", "edit"),
    ("bearbeiten", "edit"),
    ("aendere", "change"),
    ("aktualisiere", "update"),
    ("ohne darauf zu wechseln", "without switching to it"),
    ("ohne zu wechseln", "without switching to it"),
    ("ohne hinzuwechseln", "without switching to it"),
    ("befehl", "command"),
    ("forkbombe", "fork bomb"),
    ("fork-bombe", "fork bomb"),
    // "Committe bitte alle Änderungen": a "please" anywhere, which English puts first
    // (and the politeness of a request is read from it as typed).
    ("bitte", ""),
    ("darin", ""),
    ("dort drin", ""),
    ("kannst du", "can you"),
    ("konntest du", "can you"),
    ("konnen sie", "can you"),
    ("konnten sie", "can you"),
    ("wurdest du", "can you"),
    ("mal", ""),
    ("einfach", ""),
    ("doch", ""),
    ("jetzt", ""),
    ("gerade", ""),
    ("ich will", "i want to"),
    ("ich mochte", "i want to"),
    // verbs
    ("zeig mir", "show me"),
    ("lies mir", "read me"),
    ("lies uns", "read us"),
    ("zeige mir", "show me"),
    ("zeig", "show"),
    ("zeige", "show"),
    ("zeigen", "show"),
    ("anzeigen", "show"),
    ("gib mir", "give me"),
    ("erstelle", "create"),
    ("erstell", "create"),
    ("erstellen", "create"),
    ("anlegen", "create"),
    ("erzeuge", "create"),
    ("mach einen force push", "force push"),
    ("mache einen force push", "force push"),
    ("mach einen commit", "commit"),
    ("mache einen commit", "commit"),
    ("mach einen push", "push"),
    ("mach einen pull", "pull"),
    ("mache einen pull", "pull"),
    ("mach ein pull", "pull"),
    ("mach mal einen commit", "commit"),
    ("mach mal einen pull", "pull"),
    ("mach mal einen push", "push"),
    ("die tests", "the tests"),
    ("mach", "make"),
    ("mache", "make"),
    ("committe", "commit"),
    ("commite", "commit"),
    ("comitte", "commit"),
    ("committen", "commit"),
    ("pushe", "push"),
    ("pushen", "push"),
    ("schiebe", "push"),
    ("pulle", "pull"),
    ("pullen", "pull"),
    ("hol", "pull"),
    ("hole", "pull"),
    ("holen", "pull"),
    ("lies", "read"),
    ("lese", "read"),
    ("offne", "open"),
    ("offnen", "open"),
    ("losche", "delete"),
    ("formatiere", "format"),
    ("formatieren", "format"),
    ("festplatte", "hard drive"),
    ("platte", "disk"),
    ("home-verzeichnis", "home directory"),
    ("home-ordner", "home folder"),
    ("alles in meinem home-ordner", "my whole home folder"),
    ("komplettes", "whole"),
    ("komplette", "whole"),
    ("kompletten", "whole"),
    ("komplett", "whole"),
    ("ganzes", "whole"),
    ("ganze", "whole"),
    ("ganzen", "whole"),
    ("gesamtes", "whole"),
    ("gesamte", "whole"),
    ("gesamten", "whole"),
    ("heimverzeichnis", "home directory"),
    ("losch", "delete"),
    ("zieh", "pull"),
    ("ziehe", "pull"),
    ("bau das projekt neu", "build the project"),
    ("baue das projekt neu", "build the project"),
    ("bau das projekt", "build the project"),
    ("baue das projekt", "build the project"),
    ("bau alles neu", "build everything"),
    ("neu", "again"),
    ("alte", "old"),
    ("alten", "old"),
    ("zum nachsten commit", "to the next commit"),
    ("zum commit", "to the commit"),
    ("loschen", "delete"),
    ("entferne", "delete"),
    ("entfern", "delete"),
    ("liste", "list"),
    ("auflisten", "list"),
    ("fuhre", "run"),
    ("fuhr", "run"),
    ("ausfuhren", "run"),
    ("starte", "run"),
    ("wechsle darauf", "switch to it"),
    ("wechsle dorthin", "switch to it"),
    ("wechsle hinein", "switch to it"),
    ("wechsle rein", "switch to it"),
    ("wechsel rein", "switch to it"),
    ("wechsle zu ihm", "switch to it"),
    ("wechsle zu ihr", "switch to it"),
    ("wechsle zu", "switch to"),
    ("wechsle zum", "switch to"),
    ("wechsle auf", "switch to"),
    ("wechseln auf", "switch to"),
    ("wechseln zu", "switch to"),
    ("wechseln zum", "switch to"),
    ("wechseln in", "switch to"),
    ("wechseln darauf", "switch to it"),
    ("zwischenspeichern", "stash"),
    ("wechsle in", "switch to"),
    ("wechsel zu", "switch to"),
    ("wechsel zum", "switch to"),
    ("wechsel auf", "switch to"),
    ("geh zu", "switch to"),
    ("gehe zu", "switch to"),
    ("geh auf", "switch to"),
    ("wechsle", "switch to"),
    ("wechsel", "switch to"),
    ("stashe", "stash"),
    // "wende den Stash (wieder) an"
    ("wende", "apply"),
    ("zuruck", "back"),
    ("stashen", "stash"),
    ("stagen", "stage"),
    ("stage", "stage"),
    ("hinzufugen", "add"),
    ("leg", "put"),
    ("lege", "put"),
    ("beiseite", "aside"),
    ("fuge", "add"),
    ("fug", "add"),
    ("behebe", "fix"),
    ("beheb", "fix"),
    ("fixe", "fix"),
    ("repariere", "fix"),
    ("korrigiere", "fix"),
    ("korrigier", "fix"),
    ("implementiere", "implement"),
    ("implementier", "implement"),
    ("schreibe", "write"),
    ("schreib", "write"),
    ("andere", "change"),
    ("installiere", "install"),
    ("installier", "install"),
    ("installieren", "install"),
    ("erklare mir", "explain"),
    ("erklar mir", "explain"),
    ("erklare", "explain"),
    ("erklar", "explain"),
    ("erklaere", "explain"),
    ("undo", "undo"),
    // questions
    ("auf welchem branch bin ich", "what branch am i on"),
    ("in welchem branch bin ich", "what branch am i on"),
    ("auf welchem branch sind wir", "what branch are we on"),
    ("was habe ich geandert", "what have i changed"),
    ("was hab ich geandert", "what have i changed"),
    ("was steht in", "what's in"),
    ("was ist in", "what's in"),
    ("was macht", "what does"),
    ("was ist", "what is"),
    ("was sind", "what are"),
    ("was bedeutet", "what is"),
    ("was", "what"),
    ("wie", "how"),
    ("warum", "why"),
    ("wieso", "why"),
    ("weshalb", "why"),
    ("welche", "which"),
    ("welcher", "which"),
    ("welches", "which"),
    ("welchem", "which"),
    ("wo", "where"),
    ("wann", "when"),
    ("schlagt fehl", "fail"),
    // objects
    ("zustand", "status"),
    ("verlauf", "history"),
    ("anderungsverlauf", "history"),
    ("historie", "history"),
    ("geschichte", "history"),
    ("letzten", "last"),
    ("letzte", "last"),
    ("zweig", "branch"),
    ("gestaged", "staged"),
    ("gestagt", "staged"),
    ("der gestagten anderungen", "of the staged changes"),
    ("gestagten", "staged"),
    ("gestagte", "staged"),
    ("von dem was schon gestaged ist", "of what is staged"),
    ("was schon gestaged ist", "what is staged"),
    ("was gestaged ist", "what is staged"),
    ("ohne zu wechseln", "without switching"),
    ("ohne darauf zu wechseln", "without switching to it"),
    ("ohne dahin zu wechseln", "without switching to it"),
    ("zweige", "branches"),
    ("neuen", "new"),
    ("neue", "new"),
    ("neuer", "new"),
    ("neues", "new"),
    ("neuesten", "latest"),
    ("den neuesten stand holen", "pull the latest changes"),
    ("neuesten stand holen", "pull the latest changes"),
    ("den neuesten stand", "the latest changes"),
    ("neuesten stand", "latest changes"),
    // "Änderungen vom Server holen": what is there, brought in.
    (
        "anderungen vom server holen",
        "pull the changes from the server",
    ),
    (
        "die anderungen vom server holen",
        "pull the changes from the server",
    ),
    (
        "anderungen vom remote holen",
        "pull the changes from the remote",
    ),
    ("neuesten anderungen holen", "pull the latest changes"),
    // "Hol mir die neueste Version vom Server": what is newest there.
    ("die neueste version", "the latest changes"),
    ("neueste version", "latest changes"),
    ("die neuste version", "the latest changes"),
    ("namens", "called"),
    ("mit dem namen", "called"),
    ("mit namen", "called"),
    ("genannt", "called"),
    ("datei", "file"),
    ("leere", "empty"),
    ("leeren", "empty"),
    ("leeres", "empty"),
    ("dateien", "files"),
    ("geanderten", "changed"),
    ("geanderte", "changed"),
    ("ordner", "folder"),
    ("ringpuffer", "ring buffer"),
    ("kram", "stuff"),
    ("aktuellen", "current"),
    ("pack", "put"),
    ("packe", "put"),
    ("verzeichnis", "folder"),
    ("anderungen", "changes"),
    ("aenderungen", "changes"),
    ("unterschiede", "differences"),
    ("meine", "my"),
    ("mein", "my"),
    ("meinen", "my"),
    ("alles", "everything"),
    ("alle anderungen", "all changes"),
    ("alle dateien", "all files"),
    ("alle", "all"),
    ("nachricht", "message"),
    ("commit-nachricht", "message"),
    ("mit", "with"),
    ("seinen", "its"),
    ("seine", "its"),
    ("im", "in"),
    ("in", "in"),
    ("zum", "to"),
    ("zur", "to"),
    ("zu", "to"),
    ("auf", "to"),
    ("vom", "from"),
    ("von", "from"),
    ("aus", "from"),
    ("der", ""),
    ("die", ""),
    ("das", ""),
    ("den", ""),
    ("dem", ""),
    ("des", ""),
    ("ein", "a"),
    ("eine", "a"),
    ("einen", "a"),
    // Spoken: "mach nen neuen Branch".
    ("nen", "a"),
    ("einem", "a"),
    ("und", "and"),
    ("es", "it"),
    ("ihn", "it"),
    ("projekt", "project"),
    ("fehler", "bug"),
    ("funktion", "function"),
    ("fur", "for"),
    ("abhangigkeiten", "requirements"),
    ("algorithmus", "algorithm"),
    ("dijkstra-algorithmus", "dijkstra algorithm"),
    ("binare suche", "binary search"),
    ("verkettete liste", "linked list"),
    ("eins", "1"),
    ("zwei", "2"),
    ("drei", "3"),
    ("vier", "4"),
    ("funf", "5"),
    ("fuenf", "5"),
    ("sechs", "6"),
    ("sieben", "7"),
    ("acht", "8"),
    ("neun", "9"),
    ("zehn", "10"),
    ("zwanzig", "20"),
];

/// French, folded (no accents), to English; elisions (`l'`, `qu'`) are words.
const FRENCH: Lexicon = &[
    ("a la racine du depot", "at the root"),
    ("à la racine du dépôt", "at the root"),
    ("a la racine", "at the root"),
    ("à la racine", "at the root"),
    ("dedans", "in it"),
    ("là-dedans", "in it"),
    ("contenu", "contents"),
    ("racine", "root"),
    ("le dossier racine", "the root folder"),
    ("edite", "edit"),
    ("editer", "edit"),
    ("sans basculer dessus", "without switching to it"),
    ("sans y basculer", "without switching to it"),
    ("sans changer de branche", "without switching to it"),
    ("sans y aller", "without switching to it"),
    ("sans passer dessus", "without switching to it"),
    ("commande", "command"),
    ("bombe fork", "fork bomb"),
    ("s' il te plait", "please"),
    ("s' il vous plait", "please"),
    ("stp", "please"),
    ("les tests", "the tests"),
    ("svp", "please"),
    ("pourriez -vous", "can you"),
    ("pourrais -tu", "can you"),
    ("peux -tu", "can you"),
    ("pouvez -vous", "can you"),
    ("tu peux", "can you"),
    ("est -ce que tu peux", "can you"),
    ("est -ce que vous pouvez", "can you"),
    ("je veux", "i want to"),
    ("qui s' appelle", "called"),
    ("m' afficher", "show me"),
    ("m' montrer", "show me"),
    ("m' expliquer", "explain"),
    ("m'", "me"),
    ("-moi", "me"),
    ("-le", "it"),
    ("-la", "it"),
    ("-les", "them"),
    // verbs
    (
        "regarde quels fichiers ont change",
        "see which files changed",
    ),
    (
        "regarde quels fichiers ont ete modifies",
        "see which files changed",
    ),
    ("quels fichiers ont change", "which files changed"),
    ("quels fichiers ont ete modifies", "which files changed"),
    ("regarde", "see"),
    ("montre", "show"),
    ("montrer", "show"),
    ("montrez", "show"),
    ("affiche", "show"),
    ("afficher", "show"),
    ("affichez", "show"),
    ("fais voir", "show"),
    ("cree", "create"),
    ("creer", "create"),
    ("creez", "create"),
    ("fais un commit de tout", "commit everything"),
    (
        "fais un commit de tous les changements",
        "commit everything",
    ),
    ("fais un commit", "commit"),
    ("fais un force push", "force push"),
    ("fais un push force", "force push"),
    ("push force", "force push"),
    ("fais un push", "push"),
    ("faire un push", "push"),
    ("faire le push", "push"),
    ("faire un commit", "commit"),
    ("faire le commit", "commit"),
    ("commiter", "commit"),
    ("fais un pull", "pull"),
    ("fais", "make"),
    ("commite", "commit"),
    ("committe", "commit"),
    ("pousse", "push"),
    ("pousser", "push"),
    ("envoie", "push"),
    ("envoyer", "push"),
    ("publie", "push"),
    ("tire", "pull"),
    ("recupere", "pull"),
    ("recuperer", "pull"),
    ("lis", "read"),
    ("lire", "read"),
    ("ouvre", "open"),
    ("ouvrir", "open"),
    ("supprime", "delete"),
    ("supprimer", "delete"),
    ("efface", "delete"),
    ("formate", "format"),
    ("formater", "format"),
    ("disque dur", "hard drive"),
    ("tout le disque", "the whole disk"),
    ("dossier personnel", "home folder"),
    ("dossier home", "home folder"),
    ("repertoire home", "home folder"),
    ("repertoire personnel", "home directory"),
    ("tout mon", "my whole"),
    ("disque", "disk"),
    ("entier", "entirely"),
    ("effacer", "delete"),
    ("enleve", "delete"),
    ("retire", "delete"),
    ("liste son contenu", "list its contents"),
    ("affiche son contenu", "list its contents"),
    ("liste", "list"),
    ("lister", "list"),
    ("execute", "run"),
    ("executer", "run"),
    ("executez", "run"),
    ("lance", "run"),
    ("lancer", "run"),
    ("bascule dessus", "switch to it"),
    ("passe dessus", "switch to it"),
    ("va dessus", "switch to it"),
    ("passe sur", "switch to"),
    ("passe a", "switch to"),
    ("bascule sur", "switch to"),
    ("bascule vers", "switch to"),
    ("bascule a", "switch to"),
    ("va sur", "switch to"),
    ("bascule", "switch"),
    ("mets", "put"),
    ("mettre", "put"),
    ("de cote", "aside"),
    ("ajoute", "add"),
    ("ajouter", "add"),
    ("corrige", "fix"),
    ("corriger", "fix"),
    ("repare", "fix"),
    ("implemente", "implement"),
    ("implementer", "implement"),
    ("ecris", "write"),
    ("ecrire", "write"),
    ("modifie", "change"),
    ("renomme", "rename"),
    ("installe", "install"),
    ("installer", "install"),
    ("installez", "install"),
    ("explique", "explain"),
    ("expliquer", "explain"),
    ("expliquez", "explain"),
    ("dis", "tell"),
    ("annuler", "undo"),
    ("annule", "undo"),
    // questions
    ("sur quelle branche suis -je", "what branch am i on"),
    ("sur quelle branche je suis", "what branch am i on"),
    ("sur quelle branche on est", "what branch are we on"),
    ("sur quelle branche sommes -nous", "what branch are we on"),
    ("qu' est -ce que j' ai modifie", "what have i changed"),
    ("qu' est -ce que j' ai change", "what have i changed"),
    ("qu' y a -t-il dans", "what's in"),
    ("qu' est -ce qu' il y a dans", "what's in"),
    ("il y a quoi dans", "what's in"),
    ("qu' est -ce que fait", "what does"),
    ("qu' est -ce que", "what"),
    ("qu' est -ce qu'", "what is"),
    ("c' est quoi", "what is"),
    ("que fait", "what does"),
    ("que", "what"),
    ("comment", "how"),
    ("pourquoi", "why"),
    ("quel", "which"),
    ("quelle", "which"),
    ("quels", "which"),
    ("quelles", "which"),
    ("ou", "where"),
    ("quand", "when"),
    ("echoue", "fail"),
    // objects
    ("statut", "status"),
    ("etat", "status"),
    ("historique des modifications", "history"),
    ("historique des changements", "history"),
    ("historique", "history"),
    ("journal", "log"),
    ("derniers", "last"),
    ("dernieres", "last"),
    ("dernier", "last"),
    ("derniere", "last"),
    ("dernieres modifications", "latest changes"),
    ("derniers changements", "latest changes"),
    ("branche", "branch"),
    ("nouvelle", "new"),
    ("nouveau", "new"),
    ("appelee", "called"),
    ("appele", "called"),
    ("nommee", "called"),
    ("nomme", "called"),
    ("fichier", "file"),
    ("vide", "empty"),
    ("fichiers", "files"),
    ("fichiers modifies", "modified files"),
    ("tous les fichiers modifies", "all modified files"),
    ("dossier", "folder"),
    ("repertoire", "folder"),
    ("modifications", "changes"),
    ("modifs", "changes"),
    // "applique le stash"
    ("applique", "apply"),
    ("appliquer", "apply"),
    ("que j'ai indexees", "staged"),
    ("que j' ai indexees", "staged"),
    ("modifs indexees", "staged changes"),
    ("modifications indexees", "staged changes"),
    ("changements indexes", "staged changes"),
    ("fichiers indexes", "staged files"),
    ("indexees", "staged"),
    ("de ce qui est deja indexe", "of what is staged"),
    ("ce qui est deja indexe", "what is staged"),
    ("ce qui est indexe", "what is staged"),
    ("deja indexe", "staged"),
    ("deja indexes", "staged"),
    ("deja indexees", "staged"),
    ("differences", "differences"),
    ("changements", "changes"),
    ("mes", "my"),
    ("mon", "my"),
    ("ma", "my"),
    ("tout", "everything"),
    ("toutes les modifications", "all changes"),
    ("tous les changements", "all changes"),
    ("tous les fichiers", "all files"),
    ("tous", "all"),
    ("toutes", "all"),
    ("avec", "with"),
    ("ses", "its"),
    ("dans", "in"),
    ("du", "of"),
    ("de", "of"),
    ("d'", "of"),
    ("des", "of"),
    ("le", ""),
    ("la", ""),
    ("les", ""),
    ("l'", ""),
    ("un", "a"),
    ("une", "a"),
    ("et", "and"),
    ("sur", "to"),
    ("du depot distant", "from remote"),
    ("du serveur", "from server"),
    ("du remote", "from remote"),
    ("depot distant", "remote"),
    ("en", "in"),
    ("depot", "repository"),
    ("distant", "remote"),
    ("serveur", "server"),
    ("a", "to"),
    ("au", "to"),
    ("pour", "for"),
    ("erreur", "bug"),
    ("fonction", "function"),
    ("dependances", "requirements"),
    ("prerequis", "requirements"),
    ("algorithme", "algorithm"),
    ("tri fusion", "merge sort"),
    ("tri rapide", "quick sort"),
    ("recherche binaire", "binary search"),
    ("liste chainee", "linked list"),
    ("deux", "2"),
    ("trois", "3"),
    ("quatre", "4"),
    ("cinq", "5"),
    ("six", "6"),
    ("sept", "7"),
    ("huit", "8"),
    ("neuf", "9"),
    ("dix", "10"),
    ("vingt", "20"),
];

/// Portuguese (Brazilian and European), folded (no accents, `ç` as `c`), to English.
const PORTUGUESE: Lexicon = &[
    ("na area de staging", "to the staging area"),
    ("na área de staging", "to the staging area"),
    ("num stash", "to the stash"),
    ("no stash", "to the stash"),
    ("rapidinho", "quickly"),
    ("conteudo", "contents"),
    ("raiz", "root"),
    ("ao stage", "to the stage"),
    ("ao staging", "to the staging area"),
    ("para o stage", "to the stage"),
    ("a area de staging", "the staging area"),
    ("edita", "edit"),
    ("editar", "edit"),
    ("altera", "change"),
    ("alterar", "change"),
    ("sem mudar para ela", "without switching to it"),
    ("sem trocar para ela", "without switching to it"),
    ("sem mudar de branch", "without switching to it"),
    ("sem mudar", "without switching to it"),
    ("comando", "command"),
    ("bomba fork", "fork bomb"),
    // politeness
    ("por favor", "please"),
    ("pfv", "please"),
    ("voce pode", "can you"),
    ("voce poderia", "can you"),
    ("pode", "can you"),
    ("poderia", "can you"),
    ("consegue", "can you"),
    ("eu quero", "i want to"),
    ("quero", "i want to"),
    ("preciso", "i need to"),
    // verbs
    ("me mostra", "show me"),
    ("me mostre", "show me"),
    ("mostre-me", "show me"),
    ("mostra-me", "show me"),
    ("me mostrar", "show me"),
    ("mostra", "show"),
    ("mostre", "show"),
    ("mostrar", "show"),
    ("exibe", "show"),
    ("exiba", "show"),
    ("exibir", "show"),
    ("ver", "show"),
    ("veja", "show"),
    ("me da", "give me"),
    ("cria", "create"),
    ("crie", "create"),
    ("criar", "create"),
    ("faca commit de tudo", "commit everything"),
    ("faz commit de tudo", "commit everything"),
    ("faca um commit de tudo", "commit everything"),
    ("faz um commit de tudo", "commit everything"),
    ("faca commit", "commit"),
    ("faz commit", "commit"),
    ("faca um commit", "commit"),
    ("faz um commit", "commit"),
    ("faca o commit", "commit"),
    ("faz o commit", "commit"),
    ("da commit", "commit"),
    ("da um commit", "commit"),
    ("faca push forcado", "force push"),
    ("faz push forcado", "force push"),
    ("faca um push forcado", "force push"),
    ("faz um push forcado", "force push"),
    ("push forcado", "force push"),
    ("faca force push", "force push"),
    ("faz force push", "force push"),
    ("faca um force push", "force push"),
    ("faz um force push", "force push"),
    ("faca push", "push"),
    ("faz push", "push"),
    ("fazer push", "push"),
    ("fazer o push", "push"),
    ("fazer commit", "commit"),
    ("fazer o commit", "commit"),
    ("faca um push", "push"),
    ("faz um push", "push"),
    ("faca o push", "push"),
    ("faz o push", "push"),
    ("da push", "push"),
    ("da um push", "push"),
    ("faca pull", "pull"),
    ("faz pull", "pull"),
    ("faca um pull", "pull"),
    ("faz um pull", "pull"),
    ("faca o pull", "pull"),
    ("faz o pull", "pull"),
    ("da pull", "pull"),
    ("da um pull", "pull"),
    ("faca stash", "stash"),
    ("faz stash", "stash"),
    // "aplica o stash de volta"
    ("aplica", "apply"),
    ("aplique", "apply"),
    ("aplicar", "apply"),
    ("de volta", "back"),
    ("faca um stash", "stash"),
    ("faz um stash", "stash"),
    ("faca checkout para", "checkout"),
    ("faz checkout para", "checkout"),
    ("faca checkout na", "checkout"),
    ("faz checkout na", "checkout"),
    ("faca checkout", "checkout"),
    ("faz checkout", "checkout"),
    ("faca", "make"),
    ("faz", "make"),
    ("commita", "commit"),
    ("comita", "commit"),
    ("commite", "commit"),
    ("commitar", "commit"),
    ("envia", "push"),
    ("envie", "push"),
    ("enviar", "push"),
    ("sobe", "push"),
    ("suba", "push"),
    ("subir", "push"),
    ("empurra", "push"),
    ("pusha", "push"),
    ("puxa", "pull"),
    ("puxe", "pull"),
    ("puxar", "pull"),
    ("baixa", "pull"),
    // "baixa as atualizações do remoto": what is new there.
    ("atualizacoes", "latest changes"),
    ("fila de prioridade", "priority queue"),
    ("implementa", "implement"),
    // "adiciona tudo pro próximo commit": for the next one.
    ("pro proximo commit", "to the next commit"),
    ("para o proximo commit", "to the next commit"),
    ("no proximo commit", "in the next commit"),
    ("novidades", "latest changes"),
    ("baixe", "pull"),
    ("baixar", "pull"),
    ("le", "read"),
    ("leia", "read"),
    ("ler", "read"),
    ("abre", "open"),
    ("abra", "open"),
    ("abrir", "open"),
    ("apaga", "delete"),
    ("apague", "delete"),
    ("apagar", "delete"),
    ("deleta", "delete"),
    ("deletar", "delete"),
    ("exclui", "delete"),
    ("exclua", "delete"),
    ("excluir", "delete"),
    ("remova", "delete"),
    ("remover", "delete"),
    ("elimina", "delete"),
    ("formata", "format"),
    ("formate", "format"),
    ("formatar", "format"),
    ("disco rigido", "hard drive"),
    ("tudo o que tem em", "everything in"),
    ("tudo que tem em", "everything in"),
    ("pasta home", "home folder"),
    ("pasta pessoal", "home folder"),
    ("diretorio pessoal", "home directory"),
    ("disco", "disk"),
    ("inteiro", "entirely"),
    ("lista o conteudo", "list its contents"),
    // "cria uma branch X mas continua na atual": made, not switched to.
    ("mas continua na atual", "without switching to it"),
    ("e continua na atual", "without switching to it"),
    ("mas fica na atual", "without switching to it"),
    ("a lista de stashes", "the stash list"),
    ("lista de stashes", "stash list"),
    ("lista", "list"),
    ("liste", "list"),
    ("listar", "list"),
    ("executa", "run"),
    ("executar", "run"),
    ("roda", "run"),
    ("rode", "run"),
    ("rodar", "run"),
    ("muda para", "switch to"),
    ("mude para", "switch to"),
    ("mudar para", "switch to"),
    ("muda pra", "switch to"),
    ("mude pra", "switch to"),
    ("troca para", "switch to"),
    ("troque para", "switch to"),
    ("trocar para", "switch to"),
    ("troca pra", "switch to"),
    ("troque pra", "switch to"),
    ("vai para", "switch to"),
    ("va para", "switch to"),
    ("vai pra", "switch to"),
    ("va pra", "switch to"),
    ("alterna para", "switch to"),
    ("alterne para", "switch to"),
    ("muda", "change"),
    ("troca", "switch"),
    // "guarda minhas mudanças": put aside, which is a stash.
    ("guarda minhas mudancas", "stash my changes"),
    ("guarda minhas alteracoes", "stash my changes"),
    ("guarda as alteracoes", "stash the changes"),
    ("guarda as minhas alteracoes", "stash my changes"),
    // "traz as novidades do servidor": what is new there, brought in.
    ("traz as novidades", "pull the latest changes"),
    ("traz as atualizacoes", "pull the latest changes"),
    ("traga as novidades", "pull the latest changes"),
    ("traga as atualizacoes", "pull the latest changes"),
    ("guarde minhas mudancas", "stash my changes"),
    ("guarda as minhas mudancas", "stash my changes"),
    ("guarde as minhas mudancas", "stash my changes"),
    ("guarda", "save"),
    ("guarde", "save"),
    ("guardar", "save"),
    ("salva", "save"),
    ("salve", "save"),
    // Adding "the file" names one that exists: it is staged, not created ("adiciona
    // um arquivo" still creates one).
    ("adiciona o arquivo", "add"),
    ("adicione o arquivo", "add"),
    ("adicionar o arquivo", "add"),
    ("adiciona os arquivos", "add"),
    ("adicione os arquivos", "add"),
    ("adiciona", "add"),
    ("adicione", "add"),
    ("adicionar", "add"),
    ("acrescenta", "add"),
    ("corrige", "fix"),
    ("corrija", "fix"),
    ("corrigir", "fix"),
    ("conserta", "fix"),
    ("conserte", "fix"),
    ("arruma", "fix"),
    ("arrume", "fix"),
    ("implementa", "implement"),
    ("implemente", "implement"),
    ("implementar", "implement"),
    ("escreve", "write"),
    ("escreva", "write"),
    ("escrever", "write"),
    ("refatora", "refactor"),
    ("refatore", "refactor"),
    ("renomeia", "rename"),
    ("renomeie", "rename"),
    ("atualiza", "update"),
    ("atualize", "update"),
    ("mova", "move"),
    ("documenta", "document"),
    ("instala", "install"),
    ("instale", "install"),
    ("instalar", "install"),
    ("me explica", "explain"),
    ("me explique", "explain"),
    ("explica", "explain"),
    ("explique", "explain"),
    ("me diz", "tell me"),
    ("me diga", "tell me"),
    ("desfaz", "undo"),
    ("desfaca", "undo"),
    ("desfazer", "undo"),
    ("desfaco", "undo"),
    // questions
    ("em que branch eu estou", "what branch am i on"),
    ("em que branch estou", "what branch am i on"),
    ("em qual branch eu estou", "what branch am i on"),
    ("em qual branch estou", "what branch am i on"),
    ("em que branch estamos", "what branch are we on"),
    ("em qual branch estamos", "what branch are we on"),
    ("o que eu mudei", "what have i changed"),
    ("o que mudei", "what have i changed"),
    ("o que eu alterei", "what have i changed"),
    ("o que alterei", "what have i changed"),
    ("o que tem em", "what's in"),
    ("o que tem no", "what's in"),
    ("o que tem na", "what's in"),
    ("o que ha em", "what's in"),
    ("o que faz", "what does"),
    ("o que e", "what is"),
    ("o que sao", "what are"),
    ("o que significa", "what is"),
    ("o que", "what"),
    ("que", "what"),
    ("como eu faco para", "how do i"),
    ("como faco para", "how do i"),
    ("como eu faco", "how do i"),
    ("como faco", "how do i"),
    ("como eu", "how do i"),
    ("como", "how"),
    ("por que", "why"),
    ("porque", "why"),
    ("qual", "which"),
    ("quais", "which"),
    ("onde", "where"),
    ("quando", "when"),
    ("falha", "fail"),
    // objects
    ("estado", "status"),
    ("situacao", "status"),
    ("historico de commits", "history"),
    ("historico", "history"),
    ("registro", "log"),
    ("ultimas alteracoes", "latest changes"),
    ("ultimas mudancas", "latest changes"),
    ("ultimos", "last"),
    ("ultimas", "last"),
    ("ultimo", "last"),
    ("ultima", "last"),
    ("branch nova", "new branch"),
    ("pasta nova", "new folder"),
    ("arquivo novo", "new file"),
    ("ramo", "branch"),
    ("ramos", "branches"),
    ("nova", "new"),
    ("novo", "new"),
    ("chamada", "called"),
    ("chamado", "called"),
    ("com o nome", "called"),
    ("com nome", "called"),
    ("de nome", "called"),
    ("nomeada", "called"),
    ("nomeado", "called"),
    ("arquivo", "file"),
    ("arquivos", "files"),
    ("arquivos modificados", "modified files"),
    ("arquivos alterados", "changed files"),
    ("todos os arquivos modificados", "all modified files"),
    ("todos os arquivos alterados", "all changed files"),
    ("ficheiro", "file"),
    ("ficheiros", "files"),
    ("pasta", "folder"),
    ("pasta atual", "current folder"),
    ("diretorio atual", "current folder"),
    ("atual", "current"),
    ("por enquanto", "for now"),
    ("as alteracoes", "the changes"),
    ("as mudancas", "the changes"),
    ("os testes", "the tests"),
    ("diretorio", "folder"),
    ("vazio", "empty"),
    ("vazia", "empty"),
    ("alteracoes staged", "staged changes"),
    ("alteracoes em stage", "staged changes"),
    ("alteracoes no stage", "staged changes"),
    ("mudancas staged", "staged changes"),
    ("mudancas em stage", "staged changes"),
    ("mudancas no stage", "staged changes"),
    ("alteracoes", "changes"),
    ("mudancas", "changes"),
    ("modificacoes", "changes"),
    ("diferencas", "differences"),
    ("as diferencas", "the differences"),
    ("que eu fiz", ""),
    ("que fiz", ""),
    ("meu", "my"),
    ("minha", "my"),
    ("meus", "my"),
    ("minhas", "my"),
    ("de tudo", "everything"),
    ("todo o repositorio", "the whole repository"),
    ("todo o disco rigido", "the whole hard drive"),
    ("todo o disco", "the whole disk"),
    ("todo o projeto", "the whole project"),
    ("tudo", "everything"),
    ("todas as alteracoes", "all changes"),
    ("todas as mudancas", "all changes"),
    ("todos os arquivos", "all files"),
    ("todos", "all"),
    ("todas", "all"),
    ("mensagem", "message"),
    ("com", "with"),
    ("suas", "its"),
    ("seus", "its"),
    ("no stash", "in the stash"),
    ("em", "in"),
    ("no", "in"),
    ("na", "in"),
    ("nos", "in"),
    ("nas", "in"),
    ("dentro de", "in"),
    ("de", "of"),
    ("do", "of"),
    ("da", "of"),
    ("dos", "of"),
    ("das", "of"),
    ("para o", "to"),
    ("para a", "to"),
    ("para", "to"),
    ("pro", "to"),
    ("pra", "to"),
    ("ao", "to"),
    ("o", ""),
    ("a", ""),
    ("os", ""),
    ("as", ""),
    ("um", "a"),
    ("uma", "a"),
    ("e", "and"),
    ("remoto", "remote"),
    ("servidor", "server"),
    ("repositorio", "repository"),
    ("projeto", "project"),
    ("indice", "index"),
    ("erro", "bug"),
    ("funcao", "function"),
    ("testes", "tests"),
    ("dependencias", "requirements"),
    ("requisitos", "requirements"),
    ("algoritmo", "algorithm"),
    ("busca binaria", "binary search"),
    ("pesquisa binaria", "binary search"),
    ("ordenacao rapida", "quick sort"),
    ("lista ligada", "linked list"),
    ("lista encadeada", "linked list"),
    ("arvore binaria", "binary tree"),
    ("dois", "2"),
    ("duas", "2"),
    ("tres", "3"),
    ("quatro", "4"),
    ("cinco", "5"),
    ("seis", "6"),
    ("sete", "7"),
    ("oito", "8"),
    ("nove", "9"),
    ("dez", "10"),
    ("vinte", "20"),
];

/// Italian, folded (no accents), to English; elisions (`l'`, `c'`) are words.
const ITALIAN: Lexicon = &[
    ("al suo interno", "inside it"),
    ("li dentro", "in there"),
    ("aggiungila all'indice", "stage it"),
    ("aggiungilo all'indice", "stage it"),
    ("aggiungili all'indice", "stage them"),
    ("aggiungila", "stage it"),
    ("aggiungilo", "stage it"),
    ("aggiungili", "stage them"),
    ("ultimi aggiornamenti", "latest changes"),
    ("aggiornamenti", "changes"),
    ("rispetto all'ultimo commit", "since the last commit"),
    ("passaci sopra", "switch to it"),
    ("passaci", "switch to it"),
    ("spostati su di esso", "switch to it"),
    ("coda di priorita", "priority queue"),
    ("implementa", "implement"),
    // "spostati lì", "vai lì": onto the branch just made.
    ("spostati li", "switch to it"),
    ("spostati la", "switch to it"),
    ("vai li", "switch to it"),
    ("i file", "the files"),
    ("i test", "the tests"),
    ("dei file", "the files"),
    ("contenuto", "contents"),
    ("radice", "root"),
    ("allo stage", "to the stage"),
    ("allo staging", "to the staging area"),
    ("nell'area di stage", "to the stage"),
    ("all'area di staging", "to the staging area"),
    ("edita", "edit"),
    ("modificare", "modify"),
    ("senza passarci", "without switching to it"),
    ("senza spostarti", "without switching to it"),
    ("senza passare al branch", "without switching to it"),
    ("senza cambiare branch", "without switching to it"),
    ("comando", "command"),
    ("bomba fork", "fork bomb"),
    // politeness
    ("per favore", "please"),
    ("per piacere", "please"),
    ("perfavore", "please"),
    ("puoi", "can you"),
    ("potresti", "can you"),
    ("puo", "can you"),
    ("potrebbe", "can you"),
    ("voglio", "i want to"),
    ("vorrei", "i want to"),
    ("ho bisogno di", "i need to"),
    ("devo", "i need to"),
    // verbs
    ("fammi vedere", "show me"),
    ("mostrami", "show me"),
    ("fai vedere", "show"),
    ("mostra", "show"),
    ("mostrare", "show"),
    ("visualizza", "show"),
    ("dammi", "give me"),
    ("crea", "create"),
    ("creare", "create"),
    ("creami", "create"),
    ("fai il diff", "show the diff"),
    ("fai un diff", "show the diff"),
    ("fai commit di tutto", "commit everything"),
    ("fai un commit di tutto", "commit everything"),
    ("fai il commit di tutto", "commit everything"),
    ("fai commit", "commit"),
    ("fai un commit", "commit"),
    ("fai il commit", "commit"),
    ("committa", "commit"),
    ("commita", "commit"),
    ("committare", "commit"),
    ("fai push forzato", "force push"),
    ("fai un push forzato", "force push"),
    ("fai il push forzato", "force push"),
    ("push forzato", "force push"),
    ("fai force push", "force push"),
    ("fai un force push", "force push"),
    ("fai push", "push"),
    ("fare push", "push"),
    ("fare il push", "push"),
    ("fare commit", "commit"),
    ("fare il commit", "commit"),
    ("fai un push", "push"),
    ("fai il push", "push"),
    ("pusha", "push"),
    ("pushare", "push"),
    ("invia", "push"),
    ("carica", "push"),
    ("fai pull", "pull"),
    ("fai un pull", "pull"),
    ("fai il pull", "pull"),
    ("pulla", "pull"),
    ("scarica", "pull"),
    ("fai stash", "stash"),
    // "applica lo stash"
    // "mostra a lista de stashes" (Portuguese, read as Italian by its words)
    ("a lista de stashes", "the stash list"),
    ("lista de stashes", "stash list"),
    ("la lista degli stash", "the stash list"),
    ("lista degli stash", "stash list"),
    ("applica", "apply"),
    ("applicare", "apply"),
    ("indietro", "back"),
    ("fai uno stash", "stash"),
    ("fai lo stash", "stash"),
    ("fai checkout su", "checkout"),
    ("fai checkout di", "checkout"),
    ("fai il checkout di", "checkout"),
    ("fai checkout", "checkout"),
    ("fai il checkout", "checkout"),
    ("fai", "make"),
    ("leggi", "read"),
    ("leggere", "read"),
    ("apri", "open"),
    ("aprire", "open"),
    ("cancella", "delete"),
    ("cancellare", "delete"),
    ("elimina", "delete"),
    ("eliminare", "delete"),
    ("rimuovi", "delete"),
    ("rimuovere", "delete"),
    ("togli", "delete"),
    ("formatta", "format"),
    ("formattare", "format"),
    ("disco rigido", "hard drive"),
    ("tutto quello che c' e in", "everything in"),
    ("cartella home", "home folder"),
    ("cartella personale", "home folder"),
    ("directory home", "home directory"),
    ("disco", "disk"),
    ("intero", "entirely"),
    ("elenca il contenuto", "list its contents"),
    ("elenca", "list"),
    ("elencare", "list"),
    ("elencami", "list"),
    ("esegui", "run"),
    ("eseguire", "run"),
    ("lancia", "run"),
    ("lanciare", "run"),
    ("avvia", "run"),
    ("passa al", "switch to"),
    ("passa alla", "switch to"),
    ("passa a", "switch to"),
    ("passa sul", "switch to"),
    ("passa sulla", "switch to"),
    ("passa su", "switch to"),
    ("vai al", "switch to"),
    ("vai alla", "switch to"),
    ("vai a", "switch to"),
    ("vai sul", "switch to"),
    ("vai sulla", "switch to"),
    ("vai su", "switch to"),
    ("spostati sul", "switch to"),
    ("spostati sulla", "switch to"),
    ("spostati su", "switch to"),
    ("spostati al", "switch to"),
    ("spostati a", "switch to"),
    ("torna al", "switch to"),
    ("torna su", "switch to"),
    ("cambia", "change"),
    ("salva", "save"),
    ("metti", "put"),
    ("mettere", "put"),
    ("da parte", "aside"),
    // Adding "the file" names one that exists: it is staged, not created ("aggiungi
    // un file" still creates one).
    ("aggiungi il file", "add"),
    ("aggiungi i file", "add"),
    ("aggiungere il file", "add"),
    ("aggiungi", "add"),
    ("aggiungere", "add"),
    ("aggiungilo", "add it"),
    ("aggiungili", "add them"),
    ("correggi", "fix"),
    ("correggere", "fix"),
    ("sistema", "fix"),
    ("ripara", "fix"),
    ("aggiusta", "fix"),
    ("risolvi", "fix"),
    ("implementa", "implement"),
    ("implementare", "implement"),
    ("scrivi", "write"),
    ("scrivere", "write"),
    ("scrivimi", "write"),
    ("modifica", "change"),
    ("rinomina", "rename"),
    ("aggiorna", "update"),
    ("sposta", "move"),
    ("documenta", "document"),
    ("installa", "install"),
    ("installare", "install"),
    ("spiegami", "explain"),
    ("spiega", "explain"),
    ("spiegare", "explain"),
    ("dimmi", "tell me"),
    ("annulla", "undo"),
    // questions
    ("su quale branch sono", "what branch am i on"),
    ("in quale branch sono", "what branch am i on"),
    ("su che branch sono", "what branch am i on"),
    ("in che branch sono", "what branch am i on"),
    ("su quale branch siamo", "what branch are we on"),
    ("in quale branch siamo", "what branch are we on"),
    ("che cosa ho modificato", "what have i changed"),
    ("cosa ho modificato", "what have i changed"),
    ("cosa ho cambiato", "what have i changed"),
    ("cosa c' e in", "what's in"),
    ("cosa c' e nel", "what's in"),
    ("cosa c' e nella", "what's in"),
    ("che cosa fa", "what does"),
    ("cosa fa", "what does"),
    ("che fa", "what does"),
    ("che cos'e", "what is"),
    ("cos'e", "what is"),
    ("cosa e", "what is"),
    ("cosa sono", "what are"),
    ("cosa significa", "what is"),
    ("che cosa", "what"),
    ("cosa", "what"),
    ("che", "what"),
    ("come faccio a", "how do i"),
    ("come faccio per", "how do i"),
    ("come faccio", "how do i"),
    ("come posso", "how can i"),
    ("come", "how"),
    ("perche", "why"),
    ("quale", "which"),
    ("quali", "which"),
    ("dove", "where"),
    ("quando", "when"),
    ("fallisce", "fail"),
    ("falliscono", "fail"),
    // objects
    ("stato", "status"),
    ("cronologia dei commit", "history"),
    ("cronologia", "history"),
    ("storia dei commit", "history"),
    ("storia", "history"),
    ("storico", "history"),
    ("registro", "log"),
    ("ultime modifiche", "latest changes"),
    ("ultimi", "last"),
    ("ultime", "last"),
    ("ultimo", "last"),
    ("ultima", "last"),
    ("nuovo branch", "new branch"),
    ("nuova cartella", "new folder"),
    ("nuovo file", "new file"),
    ("ramo", "branch"),
    ("rami", "branches"),
    ("nuovo", "new"),
    ("nuova", "new"),
    ("chiamato", "called"),
    ("chiamata", "called"),
    ("di nome", "called"),
    ("con il nome", "called"),
    ("col nome", "called"),
    ("cartella", "folder"),
    ("cartelle", "folders"),
    ("vuoto", "empty"),
    ("vuota", "empty"),
    ("modifiche in stage", "staged changes"),
    ("modifiche nello stage", "staged changes"),
    ("modifiche staged", "staged changes"),
    ("modifiche", "changes"),
    ("file modificati", "modified files"),
    ("tutti i file modificati", "all modified files"),
    ("cambiamenti", "changes"),
    ("differenze", "differences"),
    ("miei", "my"),
    ("mie", "my"),
    ("mio", "my"),
    ("mia", "my"),
    ("di tutto", "everything"),
    ("tutto il repository", "the whole repository"),
    ("tutto il disco rigido", "the whole hard drive"),
    ("tutto il disco", "the whole disk"),
    ("tutto il progetto", "the whole project"),
    ("tutto", "everything"),
    ("tutte le modifiche", "all changes"),
    ("tutti i file", "all files"),
    ("tutti", "all"),
    ("tutte", "all"),
    ("messaggio", "message"),
    ("con", "with"),
    ("le sue", "its"),
    ("i suoi", "its"),
    ("la sua", "its"),
    ("col", "with"),
    ("nello stash", "in the stash"),
    ("in", "in"),
    ("nel", "in"),
    ("nella", "in"),
    ("nei", "in"),
    ("nelle", "in"),
    ("di", "of"),
    ("del", "of"),
    ("della", "of"),
    ("dello", "of"),
    ("dei", "of"),
    ("delle", "of"),
    ("degli", "of"),
    ("dal", "from"),
    ("dalla", "from"),
    ("dallo", "from"),
    ("da", "from"),
    ("al", "to"),
    ("alla", "to"),
    ("allo", "to"),
    ("sul", "to"),
    ("sulla", "to"),
    ("su", "to"),
    ("il", ""),
    ("lo", ""),
    ("la", ""),
    ("i", ""),
    ("gli", ""),
    ("le", ""),
    ("l'", ""),
    ("un", "a"),
    ("uno", "a"),
    ("una", "a"),
    ("un'", "a"),
    ("e", "and"),
    ("remoto", "remote"),
    ("progetto", "project"),
    ("per", "for"),
    ("errore", "bug"),
    ("funzione", "function"),
    ("dipendenze", "requirements"),
    ("requisiti", "requirements"),
    ("algoritmo", "algorithm"),
    ("ricerca binaria", "binary search"),
    ("ordinamento rapido", "quick sort"),
    ("lista collegata", "linked list"),
    ("lista concatenata", "linked list"),
    ("albero binario", "binary tree"),
    ("due", "2"),
    ("tre", "3"),
    ("quattro", "4"),
    ("cinque", "5"),
    ("sette", "7"),
    ("otto", "8"),
    ("nove", "9"),
    ("dieci", "10"),
    ("venti", "20"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn en(text: &str) -> Option<String> {
        to_english(text)
    }

    #[test]
    fn requests_in_other_languages_read_as_english() {
        assert_eq!(
            en("zeig mir den Verlauf").as_deref(),
            Some("show me history")
        );
        assert_eq!(
            en("crea una rama nueva llamada prueba").as_deref(),
            Some("create a new branch called prueba")
        );
        assert_eq!(
            en("supprime le fichier temp.txt").as_deref(),
            Some("delete file temp.txt")
        );
        assert_eq!(en("ejecuta cargo test").as_deref(), Some("run cargo test"));
        assert_eq!(
            en("führe cargo build aus").as_deref(),
            Some("run cargo build")
        );
        assert_eq!(
            en("haz commit con el mensaje 'arregla el login'").as_deref(),
            Some("commit with message 'arregla el login'")
        );
    }

    #[test]
    fn portuguese_and_italian_read_as_english() {
        for (text, english) in [
            ("faça push", "push"),
            ("fai il push", "push"),
            (
                "crie uma branch chamada teste",
                "create a branch called teste",
            ),
            ("cancella il file temp.txt", "delete file temp.txt"),
            ("apaga o arquivo temp.txt", "delete file temp.txt"),
            ("esegui cargo test", "run cargo test"),
            ("mostra gli ultimi 5 commit", "show last 5 commits"),
            ("o que faz git rebase?", "what does git rebase?"),
        ] {
            assert_eq!(en(text).as_deref(), Some(english), "{text}");
        }
        // Words shared with Spanish leave a Spanish request Spanish.
        let spanish = tokenize("muestra el estado del repositorio");
        assert_eq!(detect(&spanish), Some(Language::Spanish));
        assert!(negates("não faça push"));
        assert!(negates("non fare il push"));
    }

    #[test]
    fn english_stays_english() {
        for text in [
            "show me the log",
            "git status",
            "delete old.txt",
            "run cargo test",
            "create a branch called la",
            "what does git rebase do?",
        ] {
            assert_eq!(en(text), None, "{text}");
        }
    }
}
