//! The checks of each exercise file. Every check function takes the learner's
//! functions as `fn` pointers and returns `Ok(())` once all of its checks pass, or the
//! first that fails, with its numbers.

pub mod activations;
pub mod dense;
pub mod dropout;
pub mod early_stopping;
pub mod gates;
pub mod hg_cells;
pub mod optimizers;
pub mod perceptron;
pub mod softmax;
