//! How projects are organised (API v2): the project boards, the phases of each board, and
//! the templates new projects start from.

use super::table_def::ColType::*;
use super::table_def::{c, child_of, ChildFetch, Kind, TableDef};
use pipedrive_api::ApiVersion::V2;

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
    kind: Kind::View,
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
