//! Chapter 2 — the perceptron.
//!
//! Reproduces Hands-On Machine Learning, chapter 10, *The Perceptron*: TLUs with the
//! Heaviside and sign step functions, a perceptron layer and the learning rule, and
//! scikit-learn's `Perceptron` on iris (the perceptron convergence theorem at work).
//! Its failure on XOR and the MLP that solves it are `ch02_xor_mlp`. It mirrors:
//!
//! ```python
//! from sklearn.datasets import load_iris
//! from sklearn.linear_model import Perceptron
//! iris = load_iris(as_frame=True)
//! X = iris.data[["petal length (cm)", "petal width (cm)"]].values
//! y = (iris.target == 0)  # Iris setosa
//! per_clf = Perceptron(random_state=42)
//! per_clf.fit(X, y)
//! X_new = [[2, 0.5], [3, 1]]
//! y_pred = per_clf.predict(X_new)  # predicts True and False for these 2 flowers
//! ```
//!
//! Run: `cargo run --release --bin ch02_perceptron` (writes book/src/figures/ch02_*.svg)

use std::error::Error;
use std::path::Path;

use annlab::datasets::iris::{self, Iris};
use annlab::datasets::xor_inputs;
use annlab::neurons::perceptron::{EpochLog, Perceptron};
use annlab::neurons::tlu::{heaviside, sign, PerceptronLayer, Step};
use annlab::neurons::NeuronError;
use annlab::plot::{figures_dir, region_plot, tidy, write_figure, Figure};
use annlab::plot::{Marker, Overlay, PlotError, RegionPlot, PALETTE};
use annlab::prelude::*;
use annlab::report::ChapterError;
use plotters::coord::Shift;
use plotters::prelude::*;

/// A perceptron layer of three TLUs trained on AND, OR and NAND together.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerReport {
    /// samples with a wrong output in each epoch (the last one is 0: converged)
    pub mistakes: Vec<usize>,
    /// outputs after training, `[4, 3]`: columns AND, OR, NAND
    pub outputs: Array2<f64>,
    pub weights: Array2<f64>, // [2, 3]
    pub bias: Vec<f64>,       // [3]
}

// ANCHOR: layer
/// Trains one perceptron layer (2 inputs → 3 Heaviside TLUs) with the learning rule.
pub fn perceptron_layer_gates(
    eta: f64,
    max_epochs: usize,
) -> Result<LayerReport, NeuronError> {
    let x = xor_inputs(); // [4, 2]: 00 01 10 11
    let y = array![[0., 0., 1.], [0., 1., 1.], [0., 1., 1.], [1., 1., 0.]]; // AND OR NAND
    let mut layer = PerceptronLayer::new(2, 3, Step::Heaviside);
    let mistakes = layer.fit(x.view(), y.view(), eta, max_epochs)?;
    let outputs = layer.forward(x.view())?;
    Ok(LayerReport {
        mistakes,
        outputs,
        weights: layer.weights.clone(),
        bias: layer.bias.to_vec(),
    })
}
// ANCHOR_END: layer

/// `Perceptron(random_state=…)` fitted on iris petal length and width, setosa vs rest.
#[derive(Clone, Debug, PartialEq)]
pub struct IrisReport {
    pub random_state: u32,
    /// w = (w_length, w_width)
    pub coef: [f64; 2],
    pub intercept: f64,
    /// epochs run (`n_iter_`): the first error-free epoch plus `n_iter_no_change`
    pub n_iter: usize,
    pub epochs: Vec<EpochLog>,
    pub stopped_early: bool,
    /// training accuracy
    pub accuracy: f64,
    /// predictions for [[2, 0.5], [3, 1]]
    pub predictions: Vec<usize>,
    /// petal length and width, `[150, 2]`, and 1 for setosa
    pub x: Array2<f64>,
    pub y: Vec<usize>,
}

impl IrisReport {
    /// The first epoch after which every training flower is classified correctly.
    pub fn first_error_free_epoch(&self) -> Option<usize> {
        self.epochs
            .iter()
            .position(|e| e.errors == 0)
            .map(|i| i + 1)
    }
}

/// The two flowers HOML asks about: petals 2 × 0.5 cm and 3 × 1 cm.
pub fn iris_queries() -> Array2<f64> {
    array![[2.0, 0.5], [3.0, 1.0]]
}

// ANCHOR: iris
/// HOML's cell: `X = iris.data[:, (2, 3)]; y = (iris.target == 0)`,
/// `Perceptron(random_state=42).fit(X, y)`, `predict([[2, 0.5], [3, 1]])`.
pub fn iris_perceptron(
    iris: &Iris,
    random_state: u32,
) -> Result<IrisReport, NeuronError> {
    let x = iris.petals(); // [150, 2]: petal length, petal width (cm)
    let y = iris.is_species(0); // 1 = Iris setosa
    let mut clf = Perceptron::new().random_state(random_state);
    let history = clf.fit(x.view(), &y)?;
    let predictions = clf.predict(iris_queries().view())?;
    let accuracy = clf.score(x.view(), &y)?;
    let w = clf.coef().ok_or(NeuronError::NotFitted)?;
    Ok(IrisReport {
        random_state,
        coef: [w[0], w[1]],
        intercept: clf.intercept(),
        n_iter: clf.n_iter(),
        epochs: history.epochs,
        stopped_early: history.stopped_early,
        accuracy,
        predictions,
        x,
        y,
    })
}
// ANCHOR_END: iris

/// Loads `data/iris.csv` and runs `iris_perceptron`.
pub fn iris_perceptron_from_repo(
    random_state: u32,
) -> Result<IrisReport, Box<dyn Error>> {
    let iris = iris::load_iris()?;
    Ok(iris_perceptron(&iris, random_state)?)
}

/// Heaviside and sign over z ∈ [−3, 3], side by side (SVG at `path`, PNG beside it).
pub fn plot_step_functions(path: &Path) -> Result<(), PlotError> {
    write_figure(path, &StepFunctions)
}

/// The figure of `plot_step_functions`, drawn on any plotters backend.
struct StepFunctions;

impl Figure for StepFunctions {
    fn size(&self) -> (u32, u32) {
        (720, 300)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), String> {
        let err = |e: &dyn std::fmt::Display| e.to_string();
        let panels = root.split_evenly((1, 2));
        let steps = [("heaviside(z)", Step::Heaviside), ("sgn(z)", Step::Sign)];
        for (i, (area, (name, step))) in panels.iter().zip(steps).enumerate() {
            let mut chart = ChartBuilder::on(area)
                .caption(name, ("sans-serif", 18))
                .margin(12)
                .x_label_area_size(30)
                .y_label_area_size(35)
                .build_cartesian_2d(-3.0..3.0, -1.25..1.25)
                .map_err(|e| err(&e))?;
            chart
                .configure_mesh()
                .x_desc("z")
                .x_label_formatter(&tidy)
                .y_label_formatter(&tidy)
                .draw()
                .map_err(|e| err(&e))?;
            let color = PALETTE[i];
            // the two flat pieces, and the value at z = 0 as a dot
            for (z0, z1) in [(-3.0, -1e-9), (1e-9, 3.0)] {
                let line = [(z0, step.apply(z0)), (z1, step.apply(z1))];
                chart
                    .draw_series(LineSeries::new(line, color.stroke_width(3)))
                    .map_err(|e| err(&e))?;
            }
            let dot = Circle::new((0.0, step.apply(0.0)), 5, color.filled());
            chart.draw_series([dot]).map_err(|e| err(&e))?;
        }
        Ok(())
    }
}

// ANCHOR: iris_figure
/// Iris petals, the perceptron's regions and its boundary w₁x₁ + w₂x₂ + b = 0.
pub fn plot_iris(report: &IrisReport, path: &Path) -> Result<(), PlotError> {
    let (x_max, y_max) = (5.0, 2.0);
    let ([w1, w2], b) = (report.coef, report.intercept);
    let (nx, ny) = (250, 100); // cells of 0.02 cm
    let (dx, dy) = (x_max / nx as f64, y_max / ny as f64);
    let setosa = Array2::from_shape_fn((ny, nx), |(j, i)| {
        let (x1, x2) = ((i as f64 + 0.5) * dx, (j as f64 + 0.5) * dy);
        w1 * x1 + w2 * x2 + b > 0.0 // the perceptron's rule: class 1 where p > 0
    });
    let rows = || report.x.outer_iter().zip(&report.y);
    let points = |class| -> Vec<(f64, f64)> {
        let rows = rows().filter(|&(_, &t)| t == class);
        rows.map(|(r, _)| (r[0], r[1])).collect()
    };
    let scatter =
        |label: &str, points, marker, size, legend_size, color| Overlay::Scatter {
            label: label.into(),
            points,
            marker,
            size,
            legend_size,
            color,
        };
    // boundary: x₂ = −(w₁x₁ + b) / w₂
    let line = (0..=100).map(|i| i as f64 * x_max / 100.0);
    let line = line.map(|x| (x, -(w1 * x + b) / w2));
    let boundary = line.filter(|&(_, y)| (0.0..=y_max).contains(&y)).collect();
    let queries = iris_queries().outer_iter().map(|r| (r[0], r[1])).collect();
    let overlays = vec![
        scatter(
            "Not Iris setosa",
            points(0),
            Marker::Circle,
            3,
            4,
            PALETTE[0],
        ),
        scatter("Iris setosa", points(1), Marker::Triangle, 5, 5, PALETTE[1]),
        Overlay::Line {
            label: "decision boundary".into(),
            points: boundary,
        },
        scatter(
            "queries [2, 0.5] and [3, 1]",
            queries,
            Marker::Cross,
            6,
            5,
            BLACK,
        ),
    ];
    let plot = RegionPlot {
        title: "Perceptron on iris: setosa or not",
        title_size: 20,
        size: (720, 400),
        x_range: (0.0, x_max),
        y_range: (0.0, y_max),
        x_desc: "Petal length (cm)",
        y_desc: "Petal width (cm)",
        y_label_area: 50,
        tidy_ticks: false,
        class: &setosa,
        overlays,
        legend: SeriesLabelPosition::LowerRight,
    };
    region_plot(path, &plot)
}
// ANCHOR_END: iris_figure

fn main() -> Result<(), ChapterError> {
    let figures = figures_dir();

    println!("== Threshold logic unit: h(x) = step(w·x + b) ==");
    for z in [-2.0, -0.5, 0.0, 0.5, 2.0] {
        println!(
            "  z = {z:>4}: heaviside = {}, sgn = {:>2}",
            heaviside(z),
            sign(z)
        );
    }
    plot_step_functions(&figures.join("ch02_step_functions.svg"))?;

    // ANCHOR: print_layer
    let layer = perceptron_layer_gates(1.0, 20)?;
    println!("\n== A perceptron layer of 3 TLUs learns AND, OR, NAND at once ==");
    println!("  samples wrong per epoch: {:?}", layer.mistakes);
    println!(
        "  outputs (rows 00 01 10 11, columns AND OR NAND):\n{}",
        layer.outputs
    );
    println!(
        "  W (rows x1 x2) =\n{}\n  b = {:?}",
        layer.weights, layer.bias
    );
    // ANCHOR_END: print_layer

    // ANCHOR: print_iris
    let iris = iris_perceptron_from_repo(42)?;
    println!("\n== Perceptron(random_state=42) on iris petals: setosa or not ==");
    println!("  epoch   mean loss   updates   errors after");
    for (i, e) in iris.epochs.iter().enumerate() {
        println!(
            "  {:>5}   {:>9.4}   {:>7}   {:>12}",
            i + 1,
            e.loss,
            e.updates,
            e.errors
        );
    }
    let first = iris
        .first_error_free_epoch()
        .map_or("never".into(), |e| e.to_string());
    println!(
        "  error-free after epoch {first}; stopped after n_iter_ = {} epochs",
        iris.n_iter
    );
    println!("  (the tol rule waits n_iter_no_change = 5 epochs without improvement)");
    println!("  coef_ = {:?}, intercept_ = {}", iris.coef, iris.intercept);
    println!("  training accuracy = {:.3}", iris.accuracy);
    println!("  predict([[2, 0.5], [3, 1]]) = {:?}", iris.predictions);
    plot_iris(&iris, &figures.join("ch02_iris_perceptron.svg"))?;
    // ANCHOR_END: print_iris

    println!("\nfigures written to {}", figures.display());
    Ok(())
}
