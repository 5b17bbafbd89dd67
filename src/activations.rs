//! Activation functions applied row-wise to a batch `[batch, units]`, in place, and
//! their backward passes written in terms of the output `y = f(z)`.

use ndarray::{ArrayView2, ArrayViewMut2, Axis, Zip};

use crate::error::ModelError;

/// The activations a `Dense` or `Activation` layer can apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// f(z) = z
    Linear,
    /// f(z) = 1 / (1 + e^{−z})
    Sigmoid,
    /// f(z) = tanh z
    Tanh,
    /// f(z) = max(0, z); relu(NaN) = NaN, as TensorFlow's
    Relu,
    /// f(z)_i = e^{z_i} / Σ_j e^{z_j}, over each row
    Softmax,
}

impl Activation {
    /// Every activation, in the order `from_name` lists them.
    pub const ALL: [Activation; 5] = [
        Activation::Linear,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::Softmax,
    ];

    /// The Keras name: `"relu"`, `"softmax"`, …
    pub fn name(self) -> &'static str {
        match self {
            Activation::Linear => "linear",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Softmax => "softmax",
        }
    }

    /// Looks an activation up by its Keras name.
    pub fn from_name(name: &str) -> Result<Self, ModelError> {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| ModelError::UnknownName {
                what: "activation",
                name: name.to_string(),
                known: Self::ALL.map(|a| a.name()).join(", "),
            })
    }

    /// Scalar form, for plots and the element-wise activations.
    pub fn scalar(self, z: f32) -> f32 {
        match self {
            Activation::Linear | Activation::Softmax => z,
            Activation::Sigmoid => sigmoid(z),
            Activation::Tanh => z.tanh(),
            Activation::Relu => relu(z),
        }
    }

    /// y = f(z), in place on a batch `[batch, units]`.
    pub fn forward_inplace(self, mut z: ArrayViewMut2<f32>) {
        match self {
            Activation::Linear => {}
            Activation::Sigmoid => z.mapv_inplace(sigmoid),
            Activation::Tanh => z.mapv_inplace(f32::tanh),
            Activation::Relu => z.mapv_inplace(relu),
            Activation::Softmax => {
                for row in z.axis_iter_mut(Axis(0)) {
                    softmax_row(row);
                }
            }
        }
    }

    // ANCHOR: backward
    /// dL/dz from y = f(z) and dL/dy, written into `grad_z`.
    ///
    /// sigmoid: y(1−y)·g; tanh: (1−y²)·g; relu: `[y>0]`·g (NaN when y or g is NaN, as
    /// 0·NaN is);
    /// softmax: y ⊙ (g − Σ_j g_j y_j) per row (the Jacobian-vector product).
    pub fn backward(
        self,
        y: ArrayView2<f32>,
        grad_y: ArrayView2<f32>,
        mut grad_z: ArrayViewMut2<f32>,
    ) {
        match self {
            Activation::Linear => grad_z.assign(&grad_y),
            Activation::Sigmoid => Zip::from(&mut grad_z)
                .and(&y)
                .and(&grad_y)
                .for_each(|dz, &y, &g| *dz = g * y * (1.0 - y)),
            Activation::Tanh => Zip::from(&mut grad_z)
                .and(&y)
                .and(&grad_y)
                .for_each(|dz, &y, &g| *dz = g * (1.0 - y * y)),
            Activation::Relu => Zip::from(&mut grad_z)
                .and(&y)
                .and(&grad_y)
                // a NaN in y or g stays NaN, as in the product [y > 0]·g
                .for_each(|dz, &y, &g| {
                    *dz = if y > 0.0 {
                        g
                    } else if y.is_nan() || g.is_nan() {
                        f32::NAN
                    } else {
                        0.0
                    }
                }),
            Activation::Softmax => {
                Zip::from(grad_z.rows_mut())
                    .and(y.rows())
                    .and(grad_y.rows())
                    .for_each(|mut dz, y, g| {
                        let dot: f32 = y.iter().zip(g.iter()).map(|(a, b)| a * b).sum();
                        Zip::from(&mut dz)
                            .and(&y)
                            .and(&g)
                            .for_each(|dz, &y, &g| *dz = y * (g - dot));
                    });
            }
        }
    }
    // ANCHOR_END: backward
}

/// max(0, z) that keeps a NaN: `z.max(0.0)` would return 0 for NaN and hide it, so a
/// model whose weights turned NaN would still report a finite loss. −0 gives +0.
#[inline(always)]
pub fn relu(z: f32) -> f32 {
    // NaN ≤ 0 is false, so NaN passes through
    if z <= 0.0 {
        0.0
    } else {
        z
    }
}

/// Numerically stable logistic function (no overflow of e^{−z} for large negative z).
pub fn sigmoid(z: f32) -> f32 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Softmax of one row in place, shifted by the row maximum so that e^{z} cannot overflow.
pub fn softmax_row(mut z: ndarray::ArrayViewMut1<f32>) {
    let max = z.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let mut sum = 0.0;
    z.mapv_inplace(|v| {
        let e = (v - max).exp();
        sum += e;
        e
    });
    z.mapv_inplace(|v| v / sum);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck::check_activation;
    use approx::assert_abs_diff_eq;
    use ndarray::array;
    use proptest::prelude::*;

    #[test]
    fn softmax_rows_sum_to_one_even_for_huge_logits() {
        // Without the max shift e^{1000} overflows to inf and the row becomes NaN.
        let mut z = array![[1000.0f32, 999.0, -1000.0], [0.0, 0.0, 0.0]];
        Activation::Softmax.forward_inplace(z.view_mut());
        for row in z.rows() {
            assert_abs_diff_eq!(row.sum(), 1.0, epsilon = 1e-6);
        }
        // e^0 / (e^0 + e^{-1}) = 1 / (1 + 0.3679) = 0.7311
        assert_abs_diff_eq!(z[[0, 0]], 0.731_058_6, epsilon = 1e-6);
        assert_abs_diff_eq!(z[[1, 2]], 1.0 / 3.0, epsilon = 1e-6);
    }

    #[test]
    fn sigmoid_is_stable_at_both_ends() {
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert_eq!(sigmoid(1000.0), 1.0);
        assert_abs_diff_eq!(sigmoid(0.0), 0.5, epsilon = 1e-7);
    }

    #[test]
    fn names_round_trip_and_unknown_names_list_the_known_ones() {
        for a in Activation::ALL {
            assert_eq!(Activation::from_name(a.name()).unwrap(), a);
        }
        let err = Activation::from_name("gelu").unwrap_err().to_string();
        assert!(err.contains("relu") && err.contains("gelu"), "{err}");
    }

    proptest! {
        #[test]
        fn every_activation_backward_matches_finite_differences(
            batch in 1usize..4, units in 1usize..6, seed in 0u64..1000,
        ) {
            for a in Activation::ALL {
                check_activation(a, batch, units, seed).map_err(TestCaseError::fail)?;
            }
        }
    }
}
