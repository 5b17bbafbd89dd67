//! Chapter 2, part 2 — XOR: the perceptron fails, a multilayer perceptron solves it.
//!
//! Reproduces Hands-On Machine Learning, chapter 10, the end of *The Perceptron* (XOR is
//! not linearly separable, so the learning rule never settles) and the start of *The
//! Multilayer Perceptron and Backpropagation* (an MLP solving XOR). It mirrors:
//!
//! ```python
//! X_xor, y_xor = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]
//! Perceptron(tol=None, max_iter=20, random_state=42).fit(X_xor, y_xor)
//! model = keras.Sequential([keras.layers.Dense(8, activation="tanh", input_shape=[2]),
//!                           keras.layers.Dense(1, activation="sigmoid")])
//! model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(0.5))
//! model.fit(X_xor, y_xor, epochs=500, batch_size=4)
//! ```
//!
//! Run: `cargo run --release --bin ch02_xor_mlp` (writes book/src/figures/ch02_xor_*.svg)

use std::path::Path;
use std::time::Instant;

use annlab::datasets::{xor_inputs, XOR_TARGETS};
use annlab::neurons::perceptron::{EpochLog, Perceptron};
use annlab::neurons::NeuronError;
use annlab::plot::{dotted_line, figures_dir, grid_points, legend_box, write_figure};
use annlab::plot::{
    region_plot, Figure, Marker, Overlay, PlotError, RegionPlot, PALETTE,
};
use annlab::prelude::*;
use annlab::report::ChapterError;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The perceptron trained on the four XOR points.
#[derive(Clone, Debug, PartialEq)]
pub struct XorPerceptronReport {
    /// `tol=None`: every one of `max_iter` epochs, none error-free
    pub epochs: Vec<EpochLog>,
    /// with scikit-learn's default `tol=1e-3`: epochs run before giving up, and accuracy
    pub default_n_iter: usize,
    pub default_accuracy: f64,
}

// ANCHOR: xor_perceptron
/// `Perceptron(tol=None, max_iter=epochs, random_state=…)` on XOR, then the defaults.
pub fn xor_perceptron(
    epochs: usize,
    random_state: u32,
) -> Result<XorPerceptronReport, NeuronError> {
    let x = xor_inputs();
    let mut clf = Perceptron::new()
        .tol(None)
        .max_iter(epochs)
        .random_state(random_state);
    let history = clf.fit(x.view(), &XOR_TARGETS)?;
    let mut default = Perceptron::new().random_state(random_state);
    default.fit(x.view(), &XOR_TARGETS)?;
    Ok(XorPerceptronReport {
        epochs: history.epochs,
        default_n_iter: default.n_iter(),
        default_accuracy: default.score(x.view(), &XOR_TARGETS)?,
    })
}
// ANCHOR_END: xor_perceptron

/// The seed the chapter and its grading test use for the XOR MLP.
pub const XOR_MLP_SEED: u64 = 42;
/// Epochs of full-batch gradient descent for the XOR MLP.
pub const XOR_MLP_EPOCHS: usize = 500;
/// Grid cells per axis of the decision-region figure.
pub const GRID: usize = 200;
/// The square [lo, hi]² the decision-region figure shows.
pub const GRID_RANGE: (f64, f64) = (-0.5, 1.5);

/// What the XOR MLP learned.
#[derive(Clone, Debug, PartialEq)]
pub struct XorMlpReport {
    pub seed: u64,
    pub epochs: usize,
    /// binary cross-entropy per epoch
    pub loss: Vec<f64>,
    /// P(class 1) for the four XOR inputs
    pub probabilities: Vec<f32>,
    /// ŷ = [p > 0.5] for the four inputs
    pub predictions: Vec<usize>,
    /// how many of the four are right
    pub correct: usize,
    /// seconds spent in `fit`
    pub seconds: f64,
    /// P(class 1) on a GRID × GRID grid over GRID_RANGE², row = x₂ index, col = x₁ index
    pub grid: Array2<f32>,
}

// ANCHOR: xor_mlp
/// Dense(8, tanh) → Dense(1, sigmoid), binary cross-entropy, SGD(learning_rate=0.5),
/// trained full-batch on the four XOR points.
pub fn xor_mlp(seed: u64, epochs: usize) -> Result<XorMlpReport, ModelError> {
    let x = xor_inputs().mapv(|v| v as f32); // [4, 2]
    let y = Array2::from_shape_fn((4, 1), |(i, _)| XOR_TARGETS[i] as f32); // [4, 1]
    let mut model = Sequential::new(seed);
    model.add(Dense::new(8).activation(Activation::Tanh).input_shape(&[2]));
    model.add(Dense::new(1).activation(Activation::Sigmoid));
    let sgd = SGD::new().learning_rate(0.5);
    model.compile(Compile::new("binary_crossentropy").optimizer(sgd))?;
    let start = Instant::now();
    let history = model.fit(&x, &y, Fit::new(epochs).batch_size(4).verbose(0))?;
    let seconds = start.elapsed().as_secs_f64();
    let probabilities: Vec<f32> = model.predict(&x)?.column(0).to_vec();
    let predictions: Vec<usize> = probabilities
        .iter()
        .map(|&p| usize::from(p > 0.5))
        .collect();
    let correct = predictions
        .iter()
        .zip(XOR_TARGETS)
        .filter(|(p, t)| **p == *t)
        .count();
    // P(class 1) at the centres of a GRID × GRID grid over GRID_RANGE²
    let grid = model.predict(&grid_points(GRID_RANGE, GRID))?; // [GRID², 1]
    let grid = grid
        .into_shape_with_order((GRID, GRID)) // row = x₂ index, column = x₁ index
        .map_err(|e| ModelError::Usage(format!("decision grid: {e}")))?;
    Ok(XorMlpReport {
        seed,
        epochs,
        loss: history.get("loss").map(<[f64]>::to_vec).unwrap_or_default(),
        probabilities,
        predictions,
        correct,
        seconds,
        grid,
    })
}
// ANCHOR_END: xor_mlp

/// The perceptron's errors on XOR per epoch, on an axis from 0 (never reached); the SVG
/// at `path` and a PNG beside it.
pub fn plot_xor_perceptron(
    report: &XorPerceptronReport,
    path: &Path,
) -> Result<(), PlotError> {
    write_figure(path, &XorErrors(report))
}

/// The figure of `plot_xor_perceptron`, drawn on any plotters backend.
struct XorErrors<'a>(&'a XorPerceptronReport);

impl Figure for XorErrors<'_> {
    fn size(&self) -> (u32, u32) {
        (720, 360)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), String> {
        let err = |e: &dyn std::fmt::Display| e.to_string();
        let n = self.0.epochs.len();
        let mut chart = ChartBuilder::on(root)
            .caption("Perceptron on XOR: never error-free", ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(0.5..n as f64 + 0.5, 0.0..4.6)
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .x_desc("epoch")
            .y_desc("samples (of 4)")
            .y_labels(5)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()
            .map_err(|e| err(&e))?;
        let per_epoch = |count: fn(&EpochLog) -> usize| -> Vec<(f64, f64)> {
            let counts = self.0.epochs.iter().map(count).enumerate();
            counts.map(|(k, v)| ((k + 1) as f64, v as f64)).collect()
        };
        let errors = per_epoch(|e| e.errors);
        let updates = per_epoch(|e| e.updates);
        let label = "misclassified after the epoch";
        dotted_line(&mut chart, (label, &errors), PALETTE[0], 3)?;
        let label = "updates during the epoch";
        dotted_line(&mut chart, (label, &updates), PALETTE[1], 3)?;
        legend_box(&mut chart, SeriesLabelPosition::LowerRight)
    }
}

/// The XOR MLP's decision regions (P > 0.5 shaded) and the four points.
pub fn plot_xor_regions(report: &XorMlpReport, path: &Path) -> Result<(), PlotError> {
    let (lo, hi) = GRID_RANGE;
    let title = format!(
        "MLP 2-8-1 on XOR (seed {}, {} epochs)",
        report.seed, report.epochs
    );
    let x = xor_inputs();
    let overlays = [0, 1].map(|class| Overlay::Scatter {
        label: format!("XOR = {class}"),
        points: (x.outer_iter().zip(XOR_TARGETS))
            .filter(|&(_, t)| t == class)
            .map(|(r, _)| (r[0], r[1]))
            .collect(),
        marker: Marker::Circle,
        size: 8,
        legend_size: 5,
        color: PALETTE[class],
    });
    let plot = RegionPlot {
        title: &title,
        title_size: 18,
        size: (520, 480),
        x_range: (lo, hi),
        y_range: (lo, hi),
        x_desc: "x₁",
        y_desc: "x₂",
        y_label_area: 40,
        tidy_ticks: true,
        class: &report.grid.mapv(|p| p > 0.5),
        overlays: overlays.into(),
        legend: SeriesLabelPosition::UpperMiddle,
    };
    region_plot(path, &plot)
}

fn main() -> Result<(), ChapterError> {
    let figures = figures_dir();

    // ANCHOR: print_xor_perceptron
    let xor = xor_perceptron(20, 42)?;
    println!("\n== Perceptron(tol=None, max_iter=20) on XOR ==");
    let errors: Vec<usize> = xor.epochs.iter().map(|e| e.errors).collect();
    let updates: Vec<usize> = xor.epochs.iter().map(|e| e.updates).collect();
    println!("  misclassified after each epoch: {errors:?}");
    println!("  updates during each epoch:      {updates:?}");
    let min = errors.iter().min().copied().unwrap_or(0);
    println!(
        "  fewest misclassified in {} epochs: {min} (never 0)",
        errors.len()
    );
    println!(
        "  with the default tol=1e-3 it stops after {} epochs at accuracy {:.2}",
        xor.default_n_iter, xor.default_accuracy
    );
    plot_xor_perceptron(&xor, &figures.join("ch02_xor_perceptron_errors.svg"))?;
    // ANCHOR_END: print_xor_perceptron

    // ANCHOR: print_xor_mlp
    let mlp = xor_mlp(XOR_MLP_SEED, XOR_MLP_EPOCHS)?;
    println!("\n== MLP 2 → Dense(8, tanh) → Dense(1, sigmoid) on XOR ==");
    println!(
        "  seed {}, {} epochs, full batch of 4",
        mlp.seed, mlp.epochs
    );
    println!("  training time elapsed: {:.4} s", mlp.seconds);
    let first_loss = mlp.loss.first().copied().unwrap_or(f64::NAN);
    let last_loss = mlp.loss.last().copied().unwrap_or(f64::NAN);
    println!(
        "  loss: epoch 1 {first_loss:.4} → epoch {} {last_loss:.4}",
        mlp.loss.len()
    );
    for (x, p) in xor_inputs().outer_iter().zip(&mlp.probabilities) {
        println!("  x = {x}: P(XOR = 1) = {p:.4} → {}", u8::from(*p > 0.5));
    }
    println!("  correct: {} of 4", mlp.correct);
    plot_xor_regions(&mlp, &figures.join("ch02_xor_mlp_regions.svg"))?;
    // ANCHOR_END: print_xor_mlp

    println!("\nfigures written to {}", figures.display());
    Ok(())
}
