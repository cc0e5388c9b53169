//! The arrays inside records, as varied as real accounts have them: people with no phone, with
//! several emails (one primary), messengers under odd labels, activities with outside
//! attendees, products priced in several currencies. They follow from the record number alone,
//! so the rest of the demo data does not move when they change.

use serde_json::{json, Value};

/// A person's emails: the work address, a second one on some, none marked primary on a few.
pub fn emails(work: &str, first: &str, n: i64) -> Value {
    match n % 6 {
        0 => json!([]),
        1 | 4 => json!([
            {"value": work, "primary": true, "label": "work"},
            {"value": format!("{}.{n}@mail.example.org", first.to_lowercase()), "primary": false, "label": "home"},
        ]),
        5 => json!([{"value": work, "primary": false, "label": "other"}]),
        _ => json!([{"value": work, "primary": true, "label": "work"}]),
    }
}

pub fn phones(n: i64) -> Value {
    match n % 4 {
        0 => json!([]),
        1 => json!([
            {"value": format!("+372 5{:06}", n % 1_000_000), "primary": true, "label": "mobile"},
            {"value": format!("(555) 01{:02} ext. {n}", n % 100), "primary": false, "label": "work"},
        ]),
        _ => {
            json!([{"value": format!("+372 5{:06}", n % 1_000_000), "primary": true, "label": "mobile"}])
        }
    }
}

pub fn messengers(first: &str, n: i64) -> Value {
    if n % 7 == 0 {
        json!([{"value": format!("@{}_{n}", first.to_lowercase()), "primary": true, "label": "Telegram ✈"}])
    } else {
        json!([])
    }
}

/// Attendees of some activities: the person it is with, and someone from outside.
pub fn attendees(person: Option<i64>, n: i64) -> Value {
    if n % 4 != 0 {
        return json!([]);
    }
    let mut out = vec![json!({
        "email": format!("gäst{n}@partner.example.net"), "name": "Zoë Ångström-Łukasik",
        "status": "accepted", "is_organizer": false, "person_id": null, "user_id": null,
    })];
    if let Some(p) = person {
        out.insert(
            0,
            json!({
                "email": format!("person{p}@example.com"), "name": null, "status": "needsAction",
                "is_organizer": false, "person_id": p, "user_id": null,
            }),
        );
    }
    Value::Array(out)
}

/// A product's prices: in euros, and in dollars and yen on some.
pub fn prices(n: i64, price: f64) -> Value {
    let one = |currency: &str, price: f64, cost: f64| json!({"product_id": n, "price": price, "currency": currency, "cost": cost, "direct_cost": null, "notes": ""});
    let mut out = vec![one("EUR", price, 0.0)];
    if n % 2 == 0 {
        out.push(one("USD", price * 1.1, price * 0.4));
    }
    if n % 5 == 0 {
        out.push(one("JPY", (price * 160.0).round(), 0.0));
    }
    Value::Array(out)
}
