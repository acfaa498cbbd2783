//! The report's charts as SVG strings, drawn with plotters' SVG backend:
//! a weekly trend whose gaps stay gaps, and horizontal bars by category
//! (grouped when there are several series, diverging when a series is
//! negative). Every chart carries a `<title>` naming what it shows; its
//! numbers are in the table beside it.

use crate::review::runs;
use plotters::prelude::*;

/// Width of every chart, in CSS pixels: fits A4 and letter pages.
const WIDTH: u32 = 640;
/// Colours that read on white paper and in grey print.
pub const BLUE: RGBColor = RGBColor(31, 95, 168);
pub const ORANGE: RGBColor = RGBColor(201, 102, 20);
pub const GREEN: RGBColor = RGBColor(46, 125, 50);
pub const RED: RGBColor = RGBColor(183, 28, 28);
const GREY: RGBColor = RGBColor(110, 110, 110);

/// One series of bars: its name (the legend), colour and one value per
/// category.
pub struct Bars<'a> {
    pub name: &'a str,
    pub color: RGBColor,
    pub values: Vec<f64>,
}

/// A vertical line across the bars (a threshold), with its label.
pub struct Mark<'a> {
    pub at: f64,
    pub label: &'a str,
}

/// A field's weekly numbers over `weeks`: a line through each run of
/// weeks with a value, a dot on every value, and nothing at all for a week
/// without one. `show` writes a value as the tables do.
pub fn trend(
    title: &str,
    weeks: &[String],
    series: &[Option<f64>],
    show: &dyn Fn(f64) -> String,
) -> String {
    let values: Vec<f64> = series.iter().flatten().copied().collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if values.is_empty() {
        (0.0, 1.0)
    } else {
        let lo = if lo >= 0.0 { 0.0 } else { lo };
        let pad = ((hi - lo) * 0.1).max(if hi == 0.0 { 1.0 } else { hi.abs() * 0.05 });
        (lo, hi + pad)
    };
    let last = weeks.len().saturating_sub(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 240)).into_drawing_area();
        let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
            root.fill(&WHITE)?;
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .x_label_area_size(28)
                .y_label_area_size(64)
                .build_cartesian_2d(-0.3f64..(last as f64 + 0.3), lo..hi)?;
            let week_label = |x: &f64| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    weeks
                        .get(i as usize)
                        .map(|w| w.rsplit('-').next().unwrap_or(w).to_string())
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            };
            chart
                .configure_mesh()
                .x_labels(weeks.len().min(16))
                .x_label_formatter(&week_label)
                .y_labels(5)
                .y_label_formatter(&|y| show(*y))
                .light_line_style(WHITE)
                .bold_line_style(RGBColor(225, 225, 225))
                .draw()?;
            for run in runs(series) {
                chart.draw_series(LineSeries::new(run.clone(), BLUE.stroke_width(2)))?;
                chart.draw_series(run.into_iter().map(|p| Circle::new(p, 3, BLUE.filled())))?;
            }
            root.present()?;
            Ok(())
        })();
        drawn.ok();
    }
    titled(svg, title)
}

/// Horizontal bars, one row per category: one bar per series (grouped),
/// negative values to the left of zero, and optional threshold marks.
pub fn bars(title: &str, categories: &[String], series: &[Bars<'_>], marks: &[Mark<'_>]) -> String {
    let values = series.iter().flat_map(|s| s.values.iter().copied());
    let hi = values
        .clone()
        .fold(0.0f64, f64::max)
        .max(marks.iter().map(|m| m.at).fold(0.0, f64::max));
    let lo = values
        .fold(0.0f64, f64::min)
        .min(marks.iter().map(|m| m.at).fold(0.0, f64::min));
    let (lo, hi) = if hi - lo < 1.0 {
        (lo, lo + 1.0)
    } else {
        (lo * 1.1, hi * 1.1)
    };
    let rows = categories.len().max(1);
    // At most 30 bars' height (about 850 px): a chart always fits on one
    // A4 or letter page; more categories make thinner bars.
    let height = 70
        + 26 * u32::try_from(rows * series.len().max(1))
            .unwrap_or(30)
            .min(30);
    let widest = categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(4);
    let label_room = u32::try_from(widest.clamp(4, 28) * 7 + 12).unwrap_or(200);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
            root.fill(&WHITE)?;
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .x_label_area_size(28)
                .y_label_area_size(label_room)
                .build_cartesian_2d(lo..hi, -0.5f64..(rows as f64 - 0.5))?;
            let category = |y: &f64| {
                let i = y.round();
                if (y - i).abs() < 1e-6 && i >= 0.0 {
                    categories
                        .get(rows - 1 - i as usize)
                        .map(|c| short(c, 28))
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            };
            chart
                .configure_mesh()
                .y_labels(rows)
                .y_label_formatter(&category)
                .x_labels(6)
                .x_label_formatter(&|x| trim(*x))
                .light_line_style(WHITE)
                .bold_line_style(RGBColor(225, 225, 225))
                .draw()?;
            let band = 0.8 / series.len().max(1) as f64;
            for (k, s) in series.iter().enumerate() {
                let drawn = chart.draw_series(s.values.iter().enumerate().map(|(i, v)| {
                    let row = (rows - 1 - i) as f64;
                    let top = row + 0.4 - band * k as f64;
                    Rectangle::new([(0.0, top), (*v, top - band * 0.9)], s.color.filled())
                }))?;
                if series.len() > 1 {
                    let color = s.color;
                    drawn.label(s.name).legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                    });
                }
            }
            for m in marks {
                let drawn = chart.draw_series(LineSeries::new(
                    [(m.at, -0.5), (m.at, rows as f64 - 0.5)],
                    GREY.stroke_width(1),
                ))?;
                if !m.label.is_empty() {
                    drawn
                        .label(m.label)
                        .legend(|(x, y)| PathElement::new([(x, y), (x + 10, y)], GREY));
                }
            }
            if series.len() > 1 || !marks.is_empty() {
                chart
                    .configure_series_labels()
                    .position(SeriesLabelPosition::LowerRight)
                    .background_style(WHITE.mix(0.9))
                    .border_style(GREY)
                    .draw()?;
            }
            root.present()?;
            Ok(())
        })();
        drawn.ok();
    }
    titled(svg, title)
}

/// Puts an accessible name on the chart: `role="img"` and a `<title>`
/// (escaped) as the SVG's first child.
fn titled(svg: String, title: &str) -> String {
    let Some(end) = svg.find('>') else {
        return svg;
    };
    let escaped = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "{} role=\"img\" aria-label=\"{}\"><title>{escaped}</title>{}",
        &svg[..end],
        escaped.replace('"', "&quot;"),
        &svg[end + 1..]
    )
}

fn short(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        text.to_string()
    } else {
        let cut: String = text.chars().take(most - 1).collect();
        format!("{cut}…")
    }
}

fn trim(x: f64) -> String {
    let text = format!("{x:.1}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_without_a_value_is_a_gap_in_the_line() {
        assert_eq!(
            runs(&[Some(1.0), None, Some(3.0), Some(4.0), None]),
            vec![vec![(0.0, 1.0)], vec![(2.0, 3.0), (3.0, 4.0)]]
        );
        let weeks: Vec<String> = (1..=4).map(|w| format!("2026-W{w:02}")).collect();
        let svg = trend(
            "t <x>",
            &weeks,
            &[Some(1.0), None, Some(3.0), Some(4.0)],
            &trim,
        );
        // Two runs: the first a lone dot, the second a line; no point at
        // the gap.
        let lines = svg
            .lines()
            .filter(|l| l.starts_with("<polyline") && l.contains("#1F5FA8"))
            .count();
        assert_eq!(lines, 2, "{svg}");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("<title>t &lt;x&gt;</title>"));
    }
}
