//! Uploads with signed, short-lived, single-use tickets (seed 001
//! `getUploadParams` + `localUpload`).

use std::sync::Arc;

use crate::error::{DomainError, Result};
use crate::model::{NewUploadTicket, ProjectId};
use crate::policy::Policy;
use crate::store::{FileStore, Store};
use crate::{now, secret};

/// What an upload is for. Image modules accept only real images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    Auth,
    Avatar,
    Lock,
    LockFingerprint,
    LockIdentityCard,
    LockKeyboardPwd,
    LockKey,
    App,
}

impl Module {
    const ALL: [Module; 8] = [
        Module::Auth,
        Module::Avatar,
        Module::Lock,
        Module::LockFingerprint,
        Module::LockIdentityCard,
        Module::LockKeyboardPwd,
        Module::LockKey,
        Module::App,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Module::Auth => "auth",
            Module::Avatar => "avatar",
            Module::Lock => "lock",
            Module::LockFingerprint => "lock_fingerprint",
            Module::LockIdentityCard => "lock_identity_card",
            Module::LockKeyboardPwd => "lock_keyboard_pwd",
            Module::LockKey => "lock_key",
            Module::App => "app",
        }
    }

    /// Avatars, identity photos and lock pictures are images; fingerprint,
    /// card, keyboard-password and key records and app packages are files.
    pub fn is_image(self) -> bool {
        matches!(self, Module::Auth | Module::Avatar | Module::Lock)
    }
}

/// Who an upload belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    User(i64),
    Account(String),
}

impl Owner {
    fn key(&self) -> String {
        match self {
            Owner::User(id) => format!("user:{id}"),
            Owner::Account(a) => format!("account:{a}"),
        }
    }
}

/// A ticket handed to the client, and the name its file will have.
#[derive(Debug, Clone)]
pub struct Ticket {
    pub ticket: String,
    pub module: Module,
    pub stored_name: String,
}

/// A stored file and its content type.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

/// The upload service.
#[derive(Clone)]
pub struct Uploads {
    store: Arc<dyn Store>,
    files: Arc<dyn FileStore>,
    policy: Policy,
}

const IMAGE_EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "gif", "webp", "bmp"];

impl Uploads {
    pub fn new(store: Arc<dyn Store>, files: Arc<dyn FileStore>, policy: Policy) -> Self {
        Uploads {
            store,
            files,
            policy,
        }
    }

    /// The largest upload a module accepts, in bytes.
    pub fn max_size(&self, module: Module) -> i64 {
        if module.is_image() {
            self.policy.upload_image_max
        } else {
            self.policy.upload_file_max
        }
    }

    /// Issues a ticket for one file of `size` bytes named `filename`.
    pub async fn issue(
        &self,
        project: ProjectId,
        module: Module,
        owner: Owner,
        filename: &str,
        size: i64,
    ) -> Result<Ticket> {
        if size <= 0 {
            return Err(DomainError::invalid(
                "size",
                "size must be a positive number of bytes",
            ));
        }
        if size > self.max_size(module) {
            return Err(DomainError::TooLarge);
        }
        let ext = extension(filename)?;
        if module.is_image() && !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
            return Err(DomainError::UnsupportedMedia);
        }
        let ticket = secret::alphanumeric(40);
        let stored_name = format!("{}.{ext}", secret::hex_token(16));
        let now = now();
        self.store
            .insert_upload_ticket(NewUploadTicket {
                project_id: project,
                ticket_hash: ticket_hash(&ticket),
                module: module.as_str().to_owned(),
                owner: owner.key(),
                declared_size: size,
                stored_name: stored_name.clone(),
                created_at: now,
                expires_at: now + self.policy.upload_ticket_ttl,
            })
            .await?;
        Ok(Ticket {
            ticket,
            module,
            stored_name,
        })
    }

    /// Accepts the file for a ticket: checks size and content, stores it,
    /// and uses the ticket up. Returns the module and stored name. A refused
    /// file leaves the ticket usable.
    pub async fn accept(&self, ticket: &str, bytes: &[u8]) -> Result<(Module, String)> {
        if ticket.is_empty() || ticket.len() > 64 {
            return Err(DomainError::BadTicket);
        }
        let found = self
            .store
            .upload_ticket(&ticket_hash(ticket), now())
            .await?
            .ok_or(DomainError::BadTicket)?;
        let module = Module::parse(&found.module).ok_or(DomainError::BadTicket)?;
        if bytes.is_empty() {
            return Err(DomainError::required("file"));
        }
        if bytes.len() as i64 > found.declared_size {
            return Err(DomainError::TooLarge);
        }
        if module.is_image() && image_type(bytes).is_none() {
            return Err(DomainError::UnsupportedMedia);
        }
        if !self.store.take_upload_ticket(found.id).await? {
            return Err(DomainError::BadTicket);
        }
        self.files
            .put(module.as_str(), &found.stored_name, bytes)
            .await?;
        Ok((module, found.stored_name))
    }

    /// A stored file by module and name; anything else answers not found.
    pub async fn open(&self, module: &str, name: &str) -> Result<StoredFile> {
        let module = Module::parse(module).ok_or(DomainError::NotFound("file"))?;
        if !valid_stored_name(name) {
            return Err(DomainError::NotFound("file"));
        }
        let bytes = self
            .files
            .get(module.as_str(), name)
            .await?
            .ok_or(DomainError::NotFound("file"))?;
        let content_type = image_type(&bytes).unwrap_or("application/octet-stream");
        Ok(StoredFile {
            bytes,
            content_type,
        })
    }
}

fn ticket_hash(ticket: &str) -> String {
    secret::digest(&["upload", ticket])
}

/// The lower-cased extension of a client's file name: 1 to 8 letters or digits.
fn extension(filename: &str) -> Result<String> {
    let name = filename.trim();
    if name.is_empty() {
        return Err(DomainError::required("filename"));
    }
    match name.rsplit_once('.') {
        Some((_, ext))
            if (1..=8).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            Ok(ext.to_ascii_lowercase())
        }
        _ => Err(DomainError::invalid(
            "filename",
            "filename must end in an extension of 1 to 8 letters or digits",
        )),
    }
}

/// Names this service generates: 32 hex digits, a dot, an extension.
fn valid_stored_name(name: &str) -> bool {
    match name.split_once('.') {
        Some((stem, ext)) => {
            stem.len() == 32
                && stem.bytes().all(|b| b.is_ascii_hexdigit())
                && (1..=8).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        }
        None => false,
    }
}

/// The image type by magic bytes, or `None` for anything else.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.len() >= 26 && bytes.starts_with(b"BM") {
        Some("image/bmp")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(image_type(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(image_type(b"<svg>"), None);
    }

    #[test]
    fn names() {
        assert_eq!(extension("a.JPG").ok(), Some("jpg".into()));
        assert!(extension("noext").is_err());
        assert!(extension("../../x.p/h").is_err());
        assert!(valid_stored_name("0123456789abcdef0123456789abcdef.png"));
        assert!(!valid_stored_name("../etc/passwd"));
    }
}
