//! Browser tests: the DOM layer and storage in headless Chromium.
//!
//! Run with `./dev test` (or `cargo test --target wasm32-unknown-unknown
//! --test browser` with wasm-bindgen-test-runner as the cargo runner).
#![cfg(target_arch = "wasm32")]

use mentorkit::elements::Widget;
use mentorkit::model::agreement::Agreement;
use mentorkit::model::envelope::AGREEMENT_DRAFT;
use mentorkit::store::{self, LocalStore, Store};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const DRAFT: &str = "mentorkit:browser-test:agreement:draft";

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn host(namespace: &str) -> (HtmlElement, ShadowRoot) {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    host.set_attribute("namespace", namespace).unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let root = host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)).unwrap();
    (host, root)
}

fn input(root: &ShadowRoot, name: &str) -> HtmlInputElement {
    root.query_selector(&format!("input[name='{name}']")).unwrap().expect("field drawn").unchecked_into()
}

fn type_into(root: &ShadowRoot, name: &str, text: &str) {
    let field = input(root, name);
    field.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    field.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

fn agreement(host: HtmlElement, root: ShadowRoot) -> Widget {
    Widget::new("agreement", host, root, wasm_bindgen::JsValue::UNDEFINED).unwrap()
}

fn notice(root: &ShadowRoot) -> Option<Element> {
    root.query_selector("[part=notice]:not([hidden])").unwrap()
}

fn reset() {
    let s = storage();
    let keys: Vec<String> = (0..s.length().unwrap()).filter_map(|i| s.key(i).unwrap()).collect();
    for key in keys.iter().filter(|k| k.starts_with("mentorkit:browser-test")) {
        s.remove_item(key).unwrap();
    }
}

#[wasm_bindgen_test]
fn local_store_reads_writes_and_removes() {
    let store = LocalStore::open().unwrap().0;
    store.set("mentorkit:browser-test:x", "1").unwrap();
    assert_eq!(store.get("mentorkit:browser-test:x").unwrap().as_deref(), Some("1"));
    store.remove("mentorkit:browser-test:x").unwrap();
    assert_eq!(store.get("mentorkit:browser-test:x").unwrap(), None);
}

#[wasm_bindgen_test]
fn the_browser_json_path_reads_what_it_writes() {
    reset();
    let store = LocalStore::open().unwrap().0;
    let mut a = Agreement::default();
    a.set("mentee.name", "Zoë \"Z\" O'Neil\n<b>".into());
    store::save(&store, DRAFT, AGREEMENT_DRAFT, 1.0, &a).unwrap();
    let back = store::load::<Agreement>(&store, DRAFT, AGREEMENT_DRAFT, 2.0).unwrap().unwrap();
    assert_eq!(back.data, a);
}

#[wasm_bindgen_test]
fn every_field_has_a_label() {
    reset();
    let (host, root) = host("browser-test");
    let _widget = agreement(host, root.clone());
    let fields = root.query_selector_all("input:not([type=radio]):not([type=checkbox]):not([type=file]), textarea").unwrap();
    assert!(fields.length() >= 6);
    for i in 0..fields.length() {
        let field: Element = fields.get(i).unwrap().unchecked_into();
        let id = field.id();
        let label = root.query_selector(&format!("label[for='{id}']")).unwrap();
        assert!(label.is_some_and(|l| !l.text_content().unwrap_or_default().trim().is_empty()), "{id} has no label");
    }
}

#[wasm_bindgen_test]
fn typing_saves_a_draft_and_a_new_widget_restores_it_with_a_notice() {
    reset();
    let (host1, root1) = host("browser-test");
    let widget = agreement(host1, root1.clone());
    assert!(notice(&root1).is_none(), "a fresh form has nothing to announce");
    type_into(&root1, "mentee.name", "Amara Okafor");
    widget.flush();
    let stored = storage().get_item(DRAFT).unwrap().expect("draft saved");
    assert!(stored.contains("Amara Okafor") && stored.contains("\"schema\":\"mentorkit.agreement\""));
    drop(widget);

    let (host2, root2) = host("browser-test");
    let _again = agreement(host2, root2.clone());
    assert_eq!(input(&root2, "mentee.name").value(), "Amara Okafor");
    let text = notice(&root2).expect("restore notice shown").text_content().unwrap();
    assert!(text.contains("restored"), "{text}");
}

#[wasm_bindgen_test]
fn a_restored_draft_is_not_written_back_before_an_edit() {
    reset();
    let stored = r#"{"schema":"mentorkit.agreement","version":1,"savedAt":5,"data":{"mentee.name":"Kept"}}"#;
    storage().set_item(DRAFT, stored).unwrap();
    let (host, root) = host("browser-test");
    let widget = agreement(host, root);
    widget.flush();
    drop(widget);
    assert_eq!(storage().get_item(DRAFT).unwrap().as_deref(), Some(stored), "the saved draft was rewritten without an edit");
}

#[wasm_bindgen_test]
fn corrupt_storage_shows_an_error_and_keeps_the_value_aside() {
    reset();
    storage().set_item(DRAFT, "{\"schema\":\"mentorkit.agreement\",\"vers").unwrap();
    let (host, root) = host("browser-test");
    let _widget = agreement(host, root.clone());
    let shown = notice(&root).expect("error shown").text_content().unwrap();
    assert!(shown.contains("could not be read"), "{shown}");
    assert!(root.query_selector("input[name='mentee.name']").unwrap().is_some(), "the form is still usable");
    let s = storage();
    let aside: Vec<String> = (0..s.length().unwrap())
        .filter_map(|i| s.key(i).unwrap())
        .filter(|k| k.starts_with(&format!("{DRAFT}:set-aside:")))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(s.get_item(&aside[0]).unwrap().as_deref(), Some("{\"schema\":\"mentorkit.agreement\",\"vers"));
}

#[wasm_bindgen_test]
fn namespaces_keep_widgets_apart() {
    reset();
    let (h1, r1) = host("browser-test-a");
    let a = agreement(h1, r1.clone());
    type_into(&r1, "mentee.name", "In A");
    a.flush();
    let (h2, r2) = host("browser-test-b");
    let _b = agreement(h2, r2.clone());
    assert_eq!(input(&r2, "mentee.name").value(), "");
    storage().remove_item("mentorkit:browser-test-a:agreement:draft").unwrap();
}

#[wasm_bindgen_test]
fn feedback_defaults_the_date_to_today_without_saving() {
    reset();
    let (host, root) = host("browser-test");
    let widget = Widget::new("feedback", host, root.clone(), wasm_bindgen::JsValue::UNDEFINED).unwrap();
    let date = input(&root, "date").value();
    let d = js_sys::Date::new_0();
    assert!(date.starts_with(&d.get_full_year().to_string()), "{date}");
    widget.flush();
    assert_eq!(storage().get_item("mentorkit:browser-test:feedback:draft").unwrap(), None);
}

#[wasm_bindgen_test]
fn widgets_share_one_parsed_stylesheet_and_redraws_add_no_style_element() {
    reset();
    let (host_a, root_a) = host("browser-test");
    let (host_b, root_b) = host("browser-test-b");
    let _a = agreement(host_a, root_a.clone());
    let _b = Widget::new("feedback", host_b, root_b.clone(), wasm_bindgen::JsValue::UNDEFINED).unwrap();
    let (sheets_a, sheets_b) = (root_a.adopted_style_sheets(), root_b.adopted_style_sheets());
    assert_eq!((sheets_a.length(), sheets_b.length()), (1, 1));
    assert!(sheets_a.get(0) == sheets_b.get(0), "one sheet object, parsed once");
    // A redraw (a field others depend on) keeps it that way.
    let minor = root_a.query_selector("input[name='mentee.minor'][value=yes]").unwrap().unwrap().unchecked_into::<HtmlInputElement>();
    minor.click();
    assert!(root_a.query_selector("input[name='guardian.name']").unwrap().is_some(), "the step was redrawn");
    assert!(root_a.query_selector("style").unwrap().is_none());
    reset();
}

/// Text of every kind comes back exactly as it was stored, and none of it
/// becomes markup: the widget draws by writing escaped markup.
#[wasm_bindgen_test]
fn stored_text_is_drawn_exactly_and_never_as_markup() {
    reset();
    let hostile = "<img src=x onerror=alert(1)> & \"quoted\" 'single' &amp; </textarea><script>x()</script>";
    let long = format!("\nafter a newline\r\n{hostile}");
    let mut data = mentorkit::model::form::Values::default();
    for (path, value) in [("kind", "session"), ("respondent", "mentee"), ("date", "2026-01-05"), ("status", "held"), ("topics", long.as_str()), ("action.1.what", hostile), ("actions", "1")] {
        data.set(path, value.to_owned());
    }
    let draft = mentorkit::model::envelope::seal(mentorkit::model::envelope::FEEDBACK_DRAFT, 5.0, &data);
    storage().set_item("mentorkit:browser-test:feedback:draft", &draft).unwrap();
    let (host, root) = host("browser-test");
    let _widget = Widget::new("feedback", host, root.clone(), wasm_bindgen::JsValue::UNDEFINED).unwrap();
    let topics: web_sys::HtmlTextAreaElement = root.query_selector("textarea[name='topics']").unwrap().expect("topics drawn").unchecked_into();
    // A textarea's value reads line ends as \n.
    assert_eq!(topics.value(), long.replace("\r\n", "\n"));
    assert_eq!(input(&root, "action.1.what").value(), hostile);
    assert!(root.query_selector("img, script").unwrap().is_none(), "text became elements");
}
