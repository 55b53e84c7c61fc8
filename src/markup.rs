//! Markup as text: what a widget's pure `view` returns.
//!
//! [`H`] builds an element as escaped HTML, so a whole form is one string the
//! browser parses once (the DOM layer does that), and views can be tested
//! natively by reading the text. Text and attribute values are always escaped
//! here; nothing a person or a host typed can become markup. The only way in
//! for markup made elsewhere is [`H::chart`], for the SVG charts this crate
//! draws and escapes itself.

use crate::render::doc::escape_html_into;

/// Escaped HTML: the children of one element, or a whole drawing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Markup(String);

impl Markup {
    /// The HTML text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Markup the feedback history's own module drew: the same escaping
    /// code, built into that module.
    pub fn drawn(html: String) -> Markup {
        Markup(html)
    }

    /// The HTML text, taken.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Where a drawing keeps a live region the shell owns (the notice, the
/// delivery status, the saved status): a placeholder the shell replaces with
/// its element, so that screen readers hear what changes in it.
pub const REGION: &str = "data-region";

/// Elements with no end tag.
const VOID: [&str; 6] = ["input", "br", "hr", "img", "col", "wbr"];

/// An element under construction.
#[derive(Clone, Debug)]
pub struct H {
    tag: &'static str,
    attrs: Vec<(&'static str, String)>,
    inner: String,
}

impl H {
    /// A new `tag` element.
    pub fn new(tag: &'static str) -> H {
        H { tag, attrs: Vec::new(), inner: String::new() }
    }

    /// A placeholder for the live region `name` (see [`REGION`]).
    pub fn region(name: &str) -> H {
        H::new("mk-region").attr(REGION, name)
    }

    /// Sets an attribute (again: the last value counts, as with `setAttribute`).
    pub fn attr(mut self, name: &'static str, value: &str) -> H {
        match self.attrs.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => value.clone_into(v),
            None => self.attrs.push((name, value.to_owned())),
        }
        self
    }

    /// Sets an attribute when `on`.
    pub fn flag(self, name: &'static str, on: bool) -> H {
        if on { self.attr(name, "") } else { self }
    }

    /// Sets `class`.
    pub fn class(self, class: &str) -> H {
        self.attr("class", class)
    }

    /// Appends text.
    pub fn text(mut self, text: &str) -> H {
        escape_html_into(&mut self.inner, text);
        self
    }

    /// Appends a child.
    pub fn add(mut self, child: H) -> H {
        child.write(&mut self.inner);
        self
    }

    /// Appends a child when there is one.
    pub fn add_some(self, child: Option<H>) -> H {
        match child {
            Some(child) => self.add(child),
            None => self,
        }
    }

    /// Appends markup already made (by another view).
    pub fn markup(mut self, markup: &Markup) -> H {
        self.inner.push_str(&markup.0);
        self
    }

    /// Appends SVG made here of numbers and escaped text only: a chart of
    /// [`crate::render::chart`], a QR code; nothing else may come in as
    /// markup.
    pub fn chart(mut self, svg: &str) -> H {
        self.inner.push_str(svg);
        self
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(self.tag);
        for (name, value) in &self.attrs {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            escape_html_into(out, value);
            out.push('"');
        }
        out.push('>');
        if !VOID.contains(&self.tag) {
            // The parser drops one newline at the very start of a textarea.
            if self.tag == "textarea" && self.inner.starts_with("\n") {
                out.push('\n');
            }
            out.push_str(&self.inner);
            out.push_str("</");
            out.push_str(self.tag);
            out.push('>');
        }
    }

    /// The element as markup.
    pub fn done(self) -> Markup {
        let mut out = String::with_capacity(self.inner.len() + 64);
        self.write(&mut out);
        Markup(out)
    }

    /// The element's children as markup (its own tag and attributes left
    /// out), to fill an element that already exists.
    pub fn children(self) -> Markup {
        Markup(self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_and_void_elements_have_no_end() {
        let m = H::new("p").attr("title", "a\"b<").text("<b>&").add(H::new("br")).done();
        assert_eq!(m.as_str(), "<p title=\"a&quot;b&lt;\">&lt;b&gt;&amp;<br></p>");
    }

    #[test]
    fn a_textarea_keeps_a_leading_line_break() {
        assert_eq!(H::new("textarea").text("\nx").done().as_str(), "<textarea>\n\nx</textarea>");
    }

    #[test]
    fn the_last_value_of_an_attribute_counts() {
        assert_eq!(H::new("i").attr("a", "1").attr("a", "2").done().as_str(), "<i a=\"2\"></i>");
    }
}
