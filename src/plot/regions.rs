//! Decision regions: a classifier's answer shaded over a grid of the input plane, with
//! the training points (scatter markers) and lines drawn on top.

use std::path::Path;

use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{legend_box, tidy, write_figure, Figure, PlotError, PALETTE};

/// The shape a scatter series is drawn with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Marker {
    /// a filled circle
    Circle,
    /// a filled triangle
    Triangle,
    /// an ×, drawn with lines 2 px wide
    Cross,
}

/// Something drawn over the regions, with its legend entry.
#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    /// Points as markers of `size` px (`legend_size` px in the legend).
    Scatter {
        label: String,
        points: Vec<(f64, f64)>,
        marker: Marker,
        size: i32,
        legend_size: i32,
        color: RGBColor,
    },
    /// A black line 2 px wide through `points`.
    Line {
        label: String,
        points: Vec<(f64, f64)>,
    },
}

/// A decision-region figure: `class[[row, col]]` is the classifier's answer at the
/// centre of the cell in row `row` (from the bottom) and column `col` (from the left) of
/// the `x_range × y_range` plane; class `true` is shaded in `PALETTE[1]`, `false` in
/// `PALETTE[0]`.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionPlot<'a> {
    pub title: &'a str,
    /// the title's font size, px
    pub title_size: u32,
    /// the figure's width and height, px
    pub size: (u32, u32),
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    /// width of the y tick-label area, px
    pub y_label_area: u32,
    /// tick labels with one decimal (`tidy`) rather than plotters' default
    pub tidy_ticks: bool,
    pub class: &'a Array2<bool>, // [rows, cols]
    /// drawn in order over the regions
    pub overlays: Vec<Overlay>,
    pub legend: SeriesLabelPosition,
}

/// Cell centres of an `n × n` grid over `[lo, hi]²`, `[n², 2]`: row k holds
/// (x₁, x₂) = (centre of column k mod n, centre of row k div n).
pub fn grid_points((lo, hi): (f64, f64), n: usize) -> Array2<f32> {
    let at = |k: usize| (lo + (hi - lo) * (k as f64 + 0.5) / n as f64) as f32;
    Array2::from_shape_fn(
        (n * n, 2),
        |(k, j)| if j == 0 { at(k % n) } else { at(k / n) },
    )
}

/// A light shade of a palette colour for decision regions.
pub fn shade(c: RGBColor) -> RGBColor {
    let mix = |v: u8| (f64::from(v) * 0.25 + 255.0 * 0.75) as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// Decision regions as few rectangles: each row of `class` (`[rows, cols]`, row 0 at
/// y0) becomes runs of equal class; cell (r, c) spans x0 + c·dx, y0 + r·dy.
pub fn region_rects(
    class: &Array2<bool>,
    (x0, y0): (f64, f64),
    (dx, dy): (f64, f64),
) -> Vec<Rectangle<(f64, f64)>> {
    let mut rects = Vec::new();
    for (r, row) in class.outer_iter().enumerate() {
        let mut start = 0;
        for c in 1..=row.len() {
            if c == row.len() || row[c] != row[start] {
                let color = shade(PALETTE[usize::from(row[start])]);
                let low = (x0 + start as f64 * dx, y0 + r as f64 * dy);
                let high = (x0 + c as f64 * dx, y0 + (r + 1) as f64 * dy);
                rects.push(Rectangle::new([low, high], color.filled()));
                start = c;
            }
        }
    }
    rects
}

/// Draws a `RegionPlot` and writes the SVG at `path` and a PNG beside it.
pub fn region_plot(path: &Path, plot: &RegionPlot) -> Result<(), PlotError> {
    write_figure(path, plot)
}

impl Figure for RegionPlot<'_> {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), String> {
        draw_regions(root, self)
    }
}

fn draw_regions<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &RegionPlot,
) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let ((x0, x1), (y0, y1)) = (plot.x_range, plot.y_range);
    let mut chart = ChartBuilder::on(root)
        .caption(plot.title, ("sans-serif", plot.title_size))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(plot.y_label_area)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(|e| err(&e))?;
    let (rows, cols) = plot.class.dim();
    let cell = ((x1 - x0) / cols as f64, (y1 - y0) / rows as f64);
    let cells = region_rects(plot.class, (x0, y0), cell);
    chart.draw_series(cells).map_err(|e| err(&e))?;
    let mut mesh = chart.configure_mesh();
    mesh.disable_mesh().x_desc(plot.x_desc).y_desc(plot.y_desc);
    if plot.tidy_ticks {
        mesh.x_label_formatter(&tidy).y_label_formatter(&tidy);
    }
    mesh.draw().map_err(|e| err(&e))?;
    for overlay in &plot.overlays {
        match overlay {
            Overlay::Scatter {
                label,
                points,
                marker,
                size,
                legend_size,
                color,
            } => {
                let (size, legend, pts) = (*size, *legend_size, points.iter().copied());
                let (fill, line) = (color.filled(), color.stroke_width(2));
                let drawn = match marker {
                    Marker::Circle => chart
                        .draw_series(pts.map(|p| Circle::new(p, size, fill)))
                        .map_err(|e| err(&e))?
                        .legend(move |(x, y)| Circle::new((x + 10, y), legend, fill)),
                    Marker::Triangle => chart
                        .draw_series(pts.map(|p| TriangleMarker::new(p, size, fill)))
                        .map_err(|e| err(&e))?
                        .legend(move |(x, y)| {
                            TriangleMarker::new((x + 10, y), legend, fill)
                        }),
                    Marker::Cross => chart
                        .draw_series(pts.map(|p| Cross::new(p, size, line)))
                        .map_err(|e| err(&e))?
                        .legend(move |(x, y)| Cross::new((x + 10, y), legend, line)),
                };
                drawn.label(label);
            }
            Overlay::Line { label, points } => {
                let series =
                    LineSeries::new(points.iter().copied(), BLACK.stroke_width(2));
                chart
                    .draw_series(series)
                    .map_err(|e| err(&e))?
                    .label(label)
                    .legend(|(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2))
                    });
            }
        }
    }
    legend_box(&mut chart, plot.legend.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_points_run_along_x_first_through_cell_centres() {
        // Two cells per axis over [0, 2]: centres at 0.5 and 1.5.
        let p = grid_points((0.0, 2.0), 2);
        let expected = ndarray::array![[0.5, 0.5], [1.5, 0.5], [0.5, 1.5], [1.5, 1.5]];
        assert_eq!(p, expected);
    }

    #[test]
    fn a_row_of_equal_classes_becomes_one_rectangle() {
        let class = ndarray::array![[true, true, true], [false, true, true]];
        // row 0: one run; row 1: two runs
        assert_eq!(region_rects(&class, (0.0, 0.0), (1.0, 1.0)).len(), 3);
    }
}
