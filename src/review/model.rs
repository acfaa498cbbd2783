//! The weekly review as data: every number the Review pane draws and the
//! report writes. Serialised as is by the JSON writer, so renaming a field
//! here changes the report's documented shape (see `json.rs`).

use crate::domain::{Decision, FieldType, RecordKey, RecordKind, Status};
use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use std::fmt::Display;

/// One week's review of a workspace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub workspace: String,
    pub week: WeekInfo,
    /// The day the review was computed.
    pub today: NaiveDate,
    /// The day "open", "overdue" and "age" are measured on: today, or the
    /// week's last day for a past week.
    pub as_of: NaiveDate,
    pub checkins: CheckIns,
    pub overdue_customers: Vec<OverdueCustomer>,
    pub backlog: Backlog,
    pub followups: FollowUps,
    pub data: LiveData,
    pub effort: Effort,
    pub volume: Volume,
    /// Reviews already recorded for this week.
    pub recorded: Vec<RecordedReview>,
    /// What changed since the newest review of an earlier week; `None`
    /// when no earlier review was recorded.
    pub since_last_review: Option<SinceLastReview>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekInfo {
    /// `2026-W47`.
    pub label: String,
    pub start: NaiveDate,
    /// The last day, inclusive.
    pub end: NaiveDate,
    /// `monday` … `sunday`.
    pub start_day: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerRef {
    #[serde(serialize_with = "text")]
    pub key: RecordKey,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRef {
    #[serde(serialize_with = "text")]
    pub key: RecordKey,
    pub statement: String,
}

/// Check-ins held against the ones the cadence asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckIns {
    /// Check-ins dated in the week, up to today.
    pub held: usize,
    /// Check-ins dated later in the week than today.
    pub planned: usize,
    /// Distinct customers with a check-in held in the week.
    pub customers_met: usize,
    /// Active customers whose next check-in fell due in or before the week.
    pub due: usize,
    /// How many of those had a check-in held in the week.
    pub due_met: usize,
    /// `due_met / due`, 0–1; `None` when nobody was due.
    pub adherence: Option<f64>,
    pub due_customers: Vec<DueCustomer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueCustomer {
    pub customer: CustomerRef,
    pub owner: String,
    pub due_on: NaiveDate,
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueCustomer {
    pub customer: CustomerRef,
    pub owner: String,
    pub cadence_days: i64,
    pub last_checkin: Option<NaiveDate>,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backlog {
    /// One row per status, in state-machine order, zeros included.
    pub by_status: Vec<StatusCount>,
    /// Items whose status changed in the week, one row per item however
    /// often it moved.
    pub moved: Vec<Move>,
    /// Items that ended the week validated or invalidated by a move in it.
    pub decided: Vec<Decided>,
    pub stale: Vec<StaleItem>,
    pub ready_to_decide: Vec<ReadyItem>,
    /// Every test in `testing` with its weighted evidence so far and its
    /// criterion, by id (the report's evidence chart).
    pub open_tests: Vec<OpenTest>,
}

/// A test under way: its evidence against its criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenTest {
    pub item: ItemRef,
    pub owner: String,
    pub criterion: String,
    pub evidence: usize,
    pub supports: i64,
    pub refutes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusCount {
    #[serde(serialize_with = "text")]
    pub status: Status,
    pub count: usize,
    /// Mean days in this status, one decimal.
    pub mean_age_days: Option<f64>,
    pub oldest_age_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    pub item: ItemRef,
    /// The status before its first move of the week; `None` if created in it.
    #[serde(serialize_with = "opt_text")]
    pub from: Option<Status>,
    #[serde(serialize_with = "text")]
    pub to: Status,
    /// Every status it entered in the week, in order.
    #[serde(serialize_with = "seq_text")]
    pub steps: Vec<Status>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decided {
    pub item: ItemRef,
    #[serde(serialize_with = "text")]
    pub status: Status,
    #[serde(serialize_with = "opt_text")]
    pub decision: Option<Decision>,
    pub learning: String,
    pub owner: String,
    pub decided_at: Option<NaiveDate>,
}

/// A test that has gone quiet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleItem {
    pub item: ItemRef,
    pub owner: String,
    pub days_in_testing: i64,
    pub last_evidence: Option<NaiveDate>,
    /// Days since the later of the newest evidence and entering testing.
    pub days_without_evidence: i64,
}

/// A test whose weighted evidence already leans clearly one way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadyItem {
    pub item: ItemRef,
    pub owner: String,
    pub evidence: usize,
    pub supports: i64,
    pub refutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUps {
    pub open: usize,
    pub overdue: usize,
    pub done_this_week: usize,
    /// The open ones: overdue first, then by due date.
    pub items: Vec<FollowUpLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUpLine {
    #[serde(serialize_with = "text")]
    pub key: RecordKey,
    pub customer: CustomerRef,
    pub text: String,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
    pub days_overdue: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveData {
    pub active_customers: usize,
    /// Active customers with an entry recorded in the week.
    pub reporting: usize,
    /// `reporting / active_customers`, 0–1; `None` with no active customer.
    pub completeness: Option<f64>,
    pub missing: Vec<CustomerRef>,
    /// The weeks of every `series`, oldest first; the last is this week.
    pub weeks: Vec<String>,
    pub fields: Vec<FieldTrend>,
}

/// How a field's values of one week become one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// Integers (counts) add up across customers.
    Sum,
    /// Decimals and percents are averaged.
    Mean,
    /// Booleans: the share of values that are true, 0–1.
    ShareTrue,
    /// Text, dates and choices: how many values were entered.
    Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldTrend {
    pub key: String,
    pub label: String,
    pub unit: String,
    #[serde(rename = "type", serialize_with = "text")]
    pub field_type: FieldType,
    pub aggregate: Aggregate,
    pub this_week: Option<f64>,
    pub previous_week: Option<f64>,
    /// `this_week − previous_week` when both exist.
    pub change: Option<f64>,
    /// How many values were entered this week.
    pub values: usize,
    /// Customers with a value this week, and the week before.
    pub reporting: usize,
    pub previous_reporting: usize,
    /// The figures as people read them (`review::figures`), the texts the
    /// pane and the Markdown show.
    pub shown: super::figures::Shown,
    /// One value per week of `LiveData::weeks`; `None` for a week without
    /// any value (a gap, never a zero).
    pub series: Vec<Option<f64>>,
    /// Choice fields: how often each option was entered this week.
    pub breakdown: Vec<OptionCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OptionCount {
    pub value: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Effort {
    pub total_minutes: i64,
    pub previous_week_minutes: i64,
    /// Check-ins of the previous week with minutes entered.
    pub previous_week_entered: usize,
    pub checkins: usize,
    /// Check-ins held in the week without effort minutes entered.
    pub unrecorded: usize,
    /// Most minutes first.
    pub per_customer: Vec<CustomerEffort>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerEffort {
    pub customer: CustomerRef,
    pub checkins: usize,
    pub minutes: i64,
    /// Check-ins with minutes entered (0: the minutes are "not entered").
    pub entered: usize,
}

/// Work in against work out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Volume {
    pub items_created: usize,
    pub customers_created: usize,
    pub items_decided: usize,
    pub customers_graduated: usize,
    pub customers_dropped: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedReview {
    #[serde(serialize_with = "text")]
    pub key: RecordKey,
    pub week: String,
    pub held_at: String,
    pub attendees: Vec<String>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SinceLastReview {
    pub review: RecordedReview,
    pub batches: i64,
    pub kinds: Vec<KindChanges>,
    /// The newest batches, newest first.
    pub recent: Vec<BatchLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindChanges {
    #[serde(serialize_with = "text")]
    pub kind: RecordKind,
    pub created: i64,
    pub updated: i64,
    pub deleted: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchLine {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub label: String,
}

/// Something the walkthrough asks the team to decide, in the order it
/// visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaItem {
    StaleTest(RecordKey),
    OverdueCustomer(RecordKey),
    OverdueFollowUp(RecordKey),
    ReadyToDecide(RecordKey),
}

impl AgendaItem {
    pub fn key(self) -> RecordKey {
        match self {
            AgendaItem::StaleTest(k)
            | AgendaItem::OverdueCustomer(k)
            | AgendaItem::OverdueFollowUp(k)
            | AgendaItem::ReadyToDecide(k) => k,
        }
    }
}

impl Review {
    /// The items that need a decision: stale tests, overdue customers,
    /// overdue follow-ups, then tests ready to decide (each record once).
    pub fn agenda(&self) -> Vec<AgendaItem> {
        let mut agenda: Vec<AgendaItem> = Vec::new();
        agenda.extend(
            self.backlog
                .stale
                .iter()
                .map(|s| AgendaItem::StaleTest(s.item.key)),
        );
        agenda.extend(
            self.overdue_customers
                .iter()
                .map(|c| AgendaItem::OverdueCustomer(c.customer.key)),
        );
        agenda.extend(
            self.followups
                .items
                .iter()
                .filter(|f| f.days_overdue.is_some())
                .map(|f| AgendaItem::OverdueFollowUp(f.key)),
        );
        for ready in &self.backlog.ready_to_decide {
            if !agenda.iter().any(|a| a.key() == ready.item.key) {
                agenda.push(AgendaItem::ReadyToDecide(ready.item.key));
            }
        }
        agenda
    }
}

fn text<T: Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

#[allow(clippy::ref_option)] // serde hands `serialize_with` a reference to the field
fn opt_text<T: Display, S: Serializer>(value: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

#[allow(clippy::ptr_arg)] // serde hands `serialize_with` a reference to the field
fn seq_text<T: Display, S: Serializer>(values: &Vec<T>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(values.iter().map(ToString::to_string))
}
