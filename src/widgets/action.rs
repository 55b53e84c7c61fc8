//! What a button in a widget does: a typed [`Action`], written into the
//! markup as `data-action` with one encoding ([`Action::encode`]) and read
//! back by [`Action::decode`]. A test round-trips every action, so a button
//! can only ever ask for something the widget does.

use crate::store::Stored;
use crate::model::num::Digits;

/// Which view of the feedback widget is open.
#[cfg(any(feature = "feedback", feature = "history"))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// The form.
    Form,
    /// The history and insights.
    History,
}

/// A file the agreement can be written as.
#[cfg(any(feature = "agreement", feature = "document"))]
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

#[cfg(any(feature = "agreement", feature = "document"))]
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

    /// Its media type.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Md => "text/markdown",
            Format::Html => "text/html",
            Format::Txt => "text/plain",
            Format::Ics => "text/calendar",
            Format::Json => "application/json",
        }
    }
}

/// A file the feedback history can be written as.
#[cfg(any(feature = "feedback", feature = "history"))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryFile {
    /// Comma-separated values.
    Csv,
    /// JSON records.
    Json,
    /// The next session agreed, as iCalendar.
    Calendar,
}

#[cfg(any(feature = "feedback", feature = "history"))]
impl HistoryFile {
    /// Every file.
    pub const ALL: [HistoryFile; 3] = [HistoryFile::Csv, HistoryFile::Json, HistoryFile::Calendar];

    /// The file's format, as `export(format)` names it.
    pub fn format(self) -> &'static str {
        match self {
            HistoryFile::Csv => "csv",
            HistoryFile::Json => "json",
            HistoryFile::Calendar => "ics",
        }
    }
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
    #[cfg(any(feature = "agreement", feature = "document"))]
    /// Go back a step.
    Back,
    #[cfg(any(feature = "agreement", feature = "document"))]
    /// Go to the step with this index.
    Goto(usize),
    #[cfg(any(feature = "agreement", feature = "document"))]
    /// Add a goal.
    AddGoal,
    #[cfg(any(feature = "agreement", feature = "document"))]
    /// Remove goal `n`.
    RemoveGoal(usize),
    /// Go to the field with a problem at this path.
    Fix(String),
    #[cfg(any(feature = "agreement", feature = "document"))]
    /// Sign for this party.
    Sign(String),
    #[cfg(any(feature = "agreement", feature = "document"))]
    /// Download the agreement in this format.
    Export(Format),
    /// Print the agreement.
    Print,
    #[cfg(any(feature = "agreement", feature = "document"))]
    /// Choose a draft file to open.
    OpenFile,
    #[cfg(any(feature = "agreement", feature = "document"))]
    /// Open the signed agreement for a new version.
    AmendAgreement,
    #[cfg(any(feature = "agreement", feature = "document"))]
    /// Ask to start over.
    Reset,
    #[cfg(any(feature = "agreement", feature = "document"))]
    /// Do not start over.
    ResetNo,
    #[cfg(any(feature = "agreement", feature = "document"))]
    /// Start over.
    ResetYes,
    #[cfg(any(feature = "feedback", feature = "history"))]
    /// Open a tab.
    Tab(Tab),
    #[cfg(any(feature = "feedback", feature = "history"))]
    /// Ask who is answering again.
    ChangeRespondent,
    #[cfg(any(feature = "feedback", feature = "history"))]
    /// Add an action point.
    AddAction,
    #[cfg(any(feature = "feedback", feature = "history"))]
    /// Remove action point `n`.
    RemoveAction(usize),
    #[cfg(any(feature = "feedback", feature = "history"))]
    /// Amend the record with this id.
    Amend(String),
    /// Stop amending.
    CancelAmend,
    #[cfg(any(feature = "feedback", feature = "history"))]
    /// Show more history entries.
    More,
    #[cfg(any(feature = "feedback", feature = "history"))]
    /// List every open action point.
    AllOpen,
    #[cfg(any(feature = "feedback", feature = "history"))]
    /// Ask every question of a session (`true`) or the quick part only.
    Questions(bool),
    #[cfg(any(feature = "feedback", feature = "history"))]
    /// Download the history; `true` for the full copy.
    History(HistoryFile, bool),
    #[cfg(any(feature = "feedback", feature = "history"))]
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
            #[cfg(any(feature = "agreement", feature = "document"))]
            Action::Back => "back".into(),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Action::Goto(i) => with("goto", &i.digits()),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Action::AddGoal => "add:goals".into(),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Action::RemoveGoal(n) => with("remove:goals", &n.digits()),
            Action::Fix(path) => with("fix", path),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Action::Sign(party) => with("sign", party),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Action::Export(f) => with("export", f.name()),
            Action::Print => "print".into(),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Action::OpenFile => "open-file".into(),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Action::AmendAgreement => "amend-agreement".into(),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Action::Reset => "reset".into(),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Action::ResetNo => "reset-no".into(),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Action::ResetYes => "reset-yes".into(),
            #[cfg(any(feature = "feedback", feature = "history"))]
            Action::Tab(Tab::Form) => "tab:form".into(),
            #[cfg(any(feature = "feedback", feature = "history"))]
            Action::Tab(Tab::History) => "tab:history".into(),
            #[cfg(any(feature = "feedback", feature = "history"))]
            Action::ChangeRespondent => "change-respondent".into(),
            #[cfg(any(feature = "feedback", feature = "history"))]
            Action::AddAction => "add:actions".into(),
            #[cfg(any(feature = "feedback", feature = "history"))]
            Action::RemoveAction(n) => with("remove:actions", &n.digits()),
            #[cfg(any(feature = "feedback", feature = "history"))]
            Action::Amend(id) => with("amend", id),
            Action::CancelAmend => "cancel-amend".into(),
            #[cfg(any(feature = "feedback", feature = "history"))]
            Action::More => "more".into(),
            #[cfg(any(feature = "feedback", feature = "history"))]
            Action::AllOpen => "all-open".into(),
            #[cfg(any(feature = "feedback", feature = "history"))]
            Action::Questions(all) => with("questions", if *all { "all" } else { "quick" }),
            #[cfg(any(feature = "feedback", feature = "history"))]
            Action::History(file, full) => with("history", &[file.format(), if *full { "-full" } else { "-shared" }].concat()),
            #[cfg(any(feature = "feedback", feature = "history"))]
            Action::PrintSummary => "history:print".into(),
        }
    }

    /// The buttons that add an item to the repeated group counted by
    /// `count`, and remove item `n`: goals in the agreement, action points
    /// in the feedback.
    #[cfg_attr(not(any(feature = "agreement", feature = "document")), allow(unused_variables))]
    pub fn repeat(count: &str) -> (Action, fn(usize) -> Action) {
        #[cfg(any(feature = "agreement", feature = "document"))]
        if count == "goals" {
            return (Action::AddGoal, Action::RemoveGoal);
        }
        #[cfg(any(feature = "feedback", feature = "history"))]
        return (Action::AddAction, Action::RemoveAction);
        #[cfg(not(any(feature = "feedback", feature = "history")))]
        (Action::AddGoal, Action::RemoveGoal)
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
            #[cfg(any(feature = "agreement", feature = "document"))]
            ("back", "") => Action::Back,
            #[cfg(any(feature = "agreement", feature = "document"))]
            ("goto", n) => Action::Goto(number(n)?),
            #[cfg(any(feature = "agreement", feature = "document"))]
            ("add", "goals") => Action::AddGoal,
            #[cfg(any(feature = "feedback", feature = "history"))]
            ("add", "actions") => Action::AddAction,
            ("remove", rest) => match rest.split_once(':')? {
                #[cfg(any(feature = "agreement", feature = "document"))]
                ("goals", n) => Action::RemoveGoal(number(n)?),
                #[cfg(any(feature = "feedback", feature = "history"))]
                ("actions", n) => Action::RemoveAction(number(n)?),
                _ => return None,
            },
            ("fix", _) => Action::Fix(text_arg()?),
            #[cfg(any(feature = "agreement", feature = "document"))]
            ("sign", _) => Action::Sign(text_arg()?),
            #[cfg(any(feature = "agreement", feature = "document"))]
            ("export", f) => Action::Export(Format::from_name(f)?),
            ("print", "") => Action::Print,
            #[cfg(any(feature = "agreement", feature = "document"))]
            ("open-file", "") => Action::OpenFile,
            #[cfg(any(feature = "agreement", feature = "document"))]
            ("amend-agreement", "") => Action::AmendAgreement,
            #[cfg(any(feature = "agreement", feature = "document"))]
            ("reset", "") => Action::Reset,
            #[cfg(any(feature = "agreement", feature = "document"))]
            ("reset-no", "") => Action::ResetNo,
            #[cfg(any(feature = "agreement", feature = "document"))]
            ("reset-yes", "") => Action::ResetYes,
            #[cfg(any(feature = "feedback", feature = "history"))]
            ("tab", "form") => Action::Tab(Tab::Form),
            #[cfg(any(feature = "feedback", feature = "history"))]
            ("tab", "history") => Action::Tab(Tab::History),
            #[cfg(any(feature = "feedback", feature = "history"))]
            ("change-respondent", "") => Action::ChangeRespondent,
            #[cfg(any(feature = "feedback", feature = "history"))]
            ("amend", _) => Action::Amend(text_arg()?),
            ("cancel-amend", "") => Action::CancelAmend,
            #[cfg(any(feature = "feedback", feature = "history"))]
            ("more", "") => Action::More,
            #[cfg(any(feature = "feedback", feature = "history"))]
            ("all-open", "") => Action::AllOpen,
            #[cfg(any(feature = "feedback", feature = "history"))]
            ("questions", "all") => Action::Questions(true),
            #[cfg(any(feature = "feedback", feature = "history"))]
            ("questions", "quick") => Action::Questions(false),
            #[cfg(any(feature = "feedback", feature = "history"))]
            ("history", "print") => Action::PrintSummary,
            #[cfg(any(feature = "feedback", feature = "history"))]
            ("history", which) => {
                let (file, copy) = which.split_once('-')?;
                let file = HistoryFile::ALL.into_iter().find(|f| f.format() == file)?;
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
            Action::AmendAgreement,
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
        for file in HistoryFile::ALL {
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
