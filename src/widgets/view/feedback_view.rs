//! The feedback widget's half of the view: the tabs, the form, the history
//! with its insights and charts, and the history's exports.

use super::{block_node, Choices, Control, Intent, State, View};
use crate::dom::{self, H};
use crate::i18n::{self, Key};
use crate::model::envelope::{self, FEEDBACK_RECORD, FEEDBACK_RECORDS};
use crate::model::feedback::{self as fmodel, Record, ACTIONS, KINDS, OPEN_STATES, RATING, STEPS};
use crate::model::form::FieldKind;
use crate::model::json;
use crate::render::{self, history};
use crate::widgets::feedback::{Feedback, Msg, Tab};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

impl View {
    /// The tab list: the form and the history.
    pub(super) fn tabs(&self, f: &Feedback) -> H {
        let count = f.count();
        let history = if count == 0 { self.t(Key::History).to_owned() } else { i18n::fill(self.t(Key::HistoryCount), &[("n", &count.to_string())]) };
        let tab = |which: &str, label: &str, selected: bool| {
            H::new("button")
                .attr("type", "button")
                .attr("role", "tab")
                .attr("id", &["mk-tab-", which].concat())
                .attr("name", &["tab-", which].concat())
                .attr("part", "tab")
                .attr("aria-selected", if selected { "true" } else { "false" })
                .attr("aria-controls", "mk-panel")
                .attr("tabindex", if selected { "0" } else { "-1" })
                .attr("data-action", &["tab:", which].concat())
                .text(label)
        };
        H::new("div")
            .class("tabs")
            .attr("role", "tablist")
            .attr("aria-label", self.t(Key::FeedbackTitle))
            .add(tab("form", self.t(Key::FeedbackNew), f.tab == Tab::Form))
            .add(tab("history", &history, f.tab == Tab::History))
    }

    /// The open tab's panel.
    pub(super) fn panel(&self, f: &Feedback) -> H {
        let (tab, content) = match f.tab {
            Tab::Form => ("mk-tab-form", self.feedback_form(f)),
            Tab::History => ("mk-tab-history", self.history(f)),
        };
        H::new("div").attr("role", "tabpanel").attr("id", "mk-panel").attr("aria-labelledby", tab).add(content)
    }

    /// The form: common questions, the kind's questions, the programme's,
    /// the notes.
    pub(super) fn feedback_form(&self, f: &Feedback) -> H {
        let values = f.values();
        let locale = self.locale.tag();
        let mut form = H::new("form")
            .attr("novalidate", "")
            .attr("part", "form")
            .attr("aria-labelledby", "mk-step")
            .add(H::new("h3").attr("id", "mk-step").attr("tabindex", "-1").attr("part", "step-title").text(self.t(Key::FeedbackNew)))
            .add(H::new("p").class("intro").text(self.t(Key::FeedbackIntro)));
        if let Some(r) = f.amending() {
            let text = i18n::fill(self.t(Key::Amending), &[("date", &dom::format_date(locale, r.data.get("date")))]);
            form = form.add(H::new("div").class("amending").add(H::new("p").text(&text)).add(self.button("cancel-amend", Key::Cancel).attr("name", "cancel-amend")));
        }
        form = form.add(H::new("div").class("summary").attr("part", "error-summary").attr("hidden", ""));
        let mut common = H::new("div").class("group");
        for field in STEPS[0].groups[0].fields {
            common = match field.path {
                "kind" => {
                    let options: Vec<(&str, &str)> =
                        KINDS.iter().filter(|(k, _)| self.programme.shows(k)).map(|(k, key)| (*k, self.t(*key))).collect();
                    if options.len() < 2 {
                        continue;
                    }
                    common.add(self.control(&Control {
                        path: "kind",
                        label: self.programme.field_label(self.locale, field),
                        help: None,
                        kind: field.kind,
                        choices: Choices::One,
                        options,
                        max_len: field.max_len,
                        required: true,
                        locked: false,
                        autocomplete: None,
                        value: values.get("kind"),
                    }))
                }
                "respondent" if !f.asking => {
                    let key = if values.get("respondent") == "mentor" { Key::AnsweringAsMentor } else { Key::AnsweringAsMentee };
                    let line = H::new("p").class("answering").attr("data-focus", "respondent").attr("tabindex", "-1").text(self.t(key));
                    let line = if f.fixed_respondent.is_none() { line.text(" ").add(self.button("change-respondent", Key::ChangeRespondent).class("quiet").attr("name", "change-respondent")) } else { line };
                    common.add(line)
                }
                _ => common.add(self.field(field, field.path, values)),
            };
        }
        form = form.add(common);
        let kind = values.get("kind");
        for step in fmodel::steps_for(values).filter(|s| s.id != "common" && s.id != "notes") {
            if let Some(intro) = step.intro {
                form = form.add(H::new("h4").class("kind").text(self.t(step.title))).add(H::new("p").class("intro").text(self.t(intro)));
            }
            for group in step.groups {
                if group.repeat == Some(ACTIONS) && kind == "session" {
                    form = self.earlier_actions(form, f);
                }
                form = self.group(form, group, values);
            }
        }
        let mut extra = H::new("div").class("group");
        let mut any = false;
        for q in fmodel::questions(&self.programme, values) {
            any = true;
            let path = q.path();
            let (choices, options): (Choices, Vec<(&str, &str)>) = match q.kind.as_str() {
                "rating" => (Choices::One, RATING.iter().map(|(v, k)| (*v, self.t(*k))).collect()),
                "choice" => (Choices::One, q.options.iter().map(|o| (o.as_str(), o.as_str())).collect()),
                "multiple" => (Choices::Many, q.options.iter().map(|o| (o.as_str(), o.as_str())).collect()),
                _ => (Choices::None, Vec::new()),
            };
            extra = extra.add(self.control(&Control {
                path: &path,
                label: self.programme.label(self.locale.tag(), &path).unwrap_or(&q.label),
                help: (!q.help.is_empty()).then_some(q.help.as_str()),
                kind: if q.kind == "long" { FieldKind::LongText } else { FieldKind::Text },
                choices,
                options,
                max_len: if q.kind == "long" { 4000 } else { 200 },
                required: q.required,
                locked: false,
                autocomplete: None,
                value: values.get(&path),
            }));
        }
        if any {
            form = form.add(extra);
        }
        let notes = &STEPS[STEPS.len() - 1];
        let mut set = H::new("fieldset").attr("part", "group").add(H::new("legend").attr("part", "legend").text(self.t(notes.title)));
        for field in notes.groups[0].fields.iter().filter(|f| self.programme.shows(f.path)) {
            set = set.add(self.field(field, field.path, values));
        }
        form.add(set).add(
            H::new("div")
                .class("nav")
                .add(H::new("button").attr("type", "submit").attr("name", "submit").attr("part", "button primary").class("primary").text(self.t(Key::Submit))),
        )
    }

    /// Action points still open from earlier sessions, each to mark done or
    /// carry forward.
    fn earlier_actions(&self, form: H, f: &Feedback) -> H {
        let amending = f.amending().map(|r| r.seq);
        let insights = f.insights(&dom::today());
        let open: Vec<_> = insights.open.iter().filter(|a| Some(a.seq) != amending).collect();
        if open.is_empty() {
            return form;
        }
        let locale = self.locale.tag();
        let mut set = H::new("fieldset")
            .attr("part", "group")
            .add(H::new("legend").attr("part", "legend").text(self.t(Key::OpenActions)))
            .add(H::new("p").class("help").text(self.t(Key::OpenActionsHelp)));
        // The newest first-hand; a long list of older ones waits to be asked for.
        let older = f.older_hidden(open.len());
        set = set.add_some(self.show_older(older));
        for a in &open[older..] {
            let mut label = vec![a.what.clone(), i18n::fill(self.t(Key::OpenActionFrom), &[("date", &dom::format_date(locale, &a.from))])];
            if !a.due.is_empty() {
                label.push(i18n::fill(self.t(Key::OpenActionDue), &[("date", &dom::format_date(locale, &a.due))]));
            }
            let label = label.join(" · ");
            set = set.add(self.control(&Control {
                path: &a.path,
                label: &label,
                help: None,
                kind: FieldKind::Text,
                choices: Choices::One,
                options: OPEN_STATES.iter().map(|(v, k)| (*v, self.t(*k))).collect(),
                max_len: 40,
                required: false,
                locked: false,
                autocomplete: None,
                value: f.values().get(&a.path),
            }));
        }
        form.add(set)
    }

    /// The history: what was just saved, alerts, the picture so far, open
    /// action points, every entry, and the exports.
    fn history(&self, f: &Feedback) -> H {
        let tag = self.locale.tag();
        let date = |d: &str| dom::format_date(tag, d);
        let mut out = H::new("div")
            .class("history")
            .add(H::new("h3").attr("id", "mk-step").attr("tabindex", "-1").attr("part", "step-title").text(self.t(Key::History)));
        if let Some(r) = &f.saved {
            let what = KINDS.iter().find(|(k, _)| *k == r.kind).map_or("", |(_, key)| self.t(*key));
            let text = i18n::fill(self.t(Key::Submitted), &[("what", what), ("date", &date(r.data.get("date")))]);
            out = out.add(H::new("p").class("done saved").attr("role", "status").attr("data-focus", "saved").attr("tabindex", "-1").text(&text));
        }
        if let Some(error) = &self.records_error {
            let text = super::storage_message(error, crate::store::Stored::History, &self.programme, self.locale);
            let mut problem = H::new("div").class("stored-problem").add(H::new("p").class("error").attr("part", "error").text(&text));
            if error.left_in_place() {
                let action = ["download-left:", &self.records_key()].concat();
                problem = problem.add(self.buttons(&[(&action, Key::DownloadLeftAlone)]));
            }
            out = out.add(problem);
        }
        if !f.unsaved.is_empty() {
            let text = super::storage_message(&crate::store::StoreError::Full, crate::store::Stored::History, &self.programme, self.locale);
            out = out.add(H::new("div").class("stored-problem").attr("data-unsaved", "").add(H::new("p").class("warning").text(&text)).add(self.buttons(&[("download-copy", Key::DownloadCopy)])));
        }
        let latest = f.latest();
        if latest.is_empty() {
            return out.add(H::new("p").text(self.t(Key::NoHistory)));
        }
        let ins = f.insights(&dom::today());
        if !ins.alerts.is_empty() {
            let mut list = H::new("ul");
            for a in &ins.alerts {
                list = list.add(H::new("li").text(&history::alert(a, &self.programme, self.locale, &date)));
            }
            out = out.add(self.section("mk-alerts", Key::Alerts).class("alerts").attr("part", "alerts").add(list));
        }
        let mut glance = self.section("mk-glance", Key::AtAGlance);
        if let Some(c) = &ins.cadence {
            glance = glance.add(H::new("p").class("cadence").text(&history::cadence(c, &self.programme, self.locale, &date)));
        }
        for line in history::glance(&ins, &self.programme, self.locale) {
            glance = glance.add(H::new("p").text(&line));
        }
        for (svg, alt) in [history::ratings_chart(&ins, &self.programme, self.locale, &date), history::talking_chart(&ins, &self.programme, self.locale, &date)].into_iter().flatten() {
            let figure = H::new("figure").attr("part", "chart").chart(&svg);
            glance = glance.add(figure.add(H::new("figcaption").text(&alt)));
        }
        out = out.add(glance);
        let mut open = self.section("mk-open", Key::OpenActions);
        if ins.open.is_empty() {
            open = open.add(H::new("p").text(self.t(Key::NoOpenActions)));
        } else {
            // As in the form: the newest, and the older ones when asked for.
            let older = f.older_hidden(ins.open.len());
            open = open.add_some(self.show_older(older));
            let mut list = H::new("ul").class("actions");
            for (i, a) in ins.open.iter().enumerate().skip(older) {
                let who = [("mentee", Key::Mentee), ("mentor", Key::Mentor), ("both", Key::BothOfUs)].iter().find(|(w, _)| *w == a.who).map_or("", |(_, k)| self.t(*k));
                let mut parts = vec![a.what.clone()];
                if !who.is_empty() {
                    parts.push(who.to_owned());
                }
                if !a.due.is_empty() {
                    parts.push(i18n::fill(self.t(Key::OpenActionDue), &[("date", &date(&a.due))]));
                }
                parts.push(i18n::fill(self.t(Key::OpenActionFrom), &[("date", &date(&a.from))]));
                let item = H::new("li").text(&parts.join(" · "));
                // Where focus goes once the older ones are shown.
                let item = if i == 0 && f.all_open { item.attr("data-focus", &a.path).attr("tabindex", "-1") } else { item };
                list = list.add(if a.overdue { item.class("overdue") } else { item });
            }
            open = open.add(list);
        }
        out = out.add(open);
        let mut entries = H::new("ol").class("entries");
        for (i, r) in latest.iter().take(f.shown).enumerate() {
            let summary = H::new("summary")
                .attr("data-focus", &["entry-", &i.to_string()].concat())
                .text(&history::title(r, &self.programme, self.locale, &date))
                .add(H::new("span").class("sent").attr("data-delivery", &r.id));
            let summary = if f.unsaved.contains(&r.id) { summary.add(H::new("span").class("unsaved").text(&[" · ", self.t(Key::NotSavedYet)].concat())) } else { summary };
            entries = entries.add(H::new("li").add(H::new("details").attr("data-record", &r.id).add(summary)));
        }
        let mut list = self.section("mk-entries", Key::Sessions).add(entries);
        if latest.len() > f.shown {
            let more = (latest.len() - f.shown).min(crate::widgets::feedback::PAGE);
            list = list.add(H::new("button").attr("type", "button").attr("part", "button").attr("data-action", "more").text(&i18n::fill(self.t(Key::ShowMore), &[("n", &more.to_string())])));
        }
        out = out.add(list);
        let exports = self
            .section("mk-export", Key::ExportHistory)
            .add(H::new("p").class("help").text(self.t(Key::ExportHistoryHelp)))
            .add(self.buttons(&[
                ("history:csv-shared", Key::SharedCsv),
                ("history:json-shared", Key::SharedJson),
                ("history:csv-full", Key::FullCsv),
                ("history:json-full", Key::FullJson),
                ("history:print", Key::PrintSummary),
            ]));
        out.add(exports)
    }

    /// The button that lists the `older` open action points left out.
    fn show_older(&self, older: usize) -> Option<H> {
        let label = i18n::fill(self.t(Key::ShowOlderActions), &[("n", &older.to_string())]);
        (older > 0).then(|| H::new("button").attr("type", "button").attr("part", "button").class("quiet").attr("data-action", "all-open").attr("name", "all-open").text(&label))
    }

    fn section(&self, id: &str, heading: Key) -> H {
        H::new("section").attr("aria-labelledby", id).add(H::new("h4").attr("id", id).text(self.t(heading)))
    }

    /// Draws an entry's answers the first time it is opened.
    pub(super) fn fill_entry(&self, details: &web_sys::HtmlDetailsElement, id: &str) {
        let Some(State::Feedback(f)) = &self.state else { return };
        if !details.open() || details.has_attribute("data-filled") {
            return;
        }
        let Some(record) = f.latest().into_iter().find(|r| r.id == id) else { return };
        let tag = self.locale.tag();
        let date = |d: &str| dom::format_date(tag, d);
        let mut body = H::new("div").class("doc answers");
        for block in history::answers(record, &self.programme, self.locale, &date, true) {
            body = body.add(block_node(&block));
        }
        body = body.add(self.button(&["amend:", id].concat(), Key::Amend));
        let _ = details.append_child(&body.done());
        let _ = details.set_attribute("data-filled", "");
    }

    /// Downloads or prints the history: `csv-shared`, `json-full`, `print`, …
    pub(super) fn export_history(&mut self, what: &str) {
        if what == "print" {
            if let Some((_, _, html)) = self.history_exported("html", false) {
                self.printing = dom::print_html(&html);
            }
            return;
        }
        let Some((format, copy)) = what.split_once('-') else { return };
        if let Some((ext, mime, text)) = self.history_exported(format, copy == "full") {
            dom::download(&["mentoring-history-", copy, ".", ext].concat(), mime, &text);
        }
    }

    /// The history in `format` (`csv`, `json`, `md`, `html`, `txt`): the
    /// shared copy (newest versions, without either note) or the `full` one
    /// (every version and note, the private one included).
    pub(super) fn history_exported(&self, format: &str, full: bool) -> Option<(&'static str, &'static str, String)> {
        let Some(State::Feedback(f)) = &self.state else { return None };
        let latest = f.latest();
        let tag = self.locale.tag();
        let date = |d: &str| dom::format_date(tag, d);
        let summary = || {
            let ins = f.insights(&dom::today());
            history::summary(&latest, &ins, &self.programme, self.locale, &date, full)
        };
        Some(match format {
            "csv" => ("csv", "text/csv", history::csv(&latest, &self.programme, full)),
            "json" => {
                // A full copy keeps every version; a shared one the newest, without notes.
                let records: Vec<Record> = if full {
                    f.records.clone()
                } else {
                    latest.iter().map(|r| Record { data: history::copy(&r.data, &self.programme, false), ..(*r).clone() }).collect()
                };
                ("json", "application/json", envelope::seal(FEEDBACK_RECORDS, dom::now(), &records))
            }
            "md" => ("md", "text/markdown", render::markdown(&summary())),
            "html" => ("html", "text/html", render::html(&summary(), self.locale)),
            "txt" => ("txt", "text/plain", render::text(&summary())),
            _ => return None,
        })
    }
}

/// The detail of `mentorkit-submit` for a record: its envelope, without the
/// private note.
pub(super) fn record_detail(record: &Record, programme: &crate::model::config::Programme) -> JsValue {
    let sent = Record { data: fmodel::for_reader(&record.data, programme, crate::model::form::Reader::Programme), ..record.clone() };
    let detail = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&detail, &k.into(), v);
    };
    set("schema", &FEEDBACK_RECORD.name.into());
    set("version", &FEEDBACK_RECORD.version.into());
    set("record", &json::to_js(&sent));
    detail.into()
}

/// Arrow keys, Home and End move between the tabs.
pub(super) fn on_keydown(this: &Rc<RefCell<View>>, event: &web_sys::Event) {
    let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>().map(|k| k.key()) else { return };
    let Some(tab) = dom::target::<web_sys::Element>(event).filter(|el| el.get_attribute("role").as_deref() == Some("tab")) else { return };
    // With two tabs, either arrow moves to the other one, in either direction of writing.
    let on_form = tab.id() == "mk-tab-form";
    let next = match key.as_str() {
        "Home" => Tab::Form,
        "End" => Tab::History,
        "ArrowRight" | "ArrowLeft" => {
            if on_form { Tab::History } else { Tab::Form }
        }
        _ => return,
    };
    event.prevent_default();
    super::dispatch(this, Intent::Feedback(Msg::Tab(next)));
}
