//! The agreement builder drawn as markup, from its state alone: the step
//! list, the current step's fields (or the programme's clauses, or the review
//! with the document, signatures and files), the live preview, and starting
//! over. Pure: tested natively.

use super::Builder;
use crate::i18n::{self, Key};
use crate::markup::{Markup, H};
use crate::model::agreement::{signers, STEPS};
use crate::model::signing::{self, Signature};
use crate::model::validate::validate;
#[cfg(feature = "document")]
use crate::render;
use crate::widgets::action::{Action, Format};
use crate::widgets::common::{self, Draw};
use crate::widgets::Ctx;
use crate::model::num::Digits;

/// The whole widget. The notice, delivery and status areas are placeholders
/// for the live regions the shell keeps (see [`crate::markup::REGION`]).
pub fn view(b: &Builder, ctx: &Ctx) -> Markup {
    let d = Draw::new(&b.programme, ctx);
    let visible = b.visible();
    let at = visible.iter().position(|&i| i == b.step).unwrap_or(0) + 1;
    let progress = i18n::fill(d.t(Key::StepOf), &[("n", &at.digits()), ("total", &visible.len().digits())]);
    let header = H::new("header")
        .add(H::new("h2").attr("id", "mk-title").attr("part", "title").text(d.t(Key::AgreementTitle)))
        .add(H::new("p").class("progress").attr("part", "progress").text(&progress));
    common::base(ctx)
        .add(header)
        .add(steps_nav(&d, b, &visible, &progress))
        .add(H::region("notice"))
        .add(H::region("delivery"))
        .add(form(&d, b, &visible))
        .add(H::region("status"))
        .add(footer(&d, b))
        .done()
}

/// The steps: a list of every step on a wide screen; on a narrow one a
/// single line (where this step is, how far along) that opens the list.
fn steps_nav(d: &Draw, b: &Builder, visible: &[usize], progress: &str) -> H {
    let list = || {
        let mut list = H::new("ol");
        for (n, &i) in visible.iter().enumerate() {
            let label = [&(n + 1).digits(), ". ", d.t(STEPS[i].title)].concat();
            let button = H::new("button").attr("type", "button").attr("part", "step").attr("data-action", &Action::Goto(i).encode()).text(&label);
            let button = if i == b.step { button.attr("aria-current", "step") } else { button };
            list = list.add(H::new("li").add(button));
        }
        list
    };
    let at = visible.iter().position(|&i| i == b.step).unwrap_or(0) + 1;
    let summary = H::new("summary")
        .attr("part", "step-menu")
        // The step's title is the heading just below: said, not shown again.
        .add(H::new("span").text(&progress).add(H::new("span").class("vh").text(&[": ", d.t(STEPS[b.step].title)].concat())))
        .add(H::new("progress").attr("max", &visible.len().digits()).attr("value", &at.digits()).attr("aria-hidden", "true"));
    H::new("nav").class("steps").attr("aria-label", d.t(Key::Steps)).add(list()).add(H::new("details").class("jump").add(summary).add(list()))
}

fn form(d: &Draw, b: &Builder, visible: &[usize]) -> H {
    let step = &STEPS[b.step];
    let values = b.values();
    let mut form = H::new("form")
        .attr("novalidate", "")
        .attr("part", "form")
        .attr("aria-labelledby", "mk-step")
        .add(H::new("h3").attr("id", "mk-step").attr("tabindex", "-1").attr("part", "step-title").text(d.t(step.title)))
        .add_some(step.intro.map(|k| H::new("p").class("intro").text(d.t(k))))
        .add(H::new("div").class("summary").attr("part", "error-summary").attr("hidden", ""))
        .add_some(standing(d, b));
    // A settled agreement's fields are shown as signed, and cannot change.
    let fill = |mut into: H| {
        for group in step.groups {
            into = d.group(into, group, values, true);
        }
        if step.id == "clauses" { clauses(d, into, b) } else { into }
    };
    form = if b.settled() {
        form.add(fill(H::new("fieldset").class("settled-fields").attr("disabled", "").attr("aria-describedby", "mk-settled")))
    } else {
        fill(form)
    };
    match step.id {
        "clauses" => {}
        "review" => form = review(d, form, b),
        _ => {
            let details = H::new("details").class("preview").attr("part", "preview").flag("open", b.preview_open);
            let article = H::new("article").class("doc").attr("part", "document").attr("aria-label", d.t(Key::Preview));
            let article = if b.shows_document() { document_in(article, b, d.ctx) } else { article.attr("data-document", "") };
            form = form.add(details.add(H::new("summary").text(d.t(Key::Preview))).add(article));
        }
    }
    let mut nav = H::new("div").class("nav");
    if visible.first() != Some(&b.step) {
        nav = nav.add(d.button(&Action::Back, Key::Back));
    }
    if visible.last() != Some(&b.step) {
        nav = nav.add(H::new("button").attr("type", "submit").attr("part", "button primary").class("primary").text(d.t(Key::Next)));
    }
    form.add(nav)
}

/// Where the agreement stands, on every step: settled (with the way to
/// amend it), or being amended (with the way back to the signed version).
fn standing(d: &Draw, b: &Builder) -> Option<H> {
    let values = b.values();
    let version = version_of(values);
    if b.settled() {
        let last = signers(values).iter().map(|(party, _)| values.get(&["sign.", party, ".at"].concat())).max().unwrap_or_default();
        let text = i18n::fill(d.t(Key::AgreementSettled), &[("date", &d.date(last)), ("version", version)]);
        return Some(H::new("div").class("notice").attr("part", "settled").add(H::new("p").attr("id", "mk-settled").text(&text)).add(d.button(&Action::AmendAgreement, Key::AmendAgreement)));
    }
    b.amends()?;
    let was = b.before.as_ref().map_or(version, version_of);
    let note = H::new("div").class("notice").attr("data-kind", "warning").attr("part", "amending").add(H::new("p").text(&i18n::fill(d.t(Key::AmendingAgreement), &[("version", was)])));
    let keep = || H::new("button").attr("type", "button").attr("part", "button").attr("data-action", &Action::CancelAmend.encode()).text(&i18n::fill(d.t(Key::KeepSigned), &[("version", was)]));
    Some(if b.before.is_some() { note.add(keep()) } else { note })
}

/// The version number an agreement carries (1 until it has one).
fn version_of(values: &crate::model::form::Values) -> &str {
    Some(values.get("meta.version")).filter(|v| !v.is_empty()).unwrap_or("1")
}

/// While amending, what differs from the version all signed: drawn in
/// [`CHANGES`] by [`changes_since`].
fn changes(d: &Draw, b: &Builder) -> Option<H> {
    b.amends()?;
    let section = H::new("section").class("changes").attr("aria-labelledby", "mk-changes");
    let Some(before) = &b.before else {
        return Some(section.add(H::new("p").attr("id", "mk-changes").text(&i18n::fill(d.t(Key::SignedVersionAway), &[("version", version_of(b.values()))]))));
    };
    let section = section.attr("data-changes", "");
    #[cfg(feature = "document")]
    let section = section.markup(&changes_since(d, before, b.values(), &b.programme).children());
    let _ = before;
    Some(section)
}

/// Where [`changes_since`] is drawn.
pub const CHANGES: &str = "[data-changes]";

/// Where [`document`] is drawn: the preview, the review's copy.
pub const DOCUMENT: &str = "[data-document]";

/// `article` as the place of the agreement's document (drawn in it when
/// this module has the document).
fn document_in(article: H, b: &Builder, ctx: &Ctx) -> H {
    let article = article.attr("data-document", "");
    #[cfg(feature = "document")]
    let article = article.markup(&document(b.values(), &b.programme, ctx));
    let _ = (b, ctx);
    article
}

/// What differs between `before`, the version all signed, and `values`:
/// a heading and the list (the children of the changes' section).
#[cfg(feature = "document")]
pub fn changes_since(d: &Draw, before: &crate::model::form::Values, values: &crate::model::form::Values, programme: &crate::model::config::Programme) -> H {
    let was = version_of(before);
    let out = H::new("div").add(H::new("h4").attr("id", "mk-changes").text(&i18n::fill(d.t(Key::ChangesSince), &[("version", was)])));
    let list = render::doc::changes(before, values, programme, d.ctx.locale, d.ctx.date);
    if list.is_empty() {
        return out.add(H::new("p").text(d.t(Key::NoChangesYet)));
    }
    let none = d.t(Key::ChangeNone);
    let or_none = |v: &str| if v.trim().is_empty() { none.to_owned() } else { v.to_owned() };
    let line = |key, name, value: &str| H::new("span").class("line").attr("dir", "auto").text(&i18n::fill(d.t(key), &[(name, &or_none(value))]));
    let items = list.iter().fold(H::new("ul"), |ul, c| {
        ul.add(H::new("li").add(H::new("strong").attr("dir", "auto").text(&c.what)).add(line(Key::ChangeWas, "before", &c.before)).add(line(Key::ChangeNow, "after", &c.after)))
    });
    out.add(items)
}

/// The agreement as a document: what the preview and the review step show.
#[cfg(feature = "document")]
pub fn document(values: &crate::model::form::Values, programme: &crate::model::config::Programme, ctx: &Ctx) -> Markup {
    let blocks = render::agreement(values, programme, ctx.locale, ctx.date);
    blocks.iter().fold(H::new("article"), |article, block| article.add(common::block(block))).children()
}

fn clauses(d: &Draw, mut form: H, b: &Builder) -> H {
    for clause in &b.programme.clauses {
        let path = ["clause.", &clause.id].concat();
        let id = ["mk-", &path].concat();
        let error_id = [&id, "-error"].concat();
        let check = H::new("input")
            .attr("type", "checkbox")
            .attr("id", &id)
            .attr("name", &path)
            .attr("part", "checkbox")
            .attr("aria-describedby", &error_id)
            .flag("checked", b.values().get(&path) == "yes")
            .flag("aria-required", clause.required);
        let label = if clause.required { Key::AcceptClause } else { Key::IncludeClause };
        form = form.add(
            H::new("fieldset")
                .attr("part", "group")
                .add(H::new("legend").attr("part", "legend").text(&clause.title))
                .add(H::new("p").class("clause").attr("dir", "auto").text(&clause.text))
                .add(H::new("label").class("option").add(check).add(H::new("span").text(d.t(label))))
                .add(common::error_slot(&error_id, &path)),
        );
    }
    form
}

fn review(d: &Draw, form: H, b: &Builder) -> H {
    let values = b.values();
    let article = document_in(H::new("article").class("doc").attr("part", "document").attr("aria-label", d.t(Key::Preview)), b, d.ctx);
    let problems = validate(values, &b.programme);
    let fingerprint = signing::fingerprint(values);
    let mut sigs = H::new("section").class("sigs").attr("aria-labelledby", "mk-sigs").add(H::new("h4").attr("id", "mk-sigs").text(d.t(Key::Signatures)));
    for (party, label) in signers(values) {
        let legend = i18n::fill(d.t(Key::SignAs), &[("party", d.t(label))]);
        let mut set = H::new("fieldset").attr("part", "group").add(H::new("legend").attr("part", "legend").text(&legend));
        let state = signing::signature(values, party, &fingerprint);
        let done = ["sign.", party, ".done"].concat();
        let line = match &state {
            Signature::Missing => H::new("p").text(d.t(Key::NotSigned)),
            Signature::Valid { name, at } => H::new("p").class("signed").text(&i18n::fill(d.t(Key::SignedBy), &[("name", name), ("date", &d.date(at))])),
            Signature::Void { name, at } => H::new("p")
                .class("void")
                .add(H::new("strong").text(d.t(Key::ChangedAfterSigning)))
                .text(": ")
                .text(&i18n::fill(d.t(Key::SignedThenChanged), &[("name", name), ("date", &d.date(at))])),
        };
        set = set.add(line.attr("data-focus", &done).attr("tabindex", "-1"));
        if !matches!(state, Signature::Valid { .. }) && problems.is_empty() {
            let typed = ["sign.", party, ".typed"].concat();
            let confirm = ["sign.", party, ".confirm"].concat();
            let input_id = ["mk-", &typed].concat();
            let error_id = [&input_id, "-error"].concat();
            let refused = b.sign_error.as_ref().filter(|r| r.party == party);
            let error = refused.map(|r| {
                let name = values.get(&[party, ".name"].concat());
                H::new("p").class("error").attr("id", &error_id).attr("part", "error").text(&i18n::fill(d.t(r.reason), &[("name", name)]))
            });
            let input = H::new("input")
                .attr("type", "text")
                .attr("id", &input_id)
                .attr("name", &typed)
                .attr("part", "field")
                .attr("autocomplete", "off")
                .attr("aria-describedby", &error_id)
                .flag("aria-invalid", error.is_some())
                .attr("value", refused.map_or("", |r| r.typed.as_str()));
            let ticked = refused.is_some_and(|r| r.confirmed);
            let confirm_box = H::new("input").attr("type", "checkbox").attr("name", &confirm).attr("part", "checkbox").flag("checked", ticked);
            set = set
                .add(H::new("div").class("row").add(H::new("label").attr("for", &input_id).attr("part", "label").text(d.t(Key::TypeFullName))).add(input))
                .add(H::new("label").class("option").add(confirm_box).add(H::new("span").text(d.t(Key::ConfirmAgree))))
                .add_some(error)
                .add(d.button(&Action::Sign(party.to_owned()), Key::Sign).class("primary"));
        }
        sigs = sigs.add(set);
    }
    if signing::fully_signed(values) {
        sigs = sigs.add(H::new("p").class("done").attr("role", "status").text(d.t(Key::FullySigned)));
    }
    if b.sends && !b.settled() {
        // Before anything is sent, the person reads what will be; the pair
        // is named when the programme gave it (a made-up id means nothing).
        let pair = if b.invited.is_some() { values.get("meta.pair") } else { "" };
        let text = if pair.is_empty() { d.t(Key::SendsAgreementUnpaired).to_owned() } else { i18n::fill(d.t(Key::SendsAgreement), &[("pair", pair)]) };
        sigs = sigs.add(H::new("p").class("help sends").text(&text));
    }
    let exports = H::new("section")
        .class("exports")
        .attr("aria-labelledby", "mk-copy")
        .add(H::new("h4").attr("id", "mk-copy").text(d.t(Key::KeepACopy)))
        .add(d.buttons(&[
            (Action::Export(Format::Md), Key::ExportMarkdown),
            (Action::Export(Format::Html), Key::ExportHtml),
            (Action::Export(Format::Txt), Key::ExportText),
            (Action::Export(Format::Ics), Key::ExportIcs),
            (Action::Print, Key::Print),
        ]))
        .add(H::new("h4").attr("id", "mk-share").text(d.t(Key::ShareDraft)))
        .add(H::new("p").class("help").text(d.t(Key::ShareDraftHelp)))
        .add(d.buttons(&[(Action::Export(Format::Json), Key::SaveDraftFile), (Action::OpenFile, Key::OpenDraftFile)]));
    // What this device keeps, drawn by the document's module.
    form.add_some(changes(d, b)).add(article).add(sigs).add(exports).add(H::new("div").attr("data-device", ""))
}

fn footer(d: &Draw, b: &Builder) -> H {
    let file = H::new("input").attr("type", "file").attr("name", "import").attr("accept", ".json,application/json").attr("hidden", "").attr("tabindex", "-1");
    let footer = H::new("footer").class("foot").add(file);
    if b.confirm_reset {
        return footer.add(
            H::new("div")
                .class("confirm")
                .attr("role", "group")
                .attr("aria-labelledby", "mk-reset-q")
                .add(H::new("p").attr("id", "mk-reset-q").text(d.t(Key::StartOverConfirm)))
                .add(d.button(&Action::ResetYes, Key::StartOverYes).attr("name", "reset.yes"))
                .add(d.button(&Action::ResetNo, Key::StartOverNo).attr("name", "reset.no")),
        );
    }
    // A partner with a draft file on a new device finds where to open it on
    // every step (the review offers it beside saving one).
    let footer = if b.step_id() == "review" { footer } else { footer.add(d.button(&Action::OpenFile, Key::OpenDraftFile).class("quiet")) };
    footer.add(d.button(&Action::Reset, Key::StartOver).class("quiet").attr("name", "reset"))
}

/// The problems on display: each field's message (by path), and the summary.
pub fn problems(b: &Builder, ctx: &Ctx) -> common::Shown {
    let d = Draw::new(&b.programme, ctx);
    let problems = b.shown_problems();
    let review = b.step_id() == "review";
    common::Shown {
        fields: problems.iter().map(|p| (p.path.clone(), d.problem_message(p))).collect(),
        summary: d.summary(&problems, STEPS, review),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::agreement::fresh;
    use crate::model::config::Programme;
    use crate::widgets::agreement::Msg;
    use crate::widgets::draft::{self, Draft};
    use crate::widgets::fixed_ctx;

    fn builder() -> Builder {
        let programme = Programme::default();
        let start = fresh(&programme, "2026-11-22", crate::i18n::Locale::En);
        Builder::new(Draft::restore(STEPS, Ok(None), || start), programme)
    }

    /// Every `<input>`, `<textarea>` and `<fieldset class="choice">` of a
    /// drawing, by id or name, and whether a label names it.
    fn unlabelled(markup: &str) -> Vec<String> {
        let mut missing = Vec::new();
        for chunk in markup.split('<').skip(1) {
            let tag = chunk.split([' ', '>']).next().unwrap_or("");
            let attr = |name: &str| chunk.split('>').next().and_then(|a| a.split(&format!(" {name}=\"")).nth(1)).and_then(|v| v.split('"').next()).map(str::to_owned);
            let kind = attr("type").unwrap_or_default();
            let named = match tag {
                "input" if matches!(kind.as_str(), "radio" | "checkbox" | "file" | "hidden") => continue,
                "input" | "textarea" => attr("id").is_some_and(|id| markup.contains(&format!("for=\"{id}\""))),
                _ => continue,
            };
            if !named {
                missing.push(attr("name").unwrap_or_default());
            }
        }
        missing
    }

    #[test]
    fn every_step_draws_every_control_with_a_label_and_ties_each_error_to_its_field() {
        let mut b = builder();
        b.update(Msg::Draft(draft::Msg::Edit { path: "mentee.minor".into(), value: "yes".into() }), &fixed_ctx("2026-11-22"));
        for i in b.visible() {
            b.update(Msg::Goto(i), &fixed_ctx("2026-11-22"));
            let markup = view(&b, &fixed_ctx("2026-11-22"));
            let text = markup.as_str();
            assert_eq!(unlabelled(text), Vec::<String>::new(), "step {}", STEPS[i].id);
            for slot in text.split("data-error-for=\"").skip(1) {
                let path = slot.split('"').next().unwrap();
                let id = format!("mk-{path}-error");
                assert!(text.contains(&format!("aria-describedby=\"{id}\"")) || text.contains(&format!(" {id}\"")), "{path} on {}: its error slot is described", STEPS[i].id);
            }
            for action in text.split("data-action=\"").skip(1).map(|a| a.split('"').next().unwrap()) {
                assert!(Action::decode(action).is_some(), "{action} is an action");
            }
        }
    }

    #[test]
    fn the_first_step_reads_as_it_should() {
        crate::widgets::golden("agreement-first-step.html", &view(&builder(), &fixed_ctx("2026-11-22")));
    }

    #[test]
    fn the_review_step_shows_the_problems_or_the_signatures() {
        let mut b = builder();
        b.update(Msg::Goto(STEPS.len() - 1), &fixed_ctx("2026-11-22"));
        let shown = problems(&b, &fixed_ctx("2026-11-22"));
        assert!(shown.fields.iter().any(|(p, _)| p == "mentee.name"));
        assert!(shown.summary.unwrap().as_str().contains("data-action=\"fix:mentee.name\""));
        assert!(!view(&b, &fixed_ctx("2026-11-22")).as_str().contains("sign.mentee.typed"), "no signing while problems remain");
        for (k, v) in [("mentee.name", "Amara"), ("mentor.name", "Jonas"), ("purpose.text", "p"), ("goal.1.what", "g"), ("term.start", "2026-12-01")] {
            b.update(Msg::Draft(draft::Msg::Edit { path: k.into(), value: v.into() }), &fixed_ctx("2026-11-22"));
        }
        let text = view(&b, &fixed_ctx("2026-11-22"));
        assert!(text.as_str().contains("name=\"sign.mentee.typed\"") && text.as_str().contains("data-action=\"sign:mentor\""));
    }
}
