//! The records of the domain, as the services see them.

use crate::Time;
use crate::project::Tags;

pub type ProjectId = i64;
pub type UserId = i64;
pub type SessionId = i64;
pub type TerminalId = i64;
/// A customer role of a project (seed 003).
pub type RoleId = i64;

/// The locale of an account until someone sets another (seed 003 `locale`).
pub const DEFAULT_LOCALE: &str = "zh-CN";

/// A tenant: one company's users and devices.
#[derive(Debug, Clone)]
pub struct Project {
    pub id: ProjectId,
    pub name: String,
    /// The key devices present as their MQTT password.
    pub project_key: String,
    pub is_default: bool,
    pub created_at: Time,
    /// Description shown by the project API (`descr`).
    pub descr: String,
    /// Free tags shown by the project API.
    pub tags: crate::project::Tags,
}

/// A person who uses the phone app.
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub project_id: ProjectId,
    /// Public account number shown by seed 001 (`accountNo`).
    pub account_no: String,
    pub username: Option<String>,
    pub phone: Option<String>,
    pub country_code: String,
    pub email: Option<String>,
    pub nickname: String,
    pub head_url: String,
    /// Argon2id PHC string; `None` for an account made by code login that
    /// never set a password.
    pub password_hash: Option<String>,
    pub alarm_switch: bool,
    pub created_at: Time,
    pub last_login_at: Option<Time>,
    /// Seed 003 customer fields: a note, tags, a role of the same project
    /// and the locale.
    pub descr: String,
    pub tags: Tags,
    pub role_id: Option<RoleId>,
    pub locale: String,
}

/// A new account, before the store gives it an id.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub project_id: ProjectId,
    pub account_no: String,
    pub username: Option<String>,
    pub phone: Option<String>,
    pub country_code: String,
    pub email: Option<String>,
    pub nickname: String,
    pub password_hash: Option<String>,
    pub created_at: Time,
    /// Seed 003 customer fields; an app registration leaves them empty,
    /// with [`DEFAULT_LOCALE`].
    pub descr: String,
    pub tags: Tags,
    pub role_id: Option<RoleId>,
    pub locale: String,
}

/// The platform a session was opened from (seed 001 `platId`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Web = 1,
    App = 2,
    MiniProgram = 3,
    Pc = 4,
}

impl Platform {
    pub fn from_id(id: i64) -> Option<Self> {
        match id {
            1 => Some(Platform::Web),
            2 => Some(Platform::App),
            3 => Some(Platform::MiniProgram),
            4 => Some(Platform::Pc),
            _ => None,
        }
    }
    pub fn id(self) -> i64 {
        self as i64
    }
    /// App and mini program logins come from a phone, which must be a known
    /// terminal for a password login.
    pub fn is_mobile(self) -> bool {
        matches!(self, Platform::App | Platform::MiniProgram)
    }
}

/// What a login says about the phone or PC it comes from (seed 001 `deviceInfo`).
#[derive(Debug, Clone, Default)]
pub struct TerminalInfo {
    pub device_no: String,
    pub name: String,
    pub brand: String,
    pub model: String,
}

/// A phone or PC on which the account has completed a login.
#[derive(Debug, Clone)]
pub struct Terminal {
    pub id: TerminalId,
    pub user_id: UserId,
    pub device_no: String,
    pub name: String,
    pub brand: String,
    pub model: String,
    pub platform: Platform,
    pub last_login_at: Time,
}

/// A logged-in session. The token itself is never stored, only its digest.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub project_id: ProjectId,
    pub token_hash: String,
    pub platform: Platform,
    pub terminal_id: Option<TerminalId>,
    pub created_at: Time,
    pub last_seen_at: Time,
    pub idle_secs: i64,
    pub expires_at: Time,
}

/// A session about to be stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub user_id: UserId,
    pub project_id: ProjectId,
    pub token_hash: String,
    pub platform: Platform,
    pub terminal_id: Option<TerminalId>,
    pub created_at: Time,
    pub idle_secs: i64,
    pub expires_at: Time,
}

/// What a verification code may be used for. Seed 000's `useType` and seed
/// 001's `codeType` both map onto these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodePurpose {
    /// Register, and seed 001's code login.
    Register,
    ResetPassword,
    BindPhone,
    UnbindPhone,
    DeleteAccount,
    BindEmail,
    UnbindEmail,
    DeleteLock,
    ChangePassword,
    DeleteMerchant,
    InviteApplicant,
}

impl CodePurpose {
    pub const ALL: [CodePurpose; 11] = [
        CodePurpose::Register,
        CodePurpose::ResetPassword,
        CodePurpose::BindPhone,
        CodePurpose::UnbindPhone,
        CodePurpose::DeleteAccount,
        CodePurpose::BindEmail,
        CodePurpose::UnbindEmail,
        CodePurpose::DeleteLock,
        CodePurpose::ChangePassword,
        CodePurpose::DeleteMerchant,
        CodePurpose::InviteApplicant,
    ];

    /// The stored and logged name.
    pub fn as_str(self) -> &'static str {
        match self {
            CodePurpose::Register => "register",
            CodePurpose::ResetPassword => "reset_password",
            CodePurpose::BindPhone => "bind_phone",
            CodePurpose::UnbindPhone => "unbind_phone",
            CodePurpose::DeleteAccount => "delete_account",
            CodePurpose::BindEmail => "bind_email",
            CodePurpose::UnbindEmail => "unbind_email",
            CodePurpose::DeleteLock => "delete_lock",
            CodePurpose::ChangePassword => "change_password",
            CodePurpose::DeleteMerchant => "delete_merchant",
            CodePurpose::InviteApplicant => "invite_applicant",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Words for the message text.
    pub fn describe(self) -> &'static str {
        match self {
            CodePurpose::Register => "sign-up or login",
            CodePurpose::ResetPassword => "password reset",
            CodePurpose::BindPhone => "phone binding",
            CodePurpose::UnbindPhone => "phone change",
            CodePurpose::DeleteAccount => "account deletion",
            CodePurpose::BindEmail => "e-mail binding",
            CodePurpose::UnbindEmail => "e-mail change",
            CodePurpose::DeleteLock => "lock deletion",
            CodePurpose::ChangePassword => "password change",
            CodePurpose::DeleteMerchant => "merchant deletion",
            CodePurpose::InviteApplicant => "invitation",
        }
    }
}

/// A verification code as stored: only a salted digest of the digits.
#[derive(Debug, Clone)]
pub struct StoredCode {
    pub id: i64,
    pub project_id: ProjectId,
    pub target: String,
    pub purpose: CodePurpose,
    pub salt: String,
    pub code_hash: String,
    pub created_at: Time,
    pub expires_at: Time,
    pub attempts: i32,
}

/// A code about to be stored.
#[derive(Debug, Clone)]
pub struct NewCode {
    pub project_id: ProjectId,
    pub target: String,
    pub purpose: CodePurpose,
    pub salt: String,
    pub code_hash: String,
    pub created_at: Time,
    pub expires_at: Time,
}

/// A provisioning code handed to a device to bind it to its user.
#[derive(Debug, Clone)]
pub struct NewProvisionCode {
    pub project_id: ProjectId,
    pub user_id: UserId,
    pub kind: i32,
    pub code_hash: String,
    pub created_at: Time,
    pub expires_at: Time,
}

/// Who may use an upload ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadTicket {
    pub id: i64,
    pub project_id: ProjectId,
    pub module: String,
    /// `user:<id>` or `account:<phone or e-mail>`.
    pub owner: String,
    pub declared_size: i64,
    /// The generated file name, extension included.
    pub stored_name: String,
    pub expires_at: Time,
}

/// An upload ticket about to be stored.
#[derive(Debug, Clone)]
pub struct NewUploadTicket {
    pub project_id: ProjectId,
    pub ticket_hash: String,
    pub module: String,
    pub owner: String,
    pub declared_size: i64,
    pub stored_name: String,
    pub created_at: Time,
    pub expires_at: Time,
}
