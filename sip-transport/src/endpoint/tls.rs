//! TLS configuration (rustls with the `ring` provider): server certificate and key from
//! PEM files, client verification of server names against configured roots.

use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore, ServerConfig};

use super::EndpointBuilder;
use crate::{Error, Result};

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn tls_error(e: impl core::fmt::Display) -> Error {
    Error::Tls(e.to_string())
}

/// Reads every certificate of a PEM file.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, [`Error::Tls`] when it holds no certificate.
pub fn load_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let mut reader = BufReader::new(std::fs::File::open(path)?);
    let certs = rustls_pemfile::certs(&mut reader).collect::<Result<Vec<_>, _>>()?;
    if certs.is_empty() {
        return Err(Error::Tls(format!("no certificate in {}", path.display())));
    }
    Ok(certs)
}

/// Reads the first private key (PKCS#8, PKCS#1 or SEC1) of a PEM file.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, [`Error::Tls`] when it holds no key.
pub fn load_private_key(path: &Path) -> Result<PrivateKeyDer<'static>> {
    let mut reader = BufReader::new(std::fs::File::open(path)?);
    rustls_pemfile::private_key(&mut reader)?
        .ok_or_else(|| Error::Tls(format!("no private key in {}", path.display())))
}

pub(super) fn server_config(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>> {
    let certs = load_certificates(cert)?;
    let key = load_private_key(key)?;
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(tls_error)?;
    Ok(Arc::new(config))
}

pub(super) fn client_config(builder: &EndpointBuilder) -> Result<Arc<ClientConfig>> {
    if let Some(config) = &builder.tls_client {
        return Ok(Arc::clone(config));
    }
    let mut roots = RootCertStore::empty();
    for cert in &builder.tls_roots {
        roots.add(cert.clone()).map_err(tls_error)?;
    }
    if builder.tls_system_roots {
        let native = rustls_native_certs::load_native_certs();
        for e in &native.errors {
            tracing::info!(error = %e, "system certificate store not fully read");
        }
        let (added, skipped) = roots.add_parsable_certificates(native.certs);
        tracing::debug!(added, skipped, "system certificate authorities");
    }
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}
