//! The outbox: every record meant for the programme's endpoint waits here,
//! in browser storage, from the moment it is submitted until the endpoint has
//! accepted it. Nothing is sent that was not stored first, so a closed tab, a
//! lost connection or a failing server loses nothing.
//!
//! This module decides; it does no input or output. The view reads the
//! outbox from storage, asks [`due`] what to send, marks it with [`start`],
//! sends it, and records what came back with [`settle`].

use super::delivery::Payload;
use super::json::{self, FromJson, JsonError, Reader, ToJson, Writer};
use super::num::Digits;

/// First retry waits up to this long (milliseconds)…
pub const BASE_MS: f64 = 1_000.0;
/// …doubling with each attempt up to this.
pub const CAP_MS: f64 = 5.0 * 60_000.0;
/// A conflict (409) is tried again after this long.
pub const CONFLICT_MS: f64 = 60_000.0;
/// One attempt may take this long before it counts as timed out.
pub const TIMEOUT_MS: u32 = 15_000;
/// A record marked as being sent, by a tab that then vanished, is taken up
/// again after this long. An attempt ends within [`TIMEOUT_MS`], so a mark
/// this old was left by a tab that is gone (or that the browser has slowed
/// right down, and then the idempotency key makes the repeat harmless); a
/// person coming back sees their record go, not "Sending…" for minutes.
pub const LEASE_MS: f64 = 20_000.0;
/// What a browser lets all `keepalive` requests of a page carry together.
pub const KEEPALIVE_BYTES: usize = 64 * 1024;
/// Sent records are remembered (without their data) up to this many.
pub const KEEP_SENT: usize = 200;

/// Where a record is on its way to the endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Stored, waiting for its turn or for a retry.
    Queued,
    /// A request is under way.
    Sending,
    /// The endpoint accepted it.
    Sent,
    /// The endpoint refused it; it waits for the person.
    NeedsAttention,
}

impl Status {
    /// The name used in events and storage.
    pub fn name(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::NeedsAttention => "needs-attention",
        }
    }

    /// The status named `name`.
    pub fn from_name(name: &str) -> Option<Status> {
        [Status::Queued, Status::Sending, Status::Sent, Status::NeedsAttention].into_iter().find(|s| s.name() == name)
    }
}

/// A time that never comes: a record that waits for the person.
pub const NEVER: f64 = 9_007_199_254_740_991.0;

/// One record in the outbox.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The `Idempotency-Key`: the same for every attempt at this record version.
    pub key: String,
    /// The record's id.
    pub id: String,
    /// Its kind (`agreement`, `session`, `checkin`, `closing`).
    pub kind: String,
    /// Its version.
    pub record_version: u32,
    /// The request body, exactly as sent each time; emptied once sent.
    pub body: String,
    /// Where it is.
    pub status: Status,
    /// Attempts made so far.
    pub attempts: u32,
    /// Not to be tried before this time (ms since the epoch). While sending,
    /// when the attempt is given up for lost.
    pub next_at: f64,
    /// Why the last attempt failed, in the server's or the browser's words.
    pub reason: String,
    /// When it was put in the outbox.
    pub queued_at: f64,
    /// When the endpoint accepted it.
    pub sent_at: f64,
    /// When this entry last changed: of two tabs' copies, the later counts.
    /// Entries stored before it was kept read as 0.
    pub updated: f64,
}

impl ToJson for Entry {
    fn write(&self, w: &mut Writer) {
        w.object(|w| {
            w.key("key").str(&self.key);
            w.key("id").str(&self.id);
            w.key("kind").str(&self.kind);
            w.key("recordVersion").value(&self.record_version);
            w.key("body").str(&self.body);
            w.key("status").str(self.status.name());
            w.key("attempts").value(&self.attempts);
            w.key("nextAt").ms(self.next_at);
            w.key("reason").str(&self.reason);
            w.key("queuedAt").ms(self.queued_at);
            w.key("sentAt").ms(self.sent_at);
            w.key("updated").ms(self.updated);
        });
    }
}

impl FromJson for Entry {
    fn read(r: &mut Reader) -> json::Result<Entry> {
        let mut e = Entry { key: String::new(), id: String::new(), kind: String::new(), record_version: 0, body: String::new(), status: Status::Queued, attempts: 0, next_at: 0.0, reason: String::new(), queued_at: 0.0, sent_at: 0.0, updated: 0.0 };
        let mut seen = 0u32;
        json::fields(r, false, |r, key| {
            seen += 1;
            match key {
                "key" => e.key = String::read(r)?,
                "id" => e.id = String::read(r)?,
                "kind" => e.kind = String::read(r)?,
                "recordVersion" => e.record_version = r.u32()?,
                "body" => e.body = String::read(r)?,
                "status" => e.status = Status::from_name(&r.string()?).ok_or_else(|| JsonError("an unknown status".into()))?,
                "attempts" => e.attempts = r.u32()?,
                "nextAt" => e.next_at = r.number()?,
                "reason" => e.reason = String::read(r)?,
                "queuedAt" => e.queued_at = r.number()?,
                "sentAt" => e.sent_at = r.number()?,
                "updated" => e.updated = r.number()?,
                _ => {
                    seen -= 1;
                    return Ok(false);
                }
            }
            Ok(true)
        })?;
        if e.key.is_empty() || e.id.is_empty() || seen < 11 {
            return Err(JsonError("an outbox entry without its key, id or times".into()));
        }
        Ok(e)
    }
}

/// What came of one attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// No answer: offline, refused connection, CORS, aborted.
    Network(String),
    /// No answer within [`TIMEOUT_MS`].
    Timeout,
    /// An HTTP answer: its status, its `Retry-After` (in milliseconds from
    /// now, already read), and the reason it gave.
    Answer {
        /// The HTTP status.
        status: u16,
        /// `Retry-After`, as a delay in milliseconds.
        retry_after_ms: Option<f64>,
        /// The reason the server gave (or the status line).
        reason: String,
    },
}

/// Puts `payload` in the outbox, unless this record version is already
/// there; says why a payload cannot be sent.
pub fn enqueue(outbox: &mut Vec<Entry>, payload: &Payload, now: f64) -> Result<bool, String> {
    payload.check()?;
    let key = [payload.id.as_str(), ".", &payload.record_version.digits()].concat();
    if outbox.iter().any(|e| e.key == key) {
        return Ok(false);
    }
    outbox.push(Entry {
        key,
        id: payload.id.clone(),
        kind: payload.kind.clone(),
        record_version: payload.record_version,
        body: super::json::stringify(payload),
        status: Status::Queued,
        attempts: 0,
        next_at: now,
        reason: String::new(),
        queued_at: now,
        sent_at: 0.0,
        updated: now,
    });
    Ok(true)
}

/// The entries to send now: queued ones whose time has come (every queued
/// one, `waiting` too, when the page is being hidden or the network is back),
/// and ones left "sending" by a tab that went away; oldest first.
pub fn due(outbox: &[Entry], now: f64, waiting: bool) -> Vec<usize> {
    let mut due: Vec<usize> = (0..outbox.len())
        .filter(|&i| match outbox[i].status {
            Status::Queued => waiting || outbox[i].next_at <= now,
            Status::Sending => outbox[i].next_at <= now,
            _ => false,
        })
        .collect();
    super::order::sort_by(&mut due, |&a, &b| outbox[a].queued_at.total_cmp(&outbox[b].queued_at));
    due
}

/// When the next entry falls due, if any is waiting.
pub fn next_due<'a>(outbox: impl IntoIterator<Item = &'a Entry>) -> Option<f64> {
    outbox.into_iter().filter(|e| matches!(e.status, Status::Queued | Status::Sending)).map(|e| e.next_at).min_by(f64::total_cmp)
}

/// Marks an entry as being sent.
pub fn start(entry: &mut Entry, now: f64) {
    entry.updated = now;
    entry.status = Status::Sending;
    entry.attempts += 1;
    entry.next_at = now + LEASE_MS;
}

/// How an answer is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Accepted (2xx).
    Accepted,
    /// Worth trying again soon: no answer, a timeout, 408, 425, 429, 5xx.
    Retry,
    /// A conflict (409): tried again later.
    Later,
    /// Refused (any other answer): waits for the person.
    Refused,
}

/// Classifies an outcome.
pub fn classify(outcome: &Outcome) -> Class {
    match outcome {
        Outcome::Network(_) | Outcome::Timeout => Class::Retry,
        Outcome::Answer { status, .. } => match status {
            200..=299 => Class::Accepted,
            408 | 425 | 429 | 500..=599 => Class::Retry,
            409 => Class::Later,
            _ => Class::Refused,
        },
    }
}

/// The wait before retry number `attempts` (1 for the first retry):
/// "full jitter", a random share (`random`, 0–1) of a ceiling that doubles
/// with each attempt up to [`CAP_MS`].
pub fn backoff(attempts: u32, random: f64) -> f64 {
    let ceiling = (BASE_MS * 2f64.powi(attempts.saturating_sub(1).min(30) as i32)).min(CAP_MS);
    random.clamp(0.0, 1.0) * ceiling
}

/// Records what came of an attempt; `random` is a fresh number in 0–1.
pub fn settle(entry: &mut Entry, outcome: &Outcome, now: f64, random: f64) {
    entry.updated = now;
    let retry_after = match outcome {
        Outcome::Answer { retry_after_ms, .. } => retry_after_ms.unwrap_or(0.0).clamp(0.0, 24.0 * 3_600_000.0),
        _ => 0.0,
    };
    entry.reason = match outcome {
        Outcome::Network(reason) => reason.clone(),
        Outcome::Timeout => "no answer in time".into(),
        Outcome::Answer { reason, .. } => reason.clone(),
    };
    match classify(outcome) {
        Class::Accepted => {
            entry.status = Status::Sent;
            entry.sent_at = now;
            entry.body.clear();
            entry.reason.clear();
        }
        Class::Retry => {
            entry.status = Status::Queued;
            entry.next_at = now + backoff(entry.attempts, random).max(retry_after);
        }
        Class::Later => {
            entry.status = Status::Queued;
            entry.next_at = now + CONFLICT_MS.max(retry_after);
        }
        Class::Refused => {
            entry.status = Status::NeedsAttention;
            entry.next_at = NEVER;
        }
    }
}

/// The person asks to try a record again now.
pub fn retry(entry: &mut Entry, now: f64) {
    if entry.status == Status::NeedsAttention || entry.status == Status::Queued {
        entry.updated = now;
        entry.status = Status::Queued;
        entry.next_at = now;
    }
}

/// Two tabs' outboxes (or a tab's and the stored one) as one: every entry of
/// either, and of an entry both have, the copy the endpoint accepted, else
/// the one changed last. In the order records were queued.
pub fn merge(ours: &[Entry], theirs: &[Entry]) -> Vec<Entry> {
    let mut out: Vec<Entry> = theirs.to_vec();
    for mine in ours {
        match out.iter_mut().find(|e| e.key == mine.key) {
            Some(other) => {
                let rank = |e: &Entry| (e.status == Status::Sent, e.updated, e.attempts);
                if rank(mine) > rank(other) {
                    *other = mine.clone();
                }
            }
            None => out.push(mine.clone()),
        }
    }
    super::order::sort_by(&mut out, |a, b| a.queued_at.total_cmp(&b.queued_at).then_with(|| a.key.cmp(&b.key)));
    out
}

/// Forgets the oldest sent entries beyond [`KEEP_SENT`].
pub fn prune(outbox: &mut Vec<Entry>) {
    let sent = outbox.iter().filter(|e| e.status == Status::Sent).count();
    let mut extra = sent.saturating_sub(KEEP_SENT);
    if extra == 0 {
        return;
    }
    super::order::sort_by(outbox, |a, b| a.queued_at.total_cmp(&b.queued_at));
    outbox.retain(|e| {
        let drop = extra > 0 && e.status == Status::Sent;
        extra -= usize::from(drop);
        !drop
    });
}

/// The newest entry for record `id`, if it was ever put in the outbox.
pub fn of<'a>(outbox: &'a [Entry], id: &str) -> Option<&'a Entry> {
    outbox.iter().filter(|e| e.id == id).max_by_key(|e| e.record_version)
}

/// Which of `due` entries may go with `keepalive` as the page is hidden: in
/// order, as long as their bodies together stay within [`KEEPALIVE_BYTES`].
pub fn keepalive_share(outbox: &[Entry], due: &[usize]) -> Vec<usize> {
    let mut total = 0;
    due.iter()
        .copied()
        .filter(|&i| {
            let fits = total + outbox[i].body.len() <= KEEPALIVE_BYTES;
            if fits {
                total += outbox[i].body.len();
            }
            fits
        })
        .collect()
}

/// Reads a `Retry-After` value given in seconds; an HTTP date is read by the
/// caller, which has a clock and a date parser.
pub fn retry_after_seconds(value: &str) -> Option<f64> {
    value.trim().parse::<u32>().ok().map(|s| f64::from(s) * 1000.0)
}

/// The reason in an error answer: the `error`, `message`, `detail` or `title`
/// of a JSON body, or the start of a text body, or the status alone.
pub fn reason_of(status: u16, body: &str) -> String {
    // Read into a small struct rather than a general JSON value, which would
    // bring a whole JSON tree type into the download.
    let said = || -> json::Result<Option<String>> {
        let mut r = Reader::new(body);
        let mut found: [Option<String>; 4] = Default::default();
        json::fields(&mut r, false, |r, key| {
            let Some(at) = ["error", "message", "detail", "title"].iter().position(|k| *k == key) else { return Ok(false) };
            found[at] = if r.peek() == Some(b'"') { Some(String::read(r)?) } else { r.skip().map(|()| None)? };
            Ok(true)
        })?;
        r.end()?;
        Ok(found.into_iter().flatten().next())
    };
    let from_json = said().ok().flatten();
    let text = from_json.unwrap_or_else(|| body.trim().chars().take(200).collect());
    if text.is_empty() {
        ["HTTP ", &status.digits()].concat()
    } else {
        [&text, " (HTTP ", &status.digits(), ")"].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::form::Values;

    fn payload(id: &str, version: u32) -> Payload {
        let mut data = Values::default();
        data.set("kind", "session".into());
        data.set("date", "2027-01-05".into());
        data.set("rating", "4".into());
        Payload {
            schema: crate::model::delivery::SCHEMA.into(),
            version: 1,
            id: id.into(),
            kind: "session".into(),
            record_version: version,
            created: "2027-01-05T10:00:00.000Z".into(),
            submitted: "2027-01-05T10:00:00.000Z".into(),
            data,
            about: None,
        }
    }

    fn answer(status: u16, retry_after_ms: Option<f64>) -> Outcome {
        Outcome::Answer { status, retry_after_ms, reason: reason_of(status, r#"{"error":"nope"}"#) }
    }

    #[test]
    fn a_record_version_is_queued_once_with_a_stable_key() {
        let mut outbox = Vec::new();
        assert_eq!(enqueue(&mut outbox, &payload("a-1", 1), 5.0), Ok(true));
        assert_eq!(enqueue(&mut outbox, &payload("a-1", 1), 6.0), Ok(false), "a double submit adds nothing");
        assert_eq!(enqueue(&mut outbox, &payload("a-1", 2), 7.0), Ok(true), "an amendment is a new record version");
        assert_eq!(outbox.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["a-1.1", "a-1.2"]);
        assert_eq!(outbox[0].status, Status::Queued);
        let mut bad = payload("a-2", 1);
        bad.data.set("private.note", "mine".into());
        assert!(enqueue(&mut outbox, &bad, 8.0).unwrap_err().contains("private"));
        assert_eq!(outbox.len(), 2);
    }

    #[test]
    fn answers_are_classified() {
        for s in [200, 201, 204] {
            assert_eq!(classify(&answer(s, None)), Class::Accepted, "{s}");
        }
        for s in [408, 425, 429, 500, 502, 503, 504] {
            assert_eq!(classify(&answer(s, None)), Class::Retry, "{s}");
        }
        assert_eq!(classify(&Outcome::Network("offline".into())), Class::Retry);
        assert_eq!(classify(&Outcome::Timeout), Class::Retry);
        assert_eq!(classify(&answer(409, None)), Class::Later);
        for s in [400, 401, 403, 404, 413, 415, 422] {
            assert_eq!(classify(&answer(s, None)), Class::Refused, "{s}");
        }
    }

    #[test]
    fn backoff_doubles_to_a_cap_with_full_jitter() {
        assert_eq!(backoff(1, 1.0), 1_000.0);
        assert_eq!(backoff(2, 1.0), 2_000.0);
        assert_eq!(backoff(4, 1.0), 8_000.0);
        assert_eq!(backoff(30, 1.0), CAP_MS);
        assert_eq!(backoff(u32::MAX, 1.0), CAP_MS);
        assert_eq!(backoff(4, 0.0), 0.0);
        assert_eq!(backoff(4, 0.25), 2_000.0);
    }

    #[test]
    fn failures_are_retried_honouring_retry_after_and_refusals_wait() {
        let mut outbox = Vec::new();
        enqueue(&mut outbox, &payload("a-1", 1), 0.0).unwrap();
        let e = &mut outbox[0];
        start(e, 100.0);
        assert_eq!((e.status, e.attempts), (Status::Sending, 1));
        settle(e, &answer(503, Some(30_000.0)), 100.0, 0.5);
        assert_eq!((e.status, e.next_at), (Status::Queued, 30_100.0), "Retry-After is longer than the jittered wait");
        assert_eq!(e.reason, "nope (HTTP 503)");
        start(e, 40_000.0);
        settle(e, &Outcome::Timeout, 40_000.0, 1.0);
        assert_eq!(e.next_at, 42_000.0, "second attempt: up to 2 s");
        start(e, 50_000.0);
        settle(e, &answer(409, None), 50_000.0, 0.0);
        assert_eq!((e.status, e.next_at), (Status::Queued, 50_000.0 + CONFLICT_MS));
        start(e, 200_000.0);
        settle(e, &answer(422, None), 200_000.0, 0.0);
        assert_eq!(e.status, Status::NeedsAttention);
        assert!(due(&outbox, NEVER, true).is_empty(), "a refused record waits for the person");
        assert!(!outbox[0].body.is_empty(), "and keeps its data to be exported");
        retry(&mut outbox[0], 300_000.0);
        assert_eq!(due(&outbox, 300_000.0, false), [0]);
        start(&mut outbox[0], 300_000.0);
        settle(&mut outbox[0], &answer(201, None), 300_500.0, 0.0);
        assert_eq!((outbox[0].status, outbox[0].sent_at, outbox[0].body.as_str()), (Status::Sent, 300_500.0, ""));
        assert_eq!(next_due(&outbox), None);
    }

    #[test]
    fn due_takes_the_oldest_first_and_resumes_abandoned_sends() {
        let mut outbox = Vec::new();
        enqueue(&mut outbox, &payload("b", 1), 20.0).unwrap();
        enqueue(&mut outbox, &payload("a", 1), 10.0).unwrap();
        outbox[0].next_at = 500.0;
        assert_eq!(due(&outbox, 100.0, false), [1]);
        assert_eq!(next_due(&outbox), Some(10.0));
        start(&mut outbox[1], 100.0);
        assert!(due(&outbox, 200.0, false).is_empty(), "another tab is sending it");
        assert_eq!(due(&outbox, 100.0 + LEASE_MS, false), [1, 0], "that tab went away");
    }

    #[test]
    fn hidden_or_back_online_everything_queued_is_due_but_not_another_tabs_send() {
        let mut outbox = Vec::new();
        enqueue(&mut outbox, &payload("a", 1), 10.0).unwrap();
        enqueue(&mut outbox, &payload("b", 1), 20.0).unwrap();
        enqueue(&mut outbox, &payload("c", 1), 30.0).unwrap();
        outbox[0].next_at = 90_000.0;
        start(&mut outbox[1], 40.0);
        settle(&mut outbox[2], &answer(422, None), 50.0, 0.0);
        assert!(due(&outbox, 100.0, false).is_empty(), "a waits for its next try");
        assert_eq!(due(&outbox, 100.0, true), [0], "waiting or not, b is another tab's and c waits for the person");
    }

    #[test]
    fn two_tabs_outboxes_merge_keeping_every_record_and_the_latest_state() {
        let mut a = Vec::new();
        enqueue(&mut a, &payload("a", 1), 1.0).unwrap();
        let mut b = a.clone();
        enqueue(&mut b, &payload("b", 1), 2.0).unwrap();
        start(&mut a[0], 3.0);
        settle(&mut a[0], &answer(201, None), 4.0, 0.0);
        retry(&mut b[0], 5.0);
        let merged = merge(&a, &b);
        assert_eq!(merged.iter().map(|e| (e.key.as_str(), e.status)).collect::<Vec<_>>(), [("a.1", Status::Sent), ("b.1", Status::Queued)], "sent wins over a later retry");
        assert_eq!(merge(&b, &a), merged);
        let mut c = b.clone();
        start(&mut c[1], 6.0);
        assert_eq!(merge(&b, &c)[1].status, Status::Sending, "the later change wins");
    }

    #[test]
    fn keepalive_carries_at_most_64_kib_in_all() {
        let mut outbox = Vec::new();
        for (i, size) in [40_000, 30_000, 20_000].into_iter().enumerate() {
            enqueue(&mut outbox, &payload(&format!("k{i}"), 1), i as f64).unwrap();
            outbox[i].body = "x".repeat(size);
        }
        assert_eq!(keepalive_share(&outbox, &[0, 1, 2]), [0, 2]);
    }

    #[test]
    fn sent_entries_are_pruned_oldest_first_and_others_kept() {
        let mut outbox = Vec::new();
        for i in 0..(KEEP_SENT + 3) {
            enqueue(&mut outbox, &payload(&format!("s{i}"), 1), i as f64).unwrap();
            let last = outbox.last_mut().unwrap();
            if i != 1 {
                last.status = Status::Sent;
            }
        }
        prune(&mut outbox);
        assert_eq!(outbox.iter().filter(|e| e.status == Status::Sent).count(), KEEP_SENT);
        assert!(outbox.iter().any(|e| e.id == "s1"), "unsent records are never pruned");
        assert!(!outbox.iter().any(|e| e.id == "s0" || e.id == "s2"));
    }

    #[test]
    fn reasons_and_retry_after_are_read() {
        assert_eq!(reason_of(422, r#"{"error":"date missing"}"#), "date missing (HTTP 422)");
        assert_eq!(reason_of(400, r#"{"title":"Bad","detail":"x"}"#), "x (HTTP 400)");
        assert_eq!(reason_of(500, "  boom  "), "boom (HTTP 500)");
        assert_eq!(reason_of(502, ""), "HTTP 502");
        assert_eq!(retry_after_seconds(" 3 "), Some(3_000.0));
        assert_eq!(retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
