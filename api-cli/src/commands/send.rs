//! `rongcloud send private|system`: one publish call.

use api_core::{Endpoint, RequestId};
use api_endpoints::{PrivatePublish, PublishResponse, SystemPublish};
use serde_json::json;

use super::{check_ids, print_json};
use crate::cli::{Global, SendArgs, SendCommand};
use crate::connect::connect;
use crate::content::Content;
use crate::exit::{Failure, call_failure};

/// Runs `send`.
pub async fn run(global: &Global, command: &SendCommand) -> Result<(), Failure> {
    match command {
        SendCommand::Private(args) => {
            let (from, to, content, push) = parts(args)?;
            let mut call = PrivatePublish::new(from, to, content);
            call.push_content = push;
            publish(global, &call).await
        }
        SendCommand::System(args) => {
            let (from, to, content, push) = parts(args)?;
            let mut call = SystemPublish::new(from, to, content);
            call.push_content = push;
            publish(global, &call).await
        }
    }
}

type Parts = (String, Vec<String>, Content, Option<String>);

fn parts(args: &SendArgs) -> Result<Parts, Failure> {
    check_ids("--from", [&args.from])?;
    check_ids("--to", &args.to)?;
    let content = Content::from_args(&args.message)?;
    Ok((
        args.from.clone(),
        args.to.clone(),
        content,
        args.message.push_content.clone(),
    ))
}

/// Validates (nothing sent on a violation), sends, prints each recipient's
/// message id.
async fn publish<E>(global: &Global, call: &E) -> Result<(), Failure>
where
    E: Endpoint<Response = PublishResponse>,
{
    // Checked before connecting: a bad request never starts anything.
    call.validate().map_err(|e| call_failure(&e.into()))?;
    let connection = connect(global).await?;
    let request_id = RequestId::new();
    let shown = request_id.to_string();
    let answer = connection
        .client
        .send_with_id(call, request_id)
        .await
        .map_err(|e| call_failure(&e))?;
    if global.json {
        let sent: Vec<_> = answer
            .message_uids
            .iter()
            .map(|s| json!({"userId": s.user_id, "messageUID": s.message_uid}))
            .collect();
        print_json(&json!({
            "endpoint": E::PATH,
            "requestId": shown,
            "messageUIDs": sent,
        }));
    } else {
        eprintln!("{}: accepted (X-Request-ID {shown})", E::PATH);
        for sent in &answer.message_uids {
            println!("{}\t{}", sent.user_id, sent.message_uid);
        }
    }
    Ok(())
}
