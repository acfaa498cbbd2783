//! The stakeholder report as one HTML page: well formed, one SVG per
//! chart, nothing outside the file, every number the JSON report's, user
//! text escaped, a period's trends spanning it; and, where Chromium is
//! installed, loaded from a file with the network off and rendered.

use crate::support;
use crate::support::hostile;

use chrono::Weekday;
use concierge::domain::Customer;
use concierge::review::{self, Week};
use serde_json::Value;

fn w47() -> Week {
    Week::parse("2026-W47", Weekday::Mon).expect("week")
}

/// The demo's W47 review as HTML and as parsed JSON (one computed review).
fn both() -> (String, Value) {
    let (_dir, store) = support::demo();
    let r = review::load(&store, w47()).expect("review");
    let json = review::json::render(&r).expect("json");
    (
        review::html::render(&r),
        serde_json::from_str(&json).expect("parse"),
    )
}

/// Elements that never close in HTML.
const VOID: [&str; 6] = ["meta", "br", "img", "input", "link", "hr"];

/// Every element is closed, in order (`Err` names the first that is not).
fn well_formed(html: &str) -> Result<(), String> {
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').ok_or("a tag never ends")?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        if tag.starts_with('/') {
            match open.pop() {
                Some(top) if top == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        } else if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            open.push(name);
            if open.last().is_some_and(|t| t == "style" || t == "title") {
                // Their text holds no tags; skip to the closing one.
                let close = format!("</{}>", open.last().map_or("", String::as_str));
                let at = rest.find(&close).ok_or("unclosed style/title")?;
                rest = &rest[at..];
            }
        }
    }
    if open.is_empty() {
        Ok(())
    } else {
        Err(format!("left open: {open:?}"))
    }
}

/// The number at the start of a shown figure: `80.67%` → 0.8067,
/// `12.5 days` → 12.5.
fn read(text: &str) -> Option<f64> {
    let t = text.trim().replace('−', "-");
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(t.len());
    let n: f64 = t[..end].parse().ok()?;
    Some(if t[end..].starts_with('%') {
        n / 100.0
    } else {
        n
    })
}

/// The texts of the `td class="n"` cells of the figure after `caption`.
fn figure_cells(html: &str, caption: &str) -> Vec<String> {
    let at = html.find(caption).expect("caption");
    let figure = &html[at..html[at..].find("</figure>").map_or(html.len(), |e| at + e)];
    figure
        .split("<td class=\"n\">")
        .skip(1)
        .filter_map(|c| c.split("</td>").next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_page_is_one_well_formed_self_contained_file() {
    let (html, json) = both();
    well_formed(&html).expect("well formed");
    for outside in ["src=", "href=", "url(", "@import", "<script", "<link"] {
        assert!(
            !html.contains(outside),
            "the page points outside: {outside}"
        );
    }
    // One SVG per chart: check-ins per customer, backlog by status, the
    // evidence on open tests, each field's trend, effort per customer.
    let fields = json["data"]["fields"].as_array().expect("fields").len();
    let tests = usize::from(
        !json["backlog"]["open_tests"]
            .as_array()
            .expect("tests")
            .is_empty(),
    );
    let effort = usize::from(
        !json["effort"]["per_customer"]
            .as_array()
            .expect("effort")
            .is_empty(),
    );
    assert_eq!(html.matches("<svg").count(), 2 + tests + fields + effort);
    // Every chart is named for a screen reader.
    assert_eq!(
        html.matches("<svg").count(),
        html.matches("<title>").count() - 1
    );
    assert!(html.contains("prefers-color-scheme: dark"));
    assert!(html.contains("break-inside: avoid"));
}

#[test]
fn every_number_is_the_json_reports() {
    let (html, json) = both();
    for field in json["data"]["fields"].as_array().expect("fields") {
        let label = field["label"].as_str().expect("label");
        let shown = &field["shown"];
        let caption = format!(
            "{label} · this week {} · previous {} · change {}",
            shown["this_week"].as_str().expect("this"),
            shown["previous_week"].as_str().expect("previous"),
            shown["change"].as_str().expect("change"),
        );
        assert!(html.contains(&caption), "missing: {caption}");
        let cells = figure_cells(&html, &caption);
        let series = field["series"].as_array().expect("series");
        assert_eq!(cells.len(), series.len(), "{label}");
        for (cell, value) in cells.iter().zip(series) {
            match value.as_f64() {
                Some(v) => {
                    let shown = read(cell).unwrap_or(f64::NAN);
                    assert!((shown - v).abs() < 0.006, "{label}: {cell} for {v}");
                }
                None => assert_eq!(cell, "—", "{label}: a gap shows as —"),
            }
        }
    }
    for status in json["backlog"]["by_status"].as_array().expect("statuses") {
        let row = format!(
            "<td>{}</td><td class=\"n\">{}</td>",
            status["status"].as_str().expect("status"),
            status["count"]
        );
        assert!(html.contains(&row), "missing {row}");
    }
    for test in json["backlog"]["open_tests"].as_array().expect("tests") {
        let row = format!(
            "<td class=\"n\">{}</td><td class=\"n\">+{}</td><td class=\"n\">−{}</td>",
            test["evidence"], test["supports"], test["refutes"]
        );
        assert!(html.contains(&row), "missing {row}");
    }
    let held = json["checkins"]["held"].as_u64().expect("held");
    assert!(html.contains(&format!("<b>Check-ins: </b>{held} held")));
}

#[test]
fn user_text_cannot_inject_markup_or_script() {
    let (_dir, mut store) = support::demo();
    hostile::seed(&mut store);
    store
        .save_customer(&Customer {
            name: "<script>alert(1)</script> & <img onerror=x>".into(),
            ..Customer::default()
        })
        .expect("save");
    let r = review::load(&store, w47()).expect("review");
    let html = review::html::render(&r);
    well_formed(&html).expect("well formed");
    assert!(!html.contains("<script"));
    assert!(!html.contains("<img"));
}

#[test]
fn a_period_spans_its_weeks_in_every_trend() {
    let (_dir, store) = support::demo();
    let (first, last) = review::parse_span(&store, "2026-W36..2026-W47").expect("span");
    let r = review::load_span(&store, first.expect("first"), last).expect("review");
    assert_eq!(r.data.weeks.len(), 12);
    assert_eq!(r.data.weeks.first().map(String::as_str), Some("2026-W36"));
    for t in &r.data.fields {
        assert_eq!(t.series.len(), 12, "{}", t.key);
    }
    // The demo's ten weeks of entries: the two first weeks are gaps.
    assert!(r.data.fields[0].series[..2].iter().all(Option::is_none));
    let err = review::parse_span(&store, "2026-W47..2026-W36").expect_err("backwards");
    assert!(err.to_string().contains("ends before it starts"), "{err}");
}

/// Headless Chromium loads the page from a file with the network off and
/// renders it to PNG and PDF without console errors; every chart has a
/// rendered area. Skipped (with a message) where Chromium is missing;
/// `.ci/run` installs it.
#[test]
fn chromium_renders_the_page_and_every_chart() {
    let chromium = ["chromium", "chromium-browser"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(chromium) = chromium else {
        eprintln!("skipped: no chromium on this machine (.ci/run installs it)");
        return;
    };
    let (html, json) = both();
    let dir = tempfile::tempdir().expect("dir");
    // A probe measures each chart once the page has loaded.
    let probe = "<script>addEventListener('load',()=>{document.title=[...document.querySelectorAll('svg')].map(s=>{const r=s.getBoundingClientRect();return Math.round(r.width)+'x'+Math.round(r.height)}).join(',')})</script>";
    let page = dir.path().join("review.html");
    std::fs::write(&page, html.replace("</body>", &format!("{probe}</body>"))).expect("write");
    let url = format!("file://{}", page.display());
    let run = |extra: &[String]| {
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        args.extend_from_slice(extra);
        args.push(url.clone());
        std::process::Command::new(chromium)
            .args(&args)
            .env("HOME", dir.path())
            .output()
            .expect("chromium")
    };
    let png = dir.path().join("review.png");
    let pdf = dir.path().join("review.pdf");
    let dom = run(&["--dump-dom".into(), "--virtual-time-budget=2000".into()]);
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    let title = dom
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .expect("the probe's title");
    let sizes: Vec<(u32, u32)> = title
        .split(',')
        .filter_map(|s| s.split_once('x'))
        .map(|(w, h)| (w.parse().unwrap_or(0), h.parse().unwrap_or(0)))
        .collect();
    let fields = json["data"]["fields"].as_array().expect("fields").len();
    assert!(sizes.len() >= 2 + fields, "{title}");
    assert!(
        sizes.iter().all(|(w, h)| *w > 100 && *h > 100),
        "a chart has no area: {title}"
    );
    for (flag, file) in [("--screenshot", &png), ("--print-to-pdf", &pdf)] {
        let out = run(&[
            format!("{flag}={}", file.display()),
            "--window-size=900,1800".into(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(!stderr.contains("Uncaught"), "console error: {stderr}");
        let size = std::fs::metadata(file).expect("rendered").len();
        assert!(size > 20_000, "{flag}: only {size} bytes");
    }
}
