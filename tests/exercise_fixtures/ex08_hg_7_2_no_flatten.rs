//! Fixture of tests/exercise_fixtures_c.rs, a mistake of exercise 8: the relu model
//! without `Flatten`, on `[784]` (8.2 must fail). Only the mistaken function is here; the
//! rest of the file is as in `ex08_hg_7_2_solved.rs`.

use annlab::prelude::*;

/// **8.2**, but taking flattened images, as the sigmoid model does.
pub fn relu_model(seed: u64) -> Result<Sequential, ModelError> {
    // the mistake: no Flatten; the model takes flattened images, as the sigmoid one
    let mut model = Sequential::new(seed);
    model.add(
        Dense::new(100)
            .activation(Activation::Relu)
            .input_shape(&[784]),
    );
    model.add(Dense::new(10).activation(Activation::Softmax));
    Ok(model)
}
