//! `conversationType`: which kind of conversation a message belongs to.

use api_core::IntEnum;

/// The conversation types of the Server API, sent as their integer
/// (`conversationType`): 1 private, 3 group, 4 chatroom, 6 system, 10 ultra
/// group (D:message/msgrecall).
///
/// ```
/// use api_endpoints::ConversationType;
///
/// assert_eq!(serde_json::to_string(&ConversationType::UltraGroup).unwrap(), "10");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntEnum)]
pub enum ConversationType {
    /// A one-to-one conversation (`1`); the target is the other user.
    Private = 1,
    /// A group conversation (`3`); the target is the group.
    Group = 3,
    /// A chatroom (`4`); the target is the room.
    Chatroom = 4,
    /// A system conversation (`6`); the target is the sending user.
    System = 6,
    /// An ultra group (`10`); the target is the ultra group.
    UltraGroup = 10,
}
