//! # Exercise 1 — logic gates from McCulloch–Pitts neurons
//! # 연습 1 — 매컬러-피츠 뉴런으로 만드는 논리 게이트
//!
//! Chapter: `book/src/ch01_logic_gates.md` (HOML 10, figures 10-3 and 10-6).
//! Hints: `book/src/exercises/ex01_logic_gates.md`.
//! Check: `cargo test --release --features exercises exercise_1_`, or `cargo grade`.
//!
//! A neuron is built as `McCullochPitts::new(threshold)`, then `.excite(input, n)` for
//! `n` excitatory connections from input `input` (0 is A, 1 is B), and `.inhibit(input)`
//! for an inhibitory one. It fires when no inhibitory input is active and the active
//! excitatory connections number at least `threshold`.
//!
//! 해당 장: `book/src/ch01_logic_gates.md` (핸즈온 10장, 그림 10-3과 10-6).
//! 도움말: `book/src/exercises/ex01_logic_gates.md`.
//! 확인: `cargo test --release --features exercises exercise_1_` 또는 `cargo grade`.
//!
//! 뉴런은 `McCullochPitts::new(threshold)`로 만들고, 입력 `input` (0은 A, 1은 B)에서
//! 오는 흥분성 연결 `n` 개는 `.excite(input, n)`, 억제성 연결은 `.inhibit(input)`으로
//! 덧붙입니다. 활성화된 억제성 입력이 하나도 없고, 활성화된 흥분성 연결의 수가
//! `threshold` 이상이면 뉴런이 발화합니다.

use annlab::exercises::prelude::*;
use annlab::neurons::mcculloch_pitts::{McCullochPitts, Network};

/// **1.1 AND.** One neuron C reading inputs A (index 0) and B (index 1) with
/// C = A ∧ B: it fires for input 11 only.
///
/// **1.1 AND.** 입력 A (인덱스 0)와 B (인덱스 1)를 읽는 뉴런 하나로 C = A ∧ B를
/// 만듭니다. 입력이 11 일 때만 발화해야 합니다.
pub fn and() -> Result<McCullochPitts, Unfinished> {
    not_done()
}

/// **1.1 OR.** One neuron with C = A ∨ B: it fires unless both inputs are 0.
///
/// **1.1 OR.** 뉴런 하나로 C = A ∨ B를 만듭니다. 두 입력이 모두 0 일 때만 발화하지
/// 않아야 합니다.
pub fn or() -> Result<McCullochPitts, Unfinished> {
    not_done()
}

/// **1.1 A AND NOT B.** One neuron with C = A ∧ ¬B: it fires for input 10 only. With A
/// always active it computes NOT B.
///
/// **1.1 A AND NOT B.** 뉴런 하나로 C = A ∧ ¬B를 만듭니다. 입력이 10 일 때만
/// 발화해야 합니다. A가 항상 활성화되어 있으면 NOT B가 됩니다.
pub fn a_and_not_b() -> Result<McCullochPitts, Unfinished> {
    not_done()
}

/// **1.2 XOR.** No single neuron computes XOR (it is not linearly separable), so build
/// a `Network { layers }` of at most two layers: `layers[0]` reads the inputs A and B,
/// `layers[1]` reads the outputs of `layers[0]` (its neurons' indices, in order) and
/// holds the one output neuron. The output is 1 for inputs 01 and 10, 0 for 00 and 11.
///
/// **1.2 XOR.** XOR은 선형 분리가 가능하지 않아서 뉴런 하나로는 계산할 수 없습니다.
/// 층이 두 개 이하인 `Network { layers }`를 만드세요. `layers[0]`은 입력 A와 B를
/// 읽고, `layers[1]`은 `layers[0]`의 출력 (뉴런의 순서가 곧 인덱스)을 읽으며 출력
/// 뉴런 하나를 담습니다. 출력은 입력 01과 10에서 1, 00과 11에서 0입니다.
pub fn xor_network() -> Result<Network, Unfinished> {
    not_done()
}
