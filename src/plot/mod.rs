//! Figures as SVG and PNG, written by the chapter binaries into `figures/` (or
//! `$ANNLAB_FIGURES`; `book/regenerate.sh` points it at `book/src/figures/`): line charts
//! (`chart`), decision regions with scatter markers (`regions`), and dotted paths on
//! level sets (`paths`).

pub mod chart;
pub mod log_chart;
pub mod paths;
pub mod regions;

pub use chart::{
    draw_legend, ensure_parent, error_at, figures_dir, figures_dir_from, legend_box,
    line_chart, register_font, split_legend, tidy, write_figure, xy_chart, xy_panels,
    Chart2d, Figure, PlotError, XyChart, PALETTE,
};
pub use log_chart::{log_x_chart, LogSeries};
pub use paths::{dotted_line, ellipse, paths_on_levels, NamedPath, PathPanel};
pub use regions::{
    grid_points, region_plot, region_rects, shade, Marker, Overlay, RegionPlot,
};
