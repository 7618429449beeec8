//! The departmental view: one instance hosts several CTGs, and a reader across them (a
//! CAF adviser, the instance admin) compares their activity side by side.
//!
//! The view leaves each territory's team, so every cell follows the "< 5" rule whatever
//! the reader's role, counts that are not residents' answers included: a territory of a
//! few villages can have one field report or two needs, and across territories no one
//! reading needs the exact small figure.
//!
//! Needs are counted twice, by status and by theme, so for each territory both rows add
//! up to the same total: with one exact, a hidden cell of the other could be a
//! subtraction away. [`disclose_needs`] shows that total and applies the breakdown rule
//! to each row, so that neither the total nor the other row gives a small cell away.

use std::collections::BTreeMap;

use crate::disclosure::{Audience, Cell, Count};
use crate::needs::NeedStatus;
use crate::territory::TerritoryId;

/// Who the departmental view is shown to, for the rule: a restricted audience.
pub const AUDIENCE: Audience = Audience::Partner;

/// One territory's activity, for a calendar year where the figure is dated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerritoryOverview {
    pub territory: TerritoryId,
    /// Surveys open today (status open, today between their dates).
    pub open_surveys: i64,
    /// Responses submitted during the year.
    pub responses: i64,
    /// Field reports observed during the year.
    pub field_reports: i64,
    /// Every need by its current status, in the order of [`NeedStatus::ALL`].
    pub needs: Vec<(NeedStatus, i64)>,
    /// Meetings dated in the year.
    pub meetings: i64,
    /// Decisions of the year's meetings, abandoned ones left out (as the indicators count
    /// them).
    pub decisions: i64,
}

impl TerritoryOverview {
    pub fn needs_of(&self, status: NeedStatus) -> i64 {
        self.needs
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n)
    }
}

/// One row of the needs board theme x territory: a theme label, and each territory whose
/// plan has a theme of that label with its count of needs. A territory missing from
/// `counts` has no such theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeRow {
    pub label: String,
    pub counts: BTreeMap<TerritoryId, i64>,
}

/// The needs board across territories: plans have their own themes, so rows are the
/// union of their labels, in plan order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeedsByTheme {
    pub rows: Vec<ThemeRow>,
}

impl NeedsByTheme {
    /// A territory's counts, row by row (`None` where its plan lacks the theme).
    pub fn column(&self, territory: TerritoryId) -> Vec<Option<i64>> {
        self.rows
            .iter()
            .map(|row| row.counts.get(&territory).copied())
            .collect()
    }
}

/// What a count reads in the view: "1 234" or "< 5".
pub fn shown(n: i64) -> Count {
    AUDIENCE.count(n)
}

/// One territory's needs as the view shows them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NeedCells {
    /// Their total, and the same needs by status and by theme.
    Shown {
        total: Cell,
        statuses: Vec<Cell>,
        themes: Vec<Cell>,
    },
    /// Nothing of them can be shown without giving a small cell away ([`SECRET`]).
    Secret,
}

/// What a cell reads when the territory's needs are [`NeedCells::Secret`].
pub const SECRET: &str = "s";

/// The sentence that says what [`SECRET`] means, next to a table that has one.
pub const SECRET_NOTICE: &str = "« s » : secret, les besoins de ce territoire ne peuvent pas être détaillés sans que des nombres « < 5 » se déduisent les uns des autres.";

/// Both rows add up to the territory's total, so the total is shown and each row goes
/// through the breakdown rule of [`Audience::breakdown`], which withholds ("≥ 5") the
/// cells that would let a small one be worked out from the total. Under 5 needs,
/// everything is "< 5". When either row cannot show its total, nothing is shown: the
/// other row would give the total away, and without it the bounds of the two rows
/// (cells under 5 on one side, at least 5 on the other) can still meet.
pub fn disclose_needs(statuses: &[i64], themes: &[i64]) -> NeedCells {
    let total: i64 = statuses.iter().sum();
    let by_status = AUDIENCE.breakdown(statuses, total, true);
    let by_theme = AUDIENCE.breakdown(themes, total, true);
    let agree = by_status.total == by_theme.total;
    if agree && matches!(by_status.total, Cell::Shown(_) | Cell::Small) {
        NeedCells::Shown {
            total: by_status.total,
            statuses: by_status.cells,
            themes: by_theme.cells,
        }
    } else {
        NeedCells::Secret
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    /// (total, statuses, themes) as text, or `None` when secret.
    fn plain(seen: &NeedCells) -> Option<(String, Vec<String>, Vec<String>)> {
        let text = |cells: &[Cell]| cells.iter().map(|c| c.plain()).collect();
        match seen {
            NeedCells::Shown {
                total,
                statuses,
                themes,
            } => Some((total.plain(), text(statuses), text(themes))),
            NeedCells::Secret => None,
        }
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn figures_of_5_and_more_are_exact_others_hidden() {
        assert_eq!(shown(0).to_string(), "0");
        assert_eq!(shown(3).to_string(), "< 5");
        assert_eq!(shown(5).to_string(), "5");
        assert_eq!(shown(1234).to_string(), "1\u{202f}234");
    }

    #[test]
    fn a_small_status_is_not_a_subtraction_away_from_the_themes() {
        // 20 needs: 20 - 10 - 7 would give the 3 away, so the 7 goes with it.
        assert_eq!(
            plain(&disclose_needs(&[3, 10, 7, 0], &[12, 8])),
            Some((
                "20".into(),
                row(&["< 5", "10", "≥ 5", "0"]),
                row(&["12", "8"])
            ))
        );
        // 13 needs: 13 - 10 would give the 3 away, and the 13 themes give the total.
        assert_eq!(disclose_needs(&[3, 10, 0, 0], &[13]), NeedCells::Secret);
        // Nothing small: everything exact.
        assert_eq!(
            plain(&disclose_needs(&[6, 10, 0, 0], &[7, 9])),
            Some(("16".into(), row(&["6", "10", "0", "0"]), row(&["7", "9"])))
        );
        // Under 5 needs, nothing is told.
        assert_eq!(
            plain(&disclose_needs(&[2, 1, 0, 0], &[3, 0])),
            Some(("< 5".into(), row(&["< 5"; 4]), row(&["< 5"; 2])))
        );
    }

    #[test]
    fn no_hidden_cell_can_be_worked_out_from_the_other_row() {
        // Every split of up to 16 needs in 4 statuses and 2 themes, grouped by what a
        // reader sees, who knows how cells are chosen: a hidden cell must never have the
        // same value in the whole group. A group whose total is not shown may lack members
        // above 16: those are checked only when one member has at most 8 needs.
        type Split = ([i64; 4], [i64; 2]);
        let mut groups: HashMap<NeedCells, Vec<Split>> = HashMap::new();
        for total in 0..=16_i64 {
            for a in 0..=total {
                for b in 0..=total - a {
                    for c in 0..=total - a - b {
                        let statuses = [a, b, c, total - a - b - c];
                        for t in 0..=total {
                            let themes = [t, total - t];
                            let seen = disclose_needs(&statuses, &themes);
                            groups.entry(seen).or_default().push((statuses, themes));
                        }
                    }
                }
            }
        }
        let least =
            |alike: &[([i64; 4], [i64; 2])]| alike.iter().map(|(s, _)| s.iter().sum::<i64>()).min();
        for (seen, alike) in &groups {
            let NeedCells::Shown {
                total,
                statuses,
                themes,
            } = seen
            else {
                // Nothing is shown: only the total is known to be at least 5.
                assert!(least(alike) >= Some(5) || alike.is_empty(), "{alike:?}");
                continue;
            };
            if total.value().is_none() && least(alike) > Some(8) {
                continue;
            }
            for (index, cell) in statuses.iter().enumerate() {
                let values: HashSet<i64> = alike.iter().map(|(s, _)| s[index]).collect();
                assert!(
                    cell.value().is_some() || values.len() > 1,
                    "{alike:?}: status {index} is worked out from {statuses:?} {themes:?}"
                );
            }
            for (index, cell) in themes.iter().enumerate() {
                let values: HashSet<i64> = alike.iter().map(|(_, t)| t[index]).collect();
                assert!(
                    cell.value().is_some() || values.len() > 1,
                    "{alike:?}: theme {index} is worked out from {statuses:?} {themes:?}"
                );
            }
        }
    }
}
