//! Callbacks: the `Callback` trait `fit` calls at Keras's hooks, the `Logs` they read,
//! and the two callbacks `fit` installs itself — `History` and the progress bar.

mod callback;
mod csv_logger;
mod early_stopping;
mod history;
mod lambda_callback;
mod logs;
mod model_checkpoint;
mod monitor;
mod progbar_logger;
mod reduce_lr_on_plateau;
#[cfg(test)]
mod scripted;
mod tensorboard;
mod terminate_on_nan;

pub use callback::{Callback, Context};
pub use csv_logger::{python_repr, CSVLogger};
pub use early_stopping::EarlyStopping;
pub use history::History;
pub use lambda_callback::LambdaCallback;
pub use logs::{format_value, Logs};
pub use model_checkpoint::ModelCheckpoint;
pub use monitor::{Mode, Monitor};
pub use progbar_logger::{debug_build_warning, loss_sparklines, ProgbarLogger};
pub use reduce_lr_on_plateau::ReduceLROnPlateau;
pub use tensorboard::{run_logdir, TensorBoard};
pub use terminate_on_nan::TerminateOnNaN;
