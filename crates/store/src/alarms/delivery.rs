//! Notification delivery: claiming due notifications, recording attempts.

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, Order, QueryFilter};
use thingstead_core::Time;
use thingstead_core::alarms::{Attempt, Notification};
use thingstead_core::store::StoreResult;

use super::convert;
use crate::convert::ms;
use crate::entity::{alarm_notification, alarm_notify_attempt};
use crate::{Db, db_err};

/// A notification waiting for (another) attempt.
pub(super) const PENDING: &str = "pending";
/// A notification delivered.
const SENT: &str = "sent";
/// A notification given up on.
const FAILED: &str = "failed";

impl Db {
    /// A read finds whether anything is due; then one statement on both
    /// backends: `UPDATE … WHERE id IN (SELECT …
    /// FOR UPDATE SKIP LOCKED) RETURNING …`. On PostgreSQL the row locks
    /// let several processes claim at once without taking the same rows;
    /// SQLite has one writer (and no row locks, so the clause is left out).
    pub(crate) async fn alarm_claim(
        &self,
        now: Time,
        hold_until: Time,
        limit: u64,
    ) -> StoreResult<Vec<Notification>> {
        use alarm_notification::Column as C;
        if limit == 0 {
            return Ok(Vec::new());
        }
        let now = ms(now);
        let due = Condition::all()
            .add(C::State.eq(PENDING))
            .add(C::DueAt.lte(now))
            .add(
                Condition::any()
                    .add(C::HeldUntil.is_null())
                    .add(C::HeldUntil.lt(now)),
            );
        // Nothing due is the common case: asked of a reader, so that the
        // idle poll never waits for (or holds) SQLite's one writer.
        let any_due = alarm_notification::Entity::find()
            .filter(due.clone())
            .one(self.reader())
            .await
            .map_err(db_err)?;
        if any_due.is_none() {
            return Ok(Vec::new());
        }
        let ids = Query::select()
            .column(C::Id)
            .from(alarm_notification::Entity)
            .cond_where(due)
            .order_by(C::DueAt, Order::Asc)
            .order_by(C::Id, Order::Asc)
            .limit(Ord::min(limit, i64::MAX as u64))
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .take();
        let mut rows = alarm_notification::Entity::update_many()
            .col_expr(C::HeldUntil, Expr::value(Some(ms(hold_until))))
            .filter(C::Id.in_subquery(ids))
            .exec_with_returning(self.writer())
            .await
            .map_err(db_err)?;
        rows.sort_by_key(|n| (n.due_at, n.id));
        rows.into_iter().map(convert::notification).collect()
    }

    pub(crate) async fn alarm_record_attempt(&self, attempt: &Attempt) -> StoreResult<()> {
        use alarm_notification::Column as C;
        let number = i32::try_from(attempt.attempt).unwrap_or(i32::MAX);
        let txn = self.begin().await?;
        alarm_notify_attempt::Entity::insert(alarm_notify_attempt::ActiveModel {
            id: NotSet,
            notification_id: Set(attempt.notification_id),
            alarm_id: Set(attempt.alarm_id),
            attempt: Set(number),
            ok: Set(attempt.ok),
            error: Set(attempt.error.clone()),
            at: Set(ms(attempt.at)),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        let mut update = alarm_notification::Entity::update_many()
            .col_expr(C::Attempts, Expr::value(number))
            .col_expr(C::HeldUntil, Expr::value(Option::<i64>::None));
        update = match (attempt.ok, attempt.retry_at) {
            (true, _) => update.col_expr(C::State, Expr::value(SENT)),
            (false, Some(retry)) => update
                .col_expr(C::State, Expr::value(PENDING))
                .col_expr(C::DueAt, Expr::value(ms(retry))),
            (false, None) => update.col_expr(C::State, Expr::value(FAILED)),
        };
        update
            .filter(C::Id.eq(attempt.notification_id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }
}
