//! Grades chapter 4 (HG 7-2, sigmoid vs relu) against the bands of
//! `book/src/reference.md`, through the very functions of
//! `chapters/ch04_relu_vs_sigmoid.rs` that the chapter binary prints.
//! Run alone with `cargo test --release --test ch04_relu_vs_sigmoid`.

#[path = "../chapters/ch04_relu_vs_sigmoid.rs"]
#[allow(dead_code)]
mod chapter;

use annlab::prelude::{fashion_mnist, hg_split};
use chapter::{
    relu_figures, relu_model, sigmoid_figures, sigmoid_model, train, write_figures,
};

const SEED: u64 = 42;

#[test]
fn sigmoid_and_relu_models_are_inside_the_reference_bands() {
    let data = fashion_mnist::load()
        .expect("Fashion-MNIST (apt-get install dataset-fashion-mnist)");
    let split = hg_split(&data);
    let sigmoid = train(sigmoid_model(SEED), &split, 0).expect("sigmoid model trains");
    let relu = train(relu_model(SEED), &split, 0).expect("relu model trains");

    assert!(
        sigmoid.summary.contains("Total params: 79,510 (310.59 KB)"),
        "{}",
        sigmoid.summary
    );
    assert!(
        relu.summary.contains("flatten (Flatten)"),
        "{}",
        relu.summary
    );
    assert!(
        relu.summary.contains("Total params: 79,510 (310.59 KB)"),
        "{}",
        relu.summary
    );

    let mut figures = sigmoid_figures(&sigmoid);
    figures.extend(relu_figures(&relu));
    let misses = annlab::report::misses(&figures);
    assert!(misses.is_empty(), "{misses:#?}");
    // Loss falls every epoch for both models on this data.
    for run in [&sigmoid, &relu] {
        let loss = run.history.get("loss").expect("loss recorded");
        assert!(loss.windows(2).all(|w| w[1] < w[0]), "{loss:?}");
    }

    let dir = std::env::temp_dir().join(format!("annlab-ch04-{}", std::process::id()));
    write_figures(&sigmoid, &relu, &dir).expect("figures are written");
    for name in ["ch04_activations.svg", "ch04_loss.svg", "ch04_accuracy.svg"] {
        let svg = std::fs::read_to_string(dir.join(name)).expect("figure exists");
        assert!(svg.starts_with("<svg") && svg.contains("relu"), "{name}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
