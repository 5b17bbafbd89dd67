//! # Exercise 3 — softmax and the sparse categorical cross-entropy
//! # 연습 3 — 소프트맥스와 희소 다중 분류 크로스 엔트로피
//!
//! Chapter: `book/src/ch03_mlp.md` (HG 7-1, HOML 10).
//! Hints: `book/src/exercises/ex03_softmax_crossentropy.md`.
//! Check: `cargo test --release --features exercises exercise_3_`, or `cargo grade`.
//!
//! 해당 장: `book/src/ch03_mlp.md` (혼공머신 7-1, 핸즈온 10장).
//! 도움말: `book/src/exercises/ex03_softmax_crossentropy.md`.
//! 확인: `cargo test --release --features exercises exercise_3_` 또는 `cargo grade`.

use annlab::exercises::prelude::*;

/// **3.1 Softmax.** For every row z of the logits `z` `[batch, classes]`:
///
/// softmax(z)ₖ = e^(zₖ − m) / Σⱼ e^(zⱼ − m), with m = maxⱼ zⱼ the row's maximum.
///
/// Subtracting m changes nothing mathematically (it cancels between numerator and
/// denominator) but keeps e^z finite: e^1000 overflows an f32, e^0 does not. Returns
/// the probabilities, `[batch, classes]`; each row sums to 1.
///
/// **3.1 소프트맥스.** 로짓 `z` `[batch, classes]`의 각 행 z에 대해:
///
/// softmax(z)ₖ = e^(zₖ − m) / Σⱼ e^(zⱼ − m), 여기서 m = maxⱼ zⱼ 는 그 행의 최댓값입니다.
///
/// m을 빼도 수학적으로는 같지만 (분자와 분모에서 약분됩니다) e^z가 유한하게 유지됩니다:
/// e^1000은 f32를 넘치지만 e^0은 그렇지 않습니다. 확률 `[batch, classes]`를
/// 반환하며, 각 행의 합은 1입니다.
pub fn softmax(z: ArrayView2<f32>) -> Result<Array2<f32>, Unfinished> {
    let _ = z;
    not_done()
}

/// **3.2 Sparse categorical cross-entropy.** The loss of a batch of predicted
/// probabilities `probabilities` `[batch, classes]` (rows of a softmax) against the
/// integer `labels` `[batch]`, each in `0..classes`:
///
/// L = (1/batch) Σᵢ −ln clip(pᵢ[labelᵢ], ε, 1 − ε), ε = 1e-7.
///
/// Keras clips the probability to [1e-7, 1 − 1e-7] before the logarithm, so that a
/// probability of 0 gives a large but finite loss (−ln 1e-7 ≈ 16.118), not infinity.
///
/// **3.2 희소 다중 분류 크로스 엔트로피.** 예측 확률 `probabilities`
/// `[batch, classes]` (소프트맥스의 출력 행)과 정수 레이블 `labels` `[batch]`
/// (각각 `0..classes`) 사이의 손실 함수 값:
///
/// L = (1/batch) Σᵢ −ln clip(pᵢ[labelᵢ], ε, 1 − ε), ε = 1e-7.
///
/// 케라스는 로그를 취하기 전에 확률을 [1e-7, 1 − 1e-7]로 자릅니다. 그래서 확률이 0 이어도
/// 손실은 무한대가 아니라 크지만 유한한 값 (−ln 1e-7 ≈ 16.118)이 됩니다.
pub fn sparse_categorical_crossentropy(
    probabilities: ArrayView2<f32>,
    labels: &[usize],
) -> Result<f32, Unfinished> {
    let _ = (probabilities, labels);
    not_done()
}

/// **3.3 Gradient of softmax + cross-entropy.** For the logits `logits` z
/// `[batch, classes]` and the `labels` `[batch]`, the loss
/// L(z) = (1/batch) Σᵢ −ln softmax(zᵢ)[labelᵢ] has the gradient
///
/// dL/dz = (softmax(z) − onehot(labels)) / batch, shape `[batch, classes]`,
///
/// where onehot(labels)ᵢₖ is 1 if k = labelᵢ and 0 otherwise. Do not forget the
/// 1/batch of the mean. The check compares each entry with finite differences of L.
///
/// **3.3 소프트맥스 + 크로스 엔트로피의 그레이디언트.** 로짓 `logits` z
/// `[batch, classes]`와 레이블 `labels` `[batch]`에 대해 손실
/// L(z) = (1/batch) Σᵢ −ln softmax(zᵢ)[labelᵢ]의 그레이디언트는
///
/// dL/dz = (softmax(z) − onehot(labels)) / batch, 크기 `[batch, classes]`
///
/// 입니다. onehot(labels)ᵢₖ 는 k = labelᵢ 이면 1, 아니면 0입니다. 평균의 1/batch를
/// 잊지 마세요. 검사는 각 항목을 L의 유한 차분과 비교합니다.
pub fn softmax_crossentropy_gradient(
    logits: ArrayView2<f32>,
    labels: &[usize],
) -> Result<Array2<f32>, Unfinished> {
    let _ = (logits, labels);
    not_done()
}
