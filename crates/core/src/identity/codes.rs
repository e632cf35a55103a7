//! Verification codes: sending with throttles, and spending.

use chrono::Duration;

use super::Identity;
use crate::error::{DomainError, Result};
use crate::model::{CodePurpose, NewCode, ProjectId, Session};
use crate::notify::{Channel, Message};
use crate::values::{Code, CountryCode, Phone, Target};
use crate::{now, secret};

/// A request to send a verification code.
#[derive(Debug, Clone)]
pub struct CodeRequest {
    pub project: ProjectId,
    pub target: Target,
    pub country_code: CountryCode,
    pub purpose: CodePurpose,
    /// The client's network address, for the per-address throttle.
    pub client_addr: String,
}

impl Identity {
    /// Sends a fresh 6-digit code to the target. Answers the same whether
    /// or not an account exists there. A throttled request answers
    /// [`DomainError::TooManyRequests`]; a provider failure answers
    /// [`DomainError::Provider`] and leaves earlier codes and the throttles
    /// as they were.
    #[tracing::instrument(skip(self, req), fields(purpose = req.purpose.as_str(), channel = req.target.channel().as_str()))]
    pub async fn send_code(&self, req: CodeRequest) -> Result<()> {
        let store = self.store();
        let policy = self.policy();
        let now = now();
        let target = req.target.key();

        if let Some(last) = store.last_send(req.project, &target).await?
            && now - last < policy.code_send_interval
        {
            return Err(DomainError::TooManyRequests);
        }
        if store
            .count_sends(req.project, &target, now - Duration::days(1))
            .await?
            >= policy.code_sends_per_day
        {
            return Err(DomainError::TooManyRequests);
        }
        if store
            .count_sends_from(&req.client_addr, now - Duration::hours(1))
            .await?
            >= policy.code_sends_per_address_hour
        {
            return Err(DomainError::TooManyRequests);
        }
        let send_id = store
            .record_send(req.project, &target, &req.client_addr, now)
            .await?;

        let code = secret::digits(6);
        let minutes = policy.code_ttl.num_minutes().max(1);
        let message = Message {
            channel: req.target.channel(),
            to: req.target.address().to_owned(),
            country_code: req.country_code.as_str().to_owned(),
            purpose: req.purpose,
            text: format!(
                "Your {} verification code is {code}. It is valid for {minutes} minutes. Do not share it.",
                req.purpose.describe()
            ),
            code,
        };
        if let Err(e) = self.sender(message.channel).send(&message).await {
            tracing::warn!(error = %e, "message provider failed");
            store.delete_send(send_id).await?;
            return Err(DomainError::Provider);
        }
        let salt = secret::hex_token(8);
        store
            .replace_code(NewCode {
                project_id: req.project,
                target,
                purpose: req.purpose,
                code_hash: code_hash(&salt, &message.code),
                salt,
                created_at: now,
                expires_at: now + policy.code_ttl,
            })
            .await?;
        Ok(())
    }

    /// Sends a code to the logged-in account's own phone (`Channel::Sms`) or
    /// e-mail address (`Channel::Email`).
    pub async fn send_code_to_self(
        &self,
        session: &Session,
        channel: Channel,
        purpose: CodePurpose,
        client_addr: String,
    ) -> Result<()> {
        let user = self.user(session).await?;
        let country_code =
            CountryCode::parse("countryCode", &user.country_code).unwrap_or_default();
        let target = match channel {
            Channel::Sms => user
                .phone
                .as_deref()
                .map(|p| Phone::parse("phone", p).map(Target::Phone))
                .ok_or_else(|| {
                    DomainError::invalid("channel", "the account has no phone number")
                })??,
            Channel::Email => user
                .email
                .as_deref()
                .map(|e| crate::values::Email::parse("email", e).map(Target::Email))
                .ok_or_else(|| {
                    DomainError::invalid("channel", "the account has no e-mail address")
                })??,
        };
        self.send_code(CodeRequest {
            project: session.project_id,
            target,
            country_code,
            purpose,
            client_addr,
        })
        .await
    }

    /// Spends the live code for `target` with one of `purposes` if `code`
    /// matches it. A mismatch counts a wrong try; the fifth kills the code.
    pub(crate) async fn spend_code(
        &self,
        project: ProjectId,
        target: &Target,
        purposes: &[CodePurpose],
        code: &Code,
    ) -> Result<()> {
        let store = self.store();
        let live = store
            .live_code(
                project,
                &target.key(),
                purposes,
                now(),
                self.policy().code_max_attempts,
            )
            .await?
            .ok_or(DomainError::WrongCode)?;
        if !secret::equal(&code_hash(&live.salt, code.expose()), &live.code_hash) {
            store.fail_code(live.id).await?;
            return Err(DomainError::WrongCode);
        }
        if !store.spend_code(live.id).await? {
            return Err(DomainError::WrongCode);
        }
        Ok(())
    }
}

fn code_hash(salt: &str, code: &str) -> String {
    secret::digest(&["code", salt, code])
}
