//! Keyboard walks on azerty and qwerty: "azerty", "poiu", "1qaz", "qwedcxz".

use std::collections::HashMap;
use std::sync::LazyLock;

use super::{Marks, Pattern, runs};

/// Keyboard rows, top (digits) to bottom, without the keys at the row ends that walks
/// do not reach; each key is its unshifted and shifted characters. A key sits half a
/// key right of the one above with the same index, as on real keyboards.
const LAYOUTS: [[(&str, &str); 4]; 2] = [
    [
        ("1234567890-=", "!@#$%^&*()_+"),
        ("qwertyuiop[]", "qwertyuiop{}"),
        ("asdfghjkl;'", "asdfghjkl:\""),
        ("zxcvbnm,./", "zxcvbnm<>?"),
    ],
    [
        ("&é\"'(-è_çà)=", "1234567890°+"),
        ("azertyuiop^$", "azertyuiop¨£"),
        ("qsdfghjklmù*", "qsdfghjklm%µ"),
        ("wxcvbn,;:!", "wxcvbn?./§"),
    ],
];

static KEYS: LazyLock<[HashMap<char, (i32, i32)>; 2]> = LazyLock::new(|| {
    LAYOUTS.map(|rows| {
        let mut keys = HashMap::new();
        for (row, (plain, shifted)) in (0..).zip(rows) {
            for text in [plain, shifted] {
                for (col, key) in (0..).zip(text.chars()) {
                    keys.entry(key).or_insert((row, col));
                }
            }
        }
        keys
    })
});

/// Straight lines of neighbouring keys on one layout: four along a row ("azer", "poiu"),
/// three down a column ("1qaz", "edc"), or six neighbours in any directions.
pub(super) fn walks(lower: &[char], marks: &mut Marks) {
    for keys in KEYS.iter() {
        let step = |i: usize| -> Option<(i32, i32)> {
            let (r1, c1) = keys.get(&lower[i])?;
            let (r2, c2) = keys.get(&lower[i + 1])?;
            let direction = (r2 - r1, c2 - c1);
            matches!(
                direction,
                (0, 1) | (0, -1) | (1, 0) | (-1, 0) | (1, -1) | (-1, 1)
            )
            .then_some(direction)
        };
        runs(
            lower.len(),
            4,
            Pattern::Keyboard,
            marks,
            |i| step(i).filter(|d| d.0 == 0),
            |i| i,
        );
        runs(
            lower.len(),
            3,
            Pattern::Keyboard,
            marks,
            |i| step(i).filter(|d| d.0 != 0),
            |i| i,
        );
        runs(
            lower.len(),
            6,
            Pattern::Keyboard,
            marks,
            |i| step(i).map(|_| ()),
            |i| i,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Pattern, estimate};

    #[test]
    fn keyboard_walks_on_azerty_and_qwerty() {
        for walk in [
            "azertyuiop",
            "qsdfghjklm",
            "wxcvbn",
            "poiuytreza",
            "qwertyuiop",
            "asdfghjkl",
            "1qaz2wsx3edc",
            "zaq1xsw2",
            "&é\"'(-è_çà",
            "!@#$%^&*()",
            "qwedcxz",
        ] {
            let found = estimate(walk);
            assert_eq!(found.main, Some(Pattern::Keyboard), "{walk}");
            assert!(found.unpredictable <= 1, "{walk}: {found:?}");
        }
        // Common words are not walks.
        assert_eq!(estimate("lettre verte").unpredictable, 12);
        assert_eq!(estimate("notre centre").unpredictable, 12);
    }
}
