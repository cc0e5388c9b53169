//! Where SQLFetchScroll moves a cursor: the rules of the ODBC reference for each orientation,
//! from the current position, the rowset size and (when the rule needs it) the number of the
//! last row of the result.

use crate::diag::{OdbcError, OdbcResult};
use crate::sys::*;

/// A cursor's position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    BeforeStart,
    /// On a rowset starting at this row (1-based) and holding this many rows.
    Rowset {
        start: u64,
        len: usize,
    },
    AfterEnd,
}

/// Where a fetch goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    BeforeStart,
    /// To the rowset starting at this row; it may lie past the end, which the fetch finds out.
    /// `clipped`: the move wanted to start before the first row and starts at 1 (01S06).
    To {
        start: u64,
        clipped: bool,
    },
    AfterEnd,
}

/// The move of SQLFetchScroll(`orientation`, `offset`) from `at` with rowset size `size`.
/// `last` answers the number of the last row (reading the whole result), asked only when
/// the rule needs it; `bookmark` is the row SQL_ATTR_FETCH_BOOKMARK_PTR names (a bookmark is
/// a row number), for SQL_FETCH_BOOKMARK.
pub fn target(
    at: Position,
    orientation: SmallInt,
    offset: i64,
    size: usize,
    bookmark: Option<u64>,
    last: &mut dyn FnMut() -> OdbcResult<u64>,
) -> OdbcResult<Move> {
    let size = size as i64;
    let to = |start: i64| Move::To {
        start: start as u64,
        clipped: false,
    };
    const CLIPPED: Move = Move::To {
        start: 1,
        clipped: true,
    };
    // `n` (< 0) rows back from the end: when that is before the first row, the rowset starts
    // at 1 if it still reaches into the result (|n| <= size)
    let from_end = |n: i64, last: u64| {
        if -n <= last as i64 {
            to(last as i64 + n + 1)
        } else if -n <= size {
            CLIPPED
        } else {
            Move::BeforeStart
        }
    };
    // `n` (< 0) rows back from rowset start `from`
    let back = |from: u64, n: i64| {
        let row = from as i64 + n;
        if row >= 1 {
            to(row)
        } else if from > 1 && -n <= size {
            CLIPPED
        } else {
            Move::BeforeStart
        }
    };
    Ok(match orientation {
        SQL_FETCH_NEXT => match at {
            Position::BeforeStart => to(1),
            Position::Rowset { start, len } => to(start as i64 + len.max(1) as i64),
            Position::AfterEnd => Move::AfterEnd,
        },
        SQL_FETCH_PRIOR => match at {
            Position::BeforeStart => Move::BeforeStart,
            Position::Rowset { start, .. } => back(start, -size),
            Position::AfterEnd => from_end(-size, last()?),
        },
        SQL_FETCH_FIRST => to(1),
        SQL_FETCH_LAST => match last()? as i64 {
            0 => Move::AfterEnd,
            last => to((last - size + 1).max(1)),
        },
        SQL_FETCH_ABSOLUTE => match offset {
            0 => Move::BeforeStart,
            n if n > 0 => to(n),
            n => from_end(n, last()?),
        },
        SQL_FETCH_RELATIVE => match (at, offset) {
            (Position::BeforeStart, n) if n > 0 => to(n),
            (Position::BeforeStart, _) => Move::BeforeStart,
            (Position::AfterEnd, n) if n < 0 => from_end(n, last()?),
            (Position::AfterEnd, _) => Move::AfterEnd,
            (Position::Rowset { start, .. }, n) if n >= 0 => to(start as i64 + n),
            (Position::Rowset { start, .. }, n) => back(start, n),
        },
        SQL_FETCH_BOOKMARK => match bookmark {
            Some(row) if row as i64 + offset >= 1 => to(row as i64 + offset),
            Some(_) => Move::BeforeStart,
            None => {
                return Err(OdbcError::new(
                    "HY111",
                    "no bookmark to fetch from: set SQL_ATTR_USE_BOOKMARKS and \
                     SQL_ATTR_FETCH_BOOKMARK_PTR",
                ))
            }
        },
        o => {
            return Err(OdbcError::new(
                "HY106",
                format!("fetch orientation {o} is not valid"),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAST: u64 = 100;

    fn on(start: u64) -> Position {
        Position::Rowset { start, len: 10 }
    }
    fn to(start: u64) -> Move {
        Move::To {
            start,
            clipped: false,
        }
    }
    const CLIPPED: Move = Move::To {
        start: 1,
        clipped: true,
    };

    #[test]
    fn each_orientation_moves_as_the_reference_says() {
        use Move::{AfterEnd, BeforeStart};
        use Position as P;
        // (from, orientation, offset, rowset size, expected)
        let cases: &[(Position, SmallInt, i64, usize, Move)] = &[
            (P::BeforeStart, SQL_FETCH_NEXT, 0, 10, to(1)),
            (on(1), SQL_FETCH_NEXT, 0, 10, to(11)),
            (on(95), SQL_FETCH_NEXT, 0, 10, to(105)),
            (P::AfterEnd, SQL_FETCH_NEXT, 0, 10, AfterEnd),
            (P::BeforeStart, SQL_FETCH_PRIOR, 0, 10, BeforeStart),
            (on(1), SQL_FETCH_PRIOR, 0, 10, BeforeStart),
            (on(5), SQL_FETCH_PRIOR, 0, 10, CLIPPED),
            (on(21), SQL_FETCH_PRIOR, 0, 10, to(11)),
            (P::AfterEnd, SQL_FETCH_PRIOR, 0, 10, to(91)),
            (P::AfterEnd, SQL_FETCH_PRIOR, 0, 200, CLIPPED),
            (on(50), SQL_FETCH_FIRST, 0, 10, to(1)),
            (on(1), SQL_FETCH_LAST, 0, 10, to(91)),
            (on(1), SQL_FETCH_LAST, 0, 200, to(1)),
            (on(7), SQL_FETCH_ABSOLUTE, 0, 10, BeforeStart),
            (on(7), SQL_FETCH_ABSOLUTE, 42, 10, to(42)),
            (on(7), SQL_FETCH_ABSOLUTE, 500, 10, to(500)),
            (on(7), SQL_FETCH_ABSOLUTE, -1, 10, to(100)),
            (on(7), SQL_FETCH_ABSOLUTE, -100, 10, to(1)),
            (on(7), SQL_FETCH_ABSOLUTE, -105, 10, BeforeStart),
            (on(7), SQL_FETCH_ABSOLUTE, -105, 200, CLIPPED),
            (on(7), SQL_FETCH_ABSOLUTE, -111, 10, BeforeStart),
            (on(50), SQL_FETCH_RELATIVE, 0, 10, to(50)),
            (on(50), SQL_FETCH_RELATIVE, 5, 10, to(55)),
            (on(50), SQL_FETCH_RELATIVE, -45, 10, to(5)),
            (on(50), SQL_FETCH_RELATIVE, -55, 10, BeforeStart),
            (on(50), SQL_FETCH_RELATIVE, -55, 60, CLIPPED),
            (on(5), SQL_FETCH_RELATIVE, -8, 10, CLIPPED),
            (on(1), SQL_FETCH_RELATIVE, -1, 10, BeforeStart),
            (on(50), SQL_FETCH_RELATIVE, -60, 10, BeforeStart),
            (P::BeforeStart, SQL_FETCH_RELATIVE, 3, 10, to(3)),
            (P::BeforeStart, SQL_FETCH_RELATIVE, -3, 10, BeforeStart),
            (P::AfterEnd, SQL_FETCH_RELATIVE, -1, 10, to(100)),
            (P::AfterEnd, SQL_FETCH_RELATIVE, 2, 10, AfterEnd),
        ];
        for (i, (from, orientation, offset, size, expected)) in cases.iter().enumerate() {
            let got = target(*from, *orientation, *offset, *size, None, &mut || Ok(LAST)).unwrap();
            assert_eq!(got, *expected, "case {i}: {from:?} {orientation} {offset}");
        }
    }

    #[test]
    fn the_end_is_read_only_when_a_rule_needs_it() {
        let asked = std::cell::Cell::new(0);
        let mut last = || {
            asked.set(asked.get() + 1);
            Ok(LAST)
        };
        for (o, n) in [
            (SQL_FETCH_NEXT, 0),
            (SQL_FETCH_FIRST, 0),
            (SQL_FETCH_ABSOLUTE, 9),
        ] {
            target(on(1), o, n, 10, None, &mut last).unwrap();
        }
        target(on(1), SQL_FETCH_RELATIVE, 4, 10, None, &mut last).unwrap();
        target(on(1), SQL_FETCH_BOOKMARK, -4, 10, Some(60), &mut last).unwrap();
        assert_eq!(asked.get(), 0);
        target(on(1), SQL_FETCH_LAST, 0, 10, None, &mut last).unwrap();
        assert_eq!(asked.get(), 1);
    }

    #[test]
    fn an_empty_result_has_no_last_rowset_and_bad_orientations_are_refused() {
        assert_eq!(
            target(
                Position::BeforeStart,
                SQL_FETCH_LAST,
                0,
                5,
                None,
                &mut || Ok(0)
            )
            .unwrap(),
            Move::AfterEnd
        );
        let e = target(on(1), 99, 0, 5, None, &mut || Ok(LAST)).unwrap_err();
        assert_eq!(e.state, "HY106");
        let e = target(on(1), SQL_FETCH_BOOKMARK, 0, 5, None, &mut || Ok(LAST)).unwrap_err();
        assert_eq!(e.state, "HY111");
        // a bookmark and an offset from it
        let b = |row, offset| {
            target(on(1), SQL_FETCH_BOOKMARK, offset, 5, Some(row), &mut || {
                Ok(LAST)
            })
        };
        assert_eq!(
            b(42, 0).unwrap(),
            Move::To {
                start: 42,
                clipped: false
            }
        );
        assert_eq!(
            b(42, -2).unwrap(),
            Move::To {
                start: 40,
                clipped: false
            }
        );
        assert_eq!(b(2, -5).unwrap(), Move::BeforeStart);
    }
}
