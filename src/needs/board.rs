//! The needs board: per commune and theme, how many responses touched the theme, how many
//! field reports and needs there were, over a span of days, against the span before.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The counts of one cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub responses: i64,
    pub reports: i64,
    pub needs: i64,
}

impl Counts {
    pub fn total(&self) -> i64 {
        self.responses + self.reports + self.needs
    }

    pub fn add(&mut self, other: Counts) {
        self.responses += other.responses;
        self.reports += other.reports;
        self.needs += other.needs;
    }
}

/// Where a count is: the row is a commune code, `territoire` (field reports about the
/// whole territory) or `non-precisee` (responses without a commune); the column a theme.
pub const WHOLE_TERRITORY: &str = "territoire";
pub const UNKNOWN_COMMUNE: &str = "non-precisee";

/// The board for a span, with the same counts for the span before. Serialised as the
/// frozen snapshot of a meeting report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    /// How the span reads, for example "2026" or "du 1 janvier au 26 novembre 2026".
    pub label: String,
    pub public: Option<String>,
    /// (commune or row code, theme code) → counts.
    pub cells: BTreeMap<String, BTreeMap<String, Counts>>,
    pub previous: BTreeMap<String, BTreeMap<String, Counts>>,
}

impl Board {
    pub fn cell(&self, row: &str, theme: &str) -> Counts {
        self.cells
            .get(row)
            .and_then(|r| r.get(theme))
            .copied()
            .unwrap_or_default()
    }

    pub fn previous_cell(&self, row: &str, theme: &str) -> Counts {
        self.previous
            .get(row)
            .and_then(|r| r.get(theme))
            .copied()
            .unwrap_or_default()
    }

    /// All counts of a theme, every row together.
    pub fn theme_total(&self, theme: &str) -> Counts {
        let mut total = Counts::default();
        for row in self.cells.values() {
            if let Some(counts) = row.get(theme) {
                total.add(*counts);
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_board_survives_its_snapshot() {
        let mut board = Board {
            label: "2026".into(),
            ..Board::default()
        };
        board.cells.entry("sergines".into()).or_default().insert(
            "jeunesse".into(),
            Counts {
                responses: 3,
                reports: 1,
                needs: 0,
            },
        );
        let json = serde_json::to_string(&board).expect("serialise");
        let back: Board = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, board);
        assert_eq!(back.cell("sergines", "jeunesse").total(), 4);
        assert_eq!(back.theme_total("jeunesse").responses, 3);
    }
}
