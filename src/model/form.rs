//! Descriptions of the forms the widgets draw.
//!
//! A form is a list of steps; a step holds groups (drawn as fieldsets) of
//! fields. Each field has a stable path such as `mentee.name`, by which the
//! data is read and written ([`Form`]), validated, and configured by a
//! programme.

use crate::i18n::Key;

/// What kind of control a field is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// An email address or phone number: one line, no spell-checking.
    Contact,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// Several lines of text.
    LongText,
    /// One choice among fixed options, drawn as a radio group.
    Choice(&'static [(&'static str, Key)]),
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
}

impl Field {
    /// A one-line text field.
    pub const fn text(path: &'static str, label: Key) -> Field {
        Field { path, label, help: None, kind: FieldKind::Text, autocomplete: None, max_len: 200 }
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

    /// The same field with an `autocomplete` token.
    pub const fn autocomplete(mut self, token: &'static str) -> Field {
        self.autocomplete = Some(token);
        self
    }
}

/// Fields drawn together under a legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    /// The fieldset's legend; `None` draws the fields without a fieldset.
    pub legend: Option<Key>,
    /// Its fields.
    pub fields: &'static [Field],
}

/// One step of a guided form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Stable id, e.g. `parties`.
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
    /// The current value of the field at `path` (empty when unset or unknown).
    fn get(&self, path: &str) -> &str;
    /// Sets the field at `path`; returns false when no such field exists.
    fn set(&mut self, path: &str, value: String) -> bool;
}

/// Implements [`Form`] for a struct from a list of `"path" => field.path`.
#[macro_export]
macro_rules! form_paths {
    ($ty:ty { $($path:literal => $($field:ident).+),* $(,)? }) => {
        impl $crate::model::form::Form for $ty {
            fn get(&self, path: &str) -> &str {
                match path {
                    $($path => &self.$($field).+,)*
                    _ => "",
                }
            }

            fn set(&mut self, path: &str, value: String) -> bool {
                match path {
                    $($path => self.$($field).+ = value,)*
                    _ => return false,
                }
                true
            }
        }
    };
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
}
