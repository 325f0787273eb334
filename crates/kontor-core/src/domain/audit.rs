//! Audit entries (R11): append-only, with who, when, what, before and after.

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use super::agreement::str_enum;
use super::change_request::RequestId;
use super::ids::{AgreementNumber, Csn};
use super::roles::{Actor, UserId};

str_enum!(
    /// What happened.
    AuditAction {
        /// A partner change was requested.
        ChangeRequested = "change_requested",
        /// A pending change was withdrawn (R9).
        ChangeWithdrawn = "change_withdrawn",
        /// The worker applied a change (R8).
        ChangeApplied = "change_applied",
        /// The worker rejected a change at apply time (R8).
        ChangeRejected = "change_rejected",
        /// Partners of record changed (any source).
        PartnerAssignmentChanged = "partner_assignment_changed",
        /// A financial transaction was recorded (R3).
        TransactionRecorded = "transaction_recorded",
        /// An admin named the partner for the next renewal (#22).
        RenewalPartnerNamed = "renewal_partner_named",
        /// An admin named another partner for the renewal instead.
        RenewalPartnerReplaced = "renewal_partner_replaced",
        /// The partner named for the renewal was withdrawn.
        RenewalPartnerWithdrawn = "renewal_partner_withdrawn",
        /// The renewal made the named partner the partner of record.
        RenewalPartnerApplied = "renewal_partner_applied",
        /// At the renewal the named partner could not take over.
        RenewalPartnerRejected = "renewal_partner_rejected",
        /// The agreement was not renewed in time for the named partner.
        RenewalPartnerLapsed = "renewal_partner_lapsed",
        /// A user was created or imported.
        UserCreated = "user_created",
        /// A user's role changed.
        RoleChanged = "role_changed",
        /// An API token was issued.
        TokenIssued = "token_issued",
        /// An API token was revoked.
        TokenRevoked = "token_revoked",
        /// Every token and session of a person was ended.
        AccessRevoked = "access_revoked",
        /// A person's access to the account was removed.
        AccessRemoved = "access_removed",
        /// An invited person accepted the invitation and chose a password.
        InvitationAccepted = "invitation_accepted",
        /// An import file was applied.
        ImportApplied = "import_applied",
        /// A policy setting changed.
        PolicyChanged = "policy_changed",
        /// A partner was added to or changed in the directory.
        PartnerSaved = "partner_saved",
        /// A support case was opened.
        SupportCaseOpened = "support_case_opened",
        /// A support case was resolved.
        SupportCaseResolved = "support_case_resolved",
        /// A webhook endpoint was added or changed (incl. secret rotation).
        WebhookEndpointSaved = "webhook_endpoint_saved",
        /// A webhook endpoint was removed.
        WebhookEndpointDeleted = "webhook_endpoint_deleted",
        /// A webhook endpoint was disabled (by an operator or for failing).
        WebhookEndpointDisabled = "webhook_endpoint_disabled",
        /// An operator queued a failed delivery again.
        DeliveryResent = "delivery_resent",
        /// The new partner accepted a change (acceptance policy).
        ChangeAccepted = "change_accepted",
        /// The new partner declined a change (acceptance policy).
        ChangeDeclined = "change_declined",
        /// The new partner did not answer in time (acceptance policy).
        ChangeExpired = "change_expired",
        /// A change the new partner had not answered was escalated to it
        /// and to support before it expires (#22).
        ChangeEscalated = "change_escalated",
        /// A partner the change would replace disputed it; it is held.
        ChangeDisputed = "change_disputed",
        /// Support let a disputed change proceed.
        DisputeReleased = "dispute_released",
        /// Support agreed with the disputing partner; the change is rejected.
        DisputeUpheld = "dispute_upheld",
        /// An admin created a transfer code for an agreement (#22).
        TransferCodeCreated = "transfer_code_created",
        /// An admin revoked a transfer code before it was redeemed.
        TransferCodeRevoked = "transfer_code_revoked",
        /// A partner redeemed a transfer code for an agreement.
        TransferCodeRedeemed = "transfer_code_redeemed",
        /// An operator proposed a new partner to a replaced partner's
        /// customers (#22).
        PartnerProposed = "partner_proposed",
        /// The customers who had not acted on a proposal were reminded.
        ProposalReminded = "proposal_reminded",
        /// A person set a new password with a reset link.
        PasswordReset = "password_reset",
        /// A person changed their own name, language or time zone.
        ProfileChanged = "profile_changed",
        /// A person changed their password in their settings.
        PasswordChanged = "password_changed",
        /// A person signed out their other sessions.
        SessionsEnded = "sessions_ended",
        /// The primary admin sent a pending invitation again.
        InvitationResent = "invitation_resent",
        /// A person chose which partner-change mails they receive.
        NotificationsChanged = "notifications_changed",
        /// The customer or support replied in a support case.
        SupportCaseReplied = "support_case_replied",
        /// A person set up an authenticator app (#21).
        SecondFactorEnabled = "second_factor_enabled",
        /// A person removed their own second factor.
        SecondFactorRemoved = "second_factor_removed",
        /// An admin or a support agent removed someone's second factor.
        SecondFactorReset = "second_factor_reset",
        /// A support agent recorded how they verified a locked-out person.
        IdentityVerified = "identity_verified",
        /// A person signed in with a recovery code.
        RecoveryCodeUsed = "recovery_code_used",
        /// A person made new recovery codes.
        RecoveryCodesRenewed = "recovery_codes_renewed",
        /// The primary admin changed who must use a second factor.
        SecondFactorRuleChanged = "second_factor_rule_changed",
        /// A person added a passkey.
        PasskeyAdded = "passkey_added",
        /// A person removed a passkey.
        PasskeyRemoved = "passkey_removed",
        /// The primary admin changed the account's single sign-on.
        SsoSettingsChanged = "sso_settings_changed",
        /// An operator bound an email domain to an account's sign-on.
        SsoDomainBound = "sso_domain_bound",
        /// An operator unbound an email domain.
        SsoDomainUnbound = "sso_domain_unbound",
        /// A person's identity at the account's provider was linked to
        /// them at their first single sign-on.
        SsoLinked = "sso_linked",
        /// The primary admin made a provisioning (SCIM) token.
        ScimTokenCreated = "scim_token_created",
        /// The primary admin revoked a provisioning token.
        ScimTokenRevoked = "scim_token_revoked",
        /// The identity provider changed a person through provisioning.
        ScimUserUpdated = "scim_user_updated",
    }
);

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// Identifier (UUIDv7).
    pub id: Uuid,
    /// When it happened.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The person, or `None` for the system (worker, CLI import).
    pub actor_id: Option<UserId>,
    /// Who, readable: "anna@muster.example (primary_admin)" or "worker".
    pub actor: String,
    /// What happened.
    pub action: AuditAction,
    /// The account concerned, if any.
    pub account: Option<Csn>,
    /// The agreement concerned, if any.
    pub agreement: Option<AgreementNumber>,
    /// The change request concerned, if any.
    pub request: Option<RequestId>,
    /// State before.
    pub before: Value,
    /// State after.
    pub after: Value,
}

/// Who did it, for audit entries.
#[derive(Debug, Clone)]
pub enum By<'a> {
    /// A signed-in person.
    Person(&'a Actor),
    /// A background process, by name ("worker", "import").
    System(&'static str),
}

impl AuditEntry {
    /// A new entry at `at` by `by`.
    pub fn new(at: OffsetDateTime, by: By<'_>, action: AuditAction) -> AuditEntry {
        let (actor_id, actor) = match by {
            By::Person(a) => (Some(a.user_id), a.label()),
            By::System(name) => (None, name.to_owned()),
        };
        AuditEntry {
            id: Uuid::now_v7(),
            at,
            actor_id,
            actor,
            action,
            account: None,
            agreement: None,
            request: None,
            before: Value::Null,
            after: Value::Null,
        }
    }

    /// Sets the account and agreement concerned.
    pub fn on(mut self, account: &Csn, agreement: &AgreementNumber) -> Self {
        self.account = Some(account.clone());
        self.agreement = Some(agreement.clone());
        self
    }

    /// Sets the account concerned, and the agreement when there is one.
    pub fn about(mut self, account: &Csn, agreement: Option<&AgreementNumber>) -> Self {
        self.account = Some(account.clone());
        self.agreement = agreement.cloned();
        self
    }

    /// Sets the change request concerned.
    pub fn request(mut self, id: RequestId) -> Self {
        self.request = Some(id);
        self
    }

    /// Sets before and after.
    pub fn change(mut self, before: Value, after: Value) -> Self {
        self.before = before;
        self.after = after;
        self
    }
}
