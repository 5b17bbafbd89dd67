//! The body of the `model_file` fuzz target (`fuzz/fuzz_targets/model_file.rs`), also
//! run on the committed corpus by `tests/fuzz_corpus.rs`.

use ndarray::{ArrayD, IxDyn};

use super::{load_model_from_bytes, load_weights_from_bytes, save_model_to_bytes, SaveError};
use crate::activations::Activation;
use crate::layers::{Dense, Dropout, Flatten};
use crate::model::{Model, Sequential};
use crate::train::Train;

/// The name the fuzzed bytes go by in error messages.
pub const NAME: &str = "fuzz-model.safetensors";

/// The model `load_weights` is fuzzed against: Flatten([2, 2]) → Dense(3, relu) →
/// Dropout(0.5) → Dense(2, softmax), seed 7; weights `dense/kernel` `[4, 3]`,
/// `dense/bias` `[3]`, `dense_1/kernel` `[3, 2]`, `dense_1/bias` `[2]`.
pub fn weights_model() -> Sequential {
    let mut model = Sequential::new(7);
    model.add(Flatten::new().input_shape(&[2, 2]));
    model.add(Dense::new(3).activation(Activation::Relu));
    model.add(Dropout::new(0.5));
    model.add(Dense::new(2).activation(Activation::Softmax));
    model
}

/// Loads `data` as a whole model and as the weights of [`weights_model`]. A model that
/// loads must predict (for an input of up to 4,096 values), save and load again with the
/// same weights. Returns how many steps succeeded.
///
/// # Panics
/// On purpose, when the library breaks its contract: an error that does not name the
/// file, weights changed by a failed load, or a saved model that does not load back.
#[doc(hidden)]
pub fn fuzz_target(data: &[u8]) -> usize {
    let clear = |e: &SaveError| {
        let msg = e.to_string();
        assert!(msg.contains(NAME), "an error without the file: {msg}");
    };
    let mut ok = 0;
    match load_model_from_bytes(data, NAME) {
        Ok(mut model) => {
            ok += 1;
            let shape = model.input_shape().map(<[usize]>::to_vec);
            if let Some(shape) = shape.filter(|s| s.iter().product::<usize>() <= 4096) {
                let x = ArrayD::<f32>::zeros(IxDyn(&[[2].as_slice(), &shape].concat()));
                if let Ok(y) = model.predict(&x) {
                    assert_eq!(y.nrows(), 2);
                    ok += 1;
                }
            }
            match save_model_to_bytes(&model, NAME) {
                Ok(bytes) => {
                    let again = load_model_from_bytes(&bytes, NAME)
                        .unwrap_or_else(|e| panic!("a saved model does not load back: {e}"));
                    assert_eq!(bits(&again), bits(&model), "weights changed on reload");
                    ok += 1;
                }
                Err(e) => clear(&e),
            }
        }
        Err(e) => clear(&e),
    }
    let mut model = weights_model();
    let before = model.build().map(|()| bits(&model));
    match load_weights_from_bytes(&mut model, data, NAME) {
        Ok(()) => ok += 1,
        Err(e) => {
            clear(&e);
            assert_eq!(
                before.ok(),
                Some(bits(&model)),
                "a failed load changed weights"
            );
        }
    }
    ok
}

/// Every weight's name, shape and bits.
fn bits(model: &dyn Model) -> Vec<(String, Vec<usize>, Vec<u32>)> {
    model
        .named_weights()
        .into_iter()
        .map(|(name, w)| {
            (
                name,
                w.shape().to_vec(),
                w.iter().map(|v| v.to_bits()).collect(),
            )
        })
        .collect()
}
