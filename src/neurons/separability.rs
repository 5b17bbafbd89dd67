//! Which two-input boolean functions can one threshold neuron compute?
//!
//! An integer threshold unit fires when w₁A + w₂B ≥ θ. Trying every (w₁, w₂, θ) in a
//! small integer range finds 14 of the 16 functions of two inputs — and never XOR or
//! XNOR. No range would help: XOR needs w₂ ≥ θ (input 01) and w₁ ≥ θ (10) but
//! w₁ + w₂ < θ (11) and 0 < θ (00); adding the first two gives w₁ + w₂ ≥ 2θ > θ, a
//! contradiction. Geometrically, no straight line separates {01, 10} from {00, 11}.

use super::mcculloch_pitts::all_inputs;

/// A neuron with integer weights that fires when w·x ≥ θ (McCulloch–Pitts neurons are
/// the special case of weights counting connections).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntegerTlu {
    pub weights: Vec<i32>,
    pub threshold: i32,
}

impl IntegerTlu {
    /// 1 if w·x ≥ θ, else 0. Inputs beyond the weights are ignored.
    pub fn fire(&self, x: &[bool]) -> bool {
        let z: i32 = self
            .weights
            .iter()
            .zip(x)
            .map(|(w, &xi)| w * i32::from(xi))
            .sum();
        z >= self.threshold
    }
}

/// The truth table of a two-input function as a code: bit 2A + B holds f(A, B).
pub type Code = u8;

/// The conventional name of each of the 16 two-input functions, indexed by `Code`.
pub const FUNCTION_NAMES: [&str; 16] = [
    "FALSE",
    "NOR",
    "¬A ∧ B",
    "¬A",
    "A ∧ ¬B",
    "¬B",
    "XOR",
    "NAND",
    "AND",
    "XNOR",
    "B",
    "¬A ∨ B",
    "A",
    "A ∨ ¬B",
    "OR",
    "TRUE",
];

/// The code of XOR: f(0,1) = f(1,0) = 1.
pub const XOR: Code = 0b0110;
/// The code of XNOR: f(0,0) = f(1,1) = 1.
pub const XNOR: Code = 0b1001;

/// How many integer units compute one boolean function.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionCount {
    pub name: &'static str,
    /// f(0,0), f(0,1), f(1,0), f(1,1)
    pub outputs: [bool; 4],
    /// the number of (w₁, w₂, θ) in the range that compute it
    pub units: usize,
    /// one such unit, if any
    pub example: Option<IntegerTlu>,
}

/// The result of trying every unit with weights and threshold in −range..=range.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchReport {
    pub range: i32,
    /// (2·range + 1)³ units tried
    pub tried: usize,
    /// all 16 functions, in code order
    pub functions: Vec<FunctionCount>,
}

impl SearchReport {
    /// The count for the function with this code.
    pub fn count(&self, code: Code) -> usize {
        self.functions[usize::from(code)].units
    }

    /// How many of the 16 functions some unit computes.
    pub fn realizable(&self) -> usize {
        self.functions.iter().filter(|f| f.units > 0).count()
    }
}

// ANCHOR: search
/// Tries every integer threshold unit w₁A + w₂B ≥ θ with |w₁|, |w₂|, |θ| ≤ `range`
/// and counts which of the 16 two-input boolean functions each one computes.
pub fn search_two_input_units(range: i32) -> SearchReport {
    let range = range.abs();
    let rows = all_inputs(2); // 00, 01, 10, 11
    let mut counts = [0usize; 16];
    let mut examples: [Option<IntegerTlu>; 16] = Default::default();
    let mut tried = 0;
    for w1 in -range..=range {
        for w2 in -range..=range {
            for threshold in -range..=range {
                let unit = IntegerTlu {
                    weights: vec![w1, w2],
                    threshold,
                };
                let code = rows
                    .iter()
                    .enumerate()
                    .fold(0u8, |code, (row, x)| code | u8::from(unit.fire(x)) << row);
                counts[usize::from(code)] += 1;
                examples[usize::from(code)].get_or_insert(unit);
                tried += 1;
            }
        }
    }
    let functions = (0..16u8)
        .map(|code| FunctionCount {
            name: FUNCTION_NAMES[usize::from(code)],
            outputs: [0, 1, 2, 3].map(|row| code >> row & 1 == 1),
            units: counts[usize::from(code)],
            example: examples[usize::from(code)].clone(),
        })
        .collect();
    SearchReport {
        range,
        tried,
        functions,
    }
}
// ANCHOR_END: search

// ANCHOR: xor_tlu
/// XOR from three integer units (HOML figure 10-6 with integer thresholds):
/// h₁ = [A + B ≥ 1] (OR), h₂ = [A + B ≥ 2] (AND), out = [h₁ − h₂ ≥ 1].
pub fn xor_two_layer(a: bool, b: bool) -> bool {
    let or = IntegerTlu {
        weights: vec![1, 1],
        threshold: 1,
    };
    let and = IntegerTlu {
        weights: vec![1, 1],
        threshold: 2,
    };
    let out = IntegerTlu {
        weights: vec![1, -1],
        threshold: 1,
    };
    out.fire(&[or.fire(&[a, b]), and.fire(&[a, b])])
}
// ANCHOR_END: xor_tlu

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_match_their_codes() {
        // AND is true only on row 3 (A = B = 1): code 0b1000 = 8.
        assert_eq!(FUNCTION_NAMES[0b1000], "AND");
        assert_eq!(FUNCTION_NAMES[usize::from(XOR)], "XOR");
        assert_eq!(FUNCTION_NAMES[usize::from(XNOR)], "XNOR");
    }

    #[test]
    fn and_needs_a_threshold_of_two() {
        // AND needs w₁ < θ, w₂ < θ, w₁ + w₂ ≥ θ and θ > 0: impossible with |θ| ≤ 1.
        let one = search_two_input_units(1);
        assert_eq!(one.tried, 27);
        assert_eq!(one.count(0b1000), 0);
        assert_eq!(one.realizable(), 13);
        let two = search_two_input_units(2);
        assert_eq!(two.tried, 125);
        assert_eq!(two.realizable(), 14);
        assert_eq!(two.count(XOR) + two.count(XNOR), 0);
    }
}
