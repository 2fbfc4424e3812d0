//! `rongcloud group create|join|quit|dismiss|members`.

use api_endpoints::{GroupCreate, GroupDismiss, GroupJoin, GroupMemberQuery, GroupQuit};
use serde_json::json;

use super::{call, check_ids, print_json};
use crate::cli::{Global, GroupCommand};
use crate::exit::Failure;

/// Runs `group`.
pub async fn run(global: &Global, command: &GroupCommand) -> Result<(), Failure> {
    match command {
        GroupCommand::Create(args) => {
            check_ids("--members", &args.members)?;
            let create =
                GroupCreate::new(args.members.clone(), args.group.clone(), args.name.clone());
            let (_, request_id) = call(global, &create).await?;
            changed(global, "created", &args.group, &args.members, &request_id);
        }
        GroupCommand::Join(args) => {
            check_ids("--members", &args.members)?;
            let join = GroupJoin::new(args.members.clone(), args.group.clone());
            let (_, request_id) = call(global, &join).await?;
            changed(global, "joined", &args.group, &args.members, &request_id);
        }
        GroupCommand::Quit(args) => {
            check_ids("--members", &args.members)?;
            let quit = GroupQuit::new(args.members.clone(), args.group.clone());
            let (_, request_id) = call(global, &quit).await?;
            changed(global, "quit", &args.group, &args.members, &request_id);
        }
        GroupCommand::Dismiss(args) => {
            check_ids("--operator", [&args.operator])?;
            let dismiss = GroupDismiss::new(args.operator.clone(), args.group.clone());
            let (_, request_id) = call(global, &dismiss).await?;
            changed(global, "dismissed", &args.group, &[], &request_id);
        }
        GroupCommand::Members(args) => {
            let (answer, request_id) =
                call(global, &GroupMemberQuery::new(args.group.clone())).await?;
            let members: Vec<&str> = answer.ids().collect();
            if global.json {
                print_json(&json!({
                    "groupId": args.group,
                    "members": members,
                    "requestId": request_id,
                }));
            } else {
                for member in members {
                    println!("{member}");
                }
            }
        }
    }
    Ok(())
}

fn changed(global: &Global, what: &str, group: &str, users: &[String], request_id: &str) {
    if global.json {
        print_json(&json!({
            "groupId": group,
            "userIds": users,
            "action": what,
            "requestId": request_id,
        }));
    } else if users.is_empty() {
        println!("{group}\t{what}");
    } else {
        for user in users {
            println!("{group}\t{user}\t{what}");
        }
    }
}
