//! `x.reshape(-1, 28*28)`: images seen as rows of pixels, for a model whose first layer
//! is Dense rather than Flatten (HG 7-1 and HG 7-2's sigmoid model).

use ndarray::{Array3, ArrayView2};

use crate::error::ModelError;

/// A view of `[n, rows, cols]` images as `[n, rows · cols]`, without copying.
///
/// Fails (with `ModelError::Data`) only for an array that is not in standard row-major
/// layout, e.g. a transposed view; every loaded or split dataset is.
pub fn flat(x: &Array3<f32>) -> Result<ArrayView2<'_, f32>, ModelError> {
    let (n, rows, cols) = x.dim();
    x.view()
        .into_shape_with_order((n, rows * cols))
        .map_err(|e| ModelError::Data {
            what: "images to flatten".into(),
            expected: "a contiguous [n, rows, cols] array".into(),
            found: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_lays_each_image_out_row_by_row() {
        // Two 2×2 images 0..4 and 4..8: image i becomes row i, pixels in reading order.
        let x = Array3::from_shape_fn((2, 2, 2), |(i, r, c)| (4 * i + 2 * r + c) as f32);
        let rows = flat(&x).expect("contiguous");
        assert_eq!(rows, ndarray::array![[0., 1., 2., 3.], [4., 5., 6., 7.]]);
    }

    #[test]
    fn a_transposed_array_cannot_be_flattened_in_place() {
        // Swapping axes 0 and 2 leaves the data where it was: the rows are no longer
        // contiguous in memory, so no [n, rows · cols] view exists.
        let mut x = Array3::<f32>::zeros((4, 3, 2));
        x.swap_axes(0, 2);
        let err = flat(&x).unwrap_err();
        assert!(err.to_string().contains("images to flatten"), "{err}");
    }
}
