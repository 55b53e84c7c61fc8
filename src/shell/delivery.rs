//! Sending records to the programme: the outbox in storage, the requests, and
//! what the person is told about each record on its way.
//!
//! The decisions (what is due, what an answer means, how long to wait) are in
//! [`crate::model::outbox`]; this half reads and writes the outbox, sends,
//! and draws. Each widget sends the kinds of record it makes. Every pass
//! over the outbox runs under a Web Lock named after the namespace and the
//! widget, so two tabs never send the same record at once, and re-reads
//! storage before each send, so what another tab did is seen.

use super::{detail, finish, Kind, Outgoing, Shell};
use crate::dom::{self, Transport};
use crate::model::delivery::Payload;
use crate::model::outbox::{self, Entry, Status};
use crate::widgets::common::Draw;
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;

/// While another tab holds the outbox, look again after this long.
const LOCKED_RETRY_MS: f64 = 5_000.0;

/// Where submitted records are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// In this browser only.
    Local,
    /// Sent to the endpoint; kept here only until it has them.
    Endpoint,
    /// Both.
    Both,
}

/// The view's delivery state.
#[derive(Default)]
pub(crate) struct Delivery {
    /// Extra request headers, given only through the `headers` property.
    pub headers: Vec<(String, String)>,
    /// The host's `deliver(record)` function, given through the property.
    pub deliver: Option<js_sys::Function>,
    /// The person's invitation, given only through the property: whom the
    /// records concern, and the credential they are sent with.
    pub invitation: Option<crate::model::delivery::Invitation>,
    /// The outbox as last read.
    pub outbox: Vec<Entry>,
    /// A pass over the outbox is running.
    flushing: bool,
    /// Another pass was asked for meanwhile: `Some(true)` when the page was
    /// hidden meanwhile, so that pass must use `keepalive`.
    again: Option<bool>,
    /// Something was queued and waits for a pass.
    pub pending: bool,
    /// The next pass, when a record waits to be retried.
    timer: Option<Timeout>,
    /// The outbox in memory holds what storage could not take.
    pub unstored: bool,
    /// The network is back: what waits is sent now, not at its next try,
    /// until an attempt fails again.
    pub catch_up: bool,
}

impl Shell {
    /// Where submitted records go: the `storage` attribute, or both when the
    /// host gave an endpoint or a function, else this browser.
    pub(crate) fn mode(&self) -> Mode {
        match dom::attribute(&self.host, "storage").as_deref().map(str::trim) {
            Some("local") => Mode::Local,
            Some("endpoint") => Mode::Endpoint,
            Some("both") => Mode::Both,
            _ if self.delivery.deliver.is_some() || dom::attribute(&self.host, "endpoint").is_some() => Mode::Both,
            _ => Mode::Local,
        }
    }

    /// How to send, if the host set a usable endpoint or a function.
    fn transport(&self) -> Option<Transport> {
        if let Some(deliver) = &self.delivery.deliver {
            return Some(Transport::Function(deliver.clone()));
        }
        let url = dom::http_url(&dom::attribute(&self.host, "endpoint")?)?;
        let credentials = dom::attribute(&self.host, "credentials").unwrap_or_default();
        let mut headers = self.delivery.headers.clone();
        // The invitation is the credential, unless the host gave its own.
        if let Some(invitation) = &self.delivery.invitation {
            if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("authorization")) {
                headers.push(("Authorization".into(), ["Bearer ", &invitation.token].concat()));
            }
        }
        Some(Transport::Endpoint { url, headers, credentials })
    }

    /// Sets the person's invitation from the `invitation` property (a text,
    /// as the programme gave it); `null` or `undefined` takes it away.
    pub(crate) fn set_invitation(this: &Rc<RefCell<Shell>>, value: JsValue) {
        let mut outgoing = Vec::new();
        let invitation = match value.as_string() {
            Some(text) if !text.trim().is_empty() => match crate::model::delivery::Invitation::parse(&text) {
                Ok(invitation) => Some(invitation),
                Err(reason) => {
                    outgoing.push(("mentorkit-error", detail("invitation-invalid", &["the invitation property is not an invitation: ", &reason].concat())));
                    None
                }
            },
            None if !value.is_undefined() && !value.is_null() => {
                outgoing.push(("mentorkit-error", detail("invitation-invalid", "the invitation property is not an invitation: it must be a text")));
                None
            }
            _ => None,
        };
        Shell::use_invitation(this, invitation, outgoing);
    }

    fn use_invitation(this: &Rc<RefCell<Shell>>, invitation: Option<crate::model::delivery::Invitation>, mut outgoing: Vec<Outgoing>) {
        {
            let Ok(mut s) = this.try_borrow_mut() else { return super::later(this, move |this| Shell::use_invitation(this, invitation, outgoing)) };
            s.delivery.invitation = invitation;
            // The feedback form answers as the invited person; the agreement
            // takes the invitation's pair.
            if s.state.is_some() {
                let kept = s.state.take().map(|st| st.draft().clone()).filter(|d| d.saved_at.is_some() || d.unsaved);
                let state = s.load(kept, &mut outgoing);
                s.state = Some(state);
                s.render();
            }
        }
        finish(this, outgoing);
        flush_outbox(this, false);
    }

    /// Sets the extra request headers from the `headers` property.
    pub(crate) fn set_headers(this: &Rc<RefCell<Shell>>, value: JsValue) {
        let mut outgoing = Vec::new();
        let headers = if value.is_undefined() || value.is_null() {
            Ok(Vec::new())
        } else {
            crate::model::json::from_js::<crate::model::texts::Map<String>>(&value).map(|m| m.into_iter().collect())
        };
        match headers {
            Ok(headers) => match dom::bad_header(&headers) {
                None => Shell::use_headers(this, headers),
                Some(name) => outgoing.push(("mentorkit-error", detail("headers-invalid", &["the headers property holds a header no browser sends (a name is an HTTP token, a value one line of Latin-1): \"", &name, "\""].concat()))),
            },
            Err(e) => outgoing.push(("mentorkit-error", detail("headers-invalid", &["the headers property must be an object of texts: ", &e.0].concat()))),
        }
        finish(this, outgoing);
        flush_outbox(this, false);
    }

    fn use_headers(this: &Rc<RefCell<Shell>>, headers: Vec<(String, String)>) {
        match this.try_borrow_mut() {
            Ok(mut v) => v.delivery.headers = headers,
            Err(_) => super::later(this, move |this| Shell::use_headers(this, headers)),
        }
    }

    /// Sets the host's `deliver(record)` function.
    pub(crate) fn set_deliver(this: &Rc<RefCell<Shell>>, value: JsValue) {
        let mut outgoing = Vec::new();
        let deliver = dom::function(&value);
        if deliver.is_none() && !value.is_undefined() && !value.is_null() {
            outgoing.push(("mentorkit-error", detail("deliver-invalid", "the deliver property must be a function that returns a promise")));
        }
        {
            let Ok(mut v) = this.try_borrow_mut() else { return super::later(this, move |this| Shell::set_deliver(this, value)) };
            v.delivery.deliver = deliver;
            v.refresh_sends();
            v.render_delivery();
        }
        finish(this, outgoing);
        flush_outbox(this, false);
    }

    /// The endpoint attribute is there but cannot be used.
    fn endpoint_invalid(&self) -> bool {
        self.delivery.deliver.is_none() && dom::attribute(&self.host, "endpoint").is_some_and(|u| dom::http_url(&u).is_none())
    }

    /// Tells the host when the endpoint attribute cannot be used.
    pub(crate) fn check_endpoint(&self, outgoing: &mut Vec<Outgoing>) {
        if self.endpoint_invalid() {
            outgoing.push(("mentorkit-error", detail("endpoint-invalid", "the endpoint attribute must be an http: or https: URL")));
        }
    }

    pub(crate) fn outbox_key(&self) -> String {
        self.key("delivery", "outbox")
    }

    /// Puts a submitted record in the outbox, before any request is made.
    pub(crate) fn enqueue(&mut self, payload: Payload, outgoing: &mut Vec<Outgoing>) {
        if self.mode() == Mode::Local {
            return;
        }
        let mut outbox = self.read_outbox(outgoing);
        match outbox::enqueue(&mut outbox, &payload, dom::now()) {
            Ok(true) => {
                let entry = outbox.last().cloned();
                self.write_outbox(outbox, outgoing);
                if let Some(entry) = entry {
                    outgoing.push(("mentorkit-status", status_detail(&entry)));
                }
                self.delivery.pending = true;
            }
            Ok(false) => {}
            Err(reason) => outgoing.push(("mentorkit-error", detail("record-invalid", &reason))),
        }
        self.render_delivery();
    }

    /// The kinds of record this widget submits, and so sends: two widgets
    /// of one namespace may have different endpoints.
    fn mine(&self, entry: &Entry) -> bool {
        (entry.kind == "agreement") == (self.spec.kind == Kind::Agreement)
    }

    /// Says where this widget's latest record is, lists those the programme
    /// refused with what can be done, and marks entries in the history.
    pub(crate) fn render_delivery(&self) {
        let mine: Vec<&Entry> = self.delivery.outbox.iter().filter(|e| self.mine(e)).collect();
        let (content, words) = self.with_ctx(|ctx| {
            let d = Draw::new(&self.programme, ctx);
            let words: Vec<(String, String)> = mine.iter().map(|e| (e.id.clone(), d.status_word(outbox::of(&self.delivery.outbox, &e.id).map_or(e.status, |n| n.status)).to_owned())).collect();
            (d.delivery(&mine, self.endpoint_invalid(), dom::online()), words)
        });
        dom::mark_deliveries(&self.root, |id| words.iter().find(|(i, _)| i == id).map_or_else(String::new, |(_, w)| [" · ", w].concat()));
        dom::fill(&self.regions.delivery, &content);
    }

    /// The person asks to send a refused record again.
    pub(crate) fn retry(&mut self, key: &str, outgoing: &mut Vec<Outgoing>) {
        let mut outbox = self.read_outbox(outgoing);
        if let Some(e) = outbox.iter_mut().find(|e| e.key == key) {
            outbox::retry(e, dom::now());
            outgoing.push(("mentorkit-status", status_detail(e)));
        }
        self.write_outbox(outbox, outgoing);
        self.delivery.pending = true;
        self.render_delivery();
    }

    /// Downloads a record the programme has not taken, exactly as it would
    /// be sent.
    pub(crate) fn download_record(&mut self, key: &str) {
        if let Some(e) = self.delivery.outbox.iter().find(|e| e.key == key && !e.body.is_empty()) {
            let (name, text) = (["mentorkit-", &e.kind, "-", &e.id, ".json"].concat(), e.body.clone());
            self.later.push(super::Later::Download { name, mime: "application/json", text });
        }
    }
}

/// The detail of a `mentorkit-status` event.
fn status_detail(e: &Entry) -> JsValue {
    let mut w = crate::model::json::Writer::default();
    let text_or_null = |w: &mut crate::model::json::Writer, key: &str, text: &str| if text.is_empty() { w.key(key).null() } else { w.key(key).str(text) };
    w.object(|w| {
        w.key("id").str(&e.id);
        w.key("kind").str(&e.kind);
        w.key("recordVersion").int(e.record_version.into());
        w.key("status").str(e.status.name());
        w.key("attempts").int(e.attempts.into());
        text_or_null(w, "reason", &e.reason);
        text_or_null(w, "nextAttempt", &if e.status == Status::Queued { dom::iso(e.next_at) } else { String::new() });
    });
    js_sys::JSON::parse(&w.finish()).unwrap_or_default()
}

/// Sends what is due, now or (when the page is being hidden) all that fits
/// in the browser's `keepalive` allowance at once.
pub(crate) fn flush_outbox(this: &Rc<RefCell<Shell>>, hidden: bool) {
    let name = {
        let Ok(mut v) = this.try_borrow_mut() else { return super::later(this, move |this| flush_outbox(this, hidden)) };
        v.delivery.pending = false;
        if v.mode() == Mode::Local || v.transport().is_none() {
            return;
        }
        if v.delivery.flushing {
            v.delivery.again = Some(hidden || v.delivery.again == Some(true));
            return;
        }
        v.delivery.flushing = true;
        v.delivery.timer = None;
        ["mentorkit:", &v.namespace, ":outbox:", v.spec.widget].concat()
    };
    let weak = Rc::downgrade(this);
    wasm_bindgen_futures::spawn_local(async move {
        let ran = dom::with_lock(&name, pass(weak.clone(), hidden)).await;
        let Some(this) = weak.upgrade() else { return };
        let again = {
            let Ok(mut v) = this.try_borrow_mut() else { return };
            v.delivery.flushing = false;
            std::mem::take(&mut v.delivery.again)
        };
        if let Some(hidden) = again {
            flush_outbox(&this, hidden);
        } else {
            schedule(&this, !ran);
        }
    });
}

/// One pass: take what is due, mark it as being sent, send, record the
/// answers; repeat until nothing is due.
async fn pass(weak: Weak<RefCell<Shell>>, hidden: bool) {
    loop {
        let Some((transport, batch)) = take(&weak, hidden) else { return };
        // Every request starts before any answer is awaited.
        let answers: Vec<_> = batch.iter().map(|(key, body)| dom::send(&transport, key, body, hidden)).collect();
        for ((key, _), answer) in batch.into_iter().zip(answers) {
            let outcome = answer.await;
            let Some(this) = weak.upgrade() else { return };
            let mut outgoing = Vec::new();
            {
                let Ok(mut v) = this.try_borrow_mut() else { return };
                let mut outbox = v.read_outbox(&mut outgoing);
                // Gone (everything on the device was erased meanwhile):
                // nothing is written back.
                if let Some(e) = outbox.iter_mut().find(|e| e.key == key && e.status == Status::Sending) {
                    outbox::settle(e, &outcome, dom::now(), dom::random());
                    v.delivery.catch_up &= e.status == Status::Sent;
                    outgoing.push(("mentorkit-status", status_detail(e)));
                    outbox::prune(&mut outbox);
                    v.write_outbox(outbox, &mut outgoing);
                }
                v.render_delivery();
            }
            finish(&this, outgoing);
        }
        if hidden {
            return;
        }
    }
}

/// Marks what is due as being sent; returns it with the transport.
fn take(weak: &Weak<RefCell<Shell>>, hidden: bool) -> Option<(Transport, Vec<(String, String)>)> {
    let this = weak.upgrade()?;
    let mut outgoing = Vec::new();
    let taken = {
        let Ok(mut v) = this.try_borrow_mut() else { return None };
        let transport = v.transport()?;
        let mut outbox = v.read_outbox(&mut outgoing);
        let now = dom::now();
        let mut due = outbox::due(&outbox, now, hidden || v.delivery.catch_up);
        due.retain(|&i| v.mine(&outbox[i]));
        if hidden {
            due = outbox::keepalive_share(&outbox, &due);
        } else {
            due.truncate(1);
        }
        if due.is_empty() {
            v.delivery.catch_up = false;
            // Nothing to send: what another tab did may still need showing.
            if outbox != v.delivery.outbox {
                v.delivery.outbox = outbox;
                v.render_delivery();
            }
            None
        } else {
            let mut batch = Vec::new();
            for &i in &due {
                outbox::start(&mut outbox[i], now);
                outgoing.push(("mentorkit-status", status_detail(&outbox[i])));
                batch.push((outbox[i].key.clone(), outbox[i].body.clone()));
            }
            v.write_outbox(outbox, &mut outgoing);
            v.render_delivery();
            Some((transport, batch))
        }
    };
    finish(&this, outgoing);
    taken
}

/// Arranges the next pass for when the next record falls due (or, when
/// another tab held the outbox, for a look a little later).
fn schedule(this: &Rc<RefCell<Shell>>, locked: bool) {
    let Ok(mut v) = this.try_borrow_mut() else { return };
    let now = dom::now();
    let next = outbox::next_due(v.delivery.outbox.iter().filter(|e| v.mine(e))).filter(|&t| t < outbox::NEVER);
    // Another tab is sending: what is due now is its to send, so look again
    // a little later rather than at once.
    let next = if locked { Some(next.map_or(now + LOCKED_RETRY_MS, |t| t.max(now + LOCKED_RETRY_MS))) } else { next };
    let Some(next) = next else { return };
    let weak = Rc::downgrade(this);
    let delay = (next - now).clamp(0.0, 2_147_000_000.0) as u32;
    v.delivery.timer = Some(Timeout::new(delay, move || {
        if let Some(this) = weak.upgrade() {
            flush_outbox(&this, false);
        }
    }));
}
