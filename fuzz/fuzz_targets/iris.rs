//! Bytes → an iris CSV file of the learner's own. The body is
//! `annlab::datasets::iris::fuzz_target`, which `tests/fuzz_corpus.rs` also runs on the
//! committed corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    annlab::datasets::iris::fuzz_target(data);
});
