//! Ultra groups (`/ultragroup/create.json`, `join`, `quit`, `dis`).

use std::collections::HashSet;

use serde::Serialize;

use super::bounded::Bounded;

/// An ultra group as the emulator holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UltraGroupRecord {
    /// `groupId`.
    pub group_id: String,
    /// `groupName` given at creation.
    pub name: String,
    /// Members in the order they joined (the creator first).
    pub members: Vec<String>,
}

#[derive(Debug, Default)]
struct UltraGroup {
    name: String,
    members: Vec<String>,
    set: HashSet<String>,
}

/// The ultra groups of one app.
#[derive(Debug)]
pub(crate) struct UltraGroups {
    groups: Bounded<UltraGroup>,
}

impl UltraGroups {
    pub fn new(limit: Option<usize>) -> Self {
        Self {
            groups: Bounded::new(limit),
        }
    }

    /// Creates the group with `user` as its first member. Creating an existing
    /// group adds `user` and keeps the first name (no page says otherwise).
    pub fn create(&mut self, id: &str, name: &str, user: &str) {
        self.groups.ensure(id, || UltraGroup {
            name: name.to_owned(),
            ..UltraGroup::default()
        });
        self.join(id, user);
    }

    /// Adds `user`; `false` when the group does not exist.
    pub fn join(&mut self, id: &str, user: &str) -> bool {
        let Some(group) = self.groups.get_mut(id) else {
            return false;
        };
        if group.set.insert(user.to_owned()) {
            group.members.push(user.to_owned());
        }
        true
    }

    /// Removes `user`; `false` when the group does not exist. An ultra group
    /// outlives its last member until `dis`.
    pub fn quit(&mut self, id: &str, user: &str) -> bool {
        let Some(group) = self.groups.get_mut(id) else {
            return false;
        };
        if group.set.remove(user) {
            group.members.retain(|m| m != user);
        }
        true
    }

    /// Dissolves the group; `false` when it does not exist.
    pub fn dissolve(&mut self, id: &str) -> bool {
        self.groups.remove(id).is_some()
    }

    /// Members in join order, or `None` for an unknown group.
    pub fn members(&self, id: &str) -> Option<Vec<String>> {
        self.groups.get(id).map(|g| g.members.clone())
    }

    pub fn all(&self) -> Vec<UltraGroupRecord> {
        self.groups
            .iter()
            .map(|(id, g)| UltraGroupRecord {
                group_id: id.to_owned(),
                name: g.name.clone(),
                members: g.members.clone(),
            })
            .collect()
    }
}
