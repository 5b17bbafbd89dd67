//! Reference for `exercises/ex06_optimizers.rs`: the library's Keras-identical
//! optimizers, run for one step on one tensor: the state slices go in through
//! `set_state` and come back out through `state`.
use annlab::exercises::prelude::*;
use annlab::layers::Param;
use annlab::optimizers::{Adam, Optimizer, OptimizerState, RMSprop, SGD};

/// One step of `optimizer` on `w` with gradient `g`, after `iterations` steps, its
/// state slots (by name) read from and written back into `slots`.
fn step(
    optimizer: &mut dyn Optimizer,
    w: &mut [f32],
    g: &[f32],
    slots: &mut [(&str, &mut [f32])],
    iterations: u64,
) {
    let state = OptimizerState {
        optimizer: optimizer.name().to_string(),
        iterations,
        learning_rate: None,
        scalars: Vec::new(),
        tensors: slots
            .iter()
            .map(|(slot, values)| (format!("w/{slot}"), values.to_vec()))
            .collect(),
    };
    optimizer
        .set_state(&state)
        .expect("a state this optimizer keeps");
    let mut grad = g.to_vec();
    optimizer.step(&mut [Param {
        name: "kernel",
        path: "w",
        value: w,
        grad: &mut grad,
    }]);
    let state = optimizer.state();
    for (slot, values) in slots.iter_mut() {
        let name = format!("w/{slot}");
        if let Some((_, v)) = state.tensors.iter().find(|(n, _)| *n == name) {
            values.copy_from_slice(v);
        }
    }
}

pub fn sgd_step(
    w: &mut [f32],
    g: &[f32],
    velocity: &mut [f32],
    settings: &SgdSettings,
) -> Result<(), Unfinished> {
    let mut sgd = SGD::new()
        .learning_rate(settings.learning_rate)
        .momentum(settings.momentum)
        .nesterov(settings.nesterov);
    if settings.momentum == 0.0 {
        step(&mut sgd, w, g, &mut [], 0);
    } else {
        step(&mut sgd, w, g, &mut [("momentum", velocity)], 0);
    }
    Ok(())
}

pub fn rmsprop_step(
    w: &mut [f32],
    g: &[f32],
    s: &mut [f32],
    settings: &RmspropSettings,
) -> Result<(), Unfinished> {
    let mut rmsprop = RMSprop::new()
        .learning_rate(settings.learning_rate)
        .rho(settings.rho)
        .epsilon(settings.epsilon);
    step(&mut rmsprop, w, g, &mut [("velocity", s)], 0);
    Ok(())
}

pub fn adam_step(
    w: &mut [f32],
    g: &[f32],
    m: &mut [f32],
    v: &mut [f32],
    t: u32,
    settings: &AdamSettings,
) -> Result<(), Unfinished> {
    let mut adam = Adam::new()
        .learning_rate(settings.learning_rate)
        .beta_1(settings.beta_1)
        .beta_2(settings.beta_2)
        .epsilon(settings.epsilon);
    // t counts from 1: t − 1 steps were taken before this one
    step(
        &mut adam,
        w,
        g,
        &mut [("momentum", m), ("velocity", v)],
        u64::from(t.saturating_sub(1)),
    );
    Ok(())
}
