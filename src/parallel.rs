//! The second core: one persistent worker thread that computes half of a product.
//!
//! A training step multiplies 32×784 by 784×100 in about 40 µs; waking a thread from
//! rayon's pool costs a good part of that (measured: splitting each product with
//! `rayon::join` made the HG 7-2 epoch 40% slower). So a single worker, started on the
//! first product that is worth splitting, spins after each job waiting for the next
//! one, and sleeps only when none comes for 2 ms (between epochs, after training).
//! (Yielding the core between looks instead, so that another runnable thread could use
//! it, was measured slower: 0.31–0.53 s for the HG 7-2 epoch against 0.21–0.32 s.
//! Spinning for only 200 µs before sleeping was slower too.)
//!
//! [`join`] runs `a` on the calling thread and `b` on the worker. If the worker is
//! taken (another thread is using it) or has not picked `b` up by the time `a` is
//! done, the caller runs `b` itself. Which thread runs which half never changes a
//! result: the halves write disjoint parts of the output, each summed in a fixed order
//! (see [`crate::gemm`]). The worker runs `b` with the caller's floating-point mode
//! (MXCSR: flush-to-zero, denormals-are-zero), so a flushed product stays flushed.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering::SeqCst};
use std::sync::OnceLock;
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

/// How long the worker spins after a job before it sleeps.
const SPIN: Duration = Duration::from_millis(2);

/// `Slot::state`: no job; a job posted; the worker is running it; it is done.
const IDLE: u8 = 0;
const POSTED: u8 = 1;
const RUNNING: u8 = 2;
const DONE: u8 = 3;

struct Slot {
    state: AtomicU8,
    /// the job: `b` of the current `join`, its lifetime erased (valid while POSTED or
    /// RUNNING: `join` does not return before the state leaves both)
    job: UnsafeCell<Option<Job>>,
    /// set while the worker sleeps, so that a poster knows to wake it
    sleeping: AtomicBool,
    /// held by the thread whose `join` owns the slot
    taken: AtomicBool,
    /// `b` panicked on the worker
    panicked: AtomicBool,
    /// the worker's handle, for `unpark`
    thread: OnceLock<Thread>,
}

#[derive(Clone, Copy)]
struct Job {
    run: *const (dyn Fn() + Sync),
    mxcsr: u32,
}

// SAFETY: the job pointer is written by the owner before it publishes POSTED (SeqCst)
// and read by the worker after it sees POSTED; `b` is `Sync`, and outlives the job.
unsafe impl Sync for Slot {}
unsafe impl Send for Job {}

/// The worker's slot, or `None` on a one-core machine or with `ANNLAB_THREADS=1`.
fn slot() -> Option<&'static Slot> {
    static SLOT: OnceLock<Option<&'static Slot>> = OnceLock::new();
    *SLOT.get_or_init(|| {
        let cores = thread::available_parallelism().map_or(1, |n| n.get());
        if cores < 2 || std::env::var_os("ANNLAB_THREADS").is_some_and(|v| v == "1") {
            return None;
        }
        let slot: &'static Slot = Box::leak(Box::new(Slot {
            state: AtomicU8::new(IDLE),
            job: UnsafeCell::new(None),
            sleeping: AtomicBool::new(false),
            taken: AtomicBool::new(false),
            panicked: AtomicBool::new(false),
            thread: OnceLock::new(),
        }));
        let handle = thread::Builder::new()
            .name("annlab-worker".into())
            .spawn(move || work(slot))
            .ok()?;
        slot.thread.set(handle.thread().clone()).ok()?;
        Some(slot)
    })
}

/// The worker's loop: spin for a job, run it, mark it done; sleep after `SPIN` idle.
fn work(slot: &'static Slot) {
    let mut idle_since = Instant::now();
    let mut spins = 0u32;
    loop {
        if slot
            .state
            .compare_exchange(POSTED, RUNNING, SeqCst, SeqCst)
            .is_ok()
        {
            // SAFETY: the owner wrote the job before POSTED and waits while RUNNING.
            let job = unsafe { (*slot.job.get()).expect("a posted job") };
            #[cfg(target_arch = "x86_64")]
            crate::simd::write_mxcsr(job.mxcsr);
            // SAFETY: `join` keeps `b` alive until the state leaves RUNNING.
            let run = std::panic::AssertUnwindSafe(|| unsafe { (*job.run)() });
            if std::panic::catch_unwind(run).is_err() {
                slot.panicked.store(true, SeqCst); // re-raised on the owner's thread
            }
            slot.state.store(DONE, SeqCst);
            idle_since = Instant::now();
            continue;
        }
        std::hint::spin_loop();
        spins = spins.wrapping_add(1);
        if spins.is_multiple_of(1024) && idle_since.elapsed() > SPIN {
            slot.sleeping.store(true, SeqCst);
            // a job posted after the store above sees `sleeping` and unparks us; one
            // posted before it is seen here
            if slot.state.load(SeqCst) != POSTED {
                thread::park();
            }
            slot.sleeping.store(false, SeqCst);
            idle_since = Instant::now();
        }
    }
}

/// Runs `a` here and `b` on the worker when it is free, then returns when both are done.
/// The results must not depend on which thread runs `b`.
pub(crate) fn join(a: impl FnOnce(), b: impl Fn() + Sync) {
    // no worker (one core, ANNLAB_THREADS=1, `alone` in tests), or another thread owns
    // it: both halves here
    let owned = slot().filter(|slot| {
        !alone_here()
            && slot
                .taken
                .compare_exchange(false, true, SeqCst, SeqCst)
                .is_ok()
    });
    let Some(slot) = owned else {
        a();
        b();
        return;
    };
    let run: &(dyn Fn() + Sync) = &b;
    // SAFETY: erases the lifetime of `b`; `Wait` below (also on unwinding out of `a`)
    // does not let this function return before the worker is done with it.
    let run: *const (dyn Fn() + Sync) = unsafe { std::mem::transmute(run) };
    // SAFETY: the slot is ours (`taken`) and IDLE: the worker does not read `job`.
    unsafe {
        *slot.job.get() = Some(Job {
            run,
            #[cfg(target_arch = "x86_64")]
            mxcsr: crate::simd::read_mxcsr(),
            #[cfg(not(target_arch = "x86_64"))]
            mxcsr: 0,
        })
    };
    slot.state.store(POSTED, SeqCst);
    if slot.sleeping.load(SeqCst) {
        if let Some(worker) = slot.thread.get() {
            worker.unpark();
        }
    }
    let wait = Wait(slot);
    a();
    // not picked up yet (the worker's core is busy elsewhere): take `b` back
    if slot
        .state
        .compare_exchange(POSTED, IDLE, SeqCst, SeqCst)
        .is_ok()
    {
        b();
    } else {
        wait.until_done();
        #[cfg(test)]
        SHARED.with(|n| n.set(n.get() + 1));
    }
    let panicked = slot.panicked.swap(false, SeqCst);
    drop(wait);
    if panicked {
        panic!("the second half of a parallel product panicked on the worker thread");
    }
}

#[cfg(test)]
thread_local! {
    /// Set by `alone`: this thread's joins run both halves here.
    static ALONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Joins of this thread whose second half the worker ran.
    static SHARED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Whether this thread's joins keep both halves (`alone`; never outside tests).
fn alone_here() -> bool {
    #[cfg(test)]
    {
        ALONE.with(std::cell::Cell::get)
    }
    #[cfg(not(test))]
    {
        false
    }
}

/// Runs `f` with every `join` on this thread computing both halves itself, to compare
/// with the shared run.
#[cfg(test)]
pub(crate) fn alone<R>(f: impl FnOnce() -> R) -> R {
    ALONE.with(|a| a.set(true));
    let r = f();
    ALONE.with(|a| a.set(false));
    r
}

/// Waits until the worker has finished the job (if it took it), then frees the slot.
struct Wait(&'static Slot);

impl Wait {
    /// Spins while the worker runs the job.
    fn until_done(&self) {
        let mut spins = 0u32;
        while self.0.state.load(SeqCst) == RUNNING {
            std::hint::spin_loop();
            spins = spins.wrapping_add(1);
            if spins.is_multiple_of(4096) {
                thread::yield_now(); // the worker was preempted: let it run
            }
        }
    }
}

impl Drop for Wait {
    fn drop(&mut self) {
        let slot = self.0;
        // a job still POSTED here (unwinding out of `a`) is withdrawn, not waited for
        let _ = slot.state.compare_exchange(POSTED, IDLE, SeqCst, SeqCst);
        self.until_done();
        slot.state.store(IDLE, SeqCst);
        // SAFETY: IDLE: the worker no longer reads the job
        unsafe { *slot.job.get() = None };
        slot.taken.store(false, SeqCst);
    }
}

/// Slices that an element-wise loop walks together, cut at the same index.
pub(crate) trait Parts: Sized + Send {
    /// The common length.
    fn len(&self) -> usize;
    /// The first `mid` elements of each, and the rest.
    fn split_at(self, mid: usize) -> (Self, Self);
}

impl Parts for &mut [f32] {
    fn len(&self) -> usize {
        <[f32]>::len(self)
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        self.split_at_mut(mid)
    }
}

impl Parts for &[f32] {
    fn len(&self) -> usize {
        <[f32]>::len(self)
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        <[f32]>::split_at(self, mid)
    }
}

macro_rules! parts_tuple {
    ($($t:ident $v:ident),+) => {
        impl<$($t: Parts),+> Parts for ($($t,)+) {
            fn len(&self) -> usize {
                let ($($v,)+) = self;
                [$($v.len()),+].into_iter().min().unwrap_or(0)
            }
            fn split_at(self, mid: usize) -> (Self, Self) {
                let ($($v,)+) = self;
                $(let $v = $v.split_at(mid);)+
                (($($v.0,)+), ($($v.1,)+))
            }
        }
    };
}
parts_tuple!(A a, B b);
parts_tuple!(A a, B b, C c);
parts_tuple!(A a, B b, C c, D d);

/// Below this many elements an element-wise loop runs on one thread (the hand-over
/// would cost more than half the loop).
const ELEMENTWISE_MIN: usize = 16_384;

/// Runs the element-wise loop `f` over `parts`, the first half here and the second on
/// the worker when the slices are long. Each element sees the same operations either
/// way, so the results do not depend on the split (an optimizer step, for instance).
pub(crate) fn elementwise<P: Parts>(parts: P, f: impl Fn(P) + Sync) {
    let n = parts.len();
    if n < ELEMENTWISE_MIN {
        f(parts);
        return;
    }
    let (first, second) = parts.split_at(n / 2 / 16 * 16);
    let second = std::sync::Mutex::new(Some(second));
    join(
        || f(first),
        || {
            let taken = second.lock().map(|mut s| s.take()).unwrap_or(None);
            if let Some(second) = taken {
                f(second);
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn both_halves_run_exactly_once_from_many_threads_at_once() {
        let count = AtomicUsize::new(0);
        thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..2_000 {
                        join(
                            || {
                                count.fetch_add(1, SeqCst);
                            },
                            || {
                                count.fetch_add(1_000_000, SeqCst);
                            },
                        );
                    }
                });
            }
        });
        assert_eq!(count.load(SeqCst), 8_000 * 1_000_001);
    }

    #[test]
    fn an_elementwise_loop_split_in_two_touches_every_element_once() {
        for n in [0, 1, 100, 16_383, 16_384, 100_001] {
            let mut w = vec![1.0f32; n];
            let g: Vec<f32> = (0..n).map(|i| i as f32).collect();
            elementwise((&mut w[..], &g[..]), |(w, g)| {
                for (w, g) in w.iter_mut().zip(g) {
                    *w += g;
                }
            });
            assert!(
                w.iter().enumerate().all(|(i, &w)| w == 1.0 + i as f32),
                "n = {n}"
            );
        }
    }

    /// Two epochs of HOML's classifier on 96 random images with `optimizer`: the
    /// products and the optimizer's loops are shared between the cores (each product
    /// is above the split threshold).
    fn train(optimizer: &str) -> Vec<ndarray::ArrayD<f32>> {
        use crate::prelude::*;
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let x = Array3::from_shape_fn((96, 28, 28), |_| rng.gen_range(0.0f32..1.0));
        let y: Array1<usize> = (0..96).map(|_| rng.gen_range(0..10)).collect();
        let mut model = crate::models::homl_classifier(42);
        model
            .compile(
                Compile::new("sparse_categorical_crossentropy").optimizer_name(optimizer),
            )
            .expect("valid model");
        model.fit(&x, &y, Fit::new(2).verbose(0)).expect("fit runs");
        model.get_weights()
    }

    #[test]
    fn training_on_two_cores_gives_the_bits_of_training_on_one() {
        for optimizer in ["rmsprop", "sgd", "adam"] {
            // another test may hold the worker for a while: train until one run shared
            let (mut shared, mut worked) = (Vec::new(), slot().is_none());
            for _ in 0..20 {
                let before = SHARED.with(std::cell::Cell::get);
                shared = train(optimizer);
                worked |= SHARED.with(std::cell::Cell::get) > before;
                if worked {
                    break;
                }
            }
            assert!(worked, "{optimizer}: the worker never took a half");
            let one = alone(|| train(optimizer));
            let bits = |w: &[ndarray::ArrayD<f32>]| -> Vec<u32> {
                w.iter()
                    .flat_map(|a| a.iter().map(|v| v.to_bits()))
                    .collect()
            };
            assert_eq!(bits(&shared), bits(&one), "{optimizer}");
        }
    }

    #[test]
    fn the_worker_wakes_after_sleeping() {
        let hits = AtomicUsize::new(0);
        join(
            || {},
            || {
                hits.fetch_add(1, SeqCst);
            },
        );
        thread::sleep(SPIN * 3); // long enough for the worker to park
        join(
            || {},
            || {
                hits.fetch_add(1, SeqCst);
            },
        );
        assert_eq!(hits.load(SeqCst), 2);
    }
}
