//! A `.http` file's own variables (`@name = value`), with the line each comes from, as
//! layers for `vars::Vars`. A value may use other variables (`@base = {{host}}/api`): those
//! are expanded here, from the file's variables and the chosen environment; a reference
//! neither defines stays as typed, for the process environment and `.env` to answer.

use super::HttpFile;
use crate::vars::{Source, interpolate};
use std::collections::BTreeMap;

/// One `@name = value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileVar {
    pub name: String,
    pub value: String,
    /// 1-based.
    pub line: usize,
}

impl HttpFile {
    /// The `@name = value` lines, in file order, values as typed.
    pub fn variables(&self) -> Vec<FileVar> {
        let mut out = Vec::new();
        for (b, block) in self.blocks.iter().enumerate() {
            let first = self.first_line(b);
            for (i, name, value) in &block.vars {
                out.push(FileVar {
                    name: name.clone(),
                    value: value.clone(),
                    line: first + i,
                });
            }
        }
        out
    }
}

/// The layers `Vars::build_layered` takes for this file: its variables (expanded, the first
/// definition of a name winning as in `Vars`), then the environment `env` (highest first,
/// as `Environments::variables` gives it).
pub fn file_variables(
    file: &HttpFile,
    env: &[(String, String, Source)],
) -> Vec<(String, String, Source)> {
    let own = file.variables();
    let mut known: BTreeMap<String, String> = BTreeMap::new();
    for (name, value, _) in env.iter().rev() {
        known.insert(name.clone(), value.clone());
    }
    for v in own.iter().rev() {
        known.insert(v.name.clone(), v.value.clone());
    }
    // Expand until nothing changes; a cycle stops after a few rounds, its references kept.
    for _ in 0..8 {
        let next: BTreeMap<String, String> = known
            .iter()
            .map(|(k, v)| (k.clone(), interpolate(v, |n| known.get(n).cloned()).text))
            .collect();
        if next == known {
            break;
        }
        known = next;
    }
    let layers = own.iter().map(|v| {
        let source = Source::HttpFile {
            path: file.path.clone(),
            line: v.line,
        };
        let value = interpolate(&v.value, |n| known.get(n).cloned()).text;
        (v.name.clone(), value, source)
    });
    layers.chain(env.iter().cloned()).collect()
}
