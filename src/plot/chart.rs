//! Line charts as SVG (plotters' SVG backend: text stays text, no font files needed),
//! and the plumbing every figure shares: colours, errors, directories, tick labels.

use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// The chart every figure draws on: f64 x against f64 y.
pub type Chart2d<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Colours for successive series (Keras/matplotlib's default cycle).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// A plotting failure, with the file it was writing.
#[derive(Debug, thiserror::Error)]
#[error("could not draw {path}: {reason}")]
pub struct PlotError {
    pub path: String,
    pub reason: String,
}

/// Where chapters write their figures: `book/src/figures/` of this project.
pub fn figures_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/figures")
}

/// Creates the directory `path` goes into (nothing to do for a bare file name).
pub fn ensure_parent(path: &Path) -> Result<(), PlotError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|e| error_at(path)(&e))
        }
        _ => Ok(()),
    }
}

/// Turns any drawing failure into a `PlotError` naming the file being written.
pub fn error_at(path: &Path) -> impl Fn(&dyn std::fmt::Display) -> PlotError + '_ {
    move |e| PlotError {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// Draws the legend of `chart` (linear or log axes) at `position`, in a white box with a
/// black border.
pub fn legend_box<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    path: &Path,
    position: SeriesLabelPosition,
) -> Result<(), PlotError> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| error_at(path)(&e))
}

/// Tick labels with one decimal and without "-0.0".
pub fn tidy(v: &f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    format!("{:.1}", if r == 0.0 { 0.0 } else { r })
}

/// Draws one line per series against x = 1, 2, 3, … (epochs) and writes an SVG.
pub fn line_chart(
    path: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[(&str, &[f64])],
) -> Result<(), PlotError> {
    let xs: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|(_, ys)| {
            ys.iter()
                .enumerate()
                .map(|(i, &y)| ((i + 1) as f64, y))
                .collect()
        })
        .collect();
    let named: Vec<(&str, &[(f64, f64)])> = series
        .iter()
        .zip(&xs)
        .map(|((name, _), pts)| (*name, pts.as_slice()))
        .collect();
    xy_chart(path, title, x_label, y_label, &named)
}

/// Draws one line per series of (x, y) points and writes an SVG.
pub fn xy_chart(
    path: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[(&str, &[(f64, f64)])],
) -> Result<(), PlotError> {
    let err = error_at(path);
    ensure_parent(path)?;
    // A diverged run has inf/NaN figures: leave those points out of range and drawing.
    let finite = |&&(x, y): &&(f64, f64)| x.is_finite() && y.is_finite();
    let pts = series.iter().flat_map(|(_, p)| p.iter()).filter(finite);
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in pts {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    if x0 > x1 {
        return Err(err(&"no points to draw"));
    }
    let pad = ((y1 - y0) * 0.05).max(1e-9);
    let root = SVGBackend::new(path, (720, 440)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(x0..x1.max(x0 + 1e-9), (y0 - pad)..(y1 + pad))
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .draw()
        .map_err(|e| err(&e))?;
    for (i, (name, points)) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(
                points.iter().filter(finite).copied(),
                color.stroke_width(2),
            ))
            .map_err(|e| err(&e))?
            .label(*name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}
