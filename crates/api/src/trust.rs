//! Which server certificates are trusted: the system's trust store, or the certificates the
//! user gave (`SSLServerCert`): a CA bundle (an inspecting proxy's authority) that the server's
//! chain must lead to, or the server's own certificate, pinned.
//!
//! Trust is never lowered: there is no setting that accepts every certificate.

use crate::error::{Error, ErrorKind};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::Arc;

/// The certificates a connection trusts.
#[derive(Clone, Debug, Default)]
pub enum Trust {
    /// The operating system's trust store.
    #[default]
    System,
    /// Only these: a server is trusted when it presents one of them, or a chain issued by one.
    Given(Arc<[CertificateDer<'static>]>),
}

impl Trust {
    /// The certificates of `SSLServerCert`: PEM text (one or more `BEGIN CERTIFICATE` blocks),
    /// or the path of a PEM or DER file.
    pub fn from_setting(value: &str) -> Result<Trust, Error> {
        let value = value.trim();
        if value == "*" {
            return Err(config(
                "SSLServerCert=* (accept any certificate) is not supported: give the server's \
                 certificate, or the certificate of the authority that issued it (a corporate \
                 proxy's CA), as a file path or as PEM text",
            ));
        }
        let (bytes, source) = if value.starts_with("-----BEGIN") {
            (value.as_bytes().to_vec(), "the PEM text".to_string())
        } else {
            let bytes = std::fs::read(value).map_err(|e| {
                config(&format!(
                    "SSLServerCert: cannot read the file '{value}': {e}"
                ))
            })?;
            (bytes, format!("the file '{value}'"))
        };
        let certs = certificates(&bytes)
            .map_err(|e| config(&format!("SSLServerCert: {source} is not readable: {e}")))?;
        if certs.is_empty() {
            return Err(config(&format!(
                "SSLServerCert: {source} holds no certificate (expected PEM 'BEGIN CERTIFICATE' \
                 blocks or one DER certificate)"
            )));
        }
        Ok(Trust::Given(certs.into()))
    }

    /// The TLS settings for [`Trust::Given`]; `None` for the system store (the HTTP client's
    /// own verifier, which asks the operating system).
    pub(crate) fn tls_config(&self) -> Result<Option<rustls::ClientConfig>, Error> {
        let Trust::Given(given) = self else {
            return Ok(None);
        };
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let verifier = GivenCertificates::new(given.clone(), provider.clone())?;
        let mut tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| config(&format!("cannot set up TLS: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Some(tls))
    }
}

fn config(message: &str) -> Error {
    Error::new(ErrorKind::Config, message)
}

/// The certificates in PEM text, or the one certificate of a DER file.
fn certificates(bytes: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    if bytes.windows(10).any(|w| w == b"-----BEGIN") {
        CertificateDer::pem_slice_iter(bytes)
            .filter(|c| c.as_ref().map_or(true, |c| !c.is_empty()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())
    } else if bytes.first() == Some(&0x30) {
        // an ASN.1 SEQUENCE: a DER certificate, checked by the verifier when used
        Ok(vec![CertificateDer::from(bytes.to_vec())])
    } else {
        Err("neither PEM nor DER".into())
    }
}

/// Trusts a server that presents one of the given certificates as its own (a pin), or whose
/// chain leads to one of them (checked as any chain is: dates, name, signatures).
#[derive(Debug)]
struct GivenCertificates {
    given: Arc<[CertificateDer<'static>]>,
    /// `None` when no given certificate can serve as an authority (pins only).
    chains: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl GivenCertificates {
    fn new(
        given: Arc<[CertificateDer<'static>]>,
        provider: Arc<CryptoProvider>,
    ) -> Result<GivenCertificates, Error> {
        let mut roots = RootCertStore::empty();
        let (added, _) = roots.add_parsable_certificates(given.iter().cloned());
        let chains = if added == 0 {
            None
        } else {
            Some(
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| config(&format!("SSLServerCert: {e}")))?,
            )
        };
        Ok(GivenCertificates {
            given,
            chains,
            provider,
        })
    }
}

impl ServerCertVerifier for GivenCertificates {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.given.iter().any(|c| c.as_ref() == end_entity.as_ref()) {
            return Ok(ServerCertVerified::assertion());
        }
        match &self.chains {
            Some(chains) => chains.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ),
            None => Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            )),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// What a certificate problem means for the user, when `e` is one.
pub(crate) fn explain_certificate(e: &rustls::Error) -> Option<String> {
    let rustls::Error::InvalidCertificate(problem) = e else {
        return None;
    };
    let fix = "if a proxy or gateway of your network presents its own certificates, set \
               SSLServerCert to its CA certificate";
    Some(match problem {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "the server's certificate has expired".to_string()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "the server's certificate is not valid yet (check this computer's clock)".to_string()
        }
        CertificateError::NotValidForNameContext {
            expected,
            presented,
        } => format!(
            "the server's certificate is not valid for the host name connected to ({}): it \
             names {}; check CompanyDomain or BaseURL",
            expected.to_str(),
            presented.join(", ")
        ),
        CertificateError::NotValidForName => "the server's certificate is not valid for the \
             host name connected to; check CompanyDomain or BaseURL"
            .to_string(),
        CertificateError::UnknownIssuer => format!(
            "the server's certificate was issued by an authority that is not trusted; {fix}"
        ),
        CertificateError::Revoked => "the server's certificate has been revoked".to_string(),
        other => format!("the server's certificate was refused ({other:?}); {fix}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_that_hold_no_certificate_are_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here").unwrap();
        let cases: Vec<(String, &str)> = vec![
            ("*".into(), "not supported"),
            (
                dir.path().join("missing.pem").display().to_string(),
                "cannot read the file",
            ),
            (empty.display().to_string(), "neither PEM nor DER"),
            (
                "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n".into(),
                "holds no certificate",
            ),
        ];
        for (value, said) in cases {
            let e = Trust::from_setting(&value).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Config, "{value}");
            assert!(e.message.contains(said), "{value}: {}", e.message);
        }
    }
}
