//! Names quoted with brackets, as SQL Server and Access write them (`SELECT [Lead Source] FROM
//! [Deals]`), rewritten as double-quoted names before parsing. Brackets right after a value
//! (`tags[1]`) and bracketed lists (`[1, 2]`) stay what they are; text inside quotes and
//! comments is left alone.

/// The statement with every bracket-quoted name double-quoted.
pub fn unbracket(sql: &str) -> String {
    if !sql.contains('[') {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let bytes = sql.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        let rest = &sql[i..];
        let skip = match bytes[i] {
            b'\'' | b'"' => quoted_len(rest, bytes[i]),
            b'-' if rest.starts_with("--") => rest.find('\n').unwrap_or(rest.len()),
            b'/' if rest.starts_with("/*") => rest.find("*/").map_or(rest.len(), |e| e + 2),
            b'[' if !follows_value(&sql[..i]) => match bracketed(rest) {
                Some((name, len)) if is_name(&name) => {
                    out.push_str(&sql[copied..i]);
                    out.push('"');
                    out.push_str(&name.replace('"', "\"\""));
                    out.push('"');
                    copied = i + len;
                    len
                }
                _ => 1,
            },
            // a whole character: the next one starts on its boundary
            _ => rest.chars().next().map_or(1, char::len_utf8),
        };
        i += skip;
    }
    out.push_str(&sql[copied..]);
    out
}

/// Length of the quoted text at the start of `s` (doubled quotes inside), or all of `s`.
fn quoted_len(s: &str, quote: u8) -> usize {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// The name inside the brackets at the start of `s` (`]]` stands for `]`) and the length of
/// the whole, when the brackets close.
fn bracketed(s: &str) -> Option<(String, usize)> {
    let mut name = String::new();
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == ']' {
            if matches!(chars.peek(), Some((_, ']'))) {
                chars.next();
                name.push(']');
                continue;
            }
            return Some((name, i + 1));
        }
        name.push(c);
    }
    None
}

/// Whether a `[` here would index the value just before it (no space between).
fn follows_value(before: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ')' | ']' | '"'))
}

fn is_name(name: &str) -> bool {
    let t = name.trim();
    !t.is_empty()
        && !name.contains([',', '[', '\n'])
        && !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
}

#[cfg(test)]
mod tests {
    use super::unbracket;

    #[test]
    fn bracket_quoted_names_become_double_quoted() {
        let cases = [
            (
                "SELECT [Lead Source], [Id] FROM [Deals]",
                r#"SELECT "Lead Source", "Id" FROM "Deals""#,
            ),
            (
                "SELECT d.[Title] FROM [Pipedrive].[Pipedrive].[Deals] d",
                r#"SELECT d."Title" FROM "Pipedrive"."Pipedrive"."Deals" d"#,
            ),
            // `]]` is a bracket inside the name; a double quote inside is doubled
            (
                "SELECT [a]]b], [say \"hi\"] FROM t",
                r#"SELECT "a]b", "say ""hi""" FROM t"#,
            ),
            // quotes and comments are left alone, with the brackets inside them
            (
                "SELECT '[x]', \"[y]\" FROM t -- [z]\n/* [w] */ WHERE [O'Brien] = 'it''s [v]'",
                "SELECT '[x]', \"[y]\" FROM t -- [z]\n/* [w] */ WHERE \"O'Brien\" = 'it''s [v]'",
            ),
            // indexes and lists stay
            (
                "SELECT tags[1], make_array(1)[1], [1, 2] FROM t",
                "SELECT tags[1], make_array(1)[1], [1, 2] FROM t",
            ),
            ("SELECT [ 3 ] FROM t", "SELECT [ 3 ] FROM t"),
            ("SELECT [unclosed FROM t", "SELECT [unclosed FROM t"),
            ("SELECT [] FROM t", "SELECT [] FROM t"),
            ("SELECT [Café Olé] FROM t", r#"SELECT "Café Olé" FROM t"#),
            // characters of several bytes outside brackets, before and after them
            (
                "SELECT Größe, [Lead Source], 漢字 FROM t",
                r#"SELECT Größe, "Lead Source", 漢字 FROM t"#,
            ),
        ];
        for (sql, expected) in cases {
            assert_eq!(unbracket(sql), expected, "{sql}");
        }
    }
}
