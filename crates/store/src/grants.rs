//! Provisioning codes and upload tickets: [`GrantStore`].

use async_trait::async_trait;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};
use thingstead_core::Time;
use thingstead_core::model::{NewProvisionCode, NewUploadTicket, UploadTicket};
use thingstead_core::store::{GrantStore, StoreResult};

use crate::convert::{self, ms};
use crate::entity::{provision_code, upload_ticket};
use crate::{Db, db_err};

#[async_trait]
impl GrantStore for Db {
    async fn insert_provision_code(&self, new: NewProvisionCode) -> StoreResult<()> {
        provision_code::ActiveModel {
            id: NotSet,
            project_id: Set(new.project_id),
            user_id: Set(new.user_id),
            kind: Set(new.kind),
            code_hash: Set(new.code_hash),
            created_at: Set(ms(new.created_at)),
            expires_at: Set(ms(new.expires_at)),
            used_at: Set(None),
        }
        .insert(self.writer())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn insert_upload_ticket(&self, new: NewUploadTicket) -> StoreResult<()> {
        upload_ticket::ActiveModel {
            id: NotSet,
            project_id: Set(new.project_id),
            ticket_hash: Set(new.ticket_hash),
            module: Set(new.module),
            owner: Set(new.owner),
            declared_size: Set(new.declared_size),
            stored_name: Set(new.stored_name),
            created_at: Set(ms(new.created_at)),
            expires_at: Set(ms(new.expires_at)),
            used_at: Set(None),
        }
        .insert(self.writer())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn upload_ticket(
        &self,
        ticket_hash: &str,
        now: Time,
    ) -> StoreResult<Option<UploadTicket>> {
        upload_ticket::Entity::find()
            .filter(upload_ticket::Column::TicketHash.eq(ticket_hash))
            .filter(upload_ticket::Column::UsedAt.is_null())
            .filter(upload_ticket::Column::ExpiresAt.gt(ms(now)))
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(convert::upload_ticket)
            .transpose()
    }

    async fn take_upload_ticket(&self, id: i64) -> StoreResult<bool> {
        let taken = upload_ticket::Entity::update_many()
            .col_expr(
                upload_ticket::Column::UsedAt,
                Expr::value(ms(thingstead_core::now())),
            )
            .filter(upload_ticket::Column::Id.eq(id))
            .filter(upload_ticket::Column::UsedAt.is_null())
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(taken.rows_affected == 1)
    }
}
