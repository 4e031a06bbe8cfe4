//! authlens: why did this request get 401?
//!
//! The library is the pure core (draft, variables, sending, rules, formats, practice server,
//! secrets); the binary's CLI and TUI are thin shells over it. The core never imports the
//! terminal crates — `tests/layering.rs` fails if it does.

pub mod ca;
pub mod cli;
pub mod cookies;
pub mod data_dir;
pub mod dates;
pub mod draft;
pub mod exchange;
pub mod flags;
pub mod formats;
pub mod lessons;
pub mod live_context;
pub mod masked;
pub mod practice;
pub mod rules;
pub mod secret;
pub mod send;
pub mod slots;
pub mod spec;
pub mod tee;
pub mod tls;
pub mod tui;
pub mod url_text;
pub mod vars;
pub mod watch;
