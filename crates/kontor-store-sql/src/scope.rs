//! Tenant filters (R1) as SQL conditions, written once for both backends:
//! an object outside the caller's scope is simply not found.

use kontor_core::store::Scope;
use sqlx::{Database, Encode, QueryBuilder, Type};

/// Appends the tenant condition of `scope` on agreements aliased `a`.
pub fn push_agreement_scope<'a, DB>(q: &mut QueryBuilder<'a, DB>, scope: &Scope)
where
    DB: Database,
    String: Encode<'a, DB> + Type<DB>,
{
    match scope {
        Scope::All => {}
        Scope::Account(acc) => {
            q.push(" AND a.account_csn = ")
                .push_bind(acc.as_str().to_owned());
        }
        Scope::AccountUser(acc, user) => {
            q.push(" AND a.account_csn = ")
                .push_bind(acc.as_str().to_owned());
            q.push(" AND EXISTS (SELECT 1 FROM user_agreements ua WHERE ua.agreement_number = a.number AND ua.user_id = ")
                .push_bind(user.0.to_string())
                .push(")");
        }
        Scope::Partner(p) => {
            q.push(
                " AND EXISTS (SELECT 1 FROM partner_assignments pa WHERE pa.agreement_number = a.number \
                 AND pa.valid_to IS NULL AND pa.partner_csn = ",
            )
            .push_bind(p.as_str().to_owned())
            .push(")");
        }
    }
}

/// Appends the tenant condition of `scope` on change requests aliased `r`.
/// `old_partner_rows` is the backend's table expression with one `value`
/// row per CSN of `r.old_partners` (a JSON array).
pub fn push_request_scope<'a, DB>(
    q: &mut QueryBuilder<'a, DB>,
    scope: &Scope,
    old_partner_rows: &str,
) where
    DB: Database,
    String: Encode<'a, DB> + Type<DB>,
{
    match scope {
        Scope::All => {}
        Scope::Account(a) => {
            q.push(" AND r.account_csn = ")
                .push_bind(a.as_str().to_owned());
        }
        Scope::AccountUser(a, user) => {
            q.push(" AND r.account_csn = ")
                .push_bind(a.as_str().to_owned());
            q.push(" AND EXISTS (SELECT 1 FROM user_agreements ua WHERE ua.agreement_number = r.agreement_number AND ua.user_id = ")
                .push_bind(user.0.to_string())
                .push(")");
        }
        // Incoming (new partner) and outgoing (being replaced) requests.
        Scope::Partner(p) => {
            q.push(" AND (r.new_partner_csn = ")
                .push_bind(p.as_str().to_owned())
                .push(format!(
                    " OR EXISTS (SELECT 1 FROM {old_partner_rows} WHERE value = "
                ))
                .push_bind(p.as_str().to_owned())
                .push("))");
        }
    }
}

/// Appends the tenant condition of `scope` on support cases aliased `c`;
/// `false` when the scope sees no cases at all. Cases are customers'
/// business: their account's admins and vendor staff see them.
pub fn push_case_scope<'a, DB>(q: &mut QueryBuilder<'a, DB>, scope: &Scope) -> bool
where
    DB: Database,
    String: Encode<'a, DB> + Type<DB>,
{
    match scope {
        Scope::All => true,
        Scope::Account(a) => {
            q.push(" AND c.account_csn = ")
                .push_bind(a.as_str().to_owned());
            true
        }
        // A plain user reads the cases they opened themselves (#20: the
        // assistant hands their questions over).
        Scope::AccountUser(a, user) => {
            q.push(" AND c.account_csn = ")
                .push_bind(a.as_str().to_owned())
                .push(" AND c.opened_by = ")
                .push_bind(user.0.to_string());
            true
        }
        Scope::Partner(_) => false,
    }
}

/// Appends the tenant condition of `scope` on the audit log; `false` when
/// the scope reads no audit entries (only admins and vendor staff do; the
/// service refuses others before asking).
pub fn push_audit_scope<'a, DB>(q: &mut QueryBuilder<'a, DB>, scope: &Scope) -> bool
where
    DB: Database,
    String: Encode<'a, DB> + Type<DB>,
{
    match scope {
        Scope::All => true,
        Scope::Account(a) => {
            q.push(" AND account_csn = ")
                .push_bind(a.as_str().to_owned());
            true
        }
        Scope::AccountUser(..) | Scope::Partner(_) => false,
    }
}
