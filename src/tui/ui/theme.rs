//! Colours and marks in one place. Meaning never rides on colour alone: every coloured thing
//! also has a word or a symbol (✗, ✓, [typed], [auth helper]…), for colour-blind users and for
//! monochrome terminals and screen readers.

use ratatui::style::{Color, Modifier, Style};

pub fn focused_border() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
pub fn border() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub fn dim() -> Style {
    Style::new().fg(Color::Gray).add_modifier(Modifier::DIM)
}
pub fn selected() -> Style {
    Style::new()
        .bg(Color::Rgb(40, 56, 80))
        .add_modifier(Modifier::BOLD)
}
pub fn resolved() -> Style {
    Style::new().fg(Color::Green)
}
pub fn unresolved() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn masked() -> Style {
    Style::new()
        .fg(Color::Yellow)
        .add_modifier(Modifier::ITALIC)
}
pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn ok() -> Style {
    Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
}
pub fn warn() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}
pub fn key() -> Style {
    Style::new().fg(Color::Black).bg(Color::Gray)
}
pub fn header_name() -> Style {
    Style::new().fg(Color::Cyan)
}
pub fn helper() -> Style {
    Style::new().fg(Color::Magenta)
}
pub fn status(code: u16) -> Style {
    match code {
        200..=299 => ok(),
        300..=399 => warn(),
        _ => error(),
    }
}
