//! `redline serve`: the send gate as an HTTP/1.1 JSON service, so a sequencing tool, CRM
//! plug-in or pre-send hook checks a draft with one request instead of starting a process
//! (and compiling the rules) per draft.
//!
//! - [`http`]: the endpoints (`POST /v1/check`, `GET /v1/rules`, `/healthz`, `/metrics`,
//!   `/openapi.json`), auth, limits and errors;
//! - [`check`]: what a check request holds and the answer (findings as `redline check
//!   --format json` prints them);
//! - [`rules`]: loading the rules, and noticing when their files change;
//! - [`metrics`]: the Prometheus counters;
//! - [`protocol`]: JSON bodies for the errors hyper answers by itself (a request that is not
//!   HTTP/1.1 it can parse).
//!
//! The server runs on tokio with hyper's HTTP/1.1 connections (keep-alive, no TLS: put it
//! behind a proxy that terminates TLS when it leaves the machine). SIGTERM or SIGINT stops
//! accepting, lets requests in flight finish, and returns; SIGHUP or a change to the config or
//! a pack reloads the rules while requests continue.

pub mod check;
pub mod http;
pub mod metrics;
pub mod protocol;
pub mod rules;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use redline_rules::Settings;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::http::State;
use crate::rules::RuleSource;

/// How a server is set up.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The config file to use instead of discovering `.redline.toml` from the working folder.
    pub config: Option<PathBuf>,
    /// Settings from flags (extra packs, disabled rules), applied last.
    pub flags: Settings,
    /// A file holding the token clients must send as `Authorization: Bearer <token>`;
    /// required to listen on an address other than loopback.
    pub token_file: Option<PathBuf>,
    /// The largest body accepted, in bytes.
    pub max_body: usize,
    /// How long a request may take from its first byte to its answer.
    pub timeout: Duration,
    /// How many checks may be read or run at once; more wait up to half the timeout for a
    /// turn, then get 503.
    pub max_checks: usize,
    /// How many connections are served at once; more wait to be accepted.
    pub max_connections: usize,
    /// How often the config, packs and voice profiles are looked at for changes.
    pub watch_every: Duration,
    /// A folder of writers' voice profiles (`NAME.toml`), which requests name in `voice`.
    pub voices: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            config: None,
            flags: Settings::default(),
            token_file: None,
            max_body: 1024 * 1024,
            timeout: Duration::from_secs(10),
            max_checks: 64,
            max_connections: 1024,
            watch_every: Duration::from_secs(1),
            voices: None,
        }
    }
}

/// Runs a server until SIGTERM or SIGINT, then lets requests in flight finish (for up to the
/// request timeout) and returns. An error (bad options, broken rules, an address in use) is a
/// message for stderr.
pub fn run(options: Options) -> Result<(), String> {
    let token = read_token(&options)?;
    let source = RuleSource::new(
        options.config.clone(),
        options.flags.clone(),
        PathBuf::from("."),
        options.voices.clone(),
    );
    let fingerprint = source.fingerprint();
    let rules = source.load()?;
    let state = Arc::new(State::new(
        rules,
        token,
        options.max_body,
        options.timeout,
        options.max_checks,
    ));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let listener = TcpListener::bind(options.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
        eprintln!(
            "redline: serving on http://{addr} ({} rules)",
            state.rules().active
        );
        tokio::spawn(watch_rules(
            state.clone(),
            Arc::new(source),
            fingerprint,
            options.watch_every,
        ));
        serve(listener, state, &options).await;
        Ok(())
    })
}

/// The token from `--token-file`, and the refusal to listen beyond loopback without one.
fn read_token(options: &Options) -> Result<Option<String>, String> {
    let token = match &options.token_file {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("{}: cannot read the token file: {e}", path.display()))?;
            let token = text.trim();
            if token.is_empty() || token.contains(char::is_whitespace) {
                return Err(format!(
                    "{}: the token file must hold one token (no spaces)",
                    path.display()
                ));
            }
            Some(token.to_string())
        }
    };
    if token.is_none() && !options.listen.ip().is_loopback() {
        return Err(format!(
            "refusing to listen on {} without --token-file: anyone who can reach it could use \
             it; give a token file, or listen on 127.0.0.1",
            options.listen
        ));
    }
    Ok(token)
}

/// Accepts connections until a stop signal, then drains.
async fn serve(listener: TcpListener, state: Arc<State>, options: &Options) {
    let graceful = GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(options.max_connections));
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            _ = &mut stop => break,
            permit = connections.clone().acquire_owned() => permit.expect("never closed"),
        };
        let stream = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: pause rather than spin.
                    eprintln!("redline: cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let state = state.clone();
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(options.timeout)
            .serve_connection(
                TokioIo::new(protocol::JsonErrors::new(stream)),
                service_fn(move |req| http::handle(state.clone(), req)),
            );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    eprintln!("redline: stopping: finishing the requests in flight");
    let drain = options.timeout + Duration::from_secs(1);
    match tokio::time::timeout(drain, graceful.shutdown()).await {
        Ok(()) => eprintln!("redline: stopped"),
        Err(_) => eprintln!(
            "redline: stopped; connections still open after {}s were closed",
            drain.as_secs()
        ),
    }
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C elsewhere than Unix).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) else {
            eprintln!("redline: cannot listen for SIGTERM/SIGINT");
            return std::future::pending().await;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Reloads the rules on SIGHUP, and whenever the config or a pack changes (looked at every
/// `every`). A broken edit keeps the rules in use, and says why on stderr and in `/healthz`.
async fn watch_rules(state: Arc<State>, source: Arc<RuleSource>, mut seen: u64, every: Duration) {
    let mut hangup = hangup_signal();
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let why = tokio::select! {
            _ = hangup.recv() => "SIGHUP",
            _ = tick.tick() => "a changed config or pack",
        };
        let s = source.clone();
        let Ok(now) = tokio::task::spawn_blocking(move || s.fingerprint()).await else {
            continue;
        };
        if now == seen && why != "SIGHUP" {
            continue;
        }
        seen = now;
        let s = source.clone();
        let loaded = tokio::task::spawn_blocking(move || s.load())
            .await
            .unwrap_or_else(|_| Err("loading the rules panicked".to_string()));
        match loaded {
            Ok(rules) => {
                let active = rules.active;
                state.replace_rules(rules);
                state.metrics.reload(true);
                eprintln!("redline: rules reloaded after {why} ({active} rules)");
            }
            Err(e) => {
                state.metrics.reload(false);
                eprintln!(
                    "redline: reloading after {why} failed; still checking with the rules loaded before:\n{e}"
                );
                state.set_reload_error(Some(e));
            }
        }
    }
}

/// SIGHUP, as a stream of notices (never on platforms without it).
struct Hangup(#[cfg(unix)] Option<tokio::signal::unix::Signal>);

impl Hangup {
    async fn recv(&mut self) {
        #[cfg(unix)]
        if let Some(signal) = &mut self.0 {
            signal.recv().await;
            return;
        }
        std::future::pending::<()>().await
    }
}

fn hangup_signal() -> Hangup {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        Hangup(signal(SignalKind::hangup()).ok())
    }
    #[cfg(not(unix))]
    {
        Hangup()
    }
}
