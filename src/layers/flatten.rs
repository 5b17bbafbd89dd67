//! `Flatten`: `(28, 28)` → `(784,)`. Batches are already stored flat, so only the shape changes.

use ndarray::{ArrayView2, ArrayViewMut2};
use rand_chacha::ChaCha8Rng;

use super::{elements, shape_error, within_limit, FlattenConfig, Layer, LayerConfig};
use crate::error::{shape_str, ModelError};

/// `Flatten(input_shape=(28, 28))`.
#[derive(Default)]
pub struct Flatten {
    pub(crate) input_shape: Option<Vec<usize>>,
    size: usize,
}

impl Flatten {
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares the input shape, for the first layer of a model.
    pub fn input_shape(mut self, shape: &[usize]) -> Self {
        self.input_shape = Some(shape.to_vec());
        self
    }
}

impl Layer for Flatten {
    fn kind(&self) -> &'static str {
        "Flatten"
    }

    fn config(&self) -> LayerConfig {
        LayerConfig::Flatten(FlattenConfig {
            input_shape: self.input_shape.clone(),
        })
    }

    fn declared_input_shape(&self) -> Option<&[usize]> {
        self.input_shape.as_deref()
    }

    fn build(
        &mut self,
        input_shape: &[usize],
        _rng: &mut ChaCha8Rng,
    ) -> Result<Vec<usize>, ModelError> {
        if input_shape.is_empty() || input_shape.contains(&0) {
            return Err(shape_error(
                "Flatten",
                "a non-empty shape".into(),
                input_shape,
            ));
        }
        // d₁·d₂·…, counted without wrapping and within the limit
        self.size = within_limit(
            elements(input_shape),
            || format!("Flatten input {}", shape_str(input_shape, false)),
            "each sample would hold",
        )?;
        Ok(vec![self.size])
    }

    fn planned_param_count(&self, _input_shape: &[usize]) -> Option<u128> {
        Some(0)
    }

    fn output_size(&self) -> usize {
        self.size
    }

    fn forward(
        &mut self,
        x: ArrayView2<f32>,
        mut y: ArrayViewMut2<f32>,
        _training: bool,
    ) {
        y.assign(&x);
    }

    /// dL/dx += dL/dy: flattening is a relabelling of the same numbers.
    fn backward(
        &mut self,
        _x: ArrayView2<f32>,
        _y: ArrayView2<f32>,
        grad_y: ArrayView2<f32>,
        grad_x: Option<ArrayViewMut2<f32>>,
    ) {
        if let Some(mut gx) = grad_x {
            gx += &grad_y;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck::check_layer;
    use rand::SeedableRng;

    #[test]
    fn flatten_turns_28_by_28_into_784() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        assert_eq!(
            Flatten::new().build(&[28, 28], &mut rng).unwrap(),
            vec![784]
        );
    }

    #[test]
    fn flatten_backward_matches_finite_differences() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let mut layer = Flatten::new();
        layer.build(&[2, 3], &mut rng).unwrap();
        check_layer(&mut layer, 3, 6, 7).unwrap();
    }
}
