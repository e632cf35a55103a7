//! Device groups and their tree.

use std::collections::HashMap;

use super::values;
use super::{Deletion, DeviceGroup, GroupId, GroupNode, GroupUpdate, NewDeviceGroup, parse_id};
use crate::error::{DomainError, Result};
use crate::model::ProjectId;
use crate::now;
use crate::project::{Projects, Tags};

/// The fields of a group as a client sends them. On create `name` is
/// required; on update at least one field is. `parent`: a group id, or
/// `""` for the top level.
#[derive(Debug, Clone, Default)]
pub struct GroupInput {
    pub name: Option<String>,
    pub descr: Option<String>,
    pub tags: Option<Tags>,
    pub parent: Option<String>,
}

/// Builds the forest of groups. Groups whose parent is missing (or that a
/// cycle would hide) are shown at the top level.
pub fn group_tree(groups: Vec<DeviceGroup>) -> Vec<GroupNode> {
    let ids: std::collections::HashSet<GroupId> = groups.iter().map(|g| g.id).collect();
    let mut children: HashMap<GroupId, Vec<DeviceGroup>> = HashMap::new();
    let mut roots = Vec::new();
    for g in groups {
        match g.parent_id {
            Some(p) if ids.contains(&p) && p != g.id => children.entry(p).or_default().push(g),
            _ => roots.push(g),
        }
    }
    fn build(g: DeviceGroup, children: &mut HashMap<GroupId, Vec<DeviceGroup>>) -> GroupNode {
        let kids = children.remove(&g.id).unwrap_or_default();
        GroupNode {
            group: g,
            children: kids.into_iter().map(|k| build(k, children)).collect(),
        }
    }
    let mut forest: Vec<GroupNode> = roots.into_iter().map(|g| build(g, &mut children)).collect();
    // Whatever is left hangs in a cycle: show it rather than lose it.
    let mut rest: Vec<DeviceGroup> = children.into_values().flatten().collect();
    rest.sort_by_key(|g| g.id);
    forest.extend(rest.into_iter().map(|g| GroupNode {
        group: g,
        children: Vec::new(),
    }));
    forest
}

/// Whether `candidate` is `group` or lies below it.
fn is_self_or_below(groups: &[DeviceGroup], group: GroupId, candidate: GroupId) -> bool {
    let parent: HashMap<GroupId, Option<GroupId>> =
        groups.iter().map(|g| (g.id, g.parent_id)).collect();
    let mut at = Some(candidate);
    let mut steps = 0;
    while let Some(id) = at {
        if id == group {
            return true;
        }
        steps += 1;
        if steps > groups.len() {
            return true;
        }
        at = parent.get(&id).copied().flatten();
    }
    false
}

impl Projects {
    /// `GET /device_groups_tree`: every group, nested under its parent.
    pub async fn device_group_tree(&self, project: ProjectId) -> Result<Vec<GroupNode>> {
        let groups = self.store().device_groups(project).await?;
        Ok(group_tree(groups))
    }

    /// The project's group with this id.
    pub(super) async fn find_device_group(
        &self,
        project: ProjectId,
        id: &str,
    ) -> Result<DeviceGroup> {
        let id = parse_id(id, "device group")?;
        self.store()
            .device_group(project, id)
            .await?
            .ok_or(DomainError::NotFound("device group"))
    }

    /// `POST /device_group`: a new group, at the top level or under `parent`.
    pub async fn create_device_group(
        &self,
        project: ProjectId,
        input: GroupInput,
    ) -> Result<DeviceGroup> {
        let name = values::name("name", &input.name.unwrap_or_default())?;
        let descr = values::descr("descr", &input.descr.unwrap_or_default())?;
        let tags = values::tags("tags", input.tags.unwrap_or_default())?;
        let parent_id = match input.parent.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(self.find_device_group(project, raw).await?.id),
        };
        let new = NewDeviceGroup {
            project_id: project,
            parent_id,
            name,
            descr,
            tags,
            created_at: now(),
        };
        Ok(self.store().insert_device_group(new).await?)
    }

    /// `PUT /device_group/{id}`: changes the fields given. A group cannot
    /// move under itself or its own sub-groups.
    pub async fn update_device_group(
        &self,
        project: ProjectId,
        id: &str,
        input: GroupInput,
    ) -> Result<()> {
        let group = self.find_device_group(project, id).await?;
        let mut update = GroupUpdate {
            name: input.name.map(|n| values::name("name", &n)).transpose()?,
            descr: input
                .descr
                .map(|d| values::descr("descr", &d))
                .transpose()?,
            tags: input.tags.map(|t| values::tags("tags", t)).transpose()?,
            parent: None,
        };
        match input.parent.as_deref().map(str::trim) {
            None => {}
            Some("") => update.parent = Some(None),
            Some(raw) => {
                let parent = self.find_device_group(project, raw).await?;
                let groups = self.store().device_groups(project).await?;
                if is_self_or_below(&groups, group.id, parent.id) {
                    return Err(DomainError::invalid(
                        "parent",
                        "parent cannot be the group itself or one of its sub-groups",
                    ));
                }
                update.parent = Some(Some(parent.id));
            }
        }
        if update.name.is_none()
            && update.descr.is_none()
            && update.tags.is_none()
            && update.parent.is_none()
        {
            return Err(DomainError::invalid(
                "name",
                "at least one of name, descr, tags, parent is required",
            ));
        }
        if self
            .store()
            .update_device_group(project, group.id, &update)
            .await?
        {
            Ok(())
        } else {
            Err(DomainError::NotFound("device group"))
        }
    }

    /// `DELETE /device_group/{id}`: refused while it has sub-groups; its
    /// devices just leave it.
    pub async fn delete_device_group(&self, project: ProjectId, id: &str) -> Result<()> {
        let id = parse_id(id, "device group")?;
        let deleted = self.store().delete_device_group(project, id).await;
        // Its members left its list.
        self.inner.device_lists.forget_project(project);
        match deleted? {
            Deletion::Deleted => Ok(()),
            Deletion::NotFound => Err(DomainError::NotFound("device group")),
            Deletion::InUse => Err(DomainError::InUse("sub-groups")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(id: GroupId, parent: Option<GroupId>) -> DeviceGroup {
        DeviceGroup {
            id,
            project_id: 1,
            parent_id: parent,
            name: format!("g{id}"),
            descr: String::new(),
            tags: Tags::new(),
            created_at: now(),
        }
    }

    #[test]
    fn tree_nests_any_depth_and_survives_cycles() {
        let forest = group_tree(vec![g(1, None), g(2, Some(1)), g(3, Some(2)), g(4, None)]);
        assert_eq!(forest.len(), 2);
        assert_eq!(forest[0].children[0].children[0].group.id, 3);
        let cyclic = group_tree(vec![g(1, Some(2)), g(2, Some(1)), g(3, None)]);
        let mut ids: Vec<_> = cyclic.iter().map(|n| n.group.id).collect();
        ids.sort();
        assert_eq!(ids, vec![1, 2, 3]);
    }

    #[test]
    fn moving_under_a_descendant_is_caught() {
        let groups = vec![g(1, None), g(2, Some(1)), g(3, Some(2)), g(4, None)];
        assert!(is_self_or_below(&groups, 1, 3));
        assert!(is_self_or_below(&groups, 1, 1));
        assert!(!is_self_or_below(&groups, 2, 4));
        assert!(!is_self_or_below(&groups, 3, 1));
    }
}
