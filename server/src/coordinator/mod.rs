//! The coordinator's view, apart from the pages that show it: what is known
//! of each record ([`facts`]), each pair's health worked out from its
//! records with the widgets' own rules ([`health`]), reports for a period
//! ([`report`]), and the pages' wording in five languages ([`words`]).

pub mod facts;
pub mod health;
pub mod report;
pub mod words;
