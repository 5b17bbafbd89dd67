//! HOML 10's `PrintValTrainRatioCallback`, shared by the chapters that use it
//! (`ch08_custom_callbacks` and `ch12_regression_callbacks`). It lives beside the
//! chapters, not in the library, because it prints, and library code does not; each
//! chapter includes it with `#[path = "shared/print_val_train_ratio.rs"] mod …;`.
//!
//! ```python
//! class PrintValTrainRatioCallback(keras.callbacks.Callback):
//!     def on_epoch_end(self, epoch, logs):
//!         ratio = logs["val_loss"] / logs["loss"]
//!         print(f"Epoch={epoch}, val/train={ratio:.2f}")
//! ```

use annlab::prelude::*;

// ANCHOR: print_ratio
/// HOML's `PrintValTrainRatioCallback`, written as a learner writes their own callback:
/// a struct that implements only the hook it needs. It prints val_loss / loss after
/// every epoch (the larger, the more the model overfits) and keeps the ratios.
#[derive(Default)]
pub struct PrintValTrainRatioCallback {
    pub ratios: Vec<f64>,
}

impl Callback for PrintValTrainRatioCallback {
    fn on_epoch_end(
        &mut self,
        epoch: usize,
        logs: &Logs,
        _ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        if let (Some(val_loss), Some(loss)) = (logs.get("val_loss"), logs.get("loss")) {
            let ratio = val_loss / loss;
            println!("Epoch={epoch}, val/train={ratio:.2}");
            self.ratios.push(ratio);
        }
        Ok(())
    }
}
// ANCHOR_END: print_ratio
