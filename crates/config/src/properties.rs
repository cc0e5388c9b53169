//! A set of connection properties: keys match case-insensitively, the first spelling is kept.

use std::fmt;

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Properties(Vec<(String, String)>);

/// Keys whose values are never shown.
const SECRET_KEYS: &[&str] = &[
    "APIToken",
    "PWD",
    "Password",
    "OAuthClientSecret",
    "OAuthAccessToken",
    "OAuthRefreshToken",
    "OAuthVerifier",
    "ProxyPassword",
];

pub fn is_secret(key: &str) -> bool {
    SECRET_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

impl Properties {
    pub fn new() -> Self {
        Properties::default()
    }

    /// Parses `key=value;key={value with ; and }} inside};...`. Keys are trimmed; values in
    /// braces are taken as written (`}}` stands for `}`), others are trimmed.
    pub fn parse(text: &str) -> Result<Properties, String> {
        let mut props = Properties::new();
        let mut rest = text;
        loop {
            rest = rest.trim_start_matches(|c: char| c == ';' || c.is_whitespace());
            if rest.is_empty() {
                return Ok(props);
            }
            let eq = rest
                .find('=')
                .ok_or_else(|| format!("'{}' has no '=' (expected key=value)", cut(rest)))?;
            let key = rest[..eq].trim();
            if key.is_empty() || key.contains(';') {
                return Err(format!("a key is missing before '=' in '{}'", cut(rest)));
            }
            rest = rest[eq + 1..].trim_start();
            let value;
            if let Some(braced) = rest.strip_prefix('{') {
                let (v, after) = braced_value(braced)
                    .ok_or_else(|| format!("the value of {key} opens '{{' but never closes it"))?;
                value = v;
                rest = after.trim_start();
                if !(rest.is_empty() || rest.starts_with(';')) {
                    return Err(format!(
                        "unexpected text after the value of {key}: '{}'",
                        cut(rest)
                    ));
                }
            } else {
                let end = rest.find(';').unwrap_or(rest.len());
                value = rest[..end].trim().to_string();
                rest = &rest[end..];
            }
            props.set(key, value);
        }
    }

    /// Sets a key, replacing an earlier value of any spelling.
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key.to_string(), value)),
        }
    }

    /// The value of a key, `None` when absent or empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k.eq_ignore_ascii_case(key))
    }

    pub fn remove(&mut self, key: &str) -> Option<String> {
        let i = self
            .0
            .iter()
            .position(|(k, _)| k.eq_ignore_ascii_case(key))?;
        Some(self.0.remove(i).1)
    }

    /// These properties, with `other`'s keys added where this set has none.
    pub fn or(mut self, other: &Properties) -> Properties {
        for (k, v) in &other.0 {
            if !self.contains(k) {
                self.0.push((k.clone(), v.clone()));
            }
        }
        self
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// As a connection string, values braced where they need it.
    pub fn to_connection_string(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={}", quote(v)))
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// Secrets shown as `***`.
impl fmt::Debug for Properties {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| match is_secret(k) {
                true => format!("{k}=***"),
                false => format!("{k}={}", quote(v)),
            })
            .collect();
        f.write_str(&shown.join(";"))
    }
}

fn quote(v: &str) -> String {
    if v.contains([';', '{', '}']) || v.trim() != v {
        format!("{{{}}}", v.replace('}', "}}"))
    } else {
        v.to_string()
    }
}

/// The text of a `{...}` value (after the opening brace) and what follows its closing brace.
fn braced_value(s: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '}' {
            if let Some((_, '}')) = chars.peek() {
                chars.next();
                value.push('}');
                continue;
            }
            return Some((value, &s[i + 1..]));
        }
        value.push(c);
    }
    None
}

fn cut(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_braced_values() {
        let p = Properties::parse(
            " DSN = Pipedrive ; apitoken={a;b}}c} ;BaseURL=http://127.0.0.1:9;Empty=;",
        )
        .unwrap();
        assert_eq!(p.get("dsn"), Some("Pipedrive"));
        assert_eq!(p.get("APIToken"), Some("a;b}c"));
        assert_eq!(p.get("BASEURL"), Some("http://127.0.0.1:9"));
        assert_eq!(p.get("Empty"), None);
        assert!(p.contains("empty"));
    }

    #[test]
    fn rejects_broken_strings() {
        assert!(Properties::parse("DSN").unwrap_err().contains("no '='"));
        assert!(Properties::parse("APIToken={abc")
            .unwrap_err()
            .contains("never closes"));
        assert!(Properties::parse("=x")
            .unwrap_err()
            .contains("key is missing"));
        assert!(Properties::parse("A={x}y")
            .unwrap_err()
            .contains("unexpected text"));
    }

    #[test]
    fn later_keys_replace_earlier_and_or_fills_gaps() {
        let mut p = Properties::parse("a=1;A=2").unwrap();
        assert_eq!(p.get("a"), Some("2"));
        p = p.or(&Properties::parse("a=3;b=4").unwrap());
        assert_eq!(p.get("a"), Some("2"));
        assert_eq!(p.get("B"), Some("4"));
    }

    #[test]
    fn secrets_never_show_in_debug_and_round_trip_as_text() {
        let p = Properties::parse("APIToken=s3cret;Name={x;y}").unwrap();
        let shown = format!("{p:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert_eq!(Properties::parse(&p.to_connection_string()).unwrap(), p);
    }
}
