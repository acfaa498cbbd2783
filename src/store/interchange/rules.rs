//! The domain rules an imported record must pass: the same `validate` the
//! forms call, the store's uniqueness checks, and what the store fills in
//! on save (a backlog item's `status_since`, a check-in's author, a new
//! field's position). Every problem comes back as (column, reason).
//! A status or stage a row moves to (or a new row starts in) is checked by
//! `domain::arrival`, which walks the forms' own state machines; a decided
//! item's evidence is counted when the batch ends ([`RowCtx::unproven`]).

use super::values::Record;
use super::{Kind, RowError};
use crate::domain::arrival::{backlog_arrival, customer_arrival, missing_evidence};
use crate::domain::evidence::duplicate_refusal;
use crate::domain::{
    BacklogItem, Category, CheckIn, CheckInKind, Customer, Decision, EvidenceLink, Field,
    FieldType, FollowUp, IcpFit, Invalid, ItemKind, Meta, RecordKey, RecordKind, Stage, Stance,
    Status, Strength,
};
use crate::interchange::spec::{DATA_FIXED, Spec};
use crate::store::db::{Db, args};
use crate::store::{Result, StoredValue as Sql};
use chrono::NaiveDate;
use std::cell::RefCell;

/// Who imports, and on which day (for the values the store derives).
pub(crate) struct RowCtx<'a> {
    pub actor: &'a str,
    pub today: NaiveDate,
    /// Items this batch decided: (item id, whether it is new, the status,
    /// where its row is), checked for evidence when the batch ends.
    decided: RefCell<Vec<(i64, bool, Status, RowError)>>,
}

impl<'a> RowCtx<'a> {
    pub fn new(actor: &'a str, today: NaiveDate) -> Self {
        RowCtx {
            actor,
            today,
            decided: RefCell::new(Vec::new()),
        }
    }

    /// Remembers that the row at `at` decided item `id` as `status`.
    pub fn decided(&self, id: i64, new: bool, status: Status, at: RowError) {
        self.decided.borrow_mut().push((id, new, status, at));
    }

    /// The items this batch decided that still have no evidence link,
    /// each an error on its row (and whether the row was new): called once
    /// every row (and, in an `import all`, every file) of the batch was
    /// written.
    pub fn unproven(&self, db: &Db) -> Result<Vec<(bool, RowError)>> {
        let mut errors = Vec::new();
        for (id, new, status, at) in self.decided.borrow_mut().drain(..) {
            let links: i64 = db.value(
                "SELECT count(*) FROM evidence WHERE item_id = ?1",
                args![id],
            )?;
            if links == 0 {
                let mut e = at;
                e.reason = missing_evidence(new, status).to_string();
                errors.push((new, e));
            }
        }
        Ok(errors)
    }
}

type Problems = Vec<(String, String)>;

/// What [`check`] found: the problems, by column, and the status the row
/// decides its item as (its evidence is counted when the batch ends).
pub(crate) struct Checked {
    pub problems: Problems,
    pub decides: Option<Status>,
}

/// Fills derived columns of `rec` (`before` is the stored record, `None`
/// for a new one) and checks it; the problems found, by column.
pub(crate) fn check(
    db: &Db,
    spec: &Spec,
    before: Option<&Record>,
    rec: &mut Record,
    ctx: &RowCtx<'_>,
) -> Result<Checked> {
    let mut problems = Problems::new();
    let mut decides = None;
    match spec.kind {
        Kind::Customers => {
            let c = customer(rec);
            invalid(&mut problems, c.validate());
            if let Err(e) = customer_arrival(before.map(customer).as_ref(), &c) {
                problems.push(("stage".into(), e.to_string()));
            }
            let sql = format!(
                "SELECT id FROM customers WHERE {} AND id <> ?2",
                db.dialect().same_nocase("name", "?1")
            );
            let clash: Option<i64> = db.query_opt(&sql, args![c.name, rec.id], |r| r.get(0))?;
            if let Some(other) = clash {
                let key = RecordKey::new(RecordKind::Customer, other);
                problems.push(("name".into(), format!("{key} already has this name")));
            }
        }
        Kind::Backlog => {
            derive_status_dates(before, rec, ctx.today);
            let after = item(rec);
            invalid(&mut problems, after.validate());
            match backlog_arrival(before.map(item).as_ref(), &after) {
                Ok(arrival) => decides = arrival.needs_evidence,
                Err(e) => problems.push(("status".into(), e.to_string())),
            }
        }
        Kind::CheckIns => {
            if before.is_none() && rec.text("author").is_empty() {
                rec.set("author", Sql::Text(ctx.actor.to_owned()));
            }
            invalid(&mut problems, checkin(rec).validate());
        }
        Kind::FollowUps => invalid(&mut problems, followup(rec).validate()),
        Kind::Evidence => {
            let link = evidence(rec);
            invalid(&mut problems, link.validate());
            if let Some(other) = crate::store::evidence::duplicate_of(db, &link)? {
                let column = if link.checkin_id.is_some() {
                    "checkin"
                } else {
                    "field"
                };
                problems.push((column.into(), duplicate_refusal(&link, other)));
            }
        }
        Kind::Fields => check_field(db, before, rec, &mut problems)?,
        Kind::Data => check_entry(db, spec, before, rec, &mut problems)?,
    }
    Ok(Checked { problems, decides })
}

fn invalid(problems: &mut Problems, result: std::result::Result<(), Invalid>) {
    if let Err(invalid) = result {
        problems.extend(
            invalid
                .0
                .into_iter()
                .map(|e| (e.field.to_owned(), e.message)),
        );
    }
}

/// As a status change in the app does: a new status starts `status_since`
/// today, and a decided item without `decided_at` is decided today.
fn derive_status_dates(before: Option<&Record>, rec: &mut Record, today: NaiveDate) {
    let today = Sql::Text(today.to_string());
    let since_missing = matches!(rec.get("status_since"), Sql::Null);
    let moved = before.is_some_and(|b| {
        b.text("status") != rec.text("status") && b.get("status_since") == rec.get("status_since")
    });
    if since_missing || moved {
        rec.set("status_since", today.clone());
    }
    let decided = Status::parse(&rec.text("status")).is_some_and(Status::is_decided);
    if decided && matches!(rec.get("decided_at"), Sql::Null) {
        rec.set("decided_at", today);
    }
}

fn customer(rec: &Record) -> Customer {
    Customer {
        id: rec.id,
        name: rec.text("name"),
        company: rec.text("company"),
        segment: rec.text("segment"),
        icp_fit: IcpFit::parse(&rec.text("icp_fit")).unwrap_or(IcpFit::Unknown),
        stage: Stage::parse(&rec.text("stage")).unwrap_or(Stage::Prospect),
        agreement_signed_on: rec.date("agreement_signed_on"),
        contact_name: rec.text("contact_name"),
        contact_email: rec.text("contact_email"),
        owner: rec.text("owner"),
        cadence_days: rec.int("cadence_days").unwrap_or(7),
        notes: rec.text("notes"),
        meta: Meta::default(),
    }
}

fn item(rec: &Record) -> BacklogItem {
    BacklogItem {
        id: rec.id,
        kind: ItemKind::parse(&rec.text("kind")).unwrap_or(ItemKind::Hypothesis),
        statement: rec.text("statement"),
        category: Category::parse(&rec.text("category")),
        test: rec.text("test"),
        metric: rec.text("metric"),
        metric_field: rec.int("metric_field_id"),
        criterion: rec.text("criterion"),
        impact: rec.int("impact").unwrap_or(3),
        uncertainty: rec.int("uncertainty").unwrap_or(3),
        status: Status::parse(&rec.text("status")).unwrap_or(Status::Backlog),
        status_reason: rec.text("status_reason"),
        status_since: rec.text("status_since"),
        owner: rec.text("owner"),
        tags: rec
            .text("tags")
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        learning: rec.text("learning"),
        decision: Decision::parse(&rec.text("decision")),
        decided_at: rec.date("decided_at"),
        meta: Meta::default(),
    }
}

fn checkin(rec: &Record) -> CheckIn {
    CheckIn {
        id: rec.id,
        customer_id: rec.int("customer_id").unwrap_or(0),
        occurred_on: rec.date("occurred_on").unwrap_or_default(),
        kind: CheckInKind::parse(&rec.text("kind")).unwrap_or(CheckInKind::Call),
        author: rec.text("author"),
        summary: rec.text("summary"),
        notes: rec.text("notes"),
        health: rec.int("health"),
        effort_minutes: rec.int("effort_minutes"),
        meta: Meta::default(),
    }
}

fn followup(rec: &Record) -> FollowUp {
    FollowUp {
        id: rec.id,
        customer_id: rec.int("customer_id").unwrap_or(0),
        checkin_id: rec.int("checkin_id"),
        text: rec.text("text"),
        owner: rec.text("owner"),
        due_on: rec.date("due_on"),
        done_at: rec.opt_text("done_at"),
        meta: Meta::default(),
    }
}

fn evidence(rec: &Record) -> EvidenceLink {
    EvidenceLink {
        id: rec.id,
        item_id: rec.int("item_id").unwrap_or(0),
        checkin_id: rec.int("checkin_id"),
        field_id: rec.int("field_id"),
        stance: Stance::parse(&rec.text("stance")).unwrap_or(Stance::Informs),
        strength: Strength::parse(&rec.text("strength")).unwrap_or(Strength::Said),
        quote: rec.text("quote"),
        meta: Meta::default(),
    }
}

fn field(rec: &Record) -> Field {
    Field {
        id: rec.id,
        key: rec.text("key"),
        label: rec.text("label"),
        field_type: FieldType::parse(&rec.text("type")).unwrap_or(FieldType::Text),
        options: rec.text("options").lines().map(str::to_owned).collect(),
        unit: rec.text("unit"),
        required: rec.int("required").is_some_and(|v| v != 0),
        min: rec.real("min"),
        max: rec.real("max"),
        description: rec.text("description"),
        position: rec.int("position").unwrap_or(0),
        archived: rec.int("archived").is_some_and(|v| v != 0),
        meta: Meta::default(),
    }
}

fn check_field(
    db: &Db,
    before: Option<&Record>,
    rec: &mut Record,
    problems: &mut Problems,
) -> Result<()> {
    if matches!(rec.get("position"), Sql::Null) {
        let next: i64 = db.value("SELECT coalesce(max(position) + 1, 0) FROM fields", args![])?;
        rec.set("position", Sql::Integer(next));
    }
    let f = field(rec);
    invalid(problems, f.validate());
    if DATA_FIXED.contains(&f.key.as_str()) {
        problems.push((
            "key".into(),
            format!(
                "{} is a column of the data sheet; choose another key",
                f.key
            ),
        ));
    }
    let clash: Option<i64> = db.query_opt(
        "SELECT id FROM fields WHERE key = ?1 AND id <> ?2",
        args![f.key, rec.id],
        |r| r.get(0),
    )?;
    if let Some(other) = clash {
        let key = RecordKey::new(RecordKind::Field, other);
        problems.push(("key".into(), format!("{key} already has this key")));
    }
    let Some(before) = before else {
        return Ok(());
    };
    if before.text("type") != rec.text("type") {
        problems.push((
            "type".into(),
            format!(
                "changing a field's type ({} → {}) is not done by an import",
                before.text("type"),
                rec.text("type")
            ),
        ));
    } else if f.field_type == FieldType::Choice && before.text("options") != rec.text("options") {
        let sql = format!(
            "SELECT DISTINCT {0} FROM entries WHERE {0} IS NOT NULL",
            f.column()
        );
        let used: Vec<String> = db.query_map(&sql, args![], |r| r.get(0))?;
        for value in used {
            if !f.options.contains(&value) {
                problems.push((
                    "options".into(),
                    format!("entries still hold {value}, which is no longer an option"),
                ));
                break;
            }
        }
    }
    Ok(())
}

fn check_entry(
    db: &Db,
    spec: &Spec,
    before: Option<&Record>,
    rec: &Record,
    problems: &mut Problems,
) -> Result<()> {
    let clash: Option<i64> = db.query_opt(
        "SELECT id FROM entries WHERE customer_id = ?1 AND recorded_on = ?2 AND id <> ?3",
        args![rec.get("customer_id"), rec.get("recorded_on"), rec.id],
        |r| r.get(0),
    )?;
    if let Some(other) = clash {
        let key = RecordKey::new(RecordKind::Entry, other);
        problems.push((
            "recorded_on".into(),
            format!("{key} already holds this customer's data for this day"),
        ));
    }
    for col in &spec.cols {
        // Only values the file sets are checked: a stored value that a
        // later change of min/max put out of range does not block the file.
        if before.is_some_and(|b| b.get(&col.sql) == rec.get(&col.sql)) {
            continue;
        }
        let Some(value) = rec.real(&col.sql) else {
            continue;
        };
        if let Some(reason) = out_of_range(value, col.bounds) {
            problems.push((col.header.clone(), reason));
        }
    }
    Ok(())
}

/// Why `value` is outside a field's (min, max), if it is.
pub(crate) fn out_of_range(value: f64, (min, max): (Option<f64>, Option<f64>)) -> Option<String> {
    if min.is_some_and(|lo| value < lo) || max.is_some_and(|hi| value > hi) {
        let range = match (min, max) {
            (Some(lo), Some(hi)) => format!("between {lo} and {hi}"),
            (Some(lo), None) => format!("at least {lo}"),
            (None, Some(hi)) => format!("at most {hi}"),
            (None, None) => String::new(),
        };
        return Some(format!("{value} is not {range}"));
    }
    None
}
