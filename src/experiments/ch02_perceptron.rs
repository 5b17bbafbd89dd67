//! Chapter 2 — the perceptron (HOML 10, "The Perceptron" and "The Multilayer
//! Perceptron and Backpropagation"): TLUs, a perceptron layer, scikit-learn's
//! `Perceptron` on iris, the perceptron failing on XOR and a small MLP solving it.

use std::path::Path;
use std::time::Instant;

use ndarray::{array, Array2};
use plotters::prelude::*;

use crate::datasets::iris::{self, Iris, IrisError};
use crate::error::ModelError;
use crate::neurons::perceptron::{EpochLog, Perceptron};
use crate::neurons::tlu::{PerceptronLayer, Step};
use crate::neurons::NeuronError;
use crate::plot::{PlotError, PALETTE};
use crate::prelude::{Activation, Compile, Dense, Fit, Sequential, Train, SGD};

/// Anything chapter 2 can fail on, each with its own clear message.
#[derive(Debug, thiserror::Error)]
pub enum Ch02Error {
    #[error(transparent)]
    Iris(#[from] IrisError),
    #[error(transparent)]
    Neuron(#[from] NeuronError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Plot(#[from] PlotError),
}

/// The four XOR inputs, `[4, 2]`, in counting order.
pub fn xor_inputs() -> Array2<f64> {
    array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
}

/// XOR of `xor_inputs()`.
pub const XOR_TARGETS: [usize; 4] = [0, 1, 1, 0];

// ---------------------------------------------------------------------------------------
// A perceptron layer of TLUs learning three gates at once

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
pub fn perceptron_layer_gates(eta: f64, max_epochs: usize) -> Result<LayerReport, Ch02Error> {
    let x = xor_inputs(); // [4, 2]
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

// ---------------------------------------------------------------------------------------
// scikit-learn's Perceptron on iris

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
pub fn iris_perceptron(iris: &Iris, random_state: u32) -> Result<IrisReport, Ch02Error> {
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
pub fn iris_perceptron_from_repo(random_state: u32) -> Result<IrisReport, Ch02Error> {
    let iris = iris::load_iris()?;
    iris_perceptron(&iris, random_state)
}

// ---------------------------------------------------------------------------------------
// The perceptron on XOR

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
pub fn xor_perceptron(epochs: usize, random_state: u32) -> Result<XorPerceptronReport, Ch02Error> {
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

// ---------------------------------------------------------------------------------------
// A multilayer perceptron solves XOR

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
pub fn xor_mlp(seed: u64, epochs: usize) -> Result<XorMlpReport, Ch02Error> {
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
    Ok(XorMlpReport {
        seed,
        epochs,
        loss: history.get("loss").map(<[f64]>::to_vec).unwrap_or_default(),
        probabilities,
        predictions,
        correct,
        seconds,
        grid: decision_grid(&mut model)?,
    })
}
// ANCHOR_END: xor_mlp

/// P(class 1) at the centres of a GRID × GRID grid over GRID_RANGE², `[GRID, GRID]`,
/// row = x₂ index, column = x₁ index.
fn decision_grid(model: &mut Sequential) -> Result<Array2<f32>, ModelError> {
    let (lo, hi) = GRID_RANGE;
    let at = |k: usize| (lo + (hi - lo) * (k as f64 + 0.5) / GRID as f64) as f32;
    let points = Array2::from_shape_fn((GRID * GRID, 2), |(k, j)| {
        if j == 0 {
            at(k % GRID)
        } else {
            at(k / GRID)
        }
    });
    let p = model.predict(&points)?; // [GRID², 1]
    p.into_shape_with_order((GRID, GRID))
        .map_err(|e| ModelError::Usage(format!("decision grid: {e}")))
}

// ---------------------------------------------------------------------------------------
// Figures

/// Heaviside and sign over z ∈ [−3, 3], side by side.
pub fn plot_step_functions(path: &Path) -> Result<(), Ch02Error> {
    let err = plot_err(path);
    ensure_parent(path).map_err(|e| err(&e))?;
    let root = SVGBackend::new(path, (720, 300)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
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
        for piece in [(-3.0, -1e-9), (1e-9, 3.0)] {
            let line = [
                (piece.0, step.apply(piece.0)),
                (piece.1, step.apply(piece.1)),
            ];
            chart
                .draw_series(LineSeries::new(line, color.stroke_width(3)))
                .map_err(|e| err(&e))?;
        }
        let dot = Circle::new((0.0, step.apply(0.0)), 5, color.filled());
        chart.draw_series([dot]).map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// Tick labels without "-0.0".
fn tidy(v: &f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    format!("{:.1}", if r == 0.0 { 0.0 } else { r })
}

/// The perceptron's errors on XOR per epoch, on an axis from 0 (never reached).
pub fn plot_xor_perceptron(report: &XorPerceptronReport, path: &Path) -> Result<(), Ch02Error> {
    let err = plot_err(path);
    ensure_parent(path).map_err(|e| err(&e))?;
    let root = SVGBackend::new(path, (720, 360)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let n = report.epochs.len();
    let mut chart = ChartBuilder::on(&root)
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
    let errors: Vec<usize> = report.epochs.iter().map(|e| e.errors).collect();
    let updates: Vec<usize> = report.epochs.iter().map(|e| e.updates).collect();
    let series = [
        ("misclassified after the epoch", errors),
        ("updates during the epoch", updates),
    ];
    for (i, (name, values)) in series.into_iter().enumerate() {
        let color = PALETTE[i];
        let pts: Vec<(f64, f64)> = values
            .iter()
            .enumerate()
            .map(|(k, &v)| ((k + 1) as f64, v as f64))
            .collect();
        chart
            .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
            .map_err(|e| err(&e))?
            .label(name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
        chart
            .draw_series(pts.into_iter().map(|p| Circle::new(p, 3, color.filled())))
            .map_err(|e| err(&e))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// Creates the directory a figure goes into.
fn ensure_parent(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
        _ => Ok(()),
    }
}

fn plot_err(path: &Path) -> impl Fn(&dyn std::fmt::Display) -> PlotError + '_ {
    move |e| PlotError {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// A light shade of a palette colour for decision regions.
fn shade(c: RGBColor) -> RGBColor {
    let mix = |v: u8| (f64::from(v) * 0.25 + 255.0 * 0.75) as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// Decision regions as few rectangles: each row of `class` (`[rows, cols]`, row 0 at
/// y0) becomes runs of equal class; cell (r, c) spans x0 + c·dx, y0 + r·dy.
fn region_rects(
    class: &Array2<bool>,
    (x0, y0): (f64, f64),
    (dx, dy): (f64, f64),
) -> Vec<Rectangle<(f64, f64)>> {
    let mut rects = Vec::new();
    for (r, row) in class.outer_iter().enumerate() {
        let mut start = 0;
        for c in 1..=row.len() {
            if c == row.len() || row[c] != row[start] {
                let color = shade(PALETTE[usize::from(row[start])]);
                let low = (x0 + start as f64 * dx, y0 + r as f64 * dy);
                let high = (x0 + c as f64 * dx, y0 + (r + 1) as f64 * dy);
                rects.push(Rectangle::new([low, high], color.filled()));
                start = c;
            }
        }
    }
    rects
}

// ANCHOR: iris_figure
/// Iris petals, the perceptron's regions and its boundary w₁x₁ + w₂x₂ + b = 0.
pub fn plot_iris(report: &IrisReport, path: &Path) -> Result<(), Ch02Error> {
    let err = plot_err(path);
    ensure_parent(path).map_err(|e| err(&e))?;
    let root = SVGBackend::new(path, (720, 400)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let (x_max, y_max) = (5.0, 2.0);
    let mut chart = ChartBuilder::on(&root)
        .caption("Perceptron on iris: setosa or not", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..x_max, 0.0..y_max)
        .map_err(|e| err(&e))?;
    let ([w1, w2], b) = (report.coef, report.intercept);
    let (nx, ny) = (250, 100); // cells of 0.02 cm
    let (dx, dy) = (x_max / nx as f64, y_max / ny as f64);
    let setosa = Array2::from_shape_fn((ny, nx), |(j, i)| {
        let (x1, x2) = ((i as f64 + 0.5) * dx, (j as f64 + 0.5) * dy);
        w1 * x1 + w2 * x2 + b > 0.0 // the perceptron's rule: class 1 where p > 0
    });
    let cells = region_rects(&setosa, (0.0, 0.0), (dx, dy));
    chart.draw_series(cells).map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("Petal length (cm)")
        .y_desc("Petal width (cm)")
        .draw()
        .map_err(|e| err(&e))?;
    let points = |class: usize| {
        let rows = report.x.outer_iter().zip(&report.y);
        rows.filter(move |(_, &t)| t == class)
            .map(|(r, _)| (r[0], r[1]))
    };
    chart
        .draw_series(points(0).map(|p| Circle::new(p, 3, PALETTE[0].filled())))
        .map_err(|e| err(&e))?
        .label("Not Iris setosa")
        .legend(|(x, y)| Circle::new((x + 10, y), 4, PALETTE[0].filled()));
    chart
        .draw_series(points(1).map(|p| TriangleMarker::new(p, 5, PALETTE[1].filled())))
        .map_err(|e| err(&e))?
        .label("Iris setosa")
        .legend(|(x, y)| TriangleMarker::new((x + 10, y), 5, PALETTE[1].filled()));
    // boundary: x₂ = −(w₁x₁ + b) / w₂
    let line = (0..=100)
        .map(|i| i as f64 * x_max / 100.0)
        .map(|x| (x, -(w1 * x + b) / w2));
    let line: Vec<(f64, f64)> = line.filter(|&(_, y)| (0.0..=y_max).contains(&y)).collect();
    chart
        .draw_series(LineSeries::new(line, BLACK.stroke_width(2)))
        .map_err(|e| err(&e))?
        .label("decision boundary")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
    let queries = iris_queries();
    let marks = queries
        .outer_iter()
        .map(|r| Cross::new((r[0], r[1]), 6, BLACK.stroke_width(2)));
    chart
        .draw_series(marks)
        .map_err(|e| err(&e))?
        .label("queries [2, 0.5] and [3, 1]")
        .legend(|(x, y)| Cross::new((x + 10, y), 5, BLACK.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}
// ANCHOR_END: iris_figure

/// The XOR MLP's decision regions (P > 0.5 shaded) and the four points.
pub fn plot_xor_regions(report: &XorMlpReport, path: &Path) -> Result<(), Ch02Error> {
    let err = plot_err(path);
    ensure_parent(path).map_err(|e| err(&e))?;
    let root = SVGBackend::new(path, (520, 480)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let (lo, hi) = GRID_RANGE;
    let title = format!(
        "MLP 2-8-1 on XOR (seed {}, {} epochs)",
        report.seed, report.epochs
    );
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(40)
        .build_cartesian_2d(lo..hi, lo..hi)
        .map_err(|e| err(&e))?;
    let step = (hi - lo) / GRID as f64;
    let cells = region_rects(&report.grid.mapv(|p| p > 0.5), (lo, lo), (step, step));
    chart.draw_series(cells).map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("x₁")
        .y_desc("x₂")
        .x_label_formatter(&tidy)
        .y_label_formatter(&tidy)
        .draw()
        .map_err(|e| err(&e))?;
    let x = xor_inputs();
    for class in [0, 1] {
        let pts: Vec<(f64, f64)> = x
            .outer_iter()
            .zip(XOR_TARGETS)
            .filter(|&(_, t)| t == class)
            .map(|(r, _)| (r[0], r[1]))
            .collect();
        let color = PALETTE[class];
        chart
            .draw_series(pts.into_iter().map(|p| Circle::new(p, 8, color.filled())))
            .map_err(|e| err(&e))?
            .label(format!("XOR = {class}"))
            .legend(move |(x, y)| Circle::new((x + 10, y), 5, color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperMiddle)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}
