//! `GET /api/v1/audit` (R11): admins read their account's log, vendor staff all.

use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use kontor_core::Error;
use kontor_core::domain::audit::AuditAction;
use kontor_core::domain::ids::Csn;
use kontor_core::domain::permissions::Permission;
use kontor_core::store::AuditFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::agreements::number;
use super::{Format, Page, next_cursor};
use crate::web::AppState;
use crate::web::csv::{Columns, audit_csv};
use crate::web::dto::{AuditDto, AuditListResponse};
use crate::web::error::{ApiError, ApiResult, Problem};
use crate::web::extract::Caller;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Filters of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this agreement.
    #[param(pattern = r"^(?:(?:[ -]*[0-9]){12}(?:(?:[ -]*[0-9]){2})?[ -]*)?$")]
    pub agreement: Option<String>,
    /// Only entries about this account (CSN).
    #[param(pattern = r"^(?:(?:[ -]*[0-9]){10}[ -]*)?$")]
    pub account: Option<String>,
    /// Only this action, e.g. `change_applied`.
    #[param(
        pattern = "^(change_requested|change_withdrawn|change_applied|change_rejected|partner_assignment_changed|transaction_recorded|renewal_partner_named|renewal_partner_replaced|renewal_partner_withdrawn|renewal_partner_applied|renewal_partner_rejected|renewal_partner_lapsed|user_created|role_changed|token_issued|token_revoked|access_revoked|access_removed|invitation_accepted|import_applied|policy_changed|partner_saved|support_case_opened|support_case_resolved|webhook_endpoint_saved|webhook_endpoint_deleted|webhook_endpoint_disabled|delivery_resent|change_accepted|change_declined|change_expired|change_escalated|change_disputed|dispute_released|dispute_upheld|transfer_code_created|transfer_code_revoked|transfer_code_redeemed|partner_proposed|proposal_reminded|password_reset|profile_changed|password_changed|sessions_ended|invitation_resent|notifications_changed|support_case_replied|second_factor_enabled|second_factor_removed|second_factor_reset|identity_verified|recovery_code_used|recovery_codes_renewed|second_factor_rule_changed|passkey_added|passkey_removed|sso_settings_changed|sso_domain_bound|sso_domain_unbound|sso_linked|scim_token_created|scim_token_revoked|scim_user_updated)?$"
    )]
    pub action: Option<String>,
}

impl AuditQuery {
    fn account(&self) -> ApiResult<Option<Csn>> {
        let Some(raw) = self.account.as_deref() else {
            return Ok(None);
        };
        Csn::parse(raw)
            .map(Some)
            .map_err(|e| ApiError::field(e.at("account")))
    }

    fn action(&self) -> ApiResult<Option<AuditAction>> {
        let Some(raw) = self.action.as_deref() else {
            return Ok(None);
        };
        AuditAction::parse(raw).map(Some).ok_or_else(|| {
            ApiError::field(super::expected_one_of(
                "action",
                &AuditAction::expected(),
                format!("expected one of: {}", AuditAction::expected()),
            ))
        })
    }
}

/// Audit entries the caller may read, oldest first (`?format=csv` for a download).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery, Page, Format, ("cursor" = Option<String>, Query, pattern = r"^([0-9]{1,18})?$", description = "The previous page's `next_cursor`")),
    responses((status = 200, content((AuditListResponse = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list(
    State(state): State<AppState>,
    Caller(me): Caller,
    Query(q): Query<AuditQuery>,
    Query(page): Query<Page>,
    Query(format): Query<Format>,
) -> ApiResult<Response> {
    // Refused before anything else is looked at (the use case says so too).
    Error::unless_may(&me, Permission::ReadAudit)?;
    let csv = format.is_csv()?;
    let agreement = q.agreement.as_deref().map(number).transpose()?;
    let account = q.account()?;
    let action = q.action()?;
    if let Some(n) = &agreement {
        // R1: another tenant's agreement is "not found", never an empty log.
        state.services.agreement(&me, n).await?;
    }
    let limit = if csv && page.limit.is_none() {
        500
    } else {
        page.limit()?
    };
    let after = page.cursor(|c| c.parse::<i64>().ok())?;
    let items = state
        .services
        .audit(
            &me,
            &AuditFilter {
                agreement,
                account,
                action,
                after,
                limit,
            },
        )
        .await?;
    let items: Vec<AuditDto> = items.iter().map(Into::into).collect();
    let next_cursor = next_cursor(&items, limit, |e| e.seq.to_string());
    if csv {
        return audit_csv("audit.csv", items, Columns::Codes);
    }
    Ok(Json(AuditListResponse { items, next_cursor }).into_response())
}
