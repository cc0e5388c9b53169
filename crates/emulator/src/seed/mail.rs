//! The mailbox: two threads with the person of each of the first 30 deals that have one (the
//! first linked to the deal, the second to the person's lead when there is one), spread over
//! the folders inbox, drafts, sent and archive, with one to four messages each. Senders and
//! recipients are the deal's owner and real persons, a colleague from the same organization on
//! some, so that deals, persons and organizations have mail. Drawn from a dice of its own: the
//! other demo data stays as it was.

use super::epoch::BASE_TIME;
use super::text;
use crate::dice::Dice;
use crate::entities::{entity, TimeFormat};
use crate::store::Store;
use crate::timefmt;
use serde_json::{json, Map, Value};

/// The folders a thread can be in, each thread in one of them.
pub const FOLDERS: [&str; 4] = ["inbox", "drafts", "sent", "archive"];
const DEALS_WITH_MAIL: usize = 30;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

const SUBJECTS: &[&str] = &[
    "Proposal and next steps",
    "Angebot für 50 Lizenzen",
    "Demande de démonstration — semaine prochaine ?",
    "見積書の送付について",
    "关于续约价格的问题",
    "Введение и следующие шаги",
    "Προσφορά για την ανανέωση της άδειας",
    "הצעת מחיר מעודכנת",
    "Contract signed ✅",
    "Invoice #2024-118 / Rechnung",
    "Quick question about onboarding 🙋",
    "Solicitud de descuento del 10 %",
];
const GREETINGS: &[&str] = &[
    "Hi",
    "Hallo",
    "Bonjour",
    "こんにちは",
    "Здравствуйте",
    "Hola",
];

/// A sender or recipient: a person (with their organization) or a user of the company.
#[derive(Clone)]
struct Contact {
    /// The contact's number in the mailbox.
    id: i64,
    name: String,
    email: String,
    person: Option<i64>,
    org: Option<i64>,
}

impl Contact {
    fn party(&self, party_id: i64, at: i64, latest: bool) -> Value {
        json!({
            "id": self.id, "name": self.name, "latest_sent": latest, "email_address": self.email,
            "message_time": at * 1000, "linked_person_id": self.person,
            "linked_person_name": self.person.map(|_| self.name.clone()),
            "mail_message_party_id": party_id, "linked_organization_id": self.org,
        })
    }
}

fn person(store: &Store, id: i64) -> Option<Contact> {
    let p = store.collection("persons").get(&id.to_string())?.value();
    let name = p["name"].as_str().unwrap_or_default().to_string();
    let email = match p["emails"][0]["value"].as_str() {
        Some(e) => e.to_string(),
        None => text::email(p["first_name"].as_str().unwrap_or_default(), "mail", id),
    };
    Some(Contact {
        id: 100_000 + id,
        name,
        email,
        person: Some(id),
        org: p["org_id"].as_i64(),
    })
}

fn user(store: &Store, id: i64) -> Contact {
    let u = store
        .collection("users")
        .get(&id.to_string())
        .map(|r| r.value())
        .unwrap_or_default();
    Contact {
        id,
        name: u["name"].as_str().unwrap_or("Sandbox user").to_string(),
        email: u["email"]
            .as_str()
            .unwrap_or("user@example.com")
            .to_string(),
        person: None,
        org: None,
    }
}

/// Another person of the same organization, for the copies.
fn colleague(store: &Store, of: &Contact) -> Option<Contact> {
    let org = of.org?;
    let spec = entity("persons");
    let other = store
        .collection("persons")
        .rows()
        .find(|r| r.attr_ref(spec, "org_id").as_int() == Some(org) && r.id.as_int() != of.person)?
        .id
        .as_int()?;
    person(store, other)
}

/// Who a thread is between and what it is about.
struct Thread {
    id: i64,
    folder: &'static str,
    deal: Option<(i64, Value)>,
    lead: Option<String>,
    owner: Contact,
    customer: Contact,
    colleague: Option<Contact>,
    subject: String,
    /// Its position among all threads (varies who is in copy, and which flags are set).
    n: usize,
}

/// A message as made, with what the thread is summed up from.
struct Made {
    record: Map<String, Value>,
    outgoing: bool,
    draft: bool,
    at: i64,
}

/// Adds the threads and their messages to a store that holds the main records.
pub fn populate(store: &mut Store, dice: &mut Dice) {
    let deals: Vec<(i64, i64, Value)> = store
        .collection("deals")
        .rows()
        .map(|r| r.value())
        .filter_map(|d| Some((d["id"].as_i64()?, d["person_id"].as_i64()?, d)))
        .take(DEALS_WITH_MAIL)
        .collect();
    let leads: Vec<(String, i64)> = store
        .collection("leads")
        .rows()
        .map(|r| r.value())
        .filter_map(|l| Some((l["id"].as_str()?.to_string(), l["person_id"].as_i64()?)))
        .collect();
    for (i, (deal, person_id, record)) in deals.into_iter().enumerate() {
        let Some(customer) = person(store, person_id) else {
            continue;
        };
        let owner = user(store, record["owner_id"].as_i64().unwrap_or(1));
        let colleague = colleague(store, &customer);
        for k in 0..2 {
            let n = 2 * i + k;
            let subject = match n % 7 {
                3 => record["title"].as_str().unwrap_or_default().to_string(),
                _ => dice.pick(SUBJECTS).to_string(),
            };
            let lead = leads
                .iter()
                .find(|(_, p)| *p == person_id)
                .map(|(l, _)| l.clone());
            let thread = Thread {
                id: store.collection("mailThreads").next_int_id(),
                // deal-linked threads and the others in every folder
                folder: FOLDERS[(i + 3 * k) % FOLDERS.len()],
                deal: (k == 0).then(|| (deal, record.clone())),
                lead: if k == 1 { lead } else { None },
                owner: owner.clone(),
                customer: customer.clone(),
                colleague: colleague.clone(),
                subject,
                n,
            };
            add_thread(store, dice, &thread);
        }
    }
}

fn add_thread(store: &mut Store, dice: &mut Dice, t: &Thread) {
    let count = dice.int(1, 4) as usize;
    let mut at = BASE_TIME - dice.int(2, 500) * DAY + dice.int(7, 18) * HOUR;
    let first_id = store.collection("mailMessages").next_int_id();
    let mut made: Vec<Made> = vec![];
    for m in 0..count {
        let from_last = count - 1 - m;
        let outgoing = match t.folder {
            "inbox" => from_last % 2 == 1,
            "sent" | "drafts" => from_last % 2 == 0,
            _ => dice.chance(0.5),
        };
        let draft = t.folder == "drafts" && from_last == 0;
        let id = first_id + m as i64;
        made.push(message(dice, t, id, m, outgoing, draft, at));
        at += dice.int(1, 72) * HOUR;
    }
    let thread = summary(t, &made);
    store.insert("mailThreads", thread);
    for m in made {
        store.insert("mailMessages", Value::Object(m.record));
    }
}

fn message(
    dice: &mut Dice,
    t: &Thread,
    id: i64,
    m: usize,
    outgoing: bool,
    draft: bool,
    at: i64,
) -> Made {
    let time = |ts: i64| timefmt::format(ts, TimeFormat::Millis);
    let party = |c: &Contact, k: i64| c.party(id * 10 + k, at, false);
    let (from, mut to) = match outgoing {
        true => (vec![party(&t.owner, 0)], vec![party(&t.customer, 1)]),
        false => (vec![party(&t.customer, 0)], vec![party(&t.owner, 1)]),
    };
    let mut cc = vec![];
    if let Some(c) = &t.colleague {
        match t.n % 4 {
            1 if m == 0 => to.push(party(c, 2)),
            2 => cc.push(party(c, 2)),
            _ => {}
        }
    }
    if t.n % 6 == 5 {
        cc.push(party(&t.owner, 3));
    }
    let bcc = match outgoing && t.n % 5 == 0 {
        true => vec![
            json!({"id": 900_001, "name": "Pipedrive Smart BCC", "latest_sent": false,
            "email_address": "sandbox+deal@pipedrivemail.com", "message_time": at * 1000,
            "linked_person_id": null, "linked_person_name": null,
            "mail_message_party_id": id * 10 + 4, "linked_organization_id": null}),
        ],
        false => vec![],
    };
    let (writer, reader) = match outgoing {
        true => (&t.owner, &t.customer),
        false => (&t.customer, &t.owner),
    };
    let sentences = dice.int(1, 4) as usize;
    let words = match id % 9 {
        0 => text::long_text(dice),
        _ => text::paragraph(dice, sentences),
    };
    let greeting = format!("{} {},", dice.pick(GREETINGS), reader.name);
    let body = format!("<p>{greeting}</p><p>{words}</p><p>— {}</p>", writer.name);
    let snippet: String = format!("{greeting} {words}").chars().take(160).collect();
    let subject = match m {
        0 => t.subject.clone(),
        _ => format!("Re: {}", t.subject),
    };
    let attachments = dice.chance(0.25);
    let opened = outgoing && !draft && dice.chance(0.6);
    let flag = |b: bool| i64::from(b);
    let hex = dice.hex40();
    let added = at + dice.int(5, 300);
    let record = json!({
        "id": id, "from": from, "to": to, "cc": cc, "bcc": bcc,
        "body_url": format!("https://pipedrive-mail-bodies.s3.example.com/{}/{id}.html", &hex[..12]),
        "body": body, "account_id": format!("sbx{:04}mailbox", t.owner.id), "user_id": t.owner.id,
        "mail_thread_id": t.id, "subject": subject, "snippet": snippet,
        "mail_tracking_status": match (outgoing && !draft, opened) { (true, true) => json!("opened"), (true, false) => json!("not opened"), _ => Value::Null },
        "mail_link_tracking_enabled_flag": flag(outgoing && t.n % 3 == 0),
        "read_flag": flag(outgoing || t.folder != "inbox" || t.n % 3 != 0),
        "draft": if draft { json!(snippet) } else { Value::Null }, "draft_flag": flag(draft),
        "synced_flag": flag(!draft), "deleted_flag": 0, "external_deleted_flag": false, "has_body_flag": 1,
        "sent_flag": flag(outgoing && !draft), "sent_from_pipedrive_flag": flag(outgoing && !draft && t.n % 4 != 3),
        "smart_bcc_flag": flag(!outgoing && t.n % 5 == 0),
        "message_time": time(at), "add_time": time(added), "update_time": time(added + if opened { DAY } else { 0 }),
        "has_attachments_flag": flag(attachments), "has_inline_attachments_flag": flag(attachments && id % 2 == 0),
        "has_real_attachments_flag": flag(attachments && id % 2 == 1),
        "nylas_id": &hex[..24], "s3_bucket": "pipedrive-mail-live-fr",
        "s3_bucket_path": format!("1/{}/nylas/{}/{id}/body", t.owner.id, t.id),
        "mua_message_id": format!("<{}@mail.example.com>", &hex[24..]), "template_id": null,
        "timestamp": time(added), "item_type": "mailMessage", "company_id": 1,
    });
    let Value::Object(record) = record else {
        unreachable!("a message is an object")
    };
    Made {
        record,
        outgoing,
        draft,
        at,
    }
}

/// The thread as the mailbox shows it: its parties, flags and times summed up from its
/// messages.
fn summary(t: &Thread, made: &[Made]) -> Value {
    let time = |ts: i64| timefmt::format(ts, TimeFormat::Millis);
    let last = made.last().expect("a thread has messages");
    let first = &made[0];
    let any = |key: &str| i64::from(made.iter().any(|m| m.record[key] == 1));
    let parties = |key: &str| {
        let mut seen: Vec<Value> = vec![];
        for m in made {
            for p in m.record[key].as_array().into_iter().flatten() {
                let mut p = p.clone();
                let latest = ["from", "to", "cc"].iter().any(|k| {
                    last.record[*k]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|q| q["id"] == p["id"]))
                });
                p["latest_sent"] = json!(latest);
                seen.retain(|s| s["id"] != p["id"]);
                seen.push(p);
            }
        }
        seen
    };
    let sent: Vec<&Made> = made.iter().filter(|m| m.outgoing && !m.draft).collect();
    let received = made.iter().filter(|m| !m.outgoing).map(|m| m.at).max();
    let draft = made.iter().find(|m| m.draft);
    json!({
        "id": t.id, "account_id": last.record["account_id"], "user_id": t.owner.id, "subject": t.subject,
        "snippet": last.record["snippet"], "read_flag": i64::from(made.iter().all(|m| m.record["read_flag"] == 1)),
        "mail_tracking_status": sent.last().map(|m| m.record["mail_tracking_status"].clone()).unwrap_or(Value::Null),
        "has_attachments_flag": any("has_attachments_flag"), "has_inline_attachments_flag": any("has_inline_attachments_flag"),
        "has_real_attachments_flag": any("has_real_attachments_flag"), "deleted_flag": 0, "synced_flag": 1,
        "smart_bcc_flag": any("smart_bcc_flag"), "mail_link_tracking_enabled_flag": any("mail_link_tracking_enabled_flag"),
        "parties": {"to": parties("to"), "from": parties("from")},
        "drafts_parties": draft.map(|d| d.record["to"].clone()).unwrap_or(json!([])),
        "folders": [t.folder], "version": made.len(), "snippet_draft": draft.map(|d| d.record["snippet"].clone()),
        "snippet_sent": sent.last().map(|m| m.record["snippet"].clone()).unwrap_or(json!("")),
        "message_count": made.len(), "has_draft_flag": i64::from(draft.is_some()), "has_sent_flag": i64::from(!sent.is_empty()),
        "archived_flag": i64::from(t.folder == "archive"), "shared_flag": i64::from(t.n % 3 != 1), "external_deleted_flag": 0,
        "first_message_to_me_flag": i64::from(!first.outgoing),
        "last_message_timestamp": time(last.at), "first_message_timestamp": time(first.at),
        "last_message_sent_timestamp": sent.last().map(|m| time(m.at)),
        "last_message_received_timestamp": received.map(time),
        "add_time": first.record["add_time"], "update_time": last.record["update_time"],
        "deal_id": t.deal.as_ref().map(|(id, _)| *id), "deal_status": t.deal.as_ref().map(|(_, d)| d["status"].clone()),
        "lead_id": t.lead, "all_messages_sent_flag": i64::from(made.iter().all(|m| m.outgoing)),
    })
}

/// What a thread update may change, with the types it takes (the shape a body is checked
/// against).
pub fn template(name: &str) -> Option<Value> {
    (name == "mailThreads").then(|| {
        json!({"deal_id": 0, "lead_id": "", "shared_flag": 0, "read_flag": 0, "archived_flag": 0})
    })
}
