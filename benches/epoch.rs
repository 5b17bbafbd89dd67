//! One full training epoch of the HG 7-2 relu model: Flatten → Dense(100, relu) →
//! Dense(10, softmax), RMSprop, 48,000 samples in batches of 32 (1,500 steps); and of
//! HOML's classifier: Flatten → Dense(300, relu) → Dense(100, relu) → Dense(10,
//! softmax), SGD(0.01), 55,000 samples in batches of 32 (1,719 steps).
//! The data is random with Fashion-MNIST's shapes so the bench needs no data files:
//! the cost of a dense step does not depend on the pixel values.

use annlab::prelude::*;
use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn epoch(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let x = Array3::from_shape_fn((48_000, 28, 28), |_| rng.gen_range(0.0f32..1.0));
    let y: Array1<usize> = (0..48_000).map(|_| rng.gen_range(0..10)).collect();
    let mut model = annlab::models::model_fn(42, None); // HG 7-2's relu model
    model
        .compile(Compile::new("sparse_categorical_crossentropy").metrics(&["accuracy"]))
        .expect("valid model");

    let mut group = c.benchmark_group("epoch");
    group.sample_size(10);
    group.bench_function("relu100_rmsprop_48000_b32", |b| {
        b.iter(|| model.fit(&x, &y, Fit::new(1).verbose(0)).expect("fit runs"))
    });

    // HOML 10: 55,000 images, SGD(learning_rate=0.01)
    let x = Array3::from_shape_fn((55_000, 28, 28), |_| rng.gen_range(0.0f32..1.0));
    let y: Array1<usize> = (0..55_000).map(|_| rng.gen_range(0..10)).collect();
    let mut model = annlab::models::homl_classifier(42);
    model
        .compile(
            Compile::new("sparse_categorical_crossentropy")
                .optimizer(SGD::new().learning_rate(0.01))
                .metrics(&["accuracy"]),
        )
        .expect("valid model");
    group.bench_function("homl_300_100_10_sgd_55000_b32", |b| {
        b.iter(|| model.fit(&x, &y, Fit::new(1).verbose(0)).expect("fit runs"))
    });
    group.finish();
}

// no HTML plots: they need system fonts, which a bare machine lacks (criterion's
// plotters backend panics without them); the figures are in the terminal output
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = epoch
}
criterion_main!(benches);
