//! The review of free-text answers: which ones a reviewer lists, and what a review does.
//!
//! An answer is in one of three states: to review, reviewed (staff and partenaires may
//! read it), publishable (the public results may quote it).

/// The review states a list of free-text answers shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReviewFilter {
    /// Not reviewed yet: what a reviewer works through first.
    #[default]
    ToReview,
    /// Reviewed, not publishable.
    Reviewed,
    Publishable,
    /// Every answer, those to review first.
    All,
}

impl ReviewFilter {
    pub const ALL: [Self; 4] = [Self::ToReview, Self::Reviewed, Self::Publishable, Self::All];

    /// The value in the page address (`?relecture=`).
    pub fn code(self) -> &'static str {
        match self {
            Self::ToReview => "a-relire",
            Self::Reviewed => "relues",
            Self::Publishable => "publiables",
            Self::All => "toutes",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ToReview => "À relire",
            Self::Reviewed => "Relues",
            Self::Publishable => "Publiables",
            Self::All => "Toutes",
        }
    }

    /// The filter of an address value; `None` for anything else.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// What a reviewer does to one answer or to a selection of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    /// Read: partenaires may see it; a publishable answer stays publishable.
    MarkReviewed,
    /// Read and publishable: the public results may quote it.
    Publish,
    /// Read, and kept out of the public results.
    Hide,
    /// Back to the answers to review.
    Unreview,
}

impl ReviewAction {
    pub const ALL: [Self; 4] = [
        Self::MarkReviewed,
        Self::Publish,
        Self::Hide,
        Self::Unreview,
    ];

    /// The value a button posts.
    pub fn code(self) -> &'static str {
        match self {
            Self::MarkReviewed => "relue",
            Self::Publish => "publiable",
            Self::Hide => "masquee",
            Self::Unreview => "a-relire",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The state `(reviewed, publishable)` an answer is left in, from the one it was in.
    pub fn apply(self, publishable: bool) -> (bool, bool) {
        match self {
            Self::MarkReviewed => (true, publishable),
            Self::Publish => (true, true),
            Self::Hide => (true, false),
            Self::Unreview => (false, false),
        }
    }
}

/// One answer's state, as the audit log and the review list word it.
pub fn review_label(reviewed: bool, publishable: bool) -> &'static str {
    match (reviewed, publishable) {
        (_, true) => "Relue, publiable",
        (true, false) => "Relue",
        (false, false) => "À relire",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_their_codes() {
        for filter in ReviewFilter::ALL {
            assert_eq!(ReviewFilter::parse(filter.code()), Some(filter));
        }
        assert_eq!(ReviewFilter::parse(""), None);
        assert_eq!(ReviewFilter::parse("TOUTES"), None);
        assert_eq!(ReviewFilter::default(), ReviewFilter::ToReview);
    }

    #[test]
    fn actions_round_trip_and_leave_the_expected_state() {
        for action in ReviewAction::ALL {
            assert_eq!(ReviewAction::parse(action.code()), Some(action));
        }
        assert_eq!(ReviewAction::parse("supprimer"), None);
        assert_eq!(ReviewAction::MarkReviewed.apply(false), (true, false));
        assert_eq!(ReviewAction::MarkReviewed.apply(true), (true, true));
        assert_eq!(ReviewAction::Publish.apply(false), (true, true));
        assert_eq!(ReviewAction::Hide.apply(true), (true, false));
        assert_eq!(ReviewAction::Unreview.apply(true), (false, false));
    }

    #[test]
    fn states_are_worded_for_reviewers() {
        assert_eq!(review_label(false, false), "À relire");
        assert_eq!(review_label(true, false), "Relue");
        assert_eq!(review_label(true, true), "Relue, publiable");
    }
}
