//! sea-orm entities, one per table. Times are unix milliseconds.

pub mod admin;
pub mod api_app;
pub mod auth_failure;
pub mod binding;
pub mod code;
pub mod code_send;
pub mod customer_role;
pub mod device;
pub mod device_group;
pub mod device_group_member;
pub mod device_info_value;
pub mod device_standard_info;
pub mod device_type;
pub mod device_type_info;
pub mod login_failure;
pub mod mobile_app;
pub mod project;
pub mod project_token;
pub mod provision_code;
pub mod session;
pub mod terminal;
pub mod upload_ticket;
pub mod user;
