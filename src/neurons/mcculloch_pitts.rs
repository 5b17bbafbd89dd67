//! McCulloch and Pitts's 1943 artificial neuron: binary inputs, binary output.
//!
//! A neuron fires when at least `threshold` of its excitatory connections carry an
//! active input and none of its inhibitory connections does (inhibition is absolute,
//! as in the 1943 paper). An input may reach a neuron through several connections, which
//! is how HOML's figure 10-3 lets a single active neuron A activate C on its own.

use super::error::NeuronError;

// ANCHOR: neuron
/// A McCulloch–Pitts neuron. C = 1 ⇔ no inhibitory input is 1 and
/// Σ (connections of each active excitatory input) ≥ threshold.
#[derive(Clone, Debug, PartialEq)]
pub struct McCullochPitts {
    /// (input index, number of excitatory connections from it)
    excitatory: Vec<(usize, u32)>,
    /// input indices with an inhibitory connection
    inhibitory: Vec<usize>,
    threshold: u32,
}

impl McCullochPitts {
    /// A neuron that fires once `threshold` excitatory connections are active.
    pub fn new(threshold: u32) -> Self {
        McCullochPitts {
            excitatory: Vec::new(),
            inhibitory: Vec::new(),
            threshold,
        }
    }

    /// Adds `connections` excitatory connections from input `input`.
    pub fn excite(mut self, input: usize, connections: u32) -> Self {
        self.excitatory.push((input, connections));
        self
    }

    /// Adds an inhibitory connection from input `input`.
    pub fn inhibit(mut self, input: usize) -> Self {
        self.inhibitory.push(input);
        self
    }

    /// The output for binary `inputs` (indexed as in `excite` and `inhibit`).
    pub fn fire(&self, inputs: &[bool]) -> Result<bool, NeuronError> {
        let needed = self.n_inputs();
        if inputs.len() < needed {
            return Err(NeuronError::Shape {
                what: "McCulloch–Pitts neuron inputs".into(),
                expected: format!("at least {needed} inputs"),
                found: format!("{} inputs", inputs.len()),
            });
        }
        if self.inhibitory.iter().any(|&i| inputs[i]) {
            return Ok(false); // absolute inhibition
        }
        let active: u32 = self
            .excitatory
            .iter()
            .filter(|&&(i, _)| inputs[i])
            .map(|&(_, connections)| connections)
            .sum();
        Ok(active >= self.threshold)
    }

    /// How many inputs the neuron reads: one more than the largest connected index.
    pub fn n_inputs(&self) -> usize {
        let exc = self.excitatory.iter().map(|&(i, _)| i + 1);
        let inh = self.inhibitory.iter().map(|&i| i + 1);
        exc.chain(inh).max().unwrap_or(0)
    }
}
// ANCHOR_END: neuron

// ANCHOR: gates
/// C = A: two connections from A, threshold 2.
pub fn identity() -> McCullochPitts {
    McCullochPitts::new(2).excite(0, 2)
}

/// C = A ∧ B: one connection from each, threshold 2 — both must be active.
pub fn and() -> McCullochPitts {
    McCullochPitts::new(2).excite(0, 1).excite(1, 1)
}

/// C = A ∨ B: two connections from each, threshold 2 — either one is enough.
pub fn or() -> McCullochPitts {
    McCullochPitts::new(2).excite(0, 2).excite(1, 2)
}

/// C = A ∧ ¬B: two connections from A, an inhibitory one from B.
pub fn a_and_not_b() -> McCullochPitts {
    McCullochPitts::new(2).excite(0, 2).inhibit(1)
}

/// C = ¬B: the A ∧ ¬B neuron with A always active.
pub fn not(b: bool) -> Result<bool, NeuronError> {
    a_and_not_b().fire(&[true, b])
}
// ANCHOR_END: gates

/// Layers of McCulloch–Pitts neurons; layer k reads the outputs of layer k − 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    pub layers: Vec<Vec<McCullochPitts>>,
}

impl Network {
    /// The outputs of the last layer.
    pub fn fire(&self, inputs: &[bool]) -> Result<Vec<bool>, NeuronError> {
        let mut signal = inputs.to_vec();
        for layer in &self.layers {
            signal = layer
                .iter()
                .map(|neuron| neuron.fire(&signal))
                .collect::<Result<_, _>>()?;
        }
        Ok(signal)
    }
}

// ANCHOR: xor
/// XOR in two layers: h₁ = A ∧ ¬B, h₂ = B ∧ ¬A, then C = h₁ ∨ h₂.
pub fn xor_network() -> Network {
    let a_not_b = McCullochPitts::new(2).excite(0, 2).inhibit(1);
    let b_not_a = McCullochPitts::new(2).excite(1, 2).inhibit(0);
    Network {
        layers: vec![vec![a_not_b, b_not_a], vec![or()]],
    }
}
// ANCHOR_END: xor

/// Every combination of `n` binary inputs, in counting order (00, 01, 10, 11 for n = 2).
pub fn all_inputs(n: usize) -> Vec<Vec<bool>> {
    (0..1usize << n)
        .map(|code| (0..n).map(|bit| code >> (n - 1 - bit) & 1 == 1).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(neuron: &McCullochPitts) -> Vec<bool> {
        all_inputs(2)
            .iter()
            .map(|x| neuron.fire(x).expect("two inputs"))
            .collect()
    }

    #[test]
    fn and_fires_only_when_both_inputs_fire() {
        assert_eq!(table(&and()), [false, false, false, true]);
    }

    #[test]
    fn inhibition_is_absolute() {
        // A has four connections (more than the threshold) and still cannot beat B.
        let neuron = McCullochPitts::new(2).excite(0, 4).inhibit(1);
        assert_eq!(neuron.fire(&[true, true]), Ok(false));
        assert_eq!(neuron.fire(&[true, false]), Ok(true));
    }

    #[test]
    fn too_few_inputs_is_an_error() {
        assert!(matches!(or().fire(&[true]), Err(NeuronError::Shape { .. })));
    }

    #[test]
    fn all_inputs_counts_in_binary() {
        let rows = all_inputs(2);
        assert_eq!(rows[1], [false, true]);
        assert_eq!(rows[2], [true, false]);
    }
}
