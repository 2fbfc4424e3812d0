//! `POST /push.json`: broadcasts, package-name notifications and plain
//! pushes, with their audiences and notifications.

mod audience;
mod notification;
mod requests;

pub use audience::{
    Audience, AudienceConditions, MAX_AUDIENCE_TAGS, MAX_AUDIENCE_USERS, MAX_TAG_BYTES,
    UserAudience,
};
pub use notification::{
    AndroidNotification, Extras, HarmonyOsNotification, IosNotification, MAX_BADGE, Notification,
    Platform,
};
pub use requests::{
    BroadcastMessage, PackageAudience, PackageNameNotification, PushNotification, PushResponse,
};
