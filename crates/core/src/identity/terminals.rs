//! The phones and PCs an account has logged in from (seed 001).

use super::Identity;
use crate::error::{DomainError, Result};
use crate::model::{Session, Terminal, TerminalId};

impl Identity {
    /// The account's terminals, most recent login first.
    pub async fn terminals(&self, session: &Session) -> Result<Vec<Terminal>> {
        let mut list = self.store().terminals(session.user_id).await?;
        list.sort_by(|a, b| b.last_login_at.cmp(&a.last_login_at).then(b.id.cmp(&a.id)));
        Ok(list)
    }

    /// Forgets a terminal and ends every session opened from it. Another
    /// account's terminal answers like a missing one.
    pub async fn unbind_terminal(&self, session: &Session, id: TerminalId) -> Result<()> {
        if self.store().delete_terminal(session.user_id, id).await? {
            self.forget_sessions_of(session.user_id);
            Ok(())
        } else {
            Err(DomainError::NotFound("terminal"))
        }
    }
}
