//! File formats authlens reads and writes: exchange JSON (the scenario schema), HAR, curl and
//! JSON bodies. Reading and writing only: what a file *means* for a diagnosis is the rules'
//! business.

pub(crate) mod curl;
pub mod exchange_json;
pub mod export;
pub mod export_mask;
pub mod har;
pub mod har_write;
pub mod http_file;
pub mod import;
pub(crate) mod json_pretty;
#[cfg(test)]
mod props;
pub mod wire_secrets;

pub use exchange_json::ExchangeFile;
