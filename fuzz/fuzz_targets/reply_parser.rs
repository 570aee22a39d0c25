//! The reply parser on any text a model could send (bytes read as the product reads a
//! stream: lossily). What it returns is built only from the reply's own lines.

#![no_main]

use std::collections::HashSet;

use codey::edit::EditBlock;
use codey::edit::format::parse;
use libfuzzer_sys::fuzz_target;

const DEFAULT: &str = "src/fuzz_default.py";

fuzz_target!(|data: &[u8]| {
    let reply = String::from_utf8_lossy(data);
    let without = parse(&reply, None);
    let with = parse(&reply, Some(DEFAULT));
    // The default path is only a fallback: a reply that names its files reads the same.
    if let Ok(blocks) = &without {
        assert_eq!(
            with.as_ref(),
            Ok(blocks),
            "a default path changed a complete reply"
        );
    }
    let Ok(blocks) = with else { return };
    assert!(!blocks.is_empty(), "Ok with no blocks");

    // Every line of a block is a line of the reply, or one without its diff marker.
    let mut known: HashSet<&str> = HashSet::from([""]);
    for line in reply.lines() {
        let line = line.trim_end_matches('\r');
        known.insert(line);
        if let Some((i, _)) = line.char_indices().nth(1) {
            known.insert(&line[i..]);
        }
    }
    for block in blocks.iter().take(64) {
        let path = block.path();
        assert!(
            path == DEFAULT || reply.contains(path),
            "path {path:?} is neither the default nor in the reply"
        );
        let texts: Vec<&str> = match block {
            EditBlock::Replace {
                search, replace, ..
            } => vec![search, replace],
            EditBlock::Code { code, .. } => vec![code],
        };
        for text in texts {
            assert!(
                text.is_empty() || text.ends_with('\n'),
                "block text without a final newline: {text:?}"
            );
            for line in text.lines() {
                assert!(!line.ends_with('\r'), "a CR kept at a line end: {line:?}");
                assert!(known.contains(line), "line {line:?} is not from the reply");
            }
        }
    }
});
