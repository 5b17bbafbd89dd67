//! # Exercise 7 — HG 7-1: one layer of ten softmax units on Fashion-MNIST
//! # 연습 7 — 혼공머신 7-1: 패션 MNIST에 소프트맥스 유닛 10개짜리 층 하나
//!
//! Chapter: `book/src/ch03_mlp.md` (HG 7-1). Hints: `book/src/exercises/ex07_hg_7_1.md`.
//! Check: `cargo test --release --features exercises exercise_7_`, or `cargo grade`.
//!
//! The two cells of HG 7-1, as `chapters/ch03_mlp.rs` writes them in one function
//! (`hg_7_1`), split in two: the model, then its training. The Keras lines:
//!
//! ```python
//! dense = keras.layers.Dense(10, activation='softmax', input_shape=(784,))
//! model = keras.Sequential(dense)
//! model.compile(loss='sparse_categorical_crossentropy', metrics='accuracy')
//! model.fit(train_scaled, train_target, epochs=5)
//! model.evaluate(val_scaled, val_target)
//! ```
//!
//! 해당 장: `book/src/ch03_mlp.md` (혼공머신 7-1).
//! 도움말: `book/src/exercises/ex07_hg_7_1.md`.
//! 확인: `cargo test --release --features exercises exercise_7_` 또는 `cargo grade`.
//!
//! 혼공머신 7-1의 두 셀입니다. `chapters/ch03_mlp.rs`는 한 함수 (`hg_7_1`)에 담았지만,
//! 여기서는 모델과 훈련 두 개로 나눕니다. 위의 케라스 코드를 옮기면 됩니다.

use annlab::exercises::prelude::*;
use annlab::prelude::*;
use annlab::report::Run;

/// **7.1 The model.** `keras.Sequential` with one `Dense` layer of 10 units, softmax
/// activation, input shape `[784]` (a flattened 28×28 image); `Sequential::new(seed)`,
/// so the same seed gives the same initial weights. The summary reads
/// `dense (Dense) │ (None, 10) │ 7,850` (784·10 weights + 10 biases).
///
/// **7.1 모델.** 유닛 10개, 소프트맥스 활성화 함수, 입력 크기 `[784]` (28×28 이미지를
/// 펼친 것) 인 `Dense` 층 하나로 된 `Sequential` 모델. `Sequential::new(seed)`로
/// 만들어 같은 시드면 같은 초기 가중치가 나오게 합니다. 요약은
/// `dense (Dense) │ (None, 10) │ 7,850`입니다 (가중치 784·10 개 + 절편 10 개).
pub fn model(seed: u64) -> Result<Sequential, ModelError> {
    let _ = seed;
    not_done()
}

/// **7.2 The training cell.** Given the model of 7.1 and HG's split (`split.train`:
/// 48,000 images `[n, 28, 28]` scaled to [0, 1], `split.val`: 12,000):
///
/// 1. `summary` = `model.summary()`, taken before training;
/// 2. compile with loss `"sparse_categorical_crossentropy"` and the metric
///    `"accuracy"` (the optimizer is Keras's default, RMSprop);
/// 3. fit on the training images flattened to `[48000, 784]`
///    (`annlab::datasets::flat`) and their labels for 5 epochs, with `verbose`;
/// 4. evaluate on the validation images, flattened too, and their labels;
///
/// and return `Run { summary, history, evaluation }`. The check trains the book's
/// model with the five seeds 42–46: the medians of the epoch-5 accuracy and of the
/// validation accuracy must fall inside the chapter's bands.
///
/// **7.2 훈련 셀.** 7.1의 모델과 혼공머신의 분할 (`split.train`: [0, 1]로 스케일한
/// 이미지 48,000 개 `[n, 28, 28]`, `split.val`: 12,000 개)이 주어지면:
///
/// 1. 훈련 전에 `summary` = `model.summary()`를 얻습니다;
/// 2. 손실 함수 `"sparse_categorical_crossentropy"`, 측정 지표 `"accuracy"`로
///    컴파일합니다 (옵티마이저는 케라스 기본값인 RMSprop);
/// 3. `[48000, 784]`로 펼친 훈련 이미지 (`annlab::datasets::flat`)와 타깃으로
///    `verbose`를 주어 5 에포크 동안 훈련합니다;
/// 4. 역시 펼친 검증 세트 이미지와 타깃으로 평가합니다;
///
/// 그리고 `Run { summary, history, evaluation }`을 반환합니다. 검사는 책의 모델을
/// 시드 42–46 다섯 개로 훈련하여, 5 번째 에포크 정확도와 검증 정확도의 중앙값이 장의
/// 허용 범위 안에 드는지 봅니다.
pub fn train(model: Sequential, split: &Split, verbose: u8) -> Result<Run, ModelError> {
    let _ = (model, split, verbose);
    not_done()
}
