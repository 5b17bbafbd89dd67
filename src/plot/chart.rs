//! Line charts, and the plumbing every figure shares: colours, errors, directories, tick
//! labels, and writing a figure as SVG (plotters' SVG backend: text stays text) and PNG
//! (plotters' bitmap backend, text drawn with the DejaVu Sans font embedded in the crate,
//! so no system font is needed).

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The chart every figure draws on: f64 x against f64 y.
pub type Chart2d<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

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

/// Where chapters write their figures: `$ANNLAB_FIGURES` when set (`book/regenerate.sh`
/// sets it to `book/src/figures`), else `figures/` in this project, which git ignores.
pub fn figures_dir() -> PathBuf {
    figures_dir_from(std::env::var_os("ANNLAB_FIGURES").as_deref())
}

/// `figures_dir` for a given value of `$ANNLAB_FIGURES` (None or empty: unset).
pub fn figures_dir_from(env: Option<&std::ffi::OsStr>) -> PathBuf {
    match env {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("figures"),
    }
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

/// A figure that draws itself on any plotters backend, so one drawing gives the SVG and
/// the PNG.
pub trait Figure {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws on `root` (already white); errors as text.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), String>;
}

/// Writes `figure` to `path`: `name.svg` gives `name.svg` and `name.png` beside it,
/// `name.png` only the PNG; any other extension is an error.
pub fn write_figure(path: &Path, figure: &impl Figure) -> Result<(), PlotError> {
    let err = error_at(path);
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext != "svg" && ext != "png" {
        return Err(err(&format!(
            "the file name must end in .svg or .png, not {:?}",
            path.file_name().unwrap_or_default()
        )));
    }
    ensure_parent(path)?;
    // both backends measure text with the registered font
    register_font();
    if ext == "svg" {
        let root = SVGBackend::new(path, figure.size()).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        figure.draw(&root).map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    let png = path.with_extension("png");
    let err = error_at(&png);
    let root = BitMapBackend::new(&png, figure.size()).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    figure.draw(&root).map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// The embedded font, registered once under the family name the figures use: both
/// backends measure text with it, and the bitmap backend draws with it. `write_figure`
/// calls it; a figure drawn on a backend of one's own must call it first.
pub fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let font: &'static [u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
        // a valid TrueType file shipped with the crate: it cannot fail to parse
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, font);
    });
}

/// A legend beside the plot, off the data: one coloured line and name per series,
/// top-down in `area` (the strip `split_legend` keeps on the right).
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(&str, ShapeStyle)],
) -> Result<(), String> {
    for (i, (name, style)) in entries.iter().enumerate() {
        let y = 50 + 22 * i as i32;
        area.draw(&PathElement::new(vec![(4, y), (28, y)], *style))
            .map_err(|e| e.to_string())?;
        area.draw(&Text::new(
            name.to_string(),
            (34, y - 7),
            ("sans-serif", 14).into_font(),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Splits `root` into the plot (left) and a legend strip (right) wide enough for the
/// longest of `names` (about 8 px a character at 14 px).
pub fn split_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    names: &[&str],
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) as u32;
    let strip = 44 + 8 * longest;
    let width = root.dim_in_pixel().0;
    root.split_horizontally(width.saturating_sub(strip))
}

/// Draws the legend of `chart` (linear or log axes) at `position`, in a white box with a
/// black border.
pub fn legend_box<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())
}

/// Tick labels with one decimal and without "-0.0".
pub fn tidy(v: &f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    format!("{:.1}", if r == 0.0 { 0.0 } else { r })
}

/// Draws one line per series against x = 1, 2, 3, … (epochs, ticked at whole numbers)
/// and writes the SVG at `path` and a PNG beside it.
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

/// Draws one line per series of (x, y) points and writes the SVG at `path` and a PNG
/// beside it (or only the PNG for a `.png` path). When every x is a whole number (epochs)
/// the x axis is ticked at whole numbers only.
pub fn xy_chart(
    path: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[(&str, &[(f64, f64)])],
) -> Result<(), PlotError> {
    let chart = XyChart {
        title,
        x_label,
        y_label,
        series,
        y_range: None,
    };
    chart.check().map_err(|e| error_at(path)(&e))?;
    write_figure(path, &chart)
}

/// Line charts side by side, each on its own axes (two curves of very different ranges,
/// such as sigmoid and relu); writes the SVG at `path` and a PNG beside it.
pub fn xy_panels(path: &Path, panels: &[XyChart]) -> Result<(), PlotError> {
    for panel in panels {
        panel.check().map_err(|e| error_at(path)(&e))?;
    }
    write_figure(path, &Panels(panels))
}

struct Panels<'a>(&'a [XyChart<'a>]);

impl Figure for Panels<'_> {
    fn size(&self) -> (u32, u32) {
        (480 * self.0.len().max(1) as u32, 400)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), String> {
        let areas = root.split_evenly((1, self.0.len().max(1)));
        for (area, panel) in areas.iter().zip(self.0) {
            panel.draw(area)?;
        }
        Ok(())
    }
}

/// A line chart: the figure `xy_chart` and `History::plot` write.
pub struct XyChart<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub series: &'a [(&'a str, &'a [(f64, f64)])],
    /// The y axis; None: the data's range with 5 % margins.
    pub y_range: Option<(f64, f64)>,
}

// A diverged run has inf/NaN figures: leave those points out of range and drawing.
fn finite(&(x, y): &(f64, f64)) -> bool {
    x.is_finite() && y.is_finite()
}

impl XyChart<'_> {
    /// (x0, x1, y0, y1) of the finite points; an error when there are none.
    pub fn bounds(&self) -> Result<(f64, f64, f64, f64), String> {
        let pts = self
            .series
            .iter()
            .flat_map(|(_, p)| p.iter())
            .filter(|p| finite(p));
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(x, y) in pts {
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
        if x0 > x1 {
            return Err("no points to draw".into());
        }
        Ok((x0, x1, y0, y1))
    }

    /// Whether the figure can be drawn (it has a finite point).
    pub fn check(&self) -> Result<(), String> {
        self.bounds().map(|_| ())
    }
}

impl Figure for XyChart<'_> {
    fn size(&self) -> (u32, u32) {
        (760, 440)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), String> {
        let (x0, x1, y0, y1) = self.bounds()?;
        let (y0, y1) = self.y_range.unwrap_or_else(|| {
            let pad = ((y1 - y0) * 0.05).max(1e-9);
            (y0 - pad, y1 + pad)
        });
        let names: Vec<&str> = self.series.iter().map(|(n, _)| *n).collect();
        let (plot, legend) = split_legend(root, &names);
        let whole_x = self
            .series
            .iter()
            .flat_map(|(_, p)| p.iter())
            .all(|&(x, _)| x.fract() == 0.0);
        let mut chart = ChartBuilder::on(&plot)
            .caption(self.title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1.max(x0 + 1e-9), y0..y1)
            .map_err(|e| e.to_string())?;
        let integer_label = |x: &f64| {
            if x.fract().abs() < 1e-9 {
                format!("{x:.0}")
            } else {
                String::new()
            }
        };
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(self.x_label).y_desc(self.y_label);
        if whole_x {
            // a tick per epoch up to 12 epochs; beyond, plotters' round steps (2, 5, 10…)
            let span = (x1 - x0) as usize + 1;
            mesh.x_labels(span.min(12))
                .x_label_formatter(&integer_label);
        }
        mesh.draw().map_err(|e| e.to_string())?;
        let mut entries = Vec::new();
        for (i, (_, points)) in self.series.iter().enumerate() {
            let style = PALETTE[i % PALETTE.len()].stroke_width(2);
            chart
                .draw_series(LineSeries::new(
                    points.iter().filter(|p| finite(p)).copied(),
                    style,
                ))
                .map_err(|e| e.to_string())?;
            entries.push((names[i], style));
        }
        draw_legend(&legend, &entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_go_to_annlab_figures_when_set_and_to_the_untracked_figures_dir_otherwise()
    {
        let set = figures_dir_from(Some(std::ffi::OsStr::new("book/src/figures")));
        assert_eq!(set, PathBuf::from("book/src/figures"));
        let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("figures");
        assert_eq!(figures_dir_from(None), default);
        assert_eq!(figures_dir_from(Some(std::ffi::OsStr::new(""))), default);
    }
}
