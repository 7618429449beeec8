//! The README's repository layout is the tree's: every path it lists exists, and every
//! directory at the top of the repository, of `src/`, `app/src/`, `server/src/` and
//! `tests/` is listed, so a new module cannot go undocumented.

use std::collections::BTreeSet;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Directories whose own directories the layout must all list ("" is the repository).
const COVERED: [&str; 5] = ["", "src", "app/src", "server/src", "tests"];

/// Where builds and installs go, never committed.
const IGNORED: [&str; 2] = ["target", "node_modules"];

/// The paths of the layout block, relative to the repository, directories ending in `/`.
/// A line starts with a path, indented two spaces per level under the directory above it,
/// then its description; a line indented 8 spaces or more continues the description.
fn listed(readme: &str) -> Vec<String> {
    let section = readme
        .split_once("## Repository layout")
        .expect("the README has a layout section")
        .1;
    let block = section
        .split_once("```\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("the layout is a code block")
        .0;
    let mut parents: Vec<String> = Vec::new();
    let mut paths = Vec::new();
    for line in block.lines() {
        let indent = line.len() - line.trim_start().len();
        let Some(name) = line.split_whitespace().next() else {
            continue;
        };
        if indent >= 8 {
            continue;
        }
        let depth = indent / 2;
        assert!(
            indent % 2 == 0 && depth <= parents.len(),
            "layout line not under a directory: {line:?}"
        );
        parents.truncate(depth);
        let path = format!("{}{name}", parents.concat());
        if name.ends_with('/') {
            parents.push(name.to_owned());
        }
        paths.push(path);
    }
    paths
}

fn directories(dir: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(Path::new(ROOT).join(dir)).expect("readable") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !name.starts_with('.') && !IGNORED.contains(&name.as_str()) {
            let parent = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            found.push(format!("{parent}{name}/"));
        }
    }
    found
}

#[test]
fn the_layout_matches_the_tree() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README");
    let paths = listed(&readme);
    assert!(paths.len() > 20, "{paths:?}");
    for path in &paths {
        let on_disk = Path::new(ROOT).join(path);
        assert!(
            on_disk.exists(),
            "the README lists {path}, which does not exist"
        );
        assert_eq!(
            on_disk.is_dir(),
            path.ends_with('/'),
            "{path}: directories end with /, files do not"
        );
    }
    let listed: BTreeSet<&str> = paths.iter().map(String::as_str).collect();
    for dir in COVERED {
        for found in directories(dir) {
            assert!(
                listed.contains(found.as_str()),
                "{found} is missing from the README's repository layout"
            );
        }
    }
}

#[test]
fn layout_lines_nest_under_their_directory() {
    let readme = "## Repository layout\n\n```\nsrc/   core\n  domain/   types\n  lib.rs    modules\ndata/   plan;\n          passwords\napp/\n  src/pages/  pages\n```\n";
    assert_eq!(
        listed(readme),
        [
            "src/",
            "src/domain/",
            "src/lib.rs",
            "data/",
            "app/",
            "app/src/pages/"
        ]
    );
}
