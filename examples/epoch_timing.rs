//! Seconds per training epoch of the models `bench/compare_keras.sh` times in Keras 3
//! too, on the real Fashion-MNIST files: HG 7-2's relu model (48,000 samples, batch 32,
//! RMSprop) and HOML's 300-100-10 classifier (55,000 samples, batch 32, SGD 0.01).
//! Prints one JSON object per model: `{"model": …, "seconds": [per epoch…]}`.
//!
//! Run: `cargo run --release --example epoch_timing -- [EPOCHS]` (default 5).

use std::time::Instant;

use annlab::prelude::*;

/// Times every epoch of a `fit`, from `on_epoch_begin` to `on_epoch_end` (the same
/// span a Keras callback measures).
#[derive(Default)]
struct EpochTimer {
    started: Option<Instant>,
    seconds: Vec<f64>,
}

impl Callback for EpochTimer {
    fn on_epoch_begin(
        &mut self,
        _: usize,
        _: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        self.started = Some(Instant::now());
        Ok(())
    }
    fn on_epoch_end(
        &mut self,
        _: usize,
        _: &Logs,
        _: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        if let Some(t) = self.started.take() {
            self.seconds.push(t.elapsed().as_secs_f64());
        }
        Ok(())
    }
}

fn report(model: &str, timer: &EpochTimer) {
    let seconds: Vec<String> = timer.seconds.iter().map(|s| format!("{s:.4}")).collect();
    println!(
        "{{\"model\": \"{model}\", \"seconds\": [{}]}}",
        seconds.join(", ")
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let epochs: usize = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 5,
    };
    let data = fashion_mnist::load()?;

    // HG 7-2: Flatten → Dense(100, relu) → Dense(10, softmax), RMSprop, batch 32
    let split = hg_split(&data);
    let mut model = annlab::models::model_fn(42, None); // HG 7-2's relu model
    model.compile(
        Compile::new("sparse_categorical_crossentropy").metrics(&["accuracy"]),
    )?;
    let mut timer = EpochTimer::default();
    let fit = Fit::new(epochs).verbose(0).callback(&mut timer);
    model.fit(split.train.x(), split.train.y(), fit)?;
    report("hg_7_2_relu", &timer);

    // HOML 10: Flatten → Dense(300, relu) → Dense(100, relu) → Dense(10, softmax), SGD
    let split = homl_split(&data);
    let mut model = annlab::models::homl_classifier(42);
    model.compile(
        Compile::new("sparse_categorical_crossentropy")
            .optimizer(SGD::new().learning_rate(0.01))
            .metrics(&["accuracy"]),
    )?;
    let mut timer = EpochTimer::default();
    let fit = Fit::new(epochs).verbose(0).callback(&mut timer);
    model.fit(split.train.x(), split.train.y(), fit)?;
    report("homl_300_100_10", &timer);
    Ok(())
}
