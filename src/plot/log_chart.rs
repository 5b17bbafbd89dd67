//! A chart with a logarithmic x axis, for the learning-rate finder's loss against rate
//! (HOML's `plt.gca().set_xscale('log')`), with vertical marks at chosen rates.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{
    draw_legend, error_at, split_legend, write_figure, Figure, PlotError, PALETTE,
};

/// One curve: its legend name, its points (x > 0) and its stroke width.
pub struct LogSeries<'a> {
    pub name: &'a str,
    pub points: &'a [(f64, f64)],
    pub width: u32,
}

/// Draws `series` against x on a log₁₀ axis, with a dashed vertical line and a legend
/// entry for each of `marks` (name, x), and a y axis over `y_range`; writes the SVG at
/// `path` and a PNG beside it. The legend stands beside the plot, off the data. Points
/// with x ≤ 0 or a non-finite coordinate are left out.
pub fn log_x_chart(
    path: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[LogSeries],
    marks: &[(&str, f64)],
    y_range: (f64, f64),
) -> Result<(), PlotError> {
    let chart = LogChart {
        title,
        x_label,
        y_label,
        series,
        marks,
        y_range,
    };
    chart.x_range().map_err(|e| error_at(path)(&e))?;
    write_figure(path, &chart)
}

struct LogChart<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    series: &'a [LogSeries<'a>],
    marks: &'a [(&'a str, f64)],
    y_range: (f64, f64),
}

fn drawable(&(x, y): &(f64, f64)) -> bool {
    x > 0.0 && x.is_finite() && y.is_finite()
}

impl LogChart<'_> {
    fn x_range(&self) -> Result<(f64, f64), String> {
        let xs = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().filter(|p| drawable(p)).map(|p| p.0));
        let (x0, x1) =
            xs.fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
        if x0 > x1 {
            return Err("no points to draw".into());
        }
        Ok((x0, x1))
    }
}

impl Figure for LogChart<'_> {
    fn size(&self) -> (u32, u32) {
        (760, 440)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), String> {
        let (x0, x1) = self.x_range()?;
        let (y0, y1) = self.y_range;
        let names: Vec<&str> = (self.series.iter().map(|s| s.name))
            .chain(self.marks.iter().map(|m| m.0))
            .collect();
        let (plot, legend) = split_legend(root, &names);
        let mut chart = ChartBuilder::on(&plot)
            .caption(self.title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d((x0..x1.max(x0 * 1.0001)).log_scale(), y0..y1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc(self.x_label)
            .y_desc(self.y_label)
            .x_label_formatter(&|x| format!("{x:.0e}"))
            .draw()
            .map_err(|e| e.to_string())?;
        let mut entries = Vec::new();
        for (i, s) in self.series.iter().enumerate() {
            let style = PALETTE[i % PALETTE.len()].stroke_width(s.width);
            // points above the y range are clipped to its top edge, as matplotlib draws them
            let clipped = s
                .points
                .iter()
                .filter(|p| drawable(p))
                .map(|&(x, y)| (x, y.clamp(y0, y1)));
            chart
                .draw_series(LineSeries::new(clipped, style))
                .map_err(|e| e.to_string())?;
            entries.push((s.name, style));
        }
        for (i, &(name, x)) in self.marks.iter().enumerate() {
            let style = PALETTE[(self.series.len() + i) % PALETTE.len()].stroke_width(2);
            chart
                .draw_series(DashedLineSeries::new(vec![(x, y0), (x, y1)], 6, 4, style))
                .map_err(|e| e.to_string())?;
            entries.push((name, style));
        }
        draw_legend(&legend, &entries)
    }
}
