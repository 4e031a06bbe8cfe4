//! Unit tests, one positive and one negative per rule.
