//! Loading Fashion-MNIST from its four gzip IDX files (about 30 MB): decompressing,
//! checking and converting 70,000 images, as every chapter does once. Skipped (with a
//! message) when the files are not on this machine.

use annlab::prelude::*;
use criterion::{criterion_group, criterion_main, Criterion};

fn load(c: &mut Criterion) {
    if let Err(e) = fashion_mnist::load() {
        eprintln!("load bench skipped: {e}");
        return;
    }
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("fashion_mnist_gzip", |b| {
        b.iter(|| fashion_mnist::load().expect("the files were found above"))
    });
    group.bench_function("fashion_mnist_hg_split", |b| {
        let data = fashion_mnist::load().expect("the files were found above");
        b.iter(|| hg_split(&data))
    });
    group.finish();
}

// no HTML plots: they need system fonts, which a bare machine lacks (criterion's
// plotters backend panics without them); the figures are in the terminal output
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = load
}
criterion_main!(benches);
