//! # Exercise 8 — HG 7-2: a hidden layer, sigmoid then relu
//! # 연습 8 — 혼공머신 7-2: 은닉층 하나, 시그모이드와 렐루
//!
//! Chapter: `book/src/ch04_relu_vs_sigmoid.md` (HG 7-2).
//! Hints: `book/src/exercises/ex08_hg_7_2.md`.
//! Check: `cargo test --release --features exercises exercise_8_`, or `cargo grade`.
//!
//! The cells of HG 7-2, as `chapters/ch04_relu_vs_sigmoid.rs` writes them. The Keras
//! lines:
//!
//! ```python
//! dense1 = keras.layers.Dense(100, activation='sigmoid', input_shape=(784,))
//! dense2 = keras.layers.Dense(10, activation='softmax')
//! model = keras.Sequential([dense1, dense2])
//!
//! model = keras.Sequential()
//! model.add(keras.layers.Flatten(input_shape=(28, 28)))
//! model.add(keras.layers.Dense(100, activation='relu'))
//! model.add(keras.layers.Dense(10, activation='softmax'))
//!
//! model.compile(loss='sparse_categorical_crossentropy', metrics='accuracy')
//! model.fit(train_scaled, train_target, epochs=5)
//! model.evaluate(val_scaled, val_target)
//! ```
//!
//! 해당 장: `book/src/ch04_relu_vs_sigmoid.md` (혼공머신 7-2).
//! 도움말: `book/src/exercises/ex08_hg_7_2.md`.
//! 확인: `cargo test --release --features exercises exercise_8_` 또는 `cargo grade`.
//!
//! `chapters/ch04_relu_vs_sigmoid.rs`에 있는 혼공머신 7-2의 셀들입니다. 위의 케라스
//! 코드를 옮기면 됩니다.

use annlab::exercises::prelude::*;
use annlab::prelude::*;
use annlab::report::Run;

/// **8.1 The sigmoid model.** `Sequential::new(seed)` with a hidden `Dense` layer of
/// 100 units, sigmoid activation, input shape `[784]` (a flattened image), then the
/// output layer: `Dense` of 10 units, softmax. Total params: 784·100 + 100 + 100·10 +
/// 10 = 79,510.
///
/// **8.1 시그모이드 모델.** `Sequential::new(seed)`에 유닛 100개, 시그모이드 활성화
/// 함수, 입력 크기 `[784]` (펼친 이미지) 인 은닉층 `Dense`를 넣고, 이어서 출력층으로
/// 유닛 10개, 소프트맥스인 `Dense`를 넣습니다. 전체 파라미터:
/// 784·100 + 100 + 100·10 + 10 = 79,510 개.
pub fn sigmoid_model(seed: u64) -> Result<Sequential, ModelError> {
    let _ = seed;
    not_done()
}

/// **8.2 The relu model.** `Sequential::new(seed)` with a `Flatten` layer of input
/// shape `[28, 28]` (the model takes the images as they are and flattens them itself),
/// a hidden `Dense` layer of 100 units, relu, and the output `Dense` of 10 units,
/// softmax. Same 79,510 parameters: `Flatten` has none.
///
/// **8.2 렐루 모델.** `Sequential::new(seed)`에 입력 크기 `[28, 28]` 인 `Flatten` 층
/// (모델이 이미지를 그대로 받아 스스로 펼칩니다), 유닛 100개, 렐루 활성화 함수인 은닉층
/// `Dense`, 유닛 10개, 소프트맥스인 출력층 `Dense`를 넣습니다. `Flatten`에는
/// 파라미터가 없으므로 역시 79,510 개입니다.
pub fn relu_model(seed: u64) -> Result<Sequential, ModelError> {
    let _ = seed;
    not_done()
}

/// **8.3 The training cell**, for either model. Given HG's split (`split.train`:
/// 48,000 images `[n, 28, 28]` scaled to [0, 1], `split.val`: 12,000):
///
/// 1. `summary` = `model.summary()`, taken before training;
/// 2. compile with loss `"sparse_categorical_crossentropy"` and the metric
///    `"accuracy"` (default optimizer: RMSprop);
/// 3. fit for 5 epochs with `verbose`, then evaluate on the validation set. The
///    sigmoid model takes `[n, 784]`: flatten the images first
///    (`annlab::datasets::flat`); the relu model takes `[n, 28, 28]` as they are.
///    `model.input_shape()` tells which: `Some(&[784])` or `Some(&[28, 28])`;
///
/// and return `Run { summary, history, evaluation }`. The check trains the book's
/// sigmoid and relu models (seed 42); each must land inside the chapter's bands.
///
/// **8.3 훈련 셀** (두 모델 모두). 혼공머신의 분할 (`split.train`: [0, 1]로 스케일한
/// 이미지 48,000 개 `[n, 28, 28]`, `split.val`: 12,000 개)이 주어지면:
///
/// 1. 훈련 전에 `summary` = `model.summary()`를 얻습니다;
/// 2. 손실 함수 `"sparse_categorical_crossentropy"`, 측정 지표 `"accuracy"`로
///    컴파일합니다 (기본 옵티마이저: RMSprop);
/// 3. `verbose`를 주어 5 에포크 동안 훈련하고 검증 세트로 평가합니다. 시그모이드
///    모델은 `[n, 784]`를 받으므로 먼저 이미지를 펼칩니다 (`annlab::datasets::flat`);
///    렐루 모델은 `[n, 28, 28]`을 그대로 받습니다. `model.input_shape()`가
///    `Some(&[784])` 인지 `Some(&[28, 28])` 인지로 구별합니다;
///
/// 그리고 `Run { summary, history, evaluation }`을 반환합니다. 검사는 책의 시그모이드
/// 모델과 렐루 모델 (시드 42)을 훈련하여, 각각 장의 허용 범위 안에 드는지 봅니다.
pub fn train(model: Sequential, split: &Split, verbose: u8) -> Result<Run, ModelError> {
    let _ = (model, split, verbose);
    not_done()
}
