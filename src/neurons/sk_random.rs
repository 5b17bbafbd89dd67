//! The random numbers scikit-learn's `Perceptron(random_state=…)` shuffles with,
//! reproduced so that `Perceptron::new().random_state(42)` visits the iris samples in
//! exactly the order scikit-learn does and learns the same weights.
//!
//! scikit-learn turns `random_state=42` into `numpy.random.RandomState(42)` (Mersenne
//! Twister, MT19937), draws one integer for its dataset wrapper and one more, `seed`,
//! for `_plain_sgd`. Every epoch it then applies a Fisher–Yates shuffle driven by the
//! xorshift generator `our_rand_r`, started afresh from the same `seed`, to the index
//! order left by the previous epoch (scikit-learn 1.x, `sklearn/utils/_seq_dataset`).

/// MT19937, the 32-bit Mersenne Twister behind `numpy.random.RandomState`.
pub struct Mt19937 {
    state: [u32; 624],
    index: usize,
}

impl Mt19937 {
    /// `RandomState(seed)`: Matsumoto and Nishimura's `init_genrand`.
    pub fn new(seed: u32) -> Self {
        let mut state = [0u32; 624];
        state[0] = seed;
        for i in 1..624 {
            let prev = state[i - 1] ^ (state[i - 1] >> 30);
            state[i] = 1_812_433_253u32.wrapping_mul(prev).wrapping_add(i as u32);
        }
        Mt19937 { state, index: 624 }
    }

    /// The next 32 random bits.
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        // tempering
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn twist(&mut self) {
        for i in 0..624 {
            let y = (self.state[i] & 0x8000_0000) | (self.state[(i + 1) % 624] & 0x7fff_ffff);
            let mag = if y & 1 == 1 { 0x9908_b0df } else { 0 };
            self.state[i] = self.state[(i + 397) % 624] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// `RandomState.randint(low, high)` for `high − low ≤ 2³²`: numpy's legacy masked
    /// rejection sampling — draw 32 bits, keep the bits of the smallest all-ones mask
    /// covering `high − 1 − low`, retry while the value is out of range.
    pub fn randint(&mut self, low: u32, high: u32) -> u32 {
        let range = high - 1 - low;
        let mask = if range == 0 {
            0
        } else {
            u32::MAX >> range.leading_zeros()
        };
        loop {
            let v = self.next_u32() & mask;
            if v <= range {
                return low + v;
            }
        }
    }
}

/// The `seed` scikit-learn's `fit_binary` hands to `_plain_sgd` for `random_state`.
pub fn sklearn_sgd_seed(random_state: u32) -> u32 {
    const MAX_INT: u32 = i32::MAX as u32;
    let mut rng = Mt19937::new(random_state);
    let _dataset_seed = rng.randint(1, MAX_INT); // make_dataset: randint(1, int32 max)
    rng.randint(0, MAX_INT) // fit_binary: randint(MAX_INT)
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
        assert_eq!(rng.randint(1, i32::MAX as u32), 1_608_637_543);
        assert_eq!(rng.randint(0, i32::MAX as u32), 1_273_642_419);
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
