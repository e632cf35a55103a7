//! Uploads: parameters with a single-use ticket, the upload itself, and
//! serving the stored file back.

use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use thingstead_core::DomainError;
use thingstead_core::uploads::{Module, Owner};
use thingstead_core::values::{Email, Phone};
use thingstead_http::{AppState, DialectJson, LooseInt};

use crate::auth::MaybeAuthed;
use crate::dto::*;
use crate::envelope::{ApiError, Envelope, Json, Result, ok};

/// The id a lock module names, which must be a positive integer.
fn positive(field: &'static str, value: Option<LooseInt>) -> std::result::Result<(), DomainError> {
    match value {
        Some(LooseInt(n)) if n > 0 => Ok(()),
        Some(_) => Err(DomainError::invalid(
            field,
            format!("{field} must be a positive integer"),
        )),
        None => Err(DomainError::required(field)),
    }
}

/// POST /v1/common/file/getUploadParams — where and how to upload one file.
#[utoipa::path(post, path = "/common/file/getUploadParams", tag = "001 lock",
    params(("Authorization" = Option<String>, Header, description = "Bearer <token>; required except for module auth")),
    request_body = UploadParamsBody, responses((status = 200, body = Envelope<UploadParams>)))]
#[tracing::instrument(skip_all)]
pub async fn upload_params(
    State(s): State<AppState>,
    MaybeAuthed(session): MaybeAuthed,
    DialectJson(body, _): Json<UploadParamsBody>,
) -> Result<Response> {
    let raw = required("module", body.module)?;
    let module = Module::parse(raw.trim()).ok_or_else(|| {
        DomainError::invalid(
            "module",
            "module must be one of auth, avatar, lock, lock_fingerprint, lock_identity_card, lock_keyboard_pwd, lock_key, app",
        )
    })?;
    let filename = required("filename", body.filename)?;
    let LooseInt(size) = required("size", body.size)?;
    let (project, owner) = if module == Module::Auth {
        let account = required("account", body.account)?;
        let account = if account.contains('@') {
            Email::parse("account", &account)?.as_str().to_owned()
        } else {
            Phone::parse("account", &account)?.as_str().to_owned()
        };
        (
            s.identity.default_project().await?.id,
            Owner::Account(account),
        )
    } else {
        let session = session.ok_or(ApiError(DomainError::Unauthenticated))?;
        match module {
            Module::Avatar => {
                let LooseInt(user_id) = required("userId", body.user_id)?;
                if user_id != session.user_id {
                    return Err(DomainError::NotFound("user").into());
                }
            }
            Module::Lock => positive("lockId", body.lock_id)?,
            Module::LockFingerprint => positive("fingerprintId", body.fingerprint_id)?,
            Module::LockIdentityCard => positive("identityCardId", body.identity_card_id)?,
            Module::LockKeyboardPwd => positive("keyboardPwdId", body.keyboard_pwd_id)?,
            Module::LockKey => positive("keyId", body.key_id)?,
            Module::App => {
                required("version", body.version.filter(|v| !v.trim().is_empty()))?;
                match body.platform.as_deref().map(str::trim) {
                    Some("ios" | "android") => {}
                    Some(_) => {
                        return Err(DomainError::invalid(
                            "platform",
                            "platform must be ios or android",
                        )
                        .into());
                    }
                    None => return Err(DomainError::required("platform").into()),
                }
            }
            Module::Auth => {}
        }
        (session.project_id, Owner::User(session.user_id))
    };
    let ticket = s
        .uploads
        .issue(project, module, owner, &filename, size)
        .await?;
    Ok(ok(UploadParams {
        upload_url: format!("{}/v1/common/file/localUpload", s.public_url),
        file_url: file_url(&s, ticket.module, &ticket.stored_name),
        form_data: FormData {
            ticket: ticket.ticket,
        },
        file_field: "file".into(),
    }))
}

fn file_url(s: &AppState, module: Module, name: &str) -> String {
    format!("{}/v1/common/file/{}/{name}", s.public_url, module.as_str())
}

/// POST /v1/common/file/localUpload — multipart form with `ticket` and `file`.
#[utoipa::path(post, path = "/common/file/localUpload", tag = "001 lock",
    request_body(content_type = "multipart/form-data", description = "fields `ticket` and `file`"),
    responses((status = 200, body = Envelope<Uploaded>)))]
#[tracing::instrument(skip_all)]
pub async fn local_upload(State(s): State<AppState>, req: Request) -> Result<Response> {
    let bad = |m: &str| ApiError(DomainError::invalid("file", m.to_owned()));
    let mut form = Multipart::from_request(req, &s)
        .await
        .map_err(|_| bad("the body must be multipart/form-data with fields ticket and file"))?;
    let cap = s
        .uploads
        .max_size(Module::App)
        .max(s.uploads.max_size(Module::Avatar)) as usize;
    let mut ticket = None;
    let mut file: Option<Vec<u8>> = None;
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|_| bad("the multipart body is malformed"))?
    {
        match field.name() {
            Some("ticket") => {
                ticket = Some(
                    field
                        .text()
                        .await
                        .map_err(|_| bad("ticket could not be read"))?,
                );
            }
            Some("file") => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|_| bad("file could not be read"))?
                {
                    if bytes.len() + chunk.len() > cap {
                        return Err(DomainError::TooLarge.into());
                    }
                    bytes.extend_from_slice(&chunk);
                }
                file = Some(bytes);
            }
            _ => {}
        }
    }
    let ticket = required("ticket", ticket)?;
    let file = required("file", file)?;
    let (module, name) = s.uploads.accept(ticket.trim(), &file).await?;
    Ok(ok(Uploaded {
        file_url: file_url(&s, module, &name),
    }))
}

/// GET /v1/common/file/{module}/{name} — an uploaded file.
#[utoipa::path(get, path = "/common/file/{module}/{name}", tag = "001 lock",
    params(("module" = String, Path), ("name" = String, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = Envelope<Object>)))]
#[tracing::instrument(skip_all)]
pub async fn file(
    State(s): State<AppState>,
    Path((module, name)): Path<(String, String)>,
) -> Result<Response> {
    let stored = s.uploads.open(&module, &name).await?;
    Ok((
        [
            (header::CONTENT_TYPE, stored.content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        stored.bytes,
    )
        .into_response())
}
