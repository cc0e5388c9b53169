//! Procedure calls as applications write them: `EXEC name @Param = value, ...` (the `@` may be
//! left out), `EXECUTE name value, ...`, `EXECUTE name(value, ...)` (what the `{call name(...)}` escape becomes), with
//! quoted strings, numbers, NULL, bare words and `?` markers as values.

use crate::error::EngineError;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Null,
    /// The n-th `?` of the statement (from 0).
    Marker(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The procedure's name, without catalog and schema.
    pub name: String,
    /// Arguments in order, with the parameter name when written as `@Name = value`.
    pub args: Vec<(Option<String>, Value)>,
    pub markers: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
    Text(String),
    Param(String),
    Marker,
    Symbol(char),
}

fn tokens(sql: &str) -> Result<Vec<Token>, EngineError> {
    let mut out = vec![];
    let mut chars = sql.chars().peekable();
    let word = |chars: &mut std::iter::Peekable<std::str::Chars>| {
        let mut w = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_alphanumeric() || c == '_' || c == '.' || c == '-' || c == '+' || c == ':' {
                w.push(c);
                chars.next();
            } else {
                break;
            }
        }
        w
    };
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '\'' | '"' | '[' => {
                chars.next();
                let close = if c == '[' { ']' } else { c };
                let mut text = String::new();
                loop {
                    match chars.next() {
                        Some(x) if x == close => {
                            if chars.peek() == Some(&close) {
                                chars.next();
                                text.push(close);
                            } else {
                                break;
                            }
                        }
                        Some(x) => text.push(x),
                        None => {
                            return Err(EngineError::syntax(format!(
                                "unclosed {c} in the procedure call"
                            )))
                        }
                    }
                }
                out.push(if c == '\'' {
                    Token::Text(text)
                } else {
                    Token::Quoted(text)
                });
            }
            '@' => {
                chars.next();
                out.push(Token::Param(word(&mut chars)));
            }
            '?' => {
                chars.next();
                out.push(Token::Marker);
            }
            '(' | ')' | ',' | '=' | ';' => {
                chars.next();
                out.push(Token::Symbol(c));
            }
            _ => {
                let w = word(&mut chars);
                if w.is_empty() {
                    return Err(EngineError::syntax(format!(
                        "unexpected '{c}' in the procedure call"
                    )));
                }
                out.push(Token::Word(w));
            }
        }
    }
    Ok(out)
}

/// The call in `sql`, when it starts with EXEC or EXECUTE; `None` for any other statement.
pub fn parse(sql: &str) -> Option<Result<Call, EngineError>> {
    let trimmed = sql.trim_start();
    let keyword: String = trimmed
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    if !(keyword.eq_ignore_ascii_case("EXEC") || keyword.eq_ignore_ascii_case("EXECUTE")) {
        return None;
    }
    Some(tokens(&trimmed[keyword.len()..]).and_then(|t| call(&t)))
}

fn call(tokens: &[Token]) -> Result<Call, EngineError> {
    let mut rest = tokens;
    // a name, perhaps qualified: Pipedrive.Pipedrive.Name, "Name", [Name]
    let mut name = None;
    while let Some(t) = rest.first() {
        match t {
            Token::Word(w) => {
                name = Some(w.rsplit('.').next().unwrap_or(w).to_string());
                rest = &rest[1..];
                if !w.ends_with('.') {
                    break;
                }
            }
            Token::Quoted(q) => {
                name = Some(q.clone());
                rest = &rest[1..];
                match rest.first() {
                    Some(Token::Word(w)) if w.starts_with('.') => {
                        let after = w.trim_start_matches('.');
                        if !after.is_empty() {
                            name = Some(after.rsplit('.').next().unwrap_or(after).to_string());
                            rest = &rest[1..];
                            break;
                        }
                        rest = &rest[1..];
                    }
                    _ => break,
                }
            }
            _ => break,
        }
    }
    let name = name
        .filter(|n| !n.is_empty())
        .ok_or_else(|| EngineError::syntax("EXEC needs a procedure name"))?;
    if let Some(Token::Symbol(';')) = rest.last() {
        rest = &rest[..rest.len() - 1];
    }
    let parens = matches!(rest.first(), Some(Token::Symbol('(')));
    if parens {
        if rest.last() != Some(&Token::Symbol(')')) {
            return Err(EngineError::syntax(format!(
                "the arguments of {name} open '(' but never close it"
            )));
        }
        rest = &rest[1..rest.len() - 1];
    }
    let mut args = vec![];
    let mut markers = 0;
    for part in rest.split(|t| *t == Token::Symbol(',')) {
        if part.is_empty() {
            if rest.is_empty() {
                break;
            }
            return Err(EngineError::syntax(format!(
                "an argument of {name} is empty"
            )));
        }
        let (param, value) = match part {
            // `@Name = value`, or `Name = value` as the product documentation writes it
            [Token::Param(p) | Token::Word(p) | Token::Quoted(p), Token::Symbol('='), value @ ..] => {
                (Some(p.clone()), value)
            }
            value => (None, value),
        };
        let value = match value {
            [Token::Text(t)] => Value::Text(t.clone()),
            [Token::Word(w)] if w.eq_ignore_ascii_case("NULL") => Value::Null,
            [Token::Word(w)] | [Token::Quoted(w)] => Value::Text(w.clone()),
            [Token::Marker] => {
                markers += 1;
                Value::Marker(markers - 1)
            }
            _ => {
                return Err(EngineError::syntax(format!(
                    "an argument of {name} is not a value: write 'text', a number, NULL, ? or Param = value"
                )))
            }
        };
        args.push((param, value));
    }
    Ok(Call {
        name,
        args,
        markers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(sql: &str) -> Call {
        parse(sql).expect("a call").expect("valid")
    }

    #[test]
    fn named_positional_and_marker_arguments() {
        let c = call(
            "EXEC GetOAuthAuthorizationURL @CallbackURL = 'http://localhost:1/', @State='a''b';",
        );
        assert_eq!(c.name, "GetOAuthAuthorizationURL");
        assert_eq!(
            c.args,
            vec![
                (
                    Some("CallbackURL".into()),
                    Value::Text("http://localhost:1/".into())
                ),
                (Some("State".into()), Value::Text("a'b".into())),
            ]
        );
        let c = call("execute Pipedrive.Pipedrive.RefreshOAuthAccessToken(?, NULL, 42, WEB)");
        assert_eq!(c.name, "RefreshOAuthAccessToken");
        assert_eq!(c.markers, 1);
        assert_eq!(
            c.args,
            vec![
                (None, Value::Marker(0)),
                (None, Value::Null),
                (None, Value::Text("42".into())),
                (None, Value::Text("WEB".into())),
            ]
        );
        assert_eq!(call("EXEC \"GetX\"").args, vec![]);
        assert_eq!(call("EXECUTE [Pipedrive].[GetX]()").name, "GetX");
        // names without @, as in `EXEC GetOAuthAccessToken AuthMode = 'WEB', Verifier = '...'`
        let c = call("EXEC GetOAuthAccessToken AuthMode = 'WEB', Verifier='v-1', [State] = ?");
        assert_eq!(
            c.args,
            vec![
                (Some("AuthMode".into()), Value::Text("WEB".into())),
                (Some("Verifier".into()), Value::Text("v-1".into())),
                (Some("State".into()), Value::Marker(0)),
            ]
        );
        assert!(parse("EXEC X A = ").unwrap().is_err());
        assert!(parse("SELECT 1").is_none());
        assert!(parse("EXECUTION").is_none());
        assert!(parse("EXEC X @A = 'open").unwrap().is_err());
        assert!(parse("EXEC X(1, ").unwrap().is_err());
        assert!(parse("EXEC").unwrap().is_err());
    }
}
