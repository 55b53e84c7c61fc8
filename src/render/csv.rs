//! Comma-separated values that spreadsheets open safely.
//!
//! Fields are quoted when they hold a comma, quote or line break (RFC 4180).
//! A field a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`,
//! a tab or a carriage return) gets a leading `'`, so it shows as text.

/// One field, made safe.
pub fn field(value: &str) -> String {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = formula || value.contains([',', '"', '\n', '\r']);
    let mut out = String::with_capacity(value.len() + 4);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
    out
}

/// Rows as CSV, lines ended by CRLF.
pub fn table<R: AsRef<[String]>>(rows: &[R]) -> String {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row.as_ref().iter().map(|c| field(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_it_and_defuses_formulas() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1"), "\"'-1\"");
        assert_eq!(field("@sum"), "\"'@sum\"");
        assert_eq!(table(&[vec!["a".to_owned(), "b,c".to_owned()]]), "a,\"b,c\"\r\n");
    }
}
