//! What the coordinator's pages share: the wording in the coordinator's
//! language, the programme's widget configurations (so answers read as they
//! read in the widget), its rules, today, and the phrases that describe a
//! pair's health, used alike by the pairs list, a pair's page and the CSV.

use super::super::html::esc;
use crate::coordinator::health::{Alert, Health, Kind, Rhythm, ROLES};
use crate::coordinator::words::{Labels, Word, Words};
use crate::programmes::{Pair, Programme};
use mentorkit::i18n::{Key, Locale};
use mentorkit::model::config::Programme as Widget;
use mentorkit::model::feedback;
use mentorkit::model::form::{field_at, FieldKind};
use mentorkit::model::insights::{self, Trend};
use mentorkit::model::signing;

/// What a programme's pages are read with, parsed once per request.
pub struct Setup {
    /// The pages' wording changes.
    pub labels: Option<Labels>,
    /// The feedback widget's configuration.
    pub feedback: Widget,
    /// The agreement widget's configuration.
    pub agreement: Widget,
}

impl Setup {
    /// Reads the programme's settings. A configuration that no longer reads
    /// (it was checked when set) is left out and logged, never shown broken.
    pub fn of(programme: &Programme) -> Setup {
        let widget = |text: &Option<String>, schema: &mentorkit::model::config::Schema, what: &str| match text.as_deref().map(|t| Widget::from_json(t, schema)) {
            Some(Ok(p)) => p,
            Some(Err(e)) => {
                tracing::warn!(what, error = %e, "a programme's configuration does not read; its defaults are used");
                Widget::default()
            }
            None => Widget::default(),
        };
        let labels = programme.settings.labels.as_deref().and_then(|t| match Labels::parse(t) {
            Ok(l) => Some(l),
            Err(e) => {
                tracing::warn!(error = %e, "a programme's wording does not read; the pages' own is used");
                None
            }
        });
        Setup {
            labels,
            feedback: widget(&programme.settings.feedback_config, &feedback::SCHEMA, "feedback"),
            agreement: widget(&programme.settings.agreement_config, &mentorkit::model::agreement::SCHEMA, "agreement"),
        }
    }
}

/// A page's way with words.
#[derive(Clone, Copy)]
pub struct View<'a> {
    /// The pages' own wording.
    pub w: Words<'a>,
    /// The language.
    pub locale: Locale,
    /// The feedback widget's configuration.
    pub feedback: &'a Widget,
    /// The agreement widget's configuration.
    pub agreement: &'a Widget,
}

impl<'a> View<'a> {
    /// The view of `setup` in `locale`.
    pub fn new(setup: &'a Setup, locale: Locale) -> View<'a> {
        View { w: Words::new(locale, setup.labels.as_ref()), locale, feedback: &setup.feedback, agreement: &setup.agreement }
    }

    /// A message of the pages.
    pub fn t(&self, word: Word) -> &'a str {
        self.w.t(word)
    }

    /// A message of the pages, filled.
    pub fn f(&self, word: Word, args: &[(&str, &str)]) -> String {
        self.w.f(word, args)
    }

    /// A message of the widgets, as the programme words it.
    pub fn key(&self, key: Key) -> &'a str {
        self.feedback.text(self.locale, key)
    }

    /// A date in words.
    pub fn date(&self, day: &str) -> String {
        self.w.date(day)
    }

    /// "12 days".
    pub fn days(&self, n: i64) -> String {
        self.w.count(n, Word::DaysOne, Word::DaysMany)
    }

    /// "Mentee" or "Mentor".
    pub fn role(&self, role: &str) -> &'a str {
        self.w.role(role)
    }

    /// A person's name, or that it was erased (as text).
    pub fn name(&self, name: Option<&str>) -> String {
        name.map_or_else(|| self.t(Word::Erased).to_owned(), str::to_owned)
    }

    /// "Ada and Grace".
    pub fn names(&self, pair: &Pair) -> String {
        self.f(Word::PairNames, &[("mentee", &self.name(pair.mentee_name.as_deref())), ("mentor", &self.name(pair.mentor_name.as_deref()))])
    }

    /// The label of an option of a feedback question, as the widget words it.
    pub fn option(&self, path: &str, value: &str) -> String {
        let options = match field_at(feedback::STEPS, path).map(|(_, f, _)| f.kind) {
            Some(FieldKind::Choice(o)) | Some(FieldKind::Multi(o)) => o,
            _ => &[],
        };
        options.iter().find(|(v, _)| *v == value).map_or_else(|| value.to_owned(), |(_, k)| self.key(*k).to_owned())
    }

    /// An alert as the coordinator reads it.
    pub fn alert(&self, alert: &Alert) -> String {
        let by = |role: Option<&str>, mentee: Word, mentor: Word, both: Word| match role {
            Some("mentor") => mentor,
            Some(_) => mentee,
            None => both,
        };
        match alert {
            Alert::PoorFit(role) => self.t(by(Some(role), Word::AlertPoorFitMentee, Word::AlertPoorFitMentor, Word::AlertPoorFitMentee)).to_owned(),
            Alert::Own(insights::Alert::LowRatings, role) => self.t(by(*role, Word::AlertLowRatingsMentee, Word::AlertLowRatingsMentor, Word::AlertLowRatingsBoth)).to_owned(),
            Alert::Own(insights::Alert::Cancellations, role) => {
                self.t(by(*role, Word::AlertCancellationsMentee, Word::AlertCancellationsMentor, Word::AlertCancellationsBoth)).to_owned()
            }
            Alert::Own(insights::Alert::CheckinDue(days), role) => {
                self.f(by(*role, Word::AlertCheckinMentee, Word::AlertCheckinMentor, Word::AlertCheckinBoth), &[("days", &self.days(*days))])
            }
            Alert::Own(insights::Alert::Overdue(days), _) => self.f(Word::AlertOverdue, &[("days", &self.days(*days))]),
            Alert::Own(insights::Alert::ReviewSoon(day, left), _) => self.f(Word::AlertReviewSoon, &[("date", &self.date(day)), ("days", &self.days(*left))]),
            Alert::Own(insights::Alert::EndSoon(day, left), _) => self.f(Word::AlertEndSoon, &[("date", &self.date(day)), ("days", &self.days(*left))]),
            Alert::NoAgreement(days) => self.f(Word::AlertNoAgreement, &[("days", &self.days(*days))]),
            Alert::Silent(days) => self.f(Word::AlertSilent, &[("weeks", &self.w.count(days / 7, Word::WeeksOne, Word::WeeksMany))]),
            Alert::Apart(day, a, b) => self.f(Word::AlertApart, &[("date", &self.date(day)), ("mentee", &a.to_string()), ("mentor", &b.to_string())]),
        }
    }

    /// A kind of alert, short, for filters.
    pub fn kind(&self, kind: Kind) -> &'a str {
        self.t(match kind {
            Kind::PoorFit => Word::KindPoorFit,
            Kind::LowRatings => Word::KindLowRatings,
            Kind::Apart => Word::KindApart,
            Kind::Cancellations => Word::KindCancellations,
            Kind::Overdue => Word::KindOverdue,
            Kind::NoAgreement => Word::KindNoAgreement,
            Kind::Silent => Word::KindSilent,
            Kind::EndSoon => Word::KindEndSoon,
            Kind::ReviewSoon => Word::KindReviewSoon,
            Kind::CheckinDue => Word::KindCheckinDue,
        })
    }

    /// The alerts as a list (markup), or "None".
    pub fn alerts(&self, h: &Health) -> String {
        if h.alerts.is_empty() {
            return format!("<span class=\"none\">{}</span>", esc(self.t(Word::NoAlerts)));
        }
        let mut out = String::from("<ul class=\"alerts\">");
        for a in &h.alerts {
            let soon = matches!(a.kind(), Kind::ReviewSoon | Kind::EndSoon | Kind::CheckinDue);
            out.push_str(&format!("<li{}>{}</li>", if soon { " class=\"soon\"" } else { "" }, esc(&self.alert(a))));
        }
        out.push_str("</ul>");
        out
    }

    /// Started, or not, or closed (text).
    pub fn started(&self, h: &Health) -> String {
        match &h.started {
            Some(d) => self.date(d),
            None => self.t(Word::NotStarted).to_owned(),
        }
    }

    /// The status of a pair.
    pub fn status(&self, h: &Health) -> String {
        match (&h.closed, &h.started) {
            (Some(d), _) => self.f(Word::ClosedOn, &[("date", &self.date(d))]),
            (None, Some(_)) => self.t(Word::StatusActive).to_owned(),
            (None, None) => self.t(Word::StatusWaiting).to_owned(),
        }
    }

    /// The agreement: signed when, with its fingerprint (markup).
    pub fn agreement(&self, h: &Health) -> String {
        match &h.agreement {
            Some(a) => {
                let on = a.signed_on.as_deref().map(|d| self.f(Word::SignedOn, &[("date", &self.date(d))])).unwrap_or_else(|| self.t(Word::StatusActive).to_owned());
                format!(
                    "{}<span class=\"small\">{}</span>",
                    esc(&on),
                    esc(&self.f(Word::Fingerprint, &[("fingerprint", &signing::short(&a.fingerprint))]))
                )
            }
            None => format!("<span class=\"none\">{}</span>", esc(self.t(Word::NotSignedYet))),
        }
    }

    /// The rhythm in words (markup): on track or overdue, and sessions held.
    pub fn rhythm(&self, h: &Health) -> String {
        let Some(c) = &h.cadence else { return format!("<span class=\"none\">{}</span>", esc(self.t(Word::NoRhythm))) };
        let state = match h.rhythm() {
            _ if h.closed.is_some() => self.status(h),
            Rhythm::Overdue(days) => self.f(Word::OverdueBy, &[("days", &self.days(days)), ("date", &self.date(&c.due))]),
            _ => self.f(Word::OnTrackNext, &[("date", &self.date(&c.due))]),
        };
        format!(
            "{}<span class=\"small\">{}</span>",
            esc(&state),
            esc(&self.f(Word::HeldOfExpected, &[("held", &c.held.to_string()), ("expected", &c.expected.to_string())]))
        )
    }

    /// One person's average rating and trend (text), if they rated any.
    pub fn rating(&self, h: &Health, role: &str) -> Option<String> {
        let i = &h.person(role).insights;
        let average = self.w.tenths(i.average_tenths?);
        let word = match i.trend {
            Some(Trend::Rising) => Word::RatingRising,
            Some(Trend::Steady) => Word::RatingSteady,
            Some(Trend::Falling) => Word::RatingFalling,
            None => Word::RatingOf,
        };
        Some(self.f(word, &[("role", self.role(role)), ("average", &average)]))
    }

    /// Both people's ratings (markup).
    pub fn ratings(&self, h: &Health) -> String {
        let lines: Vec<String> = ROLES.iter().filter_map(|r| self.rating(h, r)).map(|t| format!("<span class=\"line\">{}</span>", esc(&t))).collect();
        if lines.is_empty() {
            format!("<span class=\"none\">{}</span>", esc(self.t(Word::NoRatings)))
        } else {
            lines.join("<br>")
        }
    }

    /// The next review and the end (markup).
    pub fn dates(&self, h: &Health) -> String {
        let Some(a) = &h.agreement else { return format!("<span class=\"none\">{}</span>", esc(self.t(Word::NoDates))) };
        let mut parts = Vec::new();
        if let Some(d) = &a.next_review {
            parts.push(esc(&self.f(Word::ReviewOn, &[("date", &self.date(d))])));
        }
        if let Some(d) = &a.end {
            parts.push(esc(&self.f(Word::EndsOn, &[("date", &self.date(d))])));
        }
        if parts.is_empty() {
            return format!("<span class=\"none\">{}</span>", esc(self.t(Word::NoDates)));
        }
        parts.join("<br>")
    }

    /// Both people's pairing-fit answers (markup).
    pub fn fit(&self, h: &Health) -> String {
        let lines: Vec<String> = ROLES
            .iter()
            .filter_map(|r| h.person(r).fit.as_deref().map(|a| esc(&self.f(Word::FitOf, &[("role", self.role(r)), ("answer", &self.option("fit", a))]))))
            .collect();
        if lines.is_empty() {
            format!("<span class=\"none\">{}</span>", esc(self.t(Word::NoFit)))
        } else {
            lines.join("<br>")
        }
    }

    /// The last session held (text).
    pub fn last_session(&self, h: &Health) -> String {
        h.last_session.as_deref().map_or_else(|| self.t(Word::NoSessionYet).to_owned(), |d| self.date(d))
    }
}
