//! Checks of `exercises/ex07_hg_7_1.rs` and `exercises/ex08_hg_7_2.rs`.
//!
//! A model cell is compared with the book's model of the same seed: the same
//! `summary()` line by line, the same input shape, and the same predictions on a few
//! inputs (same seed and same layers give the same initial weights, so a wrong
//! activation shows). A training cell is run on the book's model, so that 7.2 and 8.3
//! do not depend on 7.1 and 8.1–8.2, and its figures must fall inside the chapter's
//! bands (`report::hg_7_1_figures`, `report::sigmoid_figures`,
//! `report::relu_figures`), as `tests/ch03_mlp.rs` and
//! `tests/ch04_relu_vs_sigmoid.rs` grade the chapters.
use std::sync::OnceLock;

use ndarray::{ArrayD, IxDyn};

use crate::datasets::{fashion_mnist, hg_split, Split, Subset};
use crate::error::ModelError;
use crate::exercises::reference::{ex07_hg_7_1, ex08_hg_7_2};
use crate::exercises::{close, Checked, Tol, Verdict};
use crate::model::{Model, Sequential};
use crate::report::{
    hg_7_1_figures, relu_figures, sigmoid_figures, Figure, Run, HG_7_1_SEEDS,
};
use crate::train::Train;

/// A model cell: the model for a seed.
pub type ModelCell = fn(u64) -> Result<Sequential, ModelError>;
/// A training cell: compile, fit, evaluate.
pub type TrainCell = fn(Sequential, &Split, u8) -> Result<Run, ModelError>;

/// A chapter's figures of a run: `report::sigmoid_figures`, `report::relu_figures`.
type Figures = fn(&Run) -> Vec<Figure>;

/// The seeds a model cell is built with: the chapter's, and another (a cell that
/// ignores its seed gives other weights for it).
const MODEL_SEEDS: [u64; 2] = [42, 7];

/// Fashion-MNIST split as HG splits it (48,000 train / 12,000 validation), loaded
/// once per process; a missing dataset is a wrong answer with the loader's message.
fn data() -> Result<&'static Split, Verdict> {
    static DATA: OnceLock<Result<Split, String>> = OnceLock::new();
    DATA.get_or_init(|| {
        fashion_mnist::load_verbose(0)
            .map(|d| hg_split(&d))
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| Verdict::Wrong(format!("Fashion-MNIST could not be loaded: {e}")))
}

/// The Fashion-MNIST split, or — when it cannot be loaded — "not done" for a training
/// cell that is still `not_done()` (found by running it on ten blank images), so that
/// a blank exercise reads as not done on a machine without the dataset too.
fn data_for(f: TrainCell, model: ModelCell) -> Result<&'static Split, Verdict> {
    or_not_done(data(), f, model)
}

/// `loaded`, or, when it is an error, "not done" for a cell still `not_done()`.
fn or_not_done(
    loaded: Result<&Split, Verdict>,
    f: TrainCell,
    model: ModelCell,
) -> Result<&Split, Verdict> {
    let missing = match loaded {
        Ok(split) => return Ok(split),
        Err(missing) => missing,
    };
    let blank = || {
        let x = ndarray::Array3::<f32>::zeros((10, 28, 28));
        Subset::new(x, (0..10).collect())
    };
    if let (Ok(train), Ok(val), Ok(test)) = (blank(), blank(), blank()) {
        let tiny = Split { train, val, test };
        if let Err(ModelError::Unfinished(u)) = f(book_model(model(42))?, &tiny, 0) {
            return Err(Verdict::NotDone(u));
        }
    }
    Err(missing)
}

/// The book's model, or why it could not be built (never the learner's fault).
fn book_model(built: Result<Sequential, ModelError>) -> Result<Sequential, Verdict> {
    built.map_err(|e| Verdict::Wrong(format!("the book's model could not be built: {e}")))
}

/// A summary line with its run of padding squeezed: `dense (Dense) │ (None, 10) │ 7,850`.
fn squeeze(line: &str) -> String {
    line.trim_matches(|c: char| c == '│' || c.is_whitespace())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first line where two summaries differ, as a failed check.
fn same_summary(yours: &str, book: &str, seed: u64) -> Checked {
    let (y, b): (Vec<&str>, Vec<&str>) =
        (yours.lines().collect(), book.lines().collect());
    for i in 0..y.len().max(b.len()) {
        let (yl, bl) = (y.get(i).copied(), b.get(i).copied());
        if yl != bl {
            let show = |l: Option<&str>| l.map_or("(no line)".to_string(), squeeze);
            return Err(Verdict::Wrong(format!(
                "summary() line {} (seed {seed}): yours `{}`, the book's `{}`",
                i + 1,
                show(yl),
                show(bl)
            )));
        }
    }
    Ok(())
}

/// Three inputs of shape `[3, input_shape…]`, values in [0, 1] like the scaled images.
fn inputs(input_shape: &[usize]) -> ArrayD<f32> {
    let mut dims = vec![3];
    dims.extend_from_slice(input_shape);
    let mut k = 0u32;
    ArrayD::from_shape_fn(IxDyn(&dims), |_| {
        k = k.wrapping_add(1);
        (k.wrapping_mul(2_654_435_761) >> 24) as f32 / 255.0
    })
}

/// The learner's model cell against the book's, for each of `MODEL_SEEDS`.
fn same_model(yours: ModelCell, book: ModelCell) -> Checked {
    for seed in MODEL_SEEDS {
        let mut mine = yours(seed)?;
        let mut theirs = book_model(book(seed))?;
        let book_summary = theirs.summary().map_err(|e| {
            Verdict::Wrong(format!("the book's model has no summary: {e}"))
        })?;
        same_summary(&mine.summary()?, &book_summary, seed)?;
        let book_shape = theirs
            .input_shape()
            .map(<[usize]>::to_vec)
            .unwrap_or_default();
        let your_shape = mine
            .input_shape()
            .map(<[usize]>::to_vec)
            .unwrap_or_default();
        if your_shape != book_shape {
            return Err(Verdict::Wrong(format!(
                "input_shape: yours {your_shape:?}, the book's {book_shape:?}"
            )));
        }
        let x = inputs(&book_shape);
        let expected = theirs.predict(&x).map_err(|e| {
            Verdict::Wrong(format!("the book's model could not predict: {e}"))
        })?;
        let predicted = mine.predict(&x)?;
        close(
            "predict(x)",
            predicted.view().into_dyn(),
            expected.mapv(f64::from).view().into_dyn(),
            "the book's model",
            Tol::F32,
        )
        .map_err(|verdict| match verdict {
            Verdict::Wrong(m) => Verdict::Wrong(format!(
                "{m} (seed {seed}; the same layers and seed give the same initial \
                 weights: an activation differs, or the seed does not reach \
                 Sequential::new(seed))"
            )),
            other => other,
        })?;
    }
    Ok(())
}

/// The figures inside their bands, or the first one outside, e.g.
/// `HG 7-1 val accuracy (median): 0.7912, band 0.838–0.856 (documented …)`.
fn in_bands(figures: &[Figure]) -> Checked {
    match figures.iter().find(|f| !f.in_band()) {
        None => Ok(()),
        Some(f) => Err(Verdict::Wrong(format!(
            "{}: {:.4}, band {:.3}–{:.3} (documented {})",
            f.name, f.value, f.band.0, f.band.1, f.documented
        ))),
    }
}

/// What every training cell's `Run` must hold: 5 epochs, and the summary taken before
/// training (after it, Keras 3 adds the optimizer's variables to the total).
fn trained_as_the_book(run: &Run, total: &str, which: &str) -> Checked {
    let epochs = run.history.epochs();
    if epochs != 5 {
        return Err(Verdict::Wrong(format!(
            "{which}: the History has {epochs} epochs, the book fits for 5"
        )));
    }
    if !run.summary.contains(total) {
        return Err(Verdict::Wrong(format!(
            "{which}: Run.summary should be model.summary() before compile and fit, with \
             `{total}`; yours:\n{}",
            run.summary
        )));
    }
    Ok(())
}

/// 7.1: HG 7-1's model.
pub fn hg_7_1_model(f: ModelCell) -> Checked {
    same_model(f, ex07_hg_7_1::model)
}

/// 7.2: HG 7-1's training cell on the book's model, for each of `HG_7_1_SEEDS`: the
/// medians of the epoch-5 and validation accuracies inside the chapter's bands.
pub fn hg_7_1_train(f: TrainCell) -> Checked {
    let split = data_for(f, ex07_hg_7_1::model)?;
    let mut runs = Vec::new();
    for seed in HG_7_1_SEEDS {
        let run = f(book_model(ex07_hg_7_1::model(seed))?, split, 0)?;
        let which = format!("HG 7-1, seed {seed}");
        trained_as_the_book(&run, "Total params: 7,850 (30.66 KB)", &which)?;
        runs.push(run);
    }
    in_bands(&hg_7_1_figures(&runs))
}

/// 8.1: HG 7-2's sigmoid model.
pub fn hg_7_2_sigmoid_model(f: ModelCell) -> Checked {
    same_model(f, ex08_hg_7_2::sigmoid_model)
}

/// 8.2: HG 7-2's relu model.
pub fn hg_7_2_relu_model(f: ModelCell) -> Checked {
    same_model(f, ex08_hg_7_2::relu_model)
}

/// 8.3: HG 7-2's training cell on the book's sigmoid model (it takes the images
/// flattened, `[n, 784]`) and relu model (`[n, 28, 28]`, flattened by its `Flatten`),
/// seed 42: each inside the chapter's bands, its loss falling every epoch.
pub fn hg_7_2_train(f: TrainCell) -> Checked {
    let split = data_for(f, ex08_hg_7_2::relu_model)?;
    let models: [(&str, ModelCell, Figures); 2] = [
        (
            "HG 7-2 sigmoid model",
            ex08_hg_7_2::sigmoid_model,
            sigmoid_figures,
        ),
        ("HG 7-2 relu model", ex08_hg_7_2::relu_model, relu_figures),
    ];
    for (which, model, figures) in models {
        let run = f(book_model(model(42))?, split, 0)?;
        trained_as_the_book(&run, "Total params: 79,510 (310.59 KB)", which)?;
        let loss = run.history.get("loss").unwrap_or(&[]);
        if !loss.windows(2).all(|w| w[1] < w[0]) {
            return Err(Verdict::Wrong(format!(
                "{which}: the loss should fall every epoch; yours {loss:?}"
            )));
        }
        in_bands(&figures(&run))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank_cell(_: Sequential, _: &Split, _: u8) -> Result<Run, ModelError> {
        crate::exercises::not_done()
    }

    #[test]
    fn without_the_dataset_a_blank_training_cell_is_still_not_done() {
        let missing = Err(Verdict::Wrong("Fashion-MNIST could not be loaded".into()));
        let verdict = or_not_done(missing, blank_cell, ex07_hg_7_1::model).err();
        assert!(matches!(verdict, Some(Verdict::NotDone(_))), "{verdict:?}");
        // a written cell keeps the loader's message
        let missing = Err(Verdict::Wrong("Fashion-MNIST could not be loaded".into()));
        let verdict = or_not_done(missing, ex07_hg_7_1::train, ex07_hg_7_1::model).err();
        assert!(matches!(verdict, Some(Verdict::Wrong(_))), "{verdict:?}");
    }
}
