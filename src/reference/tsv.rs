//! Tab-separated tables with a header line and `#` comments.

use std::collections::HashMap;

/// A parsed table: columns by name, rows as cells.
pub struct Table {
    origin: String,
    columns: HashMap<String, usize>,
    rows: Vec<(usize, Vec<String>)>,
}

/// One row, with the line it came from.
pub struct Row<'a> {
    table: &'a Table,
    line: usize,
    cells: &'a [String],
}

impl Table {
    pub fn parse(text: &str, origin: &str) -> Result<Table, String> {
        let mut columns = None;
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let cells: Vec<String> = line.split('\t').map(|c| c.trim().to_string()).collect();
            match columns {
                None => {
                    columns = Some(
                        cells
                            .iter()
                            .enumerate()
                            .map(|(i, c)| (c.to_string(), i))
                            .collect::<HashMap<_, _>>(),
                    )
                }
                Some(_) => rows.push((i + 1, cells)),
            }
        }
        Ok(Table {
            origin: origin.into(),
            columns: columns.unwrap_or_default(),
            rows,
        })
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|(line, cells)| Row {
            table: self,
            line: *line,
            cells,
        })
    }
}

impl Row<'_> {
    /// `file:line`, for messages.
    pub fn at(&self) -> String {
        format!("{}:{}", self.table.origin, self.line)
    }

    /// A cell by column name; empty when the column or cell is missing.
    pub fn get(&self, column: &str) -> &str {
        self.table
            .columns
            .get(column)
            .and_then(|&i| self.cells.get(i))
            .map_or("", String::as_str)
    }

    /// A required cell.
    pub fn req(&self, column: &str) -> Result<String, String> {
        let v = self.get(column);
        if v.is_empty() {
            Err(format!("{}: missing value in column {column:?}", self.at()))
        } else {
            Ok(v.to_string())
        }
    }
}
