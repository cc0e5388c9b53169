//! Stored procedures through the engine: the call forms (EXEC with named and positional
//! arguments, `{call ...}` with markers), their description before they run, the OAuth
//! procedures against the sandbox's authorization server, and a session without a token.

use datafusion::arrow::array::{AsArray, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use pipedrive_api::oauth::{Initiate, OAuthOptions, SettingsFile};
use pipedrive_engine::{EngineErrorKind, ScalarValue, Session};
use pipedrive_sandbox::{Sandbox, SandboxConfig};
use std::time::Duration;

fn options(sandbox: &Sandbox, file: &std::path::Path) -> OAuthOptions {
    OAuthOptions {
        client_id: Some("sandbox-client".into()),
        client_secret: Some("sandbox-secret".into()),
        callback_url: Some("http://localhost:5800/cb".into()),
        server_url: Some(sandbox.base_url().into()),
        scope: None,
        initiate: Initiate::Off,
        access_token: None,
        refresh_token: None,
        expires_in: None,
        token_timestamp: None,
        verifier: None,
        settings_file: file.to_path_buf(),
        browser_timeout: Duration::from_secs(5),
        network: Default::default(),
    }
}

fn text(batches: &[RecordBatch], column: usize) -> String {
    batches[0]
        .column(column)
        .as_string::<i32>()
        .value(0)
        .to_string()
}

#[tokio::test]
async fn oauth_procedures_run_without_a_token_and_keep_what_they_get() {
    let sandbox = Sandbox::start(SandboxConfig::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("OAuthSettings.txt");
    let session = Session::open(None, Some(options(&sandbox, &file)))
        .await
        .unwrap();
    assert!(session.tables().await.unwrap().is_empty());

    // described before it runs: one marker, one text column
    let prepared = session
        .prepare("{call GetOAuthAuthorizationURL(?, 'st-1')}")
        .await
        .unwrap();
    assert_eq!(prepared.parameters, vec![Some(DataType::Utf8)]);
    assert_eq!(prepared.schema.field(0).name(), "URL");
    let bound = prepared
        .bind(vec![ScalarValue::Utf8(Some("http://localhost:9/x".into()))])
        .unwrap();
    let batches: Vec<RecordBatch> =
        futures_util::TryStreamExt::try_collect(bound.execute().await.unwrap())
            .await
            .unwrap();
    assert_eq!(
        text(&batches, 0),
        format!("{}/oauth/authorize?client_id=sandbox-client&redirect_uri=http%3A%2F%2Flocalhost%3A9%2Fx&state=st-1", sandbox.base_url())
    );

    // the code exchanged; the tokens kept in the settings file
    let code = sandbox.approve("sandbox-client", "http://localhost:5800/cb", None);
    let got = session
        .query(&format!("EXECUTE GetOAuthAccessToken @Verifier = '{code}'"))
        .await
        .unwrap();
    let access = text(&got, 0);
    // an hour, less the seconds that passed since the grant (more than one on a loaded machine)
    let expires_in = got[0].column(2).as_primitive::<Int64Type>().value(0);
    assert!((3590..=3600).contains(&expires_in), "{expires_in}");
    let kept = SettingsFile::new(file.clone()).read().unwrap().unwrap();
    assert_eq!(kept.tokens.unwrap().access_token, access);
    assert_eq!(kept.client_id, "sandbox-client");

    // no data without a token
    let err = session.prepare("SELECT * FROM Deals").await.unwrap_err();
    assert_eq!(
        err.kind,
        EngineErrorKind::Api(pipedrive_api::ErrorKind::Unauthorized)
    );
    // calls that cannot work say why
    for (sql, says) in [
        ("EXEC GetOAuthAccessToken @AuthMode = 'TV'", "WEB or APP"),
        ("EXEC GetOAuthAccessToken @AuthMode = 'WEB'", "@Verifier"),
        ("EXEC Nothing", "GetOAuthAccessToken"),
        (
            "EXEC RefreshOAuthAccessToken @Token = 'x'",
            "@OAuthRefreshToken",
        ),
    ] {
        let err = session.query(sql).await.unwrap_err();
        assert!(err.message.contains(says), "{sql}: {}", err.message);
    }
}
