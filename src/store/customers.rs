//! Customers in the store, with the derived cadence figures lists show.

use super::db::{Db, Row as DbRow, args};
use super::values::{Row, by_ids, int, opt_text, row, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::customer::{History, change_stage, delete_refusal};
use crate::domain::dates::parse_iso;
use crate::domain::{Customer, IcpFit, Meta, RecordKey, RecordKind, Stage};
use chrono::NaiveDate;

/// A customer with its derived check-in figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub customer: Customer,
    pub last_checkin: Option<NaiveDate>,
    pub next_due: Option<NaiveDate>,
    pub overdue: bool,
    pub checkins: i64,
    pub open_followups: i64,
    pub effort_minutes: i64,
}

const COLUMNS: &str = "id, name, company, segment, icp_fit, stage, agreement_signed_on,
    contact_name, contact_email, owner, cadence_days, notes, created_at, updated_at, rev";

fn from_row(r: &DbRow<'_>) -> Result<Customer> {
    Ok(Customer {
        id: r.get(0)?,
        name: r.get(1)?,
        company: r.get(2)?,
        segment: r.get(3)?,
        icp_fit: IcpFit::parse(&r.get::<String>(4)?).unwrap_or(IcpFit::Unknown),
        stage: Stage::parse(&r.get::<String>(5)?).unwrap_or(Stage::Prospect),
        agreement_signed_on: r.get::<Option<String>>(6)?.and_then(|d| parse_iso(&d)),
        contact_name: r.get(7)?,
        contact_email: r.get(8)?,
        owner: r.get(9)?,
        cadence_days: r.get(10)?,
        notes: r.get(11)?,
        meta: Meta {
            created_at: r.get(12)?,
            updated_at: r.get(13)?,
            rev: r.get(14)?,
        },
    })
}

fn to_row(c: &Customer) -> Row {
    row(vec![
        ("name", text(c.name.trim())),
        ("company", text(c.company.trim())),
        ("segment", text(c.segment.trim())),
        ("icp_fit", text(c.icp_fit.as_str())),
        ("stage", text(c.stage.as_str())),
        ("agreement_signed_on", opt_text(c.agreement_signed_on)),
        ("contact_name", text(c.contact_name.trim())),
        ("contact_email", text(c.contact_email.trim())),
        ("owner", text(c.owner.trim())),
        ("cadence_days", int(c.cadence_days)),
        ("notes", text(&c.notes)),
    ])
}

impl Writer<'_> {
    /// Inserts or updates a customer; the name must be unique ignoring case.
    pub fn save_customer(&mut self, c: &Customer) -> Result<i64> {
        c.validate()?;
        let db = self.db();
        let clash: Option<i64> = db.query_opt(
            &format!(
                "SELECT id FROM customers WHERE {} AND id <> ?2",
                db.dialect().same_nocase("name", "?1")
            ),
            args![c.name.trim(), c.id],
            |r| r.get(0),
        )?;
        if let Some(other) = clash {
            let mut errors = crate::domain::Invalid::default();
            errors.push(
                "name",
                format!(
                    "{} already has this name",
                    RecordKey::new(RecordKind::Customer, other)
                ),
            );
            return Err(errors.into());
        }
        if c.id == 0 {
            self.insert(RecordKind::Customer, &to_row(c))
        } else {
            self.update(RecordKind::Customer, c.id, Some(c.meta.rev), &to_row(c))?;
            Ok(c.id)
        }
    }
}

impl Store {
    pub fn customer(&self, id: i64) -> Result<Customer> {
        self.db()
            .query_opt(
                &format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"),
                args![id],
                from_row,
            )?
            .ok_or(StoreError::NotFound(RecordKey::new(
                RecordKind::Customer,
                id,
            )))
    }

    /// Rows with derived figures for the given ids, in order.
    pub fn customer_rows(&self, ids: &[i64]) -> Result<Vec<CustomerRow>> {
        let today = self.clock.today();
        let db = self.db();
        let sql = format!(
            "SELECT {COLUMNS},
                    (SELECT max(occurred_on) FROM checkins k
                      WHERE k.customer_id = c.id AND k.occurred_on <= ?1),
                    (SELECT count(*) FROM checkins k WHERE k.customer_id = c.id),
                    (SELECT count(*) FROM followups f
                      WHERE f.customer_id = c.id AND f.done_at IS NULL),
                    (SELECT {} FROM checkins k WHERE k.customer_id = c.id)
               FROM customers c WHERE c.id IN ({{ids}})",
            db.dialect().integer("coalesce(sum(k.effort_minutes), 0)")
        );
        let today_text = today.to_string();
        by_ids(db, &sql, args![today_text], ids, |r| {
            let customer = from_row(r)?;
            let last_checkin = r.get::<Option<String>>(15)?.and_then(|d| parse_iso(&d));
            // Cadence applies while a customer is active; a due date for a
            // prospect or a dropped customer would only mislead.
            let next_due = match customer.stage {
                crate::domain::Stage::Active => customer.next_due(last_checkin),
                _ => None,
            };
            Ok((
                customer.id,
                CustomerRow {
                    next_due,
                    overdue: customer.is_overdue(last_checkin, today),
                    last_checkin,
                    checkins: r.get(16)?,
                    open_followups: r.get(17)?,
                    effort_minutes: r.get(18)?,
                    customer,
                },
            ))
        })
    }

    /// Every customer's id and name, by name (for pickers).
    /// Every customer's id, name and segment (the chart's segment lines).
    pub fn customer_segments(&self) -> Result<Vec<(i64, String, String)>> {
        let sql = format!(
            "SELECT id, name, segment FROM customers ORDER BY {}",
            self.db().dialect().nocase("name")
        );
        self.db()
            .query_map(&sql, args![], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    }

    pub fn customer_names(&self) -> Result<Vec<(i64, String)>> {
        let sql = format!(
            "SELECT id, name FROM customers ORDER BY {}",
            self.db().dialect().nocase("name")
        );
        self.db()
            .query_map(&sql, args![], |r| Ok((r.get(0)?, r.get(1)?)))
    }

    pub fn save_customer(&mut self, c: &Customer) -> Result<(i64, Option<i64>)> {
        let label = if c.id == 0 {
            format!("create customer {}", c.name.trim())
        } else {
            format!("edit {}", RecordKey::new(RecordKind::Customer, c.id))
        };
        let (batch, id) = self.write(&label, |w| w.save_customer(c))?;
        Ok((id, batch))
    }

    /// Moves a customer through the stage machine as one batch.
    pub fn set_customer_stage(
        &mut self,
        id: i64,
        expected_rev: i64,
        to: Stage,
        agreement: Option<NaiveDate>,
    ) -> Result<Option<i64>> {
        let current = self.customer(id)?;
        if current.meta.rev != expected_rev {
            return Err(StoreError::Conflict {
                record: RecordKey::new(RecordKind::Customer, id),
                expected: expected_rev,
                actual: current.meta.rev,
            });
        }
        let next = change_stage(&current, to, agreement)
            .map_err(|e| StoreError::Refused(e.to_string()))?;
        let key = RecordKey::new(RecordKind::Customer, id);
        let (batch, _) = self.write(&format!("{key} {} → {to}", current.stage), |w| {
            w.save_customer(&next)
        })?;
        Ok(batch)
    }

    /// Why customer `id` cannot be deleted (its history, see
    /// [`delete_refusal`]), or `None` when it can.
    pub fn customer_delete_refusal(&self, id: i64) -> Result<Option<String>> {
        delete_refusal_in(self.db(), id)
    }

    /// Deletes a customer that has no check-ins, entries or follow-ups;
    /// otherwise refuses with the counts (history is never dropped by
    /// accident: move the customer to `dropped` instead).
    pub fn delete_customer(&mut self, id: i64, expected_rev: i64) -> Result<Option<i64>> {
        let key = RecordKey::new(RecordKind::Customer, id);
        if let Some(why) = self.customer_delete_refusal(id)? {
            return Err(StoreError::Refused(format!(
                "{key} cannot be deleted: {why}"
            )));
        }
        let (batch, ()) = self.write(&format!("delete {key}"), |w| {
            w.delete(RecordKind::Customer, id, Some(expected_rev))
        })?;
        Ok(batch)
    }
}

/// [`delete_refusal`] for customer `id` as `db` sees it (inside an
/// import's transaction too).
pub(crate) fn delete_refusal_in(db: &Db, id: i64) -> Result<Option<String>> {
    let history = db.query_row(HISTORY, args![id], history_from)?;
    Ok(delete_refusal(history))
}

const HISTORY: &str = "SELECT (SELECT count(*) FROM checkins WHERE customer_id = ?1),
        (SELECT count(*) FROM entries WHERE customer_id = ?1),
        (SELECT count(*) FROM followups WHERE customer_id = ?1)";

fn history_from(r: &DbRow<'_>) -> Result<History> {
    Ok(History {
        checkins: r.get(0)?,
        entries: r.get(1)?,
        follow_ups: r.get(2)?,
    })
}
