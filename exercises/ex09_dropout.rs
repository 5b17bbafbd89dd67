//! # Exercise 9 — dropout, forward and backward
//! # 연습 9 — 드롭아웃의 정방향과 역방향 계산
//!
//! Chapter: `book/src/ch06_dropout.md` (HG 7-3).
//! Hints: `book/src/exercises/ex09_dropout.md`.
//! Check: `cargo test --release --features exercises exercise_9_`, or `cargo grade`.
//!
//! 해당 장: `book/src/ch06_dropout.md` (혼공머신 7-3).
//! 도움말: `book/src/exercises/ex09_dropout.md`.
//! 확인: `cargo test --release --features exercises exercise_9_` 또는 `cargo grade`.

use annlab::exercises::prelude::*;

/// **9.1 Dropout forward pass.** Inverted dropout, as Keras does it. `x` is a batch
/// `[batch, units]`, `rate` r the share of units to drop, `u` uniform draws in [0, 1)
/// of the same shape as `x` (given, so the result is reproducible).
///
/// - When `training` and r > 0: the mask m = [u ≥ r] / (1 − r) (a unit is kept where
///   u ≥ r, u = r included, and scaled by 1/(1 − r); dropped units get 0), and
///   y = x ⊙ m. The scaling keeps the expected output: E[y] = (1 − r)·x/(1 − r) = x.
/// - Otherwise (inference, or r = 0): y = x and m is all ones.
///
/// Returns `(y, mask)`, both `[batch, units]`; the layer keeps the mask for the
/// backward pass.
///
/// **9.1 드롭아웃 정방향 계산.** 케라스와 같은 역 드롭아웃 (inverted dropout)입니다.
/// `x`는 배치 `[batch, units]`, `rate` r은 끌 유닛의 비율, `u`는 `x`와 같은
/// 크기의 [0, 1) 균등 분포 난수입니다 (결과를 재현할 수 있도록 주어집니다).
///
/// - `training`이고 r > 0이면: 마스크 m = [u ≥ r] / (1 − r) (u ≥ r 인 유닛은
///   u = r을 포함해 남기고 1/(1 − r) 배 하며, 끈 유닛은 0), 그리고 y = x ⊙ m.
///   이 스케일 조정으로 출력의 기댓값이 유지됩니다: E[y] = (1 − r)·x/(1 − r) = x.
/// - 그 밖의 경우 (추론, 또는 r = 0): y = x이고 m은 모두 1입니다.
///
/// `(y, mask)`를 반환하며 둘 다 `[batch, units]`입니다. 층은 역방향 계산을 위해
/// 마스크를 보관합니다.
pub fn dropout_forward(
    x: ArrayView2<f32>,
    rate: f32,
    u: ArrayView2<f32>,
    training: bool,
) -> Result<(Array2<f32>, Array2<f32>), Unfinished> {
    let _ = (x, rate, u, training);
    not_done()
}

/// **9.2 Dropout backward pass.** Since y = x ⊙ m, the gradient flows back through the
/// same mask: given G = dL/dy `grad_y` `[batch, units]` and the forward pass's `mask`
/// `[batch, units]`, return
///
/// dL/dx = G ⊙ m, shape `[batch, units]`.
///
/// Dropped units (m = 0) pass no gradient; kept ones pass it scaled by 1/(1 − r).
///
/// **9.2 드롭아웃 역방향 계산.** y = x ⊙ m이므로 그레이디언트는 같은 마스크를 거쳐
/// 거꾸로 흐릅니다: G = dL/dy `grad_y` `[batch, units]`와 정방향 계산의 `mask`
/// `[batch, units]`가 주어지면
///
/// dL/dx = G ⊙ m, 크기 `[batch, units]`
///
/// 를 반환합니다. 끈 유닛 (m = 0)으로는 그레이디언트가 흐르지 않고, 남은 유닛으로는
/// 1/(1 − r) 배 되어 흐릅니다.
pub fn dropout_backward(
    grad_y: ArrayView2<f32>,
    mask: ArrayView2<f32>,
) -> Result<Array2<f32>, Unfinished> {
    let _ = (grad_y, mask);
    not_done()
}
