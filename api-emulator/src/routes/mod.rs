//! The emulated Server API: one module per area, each turning a signed request
//! into a checked call, applying it to the app's state and answering in the
//! documented shape.
//!
//! Every call goes the same way: the body encoding and parameters are checked
//! (1002/1005 naming the parameter), then the rate limit takes its share (1008),
//! then the service switch is consulted (1009), and only then does anything
//! change. Pages 000 and 004 say a call to a closed service still counts against
//! the rate limit ("在未开通服务时,如果连续请求导致 API 请求频率超过限制 ... 1008"),
//! hence that order.

mod chatrooms;
mod groups;
mod history;
mod messages;
mod notification;
mod outbox;
mod params;
mod recall;
mod sensitive;
mod ultragroups;
mod users;

use std::sync::atomic::Ordering;

use bytes::Bytes;

use crate::config::Service;
use crate::endpoints::{Encoding, Endpoint};
use crate::rejection::{Checked, Rejection};
use crate::shared::{App, Shared};

/// One signed request being served.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub shared: &'a Shared,
    pub app: &'a App,
    pub endpoint: Endpoint,
    /// Index of the host serving it.
    pub host: usize,
    pub request_id: Option<&'a str>,
    /// When it arrived, on the emulator's clock (ms).
    pub now: u64,
}

/// A success answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub body: Bytes,
    /// Whether the call produced a delivery.
    pub delivered: bool,
}

impl Reply {
    fn new(body: Bytes) -> Self {
        Self {
            body,
            delivered: false,
        }
    }

    fn delivered(body: Bytes) -> Self {
        Self {
            body,
            delivered: true,
        }
    }
}

impl Call<'_> {
    /// Takes `units` of the endpoint's rate limit (when limits are on).
    pub fn take_quota(&self, units: u64) -> Checked<()> {
        if self.shared.rate_limits.load(Ordering::Relaxed) {
            self.app
                .limits
                .try_acquire(self.endpoint, self.now, units)?;
        }
        Ok(())
    }

    /// Refuses with 430 / 1009 when `service` is off for the app.
    pub fn require(&self, service: Service) -> Checked<()> {
        if self.app.is_enabled(service) {
            Ok(())
        } else {
            Err(Rejection::not_enabled(format!(
                "the {} service is not enabled for this App Key",
                service.name()
            )))
        }
    }

    /// The rate limit, then the endpoint's service: what every checked call
    /// passes before it changes anything.
    pub fn admit(&self, units: u64) -> Checked<()> {
        self.take_quota(units)?;
        match self.endpoint.spec().service {
            Some(service) => self.require(service),
            None => Ok(()),
        }
    }
}

/// Checks the encoding of a signed request and serves it.
pub(crate) fn serve(call: &Call<'_>, content_type: Option<&str>, body: &[u8]) -> Checked<Reply> {
    let spec = call.endpoint.spec();
    if body.is_empty() {
        if !spec.empty_body {
            return Err(Rejection::no_body());
        }
    } else {
        check_content_type(spec.encoding, content_type)?;
    }
    use Endpoint as E;
    match call.endpoint {
        E::PrivatePublish | E::SystemPublish | E::OnlineBroadcast | E::Push => {
            messages::legacy(call, body)
        }
        E::TagSet | E::TagBatchSet => users::tags(call, body),
        E::UserGetToken => users::get_token(call, body),
        E::UserRefresh => users::refresh(call, body),
        E::UserInfo => users::info(call, body),
        E::UserTokenExpire => users::token_expire(call, body),
        E::UserBlock => users::block(call, body),
        E::UserUnblock => users::unblock(call, body),
        E::UserBlockQuery => users::block_query(call, body),
        E::UserCheckOnline => users::check_online(call, body),
        E::GroupCreate => groups::create(call, body),
        E::GroupJoin => groups::join(call, body),
        E::GroupQuit => groups::quit(call, body),
        E::GroupDismiss => groups::dismiss(call, body),
        E::GroupSync => groups::sync(call, body),
        E::GroupRefresh => groups::refresh(call, body),
        E::GroupUserQuery => groups::members(call, body),
        E::UserGroupQuery => groups::of_user(call, body),
        E::GroupPublish => messages::group(call, body),
        E::ChatroomPublish => messages::chatroom(call, body),
        E::Recall => recall::recall(call, body),
        E::History => history::get(call, body),
        E::HistoryDelete => history::delete(call, body),
        E::ChatroomCreateNew => chatrooms::create_new(call, body),
        E::ChatroomCreate => chatrooms::create(call, body),
        E::ChatroomDestroy => chatrooms::destroy(call, body),
        E::ChatroomQuery => chatrooms::query(call, body),
        E::SensitiveAdd => sensitive::add(call, body),
        E::SensitiveList => sensitive::list(call, body),
        E::SensitiveDelete => sensitive::delete(call, body),
        E::SensitiveBatchDelete => sensitive::batch_delete(call, body),
        E::UltraGroupCreate => ultragroups::create(call, body),
        E::UltraGroupJoin => ultragroups::join(call, body),
        E::UltraGroupQuit => ultragroups::quit(call, body),
        E::UltraGroupDis => ultragroups::dissolve(call, body),
        E::UltraGroupPublish => ultragroups::publish(call, body),
    }
}

fn check_content_type(expected: Encoding, content_type: Option<&str>) -> Checked<()> {
    let wanted = match expected {
        Encoding::Form => "application/x-www-form-urlencoded",
        Encoding::Json => "application/json",
    };
    // Parameters such as `charset=utf-8` are allowed; the media type must match.
    let media_type = content_type
        .and_then(|ct| ct.split(';').next())
        .map(str::trim)
        .unwrap_or("");
    if media_type.eq_ignore_ascii_case(wanted) {
        Ok(())
    } else if media_type.is_empty() {
        Err(Rejection::invalid(format!(
            "Content-Type: missing, this endpoint takes {wanted}"
        )))
    } else {
        Err(Rejection::invalid(format!(
            "Content-Type: {media_type} given, this endpoint takes {wanted}"
        )))
    }
}

/// Every path the emulator serves, in the order `--help` lists them.
pub(crate) fn paths() -> impl Iterator<Item = &'static str> {
    Endpoint::ALL.into_iter().map(Endpoint::path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_parameters_are_allowed() {
        check_content_type(Encoding::Json, Some("application/json; charset=utf-8")).unwrap();
        check_content_type(Encoding::Form, Some("Application/X-WWW-Form-Urlencoded")).unwrap();
        assert_eq!(
            check_content_type(Encoding::Json, Some("text/plain"))
                .unwrap_err()
                .code,
            1002
        );
        assert!(check_content_type(Encoding::Form, None).is_err());
    }
}
