//! `rongcloud send private|system|group|chatroom`: one publish call.

use api_core::Endpoint;
use api_endpoints::{
    ChatroomPublish, GroupPublish, PrivatePublish, PublishResponse, SystemPublish,
};
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
        SendCommand::Group(args) => {
            check_ids("--from", [&args.from])?;
            check_ids("--to-users", &args.to_users)?;
            let content = Content::from_args(&args.message.content)?;
            let mut publish = GroupPublish::new(args.from.clone(), args.to.clone(), content)
                .to_users(args.to_users.clone());
            publish.push_content = args.message.push_content.clone();
            let (answer, request_id) = call(global, &publish).await?;
            let ids = answer
                .message_uids
                .iter()
                .map(|sent| (sent.group_id.as_str(), sent.message_uid.as_str()));
            print_targets(
                global,
                GroupPublish::<Content>::PATH,
                "groupId",
                &args.to,
                ids,
                answer.message_uid.as_deref(),
                &request_id,
            );
            Ok(())
        }
        SendCommand::Chatroom(args) => {
            check_ids("--from", [&args.from])?;
            let content = Content::from_args(&args.message)?;
            let publish = ChatroomPublish::new(args.from.clone(), args.to.clone(), content);
            let (answer, request_id) = call(global, &publish).await?;
            let ids = answer
                .message_uids
                .iter()
                .map(|sent| (sent.chatroom_id.as_str(), sent.message_uid.as_str()));
            print_targets(
                global,
                ChatroomPublish::<Content>::PATH,
                "chatroomId",
                &args.to,
                ids,
                answer.message_uid.as_deref(),
                &request_id,
            );
            Ok(())
        }
    }
}

/// Prints the message id of each group or room: `target<TAB>messageUID`
/// (the answer's one id for the first target when it names none).
fn print_targets<'a>(
    global: &Global,
    endpoint: &str,
    key: &str,
    targets: &[String],
    ids: impl Iterator<Item = (&'a str, &'a str)>,
    single: Option<&str>,
    request_id: &str,
) {
    // An entry that does not name its target is the target at its place
    // in the request.
    let mut ids: Vec<(String, String)> = ids
        .enumerate()
        .map(|(i, (target, id))| {
            let target = match (target, targets.get(i)) {
                ("", Some(asked)) => asked.clone(),
                (named, _) => named.to_owned(),
            };
            (target, id.to_owned())
        })
        .collect();
    if ids.is_empty()
        && let (Some(id), Some(first)) = (single, targets.first())
    {
        ids.push((first.clone(), id.to_owned()));
    }
    if global.json {
        let sent: Vec<_> = ids
            .iter()
            .map(|(target, id)| json!({key: target, "messageUID": id}))
            .collect();
        print_json(&json!({
            "endpoint": endpoint,
            "requestId": request_id,
            "messageUIDs": sent,
        }));
    } else {
        for (target, id) in ids {
            println!("{target}\t{id}");
        }
    }
}

type Parts = (String, Vec<String>, Content, Option<String>);

fn parts(args: &SendArgs) -> Result<Parts, Failure> {
    check_ids("--from", [&args.from])?;
    check_ids("--to", &args.to)?;
    let content = Content::from_args(&args.message.content)?;
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
