//! The import wizard's file prompt: a path typed relative to a base folder,
//! the CSV files (and subfolders) of the folder it points into, filtered by
//! the name being typed, and shell-like Tab completion. The folder is read
//! when the typed folder part changes, never while drawing.

use std::path::{Path, PathBuf};

/// One entry of the listed folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub folder: bool,
    /// Bytes, for files.
    pub size: u64,
}

/// The prompt and what it lists.
#[derive(Debug, Clone)]
pub struct FileList {
    /// Where relative paths start: the app's working directory.
    pub base: PathBuf,
    pub typed: String,
    /// The folder listed: `base` joined with the typed folder part.
    pub folder: PathBuf,
    /// Subfolders first, then `*.csv` files, each by name.
    pub entries: Vec<Listed>,
    /// Index into [`FileList::matches`].
    pub selected: usize,
    /// Why the folder could not be read.
    pub unreadable: Option<String>,
}

/// What Enter on the prompt leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    File(PathBuf),
    /// Moved into a folder; the listing shows it now.
    Folder,
    /// Nothing to pick, and why.
    Nothing(String),
}

impl FileList {
    pub fn new(base: PathBuf) -> Self {
        let mut list = FileList {
            folder: base.clone(),
            base,
            typed: String::new(),
            entries: Vec::new(),
            selected: 0,
            unreadable: None,
        };
        list.read();
        list
    }

    /// The typed text split at its last `/`: (folder part with the slash, name part).
    fn split(&self) -> (&str, &str) {
        match self.typed.rfind('/') {
            Some(i) => (&self.typed[..=i], &self.typed[i + 1..]),
            None => ("", &self.typed),
        }
    }

    /// Entries matching the name being typed: an exact name first, then
    /// names starting with it, then names holding its letters in order.
    pub fn matches(&self) -> Vec<&Listed> {
        let (_, name) = self.split();
        let name = name.to_lowercase();
        let rank = |l: &Listed| {
            let lower = l.name.to_lowercase();
            if lower == name {
                Some(0)
            } else if lower.starts_with(&name) {
                Some(1)
            } else if crate::app::palette::score(&lower, &name).is_some() {
                Some(2)
            } else {
                None
            }
        };
        let mut found: Vec<(u8, &Listed)> = self
            .entries
            .iter()
            .filter_map(|l| rank(l).map(|r| (r, l)))
            .collect();
        found.sort_by_key(|(r, _)| *r);
        found.into_iter().map(|(_, l)| l).collect()
    }

    /// Replaces the typed text, re-reading the folder if its part changed.
    pub fn set_typed(&mut self, text: String) {
        self.typed = text;
        self.selected = 0;
        let (folder, _) = self.split();
        let wanted = resolve(&self.base, folder);
        if wanted != self.folder {
            self.folder = wanted;
            self.read();
        }
    }

    pub fn push(&mut self, c: char) {
        let mut text = std::mem::take(&mut self.typed);
        text.push(c);
        self.set_typed(text);
    }

    pub fn pop(&mut self) {
        let mut text = std::mem::take(&mut self.typed);
        text.pop();
        self.set_typed(text);
    }

    pub fn move_selection(&mut self, delta: isize) {
        let last = self.matches().len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Tab: completes the name being typed as far as every entry starting
    /// with it agrees (a folder gets its `/`). False when nothing starts so.
    pub fn complete(&mut self) -> bool {
        let (folder, name) = self.split();
        let lower = name.to_lowercase();
        let candidates: Vec<&Listed> = self
            .entries
            .iter()
            .filter(|l| l.name.to_lowercase().starts_with(&lower))
            .collect();
        let Some(first) = candidates.first() else {
            return false;
        };
        let completed = if let [only] = candidates.as_slice() {
            format!("{}{}", only.name, if only.folder { "/" } else { "" })
        } else {
            let mut common = first.name.clone();
            for other in &candidates[1..] {
                let agree: usize = common
                    .chars()
                    .zip(other.name.chars())
                    .take_while(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
                    .map(|(a, _)| a.len_utf8())
                    .sum();
                common.truncate(agree);
            }
            common
        };
        if completed.len() < name.len() {
            return true;
        }
        let text = format!("{folder}{completed}");
        self.set_typed(text);
        true
    }

    /// Enter: the selected file, into the selected folder, or the typed path.
    pub fn pick(&mut self) -> Picked {
        let chosen = self
            .matches()
            .get(self.selected)
            .map(|l| (l.name.clone(), l.folder));
        if let Some((name, folder)) = chosen {
            if folder {
                let (part, _) = self.split();
                let text = format!("{part}{name}/");
                self.set_typed(text);
                return Picked::Folder;
            }
            return Picked::File(self.folder.join(name));
        }
        if self.typed.trim().is_empty() {
            return Picked::Nothing(format!(
                "no CSV files in {}: type a path",
                self.folder.display()
            ));
        }
        let path = resolve(&self.base, self.typed.trim());
        if path.is_file() {
            Picked::File(path)
        } else if path.is_dir() {
            let text = format!("{}/", self.typed.trim_end_matches('/'));
            self.set_typed(text);
            Picked::Folder
        } else {
            Picked::Nothing(format!("no file {}", path.display()))
        }
    }

    fn read(&mut self) {
        self.entries.clear();
        self.unreadable = None;
        match list_folder(&self.folder) {
            Ok(entries) => self.entries = entries,
            Err(e) => self.unreadable = Some(format!("cannot read {}: {e}", self.folder.display())),
        }
    }
}

/// `text` as a path: `~/` is the home folder, relative paths start at `base`.
pub fn resolve(base: &Path, text: &str) -> PathBuf {
    if let Some(rest) = text.strip_prefix("~/").or((text == "~").then_some(""))
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    if text.is_empty() {
        return base.to_path_buf();
    }
    base.join(text)
}

/// The visible subfolders and `*.csv` files of `folder`.
fn list_folder(folder: &Path) -> std::io::Result<Vec<Listed>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let csv = Path::new(&name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if meta.is_dir() || (meta.is_file() && csv) {
            out.push(Listed {
                name,
                folder: meta.is_dir(),
                size: meta.len(),
            });
        }
    }
    out.sort_by(|a, b| {
        b.folder
            .cmp(&a.folder)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("dir");
        for name in [
            "customers.csv",
            "customers-old.csv",
            "backlog.CSV",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), "id\n").expect("write");
        }
        std::fs::create_dir(dir.path().join("exports")).expect("mkdir");
        std::fs::write(dir.path().join("exports/checkins.csv"), "id\n").expect("write");
        dir
    }

    fn names(list: &FileList) -> Vec<String> {
        list.matches().iter().map(|l| l.name.clone()).collect()
    }

    #[test]
    fn lists_folders_and_csv_files_and_filters_by_the_typed_name() {
        let dir = folder();
        let mut list = FileList::new(dir.path().to_path_buf());
        assert_eq!(
            names(&list),
            [
                "exports",
                "backlog.CSV",
                "customers-old.csv",
                "customers.csv"
            ]
        );
        for c in "customers.csv".chars() {
            list.push(c);
        }
        assert_eq!(names(&list), ["customers.csv", "customers-old.csv"]);
        assert_eq!(list.pick(), Picked::File(dir.path().join("customers.csv")));
    }

    #[test]
    fn tab_completes_and_enter_walks_into_folders() {
        let dir = folder();
        let mut list = FileList::new(dir.path().to_path_buf());
        list.set_typed("ex".into());
        assert!(list.complete());
        assert_eq!(list.typed, "exports/");
        assert_eq!(names(&list), ["checkins.csv"]);
        list.set_typed("cu".into());
        assert!(list.complete());
        assert_eq!(list.typed, "customers", "as far as both names agree");
        list.set_typed("zz".into());
        assert!(!list.complete());
        list.set_typed(String::new());
        assert_eq!(list.pick(), Picked::Folder, "the first entry is exports/");
        assert_eq!(list.typed, "exports/");
        assert_eq!(
            list.pick(),
            Picked::File(dir.path().join("exports/checkins.csv"))
        );
    }

    #[test]
    fn a_typed_path_outside_the_listing_is_taken_as_written() {
        let dir = folder();
        let mut list = FileList::new(dir.path().to_path_buf());
        list.set_typed("notes.txt".into());
        assert_eq!(list.pick(), Picked::File(dir.path().join("notes.txt")));
        list.set_typed("missing.csv".into());
        assert!(matches!(list.pick(), Picked::Nothing(m) if m.contains("no file")));
        list.set_typed("nowhere/".into());
        assert!(list.unreadable.is_some());
    }
}
