//! How projects are organised: the project boards, the phases of each board, and the
//! templates new projects start from (API v2); each project's groups and plan (API v1).
//! Boards and phases are written like other tables.

use super::table_def::ColType::*;
use super::table_def::{c, child_of, ChildFetch, Kind, TableDef, Verb, Writes, NO_KEY};
use pipedrive_api::ApiVersion::{V1, V2};

pub static BOARDS: TableDef = TableDef {
    name: "Boards",
    version: V2,
    path: "/boards",
    columns: &[
        c("Id", "id", BigInt),
        c("Name", "name", Text),
        c("OrderNr", "order_nr", BigInt),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
    ],
    writes: v2_writes!("/boards", &["Name", "OrderNr"], &["Name"]),
    kind: Kind::Table,
    ..TableDef::BASE
};

/// The phases of each board: the API lists them per board (`board_id=`).
pub static PHASES: TableDef = TableDef {
    name: "Phases",
    version: V2,
    path: "/phases",
    parent: child_of(
        "Boards",
        "BoardId",
        "board_id",
        ChildFetch::Batched {
            param: "board_id",
            max: 1,
        },
    ),
    columns: &[
        c("Id", "id", BigInt),
        c("BoardId", "board_id", BigInt),
        c("Name", "name", Text),
        c("OrderNr", "order_nr", BigInt),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
    ],
    writes: v2_writes!(
        "/phases",
        &["BoardId", "Name", "OrderNr"],
        &["BoardId", "Name"]
    ),
    kind: Kind::Table,
    ..TableDef::BASE
};

/// The groups each project's tasks and activities are arranged in.
pub static PROJECTS_GROUPS: TableDef = TableDef {
    name: "ProjectsGroups",
    version: V1,
    path: "/projects/{id}/groups",
    parent: child_of("Projects", "ProjectId", "project_id", ChildFetch::PerParent),
    columns: &[
        c("ProjectId", "project_id", BigInt),
        c("Id", "id", BigInt),
        c("Name", "name", Text),
        c("OrderNr", "order_nr", BigInt),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

/// Each project's plan: where each task or activity stands (phase and group).
pub static PROJECTS_PLAN: TableDef = TableDef {
    name: "ProjectsPlan",
    version: V1,
    path: "/projects/{id}/plan",
    parent: child_of("Projects", "ProjectId", "project_id", ChildFetch::PerParent),
    key: NO_KEY,
    columns: &[
        c("ProjectId", "project_id", BigInt),
        c("ItemId", "item_id", BigInt),
        c("ItemType", "item_type", Text),
        c("PhaseId", "phase_id", BigInt),
        c("GroupId", "group_id", BigInt),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};

pub static PROJECT_TEMPLATES: TableDef = TableDef {
    name: "ProjectTemplates",
    version: V2,
    path: "/projectTemplates",
    columns: &[
        c("Id", "id", BigInt),
        c("Title", "title", Text),
        c("Description", "description", LongText),
        c("ProjectsBoardId", "projects_board_id", BigInt),
        c("OwnerId", "owner_id", BigInt),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
    ],
    kind: Kind::View,
    ..TableDef::BASE
};
