//! Device inserts, grouped: requests that arrive while others are being
//! written wait in a queue, and the next writer takes all of them into one
//! statement (one commit, one round trip to the single SQLite writer)
//! instead of one each.
//!
//! The statement inserts each device with its type looked up in the same
//! statement (the given type if it is the project's, or the project's
//! default), and skips, instead of failing on, a device that would break a
//! unique index. A device it did not insert is then inserted alone, the
//! way a single device always is, so that what it answers (no such type, a
//! default type to create, `Conflict("device_key")`) is the same as if it
//! had come alone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, FromQueryResult};
use thingstead_core::StoreError;
use thingstead_core::project::devices::{Device, NewDevice, TypeChoice};
use thingstead_core::store::StoreResult;
use tokio::sync::oneshot;

use super::convert::{self, tags_json};
use crate::convert::ms;
use crate::entity::{device, device_type};
use crate::{Db, db_err};

/// Devices one statement inserts at most.
const MAX_BATCH: usize = 64;

/// A device waiting to be inserted, and where its answer goes.
struct Pending {
    new: NewDevice,
    choice: TypeChoice,
    done: oneshot::Sender<StoreResult<Option<Device>>>,
}

/// The queue of device inserts of one database, shared by its handles.
#[derive(Default)]
pub(crate) struct DeviceInserts {
    queue: Mutex<Vec<Pending>>,
    /// Held by whoever writes a batch.
    writer: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for DeviceInserts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceInserts").finish_non_exhaustive()
    }
}

impl DeviceInserts {
    fn push(&self, pending: Pending) -> StoreResult<()> {
        self.queue
            .lock()
            .map_err(|_| StoreError::Backend("device insert queue poisoned".into()))?
            .push(pending);
        Ok(())
    }

    /// Up to [`MAX_BATCH`] of the oldest waiting inserts. Those whose
    /// caller went away are dropped, as a request ended before its insert.
    fn take(&self) -> Vec<Pending> {
        let Ok(mut queue) = self.queue.lock() else {
            return Vec::new();
        };
        queue.retain(|p| !p.done.is_closed());
        let n = queue.len().min(MAX_BATCH);
        queue.drain(..n).collect()
    }
}

fn lost() -> StoreError {
    StoreError::Backend("device insert lost".into())
}

/// One device's row: its values with the type found in `device_types`, or
/// no row when the project has no such type (or no default yet).
fn row(new: &NewDevice, choice: &TypeChoice) -> SelectStatement {
    use device_type::Column as T;
    let type_id = Expr::col((device_type::Entity, T::Id));
    let mut q = Query::select();
    q.exprs([
        Expr::val(new.project_id),
        type_id.clone(),
        Expr::val(new.name.as_str()),
        Expr::val(new.descr.as_str()),
        Expr::val(new.device_key.as_str()),
        Expr::val(tags_json(&new.tags)),
        Expr::val(new.access_token.as_str()),
        Expr::val(new.view_token.as_str()),
        Expr::val(new.device_code.as_str()),
        Expr::val(ms(new.created_at)),
    ])
    .from(device_type::Entity)
    .and_where(Expr::col((device_type::Entity, T::ProjectId)).eq(new.project_id));
    match choice {
        TypeChoice::Given(id) => q.and_where(type_id.eq(*id)),
        TypeChoice::Default(_) => {
            q.and_where(Expr::col((device_type::Entity, T::IsDefault)).eq(true))
        }
    };
    q
}

/// Inserts the rows the batch can have, in one statement; answers the
/// devices inserted, by access token.
async fn insert_rows(
    conn: &impl ConnectionTrait,
    batch: &[Pending],
) -> StoreResult<HashMap<String, Device>> {
    use device::Column as C;
    let mut rows = batch.iter().map(|p| row(&p.new, &p.choice));
    let Some(mut select) = rows.next() else {
        return Ok(HashMap::new());
    };
    for more in rows {
        select.union(UnionType::All, more);
    }
    let mut insert = Query::insert();
    insert
        .into_table(device::Entity)
        .columns([
            C::ProjectId,
            C::TypeId,
            C::Name,
            C::Descr,
            C::DeviceKey,
            C::Tags,
            C::AccessToken,
            C::ViewToken,
            C::DeviceCode,
            C::CreatedAt,
        ])
        .select_from(select)
        .map_err(|e| StoreError::Backend(e.to_string()))?
        // Skipped rows are inserted alone afterwards, for their answer.
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .returning_all();
    let mut inserted = HashMap::with_capacity(batch.len());
    for row in conn.query_all(&insert).await.map_err(db_err)? {
        let model = device::Model::from_query_result(&row, "").map_err(db_err)?;
        let device = convert::device(model)?;
        inserted.insert(device.access_token.clone(), device);
    }
    Ok(inserted)
}

impl Db {
    /// Queues the insert and waits for its answer, writing the queue if
    /// nobody else is.
    pub(super) async fn add_device(
        &self,
        new: NewDevice,
        choice: TypeChoice,
    ) -> StoreResult<Option<Device>> {
        let inserts = self.device_inserts().clone();
        let (done, mut answer) = oneshot::channel();
        inserts.push(Pending { new, choice, done })?;
        loop {
            let writer = tokio::select! {
                biased;
                answer = &mut answer => return answer.unwrap_or_else(|_| Err(lost())),
                writer = inserts.writer.clone().lock_owned() => writer,
            };
            let mut batch = inserts.take();
            if batch.is_empty() {
                // Another writer took this insert; its answer is on the way.
                continue;
            }
            // The queue is written in a task of its own until it is empty,
            // so that a caller going away leaves neither the others' inserts
            // half-done nor any waiting.
            let (db, inserts) = (self.clone(), inserts.clone());
            tokio::spawn(async move {
                while !batch.is_empty() {
                    db.insert_batch(batch).await;
                    batch = inserts.take();
                }
                drop(writer);
            });
        }
    }

    async fn insert_batch(&self, batch: Vec<Pending>) {
        // On failure (e.g. a type deleted meanwhile) each is inserted alone,
        // for its own answer.
        let mut inserted = insert_rows(self.writer(), &batch).await.unwrap_or_default();
        for p in batch {
            let answer = match inserted.remove(&p.new.access_token) {
                Some(device) => Ok(Some(device)),
                None => self.add_device_alone(p.new, p.choice).await,
            };
            let _ = p.done.send(answer);
        }
    }
}
