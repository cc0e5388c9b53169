//! Records kept about deals, people and organizations, projects' tasks and the comments on
//! notes (API v1).

use super::table_def::ColType::*;
use super::table_def::{c, child_of, ChildFetch, ColumnDef, Kind, Push, TableDef, Verb, Writes};
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
    writes: Some(Writes {
        version: V1,
        insert: Some("/notes"),
        update: Some((Verb::Put, "/notes/{id}")),
        delete: Some("/notes/{id}"),
        bulk_delete: None,
        columns: &[
            "Content",
            "LeadId",
            "DealId",
            "PersonId",
            "OrgId",
            "ProjectId",
            "UserId",
            "AddTime",
            "PinnedToDealFlag",
            "PinnedToPersonFlag",
        ],
        required: &["Content"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

pub(super) const LEAD_COLUMNS: &[ColumnDef] = &[
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
    c("ValueAmount", "value.amount", Money),
    c("ValueCurrency", "value.currency", Text),
    c("ExpectedCloseDate", "expected_close_date", Date),
    c("NextActivityId", "next_activity_id", BigInt),
    c("AddTime", "add_time", Timestamp),
    c("UpdateTime", "update_time", Timestamp),
    c("CcEmail", "cc_email", Text),
];

pub static LEADS: TableDef = TableDef {
    name: "Leads",
    version: V1,
    path: "/leads",
    get_path: Some("/leads/{id}"),
    columns: LEAD_COLUMNS,
    pushdown: &[
        Push::Eq("OwnerId", "owner_id"),
        Push::Eq("PersonId", "person_id"),
        Push::Eq("OrganizationId", "organization_id"),
        Push::Since("UpdateTime", "updated_since"),
    ],
    writes: Some(Writes {
        version: V1,
        insert: Some("/leads"),
        update: Some((Verb::Patch, "/leads/{id}")),
        delete: Some("/leads/{id}"),
        bulk_delete: None,
        columns: &[
            "Title",
            "OwnerId",
            "LabelIds",
            "PersonId",
            "OrganizationId",
            "IsArchived",
            "ValueAmount",
            "ValueCurrency",
            "ExpectedCloseDate",
            "WasSeen",
        ],
        required: &["Title"],
    }),
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
    writes: Some(Writes {
        version: V1,
        insert: Some("/callLogs"),
        update: None,
        delete: Some("/callLogs/{id}"),
        bulk_delete: None,
        columns: &[
            "UserId",
            "ActivityId",
            "Subject",
            "Duration",
            "Outcome",
            "FromPhoneNumber",
            "ToPhoneNumber",
            "StartTime",
            "EndTime",
            "PersonId",
            "OrgId",
            "DealId",
            "LeadId",
            "Note",
        ],
        required: &["Outcome", "ToPhoneNumber", "StartTime", "EndTime"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

/// The columns of a file's record, then `$extra`: files listed under a deal, person,
/// organization or product have no project columns.
macro_rules! file_columns {
    ($($extra:expr),* $(,)?) => {
        &[
            c("Id", "id", BigInt),
            c("UserId", "user_id", BigInt),
            c("DealId", "deal_id", BigInt),
            c("PersonId", "person_id", BigInt),
            c("OrgId", "org_id", BigInt),
            c("ProductId", "product_id", BigInt),
            c("ActivityId", "activity_id", BigInt),
            c("LeadId", "lead_id", Text),
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
            c("Url", "url", Text),
            c("Name", "name", Text),
            c("Description", "description", LongText),
            $($extra),*
        ]
    };
}
pub(super) use file_columns;

pub static FILES: TableDef = TableDef {
    name: "Files",
    version: V1,
    path: "/files",
    get_path: Some("/files/{id}"),
    columns: file_columns!(
        c("ProjectId", "project_id", BigInt),
        c("ProjectName", "project_name", Text),
    ),
    writes: Some(Writes {
        version: V1,
        insert: None,
        update: None,
        delete: Some("/files/{id}"),
        bulk_delete: None,
        columns: &[],
        required: &[],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

/// Tasks of projects (API v1, cursor paging).
pub(super) const TASK_COLUMNS: &[ColumnDef] = &[
    c("Id", "id", BigInt),
    c("Title", "title", Text),
    c("ProjectId", "project_id", BigInt),
    c("Description", "description", LongText),
    c("ParentTaskId", "parent_task_id", BigInt),
    c("AssigneeId", "assignee_id", BigInt),
    c("AssigneeIds", "assignee_ids", Json),
    // the API's 0 or 1
    c("Done", "done", BigInt),
    c("DueDate", "due_date", Date),
    c("CreatorId", "creator_id", BigInt),
    c("AddTime", "add_time", Timestamp),
    c("UpdateTime", "update_time", Timestamp),
    c("MarkedAsDoneTime", "marked_as_done_time", Timestamp),
];

pub static TASKS: TableDef = TableDef {
    name: "Tasks",
    version: V1,
    path: "/tasks",
    get_path: Some("/tasks/{id}"),
    columns: TASK_COLUMNS,
    pushdown: &[
        Push::Eq("ProjectId", "project_id"),
        Push::Eq("AssigneeId", "assignee_id"),
        Push::Eq("ParentTaskId", "parent_task_id"),
    ],
    writes: Some(Writes {
        version: V1,
        insert: Some("/tasks"),
        update: Some((Verb::Put, "/tasks/{id}")),
        delete: Some("/tasks/{id}"),
        bulk_delete: None,
        columns: &[
            "Title",
            "ProjectId",
            "Description",
            "ParentTaskId",
            "AssigneeId",
            "AssigneeIds",
            "Done",
            "DueDate",
        ],
        required: &["Title", "ProjectId"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

/// Comments on notes, listed per note.
pub static NOTE_COMMENTS: TableDef = TableDef {
    name: "NoteComments",
    version: V1,
    path: "/notes/{id}/comments",
    parent: child_of("Notes", "NoteId", "note_id", ChildFetch::PerParent),
    key: "Uuid",
    columns: &[
        c("Uuid", "uuid", Text),
        c("NoteId", "note_id", BigInt),
        c("Content", "content", LongText),
        c("ActiveFlag", "active_flag", Boolean),
        c("UserId", "user_id", BigInt),
        c("UpdaterId", "updater_id", BigInt),
        c("ObjectType", "object_type", Text),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
    ],
    writes: Some(Writes {
        version: V1,
        insert: Some("/notes/{parent}/comments"),
        update: Some((Verb::Put, "/notes/{parent}/comments/{id}")),
        delete: Some("/notes/{parent}/comments/{id}"),
        bulk_delete: None,
        columns: &["NoteId", "Content"],
        required: &["NoteId", "Content"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};
