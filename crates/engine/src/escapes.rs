//! ODBC escape sequences, rewritten to the SQL DataFusion plans before parsing: `{d '...'}`,
//! `{t '...'}`, `{ts '...'}`, `{fn NAME(args)}` (the ODBC scalar functions), `{oj ...}`,
//! `{escape 'c'}`, `{interval ...}`, `{guid '...'}`. Escapes nest; text inside quotes and
//! comments is left alone.

use crate::error::EngineError;

/// ODBC scalar functions: name, then the SQL it becomes (`$1`.. are the arguments, `$*` all).
/// Names not listed are passed through unchanged.
#[rustfmt::skip]
const FUNCTIONS: &[(&str, &str)] = &[
    // strings
    ("UCASE", "upper($*)"), ("LCASE", "lower($*)"),
    ("LENGTH", "character_length(rtrim($1))"),
    ("CHAR_LENGTH", "character_length($*)"), ("CHARACTER_LENGTH", "character_length($*)"),
    ("OCTET_LENGTH", "octet_length($*)"), ("BIT_LENGTH", "bit_length($*)"),
    ("SUBSTRING", "substr($*)"), ("CHAR", "chr($*)"), ("SPACE", "repeat(' ', $1)"),
    ("INSERT", "overlay($1 placing $4 from $2 for $3)"),
    ("LOCATE", "strpos($2, $1)"),
    // numbers
    ("CEILING", "ceil($*)"), ("LOG", "ln($*)"), ("MOD", "($1 % $2)"), ("RAND", "random()"),
    ("SIGN", "signum($*)"), ("TRUNCATE", "trunc($*)"),
    // date and time
    ("CURDATE", "current_date()"), ("CURTIME", "current_time()"), ("NOW", "now()"),
    ("CURRENT_DATE", "current_date()"), ("CURRENT_TIME", "current_time()"),
    ("CURRENT_TIMESTAMP", "now()"),
    ("DAYOFMONTH", "CAST(date_part('day', $1) AS BIGINT)"),
    ("DAYOFWEEK", "CAST(date_part('dow', $1) + 1 AS BIGINT)"),
    ("DAYOFYEAR", "CAST(date_part('doy', $1) AS BIGINT)"),
    ("YEAR", "CAST(date_part('year', $1) AS BIGINT)"),
    ("QUARTER", "CAST(date_part('quarter', $1) AS BIGINT)"),
    ("MONTH", "CAST(date_part('month', $1) AS BIGINT)"),
    ("WEEK", "CAST(date_part('week', $1) AS BIGINT)"),
    ("HOUR", "CAST(date_part('hour', $1) AS BIGINT)"),
    ("MINUTE", "CAST(date_part('minute', $1) AS BIGINT)"),
    ("SECOND", "CAST(date_part('second', $1) AS BIGINT)"),
    ("DAYNAME", "to_char($1, '%A')"), ("MONTHNAME", "to_char($1, '%B')"),
    // system
    ("IFNULL", "coalesce($*)"), ("DATABASE", "'Pipedrive'"), ("USER", "''"),
];

/// Units of TIMESTAMPADD / TIMESTAMPDIFF, in seconds.
const UNITS: &[(&str, i64)] = &[
    ("SQL_TSI_SECOND", 1),
    ("SQL_TSI_MINUTE", 60),
    ("SQL_TSI_HOUR", 3_600),
    ("SQL_TSI_DAY", 86_400),
    ("SQL_TSI_WEEK", 604_800),
];

/// CONVERT's ODBC type names and the SQL types they become.
#[rustfmt::skip]
const CONVERT_TYPES: &[(&str, &str)] = &[
    ("SQL_BIGINT", "BIGINT"), ("SQL_INTEGER", "BIGINT"), ("SQL_SMALLINT", "BIGINT"),
    ("SQL_TINYINT", "BIGINT"), ("SQL_DOUBLE", "DOUBLE"), ("SQL_FLOAT", "DOUBLE"),
    ("SQL_REAL", "DOUBLE"), ("SQL_DECIMAL", "DOUBLE"), ("SQL_NUMERIC", "DOUBLE"),
    ("SQL_CHAR", "VARCHAR"), ("SQL_VARCHAR", "VARCHAR"), ("SQL_LONGVARCHAR", "VARCHAR"),
    ("SQL_WCHAR", "VARCHAR"), ("SQL_WVARCHAR", "VARCHAR"), ("SQL_WLONGVARCHAR", "VARCHAR"),
    ("SQL_DATE", "DATE"), ("SQL_TYPE_DATE", "DATE"), ("SQL_TIME", "TIME"),
    ("SQL_TYPE_TIME", "TIME"), ("SQL_TIMESTAMP", "TIMESTAMP"),
    ("SQL_TYPE_TIMESTAMP", "TIMESTAMP"), ("SQL_BIT", "BOOLEAN"),
];

/// The statement with every escape sequence replaced.
pub fn expand(sql: &str) -> Result<String, EngineError> {
    if !sql.contains('{') {
        return Ok(sql.to_string());
    }
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(i) = next_brace(rest) {
        out.push_str(&rest[..i]);
        let end = closing_brace(&rest[i..]).ok_or_else(|| {
            EngineError::syntax(format!(
                "escape '{}' is not closed with '}}'",
                cut(&rest[i..])
            ))
        })?;
        let inner = expand(&rest[i + 1..i + end])?;
        out.push_str(&escape(inner.trim())?);
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Byte offsets of the parts of `s` outside quotes and comments.
fn outside(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut quote: Option<char> = None;
    let mut comment: Option<&str> = None;
    let mut prev = '\0';
    s.char_indices().filter(move |&(i, c)| {
        let keep = match (quote, comment) {
            (Some(q), _) => {
                if c == q {
                    quote = None;
                }
                false
            }
            (_, Some("--")) => {
                if c == '\n' {
                    comment = None;
                }
                false
            }
            (_, Some(_)) => {
                if prev == '*' && c == '/' {
                    comment = None;
                }
                false
            }
            _ if c == '\'' || c == '"' => {
                quote = Some(c);
                false
            }
            _ if s[i..].starts_with("--") => {
                comment = Some("--");
                false
            }
            _ if s[i..].starts_with("/*") => {
                comment = Some("/*");
                false
            }
            _ => true,
        };
        prev = c;
        keep
    })
}

fn next_brace(s: &str) -> Option<usize> {
    outside(s).find(|&(_, c)| c == '{').map(|(i, _)| i)
}

/// Offset of the `}` closing the `{` at the start of `s`.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in outside(s) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// One escape's content (without braces) as SQL.
fn escape(inner: &str) -> Result<String, EngineError> {
    let (word, rest) = inner
        .split_once(|c: char| c.is_whitespace() || c == '\'')
        .map(|(w, _)| (w, inner[w.len()..].trim()))
        .unwrap_or((inner, ""));
    match word.to_ascii_lowercase().as_str() {
        "d" => Ok(format!("DATE {rest}")),
        "t" => Ok(format!("TIME {rest}")),
        "ts" => Ok(format!("TIMESTAMP {rest}")),
        "fn" => function(rest),
        "oj" => Ok(rest.to_string()),
        "escape" => Ok(format!("ESCAPE {rest}")),
        "interval" => Ok(format!("INTERVAL {rest}")),
        "guid" => Ok(rest.to_string()),
        // a procedure call: `EXECUTE name(args)`, read by the procedures' parser
        "call" => Ok(format!("EXECUTE {rest}")),
        "?=call" | "?" => Err(EngineError::not_supported(format!(
            "'{{{}}}': the procedures answer result sets, not return values; write {{call ...}}",
            cut(inner)
        ))),
        _ => Err(EngineError::syntax(format!(
            "'{{{}}}' is not an ODBC escape sequence",
            cut(inner)
        ))),
    }
}

/// `NAME(args)` of a `{fn ...}` escape as SQL.
fn function(call: &str) -> Result<String, EngineError> {
    let open = call
        .find('(')
        .ok_or_else(|| EngineError::syntax(format!("'{{fn {call}}}' needs an argument list")))?;
    let name = call[..open].trim().to_ascii_uppercase();
    let body = call[open + 1..]
        .trim_end()
        .strip_suffix(')')
        .ok_or_else(|| EngineError::syntax(format!("'{{fn {call}}}' has no closing ')'")))?;
    let args = split_args(body);
    let arg = |n: usize| -> Result<&str, EngineError> {
        args.get(n).map(String::as_str).ok_or_else(|| {
            EngineError::syntax(format!("{{fn {name}}} needs at least {} arguments", n + 1))
        })
    };
    match name.as_str() {
        "CONVERT" => {
            let ty = arg(1)?.to_ascii_uppercase();
            let sql_type = lookup(CONVERT_TYPES, &ty)
                .ok_or_else(|| EngineError::syntax(format!("{{fn CONVERT}}: unknown type {ty}")))?;
            return Ok(format!("CAST({} AS {sql_type})", arg(0)?));
        }
        "TIMESTAMPADD" => {
            let secs = unit(arg(0)?)?;
            return Ok(format!(
                "to_timestamp_micros(CAST(date_part('epoch', {}) * 1000000 AS BIGINT) + CAST({} AS BIGINT) * {})",
                arg(2)?,
                arg(1)?,
                secs * 1_000_000
            ));
        }
        "TIMESTAMPDIFF" => {
            let secs = unit(arg(0)?)?;
            return Ok(format!(
                "CAST(trunc((date_part('epoch', {}) - date_part('epoch', {})) / {secs}) AS BIGINT)",
                arg(2)?,
                arg(1)?
            ));
        }
        "LOCATE" if args.len() == 3 => {
            let (needle, hay, start) = (arg(0)?, arg(1)?, arg(2)?);
            return Ok(format!(
                "(CASE WHEN strpos(substr({hay}, {start}), {needle}) = 0 THEN 0 \
                 ELSE strpos(substr({hay}, {start}), {needle}) + {start} - 1 END)"
            ));
        }
        _ => {}
    }
    let Some(template) = lookup(FUNCTIONS, &name) else {
        return Ok(format!("{name}({body})"));
    };
    let mut sql = template.replace("$*", body);
    for (i, a) in args.iter().enumerate().rev() {
        sql = sql.replace(&format!("${}", i + 1), a);
    }
    if sql.contains('$') && !template.contains("$*") {
        return Err(EngineError::syntax(format!(
            "{{fn {name}}}: too few arguments"
        )));
    }
    Ok(sql)
}

fn unit(text: &str) -> Result<i64, EngineError> {
    let key = text.trim().to_ascii_uppercase();
    UNITS
        .iter()
        .find(|(n, _)| *n == key || n.trim_start_matches("SQL_TSI_") == key)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            EngineError::not_supported(format!(
                "interval unit {key} is not supported (SECOND to WEEK are)"
            ))
        })
}

fn lookup(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Arguments split at top-level commas.
fn split_args(body: &str) -> Vec<String> {
    let mut args = vec![];
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in outside(body) {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                args.push(body[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = body[start..].trim();
    if !last.is_empty() || !args.is_empty() {
        args.push(last.to_string());
    }
    args
}

fn cut(s: &str) -> String {
    s.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::expand;

    #[test]
    fn literals_joins_and_like_escapes() {
        assert_eq!(
            expand("SELECT * FROM Deals WHERE AddTime > {ts '2026-01-01 00:00:00'} AND d = {d '2026-01-02'} AND t < {t '10:00:00'}").unwrap(),
            "SELECT * FROM Deals WHERE AddTime > TIMESTAMP '2026-01-01 00:00:00' AND d = DATE '2026-01-02' AND t < TIME '10:00:00'"
        );
        assert_eq!(
            expand("SELECT 1 FROM {oj Deals d LEFT OUTER JOIN Persons p ON d.PersonId = p.Id}")
                .unwrap(),
            "SELECT 1 FROM Deals d LEFT OUTER JOIN Persons p ON d.PersonId = p.Id"
        );
        assert_eq!(
            expand(r"SELECT 1 WHERE a LIKE 'x\_%' {escape '\'}").unwrap(),
            r"SELECT 1 WHERE a LIKE 'x\_%' ESCAPE '\'"
        );
    }

    #[test]
    fn functions_nest_and_reorder_arguments() {
        assert_eq!(
            expand("SELECT {fn UCASE({fn LTRIM(Title)})}, {fn LOCATE('a', Title)}").unwrap(),
            "SELECT upper(LTRIM(Title)), strpos(Title, 'a')"
        );
        assert_eq!(
            expand("SELECT {fn CONVERT(Value, SQL_INTEGER)}, {fn MOD(Id, 3)}").unwrap(),
            "SELECT CAST(Value AS BIGINT), (Id % 3)"
        );
        assert_eq!(
            expand("SELECT {fn CURDATE()}").unwrap(),
            "SELECT current_date()"
        );
        assert_eq!(
            expand("SELECT {fn IFNULL(a, 'x,y')}").unwrap(),
            "SELECT coalesce(a, 'x,y')"
        );
    }

    #[test]
    fn braces_in_strings_and_comments_are_text() {
        let sql = "SELECT '{fn x}' AS \"{d\" -- {oops\nFROM Deals /* {ts */";
        assert_eq!(expand(sql).unwrap(), sql);
    }

    #[test]
    fn bad_escapes_are_errors_that_name_them() {
        assert!(expand("SELECT {fn UCASE(x)")
            .unwrap_err()
            .message
            .contains("not closed"));
        assert!(expand("SELECT {zz 1}")
            .unwrap_err()
            .message
            .contains("{zz 1}"));
        assert!(expand("SELECT {fn CONVERT(x, SQL_BLOB)}")
            .unwrap_err()
            .message
            .contains("SQL_BLOB"));
    }
}
