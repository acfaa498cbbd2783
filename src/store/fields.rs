//! Live-data field definitions. Each field owns a typed column `f_<id>` in
//! `entries` (SPEC §6 storage hint: a plain wide table keeps import and
//! grid reads at table speed), added and dropped with the field.

use super::changelog::Writer;
use super::db::{Db, Row, args};
use super::values::{int, row, text};
use super::{Result, Store, StoreError};
use crate::domain::{Field, FieldType, Meta, RecordKind};
use rusqlite::types::Value;

/// The SQLite type of a field's column.
pub(super) fn sql_type(field_type: FieldType) -> &'static str {
    match field_type {
        FieldType::Integer | FieldType::Boolean => "INTEGER",
        FieldType::Decimal | FieldType::Percent => "REAL",
        FieldType::Text | FieldType::Date | FieldType::Choice => "TEXT",
    }
}

pub(super) fn field_row(f: &Field) -> super::values::Row {
    row(vec![
        ("key", text(&f.key)),
        ("label", text(&f.label)),
        ("type", text(f.field_type.as_str())),
        ("options", text(&f.options.join("\n"))),
        ("unit", text(&f.unit)),
        ("required", int(i64::from(f.required))),
        ("min", f.min.map_or(Value::Null, Value::Real)),
        ("max", f.max.map_or(Value::Null, Value::Real)),
        ("description", text(&f.description)),
        ("position", int(f.position)),
        ("archived", int(i64::from(f.archived))),
    ])
}

impl Writer<'_> {
    /// Creates a field and its column in `entries`.
    pub fn add_field(&mut self, field: &Field) -> Result<i64> {
        field.validate()?;
        let id = self.insert(RecordKind::Field, &field_row(field))?;
        add_column(self, id)?;
        Ok(id)
    }
}

fn add_column(writer: &Writer<'_>, id: i64) -> Result<()> {
    let db = writer.db();
    if let Some(pg) = db.postgres() {
        // The server's own function: typed as on SQLite, and admins only.
        db.execute("SELECT concierge_entries_add_column(?1)", args![id])?;
        pg.forget_statements();
        return Ok(());
    }
    let field_type: String = db.value("SELECT type FROM fields WHERE id = ?1", args![id])?;
    let ty = FieldType::parse(&field_type).unwrap_or(FieldType::Text);
    db.execute_batch(&format!(
        "ALTER TABLE entries ADD COLUMN f_{id} {}",
        sql_type(ty)
    ))
}

/// Rebuilds a field's column with the SQLite type its (new) field type
/// needs, keeping the values it holds: after a type change, and when undo
/// reverts one.
pub(super) fn retype_column(writer: &Writer<'_>, id: i64) -> Result<()> {
    let db = writer.db();
    if let Some(pg) = db.postgres() {
        db.execute("SELECT concierge_entries_retype_column(?1)", args![id])?;
        pg.forget_statements();
        return Ok(());
    }
    let field_type: String = db.value("SELECT type FROM fields WHERE id = ?1", args![id])?;
    let ty = sql_type(FieldType::parse(&field_type).unwrap_or(FieldType::Text));
    db.execute_batch(&format!(
        "ALTER TABLE entries ADD COLUMN f_{id}_retyped {ty};
         UPDATE entries SET f_{id}_retyped = f_{id} WHERE f_{id} IS NOT NULL;
         ALTER TABLE entries DROP COLUMN f_{id};
         ALTER TABLE entries RENAME COLUMN f_{id}_retyped TO f_{id};"
    ))
}

/// Drops a deleted field's column (its values were cleared, and logged,
/// first).
pub(super) fn drop_column(writer: &Writer<'_>, id: i64) -> Result<()> {
    let db = writer.db();
    if let Some(pg) = db.postgres() {
        db.execute("SELECT concierge_entries_drop_column(?1)", args![id])?;
        pg.forget_statements();
        return Ok(());
    }
    db.execute_batch(&format!("ALTER TABLE entries DROP COLUMN f_{id}"))
}

/// Called by undo before it deletes a record it had created: a field's
/// column goes with it, but only while the column holds no values.
pub(super) fn before_delete(writer: &mut Writer<'_>, kind: RecordKind, id: i64) -> Result<()> {
    if kind != RecordKind::Field {
        return Ok(());
    }
    let used: i64 = writer.db().value(
        &format!("SELECT count(*) FROM entries WHERE f_{id} IS NOT NULL"),
        args![],
    )?;
    if used > 0 {
        return Err(StoreError::Refused(format!(
            "field D-{id} now holds {used} values; clear them before undoing its creation"
        )));
    }
    drop_column(writer, id)
}

/// Called by undo after it restored a deleted record: a field gets its
/// column back (its values come back with the batch's other steps).
pub(super) fn after_restore(writer: &mut Writer<'_>, kind: RecordKind, id: i64) -> Result<()> {
    if kind == RecordKind::Field {
        add_column(writer, id)?;
    }
    Ok(())
}

impl Store {
    /// All fields in display order, archived ones included.
    pub fn fields(&self) -> Result<Vec<Field>> {
        fields_in(self.db())
    }

    /// How many fields exist (for the header and the Data pane).
    pub fn field_count(&self) -> Result<i64> {
        self.db()
            .value("SELECT count(*) FROM fields WHERE archived = 0", args![])
    }
}

/// Every field in display order, read through `db` (inside an import's
/// transaction that has just added some too).
pub(crate) fn fields_in(db: &Db) -> Result<Vec<Field>> {
    db.query_map(FIELDS, args![], field_from)
}

const FIELDS: &str = "SELECT id, key, label, type, options, unit, required, min, max, description,
        position, archived, created_at, updated_at, rev
     FROM fields ORDER BY position, id";

fn field_from(r: &Row<'_>) -> Result<Field> {
    let options: String = r.get(4)?;
    Ok(Field {
        id: r.get(0)?,
        key: r.get(1)?,
        label: r.get(2)?,
        field_type: FieldType::parse(&r.get::<String>(3)?).unwrap_or(FieldType::Text),
        options: options.lines().map(str::to_string).collect(),
        unit: r.get(5)?,
        required: r.get(6)?,
        min: r.get(7)?,
        max: r.get(8)?,
        description: r.get(9)?,
        position: r.get(10)?,
        archived: r.get(11)?,
        meta: Meta {
            created_at: r.get(12)?,
            updated_at: r.get(13)?,
            rev: r.get(14)?,
        },
    })
}
