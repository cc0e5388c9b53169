//! API versions and the URLs of their endpoints.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiVersion {
    /// Offset paging (`start`/`limit`).
    V1,
    /// Cursor paging (`cursor`/`limit`).
    V2,
}

impl ApiVersion {
    pub fn prefix(self) -> &'static str {
        match self {
            ApiVersion::V1 => "/api/v1",
            ApiVersion::V2 => "/api/v2",
        }
    }
}

/// `base` + `/api/vN` + `path` (path starting with `/`).
pub fn url(base: &str, version: ApiVersion, path: &str) -> String {
    let sep = if path.starts_with('/') { "" } else { "/" };
    format!("{base}{}{sep}{path}", version.prefix())
}
