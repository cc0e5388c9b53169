//! What each GET the tables make costs of the company's daily API budget: the specs'
//! `x-token-cost` of the operation (held against the specs by `tests/catalog_spec.rs`), and the
//! cost of a planned scan as EXPLAIN shows it.

use pipedrive_api::ApiVersion::{self, V1, V2};
use std::fmt;
use std::ops::Add;

/// (version, GET path as the specs write it, tokens per request).
#[rustfmt::skip]
static GET_COSTS: &[(ApiVersion, &str, u64)] = &[
    (V2, "/deals", 10),
    (V2, "/deals/{id}", 1),
    (V2, "/persons", 10),
    (V2, "/persons/{id}", 1),
    (V2, "/organizations", 10),
    (V2, "/organizations/{id}", 1),
    (V2, "/activities", 10),
    (V2, "/activities/{id}", 1),
    (V2, "/products", 10),
    (V2, "/products/{id}", 1),
    (V2, "/projects", 10),
    (V2, "/projects/{id}", 1),
    (V2, "/pipelines", 5),
    (V2, "/pipelines/{id}", 1),
    (V2, "/stages", 5),
    (V2, "/stages/{id}", 1),
    (V2, "/deals/products", 10),
    (V2, "/deals/{id}/followers", 10),
    (V1, "/deals/{id}/participants", 10),
    (V1, "/notes", 20),
    (V1, "/notes/{id}", 2),
    (V1, "/leads", 20),
    (V1, "/leads/{id}", 2),
    (V1, "/callLogs", 20),
    (V1, "/callLogs/{id}", 2),
    (V1, "/files", 20),
    (V1, "/files/{id}", 2),
    (V1, "/users", 20),
    (V1, "/users/{id}", 2),
    (V1, "/roles", 20),
    (V1, "/roles/{id}", 2),
    (V1, "/currencies", 20),
    (V1, "/activityTypes", 20),
    (V1, "/leadLabels", 10),
    (V1, "/leadSources", 2),
    (V1, "/filters", 20),
    (V1, "/filters/{id}", 2),
    (V1, "/goals/find", 20),
    (V1, "/webhooks", 10),
    (V1, "/tasks", 20),
    (V1, "/deals/{id}/files", 20),
    (V1, "/persons/{id}/files", 20),
    (V1, "/organizations/{id}/files", 20),
    (V1, "/products/{id}/files", 20),
    (V1, "/projects/{id}/tasks", 20),
    (V1, "/organizationRelationships", 20),
    (V1, "/tasks/{id}", 2),
    (V1, "/notes/{id}/comments", 20),
    (V1, "/users/me", 2),
    (V2, "/deals/search", 20),
    (V2, "/persons/search", 20),
    (V2, "/organizations/search", 20),
    (V2, "/products/search", 20),
    (V2, "/leads/search", 20),
    (V2, "/projects/search", 20),
    (V2, "/itemSearch", 20),
    (V2, "/itemSearch/field", 20),
    (V1, "/users/find", 40),
    (V1, "/deals/{id}/changelog", 20),
    (V1, "/projects/{id}/groups", 20),
    (V1, "/projects/{id}/plan", 20),
    (V1, "/permissionSets", 20),
    (V1, "/permissionSets/{id}/assignments", 20),
    (V1, "/deals/summary", 40),
    (V1, "/deals/timeline", 20),
    (V1, "/goals/{id}/results", 20),
    (V1, "/pipelines/{id}/conversion_statistics", 40),
    (V1, "/pipelines/{id}/movement_statistics", 40),
    (V1, "/recents", 20),
    (V2, "/deals/{id}/discounts", 10),
    (V2, "/deals/installments", 10),
    (V2, "/products/{id}/variations", 10),
    (V2, "/boards", 10),
    (V2, "/phases", 10),
    (V2, "/projectTemplates", 10),
    (V1, "/users/{id}/permissions", 10),
    (V1, "/users/{id}/roleSettings", 10),
    (V1, "/users/{id}/roleAssignments", 10),
    (V1, "/roles/{id}/pipelines", 20),
    (V1, "/userSettings", 2),
    (V1, "/userConnections", 20),
    (V1, "/billing/subscriptions/addons", 20),
    (V1, "/leadFields", 20),
    (V1, "/noteFields", 20),
    (V1, "/leads/{id}/permittedUsers", 10),
    (V2, "/projects/{id}/permittedUsers", 5),
    (V1, "/persons/{id}/changelog", 20),
    (V1, "/organizations/{id}/changelog", 20),
    (V2, "/projects/{id}/changelog", 10),
    (V1, "/deals/{id}/flow", 40),
    (V1, "/persons/{id}/flow", 40),
    (V1, "/organizations/{id}/flow", 40),
    (V1, "/deals/{id}/participantsChangelog", 10),
    (V2, "/deals/{id}/followers/changelog", 10),
    (V2, "/persons/{id}/followers/changelog", 10),
    (V2, "/organizations/{id}/followers/changelog", 10),
    (V2, "/products/{id}/followers/changelog", 10),
    (V1, "/roles/{id}/assignments", 10),
    (V1, "/roles/{id}/settings", 20),
    (V2, "/persons/{id}/followers", 10),
    (V2, "/organizations/{id}/followers", 10),
    (V2, "/products/{id}/followers", 10),
    (V2, "/users/{id}/followers", 10),
    (V1, "/deals/{id}/permittedUsers", 10),
    (V1, "/persons/{id}/permittedUsers", 10),
    (V1, "/organizations/{id}/permittedUsers", 10),
    (V1, "/products/{id}/permittedUsers", 10),
    (V2, "/dealFields", 10),
    (V2, "/personFields", 10),
    (V2, "/organizationFields", 10),
    (V2, "/productFields", 10),
    (V2, "/activityFields", 10),
    (V2, "/projectFields", 10),
    (V1, "/projects/{id}/activities", 20),
    (V1, "/products/{id}/deals", 20),
    (V1, "/persons/{id}/products", 20),
    (V2, "/persons/{id}/picture", 1),
    (V2, "/products/{id}/images", 10),
    (V2, "/deals/archived", 20),
    (V2, "/projects/archived", 10),
    (V1, "/leads/archived", 40),
    (V1, "/mailbox/mailThreads", 20),
    (V1, "/mailbox/mailThreads/{id}/mailMessages", 20),
    (V1, "/deals/{id}/mailMessages", 20),
    (V1, "/persons/{id}/mailMessages", 20),
    (V1, "/organizations/{id}/mailMessages", 20),
];

/// The tokens one `GET path` costs, if the path is one the tables use.
pub fn get_cost(version: ApiVersion, path: &str) -> Option<u64> {
    GET_COSTS
        .iter()
        .find(|(v, p, _)| *v == version && *p == path)
        .map(|(_, _, cost)| *cost)
}

/// The daily-budget tokens a scan costs: a known part, and parts that grow with the pages of
/// lists and with the parent rows walked (how many is known only when they are read).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenCost {
    pub fixed: u64,
    pub per_page: u64,
    pub per_parent: u64,
}

impl Add for TokenCost {
    type Output = TokenCost;
    fn add(self, other: TokenCost) -> TokenCost {
        TokenCost {
            fixed: self.fixed + other.fixed,
            per_page: self.per_page + other.per_page,
            per_parent: self.per_parent + other.per_parent,
        }
    }
}

impl fmt::Display for TokenCost {
    /// `3 tokens`, `10 tokens a page`, `2 tokens + 10 a page + 10 per parent row`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = vec![];
        if self.fixed > 0 || (self.per_page == 0 && self.per_parent == 0) {
            parts.push(self.fixed.to_string());
        }
        if self.per_page > 0 {
            parts.push(format!("{} a page", self.per_page));
        }
        if self.per_parent > 0 {
            parts.push(format!("{} per parent row", self.per_parent));
        }
        let first = parts.remove(0);
        let (number, rest) = first.split_once(' ').unwrap_or((&first, ""));
        let unit = if number == "1" && rest.is_empty() {
            "token"
        } else {
            "tokens"
        };
        write!(f, "{number} {unit}")?;
        if !rest.is_empty() {
            write!(f, " {rest}")?;
        }
        for part in parts {
            write!(f, " + {part}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_read_as_a_sum() {
        let cases = [
            ((0, 0, 0), "0 tokens"),
            ((1, 0, 0), "1 token"),
            ((3, 0, 0), "3 tokens"),
            ((0, 10, 0), "10 tokens a page"),
            ((2, 10, 0), "2 tokens + 10 a page"),
            ((0, 10, 10), "10 tokens a page + 10 per parent row"),
            ((1, 0, 10), "1 token + 10 per parent row"),
        ];
        for ((fixed, per_page, per_parent), text) in cases {
            let cost = TokenCost {
                fixed,
                per_page,
                per_parent,
            };
            assert_eq!(cost.to_string(), text);
        }
        let sum = TokenCost {
            fixed: 1,
            ..TokenCost::default()
        } + TokenCost {
            per_page: 10,
            ..TokenCost::default()
        };
        assert_eq!(sum.to_string(), "1 token + 10 a page");
    }
}
