//! Grading for chapter 1: every truth table of HOML figure 10-3 and NOT, the XOR
//! impossibility search and the two-layer XOR networks, through the very `run` of
//! `chapters/ch01_logic_gates.rs` that the chapter binary prints.

#[path = "../chapters/ch01_logic_gates.rs"]
#[allow(dead_code)]
mod chapter;

use annlab::neurons::mcculloch_pitts::{self as mp, McCullochPitts};
use annlab::neurons::separability::{search_two_input_units, XNOR, XOR};
use annlab::neurons::NeuronError;
use chapter::{run, LogicGatesReport, TruthTable};

fn report() -> LogicGatesReport {
    run(3).expect("chapter 1 runs")
}

fn outputs(report: &LogicGatesReport, name: &str) -> Vec<u8> {
    let table: &TruthTable = report
        .gate(name)
        .unwrap_or_else(|| panic!("no gate {name}"));
    table.outputs()
}

#[test]
fn identity_copies_a() {
    assert_eq!(outputs(&report(), "C = A ("), [0, 1]);
}

#[test]
fn and_fires_only_for_one_one() {
    assert_eq!(outputs(&report(), "C = A ∧ B"), [0, 0, 0, 1]);
}

#[test]
fn or_fires_unless_both_inputs_are_zero() {
    assert_eq!(outputs(&report(), "C = A ∨ B"), [0, 1, 1, 1]);
}

#[test]
fn a_and_not_b_fires_only_for_one_zero() {
    assert_eq!(outputs(&report(), "C = A ∧ ¬B"), [0, 0, 1, 0]);
}

#[test]
fn not_with_a_always_active_inverts_b() {
    assert_eq!(outputs(&report(), "C = ¬B"), [1, 0]);
}

#[test]
fn truth_tables_list_inputs_in_counting_order() {
    let report = report();
    let and = report.gate("C = A ∧ B").expect("AND table");
    let inputs: Vec<Vec<bool>> = and.rows.iter().map(|(x, _)| x.clone()).collect();
    assert_eq!(
        inputs,
        [[false, false], [false, true], [true, false], [true, true]]
    );
}

#[test]
fn no_threshold_unit_with_weights_up_to_three_computes_xor() {
    let search = report().search;
    assert_eq!(search.tried, 7 * 7 * 7);
    assert_eq!(search.count(XOR), 0);
    assert_eq!(search.count(XNOR), 0);
    // ... while every other two-input function is computable.
    assert_eq!(search.realizable(), 14);
    assert_eq!(search.count(0b1000), 4); // AND: (1,1;2), (1,2;3), (2,1;3), (2,2;3)
}

#[test]
fn a_wider_search_still_finds_no_xor_unit() {
    let search = search_two_input_units(6);
    assert_eq!(search.tried, 13 * 13 * 13);
    assert_eq!(search.count(XOR), 0);
    assert_eq!(search.realizable(), 14);
}

#[test]
fn two_layers_of_mcculloch_pitts_neurons_compute_xor() {
    assert_eq!(report().xor_mcculloch_pitts.outputs(), [0, 1, 1, 0]);
}

#[test]
fn two_layers_of_threshold_units_compute_xor() {
    assert_eq!(report().xor_threshold_units.outputs(), [0, 1, 1, 0]);
}

#[test]
fn one_mcculloch_pitts_neuron_with_up_to_three_connections_never_computes_xor() {
    // Every neuron over inputs A, B: 0..=3 excitatory connections from each, optional
    // inhibition from each, threshold 0..=4.
    let mut tried = 0;
    for ca in 0..=3 {
        for cb in 0..=3 {
            for inhibit in 0..4u8 {
                for threshold in 0..=4 {
                    let mut neuron =
                        McCullochPitts::new(threshold).excite(0, ca).excite(1, cb);
                    if inhibit & 1 == 1 {
                        neuron = neuron.inhibit(0);
                    }
                    if inhibit & 2 == 2 {
                        neuron = neuron.inhibit(1);
                    }
                    let table: Vec<bool> = mp::all_inputs(2)
                        .iter()
                        .map(|x| neuron.fire(x).expect("two inputs"))
                        .collect();
                    assert_ne!(table, [false, true, true, false]);
                    tried += 1;
                }
            }
        }
    }
    assert_eq!(tried, 4 * 4 * 4 * 5);
}

#[test]
fn a_neuron_given_too_few_inputs_reports_an_error() {
    let err = mp::and().fire(&[true]).unwrap_err();
    assert!(matches!(err, NeuronError::Shape { .. }));
    assert!(err.to_string().contains("at least 2 inputs"));
}
