//! What the engine's fuzz targets (fuzz/) check for one input, shared with the replay test so
//! that every input a fuzzer kept is checked again by the test suite.

use pipedrive_engine::fuzzing::{front_end, page_to_batch};
use pipedrive_engine::native_sql;

/// A statement's text through the SQL front end up to its plan: an answer or an error that
/// says something, never a panic; the escapes, once expanded, expand to themselves.
pub fn sql(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(expanded) = native_sql(text) {
        let again = native_sql(&expanded)
            .unwrap_or_else(|e| panic!("{expanded:?} (from {text:?}) does not expand: {e}"));
        assert_eq!(again, expanded, "expanding {text:?} twice");
    }
    if let Err(e) = front_end(text) {
        assert!(
            !e.message.trim().is_empty(),
            "{text:?}: an error without words"
        );
    }
}

/// A page of a list: the first byte picks the table, the rest is the answer's body; custom
/// field definitions come from the body's own `fields` when it has them. Either a batch with a
/// row per record (exploded tables: per item) and a column per column of the table, or an
/// error that says something.
pub fn page(data: &[u8]) {
    let Some((&table, body)) = data.split_first() else {
        return;
    };
    let fields = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("fields")?.as_array().cloned())
        .unwrap_or_default();
    match page_to_batch(table as usize, &fields, body) {
        Ok((rows, batch)) => assert_eq!(batch.num_rows(), rows, "rows of {body:?}"),
        Err(message) => assert!(
            !message.trim().is_empty(),
            "{body:?}: an error without words"
        ),
    }
}
