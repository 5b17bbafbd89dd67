//! The random numbers scikit-learn's `Perceptron(random_state=…)` shuffles with,
//! reproduced so that `Perceptron::new().random_state(42)` visits the iris samples in
//! exactly the order scikit-learn does and learns the same weights.
//!
//! scikit-learn turns `random_state=42` into `numpy.random.RandomState(42)` (Mersenne
//! Twister, MT19937), draws one integer for its dataset wrapper and one more, `seed`,
//! for `_plain_sgd`. Every epoch it then applies a Fisher–Yates shuffle driven by the
//! xorshift generator `our_rand_r`, started afresh from the same `seed`, to the index
//! order left by the previous epoch (scikit-learn 1.x, `sklearn/utils/_seq_dataset`).

use crate::datasets::split::Mt19937;

/// `RandomState.randint(low, high)`: numpy's legacy masked rejection sampling over
/// `low..high` (an empty range gives `low`, where numpy would raise).
pub fn randint(rng: &mut Mt19937, low: u32, high: u32) -> u32 {
    let span = high.saturating_sub(1).saturating_sub(low); // high − 1 − low, ≥ 0
    low + rng.interval(u64::from(span)) as u32
}

/// The `seed` scikit-learn's `fit_binary` hands to `_plain_sgd` for `random_state`.
pub fn sklearn_sgd_seed(random_state: u32) -> u32 {
    const MAX_INT: u32 = i32::MAX as u32;
    let mut rng = Mt19937::new(random_state);
    let _dataset_seed = randint(&mut rng, 1, MAX_INT); // make_dataset: randint(1, int32 max)
    randint(&mut rng, 0, MAX_INT) // fit_binary: randint(MAX_INT)
}

/// scikit-learn's `our_rand_r`: a 32-bit xorshift step, result below 2³¹.
fn our_rand_r(seed: &mut u32) -> u32 {
    if *seed == 0 {
        *seed = 1;
    }
    *seed ^= *seed << 13;
    *seed ^= *seed >> 17;
    *seed ^= *seed << 5;
    *seed % (1 << 31)
}

// ANCHOR: shuffle
/// One epoch's shuffle of `order` in place, as `SequentialDataset.shuffle(seed)`:
/// Fisher–Yates with j = i + r mod (n − i), the generator restarted from `seed`.
pub fn sklearn_shuffle(order: &mut [usize], seed: u32) {
    let n = order.len();
    let mut state = seed;
    for i in 0..n.saturating_sub(1) {
        let j = i + our_rand_r(&mut state) as usize % (n - i);
        order.swap(i, j);
    }
}
// ANCHOR_END: shuffle

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mersenne_twister_matches_the_reference_output() {
        // First outputs of init_genrand(5489), the reference implementation's default.
        let mut rng = Mt19937::new(5489);
        assert_eq!(rng.next_u32(), 3_499_211_612);
        assert_eq!(rng.next_u32(), 581_869_302);
    }

    #[test]
    fn randint_matches_numpy_random_state_42() {
        // numpy: r = RandomState(42); r.randint(1, 2**31 - 1), r.randint(2**31 - 1)
        let mut rng = Mt19937::new(42);
        assert_eq!(randint(&mut rng, 1, i32::MAX as u32), 1_608_637_543);
        assert_eq!(randint(&mut rng, 0, i32::MAX as u32), 1_273_642_419);
        assert_eq!(sklearn_sgd_seed(42), 1_273_642_419);
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut order: Vec<usize> = (0..150).collect();
        sklearn_shuffle(&mut order, 1_273_642_419);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..150).collect::<Vec<_>>());
        assert_ne!(order, sorted);
    }
}
