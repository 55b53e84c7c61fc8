//! Signatures and the agreement's fingerprint.
//!
//! The fingerprint is the SHA-256 of a canonical form of the content: every
//! entry except the signatures (`sign.*`) and bookkeeping (`meta.*`), in path
//! order, one `path TAB value LF` line each with backslash, tab and newline
//! escaped. A signature records the fingerprint it was made on, so a signature
//! whose fingerprint differs from the current one is shown as "changed after
//! signing" and no longer counts.

use super::agreement::{signers, Agreement};
use sha2::{Digest, Sha256};

/// The canonical text the fingerprint is taken of.
pub fn canonical(values: &Agreement) -> String {
    let mut out = String::new();
    for (path, value) in values.iter().filter(|(p, _)| !p.starts_with("sign.") && !p.starts_with("meta.")) {
        out.push_str(path);
        out.push('\t');
        for c in value.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

/// The SHA-256 of [`canonical`], as 64 lowercase hex digits.
pub fn fingerprint(values: &Agreement) -> String {
    let digest = Sha256::digest(canonical(values).as_bytes());
    const HEX: &[u8; 16] = b"0123456789abcdef";
    digest.iter().flat_map(|b| [HEX[(b >> 4) as usize] as char, HEX[(b & 15) as usize] as char]).collect()
}

/// The first 16 hex digits in groups of four, as shown on the document.
pub fn short(fingerprint: &str) -> String {
    fingerprint.as_bytes().get(..16).unwrap_or_default().chunks(4).map(|c| core::str::from_utf8(c).unwrap_or("")).collect::<Vec<_>>().join(" ")
}

/// Where a party's signature stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signature {
    /// Not signed.
    Missing,
    /// Signed on the current content.
    Valid {
        /// The name typed.
        name: String,
        /// When, as an ISO 8601 timestamp.
        at: String,
    },
    /// Signed, but the content has changed since.
    Void {
        /// The name typed.
        name: String,
        /// When.
        at: String,
    },
}

/// The signature of `party` against the fingerprint `current`.
pub fn signature(values: &Agreement, party: &str, current: &str) -> Signature {
    let get = |k: &str| values.get(&["sign.", party, ".", k].concat()).to_owned();
    let (name, at, on) = (get("name"), get("at"), get("fingerprint"));
    if name.is_empty() {
        Signature::Missing
    } else if on == current {
        Signature::Valid { name, at }
    } else {
        Signature::Void { name, at }
    }
}

/// Why a signature was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignError {
    /// The typed name is not the name in the agreement.
    NameMismatch,
    /// The box confirming agreement was not ticked.
    NotConfirmed,
}

/// Signs for `party` with the typed name at time `at`.
pub fn sign(values: &mut Agreement, party: &str, typed: &str, confirmed: bool, at: &str) -> Result<(), SignError> {
    // Letter case is forgiven for ASCII letters only: Unicode case tables would
    // weigh more than the rest of signing put together.
    let expected = values.get(&[party, ".name"].concat()).trim();
    if expected.is_empty() || !typed.trim().eq_ignore_ascii_case(expected) {
        return Err(SignError::NameMismatch);
    }
    if !confirmed {
        return Err(SignError::NotConfirmed);
    }
    // The signature carries the name as the person wrote it in the
    // agreement: typing it in another case confirms it, and changes nothing.
    let name = expected.to_owned();
    let current = fingerprint(values);
    values.set(&["sign.", party, ".name"].concat(), name);
    values.set(&["sign.", party, ".at"].concat(), at.to_owned());
    values.set(&["sign.", party, ".fingerprint"].concat(), current);
    Ok(())
}

/// Whether every party who must sign has a valid signature.
pub fn fully_signed(values: &Agreement) -> bool {
    let parties = signers(values);
    // Until everyone has signed there is nothing to check a fingerprint
    // against, so a draft is not hashed on every look.
    parties.iter().all(|(party, _)| !matches!(signature(values, party, ""), Signature::Missing)) && {
        let current = fingerprint(values);
        parties.iter().all(|(party, _)| matches!(signature(values, party, &current), Signature::Valid { .. }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::form::Values;

    fn agreement() -> Values {
        let mut v = Values::default();
        v.set("mentee.name", "Amara Okafor".into());
        v.set("mentor.name", "Jonas Weber".into());
        v.set("purpose.text", "Line one\nline\ttwo \\ end".into());
        v
    }

    #[test]
    fn fingerprint_is_sha256_of_the_canonical_form() {
        let v = agreement();
        assert_eq!(canonical(&v), "mentee.name\tAmara Okafor\nmentor.name\tJonas Weber\npurpose.text\tLine one\\nline\\ttwo \\\\ end\n");
        // Independently: printf 'mentee.name\tAmara Okafor\n…' | sha256sum
        assert_eq!(fingerprint(&Values::default()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(short(&fingerprint(&Values::default())), "e3b0 c442 98fc 1c14");
    }

    #[test]
    fn signatures_and_bookkeeping_do_not_change_the_fingerprint() {
        let mut v = agreement();
        let before = fingerprint(&v);
        v.set("meta.created", "2026-11-22".into());
        sign(&mut v, "mentee", "amara okafor", true, "2026-11-22T10:00:00Z").unwrap();
        assert_eq!(fingerprint(&v), before);
    }

    #[test]
    fn a_name_typed_in_another_case_signs_with_the_name_as_written() {
        let mut v = agreement();
        sign(&mut v, "mentee", "  amara OKAFOR ", true, "2026-11-22T10:00:00Z").unwrap();
        assert_eq!(v.get("sign.mentee.name"), "Amara Okafor");
        assert_eq!(signature(&v, "mentee", &fingerprint(&v)), Signature::Valid { name: "Amara Okafor".into(), at: "2026-11-22T10:00:00Z".into() });
    }

    #[test]
    fn a_signature_needs_the_right_name_and_the_box_ticked() {
        let mut v = agreement();
        assert_eq!(sign(&mut v, "mentee", "Someone Else", true, "t"), Err(SignError::NameMismatch));
        assert_eq!(sign(&mut v, "mentee", "Amara Okafor", false, "t"), Err(SignError::NotConfirmed));
        assert_eq!(sign(&mut v, "guardian", "", true, "t"), Err(SignError::NameMismatch));
    }

    #[test]
    fn changing_the_content_voids_signatures() {
        let mut v = agreement();
        sign(&mut v, "mentee", "Amara Okafor", true, "t1").unwrap();
        sign(&mut v, "mentor", "Jonas Weber", true, "t2").unwrap();
        assert!(fully_signed(&v));
        v.set("purpose.text", "Something else".into());
        let fp = fingerprint(&v);
        assert_eq!(signature(&v, "mentee", &fp), Signature::Void { name: "Amara Okafor".into(), at: "t1".into() });
        assert!(!fully_signed(&v));
    }

    #[test]
    fn a_minor_needs_the_guardian_too() {
        let mut v = agreement();
        v.set("mentee.minor", "yes".into());
        v.set("guardian.name", "Grace Okafor".into());
        sign(&mut v, "mentee", "Amara Okafor", true, "t").unwrap();
        sign(&mut v, "mentor", "Jonas Weber", true, "t").unwrap();
        assert!(!fully_signed(&v));
        sign(&mut v, "guardian", "Grace Okafor", true, "t").unwrap();
        assert!(fully_signed(&v));
    }
}
