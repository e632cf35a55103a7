//! The ingest writer: connection tasks queue validated reports; one task
//! takes whatever is queued (up to [`BATCH_MAX`]), writes it with one
//! [`TelemetryStore::write_reports`] call (one transaction), then tells the
//! waiters of durable reports. The queue is bounded ([`QUEUE_CAPACITY`]):
//! when it is full, [`Ingest::submit`] waits for room, which slows the
//! connections down instead of growing memory.
//!
//! A failed batch fails its durable waiters with
//! [`ReportError::Unavailable`] (a QoS 1 device retransmits); failures are
//! logged at most once a minute.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::model::Report;
use super::{ReportError, TelemetryStore};

/// Reports waiting for the writer before submitters wait for room.
pub const QUEUE_CAPACITY: usize = 16_384;
/// Most reports written in one transaction.
pub const BATCH_MAX: usize = 4_096;
/// How often a failing store is logged.
const FAILURE_LOG_EVERY: Duration = Duration::from_secs(60);

type Waiter = oneshot::Sender<Result<(), ReportError>>;

struct Job {
    report: Report,
    /// Set for durable reports: told once the batch is committed.
    done: Option<Waiter>,
}

/// The queue's sending end and the writer task.
pub(crate) struct Ingest {
    tx: mpsc::Sender<Job>,
    writer: Mutex<Option<(oneshot::Sender<()>, JoinHandle<()>)>>,
}

impl Ingest {
    /// Starts the writer on the current Tokio runtime.
    pub fn start(store: Arc<dyn TelemetryStore>) -> Ingest {
        let (tx, rx) = mpsc::channel(QUEUE_CAPACITY);
        let (stop_tx, stop_rx) = oneshot::channel();
        let handle = tokio::spawn(run(store, rx, stop_rx));
        Ingest {
            tx,
            writer: Mutex::new(Some((stop_tx, handle))),
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
        if let Some((stop, handle)) = writer {
            let _ = stop.send(());
            if let Err(e) = handle.await {
                tracing::error!(error = %e, "the ingest writer ended abnormally");
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
    let ok = match store.write_reports(&reports).await {
        Ok(()) => true,
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
