//! Every refusal the engine can make, each with a stable code that JavaScript sees as `error.code`.

use thiserror::Error;

/// An engine refusal. `code()` is stable across releases; messages say what to do and may change.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EngineError {
    /// The requested status change is not an edge of `queued → running → completed`,
    /// or the run is completed and the change is not allowed there.
    #[error("{0}")]
    InvalidTransition(String),
    /// A change to `completed` without an outcome.
    #[error("{0}")]
    OutcomeRequired(String),
    /// No run with this id exists in the caller's scope.
    #[error("{0}")]
    NotFound(String),
    /// The run kept changing under us: compare-and-set lost more times than the retry budget.
    #[error("{0}")]
    Conflict(String),
    /// Input of the wrong shape, type or size.
    #[error("{0}")]
    InvalidInput(String),
    /// The host store threw, rejected, or returned something that is not what the contract says.
    #[error("{0}")]
    Store(String),
}

impl EngineError {
    /// The stable code, as listed in the README's error table.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidTransition(_) => "E_INVALID_TRANSITION",
            Self::OutcomeRequired(_) => "E_OUTCOME_REQUIRED",
            Self::NotFound(_) => "E_NOT_FOUND",
            Self::Conflict(_) => "E_CONFLICT",
            Self::InvalidInput(_) => "E_INVALID_INPUT",
            Self::Store(_) => "E_STORE",
        }
    }

    pub(crate) fn input(message: impl Into<String>) -> Self {
        Self::InvalidInput(message.into())
    }

    pub(crate) fn store(message: impl Into<String>) -> Self {
        Self::Store(message.into())
    }
}

/// All codes, in the order the README documents them.
pub const ERROR_CODES: [&str; 6] =
    ["E_INVALID_TRANSITION", "E_OUTCOME_REQUIRED", "E_NOT_FOUND", "E_CONFLICT", "E_INVALID_INPUT", "E_STORE"];

pub type Result<T, E = EngineError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_its_documented_code() {
        let all = [
            EngineError::InvalidTransition(String::new()),
            EngineError::OutcomeRequired(String::new()),
            EngineError::NotFound(String::new()),
            EngineError::Conflict(String::new()),
            EngineError::InvalidInput(String::new()),
            EngineError::Store(String::new()),
        ];
        assert_eq!(all.map(|e| e.code()), ERROR_CODES);
    }

    #[test]
    fn the_message_is_the_display() {
        assert_eq!(
            EngineError::input("summary_counts must be an object").to_string(),
            "summary_counts must be an object"
        );
    }
}
