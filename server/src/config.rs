//! The command line: every option of the server, each also settable by an
//! environment variable (`MENTORKIT_…`), and the `admin` subcommands that
//! create programmes, coordinators, keys and pairs.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

/// mentorkit-server: receives the records mentorkit widgets send, enrols
/// pairs and gives coordinators their pages.
///
/// Without a subcommand it serves. Records go to a SQLite file unless
/// --database-url is a postgres:// URL. Create a programme and its first
/// coordinator with the admin subcommands first.
#[derive(Debug, Parser)]
#[command(name = "mentorkit-server", version, max_term_width = 100)]
pub struct Cli {
    /// Where the data is: a SQLite file (created with its folder if missing;
    /// `sqlite:PATH` or a bare path) or a PostgreSQL URL
    /// (`postgres://user:password@host:port/database`).
    #[arg(long, env = "MENTORKIT_DATABASE_URL", default_value = "data/mentorkit.sqlite", global = true)]
    pub database_url: String,

    /// The most connections to the database this process opens (default: 4
    /// for SQLite, 10 for PostgreSQL).
    #[arg(long, env = "MENTORKIT_DB_MAX_CONNECTIONS", global = true)]
    pub db_max_connections: Option<u32>,

    /// Log format: `text` (key=value) or `json`. Logs never hold names,
    /// records or tokens.
    #[arg(long, env = "MENTORKIT_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    pub log_format: LogFormat,

    /// The least severe log level written: error, warn, info, debug or trace.
    #[arg(long, env = "MENTORKIT_LOG_LEVEL", default_value = "info", global = true)]
    pub log_level: tracing::Level,

    // What serving takes (doc comments here would become help text).
    #[allow(missing_docs)]
    #[command(flatten)]
    pub serve: ServeArgs,

    #[allow(missing_docs)]
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How logs are written (to standard error).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One line per event: `level message key=value …`.
    Text,
    /// One JSON object per line.
    Json,
}

/// The options of serving.
#[derive(Clone, Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on.
    #[arg(long, env = "MENTORKIT_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Mark the session cookie `Secure` always. Use it when the server is
    /// reached over HTTPS (it is also set per request when --trust-proxy is
    /// on and the proxy says `X-Forwarded-Proto: https`).
    #[arg(long, env = "MENTORKIT_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// Behind a reverse proxy: take the client's address from the last entry
    /// of `X-Forwarded-For`, and the scheme from `X-Forwarded-Proto`. Only
    /// when every request comes through that proxy.
    #[arg(long, env = "MENTORKIT_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// An origin (`https://host[:port]`) allowed to post records from a
    /// browser, beyond the programmes' own; repeat it or separate with commas.
    #[arg(long = "allow-origin", env = "MENTORKIT_ALLOW_ORIGIN", value_delimiter = ',')]
    pub allow_origins: Vec<String>,

    /// The most connections served at once; more wait to be accepted.
    #[arg(long, env = "MENTORKIT_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,

    /// The most requests handled at once; more wait their turn.
    #[arg(long, env = "MENTORKIT_MAX_CONCURRENCY", default_value_t = 512)]
    pub max_concurrency: usize,

    /// Seconds a client has to send a request's headers.
    #[arg(long, env = "MENTORKIT_HEADER_TIMEOUT", default_value_t = 5)]
    pub header_timeout: u64,

    /// Seconds a request may take in all, its body included (408 after).
    #[arg(long, env = "MENTORKIT_REQUEST_TIMEOUT", default_value_t = 15)]
    pub request_timeout: u64,

    /// Seconds requests in flight get to finish after SIGTERM or SIGINT.
    #[arg(long, env = "MENTORKIT_SHUTDOWN_GRACE", default_value_t = 20)]
    pub shutdown_grace: u64,

    /// Seconds between runs of the retention task (it also runs at start).
    #[arg(long, env = "MENTORKIT_RETENTION_INTERVAL", default_value_t = 3600)]
    pub retention_interval: u64,

    /// Demo mode, only for trying the widgets out: an open demo programme
    /// whose posting needs no invitation (no authentication at all), the
    /// failure switches (/api/fail), the listing at /received and
    /// /api/received, and the files of www/ at / and pkg/ at /pkg/.
    #[arg(long, env = "MENTORKIT_DEMO")]
    pub demo: bool,

    /// In demo mode, the folder holding www/ and pkg/.
    #[arg(long, env = "MENTORKIT_STATIC_ROOT", default_value = ".")]
    pub static_root: PathBuf,
}

/// What to do instead of serving.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve (the default).
    Serve,
    /// Set the server up: programmes, coordinators, keys, pairs.
    #[command(subcommand)]
    Admin(Admin),
}

/// The admin subcommands.
#[derive(Debug, Subcommand)]
pub enum Admin {
    /// Create a programme.
    CreateProgramme {
        /// Its id: letters, digits, '-' and '_'.
        #[arg(long)]
        id: String,
        /// Its name.
        #[arg(long)]
        name: String,
        /// An origin its host pages are on (`https://host[:port]`); repeat
        /// it or separate with commas.
        #[arg(long = "origin", value_delimiter = ',')]
        origins: Vec<String>,
        /// Days a received record is kept before it is deleted.
        #[arg(long, default_value_t = 365)]
        retention_days: i64,
        #[allow(missing_docs)]
        #[command(flatten)]
        settings: SettingsArgs,
    },
    /// Change a programme's name, origins or retention.
    UpdateProgramme {
        /// The programme's id.
        #[arg(long)]
        id: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// The origins, replacing the old ones (repeat or separate with commas).
        #[arg(long = "origin", value_delimiter = ',')]
        origins: Option<Vec<String>>,
        /// New retention in days.
        #[arg(long)]
        retention_days: Option<i64>,
        #[allow(missing_docs)]
        #[command(flatten)]
        settings: SettingsArgs,
    },
    /// List the programmes.
    ListProgrammes,
    /// Create a coordinator account; the password is read from standard input.
    CreateCoordinator {
        /// The programme they coordinate.
        #[arg(long)]
        programme: String,
        /// The email they sign in with.
        #[arg(long)]
        email: String,
        /// Read the password (at least 12 characters) from standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Make a programme key (printed once) for the programme's own systems.
    CreateKey {
        /// The programme.
        #[arg(long)]
        programme: String,
        /// What the key is for.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Revoke a programme key by its id.
    RevokeKey {
        /// The programme.
        #[arg(long)]
        programme: String,
        /// The key's id (printed when it was made).
        #[arg(long)]
        key_id: String,
    },
    /// Enrol a pair; prints both invitations once.
    EnrolPair {
        /// The programme.
        #[arg(long)]
        programme: String,
        /// The pair's id (made up when left out).
        #[arg(long, default_value = "")]
        pair: String,
        /// The mentee's name.
        #[arg(long)]
        mentee_name: String,
        /// The mentee's contact.
        #[arg(long, default_value = "")]
        mentee_contact: String,
        /// The mentor's name.
        #[arg(long)]
        mentor_name: String,
        /// The mentor's contact.
        #[arg(long, default_value = "")]
        mentor_contact: String,
    },
    /// Delete the records past their programme's retention period now.
    PurgeExpired,
}

/// What the coordinator's pages of a programme read like and watch for
/// (each left as it is when not given).
#[derive(Clone, Debug, Default, Args)]
pub struct SettingsArgs {
    /// The language of the coordinator's pages and reports: en, es, fr, de
    /// or ar (a coordinator may pick another for themselves).
    #[arg(long)]
    pub language: Option<String>,
    /// The agreement widget's programme configuration (a JSON file, the one
    /// the host page gives the widget), so the agreement reads here as it
    /// does there; an empty value removes it.
    #[arg(long, value_name = "FILE")]
    pub agreement_config: Option<PathBuf>,
    /// The feedback widget's programme configuration (a JSON file): its
    /// wording, hidden questions and the programme's own questions; an empty
    /// value removes it.
    #[arg(long, value_name = "FILE")]
    pub feedback_config: Option<PathBuf>,
    /// The coordinator pages' own wording: a JSON file of language, then
    /// message name, then text (`{"en": {"PairsTitle": "Our pairs"}}`); an
    /// empty value removes it.
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,
    /// Days after enrolment without a signed agreement before a pair is
    /// flagged (default 14).
    #[arg(long)]
    pub agreement_days: Option<i64>,
    /// Weeks without feedback from either person before a pair is flagged
    /// (default 6).
    #[arg(long)]
    pub silence_weeks: Option<i64>,
    /// How many points apart the mentee's and the mentor's ratings of the
    /// same session must be to flag the pair (default 2).
    #[arg(long)]
    pub rating_gap: Option<i64>,
}
