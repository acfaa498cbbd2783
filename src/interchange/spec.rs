//! The CSV columns of each record kind: header, SQL column, conversion and
//! what an empty cell means. The order here is the documented column order
//! of every export (README "CSV round-trips"); `id` comes first and `_rev`
//! last, added by the sheet module.

use super::Kind;
use crate::domain::{
    Category, CheckInKind, Decision, Field, FieldType, IcpFit, ItemKind, RecordKind, Stage, Stance,
    Status, Strength,
};
use crate::sheet::{Column, ColumnType, Schema};
use crate::store::StoredValue as Sql;

/// Which records a reference column points to, and how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefKind {
    /// Written as the customer's name; `C-3` is read too.
    Customer,
    /// Written as the display key `K-41`.
    CheckIn,
    /// Written as the display key `H-12`.
    Item,
    /// Written as the field's key; `D-2` is read too.
    Field,
}

/// How a cell maps to its SQL column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Conv {
    /// Text; `trim` mirrors the store trimming the field on save.
    Text {
        multiline: bool,
        trim: bool,
    },
    Int,
    Real,
    Percent,
    /// An ISO date kept as TEXT.
    Date,
    /// 0/1 in an INTEGER column.
    Bool,
    Choice(Vec<String>),
    /// Space-separated words, normalised like the backlog form does.
    Tags,
    /// A UTC timestamp kept as TEXT, exchanged as its day: spreadsheets
    /// re-render times freely, and only the day is ever shown.
    Stamp,
    Ref(RefKind),
    /// `impact × uncertainty`: exported, never imported.
    Priority,
}

impl Conv {
    fn text() -> Self {
        Conv::Text {
            multiline: false,
            trim: false,
        }
    }

    fn trimmed() -> Self {
        Conv::Text {
            multiline: false,
            trim: true,
        }
    }

    fn lines() -> Self {
        Conv::Text {
            multiline: true,
            trim: false,
        }
    }

    fn column_type(&self) -> ColumnType {
        match self {
            Conv::Text {
                multiline: true, ..
            } => ColumnType::MultilineText,
            Conv::Text { .. } | Conv::Tags | Conv::Ref(_) => ColumnType::Text,
            Conv::Int | Conv::Priority => ColumnType::Integer,
            Conv::Real => ColumnType::Decimal,
            Conv::Percent => ColumnType::Percent,
            Conv::Date | Conv::Stamp => ColumnType::Date,
            Conv::Bool => ColumnType::Boolean,
            Conv::Choice(options) => ColumnType::Choice(options.clone()),
        }
    }

    /// Text-like columns store an empty cell as `''` when not nullable.
    pub(crate) fn is_text(&self) -> bool {
        matches!(self, Conv::Text { .. } | Conv::Tags)
    }
}

/// What an empty cell (or an absent column on a new row) stores.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Empty {
    /// NULL (or `''` for NOT NULL text).
    Clear,
    /// This value on a new row; clearing it on an existing row is an error.
    Default(Sql),
    /// Filled in by the importer on a new row (today, the actor…).
    Derived,
}

/// One CSV column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Col {
    pub header: String,
    /// The SQL column; empty for the derived priority.
    pub sql: String,
    pub conv: Conv,
    pub required: bool,
    pub empty: Empty,
    /// The column accepts NULL.
    pub nullable: bool,
    /// A live-data field's min and max.
    pub bounds: (Option<f64>, Option<f64>),
}

impl Col {
    fn new(header: &str, conv: Conv) -> Self {
        let nullable = !conv.is_text();
        Col {
            header: header.to_owned(),
            sql: header.to_owned(),
            conv,
            required: false,
            empty: Empty::Clear,
            nullable,
            bounds: (None, None),
        }
    }

    fn sql(mut self, sql: &str) -> Self {
        sql.clone_into(&mut self.sql);
        self
    }

    fn required(mut self) -> Self {
        self.required = true;
        self.nullable = false;
        self
    }

    fn default(mut self, value: Sql) -> Self {
        self.empty = Empty::Default(value);
        self.nullable = false;
        self
    }

    fn derived(mut self) -> Self {
        self.empty = Empty::Derived;
        self.nullable = false;
        self
    }
}

/// One record kind's columns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spec {
    pub kind: Kind,
    pub record: RecordKind,
    pub cols: Vec<Col>,
}

impl Spec {
    /// The sheet module's view of these columns.
    pub fn schema(&self) -> Schema {
        let columns = self
            .cols
            .iter()
            .map(|c| {
                let column = Column::new(c.header.clone(), c.conv.column_type());
                if c.required {
                    column.required()
                } else {
                    column
                }
            })
            .collect();
        Schema::new(format!("{}-", self.record.prefix()), columns)
    }

    /// The SQL columns read for a record, in column order (priority has none).
    pub fn sql_columns(&self) -> Vec<&str> {
        self.cols
            .iter()
            .filter(|c| !c.sql.is_empty())
            .map(|c| c.sql.as_str())
            .collect()
    }
}

fn choice<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Conv {
    Conv::Choice(all.iter().map(|v| name(*v).to_owned()).collect())
}

fn text(s: &str) -> Sql {
    Sql::Text(s.to_owned())
}

/// The columns of `kind`; `fields` gives the live-data columns (only used
/// for [`Kind::Data`]).
pub(crate) fn spec(kind: Kind, fields: &[Field]) -> Spec {
    let cols = match kind {
        Kind::Customers => vec![
            Col::new("name", Conv::trimmed()).required(),
            Col::new("company", Conv::trimmed()),
            Col::new("segment", Conv::trimmed()),
            Col::new("icp_fit", choice(IcpFit::ALL, IcpFit::as_str)).default(text("unknown")),
            Col::new("stage", choice(Stage::ALL, Stage::as_str)).default(text("prospect")),
            Col::new("agreement_signed_on", Conv::Date),
            Col::new("contact_name", Conv::trimmed()),
            Col::new("contact_email", Conv::trimmed()),
            Col::new("owner", Conv::trimmed()),
            Col::new("cadence_days", Conv::Int).default(Sql::Integer(7)),
            Col::new("notes", Conv::lines()),
        ],
        Kind::Backlog => vec![
            Col::new("kind", choice(ItemKind::ALL, ItemKind::as_str)).default(text("hypothesis")),
            Col::new("statement", Conv::trimmed()).required(),
            Col::new("category", choice(Category::ALL, Category::as_str)),
            Col::new("test", Conv::lines()),
            Col::new("metric", Conv::lines()),
            Col::new("metric_field", Conv::Ref(RefKind::Field)).sql("metric_field_id"),
            Col::new("criterion", Conv::lines()),
            Col::new("impact", Conv::Int).default(Sql::Integer(3)),
            Col::new("uncertainty", Conv::Int).default(Sql::Integer(3)),
            Col::new("priority", Conv::Priority).sql(""),
            Col::new("status", choice(Status::ALL, Status::as_str)).default(text("backlog")),
            Col::new("status_reason", Conv::lines()),
            Col::new("status_since", Conv::Date).derived(),
            Col::new("owner", Conv::trimmed()),
            Col::new("tags", Conv::Tags),
            Col::new("learning", Conv::lines()),
            Col::new("decision", choice(Decision::ALL, Decision::as_str)),
            Col::new("decided_at", Conv::Date),
        ],
        Kind::CheckIns => vec![
            Col::new("customer", Conv::Ref(RefKind::Customer))
                .sql("customer_id")
                .required(),
            Col::new("occurred_on", Conv::Date).required(),
            Col::new("kind", choice(CheckInKind::ALL, CheckInKind::as_str)).default(text("call")),
            Col::new("author", Conv::trimmed()).derived(),
            Col::new("summary", Conv::trimmed()).required(),
            Col::new("notes", Conv::lines()),
            Col::new("health", Conv::Int),
            Col::new("effort_minutes", Conv::Int),
        ],
        Kind::FollowUps => vec![
            Col::new("customer", Conv::Ref(RefKind::Customer))
                .sql("customer_id")
                .required(),
            Col::new("checkin", Conv::Ref(RefKind::CheckIn)).sql("checkin_id"),
            Col::new("text", Conv::trimmed()).required(),
            Col::new("owner", Conv::trimmed()),
            Col::new("due_on", Conv::Date),
            Col::new("done_on", Conv::Stamp).sql("done_at"),
        ],
        Kind::Evidence => vec![
            Col::new("item", Conv::Ref(RefKind::Item))
                .sql("item_id")
                .required(),
            Col::new("checkin", Conv::Ref(RefKind::CheckIn)).sql("checkin_id"),
            Col::new("field", Conv::Ref(RefKind::Field)).sql("field_id"),
            Col::new("stance", choice(Stance::ALL, Stance::as_str)).required(),
            Col::new("strength", choice(Strength::ALL, Strength::as_str)).required(),
            Col::new("quote", Conv::lines()),
        ],
        Kind::Fields => vec![
            Col::new("key", Conv::text()).required(),
            Col::new("label", Conv::text()).required(),
            Col::new("type", choice(FieldType::ALL, FieldType::as_str)).required(),
            Col::new("options", Conv::lines()),
            Col::new("unit", Conv::text()),
            Col::new("required", Conv::Bool).default(Sql::Integer(0)),
            Col::new("min", Conv::Real),
            Col::new("max", Conv::Real),
            Col::new("description", Conv::lines()),
            Col::new("position", Conv::Int).derived(),
            Col::new("archived", Conv::Bool).default(Sql::Integer(0)),
        ],
        Kind::Data => {
            let mut cols = vec![
                Col::new("customer", Conv::Ref(RefKind::Customer))
                    .sql("customer_id")
                    .required(),
                Col::new("recorded_on", Conv::Date).required(),
            ];
            cols.extend(fields.iter().map(field_col));
            cols
        }
    };
    Spec {
        kind,
        record: kind.record(),
        cols,
    }
}

/// A live-data field as a column of the wide data sheet.
fn field_col(field: &Field) -> Col {
    let conv = match field.field_type {
        FieldType::Integer => Conv::Int,
        FieldType::Decimal => Conv::Real,
        FieldType::Percent => Conv::Percent,
        FieldType::Date => Conv::Date,
        FieldType::Boolean => Conv::Bool,
        FieldType::Choice => Conv::Choice(field.options.clone()),
        // Values typed in the grid are one line, but a file may bring
        // several: keep them rather than refuse what the store can hold.
        FieldType::Text => Conv::lines(),
    };
    let mut col = Col::new(&field.key, conv).sql(&field.column());
    col.nullable = true;
    col.required = field.required;
    col.bounds = (field.min, field.max);
    col
}

/// Headers of the data sheet that no field key may take.
pub(crate) const DATA_FIXED: [&str; 4] = ["id", "customer", "recorded_on", "_rev"];
