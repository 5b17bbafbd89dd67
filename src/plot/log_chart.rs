//! A chart with a logarithmic x axis, for the learning-rate finder's loss against rate
//! (HOML's `plt.gca().set_xscale('log')`), with vertical marks at chosen rates.

use std::path::Path;

use plotters::prelude::*;

use super::chart::{ensure_parent, error_at, legend_box, PlotError, PALETTE};

/// One curve: its legend name, its points (x > 0) and its stroke width.
pub struct LogSeries<'a> {
    pub name: &'a str,
    pub points: &'a [(f64, f64)],
    pub width: u32,
}

/// Draws `series` against x on a log₁₀ axis, with a dashed vertical line and a legend
/// entry for each of `marks` (name, x), and a y axis over `y_range`; writes an SVG.
/// Points with x ≤ 0 or a non-finite coordinate are left out.
pub fn log_x_chart(
    path: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[LogSeries],
    marks: &[(&str, f64)],
    y_range: (f64, f64),
) -> Result<(), PlotError> {
    let err = error_at(path);
    ensure_parent(path)?;
    let drawable = |&&(x, y): &&(f64, f64)| x > 0.0 && x.is_finite() && y.is_finite();
    let xs = series
        .iter()
        .flat_map(|s| s.points.iter().filter(drawable).map(|p| p.0));
    let (x0, x1) = xs.fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
    if x0 > x1 {
        return Err(err(&"no points to draw"));
    }
    let (y0, y1) = y_range;
    let root = SVGBackend::new(path, (720, 440)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((x0..x1.max(x0 * 1.0001)).log_scale(), y0..y1)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .x_label_formatter(&|x| format!("{x:.0e}"))
        .draw()
        .map_err(|e| err(&e))?;
    for (i, s) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let style = color.stroke_width(s.width);
        // points above the y range are clipped to its top edge, as matplotlib draws them
        let clipped = s
            .points
            .iter()
            .filter(drawable)
            .map(|&(x, y)| (x, y.clamp(y0, y1)));
        chart
            .draw_series(LineSeries::new(clipped, style))
            .map_err(|e| err(&e))?
            .label(s.name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    }
    for (i, &(name, x)) in marks.iter().enumerate() {
        let color = PALETTE[(series.len() + i) % PALETTE.len()];
        let style = color.stroke_width(2);
        chart
            .draw_series(DashedLineSeries::new(vec![(x, y0), (x, y1)], 6, 4, style))
            .map_err(|e| err(&e))?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    }
    legend_box(&mut chart, path, SeriesLabelPosition::LowerLeft)?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}
