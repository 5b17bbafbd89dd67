//! Paths drawn as lines with a dot at every point (an optimizer's steps, a count per
//! epoch), and level sets of a two-variable function to draw them on.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{
    draw_legend, split_legend, write_figure, Chart2d, Figure, PlotError, PALETTE,
};

/// A named path through the plane.
pub type NamedPath = (&'static str, Vec<(f64, f64)>);

/// Draws `points` as a line 2 px wide with a dot of `dot` px at every point, and gives it
/// a legend entry `name`.
pub fn dotted_line<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    (name, points): (&str, &[(f64, f64)]),
    color: RGBColor,
    dot: i32,
) -> Result<(), String> {
    let line = LineSeries::new(points.iter().copied(), color.stroke_width(2));
    chart
        .draw_series(line)
        .map_err(|e| e.to_string())?
        .label(name)
        .legend(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
        });
    let dots = points.iter().map(|&p| Circle::new(p, dot, color.filled()));
    chart.draw_series(dots).map_err(|e| e.to_string())?;
    Ok(())
}

/// The ellipse (rx·cos t, ry·sin t), t = 0 … 2π in `segments` steps: the level set
/// x²/rx² + y²/ry² = 1, closed (first point = last point).
pub fn ellipse(rx: f64, ry: f64, segments: u32) -> Vec<(f64, f64)> {
    (0..=segments)
        .map(|i| {
            let t = f64::from(i) / f64::from(segments) * std::f64::consts::TAU;
            (rx * t.cos(), ry * t.sin())
        })
        .collect()
}

/// One panel of `paths_on_levels`: its caption and its paths, coloured from
/// `PALETTE[first_colour]` on.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPanel<'a> {
    pub caption: &'a str,
    pub paths: &'a [NamedPath],
    pub first_colour: usize,
}

/// Panels stacked vertically (880 × 760 px), each drawing the grey `levels` and then its
/// paths, with its legend beside it (off the paths), under one `title`; writes the SVG at
/// `path` and a PNG beside it.
pub fn paths_on_levels(
    path: &Path,
    title: &str,
    ranges: ((f64, f64), (f64, f64)),
    levels: &[Vec<(f64, f64)>],
    panels: &[PathPanel],
) -> Result<(), PlotError> {
    let figure = PathsOnLevels {
        title,
        ranges,
        levels,
        panels,
    };
    write_figure(path, &figure)
}

struct PathsOnLevels<'a> {
    title: &'a str,
    ranges: ((f64, f64), (f64, f64)),
    levels: &'a [Vec<(f64, f64)>],
    panels: &'a [PathPanel<'a>],
}

impl Figure for PathsOnLevels<'_> {
    fn size(&self) -> (u32, u32) {
        (880, 760)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), String> {
        let ((x0, x1), (y0, y1)) = self.ranges;
        let root = root
            .titled(self.title, ("sans-serif", 20))
            .map_err(|e| e.to_string())?;
        let areas = root.split_evenly((self.panels.len(), 1));
        let names: Vec<&str> = (self.panels.iter())
            .flat_map(|p| p.paths.iter().map(|(n, _)| *n))
            .collect();
        for (area, panel) in areas.iter().zip(self.panels) {
            let (plot, legend) = split_legend(area, &names);
            let mut chart = ChartBuilder::on(&plot)
                .caption(panel.caption, ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(35)
                .y_label_area_size(45)
                .build_cartesian_2d(x0..x1, y0..y1)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .x_desc("x")
                .y_desc("y")
                .disable_mesh()
                .draw()
                .map_err(|e| e.to_string())?;
            for ring in self.levels {
                let ring = LineSeries::new(ring.iter().copied(), RGBColor(205, 205, 205));
                chart.draw_series(ring).map_err(|e| e.to_string())?;
            }
            let mut entries = Vec::new();
            for (i, (name, points)) in panel.paths.iter().enumerate() {
                let color = PALETTE[(panel.first_colour + i) % PALETTE.len()];
                dotted_line(&mut chart, (name, points), color, 2)?;
                entries.push((*name, color.stroke_width(2)));
            }
            draw_legend(&legend, &entries)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ellipse_is_closed_and_touches_its_axes() {
        // t = 0 gives (rx, 0), t = π/2 (a quarter of 8 segments) gives (0, ry).
        let ring = ellipse(3.0, 2.0, 8);
        assert_eq!(ring.len(), 9);
        assert_eq!(ring[0], (3.0, 0.0));
        approx::assert_abs_diff_eq!(ring[2].0, 0.0, epsilon = 1e-12);
        approx::assert_abs_diff_eq!(ring[2].1, 2.0, epsilon = 1e-12);
        approx::assert_abs_diff_eq!(ring[8].0, 3.0, epsilon = 1e-12);
    }
}
