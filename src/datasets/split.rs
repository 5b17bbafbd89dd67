//! The two books' train/validation/test splits of Fashion-MNIST, bit for bit.
//!
//! 혼자 공부하는 머신러닝+딥러닝 splits with scikit-learn's
//! `train_test_split(x, y, test_size=0.2, random_state=42)`, which shuffles with
//! `np.random.RandomState(42).permutation(60000)`; [`numpy_permutation`] reproduces that
//! permutation exactly with the same Mersenne Twister. Hands-On ML takes the first
//! 5,000 training images for validation.

use super::fashion_mnist::{FashionMnist, CLASS_NAMES};
use super::DataError;
use ndarray::{Array1, Array3, Axis};

/// MT19937, the Mersenne Twister behind numpy's legacy `RandomState`.
#[derive(Clone)]
pub struct Mt19937 {
    state: [u32; 624],
    index: usize,
}

impl Mt19937 {
    /// Seeds as `RandomState(seed)` does for an integer seed (`init_genrand`).
    pub fn new(seed: u32) -> Self {
        let mut state = [0u32; 624];
        state[0] = seed;
        for i in 1..624 {
            let prev = state[i - 1];
            // mt[i] = 1812433253 · (mt[i−1] ⊕ (mt[i−1] ≫ 30)) + i  (mod 2³²)
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Mt19937 { state, index: 624 }
    }

    /// The next 32-bit output (`genrand_int32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        // Tempering.
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// The next 64-bit output as numpy builds it: first draw high, second low.
    pub fn next_u64(&mut self) -> u64 {
        let hi = self.next_u32() as u64;
        (hi << 32) | self.next_u32() as u64
    }

    /// Regenerates the 624 words of state.
    fn twist(&mut self) {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        for i in 0..624 {
            let y = (self.state[i] & UPPER) | (self.state[(i + 1) % 624] & LOWER);
            let mag = if y & 1 == 1 { 0x9908_b0df } else { 0 };
            self.state[i] = self.state[(i + 397) % 624] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// A uniform integer in `0..=max` by numpy's masked rejection (`random_interval`).
    pub fn interval(&mut self, max: u64) -> u64 {
        if max == 0 {
            return 0;
        }
        // mask = the smallest 2ᵏ − 1 ≥ max
        let mask = u64::MAX >> max.leading_zeros();
        loop {
            let value = if max <= u32::MAX as u64 {
                self.next_u32() as u64 & mask
            } else {
                self.next_u64() & mask
            };
            if value <= max {
                return value;
            }
        }
    }
}

/// `np.random.RandomState(seed).permutation(n)`: a Fisher–Yates shuffle from the end.
pub fn numpy_permutation(n: usize, seed: u32) -> Vec<usize> {
    let mut rng = Mt19937::new(seed);
    let mut perm: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.interval(i as u64) as usize;
        perm.swap(i, j);
    }
    perm
}

/// Images scaled to 0–1 with their labels.
///
/// Its fields are private: [`Subset::new`] checks one label per image, labels 0–9 and
/// pixels in 0–1; the splits build it from a checked [`FashionMnist`].
#[derive(Debug, Clone)]
pub struct Subset {
    /// `[n, rows, cols]` pixels divided by 255.
    x: Array3<f32>,
    /// `[n]` labels 0–9.
    y: Array1<usize>,
}

impl Subset {
    /// A subset from `[n, rows, cols]` pixels in 0–1 and `[n]` labels 0–9; fails with
    /// [`DataError::Invalid`] naming the first value that breaks a rule.
    pub fn new(x: Array3<f32>, y: Array1<usize>) -> Result<Self, DataError> {
        let invalid = |why: String| DataError::Invalid {
            what: "Subset",
            why,
        };
        let n = x.len_of(Axis(0));
        if y.len() != n {
            return Err(invalid(format!(
                "{n} images but {} labels: there must be one label per image",
                y.len()
            )));
        }
        let classes = CLASS_NAMES.len();
        if let Some((i, label)) = y.iter().enumerate().find(|(_, &l)| l >= classes) {
            return Err(invalid(format!(
                "label {label} at index {i} is out of range 0..={}",
                classes - 1
            )));
        }
        if let Some((at, p)) = x.indexed_iter().find(|(_, p)| !(0.0..=1.0).contains(*p)) {
            return Err(invalid(format!(
                "pixel {at:?} is {p}, expected a value in 0–1 (pixels / 255)"
            )));
        }
        Ok(Subset { x, y })
    }

    /// `[n, rows, cols]` pixels in 0–1.
    pub fn x(&self) -> &Array3<f32> {
        &self.x
    }

    /// `[n]` labels 0–9.
    pub fn y(&self) -> &Array1<usize> {
        &self.y
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// True if there are no images.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }
}

/// A training, a validation and a test set (each a checked [`Subset`]).
#[derive(Debug, Clone)]
pub struct Split {
    pub train: Subset,
    pub val: Subset,
    pub test: Subset,
}

/// Pixels 0–255 → 0–1 as `f32` (Keras: `x / 255.0`).
pub fn scale(images: &Array3<u8>) -> Array3<f32> {
    images.mapv(|p| p as f32 / 255.0)
}

/// The HG split: `train_test_split(test_size=0.2, random_state=42)` of the 60,000
/// training images. Validation = the first ⌈0.2·n⌉ = 12,000 indices of the
/// permutation, train = the other 48,000 in permutation order; test = the test set.
pub fn hg_split(data: &FashionMnist) -> Split {
    let (images, labels) = (data.train_images(), data.train_labels());
    let n = images.len_of(Axis(0));
    let perm = numpy_permutation(n, 42);
    let n_val = (n as f64 * 0.2).ceil() as usize; // scikit-learn: ceil(test_size · n)
    let (val, train) = perm.split_at(n_val.min(n));
    Split {
        train: gather(images, labels, train),
        val: gather(images, labels, val),
        test: whole(data.test_images(), data.test_labels()),
    }
}

/// The HOML split: validation = the first 5,000 training images, train = the other
/// 55,000, test = the 10,000 test images.
pub fn homl_split(data: &FashionMnist) -> Split {
    let (images, labels) = (data.train_images(), data.train_labels());
    let n = images.len_of(Axis(0));
    let n_val = n.min(5_000);
    let val: Vec<usize> = (0..n_val).collect();
    let train: Vec<usize> = (n_val..n).collect();
    Split {
        train: gather(images, labels, &train),
        val: gather(images, labels, &val),
        test: whole(data.test_images(), data.test_labels()),
    }
}

/// A whole set, scaled. The set is a checked [`FashionMnist`]'s, so the subset keeps
/// its rules without checking them again.
fn whole(images: &Array3<u8>, labels: &Array1<u8>) -> Subset {
    Subset {
        x: scale(images),
        y: labels.mapv(|l| l as usize),
    }
}

/// Rows `indices` of a checked set, in that order, scaled. Indices must be in range
/// (they come from a permutation of the set's own length).
fn gather(images: &Array3<u8>, labels: &Array1<u8>, indices: &[usize]) -> Subset {
    let (_, rows, cols) = images.dim();
    let pixels = rows * cols;
    let mut x = Vec::with_capacity(indices.len() * pixels);
    // The standard layout makes each image one contiguous slice: copy row by row.
    let standard = images.as_standard_layout();
    let flat = standard.as_slice().unwrap_or(&[]);
    for &i in indices {
        let image = &flat[i * pixels..(i + 1) * pixels];
        x.extend(image.iter().map(|&p| p as f32 / 255.0));
    }
    let y = indices.iter().map(|&i| labels[i] as usize).collect();
    let x = Array3::from_shape_vec((indices.len(), rows, cols), x)
        .unwrap_or_else(|_| Array3::zeros((0, rows, cols)));
    Subset { x, y }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mt19937_seeded_with_42_starts_like_numpy() {
        // np.random.RandomState(42).randint(0, 2**32, 5, dtype=np.uint64)
        let mut rng = Mt19937::new(42);
        let first: Vec<u32> = (0..5).map(|_| rng.next_u32()).collect();
        assert_eq!(
            first,
            [1608637542, 3421126067, 4083286876, 787846414, 3143890026]
        );
    }

    #[test]
    fn mt19937_seeded_with_5489_gives_the_reference_10000th_output() {
        // The C++ standard requires std::mt19937 (default seed 5489) to give 4123659995
        // as its 10,000th output.
        let mut rng = Mt19937::new(5489);
        let last = (0..10_000).map(|_| rng.next_u32()).last();
        assert_eq!(last, Some(4_123_659_995));
    }

    #[test]
    fn small_permutations_match_numpy() {
        // np.random.RandomState(seed).permutation(10)
        assert_eq!(numpy_permutation(10, 0), [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
        assert_eq!(numpy_permutation(10, 42), [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
        assert_eq!(numpy_permutation(1, 7), [0]);
        assert!(numpy_permutation(0, 7).is_empty());
    }

    #[test]
    fn the_permutation_of_60000_matches_numpy_at_both_ends_and_the_cut() {
        let p = numpy_permutation(60_000, 42);
        assert_eq!(p[..5], [12628, 37730, 39991, 8525, 8279]); // first validation
        assert_eq!(p[12_000..12_005], [48572, 38696, 13611, 35213, 31766]); // first train
        assert_eq!(p[59_997..], [860, 15795, 56422]);
        let mut sorted = p.clone();
        sorted.sort_unstable();
        assert!(sorted.iter().enumerate().all(|(i, &v)| i == v));
    }

    #[test]
    fn interval_stays_within_bounds_beyond_32_bits() {
        let mut rng = Mt19937::new(1);
        let max = (1u64 << 40) + 3;
        assert!((0..1000).all(|_| rng.interval(max) <= max));
        assert!((0..1000).all(|_| rng.interval(5) <= 5));
    }

    #[test]
    fn gather_takes_rows_in_the_given_order_and_scales_them() {
        let images =
            Array3::from_shape_fn((3, 2, 2), |(i, r, c)| (100 * i + 2 * r + c) as u8);
        let labels = Array1::from(vec![7u8, 8, 9]);
        let s = gather(&images, &labels, &[2, 0]);
        assert_eq!(s.y.to_vec(), vec![9, 7]);
        assert_eq!(s.x[[0, 1, 1]], 203.0 / 255.0); // image 2, pixel (1, 1) = 200 + 3
        assert_eq!(s.x[[1, 0, 0]], 0.0);
    }
}
