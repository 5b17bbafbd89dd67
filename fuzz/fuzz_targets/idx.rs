//! Bytes → an IDX images file and an IDX labels file, as given (gzip) and gzipped (raw
//! IDX), then a FashionMnist and its splits. The body is `annlab::datasets::idx::
//! fuzz_target`, which `tests/fuzz_corpus.rs` also runs on the committed corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    annlab::datasets::idx::fuzz_target(data);
});
