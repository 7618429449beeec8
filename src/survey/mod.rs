//! Flash surveys: their questions, collection points and the answers residents give.

mod code;
mod collection_date;
mod draft;
mod kinds;
mod model;
mod point;
mod results;
mod review;
pub mod templates;
mod token;
mod validate;

pub use code::CollectionCode;
pub use collection_date::CollectionDate;
pub use draft::{
    ConditionChoice, OptionEdit, QuestionDraft, QuestionInput, SurveyDraft, SurveyInput,
    parse_french_date,
};
pub(crate) use kinds::coded_enum;
pub use kinds::{AGE_BRACKETS, Channel, OUTSIDE_TERRITORY, PointKind, QuestionKind, SurveyStatus};
pub use model::{
    Acceptance, CollectionPoint, Condition, Question, QuestionOption, ResponseFacets, Survey,
    SurveyDefinition, SurveySummary,
};
pub use point::{PointDraft, PointInput};
pub use results::{OptionCount, QuestionResult, ResultsFilter, TextAnswer};
pub use review::{ReviewAction, ReviewFilter, review_label};
pub use token::{FORM_TOKEN_LIFETIME, FormKey, FormToken, TokenError};
pub use validate::{Answer, FormValues, Submission, parse_number, validate_submission};
