//! A result set being read: batches arrive from the engine's stream (or were built whole, for
//! catalog functions), rows are handed out one at a time, and the first row of the current
//! rowset stays at hand for SQLGetData.
//!
//! The stream is driven by a task on the driver's worker threads, a few batches ahead of the
//! application: decoding pages into batches overlaps with the application converting rows,
//! instead of both taking turns on the application's thread. The channel is bounded, so memory
//! stays flat; ending the cursor aborts the task, which drops the stream and stops the paging.

use crate::diag::{OdbcError, OdbcResult};
use crate::handles::Cancel;
use crate::runtime;
use futures_util::StreamExt;
use pipedrive_engine::arrow::record_batch::RecordBatch;
use pipedrive_engine::SendableRecordBatchStream;
use std::collections::VecDeque;
use tokio::sync::mpsc::Receiver;
use tokio::task::JoinHandle;
use std::time::Duration;

/// Batches read ahead of the application.
const READ_AHEAD: usize = 2;

pub struct Cursor {
    stream: Option<Receiver<OdbcResult<RecordBatch>>>,
    reader: Option<JoinHandle<()>>,
    queued: VecDeque<RecordBatch>,
    /// The batch rows are handed out from.
    pub batch: Option<RecordBatch>,
    /// Next row of `batch` to hand out.
    next: usize,
    /// Rows handed out so far, and the most to hand out (0: all).
    delivered: u64,
    limit: u64,
    /// The batch and row SQLGetData reads (the first row of the rowset).
    pub current: Option<(RecordBatch, usize)>,
    /// SQLGetData progress on the current row: column and bytes already returned, or `None`
    /// once the column was read whole.
    pub piece: Option<(usize, Option<usize>)>,
    pub finished: bool,
}

impl Cursor {
    pub fn streaming(mut stream: SendableRecordBatchStream, limit: u64) -> Cursor {
        let (tx, rx) = tokio::sync::mpsc::channel(READ_AHEAD);
        let reader = runtime::spawn(async move {
            while let Some(batch) = stream.next().await {
                let batch = batch.map_err(|e| OdbcError::from(pipedrive_engine::EngineError::from(e)));
                let failed = batch.is_err();
                if tx.send(batch).await.is_err() || failed {
                    break;
                }
            }
        });
        let mut cursor = Cursor::batches(vec![], limit);
        cursor.stream = Some(rx);
        cursor.reader = Some(reader);
        cursor
    }

    pub fn batches(batches: Vec<RecordBatch>, limit: u64) -> Cursor {
        Cursor {
            stream: None,
            reader: None,
            queued: batches.into(),
            batch: None,
            next: 0,
            delivered: 0,
            limit,
            current: None,
            piece: None,
            finished: false,
        }
    }

    /// Moves to the next row: `Some(row)` in [`Cursor::batch`], or `None` at the end.
    pub fn advance(
        &mut self,
        cancel: &Cancel,
        timeout: Option<Duration>,
    ) -> OdbcResult<Option<usize>> {
        if self.finished || (self.limit > 0 && self.delivered >= self.limit) {
            self.finish();
            return Ok(None);
        }
        loop {
            if let Some(b) = &self.batch {
                if self.next < b.num_rows() {
                    self.next += 1;
                    self.delivered += 1;
                    return Ok(Some(self.next - 1));
                }
            }
            self.next = 0;
            self.batch = match self.queued.pop_front() {
                Some(b) => Some(b),
                None => match self.stream.as_mut() {
                    None => None,
                    Some(stream) => {
                        let next = runtime::wait(
                            async { stream.recv().await.transpose() },
                            Some(cancel),
                            timeout,
                        );
                        match next {
                            Ok(b) => b,
                            Err(e) => {
                                // a failed or cancelled read ends the result set: paging stops
                                self.finish();
                                return Err(e);
                            }
                        }
                    }
                },
            };
            if self.batch.is_none() {
                self.finish();
                return Ok(None);
            }
        }
    }

    /// Ends the result set and drops the stream (no more API requests).
    pub fn finish(&mut self) {
        self.finished = true;
        if let Some(reader) = self.reader.take() {
            reader.abort();
        }
        self.stream = None;
        self.queued.clear();
        self.batch = None;
    }
}

impl Drop for Cursor {
    fn drop(&mut self) {
        self.finish();
    }
}
