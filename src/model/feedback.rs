//! Feedback on one mentoring session.

use super::form::{Field, FieldKind, Group, Step};
use crate::i18n::Key;
use serde::{Deserialize, Serialize};

/// Feedback on a session, as far as it has been filled in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Feedback {
    /// `mentee` or `mentor`.
    pub respondent: String,
    /// The session's date, `YYYY-MM-DD`.
    pub date: String,
    /// `held`, `cancelled-mentee`, `cancelled-mentor`, `no-show` or `postponed`.
    pub status: String,
}

crate::form_paths!(Feedback {
    "respondent" => respondent,
    "date" => date,
    "status" => status,
});

/// Who can answer.
pub const RESPONDENTS: &[(&str, Key)] = &[("mentee", Key::RespondentMentee), ("mentor", Key::RespondentMentor)];

/// What can have happened to a session.
pub const STATUSES: &[(&str, Key)] = &[
    ("held", Key::StatusHeld),
    ("cancelled-mentee", Key::StatusCancelledByMentee),
    ("cancelled-mentor", Key::StatusCancelledByMentor),
    ("no-show", Key::StatusNoShow),
    ("postponed", Key::StatusPostponed),
];

/// The steps of the feedback form.
pub const STEPS: &[Step] = &[Step {
    id: "session",
    title: Key::StepSession,
    intro: Some(Key::FeedbackIntro),
    groups: &[Group {
        legend: None,
        fields: &[
            Field::text("respondent", Key::Respondent).kind(FieldKind::Choice(RESPONDENTS)),
            Field::text("date", Key::SessionDate).kind(FieldKind::Date),
            Field::text("status", Key::SessionStatus).kind(FieldKind::Choice(STATUSES)),
        ],
    }],
}];
