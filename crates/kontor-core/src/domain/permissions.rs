//! Who may do what (R1 and the roles of docs/rules.md), named once. The
//! API, the portal, the use cases and the delivery code ask
//! [`Actor::may`] instead of listing roles; what depends on the object as
//! well (an admin *of this account*, partner staff *of this partner*) is
//! asked of the actor with the object (`Actor::is_admin_of`).

use super::roles::{Actor, Role};

/// Something only some roles may do, whatever the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read the audit log (of one's account, or for vendor staff everyone's).
    ReadAudit,
    /// Open the back office (directory, deliveries, audit search).
    UseBackOffice,
    /// Change the partner directory.
    ManagePartners,
    /// Import and export data.
    ImportExport,
    /// Manage webhook endpoints and deliveries.
    OperateWebhooks,
    /// Resolve support cases (replace one partner of several, R6).
    ResolveSupportCases,
    /// Manage one's own customer account's people and roles (the primary
    /// admin's; vendor staff manage people through imports).
    ManageAccountPeople,
    /// Revoke anyone's tokens and sessions, not only one's own.
    RevokeAnyonesAccess,
    /// Choose how the new partner consents, per program (#22).
    ChooseConsent,
}

impl Permission {
    /// Every permission (for exhaustive tests and the docs).
    pub const ALL: [Permission; 9] = [
        Permission::ReadAudit,
        Permission::UseBackOffice,
        Permission::ManagePartners,
        Permission::ImportExport,
        Permission::OperateWebhooks,
        Permission::ResolveSupportCases,
        Permission::ManageAccountPeople,
        Permission::RevokeAnyonesAccess,
        Permission::ChooseConsent,
    ];
}

impl Permission {
    /// What a person is told who may not (403): `problem-<code>` in the
    /// translations, with its English text.
    pub fn refusal(self) -> crate::Text {
        let (code, english) = match self {
            Permission::ReadAudit => (
                "permission-read-audit",
                "only account administrators and vendor staff read the audit log",
            ),
            Permission::UseBackOffice => (
                "permission-use-back-office",
                "only vendor staff use the back office",
            ),
            Permission::ManagePartners => (
                "permission-manage-partners",
                "only operators change the partner directory",
            ),
            Permission::ImportExport => (
                "permission-import-export",
                "only operators import and export data",
            ),
            Permission::OperateWebhooks => (
                "permission-operate-webhooks",
                "only operators manage webhooks and deliveries",
            ),
            Permission::ResolveSupportCases => (
                "permission-resolve-support-cases",
                "only support agents resolve support cases",
            ),
            Permission::ManageAccountPeople => (
                "permission-manage-account-people",
                "only the primary admin manages people",
            ),
            Permission::RevokeAnyonesAccess => (
                "permission-revoke-anyones-access",
                "only operators end other people's access",
            ),
            Permission::ChooseConsent => (
                "permission-choose-consent",
                "only operators choose how partners consent to a change",
            ),
        };
        crate::Text::new(code, english)
    }
}

impl Role {
    /// Whether this role may do `p`.
    pub fn may(self, p: Permission) -> bool {
        use Permission as P;
        use Role as R;
        match p {
            P::ReadAudit => matches!(
                self,
                R::PrimaryAdmin | R::SecondaryAdmin | R::SupportAgent | R::Operator
            ),
            P::UseBackOffice => self.is_vendor(),
            P::ResolveSupportCases => matches!(self, R::SupportAgent | R::Operator),
            P::ManageAccountPeople => self == R::PrimaryAdmin,
            P::ManagePartners
            | P::ImportExport
            | P::OperateWebhooks
            | P::RevokeAnyonesAccess
            | P::ChooseConsent => self == R::Operator,
        }
    }
}

impl Actor {
    /// Whether this person may do `p`.
    pub fn may(&self, p: Permission) -> bool {
        self.role.may(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table, as docs/rules.md's roles say it.
    #[test]
    fn each_role_may_exactly_what_its_description_says() {
        use Permission as P;
        let table: [(Role, &[Permission]); 7] = [
            (Role::PrimaryAdmin, &[P::ReadAudit, P::ManageAccountPeople]),
            (Role::SecondaryAdmin, &[P::ReadAudit]),
            (Role::User, &[]),
            (Role::PartnerAdmin, &[]),
            (Role::PartnerAgent, &[]),
            (
                Role::SupportAgent,
                &[P::ReadAudit, P::UseBackOffice, P::ResolveSupportCases],
            ),
            (
                Role::Operator,
                &[
                    P::ReadAudit,
                    P::UseBackOffice,
                    P::ManagePartners,
                    P::ImportExport,
                    P::OperateWebhooks,
                    P::ResolveSupportCases,
                    P::RevokeAnyonesAccess,
                    P::ChooseConsent,
                ],
            ),
        ];
        for (role, allowed) in table {
            for p in Permission::ALL {
                assert_eq!(role.may(p), allowed.contains(&p), "{role:?} {p:?}");
            }
        }
    }
}
