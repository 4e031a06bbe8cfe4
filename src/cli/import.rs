//! `authlens import FILE [--env POSTMAN_ENV.json] [-o OUT.http [--force]]`: a HAR, Postman
//! collection v2.1, OpenAPI / Swagger document or curl command as a `.http` file. Secrets are
//! never written: the stderr lists the variables to set, and with `-o` a Postman
//! environment's other values go into `http-client.env.json` beside the output.

use super::CliError;
use super::error::Position;
use crate::formats::import::{self, ImportError, PostmanEnv};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// A HAR, a Postman collection v2.1, an OpenAPI 3.x / Swagger 2.0 document (JSON or
    /// YAML), or a file holding one curl command.
    pub file: PathBuf,
    /// A Postman environment: its plain values go into `http-client.env.json` (with `-o`),
    /// its secrets are listed as variables to set.
    #[arg(long, value_name = "POSTMAN_ENV.json")]
    pub env: Option<PathBuf>,
    /// Write the `.http` file here instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "OUT.http")]
    pub output: Option<PathBuf>,
    /// Overwrite the output file (and its `http-client.env.json`) if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: ImportArgs) -> Result<ExitCode, CliError> {
    let imported = import::read(&read_text(&args.file)?).map_err(|e| file_error(&args.file, e))?;
    let env = match &args.env {
        Some(p) => Some(import::read_env(&read_text(p)?).map_err(|e| file_error(p, e))?),
        None => None,
    };
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("imported.http"));
    let source = args.file.file_name().map_or_else(
        || args.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let written =
        import::to_http(&imported, &out, &source).map_err(|e| file_error(&args.file, e))?;
    match &args.output {
        Some(path) => {
            write_new(path, &written.text, args.force)?;
            if let Some(env) = &env {
                write_env(path, env, args.force)?;
            }
            eprintln!(
                "wrote {} requests to {}",
                written.drafts.len(),
                path.display()
            );
        }
        None => print!("{}", written.text),
    }
    for note in &imported.notes {
        eprintln!("not imported: {note}");
    }
    tell_what_to_set(&written.to_set, env.as_ref(), args.output.is_some());
    let from_env: Vec<&str> = env
        .iter()
        .flat_map(|e| &e.values)
        .map(|v| v.name.as_str())
        .collect();
    let other: Vec<&str> = written
        .referenced
        .iter()
        .map(String::as_str)
        .filter(|n| !from_env.contains(n))
        .collect();
    if !other.is_empty() {
        eprintln!("the requests also refer to: {}", other.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

fn read_text(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::File {
        path: path.to_path_buf(),
        at: None,
        message: e.to_string(),
    })
}

fn file_error(path: &Path, e: ImportError) -> CliError {
    CliError::File {
        path: path.to_path_buf(),
        at: e.at.map(|(line, column)| Position {
            line,
            column: Some(column),
        }),
        message: e.message,
    }
}

/// Writes `text` to `path`, refusing to replace a file unless `force`.
fn write_new(path: &Path, text: &str, force: bool) -> Result<(), CliError> {
    if path.exists() && !force {
        return Err(CliError::File {
            path: path.to_path_buf(),
            at: None,
            message: "exists; pass --force to overwrite it".into(),
        });
    }
    std::fs::write(path, text).map_err(|e| CliError::File {
        path: path.to_path_buf(),
        at: None,
        message: e.to_string(),
    })
}

/// The environment's plain values as `http-client.env.json` beside the output, under the
/// environment's name; secrets are left out (listed on stderr instead).
fn write_env(out: &Path, env: &PostmanEnv, force: bool) -> Result<(), CliError> {
    let plain: serde_json::Map<String, serde_json::Value> = env
        .values
        .iter()
        .filter(|v| !v.secret)
        .map(|v| (v.name.clone(), serde_json::Value::String(v.value.clone())))
        .collect();
    let doc = serde_json::json!({ env.name.clone(): plain });
    let path = out
        .parent()
        .unwrap_or(Path::new(""))
        .join("http-client.env.json");
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    write_new(&path, &text, force)?;
    eprintln!("wrote environment {:?} to {}", env.name, path.display());
    Ok(())
}

fn tell_what_to_set(to_set: &[(String, String)], env: Option<&PostmanEnv>, wrote_env: bool) {
    let mut lines: Vec<String> = to_set
        .iter()
        .map(|(name, place)| format!("  {name}  ({place} in the source, not written)"))
        .collect();
    for v in env.into_iter().flat_map(|e| &e.values) {
        if v.secret || !wrote_env {
            let why = if v.secret {
                "secret"
            } else {
                "environment value"
            };
            lines.push(format!("  {}  (Postman {why}, not written)", v.name));
        }
    }
    if !lines.is_empty() {
        eprintln!("set these in .env or the environment before sending:");
        for l in lines {
            eprintln!("{l}");
        }
    }
}
