//! Async client for the Pipedrive REST API, v1 and v2.
//!
//! - Credentials: an API token (`x-api-token`) or OAuth bearer tokens from a [`TokenSource`].
//! - Lists as streams of [`Page`]s: v2 cursor and v1 offset paging at up to 500 rows a page,
//!   the next page requested while the current one is used, paging stopped at a row limit;
//!   whole v2 lists walked by concurrent cursors, from both ends or in update-time
//!   [`windows`].
//! - One rate-limit [`budget`] per credentials in the process, learned from the answers.
//! - Retries with backoff honouring `Retry-After` / `x-ratelimit-reset`: reads on 429, 5xx,
//!   timeouts and broken connections; writes only when the request certainly did not happen.
//! - [`oauth`]: the OAuth flows (browser sign-in, verifier exchange, refresh kept in an
//!   encrypted settings file shared safely between processes).
//! - [`Network`]: a proxy (given, or the system's; Basic or Digest credentials) and the
//!   trusted certificates (the system's, or given: an inspecting proxy's CA, or the server's
//!   certificate pinned) for every request.
//! - Errors keep what the API said and are classified by [`ErrorKind`].

mod ahead;
mod auth;
pub mod budget;
mod client;
mod config;
pub mod data_folder;
mod digest;
mod endpoint;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod json;
mod list;
mod network;
pub mod oauth;
mod outgoing;
mod page;
mod page_body;
mod paging;
mod proxy_relay;
mod retry;
mod trust;
pub mod windows;

pub use ahead::read_ahead;
pub use auth::{BoxFuture, Credentials, TokenSource};
pub use client::Client;
pub use config::{ClientConfig, MAX_PAGE_SIZE};
pub use endpoint::ApiVersion;
pub use error::{Error, ErrorKind};
pub use json::Json;
pub use list::WALK_AHEAD;
pub use network::{Network, ProxyAuthScheme, ProxyCredentials, ProxyRoute};
pub use outgoing::FilePart;
pub use page::{Answer, ListRequest, Page, Rows};
pub use reqwest::Method;
pub use trust::Trust;
pub use windows::TimeWindows;
