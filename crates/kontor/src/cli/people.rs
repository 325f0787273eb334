//! `kontor user …`, `kontor token …`.

use anyhow::{Context, bail};
use clap::Subcommand;
use kontor_core::domain::audit::{AuditAction, AuditEntry, By};
use kontor_core::domain::ids::Csn;
use kontor_core::domain::roles::{Lang, Role, Tenant, TenantKind, UserId};
use kontor_core::domain::values::{EmailAddress, MIN_PROVISIONED_PASSWORD, PasswordHasher};
use kontor_core::store::{NewToken, NewUser};
use serde_json::json;

use crate::app;
use crate::auth::{Argon2Hasher, new_token, token_hash};
use crate::config::Config;

/// `kontor user …`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a person. The password is read from standard input.
    Create {
        /// Sign-in email.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Role, e.g. operator or primary_admin.
        #[arg(long)]
        role: String,
        /// Account CSN (customer roles).
        #[arg(long)]
        account: Option<String>,
        /// Partner CSN (partner roles).
        #[arg(long)]
        partner: Option<String>,
        /// de or en.
        #[arg(long, default_value = "en")]
        lang: String,
        /// Read the password from standard input (else the person signs in with tokens only).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Break glass (#21): remove a person's second factors — app,
    /// recovery codes, passkeys — from the server's shell, for the one
    /// nobody in the portal can help (the last operator). Audited with the
    /// reason; the person is mailed and sets up a new one at the next
    /// sign-in where one is required.
    ResetSecondFactor {
        /// Whose.
        #[arg(long)]
        email: String,
        /// Why, and how you verified the person (kept in the audit log).
        #[arg(long)]
        reason: String,
    },
}

/// `kontor token …`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue a personal API token; prints the token alone on stdout.
    Issue {
        /// Whose token.
        #[arg(long)]
        email: String,
        /// Label of the token.
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

pub async fn user(config: Config, cmd: UserCommand) -> anyhow::Result<()> {
    let (email, name, role, account, partner, lang, password_stdin) = match cmd {
        UserCommand::ResetSecondFactor { email, reason } => {
            return reset_second_factor(config, &email, &reason).await;
        }
        UserCommand::Create {
            email,
            name,
            role,
            account,
            partner,
            lang,
            password_stdin,
        } => (email, name, role, account, partner, lang, password_stdin),
    };
    let email = EmailAddress::parse(&email)
        .map(String::from)
        .context("--email: expected an email address such as anna@example.com")?;
    let role = Role::parse(&role).context("--role: expected one of primary_admin, secondary_admin, user, partner_admin, partner_agent, support_agent, operator")?;
    let lang = Lang::parse(&lang).context("--lang: expected de or en")?;
    let tenant = tenant_of(role, account.as_deref(), partner.as_deref())?;
    let password_hash = if password_stdin {
        Some(Argon2Hasher.hash(&password_from_stdin()?)?)
    } else {
        None
    };
    let store = app::open_store(&config).await?;
    let now = app::clock(&config)?.now();
    let user = NewUser {
        id: UserId(uuid::Uuid::now_v7()),
        email: email.clone(),
        name,
        role,
        tenant,
        lang,
        password_hash,
        created_at: now,
    };
    let audit = AuditEntry::new(now, By::System("cli"), AuditAction::UserCreated)
        .change(json!(null), json!({ "email": email, "role": role }));
    store
        .create_user(&user, &audit)
        .await
        .map_err(|e| match e {
            kontor_core::StoreError::Conflict("email") => {
                anyhow::anyhow!("--email: {email} is already in use")
            }
            kontor_core::StoreError::Conflict("primary_admin") => {
                anyhow::anyhow!("--role: the account already has a primary_admin")
            }
            other => anyhow::Error::new(other),
        })?;
    println!("created {email} ({})", role.as_str());
    Ok(())
}

async fn reset_second_factor(config: Config, email: &str, reason: &str) -> anyhow::Result<()> {
    use kontor_core::domain::notify::{OutboxMessage, Recipient, RecipientRole, SecondFactorEvent};
    let reason = reason.trim();
    if reason.chars().count() < 10 {
        bail!("--reason: describe why and how you verified the person (10 characters or more)");
    }
    let store = app::open_store(&config).await?;
    let now = app::clock(&config)?.now();
    let person = store
        .user_by_email(&email.trim().to_lowercase())
        .await?
        .filter(|u| !u.disabled)
        .with_context(|| format!("--email: no person with access has the email {email}"))?
        .actor;
    let audit = AuditEntry {
        account: person.account().cloned(),
        ..AuditEntry::new(now, By::System("cli"), AuditAction::SecondFactorReset).change(
            json!({ "user": person.email }),
            json!({ "user": person.email, "second_factors": "removed", "reason": reason }),
        )
    };
    let mail = OutboxMessage::SecondFactorNotice {
        event_id: uuid::Uuid::now_v7(),
        recipients: vec![Recipient {
            to: person.email.clone(),
            lang: person.lang,
            time_zone: person.time_zone,
            role: RecipientRole::Person,
        }],
        event: SecondFactorEvent::Reset,
        person: format!("{} ({})", person.name, person.email),
        by: Some("kontor CLI".into()),
        codes_left: None,
        at: now,
    };
    store
        .remove_second_factor(
            person.user_id,
            kontor_core::store::FactorRemoval::Everything,
            Some(now),
            &[audit],
            &[mail],
        )
        .await
        .map_err(|e| match e {
            kontor_core::StoreError::NotFound => {
                anyhow::anyhow!("--email: {email} has no second factor to reset")
            }
            other => anyhow::Error::new(other),
        })?;
    println!("reset the second factors of {}", person.email);
    Ok(())
}

/// The tenant the flags name, as the role needs it.
fn tenant_of(role: Role, account: Option<&str>, partner: Option<&str>) -> anyhow::Result<Tenant> {
    let csn = |v: &str, flag: &str| {
        Csn::parse(v).map_err(|e| anyhow::anyhow!("{flag}: expected {}", e.expected))
    };
    Ok(match (role.tenant_kind(), account, partner) {
        (TenantKind::Account, Some(a), None) => Tenant::Account(csn(a, "--account")?),
        (TenantKind::Partner, None, Some(p)) => Tenant::Partner(csn(p, "--partner")?),
        (TenantKind::Vendor, None, None) => Tenant::Vendor,
        _ => bail!("customer roles need --account, partner roles --partner, vendor roles neither"),
    })
}

/// The first line of standard input, so that the password stays out of the
/// command line (and the shell's history).
fn password_from_stdin() -> anyhow::Result<String> {
    let mut pw = String::new();
    std::io::stdin().read_line(&mut pw)?;
    let pw = pw.trim_end_matches(['\r', '\n']);
    if pw.chars().count() < MIN_PROVISIONED_PASSWORD {
        bail!("password: expected at least {MIN_PROVISIONED_PASSWORD} characters");
    }
    Ok(pw.to_owned())
}

pub async fn token(config: Config, cmd: TokenCommand) -> anyhow::Result<()> {
    let TokenCommand::Issue { email, label } = cmd;
    let store = app::open_store(&config).await?;
    let user = store
        .user_by_email(&email.trim().to_lowercase())
        .await?
        .with_context(|| format!("--email: no person with email {email}"))?;
    let token = new_token();
    let now = app::clock(&config)?.now();
    let record = NewToken {
        id: uuid::Uuid::now_v7(),
        user_id: user.actor.user_id,
        token_hash: token_hash(&token),
        label: label.clone(),
        created_at: now,
        expires_at: None,
    };
    let audit = AuditEntry::new(now, By::System("cli"), AuditAction::TokenIssued).change(
        json!(null),
        json!({ "token_id": record.id, "user": user.actor.email, "label": label }),
    );
    store.insert_token(&record, &audit).await?;
    println!("{token}");
    Ok(())
}
