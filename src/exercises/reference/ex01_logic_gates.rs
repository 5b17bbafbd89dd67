//! Reference for `exercises/ex01_logic_gates.rs`: the library's gates.
use annlab::exercises::prelude::*;
use annlab::neurons::mcculloch_pitts::{self as mp, McCullochPitts, Network};

pub fn and() -> Result<McCullochPitts, Unfinished> {
    Ok(mp::and())
}

pub fn or() -> Result<McCullochPitts, Unfinished> {
    Ok(mp::or())
}

pub fn a_and_not_b() -> Result<McCullochPitts, Unfinished> {
    Ok(mp::a_and_not_b())
}

pub fn xor_network() -> Result<Network, Unfinished> {
    Ok(mp::xor_network())
}
