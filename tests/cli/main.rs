//! Integration tests: the real `git-codey` binary on real repositories in temp dirs.

mod answer;
mod ask;
mod commit_msg;
mod common;
mod config;
mod corpus;
mod daemon;
mod edit;
mod edit_corpus;
mod edit_model;
mod edit_props;
mod edit_safety;
mod engine;
mod gate;
mod help;
mod hook;
mod models;
mod openai;
mod plan;
mod replay;
mod replies;
mod review;
mod router;
mod trust;
mod workspace;
