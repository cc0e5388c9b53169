//! Records kept about deals, people and organizations (API v1, offset paging).

use super::ColType::*;
use super::{c, Kind, Push, TableDef};
use pipedrive_api::ApiVersion::V1;

pub static NOTES: TableDef = TableDef {
    name: "Notes",
    version: V1,
    path: "/notes",
    get_path: Some("/notes/{id}"),
    columns: &[
        c("Id", "id", BigInt),
        c("ActiveFlag", "active_flag", Boolean),
        c("AddTime", "add_time", Timestamp),
        c("Content", "content", LongText),
        c("LeadId", "lead_id", Text),
        c("DealId", "deal_id", BigInt),
        c("LastUpdateUserId", "last_update_user_id", BigInt),
        c("OrgId", "org_id", BigInt),
        c("PersonId", "person_id", BigInt),
        c("ProjectId", "project_id", BigInt),
        c("PinnedToDealFlag", "pinned_to_deal_flag", Boolean),
        c(
            "PinnedToOrganizationFlag",
            "pinned_to_organization_flag",
            Boolean,
        ),
        c("PinnedToPersonFlag", "pinned_to_person_flag", Boolean),
        c("UpdateTime", "update_time", Timestamp),
        c("UserId", "user_id", BigInt),
    ],
    pushdown: &[
        Push::Eq("UserId", "user_id"),
        Push::Eq("LeadId", "lead_id"),
        Push::Eq("DealId", "deal_id"),
        Push::Eq("PersonId", "person_id"),
        Push::Eq("OrgId", "org_id"),
        Push::Eq("ProjectId", "project_id"),
        Push::Since("UpdateTime", "updated_since"),
    ],
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static LEADS: TableDef = TableDef {
    name: "Leads",
    version: V1,
    path: "/leads",
    get_path: Some("/leads/{id}"),
    columns: &[
        c("Id", "id", Text),
        c("Title", "title", Text),
        c("OwnerId", "owner_id", BigInt),
        c("CreatorId", "creator_id", BigInt),
        c("LabelIds", "label_ids", Text),
        c("PersonId", "person_id", BigInt),
        c("OrganizationId", "organization_id", BigInt),
        c("SourceName", "source_name", Text),
        c("Origin", "origin", Text),
        c("IsArchived", "is_archived", Boolean),
        c("WasSeen", "was_seen", Boolean),
        c("ValueAmount", "value.amount", Double),
        c("ValueCurrency", "value.currency", Text),
        c("ExpectedCloseDate", "expected_close_date", Date),
        c("NextActivityId", "next_activity_id", BigInt),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
        c("CcEmail", "cc_email", Text),
    ],
    pushdown: &[
        Push::Eq("OwnerId", "owner_id"),
        Push::Eq("PersonId", "person_id"),
        Push::Eq("OrganizationId", "organization_id"),
        Push::Since("UpdateTime", "updated_since"),
    ],
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static CALL_LOGS: TableDef = TableDef {
    name: "CallLogs",
    version: V1,
    path: "/callLogs",
    get_path: Some("/callLogs/{id}"),
    columns: &[
        c("Id", "id", Text),
        c("UserId", "user_id", BigInt),
        c("ActivityId", "activity_id", BigInt),
        c("Subject", "subject", Text),
        c("Duration", "duration", Text),
        c("Outcome", "outcome", Text),
        c("FromPhoneNumber", "from_phone_number", Text),
        c("ToPhoneNumber", "to_phone_number", Text),
        c("StartTime", "start_time", Timestamp),
        c("EndTime", "end_time", Timestamp),
        c("PersonId", "person_id", BigInt),
        c("OrgId", "org_id", BigInt),
        c("DealId", "deal_id", BigInt),
        c("LeadId", "lead_id", Text),
        c("Note", "note", LongText),
        c("HasRecording", "has_recording", Boolean),
        c("CompanyId", "company_id", BigInt),
    ],
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static FILES: TableDef = TableDef {
    name: "Files",
    version: V1,
    path: "/files",
    get_path: Some("/files/{id}"),
    columns: &[
        c("Id", "id", BigInt),
        c("UserId", "user_id", BigInt),
        c("DealId", "deal_id", BigInt),
        c("PersonId", "person_id", BigInt),
        c("OrgId", "org_id", BigInt),
        c("ProductId", "product_id", BigInt),
        c("ActivityId", "activity_id", BigInt),
        c("LeadId", "lead_id", Text),
        c("ProjectId", "project_id", BigInt),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
        c("FileName", "file_name", Text),
        c("FileSize", "file_size", BigInt),
        c("ActiveFlag", "active_flag", Boolean),
        c("InlineFlag", "inline_flag", Boolean),
        c("RemoteLocation", "remote_location", Text),
        c("RemoteId", "remote_id", Text),
        c("DealName", "deal_name", Text),
        c("PersonName", "person_name", Text),
        c("OrgName", "org_name", Text),
        c("ProductName", "product_name", Text),
        c("LeadName", "lead_name", Text),
        c("ProjectName", "project_name", Text),
        c("Url", "url", Text),
        c("Name", "name", Text),
        c("Description", "description", LongText),
    ],
    kind: Kind::Table,
    ..TableDef::BASE
};
