//! The command line: every command, flag and help text (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit::EXIT_CODES;

/// The operator's command line for the RongCloud IM Server API.
///
/// Every command reads the account from the environment (or the flags of
/// the same name): RONGCLOUD_APP_KEY, RONGCLOUD_APP_SECRET,
/// RONGCLOUD_API_URL, RONGCLOUD_TIMEOUT_MS, RONGCLOUD_QUOTA_STORE. With
/// --emulator it runs against a local emulator started for the command
/// instead, so everything can be tried with no account. Answers go to
/// standard output (as JSON with --json), progress and errors to standard
/// error; RUST_LOG=warn (or info, debug) adds the library's log there.
#[derive(Debug, Parser)]
#[command(
    name = "rongcloud",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = EXIT_CODES,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// Where and how to connect.
    #[command(flatten)]
    pub global: Global,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// App Key [env: RONGCLOUD_APP_KEY]
    #[arg(
        long,
        env = "RONGCLOUD_APP_KEY",
        global = true,
        value_name = "KEY",
        hide_env = true,
        help_heading = "Account"
    )]
    pub app_key: Option<String>,

    /// App Secret (prefer the variable: a flag is visible to other users of
    /// the machine) [env: RONGCLOUD_APP_SECRET]
    #[arg(
        long,
        env = "RONGCLOUD_APP_SECRET",
        global = true,
        value_name = "SECRET",
        hide_env = true,
        help_heading = "Account"
    )]
    pub app_secret: Option<String>,

    /// Base URLs, comma-separated, primary first (default: the Beijing
    /// region's primary and backup) [env: RONGCLOUD_API_URL]
    #[arg(
        long,
        env = "RONGCLOUD_API_URL",
        global = true,
        value_name = "URL[,URL...]",
        hide_env = true,
        help_heading = "Account"
    )]
    pub api_url: Option<String>,

    /// Timeout of each attempt, in milliseconds (default 10000)
    /// [env: RONGCLOUD_TIMEOUT_MS]
    #[arg(
        long,
        env = "RONGCLOUD_TIMEOUT_MS",
        global = true,
        value_name = "MS",
        hide_env = true,
        help_heading = "Account"
    )]
    pub timeout_ms: Option<String>,

    /// Where the rate-limit accounts live: `local` (in this process, the
    /// default) or a Redis shared by every sender of the App Key
    /// [env: RONGCLOUD_QUOTA_STORE]
    #[arg(
        long,
        env = "RONGCLOUD_QUOTA_STORE",
        global = true,
        value_name = "redis://HOST:PORT",
        hide_env = true,
        help_heading = "Account"
    )]
    pub quota_store: Option<String>,

    /// With a Redis quota store: how many senders share the App Key
    /// [env: RONGCLOUD_FLEET_SIZE]
    #[arg(
        long,
        env = "RONGCLOUD_FLEET_SIZE",
        global = true,
        value_name = "N",
        hide_env = true,
        help_heading = "Account"
    )]
    pub fleet_size: Option<String>,

    /// Override a documented quota (repeatable), for an account whose quota
    /// was raised: QUOTA is the endpoint's path, DURATION humantime-style,
    /// e.g. /message/private/publish.json=6000/6s
    #[arg(
        long = "limit",
        global = true,
        value_name = "QUOTA=AMOUNT/DURATION",
        help_heading = "Account"
    )]
    pub limits: Vec<String>,

    /// Run against a local emulator started for this command (no account
    /// needed; its state ends with the command)
    #[arg(long, global = true, help_heading = "Account")]
    pub emulator: bool,

    /// Print answers as JSON
    #[arg(long, global = true)]
    pub json: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send a message
    #[command(subcommand)]
    Send(SendCommand),
    /// Register users, read their profile, ban and unban them
    #[command(subcommand)]
    User(UserCommand),
    /// Create and dismiss groups, add and remove members, list them
    #[command(subcommand)]
    Group(GroupCommand),
    /// Send one message to a list of users from a file, crash-safe and
    /// resumable, recorded recipient by recipient in a journal
    #[command(subcommand)]
    Campaign(CampaignCommand),
    /// Check the callbacks the provider makes to your server
    #[command(subcommand)]
    Callback(CallbackCommand),
    /// Print a completion script for a shell
    ///
    /// For example: rongcloud completions bash > /etc/bash_completion.d/rongcloud
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `rongcloud send ...`
#[derive(Debug, Subcommand)]
pub enum SendCommand {
    /// A one-to-one message from a user to up to 1000 users
    /// (/message/private/publish.json)
    #[command(after_help = EXIT_CODES)]
    Private(SendArgs),
    /// A system message to up to 100 users (/message/system/publish.json)
    #[command(after_help = EXIT_CODES)]
    System(SendArgs),
    /// A message to every member of up to 3 groups, or to some members of
    /// one group with --to-users (/message/group/publish.json)
    #[command(after_help = EXIT_CODES)]
    Group(GroupSendArgs),
    /// A message to chatrooms (/message/chatroom/publish.json)
    #[command(after_help = EXIT_CODES)]
    Chatroom(ChatroomSendArgs),
}

/// `send group`: the sender, the groups and the message.
#[derive(Debug, Args)]
pub struct GroupSendArgs {
    /// The sender's user id
    #[arg(long, value_name = "ID")]
    pub from: String,
    /// The groups' ids (1 to 3)
    #[arg(
        long,
        value_name = "GROUP[,GROUP...]",
        value_delimiter = ',',
        required = true
    )]
    pub to: Vec<String>,
    /// Only these members of the (single) group get the message
    #[arg(long, value_name = "ID[,ID...]", value_delimiter = ',')]
    pub to_users: Vec<String>,
    /// The message.
    #[command(flatten)]
    pub message: MessageArgs,
}

/// `send chatroom`: the sender, the rooms and the message.
#[derive(Debug, Args)]
pub struct ChatroomSendArgs {
    /// The sender's user id
    #[arg(long, value_name = "ID")]
    pub from: String,
    /// The chatrooms' ids
    #[arg(
        long,
        value_name = "ROOM[,ROOM...]",
        value_delimiter = ',',
        required = true
    )]
    pub to: Vec<String>,
    /// The message (chatroom messages have no push notification).
    #[command(flatten)]
    pub message: ContentArgs,
}

/// The sender, the recipients and the message.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// The sender's user id
    #[arg(long, value_name = "ID")]
    pub from: String,
    /// The recipients' user ids
    #[arg(
        long,
        value_name = "ID[,ID...]",
        value_delimiter = ',',
        required = true
    )]
    pub to: Vec<String>,
    /// The message.
    #[command(flatten)]
    pub message: MessageArgs,
}

/// A text, or another message type with its JSON content, and the push
/// notification text.
#[derive(Debug, Args, Clone)]
pub struct MessageArgs {
    /// The content.
    #[command(flatten)]
    pub content: ContentArgs,
    /// The notification text shown to recipients who are offline
    #[arg(long, value_name = "TEXT")]
    pub push_content: Option<String>,
}

/// A text, or another message type with its JSON content.
#[derive(Debug, Args, Clone)]
pub struct ContentArgs {
    /// The text of a text message (RC:TxtMsg)
    #[arg(
        long,
        value_name = "TEXT",
        required_unless_present = "object_name",
        conflicts_with_all = ["object_name", "content_json"]
    )]
    pub text: Option<String>,
    /// Another message type: a built-in one (RC:ImgMsg, RC:InfoNtf, ...,
    /// checked field by field) or your app's own
    #[arg(long, value_name = "NAME", requires = "content_json")]
    pub object_name: Option<String>,
    /// The content of the --object-name message, as JSON, sent as written
    #[arg(long, value_name = "JSON", requires = "object_name")]
    pub content_json: Option<String>,
}

/// `rongcloud campaign ...`
#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Send a message to every user of a file, recording each call in a
    /// journal (a journal that exists and holds the same campaign is
    /// resumed)
    ///
    /// The recipients file holds one user id per line; a first line `userId`
    /// is a header. Every id is checked before anything is sent. Ctrl-C (or
    /// SIGTERM) stops cleanly: no new call starts, calls in flight finish (a second
    /// Ctrl-C abandons them; they are recorded as unknown). Then `campaign
    /// resume` goes on, never sending a call whose outcome is unknown again.
    #[command(after_help = EXIT_CODES)]
    Run(RunArgs),
    /// Go on with a campaign that stopped (Ctrl-C, crash, lost connection)
    ///
    /// The message, the sender and the --limit values are those the journal
    /// was created with (a --limit given here replaces the latter). Calls
    /// whose outcome is unknown are not sent again.
    #[command(after_help = EXIT_CODES)]
    Resume(ResumeArgs),
    /// Print every recipient's outcome: delivered (with its messageUID),
    /// not_sent or unknown (with the reason), or pending
    Report(ReportArgs),
}

/// `rongcloud campaign run`
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The campaign's journal (SQLite), created if it does not exist
    #[arg(long, value_name = "FILE")]
    pub journal: PathBuf,
    /// The sender's user id
    #[arg(long, value_name = "ID")]
    pub from: String,
    /// The recipients: one user id per line, optional header `userId`
    #[arg(long, value_name = "FILE")]
    pub recipients: PathBuf,
    /// Send a system message (/message/system/publish.json, 100 users a
    /// call) instead of a private one (/message/private/publish.json, 1000)
    #[arg(long)]
    pub system: bool,
    /// The message.
    #[command(flatten)]
    pub message: MessageArgs,
    /// Calls in flight at once
    #[arg(long, value_name = "N", default_value_t = api_campaign::DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
    /// Fewer recipients per call than the endpoint allows (fixed when the
    /// journal is created)
    #[arg(long, value_name = "N")]
    pub chunk_size: Option<usize>,
    /// Seconds between progress lines when standard error is not a terminal
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub progress_every: u64,
}

/// `rongcloud campaign resume`
#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// The campaign's journal
    #[arg(long, value_name = "FILE")]
    pub journal: PathBuf,
    /// Calls in flight at once
    #[arg(long, value_name = "N", default_value_t = api_campaign::DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
    /// Seconds between progress lines when standard error is not a terminal
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub progress_every: u64,
}

/// `rongcloud campaign report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The campaign's journal
    #[arg(long, value_name = "FILE")]
    pub journal: PathBuf,
    /// csv: userId,outcome,messageUID,reason; json: an array of objects
    /// with those fields; html: one page with the counts and a chart of
    /// recipients per minute against the quota
    #[arg(long, value_enum, default_value_t = ReportFormat::Csv)]
    pub format: ReportFormat,
}

/// The formats of `campaign report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Comma-separated values with a header line
    Csv,
    /// A JSON array
    Json,
    /// One self-contained HTML page
    Html,
}

/// `rongcloud callback ...`
#[derive(Debug, Subcommand)]
pub enum CallbackCommand {
    /// Check a received callback's signature and freshness with the App
    /// Secret, and say which check failed
    ///
    /// URL is the callback's whole URL as your server received it, or its
    /// query string: nonce, signTimestamp (or timestamp) and signature, or
    /// the older rc-nonce, rc-timestamp and rc-signature. Exits 0 when it
    /// verifies, 1 when it does not.
    Verify(VerifyArgs),
}

/// `rongcloud callback verify`
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The callback URL (or its query string)
    pub url: String,
    /// How far the signing time may be from now, before or after
    #[arg(long, value_name = "DURATION", default_value = "5m")]
    pub window: humantime::Duration,
}

/// `rongcloud user ...`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Register a user (or refresh its name) and print the token its app
    /// connects with (/user/getToken.json)
    #[command(after_help = EXIT_CODES)]
    Register(RegisterArgs),
    /// Print a user's name, portrait and registration time (/user/info.json)
    #[command(after_help = EXIT_CODES)]
    Info(UserArg),
    /// Ban up to 20 users from connecting for some minutes (/user/block.json)
    #[command(after_help = EXIT_CODES)]
    Block(BlockArgs),
    /// Lift the bans of up to 20 users (/user/unblock.json)
    #[command(after_help = EXIT_CODES)]
    Unblock(UsersArg),
}

/// `user register`
#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// The user's id
    #[arg(value_name = "ID")]
    pub user: String,
    /// The name shown to other users
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// The portrait's URL
    #[arg(long, value_name = "URL")]
    pub portrait: Option<String>,
}

/// One user.
#[derive(Debug, Args)]
pub struct UserArg {
    /// The user's id
    #[arg(value_name = "ID")]
    pub user: String,
}

/// Users.
#[derive(Debug, Args)]
pub struct UsersArg {
    /// The users' ids
    #[arg(value_name = "ID[,ID...]", value_delimiter = ',', required = true)]
    pub users: Vec<String>,
}

/// `user block`
#[derive(Debug, Args)]
pub struct BlockArgs {
    /// The users' ids
    #[arg(value_name = "ID[,ID...]", value_delimiter = ',', required = true)]
    pub users: Vec<String>,
    /// How long, 1 to 43200 minutes (30 days)
    #[arg(long, value_name = "N")]
    pub minutes: u32,
}

/// `rongcloud group ...`
#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Create a group with its first members (/group/create.json)
    #[command(after_help = EXIT_CODES)]
    Create(GroupCreateArgs),
    /// Add members to a group (/group/join.json)
    #[command(after_help = EXIT_CODES)]
    Join(GroupMembersArgs),
    /// Remove members from a group (/group/quit.json)
    #[command(after_help = EXIT_CODES)]
    Quit(GroupMembersArgs),
    /// Dismiss a group (/group/dismiss.json)
    #[command(after_help = EXIT_CODES)]
    Dismiss(GroupDismissArgs),
    /// List a group's members, one id per line (/group/user/query.json)
    #[command(after_help = EXIT_CODES)]
    Members(GroupArg),
}

/// `group create`
#[derive(Debug, Args)]
pub struct GroupCreateArgs {
    /// The group's id
    #[arg(value_name = "GROUP")]
    pub group: String,
    /// The group's name
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// Its first members
    #[arg(
        long,
        value_name = "ID[,ID...]",
        value_delimiter = ',',
        required = true
    )]
    pub members: Vec<String>,
}

/// `group join` and `group quit`
#[derive(Debug, Args)]
pub struct GroupMembersArgs {
    /// The group's id
    #[arg(value_name = "GROUP")]
    pub group: String,
    /// The users joining or leaving
    #[arg(
        long,
        value_name = "ID[,ID...]",
        value_delimiter = ',',
        required = true
    )]
    pub members: Vec<String>,
}

/// `group dismiss`
#[derive(Debug, Args)]
pub struct GroupDismissArgs {
    /// The group's id
    #[arg(value_name = "GROUP")]
    pub group: String,
    /// The user dismissing it (usually its owner)
    #[arg(long, value_name = "ID")]
    pub operator: String,
}

/// One group.
#[derive(Debug, Args)]
pub struct GroupArg {
    /// The group's id
    #[arg(value_name = "GROUP")]
    pub group: String,
}
