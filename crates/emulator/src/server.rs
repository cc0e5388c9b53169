//! The HTTP face of the sandbox: the API under `/api/v1` and `/api/v2` (and `/v1`), the OAuth
//! server under `/oauth`, and control endpoints under `/_sandbox`.

use crate::config::{Faults, RateLimits, SandboxConfig};
use crate::entities::{entity, ApiVersion};
use crate::error::ApiError;
use crate::faults::{Fault, Injector};
use crate::handlers::{self, Account, Answer, Ctx};
use crate::limits::Limiter;
use crate::listing::Query;
use crate::oauth::OAuthServer;
use crate::routes::{self, Method, Op, Route};
use crate::spoil::spoiled;
use crate::stats::Stats;
use axum::body::{Body, Bytes};
use axum::extract::{Query as QueryParams, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use futures_util::stream;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

pub struct Shared {
    pub config: SandboxConfig,
    pub account: Account,
    pub stats: Stats,
    pub limiter: Limiter,
    pub faults: Injector,
    pub oauth: OAuthServer,
    pub base_url: String,
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/oauth/authorize",
            get(authorize_page).post(authorize_decision),
        )
        .route("/oauth/token", post(token))
        .route("/oauth/revoke", post(revoke))
        .route(
            "/_sandbox/health",
            get(|| async { Json(json!({"ok": true})) }),
        )
        .route("/_sandbox/stats", get(stats).delete(reset_stats))
        .route("/_sandbox/faults", put(set_faults))
        .route("/_sandbox/limits", put(set_limits))
        .fallback(api)
        .with_state(shared)
}

fn version_and_path(path: &str) -> Option<(ApiVersion, &str)> {
    if let Some(rest) = path.strip_prefix("/api/v2") {
        Some((ApiVersion::V2, rest))
    } else if let Some(rest) = path
        .strip_prefix("/api/v1")
        .or_else(|| path.strip_prefix("/v1"))
    {
        Some((ApiVersion::V1, rest))
    } else {
        None
    }
}

/// The OAuth scope family an operation needs.
fn scope_of(route: &Route) -> &'static str {
    match route.op {
        Op::List(e)
        | Op::Read(e)
        | Op::Create(e)
        | Op::Update(e)
        | Op::Remove(e)
        | Op::BulkDelete(e)
        | Op::Merge(e)
        | Op::Duplicate(e)
        | Op::Convert(e)
        | Op::ConvertStatus(e)
        | Op::PermittedUsers(e)
        | Op::ListUnder(e, _)
        | Op::ListArchived(e)
        | Op::Archive(e) => entity(e).scope,
        Op::Upload | Op::Download => entity("files").scope,
        Op::FieldList(o)
        | Op::FieldGet(o)
        | Op::FieldCreate(o)
        | Op::FieldUpdate(o)
        | Op::FieldDelete(o)
        | Op::FieldOptions(o) => crate::entities::ENTITIES
            .iter()
            .find(|e| e.custom_fields == Some(o))
            .map(|e| e.scope)
            .unwrap_or(match o {
                "activityFields" => "activities",
                _ => "deals",
            }),
        Op::Me | Op::LeadSources => "base",
        Op::GoalsFind => "goals",
        Op::Flow(e) | Op::Changelog(e) => entity(e).scope,
        Op::ParticipantsChangelog => "deals",
        Op::ProjectGroups | Op::ProjectPlan => "projects",
        Op::FollowersChangelog(followers) => entity(followers).scope,
        Op::Recents => "recents",
        Op::DealsSummary
        | Op::DealsTimeline
        | Op::ConversionStatistics
        | Op::MovementStatistics => "deals",
        Op::GoalResults => "goals",
        Op::Search(_) | Op::ItemSearch | Op::FieldSearch => "search",
        Op::UsersFind => entity("users").scope,
        Op::RoleSettings
        | Op::RolePipelines
        | Op::UserPermissions
        | Op::UserRoleSettings
        | Op::PermissionSets
        | Op::PermissionSetAssignments => "admin",
        Op::UserSettings | Op::UserConnections | Op::Addons => "base",
        Op::OrgRelationships => "contacts",
        Op::MailThreads
        | Op::DeleteMailThread
        | Op::ThreadMessages
        | Op::MailMessage
        | Op::MailMessagesOf(_) => entity("mailThreads").scope,
        Op::ProjectActivities => entity("projects").scope,
        Op::ProductDeals => entity("deals").scope,
        Op::PersonProducts | Op::PersonPicture => entity("persons").scope,
        Op::ProductImage => entity("productImages").scope,
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    multer::parse_boundary(header_str(headers, "content-type")?).ok()
}

/// A `multipart/form-data` body as JSON: text fields as values (numbers read as numbers), a
/// file part as `{name, base64}`.
async fn multipart_body(
    version: ApiVersion,
    boundary: String,
    bytes: Bytes,
) -> Result<Option<Value>, ApiError> {
    let malformed = |e: multer::Error| {
        ApiError::invalid(version, format!("body: malformed multipart data ({e})"))
    };
    let stream = stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    let mut parts = multer::Multipart::new(stream, boundary);
    let mut map = serde_json::Map::new();
    while let Some(field) = parts.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(String::from);
        let data = field.bytes().await.map_err(malformed)?;
        let value = match file_name {
            Some(file) => {
                use base64::Engine;
                serde_json::json!({
                    "name": file,
                    "base64": base64::engine::general_purpose::STANDARD.encode(&data),
                })
            }
            None => {
                let text = String::from_utf8_lossy(&data).to_string();
                serde_json::from_str::<Value>(&text)
                    .ok()
                    .filter(|x| !x.is_string())
                    .unwrap_or(Value::String(text))
            }
        };
        map.insert(name, value);
    }
    Ok(Some(Value::Object(map)))
}

/// Reads a JSON body, or a form body (v1 accepts both), into JSON.
fn parse_body(
    version: ApiVersion,
    headers: &HeaderMap,
    bytes: &Bytes,
) -> Result<Option<Value>, ApiError> {
    if bytes.is_empty() {
        return Ok(None);
    }
    let form = header_str(headers, "content-type")
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if form {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
            .map_err(|_| ApiError::invalid(version, "body: malformed form data"))?;
        let map = pairs
            .into_iter()
            .map(|(k, v)| {
                let value = serde_json::from_str::<Value>(&v)
                    .ok()
                    .filter(|x| !x.is_string())
                    .unwrap_or(Value::String(v));
                (k, value)
            })
            .collect();
        return Ok(Some(Value::Object(map)));
    }
    serde_json::from_slice(bytes)
        .map(Some)
        .map_err(|e| ApiError::invalid(version, format!("body: invalid JSON ({e})")))
}

async fn api(
    State(s): State<Arc<Shared>>,
    method: axum::http::Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (route, status, tokens, response) = answer(&s, &method, &uri, &headers, &body).await;
    s.stats.record(route, status.as_u16(), tokens);
    response
}

/// Runs one API request through credentials, scope, faults, limits and the handler.
async fn answer(
    s: &Shared,
    method: &axum::http::Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> (Option<String>, StatusCode, u64, Response) {
    let Some((version, path)) = version_and_path(uri.path()) else {
        return (
            None,
            StatusCode::NOT_FOUND,
            0,
            error_response(ApiError::no_route(), vec![]),
        );
    };
    let found = Method::parse(method.as_str()).and_then(|m| routes::find(version, m, path));
    let Some((route, params)) = found else {
        let err = if routes::path_known(version, path) {
            ApiError::envelope(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("Method {method} is not allowed here"),
            )
        } else {
            ApiError::no_route()
        };
        let status = err.status;
        return (None, status, 0, error_response(err, vec![]));
    };
    let key = Some(format!(
        "{} {}{}",
        route.method.as_str(),
        version.prefix(),
        route.template
    ));
    let query = Query::parse(uri.query());
    let bearer = header_str(headers, "authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .map(str::trim);
    let principal = match s.oauth.authenticate(
        &s.config.api_tokens,
        header_str(headers, "x-api-token"),
        query.get("api_token"),
        bearer,
    ) {
        Ok(p) => p,
        Err(e) => return (key, e.status, 0, error_response(e, vec![])),
    };
    if !principal.allows(scope_of(route), route.method.is_write()) {
        let e = ApiError::scope_mismatch();
        return (key, e.status, 0, error_response(e, vec![]));
    }
    if s.config.features_off.iter().any(|f| f == scope_of(route)) {
        let e = ApiError::feature_off(scope_of(route));
        return (key, e.status, 0, error_response(e, vec![]));
    }
    let draw = s.faults.draw();
    // the answer is worked out while the latency runs, and goes when both are done: a remote
    // server's work is part of the time its client waits, and its CPU is not the client's
    let answer_at = tokio::time::Instant::now() + draw.delay;
    let outcome = async {
        match draw.fault {
            Some(Fault::ServerError(code)) => {
                let e = if code == 503 {
                    ApiError::unavailable()
                } else {
                    ApiError {
                        status: StatusCode::from_u16(code)
                            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                        ..ApiError::internal()
                    }
                };
                return (key, e.status, 0, error_response(e, vec![]));
            }
            Some(Fault::Throttle) => {
                let e = ApiError::over_limit("Request over limit", 2);
                return (key, e.status, 0, error_response(e, vec![]));
            }
            Some(Fault::Blocked) => {
                let page = Html(
                    "<!DOCTYPE html><html><head><title>Access denied</title></head><body>\
                     <h1>Access denied</h1><p>This client has been blocked.</p></body></html>",
                );
                return (
                    key,
                    StatusCode::FORBIDDEN,
                    0,
                    (StatusCode::FORBIDDEN, page).into_response(),
                );
            }
            _ => {}
        }
        let rate_headers = match s.limiter.charge(&principal.key, route.cost as u64) {
            Ok(h) => h,
            Err((e, h)) => return (key, e.status, 0, error_response(e, h)),
        };
        let parsed = match multipart_boundary(headers) {
            Some(boundary) => multipart_body(version, boundary, body.clone()).await,
            None => parse_body(version, headers, body),
        };
        let result = parsed.and_then(|body| {
            let ctx = Ctx {
                route,
                params: &params,
                query: &query,
                body: body.as_ref(),
                user_id: principal.user_id,
                company_domain: &s.config.company_domain,
            };
            handlers::handle(&s.account, &ctx)
        });
        match result {
            Ok(Answer {
                status,
                bytes: Some(bytes),
                ..
            }) => {
                let mut response =
                    with_headers(status, Body::from(bytes).into_response(), rate_headers);
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/octet-stream"),
                );
                (key, status, route.cost as u64, response)
            }
            Ok(Answer { status, body, .. }) => {
                let response = match (draw.fault, draw.spoil) {
                    (Some(Fault::Drop), _) => dropped_body(body),
                    (_, Some(spoil)) => {
                        return (key, status, route.cost as u64, spoiled(spoil, status, body))
                    }
                    _ => body_response(body, draw.slow_body),
                };
                (
                    key,
                    status,
                    route.cost as u64,
                    with_headers(status, response, rate_headers),
                )
            }
            Err(e) => (
                key,
                e.status,
                route.cost as u64,
                error_response(e, rate_headers),
            ),
        }
    }
    .await;
    if !draw.delay.is_zero() {
        tokio::time::sleep_until(answer_at).await;
    }
    outcome
}

fn with_headers(
    status: StatusCode,
    mut response: Response,
    extra: Vec<(&'static str, String)>,
) -> Response {
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    for (name, value) in extra {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
    response
}

fn error_response(e: ApiError, mut extra: Vec<(&'static str, String)>) -> Response {
    extra.extend(e.headers.clone());
    with_headers(
        e.status,
        Body::from(e.body.to_string()).into_response(),
        extra,
    )
}

const CHUNK: usize = 16 * 1024;

fn body_response(body: String, pause: Duration) -> Response {
    if pause.is_zero() {
        return Body::from(body).into_response();
    }
    let chunks: Vec<Bytes> = body
        .as_bytes()
        .chunks(CHUNK)
        .map(Bytes::copy_from_slice)
        .collect();
    let stream = stream::unfold(chunks.into_iter(), move |mut rest| async move {
        let next = rest.next()?;
        tokio::time::sleep(pause).await;
        Some((Ok::<_, std::io::Error>(next), rest))
    });
    Body::from_stream(stream).into_response()
}

/// Sends the first part of the body, then breaks the connection.
fn dropped_body(body: String) -> Response {
    let half = Bytes::copy_from_slice(&body.as_bytes()[..body.len() / 2]);
    let parts: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(half),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection dropped by fault injection",
        )),
    ];
    Body::from_stream(stream::iter(parts)).into_response()
}

// ---- OAuth ----

#[derive(Deserialize)]
struct AuthorizeParams {
    client_id: Option<String>,
    redirect_uri: Option<String>,
    state: Option<String>,
    scope: Option<String>,
    decision: Option<String>,
}

fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!(
        "{base}{sep}{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn authorize_page(
    State(s): State<Arc<Shared>>,
    QueryParams(p): QueryParams<AuthorizeParams>,
) -> Response {
    let client_id = p.client_id.unwrap_or_default();
    let redirect_uri = p.redirect_uri.unwrap_or_default();
    if let Err(message) = s.oauth.check_authorize(&client_id, &redirect_uri) {
        return (StatusCode::BAD_REQUEST, Html(format!("<!doctype html><title>Authorization error</title><h1>Authorization error</h1><p>{}</p>", escape(&message)))).into_response();
    }
    let state = p.state.unwrap_or_default();
    if s.oauth.settings().auto_approve {
        let code = s
            .oauth
            .issue_code(&client_id, &redirect_uri, p.scope.as_deref());
        return Redirect::to(&with_query(
            &redirect_uri,
            &[("code", &code), ("state", &state)],
        ))
        .into_response();
    }
    let hidden = |name: &str, value: &str| {
        format!(
            r#"<input type="hidden" name="{name}" value="{}">"#,
            escape(value)
        )
    };
    let scope = p
        .scope
        .unwrap_or_else(|| crate::oauth::DEFAULT_SCOPE.to_string());
    Html(format!(
        r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Pipedrive sandbox - authorize app</title></head>
<body>
<h1>Allow app access?</h1>
<p>The app <b>{client}</b> asks to access your sandbox company <b>{domain}</b> with these scopes:</p>
<p><code>{scope_text}</code></p>
<form method="post" action="/oauth/authorize">
{h1}{h2}{h3}{h4}
<button type="submit" id="allow" name="decision" value="allow">Allow and install</button>
<button type="submit" id="deny" name="decision" value="deny">Cancel</button>
</form>
</body></html>"#,
        client = escape(&client_id),
        domain = escape(&s.config.company_domain),
        scope_text = escape(&scope),
        h1 = hidden("client_id", &client_id),
        h2 = hidden("redirect_uri", &redirect_uri),
        h3 = hidden("state", &state),
        h4 = hidden("scope", &scope),
    ))
    .into_response()
}

async fn authorize_decision(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    let p: AuthorizeParams = match serde_urlencoded::from_bytes(&body) {
        Ok(p) => p,
        Err(_) => return (StatusCode::BAD_REQUEST, "malformed form").into_response(),
    };
    let client_id = p.client_id.unwrap_or_default();
    let redirect_uri = p.redirect_uri.unwrap_or_default();
    if let Err(message) = s.oauth.check_authorize(&client_id, &redirect_uri) {
        return (StatusCode::BAD_REQUEST, Html(escape(&message))).into_response();
    }
    let state = p.state.unwrap_or_default();
    if p.decision.as_deref() != Some("allow") {
        return Redirect::to(&with_query(
            &redirect_uri,
            &[("error", "access_denied"), ("state", &state)],
        ))
        .into_response();
    }
    let code = s
        .oauth
        .issue_code(&client_id, &redirect_uri, p.scope.as_deref());
    Redirect::to(&with_query(
        &redirect_uri,
        &[("code", &code), ("state", &state)],
    ))
    .into_response()
}

fn form_of(body: &Bytes) -> HashMap<String, String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

async fn token(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let form = form_of(&body);
    let result = s
        .oauth
        .client(header_str(&headers, "authorization"), &form)
        .and_then(|client| s.oauth.token(&client, &form, &s.base_url));
    let grant = form.get("grant_type").map(String::as_str).unwrap_or("none");
    s.stats
        .record_grant(grant, result.as_ref().map_or_else(|e| e.status, |_| 200));
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST),
            Json(e.body()),
        )
            .into_response(),
    }
}

async fn revoke(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let form = form_of(&body);
    match s.oauth.client(header_str(&headers, "authorization"), &form) {
        Ok(_) => {
            s.oauth
                .revoke(form.get("token").map(String::as_str).unwrap_or_default());
            StatusCode::OK.into_response()
        }
        Err(e) => (
            StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST),
            Json(e.body()),
        )
            .into_response(),
    }
}

// ---- control ----

async fn stats(State(s): State<Arc<Shared>>) -> Response {
    Json(s.stats.snapshot()).into_response()
}

async fn reset_stats(State(s): State<Arc<Shared>>) -> StatusCode {
    s.stats.reset();
    StatusCode::NO_CONTENT
}

/// Body of `PUT /_sandbox/faults` (all optional, zero by default).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FaultsBody {
    pub seed: u64,
    pub latency_ms: u64,
    pub jitter_ms: u64,
    pub error_rate: f64,
    pub throttle_rate: f64,
    pub drop_rate: f64,
    pub slow_body_ms: u64,
    pub blocked: bool,
}

impl From<FaultsBody> for Faults {
    fn from(b: FaultsBody) -> Self {
        Faults {
            seed: b.seed,
            latency: Duration::from_millis(b.latency_ms),
            jitter: Duration::from_millis(b.jitter_ms),
            error_rate: b.error_rate,
            throttle_rate: b.throttle_rate,
            drop_rate: b.drop_rate,
            slow_body: Duration::from_millis(b.slow_body_ms),
            blocked: b.blocked,
            ..Faults::none()
        }
    }
}

async fn set_faults(State(s): State<Arc<Shared>>, Json(b): Json<FaultsBody>) -> StatusCode {
    s.faults.set(b.into());
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct LimitsBody {
    burst_per_2s: Option<u32>,
    daily_tokens: Option<u64>,
}

async fn set_limits(State(s): State<Arc<Shared>>, Json(b): Json<LimitsBody>) -> StatusCode {
    s.limiter.set(RateLimits {
        burst_per_2s: b.burst_per_2s,
        daily_tokens: b.daily_tokens,
    });
    StatusCode::NO_CONTENT
}
