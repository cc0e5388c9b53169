//! Field definitions (`/api/v2/*Fields`) and custom field values: generation for demo data,
//! validation for writes.

use crate::dice::Dice;
use crate::timefmt;
use serde_json::{json, Map, Value};

/// The field types a custom field can have (`field_type` of POST /api/v2/dealFields).
pub const CUSTOM_TYPES: [&str; 16] = [
    "varchar",
    "text",
    "double",
    "phone",
    "date",
    "daterange",
    "time",
    "timerange",
    "set",
    "enum",
    "varchar_auto",
    "address",
    "monetary",
    "org",
    "people",
    "user",
];

#[derive(Clone, Debug)]
pub struct FieldOption {
    pub id: i64,
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    /// 40-hex key for custom fields, the API name for standard ones.
    pub code: String,
    pub name: String,
    pub field_type: String,
    pub options: Vec<FieldOption>,
    pub is_custom: bool,
    pub add_time: i64,
    pub update_time: i64,
}

/// How many rows the relation types may point at.
#[derive(Clone, Copy, Debug, Default)]
pub struct RefCounts {
    pub users: usize,
    pub organizations: usize,
    pub persons: usize,
}

impl FieldDef {
    pub fn has_options(&self) -> bool {
        matches!(self.field_type.as_str(), "enum" | "set")
    }

    /// Definition as `GET /api/v2/*Fields` shows it.
    pub fn to_json(&self) -> Value {
        let options = self.has_options().then(|| {
            self.options
                .iter()
                .map(|o| json!({"id": o.id, "label": o.label, "color": null, "update_time": null, "add_time": null}))
                .collect::<Vec<_>>()
        });
        let subfields = subfields(&self.field_type).map(|subs| {
            subs.iter()
                .map(|(suffix, name, t)| {
                    json!({"field_code": format!("{}_{}", self.code, suffix), "field_name": format!("{} {}", self.name, name), "field_type": t})
                })
                .collect::<Vec<_>>()
        });
        json!({
            "field_name": self.name,
            "field_code": self.code,
            "field_type": self.field_type,
            "options": options,
            "subfields": subfields,
            "is_custom_field": self.is_custom,
            "is_optional_response_field": false,
        })
    }

    /// The field as the v1 `*Fields` lists show it, with the numeric id it has there.
    pub fn to_v1_json(&self, id: u64) -> Value {
        let options = self.has_options().then(|| {
            self.options
                .iter()
                .map(|o| json!({"id": o.id, "label": o.label}))
                .collect::<Vec<_>>()
        });
        json!({
            "id": id,
            "key": self.code,
            "name": self.name,
            "field_type": v1_field_type(&self.field_type),
            "options": options,
            "edit_flag": self.is_custom,
            "active_flag": true,
            "mandatory_flag": false,
        })
    }

    /// A demo value; `None` leaves the field empty.
    pub fn generate(&self, dice: &mut Dice, refs: RefCounts, base_time: i64) -> Value {
        if dice.chance(0.15) {
            return Value::Null;
        }
        let day = 86_400;
        match self.field_type.as_str() {
            "varchar" | "varchar_auto" => json!(dice.pick(crate::seed::text::WORDS).to_string()),
            "text" => json!(crate::seed::text::paragraph(dice, 2)),
            "phone" => json!(format!("+1 555 {:04}", dice.int(0, 9999))),
            "double" => json!((dice.int(0, 1_000_000) as f64) / 100.0),
            "monetary" => {
                json!({"value": dice.int(0, 50_000) as f64, "currency": dice.pick(&["EUR", "USD", "GBP"])})
            }
            "date" => json!(timefmt::date(base_time - dice.int(0, 700) * day)),
            "daterange" => {
                let start = base_time - dice.int(30, 700) * day;
                json!({"start": timefmt::date(start), "until": timefmt::date(start + dice.int(1, 30) * day)})
            }
            "time" => json!(format!(
                "{:02}:{:02}:00",
                dice.int(7, 19),
                dice.int(0, 3) * 15
            )),
            "timerange" => {
                let h = dice.int(8, 16);
                json!({"start": format!("{h:02}:00:00"), "until": format!("{:02}:30:00", h + 1)})
            }
            "enum" => json!(dice.pick(&self.options).id),
            "set" => {
                let mut ids: Vec<i64> = self
                    .options
                    .iter()
                    .filter(|_| dice.chance(0.4))
                    .map(|o| o.id)
                    .collect();
                if ids.is_empty() {
                    ids.push(self.options[0].id);
                }
                json!(ids)
            }
            "address" => crate::seed::text::address(dice),
            "org" => dice
                .maybe_ref(refs.organizations, 0.0)
                .map(Value::from)
                .unwrap_or(Value::Null),
            "people" => dice
                .maybe_ref(refs.persons, 0.0)
                .map(Value::from)
                .unwrap_or(Value::Null),
            "user" => dice
                .maybe_ref(refs.users, 0.0)
                .map(Value::from)
                .unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }

    /// Checks a written value against the field's type; the error names what is wrong.
    pub fn check(&self, v: &Value) -> Result<(), String> {
        if v.is_null() {
            return Ok(());
        }
        let ok = match self.field_type.as_str() {
            "varchar" | "varchar_auto" | "text" | "phone" => v.is_string(),
            "double" => v.is_number(),
            "monetary" => v.is_number() || v.get("value").is_some_and(Value::is_number),
            "date" => v
                .as_str()
                .is_some_and(|s| s.len() == 10 && timefmt::parse(s).is_some()),
            "time" => v.as_str().is_some_and(is_time),
            "daterange" => range_of(v, |s| s.len() == 10 && timefmt::parse(s).is_some()),
            "timerange" => range_of(v, is_time),
            "enum" => v
                .as_i64()
                .is_some_and(|id| self.options.iter().any(|o| o.id == id)),
            "set" => v.as_array().is_some_and(|a| {
                a.iter().all(|x| {
                    x.as_i64()
                        .is_some_and(|id| self.options.iter().any(|o| o.id == id))
                })
            }),
            "address" => v.is_string() || v.get("value").is_some_and(Value::is_string),
            "org" | "people" | "user" => v.as_i64().is_some(),
            _ => true,
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "custom_fields.{}: value {} does not fit field type '{}'",
                self.code, v, self.field_type
            ))
        }
    }

    /// Normalises accepted shorthand (a bare number for monetary, text for address).
    pub fn normalise(&self, v: Value) -> Value {
        match (self.field_type.as_str(), &v) {
            ("monetary", Value::Number(_)) => json!({"value": v, "currency": "EUR"}),
            ("address", Value::String(s)) => json!({"value": s}),
            _ => v,
        }
    }
}

fn is_time(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn range_of(v: &Value, ok: impl Fn(&str) -> bool) -> bool {
    ["start", "until"]
        .iter()
        .all(|k| v.get(k).and_then(Value::as_str).is_some_and(&ok))
}

fn subfields(field_type: &str) -> Option<&'static [(&'static str, &'static str, &'static str)]> {
    match field_type {
        "monetary" => Some(&[("currency", "Currency", "varchar")]),
        "daterange" | "timerange" => Some(&[("until", "End", "varchar")]),
        "address" => Some(&[
            ("country", "Country", "varchar"),
            ("locality", "City", "varchar"),
            ("postal_code", "ZIP/Postal code", "varchar"),
        ]),
        _ => None,
    }
}

/// The standard (non-custom) fields each `*Fields` collection lists before its custom ones.
pub fn standard_fields(owner: &str) -> &'static [(&'static str, &'static str, &'static str)] {
    match owner {
        "dealFields" => &[
            ("id", "ID", "int"),
            ("title", "Title", "varchar"),
            ("owner_id", "Owner", "user"),
            ("person_id", "Contact person", "people"),
            ("org_id", "Organization", "org"),
            ("pipeline_id", "Pipeline", "double"),
            ("stage_id", "Stage", "stage"),
            ("value", "Value", "monetary"),
            ("status", "Status", "status"),
            ("probability", "Probability", "double"),
            ("add_time", "Deal created", "date"),
            ("update_time", "Update time", "date"),
            ("expected_close_date", "Expected close date", "date"),
            ("label_ids", "Label", "set"),
            ("visible_to", "Visible to", "visible_to"),
            ("lost_reason", "Lost reason", "varchar_options"),
        ],
        "personFields" => &[
            ("id", "ID", "int"),
            ("name", "Name", "varchar"),
            ("owner_id", "Owner", "user"),
            ("org_id", "Organization", "org"),
            ("emails", "Email", "varchar"),
            ("phones", "Phone", "phone"),
            ("add_time", "Person created", "date"),
            ("update_time", "Update time", "date"),
            ("label_ids", "Labels", "set"),
            ("visible_to", "Visible to", "visible_to"),
        ],
        "organizationFields" => &[
            ("id", "ID", "int"),
            ("name", "Name", "varchar"),
            ("owner_id", "Owner", "user"),
            ("address", "Address", "address"),
            ("add_time", "Organization created", "date"),
            ("update_time", "Update time", "date"),
            ("label_ids", "Labels", "set"),
            ("visible_to", "Visible to", "visible_to"),
        ],
        "productFields" => &[
            ("id", "ID", "int"),
            ("name", "Name", "varchar"),
            ("code", "Product code", "varchar"),
            ("unit", "Unit", "varchar"),
            ("tax", "Tax", "double"),
            ("prices", "Price", "price_list"),
            ("owner_id", "Owner", "user"),
            (
                "billing_frequency",
                "Billing frequency",
                "billing_frequency",
            ),
        ],
        "activityFields" => &[
            ("id", "ID", "int"),
            ("subject", "Subject", "varchar"),
            ("type", "Type", "varchar"),
            ("owner_id", "Assigned to user", "user"),
            ("deal_id", "Deal", "deal"),
            ("lead_id", "Lead", "lead"),
            ("person_id", "Contact person", "people"),
            ("org_id", "Organization", "org"),
            ("due_date", "Due date", "date"),
            ("due_time", "Due time", "time"),
            ("duration", "Duration", "time"),
            ("done", "Done", "boolean"),
            ("note", "Note", "text"),
        ],
        "projectFields" => &[
            ("id", "ID", "int"),
            ("title", "Title", "varchar"),
            ("status", "Status", "status"),
            ("board_id", "Board", "projects_board"),
            ("phase_id", "Phase", "projects_phase"),
            ("owner_id", "Owner", "user"),
            ("start_date", "Start date", "date"),
            ("end_date", "End date", "date"),
        ],
        // fields without custom ones in the sandbox (API v1 only)
        "noteFields" => &[
            ("id", "ID", "int"),
            ("content", "Content", "text"),
            ("deal_id", "Deal", "deal"),
            ("person_id", "Person", "people"),
            ("org_id", "Organization", "org"),
            ("lead_id", "Lead", "lead"),
            ("user_id", "User", "user"),
            ("add_time", "Add time", "date"),
        ],
        "leadFields" => &[
            ("id", "ID", "varchar"),
            ("title", "Title", "varchar"),
            ("owner_id", "Owner", "user"),
            ("person_id", "Person", "people"),
            ("organization_id", "Organization", "org"),
            ("value", "Value", "monetary"),
            ("expected_close_date", "Expected close date", "date"),
            ("source_name", "Source", "varchar"),
            ("add_time", "Lead created", "date"),
        ],
        _ => &[],
    }
}

/// The `*Fields` collections with standard fields only, served in API v1.
pub const STANDARD_ONLY_OWNERS: [&str; 2] = ["noteFields", "leadFields"];

/// The `*Fields` collections the sandbox serves.
pub const FIELD_OWNERS: [&str; 6] = [
    "dealFields",
    "personFields",
    "organizationFields",
    "productFields",
    "activityFields",
    "projectFields",
];

/// Reads a v2 `custom_fields` request object against the definitions; returns normalised values.
pub fn check_custom_values(
    defs: &[&FieldDef],
    body: &Map<String, Value>,
) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    for (key, value) in body {
        let def = defs
            .iter()
            .find(|d| &d.code == key)
            .ok_or_else(|| format!("custom_fields.{key}: no such custom field"))?;
        def.check(value)?;
        out.insert(key.clone(), def.normalise(value.clone()));
    }
    Ok(out)
}

/// The v1 name of a field type: v1 knows fewer types (ids are numbers, system choices options).
fn v1_field_type(v2: &str) -> &str {
    match v2 {
        "int" | "stage" | "deal" | "lead" => "double",
        "status" | "boolean" | "billing_frequency" => "enum",
        "price_list" => "text",
        other => other,
    }
}
