//! Model edits as patches: a reply is read into blocks (`format`), each block is placed
//! in the current file (`matcher`, `splice`) inside a `Workset`, and the result is a
//! `Patch` the tool diffs itself, writes atomically (`apply`) and can take back (`undo`).

pub mod apply; // atomic writes of a patch, checked against the files as they were
pub mod commit; // committing exactly an applied edit
pub mod context; // which files the model sees, and the repository map
pub mod format; // reading replies: SEARCH/REPLACE, unified diffs, fenced code
pub mod grammar; // a grammar holding SEARCH lines to the file's own lines
pub mod imports; // the imports a patch lacks, added where the repository says where a name lives
pub mod lock; // one git-codey at a time changes a repository's files
pub mod matcher; // finding SEARCH text: exact, whitespace, indentation, elision
pub mod patch; // before/after per file and the unified diff
pub mod pipeline; // request to applied patch: targets, ask, preview, apply, commit
pub mod prompt; // system prompts per reply form, the user turn, retries
pub mod rename; // renames on the syntax tree, without a model
pub mod session; // ask, apply in memory, retry: one conversation to a patch
pub mod splice; // whole definitions spliced in by name
pub mod targets; // which files an edit may change
pub mod text; // line endings, byte-order marks and final newlines kept
pub mod undo; // pre-images under .git/codey/undo
pub mod workset; // the files of one edit and their edited text

pub use format::EditBlock;
pub use patch::{FileChange, Patch};
pub use workset::{Form, Workset};
