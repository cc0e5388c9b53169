//! A list page's answer decoded with only the row keys its reader uses: the other keys of each
//! row under `data` are skipped as they are read, never built. A `COUNT(*)` over deals keeps
//! the two keys the walk itself needs of rows that have some hundred, so its pages take a
//! fraction of the memory and of the time to decode.
//!
//! A page can also be read in outline first ([`outline`]): each row's id and update time and
//! the answer's `additional_data`, all a walk needs to send its next request, without building
//! the rows; whoever reads the rows decodes them later, off the walk's path. A walk's last page
//! in its order needs no outline at all when its text says so at its end ([`ends_the_list`]).

use crate::json::{Json, JsonVisitor, Text};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;

/// The scalar `visit_*` methods of a visitor producing a [`Json`]: a scalar is itself.
macro_rules! forward_scalars {
    () => {
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Json<'de>, E> {
            JsonVisitor.visit_bool(v)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Json<'de>, E> {
            JsonVisitor.visit_i64(v)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Json<'de>, E> {
            JsonVisitor.visit_u64(v)
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Json<'de>, E> {
            JsonVisitor.visit_f64(v)
        }
        fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Json<'de>, E> {
            JsonVisitor.visit_borrowed_str(v)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Json<'de>, E> {
            JsonVisitor.visit_str(v)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Json<'de>, E> {
            JsonVisitor.visit_unit()
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Json<'de>, E> {
            JsonVisitor.visit_none()
        }
    };
}

/// The answer `text` as JSON borrowing from it, whose `data` rows (the objects of a `data`
/// array) hold only the keys in `keep` (all without it); everything else (`additional_data`, a
/// `data` that is not a list) is decoded whole.
pub(crate) fn decode<'t>(
    text: &'t str,
    keep: Option<&BTreeSet<String>>,
) -> serde_json::Result<Json<'t>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let body = Body(keep).deserialize(&mut de)?;
    de.end()?;
    Ok(body)
}

/// The scalar `visit_*` methods of a visitor that skips scalars, answering `$none`.
macro_rules! skip_scalars {
    ($ty:ty, $none:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<$ty, E> {
            Ok($none)
        }
        fn visit_i64<E>(self, _: i64) -> Result<$ty, E> {
            Ok($none)
        }
        fn visit_u64<E>(self, _: u64) -> Result<$ty, E> {
            Ok($none)
        }
        fn visit_f64<E>(self, _: f64) -> Result<$ty, E> {
            Ok($none)
        }
        fn visit_str<E>(self, _: &str) -> Result<$ty, E> {
            Ok($none)
        }
        fn visit_unit<E>(self) -> Result<$ty, E> {
            Ok($none)
        }
    };
}

/// Seeds that read any JSON value with their own visitor.
macro_rules! seeds_visiting_any {
    ($($seed:ident),*) => {$(
        impl<'de> DeserializeSeed<'de> for $seed<'_> {
            type Value = Json<'de>;
            fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Json<'de>, D::Error> {
                de.deserialize_any(self)
            }
        }
    )*};
}

seeds_visiting_any!(Body, Data);

/// The keys of each row to keep (`None`: all).
type Keep<'k> = Option<&'k BTreeSet<String>>;

/// The whole answer: `data` read through [`Data`], the rest as it is.
struct Body<'k>(Keep<'k>);

impl<'de> Visitor<'de> for Body<'_> {
    type Value = Json<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an API answer")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut out = Vec::new();
        while let Some(Text(key)) = map.next_key()? {
            let value = match key.as_ref() {
                "data" => map.next_value_seed(Data(self.0))?,
                _ => map.next_value_seed(JsonVisitor)?,
            };
            out.push((key, value));
        }
        Ok(Json::Object(out))
    }
    // an answer that is not an object is kept whole; the caller says what is wrong with it
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Json<'de>, A::Error> {
        JsonVisitor.visit_seq(seq)
    }
    forward_scalars!();
}

/// `data`: a list's rows each through [`Row`]; anything else whole.
struct Data<'k>(Keep<'k>);

impl<'de> Visitor<'de> for Data<'_> {
    type Value = Json<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list's data")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        let mut seen = Seen::default();
        while let Some(row) = seq.next_element_seed(Row {
            keep: self.0,
            seen: &mut seen,
        })? {
            rows.push(row);
        }
        Ok(Json::Array(rows))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Json<'de>, A::Error> {
        JsonVisitor.visit_map(map)
    }
    forward_scalars!();
}

/// One row: an object keeps the keys asked for; anything else is kept whole.
struct Row<'k, 's> {
    keep: Keep<'k>,
    seen: &'s mut Seen,
}

impl<'de> DeserializeSeed<'de> for Row<'_, '_> {
    type Value = Json<'de>;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Json<'de>, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Row<'_, '_> {
    type Value = Json<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let Some(keep) = self.keep else {
            return JsonVisitor.visit_map(map);
        };
        let mut out = Vec::with_capacity(keep.len());
        let mut at = 0;
        while let Some(Text(key)) = map.next_key()? {
            if self.seen.kept(at, &key, keep) {
                let value = map.next_value_seed(JsonVisitor)?;
                out.push((key, value));
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            at += 1;
        }
        Ok(Json::Object(out))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Json<'de>, A::Error> {
        JsonVisitor.visit_seq(seq)
    }
    forward_scalars!();
}

/// Whether the key at each place of the rows before was kept. The rows of a page list their
/// keys in the same order, so a key is looked up in the set once per place it shows in, then
/// recognised by one comparison with the key that was there.
#[derive(Default)]
struct Seen(Vec<Option<(String, bool)>>);

impl Seen {
    fn kept(&mut self, at: usize, key: &str, keep: &BTreeSet<String>) -> bool {
        if let Some(Some((was, kept))) = self.0.get(at) {
            if was == key {
                return *kept;
            }
        }
        let kept = keep.contains(key);
        if self.0.len() <= at {
            self.0.resize(at + 1, None);
        }
        self.0[at] = Some((key.to_string(), kept));
        kept
    }
}

/// What a walk needs of a list page: each row's id and update time (in the rows' order; `None`
/// for a row without a whole-number id, or without a time as text), the answer's
/// `additional_data`, and what `data` is when it is no list.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Outline {
    pub(crate) ids: Vec<Option<i64>>,
    pub(crate) times: Vec<Option<String>>,
    pub(crate) additional: Value,
    /// `data` was a value of this kind, not a list (none or null is no rows).
    pub(crate) not_a_list: Option<&'static str>,
}

/// The outline of the answer `text`, reading the rows' `id` and `time_field` only; the rest
/// of each row is checked as JSON and skipped.
pub(crate) fn outline(text: &str, time_field: &str) -> serde_json::Result<Outline> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut out = Outline::default();
    de.deserialize_any(OutlineBody {
        out: &mut out,
        time_field,
    })?;
    de.end()?;
    Ok(out)
}

/// The text that ends an answer whose `additional_data` holds only `next_cursor: null`, as
/// the API writes it: a member of the answer's own object (the quote after the comma cannot be
/// inside a string, where quotes are escaped, and the two braces close that member's object and
/// the answer's), so no page follows.
const LAST_PAGE_TAIL: &str = r#","additional_data":{"next_cursor":null}}"#;

/// Whether the answer `text` says at its end that no page follows it, read without going
/// through its rows. `false` when it says otherwise or in other words (spaces, more keys):
/// then only an outline tells. Whether the rest is JSON is left to whoever reads the rows.
pub(crate) fn ends_the_list(text: &str) -> bool {
    text.trim_end().ends_with(LAST_PAGE_TAIL)
}

/// The answer in outline: `data` through [`OutlineData`], `additional_data` kept, the rest
/// skipped; an answer that is not an object has no rows.
struct OutlineBody<'o> {
    out: &'o mut Outline,
    time_field: &'o str,
}

impl<'de> Visitor<'de> for OutlineBody<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an API answer")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "data" => map.next_value_seed(OutlineData {
                    out: &mut *self.out,
                    time_field: self.time_field,
                })?,
                "additional_data" => self.out.additional = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        IgnoredAny.visit_seq(seq).map(drop)
    }
    skip_scalars!((), ());
}

/// `data`: each row's id and time; a value that is no list is noted by its kind.
struct OutlineData<'o> {
    out: &'o mut Outline,
    time_field: &'o str,
}

impl<'de> DeserializeSeed<'de> for OutlineData<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

impl OutlineData<'_> {
    fn scalar(self) {
        self.out.not_a_list = Some("a scalar");
    }
}

impl<'de> Visitor<'de> for OutlineData<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list's data")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let time_field = self.time_field;
        while let Some((id, time)) = seq.next_element_seed(RowOutline(time_field))? {
            self.out.ids.push(id);
            self.out.times.push(time);
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.out.not_a_list = Some("an object");
        IgnoredAny.visit_map(map).map(drop)
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.out.not_a_list = Some("text");
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(self.scalar())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(self.scalar())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(self.scalar())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(self.scalar())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// One row's id and update time (as the API wrote it); both none for a row that is no object.
struct RowOutline<'f>(&'f str);

impl<'de> DeserializeSeed<'de> for RowOutline<'_> {
    type Value = (Option<i64>, Option<String>);
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RowOutline<'_> {
    type Value = (Option<i64>, Option<String>);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut id, mut time) = (None, None);
        while let Some(key) = map.next_key_seed(KeyOf(self.0))? {
            match key {
                Key::Id => id = map.next_value::<Value>()?.as_i64(),
                Key::Time => time = map.next_value::<Value>()?.as_str().map(String::from),
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((id, time))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| (None, None))
    }
    skip_scalars!(Self::Value, (None, None));
}

/// A row's key as the outline sees it, compared where it lies in the answer (never copied).
enum Key {
    Id,
    Time,
    Other,
}

struct KeyOf<'f>(&'f str);

impl<'de> DeserializeSeed<'de> for KeyOf<'_> {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Key, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyOf<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, key: &str) -> Result<Key, E> {
        Ok(match key {
            "id" => Key::Id,
            k if k == self.0 => Key::Time,
            _ => Key::Other,
        })
    }
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
        let text = answer.to_string();
        let cases: [(&[&str], Value); 3] = [
            (&["id"], json!([{"id": 1}, {"id": 2}, {}, 7, [1, 2], null])),
            (
                &["id", "custom_fields"],
                json!([{"id": 1, "custom_fields": {"k": [1, {"x": null}]}}, {"id": 2}, {}, 7, [1, 2], null]),
            ),
            (&[], json!([{}, {}, {}, 7, [1, 2], null])),
        ];
        for (keys, rows) in cases {
            let body = Value::from(decode(&text, Some(&keep(keys))).expect("decodes"));
            assert_eq!(body["data"], rows, "keeping {keys:?}");
            assert_eq!(body["additional_data"], answer["additional_data"]);
            assert_eq!(body["success"], json!(true));
        }
        // without keys to keep, rows are whole
        assert_eq!(Value::from(decode(&text, None).expect("decodes")), answer);
    }

    #[test]
    fn keys_that_change_places_between_rows_are_kept_or_skipped_by_name() {
        let text = r#"{"data": [
            {"a": 1, "b": 2, "c": 3},
            {"b": 4, "a": 5},
            {"c": 6, "a": 7, "b": 8},
            {"a": 9, "b": 10, "c": 11},
            {"a\u0062": 12, "b": 13}
        ]}"#;
        let body = Value::from(decode(text, Some(&keep(&["b"]))).expect("decodes"));
        assert_eq!(
            body["data"],
            json!([{"b": 2}, {"b": 4}, {"b": 8}, {"b": 10}, {"b": 13}])
        );
        let body = Value::from(decode(text, Some(&keep(&["a", "ab"]))).expect("decodes"));
        assert_eq!(
            body["data"],
            json!([{"a": 1}, {"a": 5}, {"a": 7}, {"a": 9}, {"ab": 12}])
        );
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
            let body = Value::from(decode(text, Some(&keep(&["id"]))).expect(text));
            assert_eq!(body.get("data").cloned(), data, "{text}");
        }
        for broken in [
            r#"{"data": [{"id": 1"#,
            r#"{"data": []} trailing"#,
            "",
            "[1, 2",
        ] {
            assert!(decode(broken, Some(&keep(&["id"]))).is_err(), "{broken}");
        }
        // an answer that is not an object decodes whole: the caller names what is wrong
        let whole = decode("[1, 2]", Some(&keep(&["id"]))).unwrap();
        assert_eq!(Value::from(whole), json!([1, 2]));
    }

    #[test]
    fn an_outline_reads_ids_times_and_additional_data_and_skips_the_rest() {
        let cases: [(&str, Outline); 6] = [
            (
                r#"{"success": true, "data": [
                    {"id": 3, "title": "a", "update_time": "2026-01-02T03:04:05Z", "x": [1, {"id": 9}]},
                    {"title": "no id", "update_time": null},
                    7,
                    {"id": "text", "update_time": "2026-01-03T00:00:00Z"},
                    {"update_time": "2026-01-04T00:00:00Z", "id": 5}
                ], "additional_data": {"next_cursor": "c2"}}"#,
                Outline {
                    ids: vec![Some(3), None, None, None, Some(5)],
                    times: vec![
                        Some("2026-01-02T03:04:05Z".into()),
                        None,
                        None,
                        Some("2026-01-03T00:00:00Z".into()),
                        Some("2026-01-04T00:00:00Z".into()),
                    ],
                    additional: json!({"next_cursor": "c2"}),
                    not_a_list: None,
                },
            ),
            (
                r#"{"data": [{"id": 1}, {"id": 2, "update_time": "t"}]}"#,
                Outline {
                    ids: vec![Some(1), Some(2)],
                    times: vec![None, Some("t".into())],
                    ..Outline::default()
                },
            ),
            (
                r#"{"data": null, "additional_data": null}"#,
                Outline::default(),
            ),
            (
                r#"{"data": {"id": 1}}"#,
                Outline {
                    not_a_list: Some("an object"),
                    ..Outline::default()
                },
            ),
            (
                r#"{"data": "text"}"#,
                Outline {
                    not_a_list: Some("text"),
                    ..Outline::default()
                },
            ),
            (r#"[{"id": 1}]"#, Outline::default()),
        ];
        for (text, expected) in cases {
            let outline = outline(text, "update_time").expect(text);
            assert_eq!(outline, expected, "{text}");
        }
        for broken in [r#"{"data": [{"id": 1"#, r#"{"data": []} trailing"#, "", "{"] {
            assert!(outline(broken, "update_time").is_err(), "{broken}");
        }
    }

    #[test]
    fn a_last_page_is_told_by_its_tail_only_as_the_api_writes_it() {
        // (answer, whether its tail says no page follows); the outline agrees wherever the tail
        // says so
        let cases: [(&str, bool); 9] = [
            (
                r#"{"success":true,"data":[{"id":1}],"additional_data":{"next_cursor":null}}"#,
                true,
            ),
            (
                r#"{"success":true,"data":[],"additional_data":{"next_cursor":null}}"#,
                true,
            ),
            (
                "{\"data\":[{\"id\":1}],\"additional_data\":{\"next_cursor\":null}}\n",
                true,
            ),
            (
                r#"{"success":true,"data":[{"id":1}],"additional_data":{"next_cursor":"c2"}}"#,
                false,
            ),
            // other words for the same: only an outline tells
            (
                r#"{"data":[],"additional_data": {"next_cursor": null}}"#,
                false,
            ),
            (
                r#"{"data":[],"additional_data":{"more":1,"next_cursor":null}}"#,
                false,
            ),
            // the words inside a row's text, or a nested object's, are not the answer's
            (
                r#"{"data":[{"note":"\",\"additional_data\":{\"next_cursor\":null}}"}]}"#,
                false,
            ),
            (
                r#"{"data":{"x":{"y":1,"additional_data":{"next_cursor":null}}}}"#,
                false,
            ),
            (
                r#"{"data":[],"additional_data":{"next_cursor":null}"#,
                false,
            ),
        ];
        for (text, last) in cases {
            assert_eq!(ends_the_list(text), last, "{text}");
            if last {
                let outline = outline(text, "update_time").expect(text);
                assert_eq!(outline.additional, json!({"next_cursor": null}), "{text}");
            }
        }
    }
}
