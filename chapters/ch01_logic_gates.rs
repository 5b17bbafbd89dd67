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

use std::fmt;

use annlab::neurons::mcculloch_pitts::{self as mp, all_inputs, McCullochPitts};
use annlab::neurons::separability::{self, SearchReport, XNOR, XOR};
use annlab::neurons::NeuronError;
use annlab::report::ChapterError;

/// Weights and thresholds of the exhaustive search lie in −RANGE..=RANGE.
const RANGE: i32 = 3;

/// A boolean function's truth table.
#[derive(Clone, Debug, PartialEq)]
pub struct TruthTable {
    /// e.g. `"C = A ∧ B"`
    pub name: String,
    /// input names, e.g. `["A", "B"]`
    pub inputs: Vec<&'static str>,
    /// (inputs, output) for every combination of inputs, in counting order
    pub rows: Vec<(Vec<bool>, bool)>,
}

impl TruthTable {
    /// Tabulates `f` over every combination of `inputs.len()` binary inputs.
    pub fn of(
        name: &str,
        inputs: &[&'static str],
        f: impl Fn(&[bool]) -> Result<bool, NeuronError>,
    ) -> Result<Self, NeuronError> {
        let rows = all_inputs(inputs.len())
            .into_iter()
            .map(|x| f(&x).map(|c| (x, c)))
            .collect::<Result<_, _>>()?;
        Ok(TruthTable {
            name: name.to_string(),
            inputs: inputs.to_vec(),
            rows,
        })
    }

    /// The output column as 0/1, e.g. `[0, 0, 0, 1]` for AND.
    pub fn outputs(&self) -> Vec<u8> {
        self.rows.iter().map(|(_, c)| u8::from(*c)).collect()
    }
}

impl fmt::Display for TruthTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.name)?;
        writeln!(f, "  {} | C", self.inputs.join(" "))?;
        for (x, c) in &self.rows {
            let x: Vec<String> = x.iter().map(|&v| u8::from(v).to_string()).collect();
            writeln!(f, "  {} | {}", x.join(" "), u8::from(*c))?;
        }
        Ok(())
    }
}

/// Everything chapter 1 shows.
#[derive(Clone, Debug, PartialEq)]
pub struct LogicGatesReport {
    /// C = A, C = A ∧ B, C = A ∨ B, C = A ∧ ¬B, C = ¬B
    pub gates: Vec<TruthTable>,
    /// every integer threshold unit with |w₁|, |w₂|, |θ| ≤ range
    pub search: SearchReport,
    /// XOR from two layers of McCulloch–Pitts neurons
    pub xor_mcculloch_pitts: TruthTable,
    /// XOR from two layers of integer threshold units
    pub xor_threshold_units: TruthTable,
}

impl LogicGatesReport {
    /// The gate whose name starts with `name`, e.g. `"C = A ∧ B"`.
    pub fn gate(&self, name: &str) -> Option<&TruthTable> {
        self.gates.iter().find(|t| t.name.starts_with(name))
    }
}

// ANCHOR: run
/// Builds the four networks of HOML figure 10-3 and NOT, tabulates them, searches
/// every small threshold unit for XOR and builds XOR from two layers.
pub fn run(search_range: i32) -> Result<LogicGatesReport, NeuronError> {
    let fire = |neuron: McCullochPitts| move |x: &[bool]| neuron.fire(x);
    let gates = vec![
        TruthTable::of("C = A (identity)", &["A"], fire(mp::identity()))?,
        TruthTable::of("C = A ∧ B (AND)", &["A", "B"], fire(mp::and()))?,
        TruthTable::of("C = A ∨ B (OR)", &["A", "B"], fire(mp::or()))?,
        TruthTable::of("C = A ∧ ¬B", &["A", "B"], fire(mp::a_and_not_b()))?,
        TruthTable::of("C = ¬B (NOT, A always active)", &["B"], |x| mp::not(x[0]))?,
    ];
    let search = separability::search_two_input_units(search_range);
    let network = mp::xor_network();
    let xor_mcculloch_pitts =
        TruthTable::of("C = A ⊕ B (two layers)", &["A", "B"], |x| {
            Ok(network.fire(x)?[0])
        })?;
    let xor_threshold_units =
        TruthTable::of("C = A ⊕ B (threshold units)", &["A", "B"], |x| {
            Ok(separability::xor_two_layer(x[0], x[1]))
        })?;
    Ok(LogicGatesReport {
        gates,
        search,
        xor_mcculloch_pitts,
        xor_threshold_units,
    })
}
// ANCHOR_END: run

fn main() -> Result<(), ChapterError> {
    print_report(&run(RANGE)?);
    Ok(())
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
