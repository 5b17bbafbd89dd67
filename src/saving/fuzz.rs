//! The body of the `model_file` fuzz target (`fuzz/fuzz_targets/model_file.rs`), also
//! run on the committed corpus by `tests/fuzz_corpus.rs`.

use ndarray::{ArrayD, IxDyn};

use super::{
    load_functional_from_bytes, load_model_from_bytes, load_weights_from_bytes,
    save_model_to_bytes, SaveError,
};
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

/// Loads `data` as a whole model and as the weights of [`weights_model`]; then, if
/// `data` starts with a JSON value, the same with `data` read as a file without its
/// 8-byte header length (see [`with_header_length`]). A model that loads must predict
/// (for an input of up to 4,096 values), save and load again with the same weights.
/// Returns how many steps succeeded.
///
/// # Panics
/// On purpose, when the library breaks its contract: an error that does not name the
/// file, weights changed by a failed load, or a saved model that does not load back.
#[doc(hidden)]
pub fn fuzz_target(data: &[u8]) -> usize {
    let mut ok = fuzz_file(data);
    if let Some(file) = with_header_length(data) {
        ok += fuzz_file(&file);
    }
    ok
}

/// `data` as the JSON header and tensor bytes of a safetensors file, with the 8-byte
/// little-endian header length put in front: the length of the JSON value `data` starts
/// with. The fuzzer can then change the JSON (shapes, offsets, units) without having to
/// keep the length right. The header runs to the end of that value and the spaces after
/// it. `None` if `data` does not start with a JSON value.
pub fn with_header_length(data: &[u8]) -> Option<Vec<u8>> {
    let mut values =
        serde_json::Deserializer::from_slice(data).into_iter::<serde::de::IgnoredAny>();
    values.next()?.ok()?;
    // safetensors pads the header with spaces to a multiple of 8 bytes
    let end = values.byte_offset();
    let end = end + data[end..].iter().take_while(|&&b| b == b' ').count();
    let mut file = (end as u64).to_le_bytes().to_vec();
    file.extend_from_slice(data);
    Some(file)
}

/// [`fuzz_target`] on one file's bytes.
fn fuzz_file(data: &[u8]) -> usize {
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
                    let again = load_model_from_bytes(&bytes, NAME).unwrap_or_else(|e| {
                        panic!("a saved model does not load back: {e}")
                    });
                    assert_eq!(bits(&again), bits(&model), "weights changed on reload");
                    ok += 1;
                }
                Err(e) => clear(&e),
            }
        }
        Err(e) => clear(&e),
    }
    ok += fuzz_functional(data);
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

/// `data` as a functional model's file: one that loads must predict (inputs of up to
/// 4,096 values each), save and load again with the same weights.
fn fuzz_functional(data: &[u8]) -> usize {
    let clear = |e: &SaveError| {
        let msg = e.to_string();
        assert!(msg.contains(NAME), "an error without the file: {msg}");
    };
    let mut model = match load_functional_from_bytes(data, NAME) {
        Ok(model) => model,
        Err(e) => {
            clear(&e);
            return 0;
        }
    };
    let mut ok = 1;
    let inputs = model.inputs();
    if inputs
        .iter()
        .all(|i| i.shape.iter().product::<usize>() <= 4096)
    {
        let xs: Vec<ArrayD<f32>> = inputs
            .iter()
            .map(|i| ArrayD::zeros(IxDyn(&[[2].as_slice(), &i.shape].concat())))
            .collect();
        if let Ok(ys) = model.predict_all(xs.iter().map(|x| x.view()).collect::<Vec<_>>())
        {
            assert!(ys.iter().all(|y| y.nrows() == 2));
            ok += 1;
        }
    }
    match save_model_to_bytes(&model, NAME) {
        Ok(bytes) => {
            let again = load_functional_from_bytes(&bytes, NAME).unwrap_or_else(|e| {
                panic!("a saved functional model does not load back: {e}")
            });
            assert_eq!(bits(&again), bits(&model), "weights changed on reload");
            ok += 1;
        }
        Err(e) => clear(&e),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A whole-model file of [`weights_model`] with `edit` applied to its JSON header
    /// (the header length rewritten to match).
    fn edited(edit: impl Fn(&str) -> String) -> Vec<u8> {
        let mut model = weights_model();
        model.build().expect("builds");
        edit_header(&save_model_to_bytes(&model, NAME).expect("saves"), edit)
    }

    /// [`weights_model`] compiled with Adam and trained for one epoch of two steps, saved.
    fn trained() -> Vec<u8> {
        use crate::optimizers::{Adam, Optimizer};
        use crate::train::{Compile, Fit};
        let mut model = weights_model();
        let adam: Box<dyn Optimizer> = Box::new(Adam::new());
        let spec = Compile::new("sparse_categorical_crossentropy").optimizer(adam);
        model.compile(spec).expect("compiles");
        let x = ndarray::Array3::from_shape_fn((4, 2, 2), |(i, r, c)| (i + r + c) as f32);
        let fit = Fit::new(1).batch_size(2).verbose(0);
        model.fit(&x, &[0usize, 1, 1, 0][..], fit).expect("trains");
        save_model_to_bytes(&model, NAME).expect("saves")
    }

    /// `bytes` with `edit` applied to the JSON header (its length rewritten to match).
    fn edit_header(bytes: &[u8], edit: impl Fn(&str) -> String) -> Vec<u8> {
        let n = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")) as usize;
        let header = edit(std::str::from_utf8(&bytes[8..8 + n]).expect("JSON"));
        let mut file = (header.len() as u64).to_le_bytes().to_vec();
        file.extend_from_slice(header.as_bytes());
        file.extend_from_slice(&bytes[8 + n..]);
        file
    }

    #[test]
    fn a_model_file_whose_architecture_needs_68_gb_of_weights_is_refused_before_building()
    {
        // Dense(4294967296) on 4 inputs: a 17·10⁹-value kernel; the file holds 23 values.
        let file =
            edited(|h| h.replacen(r#"\"units\":3,"#, r#"\"units\":4294967296,"#, 1));
        let err = load_model_from_bytes(&file, NAME).err().expect("refused");
        let msg = err.to_string();
        assert!(matches!(err, SaveError::Metadata { .. }), "{msg}");
        assert!(
            msg.contains("needs at least 21474836480 weight values"),
            "{msg}"
        );
        assert!(msg.contains("the file holds 23"), "{msg}");
    }

    #[test]
    fn a_model_file_whose_input_shape_overflows_is_refused() {
        let file = edited(|h| {
            h.replacen(
                r#"\"input_shape\":[2,2]"#,
                r#"\"input_shape\":[4294967296,4294967296,4294967296]"#,
                1,
            )
        });
        let msg = load_model_from_bytes(&file, NAME)
            .err()
            .expect("refused")
            .to_string();
        assert!(msg.contains("too large at layer flatten"), "{msg}");
    }

    #[test]
    fn a_training_state_save_model_cannot_write_is_refused() {
        let file = trained();
        assert!(load_model_from_bytes(&file, NAME).is_ok());
        // Found by fuzzing: a learning rate of -1.1 or 1e307 (infinite as f32) loaded,
        // and the next fit would have ascended the loss or made every weight NaN.
        let cases = [
            ("learning_rate", "-1.1", "learning_rate is -1.1"),
            ("learning_rate", "1e307", "learning_rate is inf"),
            ("iterations", "18446744073709551615", "more than 2^53"),
            ("shuffle_position", "1180591620717411303424", "past the end"),
        ];
        for (key, value, needle) in cases {
            let bad = edit_header(&file, |h| set_number(h, key, value));
            let msg = load_model_from_bytes(&bad, NAME)
                .err()
                .expect("refused")
                .to_string();
            assert!(
                msg.contains(needle) && msg.contains("training state is corrupt"),
                "{msg}"
            );
        }
    }

    /// The header with the last number after `\"key\":` (in the escaped model JSON)
    /// replaced by `value`.
    fn set_number(header: &str, key: &str, value: &str) -> String {
        let pattern = format!(r#"\"{key}\":"#);
        let start =
            header.rfind(&pattern).expect("the key is in the header") + pattern.len();
        let len = header[start..]
            .find(|c: char| !(c.is_ascii_digit() || "+-.e".contains(c)))
            .expect("a number");
        format!("{}{value}{}", &header[..start], &header[start + len..])
    }

    #[test]
    fn the_fuzz_target_loads_its_own_model_file_every_way() {
        let mut model = weights_model();
        model.build().expect("builds");
        let bytes = save_model_to_bytes(&model, NAME).expect("saves");
        // load_model, predict, save and reload, load_weights
        assert_eq!(fuzz_target(&bytes), 4);
        // the same without its header length: 4 more
        assert_eq!(fuzz_target(&bytes[8..]), 4);
        assert_eq!(with_header_length(&bytes[8..]).as_deref(), Some(&bytes[..]));
    }
}
