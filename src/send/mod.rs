//! Turning a draft into bytes on a socket, hop by hop, and recording exactly what went out.

pub mod exchange;

pub use exchange::{
    BodyPreview, Capture, Exchange, Hop, Origin, Response, Stripped, Timing, WireHeader,
    WireRequest,
};
