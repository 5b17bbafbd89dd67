//! Chapter 15 — gradient descent three ways, the learning rate, and backpropagation by
//! hand.
//!
//! The lecture notes' 경사 하강법 (gradient descent), 학습률 (learning rate) and 오차
//! 역전파 (backpropagation), on HG 7-2's relu model. The Keras lines it mirrors:
//!
//! ```python
//! model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)),
//!                           keras.layers.Dense(100, activation='relu'),
//!                           keras.layers.Dense(10, activation='softmax')])
//! model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1),
//!               loss='sparse_categorical_crossentropy', metrics=['accuracy'])
//! model.fit(train_scaled, train_target, batch_size=48000, epochs=20)  # batch GD
//! model.fit(train_scaled, train_target, batch_size=32, epochs=2)      # mini-batch
//! model.fit(train_scaled, train_target, batch_size=1, epochs=1)       # stochastic (lr 0.01)
//! model.evaluate(val_scaled, val_target)
//! ```
//!
//! Then a 2-2-1 sigmoid network on one sample, its gradient worked out by the chain
//! rule and checked against the library and against finite differences.
//!
//! Run: `cargo run --release --bin ch15_gradient_descent`

use std::cell::RefCell;
use std::path::Path;
use std::time::Instant;

use annlab::gradcheck;
use annlab::plot::{figures_dir, log_x_chart, LogSeries, PlotError};
use annlab::prelude::*;
use annlab::report::{self, ChapterError, Figure};
use ndarray::{array, Array2, ArrayD, IxDyn};

/// The seed of every run in this chapter: same seed, same figures.
pub const SEED: u64 = 42;

// ANCHOR: variants
/// One way to run gradient descent: how many samples each step sees, how far it steps,
/// and for how many epochs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Variant {
    pub label: &'static str,
    /// Samples per step: the whole set (배치 경사 하강법), 32 (미니배치), or 1 (확률적).
    pub batch_size: usize,
    /// η in w ← w − η·∂L/∂w (학습률).
    pub learning_rate: f32,
    pub epochs: usize,
}

/// The five runs, in the order the chapter trains them. With 48,000 training images an
/// epoch is 1 step of batch GD, 1,500 mini-batch steps, or 48,000 stochastic steps.
pub const VARIANTS: [Variant; 5] = [
    Variant {
        label: "batch GD (48,000, lr 0.1)",
        batch_size: 48_000,
        learning_rate: 0.1,
        epochs: 20,
    },
    Variant {
        label: "mini-batch (32, lr 0.1)",
        batch_size: 32,
        learning_rate: 0.1,
        epochs: 2,
    },
    Variant {
        label: "stochastic (1, lr 0.01)",
        batch_size: 1,
        learning_rate: 0.01,
        epochs: 1,
    },
    Variant {
        label: "lr 1.0, too large",
        batch_size: 32,
        learning_rate: 1.0,
        epochs: 2,
    },
    Variant {
        label: "lr 1e-4, too small",
        batch_size: 32,
        learning_rate: 1e-4,
        epochs: 2,
    },
];
// ANCHOR_END: variants

/// One point of a training curve: after `step` optimizer steps and `seconds` of
/// training, the running mean loss of the epoch so far (what Keras's batch logs hold).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub step: usize,
    pub seconds: f64,
    pub loss: f64,
}

/// One variant's run: its History, its curve step by step, and `evaluate(val)`.
pub struct DescentRun {
    pub variant: Variant,
    pub history: History,
    pub curve: Vec<CurvePoint>,
    pub evaluation: Evaluation,
}

impl DescentRun {
    /// Optimizer steps taken: ⌈48,000 / batch⌉ per epoch.
    pub fn steps(&self) -> usize {
        self.curve.len()
    }
    /// `evaluate(val_scaled, val_target)` accuracy.
    pub fn val_accuracy(&self) -> f64 {
        self.evaluation.metric("accuracy").unwrap_or(f64::NAN)
    }
    /// Seconds of training (the epochs' wall-clock time).
    pub fn seconds(&self) -> f64 {
        self.history.seconds().iter().sum()
    }
}

// ANCHOR: train
/// HG 7-2's relu model, `SGD(learning_rate)`, fit with the variant's batch size and
/// epochs; a `LambdaCallback` records the loss after every step. Every run starts from
/// the same weights (same seed).
pub fn train(
    variant: Variant,
    split: &Split,
    seed: u64,
    verbose: u8,
) -> Result<DescentRun, ModelError> {
    let mut model = Sequential::new(seed);
    model.add(Flatten::new().input_shape(&[28, 28]));
    model.add(Dense::new(100).activation(Activation::Relu));
    model.add(Dense::new(10).activation(Activation::Softmax));
    model.compile(
        Compile::new("sparse_categorical_crossentropy")
            .metrics(&["accuracy"])
            .optimizer(SGD::new().learning_rate(variant.learning_rate)),
    )?;

    let curve = RefCell::new(Vec::new());
    let start = Instant::now();
    let mut record = LambdaCallback::new().on_train_batch_end(|_batch, logs| {
        let mut curve = curve.borrow_mut();
        let point = CurvePoint {
            step: curve.len() + 1,
            seconds: start.elapsed().as_secs_f64(),
            loss: logs.get("loss").unwrap_or(f64::NAN),
        };
        curve.push(point);
    });
    let history = model.fit(
        split.train.x(),
        split.train.y(),
        Fit::new(variant.epochs)
            .batch_size(variant.batch_size)
            .verbose(verbose)
            .callback(&mut record),
    )?;
    drop(record);
    let evaluation = model.evaluate(split.val.x(), split.val.y(), 0)?;
    Ok(DescentRun {
        variant,
        history,
        curve: curve.into_inner(),
        evaluation,
    })
}
// ANCHOR_END: train

/// All five runs, in the order of `VARIANTS`.
pub fn train_all(
    split: &Split,
    seed: u64,
    verbose: u8,
) -> Result<Vec<DescentRun>, ModelError> {
    VARIANTS
        .iter()
        .map(|&v| train(v, split, seed, verbose))
        .collect()
}

/// The table the chapter prints: steps, last training loss, validation loss and
/// accuracy, and seconds of training, one row per run.
pub fn results_table(runs: &[DescentRun]) -> String {
    let w = runs
        .iter()
        .map(|r| r.variant.label.len())
        .max()
        .unwrap_or(3)
        .max(3);
    let mut out = format!(
        "{:<w$}  {:>6}  {:>10}  {:>8}  {:>7}  {:>7}\n",
        "run", "steps", "train loss", "val loss", "val acc", "seconds"
    );
    for r in runs {
        out += &format!(
            "{:<w$}  {:>6}  {:>10.4}  {:>8.4}  {:>7.4}  {:>7.2}\n",
            r.variant.label,
            r.steps(),
            r.history.last("loss").unwrap_or(f64::NAN),
            r.evaluation.loss,
            r.val_accuracy(),
            r.seconds()
        );
    }
    out
}

/// The "Gradient-descent variants" table of `book/src/reference.md`: per run, Keras 3's
/// validation accuracy (seed 42) and the accepted band.
const REFERENCE: [(&str, (f64, f64)); 5] = [
    ("≈ 0.68 (K3)", (0.60, 0.75)),
    ("0.8567 (K3)", (0.840, 0.872)),
    ("0.8023 (K3)", (0.77, 0.83)),
    ("0.0987, stuck (K3)", (0.0, 0.20)),
    ("0.4763 (K3)", (0.0, 0.60)),
];

/// Each run's validation accuracy beside its documented value and band.
pub fn figures(runs: &[DescentRun]) -> Vec<Figure> {
    runs.iter()
        .filter_map(|r| {
            let i = VARIANTS.iter().position(|v| *v == r.variant)?;
            let (documented, band) = REFERENCE[i];
            Some(Figure::new(
                &format!("{} val acc", r.variant.label),
                r.val_accuracy(),
                documented,
                band,
            ))
        })
        .collect()
}

/// At most `n` points of a curve, evenly spaced in log(step), so 48,000 stochastic steps
/// draw as smoothly as 20 batch steps (the last point is always kept).
fn thin(curve: &[CurvePoint], n: usize) -> Vec<CurvePoint> {
    let mut out: Vec<CurvePoint> = Vec::new();
    let last = curve.len().max(1) as f64;
    let mut next = 1.0_f64;
    for p in curve {
        if p.step as f64 >= next || p.step == curve.len() {
            out.push(*p);
            next = (p.step as f64) * last.powf(1.0 / n as f64);
        }
    }
    out
}

/// The loss curves against optimizer steps and against seconds, both on log axes: batch
/// GD takes the fewest steps, stochastic GD the most, and the seconds show what a step
/// costs.
pub fn write_curves(runs: &[DescentRun], dir: &Path) -> Result<(), PlotError> {
    let thinned: Vec<Vec<CurvePoint>> =
        runs.iter().map(|r| thin(&r.curve, 300)).collect();
    let by_step: Vec<Vec<(f64, f64)>> = thinned
        .iter()
        .map(|c| c.iter().map(|p| (p.step as f64, p.loss)).collect())
        .collect();
    let by_time: Vec<Vec<(f64, f64)>> = thinned
        .iter()
        .map(|c| c.iter().map(|p| (p.seconds, p.loss)).collect())
        .collect();
    for (points, file, x_label) in [
        (&by_step, "ch15_loss_by_step.svg", "optimizer steps (log)"),
        (
            &by_time,
            "ch15_loss_by_time.svg",
            "seconds of training (log)",
        ),
    ] {
        let series: Vec<LogSeries> = runs
            .iter()
            .zip(points)
            .map(|(r, p)| LogSeries {
                name: r.variant.label,
                points: p,
                width: 2,
            })
            .collect();
        log_x_chart(
            &dir.join(file),
            "training loss (running mean of the epoch), SGD",
            x_label,
            "loss",
            &series,
            &[],
            (0.0, 2.5),
        )?;
    }
    Ok(())
}

// ANCHOR: network
/// A 2-2-1 network with sigmoid units: x (2) → h = σ(x·W1 + b1) (2) → ŷ = σ(h·w2 + b2)
/// (1), loss L = (ŷ − t)² (Keras's `mse` on one output).
#[derive(Debug, Clone, PartialEq)]
pub struct TinyNet {
    /// `kernel` of the hidden layer, `[input i, hidden j]`, as Keras stores it.
    pub w1: [[f64; 2]; 2],
    pub b1: [f64; 2],
    /// `kernel` of the output layer, one weight per hidden unit.
    pub w2: [f64; 2],
    pub b2: f64,
}

/// The sample and the starting weights (those of Matt Mazur's well-known worked example,
/// with one output).
pub fn tiny_example() -> (TinyNet, [f64; 2], f64) {
    let net = TinyNet {
        w1: [[0.15, 0.25], [0.20, 0.30]],
        b1: [0.35, 0.35],
        w2: [0.40, 0.45],
        b2: 0.60,
    };
    (net, [0.05, 0.10], 0.01)
}
// ANCHOR_END: network

// ANCHOR: by_hand
/// Every value the forward pass computes and every derivative the chain rule produces.
#[derive(Debug, Clone, PartialEq)]
pub struct Backprop {
    pub z1: [f64; 2],
    pub h: [f64; 2],
    pub z2: f64,
    pub y: f64,
    pub loss: f64,
    /// ∂L/∂ŷ = 2(ŷ − t)
    pub dl_dy: f64,
    /// δ₂ = ∂L/∂z₂ = ∂L/∂ŷ · σ'(z₂) = ∂L/∂ŷ · ŷ(1 − ŷ)
    pub delta2: f64,
    /// `∂L/∂w2[j] = δ₂ · h[j]`; `∂L/∂b2 = δ₂`
    pub grad_w2: [f64; 2],
    pub grad_b2: f64,
    /// `δ₁[j] = ∂L/∂z1[j] = δ₂ · w2[j] · h[j](1 − h[j])`
    pub delta1: [f64; 2],
    /// `∂L/∂W1[i][j] = x[i] · δ₁[j]`; `∂L/∂b1[j] = δ₁[j]`
    pub grad_w1: [[f64; 2]; 2],
    pub grad_b1: [f64; 2],
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The forward pass, then the chain rule from the loss back to every weight.
pub fn backprop_by_hand(net: &TinyNet, x: [f64; 2], t: f64) -> Backprop {
    // forward: z1[j] = Σᵢ x[i]·W1[i][j] + b1[j], h = σ(z1), z2 = Σⱼ h[j]·w2[j] + b2
    let z1 = [0, 1].map(|j| x[0] * net.w1[0][j] + x[1] * net.w1[1][j] + net.b1[j]);
    let h = z1.map(sigmoid);
    let z2 = h[0] * net.w2[0] + h[1] * net.w2[1] + net.b2;
    let y = sigmoid(z2);
    let loss = (y - t).powi(2);
    // backward: each δ is the one after it times the local derivative
    let dl_dy = 2.0 * (y - t);
    let delta2 = dl_dy * y * (1.0 - y);
    let grad_w2 = h.map(|hj| delta2 * hj);
    let delta1 = [0, 1].map(|j| delta2 * net.w2[j] * h[j] * (1.0 - h[j]));
    let grad_w1 = [0, 1].map(|i| [0, 1].map(|j| x[i] * delta1[j]));
    Backprop {
        z1,
        h,
        z2,
        y,
        loss,
        dl_dy,
        delta2,
        grad_w2,
        grad_b2: delta2,
        delta1,
        grad_w1,
        grad_b1: delta1,
    }
}
// ANCHOR_END: by_hand

/// The same network as a `Sequential` with the example's weights, compiled with `mse`
/// and `SGD(learning_rate)`.
pub fn tiny_model(net: &TinyNet, learning_rate: f32) -> Result<Sequential, ModelError> {
    let mut model = Sequential::new(SEED);
    model.add(
        Dense::new(2)
            .activation(Activation::Sigmoid)
            .input_shape(&[2]),
    );
    model.add(Dense::new(1).activation(Activation::Sigmoid));
    model.compile(
        Compile::new("mse").optimizer(SGD::new().learning_rate(learning_rate)),
    )?;
    model.set_weights(&tiny_weights(net))?;
    Ok(model)
}

/// The network's tensors in `get_weights` order: W1 `[2, 2]`, b1 `[2]`, w2 `[2, 1]`, b2 `[1]`.
pub fn tiny_weights(net: &TinyNet) -> Vec<ArrayD<f32>> {
    let t = |shape: &[usize], v: Vec<f64>| {
        ArrayD::from_shape_vec(IxDyn(shape), v.into_iter().map(|x| x as f32).collect())
            .expect("shape matches")
    };
    vec![
        t(&[2, 2], net.w1.iter().flatten().copied().collect()),
        t(&[2], net.b1.to_vec()),
        t(&[2, 1], net.w2.to_vec()),
        t(&[1], vec![net.b2]),
    ]
}

/// The hand gradient in `get_weights` order, flattened.
pub fn hand_gradients(b: &Backprop) -> Vec<Vec<f64>> {
    vec![
        b.grad_w1.iter().flatten().copied().collect(),
        b.grad_b1.to_vec(),
        b.grad_w2.to_vec(),
        vec![b.grad_b2],
    ]
}

/// Three gradients of every weight: by hand, by the library's backward pass, and by
/// central finite differences of the library's loss.
pub struct GradientCheck {
    pub names: [&'static str; 4],
    pub hand: Vec<Vec<f64>>,
    pub library: Vec<Vec<f64>>,
    pub finite: Vec<Vec<f64>>,
}

impl GradientCheck {
    /// The largest |hand − library| over every weight.
    pub fn max_library_gap(&self) -> f64 {
        max_gap(&self.hand, &self.library)
    }
    /// The largest |hand − finite differences| over every weight.
    pub fn max_finite_gap(&self) -> f64 {
        max_gap(&self.hand, &self.finite)
    }
}

fn max_gap(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .map(|(p, q)| (p - q).abs())
        .fold(0.0, f64::max)
}

// ANCHOR: check
/// The library's `loss_and_gradients` and finite differences (h = 1e-3) of its loss,
/// beside the hand gradient.
pub fn check_gradients(
    net: &TinyNet,
    x: [f64; 2],
    t: f64,
) -> Result<GradientCheck, ModelError> {
    let hand = hand_gradients(&backprop_by_hand(net, x, t));
    let mut model = tiny_model(net, 0.5)?;
    let xs: Array2<f32> = array![[x[0] as f32, x[1] as f32]];
    let ys: Array2<f32> = array![[t as f32]];
    let (_, grads) = model.loss_and_gradients(&xs, &ys)?;
    let library = grads
        .iter()
        .map(|g| g.iter().map(|&v| f64::from(v)).collect())
        .collect();

    let finite = gradcheck::model_numerical_gradients(&mut model, &xs, &ys, 1e-3)?;
    Ok(GradientCheck {
        names: ["W1", "b1", "w2", "b2"],
        hand,
        library,
        finite,
    })
}
// ANCHOR_END: check

/// One step of gradient descent by hand, w ← w − η·∂L/∂w, beside the library's SGD step
/// (`fit` on the one sample, batch 1, one epoch): the largest gap over every weight.
pub fn one_step(
    net: &TinyNet,
    x: [f64; 2],
    t: f64,
    eta: f64,
) -> Result<(TinyNet, f64), ModelError> {
    let b = backprop_by_hand(net, x, t);
    let step = |w: f64, g: f64| w - eta * g;
    let next = TinyNet {
        w1: [0, 1].map(|i| [0, 1].map(|j| step(net.w1[i][j], b.grad_w1[i][j]))),
        b1: [0, 1].map(|j| step(net.b1[j], b.grad_b1[j])),
        w2: [0, 1].map(|j| step(net.w2[j], b.grad_w2[j])),
        b2: step(net.b2, b.grad_b2),
    };
    let mut model = tiny_model(net, eta as f32)?;
    let xs: Array2<f32> = array![[x[0] as f32, x[1] as f32]];
    let ys: Array2<f32> = array![[t as f32]];
    model.fit(&xs, &ys, Fit::new(1).batch_size(1).verbose(0))?;
    let gap = tiny_weights(&next)
        .iter()
        .zip(model.get_weights())
        .flat_map(|(a, b)| {
            a.iter()
                .zip(b.iter())
                .map(|(p, q)| f64::from((p - q).abs()))
                .collect::<Vec<_>>()
        })
        .fold(0.0, f64::max);
    Ok((next, gap))
}

/// The chain rule, line by line, as the chapter prints it.
pub fn backprop_text(net: &TinyNet, x: [f64; 2], t: f64) -> String {
    let b = backprop_by_hand(net, x, t);
    let v = |a: &[f64]| {
        a.iter()
            .map(|x| format!("{x:.6}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = String::from("forward (순전파)\n");
    s += &format!("  x              = [{}], t = {t}\n", v(&x));
    s += &format!("  z1 = x·W1 + b1 = [{}]\n", v(&b.z1));
    s += &format!("  h  = σ(z1)     = [{}]\n", v(&b.h));
    s += &format!("  z2 = h·w2 + b2 = {:.6}\n", b.z2);
    s += &format!("  ŷ  = σ(z2)     = {:.6}\n", b.y);
    s += &format!("  L  = (ŷ − t)²  = {:.6}\n", b.loss);
    s += "backward (오차 역전파: the chain rule, from L back to each weight)\n";
    s += &format!("  ∂L/∂ŷ = 2(ŷ − t)                 = {:.6}\n", b.dl_dy);
    s += &format!("  δ2 = ∂L/∂ŷ · ŷ(1 − ŷ)            = {:.6}\n", b.delta2);
    s += &format!("  ∂L/∂w2 = δ2 · h                  = [{}]\n", v(&b.grad_w2));
    s += &format!("  ∂L/∂b2 = δ2                      = {:.6}\n", b.grad_b2);
    s += &format!("  δ1 = δ2 · w2 ⊙ h ⊙ (1 − h)       = [{}]\n", v(&b.delta1));
    s += &format!(
        "  ∂L/∂W1 = xᵀ · δ1                 = [[{}], [{}]]\n",
        v(&b.grad_w1[0]),
        v(&b.grad_w1[1])
    );
    s += &format!("  ∂L/∂b1 = δ1                      = [{}]\n", v(&b.grad_b1));
    s
}

/// Hand, library and finite-difference gradients side by side.
pub fn gradient_table(check: &GradientCheck) -> String {
    let mut s = format!(
        "{:<8}  {:>12}  {:>12}  {:>12}\n",
        "weight", "by hand", "library", "finite diff"
    );
    for (k, name) in check.names.iter().enumerate() {
        for (i, ((h, l), f)) in check.hand[k]
            .iter()
            .zip(&check.library[k])
            .zip(&check.finite[k])
            .enumerate()
        {
            s += &format!(
                "{:<8}  {h:>12.8}  {l:>12.8}  {f:>12.8}\n",
                format!("{name}[{i}]")
            );
        }
    }
    s
}

fn main() -> Result<(), ChapterError> {
    let data = fashion_mnist::load()?;
    let split = hg_split(&data); // 48,000 train / 12,000 validation

    // ANCHOR: runs
    let mut runs = Vec::new();
    for variant in VARIANTS {
        println!("== {} ==", variant.label);
        let run = train(variant, &split, SEED, 1)?;
        println!(
            "evaluate → loss {:.4}, accuracy {:.4}\n",
            run.evaluation.loss,
            run.val_accuracy()
        );
        runs.push(run);
    }
    println!("{}", results_table(&runs));
    // ANCHOR_END: runs

    let dir = figures_dir();
    write_curves(&runs, &dir)?;
    println!("figures written to {}/ch15_*.svg\n", dir.display());

    // ANCHOR: backprop
    let (net, x, t) = tiny_example();
    println!("{}", backprop_text(&net, x, t));
    let check = check_gradients(&net, x, t)?;
    println!("{}", gradient_table(&check));
    println!(
        "largest gap: hand vs library {:.1e}, hand vs finite differences {:.1e}",
        check.max_library_gap(),
        check.max_finite_gap()
    );
    let (after, gap) = one_step(&net, x, t, 0.5)?;
    println!(
        "one SGD step (η = 0.5): loss {:.6} → {:.6}; \
         hand step vs library step: {gap:.1e}\n",
        backprop_by_hand(&net, x, t).loss,
        backprop_by_hand(&after, x, t).loss
    );
    // ANCHOR_END: backprop

    println!("{}", report::table(&figures(&runs)));
    Ok(())
}
