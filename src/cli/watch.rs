//! `authlens watch`: the user's own program's requests, recorded and diagnosed as it runs.
//!
//! Headless (`--no-tui`) it prints one block per exchange the way `send` does, and passes the
//! program's output through; `--format jsonl` prints one exchange file per line instead, the
//! same shape `send --format json` writes, so `authlens diagnose` reads a line back. Without
//! either, the TUI's watch screen draws the same events. Exit code: the launched program's,
//! else 0 when stopped with Ctrl+C.

use super::{CliError, StackArgs, findings, print};
use crate::send::InputError;
use crate::watch::{self, Event, Mode, Stream, Watch, Watched};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use tokio::sync::mpsc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum WatchFormat {
    /// One block per exchange, as `send` prints it.
    #[default]
    Text,
    /// One JSON object per exchange per line on stdout (the exchange JSON with `findings`);
    /// set-up lines and the program's output go to stderr. No watch screen.
    Jsonl,
}

#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// Reverse proxy to this URL (`https://api.example.com/v1`): the program uses the watch as
    /// its base URL. Without it the watch is a forward proxy for HTTP_PROXY.
    #[arg(long, value_name = "URL")]
    pub upstream: Option<String>,
    /// Address to listen on (default 127.0.0.1:8080, or a free port when a COMMAND is given).
    /// Only loopback unless named here.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Also set this variable to the watch's base URL for the COMMAND (repeatable).
    #[arg(long = "base-url-env", value_name = "NAME")]
    pub base_url_env: Vec<String>,
    /// Print the exchanges instead of opening the watch screen.
    #[arg(long = "no-tui")]
    pub no_tui: bool,
    #[arg(long, value_enum, default_value_t = WatchFormat::Text)]
    pub format: WatchFormat,
    #[command(flatten)]
    pub stack: StackArgs,
    /// The most of each body kept in the recorded copy; bodies always pass whole.
    #[arg(long = "max-body", value_name = "BYTES", default_value_t = watch::DEFAULT_MAX_BODY)]
    pub max_body: usize,
    /// Read HTTPS too (forward mode): each CONNECT is answered with a certificate for its host
    /// from authlens's local CA, which the program must trust; the requests inside are
    /// recorded and forwarded over TLS that checks the real server.
    #[arg(long)]
    pub mitm: bool,
    /// With --mitm: print the CA certificate's PEM path (making the CA if needed) and exit.
    #[arg(long = "ca-path", requires = "mitm")]
    pub ca_path: bool,
    /// Also trust this CA (PEM) for the upstream leg, besides the system's roots.
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<std::path::PathBuf>,
    /// Judge every exchange against the API's OpenAPI (3.x) or Swagger (2.0) document, from a
    /// file or a URL (`auto` looks on the --upstream origin).
    #[arg(long = "spec", value_name = "FILE|URL")]
    pub spec: Option<String>,
    /// The program to start routed through the watch; the watch ends when it exits, with its
    /// exit code.
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

pub fn run(args: WatchArgs) -> Result<ExitCode, CliError> {
    let mode = match &args.upstream {
        Some(url) => {
            watch::upstream_check(url)
                .map_err(|e| InputError::new(format!("--upstream {url}"), e))?;
            Mode::Reverse {
                upstream: url.clone(),
            }
        }
        None => Mode::Forward,
    };
    let launching = !args.command.is_empty();
    if args.mitm && args.upstream.is_some() {
        return Err(InputError::new(
            "--mitm",
            "--mitm is for forward mode; a reverse proxy (--upstream) already reads HTTPS",
        )
        .into());
    }
    let tls = tls_options(&args, launching)?;
    if args.ca_path {
        if let Some(ca) = &tls.mitm {
            print::outln(&ca.cert_path().display().to_string());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let listen = listen_addr(args.listen.as_deref(), launching)?;
    let options = watch::Options {
        mode: mode.clone(),
        listen,
        max_body: args.max_body,
        stack: args.stack.stack("watch"),
        as_client: args.stack.as_client.clone(),
        as_loader: args.stack.as_loader.clone(),
        launch: launching.then(|| args.base_url_env.clone()),
        tls: tls.clone(),
        spec: match &args.spec {
            Some(_) => super::spec_arg::load(
                "watch",
                args.spec.as_deref(),
                args.upstream.as_deref(),
                &crate::send::Options {
                    extra_roots: tls.extra_roots.clone(),
                    ..crate::send::Options::default()
                },
                &super::runtime()?,
            )?,
            None => None,
        },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::local("start the async runtime", e))?;
    let spec = options.spec.clone();
    runtime.block_on(async move {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut proxy = Watch::start(options, tx).await.map_err(|e| {
            let busy = e.kind() == std::io::ErrorKind::AddrInUse;
            CliError::Local {
                doing: "start the watch".into(),
                error: e,
                hint: busy.then_some(
                    "another watch or server has it; --listen 127.0.0.1:0 picks a free port",
                ),
            }
        })?;
        if launching {
            proxy
                .launch(&args.command, &mode, &tls, &args.base_url_env)
                .map_err(|e| CliError::local(format!("start {:?}", args.command[0]), e))?;
        }
        let headless = args.no_tui || args.format == WatchFormat::Jsonl;
        let code = match headless {
            true => stream(rx, args.format, launching).await,
            false => open_screen(rx, spec).await?,
        };
        drop(proxy);
        Ok(ExitCode::from(code.unwrap_or(0).clamp(0, 255) as u8))
    })
}

/// `--mitm`'s CA (made on first use), `--cacert`'s roots, and for a launched program the
/// bundle its TLS is pointed at.
fn tls_options(args: &WatchArgs, launching: bool) -> Result<watch::TlsOptions, CliError> {
    let extra_roots = match &args.cacert {
        Some(path) => crate::ca::read_pem_certs(path)
            .map_err(|e| InputError::new(format!("--cacert {}", path.display()), e))?,
        None => Vec::new(),
    };
    if !args.mitm {
        return Ok(watch::TlsOptions {
            extra_roots,
            ..Default::default()
        });
    }
    let local = |e: String| CliError::local("set up authlens's CA", std::io::Error::other(e));
    let ca = crate::ca::load_default(crate::ca::Kind::Mitm).map_err(local)?;
    let bundle = match launching && !args.ca_path {
        true => {
            let inherited = std::env::var_os("SSL_CERT_FILE").map(std::path::PathBuf::from);
            Some(ca.write_bundle(inherited.as_deref()).map_err(local)?)
        }
        false => None,
    };
    Ok(watch::TlsOptions {
        mitm: Some(std::sync::Arc::new(ca)),
        extra_roots,
        bundle,
    })
}

/// The TUI's watch screen over the same events; it returns the program's exit code when the
/// program ended before the user quit.
async fn open_screen(
    events: mpsc::UnboundedReceiver<Event>,
    spec: Option<std::sync::Arc<crate::spec::Spec>>,
) -> Result<Option<i32>, CliError> {
    crate::tui::watch::run(events, spec)
        .await
        .map_err(|e| CliError::local("run the watch screen", e))
}

/// `--listen`: an address (`0.0.0.0:8080`) or a port on loopback; by default 8080, or a free
/// port when the watch launches the program itself.
fn listen_addr(text: Option<&str>, launching: bool) -> Result<SocketAddr, CliError> {
    let port = if launching { 0 } else { 8080 };
    let Some(text) = text else {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    };
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    let text = text.replacen("localhost:", "127.0.0.1:", 1);
    text.parse().map_err(|_| {
        InputError::new(
            format!("--listen {text}"),
            "must be IP:PORT (127.0.0.1:8080) or a port",
        )
        .into()
    })
}

/// Prints events until the program exits (its code) or Ctrl+C (none).
async fn stream(
    mut rx: mpsc::UnboundedReceiver<Event>,
    format: WatchFormat,
    launching: bool,
) -> Option<i32> {
    let mut interrupted = false;
    let mut exchanges = 0usize;
    loop {
        let event = tokio::select! {
            e = rx.recv() => e,
            _ = tokio::signal::ctrl_c() => {
                // The launched program got the same signal; wait for it, unless asked twice
                // (then it is killed as the watch ends). Without one, Ctrl+C is how to stop.
                if launching && !interrupted {
                    interrupted = true;
                    continue;
                }
                return Some(if launching { 130 } else { 0 });
            }
        };
        match event? {
            Event::Exited { code } => {
                let plural = if exchanges == 1 { "" } else { "s" };
                print::errln(&format!(
                    "authlens watch: the program exited with code {code}; {exchanges} exchange{plural} watched"
                ));
                return Some(code);
            }
            e => {
                exchanges += usize::from(matches!(e, Event::Exchange(_)));
                show(e, format);
            }
        }
    }
}

fn show(event: Event, format: WatchFormat) {
    let json = format == WatchFormat::Jsonl;
    // In jsonl, stdout holds only exchanges; everything else goes to stderr.
    let note = |line: &str| print::errln(line);
    match event {
        Event::Listening { setup, .. } => {
            for line in setup {
                match json {
                    true => note(&line),
                    false => print::outln(&line),
                }
            }
        }
        Event::Exchange(w) if json => print::json(&jsonl(&w)),
        Event::Exchange(w) => print::out(&block(&w)),
        Event::Tunnel { id, host, port, .. } => note(&format!(
            "#{id} tunnel to {host}:{port}: HTTPS passed through unread; to see its requests, watch with --mitm, or in reverse mode: --upstream https://{host}{}",
            if port == 443 {
                String::new()
            } else {
                format!(":{port}")
            }
        )),
        Event::Output { stream, line } => pass_through(stream, &line, json),
        Event::Notice(text) => note(&format!("authlens watch: {text}")),
        Event::Exited { .. } => {}
    }
}

/// The program's own line, unchanged and unprefixed: stdout to stdout (stderr in jsonl,
/// where stdout is the exchanges), stderr to stderr.
fn pass_through(stream: Stream, line: &str, json: bool) {
    let result = match (stream, json) {
        (Stream::Stdout, false) => writeln!(std::io::stdout(), "{line}"),
        _ => writeln!(std::io::stderr(), "{line}"),
    };
    let _ = result;
}

/// One exchange for `--format jsonl`: the masked exchange file, its `findings`, and a
/// `watch` object with what only the watch knows (number, fault, notes).
pub fn jsonl(w: &Watched) -> String {
    let mut value = serde_json::to_value(&w.file).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "findings".into(),
            serde_json::to_value(&w.findings).unwrap_or_default(),
        );
        obj.insert(
            "watch".into(),
            serde_json::json!({
                "id": w.id,
                "client": w.client,
                "fault": w.fault,
                "notes": w.notes,
            }),
        );
    }
    value.to_string()
}

/// One exchange as text: a heading line, the wire as `send` prints it, the watch's notes and
/// fault, then the findings — every secret masked, as in the exchange file.
fn block(w: &Watched) -> String {
    let status = match &w.response {
        Some(r) => format!("{} {}", r.status, r.reason),
        None => "no response".into(),
    };
    let client = w.client.as_deref().unwrap_or("client not recognised");
    let mut out = format!(
        "\n── #{} {} {} → {status} · {client} · {:.1} ms\n",
        w.id,
        w.file.request.method,
        w.file.request.url,
        w.timing.total.as_secs_f64() * 1000.0
    );
    if let Some(ex) = &w.file.exchange {
        out.push_str(&print::program_exchange(
            ex,
            &crate::secret::Redactor::new(),
        ));
    } else {
        out.push_str(&format!(
            "> {} {}\n",
            w.file.request.method, w.file.request.url
        ));
        for (n, v) in &w.file.request.headers {
            out.push_str(&format!("  {n}: {v}\n"));
        }
    }
    for note in &w.notes {
        out.push_str(&format!("! {note}\n"));
    }
    if let Some(fault) = &w.fault {
        out.push_str(&format!("! fault: {fault}\n"));
    }
    if w.findings.is_empty() {
        out.push_str("No findings: nothing here explains an authentication failure.\n");
    } else {
        let draft = crate::rules::from_file::from_file(&w.file).draft;
        out.push_str("Findings:\n");
        out.push_str(&findings::text(&w.findings, &draft));
    }
    out
}
