//! Dense forward and backward at batch 32 (784 → 100, relu): the heart of every step.

use std::hint::black_box;

use annlab::gradcheck::random_matrix;
use annlab::prelude::*;
use criterion::{criterion_group, criterion_main, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn dense(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let mut layer = Dense::new(100).activation(Activation::Relu);
    layer.build(&[784], &mut rng).expect("valid shape");
    let x = random_matrix(32, 784, 0.0, 1.0, &mut rng); // [32, 784]
    let grad_y = random_matrix(32, 100, -1.0, 1.0, &mut rng); // [32, 100]
    let mut y = Array2::zeros((32, 100));
    let mut grad_x = Array2::zeros((32, 784));

    c.bench_function("dense_784x100_forward_b32", |b| {
        b.iter(|| layer.forward(black_box(x.view()), y.view_mut(), true))
    });
    c.bench_function("dense_784x100_backward_b32_no_grad_x", |b| {
        b.iter(|| layer.backward(black_box(x.view()), y.view(), grad_y.view(), None))
    });
    c.bench_function("dense_784x100_backward_b32_with_grad_x", |b| {
        b.iter(|| {
            layer.backward(
                black_box(x.view()),
                y.view(),
                grad_y.view(),
                Some(grad_x.view_mut()),
            )
        })
    });
}

// no HTML plots: they need system fonts, which a bare machine lacks (criterion's
// plotters backend panics without them); the figures are in the terminal output
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = dense
}
criterion_main!(benches);
