//! Reaching the service from a command: connect to a service of this very build, start
//! one on demand, route through it. Cheap on purpose — no configuration read, no thread:
//! a connect and one round trip. Nothing here prints; every failure is a `None` or an
//! error that the caller answers by loading the model in-process.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

use super::protocol::{self, Done, LocalModel, Outcome, Request, Routed, Status, Streamed};
use super::{DaemonError, Runtime};
use crate::config::Config;
use crate::llm::{self, Completion, LlmError, RoleModel};
use crate::route::model::Call;

/// How long connecting, `status` and `stop` may take.
const ROUND_TRIP: Duration = Duration::from_secs(2);
/// What a route request may take beyond the role's `timeout_s`: loading the model on
/// first use (and the first time for this model, evaluating its prompt), or waiting
/// for a part of its labelled bank being read behind the requests. A client that gave
/// up sooner would load the model a second time, beside the service.
const LOAD_ALLOWANCE: Duration = Duration::from_secs(60);
/// How long `start` waits for a new service to answer, and `stop` for one to be gone.
const SETTLE: Duration = Duration::from_secs(5);
/// How long `start` still waits after its own service exited (another start may have
/// won the race and be about to answer).
const AFTER_EXIT: Duration = Duration::from_secs(1);
const POLL: Duration = Duration::from_millis(25);

/// What a completion streams back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'a> {
    /// The service loads the model (this file) first.
    Loading(&'a str),
    /// Text as it is generated.
    Piece(&'a str),
}

/// A connection to the service.
pub struct Client {
    reader: BufReader<UnixStream>,
    runtime: Runtime,
    /// An exchange failed half-way: a late reply could be read as the next one's.
    broken: bool,
}

/// A client of the service in `runtime` when one answers and is of this build's
/// build. One of another version or build is asked to stop, so that the next start
/// brings up this build's, and `None` is returned as for no service at all.
pub fn connect(runtime: &Runtime) -> Option<Client> {
    connect_checked(runtime).map(|(client, _)| client)
}

/// A client of this user's service, started first when none answers and
/// `daemon.autostart` is on; `None` on any failure.
pub fn ensure(config: &Config) -> Option<Client> {
    let runtime = Runtime::locate();
    connect(&runtime).or_else(|| {
        if !config.daemon.autostart {
            return None;
        }
        start(&runtime, config.daemon.idle_exit_s).ok()?;
        connect(&runtime)
    })
}

fn connect_checked(runtime: &Runtime) -> Option<(Client, Status)> {
    let mut client = Client::open(runtime).ok()?;
    let status = client.status().ok()?;
    if status.version == env!("CARGO_PKG_VERSION") && status.build == protocol::BUILD {
        return Some((client, status));
    }
    let _ = client.stop();
    None
}

/// What `start` found.
#[derive(Debug, Clone, PartialEq)]
pub enum Started {
    /// This call started it.
    New(Status),
    /// It was running already (or another start won the race).
    Already(Status),
}

/// Starts the service in the background, detached from the terminal, unless one of
/// this version answers; returns once it answers. `idle_exit_s` is passed to it.
pub fn start(runtime: &Runtime, idle_exit_s: u64) -> Result<Started, DaemonError> {
    runtime.prepare()?;
    if let Some((_, status)) = connect_checked(runtime) {
        return Ok(Started::Already(status));
    }
    let mut child = spawn(runtime, idle_exit_s)?;
    let mut deadline = Instant::now() + SETTLE;
    let mut exited = None;
    loop {
        if let Some((_, status)) = connect_checked(runtime) {
            let ours = status.pid == child.id();
            // Reaps a child that lost the race, so no zombie is left behind.
            let _ = child.try_wait();
            return Ok(if ours {
                Started::New(status)
            } else {
                Started::Already(status)
            });
        }
        if exited.is_none()
            && let Ok(Some(status)) = child.try_wait()
        {
            exited = Some(status);
            deadline = deadline.min(Instant::now() + AFTER_EXIT);
        }
        if Instant::now() >= deadline {
            let log = runtime.log_file();
            let detail = match exited {
                Some(status) => format!("it exited ({status}): {}", last_line(&log)),
                None => format!("it did not answer within {} s", SETTLE.as_secs()),
            };
            return Err(DaemonError::StartFailed { detail, log });
        }
        std::thread::sleep(POLL);
    }
}

/// `git-codey daemon run` in its own process group (Ctrl-C in the terminal that started
/// it must not end it), stdin closed and output to the log, so that no pipe of the
/// starting command is held open.
fn spawn(runtime: &Runtime, idle_exit_s: u64) -> Result<Child, DaemonError> {
    let log_path = runtime.log_file();
    let what = format!("could not start the daemon (log {})", log_path.display());
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&log_path)
        .map_err(DaemonError::io(&what))?;
    // Each start's log holds only its own service's lines.
    log.set_len(0).map_err(DaemonError::io(&what))?;
    let err = log.try_clone().map_err(DaemonError::io(&what))?;
    let exe = std::env::current_exe().map_err(DaemonError::io(&what))?;
    Command::new(exe)
        .args(["daemon", "run", "--idle-exit-s", &idle_exit_s.to_string()])
        .current_dir(runtime.dir())
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(err)
        .process_group(0)
        .spawn()
        .map_err(DaemonError::io(&what))
}

/// The log's last line, which says why a service exited.
fn last_line(log: &std::path::Path) -> String {
    std::fs::read_to_string(log)
        .ok()
        .and_then(|text| {
            text.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "its log is empty".into())
}

impl Client {
    /// Connects to whatever service listens in `runtime`, of any version (what `stop`
    /// and `status` need). `NotRunning` when nothing listens.
    pub fn open(runtime: &Runtime) -> Result<Client, DaemonError> {
        if !runtime.check()? {
            return Err(DaemonError::NotRunning);
        }
        let socket = runtime.socket();
        let stream = match UnixStream::connect(&socket) {
            Ok(stream) => stream,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
                ) =>
            {
                return Err(DaemonError::NotRunning);
            }
            Err(e) => {
                return Err(DaemonError::io(format!(
                    "could not connect to {}",
                    socket.display()
                ))(e));
            }
        };
        stream
            .set_write_timeout(Some(ROUND_TRIP))
            .map_err(DaemonError::io(
                "could not set a timeout on the daemon's socket",
            ))?;
        Ok(Client {
            reader: BufReader::new(stream),
            runtime: runtime.clone(),
            broken: false,
        })
    }

    /// The service's state.
    pub fn status(&mut self) -> Result<Status, DaemonError> {
        self.ask(&Request::Status, ROUND_TRIP)
    }

    /// The router model's call for each request, in order, or why it has none. The
    /// whole exchange fails (`Refused`) when the model cannot be loaded, and waits at
    /// most the role's `timeout_s` plus time for a first load.
    pub fn route(
        &mut self,
        role: &RoleModel,
        requests: &[String],
        min_confidence: f32,
    ) -> Result<Vec<Result<Call, String>>, DaemonError> {
        let model = LocalModel::of(role).ok_or(DaemonError::Remote(role.role.as_str()))?;
        let request = Request::Route {
            model,
            requests: requests.to_vec(),
            min_confidence,
        };
        let wait = LOAD_ALLOWANCE + Duration::from_secs(role.settings.timeout_s);
        let routed: Routed = self.ask(&request, wait)?;
        if routed.calls.len() != requests.len() {
            self.broken = true;
            return Err(DaemonError::BadReply(format!(
                "{} answers to {} requests",
                routed.calls.len(),
                requests.len()
            )));
        }
        Ok(routed
            .calls
            .into_iter()
            .map(|outcome| match outcome {
                Outcome::Call(call) => Ok(call),
                Outcome::Failed { error } => Err(error),
            })
            .collect())
    }

    /// A completion from the role's model, hosted by the service, its text streamed to
    /// `sink`. `Err` when the exchange broke before any text came (the caller may then
    /// load the model itself); once text has come, or when the service is only slow
    /// (it may still be loading: a second copy here would not help), every failure is
    /// the inner `Err`.
    pub fn complete(
        &mut self,
        role: &RoleModel,
        request: &llm::Request,
        events: &mut dyn FnMut(Event),
    ) -> Result<Result<Completion, LlmError>, DaemonError> {
        let model = LocalModel::of(role).ok_or(DaemonError::Remote(role.role.as_str()))?;
        let message = Request::Complete {
            role: role.role.to_string(),
            model,
            request: protocol::Completion::of(request),
        };
        // Short reads, so that Ctrl-C is noticed while the model thinks.
        self.send(&message, POLL * 8)?;
        // The service says every `HEARTBEAT` that it is still working, whatever it does
        // (loading, waiting for the model, reading the prompt): a few missed beats mean
        // it hangs, and waiting out the model's whole timeout would not help.
        let patience = protocol::HEARTBEAT * 5;
        let mut text = String::new();
        let mut line = Vec::new();
        let mut waiting_since = Instant::now();
        loop {
            if request.cancelled() {
                // Hanging up is what tells the service to stop generating.
                let _ = self.reader.get_ref().shutdown(std::net::Shutdown::Both);
                return Ok(Err(LlmError::Cancelled));
            }
            let failed = |e: DaemonError, text: &str| {
                if text.is_empty() {
                    Err(e)
                } else {
                    Ok(Err(LlmError::Service(format!(
                        "it stopped half-way through the reply: {e}"
                    ))))
                }
            };
            match self.reader.read_until(b'\n', &mut line) {
                Ok(0) => {
                    let eof = std::io::Error::from(std::io::ErrorKind::UnexpectedEof);
                    return failed(DaemonError::io("the daemon did not answer")(eof), &text);
                }
                Ok(_) if line.ends_with(b"\n") => {}
                Ok(_) => continue,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if waiting_since.elapsed() > patience {
                        // Silent past its heartbeat: it hangs. Before any text the
                        // caller may load the model itself.
                        let _ = self.reader.get_ref().shutdown(std::net::Shutdown::Both);
                        self.broken = true;
                        return failed(
                            DaemonError::io(format!(
                                "the service said nothing for {} s; it seems to hang (`git codey daemon stop` stops it)",
                                patience.as_secs()
                            ))(e),
                            &text,
                        );
                    }
                    continue;
                }
                Err(e) => return failed(DaemonError::io("the daemon did not answer")(e), &text),
            }
            let reply = String::from_utf8_lossy(&line).into_owned();
            line.clear();
            waiting_since = Instant::now();
            match protocol::decode_reply::<Streamed>(&reply) {
                Ok(Streamed::Loading { loading }) => events(Event::Loading(&loading)),
                Ok(Streamed::Waiting { .. }) => {}
                Ok(Streamed::Piece { piece }) => {
                    events(Event::Piece(&piece));
                    text.push_str(&piece);
                }
                Ok(Streamed::Done { done }) => {
                    self.broken = false;
                    return Ok(Ok(done.completion(text)));
                }
                Ok(Streamed::Failed { failed }) => {
                    self.broken = false;
                    return Ok(Err(failed.error()));
                }
                Err(e) => return failed(e, &text),
            }
        }
    }

    /// Asks the service to stop, and waits until its socket and pid file are gone, so
    /// that a new one can start at once.
    pub fn stop(mut self) -> Result<(), DaemonError> {
        let Done {} = self.ask(&Request::Stop, ROUND_TRIP)?;
        let deadline = Instant::now() + SETTLE;
        while self.runtime.socket().exists() || self.runtime.pid_file().exists() {
            if Instant::now() >= deadline {
                return Err(DaemonError::StopFailed {
                    waited_s: SETTLE.as_secs(),
                });
            }
            std::thread::sleep(POLL);
        }
        Ok(())
    }

    /// Writes one request; each read of its reply then waits at most `wait`. The
    /// connection counts as broken until the exchange completes.
    fn send(&mut self, request: &Request, wait: Duration) -> Result<(), DaemonError> {
        if self.broken {
            return Err(DaemonError::Broken);
        }
        self.broken = true;
        let stream = self.reader.get_ref();
        stream
            .set_read_timeout(Some(wait))
            .map_err(DaemonError::io(
                "could not set a timeout on the daemon's socket",
            ))?;
        let mut writer = stream;
        writer
            .write_all(protocol::encode_request(request).as_bytes())
            .map_err(DaemonError::io("could not write to the daemon"))
    }

    /// One request and its reply, waiting at most `wait` for the reply.
    fn ask<T: DeserializeOwned>(
        &mut self,
        request: &Request,
        wait: Duration,
    ) -> Result<T, DaemonError> {
        self.send(request, wait)?;
        let io = DaemonError::io("the daemon did not answer");
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) => {
                return Err(io(std::io::Error::from(std::io::ErrorKind::UnexpectedEof)));
            }
            Ok(_) => {}
            Err(e) => return Err(io(e)),
        }
        let reply = protocol::decode_reply(&line);
        // A refusal is a whole exchange too: the connection can go on.
        self.broken = !matches!(reply, Ok(_) | Err(DaemonError::Refused(_)));
        reply
    }
}
