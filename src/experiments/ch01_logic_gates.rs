//! Chapter 1 — logic gates from McCulloch–Pitts neurons, and why one neuron cannot
//! compute XOR (HOML 10, "Logical Computations with Neurons", figure 10-3).

use std::fmt;

use crate::neurons::mcculloch_pitts::{self as mp, all_inputs, McCullochPitts};
use crate::neurons::separability::{self, SearchReport};
use crate::neurons::NeuronError;

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
    let xor_mcculloch_pitts = TruthTable::of("C = A ⊕ B (two layers)", &["A", "B"], |x| {
        Ok(network.fire(x)?[0])
    })?;
    let xor_threshold_units = TruthTable::of("C = A ⊕ B (threshold units)", &["A", "B"], |x| {
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
