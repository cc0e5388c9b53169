//! Deterministic randomness for demo data and fault draws.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub struct Dice(ChaCha8Rng);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Dice(ChaCha8Rng::seed_from_u64(seed))
    }
    /// A number in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        self.0.random_range(lo..=hi)
    }
    pub fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.unit() < p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.int(0, items.len() as i64 - 1) as usize]
    }
    /// An id in `1..=count`, or `None` with probability `p_none` (or when there are none).
    pub fn maybe_ref(&mut self, count: usize, p_none: f64) -> Option<i64> {
        if count == 0 || self.chance(p_none) {
            None
        } else {
            Some(self.int(1, count as i64))
        }
    }
    /// Forty lowercase hex digits, the shape of a custom field key.
    pub fn hex40(&mut self) -> String {
        (0..40)
            .map(|_| char::from_digit(self.int(0, 15) as u32, 16).unwrap_or('0'))
            .collect()
    }
    pub fn uuid(&mut self) -> String {
        let h: String = (0..32)
            .map(|_| char::from_digit(self.int(0, 15) as u32, 16).unwrap_or('0'))
            .collect();
        // version 4, variant 10xx
        format!(
            "{}-{}-4{}-a{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    }
}
