//! What each operation of the route table does to the account.

mod actions;
mod fields;
mod read;
mod shaping;
mod special;
mod write;

use crate::dice::Dice;
use crate::entities::{entity, ApiVersion, EntitySpec, IdKind};
use crate::error::{ApiError, ApiResult};
use crate::listing::Query;
use crate::routes::{Op, PathParams, Route};
use crate::store::Store;
use axum::http::StatusCode;
use serde_json::Value;
use std::sync::{Mutex, RwLock};

/// The company account behind the API: its data and the randomness new rows draw from.
pub struct Account {
    pub store: RwLock<Store>,
    pub dice: Mutex<Dice>,
}

/// One request, as the handlers see it.
pub struct Ctx<'a> {
    pub route: &'static Route,
    pub params: &'a PathParams,
    pub query: &'a Query,
    pub body: Option<&'a Value>,
    /// The user the credentials belong to.
    pub user_id: i64,
    pub company_domain: &'a str,
}

impl Ctx<'_> {
    pub fn version(&self) -> ApiVersion {
        self.route.version
    }
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
    /// The parent id of a child route (`/deals/{id}/products`, `/deals/{id}/followers/{x}`).
    pub fn parent_id(&self) -> ApiResult<Option<i64>> {
        // a child route continues past `/{collection}/{id}/`
        let segments: Vec<&str> = self.route.template.split('/').collect();
        if segments.len() <= 3 || segments[2] != "{id}" {
            return Ok(None);
        }
        let raw = self.param("id").unwrap_or_default();
        raw.parse().map(Some).map_err(|_| {
            ApiError::invalid(self.version(), format!("id: must be integer (got '{raw}')"))
        })
    }
    /// The row id the route addresses: the last path parameter.
    pub fn row_id(&self, spec: &EntitySpec) -> ApiResult<String> {
        let raw = self
            .params
            .last()
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        if spec.id == IdKind::Int && raw.parse::<i64>().is_err() {
            return Err(ApiError::invalid(
                self.version(),
                format!("id: must be integer (got '{raw}')"),
            ));
        }
        Ok(raw)
    }
    pub fn body_object(&self) -> ApiResult<&serde_json::Map<String, Value>> {
        self.body
            .and_then(Value::as_object)
            .ok_or_else(|| ApiError::invalid(self.version(), "body: must be a JSON object"))
    }
}

/// A successful answer: status and JSON text (or a file's bytes).
pub struct Answer {
    pub status: StatusCode,
    pub body: String,
    /// Raw bytes sent instead of `body` (`application/octet-stream`).
    pub bytes: Option<Vec<u8>>,
}

impl Answer {
    pub fn ok(body: String) -> Self {
        Answer::with_status(StatusCode::OK, body)
    }
    pub fn with_status(status: StatusCode, body: String) -> Self {
        Answer {
            status,
            body,
            bytes: None,
        }
    }
    pub fn bytes(bytes: Vec<u8>) -> Self {
        Answer {
            bytes: Some(bytes),
            ..Answer::ok(String::new())
        }
    }
    pub fn data(data: &Value) -> Self {
        Self::ok(format!(r#"{{"success":true,"data":{data}}}"#))
    }
}

/// Runs the route's operation.
pub fn handle(account: &Account, ctx: &Ctx) -> ApiResult<Answer> {
    let read = || account.store.read().unwrap_or_else(|e| e.into_inner());
    let write = || account.store.write().unwrap_or_else(|e| e.into_inner());
    let dice = || account.dice.lock().unwrap_or_else(|e| e.into_inner());
    match ctx.route.op {
        Op::List(name) => read::list(&read(), entity(name), ctx),
        Op::Read(name) => read::get(&read(), entity(name), ctx),
        Op::Create(name) => write::create(&mut write(), &mut dice(), entity(name), ctx),
        Op::Update(name) => write::update(&mut write(), entity(name), ctx),
        Op::Remove(name) => write::delete(&mut write(), entity(name), ctx),
        Op::BulkDelete(name) => write::bulk_delete(&mut write(), entity(name), ctx),
        Op::FieldList(owner) => fields::list(&read(), owner, ctx),
        Op::FieldGet(owner) => fields::get(&read(), owner, ctx),
        Op::FieldCreate(owner) => fields::create(&mut write(), &mut dice(), owner, ctx),
        Op::FieldUpdate(owner) => fields::update(&mut write(), owner, ctx),
        Op::FieldDelete(owner) => fields::delete(&mut write(), owner, ctx),
        Op::FieldOptions(owner) => fields::options(&mut write(), owner, ctx),
        Op::Me => special::me(&read(), ctx),
        Op::LeadSources => special::lead_sources(&read()),
        Op::GoalsFind => special::goals_find(&read(), ctx),
        Op::DealFlow => special::deal_flow(&read(), ctx),
        Op::Recents => special::recents(&read(), ctx),
        Op::Merge(name) => actions::merge(&mut write(), entity(name), ctx),
        Op::Duplicate(name) => actions::duplicate(&mut write(), &mut dice(), entity(name), ctx),
        Op::Convert(from) => actions::convert(&mut write(), &mut dice(), from, ctx),
        Op::ConvertStatus(from) => actions::convert_status(&read(), from, ctx),
        Op::Upload => actions::upload(&mut write(), &mut dice(), ctx),
        Op::Download => actions::download(&read(), ctx),
    }
}

/// "Deal", "Lead label": how error messages name one row of a collection.
pub fn singular(name: &str) -> String {
    let base = match name {
        "activities" => "activity".to_string(),
        "currencies" => "currency".to_string(),
        "persons" => "person".to_string(),
        "dealProducts" => "product attachment".to_string(),
        "dealFollowers" => "follower".to_string(),
        "dealParticipants" => "participant".to_string(),
        other => {
            let mut words = String::new();
            for c in other.trim_end_matches('s').chars() {
                if c.is_uppercase() {
                    words.push(' ');
                }
                words.extend(c.to_lowercase());
            }
            words
        }
    };
    let mut chars = base.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub fn not_found(spec: &EntitySpec) -> ApiError {
    ApiError::not_found(&singular(spec.name))
}

/// Fails with 404 unless deal `id` exists (children of a deal).
pub fn parent_must_exist(store: &Store, spec: &EntitySpec, parent: i64) -> ApiResult<()> {
    let (parent_name, _) = spec.parent.unwrap_or(("deals", "deal_id"));
    if store.exists(parent_name, parent) {
        Ok(())
    } else {
        Err(not_found(entity(parent_name)))
    }
}
