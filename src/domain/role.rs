//! Who may do what on a team workspace (SPEC §7). A file workspace has no
//! roles: whoever can write the file may do everything. On a server the
//! server enforces these rules itself (`store/postgres/roles.sql`); the app
//! asks [`Role::may`] first so a key the role cannot use says why and
//! changes nothing.

named_enum!(
    /// A member's role, each holding the rights of the ones before it.
    Role {
        Viewer => "viewer",
        Entry => "entry",
        Pm => "pm",
        Admin => "admin",
    }
);

/// What a member may try, by the role it needs (SPEC §7's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Enter or edit live data, log check-ins and follow-ups.
    Enter,
    /// Write backlog items, customers, evidence; move a status or a stage.
    Manage,
    /// Move a test to validated or invalidated: the approval step.
    Decide,
    /// Change the sheet's fields, the members, delete a record, undo
    /// someone else's batch, import with `--delete-missing`.
    Administer,
}

impl Act {
    /// The least role that may do it.
    pub fn needs(self) -> Role {
        match self {
            Act::Enter => Role::Entry,
            Act::Manage | Act::Decide => Role::Pm,
            Act::Administer => Role::Admin,
        }
    }
}

impl Role {
    /// `Ok` when the role may do `act`; else the sentence the status line
    /// shows, e.g. "your role entry cannot decide H-4; a pm can".
    pub fn may(self, act: Act, what: &str) -> Result<(), String> {
        let needs = act.needs();
        if self >= needs {
            return Ok(());
        }
        let article = if matches!(needs, Role::Entry | Role::Admin) {
            "an"
        } else {
            "a"
        };
        Err(format!(
            "your role {self} cannot {what}; {article} {needs} can"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_holds_the_rights_of_the_ones_before_it() {
        let acts = [Act::Enter, Act::Manage, Act::Decide, Act::Administer];
        let allowed = |role: Role| acts.iter().filter(|a| role.may(**a, "x").is_ok()).count();
        assert_eq!(allowed(Role::Viewer), 0);
        assert_eq!(allowed(Role::Entry), 1);
        assert_eq!(allowed(Role::Pm), 3);
        assert_eq!(allowed(Role::Admin), 4);
    }

    #[test]
    fn a_refusal_names_the_role_and_who_can() {
        assert_eq!(
            Role::Entry.may(Act::Decide, "decide H-4"),
            Err("your role entry cannot decide H-4; a pm can".into())
        );
        assert_eq!(
            Role::Pm.may(Act::Administer, "delete C-3"),
            Err("your role pm cannot delete C-3; an admin can".into())
        );
        assert_eq!(
            Role::Viewer.may(Act::Enter, "enter live data"),
            Err("your role viewer cannot enter live data; an entry can".into())
        );
        assert_eq!(Role::Admin.may(Act::Decide, "decide H-4"), Ok(()));
    }
}
