//! The rows of a result set as they arrived, numbered from 1. Batches stay in memory up to a
//! budget; past it they are written to an unnamed temporary file (Arrow IPC, one stream per
//! batch) and read back when the application scrolls to them, so a large static cursor costs
//! disk, not memory. A forward-only cursor releases the batches it has left behind.

use crate::convert::Rows;
use crate::diag::{OdbcError, OdbcResult};
use pipedrive_engine::arrow::ipc::reader::StreamReader;
use pipedrive_engine::arrow::ipc::writer::StreamWriter;
use pipedrive_engine::arrow::record_batch::RecordBatch;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Arc;

/// Bytes of batches kept in memory before further batches go to the spill file.
pub const MEMORY_BUDGET: usize = 256 << 20;

enum Data {
    Memory(Arc<Rows>),
    Spilled { offset: u64, len: usize },
}

struct Slot {
    /// Number of the batch's first row.
    first: u64,
    rows: usize,
    data: Data,
}

pub struct RowStore {
    slots: VecDeque<Slot>,
    received: u64,
    memory: usize,
    budget: usize,
    spill: Option<File>,
    spill_end: u64,
    /// The last batch read back from the spill file, by its first row.
    loaded: Option<(u64, Arc<Rows>)>,
}

fn spill_error(e: impl std::fmt::Display) -> OdbcError {
    OdbcError::new(
        "HY001",
        format!("the result set could not be kept in the temporary spill file: {e}"),
    )
}

impl RowStore {
    pub fn new(budget: usize) -> RowStore {
        RowStore {
            slots: VecDeque::new(),
            received: 0,
            memory: 0,
            budget,
            spill: None,
            spill_end: 0,
            loaded: None,
        }
    }

    /// Rows received so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Whether any batch went to the spill file.
    #[cfg(test)]
    fn spilled(&self) -> bool {
        self.spill.is_some()
    }

    /// Adds the next batch (empty batches are skipped).
    pub fn push(&mut self, batch: RecordBatch) -> OdbcResult<()> {
        let rows = batch.num_rows();
        if rows == 0 {
            return Ok(());
        }
        let size = batch.get_array_memory_size();
        let data = if self.memory + size <= self.budget || self.memory == 0 {
            self.memory += size;
            Data::Memory(Arc::new(Rows::new(batch)))
        } else {
            self.write_spilled(&batch)?
        };
        self.slots.push_back(Slot {
            first: self.received + 1,
            rows,
            data,
        });
        self.received += rows as u64;
        Ok(())
    }

    fn write_spilled(&mut self, batch: &RecordBatch) -> OdbcResult<Data> {
        let mut bytes = vec![];
        {
            let mut w = StreamWriter::try_new(&mut bytes, &batch.schema()).map_err(spill_error)?;
            w.write(batch).map_err(spill_error)?;
            w.finish().map_err(spill_error)?;
        }
        if self.spill.is_none() {
            self.spill = Some(tempfile::tempfile().map_err(spill_error)?);
        }
        let file = self.spill.as_mut().expect("created above");
        file.seek(SeekFrom::Start(self.spill_end))
            .map_err(spill_error)?;
        file.write_all(&bytes).map_err(spill_error)?;
        let offset = self.spill_end;
        self.spill_end += bytes.len() as u64;
        Ok(Data::Spilled {
            offset,
            len: bytes.len(),
        })
    }

    /// The batch holding row `row` and the row's index in it; `None` when the row was not
    /// received or was released.
    pub fn get(&mut self, row: u64) -> OdbcResult<Option<(Arc<Rows>, usize)>> {
        let at = self
            .slots
            .partition_point(|s| s.first + s.rows as u64 <= row);
        let Some(slot) = self.slots.get(at).filter(|s| s.first <= row) else {
            return Ok(None);
        };
        let index = (row - slot.first) as usize;
        let batch = match &slot.data {
            Data::Memory(b) => b.clone(),
            Data::Spilled { offset, len } => match &self.loaded {
                Some((first, b)) if *first == slot.first => b.clone(),
                _ => {
                    let (first, offset, len) = (slot.first, *offset, *len);
                    let b = Arc::new(Rows::new(self.read_spilled(offset, len)?));
                    self.loaded = Some((first, b.clone()));
                    b
                }
            },
        };
        Ok(Some((batch, index)))
    }

    fn read_spilled(&mut self, offset: u64, len: usize) -> OdbcResult<RecordBatch> {
        let file = self.spill.as_mut().expect("a spilled batch has a file");
        let mut bytes = vec![0; len];
        file.seek(SeekFrom::Start(offset)).map_err(spill_error)?;
        file.read_exact(&mut bytes).map_err(spill_error)?;
        StreamReader::try_new(std::io::Cursor::new(bytes), None)
            .map_err(spill_error)?
            .next()
            .ok_or_else(|| spill_error("a batch is missing"))?
            .map_err(spill_error)
    }

    /// Drops the batches whose rows all come before `row` (a forward-only cursor never
    /// returns to them).
    pub fn release_before(&mut self, row: u64) {
        while let Some(s) = self.slots.front() {
            if s.first + s.rows as u64 > row {
                break;
            }
            if let Data::Memory(b) = &s.data {
                self.memory -= b.batch().get_array_memory_size();
            }
            self.slots.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::Cell;
    use pipedrive_engine::arrow::array::{Int64Array, StringArray};
    use pipedrive_engine::arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;

    fn batch(from: i64, n: i64) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, false),
            Field::new("name", DataType::Utf8, true),
        ]));
        let ids: Vec<i64> = (from..from + n).collect();
        let names: Vec<Option<String>> = ids
            .iter()
            .map(|i| (i % 3 != 0).then(|| format!("名前 {i}")))
            .collect();
        RecordBatch::try_new(
            schema,
            vec![
                Arc::new(Int64Array::from(ids)),
                Arc::new(StringArray::from(names)),
            ],
        )
        .unwrap()
    }

    fn id_at(store: &mut RowStore, row: u64) -> Option<i64> {
        store.get(row).unwrap().map(|(b, i)| match b.cell(0, i) {
            Cell::Int(id) => id,
            other => panic!("not an id: {other:?}"),
        })
    }

    #[test]
    fn rows_are_found_in_memory_and_in_the_spill_file() {
        for budget in [MEMORY_BUDGET, 1] {
            let mut store = RowStore::new(budget);
            store.push(batch(1, 10)).unwrap();
            store.push(batch(11, 0)).unwrap();
            store.push(batch(11, 5)).unwrap();
            store.push(batch(16, 7)).unwrap();
            assert_eq!(store.received(), 22);
            assert_eq!(store.spilled(), budget == 1, "budget {budget}");
            // back and forth across batches, spilled or not
            for row in [22, 1, 10, 11, 15, 16, 3, 22, 12] {
                assert_eq!(id_at(&mut store, row), Some(row as i64), "row {row}");
            }
            assert_eq!(id_at(&mut store, 0), None);
            assert_eq!(id_at(&mut store, 23), None);
            // text and NULLs survive the round trip through the file
            let (b, i) = store.get(20).unwrap().unwrap();
            assert_eq!(b.cell(1, i), Cell::Text("名前 20".into()));
            let (b, i) = store.get(18).unwrap().unwrap();
            assert_eq!(b.cell(1, i), Cell::Null);
        }
    }

    #[test]
    fn released_rows_are_gone_and_the_rest_stay() {
        let mut store = RowStore::new(MEMORY_BUDGET);
        store.push(batch(1, 10)).unwrap();
        store.push(batch(11, 10)).unwrap();
        store.release_before(15);
        assert_eq!(id_at(&mut store, 5), None);
        assert_eq!(id_at(&mut store, 11), Some(11));
        store.release_before(21);
        assert_eq!(id_at(&mut store, 20), None);
        assert_eq!(store.memory, 0);
        assert_eq!(store.received(), 20);
    }
}
