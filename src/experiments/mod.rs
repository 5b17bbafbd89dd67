//! The experiments each chapter runs. A chapter binary prints what these return and its
//! grading test asserts the same values: one code path for what is seen and graded.

pub mod ch01_logic_gates;
pub mod ch02_perceptron;
pub mod ch03_mlp;
pub mod ch04_relu_vs_sigmoid;
pub mod ch05_optimizers;
pub mod report;
