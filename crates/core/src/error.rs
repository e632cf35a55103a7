//! Errors of the domain. Each API dialect maps them onto its own envelope.

use thiserror::Error;

/// Why a domain call was refused.
#[derive(Debug, Error)]
pub enum DomainError {
    /// A field is missing or malformed; `field` is the name the client sent.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// No session, an unknown token or an expired one.
    #[error("not logged in or the session has expired")]
    Unauthenticated,
    /// The caller may not do this.
    #[error("not allowed")]
    Forbidden,
    /// The thing named does not exist, or belongs to someone else.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// An app key (`clientKey`) that names no app.
    #[error("unknown client key")]
    UnknownClient,
    /// The phone number is already registered in this project.
    #[error("phone number already registered")]
    PhoneTaken,
    /// The user name is already taken in this project.
    #[error("user name already taken")]
    UsernameTaken,
    /// The e-mail address is already registered in this project.
    #[error("e-mail address already registered")]
    EmailTaken,
    /// A verification code that is wrong, expired, used or dead.
    #[error("verification code is wrong or has expired")]
    WrongCode,
    /// Account or password wrong; the same for an unknown account.
    #[error("account or password is wrong")]
    BadCredentials,
    /// Password login from a terminal the account has never logged in on.
    #[error("password login from a new terminal needs a code login first")]
    NewTerminal,
    /// A throttle or a failure limit was hit.
    #[error("too many requests, try again later")]
    TooManyRequests,
    /// The SMS or e-mail provider could not deliver.
    #[error("the message could not be sent, try again later")]
    Provider,
    /// An upload ticket that is unknown, expired, used or for another file.
    #[error("upload ticket is invalid or has expired")]
    BadTicket,
    /// An upload larger than allowed or than declared.
    #[error("file is too large")]
    TooLarge,
    /// An upload whose content is not of an accepted type.
    #[error("file type is not accepted")]
    UnsupportedMedia,
    /// Another record already has this value; the value names the field
    /// (`device_key`, `account`, …).
    #[error("{0} already exists")]
    Conflict(&'static str),
    /// The record is still in use (a type with devices, a group with
    /// children); the value says by what.
    #[error("still in use by {0}")]
    InUse(&'static str),
    /// The store failed; details are logged, never shown.
    #[error("internal error")]
    Internal,
}

impl DomainError {
    /// A missing or malformed field.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        DomainError::Invalid {
            field,
            message: message.into(),
        }
    }

    /// `"<field> is required"`.
    pub fn required(field: &'static str) -> Self {
        Self::invalid(field, format!("{field} is required"))
    }
}

/// Errors from a store implementation.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A unique constraint was hit; the value names the column.
    #[error("conflict on {0}")]
    Conflict(&'static str),
    /// Anything else: connection lost, bad SQL, a full disk.
    #[error("store failure: {0}")]
    Backend(String),
}

impl From<StoreError> for DomainError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict("phone") => DomainError::PhoneTaken,
            StoreError::Conflict("username") => DomainError::UsernameTaken,
            StoreError::Conflict("email") => DomainError::EmailTaken,
            StoreError::Conflict(other) => DomainError::Conflict(other),
            other => {
                tracing::error!(error = %other, "store failure");
                DomainError::Internal
            }
        }
    }
}

pub type Result<T, E = DomainError> = std::result::Result<T, E>;
