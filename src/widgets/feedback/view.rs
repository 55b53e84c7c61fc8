//! The feedback widget drawn as markup, from its state alone: the tabs, and
//! the form (the common questions, the kind's, earlier action points, the
//! programme's questions, the notes) or the history ([`super::history`]).
//! Pure: tested natively.

use super::{history, Feedback, Tab};
use crate::i18n::{self, Key};
use crate::markup::{Markup, H};
use crate::model::feedback::{self as fmodel, ACTIONS, KINDS, OPEN_STATES, SCALE, STEPS};
use crate::model::form::{shown, Audience, FieldKind};
use crate::widgets::action::Action;
use crate::widgets::common::{self, Choices, Control, Draw};
use crate::widgets::Ctx;
use crate::model::num::Digits;

/// The whole widget. The notice, delivery and status areas are placeholders
/// for the live regions the shell keeps; the status, about the draft, is
/// in the form only.
pub fn view(f: &Feedback, ctx: &Ctx) -> Markup {
    let d = Draw::new(&f.programme, ctx);
    let header = H::new("header").add(H::new("h2").attr("id", "mk-title").attr("part", "title").text(d.t(Key::FeedbackTitle)));
    common::base(ctx)
        .add(header)
        .add(tabs(&d, f))
        .add(H::region("notice"))
        .add(H::region("delivery"))
        .add(panel(&d, f))
        .done()
}

fn tabs(d: &Draw, f: &Feedback) -> H {
    let count = f.count();
    let history = if count == 0 { d.t(Key::History).to_owned() } else { i18n::fill(d.t(Key::HistoryCount), &[("n", &count.digits())]) };
    let tab = |which: Tab, name: &str, label: &str| {
        let selected = f.tab == which;
        H::new("button")
            .attr("type", "button")
            .attr("role", "tab")
            .attr("id", &["mk-tab-", name].concat())
            .attr("name", &["tab-", name].concat())
            .attr("part", "tab")
            .attr("aria-selected", if selected { "true" } else { "false" })
            .attr("aria-controls", "mk-panel")
            .attr("tabindex", if selected { "0" } else { "-1" })
            .attr("data-action", &Action::Tab(which).encode())
            .text(label)
    };
    H::new("div")
        .class("tabs")
        .attr("role", "tablist")
        .attr("aria-label", d.t(Key::FeedbackTitle))
        .add(tab(Tab::Form, "form", d.t(Key::FeedbackNew)))
        .add(tab(Tab::History, "history", &history))
}

fn panel(d: &Draw, f: &Feedback) -> H {
    let (tab, content) = match f.tab {
        Tab::Form => ("mk-tab-form", form(d, f)),
        Tab::History => ("mk-tab-history", history::view(d, f)),
    };
    H::new("div").attr("role", "tabpanel").attr("id", "mk-panel").attr("aria-labelledby", tab).add(content)
}

/// The form: common questions, the kind's questions, the programme's, the
/// notes.
fn form(d: &Draw, f: &Feedback) -> H {
    let values = f.values();
    let locale = d.ctx.locale;
    let mut form = H::new("form")
        .attr("novalidate", "")
        .attr("part", "form")
        .attr("aria-labelledby", "mk-step")
        .add(H::new("h3").attr("id", "mk-step").attr("tabindex", "-1").attr("part", "step-title").text(d.t(Key::FeedbackNew)))
        .add(H::new("p").class("intro").text(d.t(Key::FeedbackIntro)));
    if let Some(r) = f.amending() {
        let text = i18n::fill(d.t(Key::Amending), &[("date", &d.date(r.data.get("date")))]);
        let cancel = d.button(&Action::CancelAmend, Key::Cancel).attr("name", "cancel-amend");
        form = form.add(H::new("div").class("amending").add(H::new("p").text(&text)).add(cancel));
    }
    form = form.add(H::new("div").class("summary").attr("part", "error-summary").attr("hidden", ""));
    let mut common = H::new("div").class("group");
    for field in STEPS[0].groups[0].fields {
        common = match field.path {
            "kind" => {
                let options: Vec<(&str, &str)> = KINDS.iter().filter(|(k, _)| f.programme.shows(k)).map(|(k, key)| (*k, d.t(*key))).collect();
                if options.len() < 2 {
                    continue;
                }
                common.add(d.control(&Control {
                    path: "kind",
                    label: f.programme.field_label(locale, field),
                    help: None,
                    kind: field.kind,
                    choices: Choices::One,
                    options,
                    max_len: field.max_len,
                    required: true,
                    locked: false,
                    autocomplete: None,
                    value: values.get("kind"),
                    ends: true,
                }))
            }
            "respondent" if !f.asking => {
                let key = if values.get("respondent") == "mentor" { Key::AnsweringAsMentor } else { Key::AnsweringAsMentee };
                let line = H::new("p").class("answering").attr("data-focus", "respondent").attr("tabindex", "-1").text(d.t(key));
                let change = || d.button(&Action::ChangeRespondent, Key::ChangeRespondent).class("quiet").attr("name", "change-respondent");
                common.add(if f.fixed_respondent.is_none() { line.text(" ").add(change()) } else { line })
            }
            _ => common.add(d.field(field, field.path, values, false)),
        };
    }
    form = form.add(common);
    let kind = values.get("kind");
    for step in fmodel::steps_for(values).filter(|s| s.id != "common" && s.id != "notes") {
        if let Some(intro) = step.intro {
            form = form.add(H::new("h4").class("kind").text(d.t(step.title))).add(H::new("p").class("intro").text(d.t(intro)));
        }
        for group in step.groups {
            if group.repeat == Some(ACTIONS) && kind == "session" {
                form = earlier_actions(d, form, f);
            }
            form = d.group_where(form, group, values, false, &|field| f.asks(field.path));
        }
    }
    let mut extra = H::new("div").class("group");
    let mut any = false;
    for q in fmodel::questions(&f.programme, values).filter(|q| f.asks(&q.path())) {
        any = true;
        let path = q.path();
        // A rating's ends in the programme's words, else generic ones.
        let ends: Vec<String> = match q.scale.as_slice() {
            [low, high] => vec![["1 ", low].concat(), ["5 ", high].concat()],
            _ => vec![d.t(Key::Scale1).to_owned(), d.t(Key::Scale5).to_owned()],
        };
        let (choices, options): (Choices, Vec<(&str, &str)>) = match q.kind.as_str() {
            "rating" => (Choices::One, SCALE.iter().enumerate().map(|(i, (v, k))| (*v, match i { 0 => ends[0].as_str(), 4 => ends[1].as_str(), _ => d.t(*k) })).collect()),
            "choice" => (Choices::One, q.options.iter().map(|o| (o.as_str(), o.as_str())).collect()),
            "multiple" => (Choices::Many, q.options.iter().map(|o| (o.as_str(), o.as_str())).collect()),
            _ => (Choices::None, Vec::new()),
        };
        extra = extra.add(d.control(&Control {
            path: &path,
            label: f.programme.label(locale.tag(), &path).unwrap_or(&q.label),
            help: (!q.help.is_empty()).then_some(q.help.as_str()),
            kind: if q.kind == "long" { FieldKind::LongText } else { FieldKind::Text },
            choices,
            options,
            max_len: if q.kind == "long" { 4000 } else { 200 },
            required: q.required,
            locked: false,
            autocomplete: None,
            value: values.get(&path),
            ends: true,
        }));
    }
    if any {
        form = form.add(extra);
    }
    let notes = &STEPS[STEPS.len() - 1];
    let fields: Vec<_> = notes.groups[0].fields.iter().filter(|fl| f.programme.shows(fl.path) && f.asks(fl.path)).collect();
    if !fields.is_empty() {
        let mut set = H::new("fieldset").attr("part", "group").add(H::new("legend").attr("part", "legend").text(d.t(notes.title)));
        for field in fields {
            set = set.add(d.field(field, field.path, values, false));
        }
        form = form.add(set);
    }
    // The quick part of a session, and every other question one tap away.
    if values.get("kind") == "session" {
        let left_out = f.left_out();
        if f.quick() && left_out > 0 {
            let label = i18n::fill(d.t(Key::MoreQuestions), &[("n", &left_out.digits())]);
            let more = Action::Questions(true);
            form = form.add(H::new("button").attr("type", "button").attr("part", "button").attr("name", &more.encode()).attr("data-action", &more.encode()).text(&label));
        } else if f.all_questions {
            let fewer = Action::Questions(false);
            form = form.add(d.button(&fewer, Key::FewerQuestions).attr("name", &fewer.encode()));
        }
    }
    let submit = H::new("button").attr("type", "submit").attr("name", "submit").attr("part", "button primary").class("primary").text(d.t(Key::Submit));
    // What is said about the draft belongs to the form, not the history.
    form.add_some(sends(d, f)).add(H::new("div").class("nav").add(submit)).add(H::region("status"))
}

/// What the programme will receive of this entry, said before it is sent:
/// everything but what is the person's own, what of it the partner never
/// sees, and whom it is about.
fn sends(d: &Draw, f: &Feedback) -> Option<H> {
    let pair = f.sends.as_ref()?;
    let values = f.values();
    let mut only: Vec<&str> = Vec::new();
    for step in fmodel::steps_for(values) {
        for group in step.groups {
            for field in group.fields.iter().filter(|fl| fl.audience == Audience::Programme && shown(fl, values) && f.programme.shows(fl.path) && f.asks(fl.path)) {
                only.push(f.programme.field_label(d.ctx.locale, field));
            }
        }
    }
    only.extend(fmodel::questions(&f.programme, values).filter(|q| q.audience() == Audience::Programme && f.asks(&q.path())).map(|q| q.label.as_str()));
    let mut out = H::new("div").class("sends").attr("part", "sends").add(H::new("p").text(d.t(Key::SendsEntry)));
    if !only.is_empty() {
        out = out.add(H::new("p").text(&i18n::fill(d.t(Key::SendsOnlyProgramme), &[("fields", &only.join(", "))])));
    }
    if !pair.is_empty() {
        let role = if values.get("respondent") == "mentor" { Key::Mentor } else { Key::Mentee };
        out = out.add(H::new("p").text(&i18n::fill(d.t(Key::SendsAbout), &[("pair", pair), ("role", d.t(role))])));
    }
    if let Some(linked) = super::about(values.get("respondent"), f.agreement.as_ref(), Some(pair)).filter(|a| !a.fingerprint.is_empty()) {
        let short = crate::model::signing::short(&linked.fingerprint);
        out = out.add(H::new("p").text(&i18n::fill(d.t(Key::SendsLinked), &[("fingerprint", &short)])));
    }
    Some(out)
}

/// Action points still open from earlier sessions, each to mark done or
/// carry forward: the newest, and a button for the older ones.
fn earlier_actions(d: &Draw, form: H, f: &Feedback) -> H {
    let amending = f.amending().map(|r| r.seq);
    let insights = f.insights(d.ctx.today);
    let open: Vec<_> = insights.open.iter().filter(|a| Some(a.seq) != amending).collect();
    if open.is_empty() {
        return form;
    }
    let mut set = H::new("fieldset")
        .attr("part", "group")
        .add(H::new("legend").attr("part", "legend").text(d.t(Key::OpenActions)))
        .add(H::new("p").class("help").text(d.t(Key::OpenActionsHelp)));
    let older = f.older_hidden(open.len());
    set = set.add_some(show_older(d, older));
    for a in &open[older..] {
        let mut label = [&a.what, " · ", &i18n::fill(d.t(Key::OpenActionFrom), &[("date", &d.date(&a.from))])].concat();
        if !a.due.is_empty() {
            let key = if a.overdue { Key::OpenActionOverdue } else { Key::OpenActionDue };
            label.push_str(" · ");
            label.push_str(&i18n::fill(d.t(key), &[("date", &d.date(&a.due))]));
        }
        set = set.add(d.control(&Control {
            path: &a.path,
            label: &label,
            help: None,
            kind: FieldKind::Text,
            choices: Choices::One,
            options: OPEN_STATES.iter().map(|(v, k)| (*v, d.t(*k))).collect(),
            max_len: 40,
            required: false,
            locked: false,
            autocomplete: None,
            value: f.values().get(&a.path),
            ends: true,
        }));
    }
    form.add(set)
}

/// The button that lists the `older` open action points left out.
pub(super) fn show_older(d: &Draw, older: usize) -> Option<H> {
    let label = i18n::fill(d.t(Key::ShowOlderActions), &[("n", &older.digits())]);
    let button = || H::new("button").attr("type", "button").attr("part", "button").class("quiet");
    (older > 0).then(|| button().attr("data-action", &Action::AllOpen.encode()).attr("name", "all-open").text(&label))
}

/// The problems on display: each field's message (by path), and the summary.
pub fn problems(f: &Feedback, ctx: &Ctx) -> common::Shown {
    let d = Draw::new(&f.programme, ctx);
    let problems = if f.tab == Tab::Form { f.shown_problems() } else { Vec::new() };
    common::Shown { fields: problems.iter().map(|p| (p.path.clone(), d.problem_message(p))).collect(), summary: d.summary(&problems, STEPS, false) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::Programme;
    use crate::model::feedback::{fresh, Linked};
    use crate::widgets::draft::Draft;
    use crate::widgets::fixed_ctx;

    fn widget() -> Feedback {
        let start = fresh("2027-03-01", "", &Linked { goals: vec!["Portfolio".into()] }, &[], &Programme::default());
        Feedback::new(Draft::restore(STEPS, Ok(None), || start), Programme::default(), Vec::new(), None, None)
    }

    #[test]
    fn the_form_asks_who_is_answering_and_every_field_is_labelled() {
        let markup = view(&widget(), &fixed_ctx("2027-03-01"));
        let text = markup.as_str();
        assert!(text.contains("role=\"tablist\"") && text.contains("name=\"respondent\""));
        for id in text.split(" id=\"mk-").skip(1).map(|s| s.split('"').next().unwrap()) {
            if id.ends_with("-error") || id.ends_with("-help") || id.starts_with("tab-") || matches!(id, "title" | "step" | "panel") {
                continue;
            }
            assert!(text.contains(&format!("for=\"mk-{id}\"")) || text.contains(&format!("id=\"mk-{id}\" aria-describedby")), "mk-{id} has a label");
        }
        crate::widgets::golden("feedback-form.html", &markup);
    }
}
