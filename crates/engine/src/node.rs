//! A JSON value as the conversion to Arrow reads it: decoded ([`Value`]) or still borrowing from
//! the answer it came in ([`Json`]), so that one conversion serves records of both kinds.

use pipedrive_api::Json;
use serde_json::{Number, Value};
use std::fmt::Display;

/// What a value is, with its scalar.
pub enum Kind<'a> {
    Null,
    Bool(bool),
    Number(&'a Number),
    Text(&'a str),
    Array,
    Object,
}

/// A JSON value read in place; shown as compact JSON.
pub trait Node<'a>: Copy + Display {
    fn kind(self) -> Kind<'a>;
    /// The value under `key` of an object.
    fn get(self, key: &str) -> Option<Self>;
    /// The items of an array (none for anything else).
    fn items(self) -> impl Iterator<Item = Self>;
    /// The entries of an object in their order (none for anything else).
    fn entries(self) -> impl Iterator<Item = (&'a str, Self)>;
}

impl<'a> Node<'a> for &'a Value {
    fn kind(self) -> Kind<'a> {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(b) => Kind::Bool(*b),
            Value::Number(n) => Kind::Number(n),
            Value::String(s) => Kind::Text(s),
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }
    fn get(self, key: &str) -> Option<Self> {
        Value::get(self, key)
    }
    fn items(self) -> impl Iterator<Item = Self> {
        self.as_array().into_iter().flatten()
    }
    fn entries(self) -> impl Iterator<Item = (&'a str, Self)> {
        let entries = self.as_object().into_iter().flatten();
        entries.map(|(k, v)| (k.as_str(), v))
    }
}

impl<'a, 't: 'a> Node<'a> for &'a Json<'t> {
    fn kind(self) -> Kind<'a> {
        match self {
            Json::Null => Kind::Null,
            Json::Bool(b) => Kind::Bool(*b),
            Json::Number(n) => Kind::Number(n),
            Json::String(s) => Kind::Text(s),
            Json::Array(_) => Kind::Array,
            Json::Object(_) => Kind::Object,
        }
    }
    fn get(self, key: &str) -> Option<Self> {
        Json::get(self, key)
    }
    fn items(self) -> impl Iterator<Item = Self> {
        let items = match self {
            Json::Array(items) => Some(items),
            _ => None,
        };
        items.into_iter().flatten()
    }
    fn entries(self) -> impl Iterator<Item = (&'a str, Self)> {
        let entries = match self {
            Json::Object(entries) => Some(entries),
            _ => None,
        };
        entries.into_iter().flatten().map(|(k, v)| (k.as_ref(), v))
    }
}
