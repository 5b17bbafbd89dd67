//! Chapter 1 — logical computations with neurons.
//!
//! Reproduces Hands-On Machine Learning, chapter 10, "From Biological to Artificial
//! Neurons": *Logical Computations with Neurons* (figure 10-3, McCulloch and Pitts's
//! networks C = A, C = A ∧ B, C = A ∨ B, C = A ∧ ¬B, and NOT with A always active) and
//! *The Perceptron*'s XOR problem (figure 10-6). The book draws these networks rather
//! than coding them; the closest Python is a truth table loop:
//!
//! ```python
//! for a, b in itertools.product([0, 1], repeat=2):
//!     print(a, b, int(a + b >= 2))        # AND: fires when two connections are active
//! ```
//!
//! Run: `cargo run --release --bin ch01_logic_gates`

use std::process::ExitCode;

use annlab::experiments::ch01_logic_gates::{self, LogicGatesReport};
use annlab::neurons::separability::{XNOR, XOR};

/// Weights and thresholds of the exhaustive search lie in −RANGE..=RANGE.
const RANGE: i32 = 3;

fn main() -> ExitCode {
    match ch01_logic_gates::run(RANGE) {
        Ok(report) => {
            print_report(&report);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn print_report(report: &LogicGatesReport) {
    // ANCHOR: gates
    println!("== McCulloch–Pitts neurons (threshold 2, inhibition absolute) ==\n");
    for table in &report.gates {
        println!("{table}");
    }
    // ANCHOR_END: gates

    // ANCHOR: search
    let search = &report.search;
    println!("== One threshold unit: fires when w1·A + w2·B >= θ ==");
    println!(
        "tried every w1, w2, θ in {}..={}: {} units\n",
        -search.range, search.range, search.tried
    );
    println!(
        "  {:<8} {:<14} {:>6}  example (w1, w2; θ)",
        "function", "f(00,01,10,11)", "units"
    );
    for function in &search.functions {
        let outputs: String = function
            .outputs
            .iter()
            .map(|&o| if o { '1' } else { '0' })
            .collect();
        let example = match &function.example {
            Some(unit) => {
                format!(
                    "({}, {}; {})",
                    unit.weights[0], unit.weights[1], unit.threshold
                )
            }
            None => "none".to_string(),
        };
        println!(
            "  {:<8} {:<14} {:>6}  {}",
            function.name, outputs, function.units, example
        );
    }
    println!(
        "\n{} of 16 functions are computable by one unit; XOR: {} units, XNOR: {} units.",
        search.realizable(),
        search.count(XOR),
        search.count(XNOR)
    );
    println!("XOR would need w2 >= θ, w1 >= θ, θ > 0 and w1 + w2 < θ — impossible.\n");
    // ANCHOR_END: search

    println!("== XOR with two layers ==\n");
    println!("h1 = A ∧ ¬B, h2 = B ∧ ¬A (McCulloch–Pitts), C = h1 ∨ h2:");
    println!("{}", report.xor_mcculloch_pitts);
    println!("h1 = [A + B >= 1] (OR), h2 = [A + B >= 2] (AND), C = [h1 − h2 >= 1]:");
    println!("{}", report.xor_threshold_units);
}
