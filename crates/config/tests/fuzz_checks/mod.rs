//! What the fuzz targets (fuzz/) check for one input, shared with the replay test so that every
//! input a fuzzer kept is checked again by the test suite.

use pipedrive_api::Credentials;
use pipedrive_config::{client_config, dsn_in_text, oauth_options, Properties};

/// A connection string: parsed, written back and parsed again to the same properties, then
/// turned into every setting the driver makes of it, without a panic.
pub fn connection_string(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(props) = Properties::parse(text) else {
        return;
    };
    let written = props.to_connection_string();
    let again = Properties::parse(&written)
        .unwrap_or_else(|e| panic!("{written:?} (from {text:?}) does not parse: {e}"));
    assert!(again == props, "{text:?} -> {written:?} -> {again:?}");
    let _ = format!("{props:?}");
    let _ = oauth_options(&props);
    let _ = client_config(&props, Credentials::ApiToken("fuzz".into()), None);
}

/// The text of an odbc.ini file: its DSN sections into client settings, without a panic.
pub fn dsn_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["Pipedrive", "pipedrive ", "ODBC Data Sources"] {
        if let Ok(Some(props)) = dsn_in_text(text, name) {
            let _ = client_config(&props, Credentials::ApiToken("fuzz".into()), None);
        }
    }
}
