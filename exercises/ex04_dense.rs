//! # Exercise 4 — a `Dense` layer, forward and backward
//! # 연습 4 — `Dense` 층의 정방향과 역방향 계산
//!
//! Chapter: `book/src/ch03_mlp.md` (HG 7-1, HOML 10).
//! Hints: `book/src/exercises/ex04_dense.md`.
//! Check: `cargo test --release --features exercises exercise_4_`, or `cargo grade`.
//!
//! 해당 장: `book/src/ch03_mlp.md` (혼공머신 7-1, 핸즈온 10장).
//! 도움말: `book/src/exercises/ex04_dense.md`.
//! 확인: `cargo test --release --features exercises exercise_4_` 또는 `cargo grade`.

use annlab::exercises::prelude::*;

/// **4.1 Dense forward pass.** y = x·W + b for a batch.
///
/// - `x`: `[batch, n_inputs]`, one sample per row;
/// - `kernel` W: `[n_inputs, units]` (Keras's layout: one column per unit);
/// - `bias` b: `[units]`, added to every row;
/// - returns y: `[batch, units]`, before the activation.
///
/// **4.1 Dense 정방향 계산.** 배치에 대해 y = x·W + b를 계산합니다.
///
/// - `x`: `[batch, n_inputs]`, 한 행에 샘플 하나;
/// - `kernel` W: `[n_inputs, units]` (케라스와 같은 배치: 유닛마다 열 하나);
/// - `bias` b: `[units]`, 모든 행에 더합니다;
/// - 반환값 y: `[batch, units]`, 활성화 함수를 적용하기 전의 값.
pub fn dense_forward(
    x: ArrayView2<f32>,
    kernel: ArrayView2<f32>,
    bias: ArrayView1<f32>,
) -> Result<Array2<f32>, Unfinished> {
    let _ = (x, kernel, bias);
    not_done()
}

/// **4.2 Dense backward pass.** Given G = dL/dy `[batch, units]` for y = x·W + b:
///
/// - dL/dW = xᵀ·G, shape `[n_inputs, units]` (the kernel's shape);
/// - dL/db = Σ over the batch of G's rows, shape `[units]`;
/// - dL/dx = G·Wᵀ, shape `[batch, n_inputs]` (what flows to the layer before).
///
/// Return them as `DenseGrads { kernel, bias, x }`. The check compares each entry with
/// finite differences of L = Σ G ⊙ (x·W + b).
///
/// **4.2 Dense 역방향 계산.** y = x·W + b에서 G = dL/dy `[batch, units]`가 주어질 때:
///
/// - dL/dW = xᵀ·G, 크기 `[n_inputs, units]` (커널과 같은 크기);
/// - dL/db = 배치에 걸친 G의 행 합, 크기 `[units]`;
/// - dL/dx = G·Wᵀ, 크기 `[batch, n_inputs]` (앞 층으로 전달되는 값).
///
/// `DenseGrads { kernel, bias, x }`로 반환합니다. 검사는 각 항목을
/// L = Σ G ⊙ (x·W + b)의 유한 차분과 비교합니다.
pub fn dense_backward(
    x: ArrayView2<f32>,
    kernel: ArrayView2<f32>,
    grad_y: ArrayView2<f32>,
) -> Result<DenseGrads, Unfinished> {
    let _ = (x, kernel, grad_y);
    not_done()
}
