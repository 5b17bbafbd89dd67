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

/// Content widths of the columns as Keras 3 lays the table out in an 80-column
/// terminal (a notebook's default): line length 76, `positions` [0.45, 0.80, 1.0]…
const WIDTHS: [usize; 3] = [31, 22, 13];
/// …and, for a functional model with its "Connected to" column, [0.3, 0.56, 0.74, 1.0].
const CONNECTED_WIDTHS: [usize; 4] = [19, 17, 10, 17];

/// The counts under the table. Once the model has trained, Keras 3 has built its
/// optimizer and counts the optimizer's variables too (`optimizer`): in the total and on
/// a line of their own (` Optimizer params: 48 (192.00 B)`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub trainable: usize,
    pub non_trainable: usize,
    /// None until the optimizer is built (the first training step).
    pub optimizer: Option<usize>,
}

/// Renders the table: a header, one row per layer, then the parameter totals with their
/// size as f32 (`Total params: 79,510 (310.59 KB)`).
pub fn render(model_name: &str, rows: &[Row], totals: Totals) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                format!("{} ({})", r.name, r.kind),
                r.output_shape.clone(),
                thousands(r.params as u128),
            ]
        })
        .collect();
    let header = ["Layer (type)", "Output Shape", "Param #"];
    let mut out = format!("Model: \"{model_name}\"\n");
    out += &table(&WIDTHS, &header, &cells);
    out + &totals_text(totals)
}

/// The functional model's table: `render`'s columns and "Connected to", listing the
/// layers each layer reads (`dense[0][0]`: layer, call, output), as Keras 3 prints it.
pub fn render_connected(
    model_name: &str,
    rows: &[Row],
    connections: &[Vec<String>],
    totals: Totals,
) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .zip(connections)
        .map(|(r, c)| {
            vec![
                format!("{} ({})", r.name, r.kind),
                r.output_shape.clone(),
                thousands(r.params as u128),
                if c.is_empty() {
                    "-".to_string()
                } else {
                    c.join(", ")
                },
            ]
        })
        .collect();
    let header = ["Layer (type)", "Output Shape", "Param #", "Connected to"];
    let mut out = format!("Model: \"{model_name}\"\n");
    out += &table(&CONNECTED_WIDTHS, &header, &cells);
    out + &totals_text(totals)
}

/// A learner's own model (Keras's subclassed model): one row per layer it holds, in the
/// order it created them, with the output shape of each layer's first call and no input
/// rows or connections (the model's `forward` is code, which Keras cannot read). A layer
/// not built yet (shape `?`, no parameters) shows `0 (unbuilt)`, as Keras shows every
/// layer of a subclassed model before its first batch. Once the model is compiled and has
/// run a batch, Keras has built the optimizer and adds its variables: `optimizer_params`,
/// counted in the total and shown on a line of its own (` Optimizer params: 2 (8.00 B)`).
pub fn render_subclassed(
    model_name: &str,
    rows: &[Row],
    trainable: usize,
    optimizer_params: Option<usize>,
) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                format!("{} ({})", r.name, r.kind),
                r.output_shape.clone(),
                if r.output_shape == "?" && r.params == 0 {
                    "0 (unbuilt)".to_string()
                } else {
                    thousands(r.params as u128)
                },
            ]
        })
        .collect();
    let header = ["Layer (type)", "Output Shape", "Param #"];
    let mut out = format!("Model: \"{model_name}\"\n");
    out += &table(&WIDTHS, &header, &cells);
    out + &totals_text(Totals {
        trainable,
        non_trainable: 0,
        optimizer: optimizer_params,
    })
}

fn totals_text(totals: Totals) -> String {
    let mut out = String::new();
    // counted in u128: no sum or byte count wraps, whatever a layer reports
    let trainable = totals.trainable as u128;
    let non_trainable = totals.non_trainable as u128;
    let optimizer = totals.optimizer.unwrap_or(0) as u128;
    let mut lines = vec![
        ("Total", trainable + non_trainable + optimizer),
        ("Trainable", trainable),
        ("Non-trainable", non_trainable),
    ];
    if totals.optimizer.is_some() {
        lines.push(("Optimizer", optimizer));
    }
    for (label, n) in lines {
        out += &format!(
            " {label} params: {} ({})\n",
            thousands(n),
            human_bytes(n.saturating_mul(4))
        );
    }
    out
}

/// A table in rich's style: heavy header, a light rule between rows, cells wrapped at
/// spaces to their column's width (a word too long for it ends in `…`), the parameter
/// column (the third) right-aligned.
fn table(widths: &[usize], header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = rule(widths, '┏', '━', '┳', '┓');
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    out += &lines(widths, '┃', &header);
    out += &rule(widths, '┡', '━', '╇', '┩');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out += &rule(widths, '├', '─', '┼', '┤');
        }
        out += &lines(widths, '│', row);
    }
    out + &rule(widths, '└', '─', '┴', '┘')
}

fn rule(widths: &[usize], left: char, fill: char, mid: char, right: char) -> String {
    let parts: Vec<String> = widths
        .iter()
        .map(|&w| fill.to_string().repeat(w + 2))
        .collect();
    format!("{left}{}{right}\n", parts.join(&mid.to_string()))
}

/// One row, as many lines as its tallest wrapped cell; names and shapes left-aligned,
/// the count right-aligned, as Keras does.
fn lines(widths: &[usize], edge: char, cells: &[String]) -> String {
    let wrapped: Vec<Vec<String>> =
        cells.iter().zip(widths).map(|(c, &w)| wrap(c, w)).collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
    let mut out = String::new();
    for k in 0..height {
        out.push(edge);
        for (col, (cell, &w)) in wrapped.iter().zip(widths).enumerate() {
            let text = cell.get(k).map_or("", String::as_str);
            let pad = w.saturating_sub(text.chars().count());
            if col == 2 {
                out += &format!(" {}{text} {edge}", " ".repeat(pad));
            } else {
                out += &format!(" {text}{} {edge}", " ".repeat(pad));
            }
        }
        out.push('\n');
    }
    out
}

/// Greedy word wrap at spaces to `width` characters; a word longer than a line is cut
/// to `width − 1` characters and `…` (rich's "ellipsis" overflow).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let word: String = if word.chars().count() > width {
            word.chars()
                .take(width.saturating_sub(1))
                .chain(['…'])
                .collect()
        } else {
            word.to_string()
        };
        let needed =
            line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line += &word;
    }
    lines.push(line);
    lines
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
        let text = render(
            "sequential",
            &rows,
            Totals {
                trainable: 7_850,
                ..Totals::default()
            },
        );
        let table: Vec<&str> = text.lines().skip(1).take(5).collect();
        let width = table[0].chars().count();
        assert!(table.iter().all(|l| l.chars().count() == width), "{text}");
        assert!(text.contains("│ dense (Dense) "));
        assert!(text.contains(" Total params: 7,850 (30.66 KB)"));
    }
}
