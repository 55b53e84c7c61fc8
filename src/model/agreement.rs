//! The mentoring agreement: its steps, fields and their starting values.
//!
//! The data is [`Values`]; this module says which paths exist. Signatures are
//! kept under `sign.<party>.*` and are not fields of any step: they are made on
//! the review step and checked against the agreement's fingerprint.

use super::form::{Field, FieldKind, Group, Repeat, Step, Values};
use crate::i18n::Key;

/// The agreement's data.
pub type Agreement = Values;

const YES_NO: &[(&str, Key)] = &[("no", Key::No), ("yes", Key::Yes)];
const CADENCES: &[(&str, Key)] = &[
    ("60-monthly", Key::Cadence60Monthly),
    ("30-fortnightly", Key::Cadence30Fortnightly),
    ("90-six-weekly", Key::Cadence90SixWeekly),
    ("custom", Key::CadenceCustom),
];
const UNITS: &[(&str, Key)] = &[("weeks", Key::UnitWeeks), ("months", Key::UnitMonths)];
const FORMATS: &[(&str, Key)] = &[
    ("in-person", Key::FormatInPerson),
    ("video", Key::FormatVideo),
    ("phone", Key::FormatPhone),
    ("mixed", Key::FormatMixed),
];
const WHO: &[(&str, Key)] = &[("mentee", Key::Mentee), ("mentor", Key::Mentor), ("both", Key::EitherOfUs)];
const REMIND: &[(&str, Key)] = &[("0", Key::RemindNone), ("15", Key::Remind15), ("60", Key::Remind60), ("1440", Key::Remind1440)];
const PAID: &[(&str, Key)] = &[("unpaid", Key::Unpaid), ("paid", Key::Paid)];
const LENGTHS: &[(&str, Key)] = &[
    ("3", Key::Months3),
    ("6", Key::Months6),
    ("12", Key::Months12),
    ("goals", Key::UntilGoalsMet),
    ("date", Key::UntilDate),
];

/// The number of goals, kept at this path.
pub const GOALS: Repeat =
    Repeat { count: "goals", min: 1, max: 5, item: Key::GoalN, add: Key::AddGoal, remove: Key::RemoveGoal, title: None, fixed: false };

/// The steps of the agreement builder, in order. The last, `review`, has no
/// fields: it shows the document, its problems, the signatures and exports.
pub const STEPS: &[Step] = &[
    Step {
        id: "parties",
        title: Key::StepParties,
        intro: Some(Key::StepPartiesIntro),
        groups: &[
            Group::new(Key::Mentee, &[
                Field::text("mentee.name", Key::FullName).autocomplete("name").required(),
                Field::text("mentee.contact", Key::Contact).help(Key::ContactHelp).kind(FieldKind::Contact).autocomplete("email"),
                Field::choice("mentee.minor", Key::MenteeMinor, YES_NO).value("no"),
            ]),
            Group::new(Key::Guardian, &[
                Field::text("guardian.name", Key::FullName).required().when("mentee.minor", "yes"),
                Field::text("guardian.contact", Key::Contact).kind(FieldKind::Contact).when("mentee.minor", "yes"),
            ]),
            Group::new(Key::Mentor, &[
                Field::text("mentor.name", Key::FullName).autocomplete("off").required(),
                Field::text("mentor.contact", Key::Contact).kind(FieldKind::Contact).autocomplete("off"),
            ]),
            Group::new(Key::Programme, &[
                Field::text("programme.name", Key::ProgrammeName).autocomplete("organization"),
                Field::text("programme.contact", Key::ProgrammeContact).kind(FieldKind::Contact).autocomplete("off"),
            ]),
        ],
    },
    Step {
        id: "purpose",
        title: Key::StepPurpose,
        intro: Some(Key::StepPurposeIntro),
        groups: &[Group::plain(&[
            Field::long("purpose.text", Key::PurposeText).help(Key::PurposeHelp).required(),
        ])],
    },
    Step {
        id: "goals",
        title: Key::StepGoals,
        intro: Some(Key::StepGoalsIntro),
        groups: &[Group { legend: None, repeat: Some(GOALS), fields: &[
            Field::text("goal.#.what", Key::GoalWhat).required(),
            Field::text("goal.#.measure", Key::GoalMeasure).help(Key::GoalMeasureHelp),
            Field::text("goal.#.target", Key::GoalTarget).kind(FieldKind::Date),
            Field::long("goal.#.steps", Key::GoalSteps),
        ] }],
    },
    Step {
        id: "expectations",
        title: Key::StepExpectations,
        intro: Some(Key::StepExpectationsIntro),
        groups: &[Group::plain(&[
            Field::long("expect.mentee", Key::ExpectMentee).initial(Key::DefaultExpectMentee).required(),
            Field::long("expect.mentor", Key::ExpectMentor).initial(Key::DefaultExpectMentor).required(),
        ])],
    },
    Step {
        id: "meetings",
        title: Key::StepMeetings,
        intro: Some(Key::StepMeetingsIntro),
        groups: &[
            Group::new(Key::HowOften, &[
                Field::choice("meet.cadence", Key::Cadence, CADENCES).value("60-monthly").required(),
                Field::text("meet.every", Key::Every).kind(FieldKind::Number { min: 1, max: 26 }).value("1").required().when("meet.cadence", "custom"),
                Field::choice("meet.unit", Key::Unit, UNITS).value("months").required().when("meet.cadence", "custom"),
                Field::text("meet.minutes", Key::Minutes).kind(FieldKind::Number { min: 10, max: 480 }).value("60").required().when("meet.cadence", "custom"),
                Field::text("meet.first", Key::FirstMeeting).help(Key::FirstMeetingHelp).kind(FieldKind::Date),
                Field::text("meet.time", Key::MeetingTime).kind(FieldKind::Time),
            ]),
            Group::new(Key::HowWeMeet, &[
                Field::choice("meet.format", Key::Format, FORMATS).value("video"),
                Field::text("meet.place", Key::Place).help(Key::PlaceHelp),
                Field::long("meet.access", Key::Access).help(Key::AccessHelp),
            ]),
            Group::new(Key::Organising, &[
                Field::choice("meet.scheduler", Key::Scheduler, WHO).value("mentee"),
                Field::text("meet.agendaDays", Key::AgendaDays).kind(FieldKind::Number { min: 0, max: 30 }).value("2"),
                Field::choice("meet.notes", Key::NotesBy, WHO).value("mentee"),
                Field::choice("meet.nextDate", Key::NextDate, YES_NO).value("yes"),
                Field::choice("meet.remind", Key::Remind, REMIND).value("60"),
            ]),
        ],
    },
    Step {
        id: "contact",
        title: Key::StepContact,
        intro: None,
        groups: &[
            Group::new(Key::BetweenMeetings, &[
                Field::text("contact.channels", Key::Channels).initial(Key::DefaultChannels),
                Field::text("contact.reply", Key::ReplyTime).initial(Key::DefaultReplyTime),
            ]),
            Group::new(Key::Cancelling, &[
                Field::text("cancel.notice", Key::CancelNotice).initial(Key::DefaultCancelNotice),
                Field::long("cancel.rescheduling", Key::Rescheduling).initial(Key::DefaultRescheduling),
                Field::long("cancel.repeated", Key::RepeatedCancelling).initial(Key::DefaultRepeatedCancelling),
            ]),
        ],
    },
    Step {
        id: "confidentiality",
        title: Key::StepConfidentiality,
        intro: Some(Key::StepConfidentialityIntro),
        groups: &[Group::plain(&[
            Field::long("confidentiality.text", Key::ConfidentialityText).initial(Key::DefaultConfidentiality).required(),
            Field::long("confidentiality.limits", Key::ConfidentialityLimits).initial(Key::DefaultLimits).required(),
            Field::long("confidentiality.programme", Key::SharedWithProgramme).initial(Key::DefaultSharedWithProgramme),
        ])],
    },
    Step {
        id: "boundaries",
        title: Key::StepBoundaries,
        intro: None,
        groups: &[
            Group::plain(&[
                Field::long("boundaries.text", Key::BoundariesText).initial(Key::DefaultBoundaries),
                Field::long("boundaries.referral", Key::Referral).initial(Key::DefaultReferral),
            ]),
            Group::new(Key::Money, &[
                Field::choice("paid.kind", Key::PaidOrNot, PAID).value("unpaid"),
                Field::text("paid.fees", Key::Fees).required().when("paid.kind", "paid"),
                Field::long("paid.ownership", Key::Ownership).initial(Key::DefaultOwnership).when("paid.kind", "paid"),
            ]),
        ],
    },
    Step {
        id: "term",
        title: Key::StepTerm,
        intro: Some(Key::StepTermIntro),
        groups: &[
            Group::new(Key::Duration, &[
                Field::text("term.start", Key::StartDate).kind(FieldKind::Date).required(),
                Field::choice("term.length", Key::Length, LENGTHS).value("6").required(),
                Field::text("term.end", Key::EndDate).kind(FieldKind::Date).required().when("term.length", "date"),
                Field::long("term.renewal", Key::Renewal).initial(Key::DefaultRenewal),
            ]),
            Group::new(Key::Reviews, &[
                Field::text("review.1", Key::ReviewDate1).help(Key::ReviewHelp).kind(FieldKind::Date),
                Field::text("review.2", Key::ReviewDate2).kind(FieldKind::Date),
                Field::text("review.3", Key::ReviewDate3).kind(FieldKind::Date),
                Field::long("review.how", Key::ReviewHow).initial(Key::DefaultReviewHow),
            ]),
        ],
    },
    Step {
        id: "ending",
        title: Key::StepEnding,
        intro: None,
        groups: &[
            Group::new(Key::Ending, &[
                Field::long("ending.text", Key::EndingText).initial(Key::DefaultEnding).required(),
                Field::text("ending.notice", Key::EndingNotice).initial(Key::DefaultEndingNotice),
            ]),
            Group::new(Key::Problems, &[Field::long("problems.text", Key::ProblemsText).initial(Key::DefaultProblems)]),
            Group::new(Key::Records, &[Field::long("records.text", Key::RecordsText).initial(Key::DefaultRecords)]),
        ],
    },
    Step { id: "clauses", title: Key::StepClauses, intro: Some(Key::StepClausesIntro), groups: &[] },
    Step { id: "review", title: Key::StepReview, intro: Some(Key::StepReviewIntro), groups: &[] },
];

/// Paths an agreement holds beyond its fields: the goal count, the record's
/// bookkeeping, every party's signature and the programme's clauses.
pub fn extra_paths(programme: &super::config::Programme) -> Vec<String> {
    let mut paths: Vec<String> = ["goals", "meta.id", "meta.version", "meta.created", "meta.pair", "meta.signed", "meta.amends"].map(String::from).into();
    for party in ["mentee", "mentor", "guardian"] {
        paths.extend(["name", "at", "fingerprint"].map(|part| ["sign.", party, ".", part].concat()));
    }
    paths.extend(programme.clauses.iter().map(|c| ["clause.", &c.id].concat()));
    paths
}

/// What the agreement says: the fields of the steps the programme shows, on
/// the branches chosen (a guardian only for a minor, fees only when paid),
/// goals within their count, and the record's bookkeeping, signatures and
/// the programme's clauses. What was typed on a branch left is dropped.
pub fn answered(values: &Values, programme: &super::config::Programme) -> Values {
    let extra = extra_paths(programme);
    values.filtered(|path| match super::form::place(STEPS, path) {
        Some(at) => {
            let in_count = at.group.repeat.is_none_or(|repeat| at.item <= values.count(&repeat));
            in_count && programme.shows(at.step.id) && super::form::shown(at.field, values)
        }
        None => extra.iter().any(|e| e == path),
    })
}

/// How often and how long the meetings are, as the agreement says: the
/// iCalendar frequency (`WEEKLY`, `MONTHLY`), its interval, and minutes.
pub fn rhythm(values: &Agreement) -> Option<(&'static str, u32, u32)> {
    Some(match values.get("meet.cadence") {
        "60-monthly" => ("MONTHLY", 1, 60),
        "30-fortnightly" => ("WEEKLY", 2, 30),
        "90-six-weekly" => ("WEEKLY", 6, 90),
        "custom" => {
            let every = values.get("meet.every").parse().ok().filter(|n| *n > 0)?;
            let minutes = values.get("meet.minutes").parse().ok().filter(|n| *n > 0)?;
            (if values.get("meet.unit") == "weeks" { "WEEKLY" } else { "MONTHLY" }, every, minutes)
        }
        _ => return None,
    })
}

/// The parties who sign: the guardian only when the mentee is a minor.
pub fn signers(values: &Values) -> Vec<(&'static str, Key)> {
    let mut parties = vec![("mentee", Key::Mentee), ("mentor", Key::Mentor)];
    if values.get("mentee.minor") == "yes" {
        parties.push(("guardian", Key::Guardian));
    }
    parties
}

/// Every field of every step, with the group it belongs to.
pub fn fields() -> impl Iterator<Item = (&'static Group, &'static Field)> {
    STEPS.iter().flat_map(|s| s.groups).flat_map(|g| g.fields.iter().map(move |f| (g, f)))
}

/// What a programme configuration may refer to in an agreement.
pub const SCHEMA: super::config::Schema =
    super::config::Schema {
    steps: STEPS,
    extra_paths: &["goals"],
    fixed_steps: &["parties", "review"],
    hideable: |_| false,
    clauses: true,
    questions: false,
};

/// A new agreement: every field's starting value in `locale`, then the
/// programme's defaults, and the day it was started.
pub fn fresh(programme: &super::config::Programme, today: &str, locale: crate::i18n::Locale) -> Values {
    let mut values = super::form::starting_values(STEPS, locale, &programme.defaults);
    for path in ["programme.name", "programme.contact"] {
        if let Some(value) = programme.default_for(path) {
            values.set(path, value.to_owned());
        }
    }
    values.set("meta.created", today.to_owned());
    values
}

/// Gives a question with set answers that has none (a file from an older or
/// trimmed form) the programme's starting answer, else the form's, as a new
/// agreement has: the document never says what nobody chose, and the form
/// shows the answer it will say.
///
/// A file that anyone has signed is left as it is: an answer added would
/// change what they signed.
pub fn answer_choices(values: &mut Values, programme: &super::config::Programme, locale: crate::i18n::Locale) {
    if values.iter().any(|(path, _)| path.starts_with("sign.")) {
        return;
    }
    let start = super::form::starting_values(STEPS, locale, &programme.defaults);
    for step in STEPS.iter().filter(|s| programme.shows(s.id)) {
        for field in step.groups.iter().flat_map(|g| g.fields) {
            let open = matches!(field.kind, FieldKind::Choice(_)) && values.get(field.path).is_empty() && super::form::shown(field, values);
            if open && !start.get(field.path).is_empty() {
                values.set(field.path, start.get(field.path).to_owned());
            }
        }
    }
}

/// Puts the programme's locked values back, whatever the data says.
pub fn enforce_locks(values: &mut Values, programme: &super::config::Programme) {
    for (_, field) in fields() {
        if programme.is_locked(field.path) {
            if let Some(value) = programme.default_for(field.path) {
                values.set(field.path, value.to_owned());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::Programme;

    #[test]
    fn a_fresh_agreement_has_the_starting_values_and_programme_defaults() {
        let p: Programme = crate::model::json::parse(
            r#"{"name":"Harbourlight","defaults":{"meet.cadence":"30-fortnightly"}}"#,
        )
        .unwrap();
        let v = fresh(&p, "2026-11-22", crate::i18n::Locale::En);
        assert_eq!(v.get("meet.cadence"), "30-fortnightly");
        assert_eq!(v.get("meet.scheduler"), "mentee");
        assert_eq!(v.get("meet.agendaDays"), "2");
        assert_eq!(v.get("programme.name"), "Harbourlight");
        assert_eq!(v.get("meta.created"), "2026-11-22");
        assert!(v.get("confidentiality.limits").contains("harm"));
        assert_eq!(v.get("mentee.name"), "");
    }

    #[test]
    fn locked_values_win_over_the_data() {
        let p: Programme = crate::model::json::parse(r#"{"name":"Harbourlight","defaults":{"meet.format":"in-person"},"locked":["meet.format"]}"#).unwrap();
        let mut v = Values::default();
        v.set("programme.name", "Something else".into());
        v.set("meet.format", "video".into());
        enforce_locks(&mut v, &p);
        assert_eq!(v.get("programme.name"), "Harbourlight");
        assert_eq!(v.get("meet.format"), "in-person");
    }

    #[test]
    fn what_was_typed_on_a_branch_left_is_not_part_of_the_agreement() {
        let p: Programme = crate::model::json::parse(r#"{"hidden":["boundaries"]}"#).unwrap();
        let mut v = fresh(&p, "2026-11-22", crate::i18n::Locale::En);
        for (k, val) in [("mentee.name", "Amara"), ("guardian.name", "Grace"), ("review.2", "2027-03-01"), ("goal.2.what", "stale"), ("boundaries.text", "hidden step"), ("sign.mentee.name", "Amara"), ("made.up", "x")] {
            v.set(k, val.into());
        }
        let kept = answered(&v, &p);
        assert_eq!((kept.get("mentee.name"), kept.get("review.2"), kept.get("sign.mentee.name")), ("Amara", "2027-03-01", "Amara"));
        for gone in ["guardian.name", "goal.2.what", "boundaries.text", "made.up"] {
            assert_eq!(kept.get(gone), "", "{gone}");
        }
        v.set("mentee.minor", "yes".into());
        assert_eq!(answered(&v, &p).get("guardian.name"), "Grace");
    }

    #[test]
    fn every_field_path_is_unique() {
        let mut paths: Vec<_> = fields().map(|(_, f)| f.path).collect();
        paths.sort_unstable();
        let n = paths.len();
        paths.dedup();
        assert_eq!(paths.len(), n);
    }
}
