//! Descriptions of the forms the widgets draw, and the data they fill.
//!
//! A form is a list of steps; a step holds groups (drawn as fieldsets) of
//! fields. Each field has a stable path such as `mentee.name`. The data is a
//! flat map from path to text ([`Values`]), which is what is stored, exported
//! and sent: one shape for every form, cheap to (de)serialise, and the same
//! paths a programme uses to set defaults, lock or require fields.
//!
//! A repeated group (the goals) uses `#` in its paths: `goal.#.what` is stored
//! as `goal.1.what`, `goal.2.what`, …

use crate::i18n::Key;
use super::num::Digits;

/// What kind of control a field is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// An email address or phone number: one line, no spell-checking.
    Contact,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A time of day, `HH:MM`.
    Time,
    /// A whole number between `min` and `max`.
    Number {
        /// Smallest accepted.
        min: u32,
        /// Largest accepted.
        max: u32,
    },
    /// Several lines of text.
    LongText,
    /// One choice among fixed options, drawn as a radio group.
    Choice(&'static [(&'static str, Key)]),
    /// Any number of fixed options, drawn as checkboxes and stored as the
    /// chosen values joined by [`MULTI_SEPARATOR`].
    Multi(&'static [(&'static str, Key)]),
}

/// What separates the values chosen in a [`FieldKind::Multi`] field.
pub const MULTI_SEPARATOR: char = ';';

/// Where a new form's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Initial {
    /// Empty.
    Empty,
    /// A message of the catalogue, in the form's language.
    Text(Key),
    /// A fixed value (an option of a choice, a number).
    Value(&'static str),
}

/// Who may read a field's answer. Every field has exactly one audience, and
/// every output (a shared copy, an event or `value` for the host, a request to
/// the programme) is made by asking it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Only the person answering: kept on this device, never in an event,
    /// `value`, a request, or a copy for anyone else.
    Me,
    /// The programme: sent to its endpoint and given to the host page, never
    /// in the copy meant for the partner.
    Programme,
    /// Both people in the pair (and so the programme too).
    Pair,
}

/// Who an output is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// The person on this device: their full copy and their history.
    Me,
    /// The programme, and the host page that embeds the widget: events,
    /// `value`, requests to the endpoint.
    Programme,
    /// The partner: the shared copy.
    Partner,
}

impl Audience {
    /// Whether `reader` may read an answer of this audience.
    pub fn reaches(self, reader: Reader) -> bool {
        match (self, reader) {
            (_, Reader::Me) => true,
            (Audience::Me, _) => false,
            (Audience::Programme, Reader::Partner) => false,
            _ => true,
        }
    }

    /// The name a programme configuration uses.
    pub fn name(self) -> &'static str {
        match self {
            Audience::Me => "private",
            Audience::Programme => "programme",
            Audience::Pair => "shared",
        }
    }
}

/// One field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// Stable path, e.g. `mentee.name`.
    pub path: &'static str,
    /// Its label.
    pub label: Key,
    /// Help shown under the label, if any.
    pub help: Option<Key>,
    /// The control.
    pub kind: FieldKind,
    /// The `autocomplete` token, if one fits.
    pub autocomplete: Option<&'static str>,
    /// The longest value accepted, in characters.
    pub max_len: usize,
    /// Must be filled in.
    pub required: bool,
    /// The value of a new form.
    pub initial: Initial,
    /// Shown (and validated) only while these conditions hold: the field at
    /// `.0` has a value `.1` allows (see [`holds`]).
    pub when: [Option<(&'static str, &'static str)>; 2],
    /// Who may read the answer.
    pub audience: Audience,
}

impl Field {
    /// An optional one-line text field.
    pub const fn text(path: &'static str, label: Key) -> Field {
        Field {
            path,
            label,
            help: None,
            kind: FieldKind::Text,
            autocomplete: None,
            max_len: 200,
            required: false,
            initial: Initial::Empty,
            when: [None, None],
            audience: Audience::Pair,
        }
    }

    /// A several-line text field, up to 4,000 characters.
    pub const fn long(path: &'static str, label: Key) -> Field {
        Field { kind: FieldKind::LongText, max_len: 4000, ..Field::text(path, label) }
    }

    /// A radio group.
    pub const fn choice(path: &'static str, label: Key, options: &'static [(&'static str, Key)]) -> Field {
        Field { kind: FieldKind::Choice(options), max_len: 40, ..Field::text(path, label) }
    }

    /// The same field with help text.
    pub const fn help(mut self, help: Key) -> Field {
        self.help = Some(help);
        self
    }

    /// The same field as another kind of control.
    pub const fn kind(mut self, kind: FieldKind) -> Field {
        self.kind = kind;
        self
    }

    /// The same field, read only by the person answering.
    pub const fn only_me(mut self) -> Field {
        self.audience = Audience::Me;
        self
    }

    /// The same field, read by the programme but not by the partner.
    pub const fn for_programme(mut self) -> Field {
        self.audience = Audience::Programme;
        self
    }

    /// The same field with an `autocomplete` token.
    pub const fn autocomplete(mut self, token: &'static str) -> Field {
        self.autocomplete = Some(token);
        self
    }

    /// The same field, required.
    pub const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// The same field, starting with a catalogue text.
    pub const fn initial(mut self, text: Key) -> Field {
        self.initial = Initial::Text(text);
        self
    }

    /// The same field, starting with a fixed value.
    pub const fn value(mut self, value: &'static str) -> Field {
        self.initial = Initial::Value(value);
        self
    }

    /// The same field, shown only while `path` holds `value` (and any
    /// condition given before): `"a"`, `"a|b"` for either, `"!a"` for
    /// anything but `a`.
    pub const fn when(mut self, path: &'static str, value: &'static str) -> Field {
        if self.when[0].is_none() {
            self.when[0] = Some((path, value));
        } else {
            self.when[1] = Some((path, value));
        }
        self
    }

    /// Whether the field's visibility depends on the field at `path`.
    pub fn depends_on(&self, path: &str) -> bool {
        self.when.iter().flatten().any(|(p, _)| *p == path)
    }

    /// A set of checkboxes.
    pub const fn multi(path: &'static str, label: Key, options: &'static [(&'static str, Key)]) -> Field {
        Field { kind: FieldKind::Multi(options), max_len: 400, ..Field::text(path, label) }
    }
}

/// A group that repeats (the goals): how many there are is stored at `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repeat {
    /// Path holding the number of items.
    pub count: &'static str,
    /// At least this many.
    pub min: usize,
    /// At most this many.
    pub max: usize,
    /// The legend of one item, with `{n}`.
    pub item: Key,
    /// The button that adds one.
    pub add: Key,
    /// The button that removes one.
    pub remove: Key,
    /// Where each item's legend is kept (`goal.#.title`), when it is not
    /// `item`.
    pub title: Option<&'static str>,
    /// Items come from elsewhere (the linked agreement's goals) and cannot be
    /// added or removed.
    pub fixed: bool,
}

/// Fields drawn together under a legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    /// The fieldset's legend; `None` draws the fields without a fieldset.
    pub legend: Option<Key>,
    /// Its fields.
    pub fields: &'static [Field],
    /// Set when the group repeats.
    pub repeat: Option<Repeat>,
}

impl Group {
    /// A group under `legend`.
    pub const fn new(legend: Key, fields: &'static [Field]) -> Group {
        Group { legend: Some(legend), fields, repeat: None }
    }

    /// Fields drawn without a fieldset (the step's heading names them).
    pub const fn plain(fields: &'static [Field]) -> Group {
        Group { legend: None, fields, repeat: None }
    }
}

/// One step of a guided form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Stable id, e.g. `parties`; a programme hides a step by this id.
    pub id: &'static str,
    /// Heading.
    pub title: Key,
    /// A sentence under the heading.
    pub intro: Option<Key>,
    /// Its groups.
    pub groups: &'static [Group],
}

/// Data a form can read and write by field path.
pub trait Form {
    /// The current value of the field at `path` (empty when unset).
    fn get(&self, path: &str) -> &str;
    /// Sets the field at `path`.
    fn set(&mut self, path: &str, value: String);
}

pub use super::values::Values;

impl Form for Values {
    fn get(&self, path: &str) -> &str {
        Values::get(self, path)
    }

    fn set(&mut self, path: &str, value: String) {
        Values::set(self, path, value)
    }
}

impl Values {
    /// How many items a repeated group has (at least `min`).
    pub fn count(&self, repeat: &Repeat) -> usize {
        self.get(repeat.count).parse::<usize>().unwrap_or(repeat.min).clamp(repeat.min, repeat.max)
    }
}

/// The concrete paths of `field` in `values`: itself, or one per item of a
/// repeated group.
pub fn paths(field: &Field, group: &Group, values: &Values) -> Vec<String> {
    match &group.repeat {
        Some(repeat) => (1..=values.count(repeat)).map(|n| item_path(field.path, n)).collect(),
        None => vec![field.path.to_owned()],
    }
}

/// A new form's values: each field's starting value (in a repeated group,
/// for the items the group starts with), then the programme's `defaults`.
pub fn starting_values(steps: &[Step], locale: crate::i18n::Locale, defaults: &super::texts::Map<String>) -> Values {
    let mut values = Values::default();
    for group in steps.iter().flat_map(|s| s.groups) {
        let items = group.repeat.map_or(1, |r| r.min.min(1));
        for field in group.fields {
            let initial = match field.initial {
                Initial::Empty => continue,
                Initial::Text(key) => crate::i18n::text(locale, key).to_owned(),
                Initial::Value(value) => value.to_owned(),
            };
            for n in 1..=items {
                values.set(&item_path(field.path, n), initial.clone());
            }
        }
    }
    for (path, value) in defaults {
        values.set(path, value.clone());
    }
    values
}

/// Adds an item, with its fields' fixed starting values, to the repeated
/// `group`; returns its number, or `None` at the maximum.
pub fn add_item(values: &mut Values, group: &Group) -> Option<usize> {
    let repeat = group.repeat?;
    let n = values.count(&repeat) + 1;
    if n > repeat.max {
        return None;
    }
    values.set(repeat.count, n.digits());
    for field in group.fields {
        if let Initial::Value(value) = field.initial {
            values.set(&item_path(field.path, n), value.to_owned());
        }
    }
    Some(n)
}

/// Removes item `n` (from 1) of the repeated `group`, moving later items up;
/// false when there is no such item or no fewer are allowed.
pub fn remove_item(values: &mut Values, group: &Group, n: usize) -> bool {
    let Some(repeat) = group.repeat else { return false };
    let count = values.count(&repeat);
    if count <= repeat.min || n == 0 || n > count {
        return false;
    }
    for i in n..count {
        for field in group.fields {
            let next = values.get(&item_path(field.path, i + 1)).to_owned();
            values.set(&item_path(field.path, i), next);
        }
    }
    for field in group.fields {
        values.set(&item_path(field.path, count), String::new());
    }
    values.set(repeat.count, (count - 1).digits());
    true
}

/// Where a concrete path's field is in a form.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    /// The step.
    pub step: &'a Step,
    /// The group.
    pub group: &'a Group,
    /// The field.
    pub field: &'a Field,
    /// In a repeated group, the item number (from 1); 0 otherwise.
    pub item: usize,
}

/// The field a concrete path is an answer to: `goal.2.what` is item 2 of
/// `goal.#.what` (up to the group's maximum), while `review.1` is only ever
/// the field of that very path. Paths no field has answer `None`.
pub fn place<'a>(steps: &'a [Step], path: &str) -> Option<Place<'a>> {
    for step in steps {
        for group in step.groups {
            for field in group.fields {
                let item = match group.repeat {
                    None if field.path == path => 0,
                    Some(repeat) => match item_of(field.path, path).filter(|n| (1..=repeat.max).contains(n)) {
                        Some(n) => n,
                        None => continue,
                    },
                    None => continue,
                };
                return Some(Place { step, group, field, item });
            }
        }
    }
    None
}

/// The field `path` is an answer to, with its group and item number (see
/// [`place`]).
pub fn field_at<'a>(steps: &'a [Step], path: &str) -> Option<(&'a Group, &'a Field, usize)> {
    place(steps, path).map(|p| (p.group, p.field, p.item))
}

/// The item number `path` has in `pattern` (`goal.#.what`), if it fits.
fn item_of(pattern: &str, path: &str) -> Option<usize> {
    let (before, after) = pattern.split_once('#')?;
    let digits = path.strip_prefix(before)?.strip_suffix(after)?;
    if digits.is_empty() || digits.len() > 4 || digits.starts_with("0") || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whether `path` is the field `pattern` (`notes`), or one of its items
/// (`goal.2.what` of `goal.#.what`).
pub fn same_field(path: &str, pattern: &str) -> bool {
    path == pattern || item_of(pattern, path).is_some()
}

/// `goal.#.what` for item `n`.
pub fn item_path(pattern: &str, n: usize) -> String {
    pattern.replacen('#', &n.digits(), 1)
}

/// The pattern a concrete path belongs to: `goal.2.what` → `goal.#.what`.
pub fn pattern_of(path: &str) -> String {
    path.split('.')
        .map(|part| if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) { "#" } else { part })
        .collect::<Vec<_>>()
        .join(".")
}

/// Whether `field` is shown for `values` (its conditions hold).
pub fn shown(field: &Field, values: &Values) -> bool {
    field.when.iter().flatten().all(|(path, expected)| holds(values.get(path), expected))
}

/// Whether `actual` satisfies `expected`: one value, alternatives `a|b`, or
/// `!a|b` for none of them.
pub fn holds(actual: &str, expected: &str) -> bool {
    match expected.strip_prefix("!") {
        Some(rest) => !rest.split('|').any(|v| v == actual),
        None => expected.split('|').any(|v| v == actual),
    }
}

/// Cuts `value` to at most `max` characters, on a character boundary.
pub fn clamp(mut value: String, max: usize) -> String {
    if let Some((at, _)) = value.char_indices().nth(max) {
        value.truncate(at);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp_counts_characters_not_bytes() {
        assert_eq!(clamp("ñandú".into(), 3), "ñan");
        assert_eq!(clamp("ab".into(), 3), "ab");
    }

    #[test]
    fn empty_values_are_not_kept() {
        let mut v = Values::default();
        v.set("a", "x".into());
        v.set("a", String::new());
        assert!(v.is_empty());
    }

    #[test]
    fn a_path_finds_its_own_field_and_items_find_their_pattern() {
        const FIELDS: &[Field] = &[Field::text("review.1", Key::Dismiss), Field::text("review.how", Key::Dismiss)];
        const ITEMS: &[Field] = &[Field::text("goal.#.what", Key::Dismiss)];
        const REPEAT: Repeat = Repeat { count: "goals", min: 1, max: 5, item: Key::Dismiss, add: Key::Dismiss, remove: Key::Dismiss, title: None, fixed: false };
        const STEPS: &[Step] = &[Step { id: "s", title: Key::Dismiss, intro: None, groups: &[Group::plain(FIELDS), Group { legend: None, fields: ITEMS, repeat: Some(REPEAT) }] }];
        assert_eq!(field_at(STEPS, "review.1").map(|(_, f, n)| (f.path, n)), Some(("review.1", 0)), "a numbered single field");
        assert!(field_at(STEPS, "review.2").is_none());
        assert_eq!(field_at(STEPS, "goal.5.what").map(|(_, f, n)| (f.path, n)), Some(("goal.#.what", 5)));
        for bad in ["goal.6.what", "goal.0.what", "goal.01.what", "goal..what", "goal.x.what", "goal.#.what"] {
            assert!(field_at(STEPS, bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn patterns_and_items() {
        assert_eq!(pattern_of("goal.12.what"), "goal.#.what");
        assert_eq!(pattern_of("mentee.name"), "mentee.name");
        assert_eq!(item_path("goal.#.what", 3), "goal.3.what");
    }

    #[test]
    fn conditions_allow_alternatives_and_negation_and_must_all_hold() {
        assert!(holds("a", "a") && holds("b", "a|b") && !holds("c", "a|b"));
        assert!(holds("c", "!a|b") && !holds("a", "!a|b") && holds("", "!a"));
        let f = Field::text("x", Key::Dismiss).when("s", "held").when("r", "mentee");
        let mut v = Values::default();
        v.set("s", "held".into());
        assert!(!shown(&f, &v));
        v.set("r", "mentee".into());
        assert!(shown(&f, &v));
    }

    #[test]
    fn counts_are_clamped() {
        let r = Repeat { count: "goals", min: 1, max: 5, item: Key::Dismiss, add: Key::Dismiss, remove: Key::Dismiss, title: None, fixed: false };
        let mut v = Values::default();
        assert_eq!(v.count(&r), 1);
        v.set("goals", "9".into());
        assert_eq!(v.count(&r), 5);
        v.set("goals", "x".into());
        assert_eq!(v.count(&r), 1);
    }
}
