//! The published contract in `schemas/` is what the crate describes.
//! `UPDATE_GOLDEN=1 cargo test --test schemas` rewrites the JSON Schemas.

use mentorkit::model::{delivery::KINDS, schema};

#[test]
fn the_published_json_schemas_are_current() {
    for kind in KINDS {
        let path = format!("{}/schemas/record.{kind}.schema.json", env!("CARGO_MANIFEST_DIR"));
        let actual = serde_json::to_string_pretty(&schema::record(kind).unwrap()).unwrap() + "\n";
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &actual).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{path} missing: run with UPDATE_GOLDEN=1"));
        assert!(expected == actual, "{path} is out of date; rerun with UPDATE_GOLDEN=1 and review the diff");
    }
}

#[test]
fn the_openapi_description_points_at_every_schema() {
    let text = std::fs::read_to_string(format!("{}/schemas/openapi.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let api: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(api["openapi"].as_str().map(|v| &v[..3]), Some("3.1"));
    for kind in KINDS {
        assert!(text.contains(&format!("record.{kind}.schema.json")), "openapi.json misses {kind}");
    }
}
