//! A list page's answer decoded with only the row keys its reader uses: the other keys of each
//! row under `data` are skipped as they are read, never built. A `COUNT(*)` over deals keeps
//! the two keys the walk itself needs of rows that have some hundred, so its pages take a
//! fraction of the memory and of the time to decode.

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{
    Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::fmt;

/// The scalar `visit_*` methods of a visitor producing a [`Value`]: a scalar is itself.
macro_rules! forward_scalars {
    () => {
        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_string()))
        }
        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(Value::String(v))
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_none<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
    };
}

/// The answer `bytes` as a JSON value whose `data` rows (the objects of a `data` array) hold
/// only the keys in `keep`; everything else (`additional_data`, a `data` that is not a list)
/// is decoded whole.
pub(crate) fn decode(bytes: &[u8], keep: &BTreeSet<String>) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let body = Body(keep).deserialize(&mut de)?;
    de.end()?;
    Ok(body)
}

/// Seeds that read any JSON value with their own visitor.
macro_rules! seeds_visiting_any {
    ($($seed:ident),*) => {$(
        impl<'de> DeserializeSeed<'de> for $seed<'_> {
            type Value = Value;
            fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
                de.deserialize_any(self)
            }
        }
    )*};
}

seeds_visiting_any!(Body, Data, Row);

/// The whole answer: `data` read through [`Data`], the rest as it is.
struct Body<'k>(&'k BTreeSet<String>);

impl<'de> Visitor<'de> for Body<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an API answer")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = match key.as_str() {
                "data" => map.next_value_seed(Data(self.0))?,
                _ => map.next_value::<Value>()?,
            };
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
    // an answer that is not an object is kept whole; the caller says what is wrong with it
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        whole_seq(seq)
    }
    forward_scalars!();
}

/// `data`: a list's rows each through [`Row`]; anything else whole.
struct Data<'k>(&'k BTreeSet<String>);

impl<'de> Visitor<'de> for Data<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list's data")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(row) = seq.next_element_seed(Row(self.0))? {
            rows.push(row);
        }
        Ok(Value::Array(rows))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        whole_map(map)
    }
    forward_scalars!();
}

/// One row: an object keeps the keys asked for; anything else is kept whole.
struct Row<'k>(&'k BTreeSet<String>);

impl<'de> Visitor<'de> for Row<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if self.0.contains(&key) {
                let value = map.next_value::<Value>()?;
                out.insert(key, value);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        whole_seq(seq)
    }
    forward_scalars!();
}

/// A list or object the caller met, decoded whole as a [`Value`].
fn whole_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Value, A::Error> {
    Value::deserialize(SeqAccessDeserializer::new(seq))
}

fn whole_map<'de, A: MapAccess<'de>>(map: A) -> Result<Value, A::Error> {
    Value::deserialize(MapAccessDeserializer::new(map))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keep(keys: &[&str]) -> BTreeSet<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn rows_keep_only_the_keys_asked_for_and_the_rest_is_whole() {
        let answer = json!({
            "success": true,
            "data": [
                {"id": 1, "title": "a", "value": 1.5, "custom_fields": {"k": [1, {"x": null}]}},
                {"id": 2, "title": null, "nested": {"deep": [1, 2]}},
                {"title": "no id"},
                7,
                [1, 2],
                null
            ],
            "additional_data": {"next_cursor": "abc", "list": [{"id": 9, "title": "kept"}]}
        });
        let bytes = serde_json::to_vec(&answer).unwrap();
        let cases: [(&[&str], Value); 3] = [
            (&["id"], json!([{"id": 1}, {"id": 2}, {}, 7, [1, 2], null])),
            (
                &["id", "custom_fields"],
                json!([{"id": 1, "custom_fields": {"k": [1, {"x": null}]}}, {"id": 2}, {}, 7, [1, 2], null]),
            ),
            (&[], json!([{}, {}, {}, 7, [1, 2], null])),
        ];
        for (keys, rows) in cases {
            let body = decode(&bytes, &keep(keys)).expect("decodes");
            assert_eq!(body["data"], rows, "keeping {keys:?}");
            assert_eq!(body["additional_data"], answer["additional_data"]);
            assert_eq!(body["success"], json!(true));
        }
    }

    #[test]
    fn data_that_is_no_list_and_broken_answers() {
        let cases = [
            (
                r#"{"data": {"id": 1, "title": "x"}}"#,
                Some(json!({"id": 1, "title": "x"})),
            ),
            (r#"{"data": null}"#, Some(Value::Null)),
            (r#"{"data": "text"}"#, Some(json!("text"))),
            (r#"{"success": false}"#, None),
        ];
        for (text, data) in cases {
            let body = decode(text.as_bytes(), &keep(&["id"])).expect(text);
            assert_eq!(body.get("data").cloned(), data, "{text}");
        }
        for broken in [
            r#"{"data": [{"id": 1"#,
            r#"{"data": []} trailing"#,
            "",
            "[1, 2",
        ] {
            assert!(
                decode(broken.as_bytes(), &keep(&["id"])).is_err(),
                "{broken}"
            );
        }
        // an answer that is not an object decodes whole: the caller names what is wrong
        assert_eq!(decode(b"[1, 2]", &keep(&["id"])).unwrap(), json!([1, 2]));
    }
}
