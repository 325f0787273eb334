//! Each collection's record as it stands in the file (`RawPartner`, …) and
//! its conversion into a checked value with `TryFrom`. A conversion reads
//! every field before it answers, so one pass reports all of a record's
//! problems, each naming its field.

use serde_json::{Map, Value};
use time::Date;

use crate::domain::agreement::{
    Account, Agreement, AgreementStatus, Partner, PartnerStatus, ProductLine, Program, SupportLevel,
};
use crate::domain::ids::{AgreementKind, AgreementNumber, Csn};
use crate::domain::roles::{Lang, Role, Tenant, TenantKind};
use crate::domain::values::MIN_PROVISIONED_PASSWORD;

use super::Collection;
use super::fields::{
    Expected, FieldErrors, Fields, csn_expected, required, text_length, unknown_field,
};
use crate::error::FieldError;

/// A `partners` record as read from the file.
pub(super) struct RawPartner<'a>(pub(super) &'a Map<String, Value>);

/// An `accounts` record as read from the file.
pub(super) struct RawAccount<'a>(pub(super) &'a Map<String, Value>);

/// An `agreements` record as read from the file.
pub(super) struct RawAgreement<'a>(pub(super) &'a Map<String, Value>);

/// A user as read from the file: a `users` record, or one of an account's
/// `users`. There `account` is that account, which is the user's tenant,
/// and the user's fields are named `users[i].…` (`prefix`).
pub(super) struct RawUser<'a> {
    pub(super) obj: &'a Map<String, Value>,
    pub(super) prefix: &'a str,
    pub(super) account: Option<&'a Csn>,
}

/// A checked account. Its users are checked one by one once the account is
/// written, each error named within the account (`users[i].email`).
pub(super) struct AccountRecord<'a> {
    pub(super) account: Account,
    pub(super) users: Vec<&'a Value>,
}

/// A checked user; the password is still plain, as only the session knows
/// whether it is the one already stored.
pub(super) struct UserRecord<'a> {
    pub(super) email: String,
    pub(super) name: String,
    pub(super) role: Role,
    pub(super) lang: Lang,
    pub(super) tenant: Tenant,
    pub(super) password: Option<&'a str>,
}

/// The fields of a user inside an account, whose tenant is the account.
const ACCOUNT_USER_FIELDS: &[&str] = &["email", "name", "role", "lang", "password"];

const ROLES: &str =
    "primary_admin, secondary_admin, user, partner_admin, partner_agent, support_agent, operator";

/// One of the values of a `str_enum`, as the field expects it.
fn one_of(list: String) -> Expected {
    let english = format!("one of: {list}");
    Expected::one_of(list, english)
}

impl TryFrom<RawPartner<'_>> for Partner {
    type Error = FieldErrors;

    fn try_from(RawPartner(obj): RawPartner<'_>) -> Result<Self, Self::Error> {
        let mut f = Fields::new(obj, "", Collection::Partners.fields());
        let csn = f.csn("csn");
        let name = f.text("name", 200);
        let city = f.text("city", 100);
        let country = f.country("country");
        let status = f.parsed_or(
            "status",
            PartnerStatus::Active,
            one_of(PartnerStatus::expected()),
            PartnerStatus::parse,
        );
        let email = f.email("email");
        f.finish(|| {
            Some(Partner {
                csn: csn?,
                name: name?,
                city: city?,
                country: country?,
                status: status?,
                email: email?,
            })
        })
    }
}

impl<'a> TryFrom<RawAccount<'a>> for AccountRecord<'a> {
    type Error = FieldErrors;

    fn try_from(RawAccount(obj): RawAccount<'a>) -> Result<Self, Self::Error> {
        let mut f = Fields::new(obj, "", Collection::Accounts.fields());
        let csn = f.csn("csn");
        let name = f.text("name", 200);
        let country = f.country("country");
        let users = account_users(&mut f);
        f.finish(|| {
            Some(AccountRecord {
                account: Account {
                    csn: csn?,
                    name: name?,
                    country: country?,
                },
                users,
            })
        })
    }
}

/// The account's `users` array, unchecked but for the one rule that spans
/// them: at most one primary_admin.
fn account_users<'a>(f: &mut Fields<'a>) -> Vec<&'a Value> {
    let users: Vec<&Value> = match f.obj.get("users") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(_) => {
            f.err(FieldError::coded(
                "users",
                "import-expected-users",
                Vec::new(),
                "expected an array of users",
            ));
            Vec::new()
        }
    };
    let primaries = users
        .iter()
        .filter(|u| u.get("role").and_then(Value::as_str) == Some("primary_admin"))
        .count();
    if primaries > 1 {
        f.err(FieldError::coded(
            "users",
            "import-one-primary-admin",
            Vec::new(),
            "an account has exactly one primary_admin",
        ));
    }
    users
}

impl<'a> TryFrom<RawUser<'a>> for UserRecord<'a> {
    type Error = FieldErrors;

    fn try_from(raw: RawUser<'a>) -> Result<Self, Self::Error> {
        let allowed = match raw.account {
            Some(_) => ACCOUNT_USER_FIELDS,
            None => Collection::Users.fields(),
        };
        let mut f = Fields::new(raw.obj, raw.prefix, allowed);
        let email = f.email("email");
        let name = f.text("name", 200);
        let role = f.parsed("role", one_of(ROLES.into()), Role::parse);
        let lang = f.parsed_or(
            "lang",
            Lang::En,
            Expected::new("lang-choice", Vec::new(), "de or en"),
            Lang::parse,
        );
        let password = provisioned_password(&mut f);
        let tenant = match raw.account {
            Some(account) => Some(Tenant::Account(account.clone())),
            None => named_tenant(&mut f),
        };
        if let (Some(role), Some(tenant)) = (role, &tenant) {
            check_role_fits(&mut f, role, tenant);
        }
        f.finish(|| {
            Some(UserRecord {
                email: email?,
                name: name?,
                role: role?,
                lang: lang?,
                tenant: tenant?,
                password,
            })
        })
    }
}

/// A password set by the import, long enough that nobody has to change it
/// before it is safe.
fn provisioned_password<'a>(f: &mut Fields<'a>) -> Option<&'a str> {
    let password = f.str_opt("password");
    if password.is_some_and(|p| p.chars().count() < MIN_PROVISIONED_PASSWORD) {
        f.err(FieldError::coded(
            "password",
            "password-length",
            vec![("min", MIN_PROVISIONED_PASSWORD.to_string())],
            format!("expected at least {MIN_PROVISIONED_PASSWORD} characters"),
        ));
    }
    password
}

/// The tenant a `users` record names: exactly one of `account`, `partner`
/// or `vendor: true`.
fn named_tenant(f: &mut Fields<'_>) -> Option<Tenant> {
    let account = f
        .obj
        .get("account")
        .is_some()
        .then(|| f.csn("account"))
        .flatten();
    let partner = f
        .obj
        .get("partner")
        .is_some()
        .then(|| f.csn("partner"))
        .flatten();
    let vendor = f.bool_or("vendor", false);
    match (account, partner, vendor) {
        (Some(a), None, false) => Some(Tenant::Account(a)),
        (None, Some(p), false) => Some(Tenant::Partner(p)),
        (None, None, true) => Some(Tenant::Vendor),
        _ => {
            f.err(FieldError::coded(
                "partner",
                "import-one-tenant",
                Vec::new(),
                "give exactly one of account, partner or vendor: true",
            ));
            None
        }
    }
}

fn check_role_fits(f: &mut Fields<'_>, role: Role, tenant: &Tenant) {
    if role.tenant_kind() == tenant.kind() {
        return;
    }
    let (kind, what) = match tenant.kind() {
        TenantKind::Account => ("account", "primary_admin, secondary_admin or user"),
        TenantKind::Partner => ("partner", "partner_admin or partner_agent"),
        TenantKind::Vendor => ("vendor", "support_agent or operator"),
    };
    f.err(FieldError::coded(
        "role",
        "import-role-for-tenant",
        vec![("tenant", kind.into())],
        format!("expected {what} for this tenant"),
    ));
}

impl TryFrom<RawAgreement<'_>> for Agreement {
    type Error = FieldErrors;

    fn try_from(RawAgreement(obj): RawAgreement<'_>) -> Result<Self, Self::Error> {
        let mut f = Fields::new(obj, "", Collection::Agreements.fields());
        let kind = f.parsed(
            "kind",
            Expected::one_of("contract, subscription", "contract or subscription"),
            AgreementKind::parse,
        );
        let number = agreement_number(&mut f, kind);
        let account = f.csn("account");
        let products = products(&mut f);
        let (term_start, term_end) = term(&mut f);
        let auto_renew = f.bool_or("auto_renew", false);
        let program = f.parsed_or(
            "program",
            Program::standard(),
            Expected::new("import-expected-program", Vec::new(), Program::EXPECTED),
            Program::parse,
        );
        let support_level = f.parsed(
            "support_level",
            one_of(SupportLevel::expected()),
            SupportLevel::parse,
        );
        let status = f.parsed(
            "status",
            one_of(AgreementStatus::expected()),
            AgreementStatus::parse,
        );
        let partners = partner_csns(&mut f);
        f.finish(|| {
            Some(Agreement {
                number: number?,
                account: account?,
                products: products?,
                term_start: term_start?,
                term_end: term_end?,
                auto_renew,
                program: program?,
                support_level: support_level?,
                status: status?,
                partners,
            })
        })
    }
}

/// The number, in the form of its kind. Without a valid kind the number
/// is not blamed: the error on `kind` says what is wrong.
fn agreement_number(f: &mut Fields<'_>, kind: Option<AgreementKind>) -> Option<AgreementNumber> {
    match (f.str_opt("number"), kind) {
        (None, _) => {
            f.err(required("number".into(), "required"));
            None
        }
        (Some(raw), Some(kind)) => match AgreementNumber::parse_kind(raw, kind) {
            Ok(n) => Some(n),
            Err(e) => {
                // The code of the kind's number (`expected-contract-number`).
                let english = format!("expected {} for kind {}", e.expected, kind.as_str());
                f.err(FieldError::coded("number", e.code, Vec::new(), english));
                None
            }
        },
        (Some(raw), None) => AgreementNumber::parse(raw).ok(),
    }
}

fn term(f: &mut Fields<'_>) -> (Option<Date>, Option<Date>) {
    let start = f.date("term_start");
    let end = f.date("term_end");
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        f.err(FieldError::coded(
            "term_end",
            "import-term-end-before-start",
            Vec::new(),
            "must not be before term_start",
        ));
    }
    (start, end)
}

fn products(f: &mut Fields<'_>) -> Option<Vec<ProductLine>> {
    let list = match f.obj.get("products") {
        Some(Value::Array(list)) if !list.is_empty() => list,
        _ => {
            f.err(FieldError::coded(
                "products",
                "import-expected-products",
                Vec::new(),
                "expected a non-empty array of {name, seats}",
            ));
            return None;
        }
    };
    let lines: Vec<ProductLine> = list
        .iter()
        .enumerate()
        .filter_map(|(i, p)| product_line(f, i, p))
        .collect();
    (lines.len() == list.len()).then_some(lines)
}

/// `products[i]`: `{name, seats}`.
fn product_line(f: &mut Fields<'_>, i: usize, p: &Value) -> Option<ProductLine> {
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
        let mut e = unknown_field(format!("products[{i}]"), &["name", "seats"]);
        // The words the command line has always said.
        e.message = "unknown field; expected name and seats".into();
        f.err(e);
    }
    match (name, seats) {
        (Some(n), Some(s)) => Some(ProductLine {
            name: n.to_owned(),
            seats: s as u32,
        }),
        (None, _) => {
            f.err(text_length(format!("products[{i}].name"), 200));
            None
        }
        (_, None) => {
            let seats = format!("products[{i}].seats");
            f.err(FieldError::coded(
                seats,
                "expected-whole-number",
                vec![("min", "1".into()), ("max", "1000000".into())],
                "expected a whole number from 1 to 1000000",
            ));
            None
        }
    }
}

/// The agreement's partners, sorted so that a re-import in another order
/// changes nothing.
fn partner_csns(f: &mut Fields<'_>) -> Vec<Csn> {
    let mut partners = Vec::new();
    match f.obj.get("partners") {
        Some(Value::Array(list)) if !list.is_empty() => {
            for (i, p) in list.iter().enumerate() {
                let at = format!("partners[{i}]");
                match p.as_str().map(Csn::parse) {
                    Some(Ok(c)) if !partners.contains(&c) => partners.push(c),
                    Some(Ok(_)) => f.err(FieldError::coded(
                        at,
                        "import-listed-twice",
                        Vec::new(),
                        "listed twice",
                    )),
                    _ => f.err(csn_expected().at(at)),
                }
            }
        }
        _ => f.err(FieldError::coded(
            "partners",
            "import-expected-partners",
            Vec::new(),
            "expected a non-empty array of partner CSNs",
        )),
    }
    partners.sort();
    partners
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn errors<T>(r: Result<T, FieldErrors>) -> Vec<(String, &'static str, String)> {
        match r {
            Ok(_) => panic!("valid"),
            Err(e) => e
                .into_iter()
                .map(|e| (e.field, e.code, e.message))
                .collect(),
        }
    }

    /// #19: each problem carries its message's code for other languages;
    /// the English words stay those the command line and the API have
    /// always said.
    #[test]
    fn each_problem_has_its_code_and_the_english_it_always_had() {
        let partner = json!({"csn": "51", "name": " ", "country": "Germany",
            "email": "nope", "status": "gone", "colour": "red"});
        let e = errors(Partner::try_from(RawPartner(partner.as_object().unwrap())));
        let s = |f: &str, c: &'static str, m: &str| (f.to_owned(), c, m.to_owned());
        assert_eq!(
            e,
            [
                s(
                    "colour",
                    "import-unknown-field",
                    "unknown field; expected one of: csn, name, city, country, status, email"
                ),
                s("csn", "expected-csn", "expected exactly 10 digits (CSN)"),
                s("name", "expected-text", "expected 1–200 characters"),
                s("city", "missing-field", "required"),
                s(
                    "country",
                    "country-format",
                    "expected an ISO 3166-1 alpha-2 country code such as DE"
                ),
                s(
                    "status",
                    "expected-one-of",
                    "expected one of: active, inactive"
                ),
                s(
                    "email",
                    "email-format",
                    "expected an email address such as anna@example.com"
                ),
            ]
        );
        let agreement = json!({"number": "1234", "kind": "contract", "products": [{"name": "A", "seats": 0}],
            "term_start": "2027-01-01", "term_end": "2026-01-01", "auto_renew": "yes",
            "support_level": "gold", "partners": ["5100000001", "5100000001"]});
        let e = errors(Agreement::try_from(RawAgreement(
            agreement.as_object().unwrap(),
        )));
        assert_eq!(
            e,
            [
                s(
                    "number",
                    "expected-contract-number",
                    "expected exactly 12 digits (contract number) for kind contract"
                ),
                s(
                    "account",
                    "missing-field",
                    "required: exactly 10 digits (CSN)"
                ),
                s(
                    "products[0].seats",
                    "expected-whole-number",
                    "expected a whole number from 1 to 1000000"
                ),
                s(
                    "term_end",
                    "import-term-end-before-start",
                    "must not be before term_start"
                ),
                s(
                    "auto_renew",
                    "import-expected-bool",
                    "expected true or false"
                ),
                s(
                    "support_level",
                    "expected-one-of",
                    "expected one of: standard, advanced, premium"
                ),
                s(
                    "status",
                    "missing-field",
                    "required: one of: active, expired, canceled, suspended"
                ),
                s("partners[1]", "import-listed-twice", "listed twice"),
            ]
        );
    }

    /// A user inside an account names its fields within the account.
    #[test]
    fn a_users_fields_are_named_within_its_account() {
        let user = json!({"email": "a@b.example", "name": "A", "role": "operator", "lang": "fr"});
        let csn = Csn::parse("7000000001").unwrap();
        let e = errors(UserRecord::try_from(RawUser {
            obj: user.as_object().unwrap(),
            prefix: "users[2].",
            account: Some(&csn),
        }));
        assert_eq!(
            e.iter()
                .map(|(f, c, _)| (f.as_str(), *c))
                .collect::<Vec<_>>(),
            [
                ("users[2].lang", "lang-choice"),
                ("users[2].role", "import-role-for-tenant")
            ]
        );
    }
}
