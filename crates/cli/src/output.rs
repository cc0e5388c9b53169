//! Results as a table, CSV or JSON lines; a progress line on stderr while a long scan runs.

use clap::ValueEnum;
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use pipedrive_api::budget::RateLimits;
use pipedrive_engine::arrow::array::{Array, ArrayRef, AsArray};
use pipedrive_engine::arrow::datatypes::{DataType, Float64Type, Int64Type};
use pipedrive_engine::arrow::record_batch::RecordBatch;
use pipedrive_engine::arrow::util::display::{ArrayFormatter, FormatOptions};
use pipedrive_engine::arrow::util::pretty::pretty_format_batches;
use pipedrive_engine::catalog::ColType;
use pipedrive_engine::schema::TableSchema;
use pipedrive_engine::Prepared;
use std::io::Write;
use std::time::Duration;

/// How a command prints rows (`--format`).
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

fn io(e: impl std::fmt::Display) -> String {
    format!("output: {e}")
}

pub fn text(out: &mut impl Write, text: &str) -> Result<(), String> {
    writeln!(out, "{text}").map_err(io)
}

/// Runs a prepared statement and writes its rows as they arrive (the table format waits for
/// all of them to size its columns).
pub async fn query(out: &mut impl Write, prepared: Prepared, format: Format) -> Result<(), String> {
    let schema = prepared.schema.clone();
    if prepared.is_write() && schema.fields().is_empty() {
        // INSERT, UPDATE or DELETE without RETURNING: how many rows it wrote
        let written = Prepared::write_sets(vec![prepared]).await;
        if let Some(e) = written.error {
            return Err(e.to_string());
        }
        let n = written.affected;
        return writeln!(out, "({n} row{} written)", if n == 1 { "" } else { "s" }).map_err(io);
    }
    let progress = progress_bar();
    let mut stream = prepared.execute().await.map_err(|e| e.to_string())?;
    let mut kept = vec![];
    if let Format::Csv = format {
        let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        out.write_all(&csv_lines(std::iter::once(header))?)
            .map_err(io)?;
    }
    let mut rows = 0u64;
    while let Some(batch) = stream.next().await {
        let batch = batch.map_err(|e| pipedrive_engine::EngineError::from(e).to_string())?;
        rows += batch.num_rows() as u64;
        progress.set_position(rows);
        match format {
            Format::Table => kept.push(batch),
            Format::Csv => out.write_all(&csv_batch(&batch)?).map_err(io)?,
            Format::Json => write_json(out, &batch)?,
        }
    }
    progress.finish_and_clear();
    match format {
        Format::Table => {
            let table = pretty_format_batches(&kept).map_err(io)?;
            writeln!(
                out,
                "{table}\n({rows} row{})",
                if rows == 1 { "" } else { "s" }
            )
            .map_err(io)
        }
        Format::Csv | Format::Json => out.flush().map_err(io),
    }
}

/// A row counter on stderr that shows itself only when a scan takes a while on a terminal.
fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} rows fetched ({per_sec}, {elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn formatters(batch: &RecordBatch) -> Result<Vec<ArrayFormatter<'_>>, String> {
    let options = FormatOptions::default();
    batch
        .columns()
        .iter()
        .map(|c| ArrayFormatter::try_new(c.as_ref(), &options).map_err(io))
        .collect()
}

/// Records as CSV text (quoted where needed).
fn csv_lines(records: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>, String> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    for record in records {
        csv.write_record(&record).map_err(io)?;
    }
    csv.into_inner().map_err(io)
}

/// A batch as CSV lines; NULL is an empty field.
fn csv_batch(batch: &RecordBatch) -> Result<Vec<u8>, String> {
    let cells = formatters(batch)?;
    csv_lines((0..batch.num_rows()).map(|row| {
        batch
            .columns()
            .iter()
            .zip(&cells)
            .map(|(col, f)| match col.is_null(row) {
                true => String::new(),
                false => f.value(row).to_string(),
            })
            .collect()
    }))
}

/// One JSON object per line; numbers and booleans stay typed, NULL is null.
fn write_json(out: &mut impl Write, batch: &RecordBatch) -> Result<(), String> {
    let cells = formatters(batch)?;
    let schema = batch.schema();
    for row in 0..batch.num_rows() {
        let mut object = serde_json::Map::new();
        for ((field, col), f) in schema.fields().iter().zip(batch.columns()).zip(&cells) {
            object.insert(field.name().clone(), json_value(col, f, row));
        }
        serde_json::to_writer(&mut *out, &object).map_err(io)?;
        writeln!(out).map_err(io)?;
    }
    Ok(())
}

fn json_value(col: &ArrayRef, f: &ArrayFormatter<'_>, row: usize) -> serde_json::Value {
    use serde_json::Value;
    if col.is_null(row) {
        return Value::Null;
    }
    match col.data_type() {
        DataType::Int64 => col.as_primitive::<Int64Type>().value(row).into(),
        DataType::Float64 => {
            serde_json::Number::from_f64(col.as_primitive::<Float64Type>().value(row))
                .map_or(Value::Null, Value::Number)
        }
        DataType::Boolean => col.as_boolean().value(row).into(),
        // amounts as JSON numbers, as the API gives them
        DataType::Decimal128(..) => {
            let text = f.value(row).to_string();
            text.parse::<serde_json::Number>()
                .map_or(Value::String(text), Value::Number)
        }
        _ => Value::String(f.value(row).to_string()),
    }
}

/// The API's limits, each as the API said it or that it did not.
pub fn limits(out: &mut impl Write, limits: RateLimits) -> Result<(), String> {
    let said = |value: Option<String>| value.unwrap_or_else(|| "not said by the API".into());
    print_rows(
        out,
        &["Limit", "Value"],
        vec![
            vec![
                "requests per 2 s".into(),
                said(limits.per_window.map(|n| n.to_string())),
            ],
            vec![
                "daily tokens left".into(),
                said(limits.daily_tokens_left.map(|n| n.to_string())),
            ],
        ],
    )
}

/// The cache file's tables, per account.
pub fn cache(
    out: &mut impl Write,
    location: &std::path::Path,
    integrity: &str,
    tables: &[pipedrive_cache::TableStatus],
) -> Result<(), String> {
    let time = |micros: Option<i64>| {
        micros
            .and_then(chrono::DateTime::from_timestamp_micros)
            .map_or("-".into(), |t| {
                t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
            })
    };
    writeln!(out, "{} (integrity check: {integrity})", location.display())
        .map_err(|e| e.to_string())?;
    let rows = tables
        .iter()
        .map(|t| {
            vec![
                t.account.clone(),
                t.table.clone(),
                t.rows.to_string(),
                time(t.state.watermark),
                time(Some(t.state.refreshed_at)),
                time(t.state.reconciled_at),
            ]
        })
        .collect();
    print_rows(
        out,
        &[
            "Account",
            "Table",
            "Rows",
            "Watermark",
            "LastRefresh",
            "LastReconcile",
        ],
        rows,
    )
}

pub fn tables(out: &mut impl Write, tables: &[&TableSchema]) -> Result<(), String> {
    let mut rows = vec![];
    for t in tables {
        let custom = t.columns.iter().filter(|c| !c.standard).count();
        rows.push(vec![
            t.def.name.to_string(),
            t.def.kind().to_string(),
            t.columns.len().to_string(),
            custom.to_string(),
            t.def.endpoint_text(),
        ]);
    }
    print_rows(
        out,
        &["Table", "Type", "Columns", "CustomFields", "Endpoint"],
        rows,
    )
}

pub fn columns(
    out: &mut impl Write,
    found: Option<&TableSchema>,
    table: &str,
) -> Result<(), String> {
    let t =
        found.ok_or_else(|| format!("no table named '{table}' (see `pipedrive-odbc tables`)"))?;
    let rows = t
        .columns
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                match (c.ty, c.ty.max_length()) {
                    (ColType::Varchar, Some(n)) => format!("{}({n})", c.ty.sql_name()),
                    _ => c.ty.sql_name().to_string(),
                },
                if c.standard { "" } else { "custom field" }.to_string(),
            ]
        })
        .collect();
    print_rows(out, &["Column", "Type", "Note"], rows)
}

/// Plain aligned columns.
fn print_rows(out: &mut impl Write, header: &[&str], rows: Vec<Vec<String>>) -> Result<(), String> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(header.to_vec())).map_err(io)?;
    for row in &rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect())).map_err(io)?;
    }
    Ok(())
}
