//! Terms of a sale (API v2): the discounts and installments of deals, the variations of
//! products with their prices. Each is written under its deal or product.

use super::table_def::ColType::*;
use super::table_def::{c, child_of, ChildFetch, Kind, TableDef, Verb, Writes};
use pipedrive_api::ApiVersion::V2;

pub static DEALS_DISCOUNTS: TableDef = TableDef {
    name: "DealsDiscounts",
    version: V2,
    path: "/deals/{id}/discounts",
    parent: child_of("Deals", "DealId", "deal_id", ChildFetch::PerParent),
    columns: &[
        c("Id", "id", Text),
        c("DealId", "deal_id", BigInt),
        c("Description", "description", Text),
        c("Type", "type", Text),
        c("Amount", "amount", Double),
        c("CreatedAt", "created_at", Timestamp),
        c("CreatedBy", "created_by", BigInt),
        c("UpdatedAt", "updated_at", Timestamp),
        c("UpdatedBy", "updated_by", BigInt),
    ],
    writes: v2_writes!(
        "/deals/{parent}/discounts",
        &["DealId", "Description", "Type", "Amount"],
        &["DealId", "Type", "Amount"],
    ),
    kind: Kind::Table,
    ..TableDef::BASE
};

/// Installments of deals, listed for up to 100 deals a request (`deal_ids=`).
pub static DEALS_INSTALLMENTS: TableDef = TableDef {
    name: "DealsInstallments",
    version: V2,
    path: "/deals/installments",
    parent: child_of(
        "Deals",
        "DealId",
        "deal_id",
        ChildFetch::Batched {
            param: "deal_ids",
            max: 100,
        },
    ),
    columns: &[
        c("Id", "id", BigInt),
        c("DealId", "deal_id", BigInt),
        c("Description", "description", Text),
        c("Amount", "amount", Money),
        c("BillingDate", "billing_date", Date),
    ],
    writes: v2_writes!(
        "/deals/{parent}/installments",
        &["DealId", "Description", "Amount", "BillingDate"],
        &["DealId", "Amount", "BillingDate"],
    ),
    kind: Kind::Table,
    ..TableDef::BASE
};

pub static PRODUCTS_VARIATIONS: TableDef = TableDef {
    name: "ProductsVariations",
    version: V2,
    path: "/products/{id}/variations",
    parent: child_of("Products", "ProductId", "product_id", ChildFetch::PerParent),
    columns: &[
        c("Id", "id", BigInt),
        c("ProductId", "product_id", BigInt),
        c("Name", "name", Text),
        c("Prices", "prices", Json),
    ],
    writes: v2_writes!(
        "/products/{parent}/variations",
        &["ProductId", "Name", "Prices"],
        &["ProductId", "Name"],
    ),
    kind: Kind::Table,
    ..TableDef::BASE
};
