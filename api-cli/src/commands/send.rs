//! `rongcloud send private|system`: one publish call.

use api_core::Endpoint;
use api_endpoints::{PrivatePublish, PublishResponse, SystemPublish};
use serde_json::json;

use super::{call, check_ids, print_json};
use crate::cli::{Global, SendArgs, SendCommand};
use crate::content::Content;
use crate::exit::Failure;

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

/// Sends the publish and prints each recipient's message id.
async fn publish<E>(global: &Global, publish: &E) -> Result<(), Failure>
where
    E: Endpoint<Response = PublishResponse>,
{
    let (answer, request_id) = call(global, publish).await?;
    if global.json {
        let sent: Vec<_> = answer
            .message_uids
            .iter()
            .map(|s| json!({"userId": s.user_id, "messageUID": s.message_uid}))
            .collect();
        print_json(&json!({
            "endpoint": E::PATH,
            "requestId": request_id,
            "messageUIDs": sent,
        }));
    } else {
        for sent in &answer.message_uids {
            println!("{}\t{}", sent.user_id, sent.message_uid);
        }
    }
    Ok(())
}
