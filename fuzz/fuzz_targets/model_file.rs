//! Bytes → a whole-model file (load_model) and a weights file (load_weights); a model
//! that loads must predict, save and load again. The body is
//! `annlab::saving::fuzz::fuzz_target`, which `tests/fuzz_corpus.rs` also runs on the
//! committed corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    annlab::saving::fuzz::fuzz_target(data);
});
