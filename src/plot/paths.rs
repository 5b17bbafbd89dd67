//! Paths drawn as lines with a dot at every point (an optimizer's steps, a count per
//! epoch), and level sets of a two-variable function to draw them on.

use std::path::Path;

use plotters::prelude::*;

use super::chart::{ensure_parent, error_at, legend_box, Chart2d, PlotError, PALETTE};

/// A named path through the plane.
pub type NamedPath = (&'static str, Vec<(f64, f64)>);

/// Draws `points` as a line 2 px wide with a dot of `dot` px at every point, and gives it
/// a legend entry `name`. Errors name `path`, the file being written.
pub fn dotted_line<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    path: &Path,
    (name, points): (&str, &[(f64, f64)]),
    color: RGBColor,
    dot: i32,
) -> Result<(), PlotError> {
    let err = error_at(path);
    let line = LineSeries::new(points.iter().copied(), color.stroke_width(2));
    chart
        .draw_series(line)
        .map_err(|e| err(&e))?
        .label(name)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    let dots = points.iter().map(|&p| Circle::new(p, dot, color.filled()));
    chart.draw_series(dots).map_err(|e| err(&e))?;
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

/// Panels stacked vertically (820 × 760 px), each drawing the grey `levels` and then its
/// paths, under one `title`; writes an SVG.
pub fn paths_on_levels(
    path: &Path,
    title: &str,
    (x_range, y_range): ((f64, f64), (f64, f64)),
    levels: &[Vec<(f64, f64)>],
    panels: &[PathPanel],
) -> Result<(), PlotError> {
    let err = error_at(path);
    ensure_parent(path)?;
    let root = SVGBackend::new(path, (820, 760)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let root = root
        .titled(title, ("sans-serif", 20))
        .map_err(|e| err(&e))?;
    let areas = root.split_evenly((panels.len(), 1));
    for (area, panel) in areas.iter().zip(panels) {
        let mut chart = ChartBuilder::on(area)
            .caption(panel.caption, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(45)
            .build_cartesian_2d(x_range.0..x_range.1, y_range.0..y_range.1)
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .x_desc("x")
            .y_desc("y")
            .disable_mesh()
            .draw()
            .map_err(|e| err(&e))?;
        for ring in levels {
            let ring = LineSeries::new(ring.iter().copied(), RGBColor(205, 205, 205));
            chart.draw_series(ring).map_err(|e| err(&e))?;
        }
        for (i, (name, points)) in panel.paths.iter().enumerate() {
            let color = PALETTE[(panel.first_colour + i) % PALETTE.len()];
            dotted_line(&mut chart, path, (name, points), color, 2)?;
        }
        legend_box(&mut chart, path, SeriesLabelPosition::LowerLeft)?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
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
