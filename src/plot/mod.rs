//! Figures as SVG, written by the chapter binaries into `book/src/figures/`: line charts
//! (`chart`), decision regions with scatter markers (`regions`), and dotted paths on
//! level sets (`paths`).

pub mod chart;
pub mod log_chart;
pub mod paths;
pub mod regions;

pub use chart::{
    ensure_parent, error_at, figures_dir, legend_box, line_chart, tidy, xy_chart, Chart2d,
    PlotError, PALETTE,
};
pub use log_chart::{log_x_chart, LogSeries};
pub use paths::{dotted_line, ellipse, paths_on_levels, NamedPath, PathPanel};
pub use regions::{grid_points, region_plot, region_rects, shade, Marker, Overlay, RegionPlot};
