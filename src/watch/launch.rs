//! `authlens watch -- COMMAND`: the program started with its requests routed through the
//! watch. Its output is read line by line and reported as events — it never writes to the
//! terminal itself, where it would draw over the TUI — and its exit code ends the watch.

use super::{Event, Stream};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;

/// How long the output readers may go on after the program exited: a child it left behind
/// may hold its pipes open forever.
const DRAIN: Duration = Duration::from_secs(2);

/// Starts `command` (program and arguments) with `env` on top of this process's environment,
/// stdin empty. The receiver gets its exit code (128 + the signal when a signal ended it)
/// once its output has been read to the end.
pub fn spawn(
    command: &[String],
    env: &[(String, String)],
    events: UnboundedSender<Event>,
) -> std::io::Result<oneshot::Receiver<i32>> {
    let (program, args) = command
        .split_first()
        .ok_or_else(|| std::io::Error::other("no command given after --"))?;
    let mut child = Command::new(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let (done_tx, done_rx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        read_lines(out, Stream::Stdout, events.clone(), done_tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        read_lines(err, Stream::Stderr, events, done_tx);
    }
    let (code_tx, code_rx) = oneshot::channel();
    std::thread::spawn(move || {
        let code = match child.wait() {
            Ok(status) => exit_code(status),
            Err(_) => 1,
        };
        for _ in 0..2 {
            if done_rx.recv_timeout(DRAIN).is_err() {
                break;
            }
        }
        let _ = code_tx.send(code);
    });
    Ok(code_rx)
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
/// UTF-8 is shown lossily. `done` is told at the end of the stream.
fn read_lines(
    pipe: impl Read + Send + 'static,
    stream: Stream,
    events: UnboundedSender<Event>,
    done: mpsc::Sender<()>,
) {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    let line = String::from_utf8_lossy(line).into_owned();
                    let _ = events.send(Event::Output { stream, line });
                }
            }
        }
        let _ = done.send(());
    });
}
