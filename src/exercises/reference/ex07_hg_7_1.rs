//! Reference for `exercises/ex07_hg_7_1.rs`: the cells of `chapters/ch03_mlp.rs`
//! (`hg_7_1`), split into the model and its training.
use annlab::datasets::flat;
use annlab::prelude::*;
use annlab::report::Run;

pub fn model(seed: u64) -> Result<Sequential, ModelError> {
    let mut model = Sequential::new(seed);
    model.add(
        Dense::new(10)
            .activation(Activation::Softmax)
            .input_shape(&[784]),
    );
    Ok(model)
}

pub fn train(
    mut model: Sequential,
    split: &Split,
    verbose: u8,
) -> Result<Run, ModelError> {
    let x_train = flat(split.train.x())?; // [48000, 784]
    let x_val = flat(split.val.x())?; //     [12000, 784]
    let summary = model.summary()?;
    model.compile(
        Compile::new("sparse_categorical_crossentropy").metrics(&["accuracy"]),
    )?;
    let history = model.fit(&x_train, split.train.y(), Fit::new(5).verbose(verbose))?;
    let evaluation = model.evaluate(&x_val, split.val.y(), verbose)?;
    Ok(Run {
        summary,
        history,
        evaluation,
    })
}
