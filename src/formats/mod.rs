//! File formats authlens reads and writes: exchange JSON (the scenario schema), HAR, curl and
//! JSON bodies. Reading and writing only: what a file *means* for a diagnosis is the rules'
//! business.

pub mod curl;
pub mod exchange_json;
pub mod har;
pub mod json_pretty;

pub use exchange_json::ExchangeFile;
