//! `authlens serve`: the practice server on its own, for curl, notebooks and other clients.
//!
//! The key for the X-API-Key routes comes from `--api-key`/`--api-key-required`, else from
//! `API_KEY`/`API_KEY_REQUIRED` in the environment (the notebook story's backend, docs/ARCHITECTURE.md §8), else the
//! printed practice key. `--api-key ''` means "no key": the route is open unless required.

use super::{CliError, ServeArgs};
use crate::practice::{Config, PracticeServer};
use std::process::ExitCode;

pub fn run(args: ServeArgs) -> Result<ExitCode, CliError> {
    let config = config(&args, |k| std::env::var(k).ok());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::local("start the async runtime", e))?;
    runtime.block_on(async {
        let mut server = PracticeServer::start(config)
            .await
            .map_err(|error| CliError::Local {
                doing: format!("listen on 127.0.0.1:{}", args.port),
                error,
                hint: Some("another server there? try --port 0"),
            })?;
        super::print::outln(&server.banner());
        if let Some(port) = args.tls_port {
            super::print::outln(&tls(&mut server, port).await?);
        }
        super::print::outln("Press Ctrl+C to stop.");
        let _ = tokio::signal::ctrl_c().await;
        server.shutdown();
        Ok(ExitCode::SUCCESS)
    })
}

/// Starts the TLS listener; the lines say where and which CA file a client must trust.
async fn tls(server: &mut PracticeServer, port: u16) -> Result<String, CliError> {
    let ca = crate::ca::load_default(crate::ca::Kind::Practice)
        .map_err(|e| CliError::local("set up the practice CA", std::io::Error::other(e)))?;
    let addr = server
        .listen_tls(port, &ca)
        .await
        .map_err(|error| CliError::Local {
            doing: format!("listen with TLS on 127.0.0.1:{port}"),
            error,
            hint: Some("another server there? try --tls-port 0"),
        })?;
    Ok(format!(
        "TLS: https://{addr}/ (and https://localhost:{}/), the same routes. Its certificate is signed by authlens's practice CA: {}\n  curl --cacert {} https://{addr}/v1/models",
        addr.port(),
        ca.cert_path().display(),
        ca.cert_path().display()
    ))
}

fn config(args: &ServeArgs, env: impl Fn(&str) -> Option<String>) -> Config {
    if args.api_key.is_some() || args.api_key_required {
        let api_key = args.api_key.clone().filter(|k| !k.is_empty());
        return Config {
            port: args.port,
            api_key,
            api_key_required: args.api_key_required,
        };
    }
    if env("API_KEY").is_some() || env("API_KEY_REQUIRED").is_some() {
        return Config::from_env(args.port, env);
    }
    Config {
        port: args.port,
        ..Config::practice_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(api_key: Option<&str>, required: bool) -> ServeArgs {
        ServeArgs {
            port: 0,
            api_key: api_key.map(str::to_string),
            api_key_required: required,
            tls_port: None,
        }
    }

    #[test]
    fn flags_win_over_the_environment() {
        let env = |k: &str| (k == "API_KEY").then(|| "EXAMPLE-from-env".to_string());
        let c = config(&args(Some("EXAMPLE-flag"), false), env);
        assert_eq!(c.api_key.as_deref(), Some("EXAMPLE-flag"));
        let c = config(&args(Some(""), false), env);
        assert_eq!(
            (c.api_key, c.api_key_required),
            (None, false),
            "an empty key means none: the route is open"
        );
    }

    #[test]
    fn the_environment_wins_over_the_practice_default() {
        let env = |k: &str| match k {
            "API_KEY" => Some(String::new()),
            "API_KEY_REQUIRED" => Some("true".to_string()),
            _ => None,
        };
        let c = config(&args(None, false), env);
        assert_eq!(
            (c.api_key, c.api_key_required),
            (None, true),
            "required but unset: every request 401s"
        );
        let c = config(&args(None, false), |_| None);
        assert!(
            c.api_key.is_some(),
            "with nothing set, the printed practice key is used"
        );
    }
}
