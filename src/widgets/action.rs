//! What a button in a widget does: a typed [`Action`], written into the
//! markup as `data-action` with one encoding ([`Action::encode`]) and read
//! back by [`Action::decode`]. A test round-trips every action, so a button
//! can only ever ask for something the widget does.

use crate::store::Stored;

/// Which view of the feedback widget is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// The form.
    Form,
    /// The history and insights.
    History,
}

/// A file the agreement can be written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Markdown.
    Md,
    /// A standalone web page.
    Html,
    /// Plain text.
    Txt,
    /// The meetings as iCalendar.
    Ics,
    /// The draft file, which the agreement builder opens.
    Json,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 5] = [Format::Md, Format::Html, Format::Txt, Format::Ics, Format::Json];

    /// Its name: the file extension, and what `export(format)` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Txt => "txt",
            Format::Ics => "ics",
            Format::Json => "json",
        }
    }

    /// The format named `name`.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A file the feedback history can be written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryFile {
    /// Comma-separated values.
    Csv,
    /// JSON records.
    Json,
}

/// What a button asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Close the notice.
    Dismiss,
    /// Take the other tab's text for the fields both changed.
    UseTheirs,
    /// Download what could not be saved.
    DownloadCopy,
    /// Download the unusable value left in place.
    DownloadLeft(Stored),
    /// Try sending the record with this key again.
    DeliverRetry(String),
    /// Download the record with this key as it would be sent.
    DeliverDownload(String),
    /// Go back a step.
    Back,
    /// Go to the step with this index.
    Goto(usize),
    /// Add a goal.
    AddGoal,
    /// Remove goal `n`.
    RemoveGoal(usize),
    /// Go to the field with a problem at this path.
    Fix(String),
    /// Sign for this party.
    Sign(String),
    /// Download the agreement in this format.
    Export(Format),
    /// Print the agreement.
    Print,
    /// Choose a draft file to open.
    OpenFile,
    /// Ask to start over.
    Reset,
    /// Do not start over.
    ResetNo,
    /// Start over.
    ResetYes,
    /// Open a tab.
    Tab(Tab),
    /// Ask who is answering again.
    ChangeRespondent,
    /// Add an action point.
    AddAction,
    /// Remove action point `n`.
    RemoveAction(usize),
    /// Amend the record with this id.
    Amend(String),
    /// Stop amending.
    CancelAmend,
    /// Show more history entries.
    More,
    /// List every open action point.
    AllOpen,
    /// Ask every question of a session (`true`) or the quick part only.
    Questions(bool),
    /// Download the history; `true` for the full copy.
    History(HistoryFile, bool),
    /// Print the history's summary.
    PrintSummary,
}

fn stored_name(s: Stored) -> &'static str {
    match s {
        Stored::Draft => "draft",
        Stored::History => "history",
        Stored::Outbox => "outbox",
    }
}

impl Action {
    /// The action as written in `data-action`.
    pub fn encode(&self) -> String {
        let with = |verb: &str, arg: &str| [verb, ":", arg].concat();
        match self {
            Action::Dismiss => "dismiss".into(),
            Action::UseTheirs => "use-theirs".into(),
            Action::DownloadCopy => "download-copy".into(),
            Action::DownloadLeft(s) => with("download-left", stored_name(*s)),
            Action::DeliverRetry(key) => with("deliver-retry", key),
            Action::DeliverDownload(key) => with("deliver-download", key),
            Action::Back => "back".into(),
            Action::Goto(i) => with("goto", &i.to_string()),
            Action::AddGoal => "add:goals".into(),
            Action::RemoveGoal(n) => with("remove:goals", &n.to_string()),
            Action::Fix(path) => with("fix", path),
            Action::Sign(party) => with("sign", party),
            Action::Export(f) => with("export", f.name()),
            Action::Print => "print".into(),
            Action::OpenFile => "open-file".into(),
            Action::Reset => "reset".into(),
            Action::ResetNo => "reset-no".into(),
            Action::ResetYes => "reset-yes".into(),
            Action::Tab(Tab::Form) => "tab:form".into(),
            Action::Tab(Tab::History) => "tab:history".into(),
            Action::ChangeRespondent => "change-respondent".into(),
            Action::AddAction => "add:actions".into(),
            Action::RemoveAction(n) => with("remove:actions", &n.to_string()),
            Action::Amend(id) => with("amend", id),
            Action::CancelAmend => "cancel-amend".into(),
            Action::More => "more".into(),
            Action::AllOpen => "all-open".into(),
            Action::Questions(all) => with("questions", if *all { "all" } else { "quick" }),
            Action::History(file, full) => {
                let file = match file {
                    HistoryFile::Csv => "csv",
                    HistoryFile::Json => "json",
                };
                with("history", &[file, if *full { "-full" } else { "-shared" }].concat())
            }
            Action::PrintSummary => "history:print".into(),
        }
    }

    /// The action written as `text`, if it is one.
    pub fn decode(text: &str) -> Option<Action> {
        let (verb, arg) = text.split_once(':').unwrap_or((text, ""));
        let number = |s: &str| s.parse::<usize>().ok();
        let text_arg = || (!arg.is_empty()).then(|| arg.to_owned());
        Some(match (verb, arg) {
            ("dismiss", "") => Action::Dismiss,
            ("use-theirs", "") => Action::UseTheirs,
            ("download-copy", "") => Action::DownloadCopy,
            ("download-left", "draft") => Action::DownloadLeft(Stored::Draft),
            ("download-left", "history") => Action::DownloadLeft(Stored::History),
            ("download-left", "outbox") => Action::DownloadLeft(Stored::Outbox),
            ("deliver-retry", _) => Action::DeliverRetry(text_arg()?),
            ("deliver-download", _) => Action::DeliverDownload(text_arg()?),
            ("back", "") => Action::Back,
            ("goto", n) => Action::Goto(number(n)?),
            ("add", "goals") => Action::AddGoal,
            ("add", "actions") => Action::AddAction,
            ("remove", rest) => match rest.split_once(':')? {
                ("goals", n) => Action::RemoveGoal(number(n)?),
                ("actions", n) => Action::RemoveAction(number(n)?),
                _ => return None,
            },
            ("fix", _) => Action::Fix(text_arg()?),
            ("sign", _) => Action::Sign(text_arg()?),
            ("export", f) => Action::Export(Format::from_name(f)?),
            ("print", "") => Action::Print,
            ("open-file", "") => Action::OpenFile,
            ("reset", "") => Action::Reset,
            ("reset-no", "") => Action::ResetNo,
            ("reset-yes", "") => Action::ResetYes,
            ("tab", "form") => Action::Tab(Tab::Form),
            ("tab", "history") => Action::Tab(Tab::History),
            ("change-respondent", "") => Action::ChangeRespondent,
            ("amend", _) => Action::Amend(text_arg()?),
            ("cancel-amend", "") => Action::CancelAmend,
            ("more", "") => Action::More,
            ("all-open", "") => Action::AllOpen,
            ("questions", "all") => Action::Questions(true),
            ("questions", "quick") => Action::Questions(false),
            ("history", "print") => Action::PrintSummary,
            ("history", which) => {
                let (file, copy) = which.split_once('-')?;
                let file = match file {
                    "csv" => HistoryFile::Csv,
                    "json" => HistoryFile::Json,
                    _ => return None,
                };
                Action::History(file, match copy {
                    "full" => true,
                    "shared" => false,
                    _ => return None,
                })
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every() -> Vec<Action> {
        let mut all = vec![
            Action::Dismiss,
            Action::UseTheirs,
            Action::DownloadCopy,
            Action::DeliverRetry("r-1.2".into()),
            Action::DeliverDownload("a:b".into()),
            Action::Back,
            Action::Goto(0),
            Action::Goto(11),
            Action::AddGoal,
            Action::RemoveGoal(3),
            Action::Fix("goal.2.what".into()),
            Action::Sign("guardian".into()),
            Action::Print,
            Action::OpenFile,
            Action::Reset,
            Action::ResetNo,
            Action::ResetYes,
            Action::Tab(Tab::Form),
            Action::Tab(Tab::History),
            Action::ChangeRespondent,
            Action::AddAction,
            Action::RemoveAction(10),
            Action::Amend("3f2a-9".into()),
            Action::CancelAmend,
            Action::More,
            Action::AllOpen,
            Action::Questions(true),
            Action::Questions(false),
            Action::PrintSummary,
        ];
        all.extend([Stored::Draft, Stored::History, Stored::Outbox].map(Action::DownloadLeft));
        all.extend(Format::ALL.map(Action::Export));
        for file in [HistoryFile::Csv, HistoryFile::Json] {
            all.extend([Action::History(file, true), Action::History(file, false)]);
        }
        all
    }

    #[test]
    fn every_action_reads_back_as_itself() {
        let all = every();
        for action in &all {
            assert_eq!(Action::decode(&action.encode()).as_ref(), Some(action), "{}", action.encode());
        }
        let mut codes: Vec<String> = all.iter().map(Action::encode).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len(), "no two actions share an encoding");
    }

    #[test]
    fn what_is_not_an_action_is_none() {
        for bad in ["", "nothing", "goto:x", "goto:", "remove:goals", "remove:owls:1", "export:pdf", "tab:other", "sign:", "history:csv", "dismiss:now"] {
            assert_eq!(Action::decode(bad), None, "{bad}");
        }
    }
}
