//! `authlens watch`: a proxy between the user's own program and its API that records each
//! exchange as the program sent it and diagnoses it while the program runs.
//!
//! The proxy reports everything as [`event::Event`]s on one channel; the CLI streams them,
//! the TUI draws them. Nothing here knows about the terminal.

pub mod event;

pub use event::{Event, Mode, Stream, Watched};
