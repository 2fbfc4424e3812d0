//! Users (`/user/getToken.json`, `refresh`, `info`, `token/expire`), bans
//! (`/user/block.json`, `unblock`, `block/query`) and online status
//! (`/user/checkOnline.json`, fed by the online-status events a test posts).

use std::collections::{BTreeSet, VecDeque};

use serde::Serialize;

use super::bounded::Bounded;
use crate::ids;
use crate::time;

/// Tokens remembered per user (the newest); older ones are forgotten.
const TOKENS_KEPT: usize = 16;
/// Sessions remembered per user for online status.
const SESSIONS_KEPT: usize = 16;

/// A user registered with `/user/getToken.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserRecord {
    /// `userId`.
    pub user_id: String,
    /// `name` of the latest registration or refresh.
    pub name: String,
    /// `portraitUri`, when one was given.
    pub portrait_uri: Option<String>,
    /// When the user was first registered, on the emulator's clock.
    pub create_time_millis: u64,
    /// The same, as `/user/info.json` answers it (`yyyy-MM-dd HH:mm:ss`, Beijing).
    pub create_time: String,
    /// Tokens issued, oldest first (at most the 16 newest).
    pub tokens: Vec<TokenRecord>,
    /// Tokens issued before this time are invalid (`/user/token/expire.json`).
    pub tokens_expire_before_millis: Option<u64>,
}

/// One token issued by `/user/getToken.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TokenRecord {
    /// The token answered.
    pub token: String,
    /// When it was issued, on the emulator's clock.
    pub issued_at_millis: u64,
    /// False once `/user/token/expire.json` named a later time.
    pub valid: bool,
}

/// A ban set with `/user/block.json` that has not ended yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BanRecord {
    /// The banned user.
    pub user_id: String,
    /// When the ban ends, on the emulator's clock.
    pub end_millis: u64,
    /// The same, as `/user/block/query.json` answers it (`blockEndTime`).
    pub block_end_time: String,
}

#[derive(Debug)]
struct User {
    name: String,
    portrait_uri: Option<String>,
    created_at: u64,
    tokens: VecDeque<(String, u64)>,
    expire_before: Option<u64>,
}

/// Users, bans and online sessions of one app.
#[derive(Debug)]
pub(crate) struct Users {
    users: Bounded<User>,
    /// user id -> end of the ban (ms). Any id can be banned, registered or not.
    bans: Bounded<u64>,
    /// user id -> ids of the sessions online.
    sessions: Bounded<BTreeSet<String>>,
}

impl Users {
    pub fn new(limit: Option<usize>) -> Self {
        Self {
            users: Bounded::new(limit),
            bans: Bounded::new(limit),
            sessions: Bounded::new(limit),
        }
    }

    /// Registers (or registers again) a user and issues a new token. A second
    /// registration overwrites name and portrait, as the page says ("New values in
    /// subsequent Token requests overwrite existing data"); the creation time stays.
    pub fn register(&mut self, id: &str, name: &str, portrait: Option<&str>, now: u64) -> String {
        self.users.ensure(id, || User {
            name: String::new(),
            portrait_uri: None,
            created_at: now,
            tokens: VecDeque::new(),
            expire_before: None,
        });
        let user = self.users.get_mut(id).expect("just ensured");
        user.name = name.to_owned();
        user.portrait_uri = portrait.map(str::to_owned);
        let token = ids::next_token();
        user.tokens.push_back((token.clone(), now));
        if user.tokens.len() > TOKENS_KEPT {
            user.tokens.pop_front();
        }
        token
    }

    /// `/user/refresh.json`: `None` leaves a field as it is. `false` when the
    /// user was never registered.
    pub fn refresh(&mut self, id: &str, name: Option<&str>, portrait: Option<&str>) -> bool {
        let Some(user) = self.users.get_mut(id) else {
            return false;
        };
        if let Some(name) = name {
            user.name = name.to_owned();
        }
        if let Some(portrait) = portrait {
            user.portrait_uri = Some(portrait.to_owned());
        }
        true
    }

    pub fn get(&self, id: &str) -> Option<UserRecord> {
        self.users.get(id).map(|u| record(id, u))
    }

    pub fn all(&self) -> Vec<UserRecord> {
        self.users.iter().map(|(id, u)| record(id, u)).collect()
    }

    /// `/user/token/expire.json`: tokens issued before `before` stop being valid.
    /// Ids never registered are remembered nowhere (they have no tokens).
    pub fn expire_tokens(&mut self, ids: &[String], before: u64) {
        for id in ids {
            if let Some(user) = self.users.get_mut(id) {
                user.expire_before = Some(user.expire_before.map_or(before, |b| b.max(before)));
            }
        }
    }

    /// `/user/block.json`: bans each user until `until`, replacing an earlier ban.
    pub fn block(&mut self, ids: &[String], until: u64) {
        for id in ids {
            self.bans.ensure(id, || until);
            if let Some(end) = self.bans.get_mut(id) {
                *end = until;
            }
            // D:user/block: a ban disconnects the user at once.
            self.sessions.remove(id);
        }
    }

    /// `/user/unblock.json`.
    pub fn unblock(&mut self, ids: &[String]) {
        for id in ids {
            self.bans.remove(id);
        }
    }

    /// Bans still running at `now`, by user id. Ended bans are forgotten here.
    pub fn bans(&mut self, now: u64) -> Vec<BanRecord> {
        let ended: Vec<String> = self
            .bans
            .iter()
            .filter(|(_, end)| **end <= now)
            .map(|(id, _)| id.to_owned())
            .collect();
        for id in ended {
            self.bans.remove(&id);
        }
        let mut bans: Vec<BanRecord> = self
            .bans
            .iter()
            .map(|(id, end)| BanRecord {
                user_id: id.to_owned(),
                end_millis: *end,
                block_end_time: time::datetime(*end),
            })
            .collect();
        bans.sort_by(|a, b| a.user_id.cmp(&b.user_id));
        bans
    }

    fn is_banned(&self, id: &str, now: u64) -> bool {
        self.bans.get(id).is_some_and(|end| *end > now)
    }

    /// Applies an online-status event: status "0" online, "1" offline, "2" logout.
    pub fn set_session(&mut self, id: &str, session: &str, online: bool) {
        if !online {
            if let Some(sessions) = self.sessions.get_mut(id) {
                sessions.remove(session);
            }
            return;
        }
        self.sessions.ensure(id, BTreeSet::new);
        let sessions = self.sessions.get_mut(id).expect("just ensured");
        sessions.insert(session.to_owned());
        while sessions.len() > SESSIONS_KEPT {
            sessions.pop_first();
        }
    }

    /// Ends every session of the user (an offline event that names no session).
    pub fn end_sessions(&mut self, id: &str) {
        self.sessions.remove(id);
    }

    /// `/user/checkOnline.json`: online when a session reported "0" and was not
    /// closed since, and the user is not banned.
    pub fn is_online(&self, id: &str, now: u64) -> bool {
        !self.is_banned(id, now) && self.sessions.get(id).is_some_and(|s| !s.is_empty())
    }
}

fn record(id: &str, user: &User) -> UserRecord {
    UserRecord {
        user_id: id.to_owned(),
        name: user.name.clone(),
        portrait_uri: user.portrait_uri.clone(),
        create_time_millis: user.created_at,
        create_time: time::datetime(user.created_at),
        tokens: user
            .tokens
            .iter()
            .map(|(token, issued)| TokenRecord {
                token: token.clone(),
                issued_at_millis: *issued,
                valid: user.expire_before.is_none_or(|before| *issued >= before),
            })
            .collect(),
        tokens_expire_before_millis: user.expire_before,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registering_again_issues_a_new_token_and_keeps_the_creation_time() {
        let mut users = Users::new(None);
        let first = users.register("u1", "Ann", None, 1_000);
        let second = users.register("u1", "Anne", Some("https://x/a.png"), 2_000);
        assert_ne!(first, second);
        let u = users.get("u1").unwrap();
        assert_eq!((u.name.as_str(), u.create_time_millis), ("Anne", 1_000));
        assert_eq!(u.portrait_uri.as_deref(), Some("https://x/a.png"));
        users.expire_tokens(&["u1".to_owned()], 1_500);
        let valid: Vec<bool> = users
            .get("u1")
            .unwrap()
            .tokens
            .iter()
            .map(|t| t.valid)
            .collect();
        assert_eq!(valid, [false, true]);
    }

    #[test]
    fn bans_end_on_the_clock_and_disconnect() {
        let mut users = Users::new(None);
        users.set_session("u1", "s1", true);
        assert!(users.is_online("u1", 0));
        users.block(&["u1".to_owned(), "u2".to_owned()], 60_000);
        assert!(!users.is_online("u1", 10));
        assert_eq!(users.bans(59_999).len(), 2);
        users.unblock(&["u2".to_owned()]);
        assert_eq!(users.bans(59_999)[0].user_id, "u1");
        assert!(users.bans(60_000).is_empty());
    }
}
