//! Rows linked to a record through others (API v1): the deals a product is attached to, the
//! products attached to a person's deals, a project's activities.

use super::answer::Answer;
use super::computed::{cursor_page, offset_page, Rows};
use super::not_found::must_exist;
use super::request::Ctx;
use super::v1_shapes;
use crate::entities::{entity, ApiVersion};
use crate::error::{ApiError, ApiResult};
use crate::store::{Row, Scalar, Store};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The record the path names (`/products/{id}/...`), which must exist.
fn owner(store: &Store, name: &str, ctx: &Ctx) -> ApiResult<i64> {
    let id = ctx.parent_id()?.unwrap_or_default();
    must_exist(store, entity(name), id)?;
    Ok(id)
}

/// The values of `attr` of the rows of `collection` whose `by` is `id`.
fn linked(store: &Store, collection: &str, by: &str, id: i64, attr: &str) -> BTreeSet<i64> {
    let spec = entity(collection);
    store
        .collection(collection)
        .rows()
        .filter(|r| *r.attr_ref(spec, by) == Scalar::Int(id))
        .filter_map(|r| r.attr_ref(spec, attr).as_int())
        .collect()
}

/// `GET /products/{id}/deals`: the deals the product is attached to, in a `status` (open, won,
/// lost, deleted, or all not deleted).
pub fn product_deals(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let product = owner(store, "products", ctx)?;
    const STATUSES: &[&str] = &["open", "won", "lost", "deleted", "all_not_deleted"];
    let status = ctx.query.get("status").unwrap_or("all_not_deleted");
    if !STATUSES.contains(&status) {
        return Err(ApiError::invalid(
            ApiVersion::V1,
            format!(
                "status: must be equal to one of the allowed values: {} (got '{status}')",
                STATUSES.join(", ")
            ),
        ));
    }
    let deals = store.collection("deals");
    let chosen: Vec<Value> = linked(store, "dealProducts", "product_id", product, "deal_id")
        .into_iter()
        .filter_map(|d| deals.get(&d.to_string()).map(Row::value))
        .filter(|d| {
            let deleted = d["is_deleted"] == true;
            match status {
                "deleted" => deleted,
                "all_not_deleted" => !deleted,
                s => !deleted && d["status"] == s,
            }
        })
        .collect();
    offset_page(
        ctx,
        &chosen,
        false,
        |d| v1_shapes::deal_with_relations(store, d),
        |_| json!({}),
    )
}

/// `GET /persons/{id}/products`: each product attached to a deal of the person, keyed by the
/// deal's id, with the deal.
pub fn person_products(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let person = owner(store, "persons", ctx)?;
    let (deals, products) = (store.collection("deals"), store.collection("products"));
    let attachments = entity("dealProducts");
    let mut items: Vec<(Value, Value)> = vec![];
    for deal in linked(store, "deals", "person_id", person, "id") {
        let Some(d) = deals.get(&deal.to_string()).map(Row::value) else {
            continue;
        };
        if d["is_deleted"] == true {
            continue;
        }
        for product in store
            .collection(attachments.name)
            .rows()
            .filter(|r| *r.attr_ref(attachments, "deal_id") == Scalar::Int(deal))
            .filter_map(|r| r.attr_ref(attachments, "product_id").as_int())
        {
            if let Some(p) = products.get(&product.to_string()) {
                items.push((d.clone(), p.value()));
            }
        }
    }
    let show = |(d, p): &(Value, Value)| {
        let mut deal = v1_shapes::deal(d);
        deal["company_id"] = json!(1);
        deal["first_add_time"] = deal["add_time"].clone();
        let key = d["id"].to_string();
        json!({ key: {"deal": deal, "product": v1_shapes::product(p, &d["id"])} })
    };
    offset_page(ctx, &items, true, show, |_| json!({}))
}

/// `GET /projects/{id}/activities`: the project's activities in their v1 shape.
pub fn project_activities(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let project = owner(store, "projects", ctx)?;
    let spec = entity("activities");
    let items: Vec<Value> = store
        .collection(spec.name)
        .rows()
        .filter(|r| *r.attr_ref(spec, "project_id") == Scalar::Int(project))
        .map(|r| v1_shapes::activity(&r.value()))
        .collect();
    cursor_page(ctx, items, Rows::Data)
}
