//! `concierge team`: a team workspace's members and their roles, kept by
//! the server (`postgres/roles.sql`): `init` loads the schema and the four
//! group roles into an empty database; `add`, `set` and `remove` call the
//! server's team functions, which check that the caller is an admin.

use super::db::{Db, Pg, args};
use super::{Result, StoreError};
use crate::domain::Role;

/// The server's schema, then its roles and rules (SPEC §7).
const SCHEMA_SQL: &str = include_str!("postgres/schema.sql");
const ROLES_SQL: &str = include_str!("postgres/roles.sql");

/// Whether `db` names a server (`postgres://…` or `postgresql://…`)
/// rather than a workspace file.
pub fn is_server(db: &str) -> bool {
    let lower = db.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// One member: a login and its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub login: String,
    pub role: Role,
    /// False when the login was disabled outside concierge.
    pub can_login: bool,
}

/// A connection to a team workspace for managing its members.
pub struct Team {
    db: Db,
}

impl Team {
    pub fn connect(url: &str) -> Result<Team> {
        Ok(Team {
            db: Db::Postgres(Box::new(Pg::connect(url)?)),
        })
    }

    /// Whether the database already holds a workspace.
    pub fn is_initialised(&self) -> Result<bool> {
        self.db
            .value("SELECT to_regclass('public.batches') IS NOT NULL", args![])
    }

    /// Loads the schema and the roles into an empty database, in one
    /// transaction; the caller becomes the schema owner.
    pub fn init(&self) -> Result<()> {
        if self.is_initialised()? {
            return Err(StoreError::Refused(
                "this database already holds a concierge workspace".into(),
            ));
        }
        self.db
            .execute_batch(&format!("BEGIN;\n{SCHEMA_SQL}\n{ROLES_SQL}\nCOMMIT;"))
            .inspect_err(|_| {
                let _ = self.db.execute_batch("ROLLBACK");
            })
    }

    /// Adds a login with `role`; with a password, the login may connect
    /// over the network.
    pub fn add(&self, login: &str, role: Role, password: Option<&str>) -> Result<()> {
        self.db.execute(
            "SELECT concierge_team_add(?1, ?2, ?3)",
            args![login, role.as_str(), password],
        )?;
        Ok(())
    }

    /// Gives a member another role.
    pub fn set(&self, login: &str, role: Role) -> Result<()> {
        self.db.execute(
            "SELECT concierge_team_set(?1, ?2)",
            args![login, role.as_str()],
        )?;
        Ok(())
    }

    /// Takes a member off the team; what happened to the login, as the
    /// server says it.
    pub fn remove(&self, login: &str) -> Result<String> {
        let me: String = self.db.value("SELECT current_user::text", args![])?;
        if me == login {
            return Err(StoreError::Refused(format!(
                "{login} is you: another admin can remove you"
            )));
        }
        self.db
            .value("SELECT concierge_team_remove(?1)", args![login])
    }

    /// Every member, by login.
    pub fn list(&self) -> Result<Vec<Member>> {
        self.db.query_map(
            "SELECT login, role, can_login FROM team_members ORDER BY login",
            args![],
            |r| {
                let role: String = r.get(1)?;
                Ok(Member {
                    login: r.get(0)?,
                    role: Role::parse(&role).unwrap_or(Role::Viewer),
                    can_login: r.get(2)?,
                })
            },
        )
    }

    /// The connected login's role; `None` when it is not a member. The
    /// schema owner may do everything, as an admin.
    pub fn my_role(&self) -> Result<Option<Role>> {
        let role: Option<String> = self.db.value("SELECT concierge_my_role()", args![])?;
        Ok(role.and_then(|r| {
            if r == "owner" {
                Some(Role::Admin)
            } else {
                Role::parse(&r)
            }
        }))
    }
}
