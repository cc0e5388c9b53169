//! Word pools for demo data: plain ASCII next to accents, CJK, right-to-left text and emoji, so
//! every client's text handling is exercised.

use crate::dice::Dice;
use serde_json::{json, Value};

pub const FIRST_NAMES: &[&str] = &[
    "Anna",
    "José",
    "Zoë",
    "Björn",
    "François",
    "Łukasz",
    "Søren",
    "Ayşe",
    "Nguyễn",
    "Mārtiņš",
    "John",
    "Maria",
    "Chen",
    "Priya",
    "Olusegun",
    "Ingrid",
    "Mateo",
    "Chloé",
    "健太",
    "美咲",
    "Ólafur",
    "Zuzana",
    "Dmitri",
    "Fatima",
];
pub const LAST_NAMES: &[&str] = &[
    "Smith",
    "García",
    "Müller",
    "Dubois",
    "Kowalski",
    "Jørgensen",
    "Yılmaz",
    "Văn An",
    "Bērziņš",
    "O'Brien",
    "王",
    "Sharma",
    "Adeyemi",
    "Lindqvist",
    "Rossi",
    "Lefèvre",
    "佐藤",
    "高橋",
    "Guðmundsson",
    "Nováková",
];
pub const COMPANY_STEMS: &[&str] = &[
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Nordström",
    "Café Olé",
    "Škoda Partners",
    "東京商事",
    "北京科技",
    "Zürich Analytics",
    "Straße & Co",
    "Mañana Labs",
    "Ørsted Trading",
    "Kraków Soft",
    "Crème Brûlée",
    "Δέλτα Systems",
    "שלום Ventures",
    "Rocket 🚀",
];
pub const COMPANY_SUFFIXES: &[&str] = &[
    "Ltd",
    "GmbH",
    "Inc.",
    "S.A.",
    "AB",
    "Oy",
    "株式会社",
    "LLC",
    "SARL",
    "sp. z o.o.",
];
pub const WORDS: &[&str] = &[
    "alpha",
    "renewal",
    "expansion",
    "pilot",
    "enterprise",
    "licence",
    "upgrade",
    "support",
    "onboarding",
    "migration",
    "Größe",
    "déjà vu",
    "naïve",
    "façade",
    "über",
    "日本語",
    "中文",
    "한국어",
    "emoji 🎉",
    "🔥 hot",
    "ünïcödé",
];
pub const DEAL_KINDS: &[&str] = &[
    "Licence",
    "Renewal",
    "Pilot",
    "Expansion",
    "Consulting",
    "Support plan",
    "Migration",
    "Onboarding",
    "Hardware",
];
pub const CITIES: &[(&str, &str, &str)] = &[
    ("Tallinn", "Estonia", "10111"),
    ("München", "Germany", "80331"),
    ("São Paulo", "Brazil", "01000-000"),
    ("東京", "Japan", "100-0001"),
    ("New York", "United States", "10001"),
    ("Kraków", "Poland", "30-001"),
    ("Malmö", "Sweden", "211 20"),
    ("Lisboa", "Portugal", "1100-148"),
];
const SENTENCES: &[&str] = &[
    "Discussed pricing and next steps with the buying committee.",
    "Le client souhaite une démonstration avant la fin du trimestre.",
    "Kunde wünscht ein Angebot für 50 Lizenzen.",
    "客户希望下周安排一次产品演示。",
    "見積書を送付しました。来週フォローアップ予定。",
    "Follow up after the conference 🎤 — they loved the demo 👍",
    "Budget approved; legal review pending.",
    "El cliente pidió una rebaja del 10 %.",
];

pub fn person_name(dice: &mut Dice) -> (String, String) {
    (
        dice.pick(FIRST_NAMES).to_string(),
        dice.pick(LAST_NAMES).to_string(),
    )
}

pub fn company(dice: &mut Dice, n: i64) -> String {
    format!(
        "{} {} {}",
        dice.pick(COMPANY_STEMS),
        dice.pick(COMPANY_SUFFIXES),
        n
    )
}

pub fn paragraph(dice: &mut Dice, sentences: usize) -> String {
    (0..sentences)
        .map(|_| *dice.pick(SENTENCES))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Several kilobytes of text, for clients that must read long values in pieces.
pub fn long_text(dice: &mut Dice) -> String {
    paragraph(dice, 60)
}

pub fn email(first: &str, last: &str, n: i64) -> String {
    let clean = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase()
    };
    let (f, l) = (clean(first), clean(last));
    let f = if f.is_empty() {
        "contact".to_string()
    } else {
        f
    };
    let l = if l.is_empty() {
        n.to_string()
    } else {
        format!("{l}{n}")
    };
    format!("{f}.{l}@example.com")
}

pub fn address(dice: &mut Dice) -> Value {
    let (city, country, zip) = *dice.pick(CITIES);
    let street = dice
        .pick(&[
            "Main Street",
            "Hauptstraße",
            "Rue de la Paix",
            "Narva mnt",
            "Rua Augusta",
        ])
        .to_string();
    let number = dice.int(1, 200).to_string();
    json!({
        "value": format!("{street} {number}, {zip} {city}, {country}"),
        "country": country,
        "admin_area_level_1": city,
        "admin_area_level_2": null,
        "locality": city,
        "sublocality": null,
        "route": street,
        "street_number": number,
        "subpremise": null,
        "postal_code": zip,
    })
}

/// A deal's title: "kind — company", but as long as real accounts have them for a few deals:
/// deal 7 has 405 CJK characters, and every 500th deal (from 11) 300 characters mixing
/// accents, CJK and emoji (4 bytes in UTF-8, a surrogate pair in UTF-16).
pub fn deal_title(n: i64, kind: &str, company: &str) -> String {
    const CJK: &str = "東京商事との年間保守契約の更新交渉北京科技営業部長承認待ち";
    const MIXED: &str = "Crème Brûlée 東京 🚀 Zürich ✅ שלום Δέλτα ";
    match n {
        7 => CJK.chars().cycle().take(405).collect(),
        n if n % 500 == 11 => MIXED.chars().cycle().take(300).collect(),
        _ => format!("{kind} — {company}"),
    }
}
