//! The one integration-test binary: each test starts the real server on a
//! random port with a fresh database and drives it over HTTP.

mod helpers;

mod acceptance;
mod access_moves;
mod accounts;
mod api_language;
mod assistant;
mod authorization;
mod backup;
mod bad_input;
mod bulk;
mod cli;
mod concurrency;
mod connections;
mod conversations;
mod copy;
mod crash;
mod delivery;
mod disk_full;
mod finding;
mod flow;
mod frame;
mod idempotency;
mod import;
mod import_words;
mod limits;
mod local_time;
mod notifications;
mod openapi;
mod partner_views;
mod passkeys;
mod portal;
mod reminders;
mod renewal;
mod scale_out;
mod scim;
mod second_factor;
mod settings;
mod sso;
mod subscription;
mod support;
mod tenancy;
mod throttle;
mod tokens;
mod validation;
