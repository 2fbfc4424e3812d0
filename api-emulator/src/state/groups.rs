//! Groups and their members (`/group/*.json`, `/user/group/query.json`).
//!
//! D:group/create-group: "Each group can have up to 3000 members. There is no
//! limit to the number of groups within the App, and there is no limit to the
//! number of groups a user can join or create."

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::bounded::Bounded;
use crate::rejection::{Checked, Rejection};

/// D:group/create-group: "Each group can have up to 3000 members".
pub(crate) const MAX_MEMBERS: usize = 3000;

/// A group as the emulator holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GroupRecord {
    /// `groupId`.
    pub group_id: String,
    /// The name last given by create, join, sync or refresh.
    pub name: String,
    /// Members in the order they joined.
    pub members: Vec<String>,
}

#[derive(Debug, Default)]
struct Group {
    name: String,
    members: Vec<String>,
    set: HashSet<String>,
}

/// The groups of one app, with an index from user to groups.
#[derive(Debug)]
pub(crate) struct Groups {
    groups: Bounded<Group>,
    by_user: HashMap<String, BTreeSet<String>>,
}

impl Groups {
    pub fn new(limit: Option<usize>) -> Self {
        Self {
            groups: Bounded::new(limit),
            by_user: HashMap::new(),
        }
    }

    /// Adds `users` to `group_id`, creating the group when it does not exist
    /// (the emulator's reading of join on an unknown group: the provider's groups
    /// exist as soon as they have members). `name` replaces the name when given.
    /// Refused whole with HTTP 405 when the group would pass 3000 members.
    /// Answers the member count after the call.
    pub fn join(&mut self, group_id: &str, name: Option<&str>, users: &[String]) -> Checked<usize> {
        let current = self.groups.get(group_id);
        let mut new: Vec<&String> = Vec::new();
        for user in users {
            if !current.is_some_and(|g| g.set.contains(user)) && !new.contains(&user) {
                new.push(user);
            }
        }
        let before = current.map_or(0, |g| g.members.len());
        if before + new.len() > MAX_MEMBERS {
            return Err(Rejection::group_full(format!(
                "userId: group {group_id} would have {} members, at most {MAX_MEMBERS}",
                before + new.len()
            )));
        }
        let evicted = self.groups.ensure(group_id, Group::default);
        for (id, group) in evicted {
            self.unindex(&id, &group.members);
        }
        let group = self.groups.get_mut(group_id).expect("just ensured");
        if let Some(name) = name {
            group.name = name.to_owned();
        }
        for user in new {
            group.members.push(user.clone());
            group.set.insert(user.clone());
            self.by_user
                .entry(user.clone())
                .or_default()
                .insert(group_id.to_owned());
        }
        Ok(group.members.len())
    }

    /// Removes `users` from `group_id`; a group left without members is
    /// forgotten. Answers the member count after the call (0 for an unknown group).
    pub fn quit(&mut self, group_id: &str, users: &[String]) -> usize {
        let Some(group) = self.groups.get_mut(group_id) else {
            return 0;
        };
        let leaving: HashSet<&String> = users.iter().filter(|u| group.set.contains(*u)).collect();
        group.members.retain(|m| !leaving.contains(m));
        for user in &leaving {
            group.set.remove(*user);
        }
        let remaining = group.members.len();
        let leaving: Vec<String> = leaving.into_iter().cloned().collect();
        self.unindex(group_id, &leaving);
        if remaining == 0 {
            self.groups.remove(group_id);
        }
        remaining
    }

    /// Removes the group; answers its members (empty for an unknown group).
    pub fn dismiss(&mut self, group_id: &str) -> Vec<String> {
        match self.groups.remove(group_id) {
            Some(group) => {
                self.unindex(group_id, &group.members);
                group.members
            }
            None => Vec::new(),
        }
    }

    /// `/group/sync.json`: `user` ends up in exactly `wanted` (id, name) groups,
    /// leaving the others. Refused whole when a group would pass 3000 members.
    pub fn sync(&mut self, user: &str, wanted: &[(String, String)]) -> Checked<()> {
        for (id, _) in wanted {
            let group = self.groups.get(id);
            let size = group.map_or(0, |g| g.members.len());
            if !group.is_some_and(|g| g.set.contains(user)) && size + 1 > MAX_MEMBERS {
                return Err(Rejection::group_full(format!(
                    "group[{id}]: group {id} already has {MAX_MEMBERS} members"
                )));
            }
        }
        let keep: HashSet<&str> = wanted.iter().map(|(id, _)| id.as_str()).collect();
        let current: Vec<String> = self
            .by_user
            .get(user)
            .map(|groups| groups.iter().cloned().collect())
            .unwrap_or_default();
        let me = [user.to_owned()];
        for id in current.iter().filter(|id| !keep.contains(id.as_str())) {
            self.quit(id, &me);
        }
        for (id, name) in wanted {
            self.join(id, Some(name), &me)?;
        }
        Ok(())
    }

    /// `/group/refresh.json`: renames a known group; `false` for an unknown one.
    pub fn rename(&mut self, group_id: &str, name: &str) -> bool {
        match self.groups.get_mut(group_id) {
            Some(group) => {
                group.name = name.to_owned();
                true
            }
            None => false,
        }
    }

    /// Members in join order (empty for an unknown group).
    pub fn members(&self, group_id: &str) -> Vec<String> {
        self.groups
            .get(group_id)
            .map(|g| g.members.clone())
            .unwrap_or_default()
    }

    /// The (id, name) of every group `user` is in, by id.
    pub fn groups_of(&self, user: &str) -> Vec<(String, String)> {
        self.by_user
            .get(user)
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| Some((id.clone(), self.groups.get(id)?.name.clone())))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn get(&self, group_id: &str) -> Option<GroupRecord> {
        self.groups.get(group_id).map(|g| record(group_id, g))
    }

    pub fn all(&self) -> Vec<GroupRecord> {
        self.groups.iter().map(|(id, g)| record(id, g)).collect()
    }

    fn unindex(&mut self, group_id: &str, users: &[String]) {
        for user in users {
            if let Some(groups) = self.by_user.get_mut(user) {
                groups.remove(group_id);
                if groups.is_empty() {
                    self.by_user.remove(user);
                }
            }
        }
    }
}

fn record(id: &str, group: &Group) -> GroupRecord {
    GroupRecord {
        group_id: id.to_owned(),
        name: group.name.clone(),
        members: group.members.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn join_quit_and_dismiss_keep_the_index() {
        let mut groups = Groups::new(None);
        assert_eq!(
            groups
                .join("g1", Some("One"), &ids(&["a", "b", "a"]))
                .unwrap(),
            2
        );
        assert_eq!(groups.join("g1", None, &ids(&["c"])).unwrap(), 3);
        assert_eq!(groups.get("g1").unwrap().name, "One");
        assert_eq!(groups.quit("g1", &ids(&["b", "zz"])), 2);
        assert_eq!(groups.members("g1"), ["a", "c"]);
        assert_eq!(groups.groups_of("a"), [("g1".to_owned(), "One".to_owned())]);
        assert_eq!(groups.dismiss("g1"), ["a", "c"]);
        assert!(groups.groups_of("a").is_empty());
        assert!(groups.get("g1").is_none());
    }

    #[test]
    fn sync_replaces_a_users_groups() {
        let mut groups = Groups::new(None);
        groups.join("g1", Some("One"), &ids(&["a", "b"])).unwrap();
        groups.join("g2", Some("Two"), &ids(&["a"])).unwrap();
        groups
            .sync(
                "a",
                &[("g2".into(), "Zwei".into()), ("g3".into(), "Drei".into())],
            )
            .unwrap();
        assert_eq!(
            groups.groups_of("a"),
            [("g2".into(), "Zwei".into()), ("g3".into(), "Drei".into())]
        );
        assert_eq!(groups.members("g1"), ["b"]);
        groups.sync("a", &[]).unwrap();
        assert!(groups.groups_of("a").is_empty());
        // g2 and g3 had only a: they are gone.
        assert!(groups.get("g2").is_none() && groups.get("g3").is_none());
    }

    #[test]
    fn at_most_3000_members() {
        let mut groups = Groups::new(None);
        let many: Vec<String> = (0..MAX_MEMBERS).map(|i| format!("u{i}")).collect();
        groups.join("g", Some("G"), &many[..1000]).unwrap();
        groups.join("g", None, &many[1000..]).unwrap();
        let err = groups.join("g", None, &ids(&["one-more"])).unwrap_err();
        assert_eq!((err.status, err.code), (405, 405));
        assert!(err.message.starts_with("userId:"), "{}", err.message);
        // Joining members already in does not count.
        assert_eq!(groups.join("g", None, &many[..10]).unwrap(), MAX_MEMBERS);
        assert!(
            groups
                .sync("one-more", &[("g".into(), "G".into())])
                .is_err()
        );
    }
}
