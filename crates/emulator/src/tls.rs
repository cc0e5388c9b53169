//! HTTPS for the sandbox: a certificate authority made up at start, the server's certificate
//! issued by it for the names asked for (or already expired, to test how clients refuse it), and
//! a listener that completes each TLS handshake apart from the others.

use crate::config::TlsSettings;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// How long a client may take over its handshake.
const HANDSHAKE_TIME: Duration = Duration::from_secs(10);

/// The certificates a TLS sandbox made for itself.
pub struct Certificates {
    /// The authority's certificate (PEM): what a client is told to trust.
    pub authority_pem: String,
    /// The server's own certificate (PEM): what a client may pin.
    pub server_pem: String,
    acceptor: TlsAcceptor,
}

fn failed(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("cannot make the sandbox's certificates: {e}"))
}

impl Certificates {
    pub fn generate(settings: &TlsSettings) -> io::Result<Certificates> {
        let mut authority = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
        authority.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        authority
            .distinguished_name
            .push(DnType::CommonName, "Pipedrive sandbox test authority");
        authority.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let authority =
            CertifiedIssuer::self_signed(authority, KeyPair::generate().map_err(failed)?)
                .map_err(failed)?;

        let mut server = CertificateParams::new(settings.names.clone()).map_err(failed)?;
        server
            .distinguished_name
            .push(DnType::CommonName, "Pipedrive sandbox");
        if settings.expired {
            server.not_before = rcgen::date_time_ymd(2020, 1, 1);
            server.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        let key = KeyPair::generate().map_err(failed)?;
        let cert = server.signed_by(&key, &authority).map_err(failed)?;

        let chain = vec![cert.der().clone(), authority.der().clone()];
        let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(failed)?
            .with_no_client_auth()
            .with_single_cert(chain, private)
            .map_err(failed)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Certificates {
            authority_pem: authority.pem(),
            server_pem: cert.pem(),
            acceptor: TlsAcceptor::from(Arc::new(config)),
        })
    }

    /// Serves TLS on `tcp` (inside a runtime).
    pub fn listener(&self, tcp: TcpListener) -> io::Result<TlsListener> {
        TlsListener::new(tcp, self.acceptor.clone())
    }
}

/// Accepts TCP connections and hands on those whose handshake completed: a client that never
/// finishes its handshake, or refuses the certificate, holds up no other.
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    fn new(tcp: TcpListener, acceptor: TlsAcceptor) -> io::Result<TlsListener> {
        let local = tcp.local_addr()?;
        let (tx, ready) = mpsc::channel(64);
        tokio::spawn(async move {
            while !tx.is_closed() {
                let Ok((socket, peer)) = tcp.accept().await else {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    if let Ok(Ok(stream)) =
                        tokio::time::timeout(HANDSHAKE_TIME, acceptor.accept(socket)).await
                    {
                        let _ = tx.send((stream, peer)).await;
                    }
                });
            }
        });
        Ok(TlsListener { ready, local })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(next) => next,
            // the accepting task ended with the runtime: nothing more will come
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.local)
    }
}
