//! Reminders before the window for a partner change closes (#22): the
//! admins of an account are mailed, at the configured days before R4 would
//! block a change, with each agreement's last day and a link to start it.
//! Each reminder goes out once: its record and its mail commit together,
//! and a worker that finds it recorded already sends nothing.

use std::collections::BTreeMap;

use super::Services;
use crate::domain::agreement::Agreement;
use crate::domain::eligibility::{check, today};
use crate::domain::ids::Csn;
use crate::domain::notify::{OutboxMessage, Recipient, RecipientRole};
use crate::domain::reminder::{closes_on, due_offset, last_day, term_end_range};
use crate::error::Result;
use crate::store::ReminderSent;

impl Services {
    /// Queues the reminders due now for windows closing in `offsets` days
    /// (e.g. 30 and 7); the number of mails queued (one per account).
    pub async fn send_window_reminders(&self, offsets: &[i64]) -> Result<u32> {
        let now = self.clock.now();
        let today = today(now);
        let window = self.policy.expiry_window_days;
        let Some((from, to)) = term_end_range(today, window, offsets) else {
            return Ok(0);
        };
        let mut due: BTreeMap<Csn, Vec<(Agreement, i64)>> = BTreeMap::new();
        for c in self.store.closing_agreements(from, to).await? {
            // Only what an admin could change today (R3, R4): nothing when
            // a change is open already.
            if c.open_request
                || !check(&c.agreement, true, None, false, today, &self.policy).eligible
            {
                continue;
            }
            let closes = closes_on(c.agreement.term_end, window);
            if let Some(offset) = due_offset(today, closes, offsets, &c.sent) {
                due.entry(c.agreement.account.clone())
                    .or_default()
                    .push((c.agreement, offset));
            }
        }
        let mut mails = 0;
        for (account, items) in due {
            let recipients = self
                .account_admins(&account)
                .await?
                .iter()
                .map(|c| Recipient::of(c, RecipientRole::AccountAdmin))
                .collect();
            let sent: Vec<ReminderSent> = items
                .iter()
                .map(|(a, offset)| ReminderSent {
                    agreement: a.number.clone(),
                    term_end: a.term_end,
                    offset_days: *offset,
                })
                .collect();
            let message = OutboxMessage::WindowClosing {
                event_id: uuid::Uuid::now_v7(),
                recipients,
                account,
                agreements: items
                    .iter()
                    .map(|(a, _)| (a.number.clone(), last_day(a.term_end, window).to_string()))
                    .collect(),
                offset_days: items.iter().map(|(_, o)| *o).min().unwrap_or_default(),
            };
            if self.store.record_reminders(&sent, now, &[message]).await? {
                mails += 1;
            }
        }
        Ok(mails)
    }
}
