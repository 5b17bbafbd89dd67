//! Artificial neurons before backpropagation: McCulloch–Pitts units, TLUs, the perceptron.

pub mod error;
pub mod mcculloch_pitts;
pub mod perceptron;
pub mod separability;
pub mod sk_random;
pub mod tlu;

pub use error::NeuronError;
pub use mcculloch_pitts::McCullochPitts;
pub use perceptron::{EpochLog, FitHistory, Perceptron};
pub use separability::{search_two_input_units, IntegerTlu, SearchReport};
pub use tlu::{heaviside, sign, PerceptronLayer, Step, Tlu};
