//! How the sandbox describes an entity it serves: its API version, id kind, indexed
//! attributes, the query parameters that filter it, its paging, parent, custom fields and OAuth
//! scope. The entities themselves are data in [`crate::entities`].

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiVersion {
    V1,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    Int,
    Uuid,
}

/// How an indexed top-level attribute is read from a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrKind {
    Int,
    Str,
    Bool,
    /// A timestamp in any of the API's text formats, indexed as Unix seconds.
    Time,
    /// An array of integers (e.g. a project's `deal_ids`).
    Ints,
}

#[derive(Clone, Copy, Debug)]
pub struct Attr(pub &'static str, pub AttrKind);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterKind {
    /// attr equals the parameter (typed by the attribute kind)
    Eq,
    /// comma-separated list of values, attr is one of them
    In,
    /// attr is one of the allowed words
    Enum(&'static [&'static str]),
    /// attr (a time) >= parameter (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)
    Since,
    /// attr (a time) < parameter
    Until,
    /// attr (a time) on or after the date `YYYY-MM-DD`
    DateFrom,
    /// attr (a time) on or before the date `YYYY-MM-DD`
    DateTo,
    /// attr (a list of ints) contains the parameter
    Member,
    /// `0`/`1` matched against a boolean attribute
    Flag,
    /// `true`/`false` (or `1`/`0`) matched against a boolean or 0/1 attribute; a row without
    /// the attribute counts as false
    Truth,
    /// rows linked to the deal named by the parameter: its person and its participants
    LinkedToDeal,
    /// case-insensitive substring of any of these text attributes
    Search(&'static [&'static str]),
}

#[derive(Clone, Copy, Debug)]
pub struct Filter {
    pub param: &'static str,
    pub attr: &'static str,
    pub kind: FilterKind,
}

pub(crate) const fn f(param: &'static str, attr: &'static str, kind: FilterKind) -> Filter {
    Filter { param, attr, kind }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paging {
    /// v2: `cursor`/`limit`, `additional_data.next_cursor`.
    Cursor,
    /// v1: `start`/`limit`; `nested` puts the numbers in `additional_data.pagination`.
    Offset { nested: bool },
    /// v1 collections answered whole.
    All,
}

/// Text format of timestamps in an entity's records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeFormat {
    /// `2024-05-01T10:20:30Z` (API v2)
    Rfc3339,
    /// `2024-05-01 10:20:30` (most of API v1)
    Space,
    /// `2024-05-01T10:20:30.000Z` (leads, lead labels, call logs)
    Millis,
}

#[derive(Debug)]
pub struct EntitySpec {
    /// Collection name, also its path segment (`deals`, `leadLabels`).
    pub name: &'static str,
    pub version: ApiVersion,
    pub id: IdKind,
    /// Indexed attributes (besides `id`) used by filters, sorting and relations.
    pub attrs: &'static [Attr],
    pub filters: &'static [Filter],
    /// Attributes the API can sort by (`id` first).
    pub sorts: &'static [&'static str],
    pub paging: Paging,
    /// Parent collection and the attribute holding the parent's id (`/deals/{id}/products`).
    pub parent: Option<(&'static str, &'static str)>,
    /// The `*Fields` collection whose custom fields this entity carries.
    pub custom_fields: Option<&'static str>,
    /// OAuth scope family (`deals` -> `deals:read` / `deals:full`).
    pub scope: &'static str,
    /// Body fields a create must have.
    pub required: &'static [&'static str],
    /// Deleting marks `is_deleted` and keeps the row for `status=deleted`.
    pub soft_delete: bool,
    pub time_format: TimeFormat,
    /// Attribute stamped with the time of each write.
    pub update_time: Option<&'static str>,
    /// Attribute set on archived rows (`is_archived` true, or an `archive_time`): the entity's
    /// list leaves them out and its archived list holds only them.
    pub archived: Option<&'static str>,
}

impl EntitySpec {
    /// Followers are addressed by the user who follows (v2), and a user follows a row once.
    pub fn is_followers(&self) -> bool {
        self.name.ends_with("Followers")
    }
}

impl EntitySpec {
    pub fn attr_index(&self, name: &str) -> Option<usize> {
        self.attrs.iter().position(|a| a.0 == name)
    }
    pub fn attr_kind(&self, name: &str) -> Option<AttrKind> {
        if name == "id" {
            return Some(match self.id {
                IdKind::Int => AttrKind::Int,
                IdKind::Uuid => AttrKind::Str,
            });
        }
        self.attrs.iter().find(|a| a.0 == name).map(|a| a.1)
    }
    pub fn filter(&self, param: &str) -> Option<&Filter> {
        self.filters.iter().find(|f| f.param == param)
    }
}
