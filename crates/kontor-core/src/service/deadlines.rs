//! Service-level deadlines at work (#22): the worker tells the operators of
//! support deadlines that passed, and escalates partner changes the new
//! partner has not answered before their time runs out. Each is told once:
//! its record and its mail commit together, and a worker that finds it
//! recorded already sends nothing (a second instance, a restart).

use serde_json::json;

use super::Services;
use super::partner_change::contact;
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::notify::{ChangeEvent, OutboxMessage, Recipient, RecipientRole, support_emails};
use crate::domain::sla::escalation_window;
use crate::error::Result;

/// Breaches and escalations handled per round.
const BATCH: u32 = 200;

impl Services {
    /// Tells the operators of every deadline of a support case or a dispute
    /// that passed and was not told yet, in one mail per round; the number
    /// of breaches told.
    pub async fn tell_breaches(&self) -> Result<u32> {
        let mut told = 0;
        loop {
            let now = self.clock.now();
            let breaches = self.store.untold_breaches(now, BATCH).await?;
            if breaches.is_empty() {
                return Ok(told);
            }
            let recipients = self
                .store
                .operators()
                .await?
                .iter()
                .map(|c| Recipient::of(c, RecipientRole::Operator))
                .collect();
            let message = OutboxMessage::DeadlinesBreached {
                event_id: uuid::Uuid::now_v7(),
                recipients,
                breaches: breaches.clone(),
            };
            if !self
                .store
                .record_breaches(&breaches, now, &[message])
                .await?
            {
                // Another worker told (some of) them: read again.
                continue;
            }
            told += breaches.len() as u32;
            if breaches.len() < BATCH as usize {
                return Ok(told);
            }
        }
    }

    /// Escalates every partner change waiting for the new partner's answer
    /// whose time runs out within `acceptance_escalate_hours`: the admins,
    /// the new partner and support are mailed, once. The number escalated.
    pub async fn escalate_unanswered(&self) -> Result<u32> {
        let hours = self.policy.acceptance_escalate_hours;
        if hours == 0 {
            return Ok(0);
        }
        let now = self.clock.now();
        let (after, until) = escalation_window(now, hours);
        let due = self.store.unescalated_requests(after, until, BATCH).await?;
        if due.is_empty() {
            // The minute's usual answer: no need to read the agents.
            return Ok(0);
        }
        let agents = self.store.support_agents().await?;
        let mut escalated = 0;
        for request in due {
            let admins = self.account_admins(&request.account).await?;
            let new_partner = self
                .partner(&request.new_partner)
                .await?
                .map(|p| contact(&p));
            let message = support_emails(
                ChangeEvent::Escalated,
                &request,
                (&admins, new_partner.as_ref(), &agents),
                Some(request.due_at),
            );
            let audit = AuditEntry::new(now, By::System("worker"), AuditAction::ChangeEscalated)
                .on(&request.account, &request.agreement)
                .request(request.id)
                .change(
                    json!({ "status": request.status }),
                    json!({ "status": request.status, "answer_by": request.due_at.unix_timestamp() }),
                );
            if self
                .store
                .record_escalation(request.id, now, &audit, &[message])
                .await?
            {
                escalated += 1;
            }
        }
        Ok(escalated)
    }
}
