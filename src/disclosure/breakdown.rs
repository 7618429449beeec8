//! Breakdowns (answers per option, commune, public...) as an audience may see them. Hiding
//! each small cell is not enough when the total is shown: with a total and every cell but
//! one, the hidden one is a subtraction away. So, for answers that fall each in exactly one
//! cell, the smallest shown cells are withheld too ("≥ 5") until no small cell can be
//! worked out from the total and the others.

use std::fmt;

use super::{Audience, Count, HIDDEN, THRESHOLD};
use crate::french;

/// What a restricted audience reads for a cell of at least 5 that is held back.
pub const WITHHELD: &str = "≥ 5";

/// The sentence that says what "≥ 5" means, next to a table that has one.
pub const WITHHELD_NOTICE: &str = "« ≥ 5 » : au moins 5 réponses, dont le nombre exact est retiré pour que les nombres « < 5 » ne puissent pas se déduire du total.";

/// One cell of a breakdown as its audience sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cell {
    Shown(i64),
    /// From 1 to 4: "< 5".
    Small,
    /// At least 5, held back so that the small cells cannot be worked out: "≥ 5".
    Withheld,
}

impl Cell {
    pub fn value(self) -> Option<i64> {
        match self {
            Self::Shown(n) => Some(n),
            _ => None,
        }
    }

    /// "1234", "< 5" or "≥ 5", for CSV files.
    pub fn plain(self) -> String {
        match self {
            Self::Shown(n) => n.to_string(),
            Self::Small => HIDDEN.to_owned(),
            Self::Withheld => WITHHELD.to_owned(),
        }
    }
}

/// "1 234", "< 5" or "≥ 5".
impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Shown(n) => f.write_str(&french::integer(*n)),
            Self::Small => f.write_str(HIDDEN),
            Self::Withheld => f.write_str(WITHHELD),
        }
    }
}

/// A breakdown of `total` answers, cell by cell, as its audience may see it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Breakdown {
    pub total: Cell,
    pub cells: Vec<Cell>,
}

impl Breakdown {
    /// Whether the cells may be shown at all (there are answers, and enough of them).
    pub fn is_shown(&self) -> bool {
        !matches!(self.total, Cell::Small | Cell::Shown(0))
    }

    /// A cell's share of the total, in percent, when both are shown.
    pub fn share(&self, index: usize) -> Option<f64> {
        let total = self.total.value().filter(|t| *t > 0)?;
        let cell = self.cells.get(index)?.value()?;
        Some(cell as f64 * 100.0 / total as f64)
    }

    /// Whether a cell or the total is held back, so that the page explains "≥ 5".
    pub fn withholds(&self) -> bool {
        self.total == Cell::Withheld || self.cells.contains(&Cell::Withheld)
    }
}

/// The main categories of a breakdown, for a short summary: the largest, each shown, and
/// the rest together.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Summary {
    pub total: Count,
    /// (index of the cell, count), the largest first.
    pub listed: Vec<(usize, i64)>,
    /// The other answers together, when the cells add up to the total.
    pub others: Option<i64>,
}

/// Whether no hidden cell can be worked out from the sum of the hidden cells, knowing
/// what a reader knows: small cells lie between 1 and 4, withheld ones between 5 and the
/// smallest cell still shown (`smallest_shown`, `None` when none is).
fn safe(small: i64, withheld: i64, hidden_sum: i64, smallest_shown: Option<i64>) -> bool {
    if small == 0 {
        return true;
    }
    // A small cell alone is the difference itself: one other cell at least goes too.
    if withheld == 0 {
        return false;
    }
    // Cells equal to the smallest are withheld together, so a withheld one is below
    // every cell still shown.
    let ceiling = smallest_shown.map(|m| m - 1);
    let least = small + THRESHOLD * withheld;
    let most = ceiling.map(|c| (THRESHOLD - 1) * small + c * withheld);
    // A withheld cell between 5 and 5 would be known; so would the rest at either end.
    ceiling.is_none_or(|c| c > THRESHOLD)
        && hidden_sum > least
        && most.is_none_or(|most| hidden_sum < most)
}

/// Withholds the smallest shown cells of an exclusive breakdown until no hidden cell can
/// be worked out from the total; returns the total as it may be shown.
fn cover(shown: &mut [Cell], total: i64) -> Cell {
    loop {
        let count = |wanted: Cell| shown.iter().filter(|c| **c == wanted).count() as i64;
        let visible: i64 = shown.iter().filter_map(|c| c.value()).sum();
        let smallest = shown
            .iter()
            .filter_map(|c| c.value())
            .filter(|n| *n > 0)
            .min();
        let (small, withheld) = (count(Cell::Small), count(Cell::Withheld));
        if small > 0 && smallest.is_none() {
            // Every answer is in a hidden cell: without the total, no sum tells them apart.
            return Cell::Withheld;
        }
        if safe(small, withheld, total - visible, smallest) {
            return Cell::Shown(total);
        }
        let Some(least) = smallest else {
            return Cell::Withheld;
        };
        // Cells equal to the smallest go together: a withheld cell is then below every
        // cell still shown, whichever it was.
        for cell in shown.iter_mut().filter(|c| **c == Cell::Shown(least)) {
            *cell = Cell::Withheld;
        }
    }
}

impl Audience {
    /// The cells of `total` answers as this audience may see them. `exclusive`: each
    /// answer is in exactly one cell, so the cells add up to the total (a single choice,
    /// a distribution), and the total must not give a small cell away. Without it
    /// (multiple choice), each cell is hidden on its own.
    pub fn breakdown(self, cells: &[i64], total: i64, exclusive: bool) -> Breakdown {
        if self.is_exact() {
            return Breakdown {
                total: Cell::Shown(total),
                cells: cells.iter().map(|n| Cell::Shown(*n)).collect(),
            };
        }
        if !self.shows(total) {
            return Breakdown {
                total: Cell::Small,
                cells: vec![Cell::Small; cells.len()],
            };
        }
        let mut shown: Vec<Cell> = cells
            .iter()
            .map(|n| match self.count(*n) {
                Count::Shown(n) => Cell::Shown(n),
                Count::Hidden => Cell::Small,
            })
            .collect();
        let total = if exclusive {
            cover(&mut shown, total)
        } else {
            Cell::Shown(total)
        };
        Breakdown {
            total,
            cells: shown,
        }
    }

    /// At most `most` of the largest cells, each one this audience may see, and (when
    /// the cells add up to the total) the other answers together, never fewer than 5 of
    /// them for a restricted audience: the smallest listed cell joins them until they
    /// are, so that the total and the list give no small count away.
    pub fn summary(self, cells: &[i64], total: i64, exclusive: bool, most: usize) -> Summary {
        let count = self.count(total);
        if !self.shows_breakdown(total) {
            return Summary {
                total: count,
                listed: Vec::new(),
                others: None,
            };
        }
        let mut order: Vec<(usize, i64)> = cells
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, n)| *n > 0 && self.shows(*n))
            .collect();
        order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        order.truncate(most);
        let mut others = None;
        if exclusive {
            let mut rest = total - order.iter().map(|(_, n)| n).sum::<i64>();
            while !self.is_exact() && rest > 0 && rest < THRESHOLD {
                match order.pop() {
                    Some((_, n)) => rest += n,
                    None => break,
                }
            }
            others = (rest > 0).then_some(rest);
        }
        Summary {
            total: count,
            listed: order,
            others,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    fn plain(b: &Breakdown) -> Vec<String> {
        b.cells.iter().map(|c| c.plain()).collect()
    }

    #[test]
    fn staff_see_every_cell() {
        let b = Audience::Staff.breakdown(&[30, 12, 3], 45, true);
        assert_eq!(plain(&b), ["30", "12", "3"]);
        assert_eq!(b.total, Cell::Shown(45));
    }

    #[test]
    fn one_small_cell_takes_the_next_smallest_with_it() {
        // 45 - 30 - 12 would give the 3 away.
        let b = Audience::Public.breakdown(&[30, 12, 3, 0], 45, true);
        assert_eq!(plain(&b), ["30", "≥ 5", "< 5", "0"]);
        assert_eq!(b.total, Cell::Shown(45));
        assert!(b.withholds());
        assert_eq!(b.share(0).map(|s| s.round()), Some(67.0));
        assert_eq!(b.share(1), None);
        // 1 + 5 could only be read one way: one more is withheld.
        let b = Audience::Partner.breakdown(&[20, 5, 1, 9], 35, true);
        assert_eq!(plain(&b), ["20", "≥ 5", "< 5", "≥ 5"]);
    }

    #[test]
    fn small_cells_always_take_another_with_them() {
        // Whether 3 + 2 would give something away or not, the choice shows nothing.
        let b = Audience::Public.breakdown(&[20, 3, 2, 9], 34, true);
        assert_eq!(plain(&b), ["20", "< 5", "< 5", "≥ 5"]);
        let b = Audience::Public.breakdown(&[20, 1, 1, 9], 31, true);
        assert_eq!(plain(&b), ["20", "< 5", "< 5", "≥ 5"]);
        // Every answer in a hidden cell: the total goes too.
        let b = Audience::Public.breakdown(&[20, 3, 2], 25, true);
        assert_eq!(
            (plain(&b), b.total),
            (
                vec!["≥ 5".to_owned(), "< 5".into(), "< 5".into()],
                Cell::Withheld
            )
        );
        // 5 withheld beside another 5 would be known to be 5.
        let b = Audience::Public.breakdown(&[5, 5, 3, 40], 53, true);
        assert_eq!(plain(&b), ["≥ 5", "≥ 5", "< 5", "40"]);
        let b = Audience::Public.breakdown(&[4, 4], 8, true);
        assert_eq!(b.total, Cell::Withheld, "4 + 4 = 8 has one reading");
        assert_eq!(plain(&b), ["< 5", "< 5"]);
        let b = Audience::Public.breakdown(&[12, 30], 42, true);
        assert!(!b.withholds(), "no small cell, nothing held back");
    }

    #[test]
    fn no_hidden_cell_can_be_worked_out_from_the_total() {
        // Every split of up to 16 answers in 4 cells, grouped by what a reader sees, who
        // knows the total and how cells are chosen: a hidden cell must never have the
        // same value in the whole group. (Without a total, nothing ties cells together.)
        let mut groups: HashMap<Breakdown, Vec<[i64; 4]>> = HashMap::new();
        for a in 0..=16_i64 {
            for b in 0..=16 - a {
                for c in 0..=16 - a - b {
                    for d in 0..=16 - a - b - c {
                        let cells = [a, b, c, d];
                        let seen = Audience::Public.breakdown(&cells, a + b + c + d, true);
                        groups.entry(seen).or_default().push(cells);
                    }
                }
            }
        }
        for (seen, alike) in groups.iter().filter(|(s, _)| s.is_shown()) {
            if matches!(seen.total, Cell::Withheld) {
                continue;
            }
            for (index, cell) in seen.cells.iter().enumerate() {
                let values: HashSet<i64> = alike.iter().map(|cells| cells[index]).collect();
                assert!(
                    cell.value().is_some() || values.len() > 1,
                    "{alike:?}: cell {index} is worked out from {seen:?}"
                );
            }
        }
    }

    #[test]
    fn no_small_cell_can_be_worked_out_from_a_summary() {
        // Every split of up to 16 answers in 4 options, grouped by what the summary shows,
        // knowing how it is made: a small count must never be the same in the whole group.
        let mut groups: HashMap<Summary, Vec<[i64; 4]>> = HashMap::new();
        for a in 0..=16_i64 {
            for b in 0..=16 - a {
                for c in 0..=16 - a - b {
                    for d in 0..=16 - a - b - c {
                        let cells = [a, b, c, d];
                        let summary = Audience::Public.summary(&cells, a + b + c + d, true, 2);
                        groups.entry(summary).or_default().push(cells);
                    }
                }
            }
        }
        for (summary, alike) in &groups {
            for index in 0..4 {
                let values: HashSet<i64> = alike.iter().map(|cells| cells[index]).collect();
                if let [value] = values.iter().collect::<Vec<_>>()[..] {
                    assert!(
                        !(1..THRESHOLD).contains(value),
                        "{alike:?}: option {index} is worked out from {summary:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn multiple_choice_cells_are_hidden_one_by_one() {
        let b = Audience::Public.breakdown(&[30, 12, 3], 35, false);
        assert_eq!(plain(&b), ["30", "12", "< 5"]);
        let b = Audience::Public.breakdown(&[3, 1], 4, true);
        assert!(!b.is_shown(), "fewer than 5 answers: no breakdown");
    }

    #[test]
    fn summaries_list_the_largest_and_keep_the_rest_at_5_or_more() {
        let s = Audience::Public.summary(&[3, 30, 12, 0], 45, true, 5);
        assert_eq!(s.listed, [(1, 30)], "12 goes with the 3 left over");
        assert_eq!(s.others, Some(15));
        let s = Audience::Public.summary(&[6, 30, 12, 7, 8], 63, true, 2);
        assert_eq!(s.listed, [(1, 30), (2, 12)]);
        assert_eq!(s.others, Some(21));
        let s = Audience::Staff.summary(&[3, 30, 12], 45, true, 5);
        assert_eq!(s.listed, [(1, 30), (2, 12), (0, 3)]);
        assert_eq!(s.others, None);
        let s = Audience::Public.summary(&[30, 3], 33, false, 5);
        assert_eq!((s.listed, s.others), (vec![(0, 30)], None));
        let s = Audience::Public.summary(&[2, 1], 3, true, 5);
        assert_eq!((s.total, s.listed.len()), (Count::Hidden, 0));
    }
}
