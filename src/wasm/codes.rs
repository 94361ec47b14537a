//! Status and outcome as small numbers, for the calls that cross without JSON: 1-based positions in
//! `Status::ALL` and `Outcome::ALL`, outcome 0 meaning none. `pkg/src/api.js` holds the same table.

use crate::domain::run::{Outcome, Status};

pub fn status(code: u8) -> Option<Status> {
    usize::from(code).checked_sub(1).and_then(|i| Status::ALL.get(i).copied())
}

/// `Some(None)` for 0; `None` for a code that names no outcome.
pub fn outcome(code: u8) -> Option<Option<Outcome>> {
    match usize::from(code).checked_sub(1) {
        None => Some(None),
        Some(i) => Outcome::ALL.get(i).copied().map(Some),
    }
}

pub fn status_code(status: Status) -> u32 {
    Status::ALL.iter().position(|s| *s == status).map_or(0, |i| i as u32 + 1)
}

pub fn outcome_code(outcome: Option<Outcome>) -> u32 {
    outcome.and_then(|o| Outcome::ALL.iter().position(|x| *x == o)).map_or(0, |i| i as u32 + 1)
}
