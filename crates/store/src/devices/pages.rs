//! Lists of a project's devices by id, read without counting every match
//! and without walking to a deep offset: the marks of a list (every
//! `stride`-th matching id, and how many match), and pages read from a mark.

use sea_orm::sea_query::{
    CommonTableExpression, Expr, ExprTrait, Order, Query, SelectStatement, SubQueryStatement,
    UnionType, WithClause,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use thingstead_core::model::ProjectId;
use thingstead_core::project::devices::{DeviceFilter, DeviceId, DeviceMarks, DeviceView};
use thingstead_core::store::StoreResult;

use super::rows::view;
use crate::entity::{device, device_group_member, device_type};
use crate::{Db, db_err};

/// The recursive table of marks and its one column.
const MARKS: &str = "marks";
const MARK_ID: &str = "id";

/// The ids of the project's devices matching the filter: the query, without
/// a select list, and the id column to select, count and order by. A group
/// alone is answered from the membership index (memberships only ever join
/// a device and a group of the same project).
fn matching_ids(project: ProjectId, filter: DeviceFilter) -> (SelectStatement, Expr) {
    let member_device = Expr::col((
        device_group_member::Entity,
        device_group_member::Column::DeviceId,
    ));
    let member_group = Expr::col((
        device_group_member::Entity,
        device_group_member::Column::GroupId,
    ));
    if let (None, Some(g)) = (filter.type_id, filter.group_id) {
        let mut q = Query::select();
        q.from(device_group_member::Entity)
            .and_where(member_group.eq(g));
        return (q, member_device);
    }
    let device_id = Expr::col((device::Entity, device::Column::Id));
    let mut q = Query::select();
    q.from(device::Entity)
        .and_where(Expr::col((device::Entity, device::Column::ProjectId)).eq(project));
    if let Some(t) = filter.type_id {
        q.and_where(Expr::col((device::Entity, device::Column::TypeId)).eq(t));
    }
    if let Some(g) = filter.group_id {
        q.inner_join(
            device_group_member::Entity,
            member_device
                .clone()
                .equals((device::Entity, device::Column::Id)),
        )
        .and_where(member_group.eq(g));
        return (q, member_device);
    }
    (q, device_id)
}

/// Up to `limit` matching ids from `from` on (all when `None`), by id,
/// after skipping `skip` of them: an index walk only.
fn ids_from(
    project: ProjectId,
    filter: DeviceFilter,
    from: Option<Expr>,
    skip: u64,
    limit: u64,
) -> SelectStatement {
    let (mut q, id) = matching_ids(project, filter);
    if let Some(from) = from {
        q.and_where(id.clone().gte(from));
    }
    q.expr(id.clone())
        .order_by_expr(id, Order::Asc)
        .limit(limit);
    if skip > 0 {
        q.offset(skip);
    }
    q
}

/// A query answering one value, as an expression.
fn scalar(q: SelectStatement) -> Expr {
    Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(q)))
}

/// `WITH RECURSIVE marks(id) AS (first id UNION ALL the id `stride` after
/// each mark) SELECT id FROM marks`: one index walk over the list, answering
/// a row per `stride` ids. The walk stops at the first mark past the end
/// (NULL).
fn marks_query(
    project: ProjectId,
    filter: DeviceFilter,
    stride: u64,
) -> sea_orm::sea_query::WithQuery {
    let mark = Expr::col((MARKS, MARK_ID));
    let mut first = Query::select();
    first.expr_as(scalar(ids_from(project, filter, None, 0, 1)), MARK_ID);
    let mut next = Query::select();
    next.expr(scalar(ids_from(
        project,
        filter,
        Some(mark.clone()),
        stride,
        1,
    )))
    .from(MARKS)
    .and_where(mark.clone().is_not_null());
    first.union(UnionType::All, next);
    let cte = CommonTableExpression::new()
        .query(first)
        .column(MARK_ID)
        .table_name(MARKS)
        .to_owned();
    let mut marks = Query::select();
    marks
        .expr(mark.clone())
        .from(MARKS)
        .and_where(mark.clone().is_not_null())
        .order_by_expr(mark, Order::Asc);
    WithClause::new()
        .recursive(true)
        .cte(cte)
        .to_owned()
        .query(marks)
}

impl Db {
    pub(super) async fn list_marks(
        &self,
        project: ProjectId,
        filter: DeviceFilter,
        stride: u64,
    ) -> StoreResult<DeviceMarks> {
        let stride = Ord::max(stride, 1);
        let rows = self
            .reader()
            .query_all(&marks_query(project, filter, stride))
            .await
            .map_err(db_err)?;
        let ids = rows
            .iter()
            .map(|row| row.try_get_by_index::<i64>(0))
            .collect::<Result<Vec<_>, _>>()
            .map_err(db_err)?;
        let Some(&last) = ids.last() else {
            return Ok(DeviceMarks {
                total: 0,
                stride,
                ids,
            });
        };
        // The last run: fewer than `stride` + 1 ids to count.
        let (mut tail, id) = matching_ids(project, filter);
        tail.and_where(id.clone().gte(last))
            .expr_as(id.count(), "n");
        let tail = match self.reader().query_one(&tail).await.map_err(db_err)? {
            Some(row) => row.try_get::<i64>("", "n").map_err(db_err)?,
            None => 0,
        };
        let before = (ids.len() as u64 - 1).saturating_mul(stride);
        Ok(DeviceMarks {
            total: before.saturating_add(u64::try_from(tail).unwrap_or(0)),
            stride,
            ids,
        })
    }

    pub(super) async fn page_from(
        &self,
        project: ProjectId,
        filter: DeviceFilter,
        from: DeviceId,
        skip: u64,
        limit: u64,
    ) -> StoreResult<Vec<DeviceView>> {
        // The page's ids come from the index alone, so that the rows skipped
        // are never read or joined; then those rows.
        let page_ids = ids_from(project, filter, Some(Expr::val(from)), skip, limit);
        let rows = device::Entity::find()
            .filter(device::Column::Id.in_subquery(page_ids))
            .find_also_related(device_type::Entity)
            .order_by_asc(device::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        rows.into_iter().map(|(d, t)| view(d, t)).collect()
    }
}
