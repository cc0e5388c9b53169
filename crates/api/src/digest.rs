//! HTTP Digest access authentication (RFC 7616, and RFC 2617's forms), as a proxy asks for it in
//! `Proxy-Authenticate` and checks it in `Proxy-Authorization`: the challenge read from a 407,
//! and the answer for each request made under it (the nonce used again with a growing count,
//! so that one challenge serves many requests).

use md5::{Digest as _, Md5};

/// The hash a challenge names; the `-sess` forms hash the nonces into the first value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Algorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}

impl Algorithm {
    fn from_name(name: &str) -> Option<Algorithm> {
        match name.to_ascii_uppercase().as_str() {
            "MD5" => Some(Algorithm::Md5),
            "MD5-SESS" => Some(Algorithm::Md5Sess),
            "SHA-256" => Some(Algorithm::Sha256),
            "SHA-256-SESS" => Some(Algorithm::Sha256Sess),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
        }
    }

    fn strength(self) -> u8 {
        match self {
            Algorithm::Md5 | Algorithm::Md5Sess => 0,
            Algorithm::Sha256 | Algorithm::Sha256Sess => 1,
        }
    }

    fn sess(self) -> bool {
        matches!(self, Algorithm::Md5Sess | Algorithm::Sha256Sess)
    }

    /// The lower-case hex of the hash of `text`.
    fn hex(self, text: &str) -> String {
        let bytes: Vec<u8> = match self {
            Algorithm::Md5 | Algorithm::Md5Sess => Md5::digest(text.as_bytes()).to_vec(),
            Algorithm::Sha256 | Algorithm::Sha256Sess => {
                aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes())
                    .as_ref()
                    .to_vec()
            }
        };
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A Digest challenge this module can answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Challenge {
    realm: String,
    nonce: String,
    opaque: Option<String>,
    algorithm: Algorithm,
    /// `qop=auth` offered (else the RFC 2069 form, without count and client nonce).
    qop_auth: bool,
    /// The nonce of an earlier answer ran out: the credentials themselves were accepted.
    pub(crate) stale: bool,
}

impl Challenge {
    /// The strongest Digest challenge among the values of a 407's `Proxy-Authenticate`
    /// headers (each may hold several challenges), if one is answerable: a challenge that
    /// offers only `qop=auth-int`, or an unknown algorithm, is not.
    pub(crate) fn pick<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<Challenge> {
        values
            .into_iter()
            .flat_map(challenges)
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("digest"))
            .filter_map(|(_, params)| Challenge::from_params(&params))
            .max_by_key(|c| c.algorithm.strength())
    }

    fn from_params(params: &[(String, String)]) -> Option<Challenge> {
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let algorithm = match get("algorithm") {
            None => Algorithm::Md5,
            Some(name) => Algorithm::from_name(name)?,
        };
        let qop_auth = match get("qop") {
            None => false,
            Some(list) => {
                if !list
                    .split(',')
                    .any(|q| q.trim().eq_ignore_ascii_case("auth"))
                {
                    return None;
                }
                true
            }
        };
        Some(Challenge {
            realm: get("realm")?.to_string(),
            nonce: get("nonce")?.to_string(),
            opaque: get("opaque").map(str::to_string),
            algorithm,
            qop_auth,
            stale: get("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")),
        })
    }
}

/// Answers to one challenge, counted: each request sends the next count (`nc`).
#[derive(Debug)]
pub(crate) struct DigestSession {
    challenge: Challenge,
    count: u32,
}

impl DigestSession {
    pub(crate) fn new(challenge: Challenge) -> DigestSession {
        DigestSession {
            challenge,
            count: 0,
        }
    }

    /// The `Proxy-Authorization` value for `method` on `uri` (the request target as sent:
    /// `host:port` for CONNECT), with `cnonce` as the client nonce.
    pub(crate) fn authorization(
        &mut self,
        user: &str,
        password: &str,
        method: &str,
        uri: &str,
        cnonce: &str,
    ) -> String {
        self.count = self.count.wrapping_add(1);
        let c = &self.challenge;
        let alg = c.algorithm;
        let nc = format!("{:08x}", self.count);
        let mut ha1 = alg.hex(&format!("{user}:{}:{password}", c.realm));
        if alg.sess() {
            ha1 = alg.hex(&format!("{ha1}:{}:{cnonce}", c.nonce));
        }
        let ha2 = alg.hex(&format!("{method}:{uri}"));
        let response = if c.qop_auth {
            alg.hex(&format!("{ha1}:{}:{nc}:{cnonce}:auth:{ha2}", c.nonce))
        } else {
            alg.hex(&format!("{ha1}:{}:{ha2}", c.nonce))
        };
        let mut value = format!(
            "Digest username={}, realm={}, nonce={}, uri={}, algorithm={}, response=\"{response}\"",
            quoted(user),
            quoted(&c.realm),
            quoted(&c.nonce),
            quoted(uri),
            alg.name()
        );
        if let Some(opaque) = &c.opaque {
            value.push_str(&format!(", opaque={}", quoted(opaque)));
        }
        if c.qop_auth {
            value.push_str(&format!(", qop=auth, nc={nc}, cnonce={}", quoted(cnonce)));
        }
        value
    }
}

fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        if ch == '"' || ch == '\\' {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('"');
    out
}

/// The challenges of one header value: each scheme with its parameters. A `token68` (what
/// Negotiate sends) reads as a scheme of its own, which nothing here answers.
fn challenges(value: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return out;
        }
        let end = rest
            .find(|c: char| c == '=' || c == ',' || c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        if end == 0 {
            // a stray '=' (a token68's padding)
            rest = &rest[1..];
            continue;
        }
        let (word, after) = rest.split_at(end);
        let after_spaces = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if after_spaces.starts_with('=') && !after_spaces.starts_with("==") {
            let (param, remaining) = param_value(after_spaces[1..].trim_start());
            if let Some((_, params)) = out.last_mut() {
                params.push((word.to_string(), param));
            }
            rest = remaining;
        } else {
            out.push((word.to_string(), Vec::new()));
            rest = after;
        }
    }
}

/// A parameter's value (a quoted string, unescaped, or a token) and what follows it.
fn param_value(text: &str) -> (String, &str) {
    let Some(quoted) = text.strip_prefix('"') else {
        let end = text
            .find(|c: char| c == ',' || c.is_ascii_whitespace())
            .unwrap_or(text.len());
        return (text[..end].to_string(), &text[end..]);
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, ch)) = chars.next() {
        match ch {
            '"' => return (value, &quoted[i + 1..]),
            '\\' => {
                if let Some((_, next)) = chars.next() {
                    value.push(next);
                }
            }
            _ => value.push(ch),
        }
    }
    (value, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_match_the_rfcs_examples() {
        // (challenge, user, password, method, uri, cnonce, the response the RFC gives)
        let cases = [
            // RFC 2617 §3.5
            (
                r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
                "Mufasa",
                "Circle Of Life",
                "GET",
                "/dir/index.html",
                "0a4f113b",
                "6629fae49393a05397450978507c4ef1",
            ),
            // RFC 7616 §3.9.1, MD5
            (
                r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#,
                "Mufasa",
                "Circle of Life",
                "GET",
                "/dir/index.html",
                "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
                "8ca523f5e9506fed4657c9700eebdbec",
            ),
            // RFC 7616 §3.9.1, SHA-256
            (
                r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#,
                "Mufasa",
                "Circle of Life",
                "GET",
                "/dir/index.html",
                "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
                "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
            ),
        ];
        for (header, user, password, method, uri, cnonce, expected) in cases {
            let challenge = Challenge::pick([header]).expect(header);
            let mut session = DigestSession::new(challenge);
            let answer = session.authorization(user, password, method, uri, cnonce);
            assert!(
                answer.contains(&format!("response=\"{expected}\"")),
                "{header}\n{answer}"
            );
            assert!(answer.contains("nc=00000001"), "{answer}");
            assert!(answer.contains(&format!("uri=\"{uri}\"")), "{answer}");
            assert!(answer.contains("opaque="), "{answer}");
            // the next request counts on with the same nonce
            let next = session.authorization(user, password, method, uri, cnonce);
            assert!(next.contains("nc=00000002"), "{next}");
            assert!(!next.contains(expected), "{next}");
        }
    }

    #[test]
    fn the_strongest_answerable_digest_challenge_is_picked() {
        // (header values, the algorithm picked, qop=auth used, stale)
        type Picked = Option<(&'static str, bool, bool)>;
        let cases: &[(&[&str], Picked)] = &[
            (&[r#"Basic realm="corp""#], None),
            (
                &[r#"Digest realm="r", nonce="n""#],
                Some(("MD5", false, false)),
            ),
            (
                &[r#"Digest realm="r", nonce="n", qop="auth", stale=TRUE"#],
                Some(("MD5", true, true)),
            ),
            (
                &[
                    r#"Basic realm="corp""#,
                    r#"Digest realm="r", nonce="n", algorithm=MD5, qop="auth""#,
                    r#"Digest realm="r", nonce="n", algorithm=SHA-256, qop="auth""#,
                ],
                Some(("SHA-256", true, false)),
            ),
            // several challenges in one value, a token68 among them
            (
                &[
                    r#"Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg==, Basic realm="a, b", Digest realm="r", nonce="n", algorithm=MD5-sess, qop=auth"#,
                ],
                Some(("MD5-sess", true, false)),
            ),
            (&[r#"Digest realm="r", nonce="n", qop="auth-int""#], None),
            (
                &[r#"Digest realm="r", nonce="n", algorithm=SHA-512-256"#],
                None,
            ),
            (&[r#"Digest realm="r""#], None),
            (&[r#"Digest nonce="unterminated"#], None),
            (&["", ",,, ,", "=", "Digest =", "Digest realm"], None),
        ];
        for (values, expected) in cases {
            let picked = Challenge::pick(values.iter().copied())
                .map(|c| (c.algorithm.name(), c.qop_auth, c.stale));
            assert_eq!(picked, *expected, "{values:?}");
        }
    }

    #[test]
    fn quoted_values_are_escaped_both_ways() {
        let challenge =
            Challenge::pick([r#"Digest realm="a \"quoted\" realm\\", nonce="n\,1""#]).unwrap();
        assert_eq!(challenge.realm, r#"a "quoted" realm\"#);
        assert_eq!(challenge.nonce, "n,1");
        let answer = DigestSession::new(challenge).authorization(
            r#"dom\ann"#,
            "pw",
            "CONNECT",
            "api.pipedrive.com:443",
            "c",
        );
        assert!(answer.starts_with(r#"Digest username="dom\\ann", realm="a \"quoted\" realm\\""#));
        assert!(
            answer.contains(r#"uri="api.pipedrive.com:443""#),
            "{answer}"
        );
        assert!(!answer.contains("qop="), "no qop offered: {answer}");
    }
}
