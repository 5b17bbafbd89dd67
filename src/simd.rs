//! Element-wise loops on the CPU's widest vectors, chosen when the program runs.
//!
//! Builds target baseline x86-64 (SSE2, 4 lanes). Where the CPU has AVX2, `run` executes
//! its closure compiled for AVX2 (8 lanes): an optimizer step over 79,510 weights takes
//! about half the time. The figures are the same to the last bit on either path: Rust
//! never fuses a·b + c into one FMA on its own, √ and ÷ are correctly rounded at any
//! width, and loops are not reordered, so each element sees the same operations.

/// Runs `f`, compiled for AVX2 when the CPU has it. Use it around hot element-wise
/// loops; `f` must be a closure (generic, so it is inlined and compiled for AVX2).
#[inline(always)]
pub fn run<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked on the line above.
            return unsafe { with_avx2(f) };
        }
    }
    f()
}

/// Whether the CPU has AVX2 and FMA (checked once, then cached by std): the dense
/// layers' matrix products then run on annlab's own kernel, which allocates nothing;
/// otherwise on matrixmultiply, whose sums run in another order.
pub fn has_avx2_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// [`run`] for an element-wise loop over slices cut at one index: on a long loop the
/// first half runs here and the second on the other core (`parallel::elementwise`).
/// Each element sees the same operations either way, so results do not change.
#[inline(always)]
pub(crate) fn run_split<P: crate::parallel::Parts>(parts: P, f: impl Fn(P) + Sync) {
    crate::parallel::elementwise(parts, |part| run(|| f(part)))
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn with_avx2<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// The index of the first NaN or ±∞ in `values`, if any. One pass in blocks that the
/// compiler vectorises (a block's flag is the OR of `!finite` over it, without branches);
/// only a flagged block is searched element by element.
pub fn first_non_finite(values: &[f32]) -> Option<usize> {
    const BLOCK: usize = 1024;
    run(|| {
        values.chunks(BLOCK).enumerate().find_map(|(b, block)| {
            // |v| < ∞ is false exactly for NaN and ±∞
            let flagged = block.iter().fold(false, |any, v| any | !v.is_finite());
            if flagged {
                block
                    .iter()
                    .position(|v| !v.is_finite())
                    .map(|i| b * BLOCK + i)
            } else {
                None
            }
        })
    })
}

/// While alive, the calling thread flushes subnormal f32 results to zero and reads
/// subnormal inputs as zero (x86-64's FTZ and DAZ bits of MXCSR); dropping it restores
/// the previous mode. XLA, which runs Keras 3's CPU kernels under the jax and TensorFlow
/// backends, computes in this mode too. Without it, values that decay towards zero —
/// Adam's moments of weights with tiny gradients, weights under an L2 penalty — fall
/// into the subnormal range, where every operation on them takes about a hundred times
/// longer: the HG 7-2 relu model trained twice as slowly, with L2(1e-3) three times.
/// `fit`, `evaluate`, `predict` and `loss_and_gradients` hold one; it affects the
/// calling thread only, and the second core's worker runs each half it takes in the
/// mode of the thread that handed it over (`parallel`).
pub struct FlushDenormals {
    #[cfg(target_arch = "x86_64")]
    saved: u32,
}

/// MXCSR's flush-to-zero (bit 15) and denormals-are-zero (bit 6) bits.
#[cfg(target_arch = "x86_64")]
const FTZ_DAZ: u32 = (1 << 15) | (1 << 6);

impl FlushDenormals {
    /// Turns the mode on for the calling thread until the guard is dropped.
    pub fn new() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            let saved = read_mxcsr();
            write_mxcsr(saved | FTZ_DAZ);
            FlushDenormals { saved }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            FlushDenormals {}
        }
    }
}

impl Default for FlushDenormals {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for FlushDenormals {
    fn drop(&mut self) {
        #[cfg(target_arch = "x86_64")]
        write_mxcsr(self.saved);
    }
}

#[cfg(target_arch = "x86_64")]
pub(crate) fn read_mxcsr() -> u32 {
    let mut value: u32 = 0;
    // SAFETY: stmxcsr stores the 32-bit MXCSR register into the given location, which
    // is a valid, aligned u32 on this stack frame; every x86-64 CPU has SSE.
    unsafe {
        std::arch::asm!("stmxcsr [{}]", in(reg) &mut value, options(nostack));
    }
    value
}

#[cfg(target_arch = "x86_64")]
pub(crate) fn write_mxcsr(value: u32) {
    // SAFETY: ldmxcsr loads MXCSR from a valid u32; the values written are the saved
    // register or it with FTZ and DAZ set, which are valid modes on every x86-64 CPU.
    unsafe {
        std::arch::asm!("ldmxcsr [{}]", in(reg) &value, options(nostack, readonly));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnormal_results_flush_to_zero_only_while_the_guard_lives() {
        let tiny = std::hint::black_box(f32::MIN_POSITIVE);
        let half = std::hint::black_box(0.5f32);
        assert!((tiny * half) > 0.0, "subnormal without the guard");
        {
            let _guard = FlushDenormals::new();
            let flushed = std::hint::black_box(tiny) * std::hint::black_box(half);
            #[cfg(target_arch = "x86_64")]
            assert_eq!(flushed, 0.0);
            let _ = flushed;
        }
        assert!((std::hint::black_box(tiny) * half) > 0.0, "mode restored");
    }

    /// An RMSprop-shaped update: multiply, add, √, ÷ per element (inlined into `run`).
    #[inline(always)]
    fn update(w: &mut [f32], s: &mut [f32], g: &[f32]) {
        for ((w, s), &g) in w.iter_mut().zip(s.iter_mut()).zip(g) {
            *s = 0.9 * *s + 0.1 * g * g;
            *w -= 0.001 * g / (*s + 1e-7).sqrt();
        }
    }

    #[test]
    fn the_first_non_finite_value_is_found_in_any_block() {
        let mut v = vec![1.0f32; 5000];
        assert_eq!(first_non_finite(&v), None);
        assert_eq!(first_non_finite(&[]), None);
        v[4097] = f32::NEG_INFINITY;
        v[4500] = f32::NAN;
        assert_eq!(first_non_finite(&v), Some(4097));
        v[3] = f32::NAN;
        assert_eq!(first_non_finite(&v), Some(3));
        // the largest finite values are finite
        assert_eq!(first_non_finite(&[f32::MAX, f32::MIN, -0.0]), None);
    }

    #[test]
    fn the_vector_path_gives_the_scalar_figures_bit_for_bit() {
        let g: Vec<f32> = (0..10_007)
            .map(|i| ((i * 7919) % 2003) as f32 / 1000.0 - 1.0)
            .collect();
        let (mut w1, mut s1) = (vec![0.5f32; g.len()], vec![0.0f32; g.len()]);
        let (mut w2, mut s2) = (w1.clone(), s1.clone());
        for _ in 0..3 {
            update(&mut w1, &mut s1, &g);
            run(|| update(&mut w2, &mut s2, &g));
        }
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&w1), bits(&w2));
        assert_eq!(bits(&s1), bits(&s2));
    }
}
