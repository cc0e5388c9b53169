//! Injected faults: latency, 5xx answers, forced 429s, dropped connections, slow bodies and
//! the edge's block page,
//! drawn from one seeded generator so a run can be repeated.

use crate::config::{Faults, Spoil};
use crate::dice::Dice;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    ServerError(u16),
    Throttle,
    Drop,
    /// The edge's HTML block page.
    Blocked,
}

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Draw {
    pub delay: Duration,
    pub fault: Option<Fault>,
    pub slow_body: Duration,
    /// How a success answer is spoiled.
    pub spoil: Option<Spoil>,
}

pub struct Injector {
    state: Mutex<(Faults, Dice)>,
}

impl Injector {
    pub fn new(faults: Faults) -> Self {
        let dice = Dice::new(faults.seed);
        Injector {
            state: Mutex::new((faults, dice)),
        }
    }

    pub fn set(&self, faults: Faults) {
        let dice = Dice::new(faults.seed);
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = (faults, dice);
    }

    pub fn draw(&self) -> Draw {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (faults, dice) = &mut *guard;
        let jitter = faults.jitter.mul_f64(dice.unit());
        let roll = dice.unit();
        let throttle_edge = faults.error_rate + faults.throttle_rate;
        let drop_edge = throttle_edge + faults.drop_rate;
        let fault = if faults.blocked {
            Some(Fault::Blocked)
        } else if roll < faults.error_rate {
            Some(Fault::ServerError(*dice.pick(&[500, 502, 503])))
        } else if roll < throttle_edge {
            Some(Fault::Throttle)
        } else if roll < drop_edge {
            Some(Fault::Drop)
        } else {
            None
        };
        Draw {
            delay: faults.latency + jitter,
            fault,
            slow_body: faults.slow_body,
            spoil: faults.spoil,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_repeat_for_the_same_seed_and_follow_the_rates() {
        let faults = Faults {
            seed: 3,
            error_rate: 0.2,
            throttle_rate: 0.1,
            drop_rate: 0.1,
            ..Faults::none()
        };
        let a: Vec<Draw> = (0..1000)
            .map({
                let i = Injector::new(faults.clone());
                move |_| i.draw()
            })
            .collect();
        let b: Vec<Draw> = (0..1000)
            .map({
                let i = Injector::new(faults.clone());
                move |_| i.draw()
            })
            .collect();
        assert_eq!(a, b);
        let count =
            |f: fn(&Fault) -> bool| a.iter().filter(|d| d.fault.as_ref().is_some_and(f)).count();
        let errors = count(|f| matches!(f, Fault::ServerError(_)));
        let throttles = count(|f| *f == Fault::Throttle);
        let drops = count(|f| *f == Fault::Drop);
        assert!((150..250).contains(&errors), "{errors}");
        assert!((60..140).contains(&throttles), "{throttles}");
        assert!((60..140).contains(&drops), "{drops}");
        let none = Injector::new(Faults::none());
        assert!((0..100).all(|_| none.draw().fault.is_none()));
    }
}
