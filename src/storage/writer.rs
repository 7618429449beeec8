//! Group commit: residents' responses go to one writer task, which stores whatever has
//! queued up (up to [`WriterOptions::max_batch`]) in a single transaction, then answers
//! each submitter. A response is acknowledged only once its transaction has committed, and the
//! database syncs once per batch instead of once per response.

use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use super::submissions::{NewResponse, SubmitOutcome};
use super::{Storage, StorageError};
use crate::metrics::{BATCH_SIZE_BOUNDS, Histogram};

/// How the writer groups submissions.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    /// Most responses in one transaction. The writer waits on no timer: it takes whatever
    /// queued up while the previous transaction ran ("natural" batching), so batches grow
    /// with the load and a lone answer is stored at once. At 32 connections a 2 ms window
    /// stored no more per second (BENCHMARKS.md).
    pub max_batch: usize,
}

impl Default for WriterOptions {
    fn default() -> Self {
        Self { max_batch: 256 }
    }
}

/// Submissions waiting beyond this many make submitters wait for room (back pressure).
const QUEUE: usize = 4_096;

struct Job {
    response: NewResponse,
    reply: oneshot::Sender<Result<SubmitOutcome, StorageError>>,
}

/// The handle request handlers submit through. Cheap to clone.
#[derive(Clone)]
pub struct ResponseWriter {
    jobs: mpsc::Sender<Job>,
    stop: Arc<watch::Sender<bool>>,
    task: Arc<Mutex<Option<JoinHandle<()>>>>,
    batch_sizes: Arc<Histogram>,
}

impl ResponseWriter {
    /// Starts the writer task on the current Tokio runtime.
    pub fn start(storage: Storage, options: WriterOptions) -> Self {
        let (jobs, receiver) = mpsc::channel(QUEUE);
        let (stop, stopped) = watch::channel(false);
        let batch_sizes = Arc::new(Histogram::new(BATCH_SIZE_BOUNDS));
        let task = tokio::spawn(run(
            storage,
            receiver,
            stopped,
            options,
            Arc::clone(&batch_sizes),
        ));
        Self {
            jobs,
            stop: Arc::new(stop),
            task: Arc::new(Mutex::new(Some(task))),
            batch_sizes,
        }
    }

    /// Stores a response; returns once its transaction has committed (or failed).
    pub async fn submit(&self, response: NewResponse) -> Result<SubmitOutcome, StorageError> {
        let (reply, outcome) = oneshot::channel();
        self.jobs
            .send(Job { response, reply })
            .await
            .map_err(|_| StorageError::WriterStopped)?;
        outcome.await.map_err(|_| StorageError::WriterStopped)?
    }

    /// Stops taking submissions, stores those already queued, and waits for the task.
    pub async fn shutdown(&self) {
        self.stop.send_replace(true);
        let task = self.task.lock().ok().and_then(|mut task| task.take());
        if let Some(task) = task
            && let Err(error) = task.await
        {
            tracing::error!(%error, "the response writer task failed");
        }
    }

    /// How many responses each transaction held.
    pub fn batch_sizes(&self) -> &Histogram {
        &self.batch_sizes
    }
}

async fn run(
    storage: Storage,
    mut jobs: mpsc::Receiver<Job>,
    mut stop: watch::Receiver<bool>,
    options: WriterOptions,
    batch_sizes: Arc<Histogram>,
) {
    let mut stopping = false;
    loop {
        let first = if stopping {
            jobs.recv().await
        } else {
            tokio::select! {
                job = jobs.recv() => job,
                _ = stop.changed() => {
                    // Queued jobs are still received, then `recv` ends the loop.
                    stopping = true;
                    jobs.close();
                    continue;
                }
            }
        };
        let Some(first) = first else { break };
        let mut batch = vec![first];
        while batch.len() < options.max_batch {
            if let Ok(job) = jobs.try_recv() {
                batch.push(job);
                continue;
            }
            if stopping {
                break;
            }
            // Let handlers that are ready to submit do so, then take what came.
            tokio::task::yield_now().await;
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        #[expect(
            clippy::cast_precision_loss,
            reason = "a batch holds at most a few thousand responses"
        )]
        batch_sizes.observe(batch.len() as f64);
        write(&storage, batch).await;
    }
}

async fn write(storage: &Storage, batch: Vec<Job>) {
    let (responses, replies): (Vec<NewResponse>, Vec<_>) = batch
        .into_iter()
        .map(|job| (job.response, job.reply))
        .unzip();
    match storage.store_responses(&responses).await {
        Ok(outcomes) => {
            for (reply, outcome) in replies.into_iter().zip(outcomes) {
                // The submitter may have gone (client disconnected): the response is
                // stored all the same.
                let _ = reply.send(Ok(outcome));
            }
        }
        Err(StorageError::Unavailable(error)) => {
            // The database cannot write (down, disk full): storing the responses one by
            // one would fail as many times, each after its own wait.
            tracing::warn!(%error, size = responses.len(), "the database is unavailable; batch refused");
            for reply in replies {
                let _ = reply.send(Err(StorageError::Unavailable(Arc::clone(&error))));
            }
        }
        Err(error) if responses.len() > 1 => {
            // One bad response must not sink the others: store each on its own.
            tracing::warn!(%error, size = responses.len(), "batch failed; storing its responses one by one");
            for (response, reply) in responses.iter().zip(replies) {
                let _ = reply.send(storage.store_response(response).await);
            }
        }
        Err(error) => {
            if let Some(reply) = replies.into_iter().next() {
                let _ = reply.send(Err(error));
            }
        }
    }
}
