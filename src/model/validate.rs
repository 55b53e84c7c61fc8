//! Checking an agreement: required fields, well-formed values, and dates that
//! make sense together.

use super::agreement::{self, Agreement, STEPS};
use super::config::Programme;
use super::date;
use super::form::{field_at, paths, shown, Field, FieldKind, Step, Values, MULTI_SEPARATOR};
use crate::i18n::{self, Key, Locale};
use super::num::Digits;

/// One problem, attached to a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The field's concrete path (`goal.2.target`, `clause.photos`).
    pub path: String,
    /// The step it is on.
    pub step: &'static str,
    /// The message, which may hold `{min}`, `{max}` or `{date}`.
    pub message: Key,
    /// Values for the message's placeholders.
    pub args: Vec<(&'static str, String)>,
}

/// The label a person reads for the field `p` is attached to: the
/// programme's wording if it gives one, with the goal or action number.
pub fn label(p: &Problem, steps: &[Step], programme: &Programme, locale: Locale) -> String {
    if let Some(id) = p.path.strip_prefix("clause.") {
        return programme.clauses.iter().find(|c| c.id == id).map_or_else(String::new, |c| c.title.clone());
    }
    if let Some(q) = p.path.strip_prefix("q.").and_then(|id| programme.questions.iter().find(|q| q.id == id)) {
        return programme.label(locale.tag(), &p.path).unwrap_or(&q.label).to_owned();
    }
    let Some((group, field, _)) = field_at(steps, &p.path) else {
        return p.path.clone();
    };
    let label = programme.field_label(locale, field);
    // A label that another group also uses ("Full name") says whose it is.
    let shared = steps.iter().flat_map(|s| s.groups).filter(|g| !core::ptr::eq(*g, group)).flat_map(|g| g.fields).any(|f| f.label == field.label);
    if let (true, Some(legend)) = (shared, group.legend) {
        return [programme.text(locale, legend), " – ", label].concat();
    }
    let mut parts = p.path.split('.');
    let item = parts.next().zip(parts.next()).filter(|(_, n)| n.bytes().all(|c| c.is_ascii_digit()));
    let numbered = |key| i18n::fill(programme.text(locale, key), &[("n", item.map_or("", |(_, n)| n))]);
    match item {
        Some(("goal", _)) => [&numbered(Key::GoalN), " – ", label].concat(),
        Some(("action", _)) => [&numbered(Key::ActionN), " – ", label].concat(),
        _ => label.to_owned(),
    }
}

/// The message of `p` in `locale`, its dates written by `date`.
pub fn message(p: &Problem, programme: &Programme, locale: Locale, date: &dyn Fn(&str) -> String) -> String {
    let args: Vec<(&str, String)> =
        p.args.iter().map(|(k, v)| (*k, if matches!(*k, "start" | "end" | "date") { date(v) } else { v.clone() })).collect();
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    i18n::fill(programme.text(locale, p.message), &args)
}

/// Every problem with `values` under `programme`, in form order.
pub fn validate(values: &Agreement, programme: &Programme) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_steps(STEPS, values, programme, &mut problems);
    if programme.shows("clauses") {
        for clause in programme.clauses.iter().filter(|c| c.required) {
            let path = ["clause.", &clause.id].concat();
            if values.get(&path) != "yes" {
                problems.push(Problem { path, step: "clauses", message: Key::ClauseRequired, args: vec![] });
            }
        }
    }
    dates(values, programme, &mut problems);
    problems
}

/// Adds the problems of every field of `steps` that is shown for `values`
/// and not hidden by `programme`.
pub fn check_steps<'a>(steps: impl IntoIterator<Item = &'a Step>, values: &Values, programme: &Programme, problems: &mut Vec<Problem>) {
    for step in steps.into_iter().filter(|s| programme.shows(s.id)) {
        for group in step.groups {
            for field in group.fields.iter().filter(|f| shown(f, values) && programme.shows(f.path)) {
                for path in paths(field, group, values) {
                    let required = field.required || programme.required.iter().any(|p| *p == path || *p == field.path);
                    if let Some((message, args)) = check(field, values.get(&path), required) {
                        problems.push(Problem { path, step: step.id, message, args });
                    }
                }
            }
        }
    }
}

/// The problem with `value` in `field`, if any.
pub fn check(field: &Field, value: &str, required: bool) -> Option<(Key, Vec<(&'static str, String)>)> {
    if value.trim().is_empty() {
        return required.then(|| (Key::Required, vec![]));
    }
    if value.chars().count() > field.max_len {
        return Some((Key::TooLong, vec![("max", field.max_len.digits())]));
    }
    let ok = match field.kind {
        FieldKind::Date => date::parse(value).is_some(),
        FieldKind::Time => is_time_of_day(value),
        FieldKind::Number { min, max } => {
            if !value.parse::<u32>().is_ok_and(|n| (min..=max).contains(&n)) {
                return Some((Key::BadNumber, vec![("min", min.digits()), ("max", max.digits())]));
            }
            true
        }
        FieldKind::Choice(options) => options.iter().any(|(o, _)| *o == value),
        FieldKind::Multi(options) => value.split(MULTI_SEPARATOR).all(|v| options.iter().any(|(o, _)| *o == v)),
        _ => true,
    };
    (!ok).then(|| {
        let key = match field.kind {
            FieldKind::Date => Key::BadDate,
            FieldKind::Time => Key::BadTime,
            _ => Key::BadChoice,
        };
        (key, vec![])
    })
}

/// `HH:MM`, 00:00 to 23:59.
pub fn is_time_of_day(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && value[..2].parse::<u32>().is_ok_and(|h| h < 24)
        && value[3..].parse::<u32>().is_ok_and(|m| m < 60)
}

/// The last day of the agreement, when it has one.
pub fn term_end(values: &Agreement) -> Option<String> {
    let start = date::parse(values.get("term.start"))?;
    match values.get("term.length") {
        "date" => date::parse(values.get("term.end")).map(date::format),
        months @ ("3" | "6" | "12") => Some(date::format(date::add_months(start, months.parse().ok()?))),
        _ => None,
    }
}

/// Adds a date problem unless the field already has one (a malformed date
/// says so first).
fn add(problems: &mut Vec<Problem>, path: String, step: &'static str, message: Key, args: Vec<(&'static str, String)>) {
    if !problems.iter().any(|p| p.path == path) {
        problems.push(Problem { path, step, message, args });
    }
}

fn dates(values: &Agreement, programme: &Programme, problems: &mut Vec<Problem>) {
    let start = values.get("term.start");
    if let Some(end) = term_end(values) {
        if values.get("term.length") == "date" && date::parse(start).is_some() && end.as_str() <= start {
            add(problems, "term.end".into(), "term", Key::EndBeforeStart, vec![]);
        }
        if date::parse(start).is_some() {
            for n in 1..=3 {
                let path = ["review.", &n.digits()].concat();
                let review = values.get(&path);
                if date::parse(review).is_some() && (review < start || review > end.as_str()) {
                    add(problems, path, "term", Key::ReviewOutsideTerm, vec![("start", start.into()), ("end", end.clone())]);
                }
            }
        }
    }
    let created = values.get("meta.created");
    if date::parse(created).is_some() && programme.shows("goals") {
        for n in 1..=values.count(&agreement::GOALS) {
            let path = ["goal.", &n.digits(), ".target"].concat();
            let target = values.get(&path);
            if date::parse(target).is_some() && target < created {
                add(problems, path, "goals", Key::TargetInPast, vec![("date", created.into())]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::form::Values;

    #[test]
    fn a_label_two_people_share_says_whose_it_is() {
        let p = Programme::default();
        let problem = |path: &str| Problem { path: path.into(), step: "", message: Key::Required, args: vec![] };
        let steps = crate::model::agreement::STEPS;
        assert_eq!(label(&problem("mentee.name"), steps, &p, Locale::En), "Mentee – Full name");
        assert_eq!(label(&problem("mentor.name"), steps, &p, Locale::En), "Mentor – Full name");
        assert!(!label(&problem("purpose.text"), steps, &p, Locale::En).contains(" – "), "a label of its own stays as it is");
    }

    fn complete() -> Values {
        let mut v = crate::model::agreement::fresh(&Programme::default(), "2026-11-22", crate::i18n::Locale::En);
        for (k, val) in [
            ("mentee.name", "Amara Okafor"),
            ("mentor.name", "Jonas Weber"),
            ("purpose.text", "Find my feet as a freelance set designer."),
            ("goal.1.what", "Build a portfolio site"),
            ("term.start", "2026-12-01"),
        ] {
            v.set(k, val.into());
        }
        v
    }

    fn messages(v: &Values, p: &Programme) -> Vec<(String, Key)> {
        validate(v, p).into_iter().map(|p| (p.path, p.message)).collect()
    }

    #[test]
    fn a_complete_agreement_has_no_problems() {
        assert_eq!(messages(&complete(), &Programme::default()), vec![]);
    }

    #[test]
    fn required_fields_are_reported_in_form_order() {
        let mut v = complete();
        v.set("mentor.name", String::new());
        v.set("mentee.name", "   ".into());
        let got = messages(&v, &Programme::default());
        assert_eq!(got, vec![("mentee.name".into(), Key::Required), ("mentor.name".into(), Key::Required)]);
    }

    #[test]
    fn conditional_fields_count_only_when_shown() {
        let mut v = complete();
        assert!(messages(&v, &Programme::default()).is_empty());
        v.set("mentee.minor", "yes".into());
        assert_eq!(messages(&v, &Programme::default()), vec![("guardian.name".into(), Key::Required)]);
    }

    #[test]
    fn every_goal_is_checked() {
        let mut v = complete();
        v.set("goals", "3".into());
        v.set("goal.3.what", "Apply for the residency".into());
        assert_eq!(messages(&v, &Programme::default()), vec![("goal.2.what".into(), Key::Required)]);
    }

    #[test]
    fn dates_must_cohere() {
        let mut v = complete();
        v.set("term.length", "date".into());
        v.set("term.end", "2026-11-30".into());
        v.set("review.1", "2027-01-15".into());
        v.set("goal.1.target", "2026-11-01".into());
        let got = messages(&v, &Programme::default());
        assert!(got.contains(&("term.end".into(), Key::EndBeforeStart)), "{got:?}");
        assert!(got.contains(&("review.1".into(), Key::ReviewOutsideTerm)), "{got:?}");
        assert!(got.contains(&("goal.1.target".into(), Key::TargetInPast)), "{got:?}");
    }

    #[test]
    fn review_dates_inside_a_six_month_term_pass_and_outside_fail() {
        let mut v = complete();
        v.set("review.1", "2027-03-01".into());
        v.set("review.2", "2027-06-01".into());
        v.set("review.3", "2027-06-02".into());
        assert_eq!(term_end(&v).as_deref(), Some("2027-06-01"));
        assert_eq!(messages(&v, &Programme::default()), vec![("review.3".into(), Key::ReviewOutsideTerm)]);
    }

    #[test]
    fn malformed_values_are_reported() {
        let mut v = complete();
        v.set("meet.agendaDays", "lots".into());
        v.set("meet.time", "25:00".into());
        v.set("meet.first", "2026-02-30".into());
        v.set("meet.format", "carrier pigeon".into());
        v.set("mentee.contact", "x".repeat(201));
        let got = messages(&v, &Programme::default());
        for expected in [
            ("mentee.contact", Key::TooLong),
            ("meet.first", Key::BadDate),
            ("meet.time", Key::BadTime),
            ("meet.format", Key::BadChoice),
            ("meet.agendaDays", Key::BadNumber),
        ] {
            assert!(got.contains(&(expected.0.into(), expected.1)), "{expected:?} in {got:?}");
        }
    }

    #[test]
    fn a_programme_can_require_more_hide_steps_and_add_clauses() {
        let p: Programme = crate::model::json::parse(
            r#"{"required":["mentee.contact"],"hidden":["purpose"],"clauses":[{"id":"photos","title":"Photos","text":"None.","required":true}]}"#,
        )
        .unwrap();
        let mut v = complete();
        v.set("purpose.text", String::new());
        assert_eq!(
            messages(&v, &p),
            vec![("mentee.contact".into(), Key::Required), ("clause.photos".into(), Key::ClauseRequired)]
        );
        v.set("clause.photos", "yes".into());
        v.set("mentee.contact", "amara@example.org".into());
        assert_eq!(messages(&v, &p), vec![]);
    }
}
