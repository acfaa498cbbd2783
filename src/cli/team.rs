//! `concierge team`: the members of a team workspace and their roles
//! (SPEC §7). Only a server has members; a file workspace has no roles.

use super::Cli;
use crate::domain::Role;
use crate::store::StoreError;
use crate::store::team::{Team, is_server};
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Load the schema and the four roles into an empty database; you
    /// become its owner.
    Init,
    /// Add a member: a database login with a role.
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the login's password from the first line of standard input
        /// (needed to connect over the network; a local socket may not).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give a member another role.
    Set {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Take a member off the team (their changes stay in the log).
    Remove { name: String },
    /// List the members and their roles.
    List,
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text)
        .ok_or_else(|| format!("\"{text}\" is not a role: use viewer, entry, pm or admin"))
}

/// The server the command line names, or why `team` cannot run.
fn server(cli: &Cli) -> Result<String, StoreError> {
    match cli.db.as_ref().and_then(|p| p.to_str()) {
        Some(url) if is_server(url) => Ok(url.to_owned()),
        _ => Err(StoreError::Refused(
            "team manages a team workspace on PostgreSQL (--db postgres://…); a file workspace has no roles: whoever can write the file may do everything".into(),
        )),
    }
}

pub fn run(cli: &Cli, command: &TeamCommand) -> Result<(), StoreError> {
    let team = Team::connect(&server(cli)?)?;
    match command {
        TeamCommand::Init => {
            team.init()?;
            println!("team workspace ready: add members with concierge team add NAME --role ROLE");
        }
        TeamCommand::Add {
            name,
            role,
            password_stdin,
        } => {
            let password = if *password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                Some(line.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            team.add(name, *role, password.as_deref())?;
            println!("added {name} as {role}");
        }
        TeamCommand::Set { name, role } => {
            team.set(name, *role)?;
            println!("{name} is now {role}");
        }
        TeamCommand::Remove { name } => {
            let what = team.remove(name)?;
            println!("{name}: {what}");
        }
        TeamCommand::List => {
            for m in team.list()? {
                let note = if m.can_login { "" } else { "  (cannot log in)" };
                println!("{:<24} {}{note}", m.login, m.role);
            }
        }
    }
    Ok(())
}
