//! Checks of `exercises/ex01_logic_gates.rs`: truth tables over the four inputs
//! 00, 01, 10, 11 (`all_inputs(2)`, A first), against the tables of the gates' logic.
use crate::exercises::{ensure, Checked, Unfinished, Verdict};
use crate::neurons::mcculloch_pitts::{all_inputs, McCullochPitts, Network};

/// A gate-building function of the exercise.
pub type Gate = fn() -> Result<McCullochPitts, Unfinished>;

/// `1` or `0`, as a truth table writes it.
fn bit(b: bool) -> u8 {
    u8::from(b)
}

/// `(A=1, B=0)`.
fn inputs_str(x: &[bool]) -> String {
    format!("(A={}, B={})", bit(x[0]), bit(x[1]))
}

/// The neuron `name` fires as `truth(A, B)` on every input.
fn truth_table(
    name: &str,
    neuron: &McCullochPitts,
    truth: fn(bool, bool) -> bool,
) -> Checked {
    for x in all_inputs(2) {
        let expected = truth(x[0], x[1]);
        let yours = neuron.fire(&x).map_err(|e| {
            Verdict::Wrong(format!(
                "{name}: the neuron reads an input other than A (0) and B (1): {e}"
            ))
        })?;
        ensure(yours == expected, || {
            format!(
                "{name}: inputs {} gave {}, expected {}",
                inputs_str(&x),
                bit(yours),
                bit(expected)
            )
        })?;
    }
    Ok(())
}

/// 1.1: the truth tables of AND, OR and A ∧ ¬B.
pub fn gates(and: Gate, or: Gate, a_and_not_b: Gate) -> Checked {
    truth_table("and()", &and()?, |a, b| a && b)?;
    truth_table("or()", &or()?, |a, b| a || b)?;
    truth_table("a_and_not_b()", &a_and_not_b()?, |a, b| a && !b)
}

/// The network's output for `inputs`, layer by layer, so that a neuron reading an
/// output the layer before does not have is named with its layer and index.
fn fire(network: &Network, inputs: &[bool]) -> Result<Vec<bool>, Verdict> {
    let mut signal = inputs.to_vec();
    for (l, layer) in network.layers.iter().enumerate() {
        let mut next = Vec::with_capacity(layer.len());
        for (k, neuron) in layer.iter().enumerate() {
            let reads = if l == 0 {
                "sees only the two inputs A (0) and B (1)".to_string()
            } else {
                let n = signal.len();
                let plural = if n == 1 { "" } else { "s" };
                format!("reads layers[{}], which has {n} neuron{plural}", l - 1)
            };
            let out = neuron.fire(&signal).map_err(|_| {
                Verdict::Wrong(format!(
                    "xor_network(): layers[{l}][{k}] reads input {}, but layers[{l}] {reads}",
                    neuron.n_inputs() - 1
                ))
            })?;
            next.push(out);
        }
        signal = next;
    }
    Ok(signal)
}

/// 1.2: XOR's truth table from a network of at most two layers with one output neuron.
pub fn xor(xor_network: fn() -> Result<Network, Unfinished>) -> Checked {
    let network = xor_network()?;
    let depth = network.layers.len();
    ensure(depth > 0, || {
        "xor_network(): the network has no layers; put the hidden neurons in layers[0] \
         and the output neuron in layers[1]"
            .into()
    })?;
    ensure(depth <= 2, || {
        format!(
            "xor_network(): the network has {depth} layers; the exercise asks for at most \
             two (one hidden layer and the output neuron)"
        )
    })?;
    for (l, layer) in network.layers.iter().enumerate() {
        ensure(!layer.is_empty(), || {
            format!("xor_network(): layers[{l}] has no neurons")
        })?;
    }
    let outputs = network.layers[depth - 1].len();
    ensure(outputs == 1, || {
        format!(
            "xor_network(): the last layer has {outputs} neurons; XOR has one output, so \
             the last layer holds exactly one neuron"
        )
    })?;
    for x in all_inputs(2) {
        let expected = x[0] != x[1];
        let yours = fire(&network, &x)?[0];
        ensure(yours == expected, || {
            format!(
                "xor_network(): inputs {} gave {}, expected {}",
                inputs_str(&x),
                bit(yours),
                bit(expected)
            )
        })?;
    }
    Ok(())
}
