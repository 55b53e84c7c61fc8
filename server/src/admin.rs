//! The `admin` subcommands: set up programmes, coordinators, keys and pairs
//! from the command line (the first programme and coordinator are made this
//! way). Secrets are printed once, on standard output, one per line.

use crate::config::{Admin, SettingsArgs};
use crate::coordinator::words::Labels;
use crate::db::Db;
use crate::programmes::{self, EnrolError, Enrolment, Programme, Settings};
use crate::{accounts, privacy};
use std::io::BufRead;

/// Who the audit log names for changes made here.
const ACTOR: &str = "admin";

fn check_origins(origins: &[String]) -> Result<(), String> {
    for o in origins {
        let ok = (o.starts_with("https://") || o.starts_with("http://")) && !o.ends_with('/') && o.matches('/').count() == 2;
        if !ok {
            return Err(format!("{o} is not an origin: write it as https://host or https://host:port, without a path"));
        }
    }
    Ok(())
}

/// A file's text, or `None` for an empty path (which removes the setting).
fn file(path: &std::path::Path, what: &str) -> Result<Option<String>, String> {
    if path.as_os_str().is_empty() {
        return Ok(None);
    }
    std::fs::read_to_string(path).map(Some).map_err(|e| format!("reading the {what} {}: {e}", path.display()))
}

/// Changes `settings` as `args` say, checking each: a language the pages
/// speak, the widgets' configurations as the widgets would read them, the
/// pages' wording, thresholds of at least zero (the gap at least one).
pub fn apply(settings: &mut Settings, args: &SettingsArgs) -> Result<(), String> {
    if let Some(language) = &args.language {
        if !mentorkit::i18n::Locale::ALL.iter().any(|l| l.tag() == language) {
            return Err(format!("--language {language}: the pages speak en, es, fr, de and ar"));
        }
        settings.language = language.clone();
    }
    let widget = |path: &std::path::Path, what: &str, schema: &mentorkit::model::config::Schema| -> Result<Option<String>, String> {
        let text = file(path, what)?;
        if let Some(text) = &text {
            mentorkit::model::config::Programme::from_json(text, schema).map_err(|e| format!("the {what} {}: {e}", path.display()))?;
        }
        Ok(text)
    };
    if let Some(path) = &args.agreement_config {
        settings.agreement_config = widget(path, "agreement configuration", &mentorkit::model::agreement::SCHEMA)?;
    }
    if let Some(path) = &args.feedback_config {
        settings.feedback_config = widget(path, "feedback configuration", &mentorkit::model::feedback::SCHEMA)?;
    }
    if let Some(path) = &args.labels {
        let text = file(path, "wording")?;
        if let Some(text) = &text {
            Labels::parse(text).map_err(|e| format!("the wording {}: {e}", path.display()))?;
        }
        settings.labels = text;
    }
    for (value, target, name, least) in [
        (args.agreement_days, &mut settings.agreement_days, "--agreement-days", 0),
        (args.silence_weeks, &mut settings.silence_weeks, "--silence-weeks", 1),
        (args.rating_gap, &mut settings.rating_gap, "--rating-gap", 1),
    ] {
        if let Some(v) = value {
            if v < least {
                return Err(format!("{name} is at least {least}"));
            }
            *target = v;
        }
    }
    Ok(())
}

/// Runs one admin command; the text for the operator, or what went wrong.
pub async fn run(db: &Db, command: Admin) -> Result<String, String> {
    let db_err = |e: sqlx::Error| format!("database: {e}");
    match command {
        Admin::CreateProgramme { id, name, origins, retention_days, settings: args } => {
            if !programmes::is_id(&id) {
                return Err("the id may have letters, digits, '-' and '_', at most 64".into());
            }
            if retention_days < 1 {
                return Err("the retention is at least one day".into());
            }
            check_origins(&origins)?;
            let mut settings = Settings::default();
            apply(&mut settings, &args)?;
            let p = Programme { id: id.clone(), name, origins, retention_days, settings };
            if programmes::create_programme(db, &p, ACTOR).await.map_err(db_err)? {
                Ok(format!("programme {id} created (records kept {retention_days} days)"))
            } else {
                Err(format!("a programme {id} exists already"))
            }
        }
        Admin::UpdateProgramme { id, name, origins, retention_days, settings: args } => {
            let Some(mut p) = programmes::programme(db, &id).await.map_err(db_err)? else { return Err(format!("no programme {id}")) };
            if let Some(name) = name {
                p.name = name;
            }
            if let Some(origins) = origins {
                check_origins(&origins)?;
                p.origins = origins;
            }
            if let Some(days) = retention_days {
                if days < 1 {
                    return Err("the retention is at least one day".into());
                }
                p.retention_days = days;
            }
            apply(&mut p.settings, &args)?;
            programmes::update_programme(db, &p, ACTOR).await.map_err(db_err)?;
            Ok(format!("programme {id} changed"))
        }
        Admin::ListProgrammes => {
            let mut out = String::new();
            for p in programmes::programmes(db).await.map_err(db_err)? {
                out.push_str(&format!("{}\t{}\tretention {} days\torigins: {}\n", p.id, p.name, p.retention_days, p.origins.join(" ")));
            }
            Ok(out.trim_end().to_owned())
        }
        Admin::CreateCoordinator { programme, email, password_stdin: _ } => {
            if programmes::programme(db, &programme).await.map_err(db_err)?.is_none() {
                return Err(format!("no programme {programme}"));
            }
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password).map_err(|e| format!("reading the password: {e}"))?;
            let password = password.trim_end_matches(['\n', '\r']);
            match accounts::create_coordinator(db, &programme, &email, password, ACTOR).await {
                Ok(true) => Ok(format!("coordinator {} created for programme {programme}", accounts::normal_email(&email))),
                Ok(false) => Err("a coordinator with this email exists already".into()),
                Err(e) => Err(e.to_string()),
            }
        }
        Admin::CreateKey { programme, label } => {
            if programmes::programme(db, &programme).await.map_err(db_err)?.is_none() {
                return Err(format!("no programme {programme}"));
            }
            let (key, id) = programmes::create_key(db, &programme, &label, ACTOR).await.map_err(db_err)?;
            Ok(format!("key-id: {id}\nkey: {key}\n(the key is shown only now; it is stored hashed)"))
        }
        Admin::RevokeKey { programme, key_id } => {
            if programmes::revoke_key(db, &programme, &key_id, ACTOR).await.map_err(db_err)? {
                Ok(format!("key {key_id} revoked"))
            } else {
                Err(format!("no live key {key_id} in programme {programme}"))
            }
        }
        Admin::EnrolPair { programme, pair, mentee_name, mentee_contact, mentor_name, mentor_contact } => {
            if programmes::programme(db, &programme).await.map_err(db_err)?.is_none() {
                return Err(format!("no programme {programme}"));
            }
            let e = Enrolment { pair_id: pair, mentee_name, mentee_contact, mentor_name, mentor_contact };
            match programmes::enrol(db, &programme, &e, ACTOR).await {
                Ok(inv) => Ok(format!(
                    "pair: {}\nmentee-invitation: {}\nmentor-invitation: {}\n(the invitations are shown only now; they are stored hashed)",
                    inv.pair_id, inv.mentee, inv.mentor
                )),
                Err(EnrolError::Taken) => Err("a pair with this id is enrolled already".into()),
                Err(EnrolError::Invalid(why)) => Err(why.to_string()),
                Err(EnrolError::Db(e)) => Err(db_err(e)),
            }
        }
        Admin::PurgeExpired => {
            let n = privacy::purge_expired(db).await.map_err(db_err)?;
            Ok(format!("{n} expired records deleted"))
        }
    }
}
