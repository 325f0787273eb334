//! Support cases: an admin asks to change only one of several partners
//! (R6), and a support agent replaces that single partner; or someone of
//! the account asks a question — typically handed over by the help
//! assistant (#20) — and support answers in the case. Every case shows
//! when support's first response is due, by the support level.

use serde_json::json;
use uuid::Uuid;

use super::Services;
use crate::domain::agreement::SupportLevel;
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::ids::{AgreementNumber, Csn};
use crate::domain::notify::{Contact, OutboxMessage, Recipient, RecipientRole};
use crate::domain::permissions::Permission;
use crate::domain::roles::Actor;
use crate::domain::sla::Deadlines;
use crate::domain::support::{CaseMessage, CaseSide, CaseStatus, SupportCase, replace_one};
use crate::error::{Error, FieldError, Result, StoreError, Text};
use crate::store::Scope;

/// A case as entered.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// The agreement.
    pub agreement: AgreementNumber,
    /// Which of its partners to replace.
    pub replace_partner: String,
    /// The new partner's CSN.
    pub new_partner: String,
    /// What the admin wants to say.
    pub message: String,
}

/// A case's fields, well-formed.
struct CaseRequest {
    old: Csn,
    new: Csn,
    message: String,
}

impl TryFrom<&NewCase> for CaseRequest {
    type Error = Vec<FieldError>;

    fn try_from(input: &NewCase) -> Result<Self, Self::Error> {
        let mut malformed = Vec::new();
        let mut csn = |field: &str, raw: &str| {
            Csn::parse(raw)
                .map_err(|e| {
                    malformed.push(FieldError::coded(
                        field,
                        "csn-format",
                        Vec::new(),
                        format!("expected {}", e.expected),
                    ))
                })
                .ok()
        };
        let old = csn("replace_partner", &input.replace_partner);
        let new = csn("new_partner", &input.new_partner);
        let message = input.message.trim().to_owned();
        if message.chars().count() > 2000 {
            malformed.push(FieldError::coded(
                "message",
                "text-too-long",
                vec![("max", "2000".into())],
                "expected at most 2000 characters",
            ));
        }
        match (old, new) {
            (Some(old), Some(new)) if malformed.is_empty() => Ok(CaseRequest { old, new, message }),
            _ => Err(malformed),
        }
    }
}

impl Services {
    /// Opens a case to replace one partner of a multi-partner agreement.
    pub async fn open_case(&self, actor: &Actor, input: NewCase) -> Result<SupportCase> {
        let state = self.agreement(actor, &input.agreement).await?;
        let a = &state.agreement;
        if !actor.is_admin_of(&a.account) {
            return Err(Error::Forbidden(Text::new(
                "forbidden-open-case",
                "only an administrator of the account opens this support case",
            )));
        }
        // What is malformed is `Invalid`; what the stored data turns down
        // (a partner that is not this agreement's, unknown or inactive) is
        // `Refused`, as everywhere else (#16).
        let request = CaseRequest::try_from(&input).map_err(Error::Invalid)?;
        let refused = self.case_refusals(&a.partners, &request).await?;
        if !refused.is_empty() {
            return Err(Error::Refused(refused));
        }
        let level = a.support_level;
        let case = self.new_case(
            actor,
            a.account.clone(),
            Some(a.number.clone()),
            Some((request.old, request.new)),
            request.message,
            level,
        );
        let audit = AuditEntry::new(case.created_at, By::Person(actor), AuditAction::SupportCaseOpened)
            .about(&case.account, case.agreement.as_ref())
            .change(json!(null), json!({ "case": case.id, "replace_partner": case.replace_partner, "new_partner": case.new_partner, "respond_by": case.respond_by.map(|t| t.unix_timestamp()) }));
        let mail = self.new_case_mail(actor, &case).await?;
        self.store.insert_case(&case, &audit, &[mail]).await?;
        Ok(case)
    }

    /// Someone of a customer account asks support a question (for the
    /// help assistant's hand-off, the conversation), about one of their
    /// agreements or none. The first response is due by the agreement's
    /// support level, or the account's highest active one. Support agents
    /// are mailed; the case waits in their queue.
    pub async fn ask_support(
        &self,
        actor: &Actor,
        message: &str,
        agreement: Option<&AgreementNumber>,
    ) -> Result<SupportCase> {
        let Some(account) = actor.account().cloned() else {
            return Err(Error::Forbidden(Text::new(
                "forbidden-ask-support",
                "only people of a customer account open a support case",
            )));
        };
        let message = case_message(message).map_err(|e| Error::Invalid(vec![e]))?;
        // R1: an agreement the caller may not see is not found, like a
        // missing one.
        let agreement = match agreement {
            Some(number) => Some(self.agreement(actor, number).await?),
            None => None,
        };
        let level = match &agreement {
            Some(state) => state.agreement.support_level,
            None => SupportLevel::highest(
                self.store
                    .support_levels(&Scope::Account(account.clone()))
                    .await?,
            )
            .unwrap_or(SupportLevel::Standard),
        };
        let case = self.new_case(
            actor,
            account,
            agreement.map(|state| state.agreement.number.clone()),
            None,
            message,
            level,
        );
        let mail = self.new_case_mail(actor, &case).await?;
        let audit = AuditEntry::new(case.created_at, By::Person(actor), AuditAction::SupportCaseOpened)
            .about(&case.account, case.agreement.as_ref())
            .change(
                json!(null),
                json!({ "case": case.id, "support_level": level, "respond_by": case.respond_by.map(|t| t.unix_timestamp()) }),
            );
        self.store.insert_case(&case, &audit, &[mail]).await?;
        Ok(case)
    }

    /// A case `actor` opens now: waiting for support, its first answer due
    /// by `level`'s target.
    fn new_case(
        &self,
        actor: &Actor,
        account: Csn,
        agreement: Option<AgreementNumber>,
        swap: Option<(Csn, Csn)>,
        message: String,
        level: SupportLevel,
    ) -> SupportCase {
        let now = self.clock.now();
        let (replace_partner, new_partner) =
            swap.map_or((None, None), |(old, new)| (Some(old), Some(new)));
        let due = Deadlines::of(
            level,
            now,
            &self.policy.first_response,
            &self.policy.resolution,
        );
        SupportCase {
            id: Uuid::now_v7(),
            account,
            agreement,
            opened_by: actor.user_id,
            replace_partner,
            new_partner,
            message,
            status: CaseStatus::Open,
            created_at: now,
            resolved_at: None,
            resolved_by: None,
            waiting_on: CaseSide::Support,
            support_level: Some(level),
            respond_by: Some(due.respond_by),
            resolve_by: Some(due.resolve_by),
            first_response_at: None,
        }
    }

    /// The mail that tells the support agents of a new case.
    async fn new_case_mail(&self, actor: &Actor, case: &SupportCase) -> Result<OutboxMessage> {
        Ok(OutboxMessage::CaseReply {
            event_id: Uuid::now_v7(),
            recipients: recipients(
                self.store.support_agents().await?,
                RecipientRole::SupportAgent,
            ),
            case: case.id,
            agreement: case.agreement.clone(),
            opened: true,
            author: actor.name.clone(),
            body: case.message.clone(),
        })
    }

    /// What the agreement's partners and the directory say against the case.
    async fn case_refusals(
        &self,
        partners: &[Csn],
        request: &CaseRequest,
    ) -> Result<Vec<FieldError>> {
        let mut refused = Vec::new();
        if !partners.contains(&request.old) {
            refused.push(FieldError::coded(
                "replace_partner",
                "case-not-a-partner",
                Vec::new(),
                "expected the CSN of one of the agreement's partners",
            ));
        }
        let new = &request.new;
        match self.unusable_partner("new_partner", new).await? {
            Some(problem) => refused.push(problem),
            None if partners.contains(new) => refused.push(FieldError::coded(
                "new_partner",
                "case-already-partner",
                vec![("csn", new.to_string())],
                format!("partner {new} already is a partner of record"),
            )),
            None => {}
        }
        Ok(refused)
    }

    /// A case the caller may see (R1).
    pub async fn support_case(&self, actor: &Actor, id: Uuid) -> Result<SupportCase> {
        self.store
            .case(&Scope::of(actor), id)
            .await?
            .ok_or(Error::NotFound("support case"))
    }

    /// Cases the caller may see: all newest first, or the open ones
    /// oldest first (the support queue).
    pub async fn support_cases(&self, actor: &Actor, open_only: bool) -> Result<Vec<SupportCase>> {
        Ok(self.store.cases(&Scope::of(actor), open_only, 200).await?)
    }

    /// A case the caller may see (R1) with its replies, oldest first.
    pub async fn case_conversation(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(SupportCase, Vec<CaseMessage>)> {
        let case = self.support_case(actor, id).await?;
        let messages = self.store.case_messages(case.id).await?;
        Ok((case, messages))
    }

    /// The side `actor` writes for in `case`, if they may write in it: the
    /// account's admins and the person who opened it for the customer,
    /// support agents and operators for support.
    pub fn case_side(actor: &Actor, case: &SupportCase) -> Option<CaseSide> {
        if actor.is_admin_of(&case.account) || actor.user_id == case.opened_by {
            Some(CaseSide::Customer)
        } else if actor.may(Permission::ResolveSupportCases) {
            Some(CaseSide::Support)
        } else {
            None
        }
    }

    /// `actor` replies in an open case: stored with its audit entry, and
    /// mailed to the other side in their language — support agents when
    /// the customer wrote, the admin who opened the case (or, once they
    /// have left, the account's admins) when support did.
    pub async fn reply_to_case(&self, actor: &Actor, id: Uuid, body: &str) -> Result<CaseMessage> {
        let case = self.support_case(actor, id).await?;
        let side = Self::case_side(actor, &case).ok_or_else(|| {
            Error::Forbidden(Text::new(
                "forbidden-case-reply",
                "only the account's administrators, the person who opened the case, and support reply in a support case",
            ))
        })?;
        let body = reply_body(body).map_err(|e| Error::Invalid(vec![e]))?;
        if case.status != CaseStatus::Open {
            return Err(case_resolved());
        }
        let now = self.clock.now();
        let message = CaseMessage {
            id: Uuid::now_v7(),
            case_id: case.id,
            author: actor.user_id,
            author_name: actor.name.clone(),
            side,
            body,
            created_at: now,
        };
        let (to, role) = match side {
            CaseSide::Customer => (
                self.store.support_agents().await?,
                RecipientRole::SupportAgent,
            ),
            CaseSide::Support => {
                let opener = self.store.user_contact(case.opened_by).await?;
                let to = match opener {
                    Some(c) => vec![c],
                    None => self.account_admins(&case.account).await?,
                };
                (to, RecipientRole::AccountAdmin)
            }
        };
        let mail = OutboxMessage::CaseReply {
            event_id: Uuid::now_v7(),
            recipients: recipients(to, role),
            case: case.id,
            agreement: case.agreement.clone(),
            opened: false,
            author: actor.name.clone(),
            body: message.body.clone(),
        };
        let audit = AuditEntry::new(now, By::Person(actor), AuditAction::SupportCaseReplied)
            .about(&case.account, case.agreement.as_ref())
            .change(
                json!({ "waiting_on": case.waiting_on }),
                json!({ "case": case.id, "waiting_on": side.other() }),
            );
        match self.store.add_case_message(&message, &audit, &[mail]).await {
            Err(StoreError::NotFound) => Err(case_resolved()),
            other => other.map(|()| message).map_err(Into::into),
        }
    }

    /// A support agent resolves a case: for a partner swap by replacing
    /// the single partner it names (R6), for a question by closing it.
    pub async fn resolve_case(&self, actor: &Actor, id: Uuid) -> Result<SupportCase> {
        Error::unless_may(actor, Permission::ResolveSupportCases)?;
        let case = self.support_case(actor, id).await?;
        if case.status != CaseStatus::Open {
            return Err(case_resolved());
        }
        let now = self.clock.now();
        let mut audit = Vec::new();
        let swap = match (&case.agreement, case.swap()) {
            (Some(number), Some((old, new))) => {
                let state = self
                    .store
                    .agreement_state(&Scope::All, number)
                    .await?
                    .ok_or(Error::NotFound("agreement"))?;
                let before = state.agreement.partners.clone();
                if !before.contains(old) {
                    return Err(Error::Conflict {
                        code: "stale",
                        detail: Text::new(
                            "partner-no-longer-of-record",
                            "the partner to replace is no longer a partner of record",
                        ),
                    });
                }
                let after = replace_one(&before, old, new);
                audit.push(
                    AuditEntry::new(
                        now,
                        By::Person(actor),
                        AuditAction::PartnerAssignmentChanged,
                    )
                    .on(&case.account, number)
                    .change(json!({ "partners": before }), json!({ "partners": after })),
                );
                Some((number.clone(), after))
            }
            _ => None,
        };
        let resolved = SupportCase {
            status: CaseStatus::Resolved,
            resolved_at: Some(now),
            resolved_by: Some(actor.user_id),
            ..case
        };
        audit.insert(
            0,
            AuditEntry::new(now, By::Person(actor), AuditAction::SupportCaseResolved)
                .about(&resolved.account, resolved.agreement.as_ref())
                .change(
                    json!({ "status": "open" }),
                    json!({ "status": "resolved", "case": resolved.id }),
                ),
        );
        let result = self
            .store
            .resolve_case(
                &resolved,
                swap.as_ref().map(|(_, after)| after.as_slice()),
                &audit,
            )
            .await;
        if let Some((number, _)) = &swap {
            self.cache.invalidate_partners_of(number);
        }
        match result {
            Ok(()) => Ok(resolved),
            Err(StoreError::NotFound) => Err(case_resolved()),
            Err(e) => Err(e.into()),
        }
    }
}

fn recipients(to: Vec<Contact>, role: RecipientRole) -> Vec<Recipient> {
    to.iter().map(|c| Recipient::of(c, role)).collect()
}

fn case_resolved() -> Error {
    Error::Conflict {
        code: "not_open",
        detail: Text::new("case-resolved", "the support case is already resolved"),
    }
}

/// Longest reply kept, in characters.
pub const MAX_REPLY: usize = 5000;

/// Longest question handed to support, in characters: room for a whole
/// conversation with the assistant (30 turns of 2000 characters and a
/// note).
pub const MAX_QUESTION: usize = 64_000;

/// A question as written: trimmed, not empty, at most [`MAX_QUESTION`].
pub fn case_message(raw: &str) -> std::result::Result<String, FieldError> {
    written(
        raw,
        "message",
        "question-empty",
        "expected the question for support",
        MAX_QUESTION,
    )
}

/// A reply as written: trimmed, not empty, at most [`MAX_REPLY`] characters.
pub fn reply_body(raw: &str) -> std::result::Result<String, FieldError> {
    written(
        raw,
        "body",
        "reply-empty",
        "expected the text of the reply",
        MAX_REPLY,
    )
}

/// Text a person wrote into `field`: trimmed; empty is `empty`'s error,
/// longer than `max` characters `text-too-long`.
pub(crate) fn written(
    raw: &str,
    field: &'static str,
    empty: &'static str,
    expected: &'static str,
    max: usize,
) -> std::result::Result<String, FieldError> {
    let body = raw.trim();
    if body.is_empty() {
        return Err(FieldError::coded(field, empty, Vec::new(), expected));
    }
    if body.chars().count() > max {
        return Err(FieldError::coded(
            field,
            "text-too-long",
            vec![("max", max.to_string())],
            format!("expected at most {max} characters"),
        ));
    }
    Ok(body.to_owned())
}
