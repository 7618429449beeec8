//! SplitMix64: small, fast and good enough for synthetic data. A fixed seed gives the same
//! demo on every run.

pub(super) struct SplitMix(pub(super) u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    pub(super) fn below_len(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    pub(super) fn percent(&mut self, chance: u32) -> bool {
        self.below(100) < u64::from(chance)
    }

    /// Uniform in `[0, 1)`.
    pub(super) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A value drawn by weight, or `None` when every weight is 0.
    pub(super) fn pick<T: Copy>(&mut self, weighted: &[(T, u32)]) -> Option<T> {
        let total = weighted.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut draw = self.below(total);
        for (value, weight) in weighted {
            match draw.checked_sub(u64::from(*weight)) {
                Some(rest) => draw = rest,
                None => return Some(*value),
            }
        }
        None
    }

    /// One of `items`, uniformly; `""` from an empty list.
    pub(super) fn one<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below_len(items.len()))
            .copied()
            .unwrap_or("")
    }
}
