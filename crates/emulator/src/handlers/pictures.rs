//! Pictures of persons and images of products (API v2). Every third person has a picture; a
//! product has at most one image, which can be uploaded, replaced and deleted.

use super::answer::Answer;
use super::not_found::must_exist;
use super::request::Ctx;
use crate::entities::{entity, ApiVersion};
use crate::error::{ApiError, ApiResult};
use crate::routes::Method;
use crate::store::{Row, Scalar, Store};
use crate::timefmt;
use axum::http::StatusCode;
use serde_json::{json, Value};

/// Whether a person has a picture: every third one has.
fn has_picture(person: i64) -> bool {
    person % 3 == 0
}

/// `GET /persons/{id}/picture`: the picture's sizes; 404 for a person without one.
pub fn person_picture(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let id = ctx.parent_id()?.unwrap_or_default();
    let person = must_exist(store, entity("persons"), id)?.value();
    if !has_picture(id) {
        return Err(ApiError::not_found("Picture"));
    }
    let mixed = (id as u128).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
    let hash = format!("{mixed:032x}{:08x}", (mixed >> 96) as u32 ^ id as u32);
    let url =
        |size: u32| format!("https://pipedrive-profile-pics.s3.example.com/{hash}_{size}.jpg");
    Ok(Answer::data(&json!({
        "id": 10_000 + id, "item_type": "person", "item_id": id, "added_by_user_id": person["owner_id"],
        "active_flag": true, "file_size": 24_000 + (id * 7_919) % 500_000,
        "pictures": {"128": url(128), "512": url(512)},
    })))
}

/// The product's image row, if it has one.
fn image_of(store: &Store, product: i64) -> Option<&Row> {
    let spec = entity("productImages");
    store
        .collection(spec.name)
        .rows()
        .find(|r| *r.attr_ref(spec, "product_id") == Scalar::Int(product))
}

/// The uploaded file of a body (`data`, multipart) and its media type.
fn upload(ctx: &Ctx) -> ApiResult<(String, &'static str)> {
    let v = ApiVersion::V2;
    let body = ctx.body_object()?;
    let name = match body.get("data") {
        Some(Value::Object(file)) => file
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("image")
            .to_string(),
        _ => {
            return Err(ApiError::invalid(
                v,
                "body: must have required property 'data'",
            ))
        }
    };
    let ext = name.rsplit('.').next().unwrap_or_default().to_lowercase();
    let mime = match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => {
            return Err(ApiError::invalid(
                v,
                "data: must be an image (png, jpeg, gif or webp)",
            ))
        }
    };
    Ok((name, mime))
}

/// The product the path names and its image, if it has one.
fn product_and_image(store: &Store, ctx: &Ctx) -> ApiResult<(i64, Option<Value>)> {
    let product = ctx.parent_id()?.unwrap_or_default();
    must_exist(store, entity("products"), product)?;
    Ok((product, image_of(store, product).map(Row::value)))
}

fn missing() -> ApiError {
    ApiError::not_found("Image")
}

/// `GET /products/{id}/images`: the product's image; 404 when it has none.
pub fn product_image(store: &Store, ctx: &Ctx) -> ApiResult<Answer> {
    let (_, image) = product_and_image(store, ctx)?;
    Ok(Answer::data(&image.ok_or_else(missing)?))
}

/// `POST|PUT|DELETE /products/{id}/images`: the product's image uploaded (when it has none),
/// replaced or deleted.
pub fn change_product_image(store: &mut Store, ctx: &Ctx) -> ApiResult<Answer> {
    let (product, current) = product_and_image(store, ctx)?;
    let spec = entity("productImages");
    let brief = |image: &Value| json!({"id": image["id"], "product_id": product, "company_id": "1", "add_time": image["add_time"]});
    match ctx.route.method {
        Method::Delete => {
            let image = current.ok_or_else(missing)?;
            let id = image["id"].to_string();
            store.collection_mut(spec.name).remove(&id);
            Ok(Answer::data(&json!({"id": image["id"]})))
        }
        method => {
            let (name, mime) = upload(ctx)?;
            let id = match (&current, method) {
                (Some(_), Method::Post) => {
                    return Err(ApiError::invalid(
                        ApiVersion::V2,
                        "data: the product has an image already; replace it with PUT",
                    ))
                }
                (None, Method::Put) => return Err(missing()),
                (Some(image), _) => image["id"].as_i64().unwrap_or_default(),
                (None, _) => store.collection(spec.name).next_int_id(),
            };
            let ext = name.rsplit('.').next().unwrap_or("png");
            let image = json!({
                "id": id, "product_id": product, "company_id": "1",
                "public_url": format!("https://pipedrive-product-images.s3.example.com/{product:08x}-{id:04x}-4000-a000-{:012x}.{ext}", timefmt::now()),
                "add_time": timefmt::date(timefmt::now()), "mime_type": mime, "name": name,
            });
            let answer = brief(&image);
            let Value::Object(record) = image else {
                return Err(ApiError::internal());
            };
            let coll = store.collection_mut(spec.name);
            if current.is_some() {
                coll.replace(&id.to_string(), record);
            } else {
                coll.insert(record);
            }
            let status = match method {
                Method::Post => StatusCode::CREATED,
                _ => StatusCode::OK,
            };
            Ok(Answer::with_status(
                status,
                json!({"success": true, "data": answer}).to_string(),
            ))
        }
    }
}
