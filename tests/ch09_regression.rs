//! Grades chapter 9 (HOML's regression MLP on California housing) against the
//! "California housing regression (HOML 10)" section of `book/src/reference.md`, through
//! the very functions of `chapters/ch09_regression.rs` that the chapter binary prints,
//! and checks the data, HOML's split and the scaler against scikit-learn.
//! Run alone with `cargo test --release --test ch09_regression`.
//!
//! The check values below were computed with numpy 2.4.6 and scikit-learn 1.9.1 on the
//! same `cal_housing.data` (SHA-256 a2b44dcc…), by this script:
//!
//! ```python
//! raw = np.loadtxt("cal_housing.data", delimiter=",")
//! c = raw[:, [8, 7, 2, 3, 4, 5, 6, 1, 0]]          # as fetch_california_housing
//! target, data = c[:, 0], c[:, 1:].copy()
//! data[:, 2] /= data[:, 5]; data[:, 3] /= data[:, 5]; data[:, 5] = data[:, 4] / data[:, 5]
//! target = target / 100000.0
//! idx = np.arange(len(data))
//! Xf, Xt, yf, yt, i_full, i_test = train_test_split(data, target, idx, random_state=42)
//! Xtr, Xv, ytr, yv, i_train, i_valid = train_test_split(Xf, yf, i_full, random_state=42)
//! p_train, p_valid = train_test_split(np.arange(15480), random_state=42)
//! s = StandardScaler(); Xtr_s = s.fit_transform(Xtr); Xt_s = s.transform(Xt)
//! print(i_test[:5], i_test[-3:], i_full[:5], p_train[:5], p_valid[:5], i_train[:5],
//!       i_train[-3:], i_valid[:5], i_valid[-3:], Xtr[0], ytr[0], s.mean_, s.scale_,
//!       Xt_s[0].astype(np.float32), yt[:3])
//! ```
//!
//! Training: 2 × 20 epochs of 11,610 rows (well under a second).

#[path = "../chapters/ch09_regression.rs"]
#[allow(dead_code)]
mod chapter;

use std::io::{Read, Write};
use std::path::PathBuf;

use annlab::datasets::california::{
    self, fetch_california_housing, homl_sets, load_from, CaliforniaError,
    CaliforniaHousing,
};
use annlab::datasets::model_selection::shuffle_split;
use chapter::{figures, train, write_learning_curves, SEED};

fn housing() -> CaliforniaHousing {
    fetch_california_housing()
        .expect("data/cal_housing.data.gz ships with the repository")
}

/// A fresh directory under the system's temp dir, named for this test.
fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("annlab-ch09-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn the_data_has_scikit_learns_features_and_the_documented_check_values() {
    let housing = housing();
    assert_eq!(housing.data.dim(), (20_640, 8));
    assert_eq!(housing.target.len(), 20_640);
    // The README's check values, rounded to 4 decimals: feature means, target mean.
    let means = [
        3.8707, 28.6395, 5.4290, 1.0967, 1425.4767, 3.0707, 35.6319, -119.5697,
    ];
    let n = housing.len() as f64;
    for (j, expected) in means.iter().enumerate() {
        let mean = housing.data.column(j).sum() / n;
        let name = california::FEATURE_NAMES[j];
        assert!((mean - expected).abs() < 5e-5, "{name}: {mean}");
    }
    assert!((housing.target.sum() / n - 2.0686).abs() < 5e-5);
    // Row 0 of the file: -122.23,37.88,41,880,129,322,126,8.3252,452600.
    let row: Vec<f64> = housing.data.row(0).to_vec();
    let expected = [
        8.3252,
        41.0,
        880.0 / 126.0,
        129.0 / 126.0,
        322.0,
        322.0 / 126.0,
        37.88,
        -122.23,
    ];
    assert_eq!(row, expected);
    assert_eq!(housing.target[0], 4.526);
}

#[test]
fn homl_split_takes_numpys_rows_in_numpys_order() {
    let housing = housing();
    // Every index below is numpy's (the script at the top of this file).
    // First split: test = permutation[:5160] of RandomState(42).permutation(20640).
    let (train_full, test) = shuffle_split(20_640, 0.25, 42).expect("valid split");
    assert_eq!((train_full.len(), test.len()), (15_480, 5_160));
    assert_eq!(test[..5], [20046, 3024, 15663, 20484, 9814]);
    assert_eq!(test[5_157..], [4885, 13043, 8583]);
    assert_eq!(train_full[..5], [8158, 18368, 19197, 3746, 13073]);

    // Second split, on the 15,480 rows of X_train_full: positions within it.
    let (train_pos, valid_pos) = shuffle_split(15_480, 0.25, 42).expect("valid split");
    assert_eq!(train_pos[..5], [8180, 5079, 12782, 9515, 3938]);
    assert_eq!(valid_pos[..5], [3045, 10819, 15233, 5446, 4935]);

    // … which are these rows of the file (numpy: i_train[:5], i_valid[:5]).
    let rows = |pos: &[usize]| pos.iter().map(|&p| train_full[p]).collect::<Vec<_>>();
    assert_eq!(rows(&train_pos[..5]), [16860, 12184, 19319, 10523, 12294]);
    assert_eq!(rows(&valid_pos[..5]), [10919, 16047, 14172, 7641, 227]);
    assert_eq!(rows(&train_pos[11_607..]), [13592, 2089, 1672]);
    assert_eq!(rows(&valid_pos[3_867..]), [20468, 15309, 11061]);

    // homl_split returns exactly those rows, in that order.
    let split = housing.homl_split().expect("HOML's split");
    assert_eq!(split.x_train.dim(), (11_610, 8));
    assert_eq!(split.x_valid.dim(), (3_870, 8));
    assert_eq!(split.x_test.dim(), (5_160, 8));
    assert_eq!(
        (split.y_train.len(), split.y_valid.len(), split.y_test.len()),
        (11_610, 3_870, 5_160)
    );
    for (x, y, i, row) in [
        (&split.x_test, &split.y_test, 0, 20046),
        (&split.x_test, &split.y_test, 5_159, 8583),
        (&split.x_train, &split.y_train, 0, 16860),
        (&split.x_train, &split.y_train, 11_609, 1672),
        (&split.x_valid, &split.y_valid, 0, 10919),
        (&split.x_valid, &split.y_valid, 3_869, 11061),
    ] {
        assert_eq!(x.row(i), housing.data.row(row), "row {row}");
        assert_eq!(y[i], housing.target[row], "target {row}");
    }
    // numpy: Xtr[0] = [3.5214, 15.0, 3.0499445061043287, 1.106548279689234, 1447.0,
    // 1.6059933407325193, 37.63, -122.43], ytr[0] = 1.442.
    let first: Vec<f64> = split.x_train.row(0).to_vec();
    let numpy = [
        3.5214,
        15.0,
        3.0499445061043287,
        1.106548279689234,
        1447.0,
        1.6059933407325193,
        37.63,
        -122.43,
    ];
    assert_eq!(first, numpy);
    assert_eq!(split.y_train[0], 1.442);
}

#[test]
fn the_scaler_is_fitted_on_train_as_scikit_learns() {
    let sets = homl_sets(&housing()).expect("HOML's sets");
    // scikit-learn: StandardScaler().fit(X_train).mean_ and .scale_.
    let mean = [
        3.8917586046511623,
        28.62454780361757,
        5.455936550250322,
        1.0996347362413015,
        1424.2812230835486,
        2.958866568371074,
        35.6464315245476,
        -119.58436261843197,
    ];
    let scale = [
        1.9092732856163934,
        12.640917674155835,
        2.55038070171135,
        0.46546012827376726,
        1095.759998619322,
        2.3613804759344252,
        2.134566715047167,
        2.000933036739936,
    ];
    let fitted = (sets.scaler.mean(), sets.scaler.scale());
    let (Some(m), Some(s)) = fitted else {
        panic!("the scaler is fitted")
    };
    // numpy sums pairwise and annlab in order: the figures agree to rounding.
    for j in 0..8 {
        assert!(
            (m[j] - mean[j]).abs() <= 1e-12 * mean[j].abs(),
            "mean {j}: {}",
            m[j]
        );
        assert!(
            (s[j] - scale[j]).abs() <= 1e-12 * scale[j],
            "scale {j}: {}",
            s[j]
        );
    }
    // np.float32(scaler.transform(X_test)[0]) — equal to the last bit.
    let first_test: [f32; 8] = [
        -1.157_801,
        -0.286_731_4,
        -0.495_508_76,
        -0.166_180_97,
        -0.029_460_121,
        0.388_997_35,
        0.193_748_2,
        0.287_047_4,
    ];
    assert_eq!(sets.test.x.row(0).to_vec(), first_test);
    // y_test[:3] = [0.477, 0.458, 5.00001]; the targets are a column [n, 1].
    assert_eq!(sets.test.y.dim(), (5_160, 1));
    assert_eq!(sets.test.y.column(0).to_vec()[..3], [0.477, 0.458, 5.00001]);
    // The training set comes out standardised: column means ≈ 0, population std ≈ 1.
    for column in sets.train.x.columns() {
        let n = column.len() as f64;
        let mean = column.iter().map(|&v| v as f64).sum::<f64>() / n;
        let var = column
            .iter()
            .map(|&v| (v as f64 - mean).powi(2))
            .sum::<f64>()
            / n;
        assert!(
            mean.abs() < 1e-6 && (var - 1.0).abs() < 1e-5,
            "{mean} {var}"
        );
    }
}

#[test]
fn the_regression_mlp_is_in_the_reference_band_and_reproducible() {
    let sets = homl_sets(&housing()).expect("HOML's sets");
    let (run, prediction) = train(&sets, 20, SEED, 0).expect("trains");
    println!(
        "test MSE {:.4}; predict {:?}",
        run.evaluation.loss, prediction
    );
    // Dense(30) on 8 inputs: 8·30 + 30 = 270; Dense(1): 30 + 1 = 31.
    assert!(run.summary.contains("Total params: 301"), "{}", run.summary);
    assert_eq!(run.history.epochs(), 20);
    assert_eq!(run.history.keys(), ["loss", "val_loss"]);
    // The reference band: test MSE 0.38–0.47 (HOML 0.4212, Keras 3 here 0.4261).
    let misses = annlab::report::misses(&figures(&run));
    assert!(misses.is_empty(), "{misses:#?}");
    // SGD at 1e-3 keeps improving: the last epoch's losses are below the first's.
    let loss = run.history.get("loss").expect("loss");
    let val = run.history.get("val_loss").expect("val_loss");
    assert!(loss[19] < loss[0] && val[19] < val[0], "{loss:?} {val:?}");
    // predict(X_test[:3]) beside y_test[:3].
    assert_eq!(prediction.y_true, [0.477, 0.458, 5.00001]);
    assert_eq!(prediction.y_pred.len(), 3);
    assert!(prediction.y_pred.iter().all(|p| p.is_finite()));

    // Same seed, same figures, to the last bit.
    let (again, same) = train(&sets, 20, SEED, 0).expect("trains");
    assert_eq!(run.history, again.history);
    assert_eq!(run.evaluation, again.evaluation);
    assert_eq!(prediction, same);

    let dir = temp_dir("figure");
    write_learning_curves(&run.history, &dir).expect("figure is written");
    let svg =
        std::fs::read_to_string(dir.join("ch09_learning_curves.svg")).expect("exists");
    assert!(svg.starts_with("<svg") && svg.contains("val_loss"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_corrupt_truncated_or_missing_file_is_an_error_naming_it_and_the_fix() {
    let dir = temp_dir("corrupt");
    let shipped = std::fs::read(california::DEFAULT_PATH).expect("shipped file");

    // Truncated gzip: not valid gzip.
    let truncated = dir.join("cal_housing.data.gz");
    std::fs::write(&truncated, &shipped[..shipped.len() / 2]).expect("write");
    let err = load_from(&truncated).unwrap_err();
    assert!(matches!(err, CaliforniaError::Gzip { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains(&truncated.display().to_string()),
        "{message}"
    );
    assert!(message.contains("git checkout data/cal_housing.data.gz"));

    // Valid gzip of one changed digit: the checksum catches it.
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(shipped.as_slice())
        .read_to_end(&mut text)
        .expect("the shipped file decompresses");
    text[1] = b'3'; // longitude "-122.23" → "-322.23"
    let changed = dir.join("changed.data.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&text).expect("compress");
    std::fs::write(&changed, gz.finish().expect("compress")).expect("write");
    let err = load_from(&changed).unwrap_err();
    assert!(matches!(err, CaliforniaError::Checksum { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("changed.data.gz") && message.contains(california::SHA256));

    // Missing: an I/O error naming the file.
    let missing = dir.join("nothing.data.gz");
    let message = load_from(&missing).unwrap_err().to_string();
    assert!(message.contains("nothing.data.gz") && message.contains("git checkout"));

    // The uncompressed original (as in scikit-learn's archive) loads to the same data.
    text[1] = b'1';
    let plain = dir.join(california::PLAIN_FILE_NAME);
    std::fs::write(&plain, &text).expect("write");
    assert_eq!(load_from(&plain).expect("plain file loads"), housing());
    std::fs::remove_dir_all(&dir).ok();
}
