//! Seed 001 request and response bodies, field names as the document has them.

use serde::{Deserialize, Serialize};
use thingstead_core::DomainError;
use thingstead_core::model::{CodePurpose, Platform, TerminalInfo};
use thingstead_core::notify::Channel;
use thingstead_core::values::Code;
use thingstead_http::{LooseInt, LooseString};
use utoipa::ToSchema;

/// `POST /v1/common/file/getUploadParams`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UploadParamsBody {
    /// auth, lock_fingerprint, lock_identity_card, lock_keyboard_pwd, lock, lock_key, avatar, app
    pub module: Option<String>,
    /// module=auth: phone number or e-mail.
    pub account: Option<String>,
    /// module=avatar: the logged-in user's id.
    #[schema(value_type = Option<i64>)]
    pub user_id: Option<LooseInt>,
    #[schema(value_type = Option<i64>)]
    pub lock_id: Option<LooseInt>,
    #[schema(value_type = Option<i64>)]
    pub fingerprint_id: Option<LooseInt>,
    #[schema(value_type = Option<i64>)]
    pub identity_card_id: Option<LooseInt>,
    #[schema(value_type = Option<i64>)]
    pub keyboard_pwd_id: Option<LooseInt>,
    #[schema(value_type = Option<i64>)]
    pub key_id: Option<LooseInt>,
    /// module=app: the app version.
    pub version: Option<String>,
    /// module=app: `ios` or `android`.
    pub platform: Option<String>,
    pub filename: Option<String>,
    /// File size in bytes.
    #[schema(value_type = Option<i64>)]
    pub size: Option<LooseInt>,
}

/// What the client needs to upload one file.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UploadParams {
    /// This server's `/v1/common/file/localUpload`.
    pub upload_url: String,
    /// Where the file is served once uploaded.
    pub file_url: String,
    /// Form fields to send with the file: the single-use `ticket`.
    pub form_data: FormData,
    /// The form field that carries the file: `file`.
    pub file_field: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FormData {
    pub ticket: String,
}

/// The answer of `localUpload`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Uploaded {
    pub file_url: String,
}

/// `POST /v1/common/sendValidationCode`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendCodeBody {
    /// Default `+86`.
    pub country_code: Option<String>,
    /// Phone number (channel 1) or e-mail address (channel 2).
    pub account: Option<String>,
    /// 1 SMS, 2 e-mail.
    #[schema(value_type = Option<String>)]
    pub channel: Option<LooseString>,
    /// 1..11, see the document.
    #[schema(value_type = Option<String>)]
    pub code_type: Option<LooseString>,
    /// Accepted and ignored unless a captcha is configured.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub captcha: Option<serde_json::Value>,
}

/// `POST /v1/common/sendValidationCodeAuth`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendCodeAuthBody {
    #[schema(value_type = Option<String>)]
    pub channel: Option<LooseString>,
    #[schema(value_type = Option<String>)]
    pub code_type: Option<LooseString>,
}

/// `data` of the code endpoints.
#[derive(Debug, Serialize, ToSchema)]
pub struct SendResult {
    /// `success`.
    pub res: String,
}

/// `deviceInfo`: the phone or PC logging in.
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInfo {
    pub device_no: Option<String>,
    pub device_name: Option<String>,
    pub device_brand: Option<String>,
    pub device_model: Option<String>,
}

/// `POST /v1/user/pwdLogin`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PwdLoginBody {
    /// 1 web, 2 app, 3 mini program, 4 PC.
    #[schema(value_type = Option<i64>)]
    pub plat_id: Option<LooseInt>,
    /// Phone number (or e-mail address, or user name).
    pub username: Option<String>,
    pub password: Option<String>,
    pub device_info: Option<DeviceInfo>,
}

/// `POST /v1/user/codeLogin`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CodeLoginBody {
    #[schema(value_type = Option<i64>)]
    pub plat_id: Option<LooseInt>,
    pub phone: Option<String>,
    /// Default `+86`.
    pub country_code: Option<String>,
    /// A code of codeType 1.
    #[schema(value_type = Option<String>)]
    pub verification_code: Option<LooseString>,
    pub device_info: Option<DeviceInfo>,
}

/// The token of a new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenData {
    /// Send it as `Authorization: Bearer <token>`.
    pub token: String,
}

/// `POST /v1/user/resetPassword`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResetPasswordBody {
    pub country_code: Option<String>,
    /// Phone number, or the e-mail address the code went to.
    pub account: Option<String>,
    /// A code of codeType 2.
    #[schema(value_type = Option<i64>)]
    pub verification_code: Option<LooseString>,
    pub new_password: Option<String>,
}

/// `POST /v1/user/changePassword`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordBody {
    /// A code of codeType 9 sent to the account's own phone.
    #[schema(value_type = Option<i64>)]
    pub verification_code: Option<LooseString>,
    pub password: Option<String>,
}

/// `POST /v1/user/updateUserInfo`: name and avatar, or a new phone with a
/// code of codeType 3 sent to it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUserInfoBody {
    pub head_url: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub country_code: Option<String>,
    #[schema(value_type = Option<String>)]
    pub verification_code: Option<LooseString>,
}

/// `data` of `POST /v1/user/detail`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserDetail {
    pub id: i64,
    pub account_no: String,
    pub country_code: String,
    pub phone: String,
    pub nickname: String,
    pub head_url: String,
    /// `YYYY-MM-DD HH:MM:SS`
    pub created_at: String,
    /// `YYYY-MM-DD HH:MM:SS`, empty before the first login.
    pub last_login_time: String,
    pub current_team_no: String,
    /// Teams are not part of this service: always empty.
    #[schema(value_type = Vec<Object>)]
    pub team_list: Vec<serde_json::Value>,
}

/// `POST /v1/user/getBindMobileDevice`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BindDevicesBody {
    /// Listed first when given.
    pub current_device_no: Option<String>,
}

/// One terminal.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MobileDevice {
    pub id: i64,
    pub device_no: String,
    pub device_name: String,
    pub plat_id: i64,
    pub last_login_time: String,
}

/// `POST /v1/user/unbindMobileDevice`
#[derive(Debug, Deserialize, ToSchema)]
pub struct UnbindDeviceBody {
    #[schema(value_type = Option<i64>)]
    pub id: Option<LooseInt>,
}

/// The value of a required field, or `"<field> is required"`.
pub fn required<T>(field: &'static str, value: Option<T>) -> Result<T, DomainError> {
    value.ok_or_else(|| DomainError::required(field))
}

/// A required `platId`.
pub fn platform(value: Option<LooseInt>) -> Result<Platform, DomainError> {
    let LooseInt(id) = required("platId", value)?;
    Platform::from_id(id)
        .ok_or_else(|| DomainError::invalid("platId", "platId must be 1, 2, 3 or 4"))
}

/// A required code field.
pub fn code(field: &'static str, value: Option<LooseString>) -> Result<Code, DomainError> {
    Code::parse(field, required(field, value)?.as_str())
}

/// `channel`: 1 SMS, 2 e-mail.
pub fn channel(value: Option<LooseString>) -> Result<Channel, DomainError> {
    match required("channel", value)?.as_str().trim() {
        "1" => Ok(Channel::Sms),
        "2" => Ok(Channel::Email),
        _ => Err(DomainError::invalid(
            "channel",
            "channel must be 1 (SMS) or 2 (e-mail)",
        )),
    }
}

/// `codeType` 1..11 in the document's order.
pub fn code_type(value: Option<LooseString>) -> Result<CodePurpose, DomainError> {
    let raw = required("codeType", value)?;
    raw.as_str()
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| CodePurpose::ALL.get(i).copied())
        .ok_or_else(|| DomainError::invalid("codeType", "codeType must be a number from 1 to 11"))
}

/// `deviceInfo`, when it names a device (`deviceNo`); `{}` counts as absent.
pub fn terminal(info: Option<DeviceInfo>) -> Result<Option<TerminalInfo>, DomainError> {
    let Some(info) = info else { return Ok(None) };
    let Some(device_no) = info
        .device_no
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
    else {
        return Ok(None);
    };
    if device_no.chars().count() > 128 {
        return Err(DomainError::invalid(
            "deviceInfo.deviceNo",
            "deviceInfo.deviceNo must be at most 128 characters",
        ));
    }
    let clip = |v: Option<String>| v.unwrap_or_default().chars().take(128).collect::<String>();
    Ok(Some(TerminalInfo {
        device_no,
        name: clip(info.device_name),
        brand: clip(info.device_brand),
        model: clip(info.device_model),
    }))
}
