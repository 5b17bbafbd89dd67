//! The `summary()` table, laid out as Keras 3 prints it.

/// One row of the table.
pub struct Row {
    /// `dense_1`
    pub name: String,
    /// `Dense`
    pub kind: &'static str,
    /// `(None, 100)`
    pub output_shape: String,
    pub params: usize,
}

const WIDTHS: [usize; 3] = [31, 22, 13];

/// Renders the table: a header, one row per layer, then the parameter totals with their
/// size as f32 (`Total params: 79,510 (310.59 KB)`).
pub fn render(model_name: &str, rows: &[Row], trainable: usize, non_trainable: usize) -> String {
    let mut out = format!("Model: \"{model_name}\"\n");
    out += &rule('┏', '━', '┳', '┓');
    out += &line('┃', ["Layer (type)", "Output Shape", "Param #"]);
    out += &rule('┡', '━', '╇', '┩');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out += &rule('├', '─', '┼', '┤');
        }
        let name = format!("{} ({})", row.name, row.kind);
        out += &line(
            '│',
            [&name, &row.output_shape, &thousands(row.params as u128)],
        );
    }
    out += &rule('└', '─', '┴', '┘');
    // counted in u128: no sum or byte count wraps, whatever a layer reports
    let (trainable, non_trainable) = (trainable as u128, non_trainable as u128);
    for (label, n) in [
        ("Total", trainable + non_trainable),
        ("Trainable", trainable),
        ("Non-trainable", non_trainable),
    ] {
        out += &format!(
            " {label} params: {} ({})\n",
            thousands(n),
            human_bytes(4 * n)
        );
    }
    out
}

fn rule(left: char, fill: char, mid: char, right: char) -> String {
    let parts: Vec<String> = WIDTHS
        .iter()
        .map(|&w| fill.to_string().repeat(w + 2))
        .collect();
    format!("{left}{}{right}\n", parts.join(&mid.to_string()))
}

/// Name and shape left-aligned, the count right-aligned, as Keras does.
fn line(edge: char, cells: [&str; 3]) -> String {
    format!(
        "{edge} {:<w0$} {edge} {:<w1$} {edge} {:>w2$} {edge}\n",
        cells[0],
        cells[1],
        cells[2],
        w0 = WIDTHS[0],
        w1 = WIDTHS[1],
        w2 = WIDTHS[2]
    )
}

/// `79510` → `79,510`.
pub fn thousands(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes in Keras's units (1 KB = 1,024 B): `318040` → `310.59 KB`.
pub fn human_bytes(bytes: u128) -> String {
    let units = ["B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.2} {}", units[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators_and_byte_units_match_keras() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(7_850), "7,850");
        assert_eq!(thousands(266_610), "266,610");
        assert_eq!(thousands(1_234_567), "1,234,567");
        // 79,510 params × 4 bytes = 318,040 B = 310.59 KB
        assert_eq!(human_bytes(318_040), "310.59 KB");
        assert_eq!(human_bytes(0), "0.00 B");
        // beyond GB (only an error message shows such sizes): 2⁴² B = 4 TB
        assert_eq!(human_bytes(1 << 42), "4.00 TB");
        assert_eq!(thousands(1 << 64), "18,446,744,073,709,551,616");
    }

    #[test]
    fn every_line_of_the_table_has_the_same_width() {
        let rows = [Row {
            name: "dense".into(),
            kind: "Dense",
            output_shape: "(None, 10)".into(),
            params: 7_850,
        }];
        let text = render("sequential", &rows, 7_850, 0);
        let table: Vec<&str> = text.lines().skip(1).take(5).collect();
        let width = table[0].chars().count();
        assert!(table.iter().all(|l| l.chars().count() == width), "{text}");
        assert!(text.contains("│ dense (Dense) "));
        assert!(text.contains(" Total params: 7,850 (30.66 KB)"));
    }
}
