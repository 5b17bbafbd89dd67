//! # Exercise 2 — the perceptron learning rule
//! # 연습 2 — 퍼셉트론 학습 규칙
//!
//! Chapter: `book/src/ch02_perceptron.md` (HOML 10, "The Perceptron").
//! Hints: `book/src/exercises/ex02_perceptron.md`.
//! Check: `cargo test --release --features exercises exercise_2_`, or `cargo grade`.
//!
//! 해당 장: `book/src/ch02_perceptron.md` (핸즈온 10장, "퍼셉트론").
//! 도움말: `book/src/exercises/ex02_perceptron.md`.
//! 확인: `cargo test --release --features exercises exercise_2_` 또는 `cargo grade`.

use annlab::exercises::prelude::*;

/// **2.1 One step of the perceptron rule**, as scikit-learn's `Perceptron` takes it for
/// one sample `x` `[n_features]` of class `y` ∈ {0, 1}, with learning rate η = `eta`:
///
/// - y± = +1 for class 1, −1 for class 0;
/// - p = w·x + b, the sample's score (`w`: `[n_features]`, `b`: the bias);
/// - if y±·p ≤ 0 (wrong side of the boundary, *or on it*): w ← w + η y± x,
///   b ← b + η y±, and return `Ok(true)`;
/// - else (y±·p > 0, correct) change nothing and return `Ok(false)`.
///
/// Update `w` and `b` in place. The check runs your rule through a whole `fit` on iris
/// and expects the very weights scikit-learn learns with `random_state=42`.
///
/// **2.1 퍼셉트론 규칙의 한 단계.** 사이킷런의 `Perceptron`이 클래스 `y` ∈ {0, 1} 인
/// 샘플 하나 `x` `[n_features]`에 대해 학습률 η = `eta`로 수행하는 갱신입니다.
///
/// - 클래스 1이면 y± = +1, 클래스 0이면 y± = −1;
/// - p = w·x + b는 샘플의 점수입니다 (`w`: 가중치 `[n_features]`, `b`: 절편);
/// - y±·p ≤ 0이면 (결정 경계의 반대편이거나 *경계 위*): w ← w + η y± x,
///   b ← b + η y± 로 갱신하고 `Ok(true)`를 반환합니다;
/// - 아니면 (y±·p > 0, 올바른 분류) 아무것도 바꾸지 않고 `Ok(false)`를 반환합니다.
///
/// `w`와 `b`는 그 자리에서 갱신합니다. 검사는 이 규칙으로 붓꽃 데이터에서 전체
/// 훈련을 실행하고, 사이킷런이 `random_state=42`로 학습하는 가중치와 똑같은지
/// 비교합니다.
pub fn perceptron_update(
    w: &mut Array1<f64>,
    b: &mut f64,
    x: ArrayView1<f64>,
    y: usize,
    eta: f64,
) -> Result<bool, Unfinished> {
    let _ = (w, b, x, y, eta);
    not_done()
}
