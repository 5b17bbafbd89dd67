//! The augmentation layers (issue 15) against Keras 3: `RandomFlip`, `RandomTranslation`,
//! `RandomRotation`, `RandomZoom` and `RandomBrightness` on fixed images with degenerate
//! factor ranges (lower = upper, where Keras's random transform is deterministic), the
//! identity outside training, seeding, a model that trains with them, its summary, the
//! config round trip and the errors. The Keras figures come from `keras/augmentation.py`
//! (Keras 3.15.1, jax backend).
//! Run alone with `cargo test --release --test augmentation`.

use annlab::layers::{LayerConfig, RandomFlipConfig};
use annlab::prelude::*;
use ndarray::{Array2, Array3};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The 5×7 image of `keras/augmentation.py`: pixel (r, c) = (7r + c) / 10.
fn small() -> Vec<f32> {
    (0..35).map(|v| v as f32 / 10.0).collect()
}

/// The 4×5×2 image: pixel (r, c, k) = (10r + 2c + k) / 10.
fn two_channels() -> Vec<f32> {
    (0..40).map(|v| v as f32 / 10.0).collect()
}

/// The 28×28 Fashion-MNIST-like pattern: a bright blob on a dark ground, with a stripe.
fn pattern() -> Vec<f32> {
    let mut out = Vec::with_capacity(784);
    for r in 0..28 {
        for c in 0..28 {
            let (dr, dc) = (r as f64 - 12.0, c as f64 - 15.0);
            let stripe = if (r + 2 * c) % 5 == 0 { 0.1 } else { 0.0 };
            out.push(((-(dr * dr + dc * dc) / 60.0).exp() * 0.9 + stripe) as f32);
        }
    }
    out
}

/// One training (or inference) pass of a freshly built layer over `batch` copies of
/// `image`, its generator seeded with `seed`: the output rows.
fn run(
    layer: &mut dyn Layer,
    shape: &[usize],
    image: &[f32],
    batch: usize,
    training: bool,
    seed: u64,
) -> Array2<f32> {
    layer
        .build(shape, &mut ChaCha8Rng::seed_from_u64(0))
        .expect("valid settings");
    layer.set_generator(ChaCha8Rng::seed_from_u64(seed));
    let x = Array2::from_shape_fn((batch, image.len()), |(_, j)| image[j]);
    let mut y = Array2::zeros(x.dim());
    layer.forward(x.view(), y.view_mut(), training);
    y
}

/// One training pass on one image.
fn augment(mut layer: impl Layer, shape: &[usize], image: &[f32]) -> Vec<f32> {
    run(&mut layer, shape, image, 1, true, 0).row(0).to_vec()
}

/// Asserts |annlab − Keras| ≤ 1e-5 everywhere (Keras's figures are printed to 6 decimals).
fn assert_close(what: &str, annlab: &[f32], keras: &[f32]) {
    assert_eq!(annlab.len(), keras.len(), "{what}");
    for (i, (a, k)) in annlab.iter().zip(keras).enumerate() {
        assert!(
            (a - k).abs() <= 1e-5,
            "{what}: value {i} is {a}, Keras gives {k}\nannlab {annlab:?}"
        );
    }
}

/// Asserts the 28×28 figures: the sum, Σ v·(i mod 97) and six pixels (corners, blob
/// centre, one inside).
fn assert_pattern(
    what: &str,
    annlab: &[f32],
    (sum, weighted, pixels): (f64, f64, [f32; 6]),
) {
    let s: f64 = annlab.iter().map(|&v| f64::from(v)).sum();
    let w: f64 = (annlab.iter().enumerate())
        .map(|(i, &v)| f64::from(v) * (i % 97) as f64)
        .sum();
    assert!((s - sum).abs() <= 1e-4, "{what}: sum {s}, Keras {sum}");
    assert!(
        (w - weighted).abs() <= 5e-3,
        "{what}: weighted sum {w}, Keras {weighted}"
    );
    let at: Vec<f32> = [0, 27, 756, 783, 351, 141]
        .iter()
        .map(|&i| annlab[i])
        .collect();
    assert_close(what, &at, &pixels);
}

/// Keras 3: flip horizontal
#[rustfmt::skip]
const FLIP_HORIZONTAL: [f32; 35] = [
    0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0,
    1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7,
    2.0, 1.9, 1.8, 1.7, 1.6, 1.5, 1.4,
    2.7, 2.6, 2.5, 2.4, 2.3, 2.2, 2.1,
    3.4, 3.3, 3.2, 3.1, 3.0, 2.9, 2.8,
];
/// Keras 3: flip vertical
#[rustfmt::skip]
const FLIP_VERTICAL: [f32; 35] = [
    2.8, 2.9, 3.0, 3.1, 3.2, 3.3, 3.4,
    2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7,
    1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0,
    0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3,
    0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6,
];
/// Keras 3: flip horizontal_and_vertical
#[rustfmt::skip]
const FLIP_BOTH: [f32; 35] = [
    3.4, 3.3, 3.2, 3.1, 3.0, 2.9, 2.8,
    2.7, 2.6, 2.5, 2.4, 2.3, 2.2, 2.1,
    2.0, 1.9, 1.8, 1.7, 1.6, 1.5, 1.4,
    1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7,
    0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0,
];
/// Keras 3: translation (0.1,0.1) (-0.2,-0.2)
#[rustfmt::skip]
const TRANSLATION_DOWN_LEFT: [f32; 35] = [
    0.14, 0.24, 0.34, 0.44, 0.54, 0.6, 0.56,
    0.49, 0.59, 0.69, 0.79, 0.89, 0.95, 0.91,
    1.19, 1.29, 1.39, 1.49, 1.59, 1.65, 1.61,
    1.89, 1.99, 2.09, 2.19, 2.29, 2.35, 2.31,
    2.59, 2.69, 2.79, 2.89, 2.99, 3.05, 3.01,
];
/// Keras 3: translation (-0.8,-0.8) (0.9,0.9)
#[rustfmt::skip]
const TRANSLATION_UP_RIGHT_FAR: [f32; 35] = [
    3.33, 3.23, 3.13, 3.03, 2.93, 2.83, 2.8,
    3.33, 3.23, 3.13, 3.03, 2.93, 2.83, 2.8,
    2.63, 2.53, 2.43, 2.33, 2.23, 2.13, 2.1,
    1.93, 1.83, 1.73, 1.63, 1.53, 1.43, 1.4,
    1.23, 1.13, 1.03, 0.93, 0.83, 0.73, 0.7,
];
/// Keras 3: translation (0.6,0.6) (-1,-1)
#[rustfmt::skip]
const TRANSLATION_FULL_WIDTH: [f32; 35] = [
    2.0, 1.9, 1.8, 1.7, 1.6, 1.5, 1.4,
    1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7,
    0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0,
    0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0,
    1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7,
];
/// Keras 3: rotation (0.05,0.05)
#[rustfmt::skip]
const ROTATION_18: [f32; 35] = [
    0.076486, 0.171592, 0.266698, 0.430324, 0.741742, 1.053159, 1.317456,
    0.130909, 0.442327, 0.753745, 1.065162, 1.37658, 1.687997, 1.983196,
    0.765747, 1.077165, 1.388582, 1.7, 2.011418, 2.322835, 2.634253,
    1.416804, 1.712003, 2.023421, 2.334838, 2.646255, 2.957673, 3.269091,
    2.082543, 2.346841, 2.658258, 2.969676, 3.133302, 3.228408, 3.323514,
];
/// Keras 3: rotation (-0.25,-0.25)
#[rustfmt::skip]
const ROTATION_MINUS_90: [f32; 35] = [
    2.9, 2.9, 2.2, 1.5, 0.8, 0.1, 0.1,
    3.0, 3.0, 2.3, 1.6, 0.9, 0.2, 0.2,
    3.1, 3.1, 2.4, 1.7, 1.0, 0.3, 0.3,
    3.2, 3.2, 2.5, 1.8, 1.1, 0.4, 0.4,
    3.3, 3.3, 2.6, 1.9, 1.2, 0.5, 0.5,
];
/// Keras 3: zoom (0.2,0.2)
#[rustfmt::skip]
const ZOOM_OUT: [f32; 35] = [
    0.0, 0.06, 0.18, 0.3, 0.42, 0.54, 0.6,
    0.56, 0.62, 0.74, 0.86, 0.98, 1.1, 1.16,
    1.4, 1.46, 1.58, 1.7, 1.82, 1.94, 2.0,
    2.24, 2.3, 2.42, 2.54, 2.66, 2.78, 2.84,
    2.8, 2.86, 2.98, 3.1, 3.22, 3.34, 3.4,
];
/// Keras 3: zoom (-0.3,-0.3) (0.5,0.5)
#[rustfmt::skip]
const ZOOM_IN_HEIGHT_OUT_WIDTH: [f32; 35] = [
    0.47, 0.42, 0.57, 0.72, 0.87, 1.02, 0.97,
    0.96, 0.91, 1.06, 1.21, 1.36, 1.51, 1.46,
    1.45, 1.4, 1.55, 1.7, 1.85, 2.0, 1.95,
    1.94, 1.89, 2.04, 2.19, 2.34, 2.49, 2.44,
    2.43, 2.38, 2.53, 2.68, 2.83, 2.98, 2.93,
];
/// Keras 3: brightness (0.1,0.1) (0,3)
#[rustfmt::skip]
const BRIGHTER: [f32; 35] = [
    0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9,
    1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6,
    1.7, 1.8, 1.9, 2.0, 2.1, 2.2, 2.3,
    2.4, 2.5, 2.6, 2.7, 2.8, 2.9, 3.0,
    3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0,
];
/// Keras 3: brightness (-0.25,-0.25) (0,2)
#[rustfmt::skip]
const DARKER: [f32; 35] = [
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1,
    0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8,
    0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5,
    1.6, 1.7, 1.8, 1.9, 2.0, 2.0, 2.0,
    2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0,
];
/// Keras 3: two rotation (0.05,0.05)
#[rustfmt::skip]
const TWO_CHANNELS_ROTATION_18: [f32; 40] = [
    0.112282, 0.212283, 0.302494, 0.402494, 0.56612, 0.66612, 1.065349, 1.165349, 1.491449, 1.591449,
    0.456917, 0.556917, 0.956145, 1.056145, 1.455373, 1.555374, 1.954602, 2.054602, 2.442506, 2.542506,
    1.357494, 1.457494, 1.845398, 1.945398, 2.344627, 2.444627, 2.843855, 2.943855, 3.343083, 3.443083,
    2.308551, 2.408551, 2.734651, 2.834651, 3.23388, 3.33388, 3.497506, 3.597506, 3.687717, 3.787718,
];
/// Keras 3: two translation (0.1,0.1) (-0.2,-0.2)
#[rustfmt::skip]
const TWO_CHANNELS_TRANSLATION: [f32; 40] = [
    0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.8, 0.9,
    0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.4, 1.5,
    1.8, 1.9, 2.0, 2.1, 2.2, 2.3, 2.4, 2.5, 2.4, 2.5,
    2.8, 2.9, 3.0, 3.1, 3.2, 3.3, 3.4, 3.5, 3.4, 3.5,
];
/// Keras 3, 28×28 pattern, input: (sum, Σ v·(i mod 97), pixels 0, 27, 756, 783, 351, 141)
const BIG_INPUT: (f64, f64, [f32; 6]) = (
    180.814629,
    8636.8399,
    [0.10192, 0.007407, 0.000498, 0.00192, 0.9, 0.015166],
);
/// Keras 3, 28×28 pattern, flip horizontal: (sum, Σ v·(i mod 97), pixels 0, 27, 756, 783, 351, 141)
const BIG_FLIP: (f64, f64, [f32; 6]) = (
    180.814629,
    8638.574,
    [0.007407, 0.10192, 0.00192, 0.000498, 0.774637, 0.052935],
);
/// Keras 3, 28×28 pattern, translation (0.1,0.1) (-0.1,-0.1): (sum, Σ v·(i mod 97), pixels 0, 27, 756, 783, 351, 141)
const BIG_TRANSLATION: (f64, f64, [f32; 6]) = (
    187.365173,
    8903.8645,
    [0.017521, 0.028426, 0.070432, 0.029521, 0.754115, 0.086763],
);
/// Keras 3, 28×28 pattern, rotation (0.05,0.05): (sum, Σ v·(i mod 97), pixels 0, 27, 756, 783, 351, 141)
const BIG_ROTATION: (f64, f64, [f32; 6]) = (
    182.846099,
    8718.97,
    [0.04452, 0.126813, 0.012215, 0.037514, 0.907208, 0.063741],
);
/// Keras 3, 28×28 pattern, zoom (0.2,0.2): (sum, Σ v·(i mod 97), pixels 0, 27, 756, 783, 351, 141)
const BIG_ZOOM_OUT: (f64, f64, [f32; 6]) = (
    138.840409,
    6580.261,
    [0.029258, 0.02667, 0.023557, 0.057258, 0.891097, 0.042899],
);
/// Keras 3, 28×28 pattern, zoom (-0.2,-0.2): (sum, Σ v·(i mod 97), pixels 0, 27, 756, 783, 351, 141)
const BIG_ZOOM_IN: (f64, f64, [f32; 6]) = (
    255.501567,
    12191.7497,
    [0.017455, 0.072036, 0.05497, 0.026455, 0.912097, 0.09806],
);

#[test]
fn random_flip_matches_keras_for_each_mode_on_the_images_it_flips() {
    // Keras draws u ~ U[0, 1) per image and flips when u ≤ ½; the figures are Keras's
    // flip forced. Of 16 copies, some are flipped (exactly Keras's) and the rest copied.
    for (mode, keras) in [
        ("horizontal", FLIP_HORIZONTAL),
        ("vertical", FLIP_VERTICAL),
        ("horizontal_and_vertical", FLIP_BOTH),
    ] {
        let y = run(&mut RandomFlip::new(mode), &[5, 7], &small(), 16, true, 3);
        let flipped = y.rows().into_iter().filter(|r| r.to_vec() == keras).count();
        let kept = y
            .rows()
            .into_iter()
            .filter(|r| r.to_vec() == small())
            .count();
        assert_eq!(flipped + kept, 16, "{mode}: {y}");
        assert!(flipped > 0 && kept > 0, "{mode}: {flipped} flipped");
    }
    let y = run(
        &mut RandomFlip::new("horizontal"),
        &[28, 28],
        &pattern(),
        16,
        true,
        3,
    );
    let flipped = y
        .rows()
        .into_iter()
        .find(|r| r[0] != pattern()[0])
        .expect("one flipped");
    assert_pattern(
        "28×28 horizontal flip",
        flipped.as_slice().unwrap(),
        BIG_FLIP,
    );
}

#[test]
fn random_translation_matches_keras_on_deterministic_shifts() {
    // (0.1, −0.2) of 5×7: half a pixel down and 1.4 pixels left, bilinear
    let out = augment(
        RandomTranslation::new((0.1, 0.1), (-0.2, -0.2)),
        &[5, 7],
        &small(),
    );
    assert_close("translation (0.1, -0.2)", &out, &TRANSLATION_DOWN_LEFT);
    // (−0.8, 0.9): 4 pixels up, 6.3 right
    let out = augment(
        RandomTranslation::new((-0.8, -0.8), (0.9, 0.9)),
        &[5, 7],
        &small(),
    );
    assert_close("translation (-0.8, 0.9)", &out, &TRANSLATION_UP_RIGHT_FAR);
    // two channels shift together
    let layer = RandomTranslation::new((0.1, 0.1), (-0.2, -0.2));
    let out = augment(layer, &[4, 5, 2], &two_channels());
    assert_close("translation, 2 channels", &out, &TWO_CHANNELS_TRANSLATION);
    let layer = RandomTranslation::new((0.1, 0.1), (-0.1, -0.1));
    assert_pattern(
        "28×28 translation",
        &augment(layer, &[28, 28], &pattern()),
        BIG_TRANSLATION,
    );
}

#[test]
fn fill_mode_reflect_mirrors_about_the_borders_as_keras_does() {
    // 3 pixels down and a full width (7) left: every output column reads the mirror
    // image (column x ↦ 6 − x), and the top three rows the rows 2, 1, 0 mirrored
    let out = augment(
        RandomTranslation::new((0.6, 0.6), (-1.0, -1.0)),
        &[5, 7],
        &small(),
    );
    assert_close("translation (0.6, -1)", &out, &TRANSLATION_FULL_WIDTH);
    // the first row reads row −3 → 2, the last row row 1
    assert_eq!(&out[..7], &[2.0, 1.9, 1.8, 1.7, 1.6, 1.5, 1.4]);
    // a −90° turn of a 5×7 image reads columns beyond its height: reflected
    let out = augment(RandomRotation::new((-0.25, -0.25)), &[5, 7], &small());
    assert_close("rotation -90°", &out, &ROTATION_MINUS_90);
}

#[test]
fn random_rotation_matches_keras_on_a_fixed_angle() {
    // 0.05 of a turn = 18°, about the centre (3, 2)
    let out = augment(RandomRotation::new((0.05, 0.05)), &[5, 7], &small());
    assert_close("rotation 18°", &out, &ROTATION_18);
    let out = augment(
        RandomRotation::new((0.05, 0.05)),
        &[4, 5, 2],
        &two_channels(),
    );
    assert_close("rotation 18°, 2 channels", &out, &TWO_CHANNELS_ROTATION_18);
    let out = augment(RandomRotation::new((0.05, 0.05)), &[28, 28], &pattern());
    assert_pattern("28×28 rotation", &out, BIG_ROTATION);
}

#[test]
fn random_zoom_matches_keras_and_a_positive_factor_zooms_out() {
    let out = augment(RandomZoom::new((0.2, 0.2)), &[5, 7], &small());
    assert_close("zoom 0.2", &out, &ZOOM_OUT);
    let layer = RandomZoom::new((-0.3, -0.3)).width_factor((0.5, 0.5));
    let out = augment(layer, &[5, 7], &small());
    assert_close("zoom (-0.3, 0.5)", &out, &ZOOM_IN_HEIGHT_OUT_WIDTH);
    let out = augment(RandomZoom::new((0.2, 0.2)), &[28, 28], &pattern());
    assert_pattern("28×28 zoom out", &out, BIG_ZOOM_OUT);
    // zooming out shrinks the blob: less of the image is bright
    assert!(out.iter().sum::<f32>() < pattern().iter().sum::<f32>());
    let out = augment(RandomZoom::new((-0.2, -0.2)), &[28, 28], &pattern());
    assert_pattern("28×28 zoom in", &out, BIG_ZOOM_IN);
}

#[test]
fn random_brightness_matches_keras_and_clips_to_the_value_range() {
    // +0.1 of the range (0, 3) = +0.3, clipped at 3
    let layer = RandomBrightness::new((0.1, 0.1)).value_range(0.0, 3.0);
    assert_close("brighter", &augment(layer, &[5, 7], &small()), &BRIGHTER);
    // −0.25 of (0, 2) = −0.5, clipped at 0 (and the values above 2 at 2)
    let layer = RandomBrightness::new((-0.25, -0.25)).value_range(0.0, 2.0);
    assert_close("darker", &augment(layer, &[5, 7], &small()), &DARKER);
}

#[test]
fn the_28_by_28_pattern_is_the_one_keras_augmented() {
    assert_pattern("28×28 input", &pattern(), BIG_INPUT);
}

/// One of each layer, with real (not degenerate) ranges.
fn every_layer() -> Vec<Box<dyn Layer>> {
    vec![
        Box::new(RandomFlip::default()),
        Box::new(RandomTranslation::new(0.2, 0.1)),
        Box::new(RandomRotation::new(0.1)),
        Box::new(RandomZoom::new(0.2).width_factor((-0.1, 0.3))),
        Box::new(RandomBrightness::new(0.2).value_range(0.0, 1.0)),
    ]
}

#[test]
fn every_layer_is_the_identity_outside_training() {
    let x = pattern();
    for mut layer in every_layer() {
        let y = run(layer.as_mut(), &[28, 28], &x, 3, false, 1);
        assert!(
            y.rows().into_iter().all(|r| r.to_vec() == x),
            "{}",
            layer.kind()
        );
    }
}

#[test]
fn the_same_seed_augments_a_batch_identically_and_another_seed_differently() {
    let x = pattern();
    let (layers, again, other) = (every_layer(), every_layer(), every_layer());
    for ((mut a, mut b), mut c) in layers.into_iter().zip(again).zip(other) {
        let kind = a.kind();
        let first = run(a.as_mut(), &[28, 28], &x, 8, true, 5);
        assert_eq!(first, run(b.as_mut(), &[28, 28], &x, 8, true, 5), "{kind}");
        assert_ne!(first, run(c.as_mut(), &[28, 28], &x, 8, true, 6), "{kind}");
        // per-sample draws: the 8 copies are not all augmented alike
        assert!(
            first.rows().into_iter().any(|r| r != first.row(0)),
            "{kind}"
        );
        // the generator's position brings the same draws back (saved training state)
        let position = a.generator_position().expect("a generator");
        let xs = Array2::from_shape_fn((8, 784), |(_, j)| x[j]);
        let mut y1 = Array2::zeros((8, 784));
        a.forward(xs.view(), y1.view_mut(), true);
        a.set_generator_position(position);
        let mut y2 = Array2::zeros((8, 784));
        a.forward(xs.view(), y2.view_mut(), true);
        assert_eq!(y1, y2, "{kind}");
    }
}

/// `RandomFlip + RandomTranslation(0.1, 0.1) → Flatten → Dense(100, relu) →
/// Dense(10, softmax)` on (28, 28).
fn augmented_model(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(RandomFlip::new("horizontal").input_shape(&[28, 28]));
    model.add(RandomTranslation::new(0.1, 0.1));
    model.add(Flatten::new());
    model.add(Dense::new(100).activation(Activation::Relu));
    model.add(Dense::new(10).activation(Activation::Softmax));
    model
}

/// 64 small 28×28 images: the pattern, shifted and scaled per sample, in 10 classes.
fn images() -> (Array3<f32>, Vec<usize>) {
    let p = pattern();
    let x = Array3::from_shape_fn((64, 28, 28), |(i, r, c)| {
        p[r * 28 + (c + i) % 28] * (1.0 + (i % 10) as f32 / 10.0)
    });
    (x, (0..64).map(|i| i % 10).collect())
}

#[test]
fn a_model_with_flip_and_translation_trains_and_summarises_as_keras_prints_it() {
    let keras = r#"Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ random_flip (RandomFlip)        │ (None, 28, 28)         │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ random_translation              │ (None, 28, 28)         │             0 │
│ (RandomTranslation)             │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ flatten (Flatten)               │ (None, 784)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 100)            │        78,500 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │         1,010 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 79,510 (310.59 KB)
 Trainable params: 79,510 (310.59 KB)
 Non-trainable params: 0 (0.00 B)
"#;
    let mut model = augmented_model(42);
    assert_eq!(model.summary().unwrap(), keras);

    let (x, y) = images();
    let fit = |model: &mut Sequential| {
        model
            .compile(
                Compile::new("sparse_categorical_crossentropy").optimizer_name("adam"),
            )
            .unwrap();
        let history = model
            .fit(&x, &y, Fit::new(2).batch_size(16).verbose(0))
            .unwrap();
        (history.get("loss").unwrap().to_vec(), model.get_weights())
    };
    let (loss, weights) = fit(&mut model);
    assert!(
        loss.iter().all(|l| l.is_finite()) && loss[1] < loss[0],
        "{loss:?}"
    );
    // the same seed trains to the same weights bit for bit
    assert_eq!(fit(&mut augmented_model(42)), (loss, weights));
}

#[test]
fn predict_and_evaluate_see_the_images_unaugmented() {
    let (x, y) = images();
    let mut augmented = augmented_model(7);
    let mut plain = Sequential::new(7);
    plain.add(Flatten::new().input_shape(&[28, 28]));
    plain.add(Dense::new(100).activation(Activation::Relu));
    plain.add(Dense::new(10).activation(Activation::Softmax));
    for model in [&mut augmented, &mut plain] {
        model
            .compile(Compile::new("sparse_categorical_crossentropy"))
            .unwrap();
    }
    plain.set_weights(&augmented.get_weights()).unwrap();
    assert_eq!(augmented.predict(&x).unwrap(), plain.predict(&x).unwrap());
    let (a, p) = (
        augmented.evaluate(&x, &y, 0).unwrap(),
        plain.evaluate(&x, &y, 0).unwrap(),
    );
    assert_eq!(a.loss, p.loss);
}

#[test]
fn every_augmentation_config_round_trips_through_json_and_rebuilds_the_layer() {
    let layers: Vec<Box<dyn Layer>> = vec![
        Box::new(RandomFlip::new("horizontal").input_shape(&[28, 28])),
        Box::new(
            RandomTranslation::new(0.1, (-0.2, 0.3))
                .fill_mode("constant")
                .fill_value(0.5),
        ),
        Box::new(RandomRotation::new(0.05).interpolation("nearest")),
        Box::new(RandomZoom::new((0.1, 0.2))),
        Box::new(
            RandomZoom::new(0.1)
                .width_factor(0.3)
                .input_shape(&[28, 28, 1]),
        ),
        Box::new(RandomBrightness::new(0.2).value_range(0.0, 1.0)),
    ];
    for layer in &layers {
        let config = layer.config();
        let json = config.to_json();
        let back = LayerConfig::from_json(&json).unwrap();
        assert_eq!(back, config, "{json}");
        let rebuilt = back.to_layer().unwrap();
        assert_eq!((rebuilt.kind(), rebuilt.config()), (layer.kind(), config));
    }
    // Keras's names and a factor as Keras writes it: one number or a pair
    assert_eq!(
        layers[1].config().to_json(),
        r#"{"class_name":"RandomTranslation","config":{"height_factor":0.1,"#.to_string()
            + r#""width_factor":[-0.2,0.3],"fill_mode":"constant","interpolation":"bilinear","#
            + r#""fill_value":0.5}}"#
    );
    let LayerConfig::RandomFlip(RandomFlipConfig { mode, input_shape }) =
        layers[0].config()
    else {
        panic!("a RandomFlip config")
    };
    assert_eq!(
        (mode.as_str(), input_shape),
        ("horizontal", Some(vec![28, 28]))
    );
    // a model with augmentation layers rebuilds from its config with the same names
    let model = augmented_model(3);
    let rebuilt = Sequential::from_config(&model.config()).unwrap();
    assert_eq!(rebuilt.layer_names(), model.layer_names());
}

/// The build error of `layer` on `shape`, as text.
fn build_error(mut layer: impl Layer, shape: &[usize]) -> String {
    layer
        .build(shape, &mut ChaCha8Rng::seed_from_u64(0))
        .expect_err("a bad setting")
        .to_string()
}

#[test]
fn bad_settings_are_clear_errors_when_the_layer_is_built() {
    let image = [28, 28];
    let cases: Vec<(String, &[&str])> = vec![
        (
            build_error(RandomFlip::new("diagonal"), &image),
            &["RandomFlip mode", "diagonal", "horizontal_and_vertical"],
        ),
        (
            build_error(RandomTranslation::new(1.5, 0.1), &image),
            &["RandomTranslation height_factor", "[-1, 1]", "1.5"],
        ),
        (
            build_error(RandomTranslation::new(0.1, (0.0, f32::NAN)), &image),
            &["width_factor", "NaN"],
        ),
        (
            build_error(RandomTranslation::new(0.1, 0.1).fill_mode("mirror"), &image),
            &["fill_mode", "mirror", "reflect"],
        ),
        (
            build_error(RandomRotation::new(0.1).interpolation("bicubic"), &image),
            &["interpolation", "bicubic", "bilinear"],
        ),
        (
            build_error(RandomRotation::new((-2.0, 0.5)), &image),
            &["RandomRotation factor", "-2"],
        ),
        (
            build_error(RandomZoom::new((-1.0, 0.0)), &image),
            &["RandomZoom height_factor", "(-1, 1]", "-1"],
        ),
        (
            build_error(RandomZoom::new(0.1).width_factor(f32::INFINITY), &image),
            &["width_factor", "inf"],
        ),
        (
            build_error(RandomBrightness::new(0.1).value_range(1.0, 1.0), &image),
            &["value_range", "lower < upper", "(1, 1)"],
        ),
        (
            build_error(RandomBrightness::new(1.2), &image),
            &["RandomBrightness factor", "1.2"],
        ),
        (
            build_error(RandomFlip::new("horizontal"), &[784]),
            &["RandomFlip", "(height, width)", "(784,)"],
        ),
        (
            build_error(RandomZoom::new(0.1), &[28, 0]),
            &["RandomZoom", "none of them 0"],
        ),
    ];
    for (err, words) in cases {
        assert!(
            words.iter().all(|w| err.contains(w)),
            "{err} lacks one of {words:?}"
        );
    }
    // in a model, the error names the layer
    let mut model = Sequential::new(0);
    model.add(RandomFlip::new("sideways").input_shape(&[28, 28]));
    let err = model.build().unwrap_err().to_string();
    assert!(
        err.contains("random_flip") && err.contains("sideways"),
        "{err}"
    );
}

#[test]
fn backward_adds_the_exact_input_gradient_and_without_one_does_nothing() {
    // each layer is linear (brightness: affine) in x for a fixed draw, and degenerate
    // ranges draw the same every pass: finite differences of Σ y ⊙ r agree with
    // backward's dL/dx
    let layers: Vec<Box<dyn Layer>> = vec![
        Box::new(RandomTranslation::new((0.1, 0.1), (-0.3, -0.3))),
        Box::new(RandomRotation::new((0.05, 0.05))),
        Box::new(RandomZoom::new((-0.2, -0.2)).width_factor((0.3, 0.3))),
        Box::new(RandomTranslation::new((0.3, 0.3), (0.2, 0.2)).fill_mode("constant")),
        Box::new(RandomBrightness::new((0.1, 0.1)).value_range(-1.5, 1.5)),
    ];
    for mut layer in layers {
        let kind = layer.kind();
        layer
            .build(&[4, 5, 2], &mut ChaCha8Rng::seed_from_u64(0))
            .unwrap();
        annlab::gradcheck::check_layer_training(layer.as_mut(), 3, 40, 9)
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        // at a model's input no dL/dx is asked for: nothing to do, no panic
        let x = Array2::from_elem((2, 40), 0.5f32);
        let mut y = Array2::zeros((2, 40));
        layer.forward(x.view(), y.view_mut(), true);
        layer.backward(x.view(), y.view(), y.view(), None);
    }
    // the flip draws anew every pass: check its backward as the transpose of the last
    // pass's map instead, ⟨F x, r⟩ = ⟨x, Fᵀ r⟩, over a batch where some images flip
    let mut flip = RandomFlip::new("horizontal_and_vertical");
    let x = run(&mut flip, &[4, 5, 2], &two_channels(), 8, true, 1);
    let input = Array2::from_shape_fn((8, 40), |(_, j)| two_channels()[j]);
    assert!(
        x.rows().into_iter().any(|r| r != input.row(0)),
        "some flipped"
    );
    let r = Array2::from_shape_fn((8, 40), |(i, j)| ((i * 40 + j) % 13) as f32 - 6.0);
    let mut grad_x = Array2::zeros((8, 40));
    flip.backward(input.view(), x.view(), r.view(), Some(grad_x.view_mut()));
    // the same 320 products (exact in f64), summed in another order
    let dot = |a: &Array2<f32>, b: &Array2<f32>| -> f64 {
        a.iter()
            .zip(b)
            .map(|(&a, &b)| f64::from(a) * f64::from(b))
            .sum()
    };
    assert!((dot(&x, &r) - dot(&input, &grad_x)).abs() < 1e-9);
    // the rows not flipped pass dL/dy through unchanged
    for i in (0..8).filter(|&i| x.row(i) == input.row(i)) {
        assert_eq!(grad_x.row(i), r.row(i));
    }
}
