//! `concierge copy --to URL` / `--from URL`: a whole workspace moved
//! between the file `--db` names and a server (SPEC §7).

use super::Cli;
use crate::store::StoreError;
use crate::store::copy;
use crate::store::team::is_server;

/// `concierge copy --to URL` / `--from URL` between the file `--db` names
/// and a server.
pub fn run(cli: &Cli, to: Option<&str>, from: Option<&str>) -> Result<(), StoreError> {
    let file = super::db_path(cli);
    if is_server(&file.to_string_lossy()) {
        return Err(StoreError::Refused(
            "copy moves a workspace between a file (--db FILE) and a server (--to or --from URL)"
                .into(),
        ));
    }
    let (copied, way) = match (to, from) {
        (Some(url), _) => {
            let url = server_url(url)?;
            (
                copy::to_server(&file, url)?,
                format!("{} → {url}", file.display()),
            )
        }
        (None, Some(url)) => {
            let url = server_url(url)?;
            (
                copy::from_server(url, &file)?,
                format!("{url} → {}", file.display()),
            )
        }
        (None, None) => {
            return Err(StoreError::Refused(
                "copy needs --to URL or --from URL".into(),
            ));
        }
    };
    let summary: Vec<String> = copied
        .tables
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| format!("{n} {t}"))
        .collect();
    println!("copied {way}: {}", summary.join(", "));
    Ok(())
}

fn server_url(url: &str) -> Result<&str, StoreError> {
    if is_server(url) {
        Ok(url)
    } else {
        Err(StoreError::Refused(format!(
            "{url} is not a server address: use postgres://USER@HOST/DATABASE"
        )))
    }
}
