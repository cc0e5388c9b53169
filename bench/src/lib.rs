//! Small helpers shared by the benchmark binaries: timing summaries.

use std::time::Duration;

/// Percentile summary of a set of durations, in milliseconds.
pub struct Summary {
    pub count: usize,
    pub total: Duration,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
}

impl Summary {
    pub fn of(samples: &[Duration]) -> Summary {
        let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| {
            ms.get(((ms.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or(0.0)
        };
        Summary {
            count: ms.len(),
            total: samples.iter().sum(),
            p50: at(0.5),
            p95: at(0.95),
            max: at(1.0),
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>4} requests  total {:>7.1} ms  p50 {:>6.2} ms  p95 {:>6.2} ms  max {:>6.2} ms",
            self.count,
            self.total.as_secs_f64() * 1000.0,
            self.p50,
            self.p95,
            self.max
        )
    }
}
