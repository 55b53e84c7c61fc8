//! The mentoring agreement.

use super::form::{Field, FieldKind, Group, Step};
use crate::i18n::Key;
use serde::{Deserialize, Serialize};

/// A person named in the agreement.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Person {
    /// Full name.
    pub name: String,
    /// Email address or phone number.
    pub contact: String,
}

/// The programme the pair belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProgrammeRef {
    /// The programme's name.
    pub name: String,
    /// Who to contact at the programme.
    pub contact: String,
}

/// A mentoring agreement, as far as it has been filled in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Agreement {
    /// The mentee.
    pub mentee: Person,
    /// The mentor.
    pub mentor: Person,
    /// The programme.
    pub programme: ProgrammeRef,
}

const PERSON_FIELDS_MENTEE: &[Field] = &[
    Field::text("mentee.name", Key::FullName).autocomplete("name"),
    Field::text("mentee.contact", Key::Contact).help(Key::ContactHelp).kind(FieldKind::Contact).autocomplete("email"),
];
const PERSON_FIELDS_MENTOR: &[Field] = &[
    Field::text("mentor.name", Key::FullName).autocomplete("off"),
    Field::text("mentor.contact", Key::Contact).kind(FieldKind::Contact).autocomplete("off"),
];
const PROGRAMME_FIELDS: &[Field] = &[
    Field::text("programme.name", Key::ProgrammeName).autocomplete("organization"),
    Field::text("programme.contact", Key::ProgrammeContact).kind(FieldKind::Contact).autocomplete("off"),
];

/// The steps of the agreement builder.
pub const STEPS: &[Step] = &[Step {
    id: "parties",
    title: Key::StepParties,
    intro: Some(Key::StepPartiesIntro),
    groups: &[
        Group { legend: Some(Key::Mentee), fields: PERSON_FIELDS_MENTEE },
        Group { legend: Some(Key::Mentor), fields: PERSON_FIELDS_MENTOR },
        Group { legend: Some(Key::Programme), fields: PROGRAMME_FIELDS },
    ],
}];

crate::form_paths!(Agreement {
    "mentee.name" => mentee.name,
    "mentee.contact" => mentee.contact,
    "mentor.name" => mentor.name,
    "mentor.contact" => mentor.contact,
    "programme.name" => programme.name,
    "programme.contact" => programme.contact,
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::form::Form;

    #[test]
    fn every_field_of_every_step_reads_back_what_was_set() {
        let mut a = Agreement::default();
        for step in STEPS {
            for group in step.groups {
                for field in group.fields {
                    assert!(a.set(field.path, format!("v:{}", field.path)), "{} not settable", field.path);
                    assert_eq!(a.get(field.path), format!("v:{}", field.path));
                }
            }
        }
        assert!(!a.set("nope", "x".into()));
    }

    #[test]
    fn reads_partial_data_with_defaults() {
        let a: Agreement = crate::model::json::parse(r#"{"mentee":{"name":"Ana"}}"#).unwrap();
        assert_eq!(a.mentee.name, "Ana");
        assert_eq!(a.mentor, Person::default());
    }
}
