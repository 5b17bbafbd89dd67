//! Grades chapter 8, part 2 (HOML 10's callback of one's own, LambdaCallback,
//! CSVLogger, ReduceLROnPlateau) through the very functions of
//! `chapters/ch08_custom_callbacks.rs`. Run alone with
//! `cargo test --release --test ch08_custom_callbacks`.

#[path = "../chapters/ch08_custom_callbacks.rs"]
#[allow(dead_code)]
mod chapter;

use annlab::prelude::{fashion_mnist, hg_split, Split};
use chapter::{custom_callbacks, reduce_lr};

fn split() -> Split {
    let data = fashion_mnist::load()
        .expect("Fashion-MNIST (apt-get install dataset-fashion-mnist)");
    hg_split(&data)
}

#[test]
fn the_learners_callback_the_lambda_and_the_csv_log_see_the_same_epochs() {
    let split = split();
    let csv_path =
        std::env::temp_dir().join(format!("annlab-ch08-{}.csv", std::process::id()));
    let (ratio_cb, accuracies) = custom_callbacks(&split, &csv_path).expect("trains");
    let csv = std::fs::read_to_string(&csv_path).expect("CSVLogger wrote its file");
    std::fs::remove_file(&csv_path).ok();

    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "epoch,accuracy,loss,val_accuracy,val_loss");
    assert_eq!(lines.len(), 4, "{csv}");
    for (epoch, line) in lines[1..].iter().enumerate() {
        let cols: Vec<f64> = line.split(',').map(|c| c.parse().unwrap()).collect();
        assert_eq!(cols[0], epoch as f64);
        // the CSV holds the shortest text of each f64, so it reads back exactly
        assert_eq!(cols[1], accuracies[epoch]);
        assert_eq!(cols[4] / cols[2], ratio_cb.ratios[epoch]);
    }
}

#[test]
fn reduce_lr_on_plateau_halves_the_rate_only_after_a_plateau() {
    let split = split();
    let (losses, rates) = reduce_lr(&split).expect("trains");
    assert_eq!(losses.len(), 8);
    assert_eq!(rates.len(), 8);
    assert_eq!(rates[0], 0.1f32 as f64);
    // the rate never rises, every change is a halving (factor 0.5), and the loss's
    // plateau does make it fall (the rule itself is unit-tested in src/callbacks/)
    for e in 1..8 {
        assert!(
            rates[e] == rates[e - 1] || rates[e] == rates[e - 1] / 2.0,
            "{rates:?}"
        );
    }
    assert!(rates[7] < rates[0], "{rates:?}");
    assert!(losses.iter().all(|l| l.is_finite()), "{losses:?}");
}
