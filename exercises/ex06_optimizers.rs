//! # Exercise 6 — one step of SGD, RMSprop and Adam, as Keras 3 takes it
//! # 연습 6 — 케라스 3 방식의 SGD, RMSprop, Adam 한 스텝
//!
//! Chapter: `book/src/ch05_optimizers.md` (HOML 11), `book/src/ch05_optimizer_paths.md`.
//! Hints: `book/src/exercises/ex06_optimizers.md`.
//! Check: `cargo test --release --features exercises exercise_6_`, or `cargo grade`.
//!
//! Each function updates the weights `w` in place, one entry at a time, from the
//! gradient `g` (same length), and updates the optimizer's state slices, which start at
//! zero and are handed back to you at the next step. The check runs five steps and
//! compares `w` and the state with the library's Keras-identical optimizers after each.
//!
//! 해당 장: `book/src/ch05_optimizers.md` (핸즈온 11장), `book/src/ch05_optimizer_paths.md`.
//! 도움말: `book/src/exercises/ex06_optimizers.md`.
//! 확인: `cargo test --release --features exercises exercise_6_` 또는 `cargo grade`.
//!
//! 각 함수는 그레이디언트 `g` (길이가 같습니다)로 가중치 `w`를 원소마다 제자리에서
//! 갱신하고, 옵티마이저의 상태 슬라이스도 갱신합니다. 상태는 0에서 시작하고 다음
//! 스텝에 다시 전달됩니다. 검사는 다섯 스텝을 실행하며 스텝마다 `w`와 상태를 라이브러리의
//! (케라스와 같은) 옵티마이저와 비교합니다.

use annlab::exercises::prelude::*;

/// **6.1 SGD with momentum.** `keras.optimizers.SGD(learning_rate, momentum,
/// nesterov)`, one step. With lr = `settings.learning_rate`, μ = `settings.momentum`,
/// for every entry i:
///
/// - μ = 0 (plain gradient descent): w −= lr·g; `velocity` is not used;
/// - momentum: v = μ·v − lr·g, then w += v;
/// - Nesterov (`settings.nesterov`): v = μ·v − lr·g, then w += μ·v − lr·g (with the new
///   v: the step looks ahead).
///
/// `w`, `g`, `velocity`: `[n]`; `velocity` (v) holds the previous step's v.
///
/// **6.1 모멘텀 SGD.** `keras.optimizers.SGD(learning_rate, momentum, nesterov)`의 한
/// 스텝. lr = `settings.learning_rate`, μ = `settings.momentum` 일 때 모든 원소 i에 대해:
///
/// - μ = 0 (기본 경사 하강법): w −= lr·g; `velocity`는 쓰지 않습니다;
/// - 모멘텀: v = μ·v − lr·g, 그다음 w += v;
/// - 네스테로프 (`settings.nesterov`): v = μ·v − lr·g, 그다음 w += μ·v − lr·g (새 v로
///   계산합니다: 한 걸음 앞을 내다봅니다).
///
/// `w`, `g`, `velocity`의 크기는 `[n]`; `velocity` (v)에는 이전 스텝의 v가 들어
/// 있습니다.
pub fn sgd_step(
    w: &mut [f32],
    g: &[f32],
    velocity: &mut [f32],
    settings: &SgdSettings,
) -> Result<(), Unfinished> {
    let _ = (w, g, velocity, settings);
    not_done()
}

/// **6.2 RMSprop.** `keras.optimizers.RMSprop(learning_rate, rho, epsilon)`, one step.
/// With lr, ρ, ε from `settings`, for every entry i:
///
/// - s = ρ·s + (1 − ρ)·g²  (the running mean of the squared gradient);
/// - w −= lr·g / √(s + ε)  (Keras 3 puts ε *inside* the square root).
///
/// `w`, `g`, `s`: `[n]`; `s` holds the previous step's s.
///
/// **6.2 RMSprop.** `keras.optimizers.RMSprop(learning_rate, rho, epsilon)`의 한 스텝.
/// `settings`의 lr, ρ, ε로 모든 원소 i에 대해:
///
/// - s = ρ·s + (1 − ρ)·g²  (그레이디언트 제곱의 이동 평균);
/// - w −= lr·g / √(s + ε)  (케라스 3는 ε을 제곱근 *안에* 넣습니다).
///
/// `w`, `g`, `s`의 크기는 `[n]`; `s`에는 이전 스텝의 s가 들어 있습니다.
pub fn rmsprop_step(
    w: &mut [f32],
    g: &[f32],
    s: &mut [f32],
    settings: &RmspropSettings,
) -> Result<(), Unfinished> {
    let _ = (w, g, s, settings);
    not_done()
}

/// **6.3 Adam.** `keras.optimizers.Adam(learning_rate, beta_1, beta_2, epsilon)`, step
/// number `t` (1 for the first step). With lr, β₁, β₂, ε from `settings`:
///
/// - α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)  (the bias correction, once per step);
/// - then for every entry i: m += (g − m)·(1 − β₁); v += (g² − v)·(1 − β₂);
///   w −= α·m / (√v + ε).
///
/// `w`, `g`, `m`, `v`: `[n]`; `m` and `v` hold the previous step's moments.
///
/// **6.3 Adam.** `keras.optimizers.Adam(learning_rate, beta_1, beta_2, epsilon)`의
/// `t` 번째 스텝 (첫 스텝이 1). `settings`의 lr, β₁, β₂, ε로:
///
/// - α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)  (편향 보정, 스텝마다 한 번);
/// - 그다음 모든 원소 i에 대해: m += (g − m)·(1 − β₁); v += (g² − v)·(1 − β₂);
///   w −= α·m / (√v + ε).
///
/// `w`, `g`, `m`, `v`의 크기는 `[n]`; `m`과 `v`에는 이전 스텝의 모멘트가 들어
/// 있습니다.
pub fn adam_step(
    w: &mut [f32],
    g: &[f32],
    m: &mut [f32],
    v: &mut [f32],
    t: u32,
    settings: &AdamSettings,
) -> Result<(), Unfinished> {
    let _ = (w, g, m, v, t, settings);
    not_done()
}
