//! A catalog result's rows: their values, the shape of their columns, and the Arrow batch they
//! make.

use pipedrive_engine::arrow::array::{ArrayRef, Int16Array, Int32Array, StringArray};
use pipedrive_engine::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use pipedrive_engine::arrow::record_batch::RecordBatch;
use pipedrive_engine::MAX_LENGTH;
use std::sync::Arc;

/// A value of a catalog result row.
#[derive(Clone, Debug)]
pub enum V {
    S(Option<String>),
    H(Option<i16>),
    I(Option<i32>),
}

pub fn s(v: impl Into<String>) -> V {
    V::S(Some(v.into()))
}
pub fn h(v: impl TryInto<i16>) -> V {
    V::H(v.try_into().ok())
}
pub fn i(v: impl TryInto<i32>) -> V {
    V::I(v.try_into().ok())
}
pub const NULL_S: V = V::S(None);
pub const NULL_H: V = V::H(None);
pub const NULL_I: V = V::I(None);

/// A result set's columns: name and type letter (`s` text, `h` SMALLINT, `i` INTEGER), and
/// whether it is never NULL.
pub type Shape = &'static [(&'static str, char, bool)];

/// The schema and the single batch of a catalog result.
pub fn result(shape: Shape, rows: Vec<Vec<V>>) -> (SchemaRef, Vec<RecordBatch>) {
    let fields: Vec<Field> = shape
        .iter()
        .map(|(name, kind, required)| {
            let ty = match kind {
                'h' => DataType::Int16,
                'i' => DataType::Int32,
                _ => DataType::Utf8,
            };
            let f = Field::new(*name, ty, !required);
            match kind {
                's' => f.with_metadata([(MAX_LENGTH.to_string(), "128".to_string())].into()),
                _ => f,
            }
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let columns: Vec<ArrayRef> = (0..shape.len())
        .map(|c| -> ArrayRef {
            match shape[c].1 {
                'h' => Arc::new(Int16Array::from_iter(rows.iter().map(|r| match &r[c] {
                    V::H(v) => *v,
                    _ => None,
                }))),
                'i' => Arc::new(Int32Array::from_iter(rows.iter().map(|r| match &r[c] {
                    V::I(v) => *v,
                    _ => None,
                }))),
                _ => Arc::new(StringArray::from_iter(rows.iter().map(|r| match &r[c] {
                    V::S(v) => v.clone(),
                    _ => None,
                }))),
            }
        })
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), columns).expect("rows match the shape");
    (schema, vec![batch])
}
