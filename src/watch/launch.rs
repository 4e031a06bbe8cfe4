//! `authlens watch -- COMMAND`: the program started with its requests routed through the
//! watch. Its output is read line by line and reported as events — it never writes to the
//! terminal itself, where it would draw over the TUI — and its exit code ends the watch.
//!
//! The child is killed if the watch ends first (the runtime going away drops it), so a watch
//! that fails or is interrupted twice never leaves the program running unseen.

use super::{Event, Stream};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Command;
use tokio::sync::mpsc::UnboundedSender;

/// How long the output readers may go on after the program exited: a child it left behind
/// may hold its pipes open forever.
const DRAIN: Duration = Duration::from_secs(2);

/// Starts `command` (program and arguments) with `env` on top of this process's environment,
/// stdin empty. The task's result is its exit code (128 + the signal when a signal ended it),
/// once its output has been read to the end.
pub fn spawn(
    command: &[String],
    env: &[(String, String)],
    events: UnboundedSender<Event>,
) -> std::io::Result<tokio::task::JoinHandle<i32>> {
    let (program, args) = command
        .split_first()
        .ok_or_else(|| std::io::Error::other("no command given after --"))?;
    let mut child = Command::new(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let out = child
        .stdout
        .take()
        .map(|o| tokio::spawn(read_lines(o, Stream::Stdout, events.clone())));
    let err = child
        .stderr
        .take()
        .map(|e| tokio::spawn(read_lines(e, Stream::Stderr, events)));
    Ok(tokio::spawn(async move {
        let code = match child.wait().await {
            Ok(status) => exit_code(status),
            Err(_) => 1,
        };
        for reader in [out, err].into_iter().flatten() {
            let _ = tokio::time::timeout(DRAIN, reader).await;
        }
        code
    }))
}

fn exit_code(status: std::process::ExitStatus) -> i32 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return 128 + signal;
        }
    }
    status.code().unwrap_or(1)
}

/// Each line of `pipe` as an [`Event::Output`], without its line break; a line that is not
/// UTF-8 is shown lossily.
async fn read_lines(pipe: impl AsyncRead + Unpin, stream: Stream, events: UnboundedSender<Event>) {
    let mut reader = BufReader::new(pipe);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let line = String::from_utf8_lossy(line).into_owned();
                let _ = events.send(Event::Output { stream, line });
            }
        }
    }
}
