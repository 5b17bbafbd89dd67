//! Datasets: Fashion-MNIST (IDX files, search order, download), the book splits, iris.

pub mod download;
pub mod error;
pub mod fashion_mnist;
pub mod idx;
pub mod iris;
pub mod split;

pub use error::DataError;
pub use fashion_mnist::{FashionMnist, CLASS_NAMES};
pub use split::{hg_split, homl_split, scale, Split, Subset};
