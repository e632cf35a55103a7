//! Rows to domain records and back: times as unix milliseconds, platforms
//! as their numbers, code purposes as their names.

use thingstead_core::StoreError;
use thingstead_core::Time;
use thingstead_core::model::{
    CodePurpose, Platform, Project, Session, StoredCode, Terminal, UploadTicket, User,
};
use thingstead_core::project::Tags;
use thingstead_core::project::customers::CustomerRole;
use thingstead_core::store::StoreResult;

use crate::entity::{code, customer_role, project, session, terminal, upload_ticket, user};

/// A time as stored.
pub(crate) fn ms(t: Time) -> i64 {
    t.timestamp_millis()
}

/// A stored time.
pub(crate) fn time(ms: i64) -> StoreResult<Time> {
    chrono::DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| StoreError::Backend(format!("stored time out of range: {ms}")))
}

/// A platform as stored.
pub(crate) fn platform_id(p: Platform) -> i32 {
    // The ids are 1..=4.
    p.id() as i32
}

fn platform(id: i32) -> StoreResult<Platform> {
    Platform::from_id(i64::from(id))
        .ok_or_else(|| StoreError::Backend(format!("unknown stored platform: {id}")))
}

fn purpose(name: &str) -> StoreResult<CodePurpose> {
    CodePurpose::parse(name)
        .ok_or_else(|| StoreError::Backend(format!("unknown stored code purpose: {name}")))
}

pub(crate) fn project(m: project::Model) -> StoreResult<Project> {
    Ok(Project {
        id: m.id,
        name: m.name,
        project_key: m.project_key,
        is_default: m.is_default,
        created_at: time(m.created_at)?,
        descr: m.descr,
        tags: tags(&m.tags)?,
    })
}

/// Stored tags: a JSON object of strings.
pub(crate) fn tags(text: &str) -> StoreResult<Tags> {
    serde_json::from_str(text).map_err(|e| {
        StoreError::Backend(format!("stored tags are not a JSON object of strings: {e}"))
    })
}

/// Tags as stored.
pub(crate) fn tags_text(tags: &Tags) -> String {
    serde_json::to_string(tags).unwrap_or_else(|_| "{}".to_owned())
}

pub(crate) fn user(m: user::Model) -> StoreResult<User> {
    Ok(User {
        id: m.id,
        project_id: m.project_id,
        account_no: m.account_no,
        username: m.username,
        phone: m.phone,
        country_code: m.country_code,
        email: m.email,
        nickname: m.nickname,
        head_url: m.head_url,
        password_hash: m.password_hash,
        alarm_switch: m.alarm_switch,
        created_at: time(m.created_at)?,
        last_login_at: m.last_login_at.map(time).transpose()?,
        descr: m.descr,
        tags: tags(&m.tags)?,
        role_id: m.role_id,
        locale: m.locale,
    })
}

pub(crate) fn customer_role(m: customer_role::Model) -> StoreResult<CustomerRole> {
    Ok(CustomerRole {
        id: m.id,
        project_id: m.project_id,
        name: m.name,
        descr: m.descr,
        allow_operate_device: m.allow_operate_device,
        allow_alarm_msg_maintain: m.allow_alarm_msg_maintain,
        allow_add_device: m.allow_add_device,
        created_at: time(m.created_at)?,
    })
}

pub(crate) fn session(m: session::Model) -> StoreResult<Session> {
    Ok(Session {
        id: m.id,
        user_id: m.user_id,
        project_id: m.project_id,
        token_hash: m.token_hash,
        platform: platform(m.platform)?,
        terminal_id: m.terminal_id,
        created_at: time(m.created_at)?,
        last_seen_at: time(m.last_seen_at)?,
        idle_secs: m.idle_secs,
        expires_at: time(m.expires_at)?,
    })
}

pub(crate) fn terminal(m: terminal::Model) -> StoreResult<Terminal> {
    Ok(Terminal {
        id: m.id,
        user_id: m.user_id,
        device_no: m.device_no,
        name: m.name,
        brand: m.brand,
        model: m.model,
        platform: platform(m.platform)?,
        last_login_at: time(m.last_login_at)?,
    })
}

pub(crate) fn code(m: code::Model) -> StoreResult<StoredCode> {
    Ok(StoredCode {
        id: m.id,
        project_id: m.project_id,
        target: m.target,
        purpose: purpose(&m.purpose)?,
        salt: m.salt,
        code_hash: m.code_hash,
        created_at: time(m.created_at)?,
        expires_at: time(m.expires_at)?,
        attempts: m.attempts,
    })
}

pub(crate) fn upload_ticket(m: upload_ticket::Model) -> StoreResult<UploadTicket> {
    Ok(UploadTicket {
        id: m.id,
        project_id: m.project_id,
        module: m.module,
        owner: m.owner,
        declared_size: m.declared_size,
        stored_name: m.stored_name,
        expires_at: time(m.expires_at)?,
    })
}

/// Converts every row, failing on the first bad one.
pub(crate) fn all<M, T>(rows: Vec<M>, f: fn(M) -> StoreResult<T>) -> StoreResult<Vec<T>> {
    rows.into_iter().map(f).collect()
}
