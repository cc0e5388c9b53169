//! The driver through unixODBC with odbc-api (narrow entry points): connecting, querying, block
//! fetch column-wise and row-wise, long text in pieces, parameters, catalog functions, errors.

mod common;

use common::*;
use odbc_api::buffers::{BufferDesc, ColumnarDynBuffer, RowVec, TextRowSet};
use odbc_api::parameter::VarCharArray;
use odbc_api::{ConnectionOptions, Cursor, Environment, Error, ResultSetMetadata};
use std::sync::OnceLock;

fn env() -> &'static Environment {
    static ENV: OnceLock<Environment> = OnceLock::new();
    setup();
    ENV.get_or_init(|| Environment::new().expect("unixODBC environment"))
}

fn connect() -> odbc_api::Connection<'static> {
    env()
        .connect(DSN, "", "", ConnectionOptions::default())
        .expect("connect by DSN")
}

fn state(e: Error) -> String {
    match e {
        Error::Diagnostics { record, .. } => String::from_utf8_lossy(&record.state.0).into_owned(),
        other => panic!("not a diagnostic: {other}"),
    }
}

fn first_text(conn: &odbc_api::Connection, sql: &str) -> Option<String> {
    let mut cursor = conn.execute(sql, (), None).unwrap().expect("a result set");
    let mut row = cursor.next_row().unwrap().expect("a row");
    let mut buf = vec![];
    row.get_text(1, &mut buf)
        .unwrap()
        .then(|| String::from_utf8(buf).unwrap())
}

#[test]
fn connects_by_dsn_and_by_connection_string() {
    let conn = connect();
    assert_eq!(
        first_text(&conn, "SELECT COUNT(*) FROM Deals").unwrap(),
        DEALS.to_string()
    );
    let conn = env()
        .connect_with_connection_string(&dsn_less(""), ConnectionOptions::default())
        .expect("DSN-less");
    assert_eq!(
        first_text(&conn, "SELECT Title FROM Deals WHERE Id = 1")
            .unwrap()
            .is_empty(),
        false
    );
    // the string's keys win over the DSN's
    let err = env()
        .connect_with_connection_string(
            &format!("DSN={DSN};APIToken=wrong"),
            ConnectionOptions::default(),
        )
        .unwrap_err();
    assert_eq!(state(err), "28000");
    let err = env()
        .connect_with_connection_string(
            &format!("DSN={DSN};APIToken={{abc"),
            ConnectionOptions::default(),
        )
        .unwrap_err();
    assert_eq!(state(err), "08001");
}

#[test]
fn describes_columns_before_execution() {
    let conn = connect();
    let mut prepared = conn
        .prepare("SELECT Id, Title, Value, AddTime, CloseTime FROM Deals")
        .unwrap();
    assert_eq!(prepared.num_result_cols().unwrap(), 5);
    let names: Vec<String> = prepared
        .column_names()
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(names, ["Id", "Title", "Value", "AddTime", "CloseTime"]);
    use odbc_api::DataType as D;
    assert_eq!(prepared.col_data_type(1).unwrap(), D::BigInt);
    assert_eq!(
        prepared.col_data_type(2).unwrap(),
        // no length the API states: long text
        D::WLongVarchar {
            length: std::num::NonZeroUsize::new(65_535)
        }
    );
    // amounts are exact decimals
    assert_eq!(
        prepared.col_data_type(3).unwrap(),
        D::Numeric {
            precision: 19,
            scale: 4
        }
    );
    assert_eq!(
        prepared.col_data_type(4).unwrap(),
        D::Timestamp { precision: 6 }
    );
    assert_eq!(
        prepared.col_nullability(1).unwrap(),
        odbc_api::Nullability::NoNulls
    );
    // the sandbox saw no data request for that
    assert!(setup().sandbox.stats().requests > 0);
}

#[test]
fn block_fetch_column_wise_in_500_row_arrays() {
    let conn = connect();
    let cursor = conn
        .execute(
            "SELECT Id, Title, Value FROM Deals WHERE Id <= 10000 ORDER BY Id",
            (),
            None,
        )
        .unwrap()
        .unwrap();
    let buffer = ColumnarDynBuffer::from_descs(
        500,
        [
            BufferDesc::I64 { nullable: false },
            BufferDesc::WText { max_str_len: 255 },
            BufferDesc::F64 { nullable: true },
        ],
    );
    let mut block = cursor.bind_buffer(buffer).unwrap();
    let (mut rows, mut batches, mut expected) = (0, 0, 1i64);
    while let Some(batch) = block.fetch().unwrap() {
        assert_eq!(batch.num_rows(), 500);
        let ids = batch.column(0).as_slice::<i64>().unwrap();
        for id in ids {
            assert_eq!(*id, expected);
            expected += 1;
        }
        let titles = batch.column(1).as_wide_text().unwrap();
        assert!(titles.get(0).is_some_and(|t| !t.is_empty()));
        rows += batch.num_rows();
        batches += 1;
    }
    assert_eq!((rows, batches), (10_000, 20));
}

#[test]
fn block_fetch_row_wise_in_500_row_arrays() {
    let conn = connect();
    let cursor = conn
        .execute(
            "SELECT Id, Status, Value FROM Deals WHERE Id <= 10000 ORDER BY Id",
            (),
            None,
        )
        .unwrap()
        .unwrap();
    type Row = (i64, VarCharArray<32>, f64);
    let mut block = cursor.bind_buffer(RowVec::<Row>::new(500)).unwrap();
    let (mut rows, mut expected) = (0, 1i64);
    while let Some(batch) = block.fetch().unwrap() {
        assert_eq!(batch.num_rows(), 500);
        for (id, status, _) in batch.iter() {
            assert_eq!(*id, expected);
            assert!(["open", "won", "lost", "deleted"].contains(&status.as_str().unwrap().unwrap()));
            expected += 1;
        }
        rows += batch.num_rows();
    }
    assert_eq!(rows, 10_000);
}

#[test]
fn text_rows_equal_the_engine_values() {
    let conn = connect();
    let cursor = conn
        .execute(
            "SELECT Id, Title, AddTime FROM Deals WHERE Id IN (1, 2, 3) ORDER BY Id",
            (),
            None,
        )
        .unwrap()
        .unwrap();
    let mut block = cursor
        .bind_buffer(
            TextRowSet::for_cursor(
                10,
                &mut conn
                    .execute("SELECT Id, Title, AddTime FROM Deals LIMIT 1", (), None)
                    .unwrap()
                    .unwrap(),
                Some(4096),
            )
            .unwrap(),
        )
        .unwrap();
    let batch = block.fetch().unwrap().unwrap();
    assert_eq!(batch.num_rows(), 3);
    assert_eq!(batch.at_as_str(0, 0).unwrap(), Some("1"));
    let title = batch.at_as_str(1, 0).unwrap().unwrap().to_string();
    assert_eq!(
        first_text(&conn, "SELECT Title FROM Deals WHERE Id = 1").unwrap(),
        title
    );
    let ts = batch.at_as_str(2, 0).unwrap().unwrap();
    assert!(chrono_like(ts), "{ts}");
}

fn chrono_like(s: &str) -> bool {
    s.len() >= 19 && &s[4..5] == "-" && &s[10..11] == " " && &s[13..14] == ":"
}

#[test]
fn long_text_is_read_in_pieces() {
    let conn = connect();
    let long = first_text(
        &conn,
        "SELECT Content FROM Notes WHERE character_length(Content) > 300 LIMIT 1",
    )
    .expect("a long note");
    assert!(long.chars().count() > 300);
    let repeated = first_text(&conn, "SELECT repeat('ab€', 2000)").unwrap();
    assert_eq!(repeated, "ab€".repeat(2000));
}

#[test]
fn parameters_are_typed_and_bound() {
    let conn = connect();
    let mut cursor = conn
        .execute("SELECT Id, Title FROM Deals WHERE Id = ?", &7i64, None)
        .unwrap()
        .unwrap();
    let mut row = cursor.next_row().unwrap().unwrap();
    let mut id = 0i64;
    row.get_data(1, &mut id).unwrap();
    assert_eq!(id, 7);
    assert!(cursor.next_row().unwrap().is_none());
    let status = "won".to_string();
    let mut prepared = conn
        .prepare("SELECT COUNT(*) FROM Deals WHERE Status = ? AND Id <= ?")
        .unwrap();
    assert_eq!(prepared.num_params().unwrap(), 2);
    let mut cursor = prepared
        .execute((&status.into_parameter(), &100i64))
        .unwrap()
        .unwrap();
    let mut row = cursor.next_row().unwrap().unwrap();
    let mut n = 0i64;
    row.get_data(1, &mut n).unwrap();
    let direct = first_text(
        &conn,
        "SELECT COUNT(*) FROM Deals WHERE Status = 'won' AND Id <= 100",
    )
    .unwrap();
    assert_eq!(n.to_string(), direct);
}

use odbc_api::IntoParameter;

#[test]
fn catalog_functions_answer_from_the_catalog() {
    let conn = connect();
    let text = |v: &VarCharArray<255>| v.as_str().unwrap().unwrap_or("").to_string();
    let names: Vec<String> = conn
        .tables("", "", "Deal%", "TABLE")
        .unwrap()
        .map(|r| text(&r.unwrap().table))
        .collect();
    assert!(
        names.contains(&"Deals".to_string()) && names.contains(&"DealsProducts".to_string()),
        "{names:?}"
    );
    assert!(
        !names.contains(&"DealFieldOptions".to_string()),
        "views are not TABLE"
    );
    let columns: Vec<_> = conn
        .columns("", "", "Deals", "%")
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prepared = conn.prepare("SELECT * FROM Deals").unwrap();
    assert_eq!(columns.len(), prepared.num_result_cols().unwrap() as usize);
    assert!(
        columns
            .iter()
            .all(|c| c.column_size.into_opt().is_some_and(|n| n > 0)),
        "finite sizes"
    );
    assert_eq!(text(&columns[0].column_name), "Id");
    let title = columns
        .iter()
        .find(|c| text(&c.column_name) == "Title")
        .unwrap();
    assert_eq!(
        (title.data_type, title.column_size.into_opt()),
        (-10, Some(65_535))
    );
    let keys: Vec<String> = conn
        .primary_keys(None, None, "Deals")
        .unwrap()
        .map(|r| text(&r.unwrap().column))
        .collect();
    assert_eq!(keys, ["Id"]);
    let pairs: Vec<(String, String)> = conn
        .foreign_keys("", "", "", "", "", "Deals")
        .unwrap()
        .map(|r| {
            let r = r.unwrap();
            (text(&r.pk_table), text(&r.fk_column))
        })
        .collect();
    assert!(
        pairs.contains(&("Persons".into(), "PersonId".into())),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&("Organizations".into(), "OrgId".into())),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&("Users".into(), "OwnerId".into())),
        "{pairs:?}"
    );
    let referencing: Vec<String> = conn
        .foreign_keys("", "", "Deals", "", "", "")
        .unwrap()
        .map(|r| text(&r.unwrap().fk_table))
        .collect();
    assert!(
        referencing.contains(&"DealsProducts".to_string()),
        "{referencing:?}"
    );
}

#[test]
fn errors_carry_their_sqlstate() {
    let conn = connect();
    let e = |sql: &str| state(conn.execute(sql, (), None).map(|_| ()).unwrap_err());
    assert_eq!(e("SELECT * FROM NoSuchTable"), "42S02");
    assert_eq!(e("SELECT NoSuchColumn FROM Deals"), "42S22");
    assert_eq!(e("SELEC Id FROM Deals"), "42000");
    assert_eq!(e("SELECT * FROM Deals WHERE Id = 'abc'"), "22018");
    assert_eq!(e("SELECT {fn NOSUCH(1)"), "42000");
}
