//! The ingest writer: connection tasks queue validated reports; one task
//! takes whatever is queued (up to [`BATCH_MAX`]), writes it with one
//! [`TelemetryStore::write_reports`] call (one transaction), then tells the
//! waiters of durable reports. The queue is bounded ([`QUEUE_CAPACITY`]):
//! when it is full, [`Ingest::submit`] waits for room, which slows the
//! connections down instead of growing memory.
//!
//! The writer runs on a thread of its own (driven by the runtime's I/O and
//! timers): under load the runtime's workers are busy with connections, and
//! each statement of a batch would otherwise wait behind them to resume.
//!
//! A failed batch fails its durable waiters with
//! [`ReportError::Unavailable`] (a QoS 1 device retransmits); failures are
//! logged at most once a minute.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::model::Report;
use super::{ReportError, TelemetryStore};

/// Reports waiting for the writer before submitters wait for room.
pub const QUEUE_CAPACITY: usize = 65_536;
/// Most reports written in one transaction.
pub const BATCH_MAX: usize = 16_384;
/// A batch smaller than this waits up to [`LINGER`] for more reports: each
/// batch costs about the same per device it touches, so many tiny batches
/// (QoS 1 devices send one report per commit) would waste the writer.
const LINGER_BELOW: usize = 1_024;
/// How long a small batch waits for more.
const LINGER: Duration = Duration::from_millis(2);
/// How often a failing store is logged.
const FAILURE_LOG_EVERY: Duration = Duration::from_secs(60);

type Waiter = oneshot::Sender<Result<(), ReportError>>;
type Writer = Pin<Box<dyn Future<Output = ()> + Send>>;

fn take(slot: &Mutex<Option<Writer>>) -> Option<Writer> {
    slot.lock().unwrap_or_else(PoisonError::into_inner).take()
}

struct Job {
    report: Report,
    /// Set for durable reports: told once the batch is committed.
    done: Option<Waiter>,
}

/// The queue's sending end and the writer task.
pub(crate) struct Ingest {
    tx: mpsc::Sender<Job>,
    /// Tells the writer to stop; the writer answers once it has finished.
    writer: Mutex<Option<(oneshot::Sender<()>, oneshot::Receiver<()>)>>,
}

impl Ingest {
    /// Starts the writer on its own thread, using the current Tokio
    /// runtime's drivers; without a thread, it runs as a task.
    pub fn start(store: Arc<dyn TelemetryStore>) -> Ingest {
        let (tx, rx) = mpsc::channel(QUEUE_CAPACITY);
        let (stop_tx, stop_rx) = oneshot::channel();
        let (done_tx, done_rx) = oneshot::channel();
        let writer: Writer = Box::pin(async move {
            run(store, rx, stop_rx).await;
            let _ = done_tx.send(());
        });
        let slot = Arc::new(Mutex::new(Some(writer)));
        let runtime = tokio::runtime::Handle::current();
        let spawned = std::thread::Builder::new()
            .name("ingest-writer".into())
            .spawn({
                let (slot, runtime) = (slot.clone(), runtime.clone());
                move || {
                    if let Some(writer) = take(&slot) {
                        runtime.block_on(writer);
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "no thread for the ingest writer: it runs as a task");
            if let Some(writer) = take(&slot) {
                runtime.spawn(writer);
            }
        }
        Ingest {
            tx,
            writer: Mutex::new(Some((stop_tx, done_rx))),
        }
    }

    /// Queues a report, waiting for room. With `durable`, returns once the
    /// batch holding it is committed.
    pub async fn submit(&self, report: Report, durable: bool) -> Result<(), ReportError> {
        let (done, committed) = if durable {
            let (tx, rx) = oneshot::channel();
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        self.tx
            .send(Job { report, done })
            .await
            .map_err(|_| ReportError::Unavailable)?;
        match committed {
            Some(rx) => rx.await.unwrap_or(Err(ReportError::Unavailable)),
            None => Ok(()),
        }
    }

    /// Stops taking reports, writes those queued, and waits for the
    /// writer to finish. Later calls return at once.
    pub async fn close(&self) {
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some((stop, done)) = writer {
            let _ = stop.send(());
            if done.await.is_err() {
                tracing::error!("the ingest writer ended abnormally");
            }
        }
    }
}

/// Logs store failures, at most once per [`FAILURE_LOG_EVERY`].
#[derive(Default)]
struct FailureLog {
    last: Option<Instant>,
    unlogged: u64,
}

impl FailureLog {
    fn failed(&mut self, error: &dyn std::fmt::Display, reports: usize) {
        let due = self.last.is_none_or(|t| t.elapsed() >= FAILURE_LOG_EVERY);
        if due {
            tracing::error!(
                error = %error,
                reports,
                earlier_failed_batches = self.unlogged,
                "device reports could not be stored"
            );
            self.last = Some(Instant::now());
            self.unlogged = 0;
        } else {
            self.unlogged += 1;
        }
    }
}

async fn run(
    store: Arc<dyn TelemetryStore>,
    mut rx: mpsc::Receiver<Job>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut jobs = Vec::with_capacity(BATCH_MAX);
    let mut failures = FailureLog::default();
    loop {
        tokio::select! {
            biased;
            n = rx.recv_many(&mut jobs, BATCH_MAX) => {
                if n == 0 {
                    // Every sender is gone: nothing more can come.
                    return;
                }
                linger(&mut rx, &mut jobs).await;
                write(store.as_ref(), &mut jobs, &mut failures).await;
            }
            _ = &mut stop => break,
        }
    }
    // Closing: refuse new reports, write what is queued.
    rx.close();
    while rx.recv_many(&mut jobs, BATCH_MAX).await > 0 {
        write(store.as_ref(), &mut jobs, &mut failures).await;
    }
}

/// Adds what arrives within [`LINGER`] to a small batch.
async fn linger(rx: &mut mpsc::Receiver<Job>, jobs: &mut Vec<Job>) {
    let deadline = tokio::time::Instant::now() + LINGER;
    while jobs.len() < LINGER_BELOW {
        let room = BATCH_MAX - jobs.len();
        match tokio::time::timeout_at(deadline, rx.recv_many(jobs, room)).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// Writes the jobs as one batch and tells their waiters; empties `jobs`.
async fn write(store: &dyn TelemetryStore, jobs: &mut Vec<Job>, failures: &mut FailureLog) {
    let mut reports = Vec::with_capacity(jobs.len());
    let mut waiters = Vec::new();
    for job in jobs.drain(..) {
        reports.push(job.report);
        if let Some(done) = job.done {
            waiters.push(done);
        }
    }
    let started = Instant::now();
    let ok = match store.write_reports(&reports).await {
        Ok(()) => {
            tracing::debug!(
                reports = reports.len(),
                micros = started.elapsed().as_micros() as u64,
                "device reports stored"
            );
            true
        }
        Err(e) => {
            failures.failed(&e, reports.len());
            false
        }
    };
    for done in waiters {
        // A waiter that is gone (its connection closed) needs no answer.
        let _ = done.send(if ok {
            Ok(())
        } else {
            Err(ReportError::Unavailable)
        });
    }
}
