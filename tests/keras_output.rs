//! annlab's terminal output against Keras 3's own, byte for byte: the strings below were
//! printed by Keras 3.15.1's `Progbar` and `model.summary()` (`keras/progbar_format.py`,
//! whose fake clock gives the times), and annlab's bar is driven with the same clock.
//! On a terminal annlab writes Keras's bytes (colours, `\\b`s and `\\r`, padding); piped,
//! it writes Keras's final line without escape codes.

use annlab::callbacks::{debug_build_warning, Logs};
use annlab::prelude::*;
use annlab::progress::ProgressBar;
use ndarray::Array2;

fn logs(pairs: &[(&str, f64)]) -> Logs {
    pairs.iter().copied().collect()
}

fn backspaces(n: usize) -> String {
    "\x08".repeat(n)
}

/// Drives a 1500-step bar as keras/progbar_format.py drives Keras's: a clock at 100 s
/// when it begins, step 1 at 100.5 s, step 750 at 101.249 s, the end at 102 s. Returns
/// what each call wrote.
fn epoch(tty: bool) -> [String; 3] {
    let mut bar = ProgressBar::new(1500, 1, tty).started_at(100.0);
    let mut outs: [Vec<u8>; 3] = Default::default();
    bar.update_at(
        &mut outs[0],
        1,
        &logs(&[("accuracy", 0.5), ("loss", 1.25)]),
        100.5,
    );
    bar.update_at(
        &mut outs[1],
        750,
        &logs(&[("accuracy", 0.8117), ("loss", 0.5367)]),
        101.249,
    );
    bar.finish_at(
        &mut outs[2],
        &logs(&[("accuracy", 0.8125), ("loss", 0.5361)]),
        102.0,
    );
    outs.map(|o| String::from_utf8(o).expect("utf-8"))
}

#[test]
fn the_first_step_on_a_terminal_shows_the_eta_and_time_per_step_like_keras_3() {
    let keras = "\r\x1b[1m   1/1500\x1b[0m \x1b[37m━━━━━━━━━━━━━━━━━━━━\x1b[0m \x1b[1m12:29\x1b[0m 500ms/step - accuracy: 0.5000 - loss: 1.2500";
    assert_eq!(epoch(true)[0], keras);
}

#[test]
fn a_mid_epoch_redraw_backs_over_the_last_line_and_shows_the_eta_like_keras_3() {
    let keras = backspaces(81)
        + "\r\x1b[1m 750/1500\x1b[0m \x1b[32m━━━━━━━━━━\x1b[0m\x1b[37m━━━━━━━━━━\x1b[0m \x1b[1m0s\x1b[0m 1000us/step - accuracy: 0.8117 - loss: 0.5367  ";
    assert_eq!(epoch(true)[1], keras);
}

#[test]
fn the_final_line_on_a_terminal_is_keras_3s_in_colour_with_the_elapsed_time() {
    let keras = backspaces(79)
        + "\r\x1b[1m1500/1500\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m2s\x1b[0m 1ms/step - accuracy: 0.8125 - loss: 0.5361   \n";
    assert_eq!(epoch(true)[2], keras);
}

#[test]
fn piped_output_is_only_keras_3s_final_line_without_escape_codes() {
    let out = epoch(false);
    assert_eq!(out[0], "");
    assert_eq!(out[1], "");
    // Keras's final line with its escape codes, backspaces, \r and padding taken out
    assert_eq!(
        out[2],
        "1500/1500 ━━━━━━━━━━━━━━━━━━━━ 2s 1ms/step - accuracy: 0.8125 - loss: 0.5361\n"
    );
}

#[test]
fn an_eta_over_an_hour_and_a_tiny_loss_print_as_keras_3_prints_them() {
    let mut bar = ProgressBar::new(1500, 1, true);
    let mut first = Vec::new();
    let mut tenth = Vec::new();
    bar.update_at(&mut first, 1, &logs(&[("loss", 0.00012345)]), 2.0);
    bar.update_at(&mut tenth, 10, &logs(&[("loss", 0.5)]), 152.0);
    assert_eq!(
        String::from_utf8(first).unwrap(),
        "\r\x1b[1m   1/1500\x1b[0m \x1b[37m━━━━━━━━━━━━━━━━━━━━\x1b[0m \x1b[1m49:58\x1b[0m 2s/step - loss: 1.2345e-04"
    );
    let keras = backspaces(63)
        + "\r\x1b[1m  10/1500\x1b[0m \x1b[37m━━━━━━━━━━━━━━━━━━━━\x1b[0m \x1b[1m6:53:53\x1b[0m 17s/step - loss: 0.5000 ";
    assert_eq!(String::from_utf8(tenth).unwrap(), keras);
}

fn small_model() -> Sequential {
    let mut model = Sequential::new(42);
    model.add(Dense::new(3).activation(Activation::Relu).input_shape(&[4]));
    model.add(Dense::new(2).activation(Activation::Softmax));
    model
        .compile(
            Compile::new("sparse_categorical_crossentropy")
                .optimizer_name("adam")
                .metrics(&["accuracy"]),
        )
        .unwrap();
    model
}

#[test]
fn the_summary_adds_keras_3s_optimizer_params_line_once_the_model_has_trained() {
    let mut model = small_model();
    let before = "Model: \"sequential\"\n┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n│ dense (Dense)                   │ (None, 3)              │            15 │\n├─────────────────────────────────┼────────────────────────┼───────────────┤\n│ dense_1 (Dense)                 │ (None, 2)              │             8 │\n└─────────────────────────────────┴────────────────────────┴───────────────┘\n Total params: 23 (92.00 B)\n Trainable params: 23 (92.00 B)\n Non-trainable params: 0 (0.00 B)\n";
    assert_eq!(model.summary().unwrap(), before);
    let x = Array2::from_shape_fn((8, 4), |(i, j)| ((i * 4 + j) as f32 * 0.37).sin());
    let y: Vec<usize> = (0..8).map(|i| i % 2).collect();
    model.fit(&x, &y, Fit::new(1).verbose(0)).unwrap();
    // Adam: m and v for each of the 23 weights, its step counter and its learning rate
    let after = "Model: \"sequential\"\n┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n│ dense (Dense)                   │ (None, 3)              │            15 │\n├─────────────────────────────────┼────────────────────────┼───────────────┤\n│ dense_1 (Dense)                 │ (None, 2)              │             8 │\n└─────────────────────────────────┴────────────────────────┴───────────────┘\n Total params: 71 (284.00 B)\n Trainable params: 23 (92.00 B)\n Non-trainable params: 0 (0.00 B)\n Optimizer params: 48 (192.00 B)\n";
    assert_eq!(model.summary().unwrap(), after);
}

#[test]
fn a_debug_build_warns_once_that_it_trains_slowly_and_a_release_build_does_not() {
    let warning = debug_build_warning(true).expect("a debug build warns");
    assert!(warning.contains("--release"), "{warning}");
    assert_eq!(debug_build_warning(false), None);
}

#[test]
fn loss_curves_are_drawn_in_block_characters_over_their_common_range() {
    use annlab::callbacks::loss_sparklines;
    let curves = vec![
        ("loss".to_string(), vec![0.8, 0.6, 0.4, 0.3, 0.1]),
        ("val_loss".to_string(), vec![0.9, 0.5, 0.45, f64::NAN]),
    ];
    // (v − 0.1) / 0.8 · 7, rounded: 0.8 → 6, 0.6 → 4, 0.4 → 3, 0.3 → 2, 0.1 → 0
    assert_eq!(
        loss_sparklines(&curves),
        [
            "loss      ▇▅▄▃▁  0.8000 → 0.1000",
            "val_loss  █▅▄   0.9000 → NaN",
        ]
    );
    assert!(loss_sparklines(&[("loss".into(), vec![0.5])]).is_empty());
}

/// A writer the test reads back after `fit` has used it.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn fit_with_bar(tty: bool) -> String {
    use annlab::callbacks::ProgbarLogger;
    let captured = Captured::default();
    let mut bar = ProgbarLogger::to_writer(1, Box::new(captured.clone()), tty);
    let mut model = small_model();
    let x = Array2::from_shape_fn((8, 4), |(i, j)| ((i * 4 + j) as f32 * 0.37).sin());
    let y: Vec<usize> = (0..8).map(|i| i % 2).collect();
    let fit = Fit::new(3).verbose(0).callback(&mut bar);
    model.fit(&x, &y, fit).unwrap();
    let bytes = captured.0.lock().unwrap().clone();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn a_fit_on_a_terminal_ends_with_its_loss_curve_and_a_piped_fit_does_not() {
    let terminal = fit_with_bar(true);
    let last = terminal.lines().last().unwrap();
    assert!(
        last.starts_with("loss  ") && last.contains(" → "),
        "{terminal:?}"
    );
    let piped = fit_with_bar(false);
    assert!(!piped.contains('▁') && !piped.contains(" → "), "{piped:?}");
    assert_eq!(piped.lines().filter(|l| l.starts_with("1/1 ")).count(), 3);
}
