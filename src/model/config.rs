//! A programme's configuration: its name and contact, defaults, locked and
//! required fields, hidden steps and extra clauses.
//!
//! Hosts give it as JSON (the `programme` property or a URL in the `config`
//! attribute). Everything is checked against the form it configures, and a
//! mistake is reported with the key it is under and what is wrong with it.

use super::form::{field_at, Audience, Field, FieldKind, Step};
use super::json::{self, Reader};
use super::texts::Map;
use super::num::Digits;

/// A clause the programme adds to every agreement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Clause {
    /// Stable id: letters, digits and `-`.
    pub id: String,
    /// Heading.
    pub title: String,
    /// The clause itself.
    pub text: String,
    /// Both people must accept it; otherwise they may choose to include it.
    pub required: bool,
}

/// A question a programme adds to the feedback form, answered at `q.<id>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Question {
    /// Stable id: letters, digits and `-`.
    pub id: String,
    /// `rating` (1–5), `choice`, `multiple`, `text` or `long`.
    pub kind: String,
    /// The question.
    pub label: String,
    /// Help shown under it.
    pub help: String,
    /// The options of a `choice` or `multiple` question.
    pub options: Vec<String>,
    /// Must be answered.
    pub required: bool,
    /// Which form asks it: `session` (the default), `checkin` or `closing`.
    pub form: String,
    /// Who reads the answer: `shared` (the default: both people and the
    /// programme), `programme` (not the partner) or `private` (only the
    /// person answering; it never leaves their device).
    pub audience: String,
    /// A `rating` question's words for its two ends, 1 and 5 (without them:
    /// "Not at all" and "Very much").
    pub scale: Vec<String>,
}

impl Question {
    /// Where the answer is kept.
    pub fn path(&self) -> String {
        ["q.", &self.id].concat()
    }

    /// The form that asks it.
    pub fn form(&self) -> &str {
        if self.form.is_empty() { "session" } else { &self.form }
    }

    /// Who reads the answer.
    pub fn audience(&self) -> Audience {
        match self.audience.as_str() {
            "private" => Audience::Me,
            "programme" => Audience::Programme,
            _ => Audience::Pair,
        }
    }
}

/// Question kinds a programme can add.
pub const QUESTION_KINDS: &[&str] = &["rating", "choice", "multiple", "text", "long"];

/// A programme's configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Programme {
    /// The programme's name: fills and locks `programme.name`.
    pub name: String,
    /// Who to contact at the programme: fills and locks `programme.contact`.
    pub contact: String,
    /// Starting values by field path.
    pub defaults: Map<String>,
    /// Paths that are shown but cannot be changed.
    pub locked: Vec<String>,
    /// Step ids (and, in the feedback form, field paths) that are not shown.
    pub hidden: Vec<String>,
    /// Paths that must be filled in, beyond those the form requires.
    pub required: Vec<String>,
    /// Extra clauses (agreement).
    pub clauses: Vec<Clause>,
    /// Extra questions (feedback).
    pub questions: Vec<Question>,
    /// The session form's quick part, by field path or question path
    /// (`q.<id>`): asked at once, the rest one tap away. Without it, the
    /// form's own ([`crate::model::feedback::QUICK`]).
    pub quick: Option<Vec<String>>,
    /// Wording per language (`en`, `es`, …): by field path or question path
    /// (`q.<id>`) for a label, or by message name for any other text.
    pub labels: Map<Map<String>>,
    /// The JSON text it was read from by [`Programme::from_json`] (empty for
    /// the defaults), for a module that reads it again: the feedback
    /// history's own, the agreement document's.
    pub source: String,
}

/// What is wrong with a configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Where: `defaults.meet.cadence`, `clauses[2].id`, …
    pub key: String,
    /// Why, in a sentence a developer can act on.
    pub reason: String,
}

impl ConfigError {
    /// The whole message: where, and why.
    pub fn message(&self) -> String {
        ["programme configuration, ", &self.key, ": ", &self.reason].concat()
    }
}

impl core::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

fn err(key: impl Into<String>, reason: impl Into<String>) -> ConfigError {
    ConfigError { key: key.into(), reason: reason.into() }
}

/// Fields the configuration can refer to; steps that can be hidden.
pub struct Schema {
    /// The form's steps.
    pub steps: &'static [Step],
    /// Paths that are not fields but may still be given defaults.
    pub extra_paths: &'static [&'static str],
    /// Step ids that must stay.
    pub fixed_steps: &'static [&'static str],
    /// Field paths that may be hidden one by one; empty when only steps can.
    pub hideable: fn(&str) -> bool,
    /// The form takes programme clauses.
    pub clauses: bool,
    /// The form takes programme questions.
    pub questions: bool,
}

impl Schema {
    fn field(&self, path: &str) -> Option<&'static Field> {
        field_at(self.steps, path).or_else(|| field_at(self.steps, &path.replacen('#', "1", 1))).map(|(_, field, _)| field)
    }

    fn known(&self, path: &str) -> bool {
        self.field(path).is_some() || self.extra_paths.contains(&path)
    }
}

impl Programme {
    /// Reads a configuration from JSON text and checks it against `schema`.
    pub fn from_json(text: &str, schema: &Schema) -> Result<Programme, ConfigError> {
        let mut r = Reader::new(text);
        if r.peek() != Some(b'{') {
            let reason = if r.peek().is_none() { "the JSON ends too early".to_owned() } else { ["expected an object with the programme's settings, found ", r.next_kind()].concat() };
            return Err(err(TOP, reason));
        }
        let programme = read_programme(&mut r)?;
        r.end().map_err(|e| err(TOP, e.0))?;
        programme.check(schema)?;
        let programme = Programme { source: text.to_owned(), ..programme };
        Ok(programme)
    }

    /// Checks every key against `schema`.
    pub fn check(&self, schema: &Schema) -> Result<(), ConfigError> {
        for (path, value) in &self.defaults {
            let key = ["defaults.", path].concat();
            let Some(field) = schema.field(path) else {
                if schema.extra_paths.contains(&path.as_str()) {
                    continue;
                }
                return Err(err(key, "there is no field with this path"));
            };
            check_value(field, value).map_err(|reason| err(key, reason))?;
        }
        for (list, name) in [(&self.locked, "locked"), (&self.required, "required")] {
            for (i, path) in list.iter().enumerate() {
                if !schema.known(path) {
                    return Err(err([name, "[", &i.digits(), "]"].concat(), ["there is no field \"", path, "\""].concat()));
                }
            }
        }
        for (i, id) in self.hidden.iter().enumerate() {
            if schema.field(id).is_some() && (schema.hideable)(id) {
                continue;
            }
            if !schema.steps.iter().any(|s| s.id == id) {
                return Err(err(["hidden[", &i.digits(), "]"].concat(), ["there is no step or optional question \"", id, "\""].concat()));
            }
            if schema.fixed_steps.contains(&id.as_str()) {
                return Err(err(["hidden[", &i.digits(), "]"].concat(), ["the \"", id, "\" step cannot be hidden"].concat()));
            }
        }
        if self.name.chars().count() > 200 || self.contact.chars().count() > 200 {
            return Err(err(if self.name.chars().count() > 200 { "name" } else { "contact" }, "longer than 200 characters"));
        }
        if !schema.clauses && !self.clauses.is_empty() {
            return Err(err("clauses", "only the agreement takes clauses"));
        }
        if !schema.questions && !self.questions.is_empty() {
            return Err(err("questions", "only the feedback form takes questions"));
        }
        #[cfg(any(feature = "feedback", feature = "history"))]
        self.check_questions()?;
        #[cfg(any(feature = "feedback", feature = "history"))]
        if let Some(quick) = &self.quick {
            if !schema.questions {
                return Err(err("quick", "only the feedback form has a quick part"));
            }
            for (i, path) in quick.iter().enumerate() {
                let question = path.strip_prefix("q.").is_some_and(|id| self.questions.iter().any(|q| q.id == id));
                if !question && !schema.steps.iter().any(|s| s.id == "session" && s.groups.iter().any(|g| g.fields.iter().any(|f| f.path == path))) {
                    return Err(err(["quick[", &i.digits(), "]"].concat(), ["there is no session question \"", path, "\""].concat()));
                }
            }
        }
        self.check_labels(schema)?;
        #[cfg(any(feature = "agreement", feature = "document"))]
        for (i, clause) in self.clauses.iter().enumerate() {
            let key = |k: &str| ["clauses[", &i.digits(), "].", k].concat();
            if !is_id(&clause.id) {
                return Err(err(key("id"), "use 1 to 40 letters, digits or '-'"));
            }
            if self.clauses[..i].iter().any(|c| c.id == clause.id) {
                return Err(err(key("id"), ["\"", &clause.id, "\" is used by an earlier clause"].concat()));
            }
            if clause.title.trim().is_empty() || clause.title.chars().count() > 200 {
                return Err(err(key("title"), "give a title of 1 to 200 characters"));
            }
            if clause.text.trim().is_empty() || clause.text.chars().count() > 4000 {
                return Err(err(key("text"), "give a text of 1 to 4,000 characters"));
            }
        }
        Ok(())
    }

    #[cfg(any(feature = "feedback", feature = "history"))]
    fn check_questions(&self) -> Result<(), ConfigError> {
        for (i, q) in self.questions.iter().enumerate() {
            let key = |k: &str| ["questions[", &i.digits(), "].", k].concat();
            if !is_id(&q.id) {
                return Err(err(key("id"), "use 1 to 40 letters, digits or '-'"));
            }
            if self.questions[..i].iter().any(|o| o.id == q.id) {
                return Err(err(key("id"), ["\"", &q.id, "\" is used by an earlier question"].concat()));
            }
            if !QUESTION_KINDS.contains(&q.kind.as_str()) {
                return Err(err(key("kind"), ["\"", &q.kind, "\" is not one of: ", &QUESTION_KINDS.join(", ")].concat()));
            }
            if q.label.trim().is_empty() || q.label.chars().count() > 200 {
                return Err(err(key("label"), "give a question of 1 to 200 characters"));
            }
            if q.help.chars().count() > 400 {
                return Err(err(key("help"), "longer than 400 characters"));
            }
            let choices = matches!(q.kind.as_str(), "choice" | "multiple");
            if choices && !(2..=12).contains(&q.options.len()) {
                return Err(err(key("options"), "give 2 to 12 options"));
            }
            if !choices && !q.options.is_empty() {
                return Err(err(key("options"), ["a \"", &q.kind, "\" question has no options"].concat()));
            }
            for (j, option) in q.options.iter().enumerate() {
                let bad = option.trim().is_empty() || option.chars().count() > 100 || option.contains(super::form::MULTI_SEPARATOR);
                if bad || q.options[..j].contains(option) {
                    return Err(err(["questions[", &i.digits(), "].options[", &j.digits(), "]"].concat(), "give a distinct option of 1 to 100 characters without ';'"));
                }
            }
            if !matches!(q.form(), "session" | "checkin" | "closing") {
                return Err(err(key("form"), ["\"", &q.form, "\" is not one of: session, checkin, closing"].concat()));
            }
            if !q.scale.is_empty() && (q.kind != "rating" || q.scale.len() != 2 || q.scale.iter().any(|s| s.trim().is_empty() || s.chars().count() > 60)) {
                return Err(err(key("scale"), "a rating question's scale is two words of 1 to 60 characters, for 1 and for 5"));
            }
            if !matches!(q.audience.as_str(), "" | "shared" | "programme" | "private") {
                return Err(err(key("audience"), ["\"", &q.audience, "\" is not one of: shared, programme, private"].concat()));
            }
        }
        Ok(())
    }

    fn check_labels(&self, schema: &Schema) -> Result<(), ConfigError> {
        for (language, texts) in &self.labels {
            if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(err(["labels.", language].concat(), "use a language code such as \"en\" or \"es\""));
            }
            for (name, text) in texts {
                let key = ["labels.", language, ".", name].concat();
                let question = name.strip_prefix("q.").is_some_and(|id| self.questions.iter().any(|q| q.id == id));
                let known = schema.known(name) || question || crate::i18n::Key::exists(name);
                if !known {
                    return Err(err(key, "there is no field, question or message with this name"));
                }
                if text.trim().is_empty() || text.chars().count() > 4000 {
                    return Err(err(key, "give a text of 1 to 4,000 characters"));
                }
            }
        }
        Ok(())
    }

    /// The programme's wording for `name` (a field path, question path or
    /// message name) in `language`, if it gives one.
    pub fn label(&self, language: &str, name: &str) -> Option<&str> {
        self.labels.get(language)?.get(name).map(String::as_str)
    }

    /// A field's label in `locale`: the programme's wording if it gives one.
    pub fn field_label(&self, locale: crate::i18n::Locale, field: &Field) -> &str {
        self.label(locale.tag(), field.path).unwrap_or_else(|| crate::i18n::text(locale, field.label))
    }

    /// A message in `locale`: the programme's wording if it gives one.
    pub fn text(&self, locale: crate::i18n::Locale, key: crate::i18n::Key) -> &str {
        self.label(locale.tag(), key.name()).unwrap_or_else(|| crate::i18n::text(locale, key))
    }

    /// Whether the field at `path` is locked.
    pub fn is_locked(&self, path: &str) -> bool {
        self.locked.iter().any(|p| p == path)
            || (path == "programme.name" && !self.name.is_empty())
            || (path == "programme.contact" && !self.contact.is_empty())
    }

    /// The value the programme gives `path`, if any.
    pub fn default_for(&self, path: &str) -> Option<&str> {
        match path {
            "programme.name" if !self.name.is_empty() => Some(&self.name),
            "programme.contact" if !self.contact.is_empty() => Some(&self.contact),
            _ => self.defaults.get(path).map(String::as_str),
        }
    }

    /// Whether the step `id` is shown.
    pub fn shows(&self, id: &str) -> bool {
        !self.hidden.iter().any(|h| h == id)
    }
}

/// The key a mistake in the configuration as a whole is reported under.
const TOP: &str = "(configuration)";

/// What is at `key` is not what was expected there: says what was found.
fn wrong(r: &mut Reader, key: &str, expected: &str) -> ConfigError {
    let found = match r.peek() {
        Some(b'"') => r.string().map(|t| ["the text \"", &t.chars().take(40).collect::<String>(), "\""].concat()).unwrap_or_else(|_| "a broken text".into()),
        None => return err(key, "the JSON ends too early"),
        other => json::kind_word(other).to_owned(),
    };
    err(key, ["found ", &found, ", expected ", expected].concat())
}

/// A mistake in the JSON itself, under `key`.
fn broken(key: &str, e: json::JsonError) -> ConfigError {
    if e.0.starts_with("the JSON ends") { err(key, "the JSON ends too early") } else { err(key, ["this is not valid JSON (", &e.0, ")"].concat()) }
}

fn text(r: &mut Reader, key: &str) -> Result<String, ConfigError> {
    if r.peek() != Some(b'"') {
        return Err(wrong(r, key, "a text in quotes"));
    }
    r.string().map(|t| t.into_owned()).map_err(|e| broken(key, e))
}

fn flag(r: &mut Reader, key: &str) -> Result<bool, ConfigError> {
    if !matches!(r.peek(), Some(b't' | b'f')) {
        return Err(wrong(r, key, "true or false"));
    }
    r.bool().map_err(|e| broken(key, e))
}

fn texts(r: &mut Reader, key: &str) -> Result<Vec<String>, ConfigError> {
    if r.peek() != Some(b'[') {
        return Err(wrong(r, key, "a list of texts"));
    }
    let mut out = Vec::new();
    let mut problem = None;
    r.array(|r, i| {
        match text(r, &[key, "[", &i.digits(), "]"].concat()) {
            Ok(t) => out.push(t),
            Err(e) => problem = Some(e),
        }
        if problem.is_some() { Err(json::JsonError(String::new())) } else { Ok(()) }
    })
    .map_err(|e| problem.take().unwrap_or_else(|| broken(key, e)))?;
    Ok(out)
}

/// Reads an object at `key`, each field by `field` (which answers false for
/// a name it does not know: that is refused, naming what is known).
fn object(r: &mut Reader, key: &str, known: &str, field: &mut dyn FnMut(&mut Reader, &str, &str) -> Result<bool, ConfigError>) -> Result<(), ConfigError> {
    if r.peek() != Some(b'{') {
        return Err(wrong(r, key, "an object"));
    }
    let mut problem = None;
    let at = |name: &str| if key == TOP { name.to_owned() } else { [key, ".", name].concat() };
    r.object(|r, name| {
        let path = at(&name);
        match field(r, &name, &path) {
            Ok(true) => return Ok(()),
            Ok(false) => problem = Some(err(path, ["unknown field \"", &name, "\"; the fields are ", known].concat())),
            Err(e) => problem = Some(e),
        }
        Err(json::JsonError(String::new()))
    })
    .map_err(|e| problem.take().unwrap_or_else(|| broken(key, e)))
}

/// An object of texts at `key` (defaults, one language's labels).
fn map_of_texts(r: &mut Reader, key: &str) -> Result<Map<String>, ConfigError> {
    let mut out = Map::new();
    object(r, key, "any", &mut |r, name, path| {
        out.insert(name.to_owned(), text(r, path)?);
        Ok(true)
    })?;
    Ok(out)
}

/// A list of objects at `key`, each read by `item` at `key[i]`.
fn list_of<T>(r: &mut Reader, key: &str, item: fn(&mut Reader, &str) -> Result<T, ConfigError>) -> Result<Vec<T>, ConfigError> {
    if r.peek() != Some(b'[') {
        return Err(wrong(r, key, "a list"));
    }
    let mut out = Vec::new();
    let mut problem = None;
    r.array(|r, i| {
        match item(r, &[key, "[", &i.digits(), "]"].concat()) {
            Ok(t) => out.push(t),
            Err(e) => problem = Some(e),
        }
        if problem.is_some() { Err(json::JsonError(String::new())) } else { Ok(()) }
    })
    .map_err(|e| problem.take().unwrap_or_else(|| broken(key, e)))?;
    Ok(out)
}

#[cfg(not(all(any(feature = "agreement", feature = "document"), any(feature = "feedback", feature = "history"))))]
fn skipped(r: &mut Reader, key: &str) -> Result<(), ConfigError> {
    r.skip().map_err(|e| broken(key, e))
}

#[cfg(any(feature = "agreement", feature = "document"))]
fn read_clause(r: &mut Reader, key: &str) -> Result<Clause, ConfigError> {
    let mut c = Clause::default();
    object(r, key, "id, title, text, required", &mut |r, name, path| {
        match name {
            "id" => c.id = text(r, path)?,
            "title" => c.title = text(r, path)?,
            "text" => c.text = text(r, path)?,
            "required" => c.required = flag(r, path)?,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(c)
}

#[cfg(any(feature = "feedback", feature = "history"))]
fn read_question(r: &mut Reader, key: &str) -> Result<Question, ConfigError> {
    let mut q = Question::default();
    object(r, key, "id, kind, label, help, options, required, form, audience, scale", &mut |r, name, path| {
        match name {
            "id" => q.id = text(r, path)?,
            "kind" => q.kind = text(r, path)?,
            "label" => q.label = text(r, path)?,
            "help" => q.help = text(r, path)?,
            "options" => q.options = texts(r, path)?,
            "required" => q.required = flag(r, path)?,
            "form" => q.form = text(r, path)?,
            "audience" => q.audience = text(r, path)?,
            "scale" => q.scale = texts(r, path)?,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(q)
}

impl json::FromJson for Programme {
    /// Reads a configuration without checking it against a form (see
    /// [`Programme::from_json`], which does).
    fn read(r: &mut Reader) -> json::Result<Programme> {
        read_programme(r).map_err(|e| json::JsonError(e.message()))
    }
}

fn read_programme(r: &mut Reader) -> Result<Programme, ConfigError> {
    let mut p = Programme::default();
    let known = "name, contact, defaults, locked, hidden, required, clauses, questions, quick, labels";
    object(r, TOP, known, &mut |r, name, path| {
        match name {
            "name" => p.name = text(r, path)?,
            "contact" => p.contact = text(r, path)?,
            "defaults" => p.defaults = map_of_texts(r, path)?,
            "locked" => p.locked = texts(r, path)?,
            "hidden" => p.hidden = texts(r, path)?,
            "required" => p.required = texts(r, path)?,
            #[cfg(any(feature = "agreement", feature = "document"))]
            "clauses" => p.clauses = list_of(r, path, read_clause)?,
            // A module holds only its own widget's settings; the other
            // widget's are refused as its check would refuse them.
            #[cfg(not(any(feature = "agreement", feature = "document")))]
            "clauses" if !list_of(r, path, skipped)?.is_empty() => return Err(err(path, "only the agreement takes clauses")),
            #[cfg(any(feature = "feedback", feature = "history"))]
            "questions" => p.questions = list_of(r, path, read_question)?,
            #[cfg(not(any(feature = "feedback", feature = "history")))]
            "questions" if !list_of(r, path, skipped)?.is_empty() => return Err(err(path, "only the feedback form takes questions")),
            #[cfg(any(feature = "feedback", feature = "history"))]
            "quick" => p.quick = Some(texts(r, path)?),
            #[cfg(not(any(feature = "feedback", feature = "history")))]
            "quick" => {
                texts(r, path)?;
                return Err(err(path, "only the feedback form has a quick part"));
            }
            #[cfg(not(any(feature = "agreement", feature = "document")))]
            "clauses" => {}
            #[cfg(not(any(feature = "feedback", feature = "history")))]
            "questions" => {}
            "labels" => {
                object(r, path, "language codes", &mut |r, language, at| {
                    let texts = map_of_texts(r, at)?;
                    p.labels.insert(language.to_owned(), texts);
                    Ok(true)
                })?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(p)
}

/// 1 to 40 ASCII letters, digits or `-`.
fn is_id(id: &str) -> bool {
    (1..=40).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Checks a value a programme gives a field.
fn check_value(field: &Field, value: &str) -> Result<(), String> {
    if value.chars().count() > field.max_len {
        return Err(["longer than ", &field.max_len.digits(), " characters"].concat());
    }
    match field.kind {
        FieldKind::Choice(options) if !options.iter().any(|(o, _)| *o == value) => {
            let names: Vec<_> = options.iter().map(|(o, _)| *o).collect();
            Err(["\"", value, "\" is not one of: ", &names.join(", ")].concat())
        }
        FieldKind::Number { min, max } => match value.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(()),
            _ => Err(["give a whole number from ", &min.digits(), " to ", &max.digits()].concat()),
        },
        FieldKind::Multi(options) if !value.split(super::form::MULTI_SEPARATOR).all(|v| options.iter().any(|(o, _)| *o == v)) => {
            let names: Vec<_> = options.iter().map(|(o, _)| *o).collect();
            Err(["\"", value, "\" holds a value that is not one of: ", &names.join(", ")].concat())
        }
        FieldKind::Date if super::date::parse(value).is_none() => Err("give a date as YYYY-MM-DD".into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::agreement::SCHEMA;

    fn parse(json: &str) -> Result<Programme, ConfigError> {
        Programme::from_json(json, &SCHEMA)
    }

    #[test]
    fn accepts_a_full_configuration() {
        let p = parse(r#"{"name":"Harbourlight","contact":"m@h.example","defaults":{"meet.cadence":"30-fortnightly","goals":"2"},
            "locked":["meet.cadence"],"hidden":["boundaries"],"required":["mentee.contact"],
            "clauses":[{"id":"photos","title":"Photos","text":"No photos.","required":true}]}"#).unwrap();
        assert!(p.is_locked("programme.name") && p.is_locked("meet.cadence") && !p.is_locked("mentee.name"));
        assert_eq!(p.default_for("programme.name"), Some("Harbourlight"));
        assert!(!p.shows("boundaries"));
    }

    #[test]
    fn names_the_bad_key_and_why() {
        let cases = [
            (r#"{"defaults":{"meet.cadense":"x"}}"#, "defaults.meet.cadense", "no field"),
            (r#"{"defaults":{"meet.cadence":"weekly"}}"#, "defaults.meet.cadence", "not one of"),
            (r#"{"defaults":{"meet.agendaDays":"99"}}"#, "defaults.meet.agendaDays", "0 to 30"),
            (r#"{"defaults":{"term.start":"01/02/2027"}}"#, "defaults.term.start", "YYYY-MM-DD"),
            (r#"{"locked":["nope"]}"#, "locked[0]", "no field"),
            (r#"{"hidden":["review"]}"#, "hidden[0]", "cannot be hidden"),
            (r#"{"hidden":["elsewhere"]}"#, "hidden[0]", "no step"),
            (r#"{"clauses":[{"id":"a b","title":"t","text":"x"}]}"#, "clauses[0].id", "letters"),
            (r#"{"clauses":[{"id":"a","title":"t","text":"x"},{"id":"a","title":"t","text":"x"}]}"#, "clauses[1].id", "earlier"),
            (r#"{"clauses":[{"id":"a","title":"","text":"x"}]}"#, "clauses[0].title", "title"),
        ];
        for (json, key, why) in cases {
            let e = parse(json).unwrap_err();
            assert_eq!(e.key, key, "{json}");
            assert!(e.reason.contains(why), "{json}: {}", e.reason);
        }
    }

    #[test]
    fn unknown_top_level_keys_and_wrong_types_are_named() {
        let e = parse(r#"{"nmae":"x"}"#).unwrap_err();
        assert!(e.reason.contains("nmae"), "{e}");
        assert!(parse("not json").is_err());
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_key_and_what_was_expected() {
        let cases = [
            (r#"{"name":"H","locked":"meet.cadence"}"#, "locked", "expected a list"),
            (r#"{"clauses":[{"id":"a","title":"t","text":"x","required":"yes"}]}"#, "clauses[0].required", "true or false"),
            (r#"{"hidden":42}"#, "hidden", "expected a list"),
            (r#"{"hidden":["review",42]}"#, "hidden[1]", "found a number"),
            (r#"{"defaults":{"meet.cadence":7}}"#, "defaults.meet.cadence", "expected a text"),
            (r#"{"labels":{"es":{"Next":false}}}"#, "labels.es.Next", "found true or false"),
            (r#"{"clauses":[{"id":"a","titel":"t"}]}"#, "clauses[0].titel", "the fields are id, title, text, required"),
            (r#"{"locked":"meet.cadence"}"#, "locked", "found the text \"meet.cadence\""),
            (r#"{"name":"H""#, "(configuration)", "ends too early"),
            (r#"["name"]"#, "(configuration)", "expected an object"),
        ];
        for (json, key, why) in cases {
            let e = parse(json).unwrap_err();
            assert_eq!(e.key, key, "{json}: {e}");
            assert!(e.reason.contains(why), "{json}: {}", e.reason);
            assert!(!e.reason.contains("line 1"), "{json}: {}", e.reason);
        }
    }
}
