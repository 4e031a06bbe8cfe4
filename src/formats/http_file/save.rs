//! Saving a draft into a `.http` file under the trust rule (`vars::scrub`): credentials are
//! written only as `{{NAME}}` references — a secret typed literally as
//! `{{AUTHLENS_UNSAVED_…}}`, which nothing sets, so the saved request can never send a
//! different secret than the one typed — and a `${NAME}` as the `{{NAME}}` both tools read.

use super::{HttpFile, HttpFileError};
use crate::draft::Draft;
use crate::vars::scrub::{Left, scrub_noting, to_mustache};
use std::path::Path;

/// The draft as a `.http` file may hold it, and the secrets left out (for the caller to
/// offer keeping elsewhere, as the TUI's quit does).
pub fn safe_draft(draft: &Draft) -> (Draft, Vec<Left>) {
    let (mut d, left) = scrub_noting(draft);
    to_mustache(&mut d);
    (d, left)
}

/// Writes `draft`, made safe, over request `index`, or appends it named `name` when `index`
/// is `None`; returns the request's index and what was left out. The caller writes
/// `file.write()` to disk.
pub fn save_request(
    file: &mut HttpFile,
    index: Option<usize>,
    name: Option<&str>,
    draft: &Draft,
    dir: &Path,
) -> Result<(usize, Vec<Left>), HttpFileError> {
    let (safe, left) = safe_draft(draft);
    let index = match index {
        Some(i) => {
            file.replace(i, &safe, dir)?;
            i
        }
        None => file.append(name, &safe, dir)?,
    };
    Ok((index, left))
}
