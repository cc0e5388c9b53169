//! The moment the demo account is dated from: its seeded times lie in the years before it.

/// 2026-01-01T00:00:00Z: demo data lies in the three years before it.
pub const BASE_TIME: i64 = 1_767_225_600;
