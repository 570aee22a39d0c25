//! Integration tests: the real `git-codey` binary on real repositories in temp dirs.

mod answer;
mod ask;
mod common;
mod config;
mod corpus;
mod edit;
mod edit_model;
mod engine;
mod gate;
mod help;
mod models;
mod openai;
mod plan;
mod workspace;
