//! Checks of `exercises/ex07_hg_7_1.rs` and `exercises/ex08_hg_7_2.rs`.
use crate::datasets::Split;
use crate::error::ModelError;
use crate::exercises::Checked;
use crate::model::Sequential;
use crate::report::Run;

/// A model cell: the model for a seed.
pub type ModelCell = fn(u64) -> Result<Sequential, ModelError>;
/// A training cell: compile, fit, evaluate.
pub type TrainCell = fn(Sequential, &Split, u8) -> Result<Run, ModelError>;

/// 7.1: HG 7-1's model.
pub fn hg_7_1_model(f: ModelCell) -> Checked {
    f(42)?;
    Err(crate::exercises::Verdict::Wrong(
        "check not written yet".into(),
    ))
}

/// 7.2: HG 7-1's training cell, within the chapter's bands.
pub fn hg_7_1_train(f: TrainCell) -> Checked {
    let _ = f;
    Err(crate::exercises::Verdict::Wrong(
        "check not written yet".into(),
    ))
}

/// 8.1: HG 7-2's sigmoid model.
pub fn hg_7_2_sigmoid_model(f: ModelCell) -> Checked {
    f(42)?;
    Err(crate::exercises::Verdict::Wrong(
        "check not written yet".into(),
    ))
}

/// 8.2: HG 7-2's relu model.
pub fn hg_7_2_relu_model(f: ModelCell) -> Checked {
    f(42)?;
    Err(crate::exercises::Verdict::Wrong(
        "check not written yet".into(),
    ))
}

/// 8.3: HG 7-2's training cell, within the chapter's bands.
pub fn hg_7_2_train(f: TrainCell) -> Checked {
    let _ = f;
    Err(crate::exercises::Verdict::Wrong(
        "check not written yet".into(),
    ))
}
