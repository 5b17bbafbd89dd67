//! Points the grader at a set of exercise files: `$ANNLAB_EXERCISES` (a directory,
//! relative to the project root unless absolute), else the project's `exercises/`.
//! Writes `$OUT_DIR/set.rs`, a module `set` with one submodule per exercise file. A
//! file the directory lacks is taken from the blank `exercises/` (so the rest still
//! compiles, when it is there) and listed in `MISSING`, which the grader reports as not done.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-env-changed=ANNLAB_EXERCISES");
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest
        .parent()
        .expect("grader/ lives in the project")
        .to_path_buf();
    let blank = root.join("exercises");
    let dir = match env::var("ANNLAB_EXERCISES") {
        Ok(d) if !d.is_empty() => {
            let d = PathBuf::from(d);
            if d.is_absolute() {
                d
            } else {
                root.join(d)
            }
        }
        _ => blank.clone(),
    };
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed={}", blank.display());

    // annlab::exercises::FILES (a build script cannot use the crate it builds against;
    // the test `the_build_script_knows_every_exercise_file` keeps the two equal)
    let names = [
        "ex01_logic_gates.rs",
        "ex02_perceptron.rs",
        "ex03_softmax_crossentropy.rs",
        "ex04_dense.rs",
        "ex05_activations.rs",
        "ex06_optimizers.rs",
        "ex07_hg_7_1.rs",
        "ex08_hg_7_2.rs",
        "ex09_dropout.rs",
        "ex10_early_stopping.rs",
    ];

    let mut modules = String::new();
    let mut missing = Vec::new();
    for name in names {
        let mut path = dir.join(name);
        if !path.is_file() {
            missing.push(name);
            path = blank.join(name);
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let module = name.trim_end_matches(".rs");
        modules.push_str(&format!(
            "    #[path = {:?}]\n    pub mod {module};\n",
            absolute(&path)
        ));
    }
    let out = format!(
        "/// The exercise files being graded.\n\
         #[allow(dead_code, unused_imports, rustdoc::broken_intra_doc_links)]\n\
         pub mod set {{\n{modules}}}\n\n\
         /// The directory they come from.\n\
         pub const DIR: &str = {:?};\n\n\
         /// Files that directory lacks (graded as not done).\n\
         pub const MISSING: &[&str] = &{missing:?};\n\n\
         /// Every exercise file, in order.\n\
         #[allow(dead_code)]\n\
         pub const FILES: [&str; {}] = {names:?};\n",
        absolute(&dir),
        names.len()
    );
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
    fs::write(out_dir.join("set.rs"), out).expect("OUT_DIR is writable");
}

fn absolute(path: &Path) -> String {
    fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}
