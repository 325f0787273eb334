//! People, roles and tenants (SPEC "People and roles", R1).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ids::Csn;
use super::zone::Zone;

/// A person's role. Customer roles belong to an account, partner roles to a
/// partner, vendor roles to the vendor running kontor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Exactly one per customer account; may also manage the account's users.
    PrimaryAdmin,
    /// Views all agreements, requests and withdraws partner changes.
    SecondaryAdmin,
    /// Sees only agreements assigned to them; never changes a partner.
    User,
    /// Partner staff with admin rights.
    PartnerAdmin,
    /// Partner staff.
    PartnerAgent,
    /// Vendor support: reads everything, works support cases.
    SupportAgent,
    /// Vendor operator: everything.
    Operator,
}

/// Which kind of tenant a role belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantKind {
    /// A customer account.
    Account,
    /// A reseller partner.
    Partner,
    /// The vendor itself.
    Vendor,
}

impl Role {
    /// All roles, for exhaustive tests and help texts.
    pub const ALL: [Role; 7] = [
        Role::PrimaryAdmin,
        Role::SecondaryAdmin,
        Role::User,
        Role::PartnerAdmin,
        Role::PartnerAgent,
        Role::SupportAgent,
        Role::Operator,
    ];

    /// Stable snake_case name (API, database, import format).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::PrimaryAdmin => "primary_admin",
            Role::SecondaryAdmin => "secondary_admin",
            Role::User => "user",
            Role::PartnerAdmin => "partner_admin",
            Role::PartnerAgent => "partner_agent",
            Role::SupportAgent => "support_agent",
            Role::Operator => "operator",
        }
    }

    /// Parses the stable name.
    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// The tenant kind this role can belong to.
    pub fn tenant_kind(self) -> TenantKind {
        match self {
            Role::PrimaryAdmin | Role::SecondaryAdmin | Role::User => TenantKind::Account,
            Role::PartnerAdmin | Role::PartnerAgent => TenantKind::Partner,
            Role::SupportAgent | Role::Operator => TenantKind::Vendor,
        }
    }

    /// Customer admins may request and withdraw partner changes.
    pub fn is_account_admin(self) -> bool {
        matches!(self, Role::PrimaryAdmin | Role::SecondaryAdmin)
    }

    /// Vendor staff read across all tenants.
    pub fn is_vendor(self) -> bool {
        self.tenant_kind() == TenantKind::Vendor
    }
}

/// The tenant a person belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "csn", rename_all = "snake_case")]
pub enum Tenant {
    /// A customer account, by CSN.
    Account(Csn),
    /// A partner, by CSN.
    Partner(Csn),
    /// The vendor.
    Vendor,
}

impl Tenant {
    /// The kind of this tenant.
    pub fn kind(&self) -> TenantKind {
        match self {
            Tenant::Account(_) => TenantKind::Account,
            Tenant::Partner(_) => TenantKind::Partner,
            Tenant::Vendor => TenantKind::Vendor,
        }
    }
}

/// Preferred language of a person; messages and mails come in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// German, the seed's language.
    De,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// ISO 639-1 code.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// Parses "de"/"en" (and region variants such as "de-AT").
    pub fn parse(raw: &str) -> Option<Lang> {
        let primary = raw.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Identifier of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub Uuid);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The authenticated caller of a use case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// Who.
    pub user_id: UserId,
    /// Their sign-in email (lower-cased).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Their one role.
    pub role: Role,
    /// Where they belong.
    pub tenant: Tenant,
    /// Preferred language.
    pub lang: Lang,
    /// The zone their times are shown in: their own choice, else their
    /// account's or partner's country's, else UTC.
    pub time_zone: Zone,
}

impl Actor {
    /// The account CSN when the actor is customer staff.
    pub fn account(&self) -> Option<&Csn> {
        match &self.tenant {
            Tenant::Account(csn) => Some(csn),
            _ => None,
        }
    }

    /// The partner CSN when the actor is partner staff.
    pub fn partner(&self) -> Option<&Csn> {
        match &self.tenant {
            Tenant::Partner(csn) => Some(csn),
            _ => None,
        }
    }

    /// True when the actor may request or withdraw partner changes on
    /// agreements of `account` (R4 `not_permitted`, R9).
    pub fn is_admin_of(&self, account: &Csn) -> bool {
        self.role.is_account_admin() && self.account() == Some(account)
    }

    /// Short label for audit entries: "anna@muster.example (primary_admin)".
    pub fn label(&self) -> String {
        format!("{} ({})", self.email, self.role.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn only_customer_admins_are_account_admins() {
        let admins: Vec<_> = Role::ALL
            .into_iter()
            .filter(|r| r.is_account_admin())
            .collect();
        assert_eq!(admins, vec![Role::PrimaryAdmin, Role::SecondaryAdmin]);
    }

    #[test]
    fn lang_parses_region_variants() {
        assert_eq!(Lang::parse("de-AT"), Some(Lang::De));
        assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
