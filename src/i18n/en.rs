//! English.

use super::Key;

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::AgreementTitle => "Mentoring agreement",
        Key::StepOf => "Step {n} of {total}",
        Key::StepParties => "Who this agreement is between",
        Key::StepPartiesIntro => "Start with the two of you and the programme that brought you together. Contact details stay in this document.",
        Key::Mentee => "Mentee",
        Key::Mentor => "Mentor",
        Key::Programme => "Programme",
        Key::FullName => "Full name",
        Key::Contact => "Email or phone",
        Key::ContactHelp => "How the other person can reach you between meetings.",
        Key::ProgrammeName => "Programme name",
        Key::ProgrammeContact => "Programme contact",
        Key::DraftSaved => "Draft saved in this browser.",
        Key::DraftRestored => "Welcome back: your draft from {date} has been restored.",
        Key::Dismiss => "Dismiss",
        Key::StorageCorrupt => "The draft saved in this browser could not be read, so it has been set aside untouched. You can start again here.",
        Key::StorageNewer => "The draft saved in this browser comes from a newer version of this form. It has been set aside untouched; you can start again here.",
        Key::StorageForeign => "Something else is stored where this form keeps its draft. It has been set aside untouched; you can start again here.",
        Key::StorageUnavailable => "This browser is not letting the page save anything, so keep this tab open until you have finished.",
        Key::StorageFull => "This browser's storage for the page is full, so your latest changes are not saved yet. Keep this tab open.",
        Key::FeedbackTitle => "Session feedback",
        Key::StepSession => "Your latest session",
        Key::FeedbackIntro => "A few questions about your latest session. It takes about two minutes.",
        Key::Respondent => "I am the",
        Key::RespondentMentee => "Mentee",
        Key::RespondentMentor => "Mentor",
        Key::SessionDate => "Session date",
        Key::SessionStatus => "Did the session take place?",
        Key::StatusHeld => "Yes, we met",
        Key::StatusCancelledByMentee => "Cancelled by the mentee",
        Key::StatusCancelledByMentor => "Cancelled by the mentor",
        Key::StatusNoShow => "One of us did not turn up",
        Key::StatusPostponed => "Postponed to another date",
        Key::BadNamespace => "The namespace attribute may use only letters, digits, '-' and '_' (at most 64); using \"default\" instead.",
    }
}
