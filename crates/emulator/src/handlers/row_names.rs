//! How error messages name one row of a collection ("Deal", "Lead label").

/// "Deal", "Lead label": how error messages name one row of a collection.
pub fn singular(name: &str) -> String {
    let base = match name {
        "activities" => "activity".to_string(),
        "currencies" => "currency".to_string(),
        "persons" => "person".to_string(),
        "dealProducts" => "product attachment".to_string(),
        "dealFollowers" => "follower".to_string(),
        "dealParticipants" => "participant".to_string(),
        other => {
            let mut words = String::new();
            for c in other.trim_end_matches('s').chars() {
                if c.is_uppercase() {
                    words.push(' ');
                }
                words.extend(c.to_lowercase());
            }
            words
        }
    };
    let mut chars = base.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
