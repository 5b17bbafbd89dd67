//! A training step allocates nothing once the batch size is stable: the parameters are
//! collected on the stack, the batch buffers and the logs are reused, and the matrix
//! products read their operands in place (annlab's own kernel, on AVX2 + FMA). Without
//! AVX2 and FMA the products go to `matrixmultiply`, which allocates one packing buffer
//! inside every call. Counted with a counting global allocator, on one epoch of 32
//! steps against one of 64.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use annlab::prelude::*;

struct Counting;

thread_local! {
    /// Allocations made by this thread (the test harness's own threads not counted).
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: forwarded unchanged to the system allocator
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by one quiet epoch over `n` samples in batches of 8 (with an
/// l1_l2 kernel regularizer on the hidden layer when `regularized`).
fn allocations_of_one_epoch(optimizer: &str, n: usize, regularized: bool) -> usize {
    let x =
        Array3::from_shape_fn((n, 4, 4), |(i, r, c)| ((i + r * 3 + c) % 7) as f32 / 7.0);
    let y = Array1::from_iter((0..n).map(|i| i % 3));
    let mut model = Sequential::new(0);
    model.add(Flatten::new().input_shape(&[4, 4]));
    let hidden = Dense::new(8).activation(Activation::Relu);
    model.add(match regularized {
        true => hidden.kernel_regularizer(annlab::regularizers::l1_l2(1e-4, 1e-3)),
        false => hidden,
    });
    model.add(Dense::new(3).activation(Activation::Softmax));
    model
        .compile(
            Compile::new("sparse_categorical_crossentropy")
                .optimizer_name(optimizer)
                .metrics(&["accuracy"]),
        )
        .unwrap();
    // a first epoch sizes every buffer and creates the optimizer's slots
    model
        .fit(&x, &y, Fit::new(1).batch_size(8).verbose(0))
        .unwrap();
    let before = allocations();
    model
        .fit(&x, &y, Fit::new(1).batch_size(8).verbose(0))
        .unwrap();
    allocations() - before
}

#[test]
fn a_training_step_allocates_nothing_once_the_batch_size_is_stable() {
    // Flatten → Dense(8) → Dense(3): x·W twice forward; backward dW of both layers and
    // dL/dx of the second: five products a step, which allocate only on matrixmultiply
    let products_per_step = if annlab::simd::has_avx2_fma() { 0 } else { 5 };
    for (optimizer, regularized) in [
        ("rmsprop", false),
        ("adam", false),
        ("sgd", false),
        ("adam", true),
    ] {
        let short = allocations_of_one_epoch(optimizer, 256, regularized); // 32 steps
        let long = allocations_of_one_epoch(optimizer, 512, regularized); // 64 steps
        assert_eq!(
            long - short,
            32 * products_per_step,
            "{optimizer} (regularized: {regularized}): {short} allocations for 32 steps, \
             {long} for 64"
        );
    }
}
