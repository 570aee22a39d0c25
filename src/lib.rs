//! git-codey: a local-first AI coding assistant that lives inside git.

// One unsafe block in the crate, in the llama.cpp binding (`llm::llama`), allowed there
// alone and explained where it stands.
#![deny(unsafe_code)]

pub(crate) mod answer; // the question intent
pub mod cli; // command-line definitions
pub mod commands; // one module per subcommand, and the dispatch
pub(crate) mod commit_msg; // commit messages drafted for the prepare-commit-msg hook
pub mod config; // layered configuration with the origin of every value
pub mod daemon; // the resident model service on a Unix socket, and its client
pub mod edit; // model edits as patches: parse, match, splice, apply, undo
pub mod error; // the command layer's error type and exit codes
pub(crate) mod escape; // text from outside made safe to show on a terminal
pub(crate) mod fault; // pause points for fault-injection tests (debug builds only)
pub mod hook; // installing and removing the prepare-commit-msg hook
pub(crate) mod interrupt; // Ctrl-C while steps run
pub mod llm; // model roles, GGUF headers, memory estimates
pub mod map; // the repository map: definitions and references of tracked files, cached
pub mod memory; // the last turns of this repository's session, for follow-ups
pub mod plan; // splitting a request into steps, resolving pronouns
pub(crate) mod provider; // where a model comes from: the service when it runs, else in-process
pub(crate) mod review; // static checks and model review of a change before it is committed
pub mod route; // the Route type and the rules router
pub mod safety; // what is refused whatever the request routes to: pure, a leaf
pub(crate) mod steps; // the step engine: a plan checked by the gate, then run, as typed outcomes
pub mod syntax; // parsing source with tree-sitter: syntax errors, definitions, references
pub(crate) mod tools; // git, shell and file actions, and the permission gate
pub mod ui; // colour, prompts, progress, stdout handling
pub mod verify; // checking an edit before it is shown: parse, names, imports, tests
pub mod workspace; // repository discovery and path confinement
