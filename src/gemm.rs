//! The matrix products of the dense layers, without repacking, on AVX2 + FMA.
//!
//! Every product here has the form C = A·B (+ C), C `[m, n]`, A `[m, k]`, B `[k, n]`:
//!
//! ```text
//! c_ij = Σ_p a_ip · b_pj     p = 0, 1, …, k−1 in this order, one fused multiply-add each,
//!                            starting from 0; then c_ij ← c_ij + that sum when adding
//! ```
//!
//! A is read one element at a time (any strides: x, or xᵀ, or W); B one row of 16
//! columns at a time, so its rows must be contiguous (W, dL/dz, or the transposed copy of
//! dL/dz). A micro-kernel keeps a tile of up to 6 rows × 16 columns of C in 12 vector
//! registers while p runs over all of k. No operand is repacked: the weights are read in
//! the layout the layer keeps them in, which is what the optimizer updates in place.
//!
//! Each element's sum runs in the same order whatever the tiling, so any split of C's
//! rows or columns between threads gives the same bits as one thread: the second core
//! ([`crate::parallel`]) takes a share of the tiles and the figures do not change.
//!
//! Without AVX2 and FMA (or on another architecture), and for operands whose layout the
//! kernel does not read, the products go to `ndarray`'s `general_mat_mul`
//! (matrixmultiply), whose sums run in a different order: the same machine always takes
//! the same path, so a seed still gives the same figures run after run.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView2, ArrayViewMut2};

/// z = x·W: x `[m, k]`, w `[k, n]`, z `[m, n]` (overwritten).
pub(crate) fn x_times_w(
    x: ArrayView2<f32>,
    w: ArrayView2<f32>,
    mut z: ArrayViewMut2<f32>,
) {
    debug_assert_eq!((x.nrows(), w.ncols()), z.dim());
    debug_assert_eq!(x.ncols(), w.nrows());
    if let Some(product) = Product::new(
        (z.nrows(), z.ncols(), x.ncols()),
        (x.as_ptr(), x.strides()[0], x.strides()[1]),
        (w.as_ptr(), w.strides()),
        (z.as_mut_ptr(), z.strides()),
        false,
    ) {
        product.run();
    } else {
        general_mat_mul(1.0, &x, &w, 0.0, &mut z);
    }
}

/// dW = xᵀ·dz, or dW += xᵀ·dz when `add`: x `[m, k]`, dz `[m, n]`, dw `[k, n]`.
pub(crate) fn xt_times_dz(
    x: ArrayView2<f32>,
    dz: ArrayView2<f32>,
    add: bool,
    mut dw: ArrayViewMut2<f32>,
) {
    debug_assert_eq!((x.ncols(), dz.ncols()), dw.dim());
    debug_assert_eq!(x.nrows(), dz.nrows());
    // A = xᵀ: a_ip = x[p, i]
    if let Some(product) = Product::new(
        (dw.nrows(), dw.ncols(), x.nrows()),
        (x.as_ptr(), x.strides()[1], x.strides()[0]),
        (dz.as_ptr(), dz.strides()),
        (dw.as_mut_ptr(), dw.strides()),
        add,
    ) {
        product.run();
    } else {
        general_mat_mul(1.0, &x.t(), &dz, if add { 1.0 } else { 0.0 }, &mut dw);
    }
}

/// gx += dz·Wᵀ: dz `[m, n]`, w `[k, n]`, gx `[m, k]`. Computed as gxᵀ += W·dzᵀ with dzᵀ
/// copied into `dz_t` (`[n, m]`, m·n floats: 12.8 KB at batch 32 and 100 units), so that
/// B's rows are contiguous; W is read in place.
pub(crate) fn dz_times_wt_add(
    dz: ArrayView2<f32>,
    w: ArrayView2<f32>,
    dz_t: &mut Vec<f32>,
    mut gx: ArrayViewMut2<f32>,
) {
    let (m, n) = dz.dim();
    debug_assert_eq!((m, w.nrows()), gx.dim());
    debug_assert_eq!(n, w.ncols());
    if available() {
        dz_t.resize(m * n, 0.0); // reallocates only when the batch grows
        ArrayViewMut2::from_shape((n, m), &mut dz_t[..])
            .expect("n·m values")
            .assign(&dz.t());
    }
    // A = W: a_ip = w[i, p]; B = dzᵀ [n, m]; C = gxᵀ: c_ij = gx[j, i]
    let gx_strides = [gx.strides()[0], gx.strides()[1]];
    if let Some(product) = Product::new(
        (w.nrows(), m, n),
        (w.as_ptr(), w.strides()[0], w.strides()[1]),
        (dz_t.as_ptr(), &[m as isize, 1]),
        (gx.as_mut_ptr(), &[gx_strides[1], gx_strides[0]]),
        true,
    ) {
        product.run();
    } else {
        general_mat_mul(1.0, &dz, &w.t(), 1.0, &mut gx);
    }
}

/// One product C (+)= A·B described by pointers and element strides.
#[derive(Clone, Copy)]
pub(crate) struct Product {
    m: usize,
    n: usize,
    k: usize,
    /// a_ip at a[i·ai + p·ap]
    a: *const f32,
    ai: isize,
    ap: isize,
    /// b_pj at b[p·ldb + j]
    b: *const f32,
    ldb: isize,
    /// c_ij at c[i·ci + j·cj]
    c: *mut f32,
    ci: isize,
    cj: isize,
    /// c ← c + Σ (true) or c ← Σ (false)
    add: bool,
}

// SAFETY: a `Product` is only built from views borrowed for the duration of `run`, which
// returns only after every thread that computes part of it has finished; the threads
// write disjoint tiles of C.
unsafe impl Send for Product {}
unsafe impl Sync for Product {}

/// The micro-tile: 6 rows × 2 vectors of 8 columns (6·2 accumulators + 2 rows of B + 1
/// broadcast = 15 of the 16 vector registers). A 4 × 3 tile (12 + 3 + 1 = 16, no row
/// tail at a batch of 32) was measured at half the speed: the compiler spills.
const MR: usize = 6;
const NR: usize = 16;

/// Runs of tiles a product is cut into for the two threads.
const CHUNKS: usize = 4;
/// Values of p per pass over a strip of B: 128 rows × 16 columns, 8 KB (16 KB of cache
/// lines when B's rows are not aligned), well inside the 32 KB level-1 cache.
const KC: usize = 128;

impl Product {
    /// The product, if the kernel can run it here: the CPU has AVX2 and FMA, B's rows
    /// are contiguous, and no dimension is 0.
    fn new(
        (m, n, k): (usize, usize, usize),
        (a, ai, ap): (*const f32, isize, isize),
        (b, b_strides): (*const f32, &[isize]),
        (c, c_strides): (*mut f32, &[isize]),
        add: bool,
    ) -> Option<Product> {
        if !available() || m == 0 || n == 0 || k == 0 || (n > 1 && b_strides[1] != 1) {
            return None;
        }
        Some(Product {
            m,
            n,
            k,
            a,
            ai,
            ap,
            b,
            ldb: b_strides[0],
            c,
            ci: c_strides[0],
            cj: c_strides[1],
            add,
        })
    }

    /// Number of micro-tiles, row blocks × column blocks.
    fn tiles(&self) -> usize {
        self.m.div_ceil(MR) * self.n.div_ceil(NR)
    }

    /// Runs the whole product, sharing its tiles with the second core when it is worth
    /// it: the tiles are cut into up to `CHUNKS` runs of consecutive tiles, and each
    /// thread takes the next run until none is left (a core that the machine slows
    /// down, or that starts late, simply takes fewer). A run is computed whole by one
    /// thread, every block of p in order, so which thread takes it changes nothing.
    fn run(self) {
        let tiles = self.tiles();
        // below ~200,000 multiply-adds the hand-over costs more than it saves
        if tiles < 2 || self.m.saturating_mul(self.n).saturating_mul(self.k) < 200_000 {
            self.run_tiles(0, tiles);
            return;
        }
        let chunks = tiles.min(CHUNKS);
        let next = AtomicUsize::new(0);
        let take_runs = || loop {
            let c = next.fetch_add(1, Relaxed);
            if c >= chunks {
                break;
            }
            self.run_tiles(c * tiles / chunks, (c + 1) * tiles / chunks);
        };
        crate::parallel::join(take_runs, take_runs);
    }

    /// Whether tiles are numbered row block by row block (B small: it stays in the
    /// level-1 cache while A streams) or column block by column block (a strip of B is
    /// reused by every row block).
    fn row_major(&self) -> bool {
        self.k.saturating_mul(self.n) <= 4 * 1024 // 16 KB of f32
    }

    /// Computes tiles `first..end` (numbered as `row_major` says).
    ///
    /// A long sum (k > `KC`, when C is overwritten) runs in blocks of `KC` values of p,
    /// so that a strip of B, `KC` × 16, stays in the level-1 cache for all row blocks:
    /// after the first block C holds the running sums, which the next block loads back
    /// into the registers (exactly, they are f32 either way) and continues: every sum
    /// still runs over p = 0, 1, …, k−1 in order.
    fn run_tiles(&self, first: usize, end: usize) {
        let (row_blocks, col_blocks) = (self.m.div_ceil(MR), self.n.div_ceil(NR));
        let row_major = self.row_major();
        let block = if self.add { self.k } else { KC };
        for k0 in (0..self.k).step_by(block) {
            let ks = k0..(k0 + block).min(self.k);
            for t in first..end {
                let (rb, cb) = if row_major {
                    (t / col_blocks, t % col_blocks)
                } else {
                    (t % row_blocks, t / row_blocks)
                };
                let (i0, j0) = (rb * MR, cb * NR);
                let (rows, cols) = ((self.m - i0).min(MR), (self.n - j0).min(NR));
                // SAFETY: `new` checked AVX2 and FMA; the tile lies inside C, and the
                // kernel reads A and B only inside the views the product was built from.
                unsafe { kernel::dispatch(self, i0, j0, rows, cols, ks.clone()) }
            }
        }
    }
}

/// Whether this CPU runs the kernel.
fn available() -> bool {
    crate::simd::has_avx2_fma()
}

#[cfg(target_arch = "x86_64")]
mod kernel {
    use super::{Product, MR, NR};
    use std::arch::x86_64::*;
    use std::ops::Range;

    /// Picks the micro-kernel for a tile of `rows` × `cols` (at most 6 × 16): as many
    /// vectors as the columns need, the last one masked when they do not fill it.
    ///
    /// # Safety
    /// AVX2 and FMA are available; the tile lies inside C.
    pub(super) unsafe fn dispatch(
        p: &Product,
        i0: usize,
        j0: usize,
        rows: usize,
        cols: usize,
        ks: Range<usize>,
    ) {
        macro_rules! pick {
            ($($r:literal),*) => {
                match (rows, cols.div_ceil(8), cols % 8 == 0) {
                    $(
                        ($r, 1, true) => tile::<$r, 1, true>(p, i0, j0, cols, ks),
                        ($r, 1, false) => tile::<$r, 1, false>(p, i0, j0, cols, ks),
                        ($r, 2, true) => tile::<$r, 2, true>(p, i0, j0, cols, ks),
                        ($r, 2, false) => tile::<$r, 2, false>(p, i0, j0, cols, ks),
                    )*
                    _ => unreachable!("no micro-tile of {rows} × {cols}"),
                }
            };
        }
        pick!(1, 2, 3, 4, 5, 6)
    }

    /// Lane mask of vector `v` for the first `cols` columns.
    #[inline(always)]
    unsafe fn mask(cols: usize, v: usize) -> __m256i {
        let lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        _mm256_cmpgt_epi32(_mm256_set1_epi32(cols as i32 - 8 * v as i32), lane)
    }

    /// C[i0..i0+R, j0..j0+cols] (+)= A[i0..i0+R, ks]·B[ks, j0..j0+cols], with V vectors
    /// of 8 columns; `FULL`: cols = 8·V.
    ///
    /// acc[r][v] holds c[i0+r, j0+8v .. j0+8v+8]; it starts from 0 (first block of p) or
    /// from the running sums in C (a later block), and for p in ks:
    /// acc[r][v] ← fma(a[i0+r, p], b[p, j0+8v ..], acc[r][v]).
    /// Then c ← acc, or c ← c + acc when the product adds (one block then).
    #[target_feature(enable = "avx2,fma")]
    unsafe fn tile<const R: usize, const V: usize, const FULL: bool>(
        p: &Product,
        i0: usize,
        j0: usize,
        cols: usize,
        ks: Range<usize>,
    ) {
        let direct = FULL && p.cj == 1; // C's tile is read and written as vectors
        let c0 = p.c.wrapping_offset(i0 as isize * p.ci + j0 as isize * p.cj);
        let c_row = |r: usize| c0.wrapping_offset(r as isize * p.ci);
        // a partial tile, or C's columns not contiguous: through a small buffer
        let mut out = [[0.0f32; NR]; MR];
        let mut acc = [[_mm256_setzero_ps(); V]; R];
        if ks.start > 0 {
            // continue the running sums left in C by the previous block of p
            for (r, acc) in acc.iter_mut().enumerate() {
                if !direct {
                    for (j, o) in out[r].iter_mut().enumerate().take(cols) {
                        *o = *c_row(r).wrapping_offset(j as isize * p.cj);
                    }
                }
                for (v, acc) in acc.iter_mut().enumerate() {
                    *acc = if direct {
                        _mm256_loadu_ps(c_row(r).add(8 * v))
                    } else {
                        _mm256_loadu_ps(out[r].as_ptr().add(8 * v))
                    };
                }
            }
        }
        let last = mask(cols, V - 1); // the last vector's lanes inside the tile
        let start = ks.start as isize;
        let mut a = p.a.wrapping_offset(i0 as isize * p.ai + start * p.ap);
        let mut b = p.b.wrapping_offset(start * p.ldb).wrapping_add(j0);
        for _ in ks {
            let mut bv = [_mm256_setzero_ps(); V];
            for (v, bv) in bv.iter_mut().enumerate() {
                *bv = if FULL || v + 1 < V {
                    _mm256_loadu_ps(b.wrapping_add(8 * v))
                } else {
                    // masked lanes are not read (no fault past the end of B's row)
                    _mm256_maskload_ps(b.wrapping_add(8 * v), last)
                };
            }
            for (r, acc) in acc.iter_mut().enumerate() {
                let av = _mm256_broadcast_ss(&*a.wrapping_offset(r as isize * p.ai));
                for (acc, bv) in acc.iter_mut().zip(bv) {
                    *acc = _mm256_fmadd_ps(av, bv, *acc);
                }
            }
            a = a.wrapping_offset(p.ap);
            b = b.wrapping_offset(p.ldb);
        }
        if direct {
            for (r, acc) in acc.iter().enumerate() {
                for (v, &acc) in acc.iter().enumerate() {
                    let c = c_row(r).add(8 * v);
                    let sum = if p.add {
                        _mm256_add_ps(_mm256_loadu_ps(c), acc)
                    } else {
                        acc
                    };
                    _mm256_storeu_ps(c, sum);
                }
            }
        } else {
            for (r, acc) in acc.iter().enumerate() {
                for (v, &acc) in acc.iter().enumerate() {
                    _mm256_storeu_ps(out[r].as_mut_ptr().add(8 * v), acc);
                }
            }
            for (r, out) in out.iter().enumerate().take(R) {
                for (j, &v) in out.iter().enumerate().take(cols) {
                    let c = &mut *c_row(r).wrapping_offset(j as isize * p.cj);
                    *c = if p.add { *c + v } else { v };
                }
            }
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod kernel {
    use super::Product;

    /// Never called: `available()` is false off x86-64.
    pub(super) unsafe fn dispatch(
        _: &Product,
        _: usize,
        _: usize,
        _: usize,
        _: usize,
        _: std::ops::Range<usize>,
    ) {
        unreachable!("the product kernel needs x86-64")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, ShapeBuilder};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn random(rows: usize, cols: usize, rng: &mut ChaCha8Rng) -> Array2<f32> {
        Array2::from_shape_fn((rows, cols), |_| rng.gen_range(-1.0f32..1.0))
    }

    /// Σ_p a_ip·b_pj in f64.
    fn exact(a: ArrayView2<f32>, b: ArrayView2<f32>) -> Array2<f64> {
        a.mapv(f64::from).dot(&b.mapv(f64::from))
    }

    fn assert_close(got: &Array2<f32>, want: &Array2<f64>, k: usize) {
        assert_eq!(got.dim(), want.dim());
        // |error| ≤ k·ε·Σ|a||b| ≤ k·ε·k for entries in [−1, 1]
        let tol = (k * k) as f64 * f32::EPSILON as f64 + 1e-6;
        for (g, w) in got.iter().zip(want) {
            assert!((*g as f64 - w).abs() <= tol, "{g} vs {w}");
        }
    }

    /// Shapes with every tail: rows 1..=6 past a multiple of 6, columns past 16.
    const SHAPES: [(usize, usize, usize); 7] = [
        (32, 100, 784),
        (1, 1, 1),
        (7, 17, 3),
        (13, 10, 100),
        (32, 300, 20),
        (5, 33, 9),
        (784, 100, 32),
    ];

    #[test]
    fn the_three_products_match_a_sum_in_f64() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for (m, n, k) in SHAPES {
            let (x, w) = (random(m, k, &mut rng), random(k, n, &mut rng));
            let mut z = Array2::from_elem((m, n), f32::NAN);
            x_times_w(x.view(), w.view(), z.view_mut());
            assert_close(&z, &exact(x.view(), w.view()), k);

            // dW = xᵀ·dz, then dW += xᵀ·dz: x [k', m'] with k' = m rows
            let dz = random(k, n, &mut rng);
            let xt = random(k, m, &mut rng);
            let mut dw = Array2::from_elem((m, n), f32::NAN);
            xt_times_dz(xt.view(), dz.view(), false, dw.view_mut());
            let want = exact(xt.t(), dz.view());
            assert_close(&dw, &want, k);
            xt_times_dz(xt.view(), dz.view(), true, dw.view_mut());
            assert_close(&dw, &(2.0 * &want), 2 * k);

            // gx += dz·Wᵀ: dz [m, n], W [k, n], gx [m, k]
            let (dz, w) = (random(m, n, &mut rng), random(k, n, &mut rng));
            let start = random(m, k, &mut rng);
            let mut gx = start.clone();
            dz_times_wt_add(dz.view(), w.view(), &mut Vec::new(), gx.view_mut());
            let want = start.mapv(f64::from) + exact(dz.view(), w.t());
            assert_close(&gx, &want, n + 1);
        }
    }

    #[test]
    fn a_product_split_in_two_gives_the_bits_of_one_pass() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let (x, w) = (random(32, 784, &mut rng), random(784, 100, &mut rng));
        let mut z = Array2::zeros((32, 100));
        x_times_w(x.view(), w.view(), z.view_mut()); // shared with the second core
        let mut alone = Array2::<f32>::zeros((32, 100));
        if let Some(p) = Product::new(
            (32, 100, 784),
            (x.as_ptr(), 784, 1),
            (w.as_ptr(), &[100, 1]),
            (alone.as_mut_ptr(), &[100, 1]),
            false,
        ) {
            p.run_tiles(0, p.tiles());
            assert_eq!(z, alone);
        }
    }

    #[test]
    fn strided_and_column_major_operands_give_the_same_products() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let x = random(9, 20, &mut rng);
        let w = random(20, 18, &mut rng);
        let mut w_f = Array2::zeros((20, 18).f()); // column-major B: matrixmultiply
        w_f.assign(&w);
        let (mut z1, mut z2) = (Array2::zeros((9, 18)), Array2::zeros((9, 18).f()));
        x_times_w(x.view(), w.view(), z1.view_mut());
        x_times_w(x.view(), w_f.view(), z2.view_mut());
        assert_close(&z1, &exact(x.view(), w.view()), 20);
        assert_close(&z2, &exact(x.view(), w.view()), 20);
    }
}
