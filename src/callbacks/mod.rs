//! Callbacks: the `Callback` trait `fit` calls at Keras's hooks, the `Logs` they read,
//! and the two callbacks `fit` installs itself — `History` and the progress bar.

mod callback;
mod history;
mod logs;
mod model_checkpoint;
mod progbar_logger;

pub use callback::{Callback, Context};
pub use history::History;
pub use logs::{format_value, Logs};
pub use model_checkpoint::ModelCheckpoint;
pub use progbar_logger::ProgbarLogger;
