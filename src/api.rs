//! The pure half of the JS API: helpers that need no element and no DOM.
//! Each takes plain objects, returns plain values, and throws a
//! `MentorkitError` (with a stable `code`) for input it cannot use.

use crate::elements::AGREEMENT;
use crate::i18n::Locale;
use crate::model::agreement::{Agreement, STEPS};
use crate::model::config::Programme;
use crate::model::validate::{self, validate};
use crate::model::{envelope, json};
use crate::render;
use crate::widgets::view::{api_error, problems_js, programme_from_js};
use wasm_bindgen::prelude::*;

fn agreement_from(data: &JsValue) -> Result<Agreement, JsValue> {
    json::from_js(data).map_err(|e| api_error("value-invalid", &["the agreement must be a flat object of texts: ", &e.0].concat()))
}

fn programme_from(programme: JsValue) -> Result<Programme, JsValue> {
    if programme.is_undefined() || programme.is_null() {
        return Ok(Programme::default());
    }
    programme_from_js(&AGREEMENT, programme).map_err(|e| api_error("config-invalid", &e.to_string()))
}

/// Checks an agreement's data (a flat object from field path to text) under
/// the programme's configuration: `{valid, problems}`, as an element's
/// `validate()` answers.
#[wasm_bindgen(js_name = validateAgreement)]
pub fn validate_agreement(data: JsValue, programme: JsValue, locale: Option<String>) -> Result<JsValue, JsValue> {
    let values = agreement_from(&data)?;
    let programme = programme_from(programme)?;
    let locale = Locale::from_tag(locale.as_deref().unwrap_or("en"));
    let date = |d: &str| crate::dom::format_date(locale.tag(), d);
    let problems = validate(&values, &programme);
    let listed: Vec<_> = problems
        .iter()
        .map(|p| (p, validate::label(p, STEPS, &programme, locale), validate::message(p, &programme, locale, &date)))
        .collect();
    Ok(problems_js(&listed))
}

/// Writes an agreement's data as `md`, `html`, `txt`, `ics` or `json` (the
/// draft file the agreement builder opens).
#[wasm_bindgen(js_name = renderAgreement)]
pub fn render_agreement(data: JsValue, format: &str, programme: JsValue, locale: Option<String>) -> Result<String, JsValue> {
    let values = agreement_from(&data)?;
    let programme = programme_from(programme)?;
    let locale = Locale::from_tag(locale.as_deref().unwrap_or("en"));
    let date = |d: &str| crate::dom::format_date(locale.tag(), d);
    let doc = || render::agreement(&values, &programme, locale, &date);
    Ok(match format {
        "md" => render::markdown(&doc()),
        "html" => render::html(&doc(), locale),
        "txt" => render::text(&doc()),
        "ics" => crate::dom::calendar(&values, locale),
        "json" => envelope::seal(envelope::AGREEMENT_DRAFT, crate::dom::now(), &values),
        _ => return Err(api_error("format-unknown", &["renderAgreement: \"", format, "\" is not a format; use md, html, txt, ics or json"].concat())),
    })
}
