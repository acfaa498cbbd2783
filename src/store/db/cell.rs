//! Values crossing the connection: [`Arg`] going in (borrowed where it can
//! be), [`FromCell`] coming out, the same for both engines.

use crate::store::{Result, StoreError, StoredValue};
use postgres::types::{IsNull, ToSql as PgToSql, Type, to_sql_checked};
use rusqlite::types::{ToSqlOutput, ValueRef};
use std::borrow::Cow;

/// One query argument.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Arg::Null => ValueRef::Null,
            Arg::Int(i) => ValueRef::Integer(*i),
            Arg::Real(r) => ValueRef::Real(*r),
            Arg::Text(t) => ValueRef::Text(t.as_bytes()),
        }))
    }
}

/// PostgreSQL types its parameters from the statement; an argument is
/// written as whatever the server asked for, so the store's SQL needs no
/// casts for them. A value that cannot be that type is an error naming both.
impl PgToSql for Arg<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let mismatch = || format!("cannot send {self:?} as {ty}");
        match self {
            Arg::Null => Ok(IsNull::Yes),
            Arg::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i).map_err(|_| mismatch())?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i).map_err(|_| mismatch())?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    i.to_string().to_sql(&Type::TEXT, out)
                }
                _ => Err(mismatch().into()),
            },
            Arg::Real(r) => match *ty {
                Type::FLOAT8 => r.to_sql(ty, out),
                Type::FLOAT4 => (*r as f32).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    format!("{r:?}").to_sql(&Type::TEXT, out)
                }
                _ => Err(mismatch().into()),
            },
            Arg::Text(t) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    t.as_ref().to_sql(&Type::TEXT, out)
                }
                Type::INT8 => t.parse::<i64>().map_err(|_| mismatch())?.to_sql(ty, out),
                Type::INT4 => t.parse::<i32>().map_err(|_| mismatch())?.to_sql(ty, out),
                Type::FLOAT8 => t.parse::<f64>().map_err(|_| mismatch())?.to_sql(ty, out),
                _ => Err(mismatch().into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Turns a Rust value into an [`Arg`] (see `args!`).
pub(crate) trait IntoArg {
    fn arg(&self) -> Arg<'_>;
}

impl<T: IntoArg + ?Sized> IntoArg for &T {
    fn arg(&self) -> Arg<'_> {
        (**self).arg()
    }
}

impl IntoArg for i64 {
    fn arg(&self) -> Arg<'_> {
        Arg::Int(*self)
    }
}

impl IntoArg for i32 {
    fn arg(&self) -> Arg<'_> {
        Arg::Int(i64::from(*self))
    }
}

impl IntoArg for usize {
    fn arg(&self) -> Arg<'_> {
        Arg::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl IntoArg for bool {
    fn arg(&self) -> Arg<'_> {
        Arg::Int(i64::from(*self))
    }
}

impl IntoArg for f64 {
    fn arg(&self) -> Arg<'_> {
        Arg::Real(*self)
    }
}

impl IntoArg for str {
    fn arg(&self) -> Arg<'_> {
        Arg::Text(Cow::Borrowed(self))
    }
}

impl IntoArg for String {
    fn arg(&self) -> Arg<'_> {
        Arg::Text(Cow::Borrowed(self))
    }
}

impl IntoArg for chrono::NaiveDate {
    fn arg(&self) -> Arg<'_> {
        Arg::Text(Cow::Owned(self.to_string()))
    }
}

impl<T: IntoArg> IntoArg for Option<T> {
    fn arg(&self) -> Arg<'_> {
        self.as_ref().map_or(Arg::Null, IntoArg::arg)
    }
}

impl IntoArg for StoredValue {
    fn arg(&self) -> Arg<'_> {
        match self {
            StoredValue::Null => Arg::Null,
            StoredValue::Integer(i) => Arg::Int(*i),
            StoredValue::Real(r) => Arg::Real(*r),
            StoredValue::Text(t) => Arg::Text(Cow::Borrowed(t)),
            // The schema has no blobs; one would be a bug, kept visible.
            StoredValue::Blob(b) => Arg::Text(Cow::Owned(format!("<{} bytes>", b.len()))),
        }
    }
}

impl IntoArg for Arg<'_> {
    fn arg(&self) -> Arg<'_> {
        match self {
            Arg::Text(t) => Arg::Text(Cow::Borrowed(t)),
            Arg::Null => Arg::Null,
            Arg::Int(i) => Arg::Int(*i),
            Arg::Real(r) => Arg::Real(*r),
        }
    }
}

/// A type a result cell can be read as, from either engine.
pub(crate) trait FromCell: Sized {
    fn from_sqlite(value: ValueRef<'_>) -> Result<Self>;
    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self>;
}

fn wrong(what: &str, index: usize, found: &str) -> StoreError {
    StoreError::Refused(format!(
        "database error: column {index} holds {found}, not {what}"
    ))
}

/// The cell as a [`StoredValue`], whatever its PostgreSQL type.
fn pg_value(row: &postgres::Row, index: usize) -> Result<StoredValue> {
    let ty = row
        .columns()
        .get(index)
        .map(|c| c.type_().clone())
        .ok_or_else(|| wrong("a column", index, "nothing"))?;
    let value = match ty {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(index)?
            .map(StoredValue::Integer),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(index)?
            .map(|i| StoredValue::Integer(i64::from(i))),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(index)?
            .map(|i| StoredValue::Integer(i64::from(i))),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(index)?
            .map(|b| StoredValue::Integer(i64::from(b))),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(index)?.map(StoredValue::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(index)?
            .map(|r| StoredValue::Real(f64::from(r))),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => row
            .try_get::<_, Option<String>>(index)?
            .map(StoredValue::Text),
        other => return Err(wrong("a value", index, other.name())),
    };
    Ok(value.unwrap_or(StoredValue::Null))
}

impl FromCell for StoredValue {
    fn from_sqlite(value: ValueRef<'_>) -> Result<Self> {
        Ok(value.into())
    }

    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self> {
        pg_value(row, index)
    }
}

impl FromCell for Option<i64> {
    fn from_sqlite(value: ValueRef<'_>) -> Result<Self> {
        match value {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(i) => Ok(Some(i)),
            ValueRef::Real(r) if r.fract() == 0.0 => Ok(Some(r as i64)),
            other => Err(wrong(
                "an integer",
                0,
                other.data_type().to_string().as_str(),
            )),
        }
    }

    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self> {
        match pg_value(row, index)? {
            StoredValue::Null => Ok(None),
            StoredValue::Integer(i) => Ok(Some(i)),
            StoredValue::Real(r) if r.fract() == 0.0 => Ok(Some(r as i64)),
            _ => Err(wrong("an integer", index, "another type")),
        }
    }
}

impl FromCell for Option<f64> {
    fn from_sqlite(value: ValueRef<'_>) -> Result<Self> {
        match value {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(i) => Ok(Some(i as f64)),
            ValueRef::Real(r) => Ok(Some(r)),
            other => Err(wrong("a number", 0, other.data_type().to_string().as_str())),
        }
    }

    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self> {
        match pg_value(row, index)? {
            StoredValue::Null => Ok(None),
            StoredValue::Integer(i) => Ok(Some(i as f64)),
            StoredValue::Real(r) => Ok(Some(r)),
            _ => Err(wrong("a number", index, "another type")),
        }
    }
}

impl FromCell for Option<String> {
    fn from_sqlite(value: ValueRef<'_>) -> Result<Self> {
        match value {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => Ok(Some(String::from_utf8_lossy(t).into_owned())),
            ValueRef::Integer(i) => Ok(Some(i.to_string())),
            ValueRef::Real(r) => Ok(Some(r.to_string())),
            ValueRef::Blob(_) => Err(wrong("text", 0, "a blob")),
        }
    }

    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self> {
        match pg_value(row, index)? {
            StoredValue::Null => Ok(None),
            StoredValue::Text(t) => Ok(Some(t)),
            StoredValue::Integer(i) => Ok(Some(i.to_string())),
            StoredValue::Real(r) => Ok(Some(r.to_string())),
            StoredValue::Blob(_) => Err(wrong("text", index, "a blob")),
        }
    }
}

/// A non-NULL cell: the optional reading, with NULL an error.
macro_rules! required {
    ($ty:ty, $what:literal) => {
        impl FromCell for $ty {
            fn from_sqlite(value: ValueRef<'_>) -> Result<Self> {
                Option::<$ty>::from_sqlite(value)?.ok_or_else(|| wrong($what, 0, "NULL"))
            }

            fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self> {
                Option::<$ty>::from_postgres(row, index)?.ok_or_else(|| wrong($what, index, "NULL"))
            }
        }
    };
}

required!(i64, "an integer");
required!(f64, "a number");
required!(String, "text");

impl FromCell for bool {
    fn from_sqlite(value: ValueRef<'_>) -> Result<Self> {
        Ok(i64::from_sqlite(value)? != 0)
    }

    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self> {
        Ok(i64::from_postgres(row, index)? != 0)
    }
}

impl From<postgres::Error> for StoreError {
    fn from(err: postgres::Error) -> Self {
        super::pg::store_error(err)
    }
}
