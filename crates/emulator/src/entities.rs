//! The entities the sandbox serves, described as data: what is indexed, which query parameters
//! filter and sort them, how they page, what they hang under and which OAuth scope guards them.
//! Handlers are generic over these entries; adding an entity is adding an entry here (plus its
//! demo-data generator and its routes).

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

const fn f(param: &'static str, attr: &'static str, kind: FilterKind) -> Filter {
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
}

use AttrKind::*;
use FilterKind::*;

const TIMES: [Attr; 2] = [Attr("add_time", Time), Attr("update_time", Time)];
const V2_SORTS: &[&str] = &["id", "update_time", "add_time"];

macro_rules! attrs { ($($a:expr),* $(,)?) => { &[TIMES[0], TIMES[1], $($a),*] }; }

/// The users following the rows of `parent` (API v2): one row per follower, the followed
/// row's key in `attr`.
macro_rules! followers {
    ($name:literal, $parent:literal, $attr:literal, $scope:literal) => {
        EntitySpec {
            name: $name,
            version: ApiVersion::V2,
            id: IdKind::Int,
            attrs: &[
                Attr("add_time", Time),
                Attr("user_id", Int),
                Attr($attr, Int),
            ],
            filters: &[],
            sorts: &["id"],
            paging: Paging::Cursor,
            parent: Some(($parent, $attr)),
            custom_fields: None,
            scope: $scope,
            required: &["user_id"],
            soft_delete: false,
            time_format: TimeFormat::Rfc3339,
            update_time: None,
        }
    };
}

/// A v2 collection that came to the sandbox later (project boards, deal discounts, product
/// variations, ...): int ids, id order, cursor pages; under `parent` when it has one.
macro_rules! later_v2 {
    ($name:literal, $parent:expr, $filters:expr, $scope:literal, $required:expr) => {
        EntitySpec {
            name: $name,
            version: ApiVersion::V2,
            id: IdKind::Int,
            attrs: &[
                Attr("add_time", Time),
                Attr("update_time", Time),
                Attr("deal_id", Int),
                Attr("product_id", Int),
                Attr("board_id", Int),
            ],
            filters: $filters,
            sorts: &["id"],
            paging: Paging::Cursor,
            parent: $parent,
            custom_fields: None,
            scope: $scope,
            required: $required,
            soft_delete: false,
            time_format: TimeFormat::Rfc3339,
            update_time: None,
        }
    };
}

pub static ENTITIES: &[EntitySpec] = &[
    EntitySpec {
        name: "deals",
        version: ApiVersion::V2,
        id: IdKind::Int,
        attrs: attrs![
            Attr("owner_id", Int),
            Attr("person_id", Int),
            Attr("org_id", Int),
            Attr("pipeline_id", Int),
            Attr("stage_id", Int),
            Attr("status", Str),
            Attr("is_deleted", Bool),
            Attr("is_archived", Bool),
        ],
        filters: &[
            f("ids", "id", In),
            f("owner_id", "owner_id", Eq),
            f("person_id", "person_id", Eq),
            f("org_id", "org_id", Eq),
            f("pipeline_id", "pipeline_id", Eq),
            f("stage_id", "stage_id", Eq),
            f(
                "status",
                "status",
                Enum(&["open", "won", "lost", "deleted"]),
            ),
            f("updated_since", "update_time", Since),
            f("updated_until", "update_time", Until),
        ],
        sorts: V2_SORTS,
        paging: Paging::Cursor,
        parent: None,
        custom_fields: Some("dealFields"),
        scope: "deals",
        required: &["title"],
        soft_delete: true,
        time_format: TimeFormat::Rfc3339,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "persons",
        version: ApiVersion::V2,
        id: IdKind::Int,
        attrs: attrs![Attr("owner_id", Int), Attr("org_id", Int)],
        filters: &[
            f("ids", "id", In),
            f("owner_id", "owner_id", Eq),
            f("org_id", "org_id", Eq),
            f("deal_id", "id", LinkedToDeal),
            f("updated_since", "update_time", Since),
            f("updated_until", "update_time", Until),
        ],
        sorts: V2_SORTS,
        paging: Paging::Cursor,
        parent: None,
        custom_fields: Some("personFields"),
        scope: "contacts",
        required: &["name"],
        soft_delete: false,
        time_format: TimeFormat::Rfc3339,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "organizations",
        version: ApiVersion::V2,
        id: IdKind::Int,
        attrs: attrs![Attr("owner_id", Int)],
        filters: &[
            f("ids", "id", In),
            f("owner_id", "owner_id", Eq),
            f("updated_since", "update_time", Since),
            f("updated_until", "update_time", Until),
        ],
        sorts: V2_SORTS,
        paging: Paging::Cursor,
        parent: None,
        custom_fields: Some("organizationFields"),
        scope: "contacts",
        required: &["name"],
        soft_delete: false,
        time_format: TimeFormat::Rfc3339,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "activities",
        version: ApiVersion::V2,
        id: IdKind::Int,
        attrs: attrs![
            Attr("owner_id", Int),
            Attr("deal_id", Int),
            Attr("lead_id", Str),
            Attr("person_id", Int),
            Attr("org_id", Int),
            Attr("done", Bool),
            Attr("due_date", Str),
        ],
        filters: &[
            f("ids", "id", In),
            f("owner_id", "owner_id", Eq),
            f("deal_id", "deal_id", Eq),
            f("lead_id", "lead_id", Eq),
            f("person_id", "person_id", Eq),
            f("org_id", "org_id", Eq),
            f("done", "done", Eq),
            f("updated_since", "update_time", Since),
            f("updated_until", "update_time", Until),
        ],
        sorts: &["id", "update_time", "add_time", "due_date"],
        paging: Paging::Cursor,
        parent: None,
        custom_fields: None,
        scope: "activities",
        required: &[],
        soft_delete: false,
        time_format: TimeFormat::Rfc3339,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "products",
        version: ApiVersion::V2,
        id: IdKind::Int,
        attrs: attrs![Attr("owner_id", Int), Attr("name", Str)],
        filters: &[
            f("ids", "id", In),
            f("owner_id", "owner_id", Eq),
            f("updated_since", "update_time", Since),
        ],
        sorts: &["id", "name", "add_time", "update_time"],
        paging: Paging::Cursor,
        parent: None,
        custom_fields: Some("productFields"),
        scope: "products",
        required: &["name"],
        soft_delete: false,
        time_format: TimeFormat::Rfc3339,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "pipelines",
        version: ApiVersion::V2,
        id: IdKind::Int,
        attrs: attrs![],
        filters: &[],
        sorts: V2_SORTS,
        paging: Paging::Cursor,
        parent: None,
        custom_fields: None,
        scope: "deals",
        required: &["name"],
        soft_delete: false,
        time_format: TimeFormat::Rfc3339,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "stages",
        version: ApiVersion::V2,
        id: IdKind::Int,
        attrs: attrs![Attr("pipeline_id", Int), Attr("order_nr", Int)],
        filters: &[f("pipeline_id", "pipeline_id", Eq)],
        sorts: &["id", "update_time", "add_time", "order_nr"],
        paging: Paging::Cursor,
        parent: None,
        custom_fields: None,
        scope: "deals",
        required: &["name", "pipeline_id"],
        soft_delete: false,
        time_format: TimeFormat::Rfc3339,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "projects",
        version: ApiVersion::V2,
        id: IdKind::Int,
        attrs: attrs![
            Attr("status", Str),
            Attr("phase_id", Int),
            Attr("deal_ids", Ints),
            Attr("person_ids", Ints),
            Attr("org_ids", Ints),
        ],
        filters: &[
            f("status", "status", Eq),
            f("phase_id", "phase_id", Eq),
            f("deal_id", "deal_ids", Member),
            f("person_id", "person_ids", Member),
            f("org_id", "org_ids", Member),
        ],
        sorts: &["id"],
        paging: Paging::Cursor,
        parent: None,
        custom_fields: Some("projectFields"),
        scope: "projects",
        required: &["title"],
        soft_delete: false,
        time_format: TimeFormat::Rfc3339,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "dealProducts",
        version: ApiVersion::V2,
        id: IdKind::Int,
        attrs: attrs![Attr("deal_id", Int), Attr("product_id", Int)],
        filters: &[f("deal_ids", "deal_id", In)],
        sorts: &["id", "deal_id", "add_time", "update_time"],
        paging: Paging::Cursor,
        parent: Some(("deals", "deal_id")),
        custom_fields: None,
        scope: "products",
        required: &["product_id", "item_price", "quantity"],
        soft_delete: false,
        time_format: TimeFormat::Rfc3339,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "dealFollowers",
        version: ApiVersion::V2,
        id: IdKind::Int,
        attrs: &[
            Attr("add_time", Time),
            Attr("deal_id", Int),
            Attr("user_id", Int),
        ],
        filters: &[],
        sorts: &["id"],
        paging: Paging::Cursor,
        parent: Some(("deals", "deal_id")),
        custom_fields: None,
        scope: "deals",
        required: &["user_id"],
        soft_delete: false,
        time_format: TimeFormat::Rfc3339,
        update_time: None,
    },
    EntitySpec {
        name: "dealParticipants",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: &[
            Attr("add_time", Time),
            Attr("deal_id", Int),
            Attr("person_id", Int),
        ],
        filters: &[],
        sorts: &["id"],
        paging: Paging::Offset { nested: false },
        parent: Some(("deals", "deal_id")),
        custom_fields: None,
        scope: "deals",
        required: &["person_id"],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: None,
    },
    EntitySpec {
        name: "users",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: &[Attr("created", Time), Attr("modified", Time)],
        filters: &[],
        sorts: &["id"],
        paging: Paging::All,
        parent: None,
        custom_fields: None,
        scope: "users",
        required: &["email"],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: Some("modified"),
    },
    EntitySpec {
        name: "notes",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: attrs![
            Attr("user_id", Int),
            Attr("lead_id", Str),
            Attr("deal_id", Int),
            Attr("person_id", Int),
            Attr("org_id", Int),
            Attr("project_id", Int),
            Attr("task_id", Int),
            Attr("pinned_to_lead_flag", Bool),
            Attr("pinned_to_deal_flag", Bool),
            Attr("pinned_to_organization_flag", Bool),
            Attr("pinned_to_person_flag", Bool),
            Attr("pinned_to_project_flag", Bool),
            Attr("pinned_to_task_flag", Bool),
            Attr("content", Str),
        ],
        filters: &[
            f("user_id", "user_id", Eq),
            f("lead_id", "lead_id", Eq),
            f("deal_id", "deal_id", Eq),
            f("person_id", "person_id", Eq),
            f("org_id", "org_id", Eq),
            f("project_id", "project_id", Eq),
            f("task_id", "task_id", Eq),
            f("start_date", "add_time", DateFrom),
            f("end_date", "add_time", DateTo),
            f("updated_since", "update_time", Since),
            f("pinned_to_lead_flag", "pinned_to_lead_flag", Flag),
            f("pinned_to_deal_flag", "pinned_to_deal_flag", Flag),
            f(
                "pinned_to_organization_flag",
                "pinned_to_organization_flag",
                Flag,
            ),
            f("pinned_to_person_flag", "pinned_to_person_flag", Flag),
            f("pinned_to_project_flag", "pinned_to_project_flag", Flag),
            f("pinned_to_task_flag", "pinned_to_task_flag", Flag),
        ],
        sorts: &[
            "id",
            "user_id",
            "deal_id",
            "person_id",
            "org_id",
            "content",
            "add_time",
            "update_time",
        ],
        paging: Paging::Offset { nested: true },
        parent: None,
        custom_fields: None,
        scope: "deals",
        required: &["content"],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "leads",
        version: ApiVersion::V1,
        id: IdKind::Uuid,
        attrs: attrs![
            Attr("title", Str),
            Attr("owner_id", Int),
            Attr("creator_id", Int),
            Attr("person_id", Int),
            Attr("organization_id", Int),
            Attr("was_seen", Bool),
            Attr("expected_close_date", Str),
            Attr("next_activity_id", Int),
            Attr("is_archived", Bool),
        ],
        filters: &[
            f("owner_id", "owner_id", Eq),
            f("person_id", "person_id", Eq),
            f("organization_id", "organization_id", Eq),
            f("updated_since", "update_time", Since),
        ],
        sorts: &[
            "id",
            "title",
            "owner_id",
            "creator_id",
            "was_seen",
            "expected_close_date",
            "next_activity_id",
            "add_time",
            "update_time",
        ],
        paging: Paging::Offset { nested: false },
        parent: None,
        custom_fields: None,
        scope: "leads",
        required: &["title"],
        soft_delete: false,
        time_format: TimeFormat::Millis,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "leadLabels",
        version: ApiVersion::V1,
        id: IdKind::Uuid,
        attrs: attrs![],
        filters: &[],
        sorts: &["id"],
        paging: Paging::All,
        parent: None,
        custom_fields: None,
        scope: "leads",
        required: &["name", "color"],
        soft_delete: false,
        time_format: TimeFormat::Millis,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "leadSources",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: &[],
        filters: &[],
        sorts: &["id"],
        paging: Paging::All,
        parent: None,
        custom_fields: None,
        scope: "leads",
        required: &[],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: None,
    },
    EntitySpec {
        name: "currencies",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: &[Attr("code", Str), Attr("name", Str)],
        filters: &[f("term", "name", Search(&["code", "name"]))],
        sorts: &["id"],
        paging: Paging::All,
        parent: None,
        custom_fields: None,
        scope: "base",
        required: &[],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: None,
    },
    EntitySpec {
        name: "activityTypes",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: attrs![],
        filters: &[],
        sorts: &["id"],
        paging: Paging::All,
        parent: None,
        custom_fields: None,
        scope: "activities",
        required: &["name", "icon_key"],
        soft_delete: false,
        time_format: TimeFormat::Millis,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "callLogs",
        version: ApiVersion::V1,
        id: IdKind::Uuid,
        attrs: &[Attr("start_time", Time), Attr("end_time", Time)],
        filters: &[],
        sorts: &["id"],
        paging: Paging::Offset { nested: true },
        parent: None,
        custom_fields: None,
        scope: "phone-integration",
        required: &["to_phone_number", "outcome", "start_time", "end_time"],
        soft_delete: false,
        time_format: TimeFormat::Millis,
        update_time: None,
    },
    EntitySpec {
        name: "files",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: attrs![
            Attr("file_name", Str),
            Attr("user_id", Int),
            Attr("deal_id", Int),
            Attr("person_id", Int),
            Attr("org_id", Int),
            Attr("product_id", Int),
        ],
        filters: &[],
        sorts: &[
            "id",
            "user_id",
            "deal_id",
            "person_id",
            "org_id",
            "product_id",
            "add_time",
            "update_time",
        ],
        paging: Paging::Offset { nested: true },
        parent: None,
        custom_fields: None,
        scope: "deals",
        required: &["file"],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "filters",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: attrs![Attr("type", Str)],
        filters: &[f(
            "type",
            "type",
            Enum(&[
                "deals", "leads", "org", "people", "products", "activity", "projects",
            ]),
        )],
        sorts: &["id"],
        paging: Paging::All,
        parent: None,
        custom_fields: None,
        scope: "deals",
        required: &["name", "conditions", "type"],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "goals",
        version: ApiVersion::V1,
        id: IdKind::Uuid,
        attrs: &[Attr("title", Str), Attr("is_active", Bool)],
        filters: &[f("title", "title", Eq), f("is_active", "is_active", Eq)],
        sorts: &["id"],
        paging: Paging::All,
        parent: None,
        custom_fields: None,
        scope: "goals",
        required: &[
            "assignee",
            "duration",
            "expected_outcome",
            "interval",
            "type",
        ],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: None,
    },
    EntitySpec {
        name: "roles",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: &[],
        filters: &[],
        sorts: &["id"],
        paging: Paging::Offset { nested: true },
        parent: None,
        custom_fields: None,
        scope: "admin",
        required: &["name"],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: None,
    },
    followers!("personFollowers", "persons", "person_id", "contacts"),
    followers!(
        "organizationFollowers",
        "organizations",
        "org_id",
        "contacts"
    ),
    followers!("productFollowers", "products", "product_id", "products"),
    followers!("userFollowers", "users", "followed_user_id", "users"),
    EntitySpec {
        name: "tasks",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: attrs![
            Attr("project_id", Int),
            Attr("assignee_id", Int),
            Attr("parent_task_id", Int),
            Attr("done", Int),
        ],
        filters: &[
            f("assignee_id", "assignee_id", Eq),
            f("project_id", "project_id", Eq),
            f("parent_task_id", "parent_task_id", Eq),
            f("done", "done", Eq),
        ],
        sorts: &["id"],
        paging: Paging::Cursor,
        parent: None,
        custom_fields: None,
        scope: "projects",
        required: &["title", "project_id"],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "noteComments",
        version: ApiVersion::V1,
        id: IdKind::Uuid,
        attrs: &[Attr("add_time", Time), Attr("note_id", Int)],
        filters: &[],
        sorts: &["id"],
        paging: Paging::Offset { nested: true },
        parent: Some(("notes", "note_id")),
        custom_fields: None,
        scope: "deals",
        required: &["content"],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "organizationRelationships",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: &[Attr("owner_org_id", Int), Attr("linked_org_id", Int)],
        filters: &[],
        sorts: &["id"],
        paging: Paging::Offset { nested: true },
        parent: None,
        custom_fields: None,
        scope: "contacts",
        required: &["type", "rel_owner_org_id", "rel_linked_org_id"],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: Some("update_time"),
    },
    EntitySpec {
        name: "roleAssignments",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: &[Attr("role_id", Int), Attr("user_id", Int)],
        filters: &[],
        sorts: &["id"],
        paging: Paging::Offset { nested: true },
        parent: Some(("roles", "role_id")),
        custom_fields: None,
        scope: "admin",
        required: &["user_id"],
        soft_delete: false,
        time_format: TimeFormat::Space,
        update_time: None,
    },
    EntitySpec {
        name: "webhooks",
        version: ApiVersion::V1,
        id: IdKind::Int,
        attrs: &[],
        filters: &[],
        sorts: &["id"],
        paging: Paging::All,
        parent: None,
        custom_fields: None,
        scope: "admin",
        required: &["subscription_url", "event_action", "event_object", "name"],
        soft_delete: false,
        time_format: TimeFormat::Millis,
        update_time: None,
    },
    later_v2!("boards", None, &[], "projects", &["name"]),
    later_v2!(
        "phases",
        None,
        &[f("board_id", "board_id", Eq)],
        "projects",
        &["name", "board_id"]
    ),
    later_v2!("projectTemplates", None, &[], "projects", &["title"]),
    EntitySpec {
        id: IdKind::Uuid,
        ..later_v2!(
            "dealDiscounts",
            Some(("deals", "deal_id")),
            &[],
            "deals",
            &["amount", "type"]
        )
    },
    later_v2!(
        "dealInstallments",
        Some(("deals", "deal_id")),
        &[f("deal_ids", "deal_id", In)],
        "deals",
        &["amount", "billing_date"]
    ),
    later_v2!(
        "productVariations",
        Some(("products", "product_id")),
        &[],
        "products",
        &["name"]
    ),
];

impl EntitySpec {
    /// Followers are addressed by the user who follows (v2), and a user follows a row once.
    pub fn is_followers(&self) -> bool {
        self.name.ends_with("Followers")
    }
}

pub fn entity(name: &str) -> &'static EntitySpec {
    ENTITIES
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("entity {name} is not in the catalog"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_filter_and_sort_names_an_indexed_attribute() {
        for e in ENTITIES {
            for f in e.filters {
                assert!(
                    e.attr_kind(f.attr).is_some(),
                    "{}: filter {} uses unknown {}",
                    e.name,
                    f.param,
                    f.attr
                );
            }
            for s in e.sorts {
                assert!(
                    e.attr_kind(s).is_some(),
                    "{}: sort {} is not indexed",
                    e.name,
                    s
                );
            }
            if let Some((_, attr)) = e.parent {
                assert!(
                    e.attr_index(attr).is_some(),
                    "{}: parent attr {} not indexed",
                    e.name,
                    attr
                );
            }
        }
    }
}
