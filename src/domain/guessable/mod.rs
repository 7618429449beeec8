//! How guessable a password is, in the manner of zxcvbn but small: the parts an attacker
//! tries first (names of the platform and the territory, keyboard walks on azerty and
//! qwerty, sequences, repetitions, years) count for nothing, and what is left must still
//! be long enough. Case, accents and common letter-for-digit swaps ("p0uls") do not hide
//! a pattern.

use std::sync::LazyLock;

use crate::plan::PlanData;

mod keyboard;

/// Characters a password must keep outside predictable patterns.
pub const MIN_UNPREDICTABLE: usize = 10;

/// A predictable part, by the order in which overlapping parts are attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    Name,
    Sequence,
    Keyboard,
    Year,
    Repeat,
}

const PATTERNS: [Pattern; 5] = [
    Pattern::Name,
    Pattern::Sequence,
    Pattern::Keyboard,
    Pattern::Year,
    Pattern::Repeat,
];

/// What the estimate found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    /// Characters outside every pattern.
    pub unpredictable: usize,
    /// The pattern covering the most characters, if any.
    pub main: Option<Pattern>,
}

/// The names of the product, the territory, its partner and its communes, as compared:
/// lowercase, without accents, letters and digits only.
static NAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut names: Vec<String> = [
        "pouls",
        "ccyn",
        "ctg",
        "caf",
        "yonne",
        "yonne nord",
        "communauté de communes",
    ]
    .map(compact)
    .into();
    // The plan file is embedded and checked by its own tests; without it, the fixed
    // names above still apply.
    if let Ok(plan) = PlanData::embedded() {
        names.push(compact(&plan.territory.name));
        names.push(compact(&plan.territory.slug));
        names.push(compact(&plan.partner));
        names.extend(plan.communes.iter().map(|c| compact(&c.name)));
    }
    names.sort_unstable();
    names.dedup();
    names
});

/// One character lowercase and without its accent.
fn fold(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' | 'æ' => 'a',
        'ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' | 'ì' => 'i',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'œ' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ÿ' | 'ý' => 'y',
        'ñ' => 'n',
        other => other,
    }
}

/// The letter a digit or sign often stands for.
fn unleet(c: char) -> char {
    match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        other => other,
    }
}

/// Folded, letters and digits only: how names and common passwords are compared.
pub fn compact(text: &str) -> String {
    text.chars()
        .map(fold)
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The word a password is built on, when it is one word with digits or signs around it
/// ("P@ssw0rd-2026!" gives "password").
pub fn base_word(text: &str) -> String {
    let letters: String = text
        .chars()
        .map(fold)
        .map(|c| if c.is_ascii_digit() { c } else { unleet(c) })
        .filter(char::is_ascii_alphanumeric)
        .collect();
    letters
        .trim_matches(|c: char| c.is_ascii_digit())
        .chars()
        .map(unleet)
        .collect()
}

/// Which characters of a password each pattern covers. Patterns are found apart and may
/// overlap; the one covering most is the one to explain.
struct Marks([Vec<bool>; PATTERNS.len()]);

impl Marks {
    fn new(len: usize) -> Self {
        Self(std::array::from_fn(|_| vec![false; len]))
    }

    /// Marks positions `from..=to` as covered by `pattern`.
    fn mark(&mut self, from: usize, to: usize, pattern: Pattern) {
        let index = PATTERNS.iter().position(|p| *p == pattern).unwrap_or(0);
        for covered in &mut self.0[index][from..=to] {
            *covered = true;
        }
    }

    fn estimate(&self) -> Estimate {
        let len = self.0[0].len();
        let unpredictable = (0..len)
            .filter(|at| self.0.iter().all(|covered| !covered[*at]))
            .count();
        let mut main = None;
        let mut most = 0;
        for (pattern, covered) in PATTERNS.into_iter().zip(&self.0) {
            let count = covered.iter().filter(|c| **c).count();
            // Strictly more: among equals, the first pattern is named.
            if count > most {
                main = Some(pattern);
                most = count;
            }
        }
        Estimate {
            unpredictable,
            main,
        }
    }
}

pub fn estimate(password: &str) -> Estimate {
    let lower: Vec<char> = password
        .chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect();
    let mut marks = Marks::new(lower.len());
    // Letters and digits with their positions in the password, so that separators do
    // not break a pattern ("p-o-u-l-s", "1 2 3 4").
    let view = |map: fn(char) -> char| -> Vec<(usize, char)> {
        lower
            .iter()
            .enumerate()
            .map(|(at, c)| (at, map(fold(*c))))
            .filter(|(_, c)| c.is_ascii_alphanumeric())
            .collect()
    };
    let plain = view(|c| c);
    for letters in [&plain, &view(unleet)] {
        names(letters, &mut marks);
    }
    sequences(&plain, &mut marks);
    keyboard::walks(&lower, &mut marks);
    years(&plain, &mut marks);
    // Every character counts for repetitions: "!!!!" is one too.
    let every: Vec<(usize, char)> = lower.iter().map(|c| fold(*c)).enumerate().collect();
    repeats(&every, &mut marks);
    marks.estimate()
}

fn names(letters: &[(usize, char)], marks: &mut Marks) {
    let text: Vec<char> = letters.iter().map(|(_, c)| *c).collect();
    for name in NAMES.iter() {
        let name: Vec<char> = name.chars().collect();
        if name.is_empty() || name.len() > text.len() {
            continue;
        }
        for start in 0..=text.len() - name.len() {
            if text[start..start + name.len()] == name[..] {
                let end = start + name.len() - 1;
                marks.mark(letters[start].0, letters[end].0, Pattern::Name);
            }
        }
    }
}

/// Runs of three or more letters or digits going up or down by one: "abc", "4321".
fn sequences(letters: &[(usize, char)], marks: &mut Marks) {
    let step = |a: char, b: char| {
        let same_kind = (a.is_ascii_digit() && b.is_ascii_digit())
            || (a.is_ascii_lowercase() && b.is_ascii_lowercase());
        let delta = i32::from(b as u8) - i32::from(a as u8);
        (same_kind && delta.abs() == 1).then_some(delta)
    };
    runs(
        letters.len(),
        3,
        Pattern::Sequence,
        marks,
        |i| step(letters[i].1, letters[i + 1].1),
        |i| letters[i].0,
    );
}

/// Marks every run of at least `min` items where each step from item `i` to `i + 1`
/// gives the same `Some` value; `position` maps an item to its place in the password.
fn runs<T: PartialEq>(
    len: usize,
    min: usize,
    pattern: Pattern,
    marks: &mut Marks,
    step: impl Fn(usize) -> Option<T>,
    position: impl Fn(usize) -> usize,
) {
    let mut start = 0;
    while start + 1 < len {
        let Some(first) = step(start) else {
            start += 1;
            continue;
        };
        let mut end = start + 1;
        while end + 1 < len && step(end).as_ref() == Some(&first) {
            end += 1;
        }
        if end - start + 1 >= min {
            marks.mark(position(start), position(end), pattern);
        }
        start = end;
    }
}

/// A character three times or more in a row ("aaa": all but the first), and a block
/// repeated right after itself ("abab", "bonjourbonjour": the copies).
fn repeats(letters: &[(usize, char)], marks: &mut Marks) {
    let text: Vec<char> = letters.iter().map(|(_, c)| *c).collect();
    let mut i = 0;
    while i < text.len() {
        let mut end = i;
        while end + 1 < text.len() && text[end + 1] == text[i] {
            end += 1;
        }
        if end - i >= 2 {
            marks.mark(letters[i + 1].0, letters[end].0, Pattern::Repeat);
        }
        i = end + 1;
    }
    for block in 2..=text.len() / 2 {
        let mut start = 0;
        while start + 2 * block <= text.len() {
            if text[start..start + block] == text[start + block..start + 2 * block] {
                let copy = start + block;
                marks.mark(
                    letters[copy].0,
                    letters[copy + block - 1].0,
                    Pattern::Repeat,
                );
                start = copy;
            } else {
                start += 1;
            }
        }
    }
}

/// Four digits from 1900 to 2099.
fn years(letters: &[(usize, char)], marks: &mut Marks) {
    for window in letters.windows(4) {
        let digits: String = window.iter().map(|(_, c)| *c).collect();
        if let Ok(year) = digits.parse::<u32>()
            && (1900..=2099).contains(&year)
        {
            marks.mark(window[0].0, window[3].0, Pattern::Year);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn main(password: &str) -> Option<Pattern> {
        estimate(password).main
    }

    #[test]
    fn ordinary_passphrases_keep_every_character() {
        for phrase in [
            "velo rouge sous la pluie",
            "une phrase assez longue",
            "le héron guette la carpe",
        ] {
            let found = estimate(phrase);
            assert_eq!(found.unpredictable, phrase.chars().count(), "{phrase}");
            assert_eq!(found.main, None, "{phrase}");
        }
    }

    #[test]
    fn names_of_the_product_and_territory_count_for_nothing() {
        assert!(
            NAMES.contains(&"sergines".to_owned()),
            "communes are loaded"
        );
        assert!(NAMES.contains(&"villeneuvelaguyard".to_owned()));
        assert!(NAMES.len() >= 23 + 5);
        for password in [
            "Pouls-CCYN-Yonne",
            "POULS pouls Pouls",
            "p0uls-yonn3-ccyn",
            "Communauté de Communes",
            "communaute-de-communes",
            "Saint-Sérotin Évry",
            "SAINT SEROTIN EVRY",
            "villeneuve la guyard",
        ] {
            let found = estimate(password);
            assert_eq!(found.main, Some(Pattern::Name), "{password}");
            assert!(
                found.unpredictable < MIN_UNPREDICTABLE,
                "{password}: {found:?}"
            );
        }
        // A name inside a long phrase costs only its own letters.
        let phrase = estimate("le pouls de la vallee bat fort");
        assert_eq!(phrase.unpredictable, 30 - 5);
    }

    #[test]
    fn sequences_repeats_and_years() {
        for (password, pattern) in [
            ("abcdefghijkl", Pattern::Sequence),
            ("0123456789", Pattern::Sequence),
            ("9876543210", Pattern::Sequence),
            ("a-b-c-d-e-f-g", Pattern::Sequence),
            ("zzzzzzzzzzzz", Pattern::Repeat),
            ("abababababab", Pattern::Repeat),
            ("bonjourbonjour", Pattern::Repeat),
            ("19992000", Pattern::Year),
        ] {
            assert_eq!(main(password), Some(pattern), "{password}");
        }
        // What is left: one "z", the first "bonjour".
        assert_eq!(estimate("zzzzzzzzzzzz").unpredictable, 1);
        assert_eq!(estimate("bonjourbonjour").unpredictable, 7);
        assert_eq!(estimate("Soleil-2026").unpredictable, 7);
    }

    #[test]
    fn mixed_patterns_name_the_largest() {
        let found = estimate("qwerty123");
        assert_eq!(found.main, Some(Pattern::Keyboard));
        assert_eq!(found.unpredictable, 0);
        assert_eq!(main("Sergines2026"), Some(Pattern::Name));
    }

    #[test]
    fn compact_forms_ignore_case_accents_and_separators() {
        assert_eq!(compact("Mot-de-Passé 2026"), "motdepasse2026");
        assert_eq!(base_word("P@ssw0rd-2026!!"), "password");
        assert_eq!(base_word("2026 B0njour 1"), "bonjour");
        assert_eq!(base_word("velo rouge"), "velorouge");
    }
}
