//! odbc-api in wide mode against the driver through unixODBC: connection strings, description,
//! block fetch of Unicode text, catalog functions and diagnostics all pass through the W entry
//! points. The sandbox binary and the driver come from the workspace build (scripts/test.sh).

use odbc_api::buffers::{BufferDesc, ColumnarDynBuffer};
use odbc_api::{ConnectionOptions, Cursor, Environment, Error, ResultSetMetadata};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

struct Sandbox(Child);

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

fn target_dir() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("CARGO_MANIFEST_DIR")
                .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from)
                .join("../../../target")
        });
    dir.join("debug")
}

fn start() -> (Sandbox, String) {
    let bin = target_dir().join("pipedrive-sandbox");
    let mut child = Command::new(&bin)
        .args(["serve", "--port", "0", "--deals", "1200"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e} (build the workspace first)", bin.display()));
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let library = target_dir().join("libpipedrive_odbc.so");
    let dir = std::env::temp_dir().join(format!("pipedrive-odbc-wide-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("odbcinst.ini"), format!("[Pipedrive ODBC (wide)]\nDriver = {}\n", library.display())).unwrap();
    std::fs::write(dir.join("odbc.ini"), "").unwrap();
    std::env::set_var("ODBCSYSINI", &dir);
    std::env::set_var("ODBCINI", dir.join("odbc.ini"));
    let conn = format!("Driver={{Pipedrive ODBC (wide)}};BaseURL={url};APIToken=sandbox-token");
    (Sandbox(child), conn)
}

#[test]
fn the_wide_entry_points_carry_unicode() {
    let (_sandbox, connection_string) = start();
    let env = Environment::new().unwrap();
    let conn = env.connect_with_connection_string(&connection_string, ConnectionOptions::default()).unwrap();

    let mut prepared = conn.prepare("SELECT Id AS \"Número\", Title FROM Deals WHERE Id <= 1000 ORDER BY Id").unwrap();
    let names: Vec<String> = prepared.column_names().unwrap().map(Result::unwrap).collect();
    assert_eq!(names, ["Número", "Title"]);

    let cursor = conn.execute("SELECT Id, Title FROM Deals WHERE Id <= 1000 ORDER BY Id", (), None).unwrap().unwrap();
    let buffer = ColumnarDynBuffer::from_descs(250, [BufferDesc::I64 { nullable: false }, BufferDesc::WText { max_str_len: 255 }]);
    let mut block = cursor.bind_buffer(buffer).unwrap();
    let (mut rows, mut non_ascii) = (0, 0);
    while let Some(batch) = block.fetch().unwrap() {
        let titles = batch.column(1).as_wide_text().unwrap();
        for i in 0..batch.num_rows() {
            let title = String::from_utf16(titles.get(i).unwrap()).unwrap();
            assert!(!title.is_empty());
            non_ascii += usize::from(!title.is_ascii());
        }
        rows += batch.num_rows();
    }
    assert_eq!(rows, 1000);
    assert!(non_ascii > 0, "the sandbox's titles include non-ASCII text");

    let tables: Vec<String> = conn
        .tables("", "", "Deal%", "")
        .unwrap()
        .map(|r| r.unwrap().table.as_str().unwrap().unwrap().to_string())
        .collect();
    assert!(tables.contains(&"Deals".to_string()), "{tables:?}");

    match conn.execute("SELECT * FROM Nope", (), None).map(|_| ()) {
        Err(Error::Diagnostics { record, .. }) => {
            assert_eq!(&record.state.0, b"42S02");
            assert!(record.to_string().contains("Nope"), "{record}");
        }
        other => panic!("expected 42S02, got {other:?}"),
    }
}
