//! Where a Python name is written, and in what role: a definition, a plain use, an
//! attribute of some object (`orders.calc`, `d.get`), a keyword argument, a parameter or
//! local binding that shadows it, an import, a string in `__all__`. A rename reads
//! these to change the places that mean the renamed definition and nothing else.

use std::ops::Range;

use tree_sitter::Node;

use super::{Language, Tree};

/// What one occurrence of a name is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// The name of a `def` or `class`; `top_level` when at module level, `class` the
    /// class it is a method of.
    Definition {
        top_level: bool,
        class: Option<String>,
    },
    /// Bound by an assignment (or `for`, `with … as`, `:=`) at module level.
    ModuleBinding,
    /// A parameter, or bound inside a function or class body: another name that
    /// shadows the module's.
    LocalBinding,
    /// `object.name`, with the object's text (`orders`, `self`, `shop.orders`, `d`).
    Attribute { object: String },
    /// `f(name=…)`: the callee's parameter, not this name.
    Keyword,
    /// In an import statement: `from m import name`, `import name`.
    Import,
    /// A string in a module-level `__all__`: the bytes are the string's content.
    Exported,
    /// Any other use.
    Use,
}

/// One place a name is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub bytes: Range<usize>,
    pub role: Role,
}

/// One import statement of a module: `import a.b as x` is `("a.b", Some("x"))`, `from
/// .a import b as y` is `(".a", Some("b"), Some("y"))` read as module `.a`, name `b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOf {
    /// `import module [as alias]`.
    Module {
        module: String,
        alias: Option<String>,
    },
    /// `from module import name [as alias]`; `module` as written, dots and all.
    Name {
        module: String,
        name: String,
        alias: Option<String>,
    },
}

impl Tree<'_> {
    /// Every place `name` is written in a Python file, with its role; `None` for a
    /// file that is not Python or does not parse.
    pub fn python_occurrences(&self, name: &str) -> Option<Vec<Occurrence>> {
        if self.language != Language::Python || self.has_errors() {
            return None;
        }
        let text = self.text.as_bytes();
        let mut out = Vec::new();
        let mut stack = vec![self.tree.root_node()];
        while let Some(node) = stack.pop() {
            if node.kind() == "identifier" && node.utf8_text(text).ok() == Some(name) {
                out.push(Occurrence {
                    bytes: node.byte_range(),
                    role: role(node, text),
                });
            }
            if node.kind() == "string"
                && exported(node, text)
                && let Some(content) = content_of(node)
                && content.utf8_text(text).ok() == Some(name)
            {
                out.push(Occurrence {
                    bytes: content.byte_range(),
                    role: Role::Exported,
                });
            }
            let mut cursor = node.walk();
            let children: Vec<Node> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
        out.sort_by_key(|o| o.bytes.start);
        Some(out)
    }

    /// The file's import statements, in order (Python only).
    pub fn python_imports(&self) -> Vec<ImportOf> {
        if self.language != Language::Python {
            return Vec::new();
        }
        let text = self.text.as_bytes();
        let of = |n: Option<Node>| n.and_then(|n| n.utf8_text(text).ok()).map(str::to_string);
        // `a.b as x` is the name `a.b` and the alias `x`; a plain `a.b` has no alias.
        let named = |item: Node| match item.kind() {
            "aliased_import" => (
                of(item.child_by_field_name("name")),
                of(item.child_by_field_name("alias")),
            ),
            _ => (of(Some(item)), None),
        };
        let mut out = Vec::new();
        let mut stack = vec![self.tree.root_node()];
        while let Some(node) = stack.pop() {
            let mut cursor = node.walk();
            match node.kind() {
                "import_statement" => {
                    for item in node.children_by_field_name("name", &mut cursor) {
                        let (module, alias) = named(item);
                        if let Some(module) = module {
                            out.push(ImportOf::Module { module, alias });
                        }
                    }
                }
                "import_from_statement" => {
                    let Some(module) = of(node.child_by_field_name("module_name")) else {
                        continue;
                    };
                    for item in node.children_by_field_name("name", &mut cursor) {
                        let (name, alias) = named(item);
                        if let Some(name) = name {
                            out.push(ImportOf::Name {
                                module: module.clone(),
                                name,
                                alias,
                            });
                        }
                    }
                }
                _ => {
                    let children: Vec<Node> = node.named_children(&mut cursor).collect();
                    stack.extend(children.into_iter().rev());
                }
            }
        }
        out
    }
}

/// The role of an identifier, from where it sits.
fn role(node: Node, text: &[u8]) -> Role {
    let Some(parent) = node.parent() else {
        return Role::Use;
    };
    let is_field = |field: &str| parent.child_by_field_name(field) == Some(node);
    match parent.kind() {
        "attribute" if is_field("attribute") => {
            let object = parent
                .child_by_field_name("object")
                .and_then(|o| o.utf8_text(text).ok())
                .unwrap_or_default()
                .to_string();
            return Role::Attribute { object };
        }
        "keyword_argument" if is_field("name") => return Role::Keyword,
        "function_definition" | "class_definition" if is_field("name") => {
            let class = enclosing(parent)
                .filter(|s| s.kind() == "class_definition")
                .and_then(|c| c.child_by_field_name("name"))
                .and_then(|n| n.utf8_text(text).ok())
                .map(str::to_string);
            return Role::Definition {
                top_level: enclosing(parent).is_none(),
                class,
            };
        }
        "parameters"
        | "lambda_parameters"
        | "typed_parameter"
        | "list_splat_pattern"
        | "dictionary_splat_pattern" => return Role::LocalBinding,
        "default_parameter" | "typed_default_parameter" if is_field("name") => {
            return Role::LocalBinding;
        }
        "global_statement" | "nonlocal_statement" => return Role::LocalBinding,
        _ => {}
    }
    if inside(
        node,
        &[
            "import_statement",
            "import_from_statement",
            "future_import_statement",
        ],
    ) {
        return Role::Import;
    }
    if binds(node) {
        return match enclosing(node) {
            None => Role::ModuleBinding,
            Some(_) => Role::LocalBinding,
        };
    }
    Role::Use
}

/// The innermost function, lambda or class body the node is in (`None` at module
/// level). A definition's own name belongs to the scope around it.
fn enclosing(node: Node) -> Option<Node> {
    let mut at = node.parent();
    while let Some(n) = at {
        if matches!(
            n.kind(),
            "function_definition" | "class_definition" | "lambda"
        ) {
            return Some(n);
        }
        at = n.parent();
    }
    None
}

fn inside(node: Node, kinds: &[&str]) -> bool {
    let mut at = node.parent();
    while let Some(n) = at {
        if kinds.contains(&n.kind()) {
            return true;
        }
        at = n.parent();
    }
    false
}

/// Whether the identifier is a target the statement around it binds.
fn binds(node: Node) -> bool {
    let mut child = node;
    let mut at = node.parent();
    while let Some(parent) = at {
        match parent.kind() {
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "tuple"
            | "list"
            | "parenthesized_expression"
            | "expression_list" => {}
            "assignment" | "augmented_assignment" => {
                return parent.child_by_field_name("left") == Some(child);
            }
            "for_statement" | "for_in_clause" => {
                return parent.child_by_field_name("left") == Some(child);
            }
            "named_expression" => return parent.child_by_field_name("name") == Some(child),
            "as_pattern_target" | "with_item" => return true,
            "except_clause" => return true,
            _ => return false,
        }
        child = parent;
        at = parent.parent();
    }
    false
}

/// Whether a string is an item of a module-level `__all__ = [...]`.
fn exported(string: Node, text: &[u8]) -> bool {
    let Some(list) = string.parent() else {
        return false;
    };
    if !matches!(list.kind(), "list" | "tuple") {
        return false;
    }
    let Some(assignment) = list.parent() else {
        return false;
    };
    matches!(assignment.kind(), "assignment" | "augmented_assignment")
        && assignment
            .child_by_field_name("left")
            .and_then(|l| l.utf8_text(text).ok())
            == Some("__all__")
        && enclosing(assignment).is_none()
}

fn content_of(string: Node) -> Option<Node> {
    let mut cursor = string.walk();
    let contents: Vec<Node> = string
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "string_content")
        .collect();
    match contents.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn roles(text: &str, name: &str) -> Vec<Role> {
        parse(Language::Python, text)
            .python_occurrences(name)
            .expect("parses")
            .into_iter()
            .map(|o| o.role)
            .collect()
    }

    #[test]
    fn each_occurrence_has_its_role() {
        let text = "from shop.orders import calc\nimport shop.orders as o\n__all__ = ['calc']\ncalc2 = calc(1)\nx = o.calc(2) + d.calc\nf(calc=3)\n\n\ndef g(calc):\n    y = calc\n\n\nclass K:\n    def calc(self):\n        calc = 1\n";
        assert_eq!(
            roles(text, "calc"),
            [
                Role::Import,
                Role::Exported,
                Role::Use,
                Role::Attribute { object: "o".into() },
                Role::Attribute { object: "d".into() },
                Role::Keyword,
                Role::LocalBinding,
                Role::Use,
                Role::Definition {
                    top_level: false,
                    class: Some("K".into())
                },
                Role::LocalBinding,
            ]
        );
        assert_eq!(roles("calc = 3\n", "calc"), [Role::ModuleBinding]);
        assert_eq!(
            roles("def calc():\n    pass\n", "calc"),
            [Role::Definition {
                top_level: true,
                class: None
            }]
        );
    }

    #[test]
    fn imports_are_read_with_their_aliases() {
        let text = "import os, shop.orders as o\nfrom .orders import calc as c, total\n";
        assert_eq!(
            parse(Language::Python, text).python_imports(),
            [
                ImportOf::Module {
                    module: "os".into(),
                    alias: None
                },
                ImportOf::Module {
                    module: "shop.orders".into(),
                    alias: Some("o".into())
                },
                ImportOf::Name {
                    module: ".orders".into(),
                    name: "calc".into(),
                    alias: Some("c".into())
                },
                ImportOf::Name {
                    module: ".orders".into(),
                    name: "total".into(),
                    alias: None
                },
            ]
        );
    }
}
