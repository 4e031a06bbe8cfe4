//! Coordinates inside a draft: which row, which field. They sit with the draft because the
//! resolver, the rules and the TUI all point into the same request and must agree on how.

use serde::Serialize;

/// A row of the draft's header or query table that a finding or an edit refers to — or the
/// header or query parameter the auth helper writes, which has no row of its own.
///
/// Typed rows sort first, in table order, then the helper's. In JSON a typed row is its
/// 0-based index; the helper's is the string `"auth_helper"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowRef {
    /// A 0-based index into the draft's table.
    Typed(usize),
    /// What the auth helper writes; no table edit reaches it.
    AuthHelper,
}

impl RowRef {
    /// The table index, for a typed row.
    pub fn typed(self) -> Option<usize> {
        match self {
            RowRef::Typed(i) => Some(i),
            RowRef::AuthHelper => None,
        }
    }
}

impl Serialize for RowRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RowRef::Typed(i) => serializer.serialize_u64(*i as u64),
            RowRef::AuthHelper => serializer.serialize_str("auth_helper"),
        }
    }
}

/// A field of the auth helper (`AuthHelper`); each kind of helper has some of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuthField {
    Token,
    /// The header or query parameter name of an API-key helper.
    Name,
    Key,
    User,
    Password,
}
