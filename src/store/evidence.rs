//! Evidence links in the store.

use super::StoreError;
use super::db::{Arg, Db, IntoArg, Row as DbRow, args};
use super::values::{Row, int, opt_int, row, text};
use super::{Result, Store, Writer};
use crate::domain::evidence::duplicate_refusal;
use crate::domain::{EvidenceLink, Meta, RecordKind, Stance, Strength};

/// A link with the check-in and customer it points to, for detail panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRow {
    pub link: EvidenceLink,
    pub item_statement: String,
    pub checkin_summary: Option<String>,
    pub checkin_on: Option<String>,
    pub customer: Option<String>,
}

const SELECT: &str = "SELECT e.id, e.item_id, e.checkin_id, e.field_id, e.stance, e.strength,
        e.quote, e.created_at, e.updated_at, e.rev, b.statement, k.summary, k.occurred_on, c.name
    FROM evidence e
    JOIN backlog_items b ON b.id = e.item_id
    LEFT JOIN checkins k ON k.id = e.checkin_id
    LEFT JOIN customers c ON c.id = k.customer_id";

fn from_row(r: &DbRow<'_>) -> Result<EvidenceRow> {
    Ok(EvidenceRow {
        link: EvidenceLink {
            id: r.get(0)?,
            item_id: r.get(1)?,
            checkin_id: r.get(2)?,
            field_id: r.get(3)?,
            stance: Stance::parse(&r.get::<String>(4)?).unwrap_or(Stance::Informs),
            strength: Strength::parse(&r.get::<String>(5)?).unwrap_or(Strength::Said),
            quote: r.get(6)?,
            meta: Meta {
                created_at: r.get(7)?,
                updated_at: r.get(8)?,
                rev: r.get(9)?,
            },
        },
        item_statement: r.get(10)?,
        checkin_summary: r.get(11)?,
        checkin_on: r.get(12)?,
        customer: r.get(13)?,
    })
}

fn to_row(e: &EvidenceLink) -> Row {
    row(vec![
        ("item_id", int(e.item_id)),
        ("checkin_id", opt_int(e.checkin_id)),
        ("field_id", opt_int(e.field_id)),
        ("stance", text(e.stance.as_str())),
        ("strength", text(e.strength.as_str())),
        ("quote", text(&e.quote)),
    ])
}

impl Writer<'_> {
    pub fn save_evidence(&mut self, e: &EvidenceLink) -> Result<i64> {
        e.validate()?;
        if let Some(other) = duplicate_of(self.db(), e)? {
            return Err(StoreError::Refused(duplicate_refusal(e, other)));
        }
        if e.id == 0 {
            self.insert(RecordKind::Evidence, &to_row(e))
        } else {
            self.update(RecordKind::Evidence, e.id, Some(e.meta.rev), &to_row(e))?;
            Ok(e.id)
        }
    }
}

/// Another link (not `e` itself) between the same item and the same
/// check-in or data field, as `db` sees it (inside an import too).
pub(crate) fn duplicate_of(db: &Db, e: &EvidenceLink) -> Result<Option<i64>> {
    db.query_opt(DUPLICATE, &duplicate_args(e), |r| r.get(0))
}

/// (The casts give PostgreSQL the arguments' type where only `IS NULL`
/// would otherwise tell.)
const DUPLICATE: &str = "SELECT id FROM evidence
     WHERE item_id = ?1 AND id <> ?2
       AND ((CAST(?3 AS BIGINT) IS NOT NULL AND checkin_id = ?3)
         OR (CAST(?3 AS BIGINT) IS NULL AND CAST(?4 AS BIGINT) IS NOT NULL AND field_id = ?4))
     ORDER BY id LIMIT 1";

/// The arguments of [`DUPLICATE`] for link `e`.
fn duplicate_args(e: &EvidenceLink) -> [Arg<'_>; 4] {
    [
        e.item_id.arg(),
        e.id.arg(),
        e.checkin_id.arg(),
        e.field_id.arg(),
    ]
}

impl Store {
    /// The link between item `item_id` and check-in `checkin_id`, if any
    /// (the picker marks such check-ins, and linking again is refused).
    pub fn evidence_between(&self, item_id: i64, checkin_id: i64) -> Result<Option<i64>> {
        duplicate_of(self.db(), &EvidenceLink::from_checkin(item_id, checkin_id))
    }

    /// Evidence of a backlog item, newest check-in first.
    pub fn evidence_for_item(&self, item_id: i64) -> Result<Vec<EvidenceRow>> {
        let sql = format!("{SELECT} WHERE e.item_id = ?1 ORDER BY k.occurred_on DESC, e.id DESC");
        self.db().query_map(&sql, args![item_id], from_row)
    }

    /// Evidence drawn from a check-in.
    pub fn evidence_for_checkin(&self, checkin_id: i64) -> Result<Vec<EvidenceRow>> {
        let sql = format!("{SELECT} WHERE e.checkin_id = ?1 ORDER BY e.id");
        self.db().query_map(&sql, args![checkin_id], from_row)
    }

    /// Links evidence as one batch.
    pub fn save_evidence(&mut self, e: &EvidenceLink) -> Result<(i64, Option<i64>)> {
        let label = format!(
            "link K-{} → H-{} ({} {})",
            e.checkin_id.unwrap_or_default(),
            e.item_id,
            e.stance,
            e.strength
        );
        let (batch, id) = self.write(&label, |w| w.save_evidence(e))?;
        Ok((id, batch))
    }
}
