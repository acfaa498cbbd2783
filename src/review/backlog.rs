//! The learning backlog in the review: counts and age by status, what
//! moved in the week and what was decided, stale tests and tests whose
//! evidence already leans one way.

use super::compute::{Ctx, existed_on};
use super::history::Logged;
use super::model::{Backlog, Decided, ItemRef, Move, OpenTest, ReadyItem, StaleItem, StatusCount};
use super::{READY_WEIGHT, STALE_DAYS};
use crate::domain::dates::parse_iso;
use crate::domain::evidence::tally;
use crate::domain::{BacklogItem, RecordKey, RecordKind, Status};
use chrono::NaiveDate;

fn item_ref(item: &BacklogItem) -> ItemRef {
    ItemRef {
        key: RecordKey::new(RecordKind::Backlog, item.id),
        statement: item.statement.clone(),
    }
}

impl Ctx<'_> {
    /// An item's status at the end of `day`; `None` if it did not exist.
    fn status_on(&self, item: &BacklogItem, day: NaiveDate) -> Option<Status> {
        let key = RecordKey::new(RecordKind::Backlog, item.id);
        match self.timeline.on(key, "status", day) {
            Logged::Value(status) => Status::parse(status),
            Logged::Absent => None,
            Logged::Unlogged => existed_on(&item.meta, day).then_some(item.status),
        }
    }

    /// The day an item entered the status it had at the end of `day`.
    fn status_since_on(&self, item: &BacklogItem, day: NaiveDate) -> Option<NaiveDate> {
        let key = RecordKey::new(RecordKind::Backlog, item.id);
        match self.timeline.on(key, "status_since", day) {
            Logged::Value(since) => parse_iso(since),
            Logged::Absent | Logged::Unlogged => parse_iso(&item.status_since),
        }
    }

    /// Whole days in its status at the review's day (never negative).
    fn age(&self, item: &BacklogItem) -> i64 {
        self.status_since_on(item, self.as_of)
            .map_or(0, |since| (self.as_of - since).num_days().max(0))
    }

    fn testing(&self) -> impl Iterator<Item = &BacklogItem> {
        self.data
            .items
            .iter()
            .filter(|i| self.status_on(i, self.as_of) == Some(Status::Testing))
    }
}

pub(super) fn backlog(ctx: &Ctx<'_>) -> Backlog {
    let moved = moves(ctx);
    let decided = moved
        .iter()
        .filter(|m| m.to.is_decided())
        .filter_map(|m| Some((m, ctx.data.items.iter().find(|i| i.id == m.item.key.id)?)))
        .map(|(m, item)| Decided {
            item: item_ref(item),
            status: m.to,
            decision: item.decision,
            learning: item.learning.clone(),
            owner: item.owner.clone(),
            decided_at: item.decided_at,
        })
        .collect();
    Backlog {
        by_status: by_status(ctx),
        moved,
        decided,
        stale: stale(ctx),
        ready_to_decide: ready(ctx),
        open_tests: open_tests(ctx),
    }
}

fn by_status(ctx: &Ctx<'_>) -> Vec<StatusCount> {
    Status::ALL
        .iter()
        .map(|status| {
            let ages: Vec<i64> = ctx
                .data
                .items
                .iter()
                .filter(|i| ctx.status_on(i, ctx.as_of) == Some(*status))
                .map(|i| ctx.age(i))
                .collect();
            let mean = (!ages.is_empty()).then(|| {
                (ages.iter().sum::<i64>() as f64 / ages.len() as f64 * 10.0).round() / 10.0
            });
            StatusCount {
                status: *status,
                count: ages.len(),
                mean_age_days: mean,
                oldest_age_days: ages.iter().max().copied(),
            }
        })
        .collect()
}

fn moves(ctx: &Ctx<'_>) -> Vec<Move> {
    ctx.timeline
        .moves(RecordKind::Backlog, "status", &ctx.week)
        .into_iter()
        .filter_map(|m| {
            let item = ctx.data.items.iter().find(|i| i.id == m.id)?;
            Some(Move {
                item: item_ref(item),
                from: m.from.and_then(Status::parse),
                to: m.to.and_then(Status::parse)?,
                steps: m.steps.into_iter().filter_map(Status::parse).collect(),
            })
        })
        .collect()
}

/// The day of an item's newest evidence up to the review's day.
fn last_evidence(ctx: &Ctx<'_>, item: i64) -> Option<NaiveDate> {
    ctx.data
        .evidence
        .iter()
        .filter(|e| e.item_id == item && e.created_on <= ctx.as_of)
        .map(|e| e.created_on)
        .max()
}

fn stale(ctx: &Ctx<'_>) -> Vec<StaleItem> {
    let mut stale: Vec<StaleItem> = ctx
        .testing()
        .filter_map(|item| {
            let since = ctx.status_since_on(item, ctx.as_of);
            let last = last_evidence(ctx, item.id);
            // A test gets its first 14 days before it can go stale.
            let quiet_from = since.max(last)?;
            let quiet = (ctx.as_of - quiet_from).num_days();
            (quiet >= STALE_DAYS).then(|| StaleItem {
                item: item_ref(item),
                owner: item.owner.clone(),
                days_in_testing: ctx.age(item),
                last_evidence: last,
                days_without_evidence: quiet,
            })
        })
        .collect();
    stale.sort_by_key(|s| std::cmp::Reverse(s.days_without_evidence));
    stale
}

/// Every test under way with its evidence as of the review's day.
fn open_tests(ctx: &Ctx<'_>) -> Vec<OpenTest> {
    let mut tests: Vec<OpenTest> = ctx
        .testing()
        .map(|item| {
            let links: Vec<_> = ctx
                .data
                .evidence
                .iter()
                .filter(|e| e.item_id == item.id && e.created_on <= ctx.as_of)
                .map(|e| (e.stance, e.strength))
                .collect();
            let (supports, refutes) = tally(&links);
            OpenTest {
                item: item_ref(item),
                owner: item.owner.clone(),
                criterion: item.criterion.clone(),
                evidence: links.len(),
                supports,
                refutes,
            }
        })
        .collect();
    tests.sort_by_key(|t| t.item.key.id);
    tests
}

fn ready(ctx: &Ctx<'_>) -> Vec<ReadyItem> {
    let mut ready: Vec<ReadyItem> = open_tests(ctx)
        .into_iter()
        .filter(|t| t.supports.max(t.refutes) >= READY_WEIGHT)
        .map(|t| ReadyItem {
            item: t.item,
            owner: t.owner,
            evidence: t.evidence,
            supports: t.supports,
            refutes: t.refutes,
        })
        .collect();
    ready.sort_by(|a, b| {
        (b.supports.max(b.refutes))
            .cmp(&a.supports.max(a.refutes))
            .then(a.item.key.id.cmp(&b.item.key.id))
    });
    ready
}
