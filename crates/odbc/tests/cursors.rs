//! Scrollable (static) cursors through the driver manager: SQLFetchScroll in every orientation
//! over a rowset of bound columns, SQLSetPos, SQLExtendedFetch, the row number and the cursor's
//! row count, the cursor attributes applications ask for, and what each move costs in requests.

mod common;

use common::ffi::*;
use common::*;
use std::ffi::c_void;
use std::ptr::null_mut;

const ROW_ARRAY_SIZE: i32 = 27;
const ROW_STATUS_PTR: i32 = 25;
const ROWS_FETCHED_PTR: i32 = 26;
const CURSOR_TYPE: i32 = 6;
const CURSOR_SCROLLABLE: i32 = -1;
const ROW_NUMBER: i32 = 14;
const STATIC: usize = 3;
const KEYSET_DRIVEN: usize = 1;
const C_SBIGINT: i16 = -25;
const NEXT: i16 = 1;
const FIRST: i16 = 2;
const LAST: i16 = 3;
const PRIOR: i16 = 4;
const ABSOLUTE: i16 = 5;
const RELATIVE: i16 = 6;
const BOOKMARK: i16 = 8;
const USE_BOOKMARKS: i32 = 12;
const FETCH_BOOKMARK_PTR: i32 = 16;
const C_VARBOOKMARK: i16 = -2;

/// The tests count the sandbox's requests: one at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A statement with a static cursor over every deal by Id, Id bound into a rowset of 10.
struct Scroll {
    s: H,
    ids: Box<[i64; 10]>,
    inds: Box<[isize; 10]>,
    status: Box<[u16; 10]>,
    fetched: Box<usize>,
}

impl Scroll {
    fn open(c: &ffi::Conn) -> Scroll {
        let s = c.stmt();
        let mut scroll = Scroll {
            s,
            ids: Box::new([0; 10]),
            inds: Box::new([0; 10]),
            status: Box::new([9; 10]),
            fetched: Box::new(0),
        };
        unsafe {
            assert_eq!(SQLSetStmtAttr(s, CURSOR_TYPE, STATIC as *mut c_void, 0), 0);
            assert_eq!(SQLSetStmtAttr(s, ROW_ARRAY_SIZE, 10 as *mut c_void, 0), 0);
            // variable bookmarks (set before the statement runs, as the driver manager asks)
            assert_eq!(SQLSetStmtAttr(s, USE_BOOKMARKS, 2 as *mut c_void, 0), 0);
            let status = scroll.status.as_mut_ptr();
            assert_eq!(SQLSetStmtAttr(s, ROW_STATUS_PTR, status.cast(), 0), 0);
            let fetched: *mut usize = &mut *scroll.fetched;
            assert_eq!(SQLSetStmtAttr(s, ROWS_FETCHED_PTR, fetched.cast(), 0), 0);
            let (ids, inds) = (scroll.ids.as_mut_ptr(), scroll.inds.as_mut_ptr());
            assert_eq!(SQLBindCol(s, 1, C_SBIGINT, ids.cast(), 8, inds), 0);
            let sql = "SELECT Id FROM Deals ORDER BY Id";
            assert_eq!(SQLExecDirect(s, sql.as_ptr(), sql.len() as i32), 0);
        }
        scroll
    }

    /// One move: its return code and the Ids of the rowset.
    fn fetch(&mut self, orientation: i16, offset: isize) -> (i16, Vec<i64>) {
        let rc = unsafe { SQLFetchScroll(self.s, orientation, offset) };
        let n = *self.fetched;
        if rc == 100 {
            return (rc, vec![]);
        }
        assert!(
            rc == 0 || rc == 1,
            "{orientation} {offset}: {:?}",
            diag(3, self.s)
        );
        assert!(
            self.status[..n].iter().all(|&s| s == 0),
            "{:?}",
            self.status
        );
        assert!(
            self.status[n..].iter().all(|&s| s == 3),
            "{:?}",
            self.status
        );
        (rc, self.ids[..n].to_vec())
    }

    fn row_number(&self) -> usize {
        let mut n = 0usize;
        let rc = unsafe {
            SQLGetStmtAttr(
                self.s,
                ROW_NUMBER,
                (&mut n as *mut usize).cast(),
                0,
                null_mut(),
            )
        };
        assert_eq!(rc, 0);
        n
    }
}

fn ids(from: i64, to: i64) -> Vec<i64> {
    (from..=to).collect()
}

#[test]
fn a_static_cursor_scrolls_every_way_and_reads_every_row_once() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = setup();
    let c = ffi::Conn::open(&format!("DSN={DSN}")).unwrap();
    let mut scroll = Scroll::open(&c);
    s.sandbox.reset_stats();
    // (orientation, offset, return code, rowset): the ODBC reference's rules, one per line
    let moves: Vec<(i16, isize, i16, Vec<i64>)> = vec![
        (NEXT, 0, 0, ids(1, 10)),
        (NEXT, 0, 0, ids(11, 20)),
        (PRIOR, 0, 0, ids(1, 10)),
        (PRIOR, 0, 100, vec![]),  // before the start
        (NEXT, 0, 0, ids(1, 10)), // from before the start: the first rowset
        (ABSOLUTE, 480, 0, ids(480, 489)),
        (RELATIVE, -5, 0, ids(475, 484)),
        (RELATIVE, -477, 100, vec![]), // further back than a rowset before row 1
        (ABSOLUTE, 5, 0, ids(5, 14)),
        (PRIOR, 0, 1, ids(1, 10)), // 01S06: it would start before row 1, so it starts there
        (FIRST, 0, 0, ids(1, 10)),
    ];
    for (i, (orientation, offset, rc, rowset)) in moves.into_iter().enumerate() {
        assert_eq!(scroll.fetch(orientation, offset), (rc, rowset), "move {i}");
    }
    let last = DEALS as i64;
    assert_eq!(scroll.fetch(LAST, 0), (0, ids(last - 9, last)));
    // every page was read once (sorting needs them all before the first row)
    let pages = s.sandbox.stats().route("GET /api/v2/deals");
    assert!(pages >= DEALS.div_ceil(500) as u64, "{pages}");
    let moves: Vec<(i16, isize, i16, Vec<i64>)> = vec![
        (NEXT, 0, 100, vec![]), // after the end
        (PRIOR, 0, 0, ids(last - 9, last)),
        (ABSOLUTE, -3, 0, ids(last - 2, last)), // a short rowset: three rows, the rest NOROW
        (ABSOLUTE, 50_000, 100, vec![]),
        (RELATIVE, -10, 0, ids(last - 9, last)), // from after the end
        (ABSOLUTE, 0, 100, vec![]),
        (ABSOLUTE, 700, 0, ids(700, 709)),
    ];
    for (i, (orientation, offset, rc, rowset)) in moves.into_iter().enumerate() {
        assert_eq!(
            scroll.fetch(orientation, offset),
            (rc, rowset),
            "move {i} after LAST"
        );
    }
    // going back costs no request: every row is kept
    assert_eq!(s.sandbox.stats().route("GET /api/v2/deals"), pages);
    assert_eq!(scroll.row_number(), 700);
    unsafe {
        // SQLSetPos puts SQLGetData on a row of the rowset
        assert_eq!(SQLSetPos(scroll.s, 3, 0, 0), 0);
        assert_eq!(scroll.row_number(), 702);
        let (mut id, mut ind) = (0i64, 0isize);
        assert_eq!(
            SQLGetData(
                scroll.s,
                1,
                C_SBIGINT,
                (&mut id as *mut i64).cast(),
                8,
                &mut ind
            ),
            0
        );
        assert_eq!(id, 702);
        // outside the rowset, or an update through a read-only cursor
        assert_eq!(SQLSetPos(scroll.s, 11, 0, 0), -1);
        assert_eq!(diag(3, scroll.s).0, "HY109");
        assert_eq!(SQLSetPos(scroll.s, 1, 2, 0), -1);
        assert_eq!(diag(3, scroll.s).0, "HYC00");
        // a bookmark is the row: read it, move away, come back to it (and two rows past it)
        let (mut bookmark, mut len) = (0u64, 0isize);
        let rc = SQLGetData(
            scroll.s,
            0,
            C_VARBOOKMARK,
            (&mut bookmark as *mut u64).cast(),
            8,
            &mut len,
        );
        assert_eq!((rc, len), (0, 8));
        assert_eq!(scroll.fetch(FIRST, 0), (0, ids(1, 10)));
        let at: *mut u64 = &mut bookmark;
        assert_eq!(
            SQLSetStmtAttr(scroll.s, FETCH_BOOKMARK_PTR, at.cast(), 0),
            0
        );
        assert_eq!(scroll.fetch(BOOKMARK, 0), (0, ids(702, 711)));
        assert_eq!(scroll.fetch(BOOKMARK, 2), (0, ids(704, 713)));
        // SQL_DIAG_CURSOR_ROW_COUNT is exact
        let mut count = 0isize;
        let rc = SQLGetDiagField(
            3,
            scroll.s,
            0,
            -1249,
            (&mut count as *mut isize).cast(),
            0,
            null_mut(),
        );
        assert_eq!((rc, count), (0, DEALS as isize));
        SQLFreeHandle(3, scroll.s);
    }
}

#[test]
fn odbc_2_block_fetch_and_cursor_attributes() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    setup();
    let c = ffi::Conn::open(&format!("DSN={DSN}")).unwrap();
    let s = c.stmt();
    unsafe {
        // a keyset-driven cursor is not there: the nearest, static, with 01S02
        assert_eq!(
            SQLSetStmtAttr(s, CURSOR_TYPE, KEYSET_DRIVEN as *mut c_void, 0),
            1
        );
        assert_eq!(diag(3, s).0, "01S02");
        let mut value = 0usize;
        SQLGetStmtAttr(
            s,
            CURSOR_TYPE,
            (&mut value as *mut usize).cast(),
            0,
            null_mut(),
        );
        assert_eq!(value, STATIC);
        SQLGetStmtAttr(
            s,
            CURSOR_SCROLLABLE,
            (&mut value as *mut usize).cast(),
            0,
            null_mut(),
        );
        assert_eq!(value, 1);
        let mut ids = [0i64; 5];
        let mut inds = [0isize; 5];
        assert_eq!(SQLSetStmtAttr(s, ROW_ARRAY_SIZE, 5 as *mut c_void, 0), 0);
        assert_eq!(
            SQLBindCol(
                s,
                1,
                C_SBIGINT,
                ids.as_mut_ptr().cast(),
                8,
                inds.as_mut_ptr()
            ),
            0
        );
        let sql = "SELECT Id FROM Deals WHERE Id <= 20 ORDER BY Id";
        assert_eq!(SQLExecDirect(s, sql.as_ptr(), sql.len() as i32), 0);
        let mut rows = 0usize;
        let mut status = [9u16; 5];
        let rc = SQLExtendedFetch(s, ABSOLUTE as u16, 18, &mut rows, status.as_mut_ptr());
        assert_eq!(
            (rc, rows, ids[..3].to_vec(), status),
            (0, 3, vec![18, 19, 20], [0, 0, 0, 3, 3])
        );
        let rc = SQLExtendedFetch(s, FIRST as u16, 0, &mut rows, status.as_mut_ptr());
        assert_eq!((rc, rows, ids), (0, 5, [1, 2, 3, 4, 5]));
        SQLFreeHandle(3, s);

        // a forward-only cursor moves forward only
        let s = c.exec("SELECT Id FROM Deals WHERE Id <= 3");
        assert_eq!(SQLFetchScroll(s, PRIOR, 0), -1);
        assert_eq!(diag(3, s).0, "HY106");
        assert_eq!(SQLFetchScroll(s, NEXT, 0), 0);
        SQLFreeHandle(3, s);

        // what unixODBC reads to decide that no cursor library is needed
        let info = |t: u16| {
            let mut v = 0u32;
            assert_eq!(
                SQLGetInfo(c.dbc, t, (&mut v as *mut u32).cast(), 4, null_mut()),
                0
            );
            v
        };
        assert_eq!(info(167) & 0x7, 0x7, "static: NEXT, ABSOLUTE, RELATIVE");
        assert_eq!(info(44) & 0x10, 0x10, "SQL_SO_STATIC");
        assert_eq!(info(146) & 0x1, 0x1);

        // no transactions: committing and rolling back have nothing to do
        assert_eq!(SQLEndTran(2, c.dbc, 0), 0);
        assert_eq!(SQLEndTran(2, c.dbc, 1), 0);
    }
}
