//! A read-through cache of what the hot read paths need: agreements with
//! their open request, partners, and account admins.
//!
//! Correctness rests on one rule: every state change writes an audit entry
//! (R11). Writes made by this process invalidate what they touch at once
//! (read-your-writes); writes made by other processes (a separate
//! `kontor worker`, other instances) reach the cache through the audit feed
//! ([`ReadCache::apply_feed`]), polled by the binary a few times a second.
//! A generation counter stops a slow read that started before an
//! invalidation from putting stale data back.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::domain::agreement::Partner;
use crate::domain::consent::ProgramConsent;
use crate::domain::ids::{AgreementNumber, Csn};
use crate::domain::notify::Contact;
use crate::store::{AgreementState, ChangeFeed, Scope};

/// Entries per map before it is emptied (a crude but bounded eviction).
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Default)]
struct Maps {
    agreements: HashMap<AgreementNumber, Arc<AgreementState>>,
    partners: HashMap<Csn, Option<Partner>>,
    admins: HashMap<Csn, Vec<Contact>>,
    /// The partners serving a scope's agreements: read over every
    /// agreement of the scope, so worth keeping; dropped whenever any
    /// agreement's partners of record change.
    serving: HashMap<Scope, Arc<Vec<(Csn, String)>>>,
    /// The operator's consent choices per program (#22): few, read on
    /// every submit, changed rarely (`policy_changed` clears every cache).
    consents: Option<Arc<Vec<ProgramConsent>>>,
}

/// The cache. Cheap to share (`Arc`), safe to use from any task.
#[derive(Debug, Default)]
pub struct ReadCache {
    maps: RwLock<Maps>,
    generation: AtomicU64,
    /// Moves only when partners of record may have changed: the serving
    /// lists take long to read on a large account, and a stream of
    /// unrelated agreement changes (submits) must not keep them from ever
    /// being cached.
    serving_generation: AtomicU64,
    enabled: bool,
}

/// Read before a store read; pass back to `put_*` so stale results are dropped.
#[derive(Debug, Clone, Copy)]
pub struct Ticket(u64);

impl ReadCache {
    /// An empty cache; `enabled = false` makes every lookup miss.
    pub fn new(enabled: bool) -> Self {
        ReadCache {
            enabled,
            ..ReadCache::default()
        }
    }

    /// Take before reading from the store.
    pub fn ticket(&self) -> Ticket {
        Ticket(self.generation.load(Ordering::Acquire))
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Maps> {
        self.maps.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Maps> {
        self.maps.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `put` when nothing was invalidated since `ticket` was taken.
    fn put(&self, ticket: Ticket, put: impl FnOnce(&mut Maps)) {
        if !self.enabled {
            return;
        }
        let mut maps = self.write();
        // Checked under the write lock: invalidations take it too.
        if self.generation.load(Ordering::Acquire) == ticket.0 {
            put(&mut maps);
        }
    }

    /// A cached agreement.
    pub fn agreement(&self, n: &AgreementNumber) -> Option<Arc<AgreementState>> {
        self.enabled
            .then(|| self.read().agreements.get(n).cloned())
            .flatten()
    }

    /// Caches an agreement read with `ticket`.
    pub fn put_agreement(&self, ticket: Ticket, state: &Arc<AgreementState>) {
        let mut full = None;
        self.put(ticket, |m| {
            if m.agreements.len() >= MAX_ENTRIES {
                full = Some(std::mem::take(&mut m.agreements));
            }
            m.agreements
                .insert(state.agreement.number.clone(), state.clone());
        });
        // Dropped after the lock is released: freeing 100,000 entries
        // under it held up every other request (the cold eligibility
        // bench's p99, #23).
        drop(full);
    }

    /// A cached partner lookup (`Some(None)`: known not to exist).
    pub fn partner(&self, csn: &Csn) -> Option<Option<Partner>> {
        self.enabled
            .then(|| self.read().partners.get(csn).cloned())
            .flatten()
    }

    /// Caches a partner lookup read with `ticket`.
    pub fn put_partner(&self, ticket: Ticket, csn: &Csn, p: &Option<Partner>) {
        self.put(ticket, |m| {
            if m.partners.len() >= MAX_ENTRIES {
                m.partners.clear();
            }
            m.partners.insert(csn.clone(), p.clone());
        });
    }

    /// Cached admins of an account.
    pub fn admins(&self, account: &Csn) -> Option<Vec<Contact>> {
        self.enabled
            .then(|| self.read().admins.get(account).cloned())
            .flatten()
    }

    /// Caches admins read with `ticket`.
    pub fn put_admins(&self, ticket: Ticket, account: &Csn, admins: &[Contact]) {
        self.put(ticket, |m| {
            if m.admins.len() >= MAX_ENTRIES {
                m.admins.clear();
            }
            m.admins.insert(account.clone(), admins.to_vec());
        });
    }

    /// The cached consent choices per program.
    pub fn consents(&self) -> Option<Arc<Vec<ProgramConsent>>> {
        self.enabled.then(|| self.read().consents.clone()).flatten()
    }

    /// Caches the consent choices read with `ticket`.
    pub fn put_consents(&self, ticket: Ticket, consents: &Arc<Vec<ProgramConsent>>) {
        self.put(ticket, |m| m.consents = Some(consents.clone()));
    }

    /// The cached partners serving `scope`'s agreements.
    pub fn serving(&self, scope: &Scope) -> Option<Arc<Vec<(Csn, String)>>> {
        self.enabled
            .then(|| self.read().serving.get(scope).cloned())
            .flatten()
    }

    /// Take before reading the serving partners from the store.
    pub fn serving_ticket(&self) -> Ticket {
        Ticket(self.serving_generation.load(Ordering::Acquire))
    }

    /// Caches the partners serving `scope`'s agreements, read with a
    /// [`ReadCache::serving_ticket`].
    pub fn put_serving(&self, ticket: Ticket, scope: &Scope, partners: &Arc<Vec<(Csn, String)>>) {
        if !self.enabled {
            return;
        }
        let mut m = self.write();
        if self.serving_generation.load(Ordering::Acquire) == ticket.0 {
            if m.serving.len() >= MAX_ENTRIES {
                m.serving.clear();
            }
            m.serving.insert(scope.clone(), partners.clone());
        }
    }

    /// Drops every serving list (under the write lock `maps`).
    fn forget_serving(&self, maps: &mut Maps) {
        self.serving_generation.fetch_add(1, Ordering::AcqRel);
        maps.serving.clear();
    }

    /// Forgets one agreement (it changed).
    pub fn invalidate_agreement(&self, n: &AgreementNumber) {
        self.forget(std::slice::from_ref(n), false);
    }

    /// Forgets one agreement whose partners of record changed, and every
    /// list of serving partners.
    pub fn invalidate_partners_of(&self, n: &AgreementNumber) {
        self.forget(std::slice::from_ref(n), true);
    }

    /// Forgets the agreements named (they changed) and, when `partners` —
    /// some of their partners of record changed — every list of serving
    /// partners; under one lock.
    pub fn forget(&self, agreements: &[AgreementNumber], partners: bool) {
        if agreements.is_empty() && !partners {
            return;
        }
        let mut maps = self.write();
        self.generation.fetch_add(1, Ordering::AcqRel);
        for n in agreements {
            maps.agreements.remove(n);
        }
        if partners {
            self.forget_serving(&mut maps);
        }
    }

    /// Forgets everything (imports, user and directory changes).
    pub fn clear(&self) {
        let mut maps = self.write();
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.forget_serving(&mut maps);
        *maps = Maps::default();
    }

    /// Applies what changed since the last poll: an entry about an
    /// agreement invalidates it (and the serving partners when partners
    /// of record changed); any other entry (users, partners, imports)
    /// clears everything.
    pub fn apply_feed(&self, feed: &ChangeFeed) {
        if feed.other {
            self.clear();
            return;
        }
        self.forget(&feed.agreements, feed.partners);
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::domain::agreement::{Agreement, AgreementStatus, Program, SupportLevel};

    fn state(n: &str) -> AgreementState {
        AgreementState {
            agreement: Agreement {
                number: AgreementNumber::parse(n).unwrap(),
                account: Csn::parse("7000000001").unwrap(),
                products: vec![],
                term_start: date!(2026 - 01 - 01),
                term_end: date!(2027 - 01 - 01),
                auto_renew: false,
                program: Program::standard(),
                support_level: SupportLevel::Standard,
                status: AgreementStatus::Active,
                partners: vec![Csn::parse("5100000001").unwrap()],
            },
            open_request: None,
            renewal_partner: None,
        }
    }

    fn feed(agreement: Option<&str>) -> ChangeFeed {
        ChangeFeed {
            agreements: agreement
                .map(|n| AgreementNumber::parse(n).unwrap())
                .into_iter()
                .collect(),
            other: agreement.is_none(),
            partners: false,
            position: 1,
            more: false,
            behind: false,
        }
    }

    #[test]
    fn serving_partners_survive_a_submit_and_go_when_partners_of_record_change() {
        let cache = ReadCache::new(true);
        let scope = Scope::Account(Csn::parse("7000000001").unwrap());
        let serving = Arc::new(vec![(Csn::parse("5100000001").unwrap(), "CAD".to_owned())]);
        let n = AgreementNumber::parse("110000000001").unwrap();
        cache.put_serving(cache.serving_ticket(), &scope, &serving);
        // A request submitted or withdrawn changes no partner of record,
        // not even while a slow read of the list is in flight.
        let ticket = cache.serving_ticket();
        cache.invalidate_agreement(&n);
        cache.apply_feed(&feed(Some("110000000001")));
        assert_eq!(cache.serving(&scope), Some(serving.clone()));
        cache.put_serving(ticket, &scope, &serving);
        assert_eq!(cache.serving(&scope), Some(serving.clone()));
        // A read that raced a change of partners is not kept.
        let ticket = cache.serving_ticket();
        cache.invalidate_partners_of(&n);
        cache.put_serving(ticket, &scope, &serving);
        assert_eq!(cache.serving(&scope), None);
        cache.put_serving(cache.serving_ticket(), &scope, &serving);
        // Applied here, or by another process (the feed says so).
        cache.invalidate_partners_of(&n);
        assert_eq!(cache.serving(&scope), None);
        cache.put_serving(cache.serving_ticket(), &scope, &serving);
        cache.apply_feed(&ChangeFeed {
            partners: true,
            ..feed(Some("110000000001"))
        });
        assert_eq!(cache.serving(&scope), None);
    }

    #[test]
    fn a_worker_batch_forgets_its_agreements_and_the_serving_lists_only_when_partners_changed() {
        let cache = ReadCache::new(true);
        let scope = Scope::Account(Csn::parse("7000000001").unwrap());
        let serving = Arc::new(vec![(Csn::parse("5100000001").unwrap(), "CAD".to_owned())]);
        let (a, b, c) = ("110000000001", "110000000011", "110000000021");
        for n in [a, b, c] {
            cache.put_agreement(cache.ticket(), &Arc::new(state(n)));
        }
        cache.put_serving(cache.serving_ticket(), &scope, &serving);
        let number = |n: &str| AgreementNumber::parse(n).unwrap();
        // A batch that only rejected: partners of record stay.
        let ticket = cache.ticket();
        cache.forget(&[number(a)], false);
        assert!(cache.agreement(&number(a)).is_none());
        assert!(cache.agreement(&number(b)).is_some());
        assert_eq!(cache.serving(&scope), Some(serving.clone()));
        // A read that was in flight during the batch is not kept.
        cache.put_agreement(ticket, &Arc::new(state(a)));
        assert!(cache.agreement(&number(a)).is_none());
        // A batch that applied: the serving lists go too, the rest stays.
        cache.forget(&[number(b)], true);
        assert!(cache.agreement(&number(b)).is_none());
        assert!(cache.agreement(&number(c)).is_some());
        assert_eq!(cache.serving(&scope), None);
    }

    #[test]
    fn a_read_that_raced_an_invalidation_is_not_cached() {
        let cache = ReadCache::new(true);
        let n = AgreementNumber::parse("110000000001").unwrap();
        let ticket = cache.ticket();
        // A write lands while the read is in flight…
        cache.invalidate_agreement(&n);
        // …so the (possibly stale) result of the read is dropped.
        cache.put_agreement(ticket, &Arc::new(state("110000000001")));
        assert!(cache.agreement(&n).is_none());
        let ticket = cache.ticket();
        cache.put_agreement(ticket, &Arc::new(state("110000000001")));
        assert!(cache.agreement(&n).is_some());
    }

    #[test]
    fn the_audit_feed_invalidates_agreements_and_clears_on_other_changes() {
        let cache = ReadCache::new(true);
        for n in ["110000000001", "110000000002"] {
            cache.put_agreement(cache.ticket(), &Arc::new(state(n)));
        }
        let csn = Csn::parse("5100000001").unwrap();
        cache.put_partner(cache.ticket(), &csn, &None);
        cache.apply_feed(&feed(Some("110000000001")));
        assert!(
            cache
                .agreement(&AgreementNumber::parse("110000000001").unwrap())
                .is_none()
        );
        assert!(
            cache
                .agreement(&AgreementNumber::parse("110000000002").unwrap())
                .is_some()
        );
        assert_eq!(cache.partner(&csn), Some(None));
        // An entry about no agreement (an import, a user change) clears all.
        cache.apply_feed(&feed(None));
        assert!(
            cache
                .agreement(&AgreementNumber::parse("110000000002").unwrap())
                .is_none()
        );
        assert_eq!(cache.partner(&csn), None);
    }

    #[test]
    fn a_disabled_cache_never_answers() {
        let cache = ReadCache::new(false);
        cache.put_agreement(cache.ticket(), &Arc::new(state("110000000001")));
        assert!(
            cache
                .agreement(&AgreementNumber::parse("110000000001").unwrap())
                .is_none()
        );
    }
}
