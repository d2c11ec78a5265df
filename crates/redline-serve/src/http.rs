//! Requests to answers: the endpoints, token auth, content types, body limits, timeouts,
//! bounded concurrency and the panic guard.
//!
//! Every error is a JSON object `{"error": "..."}` with a status a client can act on: 400 bad
//! input (or, from [`crate::protocol`], a request that is not HTTP/1.1, as are 414 and 431),
//! 401 no or wrong token, 404/405 no such endpoint or method, 408 the body came too
//! slowly, 413 too large (refused from `Content-Length` before reading, or as soon as a
//! streamed body passes the limit), 415 an unsupported content type, 500 a check that panicked
//! (that request only), 503 when every check slot stayed taken for half the timeout, or a
//! check ran past it.

use std::convert::Infallible;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use redline_rules::FailOn;
use serde_json::json;
use tokio::sync::Semaphore;
use tokio::time::timeout_at;

use crate::check::{self, CheckRequest, Input, Outcome, parse_fail_on};
use crate::metrics::Metrics;
use crate::rules::Rules;

/// An answer.
pub type Answer = Response<Full<Bytes>>;

/// An endpoint: its method, its path, and whether it needs the token (when one is set).
pub struct Endpoint {
    /// The HTTP method.
    pub method: Method,
    /// The path.
    pub path: &'static str,
    /// Whether requests need `Authorization: Bearer <token>` when the server has a token.
    pub auth: bool,
}

/// Every endpoint the server answers; `openapi.json` documents exactly these.
pub const ENDPOINTS: [Endpoint; 5] = [
    Endpoint {
        method: Method::POST,
        path: "/v1/check",
        auth: true,
    },
    Endpoint {
        method: Method::GET,
        path: "/v1/rules",
        auth: true,
    },
    Endpoint {
        method: Method::GET,
        path: "/healthz",
        auth: false,
    },
    Endpoint {
        method: Method::GET,
        path: "/metrics",
        auth: true,
    },
    Endpoint {
        method: Method::GET,
        path: "/openapi.json",
        auth: false,
    },
];

/// The OpenAPI 3.1 description of the endpoints, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Drafts up to this size are checked on the async worker that read them (a check takes well
/// under a millisecond); larger ones on the blocking pool, so they never stall other requests
/// and can be abandoned at the timeout.
const INLINE_LIMIT: usize = 64 * 1024;

/// What every request handler shares.
pub struct State {
    rules: RwLock<Arc<Rules>>,
    /// The counters behind `/metrics`.
    pub metrics: Metrics,
    token: Option<Vec<u8>>,
    max_body: usize,
    timeout: Duration,
    max_checks: usize,
    checks: Semaphore,
    reload_error: Mutex<Option<String>>,
}

impl State {
    /// State for a server checking with `rules`. `token`, when set, is required on every
    /// endpoint but `/healthz` and `/openapi.json`; at most `max_checks` checks are read or run
    /// at once (so memory for bodies stays under `max_checks × max_body`).
    pub fn new(
        rules: Rules,
        token: Option<String>,
        max_body: usize,
        timeout: Duration,
        max_checks: usize,
    ) -> Self {
        State {
            rules: RwLock::new(Arc::new(rules)),
            metrics: Metrics::default(),
            token: token.map(String::into_bytes),
            max_body,
            timeout,
            max_checks,
            checks: Semaphore::new(max_checks),
            reload_error: Mutex::new(None),
        }
    }

    /// The rules in use now.
    pub fn rules(&self) -> Arc<Rules> {
        self.rules.read().expect("no panics while held").clone()
    }

    /// Swaps in newly loaded rules; requests already running finish with the old ones.
    pub fn replace_rules(&self, rules: Rules) {
        *self.rules.write().expect("no panics while held") = Arc::new(rules);
        self.set_reload_error(None);
    }

    /// Records why the last reload failed (`None` once one succeeds).
    pub fn set_reload_error(&self, error: Option<String>) {
        *self.reload_error.lock().expect("no panics while held") = error;
    }

    fn authorized(&self, headers: &HeaderMap) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| {
                // The scheme is case-insensitive (RFC 9110); the token is not.
                let v = v.as_bytes();
                v.get(..7)
                    .filter(|scheme| scheme.eq_ignore_ascii_case(b"bearer "))
                    .map(|_| &v[7..])
            })
            .unwrap_or_default();
        same_secret(given, token)
    }
}

/// Whether two secrets are equal, in time that depends only on their lengths, not on where
/// they differ.
pub fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    let mut diff = given.len() ^ expected.len();
    for i in 0..given.len().max(expected.len()) {
        let a = given.get(i).copied().unwrap_or(0);
        let b = expected.get(i).copied().unwrap_or(0);
        diff |= usize::from(a ^ b);
    }
    std::hint::black_box(diff) == 0
}

/// Answers one request, and counts it.
pub async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Answer, Infallible> {
    let started = Instant::now();
    let (endpoint, answer) = route(&state, req).await;
    state
        .metrics
        .request(endpoint, answer.status().as_u16(), started.elapsed());
    Ok(answer)
}

async fn route(state: &State, req: Request<Incoming>) -> (&'static str, Answer) {
    let Some(endpoint) = ENDPOINTS.iter().find(|e| e.path == req.uri().path()) else {
        return (
            "other",
            error(
                StatusCode::NOT_FOUND,
                "no such endpoint; /openapi.json lists them",
            ),
        );
    };
    let path = endpoint.path;
    // HEAD is answered wherever GET is (RFC 9110): the same answer, whose body hyper leaves
    // unsent.
    let head = req.method() == Method::HEAD && endpoint.method == Method::GET;
    if req.method() != endpoint.method && !head {
        let allowed = if endpoint.method == Method::GET {
            "GET, HEAD"
        } else {
            endpoint.method.as_str()
        };
        let mut answer = error(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!("{path} takes {allowed}"),
        );
        answer
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allowed));
        return (path, answer);
    }
    if endpoint.auth && !state.authorized(req.headers()) {
        let mut answer = error(
            StatusCode::UNAUTHORIZED,
            "this server needs `Authorization: Bearer <token>`",
        );
        answer.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"redline\""),
        );
        return (path, answer);
    }
    let answer = match path {
        "/v1/check" => check(state, req).await.unwrap_or_else(|e| e),
        "/v1/rules" => json(StatusCode::OK, state.rules().listing.clone()),
        "/healthz" => health(state),
        "/metrics" => {
            let rules = state.rules().active;
            let in_flight = state.max_checks - state.checks.available_permits();
            let mut answer = Response::new(Full::from(state.metrics.render(rules, in_flight)));
            answer.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            );
            answer
        }
        _ => json(StatusCode::OK, OPENAPI.to_string()),
    };
    (path, answer)
}

fn health(state: &State) -> Answer {
    let rules = state.rules();
    let (reloads, failed) = state.metrics.reloads();
    let error = state
        .reload_error
        .lock()
        .expect("no panics while held")
        .clone();
    let body = json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules.active,
        "packs": rules.linter.packs().iter().map(|p| &p.name).collect::<Vec<_>>(),
        "reloads": reloads,
        "failed_reloads": failed,
        "reload_error": error,
    });
    json(StatusCode::OK, body.to_string())
}

/// How the body of a check request is read.
enum BodyKind {
    Json,
    Message,
    Plain,
}

async fn check(state: &State, req: Request<Incoming>) -> Result<Answer, Answer> {
    let deadline = tokio::time::Instant::now() + state.timeout;
    let media = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    let kind = match media.as_deref() {
        Some("application/json") => BodyKind::Json,
        Some("message/rfc822") => BodyKind::Message,
        Some("text/plain") => BodyKind::Plain,
        other => {
            return Err(error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &format!(
                    "Content-Type {} is not accepted: send application/json, message/rfc822 or text/plain",
                    other.unwrap_or("(none)")
                ),
            ));
        }
    };
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("the body is over the {} byte limit", state.max_body),
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.max_body as u64) {
        return Err(too_large());
    }
    let fail_on =
        query_fail_on(req.uri().query()).map_err(|e| error(StatusCode::BAD_REQUEST, &e))?;

    let busy = || {
        let mut answer = error(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many checks in flight; retry shortly",
        );
        answer
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        answer
    };
    // Waiting long for a slot helps nobody: after half the timeout, say so and let the
    // client retry or decide without the gate.
    let slot_deadline = tokio::time::Instant::now() + state.timeout / 2;
    let _permit = match timeout_at(slot_deadline, state.checks.acquire()).await {
        Ok(Ok(permit)) => permit,
        _ => return Err(busy()),
    };
    let bytes = match timeout_at(
        deadline,
        Limited::new(req.into_body(), state.max_body).collect(),
    )
    .await
    {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => return Err(too_large()),
        Ok(Err(e)) => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                &format!("cannot read the body: {e}"),
            ));
        }
        Err(_) => {
            return Err(error(
                StatusCode::REQUEST_TIMEOUT,
                "the body did not arrive within the timeout",
            ));
        }
    };
    let input = match kind {
        BodyKind::Json => serde_json::from_slice::<CheckRequest>(&bytes)
            .map_err(|e| error(StatusCode::BAD_REQUEST, &format!("bad JSON body: {e}")))?
            .into_input(fail_on)
            .map_err(|e| error(StatusCode::BAD_REQUEST, &e))?,
        BodyKind::Message => Input::raw(bytes.to_vec(), true, fail_on),
        BodyKind::Plain => Input::raw(bytes.to_vec(), false, fail_on),
    };

    let rules = state.rules();
    let voice = match input.voice() {
        Some(name) => Some(
            rules
                .voice(name)
                .map_err(|e| error(StatusCode::BAD_REQUEST, &e))?
                .clone(),
        ),
        None => None,
    };
    let outcome = if input.size() <= INLINE_LIMIT {
        guarded(|| check::check(&rules, &input, voice.as_deref()))
    } else {
        let task =
            tokio::task::spawn_blocking(move || check::check(&rules, &input, voice.as_deref()));
        match timeout_at(deadline, task).await {
            Ok(Ok(outcome)) => Some(outcome),
            Ok(Err(_)) => None,
            Err(_) => {
                return Err(error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the check ran past the timeout",
                ));
            }
        }
    };
    let Some(Outcome {
        body,
        pass,
        findings,
    }) = outcome
    else {
        return Err(error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the check failed unexpectedly (a bug in redline; the server log has the details)",
        ));
    };
    state.metrics.check(pass, &findings);
    Ok(json(StatusCode::OK, body))
}

/// Runs `f`, turning a panic into `None` (the panic message goes to stderr as usual). The
/// rules are read-only while checking, so nothing is left half-changed for later requests.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
}

/// `?fail_on=LEVEL`, for bodies that are not JSON (a JSON body's own `fail_on` wins).
fn query_fail_on(query: Option<&str>) -> Result<Option<FailOn>, String> {
    let Some(value) = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|pair| pair.strip_prefix("fail_on="))
    else {
        return Ok(None);
    };
    parse_fail_on(value)
        .map(Some)
        .ok_or_else(|| format!("fail_on must be error, warning, info or never, not `{value}`"))
}

fn json(status: StatusCode, body: impl Into<Bytes>) -> Answer {
    let mut answer = Response::new(Full::new(body.into()));
    *answer.status_mut() = status;
    answer.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    answer
}

fn error(status: StatusCode, message: &str) -> Answer {
    json(status, json!({ "error": message }).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_contained_and_the_next_call_still_runs() {
        assert_eq!(guarded(|| -> u32 { panic!("boom") }), None);
        assert_eq!(guarded(|| 7), Some(7));
    }

    #[test]
    fn secrets_match_only_when_equal() {
        assert!(same_secret(b"s3cret-token", b"s3cret-token"));
        assert!(!same_secret(b"s3cret-tokem", b"s3cret-token"));
        assert!(!same_secret(b"s3cret", b"s3cret-token"));
        assert!(!same_secret(b"", b"s3cret-token"));
        assert!(!same_secret(b"s3cret-token-and-more", b"s3cret-token"));
    }

    #[test]
    fn fail_on_from_the_query() {
        assert_eq!(
            query_fail_on(Some("a=1&fail_on=warning")).unwrap(),
            Some(FailOn::Warning)
        );
        assert_eq!(query_fail_on(None).unwrap(), None);
        assert!(
            query_fail_on(Some("fail_on=loud"))
                .unwrap_err()
                .contains("not `loud`")
        );
    }
}
