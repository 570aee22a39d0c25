//! What the model sees of code it is not given whole: an outline of the rest of the
//! repository (the signatures of the definitions the target files use or the request
//! names, grouped by file, within a budget), and, for a target file too big for the
//! context, an excerpt: the definitions the request concerns whole, with an outline of
//! the rest. Nothing is cut silently: what a budget leaves out is counted in the text.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use super::words;
use super::{Map, Symbol};
use crate::syntax::{self, DefinitionKind, Language};

/// Signatures of the definitions outside `targets` that the targets use or the request
/// names, grouped by file, the most used files first, within `budget_chars`. Empty
/// when nothing qualifies.
pub fn outline(map: &Map, targets: &[String], request: &str, budget_chars: usize) -> String {
    let mut wanted: HashMap<String, u32> = HashMap::new();
    // What the request names counts most; then what the targets use.
    for name in words::mentions(request).names {
        *wanted.entry(name.text).or_default() += 4;
    }
    for target in targets {
        if let Some(f) = map.file(target) {
            for r in &f.references {
                *wanted.entry(r.clone()).or_default() += 1;
            }
        }
    }
    let mut groups: Vec<(u32, &str, Vec<&Symbol>)> = Vec::new();
    for f in &map.files {
        if targets.contains(&f.path) {
            continue;
        }
        let symbols: Vec<&Symbol> = f
            .definitions
            .iter()
            .filter(|s| s.kind != DefinitionKind::Impl && wanted.contains_key(&s.name))
            .collect();
        if symbols.is_empty() {
            continue;
        }
        let weight = symbols.iter().map(|s| wanted[&s.name]).sum();
        groups.push((weight, f.path.as_str(), symbols));
    }
    groups.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let mut out = String::new();
    let mut left_out = 0usize;
    for (_, path, symbols) in &groups {
        let mut block = format!("{path}:\n");
        for s in symbols {
            let _ = writeln!(block, "  {}: {}", s.start_line, s.signature);
        }
        if out.len() + block.len() <= budget_chars {
            out.push_str(&block);
        } else {
            left_out += symbols.len();
        }
    }
    if left_out > 0 {
        let _ = writeln!(out, "… {left_out} more definitions not shown");
    }
    out
}

/// A file shown in part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The text for the prompt: the chosen definitions whole, each under a line giving
    /// its line range, and the rest as signatures with the lines left out counted.
    pub text: String,
    /// The line ranges (from 1, inclusive) given whole: what a reply may replace.
    pub whole: Vec<(u32, u32)>,
    /// The names of the definitions given whole.
    pub names: Vec<String>,
}

/// The part of a large file a request concerns: the definitions it names whole, the rest as an outline, within
/// `budget_chars`. `None` when the file's language has no grammar or the request names
/// nothing in it: the file cannot be cut down and must be refused or sent whole.
pub fn excerpt(path: &str, text: &str, request: &str, budget_chars: usize) -> Option<Excerpt> {
    let language = Language::from_path(path)?;
    let tree = syntax::parse(language, text);
    let definitions = tree.definitions();
    let named = words::mentions(request).names;
    let mentioned: HashSet<&str> = named.iter().map(|n| n.text.as_str()).collect();
    // `Shape` in `Shape.area` only says which `area`.
    let qualifiers: HashSet<&str> = named.iter().filter_map(|n| n.parent.as_deref()).collect();
    let lines: Vec<&str> = text.lines().collect();
    // The named definitions themselves, not their class or impl: their own lines are
    // what a whole-definition reply replaces.
    let mut chosen: Vec<&syntax::Definition> = definitions
        .iter()
        .filter(|d| d.kind != DefinitionKind::Impl && mentioned.contains(d.name.as_str()))
        .collect();
    let qualified: Vec<(String, Option<String>)> = chosen
        .iter()
        .map(|d| (d.name.clone(), d.parent.clone()))
        .collect();
    chosen.retain(|d| {
        !(qualifiers.contains(d.name.as_str())
            && qualified
                .iter()
                .any(|(_, parent)| parent.as_deref() == Some(d.name.as_str())))
    });
    chosen.sort_by_key(|d| d.start_line);
    // Drop a definition already inside another chosen one.
    let mut kept: Vec<&syntax::Definition> = Vec::new();
    for d in chosen {
        if !kept
            .iter()
            .any(|k| k.start_line <= d.start_line && d.end_line <= k.end_line)
        {
            kept.push(d);
        }
    }
    let mut whole = Vec::new();
    let mut names = Vec::new();
    let mut used = 0usize;
    for d in &kept {
        let size: usize = lines
            .get(d.start_line as usize - 1..(d.end_line as usize).min(lines.len()))
            .unwrap_or_default()
            .iter()
            .map(|l| l.len() + 1)
            .sum();
        if used + size <= budget_chars {
            used += size;
            whole.push((d.start_line, d.end_line));
            names.push(d.name.clone());
        }
    }
    if whole.is_empty() {
        return None;
    }
    let inside = |line: u32| whole.iter().any(|(a, b)| *a <= line && line <= *b);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{path} is too large to show whole ({} lines); shown: {}, and the signatures of the rest.",
        lines.len(),
        names.join(", ")
    );
    let mut hidden_from: Option<u32> = None;
    let close = |out: &mut String, from: &mut Option<u32>, to: u32| {
        if let Some(start) = from.take() {
            let _ = writeln!(out, "    … lines {start}-{to} not shown");
        }
    };
    // The signatures of the rest, within what the budget has left: first the
    // definitions around the ones shown (their classes, and the other members of those),
    // then the rest in file order.
    let shown_parents: HashSet<&str> = definitions
        .iter()
        .filter(|d| inside(d.start_line))
        .filter_map(|d| d.parent.as_deref())
        .collect();
    let mut rest: Vec<&syntax::Definition> = definitions
        .iter()
        .filter(|d| !inside(d.start_line))
        .collect();
    rest.sort_by_key(|d| {
        let near = shown_parents.contains(d.name.as_str())
            || d.parent
                .as_deref()
                .is_some_and(|p| shown_parents.contains(p));
        (!near, d.start_line)
    });
    let mut outline_at: HashMap<u32, String> = HashMap::new();
    for d in rest {
        let signature = super::signature(&lines, d.start_line, d.end_line, &d.name);
        if used + signature.len() + 8 > budget_chars {
            continue;
        }
        used += signature.len() + 8;
        outline_at.insert(d.start_line, signature);
    }
    let mut line_no = 1u32;
    while (line_no as usize) <= lines.len() {
        if let Some(&(a, b)) = whole.iter().find(|(a, _)| *a == line_no) {
            close(&mut out, &mut hidden_from, line_no - 1);
            let _ = writeln!(out, "# lines {a}-{b}");
            for l in &lines[a as usize - 1..(b as usize).min(lines.len())] {
                let _ = writeln!(out, "{l}");
            }
            line_no = b + 1;
            continue;
        }
        if let Some(signature) = outline_at.get(&line_no) {
            close(&mut out, &mut hidden_from, line_no - 1);
            let _ = writeln!(out, "{line_no}: {signature}");
        } else if hidden_from.is_none() {
            hidden_from = Some(line_no);
        }
        line_no += 1;
    }
    close(&mut out, &mut hidden_from, line_no - 1);
    Some(Excerpt {
        text: out,
        whole,
        names,
    })
}
