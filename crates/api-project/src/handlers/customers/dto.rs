//! Request and response bodies of customers and roles, field names as seed
//! 003 has them. Ids are strings and times unix milliseconds.

use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use serde::{Deserialize, Serialize};
use thingstead_core::DomainError;
use thingstead_core::project::Tags;
use thingstead_core::project::customers::{Customer, CustomerRole};
use thingstead_http::{LooseInt, LooseString};
use utoipa::ToSchema;

/// `GET /api/v1/customers` query.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ListQuery {
    /// Optional page number from 1, 20 customers a page; without it every
    /// customer is listed.
    #[schema(value_type = Option<i64>)]
    pub page: Option<LooseInt>,
}

/// `POST /api/v1/customer`
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCustomerBody {
    /// Required: display name.
    pub name: Option<String>,
    /// Required: login name, 2 to 64 characters without spaces.
    #[schema(value_type = Option<String>)]
    pub account: Option<LooseString>,
    /// Required: login password, 6 to 128 characters.
    #[schema(value_type = Option<String>)]
    pub password: Option<LooseString>,
    pub descr: Option<String>,
    pub email: Option<String>,
    #[schema(value_type = Option<String>)]
    pub mobile: Option<LooseString>,
    pub tags: Option<Tags>,
    /// Extension: a role of the project.
    #[schema(value_type = Option<String>)]
    pub role_id: Option<LooseString>,
}

/// `PUT /api/v1/customer/{customer_id}/info`: at least one field.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CustomerInfoBody {
    pub name: Option<String>,
    pub descr: Option<String>,
    /// `""` removes the e-mail address.
    pub email: Option<String>,
    /// `""` removes the mobile.
    #[schema(value_type = Option<String>)]
    pub mobile: Option<LooseString>,
    /// Extension: a role of the project; `""` removes the role.
    #[schema(value_type = Option<String>)]
    pub role_id: Option<LooseString>,
    /// Extension: such as `zh-CN` or `en`.
    pub locale: Option<String>,
}

/// `PUT /api/v1/customer/{customer_id}/pwd`
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordBody {
    #[schema(value_type = Option<String>)]
    pub password: Option<LooseString>,
}

/// `PUT /api/v1/customer/{customer_id}/tags`
#[derive(Debug, Deserialize, ToSchema)]
pub struct TagsBody {
    /// Keys to add or overwrite; other keys stay.
    pub tags: Option<Tags>,
}

/// `POST /api/v1/customer_auth`
#[derive(Debug, Deserialize, ToSchema)]
pub struct AuthBody {
    /// Account, mobile or e-mail.
    #[schema(value_type = Option<String>)]
    pub account: Option<LooseString>,
    #[schema(value_type = Option<String>)]
    pub password: Option<LooseString>,
}

/// `POST /api/v1/customer_role` (extension).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateRoleBody {
    /// Required.
    pub name: Option<String>,
    pub descr: Option<String>,
    /// Default false.
    pub allow_operate_device: Option<bool>,
    /// Default false.
    pub allow_alarm_msg_maintain: Option<bool>,
    /// Default false.
    pub allow_add_device: Option<bool>,
}

/// `PUT /api/v1/customer_role/{role_id}` (extension): at least one field.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateRoleBody {
    pub name: Option<String>,
    pub descr: Option<String>,
    pub allow_operate_device: Option<bool>,
    pub allow_alarm_msg_maintain: Option<bool>,
    pub allow_add_device: Option<bool>,
}

/// A customer as listed and read.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerInfo {
    pub id: String,
    /// The login name; the mobile for an app user that registered without one.
    pub account: String,
    pub name: String,
    pub descr: String,
    /// `""` without a role.
    pub role_id: String,
    /// `""` when none.
    pub email: String,
    /// `""` when none.
    pub mobile: String,
    pub tags: Tags,
    pub locale: String,
    pub create_time: i64,
    pub count: CustomerCount,
}

/// Counters of a customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerCount {
    pub device_count: u64,
}

/// `GET /api/v1/customers` answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerList {
    pub items: Vec<CustomerInfo>,
    /// Only with `page`: every customer of the project.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// Only with `page`: pages of 20.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_total: Option<u64>,
}

/// A role as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleInfo {
    pub id: String,
    pub name: String,
    pub descr: String,
    pub allow_operate_device: bool,
    pub allow_alarm_msg_maintain: bool,
    pub allow_add_device: bool,
    pub create_time: i64,
    pub customer_count: u64,
}

/// `GET /api/v1/customer_roles` answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    pub items: Vec<RoleInfo>,
}

/// `{id, name}` of a created customer or role, or of a checked customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct IdName {
    pub id: String,
    pub name: String,
}

/// `{}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Empty {}

impl From<Customer> for CustomerInfo {
    fn from(c: Customer) -> Self {
        let u = c.user;
        CustomerInfo {
            id: u.id.to_string(),
            account: u.username.or_else(|| u.phone.clone()).unwrap_or_default(),
            name: u.nickname,
            descr: u.descr,
            role_id: u.role_id.map(|r| r.to_string()).unwrap_or_default(),
            email: u.email.unwrap_or_default(),
            mobile: u.phone.unwrap_or_default(),
            tags: u.tags,
            locale: u.locale,
            create_time: u.created_at.timestamp_millis(),
            count: CustomerCount {
                device_count: c.device_count,
            },
        }
    }
}

impl From<(CustomerRole, u64)> for RoleInfo {
    fn from((r, customer_count): (CustomerRole, u64)) -> Self {
        RoleInfo {
            id: r.id.to_string(),
            name: r.name,
            descr: r.descr,
            allow_operate_device: r.allow_operate_device,
            allow_alarm_msg_maintain: r.allow_alarm_msg_maintain,
            allow_add_device: r.allow_add_device,
            create_time: r.created_at.timestamp_millis(),
            customer_count,
        }
    }
}

/// A required field.
pub fn required<T>(field: &'static str, value: Option<T>) -> Result<T, DomainError> {
    value.ok_or_else(|| DomainError::required(field))
}

/// An optional text field; `""` (after trimming) counts as absent.
pub fn given(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

/// An id as sent; anything that is not a positive number names nothing,
/// and answers `NotFound(what)` like an id that does not exist.
pub fn id(what: &'static str, raw: &str) -> Result<i64, DomainError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(DomainError::NotFound(what))
}

/// The id in the path.
pub fn path_id(
    what: &'static str,
    path: Result<Path<String>, PathRejection>,
) -> Result<i64, DomainError> {
    match path {
        Ok(Path(raw)) => id(what, &raw),
        Err(_) => Err(DomainError::NotFound(what)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_name_nothing_are_not_found() {
        assert_eq!(id("customer", " 12 ").ok(), Some(12));
        for raw in ["", "x", "0", "-3", "1.5", "99999999999999999999"] {
            assert!(matches!(
                id("customer", raw),
                Err(DomainError::NotFound("customer"))
            ));
        }
    }
}
