//! Device groups.

use serde::{Deserialize, Serialize};
use thingstead_core::project::Tags;
use thingstead_core::project::devices::{DeviceGroup, GroupInput, GroupNode};
use thingstead_http::LooseString;
use utoipa::ToSchema;

use super::millis;

/// A group of `GET /device_groups_tree`, with its sub-groups at any depth.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupItem {
    pub id: String,
    pub name: String,
    pub descr: String,
    pub tags: Tags,
    pub create_time: i64,
    /// The parent group's id; `""` at the top level.
    pub parent: String,
    #[schema(no_recursion)]
    pub children: Vec<GroupItem>,
}

impl GroupItem {
    fn leaf(g: DeviceGroup) -> Self {
        GroupItem {
            id: g.id.to_string(),
            name: g.name,
            descr: g.descr,
            tags: g.tags,
            create_time: millis(g.created_at),
            parent: g.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            children: Vec::new(),
        }
    }
}

impl From<DeviceGroup> for GroupItem {
    fn from(g: DeviceGroup) -> Self {
        GroupItem::leaf(g)
    }
}

impl From<GroupNode> for GroupItem {
    fn from(n: GroupNode) -> Self {
        let mut item = GroupItem::leaf(n.group);
        item.children = n.children.into_iter().map(GroupItem::from).collect();
        item
    }
}

/// **Extension** `POST /device_group` (name required) and
/// `PUT /device_group/{id}` (at least one field).
#[derive(Debug, Deserialize, ToSchema)]
pub struct GroupBody {
    pub name: Option<String>,
    pub descr: Option<String>,
    pub tags: Option<Tags>,
    /// The parent group's id; `""` for the top level.
    #[schema(value_type = Option<String>)]
    pub parent: Option<LooseString>,
}

impl From<GroupBody> for GroupInput {
    fn from(b: GroupBody) -> Self {
        GroupInput {
            name: b.name,
            descr: b.descr,
            tags: b.tags,
            parent: b.parent.map(|p| p.0),
        }
    }
}
