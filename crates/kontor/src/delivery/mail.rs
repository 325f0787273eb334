//! Emails (R10): rendered per recipient in their language, as plain text
//! and HTML, and sent through SMTP — or written as `.eml` files when no
//! mail server is configured, so a demo works offline.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use askama::Template;
use kontor_core::domain::delivery::Verdict;
use kontor_core::domain::ids::{AgreementNumber, Csn};
use kontor_core::domain::notify::{ChangeEvent, OutboxMessage, Recipient, RecipientRole};
use kontor_core::domain::roles::Lang;
use kontor_core::domain::sla::BreachOf;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use super::Sent;
use crate::i18n::Tr;

/// A rendered mail, before addressing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Subject line.
    pub subject: String,
    /// Opening line.
    pub greeting: String,
    /// Paragraphs.
    pub lines: Vec<String>,
    /// Reasons, as a list (rejections).
    pub reasons: Vec<String>,
    /// Label and value pairs.
    pub facts: Vec<(String, String)>,
    /// A link into the portal: label and URL.
    pub link: Option<(String, String)>,
    /// Why the recipient gets this.
    pub footer: String,
}

/// The names of the account and partners a message is about, looked up
/// when it is sent (a mail names them as people know them, not by their
/// numbers); a number without a name reads as the number.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// "Name" of each account and partner CSN found.
    pub by_csn: HashMap<Csn, String>,
}

impl Names {
    /// "Muster Bau AG (7000000001)", or the bare number.
    pub fn of(&self, csn: &Csn) -> String {
        match self.by_csn.get(csn) {
            Some(name) => format!("{name} ({csn})"),
            None => csn.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "emails/notice.txt")]
struct NoticeText<'a> {
    n: &'a Notice,
}

#[derive(Template)]
#[template(path = "emails/notice.html")]
struct NoticeHtml<'a> {
    n: &'a Notice,
    lang: &'a str,
}

/// What `recipient` reads about `message`, in their language.
pub fn render(
    message: &OutboxMessage,
    recipient: &Recipient,
    names: &Names,
    public_url: &str,
    window_days: i64,
) -> Notice {
    let tr = Tr::new(recipient.lang).in_zone(recipient.time_zone);
    let base = public_url.trim_end_matches('/');
    match message {
        OutboxMessage::PartnerChangeEmails {
            event,
            request,
            agreement,
            account,
            new_partner,
            old_partners,
            reasons,
            renews_on,
            answer_by,
            ..
        } => {
            let (subject, line) =
                change_text(&tr, *event, recipient.role, agreement, &names.of(account));
            let mut facts = change_facts(
                &tr,
                names,
                agreement,
                account,
                new_partner,
                old_partners,
                request,
            );
            if let Some(day) = renews_on {
                // A naming is no request: its id means nothing to the reader.
                facts.pop();
                facts.push((tr.t("mail-fact-renews-on"), tr.date(*day)));
            }
            if let Some(at) = answer_by {
                facts.push((tr.t("mail-fact-answer-by"), tr.datetime(*at)));
            }
            Notice {
                subject,
                greeting: tr.t("mail-greeting"),
                lines: vec![line],
                reasons: reasons
                    .iter()
                    .map(|r| r.message(recipient.lang, window_days))
                    .collect(),
                facts,
                link: Some((
                    tr.t("mail-link"),
                    change_link(base, recipient.role, agreement, request),
                )),
                footer: tr.t("mail-footer"),
            }
        }
        OutboxMessage::Invitation {
            name,
            link,
            expires_at,
            ..
        } => one_time_link_notice(&tr, "invitation", Some(name.as_str()), link, *expires_at),
        OutboxMessage::PasswordReset {
            link, expires_at, ..
        } => one_time_link_notice(&tr, "password-reset", None, link, *expires_at),
        OutboxMessage::PasswordChanged { at, .. } => Notice {
            subject: tr.t("mail-subject-password-changed"),
            greeting: tr.t("mail-greeting"),
            lines: vec![
                tr.t1("mail-password-changed", "at", &tr.datetime(*at)),
                tr.t("mail-password-changed-not-you"),
            ],
            reasons: Vec::new(),
            facts: Vec::new(),
            link: Some((
                tr.t("mail-password-changed-link"),
                format!("{base}/password-reset"),
            )),
            footer: tr.t("mail-footer-security"),
        },
        OutboxMessage::SecondFactorNotice {
            event,
            person,
            by,
            codes_left,
            at,
            ..
        } => second_factor_notice(&tr, base, *event, person, by.as_deref(), *codes_left, *at),
        OutboxMessage::WebhookEndpointDisabled {
            endpoint,
            url,
            reason,
            ..
        } => endpoint_disabled_notice(&tr, base, endpoint, url, reason),
        OutboxMessage::WindowClosing {
            account,
            agreements,
            ..
        } => window_closing_notice(&tr, base, &names.of(account), agreements),
        OutboxMessage::PartnerProposal {
            proposal,
            account,
            from,
            to,
            agreements,
            reminder,
            ..
        } => proposal_notice(
            &tr,
            base,
            &names.of(account),
            (*proposal, from, to),
            agreements,
            *reminder,
        ),
        OutboxMessage::DeadlinesBreached { breaches, .. } => {
            deadlines_breached_notice(&tr, base, names, breaches)
        }
        OutboxMessage::CaseReply {
            case,
            agreement,
            opened,
            author,
            body,
            ..
        } => Notice {
            subject: match (opened, agreement) {
                (false, Some(n)) => tr.t1("mail-subject-case-reply", "agreement", n.as_str()),
                (false, None) => tr.t("mail-subject-case-reply-general"),
                (true, Some(n)) => tr.t1("mail-subject-case-opened", "agreement", n.as_str()),
                (true, None) => tr.t("mail-subject-case-opened-general"),
            },
            greeting: tr.t("mail-greeting"),
            lines: std::iter::once(tr.t1(
                if *opened {
                    "mail-case-opened"
                } else {
                    "mail-case-reply"
                },
                "author",
                author,
            ))
            .chain(body.lines().map(str::to_owned))
            .collect(),
            reasons: Vec::new(),
            facts: Vec::new(),
            link: Some((
                tr.t(if recipient.role == RecipientRole::SupportAgent {
                    "mail-case-reply-link-support"
                } else {
                    "mail-case-reply-link"
                }),
                format!("{base}/support-cases/{case}"),
            )),
            footer: tr.t("mail-footer-case"),
        },
    }
}

/// The subject and the line saying what happened to the partner change.
fn change_text(
    tr: &Tr,
    event: ChangeEvent,
    role: RecipientRole,
    agreement: &AgreementNumber,
    account: &str,
) -> (String, String) {
    let text = |key: &str| {
        tr.ta(
            key,
            &[
                ("agreement", agreement.as_str().to_owned().into()),
                ("account", account.to_owned().into()),
            ],
        )
    };
    // The events that ask something of someone say it differently to each role.
    let line_key = match event {
        ChangeEvent::Submitted
        | ChangeEvent::Applied
        | ChangeEvent::AwaitingPartner
        | ChangeEvent::RenewalNamed
        | ChangeEvent::RenewalApplied
        | ChangeEvent::Escalated
        | ChangeEvent::Disputed => {
            format!("mail-{}-{}", event.as_str(), role.as_str())
        }
        ChangeEvent::Withdrawn
        | ChangeEvent::Rejected
        | ChangeEvent::Accepted
        | ChangeEvent::Declined
        | ChangeEvent::Expired
        | ChangeEvent::RenewalWithdrawn
        | ChangeEvent::RenewalRejected
        | ChangeEvent::RenewalLapsed
        | ChangeEvent::DisputeReleased => format!("mail-{}", event.as_str()),
    };
    (
        text(&format!("mail-subject-{}", event.as_str())),
        text(&line_key),
    )
}

/// Admins of the account look at the agreement; partners at their list of
/// changes; support at the change itself.
fn change_link(
    base: &str,
    role: RecipientRole,
    agreement: &AgreementNumber,
    request: &Uuid,
) -> String {
    match role {
        RecipientRole::AccountAdmin => format!("{base}/agreements/{}", agreement.as_str()),
        RecipientRole::SupportAgent | RecipientRole::Operator => {
            format!("{base}/changes/{request}")
        }
        _ => format!("{base}/changes"),
    }
}

/// The partner change at a glance.
fn change_facts(
    tr: &Tr,
    names: &Names,
    agreement: &AgreementNumber,
    account: &Csn,
    new_partner: &Csn,
    old_partners: &[Csn],
    request: &Uuid,
) -> Vec<(String, String)> {
    let old: Vec<String> = old_partners.iter().map(|c| names.of(c)).collect();
    vec![
        (tr.t("mail-fact-agreement"), agreement.as_str().to_owned()),
        (tr.t("mail-fact-account"), names.of(account)),
        (tr.t("mail-fact-new-partner"), names.of(new_partner)),
        (
            tr.tn("mail-fact-old-partners", "n", old.len() as i64),
            old.join(", "),
        ),
        (tr.t("mail-fact-request"), request.to_string()),
    ]
}

/// A change to someone's second factor (#21): what happened, when, and
/// by whom when it was not the person; what to do when it was not them.
fn second_factor_notice(
    tr: &Tr,
    base: &str,
    event: kontor_core::domain::notify::SecondFactorEvent,
    person: &str,
    by: Option<&str>,
    codes_left: Option<u32>,
    at: time::OffsetDateTime,
) -> Notice {
    let code = event.as_str().replace('_', "-");
    let mut lines = vec![tr.tw(
        &format!("mail-second-factor-{code}"),
        &[("person", person.to_owned()), ("at", tr.datetime(at))],
    )];
    if let Some(by) = by {
        lines.push(tr.t1("mail-second-factor-by", "by", by));
    }
    if let Some(left) = codes_left {
        lines.push(tr.tn("mail-second-factor-codes-left", "left", i64::from(left)));
    }
    lines.push(tr.t("mail-second-factor-not-you"));
    Notice {
        subject: tr.t(&format!("mail-subject-second-factor-{code}")),
        greeting: tr.t("mail-greeting"),
        lines,
        reasons: Vec::new(),
        facts: Vec::new(),
        link: Some((
            tr.t("mail-second-factor-link"),
            format!("{base}/account/security"),
        )),
        footer: tr.t("mail-footer-security"),
    }
}

/// Operators learn that an endpoint's deliveries stopped.
fn endpoint_disabled_notice(
    tr: &Tr,
    base: &str,
    endpoint: &Uuid,
    url: &str,
    reason: &str,
) -> Notice {
    Notice {
        subject: tr.t1("mail-subject-endpoint-disabled", "url", url),
        greeting: tr.t("mail-greeting"),
        lines: vec![tr.ta(
            "mail-endpoint-disabled",
            &[
                ("url", url.to_owned().into()),
                ("reason", reason.to_owned().into()),
            ],
        )],
        reasons: Vec::new(),
        facts: vec![(tr.t("mail-fact-endpoint"), endpoint.to_string())],
        link: Some((tr.t("mail-link"), format!("{base}/back-office/webhooks"))),
        footer: tr.t("mail-footer-operator"),
    }
}

/// A mail that brings a one-time link to a person, by `name` when known;
/// `kind` names its messages (`mail-subject-{kind}`, `mail-{kind}`,
/// `mail-{kind}-link`).
fn one_time_link_notice(
    tr: &Tr,
    kind: &str,
    name: Option<&str>,
    link: &str,
    expires_at: time::OffsetDateTime,
) -> Notice {
    Notice {
        subject: tr.t(&format!("mail-subject-{kind}")),
        greeting: match name {
            Some(name) => tr.t1("mail-greeting-name", "name", name),
            None => tr.t("mail-greeting"),
        },
        lines: vec![
            tr.t(&format!("mail-{kind}")),
            tr.t1("mail-link-expires", "at", &tr.datetime(expires_at)),
        ],
        reasons: Vec::new(),
        facts: Vec::new(),
        link: Some((tr.t(&format!("mail-{kind}-link")), link.to_owned())),
        footer: tr.t("mail-footer-person"),
    }
}

/// The mail as sent: headers, plain text and HTML alternatives. The
/// Message-ID is the delivery's id, the same on every retry, so a receiver
/// can recognise a copy sent twice after a lost acknowledgement.
pub fn build(
    from: &Mailbox,
    delivery: Uuid,
    recipient: &Recipient,
    notice: &Notice,
) -> anyhow::Result<Message> {
    let to: Mailbox = recipient.to.parse()?;
    let text = NoticeText { n: notice }.render()?;
    let lang = match recipient.lang {
        Lang::De => "de",
        Lang::En => "en",
    };
    let html = NoticeHtml { n: notice, lang }.render()?;
    let domain = from.email.domain().to_owned();
    Ok(Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&notice.subject)
        .message_id(Some(format!("<{delivery}@{domain}>")))
        .multipart(MultiPart::alternative_plain_html(text, html))?)
}

/// Where mails go.
#[derive(Clone)]
pub enum Mailer {
    /// An SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a folder (no mail server configured).
    Files(PathBuf),
}

impl Mailer {
    /// SMTP when `smtp_url` is set, files in `mail_dir` otherwise.
    pub fn new(smtp_url: Option<&str>, mail_dir: PathBuf) -> anyhow::Result<Mailer> {
        match smtp_url {
            None => Ok(Mailer::Files(mail_dir)),
            Some(url) => {
                crate::delivery::install_tls_provider();
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("smtp_url is not usable: {e}"))?
                    .timeout(Some(Duration::from_secs(30)))
                    .build();
                Ok(Mailer::Smtp(transport))
            }
        }
    }

    /// Sends one mail. A permanent refusal (5xx), which no retry will
    /// change, is `Verdict::Gone`.
    pub async fn send(&self, delivery: Uuid, message: Message) -> Sent {
        match self {
            Mailer::Files(dir) => match write_eml(dir, delivery, &message.formatted()).await {
                Ok(()) => Sent {
                    verdict: Verdict::Delivered,
                    status: None,
                    error: None,
                },
                Err(e) => Sent {
                    verdict: Verdict::Retry { retry_after: None },
                    status: None,
                    error: Some(format!("could not write the mail file: {e}")),
                },
            },
            Mailer::Smtp(transport) => match transport.send(message).await {
                Ok(response) => Sent {
                    verdict: Verdict::Delivered,
                    status: response.code().to_string().parse().ok(),
                    error: None,
                },
                Err(e) => Sent {
                    verdict: if e.is_permanent() {
                        Verdict::Gone
                    } else {
                        Verdict::Retry { retry_after: None }
                    },
                    status: e.status().and_then(|c| c.to_string().parse().ok()),
                    error: Some(format!("SMTP: {e}")),
                },
            },
        }
    }
}

/// Writes `<dir>/<delivery>.eml` atomically: a retry overwrites the same
/// file, so each delivery is one file however often it is written.
async fn write_eml(dir: &std::path::Path, delivery: Uuid, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let tmp = dir.join(format!(".{delivery}.eml.tmp"));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, dir.join(format!("{delivery}.eml"))).await
}

/// Most items (agreements of a reminder, breaches) a mail names one by
/// one; the rest are counted.
pub const LISTED_AT_MOST: usize = 20;

/// The window for a partner change closes soon (#22): each agreement with
/// its last day, and where to start the change.
fn window_closing_notice(
    tr: &Tr,
    base: &str,
    account: &str,
    agreements: &[(kontor_core::domain::ids::AgreementNumber, String)],
) -> Notice {
    let count = i64::try_from(agreements.len()).unwrap_or(i64::MAX);
    let mut facts: Vec<(String, String)> = agreements
        .iter()
        .take(LISTED_AT_MOST)
        .map(|(number, last_day)| {
            let day = time::Date::parse(
                last_day,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .map(|d| tr.date(d))
            .unwrap_or_else(|_| last_day.clone());
            (
                number.to_string(),
                tr.t1("mail-window-closing-last-day", "date", &day),
            )
        })
        .collect();
    if agreements.len() > LISTED_AT_MOST {
        facts.push((
            String::new(),
            tr.tn(
                "mail-window-closing-more",
                "count",
                count - LISTED_AT_MOST as i64,
            ),
        ));
    }
    let link = match agreements {
        [(only, _)] => format!("{base}/agreements/{only}/partner"),
        _ => format!("{base}/agreements?sort=term_end"),
    };
    Notice {
        subject: tr.tn("mail-subject-window-closing", "count", count),
        greeting: tr.t("mail-greeting"),
        lines: vec![
            tr.ta(
                "mail-window-closing",
                &[
                    ("account", account.to_owned().into()),
                    ("count", count.into()),
                ],
            ),
            tr.t("mail-window-closing-after"),
        ],
        reasons: Vec::new(),
        facts,
        link: Some((tr.tn("mail-window-closing-link", "count", count), link)),
        footer: tr.t("mail-footer-reminder"),
    }
}

/// A customer's admins learn the partner the vendor proposes instead of
/// the one it replaces (#22): who, where, for which agreements, and a link
/// that opens the change with the proposed partner found: for one
/// agreement its review step, for several a change of all of them at once.
fn proposal_notice(
    tr: &Tr,
    base: &str,
    account: &str,
    (proposal, from, to): (
        uuid::Uuid,
        &(kontor_core::domain::ids::Csn, String),
        &(kontor_core::domain::ids::Csn, String, String),
    ),
    agreements: &[kontor_core::domain::ids::AgreementNumber],
    reminder: bool,
) -> Notice {
    let count = i64::try_from(agreements.len()).unwrap_or(i64::MAX);
    let (to_csn, to_name, to_city) = to;
    let mut facts = vec![
        (
            tr.t("mail-proposal-partner"),
            format!("{to_name}, {to_city}"),
        ),
        (tr.t("mail-proposal-csn"), to_csn.to_string()),
    ];
    facts.extend(
        agreements
            .iter()
            .take(LISTED_AT_MOST)
            .map(|n| (tr.t("mail-proposal-agreement"), n.to_string())),
    );
    if agreements.len() > LISTED_AT_MOST {
        facts.push((
            String::new(),
            tr.tn(
                "mail-window-closing-more",
                "count",
                count - LISTED_AT_MOST as i64,
            ),
        ));
    }
    let link = match agreements {
        [only] => format!("{base}/agreements/{only}/partner/review?csn={to_csn}"),
        _ => format!("{base}/agreements/proposed/{proposal}"),
    };
    let from_name = if from.1.is_empty() {
        from.0.to_string()
    } else {
        from.1.clone()
    };
    Notice {
        subject: tr.t1(
            if reminder {
                "mail-subject-proposal-reminder"
            } else {
                "mail-subject-proposal"
            },
            "partner",
            to_name,
        ),
        greeting: tr.t("mail-greeting"),
        lines: vec![
            tr.ta(
                "mail-proposal",
                &[
                    ("account", account.to_owned().into()),
                    ("from", from_name.into()),
                    ("count", count.into()),
                ],
            ),
            tr.t("mail-proposal-after"),
        ],
        reasons: Vec::new(),
        facts,
        link: Some((tr.tn("mail-proposal-link", "count", count), link)),
        footer: tr.t("mail-footer-admin"),
    }
}

/// Operators learn which support deadlines passed (#22): each case or
/// dispute with the deadline missed and when it was due, and the queue to
/// work from.
fn deadlines_breached_notice(
    tr: &Tr,
    base: &str,
    names: &Names,
    breaches: &[kontor_core::domain::notify::BreachNotice],
) -> Notice {
    let count = i64::try_from(breaches.len()).unwrap_or(i64::MAX);
    let mut facts: Vec<(String, String)> = breaches
        .iter()
        .take(LISTED_AT_MOST)
        .map(|b| {
            let about = match (&b.agreement, b.of) {
                (Some(n), of) => tr.ta(
                    &format!("mail-breach-about-{}", of.as_str()),
                    &[
                        ("account", names.of(&b.account).into()),
                        ("agreement", n.to_string().into()),
                    ],
                ),
                (None, _) => names.of(&b.account),
            };
            // A dispute is decided on the change's page.
            let link = match (b.of, b.request) {
                (BreachOf::Dispute, Some(request)) => format!("{base}/changes/{request}"),
                _ => format!("{base}/support-cases/{}", b.id),
            };
            (
                tr.ta(
                    &format!("mail-breach-{}", b.breach.as_str().replace('_', "-")),
                    &[("due", tr.datetime(b.due_at).into())],
                ),
                format!("{about} — {link}"),
            )
        })
        .collect();
    if breaches.len() > LISTED_AT_MOST {
        facts.push((
            String::new(),
            tr.tn(
                "mail-window-closing-more",
                "count",
                count - LISTED_AT_MOST as i64,
            ),
        ));
    }
    Notice {
        subject: tr.tn("mail-subject-deadlines-breached", "count", count),
        greeting: tr.t("mail-greeting"),
        lines: vec![tr.tn("mail-deadlines-breached", "count", count)],
        reasons: Vec::new(),
        facts,
        link: Some((
            tr.t("mail-deadlines-breached-link"),
            format!("{base}/support-cases"),
        )),
        footer: tr.t("mail-footer-operator"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kontor_core::domain::eligibility::ReasonCode;
    use kontor_core::domain::ids::{AgreementNumber, Csn};

    fn message(event: ChangeEvent, reasons: Vec<ReasonCode>) -> OutboxMessage {
        OutboxMessage::PartnerChangeEmails {
            event_id: Uuid::nil(),
            event,
            recipients: vec![],
            request: Uuid::nil(),
            agreement: AgreementNumber::parse("110000000001").unwrap(),
            account: Csn::parse("7000000001").unwrap(),
            new_partner: Csn::parse("5100000002").unwrap(),
            old_partners: vec![Csn::parse("5100000001").unwrap()],
            reasons,
            renews_on: None,
            answer_by: None,
        }
    }

    fn to(lang: Lang, role: RecipientRole) -> Recipient {
        Recipient {
            to: "anna@muster.example".into(),
            lang,
            time_zone: kontor_core::domain::zone::Zone::UTC,
            role,
        }
    }

    /// #19: a reply in a support case reaches the other side in their
    /// language, with the text as written and a link to the case.
    #[test]
    fn a_case_reply_reads_in_the_recipients_language_with_the_text_and_the_link() {
        let reply = OutboxMessage::CaseReply {
            event_id: Uuid::nil(),
            recipients: vec![],
            case: Uuid::nil(),
            agreement: Some(AgreementNumber::parse("110000000011").unwrap()),
            opened: false,
            author: "Anna Admin".into(),
            body: "Nur München.\nDanke!".into(),
        };
        let names = Names::default();
        let de = render(
            &reply,
            &to(Lang::De, RecipientRole::AccountAdmin),
            &names,
            "https://k.example/",
            90,
        );
        assert_eq!(
            de.subject,
            "Neue Antwort im Supportfall zu Vertrag 110000000011"
        );
        assert_eq!(de.lines, ["Anna Admin schreibt:", "Nur München.", "Danke!"]);
        assert_eq!(
            de.link,
            Some((
                "Im Supportfall antworten".to_owned(),
                format!("https://k.example/support-cases/{}", Uuid::nil())
            ))
        );
        let en = render(
            &reply,
            &to(Lang::En, RecipientRole::SupportAgent),
            &names,
            "https://k.example",
            90,
        );
        assert_eq!(
            en.subject,
            "New reply in the support case about agreement 110000000011"
        );
        assert_eq!(en.link.unwrap().0, "Open the case and reply");
    }

    /// #20: a question handed to support is a new case for the support
    /// agents, with or without an agreement, and a reply in a case about
    /// no agreement names none.
    #[test]
    fn a_new_question_case_and_its_replies_read_as_such() {
        let case = |agreement: Option<&str>, opened: bool| OutboxMessage::CaseReply {
            event_id: Uuid::nil(),
            recipients: vec![],
            case: Uuid::nil(),
            agreement: agreement.map(|n| AgreementNumber::parse(n).unwrap()),
            opened,
            author: "Carla Nutzer".into(),
            body: "Wer darf den Partner ändern?".into(),
        };
        let names = Names::default();
        let support = to(Lang::En, RecipientRole::SupportAgent);
        let about = render(
            &case(Some("110000000002"), true),
            &support,
            &names,
            "https://k.example",
            90,
        );
        assert_eq!(
            about.subject,
            "New support case about agreement 110000000002"
        );
        assert_eq!(
            about.lines,
            [
                "Carla Nutzer opened a support case:",
                "Wer darf den Partner ändern?"
            ]
        );
        let general = render(
            &case(None, true),
            &to(Lang::De, RecipientRole::SupportAgent),
            &names,
            "https://k.example",
            90,
        );
        assert_eq!(general.subject, "Neuer Supportfall");
        assert_eq!(
            general.lines[0],
            "Carla Nutzer hat einen Supportfall eröffnet:"
        );
        let reply = render(
            &case(None, false),
            &to(Lang::De, RecipientRole::AccountAdmin),
            &names,
            "https://k.example",
            90,
        );
        assert_eq!(reply.subject, "Neue Antwort in Ihrem Supportfall");
    }

    /// #18: a mail names the account and the partners by name (with the
    /// number after it), and "replaced partner" agrees with their count.
    #[test]
    fn mails_name_the_account_and_partners() {
        let csn = |s: &str| Csn::parse(s).unwrap();
        let names = Names {
            by_csn: [
                (csn("7000000001"), "Muster Bau AG".to_owned()),
                (csn("5100000001"), "CAD Partner GmbH".to_owned()),
                (csn("5100000002"), "BIM Solutions AG".to_owned()),
            ]
            .into(),
        };
        let n = render(
            &message(ChangeEvent::Submitted, vec![]),
            &to(Lang::De, RecipientRole::NewPartner),
            &names,
            "https://k.example",
            90,
        );
        assert!(
            n.lines[0].contains("Muster Bau AG (7000000001)"),
            "{}",
            n.lines[0]
        );
        let facts: Vec<(&str, &str)> = n
            .facts
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert!(
            facts.contains(&("Neuer Partner", "BIM Solutions AG (5100000002)")),
            "{facts:?}"
        );
        assert!(
            facts.contains(&("Bisheriger Partner", "CAD Partner GmbH (5100000001)")),
            "{facts:?}"
        );
        // A partner the directory no longer knows reads as its number.
        let n = render(
            &message(ChangeEvent::Submitted, vec![]),
            &to(Lang::En, RecipientRole::AccountAdmin),
            &Names::default(),
            "https://k.example",
            90,
        );
        assert!(
            n.facts
                .iter()
                .any(|(k, v)| k == "Replaced partner" && v == "5100000001")
        );
    }

    /// A link's expiry reads in the recipient's zone and language.
    #[test]
    fn a_link_expires_in_the_recipient_s_time() {
        let message = OutboxMessage::PasswordReset {
            event_id: Uuid::nil(),
            recipients: vec![],
            link: "https://kontor.example/password-reset/x".into(),
            expires_at: time::macros::datetime!(2026-12-01 19:31 UTC),
        };
        let berlin = kontor_core::domain::zone::Zone::parse("Europe/Berlin").unwrap();
        let de = Recipient {
            time_zone: berlin,
            ..to(Lang::De, RecipientRole::Person)
        };
        let n = render(
            &message,
            &de,
            &Names::default(),
            "https://kontor.example",
            90,
        );
        assert!(
            n.lines
                .contains(&"Der Link gilt bis 1. Dezember 2026, 20:31 Uhr.".to_owned()),
            "{:?}",
            n.lines
        );
        let en = Recipient {
            time_zone: kontor_core::domain::zone::Zone::parse("America/New_York").unwrap(),
            ..to(Lang::En, RecipientRole::Person)
        };
        let n = render(
            &message,
            &en,
            &Names::default(),
            "https://kontor.example",
            90,
        );
        assert!(
            n.lines
                .contains(&"The link works until 1 December 2026, 2:31 pm.".to_owned()),
            "{:?}",
            n.lines
        );
    }

    #[test]
    fn each_event_and_role_reads_in_the_recipients_language() {
        for event in ChangeEvent::ALL {
            // An escalation asks the new partner and support, not the
            // partners being replaced.
            let third = match event {
                ChangeEvent::Escalated | ChangeEvent::Disputed => RecipientRole::SupportAgent,
                _ => RecipientRole::OldPartner,
            };
            for role in [
                RecipientRole::AccountAdmin,
                RecipientRole::NewPartner,
                third,
            ] {
                for lang in [Lang::De, Lang::En] {
                    let n = render(
                        &message(*event, vec![]),
                        &to(lang, role),
                        &Names::default(),
                        "https://k.example/",
                        90,
                    );
                    assert!(
                        n.subject.contains("110000000001"),
                        "{event:?} {role:?} {lang:?}: {}",
                        n.subject
                    );
                    assert!(
                        !n.lines[0].starts_with("mail-") && n.lines[0].contains("110000000001"),
                        "{}",
                        n.lines[0]
                    );
                    let text = NoticeText { n: &n }.render().unwrap();
                    assert!(text.contains("5100000002") && !text.contains('\u{2068}'));
                }
            }
        }
        let de = render(
            &message(ChangeEvent::Applied, vec![]),
            &to(Lang::De, RecipientRole::AccountAdmin),
            &Names::default(),
            "https://k.example/",
            90,
        );
        assert_eq!(de.subject, "Partner für Vertrag 110000000001 geändert");
        assert_eq!(
            de.link.unwrap().1,
            "https://k.example/agreements/110000000001"
        );
        let en = render(
            &message(ChangeEvent::Applied, vec![]),
            &to(Lang::En, RecipientRole::NewPartner),
            &Names::default(),
            "https://k.example",
            90,
        );
        assert_eq!(en.subject, "Partner changed for agreement 110000000001");
        assert!(en.lines[0].starts_with("You are now the partner of record"));
    }

    #[test]
    fn rejections_list_their_reasons_and_html_is_escaped() {
        let m = message(ChangeEvent::Rejected, vec![ReasonCode::ExpiresSoon]);
        let n = render(
            &m,
            &to(Lang::En, RecipientRole::AccountAdmin),
            &Names::default(),
            "https://k.example",
            90,
        );
        assert_eq!(n.reasons.len(), 1);
        assert!(n.reasons[0].contains("90 days"));
        let mut hostile = n.clone();
        hostile.lines = vec!["<script>alert(1)</script>".into()];
        let html = NoticeHtml {
            n: &hostile,
            lang: "en",
        }
        .render()
        .unwrap();
        assert!(
            !html.contains("<script>") && html.contains("alert(1)"),
            "{html}"
        );
    }

    #[test]
    fn mails_carry_both_parts_and_a_stable_message_id() {
        let from: Mailbox = "kontor <kontor@vendor.example>".parse().unwrap();
        let r = to(Lang::De, RecipientRole::AccountAdmin);
        let n = render(
            &message(ChangeEvent::Submitted, vec![]),
            &r,
            &Names::default(),
            "https://k.example",
            90,
        );
        let id = Uuid::now_v7();
        let raw = String::from_utf8(build(&from, id, &r, &n).unwrap().formatted()).unwrap();
        assert!(
            raw.contains(&format!("Message-ID: <{id}@vendor.example>")),
            "{raw}"
        );
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
        assert!(
            raw.contains("<html lang=3D\"de\">") || raw.contains("<html lang=\"de\">"),
            "{raw}"
        );
    }
}
