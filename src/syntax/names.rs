//! Which names a Python module binds and which it uses without binding them, as the
//! verify step's built-in stand-in for pyflakes: scopes as Python has them (a method
//! does not see its class's names), every binding form (assignment and augmented
//! assignment targets, `for`, `with … as`, `except … as`, imports, parameters,
//! comprehension variables, `:=`, `global`/`nonlocal`, match patterns, type
//! parameters), and the builtins of Python 2 and 3.
//!
//! It is built to be wrong in one direction only: a name counts as bound when it is
//! bound anywhere in a visible scope, whatever the order or the branch, and a file that
//! can create names the parser cannot see (`from x import *`, `globals()`, `exec`, a
//! Python 2 statement) is not judged at all. A name it reports is a `NameError` waiting
//! to happen; many such errors go unreported.

use std::collections::{BTreeSet, HashSet};

use tree_sitter::Node;

use super::{Language, Tree};

/// A name used where no visible scope binds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unbound {
    pub name: String,
    /// From 1.
    pub line: u32,
    /// From 1, in characters.
    pub column: u32,
}

/// One `from MODULE import NAME, …` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromImport {
    /// As written: leading dots for a relative import (`..pkg`, `.`).
    pub module: String,
    /// The imported names (before any `as`) and the line of each.
    pub names: Vec<(String, u32)>,
}

impl Tree<'_> {
    /// The names used without being bound, in the order of the file; `None` when the
    /// file is not Python, does not parse, or can bind names the parser cannot see.
    pub fn unbound_names(&self) -> Option<Vec<Unbound>> {
        let scopes = self.scopes()?;
        if scopes.open {
            return None;
        }
        let mut out = Vec::new();
        for r in &scopes.references {
            if !scopes.resolves(r.scope, &r.name) {
                out.push(Unbound {
                    name: r.name.clone(),
                    line: r.line,
                    column: r.column,
                });
            }
        }
        Some(out)
    }

    /// The names the module binds at its top level (wherever the binding sits: in a
    /// branch, a `try`, or a function declaring it `global`); `None` when the module may
    /// define names the parser cannot see (`import *`, a module `__getattr__`,
    /// `globals()`), does not parse, or is not Python.
    pub fn module_names(&self) -> Option<BTreeSet<String>> {
        let scopes = self.scopes()?;
        let names = &scopes.scopes[0].names;
        if scopes.open || names.contains("__getattr__") {
            return None;
        }
        Some(names.iter().cloned().collect())
    }

    /// Every `from … import …` of a Python file, nested ones included (not `import *`).
    pub fn from_imports(&self) -> Vec<FromImport> {
        if self.language != Language::Python {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut stack = vec![self.tree.root_node()];
        while let Some(node) = stack.pop() {
            if node.kind() == "import_from_statement" {
                let Some(module) = node.child_by_field_name("module_name") else {
                    continue;
                };
                let mut names = Vec::new();
                let mut cursor = node.walk();
                for name in node.children_by_field_name("name", &mut cursor) {
                    let name = match name.kind() {
                        "aliased_import" => name.child_by_field_name("name"),
                        _ => Some(name),
                    };
                    if let Some(name) = name {
                        names.push((self.text_of(name).to_string(), line_of(name)));
                    }
                }
                out.push(FromImport {
                    module: self.text_of(module).to_string(),
                    names,
                });
                continue;
            }
            let mut cursor = node.walk();
            let children: Vec<Node> = node.named_children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
        out
    }

    fn text_of(&self, node: Node) -> &str {
        node.utf8_text(self.text.as_bytes()).unwrap_or("")
    }

    fn scopes(&self) -> Option<Scopes> {
        if self.language != Language::Python || self.has_errors() {
            return None;
        }
        let mut scopes = Scopes {
            scopes: vec![Scope {
                kind: ScopeKind::Module,
                parent: None,
                names: HashSet::new(),
            }],
            references: Vec::new(),
            open: false,
        };
        scopes.walk(self, self.tree.root_node());
        Some(scopes)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Function,
    Class,
    Comprehension,
}

struct Scope {
    kind: ScopeKind,
    parent: Option<usize>,
    names: HashSet<String>,
}

struct Use {
    scope: usize,
    name: String,
    line: u32,
    column: u32,
}

/// How an identifier met in a walk counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Read: a reference.
    Load,
    /// An assignment target: bound (inside a subscript or attribute, read again).
    Bind,
    /// A parameter list.
    Param,
    /// Not a name of this module's scopes (an annotation, an attribute's name).
    Skip,
}

struct Scopes {
    scopes: Vec<Scope>,
    references: Vec<Use>,
    /// The module can bind names the walk cannot see.
    open: bool,
}

impl Scopes {
    fn new_scope(&mut self, kind: ScopeKind, parent: usize) -> usize {
        self.scopes.push(Scope {
            kind,
            parent: Some(parent),
            names: HashSet::new(),
        });
        self.scopes.len() - 1
    }

    fn bind(&mut self, scope: usize, name: &str) {
        self.scopes[scope].names.insert(name.to_string());
    }

    /// The nearest scope that is not a comprehension, where `:=` binds.
    fn owner(&self, mut scope: usize) -> usize {
        while self.scopes[scope].kind == ScopeKind::Comprehension {
            match self.scopes[scope].parent {
                Some(p) => scope = p,
                None => break,
            }
        }
        scope
    }

    fn walk<'n>(&mut self, tree: &Tree, root: Node<'n>) {
        let mut stack: Vec<(Node<'n>, usize, Mode)> = vec![(root, 0, Mode::Load)];
        while let Some((node, scope, mode)) = stack.pop() {
            if mode == Mode::Skip {
                continue;
            }
            let field = |name: &str| node.child_by_field_name(name);
            let mut push = |child: Option<Node<'n>>, scope: usize, mode: Mode| {
                if let Some(child) = child {
                    stack.push((child, scope, mode));
                }
            };
            match (node.kind(), mode) {
                ("identifier", Mode::Bind | Mode::Param) => {
                    self.bind(scope, tree.text_of(node));
                }
                ("identifier", _) => {
                    let (line, column) =
                        super::position(tree.text, node.start_position(), node.start_byte());
                    self.references.push(Use {
                        scope,
                        name: tree.text_of(node).to_string(),
                        line,
                        column,
                    });
                }
                ("print_statement" | "exec_statement" | "wildcard_import", _) => {
                    self.open = true;
                }
                ("function_definition", _) => {
                    if let Some(name) = field("name") {
                        self.bind(scope, tree.text_of(name));
                    }
                    let inner = self.new_scope(ScopeKind::Function, scope);
                    push(field("parameters"), inner, Mode::Param);
                    push(field("type_parameters"), inner, Mode::Bind);
                    push(field("body"), inner, Mode::Load);
                }
                ("class_definition", _) => {
                    if let Some(name) = field("name") {
                        self.bind(scope, tree.text_of(name));
                    }
                    let inner = self.new_scope(ScopeKind::Class, scope);
                    push(field("superclasses"), scope, Mode::Load);
                    push(field("type_parameters"), inner, Mode::Bind);
                    push(field("body"), inner, Mode::Load);
                }
                ("lambda", _) => {
                    let inner = self.new_scope(ScopeKind::Function, scope);
                    push(field("parameters"), inner, Mode::Param);
                    push(field("body"), inner, Mode::Load);
                }
                (
                    "list_comprehension"
                    | "set_comprehension"
                    | "dictionary_comprehension"
                    | "generator_expression",
                    _,
                ) => {
                    let inner = self.new_scope(ScopeKind::Comprehension, scope);
                    self.children(node, inner, Mode::Load, &mut stack);
                }
                ("for_in_clause" | "for_statement", _) => {
                    push(field("left"), scope, Mode::Bind);
                    let mut cursor = node.walk();
                    for (i, child) in node.named_children(&mut cursor).enumerate() {
                        if node.field_name_for_named_child(i as u32) != Some("left") {
                            stack.push((child, scope, Mode::Load));
                        }
                    }
                }
                ("default_parameter" | "typed_default_parameter", Mode::Param) => {
                    push(field("name"), scope, Mode::Param);
                    push(field("value"), scope, Mode::Load);
                }
                ("typed_parameter", Mode::Param) => {
                    let mut cursor = node.walk();
                    for (i, child) in node.named_children(&mut cursor).enumerate() {
                        if node.field_name_for_named_child(i as u32) != Some("type") {
                            stack.push((child, scope, Mode::Param));
                        }
                    }
                }
                ("assignment", _) => {
                    push(field("left"), scope, Mode::Bind);
                    push(field("right"), scope, Mode::Load);
                }
                ("augmented_assignment", _) => {
                    push(field("left"), scope, Mode::Bind);
                    push(field("left"), scope, Mode::Load);
                    push(field("right"), scope, Mode::Load);
                }
                ("named_expression", _) => {
                    if let Some(name) = field("name") {
                        let name = tree.text_of(name);
                        self.bind(scope, name);
                        let owner = self.owner(scope);
                        self.bind(owner, name);
                    }
                    push(field("value"), scope, Mode::Load);
                }
                ("as_pattern", _) => {
                    let mut cursor = node.walk();
                    for (i, child) in node.named_children(&mut cursor).enumerate() {
                        let alias = node.field_name_for_named_child(i as u32) == Some("alias");
                        let inner = if alias { Mode::Bind } else { mode };
                        stack.push((child, scope, inner));
                    }
                }
                ("except_clause", _) => {
                    let mut cursor = node.walk();
                    for (i, child) in node.named_children(&mut cursor).enumerate() {
                        let alias = node.field_name_for_named_child(i as u32) == Some("alias");
                        let inner = if alias { Mode::Bind } else { Mode::Load };
                        stack.push((child, scope, inner));
                    }
                }
                ("import_statement", _) => {
                    let mut cursor = node.walk();
                    for name in node.children_by_field_name("name", &mut cursor) {
                        let bound = match name.kind() {
                            "aliased_import" => name.child_by_field_name("alias"),
                            // `import a.b` binds `a`.
                            _ => name.named_child(0),
                        };
                        if let Some(bound) = bound {
                            self.bind(scope, tree.text_of(bound));
                        }
                    }
                }
                ("import_from_statement", _) => {
                    let mut cursor = node.walk();
                    for name in node.children_by_field_name("name", &mut cursor) {
                        let bound = match name.kind() {
                            "aliased_import" => name.child_by_field_name("alias"),
                            _ => Some(name),
                        };
                        if let Some(bound) = bound {
                            self.bind(scope, tree.text_of(bound));
                        }
                    }
                    let mut cursor = node.walk();
                    if node
                        .named_children(&mut cursor)
                        .any(|c| c.kind() == "wildcard_import")
                    {
                        self.open = true;
                    }
                }
                ("future_import_statement", _) => {}
                ("global_statement", _) => {
                    let mut cursor = node.walk();
                    for name in node.named_children(&mut cursor) {
                        let name = tree.text_of(name).to_string();
                        self.bind(0, &name);
                        self.bind(scope, &name);
                    }
                }
                ("nonlocal_statement", _) => {
                    let mut cursor = node.walk();
                    for name in node.named_children(&mut cursor) {
                        let name = tree.text_of(name).to_string();
                        self.bind(scope, &name);
                    }
                }
                // Every name in a pattern counts as bound: captures are, and the value
                // patterns (`case Color.RED`) are only missed references.
                ("case_pattern", _) => self.children(node, scope, Mode::Bind, &mut stack),
                ("keyword_argument", _) => push(field("value"), scope, Mode::Load),
                ("attribute", _) => push(field("object"), scope, Mode::Load),
                ("subscript", _) => self.children(node, scope, Mode::Load, &mut stack),
                // Annotations are left alone: string and `TYPE_CHECKING` forms are common.
                ("type", Mode::Load) => {}
                ("type_alias_statement", _) => push(field("left"), scope, Mode::Bind),
                ("call", _) => {
                    if let Some(function) = field("function")
                        && function.kind() == "identifier"
                    {
                        let name = tree.text_of(function);
                        let no_arguments =
                            field("arguments").is_some_and(|a| a.named_child_count() == 0);
                        if matches!(name, "globals" | "exec" | "execfile")
                            || (matches!(name, "locals" | "vars") && no_arguments)
                        {
                            self.open = true;
                        }
                    }
                    self.children(node, scope, Mode::Load, &mut stack);
                }
                (_, _) => self.children(node, scope, mode, &mut stack),
            }
        }
    }

    fn children<'t>(
        &self,
        node: Node<'t>,
        scope: usize,
        mode: Mode,
        stack: &mut Vec<(Node<'t>, usize, Mode)>,
    ) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        stack.extend(children.into_iter().rev().map(|c| (c, scope, mode)));
    }

    /// Whether `name` used in `scope` is bound there, in a scope it sees, or built in.
    fn resolves(&self, scope: usize, name: &str) -> bool {
        let mut at = Some(scope);
        // A class's names are seen from its own body, and (conservatively) from the
        // comprehensions directly in it, not from its methods.
        let mut only_comprehensions = true;
        let mut first = true;
        while let Some(s) = at {
            let sc = &self.scopes[s];
            let visible = first || sc.kind != ScopeKind::Class || only_comprehensions;
            if visible && sc.names.contains(name) {
                return true;
            }
            if sc.kind != ScopeKind::Comprehension {
                only_comprehensions = false;
            }
            first = false;
            at = sc.parent;
        }
        BUILTINS.contains(&name) || MODULE_DUNDERS.contains(&name)
    }
}

fn line_of(node: Node) -> u32 {
    super::to_u32(node.start_position().row + 1)
}

/// The builtins of Python 3 up to 3.13, and of Python 2, which compatibility code names
/// in branches that never run on 3; `_` for gettext's `install()`; `reveal_type` and
/// `reveal_locals`, which type checkers treat as built in.
const BUILTINS: &[&str] = &[
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "BaseExceptionGroup",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "BytesWarning",
    "ChildProcessError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "DeprecationWarning",
    "EOFError",
    "Ellipsis",
    "EncodingWarning",
    "EnvironmentError",
    "Exception",
    "ExceptionGroup",
    "False",
    "FileExistsError",
    "FileNotFoundError",
    "FloatingPointError",
    "FutureWarning",
    "GeneratorExit",
    "IOError",
    "ImportError",
    "ImportWarning",
    "IndentationError",
    "IndexError",
    "InterruptedError",
    "IsADirectoryError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "None",
    "NotADirectoryError",
    "NotImplemented",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PendingDeprecationWarning",
    "PermissionError",
    "ProcessLookupError",
    "PythonFinalizationError",
    "RecursionError",
    "ReferenceError",
    "ResourceWarning",
    "RuntimeError",
    "RuntimeWarning",
    "StandardError",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SyntaxWarning",
    "SystemError",
    "SystemExit",
    "TabError",
    "TimeoutError",
    "True",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UnicodeTranslateError",
    "UnicodeWarning",
    "UserWarning",
    "ValueError",
    "Warning",
    "WindowsError",
    "ZeroDivisionError",
    "_",
    "__build_class__",
    "__debug__",
    "__import__",
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "apply",
    "ascii",
    "basestring",
    "bin",
    "bool",
    "breakpoint",
    "buffer",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "cmp",
    "coerce",
    "compile",
    "complex",
    "copyright",
    "credits",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "execfile",
    "exit",
    "file",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "intern",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "license",
    "list",
    "locals",
    "long",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "quit",
    "range",
    "raw_input",
    "reduce",
    "reveal_locals",
    "reveal_type",
    "reload",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "unichr",
    "unicode",
    "vars",
    "xrange",
    "zip",
];

/// Names every module (or class body, or method) has without binding them.
const MODULE_DUNDERS: &[&str] = &[
    "__annotations__",
    "__builtins__",
    "__cached__",
    "__class__",
    "__dict__",
    "__doc__",
    "__file__",
    "__loader__",
    "__module__",
    "__name__",
    "__package__",
    "__path__",
    "__qualname__",
    "__spec__",
];

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    fn unbound(text: &str) -> Vec<String> {
        parse(Language::Python, text)
            .unbound_names()
            .expect("judged")
            .into_iter()
            .map(|u| format!("{}:{}", u.name, u.line))
            .collect()
    }

    #[test]
    fn a_missing_import_is_found_at_its_use() {
        let text = "def slug(s):\n    return re.sub(r'\\W+', '-', s)\n";
        assert_eq!(unbound(text), ["re:2"]);
        assert!(unbound(&format!("import re\n{text}")).is_empty());
    }

    #[test]
    fn every_binding_form_binds() {
        let text = r#"
import os.path
import json as j
from collections import OrderedDict as OD, deque
try:
    from typing import TYPE_CHECKING
except ImportError as err:
    print(err)
X: int = 1
a, (b, *c) = 1, (2, 3)
for i, k in enumerate([]):
    pass
with open("f") as (fh):
    fh.read()
def f(p, q=X, *args, r: "T" = 2, **kw):
    global G
    G = lambda z, *w: z + p + sum(w)
    total = [y for y in args if (n := y)]
    print(n, total, q, r, kw, os.path, j, OD, deque)
    def inner():
        nonlocal p
        p += 1
    return inner
class C(object):
    attr = 1
    items = [attr for _ in range(3)]
    def m(self):
        return self.attr, __class__
match G:
    case {"k": [v, *rest]} | Point(x=v, y=rest):
        print(v, rest)
    case other:
        print(other)
print(a, b, c, i, k, f, C, G, __name__, __file__)
"#;
        assert_eq!(unbound(text), Vec::<String>::new());
    }

    #[test]
    fn methods_do_not_see_their_class_names() {
        let text = "class C:\n    LIMIT = 3\n    def m(self):\n        return LIMIT\n";
        assert_eq!(unbound(text), ["LIMIT:4"]);
    }

    #[test]
    fn star_imports_and_globals_leave_the_file_unjudged() {
        for text in [
            "from os import *\nprint(path)\n",
            "globals()['x'] = 1\nprint(x)\n",
            "exec('x = 1')\nprint(x)\n",
        ] {
            assert_eq!(
                parse(Language::Python, text).unbound_names(),
                None,
                "{text}"
            );
        }
        assert_eq!(parse(Language::Python, "def (:\n").unbound_names(), None);
    }

    #[test]
    fn module_names_and_from_imports() {
        let text = "from .base import Base as B, helper\nimport x.y\nif B:\n    def total(): pass\nelse:\n    total = None\nclass K: pass\ndef g():\n    global LATE\n";
        let tree = parse(Language::Python, text);
        let names: Vec<String> = tree.module_names().expect("closed").into_iter().collect();
        assert_eq!(names, ["B", "K", "LATE", "g", "helper", "total", "x"]);
        assert_eq!(
            tree.from_imports(),
            [FromImport {
                module: ".base".into(),
                names: vec![("Base".into(), 1), ("helper".into(), 1)],
            }]
        );
        let lazy = parse(Language::Python, "def __getattr__(name):\n    return 1\n");
        assert_eq!(lazy.module_names(), None);
    }
}
