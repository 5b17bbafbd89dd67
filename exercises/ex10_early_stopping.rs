//! # Exercise 10 — the `EarlyStopping` callback
//! # 연습 10 — `EarlyStopping` 콜백
//!
//! Chapter: `book/src/ch08_callbacks.md` (HG 7-3, HOML 10 "Using Callbacks").
//! Hints: `book/src/exercises/ex10_early_stopping.md`.
//! Check: `cargo test --release --features exercises exercise_10_`, or `cargo grade`.
//!
//! 해당 장: `book/src/ch08_callbacks.md` (혼공머신 7-3, 핸즈온 10장 "콜백 사용하기").
//! 도움말: `book/src/exercises/ex10_early_stopping.md`.
//! 확인: `cargo test --release --features exercises exercise_10_` 또는 `cargo grade`.

use annlab::callbacks::{Callback, Context, Logs};
use annlab::error::ModelError;
use annlab::exercises::prelude::*;

/// **10.1 EarlyStopping**, as Keras 3's `EarlyStopping(monitor="val_loss",
/// patience=patience, restore_best_weights=restore_best_weights)` (`min_delta` 0, no
/// baseline). `fit` calls `on_epoch_end(epoch, logs, ctx)` after every epoch (epochs
/// count from 0), with the epoch's `val_loss` in `logs.get("val_loss")`, and
/// `on_train_end(logs, ctx)` once at the end. Keras's rule, at the end of each epoch:
///
/// ```text
/// wait += 1
/// if val_loss < best:                  # strictly lower; the first epoch always is
///     best = val_loss; wait = 0
///     if restore_best_weights: keep a copy of the weights
/// elif wait >= patience:
///     stop training
/// at the end of training (stopped or not): put the kept weights back
/// ```
///
/// Add the fields you need (the wait count, the best `val_loss` so far, the kept
/// weights). The model's weights are `ctx.model().get_weights()`, a
/// `Vec<ndarray::ArrayD<f32>>`, and go back with `ctx.model().set_weights(&kept)?`;
/// `ctx.stop_training()` ends `fit` after the current epoch. A `val_loss` missing from
/// the logs (no validation data) should be an error, e.g. `ModelError::Data { .. }`.
/// The check trains a small model with your callback and with the library's, same
/// seed, and compares the epochs run and the final weights.
///
/// **10.1 EarlyStopping.** 케라스 3의 `EarlyStopping(monitor="val_loss",
/// patience=patience, restore_best_weights=restore_best_weights)`와 같이 동작해야
/// 합니다 (`min_delta` 0, baseline 없음). `fit`은 에포크가 끝날 때마다
/// `on_epoch_end(epoch, logs, ctx)`를 부르고 (에포크 번호는 0부터),
/// `logs.get("val_loss")`에 그 에포크의 검증 손실이 들어 있습니다. 훈련이 끝나면
/// `on_train_end(logs, ctx)`를 한 번 부릅니다. 에포크가 끝날 때마다 적용하는 케라스의
/// 규칙은 위의 의사 코드와 같습니다: `wait`를 1 늘리고, `val_loss`가 지금까지의
/// 최선보다 엄격하게 낮으면 (첫 에포크는 항상 그렇습니다) 최선을 갱신하고 `wait`를
/// 0으로 되돌리며, `restore_best_weights`이면 가중치를 복사해 둡니다. 그렇지 않고
/// `wait >= patience`이면 훈련을 멈춥니다. 훈련이 끝나면 (조기 종료 여부와 상관없이)
/// 복사해 둔 가중치를 되돌려 놓습니다.
///
/// 필요한 필드 (기다린 에포크 수, 지금까지 가장 낮은 `val_loss`, 복사해 둔 가중치)를
/// 추가하세요. 모델의 가중치는 `ctx.model().get_weights()` (`Vec<ndarray::ArrayD<f32>>`)
/// 로 얻고 `ctx.model().set_weights(&kept)?`로 되돌립니다. `ctx.stop_training()`은
/// 현재 에포크가 끝나면 `fit`을 멈춥니다. 로그에 `val_loss`가 없으면 (검증 세트가
/// 없으면) 오류를 반환하세요 (예: `ModelError::Data { .. }`). 검사는 작은 모델을 같은
/// 시드로 여러분의 콜백과 라이브러리의 콜백으로 각각 훈련하고, 실행된 에포크 수와
/// 최종 가중치를 비교합니다.
pub struct EarlyStopping {
    /// Epochs without a lower `val_loss` before training stops.
    /// 검증 손실이 낮아지지 않아도 기다리는 에포크 수.
    patience: usize,
    /// Put back the best epoch's weights at the end of training.
    /// 훈련이 끝날 때 최선의 에포크의 가중치를 되돌려 놓을지 여부.
    restore_best_weights: bool,
}

impl EarlyStopping {
    /// A callback watching `val_loss` with this `patience`.
    ///
    /// 이 `patience`로 `val_loss`를 지켜보는 콜백.
    pub fn new(patience: usize, restore_best_weights: bool) -> Self {
        EarlyStopping {
            patience,
            restore_best_weights,
        }
    }
}

impl Callback for EarlyStopping {
    /// Keras's rule for epoch `epoch` (0-based) with the epoch's `logs`.
    ///
    /// 에포크 `epoch` (0부터)의 `logs`에 케라스의 규칙을 적용합니다.
    fn on_epoch_end(
        &mut self,
        epoch: usize,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let _ = (epoch, logs, ctx, self.patience, self.restore_best_weights);
        not_done()
    }

    /// Puts the kept weights back, if `restore_best_weights`.
    ///
    /// `restore_best_weights`이면 복사해 둔 가중치를 되돌려 놓습니다.
    fn on_train_end(
        &mut self,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let _ = (logs, ctx);
        not_done()
    }
}
