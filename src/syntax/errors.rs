//! Syntax errors as a person would state them: where (1-based line and column) and
//! what — "missing `:`" where the parser inserted a token, "`(` is never closed" or
//! "unexpected `)`" where it had to skip text.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

/// One place where the text does not fit the grammar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyntaxError {
    /// From 1.
    pub line: u32,
    /// From 1, in characters.
    pub column: u32,
    pub bytes: Range<usize>,
    pub message: String,
}

/// Tokens longer than this are cut in messages.
const SHOWN_CHARS: usize = 30;

pub(super) fn collect(root: Node, text: &str, limit: usize) -> Vec<SyntaxError> {
    let mut out = Vec::new();
    if limit > 0 && root.has_error() {
        visit(root, text, limit, &mut out);
    }
    out
}

fn visit(node: Node, text: &str, limit: usize, out: &mut Vec<SyntaxError>) {
    if node.is_missing() {
        out.push(error_at(node, text, missing(node)));
        return;
    }
    if node.is_error() {
        out.push(skipped(node, text));
        return;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if out.len() >= limit {
            return;
        }
        if child.has_error() {
            visit(child, text, limit, out);
        }
    }
}

fn error_at(node: Node, text: &str, message: String) -> SyntaxError {
    let (line, column) = super::position(text, node.start_position(), node.start_byte());
    SyntaxError {
        line,
        column,
        bytes: node.byte_range(),
        message,
    }
}

/// A token the parser had to invent: named by its text when it is punctuation or a
/// keyword, by its kind otherwise ("missing identifier").
fn missing(node: Node) -> String {
    if node.is_named() {
        format!("missing {}", node.kind().replace('_', " "))
    } else {
        format!("missing `{}`", node.kind())
    }
}

/// Text the parser skipped. An opening bracket it never saw closed explains the rest
/// best; otherwise the first token it could not place.
fn skipped(node: Node, text: &str) -> SyntaxError {
    let mut leaves = Vec::new();
    leaves_of(node, &mut leaves);
    let mut open: Vec<Node> = Vec::new();
    for leaf in &leaves {
        match leaf.kind() {
            "(" | "[" | "{" => open.push(*leaf),
            ")" | "]" | "}" if open.pop().is_none() => {
                return error_at(*leaf, text, format!("unexpected `{}`", leaf.kind()));
            }
            _ => {}
        }
    }
    if let Some(bracket) = open.first() {
        return error_at(
            *bracket,
            text,
            format!("`{}` is never closed", bracket.kind()),
        );
    }
    match leaves.first() {
        Some(first) => {
            let token = shown(first.utf8_text(text.as_bytes()).unwrap_or_default());
            error_at(*first, text, format!("unexpected `{token}`"))
        }
        None => error_at(node, text, "unexpected text".into()),
    }
}

fn leaves_of<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    if node.child_count() == 0 {
        out.push(node);
        return;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        leaves_of(child, out);
    }
}

fn shown(token: &str) -> String {
    let line = token.lines().next().unwrap_or_default();
    if line.chars().count() > SHOWN_CHARS || line.len() < token.len() {
        let cut: String = line.chars().take(SHOWN_CHARS).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Language, parse};

    fn first(language: Language, text: &str) -> (u32, u32, String) {
        let errors = parse(language, text).errors(3);
        let e = errors
            .first()
            .unwrap_or_else(|| panic!("no error in {text:?}"));
        (e.line, e.column, e.message.clone())
    }

    #[test]
    fn an_unclosed_python_paren_is_reported_where_it_opens() {
        let text = "import os\n\ndef main(argv):\n    total = sum(int(a) for a in argv\n    print(total)\n\nmain([])\n";
        assert_eq!(
            first(Language::Python, text),
            (4, 16, "`(` is never closed".into())
        );
    }

    #[test]
    fn a_stray_closing_bracket_is_unexpected() {
        assert_eq!(
            first(Language::Python, "x = (1, 2))\n"),
            (1, 11, "unexpected `)`".into())
        );
    }

    #[test]
    fn a_missing_python_colon_is_reported_on_its_line() {
        let (line, column, message) = first(Language::Python, "def f(x)\n    return x\n");
        assert_eq!((line, column), (1, 1));
        assert!(message.contains("def"), "{message}");
    }

    #[test]
    fn a_missing_rust_brace_and_semicolon() {
        let unclosed =
            "fn main() {\n    let x = 1;\n    if x > 0 {\n        println!(\"{x}\");\n}\n";
        assert_eq!(
            first(Language::Rust, unclosed),
            (1, 11, "`{` is never closed".into())
        );
        let no_semicolon = "fn main() {\n    let x = 1\n    let y = 2;\n}\n";
        assert_eq!(
            first(Language::Rust, no_semicolon),
            (2, 14, "missing `;`".into())
        );
    }

    #[test]
    fn a_missing_go_brace_is_reported_at_the_end() {
        let text = "package main\n\nfunc main() {\n\tx := 1\n\tif x > 0 {\n}\n";
        assert_eq!(first(Language::Go, text), (7, 1, "missing `}`".into()));
    }

    #[test]
    fn a_javascript_method_with_an_open_paren() {
        let text = "class A {\n  m() { return 1 }\n  n( { }\n}\n";
        assert_eq!(
            first(Language::JavaScript, text),
            (3, 4, "`(` is never closed".into())
        );
    }

    #[test]
    fn valid_files_have_no_errors_and_the_limit_holds() {
        let valid = [
            (
                Language::Python,
                "async def f(*a, **k) -> int:\n    match a:\n        case [x]:\n            return x\n    return 0\n",
            ),
            (
                Language::Rust,
                "fn f<'a>(x: &'a str) -> impl Iterator<Item = char> + 'a {\n    x.chars()\n}\n",
            ),
            (
                Language::TypeScript,
                "const f = <T,>(x: T): T => x;\nenum E { A, B }\n",
            ),
            (
                Language::Tsx,
                "export const App = () => <div className=\"a\">{1}</div>;\n",
            ),
            (
                Language::C,
                "#include <stdio.h>\nint main(void) { printf(\"hi\\n\"); return 0; }\n",
            ),
            (
                Language::Cpp,
                "template <typename T> T id(T x) { return x; }\n",
            ),
        ];
        for (language, text) in valid {
            assert_eq!(parse(language, text).errors(5), Vec::new(), "{text}");
        }
        let many = "fn f() {\n    let a = 1\n    let b = 2\n    let c = 3\n    let d = 4;\n}\n";
        let tree = parse(Language::Rust, many);
        assert_eq!(tree.errors(10).len(), 3);
        assert_eq!(tree.errors(2).len(), 2);
    }
}
