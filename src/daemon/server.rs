//! The service itself (`git codey daemon run`): takes the pid file's lock so it is the
//! only one, listens on the socket, serves each connection on its own thread, and holds
//! the model pool: router models stay loaded; the coder and the specialist stay while
//! the memory budget allows (least recently used first out), each keeping its last
//! prompt's keys and values for the next request to reuse. It ends on `stop`, on
//! SIGTERM, SIGINT or SIGHUP, or after `idle_exit` without a request, and removes its
//! socket and pid file.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};
use nix::sys::signal::{SigSet, Signal};

use super::protocol::{
    self, Done, Failure, Finished, LoadedModel, LocalModel, Outcome, Reading, Request, Routed,
    Status, Streamed,
};
use super::{DaemonError, Runtime};
use crate::config::Role;
use crate::llm::llama::{self, LlamaEngine};
use crate::llm::pool::{Pool, PoolError};
use crate::llm::{Backend, LlmError, gguf};
use crate::route::model::ModelRouter;

/// The longest request line read; a longer one is refused and its connection closed.
const MAX_LINE: u64 = 4 << 20;
/// How long a reply may wait for the client to read it; then the client counts as gone
/// and its completion is cancelled.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// How many labelled requests a router reads at a time behind the requests it routes:
/// a request that arrives meanwhile waits for at most this many (about 80 ms each).
const BANK_PART: usize = 4;

/// What the service needs besides its runtime directory.
pub struct Options {
    /// How long it stays without a route request before it exits.
    pub idle_exit: Duration,
    /// Where router models keep their evaluated prompts.
    pub cache_dir: PathBuf,
    /// The router settings a route request does not carry (`max_tokens`, `timeout_s`).
    pub router: Role,
    /// What the models it holds may take together (`models.memory_budget_mb`).
    pub memory_budget_mb: u64,
}

/// Serves until stopped. Fails when another service holds the lock, or when the
/// directory or socket cannot be set up.
pub fn run(runtime: &Runtime, options: Options) -> Result<(), DaemonError> {
    // Blocked before any thread starts, so every thread inherits the mask and the
    // signals reach only the thread that waits for them, which lets the service clean
    // up instead of dying with its socket left behind.
    let mut signals = SigSet::empty();
    for signal in [Signal::SIGTERM, Signal::SIGINT, Signal::SIGHUP] {
        signals.add(signal);
    }
    signals
        .thread_block()
        .map_err(|e| DaemonError::io("could not block signals")(e.into()))?;
    // Files it creates are its user's alone, from the first moment.
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o077));

    runtime.prepare()?;
    let lock = lock_pid_file(&runtime.pid_file())?;
    let socket = runtime.socket();
    // Holding the lock, no other service is running: a socket there is stale.
    match std::fs::remove_file(&socket) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(DaemonError::io(format!(
                "could not remove the stale socket {}",
                socket.display()
            ))(e));
        }
        _ => {}
    }
    let presence = Presence {
        socket: socket.clone(),
        pid_file: runtime.pid_file(),
        _lock: lock,
    };
    let listener = UnixListener::bind(&socket).map_err(DaemonError::io(format!(
        "could not listen on {}",
        socket.display()
    )))?;
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600)).map_err(
        DaemonError::io(format!("could not restrict {}", socket.display())),
    )?;

    let (stop, stopped) = mpsc::channel::<()>();
    let on_signal = stop.clone();
    std::thread::spawn(move || {
        if signals.wait().is_ok() {
            let _ = on_signal.send(());
        }
    });
    let shared = Arc::new(Shared::new(options));
    let serving = Arc::clone(&shared);
    std::thread::spawn(move || accept(&listener, &serving, &stop));

    loop {
        match stopped.recv_timeout(shared.idle_left()) {
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) if shared.idle_left().is_zero() => break,
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
    drop(presence);
    Ok(())
}

/// The socket, the pid file and its lock: removed and released together on exit, the
/// socket first, so that a client seeing both gone may start a new service at once.
struct Presence {
    socket: PathBuf,
    pid_file: PathBuf,
    _lock: Flock<File>,
}

impl Drop for Presence {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.socket);
        let _ = std::fs::remove_file(&self.pid_file);
    }
}

/// Takes the pid file's lock and writes this process's pid into it.
fn lock_pid_file(path: &Path) -> Result<Flock<File>, DaemonError> {
    let what = || format!("could not lock {}", path.display());
    // A service that is exiting removes the file it locked; a lock taken on that
    // removed file guards nothing, so open the path again.
    for _ in 0..5 {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .map_err(DaemonError::io(what()))?;
        let mut locked = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(locked) => locked,
            Err((_, errno)) if errno == Errno::EWOULDBLOCK => {
                let pid = std::fs::read_to_string(path).unwrap_or_default();
                let pid = pid.trim();
                return Err(DaemonError::AlreadyRunning {
                    pid: if pid.is_empty() { "unknown" } else { pid }.to_string(),
                });
            }
            Err((_, errno)) => return Err(DaemonError::io(what())(errno.into())),
        };
        let held = locked.metadata().map_err(DaemonError::io(what()))?;
        let same = std::fs::metadata(path)
            .is_ok_and(|now| now.ino() == held.ino() && now.dev() == held.dev());
        if !same {
            continue;
        }
        locked.set_len(0).map_err(DaemonError::io(what()))?;
        writeln!(locked, "{}", std::process::id()).map_err(DaemonError::io(what()))?;
        return Ok(locked);
    }
    Err(DaemonError::io(what())(std::io::Error::other(
        "it kept being replaced while being locked",
    )))
}

/// Hands each connection to its own thread.
fn accept(listener: &UnixListener, shared: &Arc<Shared>, stop: &Sender<()>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors, say: let some connections finish.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let shared = Arc::clone(shared);
        let stop = stop.clone();
        let _ = std::thread::Builder::new()
            .name("codey-daemon-conn".into())
            .spawn(move || serve(&stream, &shared, &stop));
    }
}

/// Answers one connection's requests, one line each, until it closes. A line that is
/// not a request gets an error reply and ends the connection.
fn serve(stream: &UnixStream, shared: &Arc<Shared>, stop: &Sender<()>) {
    // A client that goes silent does not keep a thread for longer than the service; one
    // that stops reading (suspended, say) does not hold a model for long.
    let _ = stream.set_read_timeout(Some(shared.idle_exit));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut reader = BufReader::new(stream);
    let mut writer = stream;
    loop {
        let mut line = Vec::new();
        match (&mut reader).take(MAX_LINE).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let request = if !line.ends_with(b"\n") && line.len() as u64 >= MAX_LINE {
            Err(format!("a request line is limited to {MAX_LINE} bytes"))
        } else {
            String::from_utf8(line)
                .map_err(|_| "a request line must be UTF-8".to_string())
                .and_then(|line| protocol::decode_request(&line))
        };
        let request = match request {
            Ok(request) => request,
            Err(message) => {
                let _ = writer.write_all(protocol::encode_error(&message).as_bytes());
                return;
            }
        };
        let reply = match &request {
            Request::Status => protocol::encode_ok(&shared.status()),
            Request::Stop => protocol::encode_ok(&Done {}),
            Request::Route {
                model,
                requests,
                min_confidence,
            } => shared.route(model, requests, *min_confidence),
            Request::Complete {
                role,
                model,
                request,
            } => {
                if shared.complete(role, model, request, &mut writer) {
                    continue;
                }
                return;
            }
        };
        let written = writer.write_all(reply.as_bytes());
        if request == Request::Stop {
            let _ = stop.send(());
            return;
        }
        if written.is_err() {
            return;
        }
    }
}

/// A model the service holds.
enum Resident {
    Router(ModelRouter),
    Engine(LlamaEngine),
}

/// What identifies a hosted model in the pool: what it is for, its file (as it is now:
/// a file replaced by `models pull` is another model) and its settings.
fn key(kind: &str, model: &LocalModel) -> String {
    use std::os::unix::fs::MetadataExt;
    let file = std::fs::metadata(&model.path)
        .map(|m| {
            format!(
                "{} bytes, modified {}.{}",
                m.size(),
                m.mtime(),
                m.mtime_nsec()
            )
        })
        .unwrap_or_default();
    format!(
        "{kind} {} ({file}; context {}, threads {}, gpu layers {})",
        model.path.display(),
        model.context_size,
        model.threads,
        model.n_gpu_layers
    )
}

/// What the connections share.
struct Shared {
    started: Instant,
    idle_exit: Duration,
    cache_dir: PathBuf,
    router: Role,
    activity: Mutex<Activity>,
    /// The models, each used by one request at a time; routers are pinned.
    models: Pool<Resident>,
    /// What `status` reports about them, by key, in the pool's order as of the last
    /// load: readable while a model is busy or loading.
    loaded: Mutex<Vec<(String, LoadedModel)>>,
    /// The routers (by key) whose labelled bank is being read behind the requests, and
    /// how far each has come (read, of how many).
    reading: Mutex<Vec<(String, (usize, usize))>>,
}

struct Activity {
    last: Instant,
    busy: usize,
    served: u64,
    completions: u64,
}

impl Shared {
    fn new(options: Options) -> Self {
        let now = Instant::now();
        Shared {
            started: now,
            idle_exit: options.idle_exit,
            cache_dir: options.cache_dir,
            router: options.router,
            activity: Mutex::new(Activity {
                last: now,
                busy: 0,
                served: 0,
                completions: 0,
            }),
            models: Pool::new(options.memory_budget_mb),
            loaded: Mutex::new(Vec::new()),
            reading: Mutex::new(Vec::new()),
        }
    }

    fn activity(&self) -> MutexGuard<'_, Activity> {
        // Counters stay meaningful whatever panicked while holding them.
        self.activity.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Time left before the service should exit for idleness (a full period while a
    /// request is being served).
    fn idle_left(&self) -> Duration {
        let activity = self.activity();
        if activity.busy > 0 {
            return self.idle_exit;
        }
        self.idle_exit.saturating_sub(activity.last.elapsed())
    }

    fn status(&self) -> Status {
        let (served, completions) = {
            let activity = self.activity();
            (activity.served, activity.completions)
        };
        Status {
            pid: std::process::id(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            build: protocol::BUILD.to_string(),
            uptime_s: self.started.elapsed().as_secs(),
            idle_exit_s: self.idle_exit.as_secs(),
            requests: served,
            completions,
            models: {
                let reading = self.reading.lock().unwrap_or_else(PoisonError::into_inner);
                self.loaded
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .iter()
                    .map(|(key, model)| LoadedModel {
                        reading: reading
                            .iter()
                            .find(|(k, _)| k == key)
                            .map(|&(_, (read, of))| Reading { read, of }),
                        ..model.clone()
                    })
                    .collect()
            },
        }
    }

    /// The model under `key` from the pool, loaded with `load` on first use (its size
    /// estimated from its file's header, which is read only then: a vocabulary of
    /// 262k tokens takes longer to read than a request to route). The error is a
    /// sentence.
    fn hosted(
        &self,
        key: &str,
        role: &str,
        model: &LocalModel,
        pinned: bool,
        load: impl FnOnce() -> Result<Resident, LlmError>,
    ) -> Result<Arc<Mutex<Resident>>, String> {
        if let Some(hosted) = self.models.lookup(key) {
            return Ok(hosted);
        }
        let started = Instant::now();
        let bytes = estimate(model)?;
        let mut fresh = false;
        let hosted = self
            .models
            .get(key, bytes, pinned, || {
                fresh = true;
                load()
            })
            .map_err(|e| {
                let path = model.path.display();
                match e {
                    PoolError::TooBig { needed, budget, .. } => format!(
                        "the {role} model {path} needs about {needed} MB but the service's memory_budget_mb is {budget}: raise it (and restart the service with `git codey daemon stop`) or choose a smaller model"
                    ),
                    PoolError::NoRoom { needed, pinned, budget, .. } => format!(
                        "the {role} model {path} needs about {needed} MB and the models in use hold {pinned} of the service's {budget} MB budget: try again when they are done"
                    ),
                    PoolError::Load(e) => format!("the {role} model {path} could not be loaded: {e}"),
                }
            })?;
        let held = self.models.loaded();
        let mut loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        if fresh {
            loaded.retain(|(k, _)| k != key);
            loaded.push((
                key.to_string(),
                LoadedModel {
                    role: role.to_string(),
                    path: model.path.clone(),
                    loaded_ms: started.elapsed().as_millis() as u64,
                    reading: None,
                },
            ));
        }
        // The models the pool holds after this load, which may have unloaded others,
        // in its order.
        loaded.retain(|(k, _)| held.contains(k));
        loaded.sort_by_key(|(k, _)| held.iter().position(|h| h == k));
        Ok(hosted)
    }

    /// The reply line to a route request: the model loaded on first use, then one call
    /// per request.
    fn route(
        self: &Arc<Self>,
        model: &LocalModel,
        requests: &[String],
        min_confidence: f32,
    ) -> String {
        let _busy = Busy::new(self);
        let role = model.role(crate::config::RoleName::Router, &self.router);
        let key = key("router", model);
        let loaded = self.hosted(&key, "router", model, true, || {
            ModelRouter::load(&role, &self.cache_dir).map(Resident::Router)
        });
        let hosted = match loaded {
            Ok(hosted) => hosted,
            Err(message) => return protocol::encode_error(&message),
        };
        // A panic inside a model may have left it half-way through a request; the next
        // call starts by dropping every request's tokens, so the model stays usable.
        let mut guard = hosted.lock().unwrap_or_else(PoisonError::into_inner);
        let Resident::Router(router) = &mut *guard else {
            return protocol::encode_error("a router's place in the pool holds another model");
        };
        let calls = requests
            .iter()
            .map(|request| match router.call(request, min_confidence) {
                Ok(call) => Outcome::Call(call),
                Err(e) => Outcome::Failed {
                    error: e.to_string(),
                },
            })
            .collect();
        self.activity().served += requests.len() as u64;
        if let Some(progress) = router.bank_unread() {
            drop(guard);
            self.read_bank_behind(key, hosted, progress);
        }
        protocol::encode_ok(&Routed { calls })
    }

    /// Reads a router's labelled bank (about a minute the first time a router model is
    /// used) on a thread of its own, a few requests at a time, so that requests are
    /// routed meanwhile, by the model's scoring alone until the bank is complete.
    fn read_bank_behind(
        self: &Arc<Self>,
        key: String,
        hosted: Arc<Mutex<Resident>>,
        progress: (usize, usize),
    ) {
        {
            let mut reading = self.reading.lock().unwrap_or_else(PoisonError::into_inner);
            if reading.iter().any(|(k, _)| *k == key) {
                return;
            }
            reading.push((key.clone(), progress));
        }
        // Whatever ends the thread (done, an error, a panic in the model), the router
        // is no longer being read: `status` must not say it is.
        struct ReadingEnds(Arc<Shared>, String);
        impl Drop for ReadingEnds {
            fn drop(&mut self) {
                let mut reading = self
                    .0
                    .reading
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                reading.retain(|(k, _)| *k != self.1);
            }
        }
        let ends = ReadingEnds(Arc::clone(self), key);
        let spawned = std::thread::Builder::new()
            .name("codey-daemon-bank".into())
            .spawn(move || {
                let ReadingEnds(shared, key) = &ends;
                // Busy: the service does not exit for idleness half-way.
                let _busy = Busy::new(shared);
                loop {
                    {
                        let mut hosted = hosted.lock().unwrap_or_else(PoisonError::into_inner);
                        let Resident::Router(router) = &mut *hosted else {
                            break;
                        };
                        if router.bank_unread().is_none() {
                            break;
                        }
                        // An error gives the bank up for this load (routing goes on by
                        // the model's scoring); the loop then ends.
                        let _ = router.read_bank(BANK_PART);
                        let progress = router.bank_unread();
                        let mut reading = shared
                            .reading
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner);
                        for (k, p) in reading.iter_mut() {
                            if k == key {
                                *p = progress.unwrap_or(*p);
                            }
                        }
                    }
                    // A request waiting for the model takes it before the next part.
                    std::thread::sleep(Duration::from_millis(5));
                }
            });
        // A thread that could not start drops `ends` with its closure.
        drop(spawned);
    }

    /// Streams one completion to `writer`: a line per piece of text, then its figures
    /// or why it failed. A client that stops reading cancels it. Returns whether the
    /// connection can go on.
    fn complete(
        &self,
        role: &str,
        model: &LocalModel,
        wire: &protocol::Completion,
        writer: &mut &UnixStream,
    ) -> bool {
        let _busy = Busy::new(self);
        // One line at a time: the heartbeat writes from its own thread.
        let lines = Arc::new(Mutex::new(()));
        let send = |writer: &mut &UnixStream, line: &Streamed| {
            let _line = lines.lock().unwrap_or_else(PoisonError::into_inner);
            writer
                .write_all(protocol::encode_ok(line).as_bytes())
                .is_ok()
        };
        crate::fault::pause("completing");
        let heartbeat = Heartbeat::start(writer, Arc::clone(&lines));
        let failed = |message: String| Streamed::Failed {
            failed: Failure::Other { message },
        };
        let Some(role) = crate::config::RoleName::parse(role)
            .filter(|r| *r != crate::config::RoleName::Router)
            .map(crate::config::RoleName::as_str)
        else {
            return send(
                writer,
                &failed(format!("no model is hosted for the role {role:?}")),
            );
        };
        let mut request = match wire.request() {
            Ok(request) => request,
            Err(message) => return send(writer, &failed(message)),
        };
        let cancel = Arc::new(AtomicBool::new(false));
        request.cancel = Some(Arc::clone(&cancel));
        let key = key(role, model);
        if !self.models.loaded().contains(&key) {
            let loading = Streamed::Loading {
                loading: crate::llm::file_label(&model.path),
            };
            if !send(writer, &loading) {
                return false;
            }
        }
        let loaded = self.hosted(&key, role, model, false, || {
            let settings = llama::Settings {
                context_size: model.context_size,
                threads: model.threads,
                n_gpu_layers: model.n_gpu_layers,
            };
            LlamaEngine::load(&model.path, settings).map(Resident::Engine)
        });
        let hosted = match loaded {
            Ok(hosted) => hosted,
            Err(message) => return send(writer, &failed(message)),
        };
        let mut hosted = hosted.lock().unwrap_or_else(PoisonError::into_inner);
        let Resident::Engine(engine) = &mut *hosted else {
            return send(
                writer,
                &failed("an engine's place in the pool holds another model".into()),
            );
        };
        let mut reading = true;
        let result = engine.complete(&request, &mut |piece| {
            if reading
                && !send(
                    writer,
                    &Streamed::Piece {
                        piece: piece.to_string(),
                    },
                )
            {
                reading = false;
                cancel.store(true, Ordering::Relaxed);
            }
        });
        self.activity().completions += 1;
        drop(heartbeat);
        let last = match result {
            Ok(completion) => Streamed::Done {
                done: Finished::of(&completion),
            },
            Err(e) => Streamed::Failed {
                failed: Failure::of(&e),
            },
        };
        reading && send(writer, &last)
    }
}

/// A thread that tells the client, every `HEARTBEAT`, that its completion is still
/// being worked on; it stops, and is waited for, when dropped.
struct Heartbeat {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Heartbeat {
    fn start(writer: &UnixStream, lines: Arc<Mutex<()>>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = writer.try_clone().ok().map(|mut stream| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let beat = protocol::encode_ok(&Streamed::Waiting { waiting: true });
                let mut last = Instant::now();
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(50));
                    if last.elapsed() < protocol::HEARTBEAT {
                        continue;
                    }
                    last = Instant::now();
                    let _line = lines.lock().unwrap_or_else(PoisonError::into_inner);
                    if stop.load(Ordering::Relaxed) || stream.write_all(beat.as_bytes()).is_err() {
                        return;
                    }
                }
            })
        });
        Heartbeat { stop, thread }
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What a model will take in memory, from its file's header; the error is a sentence.
fn estimate(model: &LocalModel) -> Result<u64, String> {
    let header = gguf::Header::read(&model.path).map_err(|e| e.to_string())?;
    Ok(crate::llm::Estimate::new(&header, u64::from(model.context_size)).total())
}

/// A request in progress: the service does not exit for idleness under it, and its end
/// restarts the idle clock, even when the request panicked.
struct Busy<'a>(&'a Shared);

impl<'a> Busy<'a> {
    fn new(shared: &'a Shared) -> Self {
        let mut activity = shared.activity();
        activity.busy += 1;
        activity.last = Instant::now();
        Busy(shared)
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        let mut activity = self.0.activity();
        activity.busy -= 1;
        activity.last = Instant::now();
    }
}
