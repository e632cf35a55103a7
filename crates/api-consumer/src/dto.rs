//! Seed 000 request and response bodies, field names as the document has them.

use serde::{Deserialize, Serialize};
use thingstead_core::DomainError;
use thingstead_http::{LooseInt, LooseString};
use utoipa::{IntoParams, ToSchema};

/// `POST /user/customer/user/reset/password`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResetPasswordBody {
    pub client_key: Option<String>,
    pub phone: Option<String>,
    /// The new password, as the client digests it.
    pub new_password: Option<String>,
    /// The code sent with `useType` 3 (or 2).
    #[schema(value_type = Option<String>)]
    pub validate_code: Option<LooseString>,
    /// Always 1.
    #[schema(value_type = Option<i64>)]
    pub register_type: Option<LooseInt>,
}

/// `POST /user/customer/user/register`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterBody {
    pub client_key: Option<String>,
    /// Region, `CN`.
    pub country: Option<String>,
    /// Always 1.
    #[schema(value_type = Option<i64>)]
    pub register_type: Option<LooseInt>,
    pub phone: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The code sent with `useType` 1.
    #[schema(value_type = Option<String>)]
    pub verify_code: Option<LooseString>,
}

/// `GET /user/sms/customer/user/phone/sms/code`
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SendCodeQuery {
    pub client_key: Option<String>,
    pub phone: Option<String>,
    /// 1 register, 2 change password, 3 reset password.
    #[param(value_type = Option<i64>)]
    pub use_type: Option<LooseInt>,
}

/// `POST /user/customer/user/login` (extension)
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginBody {
    pub client_key: Option<String>,
    /// Phone number; or give `username`.
    pub phone: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
}

/// The token of a new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenData {
    /// Send it as the `token` header.
    pub token: String,
}

/// `data` of `GET /user/customer/user/detail`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserDetail {
    pub id: i64,
    pub tenant_id: i64,
    pub username: String,
    pub nick_name: String,
    pub phone: String,
    /// `yyyy-MM-dd HH:mm:ss`, in the configured display offset.
    pub create_time: String,
}

/// `PUT /user/user/property/alarm-switch`
#[derive(Debug, Deserialize, ToSchema)]
pub struct AlarmSwitchBody {
    /// `on` or `off`.
    pub value: Option<String>,
}

/// `PUT /user/customer/user/update`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateBody {
    pub nick_name: Option<String>,
}

/// `POST /user/customer/user/provision`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionBody {
    /// 1: onboard a device (the code is shown as a QR code).
    #[schema(value_type = Option<i64>)]
    pub provision_type: Option<LooseInt>,
}

/// The value of a required field, or `"<field> is required"`.
pub fn required<T>(field: &'static str, value: Option<T>) -> Result<T, DomainError> {
    value.ok_or_else(|| DomainError::required(field))
}

/// `registerType` is fixed to 1 when given.
pub fn check_register_type(value: Option<LooseInt>) -> Result<(), DomainError> {
    match value {
        None | Some(LooseInt(1)) => Ok(()),
        Some(_) => Err(DomainError::invalid(
            "registerType",
            "registerType must be 1",
        )),
    }
}
