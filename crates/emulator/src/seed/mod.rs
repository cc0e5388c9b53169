//! Deterministic demo account: the same seed and sizes always give the same data.

mod appended;
mod contacts;
mod epoch;
pub mod mail;
pub mod records;
pub mod related;
pub mod text;

pub use epoch::BASE_TIME;

use crate::config::SandboxConfig;
use crate::custom_fields::{
    standard_fields, FieldDef, FieldOption, RefCounts, CUSTOM_TYPES, FIELD_OWNERS,
    STANDARD_ONLY_OWNERS,
};
use crate::dice::Dice;
use crate::store::Store;
use records::Gen;

/// Fills an empty store with the demo account described by `config`.
pub fn populate(store: &mut Store, config: &SandboxConfig) {
    let sizes = &config.sizes;
    let mut dice = Dice::new(config.seed);
    define_fields(store, &mut dice, sizes.deal_custom_fields);
    store.lead_sources = vec![
        "Manually created",
        "Web forms",
        "Chatbot",
        "Prospector",
        "Live chat",
        "Import",
        "API",
    ];
    let refs = RefCounts {
        users: sizes.users.max(1),
        organizations: sizes.organizations,
        persons: sizes.persons,
    };
    let mut gen = Gen::new(dice, refs, sizes.clone());

    let plan: [(&str, usize); 19] = [
        ("users", refs.users),
        ("currencies", records::CURRENCIES.len()),
        ("pipelines", records::PIPELINES.len()),
        ("stages", records::PIPELINES.len() * records::STAGES.len()),
        ("activityTypes", records::ACTIVITY_TYPES.len()),
        ("leadLabels", records::LEAD_LABELS.len()),
        ("roles", 4),
        ("organizations", sizes.organizations),
        ("persons", sizes.persons),
        ("products", sizes.products),
        ("deals", sizes.deals),
        ("activities", sizes.activities),
        ("notes", sizes.notes),
        ("leads", sizes.leads),
        ("projects", sizes.projects),
        ("callLogs", sizes.call_logs),
        ("files", sizes.files),
        ("filters", 6),
        ("webhooks", 2),
    ];
    for (name, count) in plan {
        for i in 1..=count as i64 {
            let record = gen.record(store, name, i);
            store.insert(name, record);
        }
    }
    store.insert("goals", gen.record(store, "goals", 1));
    store.insert("goals", gen.record(store, "goals", 2));
    // deal children: a follower per deal (its owner), products and participants on some
    let deals = store.count("deals") as i64;
    for deal in 1..=deals {
        for (child, n) in [
            ("dealFollowers", 1),
            ("dealProducts", gen.dice.int(0, 2)),
            ("dealParticipants", if gen.dice.chance(0.3) { 1 } else { 0 }),
        ] {
            for _ in 0..n {
                let id = store.collection(child).next_int_id();
                let record = gen.child(store, child, id, deal);
                store.insert(child, record);
            }
        }
    }
    related::populate(store);
    // rows that came later, from dice of their own: the rows above stay as they were
    let mut later = Gen::new(Dice::new(config.seed ^ 0x0A2C_4170), refs, sizes.clone());
    appended::populate(store, &mut later);
    mail::populate(store, &mut Dice::new(config.seed ^ 0x4D41_494C));
}

fn define_fields(store: &mut Store, dice: &mut Dice, deal_custom: usize) {
    // standard fields only: no dice drawn, so the other demo data stays as it was
    for owner in STANDARD_ONLY_OWNERS {
        let defs = standard_defs(store, owner);
        store.fields.insert(owner, defs);
    }
    for owner in FIELD_OWNERS {
        let mut defs = standard_defs(store, owner);
        let custom = match owner {
            "dealFields" => deal_custom,
            "activityFields" => 0,
            "projectFields" => 3,
            _ => 6,
        };
        for i in 0..custom {
            let field_type = CUSTOM_TYPES[i % CUSTOM_TYPES.len()];
            defs.push(custom_def(store, dice, owner, field_type, i));
        }
        store.fields.insert(owner, defs);
    }
}

/// The standard fields of a `*Fields` collection, labels with their options.
fn standard_defs(store: &mut Store, owner: &'static str) -> Vec<FieldDef> {
    standard_fields(owner)
        .iter()
        .map(|(code, name, t)| FieldDef {
            code: code.to_string(),
            name: name.to_string(),
            field_type: t.to_string(),
            options: if *code == "label_ids" {
                label_options(store, owner)
            } else {
                vec![]
            },
            is_custom: false,
            add_time: BASE_TIME - 3 * 365 * 86_400,
            update_time: BASE_TIME - 3 * 365 * 86_400,
        })
        .collect()
}

/// The labels of the standard `label_ids` field of deals, persons and organizations.
fn label_options(store: &mut Store, owner: &str) -> Vec<FieldOption> {
    let labels: &[&str] = match owner {
        "dealFields" => &["Hot", "Warm", "Cold"],
        "personFields" => &["Customer", "Prospect", "VIP ⭐"],
        _ => &["Customer", "Partner", "Competitor"],
    };
    labels
        .iter()
        .map(|label| store.new_option(*label))
        .collect()
}

const ENUM_LABELS: &[&str] = &[
    "Web",
    "Referral",
    "Partner",
    "Cold call",
    "Événement",
    "展示会",
    "Other 🌍",
];
const CUSTOM_NAMES: &[&str] = &[
    "Lead Source",
    "Region",
    "Budget",
    "Direct line",
    "Contract start",
    "Contract period",
    "Call time",
    "Meeting window",
    "Interests",
    "Tier",
    "Segment",
    "Billing address",
    "Expected revenue",
    "Partner org",
    "Champion",
    "Account manager",
];

pub fn custom_def(
    store: &mut Store,
    dice: &mut Dice,
    owner: &str,
    field_type: &str,
    n: usize,
) -> FieldDef {
    let base = CUSTOM_NAMES[n % CUSTOM_NAMES.len()];
    // display names repeat after a full round of types, as they do in real accounts
    let name = if n < CUSTOM_NAMES.len() {
        base.to_string()
    } else {
        format!("{base} {}", n / CUSTOM_NAMES.len() + 1)
    };
    let options = if matches!(field_type, "enum" | "set") {
        let count = if owner == "dealFields" {
            ENUM_LABELS.len()
        } else {
            4
        };
        ENUM_LABELS[..count]
            .iter()
            .map(|label| store.new_option(*label))
            .collect()
    } else {
        vec![]
    };
    let t = BASE_TIME - dice.int(400, 900) * 86_400;
    FieldDef {
        code: dice.hex40(),
        name,
        field_type: field_type.to_string(),
        options,
        is_custom: true,
        add_time: t,
        update_time: t,
    }
}
