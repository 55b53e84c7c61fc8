//! JSON Schemas (draft 2020-12) of what is sent to an endpoint, one per kind
//! of record, made from the same form descriptions the widgets draw. The
//! files in `schemas/` are written from here and a test keeps them current,
//! so the published contract cannot drift from what the widgets send.

use super::delivery::{KINDS, SCHEMA};
use super::form::{Field, FieldKind, Step};
use serde_json::{json, Map, Value};

/// The schema of a record of `kind` (`agreement`, `session`, `checkin`,
/// `closing`), or `None` for an unknown kind.
pub fn record(kind: &str) -> Option<Value> {
    if !KINDS.contains(&kind) {
        return None;
    }
    let steps: Vec<&Step> = if kind == "agreement" {
        super::agreement::STEPS.iter().collect()
    } else {
        super::feedback::STEPS.iter().filter(|s| matches!(s.id, "common" | "notes") || s.id == kind).collect()
    };
    let mut properties = Map::new();
    let mut patterns = Map::new();
    for group in steps.iter().flat_map(|s| s.groups) {
        if let Some(repeat) = group.repeat {
            properties.insert(repeat.count.into(), json!({ "type": "string", "pattern": "^[0-9]+$" }));
        }
        for field in group.fields.iter().filter(|f| f.audience != super::form::Audience::Me) {
            if field.path.contains('#') {
                patterns.insert(path_pattern(field.path), value(field));
            } else {
                properties.insert(field.path.into(), value(field));
            }
        }
    }
    if kind == "agreement" {
        // Signatures (the typed name, the confirmation, when, and the
        // fingerprint of what was signed), and the programme's own clauses.
        patterns.insert(r"^sign\.(mentee|mentor|guardian)\.(name|at|fingerprint)$".into(), json!({ "type": "string", "maxLength": 200 }));
        patterns.insert(r"^clause\.[A-Za-z0-9_-]{1,40}$".into(), json!({ "type": "string", "maxLength": 40 }));
    } else {
        // Earlier action points marked done or carried forward.
        patterns.insert(r"^open\.[0-9]+\.[0-9]+$".into(), json!({ "enum": ["carry", "done"] }));
        properties.insert("kind".into(), json!({ "const": kind }));
        // Set by the form: the first session of the pairing, and the goals of
        // the linked agreement that progress is asked about.
        properties.insert("first".into(), json!({ "const": "yes" }));
        patterns.insert(r"^goal\.[0-9]+\.title$".into(), json!({ "type": "string", "maxLength": 400 }));
    }
    // Questions a programme adds.
    patterns.insert(r"^q\.[A-Za-z0-9_-]{1,40}$".into(), json!({ "type": "string", "maxLength": 4000 }));
    let mut data = json!({
        "type": "object",
        "description": "The answers, by field path; every value is text. Private fields never appear.",
        "properties": properties,
        "patternProperties": patterns,
        "additionalProperties": false,
    });
    if kind != "agreement" {
        data["required"] = json!(["kind", "date"]);
    }
    let id = ["record.", kind, ".schema.json"].concat();
    let title = ["mentorkit record: ", kind].concat();
    Some(json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": id,
        "title": title,
        "description": "One record as a mentorkit widget sends it to a programme's endpoint (POST, application/json). The same record version is always sent with the same Idempotency-Key header.",
        "type": "object",
        "required": ["schema", "version", "id", "kind", "recordVersion", "created", "submitted", "data"],
        "additionalProperties": false,
        "properties": {
            "schema": { "const": SCHEMA },
            "version": { "enum": [1, 2], "description": "2 for a record that says whom it concerns (about); 1, without about, is still accepted." },
            "id": { "type": "string", "pattern": "^[A-Za-z0-9-]{1,100}$", "description": "Stable across the record's versions." },
            "kind": { "const": kind },
            "recordVersion": { "type": "integer", "minimum": 1, "description": "1 for the original; each amendment adds one." },
            "created": { "type": "string", "format": "date-time", "description": "When the first version was submitted." },
            "submitted": { "type": "string", "format": "date-time", "description": "When this version was submitted." },
            "data": data,
            "about": about(kind),
        },
        "if": { "properties": { "version": { "const": 2 } } },
        "then": { "required": ["about"] },
        "else": { "not": { "required": ["about"] } }
    }))
}

/// Whom a record concerns (version 2).
fn about(kind: &str) -> Value {
    let (agreement, fingerprint) = if kind == "agreement" {
        ("This agreement's own record id.", "The SHA-256 fingerprint of this agreement's content, the one its session records carry.")
    } else {
        ("The record id of the agreement the record belongs to.", "The SHA-256 fingerprint of that agreement's content.")
    };
    let properties = json!({
        "pair": { "type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$", "description": "The pair's id: from the person's invitation, or made by the agreement when it was first saved." },
        "role": { "enum": ["mentee", "mentor"], "description": "Which of the two sent the record (an agreement, signed by both, need not say)." },
        "agreement": { "type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$", "description": agreement },
        "fingerprint": { "type": "string", "pattern": "^[0-9a-f]{64}$", "description": fingerprint },
    });
    let required = if kind == "agreement" { vec!["pair"] } else { vec!["pair", "role"] };
    let about = json!({
        "type": "object",
        "description": "Whom the record concerns.",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
        "dependentRequired": { "agreement": ["fingerprint"], "fingerprint": ["agreement"] },
    });
    about
}

/// `goal.#.what` as a pattern over `goal.1.what`, `goal.2.what`, …
fn path_pattern(path: &str) -> String {
    let escaped: Vec<String> = path.split('#').map(|part| part.replace('.', r"\.")).collect();
    ["^", &escaped.join("[0-9]+"), "$"].concat()
}

fn value(field: &Field) -> Value {
    let limit = field.max_len.max(1);
    match field.kind {
        FieldKind::Date => json!({ "type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }),
        FieldKind::Time => json!({ "type": "string", "pattern": r"^[0-9]{2}:[0-9]{2}$" }),
        FieldKind::Number { .. } => json!({ "type": "string", "pattern": "^[0-9]+$" }),
        FieldKind::Choice(options) => json!({ "enum": options.iter().map(|(v, _)| *v).collect::<Vec<_>>() }),
        FieldKind::Multi(options) => {
            let one = options.iter().map(|(v, _)| *v).collect::<Vec<_>>().join("|");
            json!({ "type": "string", "pattern": format!("^({one})(;({one}))*$") })
        }
        FieldKind::Text | FieldKind::Contact | FieldKind::LongText => json!({ "type": "string", "maxLength": limit }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_schema_that_refuses_private_fields() {
        for kind in KINDS {
            let s = record(kind).unwrap();
            assert_eq!(s["properties"]["kind"]["const"], *kind);
            assert_eq!(s["properties"]["data"]["additionalProperties"], false);
            assert!(s["properties"]["data"]["properties"].get("private.note").is_none());
        }
        assert!(record("party").is_none());
        assert_eq!(path_pattern("action.#.what"), r"^action\.[0-9]+\.what$");
    }
}
