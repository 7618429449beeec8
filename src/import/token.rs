//! The token of an imported row, which makes importing a file again store nothing new.
//!
//! Without an identifier column a row is known by what it says: the survey, the
//! collection point, the day it was collected and its answers once read (an option named by its code or its label,
//! `2,5` or `2.5`, CRLF or LF are the same answer), plus how many rows of the file said the
//! same before it. So two identical questionnaires in one file are two responses, while
//! the same file again, its rows in another order or with blank lines added, adds none.
//! With an identifier column, the identifier alone names the questionnaire.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use time::Date;

use crate::survey::Answer;

pub(super) struct Tokens {
    survey_id: i64,
    point_id: i64,
    /// Rows read so far with each content.
    seen: HashMap<[u8; 32], u64>,
}

impl Tokens {
    pub(super) fn new(survey_id: i64, point_id: i64) -> Self {
        Self {
            survey_id,
            point_id,
            seen: HashMap::new(),
        }
    }

    fn hash(&self, kind: &[u8]) -> Sha256 {
        let mut hash = Sha256::new();
        hash.update(kind);
        hash.update(self.survey_id.to_le_bytes());
        hash.update(self.point_id.to_le_bytes());
        hash
    }

    /// The token of the next row answering `answers`, collected on `day`: the same
    /// questionnaire filled in on another day is another response.
    pub(super) fn of_answers(&mut self, answers: &[Answer], day: Date) -> String {
        let mut sorted: Vec<&Answer> = answers.iter().collect();
        sorted.sort_by_key(|a| (a.question_id, a.option_id));
        let mut hash = self.hash(b"pouls-import-content\0");
        hash.update(day.to_julian_day().to_le_bytes());
        for answer in sorted {
            hash.update(answer.question_id.to_le_bytes());
            hash.update(answer.option_id.unwrap_or(-1).to_le_bytes());
            let text = answer
                .text
                .as_deref()
                .map(|t| t.replace("\r\n", "\n").replace('\r', "\n"));
            field(&mut hash, text.as_deref().map(str::as_bytes));
            // 0.0 and -0.0 are the same answer.
            let number = answer.number.map(|n| (n + 0.0).to_bits().to_le_bytes());
            field(&mut hash, number.as_ref().map(<[u8; 8]>::as_slice));
        }
        let content: [u8; 32] = hash.finalize().into();
        let occurrence = self.seen.entry(content).or_default();
        *occurrence += 1;
        let mut hash = Sha256::new();
        hash.update(b"pouls-import-row\0");
        hash.update(content);
        hash.update(occurrence.to_le_bytes());
        hex(&hash.finalize())
    }

    /// The token of the questionnaire with this identifier.
    pub(super) fn of_id(&self, id: &str) -> String {
        let mut hash = self.hash(b"pouls-import-id\0");
        hash.update(id.as_bytes());
        hex(&hash.finalize())
    }
}

/// A value preceded by its presence and length, so that fields cannot run into each other.
fn field(hash: &mut Sha256, value: Option<&[u8]>) {
    match value {
        None => hash.update([0]),
        Some(bytes) => {
            hash.update([1]);
            hash.update(u64::try_from(bytes.len()).unwrap_or(u64::MAX).to_le_bytes());
            hash.update(bytes);
        }
    }
}

/// 128 bits as 32 hex digits, the form tokens' shape.
fn hex(digest: &[u8]) -> String {
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const DAY: Date = date!(2026 - 06 - 13);

    fn answer(question_id: i64, option_id: Option<i64>, text: Option<&str>) -> Answer {
        Answer {
            question_id,
            option_id,
            text: text.map(str::to_owned),
            number: None,
        }
    }

    #[test]
    fn the_same_content_twice_gets_two_tokens_the_same_ones_each_time() {
        let row = [answer(1, Some(101), None), answer(5, None, Some("mardi"))];
        let mut first = Tokens::new(42, 7);
        let (a, b) = (first.of_answers(&row, DAY), first.of_answers(&row, DAY));
        assert_ne!(a, b);
        assert!(a.len() == 32 && a.chars().all(|c| c.is_ascii_hexdigit()));
        let mut again = Tokens::new(42, 7);
        let reversed = [row[1].clone(), row[0].clone()];
        assert_eq!(
            again.of_answers(&reversed, DAY),
            a,
            "answer order does not matter"
        );
        assert_eq!(again.of_answers(&row, DAY), b);
    }

    #[test]
    fn survey_point_day_and_each_answer_count() {
        let row = [
            answer(1, Some(101), None),
            answer(5, None, Some("deux\r\nlignes")),
        ];
        let token = Tokens::new(42, 7).of_answers(&row, DAY);
        assert_ne!(Tokens::new(43, 7).of_answers(&row, DAY), token);
        assert_ne!(Tokens::new(42, 8).of_answers(&row, DAY), token);
        let next_day = DAY.next_day().expect("a day");
        assert_ne!(
            Tokens::new(42, 7).of_answers(&row, next_day),
            token,
            "collected another day"
        );
        let mut other = row.clone();
        other[0].option_id = Some(102);
        assert_ne!(Tokens::new(42, 7).of_answers(&other, DAY), token);
        other[0].option_id = Some(101);
        other[1].text = Some("deux\nlignes".into());
        assert_eq!(
            Tokens::new(42, 7).of_answers(&other, DAY),
            token,
            "line ends"
        );
        let mut number = answer(6, None, None);
        number.number = Some(-0.0);
        let mut zero = number.clone();
        zero.number = Some(0.0);
        assert_eq!(
            Tokens::new(42, 7).of_answers(&[number], DAY),
            Tokens::new(42, 7).of_answers(&[zero], DAY)
        );
        // Text cannot pass for an option: each field says whether it is there.
        assert_ne!(
            Tokens::new(42, 7).of_answers(&[answer(1, None, Some(""))], DAY),
            Tokens::new(42, 7).of_answers(&[answer(1, None, None)], DAY)
        );
    }

    #[test]
    fn identifiers_name_questionnaires_per_survey_and_point() {
        let tokens = Tokens::new(42, 7);
        assert_eq!(tokens.of_id("17"), Tokens::new(42, 7).of_id("17"));
        assert_ne!(tokens.of_id("17"), tokens.of_id("18"));
        assert_ne!(tokens.of_id("17"), Tokens::new(42, 8).of_id("17"));
        assert_ne!(tokens.of_id("17"), Tokens::new(43, 7).of_id("17"));
    }
}
