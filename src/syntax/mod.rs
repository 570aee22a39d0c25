//! Source code as a parser sees it, shared by everything that needs more than lines:
//! whether a file parses (review, the verify loop), and what it defines and uses (the
//! repository map, whole-definition splicing), and for Python which names a module binds
//! and uses (the verify loop). One tree-sitter grammar per language;
//! tree-sitter's types stay in here, callers get positions, names and messages.

mod definitions;
mod errors;
mod names;
mod occurrences;

use std::sync::LazyLock;

pub use definitions::{Definition, DefinitionKind, Reference};
pub use errors::SyntaxError;
pub use names::{FromImport, Unbound};
pub use occurrences::{ImportOf, Occurrence, Role};

/// The languages a grammar is built in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Python,
    Rust,
    /// JavaScript, JSX included.
    JavaScript,
    TypeScript,
    /// TypeScript with JSX, which plain TypeScript cannot parse (`<T>x` is a cast there).
    Tsx,
    Go,
    C,
    /// C++, and `.h` headers: the C++ grammar reads C headers too, the C one not C++ ones.
    Cpp,
}

impl Language {
    pub const ALL: [Language; 8] = [
        Language::Python,
        Language::Rust,
        Language::JavaScript,
        Language::TypeScript,
        Language::Tsx,
        Language::Go,
        Language::C,
        Language::Cpp,
    ];

    /// The language a path's extension names, if a grammar is built in for it.
    pub fn from_path(path: &str) -> Option<Language> {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let (_, extension) = name.rsplit_once('.')?;
        Some(match extension.to_ascii_lowercase().as_str() {
            "py" | "pyi" | "pyw" => Language::Python,
            "rs" => Language::Rust,
            "js" | "jsx" | "mjs" | "cjs" => Language::JavaScript,
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "go" => Language::Go,
            "c" => Language::C,
            "cc" | "cpp" | "cxx" | "c++" | "h" | "hh" | "hpp" | "hxx" | "h++" => Language::Cpp,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "Python",
            Language::Rust => "Rust",
            Language::JavaScript => "JavaScript",
            Language::TypeScript => "TypeScript",
            Language::Tsx => "TSX",
            Language::Go => "Go",
            Language::C => "C",
            Language::Cpp => "C++",
        }
    }

    fn grammar(self) -> tree_sitter::Language {
        match self {
            Language::Python => tree_sitter_python::LANGUAGE.into(),
            Language::Rust => tree_sitter_rust::LANGUAGE.into(),
            Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Language::Go => tree_sitter_go::LANGUAGE.into(),
            Language::C => tree_sitter_c::LANGUAGE.into(),
            Language::Cpp => tree_sitter_cpp::LANGUAGE.into(),
        }
    }

    /// The definitions query, compiled once per language.
    fn definitions_query(self) -> &'static tree_sitter::Query {
        fn compile(language: Language, source: &str) -> tree_sitter::Query {
            tree_sitter::Query::new(&language.grammar(), source)
                .expect("the built-in queries compile; a test compiles each one")
        }
        macro_rules! query {
            ($language:expr, $file:literal) => {{
                static QUERY: LazyLock<tree_sitter::Query> =
                    LazyLock::new(|| compile($language, include_str!($file)));
                &QUERY
            }};
        }
        match self {
            Language::Python => query!(Language::Python, "queries/python.scm"),
            Language::Rust => query!(Language::Rust, "queries/rust.scm"),
            Language::JavaScript => query!(Language::JavaScript, "queries/javascript.scm"),
            Language::TypeScript => query!(Language::TypeScript, "queries/typescript.scm"),
            Language::Tsx => query!(Language::Tsx, "queries/typescript.scm"),
            Language::Go => query!(Language::Go, "queries/go.scm"),
            Language::C => query!(Language::C, "queries/c.scm"),
            Language::Cpp => query!(Language::Cpp, "queries/cpp.scm"),
        }
    }
}

/// A parsed file: its text and the syntax tree over it.
pub struct Tree<'t> {
    language: Language,
    text: &'t str,
    tree: tree_sitter::Tree,
}

/// Whether `word` appears in `text` as a whole word, not inside a longer identifier
/// (`dev` is not in "develop", `extension` not in "extensions").
pub fn spelled_in(text: &str, word: &str) -> bool {
    let part_of_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    !word.is_empty()
        && text.match_indices(word).any(|(i, _)| {
            !part_of_word(text[..i].chars().next_back())
                && !part_of_word(text[i + word.len()..].chars().next())
        })
}

/// Parses `text` as `language`. Parsing always gives a tree: what does not fit the
/// grammar becomes error nodes, which [`Tree::errors`] reports.
pub fn parse(language: Language, text: &str) -> Tree<'_> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&language.grammar())
        .expect("every grammar's ABI is one this tree-sitter reads; a test parses each");
    let tree = parser
        .parse(text, None)
        .expect("a parser with a language, no timeout and no cancellation returns a tree");
    Tree {
        language,
        text,
        tree,
    }
}

impl<'t> Tree<'t> {
    pub fn language(&self) -> Language {
        self.language
    }

    /// Whether anything in the file does not parse.
    pub fn has_errors(&self) -> bool {
        self.tree.root_node().has_error()
    }

    /// The first `limit` syntax errors, in the order of the file.
    pub fn errors(&self, limit: usize) -> Vec<SyntaxError> {
        errors::collect(self.tree.root_node(), self.text, limit)
    }

    /// The functions, methods, classes, types, impls and modules defined, outermost
    /// first, in the order of the file.
    pub fn definitions(&self) -> Vec<Definition> {
        definitions::definitions(self.language, &self.tree, self.text)
    }

    /// Every identifier used that is not the name of a definition, in the order of
    /// the file.
    pub fn references(&self) -> Vec<Reference> {
        definitions::references(self.language, &self.tree, self.text)
    }

    /// The byte ranges where `name` is written as an identifier, defined or used, in
    /// the order of the file; never inside a string or a comment.
    pub fn occurrences(&self, name: &str) -> Vec<std::ops::Range<usize>> {
        definitions::occurrences(&self.tree, self.text, name)
    }
}

/// A 1-based line and column (in characters) of a byte offset, as editors count.
fn position(text: &str, point: tree_sitter::Point, byte: usize) -> (u32, u32) {
    let line_start = byte.saturating_sub(point.column);
    let column = text
        .get(line_start..byte)
        .map_or(point.column, |s| s.chars().count());
    (to_u32(point.row + 1), to_u32(column + 1))
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_loads_and_every_query_compiles() {
        for language in Language::ALL {
            let tree = parse(language, "");
            assert!(!tree.has_errors(), "{}", language.name());
            language.definitions_query();
        }
    }

    #[test]
    fn languages_are_read_from_extensions() {
        assert_eq!(Language::from_path("src/a.py"), Some(Language::Python));
        assert_eq!(Language::from_path("lib.RS"), Some(Language::Rust));
        assert_eq!(Language::from_path("web/App.tsx"), Some(Language::Tsx));
        assert_eq!(Language::from_path("x.mjs"), Some(Language::JavaScript));
        assert_eq!(Language::from_path("inc/a.h"), Some(Language::Cpp));
        assert_eq!(Language::from_path("Makefile"), None);
        assert_eq!(Language::from_path("notes.txt"), None);
    }

    #[test]
    fn columns_count_characters() {
        let text = "s = 'é'  )\n";
        let errors = parse(Language::Python, text).errors(1);
        assert_eq!((errors[0].line, errors[0].column), (1, 10), "{errors:?}");
    }
}
