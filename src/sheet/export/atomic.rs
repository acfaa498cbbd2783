//! Writing a file whole or not at all: a temporary file next to it,
//! synced, then renamed over it. The file keeps the workspace private: it
//! takes the permissions of the file it replaces, else those of the file
//! it is `like` (the workspace), so a `chmod 600` workspace never yields
//! a world-readable export or report. Errors name the user's path, never
//! the temporary file's.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::sheet::error::WriteError;

/// Writes `path` through a temporary file and a rename, so a crash never
/// leaves a half-written file. A new file gets the permissions of `like`
/// (the workspace it comes from; read and write bits only).
pub fn write_atomically<T>(
    path: &Path,
    like: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<T, WriteError>,
) -> Result<T, WriteError> {
    let named = |e: io::Error| file_error(path, &e);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    if !dir.is_dir() {
        return Err(WriteError::File {
            path: path.display().to_string(),
            reason: format!("the folder {} does not exist", dir.display()),
        });
    }
    // Temporary files are private (0600) until they take their mode.
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(named)?;
    let value = {
        let mut buffered = BufWriter::new(tmp.as_file_mut());
        let value = write(&mut buffered).map_err(|e| name_io(path, e))?;
        buffered.flush().map_err(named)?;
        value
    };
    if let Some(permissions) = permissions_for(path, like) {
        tmp.as_file().set_permissions(permissions).map_err(named)?;
    }
    tmp.as_file().sync_all().map_err(named)?;
    tmp.persist(path).map_err(|e| named(e.error))?;
    Ok(value)
}

/// The permissions a new file derived from `like` gets: the target's own
/// when it exists, else `like`'s read and write bits, else 0644.
pub fn permissions_for(target: &Path, like: Option<&Path>) -> Option<fs::Permissions> {
    if let Ok(meta) = fs::metadata(target) {
        return Some(meta.permissions());
    }
    let like = like.and_then(|p| fs::metadata(p).ok());
    derived(like.as_ref())
}

/// Creates `dir` and its missing parents, as private as `like` (the
/// workspace): each read bit of `like` gives that read and search bit, so
/// a `600` workspace's export folder is `700`.
pub fn create_dir_like(dir: &Path, like: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    if let Ok(meta) = fs::metadata(like) {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        let mode = meta.permissions().mode() & 0o666;
        builder.mode(0o700 | mode | ((mode & 0o444) >> 2));
    }
    builder.create(dir)
}

#[cfg(unix)]
#[allow(clippy::unnecessary_wraps, reason = "None on other platforms")]
fn derived(like: Option<&fs::Metadata>) -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    let mode = like.map_or(0o644, |m| m.permissions().mode() & 0o666);
    Some(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn derived(_like: Option<&fs::Metadata>) -> Option<fs::Permissions> {
    None
}

/// An IO failure while writing, named by the user's path.
fn name_io(path: &Path, err: WriteError) -> WriteError {
    match err {
        WriteError::Io(e) => file_error(path, &e),
        WriteError::Csv(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
            let csv::ErrorKind::Io(io) = e.into_kind() else {
                unreachable!("matched above")
            };
            file_error(path, &io)
        }
        other => other,
    }
}

fn file_error(path: &Path, err: &io::Error) -> WriteError {
    WriteError::File {
        path: path.display().to_string(),
        reason: os_reason(err),
    }
}

/// The operating system's words for `err`, without the temporary file's
/// path that `tempfile` adds to it.
pub fn os_reason(err: &io::Error) -> String {
    let inner = err
        .get_ref()
        .and_then(|e| e.source())
        .and_then(|e| e.downcast_ref::<io::Error>())
        .unwrap_or(err);
    match inner.raw_os_error() {
        Some(28) => "the disk is full (no space left on device)".to_owned(),
        Some(code) => io::Error::from_raw_os_error(code).to_string(),
        None => inner.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_is_named_by_the_users_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nope").join("c.csv");
        let err = write_atomically(&path, None, |w| Ok(w.write_all(b"x")?)).expect_err("no folder");
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("cannot write {}", path.display())),
            "{text}"
        );
        assert!(text.ends_with("nope does not exist"), "{text}");
        let names = text.matches(".tmp").count();
        assert_eq!(names, 2, "only the test's own folder, twice: {text}");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_takes_the_workspaces_mode_and_a_replaced_one_keeps_its_own() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let workspace = dir.path().join("w.db");
        fs::write(&workspace, "db").expect("workspace");
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        for (workspace_mode, expected) in [(0o600, 0o600), (0o640, 0o640), (0o755, 0o644)] {
            fs::set_permissions(&workspace, fs::Permissions::from_mode(workspace_mode))
                .expect("chmod");
            let path = dir.path().join(format!("out-{workspace_mode:o}.csv"));
            write_atomically(&path, Some(&workspace), |w| Ok(w.write_all(b"x")?)).expect("write");
            assert_eq!(mode(&path), expected, "workspace {workspace_mode:o}");
        }
        let kept = dir.path().join("kept.csv");
        fs::write(&kept, "old").expect("seed");
        fs::set_permissions(&kept, fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomically(&kept, Some(&workspace), |w| Ok(w.write_all(b"x")?)).expect("write");
        assert_eq!(mode(&kept), 0o640);
    }
}
