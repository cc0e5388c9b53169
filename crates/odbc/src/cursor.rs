//! A result set being read: batches arrive from the engine's stream (or were built whole, for
//! catalog functions), rows are handed out one at a time, and the first row of the current
//! rowset stays at hand for SQLGetData.

use crate::diag::{OdbcError, OdbcResult};
use crate::cancel::Cancel;
use crate::runtime;
use futures_util::StreamExt;
use pipedrive_engine::arrow::record_batch::RecordBatch;
use pipedrive_engine::SendableRecordBatchStream;
use std::collections::VecDeque;
use std::time::Duration;

pub struct Cursor {
    stream: Option<SendableRecordBatchStream>,
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
    pub fn streaming(stream: SendableRecordBatchStream, limit: u64) -> Cursor {
        Cursor {
            stream: Some(stream),
            ..Cursor::batches(vec![], limit)
        }
    }

    pub fn batches(batches: Vec<RecordBatch>, limit: u64) -> Cursor {
        Cursor {
            stream: None,
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
                            async {
                                stream.next().await.transpose().map_err(|e| {
                                    OdbcError::from(pipedrive_engine::EngineError::from(e))
                                })
                            },
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
        self.stream = None;
        self.queued.clear();
        self.batch = None;
    }
}
