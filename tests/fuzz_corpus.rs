//! The fuzz targets' bodies on stable Rust: each committed corpus (`fuzz/corpus/<target>/`)
//! and a fixed number of deterministic mutations of it must give Ok or a clear Err, never
//! a panic. The bodies live in the library (`datasets::idx::fuzz_target`,
//! `datasets::iris::fuzz_target`, `saving::fuzz::fuzz_target`) and assert that every
//! error names the file; `cargo +nightly fuzz run <target>` runs the same bodies under
//! libFuzzer for as long as one likes (README, "Fuzzing").
//!
//! A failing input is written to `target/fuzz-corpus-failures/` so that it can be added
//! to the corpus once fixed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use annlab::datasets::{idx, iris};
use annlab::saving;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Mutated inputs per target: a few seconds for all three in a release build.
/// `ANNLAB_FUZZ_MUTATIONS=1000000` runs more (the same seeds, so the first 3,000 are
/// the same inputs).
const MUTATIONS: usize = 3_000;

fn mutations() -> usize {
    std::env::var("ANNLAB_FUZZ_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MUTATIONS)
}

/// The committed corpus of one target: `(file name, bytes)`, sorted by name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = corpus_dir(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a corpus entry").path();
            let name = path
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&path).expect("a corpus file"))
        })
        .collect();
    files.sort();
    files
}

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target)
}

/// Values that sit on the edges of the formats' size fields.
const EDGES: [u32; 14] = [
    0,
    1,
    2,
    27,
    28,
    29,
    255,
    256,
    0x801,
    0x803,
    0xffff,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
];

/// Numbers to write over a run of digits (JSON shapes, offsets, units, rates).
const NUMBERS: [&str; 10] = [
    "0",
    "-1",
    "1",
    "3",
    "1000000",
    "4294967296",
    "18446744073709551616",
    "1e308",
    "0.5",
    "99999999999999999999999999",
];

/// One to three mutations of `input`: bit flips, truncation, insertion, deletion,
/// an edge value written over a 32- or 64-bit field (big- or little-endian), a number
/// written over a run of ASCII digits, or a chunk copied elsewhere.
fn mutate(rng: &mut ChaCha8Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..rng.gen_range(1..=3) {
        let len = b.len();
        match rng.gen_range(0..7) {
            0 if len > 0 => {
                for _ in 0..rng.gen_range(1..=4) {
                    let i = rng.gen_range(0..len);
                    b[i] ^= 1 << rng.gen_range(0..8);
                }
            }
            1 if len > 0 => b.truncate(rng.gen_range(0..len)),
            2 => {
                let at = rng.gen_range(0..=len);
                let n = rng.gen_range(1..=16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
                b.splice(at..at, bytes);
            }
            3 if len > 0 => {
                let from = rng.gen_range(0..len);
                let to = (from + rng.gen_range(1..=32)).min(len);
                b.drain(from..to);
            }
            4 => {
                // The IDX fields sit at 0, 4, 8, 12; safetensors' header length at 0.
                let at = if rng.gen_bool(0.5) {
                    4 * rng.gen_range(0..4)
                } else {
                    rng.gen_range(0..=len)
                };
                let value = match rng.gen_range(0..3) {
                    0 => EDGES[rng.gen_range(0..EDGES.len())],
                    1 => (len as u32)
                        .wrapping_add(rng.gen_range(0..3))
                        .wrapping_sub(1),
                    _ => rng.gen(),
                };
                let field: Vec<u8> = match rng.gen_range(0..3) {
                    0 => value.to_be_bytes().to_vec(),
                    1 => value.to_le_bytes().to_vec(),
                    _ => (value as u64 * rng.gen_range(1..4)).to_le_bytes().to_vec(),
                };
                let end = (at + field.len()).min(len);
                if at <= len {
                    b.splice(at..end, field);
                }
            }
            5 => {
                let digits: Vec<usize> =
                    (0..len).filter(|&i| b[i].is_ascii_digit()).collect();
                if let Some(&start) = digits.get(rng.gen_range(0..digits.len().max(1))) {
                    let end = (start..len)
                        .find(|&i| !b[i].is_ascii_digit())
                        .unwrap_or(len);
                    let number = NUMBERS[rng.gen_range(0..NUMBERS.len())];
                    b.splice(start..end, number.bytes());
                }
            }
            6 if len > 1 => {
                let from = rng.gen_range(0..len);
                let to = (from + rng.gen_range(1..=64)).min(len);
                let chunk = b[from..to].to_vec();
                let at = rng.gen_range(0..=len);
                b.splice(at..at, chunk);
            }
            _ => {}
        }
    }
    b
}

/// Runs `body` on every corpus file and on [`mutations`] mutations of them; seeds named
/// `valid-…` must succeed in at least one step (`body` returns how many did).
fn check_target(target: &str, seed: u64, body: fn(&[u8]) -> usize) {
    let files = corpus(target);
    assert!(!files.is_empty(), "no corpus for {target}");
    let mut failures = Vec::new();
    let mut run = |label: String, bytes: &[u8]| -> Option<usize> {
        match catch_unwind(AssertUnwindSafe(|| body(bytes))) {
            Ok(ok) => Some(ok),
            Err(_) => {
                let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("target/fuzz-corpus-failures");
                let _ = std::fs::create_dir_all(&dir);
                let file = dir.join(format!("{target}-{label}.bin"));
                let _ = std::fs::write(&file, bytes);
                failures.push(file.display().to_string());
                None
            }
        }
    };
    for (name, bytes) in &files {
        let ok = run(name.clone(), bytes);
        if name.starts_with("valid-") {
            assert!(ok.is_some_and(|k| k > 0), "{target}/{name} should load");
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for i in 0..mutations() {
        let (name, bytes) = &files[i % files.len()];
        let mutated = mutate(&mut rng, bytes);
        run(format!("{i}-of-{name}"), &mutated);
    }
    assert!(failures.is_empty(), "{target} panicked on: {failures:#?}");
}

#[test]
fn the_idx_target_never_panics_on_its_corpus_or_its_mutations() {
    check_target("idx", 1, idx::fuzz_target);
}

#[test]
fn the_iris_target_never_panics_on_its_corpus_or_its_mutations() {
    check_target("iris", 2, |data| usize::from(iris::fuzz_target(data)));
}

#[test]
fn the_model_file_target_never_panics_on_its_corpus_or_its_mutations() {
    check_target("model_file", 3, saving::fuzz::fuzz_target);
}

#[test]
fn the_committed_corpus_stays_small() {
    let mut total = 0;
    for target in ["idx", "iris", "model_file"] {
        for (name, bytes) in corpus(target) {
            assert!(
                bytes.len() <= 64 << 10,
                "{target}/{name}: {} bytes",
                bytes.len()
            );
            total += bytes.len();
        }
    }
    assert!(total < 1 << 20, "the corpus holds {total} bytes");
}

/// Writes the seed files (`valid-…` and a few broken ones) into `fuzz/corpus/`. Run by
/// hand: `cargo test --release --test fuzz_corpus -- --ignored`.
#[test]
#[ignore = "writes the seed corpus; run by hand"]
fn write_the_seed_corpus() {
    seeds::idx(&corpus_dir("idx"));
    seeds::iris(&corpus_dir("iris"));
    seeds::model_file(&corpus_dir("model_file"));
}

mod seeds {
    use super::*;
    use annlab::datasets::idx::{IMAGES_MAGIC, LABELS_MAGIC};
    use annlab::prelude::*;
    use annlab::saving::fuzz::weights_model;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    fn write(dir: &Path, name: &str, bytes: &[u8]) {
        std::fs::create_dir_all(dir).expect("corpus dir");
        std::fs::write(dir.join(name), bytes).expect("seed written");
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::best());
        enc.write_all(bytes).expect("in memory");
        enc.finish().expect("in memory")
    }

    fn idx_bytes(header: &[u32], data: &[u8]) -> Vec<u8> {
        let mut b: Vec<u8> = header.iter().flat_map(|f| f.to_be_bytes()).collect();
        b.extend_from_slice(data);
        b
    }

    pub fn idx(dir: &Path) {
        let pixels: Vec<u8> = (0..784).map(|i| (i % 10) as u8).collect();
        let image = idx_bytes(&[IMAGES_MAGIC, 1, 28, 28], &pixels);
        write(dir, "valid-images-1x28x28.idx", &image);
        write(dir, "valid-images-1x28x28.idx.gz", &gzip(&image));
        let small = idx_bytes(
            &[IMAGES_MAGIC, 2, 2, 3],
            &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255],
        );
        write(dir, "valid-images-2x2x3.idx.gz", &gzip(&small));
        let labels = idx_bytes(&[LABELS_MAGIC, 3], &[9, 0, 4]);
        write(dir, "valid-labels-3.idx", &labels);
        write(dir, "valid-labels-3.idx.gz", &gzip(&labels));
        let mut two = gzip(&labels[..9]);
        two.extend(gzip(&labels[9..]));
        write(dir, "valid-labels-3-two-members.idx.gz", &two);
        let mut junk = gzip(&labels);
        junk.extend_from_slice(b"junk");
        write(dir, "bad-junk-after-the-member.idx.gz", &junk);
        let huge = idx_bytes(&[LABELS_MAGIC, u32::MAX], &[1, 2, 3]);
        write(dir, "bad-announces-4-billion-labels.idx.gz", &gzip(&huge));
        write(dir, "bad-empty.bin", &[]);
    }

    pub fn iris(dir: &Path) {
        let shipped = std::fs::read(iris::DEFAULT_PATH).expect("data/iris.csv");
        write(dir, "valid-shipped.csv", &shipped);
        let uci = format!(
            "\u{feff}{}\r\n5.1,3.5,1.4,0.2,Iris-setosa\r\n7.0,3.2,4.7,1.4,Iris-versicolor\r\n\
             \r\n6.3,3.3,6.0,2.5,Iris-virginica\r\n",
            iris::HEADER
        );
        write(dir, "valid-uci-names-bom-crlf.csv", uci.as_bytes());
        let mut latin1 = format!("{}\n5.1,3.5,1.4,0.2,setos", iris::HEADER).into_bytes();
        latin1.push(0xe9);
        write(dir, "bad-latin1.csv", &latin1);
        let rows = format!("{}\n5.1,3.5,1.4,setosa\n1e999,2,3,4,setosa\n", iris::HEADER);
        write(dir, "bad-four-columns.csv", rows.as_bytes());
    }

    pub fn model_file(dir: &Path) {
        let mut model = weights_model();
        model.build().expect("builds");
        let file = dir.join("valid-weights.safetensors");
        std::fs::create_dir_all(dir).expect("corpus dir");
        saving::save_weights(&model, &file).expect("saved");
        let bytes = saving::save_model_to_bytes(&model, "m").expect("saved");
        write(dir, "valid-model-uncompiled.safetensors", &bytes);
        let x = Array3::from_shape_fn((8, 2, 2), |(i, r, c)| {
            ((i + r * 2 + c) % 5) as f32 / 4.0
        });
        let y: Vec<usize> = (0..8).map(|i| i % 2).collect();
        for (name, optimizer) in [
            (
                "adam",
                Box::new(Adam::new().learning_rate(0.01)) as Box<dyn Optimizer>,
            ),
            (
                "sgd-momentum",
                Box::new(SGD::new().learning_rate(0.1).momentum(0.9).nesterov(true)),
            ),
        ] {
            let mut model = weights_model();
            let spec = Compile::new("sparse_categorical_crossentropy")
                .optimizer(optimizer)
                .metrics(&["accuracy"]);
            model.compile(spec).expect("compiles");
            model
                .fit(&x, &y, Fit::new(1).batch_size(4).verbose(0))
                .expect("trains");
            let bytes = saving::save_model_to_bytes(&model, "m").expect("saved");
            write(
                dir,
                &format!("valid-model-{name}-trained.safetensors"),
                &bytes,
            );
            // without the header length: the target puts it back, so that mutations of
            // the JSON need not keep it right
            write(
                dir,
                &format!("valid-model-{name}-trained.headerless"),
                &bytes[8..],
            );
        }
        let mut short = bytes.clone();
        short[0] = short[0].wrapping_add(1); // header length one past the JSON
        write(dir, "bad-header-length.safetensors", &short);
    }
}
