//! The OAuth settings file (`OAuthSettingsLocation`): the app and its tokens, encrypted,
//! readable by its owner only, replaced atomically, and locked while a refresh is under way so
//! that processes sharing it take turns.
//!
//! The key is derived from a per-file random salt and key material built into the driver, so a
//! file made on one machine opens on another (the headless flow copies it). The encryption keeps
//! the tokens out of plain sight and makes tampering detectable; the owner-only permission is
//! what keeps other users out.

use super::app::OAuthApp;
use super::tokens::Tokens;
use crate::error::{Error, ErrorKind};
use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use aws_lc_rs::hkdf::{Salt, HKDF_SHA256};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file name used when `OAuthSettingsLocation` is not set or names a folder.
pub const DEFAULT_FILE_NAME: &str = "OAuthSettings.txt";
const MAGIC: &str = "PDOAUTH1";
const KEY_MATERIAL: &[u8] = b"pipedrive-odbc/oauth-settings/v1/8c1f5e0a4b7d2963";
const INFO: &[u8] = b"pipedrive-odbc oauth settings";

/// What the file holds.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    pub client_id: String,
    #[serde(default)]
    pub client_secret: String,
    #[serde(default)]
    pub callback_url: String,
    #[serde(default)]
    pub server_url: String,
    #[serde(default)]
    pub tokens: Option<Tokens>,
    /// Fingerprint of what started these tokens (an `OAuthVerifier` or `OAuthAccessToken`
    /// given as a property), so the same property seen again is not used a second time.
    #[serde(default)]
    pub origin: Option<String>,
}

impl fmt::Debug for Stored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stored")
            .field("client_id", &self.client_id)
            .field("tokens", &self.tokens)
            .finish_non_exhaustive()
    }
}

impl Stored {
    /// Holds `tokens`, with the app they belong to (everything a later refresh needs).
    pub fn hold(&mut self, app: &OAuthApp, tokens: Tokens) {
        self.client_id = app.client_id.clone();
        self.client_secret = app.client_secret.clone();
        self.callback_url = app.callback_url.clone();
        self.server_url = app.server_url.clone();
        self.tokens = Some(tokens);
    }
}

/// `OAuthSettingsLocation` as a file path: `~` expanded, a folder given the default file name,
/// by default `OAuthSettings.txt` in the driver's data folder.
pub fn resolve_location(given: Option<&str>) -> PathBuf {
    crate::data_folder::resolve(given, DEFAULT_FILE_NAME)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsFile {
    path: PathBuf,
}

/// Held while the file is being refreshed; dropping it lets the next process in.
pub struct FileLock(#[allow(dead_code)] File);

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::new(
        ErrorKind::Config,
        format!(
            "OAuthSettingsLocation: cannot {what} {} ({e}); the driver needs to read and write it",
            path.display()
        ),
    )
}

impl SettingsFile {
    pub fn new(path: PathBuf) -> SettingsFile {
        SettingsFile { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        self.path.with_file_name(name)
    }

    /// The stored settings; `None` when there is no file yet.
    pub fn read(&self) -> Result<Option<Stored>, Error> {
        let text = match fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("read", &self.path, e)),
        };
        decrypt(&text).map(Some).ok_or_else(|| {
            Error::new(
                ErrorKind::Config,
                format!(
                    "OAuthSettingsLocation: {} is not an OAuth settings file of this driver, or it \
                     was damaged; delete it and sign in again",
                    self.path.display()
                ),
            )
        })
    }

    /// Changes what the file holds (starting from nothing when there is no file, or it cannot
    /// be read) and writes it back.
    pub fn update(&self, change: impl FnOnce(&mut Stored)) -> Result<(), Error> {
        let mut stored = self.read().ok().flatten().unwrap_or_default();
        change(&mut stored);
        self.write(&stored)
    }

    /// Replaces the file in one step (a reader sees the old or the new file, never a part).
    pub fn write(&self, stored: &Stored) -> Result<(), Error> {
        self.make_folder()?;
        let text = encrypt(stored)?;
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".{}.tmp", std::process::id()));
        let temp = self.path.with_file_name(name);
        let result = (|| {
            let mut f = private_file(&temp, true)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            fs::rename(&temp, &self.path)?;
            if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                // the rename itself made durable (best effort: not every system opens folders)
                let _ = File::open(dir).and_then(|d| d.sync_all());
            }
            Ok(())
        })();
        result.map_err(|e| {
            let _ = fs::remove_file(&temp);
            io_error("write", &self.path, e)
        })
    }

    /// Waits for and takes the file's lock (blocking: call it off the async threads).
    pub fn lock(&self) -> Result<FileLock, Error> {
        self.make_folder()?;
        let path = self.lock_path();
        let f = private_file(&path, false).map_err(|e| io_error("lock", &path, e))?;
        f.lock().map_err(|e| io_error("lock", &path, e))?;
        Ok(FileLock(f))
    }

    fn make_folder(&self) -> Result<(), Error> {
        let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) else {
            return Ok(());
        };
        if dir.is_dir() {
            return Ok(());
        }
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(dir)
            .map_err(|e| io_error("create the folder of", &self.path, e))
    }
}

/// A file only its owner may read and write.
fn private_file(path: &Path, truncate: bool) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(truncate);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let f = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    Ok(f)
}

fn key(salt: &[u8]) -> Option<LessSafeKey> {
    let prk = Salt::new(HKDF_SHA256, salt).extract(KEY_MATERIAL);
    let info = [INFO];
    let okm = prk.expand(&info, &AES_256_GCM).ok()?;
    Some(LessSafeKey::new(UnboundKey::from(okm)))
}

fn encrypt(stored: &Stored) -> Result<String, Error> {
    let failed = || Error::new(ErrorKind::Config, "cannot encrypt the OAuth settings");
    let rng = SystemRandom::new();
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; NONCE_LEN];
    rng.fill(&mut salt).map_err(|_| failed())?;
    rng.fill(&mut nonce).map_err(|_| failed())?;
    let mut data = serde_json::to_vec(stored).map_err(|_| failed())?;
    key(&salt)
        .ok_or_else(failed)?
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(MAGIC.as_bytes()),
            &mut data,
        )
        .map_err(|_| failed())?;
    Ok(format!(
        "# Pipedrive ODBC driver: OAuth settings (encrypted; keep this file private)\n{MAGIC}:{}:{}:{}\n",
        B64.encode(salt),
        B64.encode(nonce),
        B64.encode(&data)
    ))
}

fn decrypt(text: &str) -> Option<Stored> {
    let line = text.lines().map(str::trim).find(|l| l.starts_with(MAGIC))?;
    let mut parts = line.split(':').skip(1);
    let salt = B64.decode(parts.next()?).ok()?;
    let nonce: [u8; NONCE_LEN] = B64.decode(parts.next()?).ok()?.try_into().ok()?;
    let mut data = B64.decode(parts.next()?).ok()?;
    let plain = key(&salt)?
        .open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(MAGIC.as_bytes()),
            &mut data,
        )
        .ok()?;
    serde_json::from_slice(plain).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::fingerprint;

    fn sample() -> Stored {
        Stored {
            client_id: "cid".into(),
            client_secret: "very-secret-client".into(),
            callback_url: "http://localhost:33333".into(),
            server_url: "http://127.0.0.1:1".into(),
            tokens: Some(Tokens::given(
                "access-token-in-clear",
                Some("refresh-token-in-clear"),
                Some(3600),
                Some(1_790_000_000),
            )),
            origin: Some(fingerprint("x")),
        }
    }

    #[test]
    fn round_trips_encrypted_and_private() {
        let dir = std::env::temp_dir().join(format!("pd-oauth-test-{}", std::process::id()));
        let file = SettingsFile::new(dir.join("sub").join(DEFAULT_FILE_NAME));
        assert_eq!(file.read().unwrap(), None);
        file.write(&sample()).unwrap();
        let text = fs::read_to_string(file.path()).unwrap();
        for secret in [
            "access-token-in-clear",
            "refresh-token-in-clear",
            "very-secret-client",
        ] {
            assert!(!text.contains(secret), "{secret} in clear");
        }
        assert_eq!(file.read().unwrap(), Some(sample()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(file.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // two writes of the same content differ (fresh salt and nonce)
        file.write(&sample()).unwrap();
        assert_ne!(fs::read_to_string(file.path()).unwrap(), text);
        // a changed byte is detected
        let mut damaged = text.clone().into_bytes();
        let at = damaged.len() - 5;
        damaged[at] = if damaged[at] == b'A' { b'B' } else { b'A' };
        fs::write(file.path(), damaged).unwrap();
        assert!(file.read().unwrap_err().message.contains("damaged"));
        let _lock = file.lock().unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn locations_expand_home_and_folders() {
        let dir = std::env::temp_dir();
        assert_eq!(resolve_location(dir.to_str()), dir.join(DEFAULT_FILE_NAME));
        assert_eq!(
            resolve_location(Some("/x/y.txt")),
            PathBuf::from("/x/y.txt")
        );
        assert!(resolve_location(None).ends_with("pipedrive-odbc/OAuthSettings.txt"));
        assert_ne!(fingerprint("a"), fingerprint("b"));
        assert_eq!(fingerprint("a").len(), 32);
    }
}
