//! README.md's pictures are the UI as it draws now: each is drawn again
//! from the UI's own buffer and compared with the committed file.

use std::path::PathBuf;

#[test]
fn the_readme_pictures_are_up_to_date_with_the_ui() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screens");
    let scratch = tempfile::tempdir().expect("dir");
    let drawn = concierge::ui::pictures::draw_all(scratch.path()).expect("draw");
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("readme");
    for (stem, svg) in drawn {
        let file = dir.join(format!("{stem}.svg"));
        let kept = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(
            kept == svg,
            "{} is out of date with the UI: run scripts/pictures.sh and look at it",
            file.display()
        );
        assert!(
            readme.contains(&format!("docs/screens/{stem}.svg")),
            "README.md does not show {stem}.svg"
        );
        assert!(svg.contains("concierge"), "{stem}: the header is drawn");
    }
}
