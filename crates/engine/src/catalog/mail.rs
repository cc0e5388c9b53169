//! Mail (API v1): the threads of each mailbox folder, their messages, the messages linked to a
//! deal, a person or an organization, and each message's senders and recipients. The API's
//! 0/1 flags stay numbers, as the thread update takes them.

use super::table_def::ColType::*;
use super::table_def::{
    c, child_of, ChildFetch, ColumnDef, Each, Kind, Parent, Push, TableDef, Verb, Writes, NO_KEY,
};
use pipedrive_api::ApiVersion::V1;

/// The mailbox folders a thread list is asked for.
const FOLDERS: &[&str] = &["inbox", "drafts", "sent", "archive"];

pub static MAIL_THREADS: TableDef = TableDef {
    name: "MailThreads",
    version: V1,
    path: "/mailbox/mailThreads",
    each: Some(Each {
        column: "Folder",
        param: "folder",
        values: FOLDERS,
    }),
    columns: &[
        c("Id", "id", BigInt),
        c("Folder", "folder", Text),
        c("Subject", "subject", Text),
        c("Snippet", "snippet", LongText),
        c("AccountId", "account_id", Text),
        c("UserId", "user_id", BigInt),
        c("DealId", "deal_id", BigInt),
        c("DealStatus", "deal_status", Text),
        c("LeadId", "lead_id", Text),
        c("MessageCount", "message_count", BigInt),
        c("ReadFlag", "read_flag", BigInt),
        c("SharedFlag", "shared_flag", BigInt),
        c("ArchivedFlag", "archived_flag", BigInt),
        c("DeletedFlag", "deleted_flag", BigInt),
        c("HasAttachmentsFlag", "has_attachments_flag", BigInt),
        c("HasDraftFlag", "has_draft_flag", BigInt),
        c("HasSentFlag", "has_sent_flag", BigInt),
        c("MailTrackingStatus", "mail_tracking_status", Text),
        c("Folders", "folders", Json),
        c("PartiesTo", "parties.to", Json),
        c("PartiesFrom", "parties.from", Json),
        c("FirstMessageTime", "first_message_timestamp", Timestamp),
        c("LastMessageTime", "last_message_timestamp", Timestamp),
        c(
            "LastMessageSentTime",
            "last_message_sent_timestamp",
            Timestamp,
        ),
        c(
            "LastMessageReceivedTime",
            "last_message_received_timestamp",
            Timestamp,
        ),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
    ],
    pushdown: &[Push::OneOf("Folder", "folder", FOLDERS)],
    writes: Some(Writes {
        version: V1,
        insert: None,
        update: Some((Verb::Put, "/mailbox/mailThreads/{id}")),
        delete: Some("/mailbox/mailThreads/{id}"),
        bulk_delete: None,
        columns: &["DealId", "LeadId", "SharedFlag", "ReadFlag", "ArchivedFlag"],
        required: &[],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

/// A mail message's columns, each path under `$at` (the message itself, or the `data` of a
/// record's mail list).
macro_rules! message_columns {
    ($at:literal $(, $extra:expr)*) => {
        &[
            c("Id", concat!($at, "id"), BigInt),
            $($extra,)*
            c("MailThreadId", concat!($at, "mail_thread_id"), BigInt),
            c("Subject", concat!($at, "subject"), Text),
            c("Snippet", concat!($at, "snippet"), LongText),
            c("AccountId", concat!($at, "account_id"), Text),
            c("UserId", concat!($at, "user_id"), BigInt),
            c("From", concat!($at, "from"), Json),
            c("To", concat!($at, "to"), Json),
            c("Cc", concat!($at, "cc"), Json),
            c("Bcc", concat!($at, "bcc"), Json),
            c("BodyUrl", concat!($at, "body_url"), Text),
            c("MailTrackingStatus", concat!($at, "mail_tracking_status"), Text),
            c("ReadFlag", concat!($at, "read_flag"), BigInt),
            c("SentFlag", concat!($at, "sent_flag"), BigInt),
            c("SentFromPipedriveFlag", concat!($at, "sent_from_pipedrive_flag"), BigInt),
            c("HasBodyFlag", concat!($at, "has_body_flag"), BigInt),
            c("HasAttachmentsFlag", concat!($at, "has_attachments_flag"), BigInt),
            c("DeletedFlag", concat!($at, "deleted_flag"), BigInt),
            c("SyncedFlag", concat!($at, "synced_flag"), BigInt),
            c("MessageTime", concat!($at, "message_time"), Timestamp),
            c("AddTime", concat!($at, "add_time"), Timestamp),
            c("UpdateTime", concat!($at, "update_time"), Timestamp),
        ]
    };
}

const fn of_thread() -> Option<Parent> {
    child_of(
        "MailThreads",
        "MailThreadId",
        "mail_thread_id",
        ChildFetch::PerParent,
    )
}

/// The messages of each thread.
pub static MAIL_MESSAGES: TableDef = TableDef {
    name: "MailMessages",
    version: V1,
    path: "/mailbox/mailThreads/{id}/mailMessages",
    parent: of_thread(),
    columns: message_columns!(""),
    kind: Kind::View,
    ..TableDef::BASE
};

/// The mail messages linked to each row of `$parent` (its key in `$column`).
macro_rules! mail_of {
    ($name:literal, $path:literal, $parent:literal, $column:literal, $field:literal) => {
        TableDef {
            name: $name,
            version: V1,
            path: $path,
            parent: child_of($parent, $column, $field, ChildFetch::PerParent),
            columns: message_columns!("data.", c($column, $field, BigInt)),
            kind: Kind::View,
            ..TableDef::BASE
        }
    };
}

pub static DEALS_MAIL_MESSAGES: TableDef = mail_of!(
    "DealsMailMessages",
    "/deals/{id}/mailMessages",
    "Deals",
    "DealId",
    "deal_id"
);
pub static PERSONS_MAIL_MESSAGES: TableDef = mail_of!(
    "PersonsMailMessages",
    "/persons/{id}/mailMessages",
    "Persons",
    "PersonId",
    "person_id"
);
pub static ORGANIZATIONS_MAIL_MESSAGES: TableDef = mail_of!(
    "OrganizationsMailMessages",
    "/organizations/{id}/mailMessages",
    "Organizations",
    "OrgId",
    "org_id"
);

/// A party of a message (sender or recipient), with the message's key.
const PARTY_COLUMNS: &[ColumnDef] = &[
    c("MessageId", "_parent.id", BigInt),
    c("MailThreadId", "_parent.mail_thread_id", BigInt),
    c("PartyId", "id", BigInt),
    c("EmailAddress", "email_address", Text),
    c("Name", "name", Text),
    c("LinkedPersonId", "linked_person_id", BigInt),
    c("LinkedPersonName", "linked_person_name", Text),
    c("LinkedOrganizationId", "linked_organization_id", BigInt),
    c("MailMessagePartyId", "mail_message_party_id", BigInt),
];

/// The elements of one party list (`from`, `to`, `cc`, `bcc`) of each thread's messages.
const fn parties(name: &'static str, list: &'static str) -> TableDef {
    TableDef {
        name,
        version: V1,
        path: "/mailbox/mailThreads/{id}/mailMessages",
        parent: of_thread(),
        key: NO_KEY,
        columns: PARTY_COLUMNS,
        explode: Some(list),
        kind: Kind::View,
        ..TableDef::BASE
    }
}

pub static MAIL_MESSAGES_FROM: TableDef = parties("MailMessagesFrom", "from");
pub static MAIL_MESSAGES_TO: TableDef = parties("MailMessagesTo", "to");
pub static MAIL_MESSAGES_CC: TableDef = parties("MailMessagesCc", "cc");
pub static MAIL_MESSAGES_BCC: TableDef = parties("MailMessagesBcc", "bcc");
