//! Each collection's record: its fields checked, then handed to the
//! import session (partners, accounts, users, agreements).

use serde_json::{Map, Value};

use crate::domain::agreement::{
    Account, Agreement, AgreementStatus, Partner, PartnerStatus, ProductLine, Program, SupportLevel,
};
use crate::domain::ids::{AgreementKind, AgreementNumber, Csn};
use crate::domain::roles::{Lang, Role, Tenant, TenantKind, UserId};
use crate::domain::values::MIN_PROVISIONED_PASSWORD;
use crate::error::StoreError;
use crate::store::NewUser;

use super::fields::Fields;
use super::{Collection, DeferredRef, Importer};

impl Importer<'_> {
    pub(super) async fn add_partner(
        &mut self,
        index: usize,
        obj: &Map<String, Value>,
    ) -> Result<(), StoreError> {
        let mut f = Fields::new(obj, "", Collection::Partners.fields());
        let csn = f.csn("csn");
        let name = f.text("name", 200);
        let city = f.text("city", 100);
        let country = f.country("country");
        let status = match f.str_opt("status") {
            None => Some(PartnerStatus::Active),
            Some(s) => {
                let v = PartnerStatus::parse(s);
                if v.is_none() {
                    f.err(
                        "status",
                        format!("expected one of: {}", PartnerStatus::expected()),
                    );
                }
                v
            }
        };
        let email = f.email("email");
        let errors = std::mem::take(&mut f.errors);
        if let (true, Some(csn), Some(name), Some(city), Some(country), Some(status), Some(email)) =
            (errors.is_empty(), csn, name, city, country, status, email)
        {
            self.session
                .upsert_partner(&Partner {
                    csn,
                    name,
                    city,
                    country,
                    status,
                    email,
                })
                .await?;
            self.report.partners += 1;
        }
        self.push_errors(Collection::Partners, index, errors);
        Ok(())
    }

    pub(super) async fn add_account(
        &mut self,
        index: usize,
        obj: &Map<String, Value>,
    ) -> Result<(), StoreError> {
        let mut f = Fields::new(obj, "", Collection::Accounts.fields());
        let csn = f.csn("csn");
        let name = f.text("name", 200);
        let country = f.country("country");
        let users = match obj.get("users") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.iter().collect(),
            Some(_) => {
                f.err("users", "expected an array of users");
                Vec::new()
            }
        };
        let primaries = users
            .iter()
            .filter(|u| u.get("role").and_then(Value::as_str) == Some("primary_admin"))
            .count();
        if primaries > 1 {
            f.err("users", "an account has exactly one primary_admin");
        }
        let mut errors = std::mem::take(&mut f.errors);
        if let (true, Some(csn), Some(name), Some(country)) =
            (errors.is_empty(), csn, name, country)
        {
            self.session
                .upsert_account(&Account {
                    csn: csn.clone(),
                    name,
                    country,
                })
                .await?;
            self.report.accounts += 1;
            for (i, user) in users.into_iter().enumerate() {
                let prefix = format!("users[{i}].");
                match user.as_object() {
                    Some(u) => errors.extend(self.add_user(index, u, &prefix, Some(&csn)).await?),
                    None => errors.push((format!("users[{i}]"), "expected an object".into())),
                }
            }
        }
        self.push_errors(Collection::Accounts, index, errors);
        Ok(())
    }

    /// Validates and writes one user; returns the field errors.
    pub(super) async fn add_user(
        &mut self,
        index: usize,
        obj: &Map<String, Value>,
        prefix: &str,
        account: Option<&Csn>,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let allowed: &[&str] = if account.is_some() {
            &["email", "name", "role", "lang", "password"]
        } else {
            Collection::Users.fields()
        };
        let mut f = Fields::new(obj, prefix, allowed);
        let email = f.email("email");
        let name = f.text("name", 200);
        let role = f.parsed("role", "one of: primary_admin, secondary_admin, user, partner_admin, partner_agent, support_agent, operator", Role::parse);
        let lang = match f.str_opt("lang") {
            None => Some(Lang::En),
            Some(s) => {
                let l = Lang::parse(s);
                if l.is_none() {
                    f.err("lang", "expected de or en");
                }
                l
            }
        };
        let password = f.str_opt("password");
        if password.is_some_and(|p| p.chars().count() < MIN_PROVISIONED_PASSWORD) {
            f.err(
                "password",
                format!("expected at least {MIN_PROVISIONED_PASSWORD} characters"),
            );
        }
        let tenant = match account {
            Some(a) => Some(Tenant::Account(a.clone())),
            None => {
                let acc = obj
                    .get("account")
                    .is_some()
                    .then(|| f.csn("account"))
                    .flatten();
                let partner = obj
                    .get("partner")
                    .is_some()
                    .then(|| f.csn("partner"))
                    .flatten();
                let vendor = f.bool_or("vendor", false);
                match (acc, partner, vendor) {
                    (Some(a), None, false) => Some(Tenant::Account(a)),
                    (None, Some(p), false) => Some(Tenant::Partner(p)),
                    (None, None, true) => Some(Tenant::Vendor),
                    _ => {
                        f.err(
                            "partner",
                            "give exactly one of account, partner or vendor: true",
                        );
                        None
                    }
                }
            }
        };
        if let (Some(role), Some(tenant)) = (role, &tenant)
            && role.tenant_kind() != tenant.kind()
        {
            let what = match tenant.kind() {
                TenantKind::Account => "primary_admin, secondary_admin or user",
                TenantKind::Partner => "partner_admin or partner_agent",
                TenantKind::Vendor => "support_agent or operator",
            };
            f.err("role", format!("expected {what} for this tenant"));
        }
        let errors = std::mem::take(&mut f.errors);
        let (true, Some(email), Some(name), Some(role), Some(lang), Some(tenant)) =
            (errors.is_empty(), email, name, role, lang, tenant)
        else {
            return Ok(errors);
        };
        match &tenant {
            Tenant::Partner(p) if !self.session.partner_exists(p).await? => {
                self.deferred.push(DeferredRef {
                    collection: if account.is_some() {
                        Collection::Accounts
                    } else {
                        Collection::Users
                    },
                    index,
                    field: format!("{prefix}partner"),
                    csn: p.clone(),
                    is_account: false,
                });
            }
            Tenant::Account(a) if account.is_none() && !self.session.account_exists(a).await? => {
                self.deferred.push(DeferredRef {
                    collection: Collection::Users,
                    index,
                    field: format!("{prefix}account"),
                    csn: a.clone(),
                    is_account: true,
                });
            }
            _ => {}
        }
        let password_hash = match password {
            None => None,
            Some(pw) => match self.session.password_hash(&email).await? {
                // Unchanged password: keep the stored hash so a re-import changes nothing.
                Some(stored) if self.hasher.verify(pw, &stored) => None,
                _ => Some(self.hasher.hash(pw).map_err(StoreError::Other)?),
            },
        };
        let user = NewUser {
            id: UserId(uuid::Uuid::now_v7()),
            email,
            name,
            role,
            tenant,
            lang,
            password_hash,
            created_at: self.now,
        };
        match self.session.upsert_user(&user).await {
            Ok(()) => self.report.users += 1,
            Err(StoreError::Conflict(what)) => {
                return Ok(vec![(
                    format!(
                        "{prefix}{}",
                        if what == "primary_admin" {
                            "role"
                        } else {
                            "email"
                        }
                    ),
                    if what == "primary_admin" {
                        "the account already has another primary_admin".into()
                    } else {
                        format!("conflicts with an existing {what}")
                    },
                )]);
            }
            Err(e) => return Err(e),
        }
        Ok(errors)
    }

    pub(super) async fn add_agreement(
        &mut self,
        index: usize,
        obj: &Map<String, Value>,
    ) -> Result<(), StoreError> {
        let mut f = Fields::new(obj, "", Collection::Agreements.fields());
        let kind = f.parsed("kind", "contract or subscription", AgreementKind::parse);
        let number = match (f.str_opt("number"), kind) {
            (None, _) => {
                f.err("number", "required");
                None
            }
            (Some(raw), Some(kind)) => match AgreementNumber::parse_kind(raw, kind) {
                Ok(n) => Some(n),
                Err(e) => {
                    f.err(
                        "number",
                        format!("expected {} for kind {}", e.expected, kind.as_str()),
                    );
                    None
                }
            },
            (Some(raw), None) => AgreementNumber::parse(raw).ok(),
        };
        let account = f.csn("account");
        let products = self::products(&mut f);
        let term_start = f.date("term_start");
        let term_end = f.date("term_end");
        if let (Some(s), Some(e)) = (term_start, term_end)
            && e < s
        {
            f.err("term_end", "must not be before term_start");
        }
        let auto_renew = f.bool_or("auto_renew", false);
        let program = match f.str_opt("program") {
            None => Some(Program::standard()),
            Some(p) => {
                let v = Program::parse(p);
                if v.is_none() {
                    f.err("program", format!("expected {}", Program::EXPECTED));
                }
                v
            }
        };
        let support_level = f.parsed(
            "support_level",
            &format!("one of: {}", SupportLevel::expected()),
            SupportLevel::parse,
        );
        let status = f.parsed(
            "status",
            &format!("one of: {}", AgreementStatus::expected()),
            AgreementStatus::parse,
        );
        let mut partners = Vec::new();
        match obj.get("partners") {
            Some(Value::Array(list)) if !list.is_empty() => {
                for (i, p) in list.iter().enumerate() {
                    match p.as_str().map(Csn::parse) {
                        Some(Ok(c)) if !partners.contains(&c) => partners.push(c),
                        Some(Ok(_)) => f.err(&format!("partners[{i}]"), "listed twice"),
                        _ => f.err(
                            &format!("partners[{i}]"),
                            format!("expected {}", Csn::EXPECTED),
                        ),
                    }
                }
            }
            _ => f.err("partners", "expected a non-empty array of partner CSNs"),
        }
        partners.sort();
        let errors = std::mem::take(&mut f.errors);
        if let (
            true,
            Some(number),
            Some(account),
            Some(products),
            Some(term_start),
            Some(term_end),
            Some(program),
            Some(support_level),
            Some(status),
        ) = (
            errors.is_empty(),
            number,
            account,
            products,
            term_start,
            term_end,
            program,
            support_level,
            status,
        ) {
            if !self.session.account_exists(&account).await? {
                self.deferred.push(DeferredRef {
                    collection: Collection::Agreements,
                    index,
                    field: "account".into(),
                    csn: account.clone(),
                    is_account: true,
                });
            }
            for (i, p) in partners.iter().enumerate() {
                if !self.session.partner_exists(p).await? {
                    self.deferred.push(DeferredRef {
                        collection: Collection::Agreements,
                        index,
                        field: format!("partners[{i}]"),
                        csn: p.clone(),
                        is_account: false,
                    });
                }
            }
            let a = Agreement {
                number,
                account,
                products,
                term_start,
                term_end,
                auto_renew,
                program,
                support_level,
                status,
                partners,
            };
            self.session.upsert_agreement(&a, self.now).await?;
            self.report.agreements += 1;
        }
        self.push_errors(Collection::Agreements, index, errors);
        Ok(())
    }
}

fn products(f: &mut Fields<'_>) -> Option<Vec<ProductLine>> {
    let Some(Value::Array(list)) = f.obj.get("products") else {
        f.err("products", "expected a non-empty array of {name, seats}");
        return None;
    };
    if list.is_empty() {
        f.err("products", "expected a non-empty array of {name, seats}");
        return None;
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, p) in list.iter().enumerate() {
        let name = p
            .get("name")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|n| !n.is_empty() && n.len() <= 200);
        let seats = p
            .get("seats")
            .and_then(Value::as_u64)
            .filter(|s| (1..=1_000_000).contains(s));
        if p.as_object()
            .is_some_and(|o| o.keys().any(|k| k != "name" && k != "seats"))
        {
            f.err(
                &format!("products[{i}]"),
                "unknown field; expected name and seats",
            );
        }
        match (name, seats) {
            (Some(n), Some(s)) => out.push(ProductLine {
                name: n.to_owned(),
                seats: s as u32,
            }),
            (None, _) => f.err(&format!("products[{i}].name"), "expected 1–200 characters"),
            (_, None) => f.err(
                &format!("products[{i}].seats"),
                "expected a whole number from 1 to 1000000",
            ),
        }
    }
    (out.len() == list.len()).then_some(out)
}
