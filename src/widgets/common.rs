//! Drawing both widgets share, as pure markup: a control with its label,
//! help and error slot; groups and repeated groups; rows of buttons; the
//! notice; the problem summary; where the latest record is on its way; a
//! document's blocks. Every control has a label, and every error slot is tied
//! to its control with `aria-describedby`.

use super::action::Action;
use super::draft::Notice;
use super::Ctx;
use crate::i18n::{self, Key};
use crate::markup::{Markup, H};
use crate::model::config::Programme;
use crate::model::date;
use crate::model::form::{item_path, shown, Field, FieldKind, Group, Step, Values, MULTI_SEPARATOR};
use crate::model::outbox::{Entry, Status};
use crate::model::validate::{self, Problem};
use crate::render::doc::{self, Block};
use crate::store::{StoreError, Stored};
use crate::model::num::Digits;

/// Whether a control offers options, and how many may be chosen.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    /// None: a text field.
    None,
    /// One: radio buttons.
    One,
    /// Any number: checkboxes.
    Many,
}

/// One control to draw.
pub struct Control<'a> {
    /// Its path, also its name.
    pub path: &'a str,
    /// Its label.
    pub label: &'a str,
    /// Help under the label.
    pub help: Option<&'a str>,
    /// What kind of field.
    pub kind: FieldKind,
    /// Options, if any.
    pub choices: Choices,
    /// The options: value and label.
    pub options: Vec<(&'a str, &'a str)>,
    /// The longest value.
    pub max_len: usize,
    /// Must be filled in.
    pub required: bool,
    /// Shown but cannot be changed.
    pub locked: bool,
    /// The `autocomplete` token.
    pub autocomplete: Option<&'static str>,
    /// The current value.
    pub value: &'a str,
    /// For a scale: its end labels are drawn under it (a group of scales
    /// with the same options draws them once, above the first).
    pub ends: bool,
}

/// The problems on display: each field's message by path, and the summary.
pub struct Shown {
    /// The message for each field that has a problem.
    pub fields: Vec<(String, String)>,
    /// The summary's content, if it is shown.
    pub summary: Option<Markup>,
}

/// Draws in one widget's language with its programme's wording.
pub struct Draw<'a> {
    /// The programme.
    pub programme: &'a Programme,
    /// The language, today, dates.
    pub ctx: &'a Ctx<'a>,
}

impl<'a> Draw<'a> {
    /// A drawer for `programme` in `ctx`.
    pub fn new(programme: &'a Programme, ctx: &'a Ctx<'a>) -> Draw<'a> {
        Draw { programme, ctx }
    }

    /// A message in the widget's language, or the programme's wording for it.
    pub fn t(&self, key: Key) -> &'a str {
        self.programme.text(self.ctx.locale, key)
    }

    /// A date as the widget's language writes it.
    pub fn date(&self, iso: &str) -> String {
        (self.ctx.date)(iso)
    }

    /// A button that does `action`.
    pub fn button(&self, action: &Action, label: Key) -> H {
        H::new("button").attr("type", "button").attr("part", "button").attr("data-action", &action.encode()).text(self.t(label))
    }

    /// A row of buttons.
    pub fn buttons(&self, list: &[(Action, Key)]) -> H {
        list.iter().fold(H::new("div").class("buttons"), |row, (action, label)| row.add(self.button(action, *label)))
    }

    /// A section with a heading.
    pub fn section(&self, id: &str, heading: Key) -> H {
        H::new("section").attr("aria-labelledby", id).add(H::new("h4").attr("id", id).text(self.t(heading)))
    }

    /// The fields of `group` shown for `values`, added to `form`: a
    /// fieldset under its legend, or for a repeated group one per item with
    /// its remove button and an add button after them. `locks` says whether
    /// the programme's locked fields are read-only here.
    pub fn group(&self, form: H, group: &Group, values: &Values, locks: bool) -> H {
        self.group_where(form, group, values, locks, &|_| true)
    }

    /// Like [`Draw::group`], drawing only the fields `keep` keeps.
    pub fn group_where(&self, form: H, group: &Group, values: &Values, locks: bool, keep: &dyn Fn(&Field) -> bool) -> H {
        let fields: Vec<&Field> = group.fields.iter().filter(|f| shown(f, values) && self.programme.shows(f.path) && keep(f)).collect();
        if fields.is_empty() {
            return form;
        }
        let Some(repeat) = group.repeat else {
            let mut set = match group.legend {
                Some(legend) => H::new("fieldset").attr("part", "group").add(H::new("legend").attr("part", "legend").text(self.t(legend))),
                None => H::new("div").class("group"),
            };
            // Scales side by side with the same options share one line of
            // end labels, above the first.
            let same = |i: usize, j: Option<usize>| match (scale_of(fields[i]), j.and_then(|j| fields.get(j)).and_then(|f| scale_of(f))) {
                (Some(a), Some(b)) => a.iter().map(|o| o.1).eq(b.iter().map(|o| o.1)),
                _ => false,
            };
            for (i, field) in fields.iter().enumerate() {
                let shared = same(i, i.checked_sub(1)) || same(i, Some(i + 1));
                if shared && !same(i, i.checked_sub(1)) {
                    let options: Vec<(&str, &str)> = scale_of(field).unwrap_or_default().iter().map(|(v, k)| (*v, self.t(*k))).collect();
                    set = set.add(ends(&options, "ends shared"));
                }
                set = set.add(self.field_drawn(field, field.path, values, locks, !shared));
            }
            return form.add(set);
        };
        let count = values.count(&repeat);
        let mut form = form;
        let (add, remove) = Action::repeat(repeat.count);
        for n in 1..=count {
            let legend = match repeat.title {
                Some(title) => values.get(&item_path(title, n)).to_owned(),
                None => i18n::fill(self.t(repeat.item), &[("n", &n.digits())]),
            };
            let mut set = H::new("fieldset").attr("part", "group").add(H::new("legend").attr("part", "legend").text(&legend));
            for field in &fields {
                set = set.add(self.field(field, &item_path(field.path, n), values, locks));
            }
            if count > repeat.min && !repeat.fixed {
                let label = i18n::fill(self.t(repeat.remove), &[("n", &n.digits())]);
                let button = H::new("button").attr("type", "button").attr("part", "button").class("quiet");
                set = set.add(button.attr("data-action", &remove(n).encode()).text(&label));
            }
            form = form.add(set);
        }
        if count < repeat.max && !repeat.fixed {
            form = form.add(self.button(&add, repeat.add).attr("name", &add.encode()));
        }
        form
    }

    /// One field of a form description at `path`.
    pub fn field(&self, field: &Field, path: &str, values: &Values, locks: bool) -> H {
        self.field_drawn(field, path, values, locks, true)
    }

    fn field_drawn(&self, field: &Field, path: &str, values: &Values, locks: bool, ends: bool) -> H {
        let locked = locks && self.programme.is_locked(path);
        let options = |options: &[(&'static str, Key)]| options.iter().map(|(o, k)| (*o, self.t(*k))).collect::<Vec<_>>();
        let (choices, options) = match field.kind {
            FieldKind::Choice(o) => (Choices::One, options(o)),
            FieldKind::Multi(o) => (Choices::Many, options(o)),
            _ => (Choices::None, Vec::new()),
        };
        self.control(&Control {
            path,
            label: self.programme.field_label(self.ctx.locale, field),
            help: if locked { Some(self.t(Key::Locked)) } else { field.help.map(|k| self.t(k)) },
            kind: field.kind,
            choices,
            options,
            max_len: field.max_len,
            required: field.required || self.programme.required.iter().any(|p| p == path || p == field.path),
            locked,
            autocomplete: field.autocomplete,
            value: values.get(path),
            ends,
        })
    }

    /// One control with its label, help and error slot.
    pub fn control(&self, c: &Control) -> H {
        let id = ["mk-", c.path].concat();
        let help_id = [&id, "-help"].concat();
        let error_id = [&id, "-error"].concat();
        let described = match c.help {
            Some(_) => [&help_id, " ", &error_id].concat(),
            None => error_id.clone(),
        };
        let label_text = |label: H| {
            let label = label.text(c.label);
            if c.required { label.add(H::new("span").class("req").text(&[" ", self.t(Key::RequiredMark)].concat())) } else { label }
        };
        let help = c.help.map(|text| H::new("p").class("help").attr("id", &help_id).attr("part", "help").text(text));
        let error = error_slot(&error_id, c.path);
        if c.choices != Choices::None {
            let many = c.choices == Choices::Many;
            let scale = !many && is_scale(&c.options);
            let set = H::new("fieldset")
                .class(if scale { "choice scale" } else { "choice" })
                .attr("part", "choice")
                .attr("id", &id)
                .attr("aria-describedby", &described)
                .add(label_text(H::new("legend").attr("part", "label")))
                .add_some(help);
            let mut options = H::new("div").class("options");
            for (option, option_label) in &c.options {
                let checked = if many { c.value.split(MULTI_SEPARATOR).any(|v| v == *option) } else { c.value == *option };
                let input = H::new("input")
                    .attr("type", if many { "checkbox" } else { "radio" })
                    .attr("name", c.path)
                    .attr("value", option)
                    .attr("part", if many { "checkbox" } else { "radio" })
                    .flag("checked", checked)
                    .flag("disabled", c.locked);
                // A scale shows its numbers in one row; each keeps its whole
                // label for screen readers, and the ends are written out.
                let label = H::new("label").class("option").add(input);
                let label = if scale {
                    label.add(H::new("span").attr("aria-hidden", "true").text(option)).add(H::new("span").class("vh").text(option_label))
                } else {
                    label.add(H::new("span").text(option_label))
                };
                options = options.add(label);
            }
            let ends = (scale && c.ends).then(|| ends(&c.options, "ends"));
            return set.add(options).add_some(ends).add(error);
        }
        // A line the programme set (its name and contact, in the agreement)
        // wraps, so all of it shows on a phone.
        let area = c.kind == FieldKind::LongText || cfg!(feature = "agreement") && c.locked && matches!(c.kind, FieldKind::Text | FieldKind::Contact);
        let control = match c.kind {
            _ if area => H::new("textarea").attr("rows", if c.locked { "1" } else { "4" }).attr("dir", "auto"),
            FieldKind::Date => H::new("input").attr("type", "date"),
            FieldKind::Time => H::new("input").attr("type", "time"),
            FieldKind::Number { .. } => H::new("input").attr("type", "text").attr("inputmode", "numeric"),
            FieldKind::Contact => H::new("input").attr("type", "text").attr("spellcheck", "false").attr("autocapitalize", "off").attr("dir", "auto"),
            _ => H::new("input").attr("type", "text").attr("dir", "auto"),
        }
        .attr("id", &id)
        .attr("name", c.path)
        .attr("part", "field")
        .attr("maxlength", &c.max_len.digits())
        .attr("aria-describedby", &described)
        .flag("readonly", c.locked)
        .flag("aria-required", c.required);
        let control = match c.autocomplete {
            Some(token) => control.attr("autocomplete", token),
            None => control,
        };
        let control = if area { control.text(c.value) } else { control.attr("value", c.value) };
        H::new("div")
            .class("row")
            .add(label_text(H::new("label").attr("for", &id).attr("part", "label")))
            .add_some(help)
            .add(control)
            .add(error)
    }

    /// What a person is told about a storage error concerning `what`.
    pub fn storage_message(&self, error: &StoreError, what: Stored) -> String {
        storage_message(error, what, self.programme, self.ctx.locale)
    }

    /// The content of the notice area for `notice`: its text and the buttons
    /// that act on it; `steps` name the fields another tab also changed.
    pub fn notice(&self, notice: &Notice, steps: &[Step]) -> (&'static str, Markup) {
        let mut actions: Vec<(Action, Key)> = Vec::new();
        let label = |path: &str| {
            let p = Problem { path: path.to_owned(), step: "", message: Key::Required, args: vec![] };
            validate::label(&p, steps, self.programme, self.ctx.locale)
        };
        let (kind, text) = match notice {
            Notice::Restored { saved_at } => ("info", i18n::fill(self.t(Key::DraftRestored), &[("date", &self.date(&iso_of(*saved_at)))])),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Notice::Imported(file) => ("info", i18n::fill(self.t(Key::Imported), &[("file", file)])),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Notice::ImportFailed(reason) => ("warning", i18n::fill(self.t(Key::ImportFailed), &[("reason", reason)])),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Notice::ImportTooLong(path, max) => {
                ("warning", i18n::fill(self.t(Key::ImportTooLong), &[("field", &label(path)), ("max", &max.digits())]))
            }
            Notice::Storage(error) => {
                if matches!(error, StoreError::Full | StoreError::Unavailable) {
                    actions.push((Action::DownloadCopy, Key::DownloadCopy));
                }
                if error.left_in_place() {
                    actions.push((Action::DownloadLeft(Stored::Draft), Key::DownloadLeftAlone));
                }
                ("warning", self.storage_message(error, Stored::Draft))
            }
            Notice::SavedAgain => ("info", self.t(Key::SavedAgain).to_owned()),
            Notice::Erased => ("info", self.t(Key::Erased).to_owned()),
            Notice::Merged => ("info", self.t(Key::OtherTabMerged).to_owned()),
            Notice::Conflict(theirs) => {
                let mut fields = String::new();
                for key in theirs.keys() {
                    if !fields.is_empty() {
                        fields.push_str(", ");
                    }
                    fields.push_str(&label(key));
                }
                actions.push((Action::UseTheirs, Key::UseOtherTab));
                actions.push((Action::Dismiss, Key::KeepThisTab));
                ("warning", i18n::fill(self.t(Key::OtherTabConflict), &[("fields", &fields)]))
            }
        };
        if !matches!(notice, Notice::Conflict(_)) {
            actions.push((Action::Dismiss, Key::Dismiss));
        }
        (kind, H::new("div").add(H::new("div").add(H::new("p").text(&text)).add(self.buttons(&actions))).children())
    }

    /// The label a person reads for the field a problem is attached to.
    pub fn problem_label(&self, p: &Problem, steps: &[Step]) -> String {
        validate::label(p, steps, self.programme, self.ctx.locale)
    }

    /// A problem's message in the widget's language.
    pub fn problem_message(&self, p: &Problem) -> String {
        validate::message(p, self.programme, self.ctx.locale, self.ctx.date)
    }

    /// The problem summary: a title and, for each problem, a button that goes
    /// to its field; on the review step a line saying there are none.
    pub fn summary(&self, problems: &[Problem], steps: &[Step], review: bool) -> Option<Markup> {
        if problems.is_empty() {
            return review.then(|| H::new("div").add(H::new("p").text(self.t(Key::NoProblems))).children());
        }
        let title = if review { i18n::fill(self.t(Key::ProblemsCount), &[("n", &problems.len().digits())]) } else { self.t(Key::ProblemsTitle).to_owned() };
        let mut list = H::new("ul");
        for p in problems {
            let text = [&self.problem_label(p, steps), ": ", &self.problem_message(p)].concat();
            let button = H::new("button").attr("type", "button").class("link").attr("data-action", &Action::Fix(p.path.clone()).encode());
            list = list.add(H::new("li").add(button.text(&text)));
        }
        Some(H::new("div").add(H::new("p").class("summary-title").text(&title)).add(list).children())
    }

    /// Where the widget's latest record is on its way to the programme, and
    /// each it refused with what can be done: the content of the delivery
    /// area. `online` is the browser's belief.
    pub fn delivery(&self, mine: &[&Entry], endpoint_invalid: bool, online: bool) -> Markup {
        let mut out = H::new("div");
        if endpoint_invalid {
            out = out.add(H::new("p").class("error").text(self.t(Key::EndpointInvalid)));
        }
        let latest = mine.iter().max_by(|a, b| a.queued_at.total_cmp(&b.queued_at));
        if let Some(e) = latest.filter(|e| e.status != Status::NeedsAttention) {
            let key = match e.status {
                Status::Queued if !online => Key::DeliveryOffline,
                Status::Queued => Key::DeliveryQueued,
                Status::Sending => Key::DeliverySending,
                _ => Key::DeliverySent,
            };
            out = out.add(H::new("p").attr("data-status", e.status.name()).text(self.t(key)));
        }
        for e in mine.iter().filter(|e| e.status == Status::NeedsAttention) {
            let text = i18n::fill(self.t(Key::DeliveryAttention), &[("reason", &e.reason)]);
            let buttons = self.buttons(&[(Action::DeliverRetry(e.key.clone()), Key::DeliveryRetry), (Action::DeliverDownload(e.key.clone()), Key::DeliveryDownload)]);
            out = out.add(H::new("div").class("attention").attr("data-status", e.status.name()).add(H::new("p").text(&text)).add(buttons));
        }
        out.children()
    }

    /// The short word for where a record is, beside its history entry.
    pub fn status_word(&self, status: Status) -> &'a str {
        self.t(match status {
            Status::Queued => Key::StatusQueued,
            Status::Sending => Key::StatusSending,
            Status::Sent => Key::StatusSent,
            Status::NeedsAttention => Key::StatusAttention,
        })
    }
}

/// A widget's outermost element, in its language and direction.
pub fn base(ctx: &Ctx) -> H {
    H::new("section")
        .class("mk")
        .attr("part", "base")
        .attr("lang", ctx.locale.tag())
        .attr("dir", if ctx.locale.is_rtl() { "rtl" } else { "ltr" })
        .attr("aria-labelledby", "mk-title")
}

/// The slot a field's problem is shown in, tied to the field by its id.
pub fn error_slot(id: &str, path: &str) -> H {
    H::new("p").class("error").attr("id", id).attr("part", "error").attr("data-error-for", path).attr("hidden", "")
}

/// Whether options make a scale from 1 to 5.
pub fn is_scale(options: &[(&str, &str)]) -> bool {
    options.len() == 5 && options.iter().zip(["1", "2", "3", "4", "5"]).all(|((v, _), n)| *v == n)
}

/// The options of a field that is a scale from 1 to 5.
fn scale_of(field: &Field) -> Option<&'static [(&'static str, Key)]> {
    match field.kind {
        FieldKind::Choice(o) if o.len() == 5 && o.iter().zip(["1", "2", "3", "4", "5"]).all(|((v, _), n)| *v == n) => Some(o),
        _ => None,
    }
}

/// A scale's end labels written out; its radios carry every label for
/// screen readers.
fn ends(options: &[(&str, &str)], class: &str) -> H {
    let (first, last) = (options.first().map_or("", |o| o.1), options.last().map_or("", |o| o.1));
    H::new("p").class(class).attr("aria-hidden", "true").add(H::new("span").text(first)).add(H::new("span").text(last))
}

/// What a person is told about a storage error concerning `what`.
pub fn storage_message(error: &StoreError, what: Stored, programme: &Programme, locale: crate::i18n::Locale) -> String {
    let (message, why) = error.message(what);
    let why = why.map_or("", |k| programme.text(locale, k));
    i18n::fill(programme.text(locale, message), &[("why", why)])
}

/// A time in milliseconds as an ISO 8601 timestamp, for the date writer.
/// Whole seconds suffice for what is shown.
pub fn iso_of(ms: f64) -> String {
    let ms = if ms.is_finite() { ms.clamp(-8.64e15, 8.64e15) } else { 0.0 };
    let secs = (ms / 1000.0).floor() as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let mut s = date::format(days);
    for (sep, n) in [('T', rest / 3600), (':', rest / 60 % 60), (':', rest % 60)] {
        s.push(sep);
        date::push_padded(&mut s, n as u32, 2);
    }
    s.push('Z');
    s
}

/// A document block as markup: line breaks in values as `<br>`.
pub fn block(block: &Block) -> H {
    let lines = |el: H, text: &str| {
        let mut el = el;
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                el = el.add(H::new("br"));
            }
            el = el.text(line);
        }
        el
    };
    match block {
        Block::Title(s) => H::new("h4").text(s),
        Block::Subtitle(s) => H::new("p").class("sub").text(s),
        Block::Heading(s) => H::new("h5").text(s),
        Block::Subheading(s) => H::new("h6").text(s),
        // What people typed keeps its own direction (a phone number in an
        // Arabic page, an English clause in any).
        Block::Field(label, value) => H::new("p").class("f").add(H::new("span").class("l").text(&[label.as_str(), doc::colon(label), " "].concat())).add(lines(H::new("bdi"), value)),
        Block::Text(s) => lines(H::new("p").attr("dir", "auto"), s),
        Block::Note(s) => H::new("p").class("note").text(s),
        Block::Figure(_, alt) => H::new("p").text(alt),
        // Lines to sign by hand belong to paper copies only.
        #[cfg(any(feature = "agreement", feature = "document"))]
        Block::SignLine(s) => H::new("p").class("sign").attr("hidden", "").text(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn a_time_reads_as_its_timestamp() {
        assert_eq!(iso_of(0.0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_of(1_764_584_445_123.0), "2025-12-01T10:20:45Z");
        assert_eq!(iso_of(1e308), iso_of(8.64e15));
    }

    #[test]
    fn every_control_has_a_label_and_its_error_slot_is_tied_to_it() {
        let p = Programme::default();
        let ctx = Ctx { locale: Locale::En, today: "2026-11-22", now: 0.0, date: &|d| d.to_owned() };
        let d = Draw::new(&p, &ctx);
        let text = d.field(&Field::text("x.y", Key::FullName).required().help(Key::ContactHelp), "x.y", &Values::default(), false).done();
        let t = text.as_str();
        assert!(t.contains("<label for=\"mk-x.y\""), "{t}");
        assert!(t.contains("aria-describedby=\"mk-x.y-help mk-x.y-error\""), "{t}");
        assert!(t.contains("id=\"mk-x.y-error\"") && t.contains("data-error-for=\"x.y\""), "{t}");
    }
}
