//! The git argument reader the permission gate judges pushes, `--output` and
//! destroying commands by (`codey::safety::git_args`), on any words. Nothing panics, and
//! whatever options and operands come first, a `+main` refspec after them is always
//! seen as rewriting the protected branch `main`.

#![no_main]

use codey::safety::git_args::{self, Push};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let words: Vec<String> = input.split_whitespace().map(str::to_string).collect();

    let _ = git_args::output_files(&words);
    if let Some((sub, rest)) = git_args::subcommand(&words) {
        let _ = git_args::destroys(sub, rest);
    }
    let push = Push::parse(&words);
    let _ = push.rewrites(Some("main"));
    let _ = push.rewrites(None);

    // However the words before it read, a forced refspec onto main after `--` and a
    // remote is a rewrite of main.
    let mut forced = words.clone();
    forced.extend(["--", "origin", "+main"].map(String::from));
    let push = Push::parse(&forced);
    let protected = ["main".to_string()];
    assert!(
        push.protected_rewrite(&protected, Some("topic")).is_some(),
        "{forced:?} rewrites main unseen: {push:?}"
    );
});
