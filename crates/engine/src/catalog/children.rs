//! Rows that belong to a deal: its products, followers and participants, the persons linked
//! to it. Listed per deal (or per batch of deals); without a `DealId` filter the deals are
//! walked first. Its activities are the activities that name a deal: one walk of them.

use super::core::{person_columns, ACTIVITY_COLUMNS, ACTIVITY_PUSHDOWN};
use super::table_def::ColType::*;
use super::table_def::{c, child_of, ChildFetch, Kind, Parent, TableDef, Verb, Writes, NO_KEY};
use pipedrive_api::ApiVersion::{V1, V2};

const fn of_deal(fetch: ChildFetch) -> Option<Parent> {
    child_of("Deals", "DealId", "deal_id", fetch)
}

pub static DEALS_PRODUCTS: TableDef = TableDef {
    name: "DealsProducts",
    version: V2,
    path: "/deals/products",
    parent: of_deal(ChildFetch::Batched {
        param: "deal_ids",
        max: 100,
    }),
    columns: &[
        c("Id", "id", BigInt),
        c("DealId", "deal_id", BigInt),
        c("ProductId", "product_id", BigInt),
        c("ProductVariationId", "product_variation_id", BigInt),
        c("Name", "name", Text),
        c("OrderNr", "order_nr", BigInt),
        c("ItemPrice", "item_price", Money),
        c("Quantity", "quantity", Double),
        c("Sum", "sum", Money),
        c("Tax", "tax", Double),
        c("TaxMethod", "tax_method", Text),
        c("Discount", "discount", Double),
        c("DiscountType", "discount_type", Text),
        c("Currency", "currency", Text),
        c("Comments", "comments", LongText),
        c("IsEnabled", "is_enabled", Boolean),
        c("BillingFrequency", "billing_frequency", Text),
        c("BillingFrequencyCycles", "billing_frequency_cycles", BigInt),
        c("BillingStartDate", "billing_start_date", Date),
        c("AddTime", "add_time", Timestamp),
        c("UpdateTime", "update_time", Timestamp),
    ],
    writes: Some(Writes {
        version: V2,
        insert: Some("/deals/{parent}/products"),
        update: Some((Verb::Patch, "/deals/{parent}/products/{id}")),
        delete: Some("/deals/{parent}/products/{id}"),
        bulk_delete: Some(("/deals/{parent}/products", 100)),
        columns: &[
            "DealId",
            "ProductId",
            "ProductVariationId",
            "ItemPrice",
            "Quantity",
            "Tax",
            "TaxMethod",
            "Discount",
            "DiscountType",
            "Comments",
            "IsEnabled",
            "BillingFrequency",
            "BillingFrequencyCycles",
            "BillingStartDate",
        ],
        required: &["DealId", "ProductId", "ItemPrice", "Quantity"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static DEALS_FOLLOWERS: TableDef = TableDef {
    name: "DealsFollowers",
    version: V2,
    path: "/deals/{id}/followers",
    parent: of_deal(ChildFetch::PerParent),
    key: "UserId",
    columns: &[
        c("DealId", "deal_id", BigInt),
        c("UserId", "user_id", BigInt),
        c("AddTime", "add_time", Timestamp),
    ],
    writes: Some(Writes {
        version: V2,
        insert: Some("/deals/{parent}/followers"),
        update: None,
        delete: Some("/deals/{parent}/followers/{id}"),
        bulk_delete: None,
        columns: &["DealId", "UserId"],
        required: &["DealId", "UserId"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static DEALS_PARTICIPANTS: TableDef = TableDef {
    name: "DealsParticipants",
    version: V1,
    path: "/deals/{id}/participants",
    parent: of_deal(ChildFetch::PerParent),
    columns: &[
        c("Id", "id", BigInt),
        c("DealId", "deal_id", BigInt),
        c("PersonId", "person_id", BigInt),
        c("PersonName", "person.name", Text),
        c("AddTime", "add_time", Timestamp),
        c("ActiveFlag", "active_flag", Boolean),
        c("AddedByUserId", "added_by_user_id", BigInt),
        c("RelatedItemType", "related_item_type", Text),
        c("RelatedItemId", "related_item_id", BigInt),
    ],
    writes: Some(Writes {
        version: V1,
        insert: Some("/deals/{parent}/participants"),
        update: None,
        delete: Some("/deals/{parent}/participants/{id}"),
        bulk_delete: None,
        columns: &["DealId", "PersonId"],
        required: &["DealId", "PersonId"],
    }),
    kind: Kind::Table,
    ..TableDef::BASE
};

/// The activities linked to a deal (a `DealId` filter is the list's own `deal_id`).
pub static DEALS_ACTIVITIES: TableDef = TableDef {
    name: "DealsActivities",
    version: V2,
    path: "/activities",
    columns: ACTIVITY_COLUMNS,
    pushdown: ACTIVITY_PUSHDOWN,
    only_with: Some("deal_id"),
    kind: Kind::View,
    ..TableDef::BASE
};

/// The persons linked to each deal (its contact person and its participants), with the deal.
pub static DEALS_PERSONS: TableDef = TableDef {
    name: "DealsPersons",
    version: V2,
    path: "/persons",
    parent: of_deal(ChildFetch::Batched {
        param: "deal_id",
        max: 1,
    }),
    key: NO_KEY,
    columns: person_columns!(c("DealId", "deal_id", BigInt)),
    kind: Kind::View,
    ..TableDef::BASE
};
