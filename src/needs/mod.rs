//! Needs observation (action 14): field reports, qualified needs, the needs board,
//! observatory meetings and their decisions.

mod board;
mod kinds;
mod meeting;
mod need;
mod report;

pub use board::{Board, Counts, UNKNOWN_COMMUNE, WHOLE_TERRITORY};
pub use kinds::{AttendeeGroup, DecisionStatus, MeetingKind, NeedStatus, Organisation};
pub use meeting::{
    Attendance, Decision, DecisionDraft, DecisionInput, Meeting, MeetingDraft, MeetingInput,
};
pub use need::{Need, NeedDraft, NeedInput, NeedSource, StatusChange};
pub use report::{FieldReport, Lists, ReportDraft, ReportInput};
