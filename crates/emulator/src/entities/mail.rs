//! The mailbox (API v1): mail threads, each in one folder, and the messages in them.

use crate::entity_spec::*;
use AttrKind::*;

pub const MAIL_THREADS: EntitySpec = EntitySpec {
    name: "mailThreads",
    version: ApiVersion::V1,
    id: IdKind::Int,
    attrs: &[
        Attr("add_time", Time),
        Attr("update_time", Time),
        Attr("deal_id", Int),
        Attr("lead_id", Str),
        Attr("last_message_timestamp", Time),
        Attr("deleted_flag", Int),
    ],
    filters: &[],
    sorts: &["id", "last_message_timestamp"],
    paging: Paging::Offset { nested: true },
    parent: None,
    custom_fields: None,
    scope: "mail",
    required: &[],
    soft_delete: false,
    time_format: TimeFormat::Millis,
    update_time: Some("update_time"),
    archived: None,
};

pub const MAIL_MESSAGES: EntitySpec = EntitySpec {
    name: "mailMessages",
    version: ApiVersion::V1,
    id: IdKind::Int,
    attrs: &[
        Attr("add_time", Time),
        Attr("update_time", Time),
        Attr("mail_thread_id", Int),
        Attr("message_time", Time),
        Attr("deleted_flag", Int),
    ],
    filters: &[],
    sorts: &["id", "message_time"],
    paging: Paging::Offset { nested: true },
    parent: Some(("mailThreads", "mail_thread_id")),
    custom_fields: None,
    scope: "mail",
    required: &[],
    soft_delete: false,
    time_format: TimeFormat::Millis,
    update_time: Some("update_time"),
    archived: None,
};
