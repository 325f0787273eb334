//! The `kontor` binary's library: configuration, HTTP, worker and CLI.

pub mod app;
pub mod assistant;
pub mod auth;
pub mod cli;
pub mod config;
pub mod copy;
pub mod delivery;
pub mod demo;
pub mod export;
pub mod i18n;
pub mod import_file;
pub mod sso;
pub mod telemetry;
pub mod web;
pub mod worker;
