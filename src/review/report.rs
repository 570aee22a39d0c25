//! A review's result and its machine forms: JSON (`{"findings": [...], "summary":
//! {...}}`, docs/DESIGN.md's contract) and SARIF 2.1.0 for code-scanning tools. The text
//! for people is drawn by the presentation layer (`ui::review`).

use std::collections::HashSet;

use serde::Serialize;
use serde_json::{Value, json};

use super::{Finding, NotReviewed, Severity, checks};

/// How the model's part of the review went.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ModelSummary {
    /// `reviewed`, `partial`, `failed`, `unavailable`, `skipped` (`--static-only`) or
    /// `not-needed` (nothing a model could read).
    pub status: &'static str,
    /// The model that reviewed, when one was asked.
    pub name: Option<String>,
    pub requests: usize,
    pub answered: usize,
    /// Findings the model gave for files or lines outside the change.
    pub dropped: usize,
    /// Why it was unavailable or failed, in one sentence.
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// `staged`, or the range reviewed.
    pub target: String,
    pub files: usize,
    pub added_lines: usize,
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
    pub model: ModelSummary,
    /// Files the model did not see, and why.
    pub not_reviewed: Vec<NotReviewed>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

/// Static and model findings as one list: one finding per file, line and rule (the
/// static one wins, it is exact), ordered by file, then line, then severity.
pub fn merge(static_findings: Vec<Finding>, model_findings: Vec<Finding>) -> Vec<Finding> {
    let mut seen = HashSet::new();
    let mut merged: Vec<Finding> = static_findings
        .into_iter()
        .chain(model_findings)
        .filter(|f| seen.insert((f.file.clone(), f.line, f.rule.clone())))
        .collect();
    merged.sort_by(|a, b| {
        (&a.file, a.line, std::cmp::Reverse(a.severity), &a.rule).cmp(&(
            &b.file,
            b.line,
            std::cmp::Reverse(b.severity),
            &b.rule,
        ))
    });
    merged
}

impl Report {
    /// A report over merged findings; the counts are taken from them.
    pub fn new(
        findings: Vec<Finding>,
        target: String,
        files: usize,
        added_lines: usize,
        model: ModelSummary,
        not_reviewed: Vec<NotReviewed>,
    ) -> Self {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let summary = Summary {
            target,
            files,
            added_lines,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            info: count(Severity::Info),
            model,
            not_reviewed,
        };
        Report { findings, summary }
    }

    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }

    pub fn to_json(&self) -> Value {
        json!({"findings": self.findings, "summary": self.summary})
    }

    /// A minimal, valid SARIF 2.1.0 log: one run, the rules the results use, and a
    /// location for each result (with a region when the finding has a line).
    pub fn to_sarif(&self) -> Value {
        let mut rule_ids: Vec<&str> = Vec::new();
        for f in &self.findings {
            if !rule_ids.contains(&f.rule.as_str()) {
                rule_ids.push(&f.rule);
            }
        }
        let rules: Vec<Value> = rule_ids
            .iter()
            .map(|id| {
                let known = checks::RULES.iter().find(|(rule, _, _)| rule == id);
                let (description, level) = match known {
                    Some((_, severity, description)) => (*description, sarif_level(*severity)),
                    None => ("found by the coder model's review", "warning"),
                };
                json!({
                    "id": id,
                    "shortDescription": {"text": description},
                    "defaultConfiguration": {"level": level},
                })
            })
            .collect();
        let results: Vec<Value> = self
            .findings
            .iter()
            .map(|f| {
                let mut physical = json!({"artifactLocation": {"uri": uri(&f.file)}});
                if f.line > 0 {
                    physical["region"] = json!({"startLine": f.line});
                }
                json!({
                    "ruleId": f.rule,
                    "ruleIndex": rule_ids.iter().position(|r| *r == f.rule),
                    "level": sarif_level(f.severity),
                    "message": {"text": f.message},
                    "locations": [{"physicalLocation": physical}],
                })
            })
            .collect();
        json!({
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [{
                "tool": {"driver": {
                    "name": "git-codey",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }},
                "results": results,
            }],
        })
    }
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A repository path as a relative URI reference: everything but unreserved
/// characters and `/` percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(file: &str, line: u32, severity: Severity, rule: &str) -> Finding {
        Finding::new(file, line, severity, rule, "m")
    }

    #[test]
    fn merging_keeps_one_finding_per_file_line_and_rule() {
        let merged = merge(
            vec![
                f("b.py", 2, Severity::Warning, "debug-leftover"),
                f("a.py", 9, Severity::Error, "aws-access-key"),
            ],
            vec![
                f("b.py", 2, Severity::Error, "debug-leftover"),
                f("b.py", 2, Severity::Error, "model/bug"),
                f("a.py", 1, Severity::Info, "model/style"),
            ],
        );
        let got: Vec<_> = merged
            .iter()
            .map(|f| (f.file.as_str(), f.line, f.severity, f.rule.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a.py", 1, Severity::Info, "model/style"),
                ("a.py", 9, Severity::Error, "aws-access-key"),
                ("b.py", 2, Severity::Error, "model/bug"),
                ("b.py", 2, Severity::Warning, "debug-leftover"),
            ]
        );
    }

    #[test]
    fn sarif_has_the_required_shape() {
        let report = Report::new(
            vec![
                f("src/my app.py", 3, Severity::Error, "aws-access-key"),
                f("big.bin", 0, Severity::Info, "binary-file"),
            ],
            "staged".into(),
            2,
            3,
            ModelSummary::default(),
            Vec::new(),
        );
        let sarif = report.to_sarif();
        assert_eq!(sarif["version"], "2.1.0");
        let run = &sarif["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "git-codey");
        assert_eq!(run["tool"]["driver"]["rules"][1]["id"], "binary-file");
        let first = &run["results"][0];
        assert_eq!(first["level"], "error");
        assert_eq!(
            first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "src/my%20app.py"
        );
        assert_eq!(
            first["locations"][0]["physicalLocation"]["region"]["startLine"],
            3
        );
        let second = &run["results"][1];
        assert_eq!(second["level"], "note");
        assert_eq!(second["ruleIndex"], 1);
        assert!(
            second["locations"][0]["physicalLocation"]
                .get("region")
                .is_none()
        );
    }
}
