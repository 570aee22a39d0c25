//! A review's findings as people read them: grouped by file, coloured by severity on a
//! terminal, then the counts, the model's part and the files it did not see.

use std::io::{self, Write};

use crate::review::Severity;
use crate::review::report::{ModelSummary, Report};

/// Findings grouped by file, then the counts, the model's part, and the files it
/// did not see.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut current: Option<&str> = None;
    for f in &report.findings {
        if current != Some(f.file.as_str()) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", super::bold(&super::escape_controls(&f.file)))?;
            current = Some(&f.file);
        }
        let line = if f.line == 0 {
            "file".to_string()
        } else {
            f.line.to_string()
        };
        let severity = format!("{:<7}", f.severity.as_str());
        let severity = match f.severity {
            Severity::Error => super::red(&severity),
            Severity::Warning => super::yellow(&severity),
            Severity::Info => super::dim(&severity),
        };
        writeln!(
            out,
            "  {line:>5}  {severity}  {} {}",
            super::escape_controls(&f.message),
            super::dim(&format!("[{}]", super::escape_controls(&f.rule)))
        )?;
    }
    if current.is_some() {
        writeln!(out)?;
    }
    let s = &report.summary;
    let files = plural(s.files, "changed file", "changed files");
    let lines = plural(s.added_lines, "added line", "added lines");
    if report.findings.is_empty() {
        writeln!(
            out,
            "{}",
            super::green(&format!("no findings in {files} ({lines})"))
        )?;
    } else {
        let counts = format!(
            "{}, {}, {} info in {files} ({lines})",
            plural(s.errors, "error", "errors"),
            plural(s.warnings, "warning", "warnings"),
            s.info
        );
        let counts = if s.errors > 0 {
            super::red(&counts)
        } else {
            super::yellow(&counts)
        };
        writeln!(out, "{counts}")?;
    }
    writeln!(
        out,
        "{}",
        super::dim(&super::escape_controls(&model_line(&s.model)))
    )?;
    if !s.not_reviewed.is_empty() {
        let list: Vec<String> = s
            .not_reviewed
            .iter()
            .map(|n| format!("{} ({})", n.file, n.reason))
            .collect();
        writeln!(
            out,
            "{}",
            super::dim(&super::escape_controls(&format!(
                "not reviewed by the model: {}",
                list.join(", ")
            )))
        )?;
    }
    Ok(())
}

fn model_line(m: &ModelSummary) -> String {
    let name = m.name.as_deref().unwrap_or("the coder");
    match m.status {
        "skipped" => "model review: skipped (--static-only)".into(),
        "not-needed" => "model review: nothing for a model to read".into(),
        "unavailable" => "model review: unavailable, static checks only".into(),
        "failed" => format!("model review: {name} gave no usable answer, static checks only"),
        "partial" => format!(
            "model review: {name}, {} of {} requests answered",
            m.answered, m.requests
        ),
        _ => format!(
            "model review: {name} ({})",
            plural(m.requests, "request", "requests")
        ),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
