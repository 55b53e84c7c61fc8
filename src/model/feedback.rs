//! Feedback on one mentoring session.

use super::form::{Field, FieldKind, Group, Step, Values};
use crate::i18n::Key;

/// Feedback on a session.
pub type Feedback = Values;

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
    groups: &[Group::plain(&[
        Field::choice("respondent", Key::Respondent, RESPONDENTS),
        Field::text("date", Key::SessionDate).kind(FieldKind::Date),
        Field::choice("status", Key::SessionStatus, STATUSES),
    ])],
}];
