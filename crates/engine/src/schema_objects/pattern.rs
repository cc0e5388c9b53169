//! Name arguments of schema searches: a search pattern (`%` any run, `_` any one character,
//! `\` escapes) or a name matched case-insensitively, as identifiers are.

/// How an argument names objects: a search pattern, or a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    Pattern,
    Name,
}

/// A name argument; `None` (NULL) matches everything.
#[derive(Clone, Debug, Default)]
pub struct Filter(pub Option<String>);

impl Filter {
    pub fn any() -> Filter {
        Filter(None)
    }

    /// Whether an argument was given at all.
    pub fn is_given(&self) -> bool {
        self.0.is_some()
    }

    /// Whether `value` is selected; with `metadata_id` (identifier arguments) every argument
    /// is a name.
    pub fn matches(&self, value: &str, arg: Arg, metadata_id: bool) -> bool {
        let Some(p) = self.0.as_deref() else {
            return true;
        };
        if metadata_id || arg == Arg::Name {
            let name = p.trim();
            let name = name
                .strip_prefix('"')
                .and_then(|n| n.strip_suffix('"'))
                .unwrap_or(name);
            // an empty name is taken as "any" (applications pass "" for the single catalog)
            return name.is_empty() || name.eq_ignore_ascii_case(value);
        }
        like(p, value)
    }
}

/// `%` any run, `_` any one character, `\` escapes; case-insensitive like identifiers.
pub fn like(pattern: &str, value: &str) -> bool {
    fn go(p: &[char], v: &[char]) -> bool {
        match p.first() {
            None => v.is_empty(),
            Some('%') => (0..=v.len()).any(|k| go(&p[1..], &v[k..])),
            Some('_') => !v.is_empty() && go(&p[1..], &v[1..]),
            Some('\\') if p.len() > 1 => {
                !v.is_empty() && p[1].to_lowercase().eq(v[0].to_lowercase()) && go(&p[2..], &v[1..])
            }
            Some(c) => {
                !v.is_empty() && c.to_lowercase().eq(v[0].to_lowercase()) && go(&p[1..], &v[1..])
            }
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let v: Vec<char> = value.chars().collect();
    go(&p, &v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_and_names() {
        let cases: &[(&str, &str, bool)] = &[
            ("Deal%", "DealsProducts", true),
            ("deal_", "Deals", true),
            ("Deal_", "DealsProducts", false),
            ("Deals\\_x", "Deals_x", true),
            ("Deals\\_x", "Dealsax", false),
            ("%", "", true),
            ("_", "", false),
        ];
        for (pattern, value, expected) in cases {
            assert_eq!(like(pattern, value), *expected, "{pattern} ~ {value}");
        }
        let f = Filter(Some("deals".into()));
        assert!(f.matches("Deals", Arg::Name, false));
        assert!(!Filter(Some("Deal%".into())).matches("Deals", Arg::Name, false));
        assert!(Filter(Some("\"Deals\"".into())).matches("Deals", Arg::Pattern, true));
        assert!(Filter(Some(String::new())).matches("Deals", Arg::Name, false));
        assert!(Filter(None).matches("x", Arg::Pattern, false));
    }
}
