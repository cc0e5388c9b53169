//! One generator per entity. Each returns a record in the exact shape the API serves, with
//! relations pointing at rows that exist. The same generators give the templates for writes.

use super::contacts;
use super::epoch::BASE_TIME;
use super::text;
use crate::config::DataSizes;
use crate::custom_fields::RefCounts;
use crate::dice::Dice;
use crate::entities::{entity, TimeFormat};
use crate::store::Store;
use crate::timefmt;
use serde_json::{json, Map, Value};

pub const CURRENCIES: &[(&str, &str, &str)] = &[
    ("EUR", "Euro", "€"),
    ("USD", "US Dollar", "$"),
    ("GBP", "British Pound", "£"),
    ("JPY", "Japanese Yen", "¥"),
    ("SEK", "Swedish Krona", "kr"),
    ("PLN", "Polish Złoty", "zł"),
    ("BRL", "Brazilian Real", "R$"),
];
pub const PIPELINES: &[&str] = &["Sales", "Partnerships", "Renewals 🔁"];
pub const STAGES: &[(&str, i64)] = &[
    ("Qualified", 10),
    ("Contact made", 20),
    ("Demo scheduled", 40),
    ("Proposal made", 60),
    ("Negotiations started", 80),
];
pub const ACTIVITY_TYPES: &[(&str, &str)] = &[
    ("Call", "call"),
    ("Meeting", "meeting"),
    ("Task", "task"),
    ("Deadline", "deadline"),
    ("Email", "email"),
    ("Lunch", "lunch"),
];
pub const LEAD_LABELS: &[(&str, &str)] = &[
    ("Hot", "red"),
    ("Warm", "orange"),
    ("Cold", "blue"),
    ("Follow-up", "green"),
];
const DAY: i64 = 86_400;

pub struct Gen {
    pub dice: Dice,
    refs: RefCounts,
    sizes: DataSizes,
}

impl Gen {
    pub fn new(dice: Dice, refs: RefCounts, sizes: DataSizes) -> Self {
        Gen { dice, refs, sizes }
    }

    /// A creation time in the three years before BASE_TIME and an update time after it.
    fn times(&mut self) -> (i64, i64) {
        let add = BASE_TIME - self.dice.int(DAY, 3 * 365 * DAY);
        let update = add + self.dice.int(0, BASE_TIME - add);
        (add, update)
    }

    fn user(&mut self) -> i64 {
        self.dice.int(1, self.refs.users as i64)
    }

    fn maybe(&mut self, count: usize, p_none: f64) -> Value {
        self.dice
            .maybe_ref(count, p_none)
            .map(Value::from)
            .unwrap_or(Value::Null)
    }

    /// Label ids for a record: none, or some of the entity's `label_ids` options.
    fn labels(&mut self, store: &Store, name: &str) -> Value {
        let options = entity(name)
            .custom_fields
            .and_then(|owner| store.fields.get(owner))
            .and_then(|defs| defs.iter().find(|d| d.code == "label_ids"))
            .map(|d| d.options.iter().map(|o| o.id).collect::<Vec<_>>())
            .unwrap_or_default();
        let picked: Vec<i64> = options
            .into_iter()
            .filter(|_| self.dice.chance(0.2))
            .collect();
        json!(picked)
    }

    fn custom_values(&mut self, store: &Store, name: &str) -> Value {
        let mut out = Map::new();
        for def in store.custom_fields_of(entity(name)) {
            out.insert(
                def.code.clone(),
                def.generate(&mut self.dice, self.refs, BASE_TIME),
            );
        }
        Value::Object(out)
    }

    /// The record with id `n` of a top-level collection.
    pub fn record(&mut self, store: &Store, name: &str, n: i64) -> Value {
        let fmt = entity(name).time_format;
        let (add, update) = self.times();
        let t = |ts: i64| timefmt::format(ts, fmt);
        match name {
            "users" => {
                let (first, last) = text::person_name(&mut self.dice);
                json!({
                    "id": n, "name": format!("{first} {last}"), "default_currency": "EUR", "locale": "en_US",
                    "lang": 1, "email": text::email(&first, &last, n), "phone": null, "activated": true,
                    "last_login": t(update), "created": t(add), "modified": t(update), "has_created_company": n == 1,
                    "access": [{"app": "sales", "admin": n == 1, "permission_set_id": format!("{:08x}-0000-4000-a000-000000000001", n)}],
                    "active_flag": true, "timezone_name": "Europe/Tallinn", "timezone_offset": "+02:00",
                    "role_id": 1, "icon_url": null, "is_you": n == 1, "is_deleted": false,
                })
            }
            "currencies" => {
                let (code, cname, symbol) = CURRENCIES[(n - 1) as usize];
                json!({"id": n, "code": code, "name": cname, "decimal_points": if code == "JPY" {0} else {2},
                       "symbol": symbol, "active_flag": true, "is_custom_flag": false})
            }
            "pipelines" => json!({
                "id": n, "name": PIPELINES[(n - 1) as usize], "order_nr": n, "is_deleted": false,
                "is_deal_probability_enabled": true, "add_time": t(add), "update_time": t(update),
            }),
            "stages" => {
                let per = STAGES.len() as i64;
                let (sname, prob) = STAGES[((n - 1) % per) as usize];
                json!({
                    "id": n, "order_nr": (n - 1) % per + 1, "name": sname, "is_deleted": false, "deal_probability": prob,
                    "pipeline_id": (n - 1) / per + 1, "is_deal_rot_enabled": n % 2 == 0,
                    "days_to_rotten": if n % 2 == 0 { Value::from(30) } else { Value::Null },
                    "add_time": t(add), "update_time": t(update),
                })
            }
            "activityTypes" => {
                let (tname, icon) = ACTIVITY_TYPES[(n - 1) as usize];
                json!({
                    "id": n, "name": tname, "icon_key": icon, "color": null, "order_nr": n, "key_string": icon,
                    "active_flag": true, "is_custom_flag": false, "add_time": t(add), "update_time": t(update),
                })
            }
            "leadLabels" => {
                let (lname, color) = LEAD_LABELS[(n - 1) as usize];
                json!({"id": self.dice.uuid(), "name": lname, "color": color, "add_time": t(add), "update_time": t(update)})
            }
            "roles" => {
                let role = ["Admin", "Sales manager", "Account executive", "Support"]
                    [(n - 1) as usize % 4];
                json!({
                    "id": n, "parent_role_id": if n == 1 { Value::Null } else { Value::from(1) },
                    "name": role,
                    "active_flag": true, "assignment_count": "1", "sub_role_count": if n == 1 { "3" } else { "0" }, "level": if n == 1 {1} else {2},
                })
            }
            "organizations" => {
                let address = text::address(&mut self.dice);
                json!({
                    "id": n, "name": text::company(&mut self.dice, n), "owner_id": self.user(),
                    "add_time": t(add), "update_time": t(update), "is_deleted": false, "visible_to": 3,
                    "address": address, "label_ids": self.labels(store, name), "website": if n % 3 == 0 { Value::Null } else { json!(format!("https://org{n}.example.com")) },
                    "linkedin": null, "industry": null, "annual_revenue": null, "employee_count": self.dice.int(1, 5000),
                    "custom_fields": self.custom_values(store, name),
                })
            }
            "persons" => {
                let (first, last) = text::person_name(&mut self.dice);
                let email = text::email(&first, &last, n);
                let org = self.maybe(self.refs.organizations, 0.2);
                json!({
                    "id": n, "name": format!("{first} {last}"), "first_name": first, "last_name": last,
                    "owner_id": self.user(), "org_id": org, "add_time": t(add), "update_time": t(update),
                    "emails": contacts::emails(&email, &first, n),
                    "phones": contacts::phones(n),
                    "is_deleted": false, "visible_to": 3, "label_ids": self.labels(store, name), "picture_id": null,
                    "postal_address": null, "notes": null, "im": contacts::messengers(&first, n), "birthday": null,
                    "job_title": if n % 5 == 0 { Value::Null } else { json!(self.dice.pick(&["CEO", "CTO", "Buyer", "Einkäufer", "営業部長"]).to_string()) },
                    "custom_fields": self.custom_values(store, name),
                })
            }
            "products" => json!({
                "id": n, "name": format!("{} {}", self.dice.pick(text::DEAL_KINDS), n), "code": format!("SKU-{n:05}"),
                "unit": "pcs", "tax": 20.0, "is_deleted": false, "is_linkable": true, "visible_to": 3,
                "owner_id": self.user(), "add_time": t(add), "update_time": t(update), "category": null,
                "custom_fields": self.custom_values(store, name), "billing_frequency": "one-time", "billing_frequency_cycles": null,
                "prices": contacts::prices(n, self.dice.int(10, 5000) as f64),
            }),
            "deals" => self.deal(store, n, add, update),
            "activities" => {
                let deal = self.maybe(self.sizes.deals, 0.2);
                let (atype, _) = *self.dice.pick(ACTIVITY_TYPES);
                let due = add + self.dice.int(0, 60) * DAY;
                let done = due < BASE_TIME - 30 * DAY;
                let person = self.maybe(self.refs.persons, 0.3);
                json!({
                    "id": n, "subject": format!("{atype}: {}", self.dice.pick(text::WORDS)), "type": atype.to_lowercase(),
                    "owner_id": self.user(), "creator_user_id": self.user(), "is_deleted": false,
                    "add_time": t(add), "update_time": t(update), "deal_id": deal, "lead_id": null,
                    "person_id": person, "org_id": self.maybe(self.refs.organizations, 0.4), "project_id": null,
                    "due_date": timefmt::date(due), "due_time": format!("{:02}:{:02}", self.dice.int(8, 17), self.dice.int(0, 3) * 15),
                    "duration": "00:30", "busy": true, "done": done,
                    "marked_as_done_time": if done { json!(t(due)) } else { Value::Null },
                    "location": null, "participants": match person.as_i64() { Some(p) => json!([{"person_id": p, "primary": true}]), None => json!([]) },
                    "attendees": contacts::attendees(person.as_i64(), n), "conference_meeting_client": null, "conference_meeting_url": null, "conference_meeting_id": null,
                    "public_description": null, "priority": null, "note": if n % 3 == 0 { json!(text::paragraph(&mut self.dice, 1)) } else { Value::Null },
                })
            }
            "notes" => {
                let deal = self.maybe(self.sizes.deals, 0.3);
                let person = self.maybe(self.refs.persons, 0.5);
                let content = if n % 50 == 0 {
                    text::long_text(&mut self.dice)
                } else {
                    text::paragraph(&mut self.dice, 2)
                };
                let user = self.user();
                json!({
                    "id": n, "active_flag": true, "add_time": t(add), "content": content,
                    "deal": if deal.is_null() { Value::Null } else { json!({"title": format!("Deal {}", deal)}) },
                    "lead_id": null, "deal_id": deal, "last_update_user_id": user, "org_id": null, "organization": null,
                    "person": if person.is_null() { Value::Null } else { json!({"name": format!("Person {}", person)}) },
                    "person_id": person, "project_id": null, "project": null, "task_id": null, "task": null,
                    "pinned_to_deal_flag": n % 10 == 0, "pinned_to_organization_flag": false, "pinned_to_person_flag": false,
                    "pinned_to_project_flag": false, "pinned_to_task_flag": false, "pinned_to_lead_flag": false,
                    "update_time": t(update),
                    "user": {"email": format!("user{user}@example.com"), "icon_url": null, "is_you": user == 1, "name": format!("User {user}")},
                    "user_id": user,
                })
            }
            "leads" => {
                let person = self.maybe(self.refs.persons, 0.3);
                let org = self.maybe(
                    self.refs.organizations,
                    if person.is_null() { 0.0 } else { 0.5 },
                );
                json!({
                    "id": self.dice.uuid(), "title": format!("{} lead", text::company(&mut self.dice, n)),
                    "owner_id": self.user(), "creator_id": self.user(), "label_ids": [], "person_id": person,
                    "organization_id": org, "source_name": "API", "origin": "API", "origin_id": null, "channel": null,
                    "channel_id": null, "source_deal_id": null, "is_archived": false, "was_seen": n % 2 == 0,
                    "value": if n % 4 == 0 { Value::Null } else { json!({"amount": self.dice.int(100, 20_000) as f64, "currency": "EUR"}) },
                    "expected_close_date": null, "next_activity_id": null, "add_time": t(add), "update_time": t(update),
                    "visible_to": "3", "cc_email": format!("sandbox+lead{n}@pipedrivemail.com"),
                })
            }
            "projects" => json!({
                "id": n, "title": format!("Onboarding {}", text::company(&mut self.dice, n)), "status": "open",
                "board_id": 1, "phase_id": self.dice.int(1, 3), "owner_id": self.user(),
                "start_date": timefmt::date(add), "end_date": timefmt::date(add + 90 * DAY),
                "deal_ids": match self.dice.maybe_ref(self.sizes.deals, 0.2) { Some(d) => json!([d]), None => json!([]) },
                "person_ids": [], "org_ids": [], "label_ids": [], "health_status": null,
                "add_time": t(add), "update_time": t(update), "status_change_time": t(add), "archive_time": null,
                "custom_fields": self.custom_values(store, name),
            }),
            "callLogs" => {
                let outcome = *self
                    .dice
                    .pick(&["connected", "no_answer", "left_message", "busy"]);
                json!({
                    "id": self.dice.uuid(), "user_id": self.user(), "activity_id": null, "subject": "Call",
                    "duration": "65", "outcome": outcome, "from_phone_number": "+3725550000",
                    "to_phone_number": format!("+3725{:06}", n), "start_time": t(add), "end_time": t(add + 65),
                    "person_id": self.maybe(self.refs.persons, 0.2), "org_id": null, "deal_id": null, "lead_id": null,
                    "note": null, "has_recording": false, "company_id": 1,
                })
            }
            "files" => {
                let deal = self.dice.maybe_ref(self.sizes.deals, 0.0).unwrap_or(0);
                // also attached to a person, an organization or a product on some
                let on = |every: i64, count: usize| match (n % every, count as i64) {
                    (0, c) if c > 0 => json!(1 + n % c),
                    _ => Value::Null,
                };
                let (person, org) = (on(2, self.refs.persons), on(3, self.refs.organizations));
                let product = on(4, self.sizes.products);
                json!({
                    "id": n, "user_id": self.user(), "deal_id": deal, "person_id": person, "org_id": org, "product_id": product,
                    "activity_id": null, "lead_id": null, "project_id": null, "add_time": t(add), "update_time": t(update),
                    "file_name": format!("proposal-{n}.pdf"), "file_size": self.dice.int(1_000, 900_000), "active_flag": true,
                    "inline_flag": false, "remote_location": "s3", "remote_id": null, "cid": null, "s3_bucket": null,
                    "mail_message_id": null, "mail_template_id": null, "deal_name": format!("Deal {deal}"), "person_name": null,
                    "org_name": null, "product_name": null, "lead_name": null, "project_name": null,
                    "url": format!("https://sandbox.pipedrive.com/v1/files/{n}/download"), "name": format!("proposal-{n}.pdf"),
                })
            }
            "filters" => {
                let kind = ["deals", "people", "org", "products", "activity", "leads"]
                    [(n - 1) as usize % 6];
                json!({
                    "id": n, "name": format!("My {kind}"), "filter_code": null, "is_editable": true, "active_flag": true,
                    "type": kind, "temporary_flag": null, "user_id": 1, "add_time": t(add), "update_time": t(update),
                    "visible_to": "1", "last_used_time": null, "custom_view_id": null,
                    "conditions": {"glue": "and", "conditions": [{"glue": "and", "conditions":
                        if kind == "deals" { json!([{"object": "deal", "field_id": "owner_id", "operator": "=", "value": "1"}]) } else { json!([]) }}]},
                })
            }
            "webhooks" => json!({
                "id": n, "company_id": 1, "owner_id": 1, "user_id": 1, "event_action": "*", "event_object": "deal",
                "subscription_url": format!("https://hooks.example.com/{n}"), "version": "2.0", "is_active": 1,
                "add_time": t(add), "remove_time": null, "type": "general", "http_auth_user": null,
                "http_auth_password": null, "remove_reason": null, "last_delivery_time": null, "last_http_status": null,
                "admin_id": 1, "name": format!("Hook {n}"),
            }),
            "goals" => json!({
                "id": self.dice.uuid(), "owner_id": 1, "title": format!("Q{n} revenue"),
                "type": {"name": "deals_won", "params": {"pipeline_id": [1]}},
                "assignee": {"id": 1, "type": "company"}, "interval": "quarterly",
                "duration": {"start": "2026-01-01", "end": "2026-12-31"},
                "expected_outcome": {"target": 50_000, "tracking_metric": "sum"}, "is_active": true, "report_ids": [],
            }),
            other => panic!("no generator for {other}"),
        }
    }

    fn deal(&mut self, store: &Store, n: i64, add: i64, update: i64) -> Value {
        let t = |ts: i64| timefmt::format(ts, TimeFormat::Rfc3339);
        let person = self.dice.maybe_ref(self.refs.persons, 0.1);
        // a deal's organization is its person's, as in real data
        let org = match person {
            Some(p) => store
                .collection("persons")
                .get(&p.to_string())
                .and_then(|r| r.attr(entity("persons"), "org_id").as_int()),
            None => self.dice.maybe_ref(self.refs.organizations, 0.3),
        };
        let pipeline = self.dice.int(1, PIPELINES.len() as i64);
        let stage = (pipeline - 1) * STAGES.len() as i64 + self.dice.int(1, STAGES.len() as i64);
        let status = *self.dice.pick(&["open", "open", "open", "won", "lost"]);
        let close = update;
        let kind = self.dice.pick(text::DEAL_KINDS).to_string();
        let company = text::company(&mut self.dice, n);
        json!({
            "id": n, "title": text::deal_title(n, &kind, &company), "owner_id": self.user(), "person_id": person, "org_id": org,
            "pipeline_id": pipeline, "stage_id": stage, "value": (self.dice.int(0, 10_000_000) as f64) / 100.0,
            "currency": *self.dice.pick(&["EUR", "EUR", "USD", "GBP"]), "add_time": t(add), "update_time": t(update),
            "stage_change_time": t(add + (update - add) / 2), "is_deleted": false, "is_archived": false, "status": status,
            "probability": null, "lost_reason": if status == "lost" { json!("Price too high") } else { Value::Null },
            "visible_to": 3, "close_time": if status == "open" { Value::Null } else { json!(t(close)) },
            "won_time": if status == "won" { json!(t(close)) } else { Value::Null },
            "lost_time": if status == "lost" { json!(t(close)) } else { Value::Null },
            "expected_close_date": if n % 3 == 0 { Value::Null } else { json!(timefmt::date(add + 60 * DAY)) },
            "label_ids": self.labels(store, "deals"), "origin": "ManuallyCreated", "origin_id": null, "channel": null, "channel_id": null,
            "source_lead_id": null, "arr": null, "mrr": null, "acv": null,
            "custom_fields": self.custom_values(store, "deals"),
        })
    }

    /// A child row of deal `deal`.
    pub fn child(&mut self, store: &Store, name: &str, id: i64, deal: i64) -> Value {
        let owner = store
            .collection("deals")
            .get(&deal.to_string())
            .map(|r| r.attr(entity("deals"), "owner_id"));
        let (add, update) = self.times();
        match name {
            "dealFollowers" => json!({
                "id": id, "deal_id": deal, "user_id": owner.and_then(|o| o.as_int()).unwrap_or(1),
                "add_time": timefmt::format(add, TimeFormat::Rfc3339),
            }),
            "dealProducts" => {
                let product = self.dice.int(1, self.sizes.products.max(1) as i64);
                let (price, qty) = (self.dice.int(10, 5000) as f64, self.dice.int(1, 20));
                json!({
                    "id": id, "sum": price * qty as f64, "tax": 0.0, "deal_id": deal, "name": format!("Product {product}"),
                    "product_id": product, "product_variation_id": null, "order_nr": 1,
                    "add_time": timefmt::format(add, TimeFormat::Rfc3339), "update_time": timefmt::format(update, TimeFormat::Rfc3339),
                    "comments": null, "currency": "EUR", "discount": 0.0, "discount_type": "percentage", "quantity": qty,
                    "item_price": price, "tax_method": "inclusive", "is_enabled": true, "billing_frequency": "one-time",
                    "billing_frequency_cycles": null, "billing_start_date": null,
                })
            }
            "dealParticipants" => {
                let person = self.dice.int(1, self.refs.persons.max(1) as i64);
                json!({
                    "id": id, "deal_id": deal, "add_time": timefmt::format(add, TimeFormat::Space),
                    "person_id": {"value": person, "name": format!("Person {person}"), "active_flag": true, "email": [], "phone": [], "owner_id": 1, "company_id": 1},
                    "active_flag": true, "related_item_data": {"deal_id": deal, "title": format!("Deal {deal}")},
                    "person": {"id": person, "name": format!("Person {person}"), "active_flag": true},
                    "related_item_type": "deal", "related_item_id": deal,
                })
            }
            other => panic!("no child generator for {other}"),
        }
    }
}
