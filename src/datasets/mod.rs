//! Datasets: Fashion-MNIST (IDX files, search order, download), the book splits, images
//! flattened to rows, iris and the four XOR points; California housing with
//! scikit-learn's `train_test_split` and `StandardScaler`.

pub mod california;
pub mod download;
pub mod error;
pub mod fashion_mnist;
pub mod flat;
pub mod idx;
pub mod iris;
pub mod model_selection;
pub mod scaler;
pub mod split;
pub mod xor;

pub use error::DataError;
pub use fashion_mnist::{FashionMnist, CLASS_NAMES};
pub use flat::flat;
pub use model_selection::train_test_split;
pub use scaler::StandardScaler;
pub use split::{hg_split, homl_split, scale, Split, Subset};
pub use xor::{xor_inputs, XOR_TARGETS};
