//! File formats authlens reads and writes: exchange JSON, and (later) `.http`, curl and HAR.

pub mod curl;
pub mod exchange_json;
pub mod har;
pub mod json_pretty;

pub use exchange_json::ExchangeFile;
