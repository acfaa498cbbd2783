//! The demo workspace (`concierge --demo`, `concierge init --demo`), built
//! from `assets/demo/workspace.json`.
//!
//! The asset's dates are anchored on one day; loading shifts them by whole
//! weeks so the demo always looks current (weekdays stay weekdays). Each
//! record is written as its own batch by its author at its own time, in
//! time order, so Activity reads like a real history.

use crate::domain::{
    BacklogItem, CheckIn, Customer, EvidenceLink, Field, FieldType, FollowUp, Meta,
};
use crate::store::StoredValue as Value;
use crate::store::{Result, Store, StoreError};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use std::collections::HashMap;

/// The demo asset, compiled in so the binary works from any directory.
pub const DEMO_JSON: &str = include_str!("../assets/demo/workspace.json");

#[derive(Deserialize)]
struct Demo {
    anchor: NaiveDate,
    fields: Vec<DemoField>,
    customers: Vec<DemoCustomer>,
    backlog: Vec<DemoItem>,
    checkins: Vec<DemoCheckIn>,
    evidence: Vec<DemoEvidence>,
    followups: Vec<DemoFollowUp>,
    entries: Vec<DemoEntry>,
}

#[derive(Deserialize)]
struct DemoField {
    key: String,
    label: String,
    #[serde(rename = "type")]
    field_type: String,
    unit: Option<String>,
    #[serde(default)]
    required: bool,
    min: Option<f64>,
    max: Option<f64>,
    description: Option<String>,
    #[serde(default)]
    options: Vec<String>,
}

#[derive(Deserialize)]
struct DemoCustomer {
    name: String,
    company: Option<String>,
    segment: Option<String>,
    icp_fit: String,
    stage: String,
    agreement_signed_on: Option<NaiveDate>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    owner: String,
    cadence_days: Option<i64>,
    notes: Option<String>,
    created_on: NaiveDate,
}

#[derive(Deserialize)]
struct DemoItem {
    kind: String,
    statement: String,
    category: Option<String>,
    test: Option<String>,
    metric: Option<String>,
    metric_field: Option<String>,
    criterion: Option<String>,
    impact: i64,
    uncertainty: i64,
    status: String,
    status_reason: Option<String>,
    owner: String,
    #[serde(default)]
    tags: Vec<String>,
    learning: Option<String>,
    decision: Option<String>,
    decided_at: Option<NaiveDate>,
    created_on: NaiveDate,
    status_since: NaiveDate,
}

#[derive(Deserialize)]
struct DemoCheckIn {
    customer: String,
    occurred_on: NaiveDate,
    kind: String,
    author: String,
    summary: String,
    notes: Option<String>,
    health: Option<i64>,
    effort_minutes: Option<i64>,
}

#[derive(Deserialize)]
struct DemoEvidence {
    checkin: usize,
    item: usize,
    stance: String,
    strength: String,
    quote: Option<String>,
}

#[derive(Deserialize)]
struct DemoFollowUp {
    customer: String,
    checkin: Option<usize>,
    text: String,
    owner: String,
    due_on: Option<NaiveDate>,
    done_on: Option<NaiveDate>,
}

#[derive(Deserialize)]
struct DemoEntry {
    customer: String,
    recorded_on: NaiveDate,
    values: HashMap<String, serde_json::Value>,
}

/// One record to write, in time order.
enum Event<'a> {
    Fields,
    Customer(&'a DemoCustomer),
    Item(usize, &'a DemoItem),
    CheckIn(usize, &'a DemoCheckIn),
    Evidence(&'a DemoEvidence),
    FollowUp(&'a DemoFollowUp),
    Week(NaiveDate),
}

fn bad(what: impl std::fmt::Display) -> StoreError {
    StoreError::Refused(format!("demo asset: {what}"))
}

/// Fills an empty workspace with the demo data, dated around `today`.
pub fn load(store: &mut Store) -> Result<()> {
    let demo: Demo = serde_json::from_str(DEMO_JSON).map_err(bad)?;
    let today = store.clock().today();
    let shift = Duration::weeks((today - demo.anchor).num_days().div_euclid(7));
    let mut events: Vec<(NaiveDate, u8, Event<'_>)> = Vec::new();
    let first = demo
        .customers
        .iter()
        .map(|c| c.created_on)
        .min()
        .unwrap_or(demo.anchor);
    events.push((first - Duration::days(1), 0, Event::Fields));
    events.extend(
        demo.customers
            .iter()
            .map(|c| (c.created_on, 1, Event::Customer(c))),
    );
    events.extend(
        demo.backlog
            .iter()
            .enumerate()
            .map(|(i, b)| (b.created_on, 2, Event::Item(i, b))),
    );
    events.extend(
        demo.checkins
            .iter()
            .enumerate()
            .map(|(i, k)| (k.occurred_on.min(demo.anchor), 3, Event::CheckIn(i, k))),
    );
    for e in &demo.evidence {
        let k = demo
            .checkins
            .get(e.checkin - 1)
            .ok_or_else(|| bad("evidence check-in"))?;
        let b = demo
            .backlog
            .get(e.item - 1)
            .ok_or_else(|| bad("evidence item"))?;
        events.push((
            k.occurred_on.max(b.created_on).min(demo.anchor),
            4,
            Event::Evidence(e),
        ));
    }
    for f in &demo.followups {
        let from = f
            .checkin
            .and_then(|i| demo.checkins.get(i - 1))
            .map(|k| k.occurred_on);
        let on = from
            .or(f.due_on.map(|d| d - Duration::days(7)))
            .unwrap_or(demo.anchor);
        events.push((on.min(demo.anchor), 5, Event::FollowUp(f)));
    }
    let mut weeks: Vec<NaiveDate> = demo.entries.iter().map(|e| e.recorded_on).collect();
    weeks.sort_unstable();
    weeks.dedup();
    events.extend(
        weeks
            .into_iter()
            .map(|w| (w.min(demo.anchor), 6, Event::Week(w))),
    );
    events.sort_by_key(|(on, rank, _)| (*on, *rank));

    let mut ids = Ids::default();
    for (n, (on, _, event)) in events.iter().enumerate() {
        let at = format!("{}T{:02}:{:02}:00Z", *on + shift, 8 + n % 9, n % 60);
        write_event(store, &demo, event, &at, shift, &mut ids)?;
    }
    Ok(())
}

#[derive(Default)]
struct Ids {
    fields: HashMap<String, (i64, FieldType)>,
    customers: HashMap<String, i64>,
    items: HashMap<usize, i64>,
    checkins: HashMap<usize, i64>,
}

fn write_event(
    store: &mut Store,
    demo: &Demo,
    event: &Event<'_>,
    at: &str,
    shift: Duration,
    ids: &mut Ids,
) -> Result<()> {
    let day = |d: NaiveDate| d + shift;
    match event {
        Event::Fields => {
            let (_, made) = store.write_as("dana", at, "define data fields", |w| {
                let mut made = Vec::new();
                for (position, f) in demo.fields.iter().enumerate() {
                    let field_type = FieldType::parse(&f.field_type).ok_or_else(|| bad(&f.key))?;
                    let id = w.add_field(&Field {
                        id: 0,
                        key: f.key.clone(),
                        label: f.label.clone(),
                        field_type,
                        options: f.options.clone(),
                        unit: f.unit.clone().unwrap_or_default(),
                        required: f.required,
                        min: f.min,
                        max: f.max,
                        description: f.description.clone().unwrap_or_default(),
                        position: position as i64,
                        archived: false,
                        meta: Meta::default(),
                    })?;
                    made.push((f.key.clone(), (id, field_type)));
                }
                Ok(made)
            })?;
            ids.fields.extend(made);
        }
        Event::Customer(c) => {
            let customer = Customer {
                name: c.name.clone(),
                company: c.company.clone().unwrap_or_default(),
                segment: c.segment.clone().unwrap_or_default(),
                icp_fit: crate::domain::IcpFit::parse(&c.icp_fit).ok_or_else(|| bad(&c.icp_fit))?,
                stage: crate::domain::Stage::parse(&c.stage).ok_or_else(|| bad(&c.stage))?,
                agreement_signed_on: c.agreement_signed_on.map(day),
                contact_name: c.contact_name.clone().unwrap_or_default(),
                contact_email: c.contact_email.clone().unwrap_or_default(),
                owner: c.owner.clone(),
                cadence_days: c.cadence_days.unwrap_or(7),
                notes: c.notes.clone().unwrap_or_default(),
                ..Customer::default()
            };
            let label = format!("create customer {}", c.name);
            let (_, id) = store.write_as(&c.owner, at, &label, |w| w.save_customer(&customer))?;
            ids.customers.insert(c.name.to_lowercase(), id);
        }
        Event::Item(index, b) => {
            let item = BacklogItem {
                kind: crate::domain::ItemKind::parse(&b.kind).ok_or_else(|| bad(&b.kind))?,
                statement: b.statement.clone(),
                category: b
                    .category
                    .as_deref()
                    .and_then(crate::domain::Category::parse),
                test: b.test.clone().unwrap_or_default(),
                metric: b.metric.clone().unwrap_or_default(),
                metric_field: b
                    .metric_field
                    .as_ref()
                    .and_then(|k| ids.fields.get(k))
                    .map(|f| f.0),
                criterion: b.criterion.clone().unwrap_or_default(),
                impact: b.impact,
                uncertainty: b.uncertainty,
                status: crate::domain::Status::parse(&b.status).ok_or_else(|| bad(&b.status))?,
                status_reason: b.status_reason.clone().unwrap_or_default(),
                status_since: day(b.status_since).to_string(),
                owner: b.owner.clone(),
                tags: b.tags.clone(),
                learning: b.learning.clone().unwrap_or_default(),
                decision: b
                    .decision
                    .as_deref()
                    .and_then(crate::domain::Decision::parse),
                decided_at: b.decided_at.map(day),
                ..BacklogItem::default()
            };
            let (_, id) = store.write_as(&b.owner, at, "create backlog item", |w| {
                w.save_backlog(&item)
            })?;
            ids.items.insert(index + 1, id);
        }
        Event::CheckIn(index, k) => {
            let customer_id = *ids
                .customers
                .get(&k.customer.to_lowercase())
                .ok_or_else(|| bad(&k.customer))?;
            let checkin = CheckIn {
                id: 0,
                customer_id,
                occurred_on: day(k.occurred_on),
                kind: crate::domain::CheckInKind::parse(&k.kind).ok_or_else(|| bad(&k.kind))?,
                author: k.author.clone(),
                summary: k.summary.clone(),
                notes: k.notes.clone().unwrap_or_default(),
                health: k.health,
                effort_minutes: k.effort_minutes,
                meta: Meta::default(),
            };
            let (_, id) =
                store.write_as(&k.author, at, "log check-in", |w| w.save_checkin(&checkin))?;
            ids.checkins.insert(index + 1, id);
        }
        Event::Evidence(e) => {
            let link = EvidenceLink {
                id: 0,
                item_id: *ids.items.get(&e.item).ok_or_else(|| bad("evidence item"))?,
                checkin_id: Some(
                    *ids.checkins
                        .get(&e.checkin)
                        .ok_or_else(|| bad("evidence check-in"))?,
                ),
                field_id: None,
                stance: crate::domain::Stance::parse(&e.stance).ok_or_else(|| bad(&e.stance))?,
                strength: crate::domain::Strength::parse(&e.strength)
                    .ok_or_else(|| bad(&e.strength))?,
                quote: e.quote.clone().unwrap_or_default(),
                meta: Meta::default(),
            };
            let author = demo
                .checkins
                .get(e.checkin - 1)
                .map_or("dana", |k| k.author.as_str());
            store.write_as(author, at, "link evidence", |w| w.save_evidence(&link))?;
        }
        Event::FollowUp(f) => {
            let followup = FollowUp {
                customer_id: *ids
                    .customers
                    .get(&f.customer.to_lowercase())
                    .ok_or_else(|| bad(&f.customer))?,
                checkin_id: f.checkin.and_then(|i| ids.checkins.get(&i).copied()),
                text: f.text.clone(),
                owner: f.owner.clone(),
                due_on: f.due_on.map(day),
                done_at: f.done_on.map(|d| format!("{}T16:00:00Z", day(d))),
                ..FollowUp::default()
            };
            store.write_as(&f.owner, at, "add follow-up", |w| {
                w.save_followup(&followup)
            })?;
        }
        Event::Week(week) => {
            let rows: Vec<&DemoEntry> = demo
                .entries
                .iter()
                .filter(|e| e.recorded_on == *week)
                .collect();
            let label = format!("enter data for {}", day(*week));
            store.write_as("miguel", at, &label, |w| {
                for e in rows {
                    let customer_id = *ids
                        .customers
                        .get(&e.customer.to_lowercase())
                        .ok_or_else(|| bad(&e.customer))?;
                    let mut values = Vec::new();
                    for (key, value) in &e.values {
                        let (field_id, field_type) =
                            *ids.fields.get(key).ok_or_else(|| bad(key))?;
                        values.push((field_id, json_value(value, field_type, shift)));
                    }
                    values.sort_by_key(|(id, _)| *id);
                    w.add_entry(customer_id, day(e.recorded_on), &values)?;
                }
                Ok(())
            })?;
        }
    }
    Ok(())
}

fn json_value(value: &serde_json::Value, field_type: FieldType, shift: Duration) -> Value {
    match (value, field_type) {
        (serde_json::Value::Bool(b), _) => Value::Integer(i64::from(*b)),
        (serde_json::Value::Number(n), FieldType::Integer) => {
            n.as_i64().map_or(Value::Null, Value::Integer)
        }
        (serde_json::Value::Number(n), _) => n.as_f64().map_or(Value::Null, Value::Real),
        (serde_json::Value::String(s), FieldType::Date) => crate::domain::dates::parse_iso(s)
            .map_or_else(
                || Value::Text(s.clone()),
                |d| Value::Text((d + shift).to_string()),
            ),
        (serde_json::Value::String(s), _) => Value::Text(s.clone()),
        _ => Value::Null,
    }
}
