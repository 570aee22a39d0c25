//! Integration tests: the real `git-codey` binary on real repositories in temp dirs.

mod answer;
mod ask;
mod commit_msg;
mod common;
mod config;
mod corpus;
mod daemon;
mod edit;
mod edit_model;
mod engine;
mod escapes;
mod gate;
mod help;
mod hook;
mod models;
mod openai;
mod plan;
mod review;
mod router;
mod shell;
mod workspace;
