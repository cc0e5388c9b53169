//! Every procedure of the driver, and finding one by name.

use super::{actions, oauth, Procedure};

/// Every procedure of the driver.
pub static PROCEDURES: &[&Procedure] = &[
    &oauth::GET_AUTHORIZATION_URL,
    &oauth::GET_ACCESS_TOKEN,
    &oauth::REFRESH_ACCESS_TOKEN,
    &actions::MERGE_DEALS,
    &actions::MERGE_PERSONS,
    &actions::MERGE_ORGANIZATIONS,
    &actions::CONVERT_LEAD_TO_DEAL,
    &actions::CONVERT_DEAL_TO_LEAD,
    &actions::DUPLICATE_DEAL,
    &actions::DUPLICATE_PRODUCT,
    &actions::UPLOAD_FILE,
    &actions::DOWNLOAD_FILE,
];

/// The procedure of that name, in any case.
pub fn find(name: &str) -> Option<&'static Procedure> {
    PROCEDURES
        .iter()
        .copied()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}
