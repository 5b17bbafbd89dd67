//! mdBook renders a misspelt include or anchor as an empty block without failing, and a
//! missing figure as a broken image. This test reads every page and checks that each
//! `{{#include path:anchor}}` names an existing file whose anchor encloses text, and that
//! each image exists.

use std::fs;
use std::path::{Path, PathBuf};

fn book_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src")
}

fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = fs::read_dir(book_src())
        .expect("book/src exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages
}

/// The text between `{{#include ` and `}}`, for every include on the page.
fn includes(page: &str) -> Vec<String> {
    page.split("{{#include ")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once("}}")
                .map(|(target, _)| target.trim().to_string())
        })
        .collect()
}

/// The lines strictly between `ANCHOR: name` and `ANCHOR_END: name`.
fn anchored_text(source: &str, name: &str) -> Option<String> {
    let is_marker = |line: &str, kind: &str| {
        line.trim_start()
            .strip_prefix("// ")
            .and_then(|l| l.strip_prefix(kind))
            .is_some_and(|l| l.trim() == name)
    };
    let mut lines = source.lines().skip_while(|l| !is_marker(l, "ANCHOR:"));
    lines.next()?;
    let body: Vec<&str> = lines
        .by_ref()
        .take_while(|l| !is_marker(l, "ANCHOR_END:"))
        .collect();
    Some(body.join("\n"))
}

#[test]
fn every_include_names_an_existing_file_and_a_non_empty_anchor() {
    let mut checked = 0;
    for page in pages() {
        let text = fs::read_to_string(&page).expect("page is readable");
        for target in includes(&text) {
            let (path, anchor) = match target.rsplit_once(':') {
                Some((p, a)) if !a.chars().all(|c| c.is_ascii_digit()) => (p, Some(a)),
                _ => (target.as_str(), None),
            };
            let file = book_src().join(path);
            let source = fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{}: include {target}: {e}", page.display()));
            if let Some(anchor) = anchor {
                let body = anchored_text(&source, anchor).unwrap_or_else(|| {
                    panic!("{}: no anchor {anchor:?} in {path}", page.display())
                });
                assert!(
                    !body.trim().is_empty(),
                    "{}: anchor {anchor} in {path} is empty",
                    page.display()
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 10,
        "only {checked} includes found: is the book there?"
    );
}

#[test]
fn every_image_on_every_page_exists() {
    for page in pages() {
        let text = fs::read_to_string(&page).expect("page is readable");
        for rest in text.split("](").skip(1) {
            let Some((target, _)) = rest.split_once(')') else {
                continue;
            };
            if target.starts_with("figures/") {
                assert!(
                    book_src().join(target).is_file(),
                    "{}: missing {target}",
                    page.display()
                );
            }
        }
    }
}

#[test]
fn every_chapter_page_is_in_the_summary() {
    let summary = fs::read_to_string(book_src().join("SUMMARY.md")).expect("SUMMARY.md");
    for page in pages() {
        let name = page
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name");
        if name != "SUMMARY.md" {
            assert!(
                summary.contains(&format!("({name})")),
                "{name} is not in SUMMARY.md"
            );
        }
    }
}

/// The names of the `// ANCHOR: name` markers in a source file, in order.
fn anchor_names(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("// ANCHOR:"))
        .map(|name| name.trim().to_string())
        .collect()
}

/// The chapter binaries are what learners run, so every cell marked in them must be shown
/// somewhere in the book: an anchor no page includes is a cell the book silently skips.
/// (Anchors under `src/` may serve readers of the code and are not required here.)
#[test]
fn every_anchor_in_chapters_is_included_by_some_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let targets: Vec<String> = pages()
        .iter()
        .flat_map(|page| includes(&fs::read_to_string(page).expect("page is readable")))
        .collect();
    let mut chapters: Vec<PathBuf> = fs::read_dir(root.join("chapters"))
        .expect("chapters/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    chapters.sort();
    assert!(!chapters.is_empty(), "no chapters/*.rs found");
    let mut missing = Vec::new();
    for chapter in &chapters {
        let file = chapter
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name");
        let source = fs::read_to_string(chapter).expect("chapter is readable");
        for name in anchor_names(&source) {
            let wanted = format!("chapters/{file}:{name}");
            let shown = targets
                .iter()
                .any(|t| t == &wanted || t.ends_with(&format!("/{wanted}")));
            if !shown {
                missing.push(wanted);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "chapter anchors that no page includes: {missing:?}"
    );
}
