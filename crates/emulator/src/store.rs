//! The in-memory account: one collection of rows per entity plus the field definitions.
//!
//! A row keeps its record as ready-to-send JSON text and, beside it, the few attributes that
//! filters, sorting and relations read. Serving a page is then concatenating text.

use crate::custom_fields::FieldDef;
use crate::entities::{AttrKind, EntitySpec, IdKind, ENTITIES};
use crate::timefmt;
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// An indexed attribute value, ordered nulls first, then booleans, numbers, text and lists.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Str(Box<str>),
    Ints(Box<[i64]>),
}

impl Scalar {
    pub fn read(value: Option<&Value>, kind: AttrKind) -> Scalar {
        let Some(v) = value else { return Scalar::Null };
        match (kind, v) {
            (_, Value::Null) => Scalar::Null,
            (AttrKind::Int, Value::Number(n)) => {
                n.as_i64().map(Scalar::Int).unwrap_or(Scalar::Null)
            }
            (AttrKind::Int, Value::Object(o)) => {
                // v1 relation objects carry the id in `value`
                Scalar::read(o.get("value").or_else(|| o.get("id")), kind)
            }
            (AttrKind::Str, Value::String(s)) => Scalar::Str(s.as_str().into()),
            (AttrKind::Bool, Value::Bool(b)) => Scalar::Bool(*b),
            (AttrKind::Time, Value::String(s)) => {
                timefmt::parse(s).map(Scalar::Int).unwrap_or(Scalar::Null)
            }
            (AttrKind::Ints, Value::Array(a)) => {
                Scalar::Ints(a.iter().filter_map(Value::as_i64).collect())
            }
            _ => Scalar::Null,
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Int(i) => Value::from(*i),
            Scalar::Str(s) => Value::from(s.as_ref()),
            Scalar::Ints(v) => Value::from(v.to_vec()),
        }
    }

    pub fn from_json(v: &Value) -> Scalar {
        match v {
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => n.as_i64().map(Scalar::Int).unwrap_or(Scalar::Null),
            Value::String(s) => Scalar::Str(s.as_str().into()),
            _ => Scalar::Null,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Scalar::Int(i) => Some(*i),
            _ => None,
        }
    }
}

/// Where an attribute sits in a row, resolved once per request rather than once per row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    Id,
    Attr(usize),
    Missing,
}

impl Slot {
    pub fn of(spec: &EntitySpec, name: &str) -> Slot {
        if name == "id" {
            return Slot::Id;
        }
        spec.attr_index(name)
            .map(Slot::Attr)
            .unwrap_or(Slot::Missing)
    }
}

#[derive(Clone, Debug)]
pub struct Row {
    pub seq: u64,
    pub id: Scalar,
    pub attrs: Box<[Scalar]>,
    pub json: Box<str>,
}

impl Row {
    pub fn attr(&self, spec: &EntitySpec, name: &str) -> Scalar {
        self.attr_ref(spec, name).clone()
    }
    /// The indexed attribute without copying it (`Null` when the entity does not index it).
    pub fn attr_ref(&self, spec: &EntitySpec, name: &str) -> &Scalar {
        self.at(Slot::of(spec, name))
    }
    /// The attribute at a position resolved once with [`Slot::of`].
    pub fn at(&self, slot: Slot) -> &Scalar {
        static NULL: Scalar = Scalar::Null;
        match slot {
            Slot::Id => &self.id,
            Slot::Attr(i) => &self.attrs[i],
            Slot::Missing => &NULL,
        }
    }
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.json).unwrap_or(Value::Null)
    }
    pub fn id_text(&self) -> String {
        match &self.id {
            Scalar::Int(i) => i.to_string(),
            Scalar::Str(s) => s.to_string(),
            other => format!("{other:?}"),
        }
    }
}

pub struct Collection {
    pub spec: &'static EntitySpec,
    rows: BTreeMap<u64, Row>,
    by_id: HashMap<Box<str>, u64>,
    next_seq: u64,
    /// Rows ordered by an attribute (then row order), built on first use, dropped on writes.
    orders: Mutex<HashMap<Slot, Arc<Vec<(Scalar, u64)>>>>,
}

impl Collection {
    fn new(spec: &'static EntitySpec) -> Self {
        Collection {
            spec,
            rows: BTreeMap::new(),
            by_id: HashMap::new(),
            next_seq: 1,
            orders: Mutex::default(),
        }
    }

    /// `(value, seq)` of every row, ascending by the attribute at `slot`, then by row order.
    pub fn ordered_by(&self, slot: Slot) -> Arc<Vec<(Scalar, u64)>> {
        let mut orders = self.orders.lock().unwrap_or_else(|e| e.into_inner());
        orders
            .entry(slot)
            .or_insert_with(|| {
                let mut keys: Vec<(Scalar, u64)> = self
                    .rows
                    .values()
                    .map(|r| (r.at(slot).clone(), r.seq))
                    .collect();
                keys.sort_unstable();
                Arc::new(keys)
            })
            .clone()
    }

    pub fn by_seq(&self, seq: u64) -> Option<&Row> {
        self.rows.get(&seq)
    }

    fn changed(&mut self) {
        self.orders
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The id a new integer-keyed row gets.
    pub fn next_int_id(&self) -> i64 {
        self.next_seq as i64
    }

    fn make_row(&self, seq: u64, record: &Map<String, Value>) -> Row {
        let spec = self.spec;
        let id_kind = spec.attr_kind("id").unwrap_or(AttrKind::Int);
        Row {
            seq,
            id: Scalar::read(record.get("id"), id_kind),
            attrs: spec
                .attrs
                .iter()
                .map(|a| Scalar::read(record.get(a.0), a.1))
                .collect(),
            json: serde_json::to_string(record)
                .unwrap_or_default()
                .into_boxed_str(),
        }
    }

    /// Adds a record; integer ids must be fresh and ascending (they are the row order).
    pub fn insert(&mut self, record: Map<String, Value>) -> Row {
        self.changed();
        let seq = match self.spec.id {
            IdKind::Int => record
                .get("id")
                .and_then(Value::as_i64)
                .unwrap_or(self.next_seq as i64) as u64,
            IdKind::Uuid => self.next_seq,
        };
        self.next_seq = self.next_seq.max(seq + 1);
        let row = self.make_row(seq, &record);
        self.by_id.insert(row.id_text().into(), seq);
        self.rows.insert(seq, row.clone());
        row
    }

    pub fn get(&self, id: &str) -> Option<&Row> {
        self.by_id.get(id).and_then(|seq| self.rows.get(seq))
    }

    /// Replaces the record of an existing row, keeping its place.
    pub fn replace(&mut self, id: &str, record: Map<String, Value>) -> Option<Row> {
        self.changed();
        let seq = *self.by_id.get(id)?;
        let row = self.make_row(seq, &record);
        self.rows.insert(seq, row.clone());
        Some(row)
    }

    pub fn remove(&mut self, id: &str) -> Option<Row> {
        self.changed();
        let seq = self.by_id.remove(id)?;
        self.rows.remove(&seq)
    }

    pub fn rows(&self) -> impl DoubleEndedIterator<Item = &Row> {
        self.rows.values()
    }

    /// Rows in id order starting after `seq` (exclusive).
    pub fn rows_after(&self, seq: u64) -> impl Iterator<Item = &Row> {
        self.rows.range(seq + 1..).map(|(_, r)| r)
    }

    /// Rows in descending id order before `seq` (exclusive).
    pub fn rows_before(&self, seq: u64) -> impl Iterator<Item = &Row> {
        self.rows.range(..seq).rev().map(|(_, r)| r)
    }
}

pub struct Store {
    collections: HashMap<&'static str, Collection>,
    /// Field definitions per `*Fields` collection (`dealFields` -> [...]).
    pub fields: HashMap<&'static str, Vec<FieldDef>>,
    next_option_id: i64,
    pub lead_sources: Vec<&'static str>,
    /// Uploaded files' bytes by file id.
    pub file_bytes: HashMap<i64, Vec<u8>>,
    /// Lead/deal conversion jobs by conversion id.
    pub conversions: HashMap<String, serde_json::Value>,
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

impl Store {
    pub fn new() -> Self {
        Store {
            collections: ENTITIES
                .iter()
                .map(|e| (e.name, Collection::new(e)))
                .collect(),
            fields: HashMap::new(),
            next_option_id: 1,
            lead_sources: Vec::new(),
            file_bytes: HashMap::new(),
            conversions: HashMap::new(),
        }
    }

    pub fn collection(&self, name: &str) -> &Collection {
        self.collections
            .get(name)
            .unwrap_or_else(|| panic!("no collection {name}"))
    }

    pub fn collection_mut(&mut self, name: &str) -> &mut Collection {
        self.collections
            .get_mut(name)
            .unwrap_or_else(|| panic!("no collection {name}"))
    }

    pub fn insert(&mut self, name: &str, record: Value) -> Row {
        let Value::Object(map) = record else {
            panic!("record of {name} is not an object")
        };
        self.collection_mut(name).insert(map)
    }

    pub fn count(&self, name: &str) -> usize {
        self.collection(name).len()
    }

    /// The custom field definitions carried by an entity (empty when it has none).
    pub fn custom_fields_of(&self, spec: &EntitySpec) -> impl Iterator<Item = &FieldDef> {
        spec.custom_fields
            .and_then(|owner| self.fields.get(owner))
            .into_iter()
            .flatten()
            .filter(|f| f.is_custom)
    }

    /// A new option of an enum or set field, with an id unique in the account.
    pub fn new_option(&mut self, label: impl Into<String>) -> crate::custom_fields::FieldOption {
        let id = self.next_option_id;
        self.next_option_id += 1;
        crate::custom_fields::FieldOption {
            id,
            label: label.into(),
        }
    }

    pub fn exists(&self, name: &str, id: i64) -> bool {
        self.collection(name).get(&id.to_string()).is_some()
    }
}

/// Compares two rows by one attribute, then by row order, in the given direction.
pub fn compare_rows(slot: Slot, desc: bool, a: &Row, b: &Row) -> Ordering {
    let ord = a.at(slot).cmp(b.at(slot)).then(a.seq.cmp(&b.seq));
    if desc {
        ord.reverse()
    } else {
        ord
    }
}
