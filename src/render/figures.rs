//! Charts for reports about many pairs, drawn as SVG like [`super::chart`]:
//! several series on one scale (the mentees' and the mentors' ratings by
//! month), and horizontal bars (sessions per month, outcomes counted).
//!
//! Values are in tenths, so an average of 3.8 sits where it should; a
//! missing value leaves a gap in its line. Colours come from `currentColor`
//! (series are told apart by their dash and marker, not by colour alone), so
//! the page's stylesheet decides them. Every chart carries its title and a
//! text alternative inside the SVG; the caller also writes the values out.
//!
//! Native only: the coordinator's pages use these; no widget does.

use super::doc::escape_html as esc;

/// One line of a [`Lines`] chart.
pub struct Series<'a> {
    /// Its name, in the legend.
    pub name: &'a str,
    /// One value per column, in tenths; `None` where there is none.
    pub points: &'a [Option<u32>],
}

/// Several lines on one scale.
pub struct Lines<'a> {
    /// Prefix of the element ids inside the SVG, unique on the page.
    pub id: &'a str,
    /// The accessible name.
    pub title: &'a str,
    /// The text alternative: every value in words.
    pub desc: &'a str,
    /// The lines (at most four are told apart).
    pub series: &'a [Series<'a>],
    /// Under each column (the first and last are written; all are in `desc`).
    pub columns: &'a [&'a str],
    /// The lowest and highest value of the scale, in tenths.
    pub range: (u32, u32),
    /// Labels beside whole steps of the scale: (value in tenths, label).
    pub levels: &'a [(u32, &'a str)],
}

/// One bar of a [`Bars`] chart.
pub struct Bar<'a> {
    /// Its label, beside it.
    pub label: &'a str,
    /// Its length.
    pub value: u64,
    /// The value as written at its end.
    pub shown: &'a str,
}

/// Horizontal bars, one per row, longest scaled to the width.
pub struct Bars<'a> {
    /// Prefix of the element ids inside the SVG, unique on the page.
    pub id: &'a str,
    /// The accessible name.
    pub title: &'a str,
    /// The text alternative.
    pub desc: &'a str,
    /// The bars, top to bottom.
    pub bars: &'a [Bar<'a>],
}

const W: i32 = 600;
const H: i32 = 260;
const LEFT: i32 = 64;
const RIGHT: i32 = 16;
const TOP: i32 = 44;
const BOTTOM: i32 = 34;
/// Dash patterns and markers that tell the series apart.
const DASHES: [&str; 4] = ["", "10 6", "3 5", "14 4 3 4"];

fn open(id: &str, height: i32, title: &str, desc: &str) -> String {
    let id = esc(id);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {height}\" class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(desc)
    )
}

/// The chart as an `<svg>` element.
pub fn lines(c: &Lines) -> String {
    let (low, high) = (c.range.0, c.range.1.max(c.range.0 + 1));
    let y = |v: u32| H - BOTTOM - ((v.clamp(low, high) - low) as i64 * (H - BOTTOM - TOP) as i64 / (high - low) as i64) as i32;
    let n = c.columns.len().max(c.series.iter().map(|s| s.points.len()).max().unwrap_or(0));
    let x = |i: usize| {
        let width = W - LEFT - RIGHT;
        if n <= 1 { LEFT + width / 2 } else { LEFT + (i as i32) * width / (n as i32 - 1) }
    };
    let mut s = open(c.id, H, c.title, c.desc);
    s.push_str("<g class=\"grid\" stroke=\"currentColor\" stroke-opacity=\".25\">");
    for (value, _) in c.levels {
        let ly = y(*value);
        s.push_str(&format!("<line x1=\"{LEFT}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\"/>", W - RIGHT));
    }
    s.push_str("</g><g class=\"levels\" fill=\"currentColor\" font-size=\"20\" text-anchor=\"end\">");
    for (value, label) in c.levels {
        s.push_str(&format!("<text x=\"{}\" y=\"{}\">{}</text>", LEFT - 8, y(*value) + 6, esc(label)));
    }
    s.push_str("</g>");
    for (i, series) in c.series.iter().enumerate().take(DASHES.len()) {
        let dash = if DASHES[i].is_empty() { String::new() } else { format!(" stroke-dasharray=\"{}\"", DASHES[i]) };
        // The legend: a sample of the line and its name, across the top.
        let lx = LEFT + (i as i32) * 260;
        s.push_str(&format!(
            "<g class=\"legend\"><line x1=\"{lx}\" y1=\"16\" x2=\"{}\" y2=\"16\" stroke=\"currentColor\" stroke-width=\"3\"{dash}/>{}<text x=\"{}\" y=\"22\" fill=\"currentColor\" font-size=\"20\">{}</text></g>",
            lx + 40,
            marker(i, lx + 20, 16),
            lx + 48,
            esc(series.name)
        ));
        // Each run of values without a gap is one polyline.
        let mut runs: Vec<Vec<(i32, i32)>> = vec![Vec::new()];
        for (j, p) in series.points.iter().enumerate() {
            match p {
                Some(v) => runs.last_mut().map(|r| r.push((x(j), y(*v)))).unwrap_or_default(),
                None => runs.push(Vec::new()),
            }
        }
        s.push_str("<g class=\"series\" fill=\"currentColor\">");
        for run in runs.iter().filter(|r| r.len() > 1) {
            let points: Vec<String> = run.iter().map(|(px, py)| format!("{px},{py}")).collect();
            s.push_str(&format!("<polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"3\"{dash} points=\"{}\"/>", points.join(" ")));
        }
        for (px, py) in runs.iter().flatten() {
            s.push_str(&marker(i, *px, *py));
        }
        s.push_str("</g>");
    }
    if let (Some(first), Some(last)) = (c.columns.first(), c.columns.last()) {
        s.push_str(&format!("<g class=\"columns\" fill=\"currentColor\" font-size=\"20\"><text x=\"{LEFT}\" y=\"{}\">{}</text>", H - 8, esc(first)));
        if c.columns.len() > 1 {
            s.push_str(&format!("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", W - RIGHT, H - 8, esc(last)));
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

/// The marker of series `i` at (`x`, `y`): a dot, a square, a diamond, a ring.
fn marker(i: usize, x: i32, y: i32) -> String {
    match i {
        0 => format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"6\"/>"),
        1 => format!("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\"/>", x - 6, y - 6),
        2 => format!("<path d=\"M{x} {}l7 7l-7 7l-7-7z\"/>", y - 7),
        _ => format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"6\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>"),
    }
}

/// Height of one bar's row: its label above, the bar below.
const ROW: i32 = 58;
/// Room after the longest bar for its value.
const VALUE: i32 = 70;

/// The chart as an `<svg>` element: each bar's label on its own line above
/// it, so labels of any length fit, the bars all starting at the left.
pub fn bars(c: &Bars) -> String {
    let height = 8 + ROW * c.bars.len().max(1) as i32;
    let longest = c.bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let room = (W - VALUE) as u64;
    let mut s = open(c.id, height, c.title, c.desc);
    s.push_str("<g fill=\"currentColor\" font-size=\"20\">");
    for (i, bar) in c.bars.iter().enumerate() {
        let top = 4 + ROW * i as i32;
        let width = (bar.value * room / longest) as i32;
        s.push_str(&format!("<text x=\"0\" y=\"{}\">{}</text>", top + 20, esc(bar.label)));
        if width > 0 {
            s.push_str(&format!("<rect x=\"0\" y=\"{}\" width=\"{width}\" height=\"22\"/>", top + 28));
        }
        s.push_str(&format!("<text x=\"{}\" y=\"{}\">{}</text>", width + 8, top + 46, esc(bar.shown)));
    }
    s.push_str("</g></svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_leave_gaps_and_each_series_has_its_legend() {
        let svg = lines(&Lines {
            id: "r",
            title: "Ratings <by month>",
            desc: "a & b",
            series: &[Series { name: "Mentees", points: &[Some(40), None, Some(35), Some(38)] }, Series { name: "Mentors", points: &[Some(50), Some(45), Some(45), None] }],
            columns: &["Jan", "Feb", "Mar", "Apr"],
            range: (10, 50),
            levels: &[(10, "1"), (30, "3"), (50, "5")],
        });
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        let polylines = doc.descendants().filter(|n| n.has_tag_name("polyline")).count();
        assert_eq!(polylines, 2, "the mentees' line breaks at the gap (one run of one point draws no line), the mentors' is one run");
        assert!(svg.contains("Ratings &lt;by month&gt;") && svg.contains("a &amp; b"));
        assert!(svg.contains(">Mentees</text>") && svg.contains(">Mentors</text>") && svg.contains("stroke-dasharray"));
        // 5.0 is at the top of the plot, 1.0 at its bottom.
        assert!(svg.contains(&format!("y1=\"{TOP}\"")) && svg.contains(&format!("y1=\"{}\"", H - BOTTOM)));
    }

    #[test]
    fn bars_scale_to_the_longest_and_write_each_value() {
        let svg = bars(&Bars {
            id: "b",
            title: "Sessions",
            desc: "March 4, April 2",
            bars: &[Bar { label: "March", value: 4, shown: "4" }, Bar { label: "April", value: 2, shown: "2" }, Bar { label: "May", value: 0, shown: "0" }],
        });
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        let widths: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("rect")).filter_map(|n| n.attribute("width")).collect();
        let full = (W - VALUE).to_string();
        assert_eq!(widths, [full.as_str(), &((W - VALUE) / 2).to_string()], "an empty month draws no bar");
        let xs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("rect")).filter_map(|n| n.attribute("x")).collect();
        assert_eq!(xs, ["0", "0"], "every bar starts at the same edge, its label above it");
        assert_eq!(doc.descendants().filter(|n| n.has_tag_name("text")).count(), 6);
    }
}
