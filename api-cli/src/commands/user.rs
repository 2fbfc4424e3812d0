//! `rongcloud user register|info|block|unblock`.

use api_endpoints::{UserBlock, UserInfo, UserRegister, UserUnblock};
use serde_json::json;

use super::{call as send, check_ids, print_json};
use crate::cli::{Global, UserCommand};
use crate::exit::Failure;

/// Runs `user`.
pub async fn run(global: &Global, command: &UserCommand) -> Result<(), Failure> {
    match command {
        UserCommand::Register(args) => {
            check_ids("user", [&args.user])?;
            let mut call = UserRegister::new(args.user.clone(), args.name.clone());
            call.portrait_uri = args.portrait.clone();
            let (answer, request_id) = send(global, &call).await?;
            if global.json {
                print_json(&json!({
                    "userId": answer.user_id,
                    "token": answer.token,
                    "requestId": request_id,
                }));
            } else {
                println!("{}\t{}", answer.user_id, answer.token);
            }
        }
        UserCommand::Info(args) => {
            check_ids("user", [&args.user])?;
            let (answer, request_id) = send(global, &UserInfo::new(args.user.clone())).await?;
            if global.json {
                print_json(&json!({
                    "userId": args.user,
                    "userName": answer.user_name,
                    "userPortrait": answer.user_portrait,
                    "createTime": answer.create_time,
                    "requestId": request_id,
                }));
            } else {
                println!("userId\t{}", args.user);
                println!("userName\t{}", answer.user_name);
                println!("userPortrait\t{}", answer.user_portrait);
                println!("createTime\t{}", answer.create_time);
            }
        }
        UserCommand::Block(args) => {
            check_ids("users", &args.users)?;
            let call = UserBlock::new(args.users.clone(), args.minutes);
            let (_, request_id) = send(global, &call).await?;
            done(
                global,
                "blocked",
                &args.users,
                &request_id,
                Some(args.minutes),
            );
        }
        UserCommand::Unblock(args) => {
            check_ids("users", &args.users)?;
            let (_, request_id) = send(global, &UserUnblock::new(args.users.clone())).await?;
            done(global, "unblocked", &args.users, &request_id, None);
        }
    }
    Ok(())
}

fn done(global: &Global, what: &str, users: &[String], request_id: &str, minutes: Option<u32>) {
    if global.json {
        print_json(&json!({
            "userIds": users,
            "minutes": minutes,
            "requestId": request_id,
        }));
    } else {
        for user in users {
            println!("{user}\t{what}");
        }
    }
}
