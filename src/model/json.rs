//! JSON in and out, written for the handful of shapes mentorkit stores and
//! sends: flat maps of texts, records, envelopes, the outbox, a programme's
//! configuration.
//!
//! A general JSON library (with a derive for every type) was most of the
//! WebAssembly download and its float formatting more; this reads straight
//! from the text into the types that need it ([`Reader`]), borrowing strings
//! without escapes, and writes what they hold ([`Writer`]). Times in
//! milliseconds are written as whole numbers, so nothing here formats a
//! fraction. Nesting deeper than [`MAX_DEPTH`] is refused, not recursed into.
//!
//! In the browser, values cross to and from JavaScript as one JSON string
//! ([`to_js`], [`from_js`]): one crossing per value instead of one per field.

use std::borrow::Cow;
use std::collections::BTreeMap;
use super::num::Digits;

/// Why a text could not be read as the expected JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError(pub String);

impl core::fmt::Display for JsonError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The result of reading.
pub type Result<T> = core::result::Result<T, JsonError>;

/// How deep arrays and objects may nest.
pub const MAX_DEPTH: u32 = 128;

/// A type read from JSON.
pub trait FromJson: Sized {
    /// Reads one value at `r`.
    fn read(r: &mut Reader) -> Result<Self>;
}

/// A type written as JSON.
pub trait ToJson {
    /// Writes it to `w`.
    fn write(&self, w: &mut Writer);
}

/// Parses `text` as a `T`; nothing but white space may follow.
pub fn parse<T: FromJson>(text: &str) -> Result<T> {
    let mut r = Reader::new(text);
    let value = T::read(&mut r)?;
    r.end()?;
    Ok(value)
}

/// Writes `value` as compact JSON.
pub fn stringify<T: ToJson + ?Sized>(value: &T) -> String {
    let mut w = Writer::default();
    value.write(&mut w);
    w.out
}

fn error(message: impl Into<String>) -> JsonError {
    JsonError(message.into())
}

/// Reads JSON text from the start, value by value.
pub struct Reader<'a> {
    text: &'a str,
    at: usize,
    depth: u32,
}

/// What a JSON value is, in words, for messages.
pub fn kind_word(byte: Option<u8>) -> &'static str {
    match byte {
        Some(b'{') => "an object",
        Some(b'[') => "a list",
        Some(b'"') => "a text",
        Some(b't' | b'f') => "true or false",
        Some(b'n') => "null",
        Some(b'-' | b'0'..=b'9') => "a number",
        None => "nothing",
        Some(_) => "something that is not JSON",
    }
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader { text, at: 0, depth: 0 }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn ws(&mut self) {
        let b = self.bytes();
        while self.at < b.len() && matches!(b[self.at], b' ' | b'\t' | b'\n' | b'\r') {
            self.at += 1;
        }
    }

    /// The first byte of the next value, after white space.
    pub fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes().get(self.at).copied()
    }

    /// What the next value is, in words.
    pub fn next_kind(&mut self) -> &'static str {
        kind_word(self.peek())
    }

    /// An error saying `expected` was wanted and what was found.
    pub fn wrong(&mut self, expected: &str) -> JsonError {
        let found = self.next_kind();
        error(["expected ", expected, ", found ", found].concat())
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &str) -> bool {
        self.ws();
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            true
        } else {
            false
        }
    }

    /// Checks that only white space is left.
    pub fn end(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(error("there is more after the JSON value")),
        }
    }

    fn deeper(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH { Err(error("nested too deeply")) } else { Ok(()) }
    }

    /// Reads an object, calling `each` with the reader at each value and its
    /// key.
    pub fn object(&mut self, mut each: impl FnMut(&mut Self, Cow<'a, str>) -> Result<()>) -> Result<()> {
        self.object_dyn(&mut each)
    }

    // One copy of the loop for every caller: the download is smaller.
    fn object_dyn(&mut self, each: &mut dyn FnMut(&mut Self, Cow<'a, str>) -> Result<()>) -> Result<()> {
        if !self.eat(b'{') {
            return Err(self.wrong("an object"));
        }
        self.deeper()?;
        if !self.eat(b'}') {
            loop {
                if self.peek() != Some(b'"') {
                    return Err(error("expected a key in quotes"));
                }
                let key = self.string()?;
                if !self.eat(b':') {
                    return Err(error("expected ':' after a key"));
                }
                each(self, key)?;
                if self.eat(b',') {
                    continue;
                }
                if self.eat(b'}') {
                    break;
                }
                return Err(error(if self.peek().is_none() { "the JSON ends too early" } else { "expected ',' or '}' in an object" }));
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads a list, calling `each` with the reader at each item and its
    /// position.
    pub fn array(&mut self, mut each: impl FnMut(&mut Self, usize) -> Result<()>) -> Result<()> {
        self.array_dyn(&mut each)
    }

    fn array_dyn(&mut self, each: &mut dyn FnMut(&mut Self, usize) -> Result<()>) -> Result<()> {
        if !self.eat(b'[') {
            return Err(self.wrong("a list"));
        }
        self.deeper()?;
        if !self.eat(b']') {
            let mut i = 0;
            loop {
                each(self, i)?;
                i += 1;
                if self.eat(b',') {
                    continue;
                }
                if self.eat(b']') {
                    break;
                }
                return Err(error(if self.peek().is_none() { "the JSON ends too early" } else { "expected ',' or ']' in a list" }));
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads a text, borrowed from the input when it has no escapes.
    pub fn string(&mut self) -> Result<Cow<'a, str>> {
        if !self.eat(b'"') {
            return Err(self.wrong("a text"));
        }
        let b = self.bytes();
        let start = self.at;
        let mut i = start;
        while i < b.len() && b[i] != b'"' && b[i] != b'\\' && b[i] >= 0x20 {
            i += 1;
        }
        if i < b.len() && b[i] == b'"' {
            self.at = i + 1;
            // Stopped at an ASCII quote: on a character boundary.
            return Ok(Cow::Borrowed(&self.text[start..i]));
        }
        let mut out = String::with_capacity(i - start + 16);
        out.push_str(&self.text[start..i]);
        loop {
            let Some(&c) = b.get(i) else { return Err(error("the JSON ends inside a text")) };
            match c {
                b'"' => {
                    self.at = i + 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    let escaped = b.get(i + 1).copied().ok_or_else(|| error("the JSON ends inside a text"))?;
                    i += 2;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = hex4(b, i)?;
                            i += 4;
                            let code = if (0xd800..0xdc00).contains(&first) {
                                if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'u') {
                                    return Err(error("a lone surrogate in a text"));
                                }
                                let second = hex4(b, i + 2)?;
                                if !(0xdc00..0xe000).contains(&second) {
                                    return Err(error("a lone surrogate in a text"));
                                }
                                i += 6;
                                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
                            } else if (0xdc00..0xe000).contains(&first) {
                                return Err(error("a lone surrogate in a text"));
                            } else {
                                first
                            };
                            out.push(char::from_u32(code).ok_or_else(|| error("an invalid character in a text"))?);
                        }
                        _ => return Err(error("an invalid escape in a text")),
                    }
                }
                0..=0x1f => return Err(error("a control character in a text")),
                _ => {
                    // Copy the run up to the next quote, escape or control.
                    let run = i;
                    while i < b.len() && b[i] != b'"' && b[i] != b'\\' && b[i] >= 0x20 {
                        i += 1;
                    }
                    out.push_str(&self.text[run..i]);
                }
            }
        }
    }

    /// Reads a number.
    pub fn number(&mut self) -> Result<f64> {
        self.ws();
        let b = self.bytes();
        let start = self.at;
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = |i: &mut usize| {
            let from = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            *i > from
        };
        if !digits(&mut i) {
            return Err(self.wrong("a number"));
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                return Err(error("a number with nothing after its point"));
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !digits(&mut i) {
                return Err(error("a number with nothing after its exponent"));
            }
        }
        self.at = i;
        Ok(number_value(&self.text[start..i]))
    }

    /// Reads a whole number from 0 to `u32::MAX`.
    pub fn u32(&mut self) -> Result<u32> {
        let n = self.number()?;
        if n.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&n) {
            Ok(n as u32)
        } else {
            Err(error("expected a whole number from 0 to 4294967295"))
        }
    }

    /// Reads `true` or `false`.
    pub fn bool(&mut self) -> Result<bool> {
        if self.literal("true") {
            Ok(true)
        } else if self.literal("false") {
            Ok(false)
        } else {
            Err(self.wrong("true or false"))
        }
    }

    /// Reads a `null` if that is what comes next.
    pub fn null(&mut self) -> bool {
        self.literal("null")
    }

    /// Skips one value of any kind.
    pub fn skip(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'{') => self.object(|r, _| r.skip()),
            Some(b'[') => self.array(|r, _| r.skip()),
            Some(b'"') => self.string().map(drop),
            Some(b't' | b'f') => self.bool().map(drop),
            Some(b'n') if self.null() => Ok(()),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            None => Err(error("the JSON ends too early")),
            Some(_) => Err(error("this is not JSON")),
        }
    }
}

fn hex4(b: &[u8], at: usize) -> Result<u32> {
    let digits = b.get(at..at + 4).ok_or_else(|| error("the JSON ends inside an escape"))?;
    digits.iter().try_fold(0u32, |n, d| {
        let v = (*d as char).to_digit(16).ok_or_else(|| error("an invalid escape in a text"))?;
        Ok(n * 16 + v)
    })
}

/// The value of a number already checked to be JSON. A whole number of up to
/// 19 digits, which is all this crate writes, comes out exactly (below 2⁵³);
/// other numbers come out to within a few units in the last place, which is
/// all their uses here need, without the tables of an exact conversion.
fn number_value(text: &str) -> f64 {
    let (negative, text) = match text.strip_prefix("-") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.bytes().position(|b| b == b'e' || b == b'E') {
        Some(at) => {
            let given = &text[at + 1..];
            let huge = if given.starts_with("-") { -10_000 } else { 10_000 };
            (&text[..at], given.parse::<i32>().unwrap_or(huge).clamp(-10_000, 10_000))
        }
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let (mut digits, mut exponent) = (0u64, exponent);
    for (b, after_point) in whole.bytes().map(|b| (b, false)).chain(fraction.bytes().map(|b| (b, true))) {
        if digits < 1_000_000_000_000_000_000 {
            digits = digits * 10 + u64::from(b - b'0');
            exponent -= i32::from(after_point);
        } else {
            exponent += i32::from(!after_point);
        }
    }
    let magnitude = if exponent < 0 { digits as f64 / 10f64.powi(-exponent) } else { digits as f64 * 10f64.powi(exponent) };
    if negative { -magnitude } else { magnitude }
}

/// Writes compact JSON.
#[derive(Default)]
pub struct Writer {
    out: String,
    /// For each open object or list, whether an item is already in it.
    open: Vec<bool>,
}

impl Writer {
    /// What was written.
    pub fn finish(self) -> String {
        self.out
    }

    fn comma(&mut self) {
        if let Some(any) = self.open.last_mut() {
            if *any {
                self.out.push(',');
            }
            *any = true;
        }
    }

    /// Writes an object; `fields` writes its fields with [`Writer::key`].
    pub fn object(&mut self, fields: impl FnOnce(&mut Writer)) {
        let mut fields = Some(fields);
        self.object_dyn(&mut |w| {
            if let Some(f) = fields.take() {
                f(w)
            }
        });
    }

    fn object_dyn(&mut self, fields: &mut dyn FnMut(&mut Writer)) {
        self.comma();
        self.out.push('{');
        self.open.push(false);
        fields(self);
        self.open.pop();
        self.out.push('}');
    }

    /// Writes a list; `items` writes its items.
    pub fn array(&mut self, items: impl FnOnce(&mut Writer)) {
        self.comma();
        self.out.push('[');
        self.open.push(false);
        items(self);
        self.open.pop();
        self.out.push(']');
    }

    /// Writes a key in an object; its value follows.
    pub fn key(&mut self, key: &str) -> &mut Writer {
        self.comma();
        escape(&mut self.out, key);
        self.out.push(':');
        // The value that follows is not another item.
        if let Some(any) = self.open.last_mut() {
            *any = false;
        }
        self
    }

    fn after_value(&mut self) {
        if let Some(any) = self.open.last_mut() {
            *any = true;
        }
    }

    /// Writes a text.
    pub fn str(&mut self, value: &str) {
        self.comma();
        escape(&mut self.out, value);
        self.after_value();
    }

    /// Writes a whole number.
    pub fn int(&mut self, value: i64) {
        self.comma();
        self.out.push_str(&value.digits());
        self.after_value();
    }

    /// Writes a time or other measure in milliseconds, as a whole number (a
    /// fraction of a millisecond is dropped; nothing beyond ±2⁵³ is kept).
    pub fn ms(&mut self, value: f64) {
        let limit = 9_007_199_254_740_991.0;
        self.int(if value.is_nan() { 0 } else { value.clamp(-limit, limit).round() as i64 });
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.comma();
        self.out.push_str(if value { "true" } else { "false" });
        self.after_value();
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.comma();
        self.out.push_str("null");
        self.after_value();
    }

    /// Writes `json`, which the caller has checked is one JSON value.
    pub fn raw(&mut self, json: &str) {
        self.comma();
        self.out.push_str(json);
        self.after_value();
    }

    /// Writes a value of a type that writes itself.
    pub fn value<T: ToJson + ?Sized>(&mut self, value: &T) {
        value.write(self);
    }
}

/// Appends `text` as a JSON string, quoted and escaped.
pub fn escape(out: &mut String, text: &str) {
    out.push('"');
    let mut from = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        // ASCII, so `i` is on a character boundary.
        out.push_str(&text[from..i]);
        if escaped.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(byte >> 4) as usize] as char);
            out.push(HEX[(byte & 15) as usize] as char);
        } else {
            out.push_str(escaped);
        }
        from = i + 1;
    }
    out.push_str(&text[from..]);
    out.push('"');
}

/// Any value, skipped: for reading around what is not needed.
pub struct Skip;

impl FromJson for Skip {
    fn read(r: &mut Reader) -> Result<Skip> {
        r.skip().map(|()| Skip)
    }
}

impl FromJson for String {
    fn read(r: &mut Reader) -> Result<String> {
        r.string().map(Cow::into_owned)
    }
}

impl ToJson for String {
    fn write(&self, w: &mut Writer) {
        w.str(self);
    }
}

impl ToJson for str {
    fn write(&self, w: &mut Writer) {
        w.str(self);
    }
}

impl FromJson for u32 {
    fn read(r: &mut Reader) -> Result<u32> {
        r.u32()
    }
}

impl ToJson for u32 {
    fn write(&self, w: &mut Writer) {
        w.int(i64::from(*self));
    }
}

impl FromJson for f64 {
    fn read(r: &mut Reader) -> Result<f64> {
        r.number()
    }
}

impl FromJson for bool {
    fn read(r: &mut Reader) -> Result<bool> {
        r.bool()
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn read(r: &mut Reader) -> Result<Vec<T>> {
        let mut out = Vec::new();
        r.array(|r, _| {
            out.push(T::read(r)?);
            Ok(())
        })?;
        Ok(out)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write(&self, w: &mut Writer) {
        w.array(|w| self.iter().for_each(|item| item.write(w)));
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write(&self, w: &mut Writer) {
        w.array(|w| self.iter().for_each(|item| item.write(w)));
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn read(r: &mut Reader) -> Result<BTreeMap<String, T>> {
        let mut out = BTreeMap::new();
        r.object(|r, key| {
            let value = T::read(r)?;
            out.insert(key.into_owned(), value);
            Ok(())
        })?;
        Ok(out)
    }
}

impl<T: FromJson> FromJson for super::texts::Map<T> {
    fn read(r: &mut Reader) -> Result<super::texts::Map<T>> {
        let mut out = super::texts::Map::new();
        r.object(|r, key| {
            let value = T::read(r)?;
            out.insert(key.into_owned(), value);
            Ok(())
        })?;
        Ok(out)
    }
}

impl<T: ToJson> ToJson for super::texts::Map<T> {
    fn write(&self, w: &mut Writer) {
        w.object(|w| {
            for (k, v) in self {
                w.key(k).value(v);
            }
        });
    }
}

impl<K: AsRef<str>, T: ToJson> ToJson for BTreeMap<K, T> {
    fn write(&self, w: &mut Writer) {
        w.object(|w| {
            for (k, v) in self {
                w.key(k.as_ref()).value(v);
            }
        });
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write(&self, w: &mut Writer) {
        (**self).write(w);
    }
}

/// An object read field by field: unknown keys are refused or skipped, and
/// each field is read by its own code.
pub fn fields<'a>(r: &mut Reader<'a>, refuse_unknown: bool, mut field: impl FnMut(&mut Reader<'a>, &str) -> Result<bool>) -> Result<()> {
    fields_dyn(r, refuse_unknown, &mut field)
}

fn fields_dyn<'a>(r: &mut Reader<'a>, refuse_unknown: bool, field: &mut dyn FnMut(&mut Reader<'a>, &str) -> Result<bool>) -> Result<()> {
    r.object(|r, key| {
        if field(r, &key)? {
            return Ok(());
        }
        if refuse_unknown {
            return Err(error(["unknown field \"", &key, "\""].concat()));
        }
        r.skip()
    })
}

/// A plain JS object for `value`.
#[cfg(target_arch = "wasm32")]
pub fn to_js<T: ToJson + ?Sized>(value: &T) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(&stringify(value)).unwrap_or(wasm_bindgen::JsValue::NULL)
}

/// A JS value from the host as JSON text. `undefined`, functions and
/// symbols have none; a cycle, a BigInt or a getter that throws fails.
#[cfg(target_arch = "wasm32")]
pub fn text_of_js(value: &wasm_bindgen::JsValue) -> Result<String> {
    if value.is_undefined() {
        return Err(error("it is undefined"));
    }
    let text = js_sys::JSON::stringify(value).map_err(|_| error("it cannot be written as JSON (a cycle, a BigInt, or a property that throws)"))?;
    text.as_string().ok_or_else(|| error("it cannot be written as JSON (a function or a symbol)"))
}

/// Reads a JS value (a plain object from the host) as a `T`.
#[cfg(target_arch = "wasm32")]
pub fn from_js<T: FromJson>(value: &wasm_bindgen::JsValue) -> Result<T> {
    parse(&text_of_js(value)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_back_with_every_escape() {
        let text = "a\"b\\c\n\r\t\u{1}é😀/";
        let written = stringify(&text.to_owned());
        assert_eq!(written, "\"a\\\"b\\\\c\\n\\r\\t\\u0001é😀/\"");
        assert_eq!(parse::<String>(&written).unwrap(), text);
        assert_eq!(parse::<String>(r#""\ud83d\ude00 \u00e9 \/""#).unwrap(), "😀 é /");
        for bad in [r#""\ud83d""#, r#""\ude00""#, "\"a\u{1}\"", r#""\x""#, r#""abc"#, r#""\u12""#] {
            assert!(parse::<String>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_lists_and_maps() {
        assert_eq!(parse::<Vec<u32>>(" [1, 2 ,3] ").unwrap(), [1, 2, 3]);
        assert_eq!(parse::<f64>("-1.5e3").unwrap(), -1500.0);
        for (text, value) in [("0", 0.0), ("-0", -0.0), ("9007199254740991", 9_007_199_254_740_991.0), ("1796123556516", 1_796_123_556_516.0), ("2.5", 2.5), ("1e308", 1e308), ("1e400", f64::INFINITY), ("1e-400", 0.0), ("123456789012345678901234", 1.2345678901234568e23)] {
            let got = parse::<f64>(text).unwrap();
            assert!(got == value || ((got - value) / value).abs() < 1e-15, "{text}: {got}");
        }
        for (text, value) in [("0.1", 0.1), ("3.14159", 3.14159), ("-7.25e-3", -0.00725), ("6.02e23", 6.02e23)] {
            assert!(((parse::<f64>(text).unwrap() - value) / value).abs() < 1e-15, "{text}");
        }
        assert!(parse::<u32>("1.5").is_err() && parse::<u32>("-1").is_err() && parse::<f64>("1.").is_err() && parse::<f64>("01x").is_err());
        let m: BTreeMap<String, String> = parse(r#"{"b":"2","a":"1"}"#).unwrap();
        assert_eq!(stringify(&m), r#"{"a":"1","b":"2"}"#);
        let m: super::super::texts::Map<String> = parse(r#"{"b":"2","a":"1","b":"3"}"#).unwrap();
        assert_eq!(stringify(&m), r#"{"a":"1","b":"3"}"#);
        assert!(parse::<Vec<u32>>("[1,]").is_err() && parse::<Vec<u32>>("[1 2]").is_err() && parse::<Vec<u32>>("[1] x").is_err());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = "[".repeat(100_000);
        assert!(Reader::new(&deep).skip().is_err());
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(Reader::new(&ok).skip().is_ok());
    }

    #[test]
    fn times_are_written_as_whole_numbers() {
        let mut w = Writer::default();
        w.array(|w| {
            w.ms(1.6);
            w.ms(-2.0);
            w.ms(f64::NAN);
            w.ms(1e300);
        });
        assert_eq!(w.finish(), "[2,-2,0,9007199254740991]");
    }
}
