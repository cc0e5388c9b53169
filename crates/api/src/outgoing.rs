//! One request as the caller gave it — method, address, query, what it carries — from which
//! each attempt builds its HTTP request anew (a multipart form is consumed by sending).

use crate::endpoint::{url, ApiVersion};
use reqwest::multipart::{Form, Part};
use reqwest::{Method, RequestBuilder};
use serde_json::Value;

/// A file to upload: its name and content.
#[derive(Clone, Debug)]
pub struct FilePart {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a request carries.
#[derive(Clone, Copy)]
pub(crate) enum Payload<'a> {
    None,
    Json(&'a Value),
    Multipart(&'a [(String, String)], &'a FilePart),
}

/// A request to send, with its retries.
pub(crate) struct Outgoing<'a> {
    method: Method,
    /// The full URL.
    target: String,
    query: &'a [(String, String)],
    body: Payload<'a>,
    /// How errors and events name the request (`GET /v2/deals`).
    pub(crate) what: String,
    /// The largest answer body taken; a longer one ends the request (memory stays bounded
    /// whatever comes back).
    pub(crate) max_answer: usize,
}

/// The largest JSON answer taken: a page of 500 records with long texts is a few MB, so an
/// answer this large is not one the API sends.
pub(crate) const MAX_JSON_ANSWER: usize = 64 << 20;
/// The largest file download taken (Pipedrive's own upload limit is far below it).
pub(crate) const MAX_FILE_ANSWER: usize = 512 << 20;

impl<'a> Outgoing<'a> {
    /// `method` on `path` below `/api/v1` or `/api/v2` of `base_url`.
    pub(crate) fn new(
        base_url: &str,
        method: Method,
        version: ApiVersion,
        path: &str,
        query: &'a [(String, String)],
        body: Payload<'a>,
    ) -> Self {
        Outgoing {
            what: format!("{method} {}{}", version.prefix(), path),
            target: url(base_url, version, path),
            method,
            query,
            body,
            max_answer: MAX_JSON_ANSWER,
        }
    }

    /// This request, taking answers up to `bytes` long.
    pub(crate) fn answers_up_to(mut self, bytes: usize) -> Self {
        self.max_answer = bytes;
        self
    }

    /// A read, which may be sent again whatever happened to an earlier attempt.
    pub(crate) fn is_read(&self) -> bool {
        self.method == Method::GET
    }

    /// The HTTP request of one attempt, without credentials.
    pub(crate) fn build(&self, http: &reqwest::Client) -> RequestBuilder {
        let req = http
            .request(self.method.clone(), self.target.as_str())
            .query(self.query);
        match self.body {
            Payload::None => req,
            Payload::Json(b) => req.json(b),
            Payload::Multipart(fields, file) => req.multipart(form(fields, file)),
        }
    }
}

/// A `multipart/form-data` body: the file as `file`, then the text fields.
fn form(fields: &[(String, String)], file: &FilePart) -> Form {
    let part = Part::bytes(file.bytes.clone()).file_name(file.name.clone());
    fields
        .iter()
        .fold(Form::new().part("file", part), |form, (k, v)| {
            form.text(k.clone(), v.clone())
        })
}
