//! The benchmark fixture (SPEC §6 *large*), built deterministically from a
//! seed: customers, backlog items across every status, check-ins with long
//! notes, evidence, follow-ups, 40 live-data fields and their entries.
//! `concierge dev fixture` and the benchmarks call
//! [`Store::build_fixture`](crate::store::Store::build_fixture);
//! `concierge dev wide-csv` calls [`write_wide_csv`] for a matching data file.
//!
//! This module decides what the rows are and hands them to a [`Sink`]; the
//! store engine writes them fast (one transaction, prepared statements, no
//! change rows — the whole fixture is one batch labelled `fixture …` with no
//! per-record history; undoing it is refused as "changed nothing"; the
//! records are the workspace's starting state, as a migration's would be).
//! Names and fields are the same for every seed; the seed varies values.

mod csv;
mod records;
mod words;

pub use csv::write_wide_csv;
pub use words::{Rng, fields as fixture_fields};

use crate::domain::{Field, FieldType, IcpFit, Stage};
use crate::store::{Result, StoredValue as Value};
use chrono::{Duration, NaiveDate};
use records::{write_checkins, write_evidence, write_followups, write_items};
use words::{FIRST, PEOPLE, SECOND, SEGMENTS, prose};

/// Where the fixture's rows go: the store engine writes them inside the
/// one transaction of the build.
pub trait Sink {
    /// The rows that follow are `table`'s, giving `columns` in this order.
    fn table(&mut self, table: &str, columns: &[&str]) -> Result<()>;
    /// One row of the current table.
    fn row(&mut self, values: &[Value]) -> Result<()>;
    /// Adds `field`'s live-data column (after its row, before any entry
    /// is written).
    fn field_column(&mut self, field: &Field) -> Result<()>;
}

/// How big a fixture is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixtureSize {
    pub customers: usize,
    pub items: usize,
    pub checkins: usize,
    pub fields: usize,
    /// Weekly entries per customer (entries = customers × this).
    pub weeks: usize,
    pub evidence: usize,
    pub followups: usize,
}

impl FixtureSize {
    /// SPEC §6 *large*: 500 customers, 2,000 items, 20,000 check-ins,
    /// 40 fields, 100,000 entries (4,000,000 values).
    pub const LARGE: FixtureSize = FixtureSize {
        customers: 500,
        items: 2_000,
        checkins: 20_000,
        fields: 40,
        weeks: 200,
        evidence: 5_000,
        followups: 4_000,
    };

    /// A tenth of *large* (same 40 fields) for tests and quick runs.
    pub const SMALL: FixtureSize = FixtureSize {
        customers: 50,
        items: 200,
        checkins: 2_000,
        fields: 40,
        weeks: 200,
        evidence: 500,
        followups: 400,
    };

    pub fn entries(&self) -> usize {
        self.customers * self.weeks
    }
}

/// The day the fixture is anchored on (a Monday): entries run weekly up to
/// it, check-ins mostly before it. Fixed, so a seed always gives the same file.
pub const ANCHOR: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 16) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// What a fixture build wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureSummary {
    pub batch: i64,
    pub customers: usize,
    pub items: usize,
    pub checkins: usize,
    pub fields: usize,
    pub entries: usize,
    pub values: usize,
    pub evidence: usize,
    pub followups: usize,
}

/// The fixture's name for customer `n` (1-based), the same for every seed.
pub fn customer_name(n: usize) -> String {
    let i = n - 1;
    let first = FIRST[i % FIRST.len()];
    let second = SECOND[(i / FIRST.len()) % SECOND.len()];
    let round = i / (FIRST.len() * SECOND.len());
    if round == 0 {
        format!("{first} {second}")
    } else {
        format!("{first} {second} {}", round + 1)
    }
}

fn day(d: NaiveDate) -> Value {
    Value::Text(d.to_string())
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn opt_text(v: Option<impl ToString>) -> Value {
    v.map_or(Value::Null, |v| Value::Text(v.to_string()))
}

fn opt_int(v: Option<i64>) -> Value {
    v.map_or(Value::Null, Value::Integer)
}

fn opt_real(v: Option<f64>) -> Value {
    v.map_or(Value::Null, Value::Real)
}

/// Writes the whole fixture for `seed` into `sink`: what a build wrote
/// (`batch` is left 0 for the store to fill).
pub fn generate(sink: &mut dyn Sink, seed: u64, size: FixtureSize) -> Result<FixtureSummary> {
    let stamp = stamp();
    let mut rng = Rng::new(seed);
    let fields = fixture_fields(size.fields);
    write_fields(sink, &fields, &stamp)?;
    write_customers(sink, &mut rng, size, &stamp)?;
    write_items(sink, &mut rng, size, &stamp)?;
    write_checkins(sink, &mut rng, size)?;
    write_evidence(sink, &mut rng, size, &stamp)?;
    write_followups(sink, &mut rng, size)?;
    // Entries keep their stamps in Unix seconds (see `Writer::stamp`).
    let entry_stamp = ANCHOR
        .and_hms_opt(12, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp());
    let values = write_entries(sink, &mut rng, size, &fields, entry_stamp)?;
    Ok(FixtureSummary {
        batch: 0,
        customers: size.customers,
        items: size.items,
        checkins: size.checkins,
        fields: fields.len(),
        entries: size.entries(),
        values,
        evidence: size.evidence,
        followups: size.followups,
    })
}

/// The fixture batch's time and every record's creation time.
pub fn stamp() -> String {
    format!("{ANCHOR}T12:00:00Z")
}

/// The fixture batch's label.
pub fn label(seed: u64, size: FixtureSize) -> String {
    format!(
        "fixture seed {seed}: {} customers, {} entries",
        size.customers,
        size.entries()
    )
}

fn write_fields(sink: &mut dyn Sink, fields: &[Field], stamp: &str) -> Result<()> {
    sink.table(
        "fields",
        &[
            "id",
            "key",
            "label",
            "type",
            "options",
            "unit",
            "required",
            "min",
            "max",
            "description",
            "position",
            "archived",
            "created_at",
            "updated_at",
        ],
    )?;
    for f in fields {
        sink.row(&[
            Value::Integer(f.id),
            text(&f.key),
            text(&f.label),
            text(f.field_type.as_str()),
            text(f.options.join("\n")),
            text(&f.unit),
            Value::Integer(0),
            opt_real(f.min),
            opt_real(f.max),
            text(format!("Fixture field {} ({})", f.key, f.field_type)),
            Value::Integer(f.position),
            Value::Integer(0),
            text(stamp),
            text(stamp),
        ])?;
    }
    // After the rows: a server adds a column only for a field it has.
    for f in fields {
        sink.field_column(f)?;
    }
    Ok(())
}

fn write_customers(
    sink: &mut dyn Sink,
    rng: &mut Rng,
    size: FixtureSize,
    stamp: &str,
) -> Result<()> {
    sink.table(
        "customers",
        &[
            "id",
            "name",
            "company",
            "segment",
            "icp_fit",
            "stage",
            "agreement_signed_on",
            "contact_name",
            "contact_email",
            "owner",
            "cadence_days",
            "notes",
            "created_at",
            "updated_at",
        ],
    )?;
    for n in 1..=size.customers {
        let name = customer_name(n);
        let stage = match rng.below(100) {
            0..=59 => Stage::Active,
            60..=69 => Stage::Onboarding,
            70..=77 => Stage::Paused,
            78..=84 => Stage::Graduated,
            85..=89 => Stage::Dropped,
            90..=94 => Stage::Invited,
            _ => Stage::Prospect,
        };
        let signed = matches!(
            stage,
            Stage::Active | Stage::Paused | Stage::Graduated | Stage::Dropped
        ) || rng.chance(30);
        let agreement = signed.then(|| ANCHOR - Duration::days(rng.between(30, 700)));
        let contact = *rng.pick(PEOPLE);
        let slug: String = name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        sink.row(&[
            Value::Integer(n as i64),
            text(&name),
            text(format!("{name} Inc.")),
            text(*rng.pick(SEGMENTS)),
            text(rng.pick(IcpFit::ALL).as_str()),
            text(stage.as_str()),
            opt_text(agreement),
            text(format!(
                "{contact} at {}",
                name.split(' ').next().unwrap_or("site")
            )),
            text(format!("{contact}@{slug}.example.com")),
            text(*rng.pick(PEOPLE)),
            Value::Integer(*rng.pick(&[7i64, 7, 7, 14, 14, 30])),
            text(prose(rng, 120)),
            text(stamp),
            text(stamp),
        ])?;
    }
    Ok(())
}

/// One value of `field`, or `None` for an empty cell (about 1 in 25).
pub(crate) fn sample(field: &Field, rng: &mut Rng) -> Option<Value> {
    if rng.chance(4) {
        return None;
    }
    Some(match field.field_type {
        FieldType::Integer => Value::Integer(rng.between(0, 400)),
        FieldType::Decimal => Value::Real(rng.between(0, 500_000) as f64 / 100.0),
        FieldType::Percent => Value::Real(rng.between(0, 100) as f64 / 100.0),
        FieldType::Text => text(format!(
            "{} {}",
            rng.pick(words::WORDS),
            rng.pick(words::WORDS)
        )),
        FieldType::Date => day(ANCHOR - Duration::days(rng.between(0, 1500))),
        FieldType::Boolean => Value::Integer(rng.below(2) as i64),
        FieldType::Choice => text(*rng.pick(words::LEVELS)),
    })
}

fn write_entries(
    sink: &mut dyn Sink,
    rng: &mut Rng,
    size: FixtureSize,
    fields: &[Field],
    stamp: i64,
) -> Result<usize> {
    let columns: Vec<String> = fields.iter().map(Field::column).collect();
    let mut names = vec![
        "id",
        "customer_id",
        "recorded_on",
        "created_at",
        "updated_at",
    ];
    names.extend(columns.iter().map(String::as_str));
    sink.table("entries", &names)?;
    let mut values = 0usize;
    let mut id = 0i64;
    let mut row: Vec<Value> = Vec::with_capacity(columns.len() + 5);
    for week in 0..size.weeks {
        let on = ANCHOR - Duration::weeks((size.weeks - 1 - week) as i64);
        for customer in 1..=size.customers {
            id += 1;
            row.clear();
            row.extend([
                Value::Integer(id),
                Value::Integer(customer as i64),
                day(on),
                Value::Integer(stamp),
                Value::Integer(stamp),
            ]);
            for field in fields {
                let value = sample(field, rng);
                values += usize::from(value.is_some());
                row.push(value.unwrap_or(Value::Null));
            }
            sink.row(&row)?;
        }
    }
    Ok(values)
}
