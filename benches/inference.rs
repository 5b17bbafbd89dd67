//! `evaluate` and `predict` of 10,000 images (Fashion-MNIST's test set size) on HOML's
//! classifier: Flatten → Dense(300, relu) → Dense(100, relu) → Dense(10, softmax).
//! The arithmetic is 2·(784·300 + 300·100 + 100·10) ≈ 0.53 MFLOP per image, 5.3 GFLOP
//! in all. Random data with the real shapes: the cost does not depend on the values.

use annlab::prelude::*;
use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn inference(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let x = Array3::from_shape_fn((10_000, 28, 28), |_| rng.gen_range(0.0f32..1.0));
    let y: Array1<usize> = (0..10_000).map(|_| rng.gen_range(0..10)).collect();
    let mut model = annlab::models::homl_classifier(42);
    model
        .compile(Compile::new("sparse_categorical_crossentropy").metrics(&["accuracy"]))
        .expect("valid model");

    let mut group = c.benchmark_group("inference");
    group.sample_size(20);
    group.bench_function("homl_evaluate_10000", |b| {
        b.iter(|| model.evaluate(&x, &y, 0).expect("evaluate runs"))
    });
    group.bench_function("homl_predict_10000", |b| {
        b.iter(|| model.predict(&x).expect("predict runs"))
    });
    group.finish();
}

// no HTML plots: they need system fonts, which a bare machine lacks (criterion's
// plotters backend panics without them); the figures are in the terminal output
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = inference
}
criterion_main!(benches);
