//! What a file defines and what it refers to, read with one tags-like query per
//! language (`queries/*.scm`). The query finds each definition and its name; nesting
//! is worked out here from byte ranges, so a function inside a class, an impl or a
//! trait is a method of it, whatever the language.

use std::collections::HashSet;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use tree_sitter::{Node, QueryCursor, StreamingIterator};

use super::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DefinitionKind {
    Function,
    /// A function defined in a class, impl, trait or interface, or with a receiver.
    Method,
    Class,
    /// Structs, enums, unions, traits, interfaces, type aliases and typedefs.
    Type,
    /// A Rust impl block, named after the type it is for.
    Impl,
    /// A Rust `mod`, a C++ namespace, a TypeScript namespace.
    Module,
    Macro,
}

/// One definition in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub name: String,
    pub kind: DefinitionKind,
    /// From 1, inclusive: the lines a whole-definition edit replaces, decorators and
    /// attributes included.
    pub start_line: u32,
    pub end_line: u32,
    pub bytes: Range<usize>,
    /// The name of the enclosing definition (the class of a method, the type of an
    /// impl or a receiver, the function of a nested function).
    pub parent: Option<String>,
}

/// One use of an identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub name: String,
    /// From 1.
    pub line: u32,
    pub bytes: Range<usize>,
}

/// A definition found by the query, before nesting is known.
struct Found<'t> {
    node: Node<'t>,
    kind: DefinitionKind,
    name: String,
    /// Set by the definition itself: a Go receiver, C++'s `Type::method`.
    parent: Option<String>,
}

pub(super) fn definitions(
    language: Language,
    tree: &tree_sitter::Tree,
    text: &str,
) -> Vec<Definition> {
    let mut found = find(language, tree, text);
    // Outermost first at the same start, so that a stack gives each its parent.
    found.sort_by_key(|f| (f.node.start_byte(), std::cmp::Reverse(f.node.end_byte())));
    let mut out = Vec::with_capacity(found.len());
    let mut open: Vec<(Range<usize>, usize)> = Vec::new();
    for f in found {
        let range = f.node.byte_range();
        while open
            .last()
            .is_some_and(|(outer, _)| outer.end < range.end || outer.start > range.start)
        {
            open.pop();
        }
        let enclosing: Option<&Definition> = open.last().map(|(_, at)| &out[*at]);
        let kind = match (f.kind, enclosing.map(|d| d.kind)) {
            (DefinitionKind::Function, _) if f.parent.is_some() => DefinitionKind::Method,
            (
                DefinitionKind::Function,
                Some(DefinitionKind::Class | DefinitionKind::Type | DefinitionKind::Impl),
            ) => DefinitionKind::Method,
            (kind, _) => kind,
        };
        let parent = f.parent.or_else(|| enclosing.map(|d| d.name.clone()));
        let whole = with_decorations(f.node);
        let (start_line, _) = super::position(text, whole.start, whole.bytes.start);
        let end = f.node.end_position();
        open.push((range, out.len()));
        out.push(Definition {
            name: f.name,
            kind,
            start_line,
            end_line: super::to_u32(end.row + 1),
            bytes: whole.bytes.start..f.node.end_byte(),
            parent,
        });
    }
    out
}

pub(super) fn references(
    language: Language,
    tree: &tree_sitter::Tree,
    text: &str,
) -> Vec<Reference> {
    let names: HashSet<usize> = find(language, tree, text)
        .iter()
        .filter_map(|f| name_node(f.node, language).map(|n| n.start_byte()))
        .collect();
    let mut out = Vec::new();
    identifiers(tree, text, |node, name| {
        if !names.contains(&node.start_byte()) {
            out.push(Reference {
                name: name.to_string(),
                line: super::to_u32(node.start_position().row + 1),
                bytes: node.byte_range(),
            });
        }
    });
    out
}

/// Where `name` is written as an identifier (defined or used; never inside a string
/// or a comment), in the order of the file.
pub(super) fn occurrences(tree: &tree_sitter::Tree, text: &str, name: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    identifiers(tree, text, |node, found| {
        if found == name {
            out.push(node.byte_range());
        }
    });
    out
}

/// Calls `each` with every identifier leaf of the tree and its text, in order.
fn identifiers<'t>(tree: &'t tree_sitter::Tree, text: &str, mut each: impl FnMut(Node<'t>, &str)) {
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.is_named()
            && node.child_count() == 0
            && node.kind().ends_with("identifier")
            && let Ok(name) = node.utf8_text(text.as_bytes())
        {
            each(node, name);
        }
        if cursor.goto_first_child() || cursor.goto_next_sibling() {
            continue;
        }
        loop {
            if !cursor.goto_parent() {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
        }
    }
}

fn find<'t>(language: Language, tree: &'t tree_sitter::Tree, text: &str) -> Vec<Found<'t>> {
    let query = language.definitions_query();
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(query, tree.root_node(), text.as_bytes());
    let mut out = Vec::new();
    while let Some(m) = matches.next() {
        let (mut node, mut kind, mut name, mut parent) = (None, None, None, None);
        for capture in m.captures {
            let captured = capture.node;
            let source = captured.utf8_text(text.as_bytes()).unwrap_or_default();
            match names[capture.index as usize] {
                "name" => name = Some(source.to_string()),
                "receiver" => parent = Some(type_name(source)),
                "declarator" => {
                    let Some((qualifier, base)) = declared_function(captured, text) else {
                        continue;
                    };
                    name = Some(base);
                    parent = qualifier;
                }
                other => {
                    node = Some(captured);
                    kind = Some(match other {
                        "function" => DefinitionKind::Function,
                        "method" => DefinitionKind::Method,
                        "class" => DefinitionKind::Class,
                        "type" => DefinitionKind::Type,
                        "impl" => DefinitionKind::Impl,
                        "module" => DefinitionKind::Module,
                        _ => DefinitionKind::Macro,
                    });
                }
            }
        }
        let (Some(node), Some(kind), Some(name)) = (node, kind, name) else {
            continue;
        };
        let name = if kind == DefinitionKind::Impl {
            type_name(&name)
        } else {
            name
        };
        out.push(Found {
            node,
            kind,
            name,
            parent,
        });
    }
    out
}

/// `Server` from `*Server`, `&mut fmt::Server<'a, T>`, `Server[T]`.
fn type_name(text: &str) -> String {
    let mut t = text.trim();
    for prefix in ["&", "*", "mut ", "dyn ", "impl "] {
        while let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim_start();
        }
    }
    let t = t.split(['<', '[']).next().unwrap_or(t);
    t.rsplit("::").next().unwrap_or(t).trim().to_string()
}

/// A C or C++ function's name under its declarators, and the class a qualified name
/// (`Type::method`) puts it in. `None` when the declarator is not a function's (a
/// macro the grammar could not see through).
fn declared_function(declarator: Node, text: &str) -> Option<(Option<String>, String)> {
    let mut node = declarator;
    while node.kind() != "function_declarator" {
        node = node.child_by_field_name("declarator")?;
    }
    let name = node
        .child_by_field_name("declarator")?
        .utf8_text(text.as_bytes())
        .ok()?;
    Some(match name.rsplit_once("::") {
        Some((qualifier, base)) => (Some(type_name(qualifier)), base.to_string()),
        None => (None, name.to_string()),
    })
}

/// The node a definition's name is, for leaving it out of the references.
fn name_node(node: Node, language: Language) -> Option<Node> {
    if matches!(language, Language::C | Language::Cpp) && node.kind() == "function_definition" {
        let mut n = node.child_by_field_name("declarator")?;
        while n.kind() != "function_declarator" {
            n = n.child_by_field_name("declarator")?;
        }
        let mut name = n.child_by_field_name("declarator")?;
        while let Some(inner) = name.child_by_field_name("name") {
            name = inner;
        }
        return Some(name);
    }
    node.child_by_field_name("name")
        .or_else(|| node.child_by_field_name("declarator"))
}

/// Where a definition starts once what belongs to it in front is counted: Python's
/// decorators, Rust's attributes and doc comments, JavaScript's `export`, C++'s
/// `template <…>`.
struct Start {
    start: tree_sitter::Point,
    bytes: Range<usize>,
}

fn with_decorations(node: Node) -> Start {
    let mut first = node;
    if let Some(parent) = node.parent()
        && matches!(
            parent.kind(),
            "decorated_definition" | "export_statement" | "template_declaration"
        )
    {
        first = parent;
    }
    if matches!(node.kind(), "variable_declarator")
        && let Some(declaration) = node.parent()
        && declaration.named_child_count() == 1
    {
        first = declaration;
        if let Some(export) = declaration.parent()
            && export.kind() == "export_statement"
        {
            first = export;
        }
    }
    // Rust's outer attributes and doc comments are siblings in front.
    while let Some(previous) = first.prev_sibling()
        && (previous.kind() == "attribute_item"
            || (previous.kind() == "line_comment" && previous.child_by_field_name("doc").is_some()))
    {
        first = previous;
    }
    Start {
        start: first.start_position(),
        bytes: first.start_byte()..node.end_byte(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Language, parse};
    use super::*;

    /// (kind, name, parent, start line, end line) of each definition.
    fn outline(
        language: Language,
        text: &str,
    ) -> Vec<(DefinitionKind, String, Option<String>, u32, u32)> {
        parse(language, text)
            .definitions()
            .into_iter()
            .map(|d| (d.kind, d.name, d.parent, d.start_line, d.end_line))
            .collect()
    }

    fn d(
        kind: DefinitionKind,
        name: &str,
        parent: Option<&str>,
        lines: (u32, u32),
    ) -> (DefinitionKind, String, Option<String>, u32, u32) {
        (kind, name.into(), parent.map(Into::into), lines.0, lines.1)
    }

    use DefinitionKind::*;

    #[test]
    fn a_decorated_python_method_starts_at_its_decorator() {
        let text = "import functools\n\nclass Cache:\n    \"\"\"A cache.\"\"\"\n\n    @functools.lru_cache(maxsize=None)\n    def get(self, key):\n        def inner():\n            return key\n        return inner()\n\n\ndef helper():\n    pass\n";
        let tree = parse(Language::Python, text);
        assert!(tree.errors(5).is_empty());
        assert_eq!(
            outline(Language::Python, text),
            vec![
                d(Class, "Cache", None, (3, 10)),
                d(Method, "get", Some("Cache"), (6, 10)),
                d(Function, "inner", Some("get"), (8, 9)),
                d(Function, "helper", None, (13, 14)),
            ]
        );
        let get = &tree.definitions()[1];
        assert!(text[get.bytes.clone()].starts_with("@functools"));
        assert!(text[get.bytes.clone()].ends_with("return inner()"));
    }

    #[test]
    fn a_rust_impl_method_has_the_type_as_parent() {
        let text = "use std::fmt;\n\n/// A point.\n#[derive(Debug)]\npub struct Point<T> {\n    x: T,\n}\n\nimpl<T: fmt::Display> fmt::Display for Point<T> {\n    /// Shows it.\n    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {\n        write!(f, \"{}\", self.x)\n    }\n}\n\ntrait Shape {\n    fn area(&self) -> f64;\n}\n\nmod inner {\n    pub fn free() {}\n}\n\nmacro_rules! twice { ($e:expr) => { $e; $e }; }\n";
        assert!(parse(Language::Rust, text).errors(5).is_empty());
        assert_eq!(
            outline(Language::Rust, text),
            vec![
                d(Type, "Point", None, (3, 7)),
                d(Impl, "Point", None, (9, 14)),
                d(Method, "fmt", Some("Point"), (10, 13)),
                d(Type, "Shape", None, (16, 18)),
                d(Method, "area", Some("Shape"), (17, 17)),
                d(Module, "inner", None, (20, 22)),
                d(Function, "free", Some("inner"), (21, 21)),
                d(Macro, "twice", None, (24, 24)),
            ]
        );
    }

    #[test]
    fn a_javascript_class_method_and_arrow_functions() {
        let text = "export class Cart {\n  constructor() { this.items = []; }\n  total() {\n    return this.items.reduce((a, b) => a + b, 0);\n  }\n}\n\nconst add = (a, b) => a + b;\nfunction main() { return new Cart().total(); }\n";
        assert!(parse(Language::JavaScript, text).errors(5).is_empty());
        assert_eq!(
            outline(Language::JavaScript, text),
            vec![
                d(Class, "Cart", None, (1, 6)),
                d(Method, "constructor", Some("Cart"), (2, 2)),
                d(Method, "total", Some("Cart"), (3, 5)),
                d(Function, "add", None, (8, 8)),
                d(Function, "main", None, (9, 9)),
            ]
        );
    }

    #[test]
    fn a_go_method_has_its_receiver_type_as_parent() {
        let text = "package main\n\ntype Server struct {\n\tport int\n}\n\nfunc (s *Server) Start() error {\n\treturn nil\n}\n\nfunc main() {\n\t_ = (&Server{}).Start()\n}\n";
        assert!(parse(Language::Go, text).errors(5).is_empty());
        assert_eq!(
            outline(Language::Go, text),
            vec![
                d(Type, "Server", None, (3, 5)),
                d(Method, "Start", Some("Server"), (7, 9)),
                d(Function, "main", None, (11, 13)),
            ]
        );
    }

    #[test]
    fn typescript_c_and_cpp_definitions() {
        let ts = "interface Shape { area(): number }\ntype Id = string;\nexport function make(): Shape { return { area: () => 1 }; }\n";
        assert_eq!(
            outline(Language::TypeScript, ts),
            vec![
                d(Type, "Shape", None, (1, 1)),
                d(Method, "area", Some("Shape"), (1, 1)),
                d(Type, "Id", None, (2, 2)),
                d(Function, "make", None, (3, 3)),
            ]
        );
        let c = "struct node { int v; };\ntypedef struct node node_t;\nstatic char *name(node_t *n) {\n  return 0;\n}\n";
        assert_eq!(
            outline(Language::C, c),
            vec![
                d(Type, "node", None, (1, 1)),
                d(Type, "node_t", None, (2, 2)),
                d(Function, "name", None, (3, 5)),
            ]
        );
        let cpp = "namespace geo {\nclass Circle {\n public:\n  double area() const { return 3.14 * r * r; }\n  double r;\n};\n}\ndouble geo::Circle::scale(double k) { return k; }\n";
        assert_eq!(
            outline(Language::Cpp, cpp),
            vec![
                d(Module, "geo", None, (1, 7)),
                d(Class, "Circle", Some("geo"), (2, 6)),
                d(Method, "area", Some("Circle"), (4, 4)),
                d(Method, "scale", Some("Circle"), (8, 8)),
            ]
        );
    }

    #[test]
    fn references_are_the_identifiers_used_not_the_names_defined() {
        let text = "def summarize(values):\n    return mean(values) + helpers.total(values)\n";
        let names: Vec<String> = parse(Language::Python, text)
            .references()
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(
            names,
            ["values", "mean", "values", "helpers", "total", "values"]
        );
    }
}
