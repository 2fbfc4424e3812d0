//! What a running [`Emulator`] holds for its first app (users, bans, groups,
//! chatrooms, ultra groups, sensitive words, recalls) and its callbacks.

use std::time::Duration;

use super::Emulator;
use crate::callbacks::{CallbackStats, OnlineStatusEvent};
use crate::inspect;
use crate::state::{
    BanRecord, ChatroomRecord, GroupRecord, RecallRecord, SensitiveWord, StateSnapshot,
    UltraGroupRecord, UserRecord,
};
use crate::sync::lock;

impl Emulator {
    /// Users registered with `/user/getToken.json`, in registration order.
    pub fn users(&self) -> Vec<UserRecord> {
        lock(&self.primary_app().state.users).all()
    }

    /// One registered user.
    pub fn user(&self, user_id: &str) -> Option<UserRecord> {
        lock(&self.primary_app().state.users).get(user_id)
    }

    /// Bans still running on the emulator's clock, by user id.
    pub fn bans(&self) -> Vec<BanRecord> {
        let now = self.shared.clock.now_millis();
        lock(&self.primary_app().state.users).bans(now)
    }

    /// Whether `/user/checkOnline.json` would answer "1" for `user_id`.
    pub fn is_online(&self, user_id: &str) -> bool {
        let now = self.shared.clock.now_millis();
        lock(&self.primary_app().state.users).is_online(user_id, now)
    }

    /// Groups, in creation order.
    pub fn groups(&self) -> Vec<GroupRecord> {
        lock(&self.primary_app().state.groups).all()
    }

    /// One group.
    pub fn group(&self, group_id: &str) -> Option<GroupRecord> {
        lock(&self.primary_app().state.groups).get(group_id)
    }

    /// Chatrooms, in creation order.
    pub fn chatrooms(&self) -> Vec<ChatroomRecord> {
        lock(&self.primary_app().state.chatrooms).all()
    }

    /// Ultra groups, in creation order.
    pub fn ultra_groups(&self) -> Vec<UltraGroupRecord> {
        lock(&self.primary_app().state.ultra_groups).all()
    }

    /// Sensitive words, in the order added.
    pub fn sensitive_words(&self) -> Vec<SensitiveWord> {
        self.primary_app().state.words.list(2)
    }

    /// Recalls accepted by `/message/recall.json`, oldest first.
    pub fn recalls(&self) -> Vec<RecallRecord> {
        lock(&self.primary_app().state.recalls).all()
    }

    /// Everything the app `app_key` holds (`None` for an unknown app).
    pub fn state_in(&self, app_key: &str) -> Option<StateSnapshot> {
        let now = self.shared.clock.now_millis();
        self.shared
            .apps
            .get(app_key)
            .map(|app| app.state.snapshot(now))
    }

    /// Plays clients connecting and disconnecting in the first app: the events
    /// change what `/user/checkOnline.json` answers and are posted to the
    /// user-status callback URL. Answers whether they were queued for posting.
    ///
    /// # Errors
    /// When an event has no `userid` or a status other than "0", "1", "2".
    pub fn post_online_status(
        &self,
        events: impl IntoIterator<Item = OnlineStatusEvent>,
    ) -> Result<bool, String> {
        let events: Vec<OnlineStatusEvent> = events.into_iter().collect();
        inspect::apply_online_events(&self.shared, self.primary_app(), events)
            .map(|(_, posted)| posted)
    }

    /// What became of the callbacks so far.
    pub fn callback_stats(&self) -> CallbackStats {
        self.shared.callbacks.stats()
    }

    /// Waits until no callback is queued or being posted, at most `timeout`;
    /// `true` when the queue drained.
    pub async fn callbacks_settled(&self, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self.shared.callbacks.stats().pending == 0 {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}
