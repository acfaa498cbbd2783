//! The review's numbers from plain data: the entry point and the customer
//! side (check-ins against cadence, overdue customers, follow-ups, effort).
//! The backlog and live-data sections live beside it.

use super::history::{Logged, Timeline};
use super::model::{
    BatchLine, CheckIns, CustomerEffort, CustomerRef, DueCustomer, Effort, FollowUpLine, FollowUps,
    KindChanges, OverdueCustomer, RecordedReview, Review, SinceLastReview, Volume, WeekInfo,
};
use super::week::{Week, day_name};
use super::{last_review_before, rate};
use crate::clock::Clock;
use crate::domain::{Customer, Meta, RecordKey, RecordKind, Stage};
use crate::store::review::{CheckInFact, ReviewData, ReviewRecord};
use chrono::{Duration, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// What every section needs: the data, the week and the days that matter.
pub(super) struct Ctx<'a> {
    pub data: &'a ReviewData,
    pub week: Week,
    pub today: NaiveDate,
    pub as_of: NaiveDate,
    pub timeline: Timeline<'a>,
    customers: HashMap<i64, &'a Customer>,
}

/// The UTC day a record was created; `None` when unknown.
pub(super) fn created_on(meta: &Meta) -> Option<NaiveDate> {
    meta.created_at
        .get(..10)
        .and_then(crate::domain::dates::parse_iso)
}

/// Whether a record existed at the end of `day` (unknown means yes).
pub(super) fn existed_on(meta: &Meta, day: NaiveDate) -> bool {
    created_on(meta).is_none_or(|c| c <= day)
}

impl<'a> Ctx<'a> {
    pub fn customer_ref(&self, id: i64) -> CustomerRef {
        CustomerRef {
            key: RecordKey::new(RecordKind::Customer, id),
            name: self
                .customers
                .get(&id)
                .map_or_else(String::new, |c| c.name.clone()),
        }
    }

    /// A customer's stage at the end of `day`, `None` if it did not exist.
    fn stage_on(&self, customer: &Customer, day: NaiveDate) -> Option<Stage> {
        let key = RecordKey::new(RecordKind::Customer, customer.id);
        match self.timeline.on(key, "stage", day) {
            Logged::Value(stage) => Stage::parse(stage),
            Logged::Absent => None,
            Logged::Unlogged => existed_on(&customer.meta, day).then_some(customer.stage),
        }
    }

    /// Customers active at the end of the review's day, by name.
    pub fn active(&self) -> Vec<&'a Customer> {
        let mut active: Vec<&Customer> = self
            .data
            .customers
            .iter()
            .filter(|c| self.stage_on(c, self.as_of) == Some(Stage::Active))
            .collect();
        active.sort_by_key(|c| c.name.to_lowercase());
        active
    }

    /// Check-ins held (dated up to today) within `week`.
    fn held_in(&self, week: &Week) -> impl Iterator<Item = &'a CheckInFact> {
        let (week, today) = (*week, self.today);
        self.data
            .checkins
            .iter()
            .filter(move |k| week.contains(k.occurred_on) && k.occurred_on <= today)
    }

    /// A customer's newest check-in held before `day`.
    fn last_checkin_before(&self, customer: i64, day: NaiveDate) -> Option<NaiveDate> {
        let held = |on: &NaiveDate| *on < day && *on <= self.today;
        let in_window = self
            .data
            .checkins
            .iter()
            .filter(|k| k.customer_id == customer)
            .map(|k| k.occurred_on)
            .filter(held)
            .max();
        let earlier = self
            .data
            .last_checkins
            .iter()
            .filter(|(c, _)| *c == customer)
            .map(|(_, on)| *on)
            .filter(held)
            .max();
        in_window.max(earlier)
    }
}

impl Review {
    /// Computes the review of `week` from `data`, with "today" from `clock`.
    /// `data` must hold the check-ins and entries of the series window
    /// (see [`super::window`]).
    pub fn compute(data: &ReviewData, week: Week, clock: Clock) -> Review {
        let today = clock.today();
        let ctx = Ctx {
            data,
            week,
            today,
            as_of: today.min(week.end()),
            timeline: Timeline::new(&data.history),
            customers: data.customers.iter().map(|c| (c.id, c)).collect(),
        };
        let backlog = super::backlog::backlog(&ctx);
        let stage_moves = ctx.timeline.moves(RecordKind::Customer, "stage", &week);
        let moved_to = |stage: Stage| {
            stage_moves
                .iter()
                .filter(|m| m.to == Some(stage.as_str()))
                .count()
        };
        let created_in_week = |meta: &Meta| created_on(meta).is_some_and(|d| week.contains(d));
        let volume = Volume {
            items_created: data
                .items
                .iter()
                .filter(|i| created_in_week(&i.meta))
                .count(),
            customers_created: data
                .customers
                .iter()
                .filter(|c| created_in_week(&c.meta))
                .count(),
            items_decided: backlog.decided.len(),
            customers_graduated: moved_to(Stage::Graduated),
            customers_dropped: moved_to(Stage::Dropped),
        };
        Review {
            workspace: data.workspace.clone(),
            week: WeekInfo {
                label: week.label(),
                start: week.start(),
                end: week.end(),
                start_day: day_name(week.start_day()),
            },
            today,
            as_of: ctx.as_of,
            checkins: checkins(&ctx),
            overdue_customers: overdue(&ctx),
            backlog,
            followups: followups(&ctx),
            data: super::data::live_data(&ctx),
            effort: effort(&ctx),
            volume,
            recorded: data
                .reviews
                .iter()
                .filter(|r| r.week == week.label())
                .map(recorded)
                .collect(),
            since_last_review: since_last_review(data, &week),
        }
    }
}

fn checkins(ctx: &Ctx<'_>) -> CheckIns {
    let held: Vec<&CheckInFact> = ctx.held_in(&ctx.week).collect();
    let planned = ctx
        .data
        .checkins
        .iter()
        .filter(|k| ctx.week.contains(k.occurred_on) && k.occurred_on > ctx.today)
        .count();
    let met = |id: i64| held.iter().any(|k| k.customer_id == id);
    let mut due_customers: Vec<DueCustomer> = ctx
        .active()
        .into_iter()
        .filter_map(|c| {
            let due_on = c.next_due(ctx.last_checkin_before(c.id, ctx.week.start()))?;
            (due_on <= ctx.week.end()).then(|| DueCustomer {
                customer: ctx.customer_ref(c.id),
                owner: c.owner.clone(),
                due_on,
                met: met(c.id),
            })
        })
        .collect();
    due_customers.sort_by_key(|d| d.due_on);
    let mut customers: Vec<i64> = held.iter().map(|k| k.customer_id).collect();
    customers.sort_unstable();
    customers.dedup();
    let due_met = due_customers.iter().filter(|d| d.met).count();
    CheckIns {
        held: held.len(),
        planned,
        customers_met: customers.len(),
        due: due_customers.len(),
        due_met,
        adherence: rate(due_met, due_customers.len()),
        due_customers,
    }
}

fn overdue(ctx: &Ctx<'_>) -> Vec<OverdueCustomer> {
    let mut overdue: Vec<OverdueCustomer> = ctx
        .active()
        .into_iter()
        .filter_map(|c| {
            let last = ctx.last_checkin_before(c.id, ctx.as_of + Duration::days(1));
            let due_on = c.next_due(last)?;
            (due_on < ctx.as_of).then(|| OverdueCustomer {
                customer: ctx.customer_ref(c.id),
                owner: c.owner.clone(),
                cadence_days: c.cadence_days,
                last_checkin: last,
                due_on,
                days_overdue: (ctx.as_of - due_on).num_days(),
            })
        })
        .collect();
    overdue.sort_by_key(|o| std::cmp::Reverse(o.days_overdue));
    overdue
}

fn followups(ctx: &Ctx<'_>) -> FollowUps {
    let done_on = |f: &crate::domain::FollowUp| {
        f.done_at
            .as_deref()
            .and_then(|d| d.get(..10))
            .and_then(crate::domain::dates::parse_iso)
    };
    let mut items: Vec<FollowUpLine> = ctx
        .data
        .followups
        .iter()
        .filter(|f| existed_on(&f.meta, ctx.as_of) && done_on(f).is_none_or(|d| d > ctx.as_of))
        .map(|f| FollowUpLine {
            key: RecordKey::new(RecordKind::FollowUp, f.id),
            customer: ctx.customer_ref(f.customer_id),
            text: f.text.clone(),
            owner: f.owner.clone(),
            due_on: f.due_on,
            days_overdue: f
                .due_on
                .filter(|d| *d < ctx.as_of)
                .map(|d| (ctx.as_of - d).num_days()),
        })
        .collect();
    items.sort_by_key(|f| {
        (
            f.days_overdue.is_none(),
            f.due_on.is_none(),
            f.due_on,
            f.key.id,
        )
    });
    FollowUps {
        open: items.len(),
        overdue: items.iter().filter(|f| f.days_overdue.is_some()).count(),
        done_this_week: ctx
            .data
            .followups
            .iter()
            .filter(|f| done_on(f).is_some_and(|d| ctx.week.contains(d)))
            .count(),
        items,
    }
}

fn effort(ctx: &Ctx<'_>) -> Effort {
    let mut per: BTreeMap<i64, (usize, i64, usize)> = BTreeMap::new();
    let mut unrecorded = 0;
    let mut checkins = 0;
    for k in ctx.held_in(&ctx.week) {
        let slot = per.entry(k.customer_id).or_default();
        slot.0 += 1;
        slot.1 += k.effort_minutes.unwrap_or(0);
        slot.2 += usize::from(k.effort_minutes.is_some());
        checkins += 1;
        unrecorded += usize::from(k.effort_minutes.is_none());
    }
    let mut per_customer: Vec<CustomerEffort> = per
        .into_iter()
        .map(|(id, (checkins, minutes, entered))| CustomerEffort {
            customer: ctx.customer_ref(id),
            checkins,
            minutes,
            entered,
        })
        .collect();
    per_customer.sort_by(|a, b| {
        b.minutes
            .cmp(&a.minutes)
            .then_with(|| a.customer.name.cmp(&b.customer.name))
    });
    Effort {
        total_minutes: per_customer.iter().map(|c| c.minutes).sum(),
        previous_week_minutes: ctx
            .held_in(&ctx.week.previous())
            .filter_map(|k| k.effort_minutes)
            .sum(),
        previous_week_entered: ctx
            .held_in(&ctx.week.previous())
            .filter(|k| k.effort_minutes.is_some())
            .count(),
        checkins,
        unrecorded,
        per_customer,
    }
}

fn recorded(r: &ReviewRecord) -> RecordedReview {
    RecordedReview {
        key: RecordKey::new(RecordKind::Review, r.id),
        week: r.week.clone(),
        held_at: r.held_at.clone(),
        attendees: r
            .attendees
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect(),
        notes: r.notes.clone(),
    }
}

fn since_last_review(data: &ReviewData, week: &Week) -> Option<SinceLastReview> {
    let last = last_review_before(&data.reviews, week)?;
    let since = data.since.clone().unwrap_or_default();
    Some(SinceLastReview {
        review: recorded(last),
        batches: since.batches,
        kinds: since
            .kinds
            .into_iter()
            .map(|k| KindChanges {
                kind: k.kind,
                created: k.created,
                updated: k.updated,
                deleted: k.deleted,
            })
            .collect(),
        recent: since
            .recent
            .into_iter()
            .map(|b| BatchLine {
                id: b.id,
                at: b.at,
                actor: b.actor,
                label: b.label,
            })
            .collect(),
    })
}
