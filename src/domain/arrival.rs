//! How a record written whole (an import row) arrives at its status or
//! stage: the steps of the state machine from where it was (a new record
//! starts where a form creates one: `backlog`, `prospect`), each checked by
//! the same [`transition`] and [`change_stage`] the forms call, so a file
//! can do nothing a form could not.

use super::backlog::{BacklogItem, Status, TransitionError, TransitionInput, transition};
use super::customer::{Customer, Stage, StageError, change_stage};
use std::collections::VecDeque;

/// What an accepted arrival still needs once the batch is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    /// The item reaches a decided status, so it needs at least one
    /// evidence link by the end of the batch (links may come in the same
    /// `import all`, after the item): the status it was decided as.
    pub needs_evidence: Option<Status>,
}

/// Why a record cannot arrive where its row puts it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArrivalError {
    #[error("{}{step}{}", new_prefix(*.new, "item", Status::Backlog.as_str()), reason_hint(.step))]
    Status { new: bool, step: TransitionError },
    #[error("{}{step}", new_prefix(*.new, "customer", Stage::Prospect.as_str()))]
    Stage { new: bool, step: StageError },
}

fn new_prefix(new: bool, what: &str, start: &str) -> String {
    if new {
        format!("a new {what} starts in {start}, and ")
    } else {
        String::new()
    }
}

fn reason_hint(step: &TransitionError) -> &'static str {
    match step {
        TransitionError::Missing { missing, .. } if missing.contains(&REASON) => {
            " (write it in status_reason)"
        }
        _ => "",
    }
}

/// How `transition` names a missing reason.
const REASON: &str = "a reason";

/// The statuses a record passes through from `from` to `to`: one step for
/// a record that moves, the shortest way from the start for a new one.
/// A stored record's step that the machine lacks is still returned, so
/// that the check refuses it with the machine's own words.
fn steps<S: Copy + Eq>(from: S, to: S, new: bool, next: fn(S) -> &'static [S]) -> Vec<S> {
    if from == to {
        return Vec::new();
    }
    if !new {
        return vec![to];
    }
    let mut came_from: Vec<(S, S)> = Vec::new();
    let mut queue = VecDeque::from([from]);
    while let Some(at) = queue.pop_front() {
        for &n in next(at) {
            if n == from || came_from.iter().any(|(s, _)| *s == n) {
                continue;
            }
            came_from.push((n, at));
            if n == to {
                let mut path = vec![to];
                let mut cur = to;
                while let Some(&(_, prev)) = came_from.iter().find(|(s, _)| *s == cur) {
                    if prev == from {
                        break;
                    }
                    path.push(prev);
                    cur = prev;
                }
                path.reverse();
                return path;
            }
            queue.push_back(n);
        }
    }
    vec![to]
}

/// Checks that `after` may arrive at its status from `before` (`None`: a
/// new item). The item's own `status_reason` is the reason a step asks
/// for, when it is new for this move. Evidence is not counted here (see
/// [`Arrival::needs_evidence`]).
pub fn backlog_arrival(
    before: Option<&BacklogItem>,
    after: &BacklogItem,
) -> Result<Arrival, ArrivalError> {
    let new = before.is_none();
    let from = before.map_or(Status::Backlog, |b| b.status);
    let reason_given = !after.status_reason.trim().is_empty()
        && before.is_none_or(|b| b.status_reason.trim() != after.status_reason.trim());
    let input = TransitionInput {
        reason: if reason_given {
            after.status_reason.clone()
        } else {
            String::new()
        },
        evidence_count: 1,
        today: None,
    };
    let mut at = after.clone();
    at.status = from;
    let mut needs_evidence = None;
    for to in steps(from, after.status, new, Status::next_statuses) {
        if to.is_decided() {
            needs_evidence = Some(to);
        }
        at = transition(&at, to, &input).map_err(|step| ArrivalError::Status { new, step })?;
    }
    Ok(Arrival { needs_evidence })
}

/// The refusal when an item decided as `to` has no evidence link at the
/// end of its batch: what [`transition`] says with none.
pub fn missing_evidence(new: bool, to: Status) -> ArrivalError {
    let item = BacklogItem {
        status: Status::Testing,
        learning: "-".into(),
        decision: Some(super::Decision::Retest),
        ..BacklogItem::default()
    };
    let step = match transition(&item, to, &TransitionInput::default()) {
        Err(e) => e,
        Ok(_) => TransitionError::Missing {
            from: Status::Testing,
            to,
            missing: vec!["at least one evidence link"],
        },
    };
    ArrivalError::Status { new, step }
}

/// Checks that `after` may arrive at its stage from `before` (`None`: a
/// new customer), its own agreement date counting for the move to active.
pub fn customer_arrival(before: Option<&Customer>, after: &Customer) -> Result<(), ArrivalError> {
    let new = before.is_none();
    let from = before.map_or(Stage::Prospect, |b| b.stage);
    let mut at = after.clone();
    at.stage = from;
    for to in steps(from, after.stage, new, Stage::next_stages) {
        at = change_stage(&at, to, None).map_err(|step| ArrivalError::Stage { new, step })?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "arrival_tests.rs"]
mod tests;
