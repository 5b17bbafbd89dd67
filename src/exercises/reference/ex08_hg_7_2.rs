//! Reference for `exercises/ex08_hg_7_2.rs`: the cells of
//! `chapters/ch04_relu_vs_sigmoid.rs`.
use annlab::datasets::flat;
use annlab::prelude::*;
use annlab::report::Run;

pub fn sigmoid_model(seed: u64) -> Result<Sequential, ModelError> {
    let mut model = Sequential::new(seed);
    model.add(
        Dense::new(100)
            .activation(Activation::Sigmoid)
            .input_shape(&[784]),
    );
    model.add(Dense::new(10).activation(Activation::Softmax));
    Ok(model)
}

pub fn relu_model(seed: u64) -> Result<Sequential, ModelError> {
    let mut model = Sequential::new(seed);
    model.add(Flatten::new().input_shape(&[28, 28]));
    model.add(Dense::new(100).activation(Activation::Relu));
    model.add(Dense::new(10).activation(Activation::Softmax));
    Ok(model)
}

pub fn train(
    mut model: Sequential,
    split: &Split,
    verbose: u8,
) -> Result<Run, ModelError> {
    let summary = model.summary()?;
    model.compile(
        Compile::new("sparse_categorical_crossentropy").metrics(&["accuracy"]),
    )?;
    let (history, evaluation) = if model.input_shape() == Some(&[784][..]) {
        let history = model.fit(
            &flat(split.train.x())?,
            split.train.y(),
            Fit::new(5).verbose(verbose),
        )?;
        let evaluation = model.evaluate(&flat(split.val.x())?, split.val.y(), verbose)?;
        (history, evaluation)
    } else {
        let history = model.fit(
            split.train.x(),
            split.train.y(),
            Fit::new(5).verbose(verbose),
        )?;
        (
            history,
            model.evaluate(split.val.x(), split.val.y(), verbose)?,
        )
    };
    Ok(Run {
        summary,
        history,
        evaluation,
    })
}
