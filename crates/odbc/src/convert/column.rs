//! Result columns resolved to their Arrow type once per batch, so reading a cell (every
//! SQLGetData, every bound column of every row) is one match and a direct read, with no
//! dynamic dispatch or downcast per value.

use super::cell::{date_of_days, time_of_day, timestamp_of_nanos, Cell};
use pipedrive_engine::arrow::array::*;
use pipedrive_engine::arrow::record_batch::RecordBatch;
use pipedrive_engine::arrow::util::display::{ArrayFormatter, FormatOptions};
use std::borrow::Cow;

/// A batch of result rows with its columns resolved for reading.
pub struct Rows {
    batch: RecordBatch,
    columns: Vec<Column>,
}

impl Rows {
    pub fn new(batch: RecordBatch) -> Rows {
        let columns = batch.columns().iter().map(Column::new).collect();
        Rows { batch, columns }
    }

    pub fn batch(&self) -> &RecordBatch {
        &self.batch
    }

    pub fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    pub fn num_columns(&self) -> usize {
        self.columns.len()
    }

    /// The value of column `column` (from 0) at `row`.
    pub fn cell(&self, column: usize, row: usize) -> Cell<'_> {
        self.columns[column].cell(row)
    }
}

/// Declares [`Column`]: a variant per Arrow array type read directly, each with how its value
/// becomes a [`Cell`] (`array` and `value` name the array and the row's value).
macro_rules! columns {
    ($($variant:ident($array:ty) => |$a:ident, $v:ident| $cell:expr,)*) => {
        /// One result column, by its concrete array type; anything else (intervals, lists,
        /// structs) is shown as Arrow formats it.
        pub enum Column {
            $($variant($array),)*
            Other(ArrayRef),
        }

        impl Column {
            pub fn new(array: &ArrayRef) -> Column {
                let any = array.as_any();
                $(
                    if let Some(a) = any.downcast_ref::<$array>() {
                        return Column::$variant(a.clone());
                    }
                )*
                Column::Other(array.clone())
            }

            /// The value at `row`.
            pub fn cell(&self, row: usize) -> Cell<'_> {
                match self {
                    $(
                        Column::$variant($a) => {
                            if $a.is_null(row) {
                                return Cell::Null;
                            }
                            let $v = $a.value(row);
                            $cell
                        }
                    )*
                    Column::Other(array) => formatted(array.as_ref(), row),
                }
            }
        }
    };
}

columns! {
    Int64(Int64Array) => |_a, v| Cell::Int(v),
    Int32(Int32Array) => |_a, v| Cell::Int(v.into()),
    Int16(Int16Array) => |_a, v| Cell::Int(v.into()),
    Int8(Int8Array) => |_a, v| Cell::Int(v.into()),
    UInt64(UInt64Array) => |_a, v| Cell::UInt(v),
    UInt32(UInt32Array) => |_a, v| Cell::UInt(v.into()),
    UInt16(UInt16Array) => |_a, v| Cell::UInt(v.into()),
    UInt8(UInt8Array) => |_a, v| Cell::UInt(v.into()),
    Float64(Float64Array) => |_a, v| Cell::Float(v),
    Float32(Float32Array) => |_a, v| Cell::Float(v.into()),
    Boolean(BooleanArray) => |_a, v| Cell::Bool(v),
    Utf8(StringArray) => |_a, v| Cell::Text(Cow::Borrowed(v)),
    LargeUtf8(LargeStringArray) => |_a, v| Cell::Text(Cow::Borrowed(v)),
    Utf8View(StringViewArray) => |_a, v| Cell::Text(Cow::Borrowed(v)),
    Binary(BinaryArray) => |_a, v| Cell::Bytes(v),
    LargeBinary(LargeBinaryArray) => |_a, v| Cell::Bytes(v),
    BinaryView(BinaryViewArray) => |_a, v| Cell::Bytes(v),
    Date32(Date32Array) => |_a, v| Cell::Date(date_of_days(v)),
    TimeMicros(Time64MicrosecondArray) => |_a, v| Cell::Time(time_of_day(v * 1_000)),
    TimeNanos(Time64NanosecondArray) => |_a, v| Cell::Time(time_of_day(v)),
    Seconds(TimestampSecondArray) => |_a, v| timestamp_of_nanos(i128::from(v) * 1_000_000_000),
    Millis(TimestampMillisecondArray) => |_a, v| timestamp_of_nanos(i128::from(v) * 1_000_000),
    Micros(TimestampMicrosecondArray) => |_a, v| timestamp_of_nanos(i128::from(v) * 1_000),
    Nanos(TimestampNanosecondArray) => |_a, v| timestamp_of_nanos(v.into()),
    Decimal(Decimal128Array) => |a, v| Cell::Decimal(v, a.scale()),
}

/// A value of a type without its own variant, as the text Arrow gives it.
fn formatted(array: &dyn Array, row: usize) -> Cell<'_> {
    if array.is_null(row) {
        return Cell::Null;
    }
    match ArrayFormatter::try_new(array, &FormatOptions::default()) {
        Ok(f) => Cell::Text(Cow::Owned(f.value(row).to_string())),
        Err(_) => Cell::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pipedrive_engine::arrow::datatypes::Int32Type;
    use std::sync::Arc;

    fn at(array: impl Array + 'static, row: usize) -> String {
        let array: ArrayRef = Arc::new(array);
        match Column::new(&array).cell(row) {
            Cell::Null => "NULL".into(),
            c => c.to_text().into_owned(),
        }
    }

    #[test]
    fn each_array_type_is_read_as_its_cell() {
        let list =
            ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(1), Some(2)])]);
        let decimal = || Decimal128Array::from(vec![Some(-1205), None]);
        #[rustfmt::skip]
        let cases: Vec<(String, &str)> = vec![
            (at(Int64Array::from(vec![Some(-7), None]), 0), "-7"),
            (at(Int64Array::from(vec![Some(-7), None]), 1), "NULL"),
            (at(Int32Array::from(vec![i32::MIN]), 0), "-2147483648"),
            (at(Int16Array::from(vec![-3i16]), 0), "-3"),
            (at(Int8Array::from(vec![-4i8]), 0), "-4"),
            (at(UInt64Array::from(vec![u64::MAX]), 0), "18446744073709551615"),
            (at(UInt32Array::from(vec![7u32]), 0), "7"),
            (at(UInt16Array::from(vec![8u16]), 0), "8"),
            (at(UInt8Array::from(vec![9u8]), 0), "9"),
            (at(Float64Array::from(vec![1500.0]), 0), "1500"),
            (at(Float32Array::from(vec![0.25f32]), 0), "0.25"),
            (at(BooleanArray::from(vec![true]), 0), "1"),
            (at(StringArray::from(vec![Some("é"), None]), 0), "é"),
            (at(StringArray::from(vec![Some("é"), None]), 1), "NULL"),
            (at(LargeStringArray::from(vec!["large"]), 0), "large"),
            (at(StringViewArray::from(vec!["a view longer than twelve bytes"]), 0),
                "a view longer than twelve bytes"),
            (at(BinaryArray::from(vec![&b"\x01\xAB"[..]]), 0), "01AB"),
            (at(LargeBinaryArray::from(vec![&b"\xFF"[..]]), 0), "FF"),
            (at(BinaryViewArray::from(vec![&b"\x00"[..]]), 0), "00"),
            (at(Date32Array::from(vec![19_000, -1]), 0), "2022-01-08"),
            (at(Date32Array::from(vec![19_000, -1]), 1), "1969-12-31"),
            (at(Time64MicrosecondArray::from(vec![(13 * 3600 + 5 * 60 + 7) * 1_000_000]), 0),
                "13:05:07"),
            (at(Time64NanosecondArray::from(vec![1_500_000_000]), 0), "00:00:01"),
            (at(TimestampSecondArray::from(vec![1_700_000_000]), 0), "2023-11-14 22:13:20"),
            (at(TimestampMillisecondArray::from(vec![-1]), 0), "1969-12-31 23:59:59.999"),
            (at(TimestampMicrosecondArray::from(vec![1_700_000_000_123_456]), 0),
                "2023-11-14 22:13:20.123456"),
            (at(TimestampNanosecondArray::from(vec![1]), 0), "1970-01-01 00:00:00.000000001"),
            (at(decimal().with_precision_and_scale(10, 3).unwrap(), 0), "-1.205"),
            (at(decimal().with_precision_and_scale(10, 3).unwrap(), 1), "NULL"),
            (at(decimal().with_precision_and_scale(10, -2).unwrap(), 0), "-120500"),
            (at(list.clone(), 0), "[1, 2]"),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
        let list: ArrayRef = Arc::new(list);
        assert!(matches!(Column::new(&list), Column::Other(_)));
    }

    #[test]
    fn rows_read_each_column_of_their_batch() {
        let batch = RecordBatch::try_from_iter(vec![
            ("id", Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef),
            (
                "name",
                Arc::new(StringArray::from(vec![None, Some("b")])) as ArrayRef,
            ),
        ])
        .unwrap();
        let rows = Rows::new(batch);
        assert_eq!((rows.num_rows(), rows.num_columns()), (2, 2));
        assert_eq!(rows.cell(0, 1), Cell::Int(2));
        assert_eq!(rows.cell(1, 0), Cell::Null);
        assert_eq!(rows.cell(1, 1), Cell::Text(Cow::Borrowed("b")));
    }
}
