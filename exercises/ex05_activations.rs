//! # Exercise 5 — the derivatives of relu and the sigmoid
//! # 연습 5 — 렐루와 시그모이드 함수의 도함수
//!
//! Chapter: `book/src/ch04_relu_vs_sigmoid.md` (HG 7-2).
//! Hints: `book/src/exercises/ex05_activations.md`.
//! Check: `cargo test --release --features exercises exercise_5_`, or `cargo grade`.
//!
//! 해당 장: `book/src/ch04_relu_vs_sigmoid.md` (혼공머신 7-2).
//! 도움말: `book/src/exercises/ex05_activations.md`.
//! 확인: `cargo test --release --features exercises exercise_5_` 또는 `cargo grade`.

use annlab::exercises::prelude::*;

/// **5.1 ReLU derivative.** A layer computed y = relu(z) = max(0, z) entry by entry.
/// Given its output `y` `[batch, units]` (not z: the layer keeps its output, as Keras
/// does) and G = dL/dy `grad_y` `[batch, units]`, return
///
/// dL/dz = [y > 0] ⊙ G, shape `[batch, units]`:
///
/// the gradient passes unchanged where the unit was active (y > 0) and is 0 where it was
/// not (y = 0; at z = 0 exactly relu has no derivative, and Keras takes 0).
///
/// **5.1 렐루 함수의 도함수.** 층이 항목별로 y = relu(z) = max(0, z)를 계산했습니다.
/// 그 출력 `y` `[batch, units]` (z가 아닙니다: 케라스처럼 층은 출력을 보관합니다)와
/// G = dL/dy `grad_y` `[batch, units]`가 주어지면
///
/// dL/dz = [y > 0] ⊙ G, 크기 `[batch, units]`
///
/// 를 반환합니다: 유닛이 활성화된 곳 (y > 0) 에서는 그레이디언트가 그대로 지나가고, 그렇지
/// 않은 곳 (y = 0) 에서는 0입니다 (z = 0 에서는 도함수가 없으며 케라스는 0을 씁니다).
pub fn relu_backward(
    y: ArrayView2<f32>,
    grad_y: ArrayView2<f32>,
) -> Result<Array2<f32>, Unfinished> {
    let _ = (y, grad_y);
    not_done()
}

/// **5.2 Sigmoid derivative.** A layer computed y = σ(z) = 1 / (1 + e^(−z)). Since
/// σ′(z) = σ(z)(1 − σ(z)) = y(1 − y), the derivative needs only the output: given `y`
/// `[batch, units]` and G = dL/dy `grad_y` `[batch, units]`, return
///
/// dL/dz = y ⊙ (1 − y) ⊙ G, shape `[batch, units]`.
///
/// `y` is already σ(z): do not apply the sigmoid to it again.
///
/// **5.2 시그모이드 함수의 도함수.** 층이 y = σ(z) = 1 / (1 + e^(−z))를 계산했습니다.
/// σ′(z) = σ(z)(1 − σ(z)) = y(1 − y)이므로 도함수는 출력만으로 계산됩니다: `y`
/// `[batch, units]`와 G = dL/dy `grad_y` `[batch, units]`가 주어지면
///
/// dL/dz = y ⊙ (1 − y) ⊙ G, 크기 `[batch, units]`
///
/// 를 반환합니다. `y`는 이미 σ(z)입니다: 시그모이드 함수를 다시 적용하지 마세요.
pub fn sigmoid_backward(
    y: ArrayView2<f32>,
    grad_y: ArrayView2<f32>,
) -> Result<Array2<f32>, Unfinished> {
    let _ = (y, grad_y);
    not_done()
}
