//! Translations (Fluent files in `locales/`, compiled into the binary).

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};
use kontor_core::domain::roles::Lang;
use kontor_core::domain::zone::Zone;
use unic_langid::langid;

mod audit;
pub use audit::FieldChange;
mod dates;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Fluent wraps arguments in invisible isolation marks by default;
        // they would end up in HTML and mails.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static DE: LanguageIdentifier = langid!("de");
static EN: LanguageIdentifier = langid!("en");

/// Messages in one language, times in one zone.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
    /// The zone times are given in.
    pub zone: Zone,
}

impl Tr {
    /// Messages in `lang`, times in UTC (for visitors kontor knows no
    /// zone of).
    pub fn new(lang: Lang) -> Tr {
        Tr {
            lang,
            zone: Zone::UTC,
        }
    }

    /// The same messages with times in `zone`.
    pub fn in_zone(self, zone: Zone) -> Tr {
        Tr { zone, ..self }
    }

    fn id(&self) -> &'static LanguageIdentifier {
        match self.lang {
            Lang::De => &DE,
            Lang::En => &EN,
        }
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    /// The label of a code (a program, an event type, a delivery's status):
    /// the message `{kind}-{code}` (dots read as dashes, which Fluent
    /// names cannot hold); for a code kontor has no words for — a
    /// program an import brought — the code with spaces for underscores.
    pub fn label(&self, kind: &str, code: &str) -> String {
        let key = format!("{kind}-{}", code.replace('.', "-"));
        LOCALES
            .try_lookup(self.id(), &key)
            .unwrap_or_else(|| code.replace('_', " "))
    }

    /// Who did something, as the audit stored it: a person as "email
    /// (role)" with the role in words, a background process ("worker",
    /// "import") by what it is.
    pub fn actor(&self, stored: &str) -> String {
        if let Some((email, role)) = stored.strip_suffix(')').and_then(|s| s.rsplit_once(" ("))
            && kontor_core::domain::roles::Role::parse(role).is_some()
        {
            return format!("{email} ({})", self.t(&format!("role-{role}")));
        }
        match LOCALES.try_lookup(self.id(), &format!("actor-{stored}")) {
            Some(label) => label,
            None => stored.to_owned(),
        }
    }

    /// A field's message in this language (`error-<code>`).
    pub fn field_message(&self, e: &kontor_core::error::FieldError) -> String {
        self.tw(&format!("error-{}", e.code), &e.args)
    }

    /// The message `key` with arguments given as text (as the domain gives
    /// them); a `count` or `minutes` is a number, for plural forms.
    pub fn tw(&self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: Vec<(&'static str, FluentValue<'static>)> = args
            .iter()
            .map(|(k, v)| {
                let value = match *k {
                    "count" | "minutes" => FluentValue::try_number(v).into_owned(),
                    _ => FluentValue::from(v.clone()),
                };
                (*k, value)
            })
            .collect();
        self.ta(key, &args)
    }

    /// The message `key` with arguments.
    pub fn ta(&self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect();
        LOCALES.lookup_with_args(self.id(), key, &map)
    }

    /// The message `key` with one text argument.
    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        self.ta(key, &[(name, FluentValue::from(value.to_owned()))])
    }

    /// The message `key` with one number argument.
    pub fn tn(&self, key: &str, name: &'static str, value: i64) -> String {
        self.ta(key, &[(name, FluentValue::from(value))])
    }

    /// A span of time as a phrase: "60 Minuten", "1 Stunde", "24 hours"
    /// (whole hours as hours, else minutes).
    pub fn duration(&self, minutes: i64) -> String {
        if minutes >= 60 && minutes % 60 == 0 {
            self.tn("duration-hours", "count", minutes / 60)
        } else {
            self.tn("duration-minutes", "count", minutes)
        }
    }

    /// The language code, for `<html lang>`.
    pub fn code(&self) -> &'static str {
        self.lang.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of the English file exists in the German one and vice versa.
    #[test]
    fn both_languages_have_every_message() {
        let keys = |text: &str| -> Vec<String> {
            let mut k: Vec<String> = text
                .lines()
                .filter(|l| !l.starts_with([' ', '#', '*', '[']) && l.contains(" ="))
                .map(|l| l.split(" =").next().unwrap_or("").trim().to_owned())
                .collect();
            k.sort();
            k
        };
        let en_text = include_str!("../../locales/en/main.ftl");
        let en = keys(en_text);
        let de = keys(include_str!("../../locales/de/main.ftl"));
        assert_eq!(en, de);
        // Messages with arguments are checked where they are used.
        let with_args: Vec<&str> = en_text
            .lines()
            .filter(|l| l.contains('$') && l.contains(" ="))
            .filter_map(|l| l.split(" =").next())
            .collect();
        for key in en.iter().filter(|k| !with_args.contains(&k.as_str())) {
            let de = Tr::new(Lang::De).t(key);
            assert!(
                !de.is_empty() && !de.contains("Unknown localization"),
                "{key}"
            );
        }
    }

    #[test]
    fn every_audit_action_has_a_label() {
        for lang in [Lang::De, Lang::En] {
            for a in kontor_core::domain::audit::AuditAction::ALL {
                let label = Tr::new(lang).t(&format!("audit-{}", a.as_str()));
                assert!(
                    !label.starts_with("audit-")
                        && !label.is_empty()
                        && !label.contains("Unknown localization"),
                    "{a:?} {lang:?}: {label}"
                );
            }
        }
    }

    /// Every role has words in each language's own file (the loader's
    /// English fallback would hide a missing German one).
    #[test]
    fn every_role_has_a_label_in_each_language() {
        for text in [
            include_str!("../../locales/de/main.ftl"),
            include_str!("../../locales/en/main.ftl"),
        ] {
            for role in kontor_core::domain::roles::Role::ALL {
                let key = format!("\nrole-{} = ", role.as_str());
                assert!(text.contains(&key), "{key}");
            }
        }
    }

    /// The audit's "who" reads in words: the role of a person, what a
    /// background process is; anything else as stored.
    #[test]
    fn actors_read_in_words() {
        let (de, en) = (Tr::new(Lang::De), Tr::new(Lang::En));
        assert_eq!(
            de.actor("anna@muster.example (primary_admin)"),
            "anna@muster.example (Hauptadministrator)"
        );
        assert_eq!(
            en.actor("sam@vendor.example (support_agent)"),
            "sam@vendor.example (Support agent)"
        );
        assert_eq!(de.actor("worker"), "kontor (Hintergrunddienst)");
        assert_eq!(en.actor("import"), "kontor (import)");
        // Not a role in brackets, not a known process: left alone.
        assert_eq!(de.actor("x (not_a_role)"), "x (not_a_role)");
        assert_eq!(de.actor("someone"), "someone");
    }

    #[test]
    fn the_seed_wording_is_used_in_german() {
        let de = Tr::new(Lang::De);
        assert_eq!(de.t("nav-billing"), "Rechnungen und Bestellungen");
        assert_eq!(de.t("nav-agreements"), "Abonnements und Verträge");
        assert_eq!(de.t("actions"), "Aktionen");
        assert_eq!(
            de.t("action-update-partner"),
            "Fachhändlerdaten aktualisieren"
        );
        assert_eq!(de.t("wizard-search"), "Suchen");
        assert_eq!(de.t("wizard-continue"), "Weiter");
        assert_eq!(de.t("wizard-submit"), "Senden");
        assert_eq!(de.t("wizard-done"), "Fertig");
    }

    #[test]
    fn arguments_are_inserted_without_isolation_marks() {
        let en = Tr::new(Lang::En);
        assert_eq!(en.tn("days-left", "days", 1), "1 day left");
        assert_eq!(en.tn("days-left", "days", 91), "91 days left");
        assert!(!en.t1("signed-in-as", "name", "Anna").contains('\u{2068}'));
    }

    /// #18: counts read as German and English do — no "1 Tagen", no
    /// "noch 0 Tage", one partner is not "die Partner".
    #[test]
    fn counts_take_the_right_form_in_both_languages() {
        let (de, en) = (Tr::new(Lang::De), Tr::new(Lang::En));
        for (tr, days, left) in [
            (de, 0, "endet heute"),
            (de, 1, "noch 1 Tag"),
            (de, 2, "noch 2 Tage"),
            (en, 0, "ends today"),
            (en, 1, "1 day left"),
        ] {
            assert_eq!(tr.tn("days-left", "days", days), left);
        }
        for (tr, days, ended) in [
            (de, 1, "seit gestern abgelaufen"),
            (de, 5, "seit 5 Tagen abgelaufen"),
            (en, 1, "ended yesterday"),
            (en, 5, "ended 5 days ago"),
        ] {
            assert_eq!(tr.tn("days-expired", "days", days), ended);
        }
        for (tr, n, label) in [
            (de, 1, "Aktueller Partner"),
            (de, 2, "Aktuelle Partner"),
            (en, 1, "Current partner"),
            (en, 2, "Current partners"),
        ] {
            assert_eq!(tr.tn("wizard-current", "count", n), label);
        }
        let pending = |tr: Tr, replaced: i64| {
            tr.ta(
                "pending-text",
                &[
                    ("partner", "BIM Solutions".into()),
                    ("replaced", replaced.into()),
                    ("when", "morgen".into()),
                ],
            )
        };
        assert!(pending(de, 1).starts_with("BIM Solutions ersetzt den bisherigen Partner."));
        assert!(pending(de, 2).starts_with("BIM Solutions ersetzt die bisherigen 2 Partner."));
        assert!(pending(en, 1).starts_with("BIM Solutions will replace the current partner."));
    }

    /// #18: every code a page shows has words in both languages; only
    /// programs an import brings may fall back to their code.
    #[test]
    fn every_shown_code_has_a_label() {
        use kontor_core::domain::delivery::{DeliveryStatus, WEBHOOK_EVENT_TYPES};
        for lang in [Lang::De, Lang::En] {
            let mut codes: Vec<(&str, &str)> =
                WEBHOOK_EVENT_TYPES.iter().map(|t| ("event", *t)).collect();
            codes.extend(
                DeliveryStatus::ALL
                    .iter()
                    .map(|s| ("dl-status", s.as_str())),
            );
            codes.extend(
                [
                    "partner_change_emails",
                    "webhook_endpoint_disabled",
                    "invitation",
                    "password_reset",
                ]
                .map(|k| ("message-kind", k)),
            );
            codes.extend(["standard", "eba_token_flex"].map(|p| ("program", p)));
            // Looked up in the language's own file, not judged by its
            // looks ("pending" would pass as its own fallback) nor through
            // the loader (which falls back to English).
            let ftl = match lang {
                Lang::De => include_str!("../../locales/de/main.ftl"),
                Lang::En => include_str!("../../locales/en/main.ftl"),
            };
            for (kind, code) in codes {
                let key = format!("{kind}-{} =", code.replace('.', "-"));
                assert!(
                    ftl.lines().any(|l| l.starts_with(&key)),
                    "{lang:?} has no {key}"
                );
            }
        }
        assert_eq!(Tr::new(Lang::De).label("program", "edu_site"), "edu site");
    }

    /// Every code a use case or the API gives a field message or a
    /// problem's detail has words in both languages (#18): a missing one
    /// would show its key on a page or in a problem document. Found in the
    /// sources: the codes of `FieldError::coded` and of the import's
    /// `Expected::new` (`error-<code>`, #19), of `ApiError::new`
    /// (`problem-<code>`, dashes for underscores) and of
    /// `Text::new`/`Text::with` (`problem-<code>`).
    #[test]
    fn every_message_code_is_translated() {
        /// Literal arguments of each `call` (up to its first `)`) in the
        /// files under `dir`.
        fn walk(dir: &std::path::Path, call: &str, found: &mut Vec<Vec<String>>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, call, found);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for args in text.split(call).skip(1) {
                    let args = &args[..args.find(")").unwrap_or(args.len())];
                    found.push(
                        args.split('"')
                            .skip(1)
                            .step_by(2)
                            .map(str::to_owned)
                            .collect(),
                    );
                }
            }
        }
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let calls = |call: &str| {
            let mut found = Vec::new();
            walk(&here.join("../kontor-core/src"), call, &mut found);
            walk(&here.join("src"), call, &mut found);
            found
        };
        let code = |lit: &str, sep: char| {
            lit.contains(sep) && lit.chars().all(|c| c.is_ascii_lowercase() || c == sep)
        };
        // Spelled apart, so that this test does not find itself.
        let mut keys: Vec<String> = calls(concat!("FieldError::", "coded("))
            .into_iter()
            .chain(calls(concat!("Expected::", "new(")))
            .flatten()
            // Codes are kebab-case; field paths are not.
            .filter(|lit| code(lit, '-'))
            .map(|c| format!("error-{c}"))
            .collect();
        let fields = keys.len();
        // #19: the import's own codes are among them (a change in how the
        // import names its codes must not hide them from this test).
        let import_codes = keys
            .iter()
            .filter(|k| k.starts_with("error-import-"))
            .count();
        assert!(import_codes >= 25, "found {keys:?}");
        for shared in [
            "error-expected-date",
            "error-email-format",
            "error-missing-field",
        ] {
            assert!(keys.iter().any(|k| k == shared), "{shared} not found");
        }
        for args in calls(concat!("ApiError::", "new(")) {
            keys.extend(
                args.first()
                    .filter(|lit| code(lit, '_') || lit.chars().all(|c| c.is_ascii_lowercase()))
                    .map(|c| format!("problem-{}", c.replace('_', "-"))),
            );
        }
        let problems = keys.len() - fields;
        for call in [concat!("Text::", "new("), concat!("Text::", "with(")] {
            for args in calls(call) {
                keys.extend(args.first().map(|c| format!("problem-{c}")));
            }
        }
        let texts = keys.len() - fields - problems;
        assert!(
            fields >= 40 && problems >= 5 && texts >= 20,
            "found {keys:?}"
        );
        // Codes given outside those calls.
        use kontor_core::domain::ids::{AgreementNumber, ContractNumber, Csn, SubscriptionId};
        for c in [
            Csn::CODE,
            ContractNumber::CODE,
            SubscriptionId::CODE,
            AgreementNumber::CODE,
        ] {
            keys.push(format!("error-{c}"));
        }
        for p in kontor_core::domain::permissions::Permission::ALL {
            keys.push(format!("problem-{}", p.refusal().code));
        }
        keys.extend(
            [
                "error-partner-unknown",
                "error-partner-not-active",
                "error-partner-unchanged",
                "error-expected-one-of",
                "error-missing-field",
                "error-unknown-field",
                "error-invalid-value",
                "problem-invalid-field",
                "problem-invalid-fields",
                "problem-refused-too-large",
                "problem-method-not-allowed",
                "problem-refused-media-type",
                "problem-bad-request",
            ]
            .map(str::to_owned),
        );
        for (lang, ftl) in [
            ("de", include_str!("../../locales/de/main.ftl")),
            ("en", include_str!("../../locales/en/main.ftl")),
        ] {
            for key in &keys {
                assert!(
                    ftl.lines().any(|l| l.starts_with(&format!("{key} ="))),
                    "{lang} has no {key}"
                );
            }
        }
    }

    /// Problem details and field messages read as German does, with the
    /// arguments in place and counts in the right form (#18).
    #[test]
    fn problem_words_take_their_arguments_in_german() {
        let de = Tr::new(Lang::De);
        let words = |key: &str, args: &[(&'static str, &str)]| {
            let args: Vec<(&'static str, String)> =
                args.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
            de.tw(key, &args)
        };
        assert_eq!(
            words("problem-too-many-failed-signins", &[("minutes", "1")]),
            "Zu viele fehlgeschlagene Anmeldungen für dieses Konto oder von dieser Adresse; versuchen Sie es in einer Minute erneut."
        );
        assert!(
            words("problem-too-many-failed-signins", &[("minutes", "15")])
                .contains("in 15 Minuten erneut")
        );
        assert_eq!(
            words("problem-invalid-fields", &[("count", "1")]),
            "Ein Feld ist ungültig."
        );
        assert_eq!(
            words("problem-invalid-fields", &[("count", "3")]),
            "3 Felder sind ungültig."
        );
        assert_eq!(
            words("problem-not-found", &[("what", "partner_change")]),
            "Der Partnerwechsel wurde nicht gefunden."
        );
        assert_eq!(
            words(
                "problem-invalid-transition",
                &[("event", "withdraw"), ("status", "applied")]
            ),
            "Ein Partnerwechsel mit dem Status „Durchgeführt“ kann nicht zurückgezogen werden."
        );
        assert_eq!(
            words(
                "error-required-for-kind",
                &[("kind", "renewal"), ("field", "term_end")]
            ),
            "Für eine Verlängerung wird ein Datum im Format JJJJ-MM-TT benötigt."
        );
        assert_eq!(
            words("error-role-choice", &[]),
            "Wählen Sie Administrator oder Benutzer."
        );
        // A CSN with a leading zero stays text.
        assert!(words("error-partner-unchanged", &[("csn", "0100000001")]).contains("0100000001"));
    }
}
