//! Feedback after a session, the periodic relationship check-in and the
//! closing review: their fields, the records they become, and what of a record
//! may be shared.
//!
//! One form holds all three kinds: the `common` step (kind, respondent, date),
//! then the step named by `kind`, then the `notes` step. Session questions
//! follow what happened: a cancelled session asks why and about a new date,
//! not how it went.
//!
//! Context the form needs is put into a fresh draft and kept with the record:
//! the linked agreement's goals (`goals`, `goal.N.title`) and whether this is
//! the pair's first session (`first`).

use super::config::{Programme, Question};
use super::form::{field_at, place, shown, Audience, Field, FieldKind, Group, Reader, Repeat, Step, Values};
use super::validate::{check_steps, Problem};
use super::{agreement, date};
use crate::i18n::Key;
use super::json::{self, FromJson, JsonError, ToJson, Writer};
use super::num::Digits;

/// What a record is.
pub const KINDS: &[(&str, Key)] =
    &[("session", Key::KindSession), ("checkin", Key::KindCheckin), ("closing", Key::KindClosing)];

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

/// Statuses that count as a cancellation in the history and its alerts.
pub const CANCELLED: &str = "cancelled-mentee|cancelled-mentor|no-show";

/// A rating from 1 to 5: how useful a session was.
pub const RATING: &[(&str, Key)] =
    &[("1", Key::Rating1), ("2", Key::Rating2), ("3", Key::Rating3), ("4", Key::Rating4), ("5", Key::Rating5)];
/// How well the mentoring is working, from 1 to 5.
const HEALTH: &[(&str, Key)] =
    &[("1", Key::Health1), ("2", Key::Rating2), ("3", Key::Rating3), ("4", Key::Rating4), ("5", Key::Health5)];
/// A programme's rating question, from 1 to 5, unless it names its ends.
pub const SCALE: &[(&str, Key)] =
    &[("1", Key::Scale1), ("2", Key::Rating2), ("3", Key::Rating3), ("4", Key::Rating4), ("5", Key::Scale5)];

/// The session form's quick part: what a session needs, asked at once; the
/// rest is one tap away. A programme may choose its own (`quick`).
pub const QUICK: &[&str] = &[
    "status", "reason", "rescheduled", "newDate", "noShowWho",
    "rating", "listened", "structure", "challenged",
    "goal.#.progress", "action.#.what", "action.#.who", "action.#.due", "nextDate",
];
const AGREE: &[(&str, Key)] =
    &[("1", Key::Agree1), ("2", Key::Agree2), ("3", Key::Agree3), ("4", Key::Agree4), ("5", Key::Agree5)];
/// Who did most of the talking, from 1 (the mentee) to 5 (the mentor).
pub const TALK: &[(&str, Key)] =
    &[("1", Key::Talk1), ("2", Key::Talk2), ("3", Key::Talk3), ("4", Key::Talk4), ("5", Key::Talk5)];
const FORMATS: &[(&str, Key)] =
    &[("in-person", Key::FormatInPerson), ("video", Key::FormatVideo), ("phone", Key::FormatPhone)];
const PROGRESS: &[(&str, Key)] =
    &[("yes", Key::Yes), ("partly", Key::Partly), ("no", Key::No), ("unknown", Key::DontKnow)];
const YES_PARTLY_NO: &[(&str, Key)] = &[("yes", Key::Yes), ("partly", Key::Partly), ("no", Key::No)];
const YES_NO: &[(&str, Key)] = &[("yes", Key::Yes), ("no", Key::No)];
const YES_MAYBE_NO: &[(&str, Key)] = &[("yes", Key::Yes), ("maybe", Key::NotSure), ("no", Key::No)];
const TIME_USE: &[(&str, Key)] = &[("well", Key::TimeWell), ("partly", Key::TimePartly), ("poorly", Key::TimePoorly)];
const FIT: &[(&str, Key)] = &[("good", Key::FitGood), ("deciding", Key::FitDeciding), ("poor", Key::FitPoor)];
const WHO: &[(&str, Key)] = &[("mentee", Key::Mentee), ("mentor", Key::Mentor), ("both", Key::BothOfUs)];
const NO_SHOW_WHO: &[(&str, Key)] = &[("mentee", Key::TheMentee), ("mentor", Key::TheMentor)];
/// Open action points from earlier sessions: done, or carried forward.
pub const OPEN_STATES: &[(&str, Key)] = &[("carry", Key::CarryForward), ("done", Key::Done)];
const INTANGIBLE: &[(&str, Key)] = &[
    ("clarity", Key::OutcomeClarity),
    ("confidence", Key::OutcomeConfidence),
    ("perspective", Key::OutcomePerspective),
    ("skills", Key::OutcomeSkills),
    ("network", Key::OutcomeNetwork),
];
const CONCRETE: &[(&str, Key)] = &[
    ("new-role", Key::OutcomeNewRole),
    ("promotion", Key::OutcomePromotion),
    ("course", Key::OutcomeCourse),
    ("project", Key::OutcomeProject),
    ("career-change", Key::OutcomeCareerChange),
];

/// The linked agreement's goals, one progress question each.
pub const GOAL_PROGRESS: Repeat = Repeat {
    count: "goals",
    min: 0,
    max: 5,
    item: Key::GoalN,
    add: Key::AddGoal,
    remove: Key::RemoveGoal,
    title: Some("goal.#.title"),
    fixed: true,
};

/// Action points agreed in a session.
pub const ACTIONS: Repeat = Repeat {
    count: "actions",
    min: 0,
    max: 10,
    item: Key::ActionN,
    add: Key::AddAction,
    remove: Key::RemoveAction,
    title: None,
    fixed: false,
};

const HELD: &str = "held";

/// The steps: `common`, one per kind, and `notes`.
pub const STEPS: &[Step] = &[
    Step {
        id: "common",
        title: Key::FeedbackNew,
        intro: Some(Key::FeedbackIntro),
        groups: &[Group::plain(&[
            Field::choice("kind", Key::RecordKind, KINDS).value("session").required(),
            Field::choice("respondent", Key::Respondent, RESPONDENTS).required(),
            Field::text("date", Key::SessionDate).kind(FieldKind::Date).required(),
        ])],
    },
    Step {
        id: "session",
        title: Key::StepSession,
        intro: None,
        groups: &[
            Group::plain(&[Field::choice("status", Key::SessionStatus, STATUSES).value(HELD).required()]),
            Group::new(Key::WhatHappened, &[
                Field::choice("noShowWho", Key::NoShowWho, NO_SHOW_WHO).when("status", "no-show"),
                Field::long("reason", Key::CancelReason).when("status", "!held"),
                Field::choice("rescheduled", Key::Rescheduled, YES_NO).when("status", "!held"),
                Field::text("newDate", Key::NewDate).kind(FieldKind::Date).when("status", "!held").when("rescheduled", "yes"),
            ]),
            Group::new(Key::TheSession, &[
                Field::text("duration", Key::DurationMinutes).kind(FieldKind::Number { min: 5, max: 600 }).when("status", HELD),
                Field::choice("format", Key::Format, FORMATS).when("status", HELD),
                Field::choice("rating", Key::OverallRating, RATING).required().when("status", HELD),
            ]),
            Group::new(Key::HowItWent, &[
                // The agree scales come last: their shared end labels stay in
                // view while scrolling, so nothing else may follow them.
                Field::choice("talking", Key::WhoTalked, TALK).when("status", HELD),
                Field::choice("expectations", Key::MetExpectations, YES_PARTLY_NO).when("status", HELD).when("respondent", "mentee"),
                Field::choice("timeUse", Key::TimeUse, TIME_USE).when("status", HELD).when("respondent", "mentor"),
                Field::choice("fit", Key::PairingFit, FIT).help(Key::PairingFitHelp).for_programme().when("status", HELD).when("first", "yes"),
                Field::choice("listened", Key::FeltListened, AGREE).when("status", HELD),
                Field::choice("structure", Key::ClearStructure, AGREE).when("status", HELD),
                Field::choice("challenged", Key::WasChallenged, AGREE).when("status", HELD),
            ]),
            Group { legend: None, repeat: Some(GOAL_PROGRESS), fields: &[
                Field::choice("goal.#.progress", Key::GoalProgress, PROGRESS).when("status", HELD),
            ] },
            Group::new(Key::Topics, &[Field::long("topics", Key::TopicsDiscussed).when("status", HELD)]),
            Group { legend: None, repeat: Some(ACTIONS), fields: &[
                Field::text("action.#.what", Key::ActionWhat).required().when("status", HELD),
                Field::choice("action.#.who", Key::ActionWho, WHO).value("mentee").when("status", HELD),
                Field::text("action.#.due", Key::ActionDue).kind(FieldKind::Date).when("status", HELD),
            ] },
            Group::new(Key::LookingBack, &[
                Field::long("wentWell", Key::WentWell).when("status", HELD),
                Field::long("better", Key::CouldBeBetter).when("status", HELD),
                Field::long("agenda", Key::NextAgenda).when("status", HELD),
                Field::text("nextDate", Key::NextSessionDate).kind(FieldKind::Date).when("status", HELD),
            ]),
        ],
    },
    Step {
        id: "checkin",
        title: Key::StepCheckin,
        intro: Some(Key::StepCheckinIntro),
        groups: &[Group::plain(&[
            Field::choice("health", Key::RelationshipHealth, HEALTH).required(),
            Field::choice("goalsRight", Key::GoalsStillRight, YES_PARTLY_NO),
            Field::choice("rhythm", Key::RhythmWorking, YES_PARTLY_NO),
            Field::long("change", Key::WhatToChange),
            Field::choice("continue", Key::WantToContinue, YES_MAYBE_NO),
        ])],
    },
    Step {
        id: "closing",
        title: Key::StepClosing,
        intro: Some(Key::StepClosingIntro),
        groups: &[
            Group { legend: None, repeat: Some(GOAL_PROGRESS), fields: &[
                Field::choice("goal.#.achieved", Key::GoalAchieved, YES_PARTLY_NO),
            ] },
            Group::plain(&[
                Field::long("blockers", Key::WhatGotInTheWay),
                Field::long("takeaways", Key::Takeaways),
                Field::multi("outcomes.intangible", Key::OutcomesIntangible, INTANGIBLE),
                Field::multi("outcomes.concrete", Key::OutcomesConcrete, CONCRETE),
                Field::text("outcomes.other", Key::OutcomesOther),
                Field::choice("stayInTouch", Key::StayInTouch, YES_MAYBE_NO),
            ]),
        ],
    },
    Step {
        id: "notes",
        title: Key::Notes,
        intro: None,
        groups: &[Group::plain(&[
            Field::long("coordinator.note", Key::CoordinatorNote).help(Key::CoordinatorNoteHelp).for_programme(),
            Field::long("private.note", Key::PrivateNote).help(Key::PrivateNoteHelp).only_me(),
        ])],
    },
];

/// Who may read the answer at `path`: its field's audience, or a programme
/// question's; what the form puts in itself (the linked goals, the first
/// session, marks on earlier action points, counts) is the pair's. A path no
/// form asks is kept to the person and never passed on.
pub fn audience(path: &str, programme: &Programme) -> Audience {
    if let Some((_, field, _)) = field_at(STEPS, path) {
        return field.audience;
    }
    if let Some(q) = path.strip_prefix("q.").and_then(|id| programme.questions.iter().find(|q| q.id == id)) {
        return q.audience();
    }
    if context(path).is_some() {
        return Audience::Pair;
    }
    Audience::Me
}

/// Paths the form sets itself, not fields: what each is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Context {
    /// How many goals the linked agreement has.
    Goals,
    /// A goal's title, from the linked agreement.
    GoalTitle(usize),
    /// How many action points were agreed.
    Actions,
    /// This is the pair's first session.
    First,
    /// An earlier action point marked done or carried.
    Open,
    /// Which record an amendment replaces (only in the draft).
    Amends,
}

/// Whether `path` is one the form sets itself and a record may hold (the
/// linked goals, the first session, counts, marks on earlier action points).
pub fn is_context(path: &str) -> bool {
    context(path).is_some_and(|c| c != Context::Amends)
}

fn context(path: &str) -> Option<Context> {
    let digits = |s: &str| !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit());
    match path {
        "goals" => return Some(Context::Goals),
        "actions" => return Some(Context::Actions),
        "first" => return Some(Context::First),
        "amends" => return Some(Context::Amends),
        _ => {}
    }
    if let Some(n) = path.strip_prefix("goal.").and_then(|r| r.strip_suffix(".title")).filter(|n| digits(n)) {
        return n.parse().ok().map(Context::GoalTitle);
    }
    let open = path.strip_prefix("open.").and_then(|r| r.split_once('.'));
    open.filter(|(a, b)| digits(a) && digits(b)).map(|_| Context::Open)
}

/// What `reader` may read of `values`.
pub fn for_reader(values: &Values, programme: &Programme, reader: Reader) -> Values {
    values.filtered(|path| audience(path, programme).reaches(reader))
}

/// Whether `path` is kept on this device only.
pub fn is_private(path: &str, programme: &Programme) -> bool {
    audience(path, programme) == Audience::Me
}

/// The answers to the questions `values` asked: fields of its kind's steps
/// shown on its branch (what happened, who answers), items within their
/// groups' counts, the programme's questions for it, and what the form set
/// for it. What was typed on a branch the person left is not kept.
pub fn answered(values: &Values, programme: &Programme) -> Values {
    let steps: Vec<&Step> = steps_for(values).collect();
    let shows_any = |repeat: Repeat| {
        steps.iter().flat_map(|s| s.groups).filter(|g| g.repeat == Some(repeat)).flat_map(|g| g.fields).any(|f| shown(f, values) && programme.shows(f.path))
    };
    let session = values.get("kind") == "session" || values.get("kind").is_empty();
    let asked_questions: Vec<String> = questions(programme, values).map(|q| q.path()).collect();
    values.filtered(|path| {
        if let Some(at) = place(STEPS, path) {
            let in_count = at.group.repeat.is_none_or(|repeat| at.item <= values.count(&repeat));
            return in_count && steps.iter().any(|s| s.id == at.step.id) && shown(at.field, values) && programme.shows(at.field.path);
        }
        if asked_questions.iter().any(|q| q == path) {
            return true;
        }
        match context(path) {
            Some(Context::Goals) => shows_any(GOAL_PROGRESS),
            Some(Context::GoalTitle(n)) => shows_any(GOAL_PROGRESS) && n <= values.count(&GOAL_PROGRESS),
            Some(Context::Actions) => shows_any(ACTIONS),
            Some(Context::First) | Some(Context::Open) => session,
            Some(Context::Amends) | None => false,
        }
    })
}

/// Fields no programme may hide.
pub fn hideable(path: &str) -> bool {
    !matches!(path, "kind" | "respondent" | "date" | "status")
}

/// What a programme configuration is checked against.
pub const SCHEMA: super::config::Schema = super::config::Schema {
    steps: STEPS,
    extra_paths: &[],
    fixed_steps: &["common", "session", "notes"],
    hideable,
    clauses: false,
    questions: true,
};

/// One submitted record, in one version.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Stable across versions; unique.
    pub id: String,
    /// 1, 2, 3… in the order records were first submitted here.
    pub seq: u32,
    /// 1 for the original; each amendment adds one.
    pub version: u32,
    /// `session`, `checkin` or `closing`.
    pub kind: String,
    /// When the first version was submitted (ISO 8601).
    pub created: String,
    /// When this version was submitted (ISO 8601).
    pub submitted: String,
    /// The answers.
    pub data: Values,
}

impl ToJson for Record {
    fn write(&self, w: &mut Writer) {
        w.object(|w| {
            w.key("id").str(&self.id);
            w.key("seq").value(&self.seq);
            w.key("version").value(&self.version);
            w.key("kind").str(&self.kind);
            w.key("created").str(&self.created);
            w.key("submitted").str(&self.submitted);
            w.key("data").value(&self.data);
        });
    }
}

impl FromJson for Record {
    fn read(r: &mut json::Reader) -> json::Result<Record> {
        let (mut id, mut seq, mut version, mut kind, mut created, mut submitted, mut data) = (None, None, None, None, None, None, None);
        json::fields(r, false, |r, key| {
            match key {
                "id" => id = Some(String::read(r)?),
                "seq" => seq = Some(r.u32()?),
                "version" => version = Some(r.u32()?),
                "kind" => kind = Some(String::read(r)?),
                "created" => created = Some(String::read(r)?),
                "submitted" => submitted = Some(String::read(r)?),
                "data" => data = Some(Values::read(r)?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let missing = |field: &str| JsonError(["a record without its ", field].concat());
        Ok(Record {
            id: id.ok_or_else(|| missing("id"))?,
            seq: seq.ok_or_else(|| missing("seq"))?,
            version: version.ok_or_else(|| missing("version"))?,
            kind: kind.ok_or_else(|| missing("kind"))?,
            created: created.ok_or_else(|| missing("created"))?,
            submitted: submitted.ok_or_else(|| missing("submitted"))?,
            data: data.ok_or_else(|| missing("data"))?,
        })
    }
}

/// Every record of `ours` and `theirs` (two tabs' lists, or a tab's and
/// what is stored), each record version once, nothing lost, the same result
/// whichever side is which:
/// - two different versions under one id and number (two tabs amended the
///   same record at once) are both kept, the later submitted one numbered
///   after the newest;
/// - two records given the same `seq` (two tabs submitted at once) keep it
///   for the earlier created one; the other gets the next free number.
///
/// Oldest first: by `seq`, then version.
pub fn merge(ours: &[Record], theirs: &[Record]) -> Vec<Record> {
    // Every version, grouped by record id.
    let mut all: Vec<&Record> = ours.iter().chain(theirs).collect();
    super::order::sort_by(&mut all, |a, b| a.id.cmp(&b.id));
    let same = |a: &Record, b: &Record| a.kind == b.kind && a.submitted == b.submitted && a.data == b.data;
    let mut records: Vec<Vec<Record>> = Vec::new();
    for group in all.chunk_by(|a, b| a.id == b.id) {
        let mut versions = group.to_vec();
        // One order whichever list a version came from.
        super::order::sort_by(&mut versions, |a, b| (a.version, &a.submitted).cmp(&(b.version, &b.submitted)).then_with(|| a.data.iter().cmp(b.data.iter())));
        let mut kept: Vec<Record> = Vec::with_capacity(versions.len());
        for v in versions {
            if kept.iter().any(|k| same(k, v)) {
                continue;
            }
            let mut v = v.clone();
            if kept.iter().any(|k| k.version == v.version) {
                v.version = kept.iter().map(|k| k.version).max().unwrap_or(0) + 1;
            }
            kept.push(v);
        }
        records.push(kept);
    }
    // Each record's number is its first version's; a number taken twice
    // stays with the record created first.
    super::order::sort_by(&mut records, |a, b| (&a[0].created, &a[0].id).cmp(&(&b[0].created, &b[0].id)));
    let mut next = records.iter().map(|r| r[0].seq).max().unwrap_or(0);
    // Numbers taken so far, sorted.
    let mut taken: Vec<u32> = Vec::with_capacity(records.len());
    let mut out = Vec::with_capacity(records.iter().map(Vec::len).sum());
    for versions in records {
        let mut seq = versions[0].seq;
        let free = |taken: &[u32], seq: u32| taken.binary_search(&seq).err();
        let at = match free(&taken, seq) {
            Some(at) if seq != 0 => at,
            _ => {
                next += 1;
                seq = next;
                free(&taken, seq).unwrap_or(taken.len())
            }
        };
        taken.insert(at, seq);
        out.extend(versions.into_iter().map(|v| Record { seq, ..v }));
    }
    super::order::sort_by(&mut out, |a, b| (a.seq, a.version).cmp(&(b.seq, b.version)));
    out
}

/// The newest version of each record, newest session date first (then the
/// latest submitted first).
pub fn latest(records: &[Record]) -> Vec<&Record> {
    latest_indexes(records).into_iter().map(|i| &records[i]).collect()
}

/// Like [`latest`], as indexes into `records`.
pub fn latest_indexes(records: &[Record]) -> Vec<usize> {
    // Each record's versions together, the newest (the first of the highest
    // version) first among them.
    let mut all: Vec<usize> = (0..records.len()).collect();
    super::order::sort_by(&mut all, |&a, &b| records[a].id.cmp(&records[b].id).then(records[b].version.cmp(&records[a].version)));
    let newest = all.chunk_by(|&a, &b| records[a].id == records[b].id).map(|group| group[0]);
    let mut keyed: Vec<(&str, u32, usize)> = newest.map(|i| (records[i].data.get("date"), records[i].seq, i)).collect();
    super::order::sort_by(&mut keyed, |a, b| b.0.cmp(a.0).then(b.1.cmp(&a.1)));
    keyed.into_iter().map(|(_, _, i)| i).collect()
}

/// The next session as the newest session's record agreed it: its next
/// date if it was held, its new date if it was moved; only a date today or
/// later. `latest` is newest first (see [`latest`]).
pub fn next_session<'a>(latest: &[&'a Record], today: &str) -> Option<(&'a Record, &'a str)> {
    let r = *latest.iter().find(|r| r.kind == "session")?;
    let day = match r.data.get("status") {
        HELD => r.data.get("nextDate"),
        _ if r.data.get("rescheduled") == "yes" => r.data.get("newDate"),
        _ => return None,
    };
    (date::parse(day).is_some() && day >= today).then_some((r, day))
}

/// The linked agreement, as far as feedback needs it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Linked {
    /// Each goal's "what".
    pub goals: Vec<String>,
}

impl Linked {
    /// Reads the goals of an agreement.
    pub fn from(agreement: &Values) -> Linked {
        let n = agreement.count(&agreement::GOALS);
        let goals = (1..=n)
            .map(|i| agreement.get(&["goal.", &i.digits(), ".what"].concat()).trim().to_owned())
            .filter(|g| !g.is_empty())
            .collect();
        Linked { goals }
    }
}

/// A new form: a session on `today`, held, answered by `respondent` (if
/// known), with the agreement's goals and whether it is the first session.
pub fn fresh(today: &str, respondent: &str, linked: &Linked, records: &[Record], programme: &Programme) -> Values {
    // Feedback fields start with fixed values only, so any language will do.
    let mut v = super::form::starting_values(STEPS, crate::i18n::Locale::En, &programme.defaults);
    v.set("date", today.to_owned());
    v.set("respondent", respondent.to_owned());
    v.set("goals", linked.goals.len().digits());
    for (i, goal) in linked.goals.iter().enumerate() {
        v.set(&["goal.", &(i + 1).digits(), ".title"].concat(), goal.clone());
    }
    let held_before = latest(records).iter().any(|r| r.kind == "session" && r.data.get("status") == HELD);
    if !held_before {
        v.set("first", "yes".into());
    }
    v
}

/// The programme questions asked for `values` (by its kind, and for a session
/// only when it was held).
pub fn questions<'a>(programme: &'a Programme, values: &Values) -> impl Iterator<Item = &'a Question> {
    let kind = values.get("kind").to_owned();
    let held = values.get("status") == HELD;
    programme.questions.iter().filter(move |q| q.form() == kind && (kind != "session" || held))
}

/// The steps drawn for `values`: common, its kind's, notes.
pub fn steps_for(values: &Values) -> impl Iterator<Item = &'static Step> {
    let kind = match values.get("kind") {
        "checkin" => "checkin",
        "closing" => "closing",
        _ => "session",
    };
    STEPS.iter().filter(move |s| matches!(s.id, "common" | "notes") || s.id == kind)
}

/// Every problem with `values`, in form order.
pub fn validate(values: &Values, programme: &Programme) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_steps(steps_for(values), values, programme, &mut problems);
    for q in questions(programme, values) {
        let path = q.path();
        let value = values.get(&path);
        let message = if value.trim().is_empty() {
            q.required.then_some(Key::Required)
        } else {
            let ok = match q.kind.as_str() {
                "rating" => RATING.iter().any(|(o, _)| *o == value),
                "choice" => q.options.iter().any(|o| o == value),
                "multiple" => value.split(super::form::MULTI_SEPARATOR).all(|v| q.options.iter().any(|o| o == v)),
                _ => true,
            };
            (!ok).then_some(Key::BadChoice)
        };
        if let Some(message) = message {
            problems.push(Problem { path, step: q.form_step(), message, args: vec![] });
        }
    }
    let day = values.get("date");
    for later in ["newDate", "nextDate"] {
        let value = values.get(later);
        let shown = if later == "newDate" { values.get("status") != HELD } else { values.get("status") == HELD };
        if shown && date::parse(day).is_some() && date::parse(value).is_some() && value <= day && values.get("kind") == "session" {
            if !problems.iter().any(|p| p.path == later) {
                problems.push(Problem { path: later.into(), step: "session", message: Key::DateAfterSession, args: vec![] });
            }
        }
    }
    problems
}

impl Question {
    /// The step a question is drawn on.
    pub fn form_step(&self) -> &'static str {
        match self.form() {
            "checkin" => "checkin",
            "closing" => "closing",
            _ => "session",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_session_is_the_one_the_newest_session_agreed() {
        let record = |seq: u32, date: &str, pairs: &[(&str, &str)]| Record {
            id: seq.digits(),
            seq,
            version: 1,
            kind: "session".into(),
            created: String::new(),
            submitted: String::new(),
            data: pairs.iter().copied().chain([("date", date)]).collect(),
        };
        let held = record(1, "2026-11-01", &[("status", HELD), ("nextDate", "2026-12-08")]);
        let moved = record(2, "2026-11-20", &[("status", "cancelled-mentor"), ("rescheduled", "yes"), ("newDate", "2026-12-10")]);
        let dropped = record(3, "2026-11-25", &[("status", "cancelled-mentee"), ("rescheduled", "no"), ("newDate", "2026-12-12")]);
        let next = |records: &[Record], today: &str| next_session(&latest(records), today).map(|(r, day)| (r.seq, day.to_owned()));
        assert_eq!(next(&[held.clone()], "2026-12-01"), Some((1, "2026-12-08".into())));
        assert_eq!(next(&[held.clone()], "2026-12-08"), Some((1, "2026-12-08".into())), "on the day itself");
        assert_eq!(next(&[held.clone()], "2026-12-09"), None, "a date gone by is not next");
        assert_eq!(next(&[held.clone(), moved.clone()], "2026-12-01"), Some((2, "2026-12-10".into())));
        assert_eq!(next(&[held.clone(), moved, dropped], "2026-12-01"), None, "the newest session was not moved: nothing is agreed");
        let mut checkin = record(4, "2026-11-30", &[]);
        checkin.kind = "checkin".into();
        assert_eq!(next(&[held, checkin], "2026-12-01"), Some((1, "2026-12-08".into())), "a check-in agrees no session");
    }

    fn record(seq: u32, version: u32, date: &str, status: &str) -> Record {
        let mut data = Values::default();
        data.set("date", date.into());
        data.set("status", status.into());
        data.set("kind", "session".into());
        Record { id: format!("r{seq}"), seq, version, kind: "session".into(), created: String::new(), submitted: String::new(), data }
    }

    #[test]
    fn a_cancelled_session_asks_why_not_how_it_went() {
        let mut v = fresh("2027-03-01", "mentee", &Linked::default(), &[], &Programme::default());
        let shown = |v: &Values| -> Vec<&str> {
            steps_for(v).flat_map(|s| s.groups).flat_map(|g| g.fields).filter(|f| super::super::form::shown(f, v)).map(|f| f.path).collect()
        };
        assert!(shown(&v).contains(&"rating") && shown(&v).contains(&"expectations") && !shown(&v).contains(&"timeUse"));
        assert!(shown(&v).contains(&"fit"), "the first session asks whether the pairing fits");
        v.set("status", "cancelled-mentor".into());
        let s = shown(&v);
        assert!(s.contains(&"reason") && s.contains(&"rescheduled") && !s.contains(&"rating") && !s.contains(&"newDate"));
        v.set("rescheduled", "yes".into());
        assert!(shown(&v).contains(&"newDate"));
    }

    #[test]
    fn required_answers_depend_on_what_happened() {
        let mut v = fresh("2027-03-01", "mentor", &Linked::default(), &[], &Programme::default());
        let paths = |v: &Values| validate(v, &Programme::default()).into_iter().map(|p| p.path).collect::<Vec<_>>();
        assert_eq!(paths(&v), ["rating"]);
        v.set("status", "postponed".into());
        assert!(paths(&v).is_empty());
        v.set("rescheduled", "yes".into());
        v.set("newDate", "2027-02-01".into());
        assert_eq!(paths(&v), ["newDate"], "a new date must come after the session");
    }

    #[test]
    fn check_ins_and_closing_reviews_ask_their_own_questions() {
        let mut v = fresh("2027-03-01", "mentee", &Linked { goals: vec!["Portfolio".into()] }, &[], &Programme::default());
        v.set("kind", "checkin".into());
        assert_eq!(validate(&v, &Programme::default()).iter().map(|p| p.path.as_str()).collect::<Vec<_>>(), ["health"]);
        v.set("kind", "closing".into());
        assert!(validate(&v, &Programme::default()).is_empty());
        v.set("outcomes.intangible", "clarity;confidence".into());
        v.set("goal.1.achieved", "partly".into());
        assert!(validate(&v, &Programme::default()).is_empty());
        v.set("outcomes.concrete", "lottery".into());
        assert_eq!(validate(&v, &Programme::default())[0].path, "outcomes.concrete");
        let fields: Vec<&str> = steps_for(&v).flat_map(|s| s.groups).flat_map(|g| g.fields).map(|f| f.path).collect();
        assert!(fields.contains(&"goal.#.achieved") && !fields.contains(&"rating") && fields.contains(&"private.note"));
    }

    #[test]
    fn the_fresh_form_carries_goals_and_knows_the_first_session() {
        let mut agreement = Values::default();
        agreement.set("goals", "2".into());
        agreement.set("goal.1.what", "Portfolio".into());
        agreement.set("goal.2.what", "Exhibit".into());
        let v = fresh("2027-03-01", "", &Linked::from(&agreement), &[record(1, 1, "2027-02-01", "cancelled-mentee")], &Programme::default());
        assert_eq!((v.get("goals"), v.get("goal.2.title"), v.get("first")), ("2", "Exhibit", "yes"));
        let v = fresh("2027-03-01", "", &Linked::default(), &[record(1, 1, "2027-02-01", "held")], &Programme::default());
        assert_eq!(v.get("first"), "");
    }

    #[test]
    fn merging_two_tabs_records_keeps_every_one_whichever_side_is_which() {
        let a = [record(1, 1, "2027-01-05", "held"), record(2, 1, "2027-01-06", "held")];
        let mut from_b = record(2, 1, "2027-01-07", "held");
        from_b.id = "b2".into();
        from_b.created = "2027-01-07T10:00:00Z".into();
        let mut amended_a = record(1, 2, "2027-01-05", "held");
        amended_a.data.set("rating", "4".into());
        let mut amended_b = amended_a.clone();
        amended_b.data.set("rating", "2".into());
        amended_b.submitted = "later".into();
        let ours = [a[0].clone(), a[1].clone(), amended_a];
        let theirs = [a[0].clone(), from_b, amended_b];
        let merged = merge(&ours, &theirs);
        assert_eq!(merged, merge(&theirs, &ours), "the same whichever side is which");
        let seen: Vec<(&str, u32, u32)> = merged.iter().map(|r| (r.id.as_str(), r.seq, r.version)).collect();
        assert_eq!(seen, [("r1", 1, 1), ("r1", 1, 2), ("r1", 1, 3), ("r2", 2, 1), ("b2", 3, 1)]);
        assert_eq!(merged[2].data.get("rating"), "2", "the later amendment is the newest version");
        assert_eq!(merge(&merged, &merged), merged, "merging again changes nothing");
        assert_eq!(merge(&theirs, &merged), merged, "a tab that still has its own copy of the amendment adds nothing");
    }

    #[test]
    fn latest_keeps_the_newest_version_newest_first() {
        let records = [record(1, 1, "2027-01-05", "held"), record(2, 1, "2027-02-05", "held"), record(1, 2, "2027-01-06", "held")];
        let l = latest(&records);
        assert_eq!(l.iter().map(|r| (r.seq, r.version)).collect::<Vec<_>>(), [(2, 1), (1, 2)]);
    }

    #[test]
    fn each_reader_gets_what_the_audiences_allow() {
        let mut v = Values::default();
        for (k, val) in [("private.note", "mine"), ("coordinator.note", "for the programme"), ("fit", "poor"), ("rating", "4"), ("made.up", "x")] {
            v.set(k, val.into());
        }
        let p = Programme::default();
        let keys = |r| for_reader(&v, &p, r).keys().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(keys(Reader::Partner), ["rating"]);
        assert_eq!(keys(Reader::Programme), ["coordinator.note", "fit", "rating"]);
        assert_eq!(keys(Reader::Me).len(), 5);
    }

    #[test]
    fn a_record_keeps_only_what_its_branch_asked() {
        let mut v = fresh("2027-03-01", "mentee", &Linked { goals: vec!["Portfolio".into()] }, &[], &Programme::default());
        for (k, val) in [("rating", "4"), ("topics", "CV"), ("actions", "1"), ("action.1.what", "Draft"), ("action.2.what", "stale"), ("reason", "typed then left")] {
            v.set(k, val.into());
        }
        let kept = answered(&v, &Programme::default());
        assert_eq!((kept.get("rating"), kept.get("topics"), kept.get("action.1.what"), kept.get("goal.1.title")), ("4", "CV", "Draft", "Portfolio"));
        assert_eq!((kept.get("reason"), kept.get("action.2.what")), ("", ""), "the cancelled branch and items past the count go");
        v.set("kind", "checkin".into());
        v.set("health", "4".into());
        let kept = answered(&v, &Programme::default());
        for gone in ["status", "goals", "goal.1.title", "rating", "first", "actions"] {
            assert_eq!(kept.get(gone), "", "{gone} is not asked by a check-in");
        }
        assert_eq!((kept.get("health"), kept.get("kind"), kept.get("respondent")), ("4", "checkin", "mentee"));
    }

    #[test]
    fn programme_questions_are_validated_and_configured() {
        let p = Programme::from_json(
            r#"{"questions":[{"id":"energy","kind":"rating","label":"Energy","required":true},
                {"id":"mood","kind":"multiple","label":"Mood","options":["calm","busy"]}],
                "hidden":["challenged"],"labels":{"es":{"rating":"Valoración","q.energy":"Energía","Dismiss":"Cerrar"}}}"#,
            &SCHEMA,
        )
        .unwrap();
        let mut v = fresh("2027-03-01", "mentee", &Linked::default(), &[], &p);
        v.set("rating", "4".into());
        assert_eq!(validate(&v, &p).iter().map(|p| p.path.as_str()).collect::<Vec<_>>(), ["q.energy"]);
        v.set("q.energy", "5".into());
        v.set("q.mood", "calm;busy".into());
        assert!(validate(&v, &p).is_empty());
        v.set("q.mood", "calm;angry".into());
        assert_eq!(validate(&v, &p)[0].message, Key::BadChoice);
        assert!(!p.shows("challenged") && p.label("es", "q.energy") == Some("Energía"));
        for (json, key) in [
            (r#"{"hidden":["status"]}"#, "hidden[0]"),
            (r#"{"questions":[{"id":"x","kind":"slider","label":"X"}]}"#, "questions[0].kind"),
            (r#"{"questions":[{"id":"x","kind":"choice","label":"X","options":["a"]}]}"#, "questions[0].options"),
            (r#"{"questions":[{"id":"x","kind":"text","label":"X","form":"later"}]}"#, "questions[0].form"),
            (r#"{"labels":{"es":{"nothing":"x"}}}"#, "labels.es.nothing"),
            (r#"{"clauses":[{"id":"a","title":"t","text":"x"}]}"#, "clauses"),
        ] {
            assert_eq!(Programme::from_json(json, &SCHEMA).unwrap_err().key, key, "{json}");
        }
    }
}
