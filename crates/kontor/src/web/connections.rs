//! Accepting and keeping client connections (#16): a client has
//! `header_read_timeout_seconds` to send a request's headers (slowloris),
//! an idle keep-alive connection is closed after `keep_alive_idle_seconds`,
//! and at most `max_connections` are open at once — kept below the
//! process's open-file limit, so descriptors remain for the database, mail
//! and webhooks. At the cap, each new connection closes the one that has
//! been idle the longest (never one with a request in progress): whoever
//! holds hundreds of idle connections cannot keep `/healthz` or a person
//! from being served.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower::ServiceExt as _;

/// Descriptors kept free of client connections: the database pools, the
/// SQLite WAL and lock files, SMTP and webhook sockets, logs.
const RESERVED_FDS: usize = 64;

/// How the server treats connections.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time to send a request's headers.
    pub header_read_timeout: Duration,
    /// Time an idle connection is kept.
    pub keep_alive_idle: Duration,
    /// Connections at once.
    pub max_connections: usize,
}

impl Limits {
    /// From the configuration, the cap kept below the open-file limit.
    pub fn of(config: &crate::config::Config) -> Limits {
        let cap = match open_file_limit() {
            Some(fds) => config
                .max_connections
                .min(fds.saturating_sub(RESERVED_FDS).max(8)),
            None => config.max_connections,
        };
        Limits {
            header_read_timeout: Duration::from_secs(config.header_read_timeout_seconds),
            keep_alive_idle: Duration::from_secs(config.keep_alive_idle_seconds),
            max_connections: cap,
        }
    }
}

/// The soft limit of open files (`ulimit -n`), from `/proc/self/limits`.
fn open_file_limit() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// One open connection.
struct Conn {
    /// Requests being answered now.
    busy: AtomicUsize,
    /// When it last became idle (ms since the tracker started).
    idle_since: AtomicU64,
    /// Told to close now (evicted, or idle too long).
    close: Notify,
}

/// The open connections.
struct Tracker {
    started: Instant,
    next_id: AtomicU64,
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
}

impl Tracker {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn conns(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Conn>>> {
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The idle connection that has been idle the longest.
    fn longest_idle(&self) -> Option<Arc<Conn>> {
        self.conns()
            .values()
            .filter(|c| c.busy.load(Ordering::Acquire) == 0)
            .min_by_key(|c| c.idle_since.load(Ordering::Acquire))
            .cloned()
    }

    /// Whether one more connection may be served. At `max` the longest
    /// idle one is asked to close for it; when every connection has a
    /// request in progress, the new one is refused — it waits for none.
    fn make_room(&self, max: usize) -> bool {
        if self.conns().len() < max {
            return true;
        }
        match self.longest_idle() {
            Some(victim) => {
                victim.close.notify_one();
                true
            }
            None => false,
        }
    }

    /// A new connection's id and state, tracked from now on.
    fn register(&self) -> (u64, Arc<Conn>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn {
            busy: AtomicUsize::new(0),
            idle_since: AtomicU64::new(self.now_ms()),
            close: Notify::new(),
        });
        self.conns().insert(id, conn.clone());
        (id, conn)
    }

    /// Idle connections idle since before `ms`.
    fn idle_before(&self, ms: u64) -> Vec<Arc<Conn>> {
        self.conns()
            .values()
            .filter(|c| c.busy.load(Ordering::Acquire) == 0)
            .filter(|c| c.idle_since.load(Ordering::Acquire) < ms)
            .cloned()
            .collect()
    }
}

/// HTTP/1 and HTTP/2 with the header and keep-alive limits.
fn connection_builder(limits: &Limits) -> Builder<TokioExecutor> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(limits.keep_alive_idle));
    builder
}

/// Serves `app` on `listener` until `shutdown` turns true, then lets the
/// requests in progress finish (at most 30 s) and returns.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let tracker = Arc::new(Tracker {
        started: Instant::now(),
        next_id: AtomicU64::new(0),
        conns: Mutex::new(HashMap::new()),
    });
    let sweeper = tokio::spawn(close_idle(tracker.clone(), limits.keep_alive_idle));
    let builder = Arc::new(connection_builder(&limits));
    let (stopping, _) = watch::channel(false);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors or the like: pause instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = wait_for(&mut shutdown) => break,
        };
        if !tracker.make_room(limits.max_connections) {
            drop(stream);
            continue;
        }
        let (id, conn) = tracker.register();
        tokio::spawn(serve_one(
            Accepted {
                stream,
                peer,
                id,
                conn,
            },
            tracker.clone(),
            builder.clone(),
            app.clone(),
            stopping.subscribe(),
        ));
    }
    sweeper.abort();
    let _ = stopping.send(true);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !tracker.conns().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// A connection just accepted, with its place in the tracker.
struct Accepted {
    stream: tokio::net::TcpStream,
    peer: std::net::SocketAddr,
    id: u64,
    conn: Arc<Conn>,
}

/// Serves one connection until it ends, is closed (evicted, idle too long)
/// or the server stops (then gracefully, for at most 30 s).
async fn serve_one(
    accepted: Accepted,
    tracker: Arc<Tracker>,
    builder: Arc<Builder<TokioExecutor>>,
    app: Router,
    mut stopping: watch::Receiver<bool>,
) {
    let Accepted {
        stream,
        peer,
        id,
        conn,
    } = accepted;
    let service = {
        let (conn, tracker) = (conn.clone(), tracker.clone());
        hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            let (app, conn, tracker) = (app.clone(), conn.clone(), tracker.clone());
            req.extensions_mut().insert(ConnectInfo(peer));
            conn.busy.fetch_add(1, Ordering::AcqRel);
            async move {
                let res = app.oneshot(req.map(axum::body::Body::new)).await;
                conn.idle_since.store(tracker.now_ms(), Ordering::Release);
                conn.busy.fetch_sub(1, Ordering::AcqRel);
                res
            }
        })
    };
    let served = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
    tokio::pin!(served);
    tokio::select! {
        _ = served.as_mut() => {}
        // Evicted or idle too long: dropping the connection closes it.
        _ = conn.close.notified() => {}
        _ = wait_for(&mut stopping) => {
            served.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(30), served).await;
        }
    }
    tracker.conns().remove(&id);
}

/// Closes connections idle longer than `idle`, checking every second (or
/// more often for short settings).
async fn close_idle(tracker: Arc<Tracker>, idle: Duration) {
    let every = (idle / 4).clamp(Duration::from_millis(100), Duration::from_secs(1));
    let idle_ms = u64::try_from(idle.as_millis()).unwrap_or(u64::MAX);
    loop {
        tokio::time::sleep(every).await;
        let before = tracker.now_ms().saturating_sub(idle_ms);
        for conn in tracker.idle_before(before) {
            conn.close.notify_one();
        }
    }
}

async fn wait_for(flag: &mut watch::Receiver<bool>) {
    while !*flag.borrow() {
        if flag.changed().await.is_err() {
            // The sender is gone: nobody can ask to stop any more.
            std::future::pending::<()>().await;
        }
    }
}
