//! A small line chart of 1–5 scores as SVG, drawn here so the same picture
//! appears in the widget and in the printable summary.
//!
//! Coordinates are whole numbers on a fixed 600 × 240 canvas that scales to
//! its container; colours come from `currentColor`, so a stylesheet (the
//! widget's theme, a printout) decides them. Right to left, the chart is
//! mirrored: the levels stand on the right and time runs from right to left.

use super::doc::escape_html as esc;
use core::fmt::Write;

/// What to draw.
pub struct Chart<'a> {
    /// Prefix of the element ids inside the SVG (`title`, `desc`).
    pub id: &'a str,
    /// The accessible name.
    pub title: &'a str,
    /// The text alternative: every value in words.
    pub desc: &'a str,
    /// Scores from 1 to 5, oldest first.
    pub points: &'a [u8],
    /// Labels of the levels 1 to 5 (empty for none).
    pub levels: [&'a str; 5],
    /// Under the first and the last point.
    pub first: &'a str,
    /// Under the last point.
    pub last: &'a str,
    /// Laid out right to left (the text inherits its direction).
    pub rtl: bool,
}

const W: i32 = 600;
const H: i32 = 240;
const LEFT: i32 = 110;
const RIGHT: i32 = 16;
const TOP: i32 = 14;
const BOTTOM: i32 = 34;

fn y(score: u8) -> i32 {
    let score = score.clamp(1, 5) as i32;
    H - BOTTOM - (score - 1) * (H - BOTTOM - TOP) / 4
}

fn x(i: usize, n: usize, left: i32) -> i32 {
    let width = W - left - RIGHT;
    if n <= 1 { left + width / 2 } else { left + (i as i32) * width / (n as i32 - 1) }
}

/// Where the plot starts: far enough in for the longest level's label, at
/// about ten units a character (a 20-unit font), so that in every language
/// the words stand whole beside the plot; at most half the canvas.
fn left_of(levels: &[&str]) -> i32 {
    let longest = levels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as i32;
    (longest * 10 + 18).clamp(LEFT, W / 2)
}

/// The chart as an `<svg>` element.
pub fn line_chart(c: &Chart) -> String {
    let mut s = String::with_capacity(600 + c.points.len() * 48);
    let id = esc(c.id);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(c.title),
        esc(c.desc)
    );
    // The plot is drawn left to right and mirrored as a whole; the texts are
    // placed on the mirrored side, where a text's anchor, which follows its
    // direction, keeps it clear of the plot.
    let side = |x: i32| if c.rtl { W - x } else { x };
    let left = left_of(&c.levels);
    if c.rtl {
        s.push_str("<g transform=\"matrix(-1 0 0 1 600 0)\">");
    }
    s.push_str("<g class=\"grid\" stroke=\"currentColor\" stroke-opacity=\".25\">");
    for level in 1..=5u8 {
        let ly = y(level);
        let _ = write!(s, "<line x1=\"{left}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\"/>", W - RIGHT);
    }
    s.push_str("</g>");
    let n = c.points.len();
    if n > 0 {
        let mut line = String::with_capacity(n * 10);
        for (i, p) in c.points.iter().enumerate() {
            if i > 0 {
                line.push(' ');
            }
            let _ = write!(line, "{},{}", x(i, n, left), y(*p));
        }
        let _ = write!(s, "<polyline class=\"line\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"3\" points=\"{line}\"/>");
        s.push_str("<g class=\"dots\" fill=\"currentColor\">");
        for (i, p) in c.points.iter().enumerate() {
            let _ = write!(s, "<circle cx=\"{}\" cy=\"{}\" r=\"5\"/>", x(i, n, left), y(*p));
        }
        s.push_str("</g>");
    }
    if c.rtl {
        s.push_str("</g>");
    }
    s.push_str("<g class=\"levels\" fill=\"currentColor\" font-size=\"20\" text-anchor=\"end\">");
    for (i, label) in c.levels.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
        let _ = write!(s, "<text x=\"{}\" y=\"{}\">{}</text>", side(left - 8), y(i as u8 + 1) + 5, esc(label));
    }
    s.push_str("</g>");
    if n > 0 {
        let _ = write!(s, "<g class=\"dates\" fill=\"currentColor\" font-size=\"20\"><text x=\"{}\" y=\"{}\">{}</text>", side(left), H - 8, esc(c.first));
        if n > 1 {
            let _ = write!(s, "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", side(W - RIGHT), H - 8, esc(c.last));
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_map_to_the_plot_area_and_points_spread_across_it() {
        assert_eq!((y(1), y(5)), (H - BOTTOM, TOP));
        assert_eq!((x(0, 3, LEFT), x(2, 3, LEFT)), (LEFT, W - RIGHT));
        assert_eq!(x(0, 1, LEFT), LEFT + (W - LEFT - RIGHT) / 2);
    }

    #[test]
    fn a_long_level_label_moves_the_plot_over_so_the_words_stand_whole() {
        // "Más o menos igual", the Spanish middle of who talked, was cut off
        // at the canvas's edge beside a plot that began at 110 units.
        let chart = |rtl| Chart { id: "c", title: "t", desc: "d", points: &[1, 3, 5], levels: ["Mentorizado/a", "", "Más o menos igual", "", "Mentor/a"], first: "a", last: "b", rtl };
        let left = left_of(&chart(false).levels);
        assert!(left >= 17 * 10 + 8, "room for seventeen characters of a 20-unit font: {left}");
        let ltr = line_chart(&chart(false));
        assert!(ltr.contains(&format!("<text x=\"{}\" y=\"{}\">Más o menos igual</text>", left - 8, y(3) + 5)));
        assert!(ltr.contains(&format!("<line x1=\"{left}\" ")) && ltr.contains(&format!("<circle cx=\"{left}\" ")), "the grid and the first point start where the plot does");
        let rtl = line_chart(&chart(true));
        assert!(rtl.contains(&format!("<text x=\"{}\" y=\"{}\">Más o menos igual</text>", W - left + 8, y(3) + 5)));
        // Short labels keep the plot where it was; a label never takes more than half.
        assert_eq!(left_of(&["1", "2", "3", "4", "5"]), LEFT);
        assert_eq!(left_of(&[&"x".repeat(200), "", "", "", ""]), W / 2);
    }

    #[test]
    fn text_is_escaped_and_an_empty_series_draws_no_line() {
        let svg = line_chart(&Chart { id: "c", title: "<b>", desc: "a & b", points: &[], levels: ["", "", "", "", ""], first: "", last: "", rtl: false });
        assert!(svg.contains("&lt;b&gt;") && svg.contains("a &amp; b") && !svg.contains("polyline"));
    }

    #[test]
    fn right_to_left_the_plot_is_mirrored_and_its_texts_stand_on_the_mirrored_side() {
        let chart = |rtl| Chart { id: "c", title: "t", desc: "d", points: &[1, 5], levels: ["", "", "", "", "x"], first: "a", last: "b", rtl };
        let ltr = line_chart(&chart(false));
        assert!(!ltr.contains("matrix") && ltr.contains(&format!("<text x=\"{}\" y=\"{}\">x</text>", LEFT - 8, TOP + 5)));
        let rtl = line_chart(&chart(true));
        assert_eq!(W, 600, "the mirror's width is the canvas's");
        let plot = &rtl[rtl.find("matrix(-1 0 0 1 600 0)").expect("the plot is mirrored")..rtl.find("class=\"levels\"").unwrap()];
        assert!(plot.contains("polyline") && plot.contains("circle") && !plot.contains("<text"), "only the plot is mirrored, no text");
        assert!(rtl.contains(&format!("<text x=\"{}\" y=\"{}\">x</text>", W - LEFT + 8, TOP + 5)), "levels beside the plot on the right");
        assert!(rtl.contains(&format!("<text x=\"{}\" y=\"{}\">a</text>", W - LEFT, H - 8)) && rtl.contains(&format!("<text x=\"{RIGHT}\" y=\"{}\" text-anchor=\"end\">b</text>", H - 8)));
    }
}
