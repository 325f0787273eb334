app-name = kontor
skip-to-content = Zum Inhalt springen
nav-billing = Rechnungen und Bestellungen
nav-agreements = Abonnements und Verträge
nav-changes = Partnerwechsel
nav-support-levels = Supportstufen
nav-signout = Abmelden
nav-main = Hauptnavigation
lang-switch = Sprache
signed-in-as = Angemeldet als { $name }

signin-title = Anmelden
signin-email = E-Mail
signin-password = Passwort
signin-submit = Anmelden
signin-failed = E-Mail oder Passwort ist nicht korrekt.
signed-out = Sie haben sich abgemeldet.
signin-welcome = Ihr Passwort ist gespeichert. Melden Sie sich jetzt mit Ihrer E-Mail-Adresse und dem neuen Passwort an.
signin-expired = Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an – danach geht es dort weiter, wo Sie waren.

agreements-title = Abonnements und Verträge
agreements-intro = Ihre Verträge. Ein Vertrag hat eine Vertragsnummer (12 Ziffern), ein Abonnement eine Abonnement-ID (14 Ziffern).
filter-kind = Art
filter-status = Status
filter-partner = Partner
filter-search = Suche
filter-any = Alle
filter-apply = Filtern
col-number = Nummer
col-kind = Art
col-status = Status
col-term-end = Laufzeitende
col-days-left = Tage übrig
col-auto-renew = Autom. Verlängerung
col-partners = Partner
col-support = Supportstufe
kind-contract = Vertrag
kind-subscription = Abonnement
number-contract = Vertragsnummer
number-subscription = Abonnement-ID
status-active = Aktiv
status-expired = Abgelaufen
status-canceled = Gekündigt
status-suspended = Ausgesetzt
support-standard = Standard
support-advanced = Advanced
support-premium = Premium
yes = Ja
no = Nein
next-page = Nächste Seite
no-agreements = Keine passenden Verträge.

agreement-title = { $kind } { $number }
section-products = Produkte
col-products = Produkte
filter-search-hint = Nummer, Produkt, Partner oder CSN
col-product = Produkt
col-seats = Plätze
section-term = Laufzeit
term-range = { $start } bis { $end }
days-left = { $days ->
    [0] endet heute
    [one] noch 1 Tag
   *[other] noch { $days } Tage
}
days-expired = { $days ->
    [one] seit gestern abgelaufen
   *[other] seit { $days } Tagen abgelaufen
}
program = Programm
section-partners = Aktuelle Partner
section-history = Partnerhistorie
col-partner = Partner
col-from = Von
col-to = Bis
col-source = Wie
history-current = aktuell
source-import = Import
source-self_service = Selbstbedienung
source-transaction = Transaktion
source-support = Support
download-csv = Als CSV herunterladen
section-pending = Partnerwechsel in Bearbeitung
pending-text = { $partner } ersetzt { $replaced ->
    [one] den bisherigen Partner
   *[other] die bisherigen { $replaced } Partner
}. Wirksam frühestens { $when }.
withdraw = Zurückziehen
withdrawn-flash = Der Partnerwechsel wurde zurückgezogen.
section-audit = Protokoll
col-when = Wann
col-who = Wer
col-what = Was
actions = Aktionen
action-update-partner = Fachhändlerdaten aktualisieren
action-not-available = Der Partner kann derzeit nicht geändert werden:
ask-admin = Nur ein Administrator Ihres Kontos kann den Partner ändern. Bitte wenden Sie sich an Ihren Administrator.
possible-from = Möglich ab { $date }.

wizard-title = Fachhändlerdaten aktualisieren
wizard-step = Schritt { $step } von 3
wizard-csn = Kontonummer (CSN) des neuen Partners
wizard-csn-hint = 10 Ziffern. Ihr neuer Partner nennt sie Ihnen.
wizard-search = Suchen
wizard-found = Gefundener Partner
wizard-continue = Weiter
wizard-cancel = Abbrechen
wizard-review = Prüfen und senden
wizard-current = { $count ->
    [one] Aktueller Partner
   *[other] Aktuelle Partner
}
wizard-new = Neuer Partner
wizard-replaces-all = Dieser Vertrag hat mehrere Partner. Sie werden alle durch den neuen Partner ersetzt. Wenn Sie nur einen davon ändern möchten, wenden Sie sich bitte an den Support.
wizard-submit = Senden
wizard-done-title = Anfrage eingegangen
wizard-done-text = Ihre Anfrage, den Partner von { $number } zu { $partner } zu wechseln, ist eingegangen. Es dauert mindestens { $minutes } Minuten, bis die Änderung in den Vertragsdetails angezeigt wird – frühestens { $when }. Bis dahin können Sie die Anfrage in den Vertragsdetails zurückziehen.
wizard-done = Fertig
partner-inactive = Dieser Partner ist nicht aktiv und kann nicht gewählt werden.
partner-unknown = Es gibt keinen Partner mit dieser CSN.
partner-unchanged = Dieser Partner ist bereits Ihr Partner.
csn-format = Geben Sie genau 10 Ziffern ein (Leerzeichen und Bindestriche werden ignoriert).

changes-title = Partnerwechsel
changes-tabs = Richtung der Partnerwechsel
changes-incoming = Eingehend
changes-outgoing = Ausgehend
changes-incoming-intro = Kunden, die Sie als neuen Partner gewählt haben.
changes-outgoing-intro = Kunden, die von Ihnen zu einem anderen Partner wechseln.
col-customer = Kunde
col-submitted = Beantragt
change-title = Partnerwechsel für Vertrag { $agreement }
change-answer-by = Antwort bis
change-takes-effect = Wird durchgeführt am
change-decided = Entschieden am
change-reasons = Warum der Wechsel nicht durchgeführt wurde
change-state-awaiting_partner = { $partner } muss den Wechsel bis zum { $when } annehmen; sonst verfällt er.
change-state-pending = Der Wechsel zu { $partner } wird am { $when } durchgeführt, wenn er bis dahin nicht zurückgezogen wird.
change-state-applied = Seit { $when } betreut { $partner } diesen Vertrag.
change-state-rejected = Der Wechsel wurde am { $when } nicht durchgeführt, weil er nicht mehr möglich war.
change-state-withdrawn = Der Wechsel wurde am { $when } zurückgezogen.
change-state-declined = { $partner } hat den Wechsel am { $when } abgelehnt.
change-state-expired = { $partner } hat nicht rechtzeitig geantwortet; der Wechsel ist am { $when } verfallen.
col-agreement = Vertrag
col-new-partner = Neuer Partner
col-old-partners = Ersetzt
col-expected = Erwartet / entschieden
request-pending = In Bearbeitung
request-applied = Durchgeführt
request-rejected = Abgelehnt
request-withdrawn = Zurückgezogen
request-awaiting_partner = Wartet auf Partner
request-declined = Abgelehnt vom Partner
request-expired = Verfallen
no-changes = Noch keine Partnerwechsel.

levels-title = Supportstufen
levels-own = Ihre Supportstufe: { $level }
levels-own-agreements = Ihre aktiven Verträge enthalten { $levels }. Für ein Anliegen zu einem Vertrag gilt dessen Stufe; hier steht die höchste.
levels-own-none-title = Ihre Supportstufe
levels-own-none = Sie haben zurzeit keinen aktiven Vertrag und damit keine Supportstufe. Fragen zu abgelaufenen Verträgen beantwortet der Support trotzdem.
levels-yours = Ihre Stufe
levels-reach = So erreichen Sie den Support
levels-reach-text = Fragen Sie den Assistenten: Er beantwortet vieles sofort und eröffnet sonst einen Supportfall mit Ihrer Frage. Im Fall sehen Sie, bis wann der Support antwortet, und lesen die Antworten. Geht es um einen bestimmten Vertrag, nennen Sie seine Nummer.
levels-reach-cases = Zu Ihren Supportfällen
list-and = { $first } und { $last }
levels-intro = Jeder Vertrag enthält eine Supportstufe. Das ist in jeder enthalten.
level-row-channels = Kanäle
level-row-hours = Zeiten
level-row-response = Erste Antwort
level-row-contact = Fester Ansprechpartner
level-standard-channels = Web und E-Mail
level-advanced-channels = Web, E-Mail und Telefon
level-premium-channels = Web, E-Mail, Telefon und Fernsitzungen
level-standard-hours = Geschäftszeiten
level-advanced-hours = Erweiterte Geschäftszeiten
level-premium-hours = Rund um die Uhr
level-standard-contact = Nein
level-advanced-contact = Nein
level-premium-contact = Ja

error-404-title = Nicht gefunden
error-404-text = Diese Seite gibt es nicht, oder Sie haben keinen Zugriff darauf.
error-403-title = Nicht erlaubt
error-403-text = Für diese Seite fehlt Ihnen die Berechtigung. Wenn Sie sie brauchen, wenden Sie sich an einen Administrator Ihres Kontos.
error-500-title = Etwas ist schiefgelaufen
error-500-text = Bei uns ist etwas schiefgelaufen. Es wurde protokolliert; bitte versuchen Sie es erneut.
error-400-title = Anfrage abgelehnt
error-400-text = Die Anfrage konnte nicht angenommen werden. Bitte gehen Sie zurück und versuchen Sie es erneut.
error-413-title = Datei oder Formular zu groß
error-413-text = Die gesendeten Daten sind größer, als kontor hier annimmt. Bitte teilen Sie eine Importdatei in kleinere Dateien auf oder wenden Sie sich an Ihren Betreiber.
error-408-title = Zeitüberschreitung
error-408-text = Die Anfrage hat zu lange gedauert und wurde abgebrochen; es wurde nichts gespeichert. Bitte versuchen Sie es erneut.
back-home = Zurück zu Ihren Verträgen

audit-change_requested = Partnerwechsel angefordert
audit-change_withdrawn = Partnerwechsel zurückgezogen
audit-change_applied = Partnerwechsel durchgeführt
audit-change_rejected = Partnerwechsel abgelehnt
audit-partner_assignment_changed = Partner geändert
audit-transaction_recorded = Transaktion erfasst
audit-user_created = Benutzer angelegt
audit-role_changed = Rolle geändert
audit-token_issued = API-Token ausgestellt
audit-import_applied = Daten importiert
audit-policy_changed = Richtlinie geändert
audit-partner_saved = Partnerverzeichnis geändert
nav-backoffice = Backoffice
bo-partners-title = Partnerverzeichnis
bo-new-partner = Neuer Partner
bo-name = Name
bo-city = Ort
bo-country = Land
bo-email = E-Mail für Benachrichtigungen
bo-save = Speichern
bo-saved = Partner { $csn } gespeichert.
partner-status-active = Aktiv
partner-status-inactive = Inaktiv
bo-import-title = Import
bo-import-intro = Laden Sie eine Datei im Importformat hoch: JSON mit allen Sammlungen oder eine CSV-Datei einer Sammlung, nach ihr benannt (partners.csv, accounts.csv, users.csv, agreements.csv). Sie wird ganz oder gar nicht importiert; derselbe Import ein zweites Mal ändert nichts.
bo-import-file = Importdatei (JSON oder CSV)
bo-import-submit = Importieren
bo-import-done = Importiert: { $partners ->
    [one] ein Partner
   *[other] { $partners } Partner
}, { $accounts ->
    [one] ein Kundenkonto
   *[other] { $accounts } Kundenkonten
}, { $users ->
    [one] eine Person
   *[other] { $users } Personen
}, { $agreements ->
    [one] ein Vertrag oder Abonnement
   *[other] { $agreements } Verträge und Abonnements
}.
bo-import-more = { $n ->
    [one] … und ein weiterer Fehler.
   *[other] … und { $n } weitere Fehler.
}
bo-import-failed = Es wurde nichts importiert. Korrigieren Sie diese Datensätze und laden Sie die Datei erneut hoch:
bo-import-where = Wo
bo-import-problem = Was
bo-import-at-line = Zeile { $line }
bo-import-at-record = Datensatz { $n } in { $collection }
bo-import-at-position = Zeile { $line }, Zeichen { $column }
bo-import-at-file = Oberste Ebene der Datei
bo-import-column = Spalte
bo-import-field = Feld
bo-import-key = Schlüssel
bo-import-entry = , Eintrag { $n }
nav-people = Personen
people-title = Personen Ihres Kontos
people-intro = Administratoren sehen alle Verträge und können Partner ändern; Benutzer sehen nur die für sie ausgewählten Verträge.
people-role = Rolle
people-add-agreements = Weitere Verträge hinzufügen
people-add-agreements-hint = Vertrags- oder Abonnementnummern, durch Komma oder Zeilenumbruch getrennt.
people-add-agreements-more = Das Konto hat mehr Verträge, als hier zur Auswahl stehen.
people-sees = Verträge, die dieser Benutzer sieht
people-saved = Gespeichert für { $email }.
people-removed = Der Zugang von { $email } wurde entfernt. Sie können die Person später wieder einladen.
role-primary_admin = Hauptadministrator
role-secondary_admin = Administrator
actor-worker = kontor (Hintergrunddienst)
actor-import = kontor (Import)
actor-cli = kontor (Kommandozeile)
actor-delivery = kontor (Zustellung)
actor-demo = kontor (Demodaten)
role-partner_admin = Partner-Administrator
role-partner_agent = Partner-Mitarbeiter
role-support_agent = Support-Mitarbeiter
role-operator = Betreiber
role-user = Benutzer
audit-support_case_opened = Supportfall eröffnet
audit-support_case_resolved = Supportfall gelöst
nav-cases = Supportfälle
case-opened = Eröffnet
case-conversation = Verlauf
case-first-message = Nachricht beim Eröffnen
case-no-messages = Noch keine Nachrichten.
case-reply = Antworten
case-reply-label = Ihre Antwort
case-reply-send = Antwort senden
case-side-customer = Kunde
case-side-support = Support
case-state-open = Offen – der Support antwortet
case-state-waiting_for_you = Wartet auf Ihre Antwort
case-state-resolved = Gelöst
case-state-waiting_for_support = Wartet auf den Support
case-state-waiting_for_customer = Wartet auf den Kunden
cases-views = Ansicht der Supportfälle
cases-queue = Offene Fälle
cases-all = Alle Fälle
cases-queue-intro = Offene Fälle, die nächste Frist zuerst; überschrittene Fristen sind markiert.
error-reply-empty = Bitte schreiben Sie Ihre Antwort.
case-title = Nur einen von mehreren Partnern ändern
case-intro = Dieser Vertrag hat mehrere Partner. Ein Wechsel per Selbstbedienung ersetzt alle; um nur einen zu ersetzen, wenden Sie sich hier an den Support.
case-replace = Zu ersetzender Partner
case-message = Nachricht an den Support (optional)
case-submit = Supportfall eröffnen
case-open = Offen
case-resolved = Gelöst
case-resolve = Diesen Partner ersetzen
cases-title = Supportfälle
cases-none = Keine Supportfälle.
action-change-one = Nur einen von mehreren Partnern ändern
bo-accounts-title = Kundenkonten
bo-accounts-intro = Alle Kundenkonten; öffnen Sie eines, um seine Verträge, Personen und Supportfälle zu sehen.
bo-accounts-search-hint = Name oder Kundennummer (CSN)
bo-accounts-none = Kein Kundenkonto passt zu dieser Suche.
bo-account-all-agreements = Alle Verträge dieses Kontos
bo-account-audit = Protokoll dieses Kontos
bo-account-more-agreements = Weitere Verträge dieses Kontos anzeigen
bo-account-people = Personen
bo-account-no-people = Dieses Konto hat noch keine Personen.
bo-account-removed = Zugriff entfernt
agreements-of-account = Nur die Verträge von { $account }.
agreements-all-accounts = Alle Konten anzeigen
bo-audit-title = Protokollsuche
bo-account = Konto
bo-change = Vorher → nachher
people-add = Person hinzufügen
people-add-submit = Hinzufügen und Einladungslink erzeugen
people-invited = { $email } wurde hinzugefügt.
people-invite-link = Einladungslink
people-invite-link-text = Senden Sie diesen Link an die Person. Er funktioniert einmal innerhalb von 7 Tagen und lässt sie ein Passwort wählen. Er wird nur jetzt angezeigt.
people-remove = Zugang entfernen
people-no-access = Kein Zugang (entfernt)
invite-title = Passwort wählen
invite-text = Willkommen bei kontor. Wählen Sie ein Passwort mit mindestens 10 Zeichen, um Ihren Zugang einzurichten.
invite-submit = Passwort speichern

mail-subject-case-reply = Neue Antwort im Supportfall zu Vertrag { $agreement }
mail-case-reply = { $author } schreibt:
mail-subject-case-reply-general = Neue Antwort in Ihrem Supportfall
mail-subject-case-opened = Neuer Supportfall zu Vertrag { $agreement }
mail-subject-case-opened-general = Neuer Supportfall
mail-case-opened = { $author } hat einen Supportfall eröffnet:
mail-case-reply-link = Im Supportfall antworten
mail-case-reply-link-support = Fall öffnen und antworten
mail-greeting = Guten Tag,
mail-footer = Sie erhalten diese Nachricht von kontor, weil Sie das Kundenkonto verwalten oder als Partner von dem Wechsel betroffen sind.
mail-footer-case = Sie erhalten diese Nachricht von kontor, weil Sie an diesem Supportfall beteiligt sind.
mail-footer-operator = Sie erhalten diese Nachricht von kontor, weil Sie Betreiber sind.
mail-link = In kontor öffnen
mail-fact-agreement = Vertrag
mail-fact-account = Kundenkonto
mail-fact-new-partner = Neuer Partner
mail-fact-old-partners = { $n ->
    [one] Bisheriger Partner
   *[other] Bisherige Partner
}
mail-fact-request = Antrag
mail-fact-endpoint = Endpunkt
mail-subject-submitted = Partnerwechsel für Vertrag { $agreement } beantragt
mail-subject-withdrawn = Partnerwechsel für Vertrag { $agreement } zurückgezogen
mail-subject-applied = Partner für Vertrag { $agreement } geändert
mail-subject-rejected = Partnerwechsel für Vertrag { $agreement } nicht durchgeführt
mail-submitted-account_admin = Für den Vertrag { $agreement } wurde ein Partnerwechsel beantragt. Er wird nach der Bearbeitungszeit durchgeführt und kann bis dahin zurückgezogen werden.
mail-submitted-new_partner = Das Kundenkonto { $account } möchte, dass Sie Partner für den Vertrag { $agreement } werden.
mail-submitted-old_partner = Das Kundenkonto { $account } möchte den Vertrag { $agreement } zu einem anderen Partner verlegen.
mail-withdrawn = Der beantragte Partnerwechsel für den Vertrag { $agreement } wurde zurückgezogen. Es ändert sich nichts.
mail-applied-account_admin = Der Partner für den Vertrag { $agreement } wurde geändert.
mail-applied-new_partner = Sie sind jetzt Partner für den Vertrag { $agreement } des Kundenkontos { $account }.
mail-applied-old_partner = Sie sind nicht mehr Partner für den Vertrag { $agreement } des Kundenkontos { $account }.
mail-rejected = Der Partnerwechsel für den Vertrag { $agreement } konnte nicht durchgeführt werden:
mail-subject-endpoint-disabled = Webhook-Endpunkt deaktiviert: { $url }
mail-endpoint-disabled = kontor hat den Webhook-Endpunkt { $url } deaktiviert: { $reason }. Seine Ereignisse bleiben erhalten und werden gesendet, sobald ein Betreiber ihn wieder aktiviert.
wh-title = Webhooks
wh-intro = kontor sendet jeden Partnerwechsel per POST an diese Endpunkte, signiert nach Standard Webhooks, und wiederholt fehlgeschlagene Zustellungen etwa drei Tage lang.
wh-events = Ereignisse
wh-all-events = alle Ereignisse
wh-all-events-hint = keines gewählt: alle
wh-state-healthy = Aktiv
wh-done-enabled = Der Endpunkt ist wieder aktiv; seine wartenden Ereignisse werden jetzt gesendet.
wh-done-disabled = Der Endpunkt ist deaktiviert. Seine Ereignisse bleiben erhalten, bis Sie ihn wieder aktivieren.
wh-done-deleted = Der Endpunkt wurde gelöscht.
wh-state-failing = Aktiv, Fehler seit { $since }
wh-state-disabled = Deaktiviert: { $reason }
wh-enable = Aktivieren
wh-disable = Deaktivieren
wh-rotate = Neuer Schlüssel
wh-delete = Entfernen
wh-new = Endpunkt hinzufügen
wh-description = Beschreibung
wh-add = Hinzufügen
wh-secret-once = Signaturschlüssel für { $url } – kopieren Sie ihn jetzt, er wird nur einmal angezeigt. Nach einem Wechsel signiert der bisherige noch einen Tag lang mit:
dl-title = Zustellungen
dl-intro = E-Mails und Webhooks, die endgültig fehlgeschlagen sind, auf den nächsten Versuch warten oder zugestellt wurden.
dl-created = Eingereiht
dl-kind = Nachricht
dl-target = Empfänger oder Endpunkt
dl-attempts = Versuche
dl-next = Nächster Versuch
dl-error = Letzter Fehler
dl-resend = Erneut senden
dl-resent = Erneut eingereiht; wird in Sekunden gesendet.
dl-count-dead = { $count ->
    [0] Aufgegeben: keine
   *[other] Aufgegeben: { $count }
}
dl-count-pending = { $count ->
    [0] Ausstehend: keine
   *[other] Ausstehend: { $count }
}
dl-count-delivered = Zugestellt
dl-none-dead = Keine aufgegebene Zustellung: Alles ist angekommen oder wird noch versucht.
dl-none-pending = Nichts wartet auf einen Versuch.
dl-none-delivered = Noch nichts zugestellt.
dl-endpoint-deleted = (gelöschter Endpunkt)
audit-webhook_endpoint_saved = Webhook-Endpunkt gespeichert
audit-webhook_endpoint_deleted = Webhook-Endpunkt entfernt
audit-webhook_endpoint_disabled = Webhook-Endpunkt deaktiviert
audit-delivery_resent = Zustellung erneut gesendet
audit-password_reset = Passwort zurückgesetzt
audit-profile_changed = Eigene Angaben geändert
audit-password_changed = Passwort geändert
audit-sessions_ended = Andere Sitzungen abgemeldet
audit-notifications_changed = Benachrichtigungen geändert
audit-support_case_replied = Antwort im Supportfall
mail-greeting-name = Guten Tag { $name },
mail-footer-person = Sie erhalten diese Nachricht von kontor, weil sie für Ihr Konto angefordert wurde. Wenn Sie sie nicht erwartet haben, können Sie sie ignorieren.
mail-subject-invitation = Ihre Einladung zu kontor
mail-invitation = Sie haben Zugang zu den Verträgen Ihres Unternehmens in kontor erhalten. Legen Sie Ihr Passwort über den folgenden Link fest; er funktioniert einmal.
mail-invitation-link = Passwort festlegen
mail-subject-password-reset = kontor-Passwort zurücksetzen
mail-password-reset = Jemand (hoffentlich Sie) hat angefordert, das Passwort Ihres kontor-Kontos zurückzusetzen. Legen Sie über den folgenden Link ein neues fest; er funktioniert einmal und meldet Sie überall ab. Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.
mail-password-reset-link = Neues Passwort festlegen
mail-subject-password-changed = Ihr kontor-Passwort wurde geändert
mail-password-changed = Das Passwort Ihres kontor-Kontos wurde am { $at } in Ihren Einstellungen geändert. Ihre anderen Sitzungen wurden abgemeldet.
mail-password-changed-not-you = Waren Sie das nicht? Setzen Sie Ihr Passwort sofort über den folgenden Link zurück und informieren Sie den Administrator Ihres Kontos.
mail-password-changed-link = Passwort zurücksetzen
mail-footer-security = Dies ist eine Sicherheitsmitteilung zu Ihrem kontor-Konto; sie lässt sich nicht abbestellen.
mail-link-expires = Der Link gilt bis { $at }.
reset-forgot = Passwort vergessen?
reset-title = Passwort zurücksetzen
reset-text = Geben Sie die E-Mail-Adresse ein, mit der Sie sich anmelden. Wir senden Ihnen einen Link, mit dem Sie ein neues Passwort festlegen; er funktioniert einmal, 60 Minuten lang.
reset-send = Link senden
reset-sent = Wenn { $email } ein Konto hat, ist ein Link zum Festlegen eines neuen Passworts unterwegs. Er funktioniert einmal, 60 Minuten lang.
reset-bad-email = Geben Sie eine E-Mail-Adresse wie anna@example.com ein.
reset-new-text = Wählen Sie ein neues Passwort mit mindestens 10 Zeichen. Beim Speichern werden Sie überall abgemeldet.
reset-save = Neues Passwort speichern
reset-expired = Dieser Link funktioniert nicht mehr: Er wurde schon benutzt, oder es sind mehr als 60 Minuten vergangen. Fordern Sie einen neuen an.
reset-done = Ihr neues Passwort ist gespeichert. Bitte melden Sie sich an.
mail-subject-awaiting_partner = Partnerwechsel für Vertrag { $agreement } wartet auf den neuen Partner
mail-subject-accepted = Partnerwechsel für Vertrag { $agreement } angenommen
mail-subject-declined = Partnerwechsel für Vertrag { $agreement } abgelehnt
mail-subject-expired = Partnerwechsel für Vertrag { $agreement } abgelaufen
mail-awaiting_partner-account_admin = Für den Vertrag { $agreement } wurde ein Partnerwechsel beantragt. Der neue Partner muss ihn zuerst annehmen; Sie erhalten Bescheid, sobald er antwortet.
mail-awaiting_partner-new_partner = Das Kundenkonto { $account } möchte, dass Sie Partner für den Vertrag { $agreement } werden. Bitte nehmen Sie den Wechsel in kontor unter Partnerwechsel an oder lehnen Sie ihn ab.
mail-awaiting_partner-old_partner = Das Kundenkonto { $account } möchte den Vertrag { $agreement } zu einem anderen Partner verlegen, der noch zustimmen muss.
mail-accepted = Der neue Partner hat den Wechsel für den Vertrag { $agreement } angenommen. Er wird nach der Bearbeitungszeit durchgeführt.
mail-declined = Der neue Partner hat den Wechsel für den Vertrag { $agreement } abgelehnt. Es ändert sich nichts.
mail-expired = Der neue Partner hat für den Vertrag { $agreement } nicht rechtzeitig geantwortet. Es ändert sich nichts; der Wechsel kann erneut beantragt werden.
audit-change_accepted = Wechsel vom neuen Partner angenommen
audit-change_declined = Wechsel vom neuen Partner abgelehnt
audit-change_expired = Wechsel ohne Antwort abgelaufen
changes-accept = Annehmen
changes-decline = Ablehnen
changes-accepted = Angenommen: Der Wechsel wird nach der Bearbeitungszeit durchgeführt.
changes-declined = Abgelehnt: Es ändert sich nichts.
signin-throttled = Zu viele fehlgeschlagene Anmeldungen für dieses Konto oder von dieser Adresse. Versuchen Sie es in { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} erneut.
audit-token_revoked = API-Token widerrufen
audit-access_revoked = Überall abgemeldet (Tokens und Sitzungen)
audit-access_removed = Zugang entfernt
audit-invitation_accepted = Einladung angenommen, Passwort gewählt

cancel = Abbrechen
withdraw-confirm = Partnerwechsel zurückziehen?
withdraw-confirm-text = Der Wechsel für Vertrag { $agreement } wird nicht ausgeführt; der bisherige Partner bleibt. Sie können danach einen neuen Wechsel anfordern.
changes-accept-confirm = Partnerwechsel annehmen?
changes-accept-confirm-text = Mit Ihrer Zusage beginnt die Bearbeitungszeit für Vertrag { $agreement }; danach betreuen Sie den Kunden für diesen Vertrag.
changes-decline-confirm = Partnerwechsel ablehnen?
changes-decline-confirm-text = Der Wechsel für Vertrag { $agreement } wird nicht ausgeführt, und der Kunde erfährt, dass Sie abgelehnt haben.
people-remove-confirm = Zugang von { $email } entfernen?
people-remove-confirm-text = Die Person wird sofort überall abgemeldet, ihre API-Tokens werden widerrufen, und offene Einladungen verfallen. Sie können sie später wieder einladen.
wh-disable-confirm = Endpunkt { $url } deaktivieren?
wh-disable-confirm-text = Zustellungen an ihn werden angehalten und gesammelt, bis Sie ihn wieder aktivieren.
wh-rotate-confirm = Neuen Signaturschlüssel für { $url } erzeugen?
wh-rotate-confirm-text = Der neue Schlüssel wird einmal angezeigt. Der bisherige signiert noch einen Tag lang mit, damit Sie den Empfänger umstellen können.
wh-delete-confirm = Endpunkt { $url } entfernen?
wh-delete-confirm-text = Der Endpunkt und das Protokoll seiner Zustellungen werden gelöscht; ausstehende Zustellungen an ihn entfallen. Das lässt sich nicht rückgängig machen.

# Labels of codes (Tr::label): programs, webhook event types, messages,
# delivery states.
program-standard = Standard
program-eba_token_flex = Enterprise Business Agreement mit Token Flex
event-partner_change-submitted = Partnerwechsel angefordert
event-partner_change-withdrawn = Partnerwechsel zurückgezogen
event-partner_change-applied = Partnerwechsel durchgeführt
event-partner_change-rejected = Partnerwechsel abgelehnt
event-partner_change-awaiting_partner = Wartet auf den neuen Partner
event-partner_change-accepted = Vom neuen Partner angenommen
event-partner_change-declined = Vom neuen Partner abgelehnt
event-partner_change-expired = Ohne Antwort abgelaufen
event-partner_change-renewal_named = Partner für die Verlängerung benannt
event-partner_change-renewal_withdrawn = Partner für die Verlängerung zurückgezogen
event-partner_change-renewal_applied = Partner mit der Verlängerung gewechselt
event-partner_change-renewal_rejected = Partner für die Verlängerung nicht übernommen
event-partner_change-renewal_lapsed = Partner für die Verlängerung verfallen
message-kind-partner_change_emails = Mitteilung zu einem Partnerwechsel
message-kind-webhook_endpoint_disabled = Webhook-Endpunkt deaktiviert
message-kind-invitation = Einladung
message-kind-password_reset = Passwort zurücksetzen
message-kind-password_changed = Passwort geändert
message-kind-case_reply = Antwort im Supportfall
dl-status-pending = Ausstehend
dl-status-delivered = Zugestellt
dl-status-dead = Aufgegeben
wizard-agreement = Vertrag oder Abonnement
wizard-product = { $name } ({ $seats ->
    [one] 1 Platz
   *[other] { $seats } Plätze
})
wizard-timing = Nach dem Senden dauert es mindestens { $minutes } Minuten, bis der neue Partner Ihr Partner ist. Bis dahin können Sie die Anfrage zurückziehen.
wizard-timing-acceptance = Der neue Partner muss den Wechsel innerhalb von { $days } Tagen annehmen; danach dauert es mindestens { $minutes } Minuten, bis er Ihr Partner ist. Bis dahin können Sie die Anfrage zurückziehen.
wizard-back = Zurück

reason-action-support = So erreichen Sie den Support
reason-action-pending = Zur laufenden Anfrage

# Field messages of the use cases (FieldError codes), #18.
error-partner-unknown = Es gibt keinen Partner mit der Kontonummer (CSN) { $csn }.
error-partner-not-active = Der Partner { $csn } ist nicht aktiv und kann nicht gewählt werden.
error-case-not-a-partner = Geben Sie die Kontonummer (CSN) eines der aktuellen Partner dieses Vertrags an.
error-case-already-partner = { $csn } ist bereits Partner dieses Vertrags.
error-csn-format = Eine Kontonummer (CSN) hat 10 Ziffern, zum Beispiel 5100-000001.
error-text-too-long = Höchstens { $max } Zeichen.
error-person-has-access = { $email } hat bereits Zugang zu kontor.
error-person-is-primary = Der Zugang des Hauptadministrators lässt sich hier nicht entfernen.
error-email-format = Geben Sie eine E-Mail-Adresse an, zum Beispiel anna@example.com.
error-name-length = Geben Sie einen Namen mit 1 bis 200 Zeichen an.
error-text-length = Geben Sie 1 bis { $max } Zeichen an.
error-country-format = Geben Sie den Ländercode nach ISO 3166-1 an, zum Beispiel DE.
error-partner-status = Wählen Sie aktiv oder inaktiv.
error-partner-exists = Es gibt bereits einen Partner mit der Kontonummer (CSN) { $csn }.
error-password-length = Das Passwort braucht mindestens { $min } Zeichen.
error-password-weak = Wählen Sie ein Passwort, das schwerer zu erraten ist: kein häufiges Passwort, kein einzelnes Wort, kein Name und kein Tastaturmuster. Mehrere zufällige Wörter ergeben ein starkes Passwort.
error-password-personal = Das Passwort darf Ihren Namen, Ihr Unternehmen oder Ihre E-Mail-Adresse nicht enthalten („{ $word }“).
error-password-too-long = Das Passwort darf höchstens { $max } Zeichen lang sein.
error-role-of-primary = Die Rolle des Hauptadministrators lässt sich hier nicht ändern.
error-agreements-of-admin = Administratoren sehen alle Verträge des Kontos; eine Auswahl gibt es nur für Benutzer.
error-agreement-not-in-account = Der Vertrag { $number } gehört nicht zu diesem Konto.
error-webhook-url-format = Geben Sie die Adresse des Endpunkts mit http:// oder https:// an, zum Beispiel https://hooks.example.com/kontor.
error-webhook-url-private = Adressen im eigenen oder in einem privaten Netz sind nicht erlaubt. Wer kontor betreibt, kann sie mit KONTOR_WEBHOOK_ALLOW_PRIVATE=true zulassen.
error-webhook-event-unknown = Dieses Ereignis gibt es nicht.
csv-agreement = Vertrag
csv-partner = Partner (CSN)
csv-partner_name = Partnername
csv-valid_from = Gültig ab
csv-valid_to = Gültig bis
csv-source = Wie
csv-seq = Nr.
csv-at = Zeitpunkt
csv-actor = Wer
csv-action = Was
csv-account = Konto
csv-request = Anfrage
csv-before = Vorher
csv-after = Nachher

## Dates and times (i18n/dates.rs)
date-format = { $day }. { $month } { $year }
time-format = { $hour }:{ $minute } Uhr
datetime-format = { $date }, { $time }
time-am = vorm.
time-pm = nachm.
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember
rel-moment = gleich
rel-just-now = gerade eben
rel-in-minutes = { $n ->
    [one] in einer Minute
   *[other] in { $n } Minuten
}
rel-ago-minutes = { $n ->
    [one] vor einer Minute
   *[other] vor { $n } Minuten
}
rel-in-hours = { $n ->
    [one] in etwa einer Stunde
   *[other] in etwa { $n } Stunden
}
rel-ago-hours = { $n ->
    [one] vor etwa einer Stunde
   *[other] vor etwa { $n } Stunden
}
rel-in-days = { $n ->
    [one] in einem Tag
   *[other] in { $n } Tagen
}
rel-ago-days = { $n ->
    [one] vor einem Tag
   *[other] vor { $n } Tagen
}

## API problems and field messages (web/error.rs)
## The API answers English callers with the English text the code
## carries; these English words are what pages and the scan test use.
problem-invalid-field = { $field }: { $message }
problem-invalid-fields = { $count ->
    [one] Ein Feld ist ungültig.
   *[other] { $count } Felder sind ungültig.
}
problem-unauthenticated = Senden Sie ein gültiges API-Token als `Authorization: Bearer <token>`.
problem-not-found = { $what ->
    [agreement] Der Vertrag
    [delivery] Die Zustellung
    [partner_change] Der Partnerwechsel
    [partner] Der Partner
    [person] Die Person
    [support_case] Der Supportfall
    [token] Das API-Token
    [user] Der Benutzer
    [webhook_endpoint] Der Webhook-Endpunkt
   *[other] Das Objekt
} wurde nicht gefunden.
problem-no-such-endpoint = Diesen Endpunkt gibt es nicht: { $path }
problem-internal = Auf unserer Seite ist ein Fehler aufgetreten; er wurde protokolliert.
problem-not-eligible = Der Partnerwechsel ist für diesen Vertrag nicht möglich; die Gründe stehen unter „reasons“.
problem-too-many-failed-signins = Zu viele fehlgeschlagene Anmeldungen für dieses Konto oder von dieser Adresse; versuchen Sie es in { $minutes ->
    [one] einer Minute
   *[other] { $minutes } Minuten
} erneut.
problem-body-too-large = Der Inhalt der Anfrage ist größer als { $setting } ({ $limit } Bytes); es wurde nichts ausgeführt.
problem-import-too-large = Der Import ist größer als max_import_bytes ({ $limit } Bytes); es wurde nichts importiert.
problem-refused-too-large = Der Inhalt der Anfrage ist zu groß; es wurde nichts ausgeführt.
problem-request-timeout = Die Anfrage hat zu lange gedauert und wurde abgebrochen; nichts davon wurde gespeichert.
problem-malformed-json = Der Inhalt ist kein gültiges JSON: { $reason }
problem-unsupported-media-type = Senden Sie den Inhalt als JSON mit `Content-Type: application/json`.
problem-refused-media-type = Dieser Inhaltstyp wird hier nicht angenommen ({ $reason }).
problem-method-not-allowed = Diese Methode ist hier nicht erlaubt; der Header Allow nennt die erlaubten.
problem-bad-request = Die Anfrage wurde abgelehnt ({ $reason }).
problem-idempotency-key-reused = Dieser Idempotency-Key wurde bereits für eine Anfrage mit anderem Inhalt verwendet.
problem-idempotency-key-in-flight = Eine Anfrage mit diesem Idempotency-Key wird noch bearbeitet; versuchen Sie es gleich noch einmal.
problem-invalid-import = { $count ->
    [one] Ein Feld ist ungültig
   *[other] { $count } Felder sind ungültig
}; es wurde nichts importiert.
problem-permission-read-audit = Nur Administratoren des Kontos und Mitarbeitende des Herstellers sehen das Protokoll.
problem-permission-use-back-office = Nur Mitarbeitende des Herstellers nutzen das Backoffice.
problem-permission-manage-partners = Nur Betreiber ändern das Partnerverzeichnis.
problem-permission-choose-consent = Nur Betreiber legen fest, wie Partner einem Wechsel zustimmen.
problem-permission-import-export = Nur Betreiber importieren und exportieren Daten.
problem-permission-operate-webhooks = Nur Betreiber verwalten Webhooks und Zustellungen.
problem-permission-resolve-support-cases = Nur Supportmitarbeitende lösen Supportfälle.
problem-permission-manage-account-people = Nur der Hauptadministrator verwaltet die Personen des Kontos.
problem-permission-revoke-anyones-access = Nur Betreiber beenden den Zugang anderer Personen.
problem-forbidden-record-transactions = Nur Partner und Betreiber erfassen Transaktionen.
problem-forbidden-case-reply = Im Supportfall antworten nur die Administratoren des Kontos, wer den Fall eröffnet hat, und der Support.
problem-forbidden-open-case = Nur ein Administrator des Kontos kann diesen Supportfall eröffnen.
problem-forbidden-withdraw = Nur ein Administrator des Kontos kann einen Partnerwechsel zurückziehen.
problem-forbidden-answer = Nur der neue Partner kann einen Partnerwechsel annehmen oder ablehnen.
problem-forbidden-change-partner = Nur ein Administrator { $who ->
    [this] dieses Kontos
   *[other] des Kontos
} kann den Partner ändern; bitte wenden Sie sich an Ihren Administrator.
problem-forbidden-manage-people = Nur der Hauptadministrator des Kontos verwaltet dessen Personen.
problem-change-pending = Für diesen Vertrag ist bereits ein Partnerwechsel in Bearbeitung.
problem-case-resolved = Der Supportfall ist bereits gelöst.
problem-partner-no-longer-of-record = Der zu ersetzende Partner ist nicht mehr Partner dieses Vertrags.
problem-request-decided = Über den Partnerwechsel wurde inzwischen entschieden; er kann nicht mehr zurückgezogen werden.
problem-request-answered = Der Partnerwechsel wurde inzwischen beantwortet oder zurückgezogen, oder er ist verfallen.
problem-invalid-transition = Ein Partnerwechsel mit dem Status „{ $status ->
    [pending] In Bearbeitung
    [applied] Durchgeführt
    [rejected] Abgelehnt
    [withdrawn] Zurückgezogen
    [awaiting_partner] Wartet auf Partner
    [declined] Abgelehnt vom Partner
    [expired] Verfallen
   *[other] { $status }
}“ kann nicht { $event ->
    [withdraw] zurückgezogen
    [accept] angenommen
    [decline] abgelehnt
    [apply] durchgeführt
    [reject] abgelehnt
    [timeout] beendet
   *[other] geändert
} werden.
problem-token-revoked = Dieses Token ist bereits widerrufen.
problem-delivery-delivered = Diese Zustellung ist bereits erfolgt; es gibt nichts erneut zu senden.
problem-conflict-on = { $what ->
    [email] Diese E-Mail-Adresse wird bereits verwendet.
    [primary_admin] Das Konto hat bereits einen Hauptadministrator.
    [open_request] Für diesen Vertrag ist bereits ein Partnerwechsel in Bearbeitung.
    [delivered] Diese Zustellung ist bereits erfolgt.
   *[other] Das widerspricht gespeicherten Daten ({ $what }).
}
error-expected-csn = Erwartet wird eine Kontonummer (CSN) mit genau 10 Ziffern.
error-expected-contract-number = Erwartet wird eine Vertragsnummer mit genau 12 Ziffern.
error-expected-subscription-id = Erwartet wird eine Abonnement-ID mit genau 14 Ziffern.
error-expected-agreement-number = Erwartet wird eine Vertragsnummer (12 Ziffern) oder eine Abonnement-ID (14 Ziffern).
error-expected-one-of = Erwartet wird einer dieser Werte: { $list }.
error-expected-uuid = Erwartet wird die ID { $what ->
    [request] eines Partnerwechsels
    [token] eines API-Tokens
    [support-case] eines Supportfalls
    [endpoint] eines Webhook-Endpunkts
    [delivery] einer Zustellung
    [transfer-code] eines Übertragungscodes
    [proposal] eines Vorschlags
    [dispute] eines Einspruchs
   *[other] eines Objekts
} (eine UUID).
error-expected-whole-number = Erwartet wird eine ganze Zahl von { $min } bis { $max }.
error-expected-cursor = Erwartet wird ein Cursor, wie ihn die vorige Seite geliefert hat.
error-expected-json-object = Erwartet wird ein JSON-Objekt.
error-expected-date = Erwartet wird ein Datum im Format JJJJ-MM-TT.
error-expected-text = Erwartet werden 1 bis { $max } Zeichen, nicht nur Leerzeichen.
error-expected-at-least = Erwartet wird mindestens { $min }.
error-expected-idempotency-key = Erwartet werden 1 bis 255 sichtbare ASCII-Zeichen.
error-expected-collection = Erwartet wird partners, accounts, users oder agreements (für einen Inhalt vom Typ text/csv).
error-expected-agreement-count = Erwartet werden 1 bis { $max } Vertragsnummern oder Abonnement-IDs.
error-expected-at-most-events = Erwartet werden höchstens { $max } Ereignisse.
error-missing-field = Dieses Feld fehlt.
error-unknown-field = Dieses Feld gibt es hier nicht.
error-invalid-value = Dieser Wert passt nicht ({ $reason }).
error-query-form = Erwartet wird der Parameter genau einmal und in seiner dokumentierten Form ({ $reason }).
error-required-for-kind = Für { $kind ->
    [renewal] eine Verlängerung
    [switch_term] einen Laufzeitwechsel
    [add_seats] zusätzliche Plätze
    [upgrade] ein Upgrade
   *[other] diese Transaktion
} wird { $field ->
    [term_end] ein Datum im Format JJJJ-MM-TT
    [product] eine Produktzeile (name, seats) mit mindestens einem Platz
    [replaces] der Name der ersetzten Produktzeile
   *[other] dieses Feld
} benötigt.
error-not-used-by-kind = Für { $kind ->
    [renewal] eine Verlängerung
    [switch_term] einen Laufzeitwechsel
    [add_seats] zusätzliche Plätze
    [upgrade] ein Upgrade
   *[other] diese Transaktion
} wird dieses Feld nicht verwendet; bitte lassen Sie es weg.
error-renewal-too-early = Eine Verlängerung muss nach dem aktuellen Laufzeitende ({ $term_end }) enden.
error-term-end-unchanged = Das neue Laufzeitende muss sich vom aktuellen unterscheiden und darf nicht in der Vergangenheit liegen.
error-replaces-unknown = Geben Sie eine Produktzeile dieses Vertrags an.
error-partner-not-own = Sie können nur Ihren eigenen Partner angeben.
error-agreement-canceled = Der Vertrag ist gekündigt.
error-partner-unchanged = Partner { $csn } ist bereits der Partner dieses Vertrags.
error-role-choice = Wählen Sie { role-secondary_admin } oder { role-user }.
error-lang-choice = Wählen Sie Deutsch (de) oder Englisch (en).

## Your settings (pages/settings.rs)
settings-title = Ihre Einstellungen
settings-check = Bitte prüfen Sie die markierten Angaben.
settings-profile = Ihre Angaben
settings-language = Sprache
settings-language-hint = In dieser Sprache zeigt kontor Ihnen Seiten und schreibt Ihnen E-Mails.
settings-time-zone = Zeitzone
settings-time-zone-hint = Alle Zeiten in kontor und in Ihren E-Mails stehen in dieser Zeitzone.
settings-profile-saved = Ihre Angaben sind gespeichert.
settings-password = Passwort ändern
settings-password-current = Aktuelles Passwort
settings-password-new = Neues Passwort
settings-password-repeat = Neues Passwort wiederholen
settings-password-hint = Mindestens 10 Zeichen, schwer zu erraten – zum Beispiel mehrere zufällige Wörter. Ihr Name und Ihre E-Mail-Adresse dürfen nicht darin vorkommen.
settings-password-submit = Passwort ändern
settings-password-wrong = Das aktuelle Passwort stimmt nicht.
settings-password-mismatch = Die beiden neuen Passwörter stimmen nicht überein.
settings-password-saved = Ihr Passwort ist geändert. { $ended ->
    [0] Sie waren nirgends sonst angemeldet.
    [one] Eine andere Sitzung wurde abgemeldet.
   *[other] { $ended } andere Sitzungen wurden abgemeldet.
} Sie erhalten eine Bestätigung per E-Mail.
settings-notify = E-Mail-Benachrichtigungen
settings-notify-legend = E-Mails zu Partnerwechseln Ihres Kontos erhalten, wenn ein Wechsel …
settings-notify-submitted = … beantragt wurde
settings-notify-withdrawn = … zurückgezogen wurde
settings-notify-applied = … durchgeführt wurde
settings-notify-rejected = … abgelehnt wurde, weil er nicht mehr möglich war
settings-notify-awaiting_partner = … auf die Zustimmung des neuen Partners wartet
settings-notify-accepted = … vom neuen Partner angenommen wurde
settings-notify-declined = … vom neuen Partner abgelehnt wurde
settings-notify-expired = … verfallen ist, weil der neue Partner nicht geantwortet hat
settings-notify-always = Sicherheits-E-Mails erhalten Sie immer: Einladungs- und Zurücksetzungslinks und die Nachricht, dass Ihr Passwort geändert wurde.
settings-notify-none = Mit Ihrer Rolle erhalten Sie keine E-Mails zu Partnerwechseln. Partner werden an die Kontaktadresse ihres Unternehmens benachrichtigt.
settings-notify-saved = Ihre Benachrichtigungen sind gespeichert.
settings-sessions = Wo Sie angemeldet sind
settings-sessions-intro = Sitzungen enden nach { $minutes } Minuten ohne Aktivität. Kennen Sie eine Sitzung nicht, melden Sie alle anderen ab und ändern Sie Ihr Passwort.
settings-browser = Browser
settings-browser-unknown = Unbekannter Browser
settings-signed-in = Angemeldet
settings-last-seen = Zuletzt aktiv
settings-this-session = Diese Sitzung
settings-sessions-end = { $count ->
    [one] Die andere Sitzung abmelden
   *[other] Die { $count } anderen Sitzungen abmelden
}
settings-sessions-ended = { $ended ->
    [0] Es gab keine anderen Sitzungen.
    [one] Eine andere Sitzung wurde abgemeldet.
   *[other] { $ended } andere Sitzungen wurden abgemeldet.
}
error-expected-event = Erwartet wird eines dieser Ereignisse: { $events }.
error-time-zone-unknown = Wählen Sie eine Zeitzone aus der Liste, zum Beispiel Europe/Berlin.
error-password-current-wrong = Das ist nicht das aktuelle Passwort.
tokens-title = Persönliche API-Tokens
tokens-intro = Mit einem Token greifen Skripte und andere Systeme in Ihrem Namen und mit Ihren Rechten auf kontor zu.
tokens-docs = Zur API-Dokumentation
token-label = Name
token-label-example = zum Beispiel Export für das ERP
token-created = Erstellt
token-validity = Gültigkeit
token-days = { $days } Tage
token-valid-unlimited = Bis zum Widerruf
token-valid-until = Bis { $at }
token-expired-at = Abgelaufen am { $at }
token-revoked-at = Widerrufen am { $at }
token-issue = Token erstellen
token-new = Ihr neues Token „{ $label }“:
token-new-once = Kopieren Sie es jetzt – kontor zeigt es kein zweites Mal.
token-revoke = Widerrufen
token-revoke-confirm = Token „{ $label }“ widerrufen?
token-revoke-confirm-text = Das Token funktioniert sofort nicht mehr; Skripte, die es verwenden, werden abgewiesen. Das lässt sich nicht rückgängig machen.
token-revoked = Das Token ist widerrufen.
## Import errors (service/import)
## The command line and the API's English callers read the English words
## the import carries; these are what pages say.
error-import-unknown-field = Dieses Feld gibt es hier nicht; möglich sind: { $allowed }.
error-import-expected-string = Erwartet wird Text in Anführungszeichen (eine JSON-Zeichenkette).
error-import-expected-bool = Erwartet wird true oder false.
error-import-expected-program = Erwartet wird ein Programmname aus 1 bis 40 Kleinbuchstaben, Ziffern oder Unterstrichen, zum Beispiel standard.
error-import-expected-users = Erwartet wird eine Liste von Personen (ein JSON-Array).
error-import-one-primary-admin = Ein Konto hat genau einen Hauptadministrator (primary_admin).
error-import-one-tenant = Geben Sie genau eines davon an: account, partner oder vendor: true.
error-import-role-for-tenant = Diese Rolle passt nicht dazu; { $tenant ->
    [account] für ein Kundenkonto gibt es primary_admin, secondary_admin oder user
    [partner] für einen Partner gibt es partner_admin oder partner_agent
   *[other] für den Hersteller gibt es support_agent oder operator
}.
error-import-term-end-before-start = Das Laufzeitende darf nicht vor dem Laufzeitbeginn (term_start) liegen.
error-import-expected-products = Erwartet wird mindestens ein Produkt mit Name und Anzahl der Plätze (in einer CSV-Datei: AutoCAD:5;Revit:2).
error-import-listed-twice = Diese Kontonummer (CSN) steht hier zweimal.
error-import-expected-partners = Erwartet wird mindestens eine Kontonummer (CSN) eines Partners (in einer CSV-Datei durch ; getrennt).
error-import-unknown-reference = Weder die Datei noch die Datenbank enthält { $what ->
    [account] ein Kundenkonto
   *[other] einen Partner
} mit der Kontonummer (CSN) { $csn }.
error-import-primary-admin-taken = Das Konto hat bereits einen anderen Hauptadministrator (primary_admin).
error-import-conflict = { $what ->
    [email] Diese E-Mail-Adresse gehört bereits einer anderen Person.
   *[other] Das widerspricht gespeicherten Daten ({ $what }).
}
error-import-csv-not-utf8 = Die Datei ist kein gültiges CSV: Zeile { $line } enthält Zeichen, die kein UTF-8 sind. Speichern Sie die Datei als UTF-8.
error-import-csv-row-length = Die Datei ist kein gültiges CSV: Zeile { $line } hat { $cells } Zellen, die Kopfzeile aber { $header }.
error-import-csv-unreadable = Die Datei ist ab Zeile { $line } nicht als CSV lesbar.
error-import-csv-quote-open = Die Datei ist kein gültiges CSV: Ein Anführungszeichen in Zeile { $line } wird nie geschlossen.
error-import-csv-quote-after = Die Datei ist kein gültiges CSV: In Zeile { $line } folgt Text auf ein schließendes Anführungszeichen. Ein Anführungszeichen im Text wird verdoppelt.
error-import-csv-quote-inside = Die Datei ist kein gültiges CSV: In Zeile { $line } steht ein Anführungszeichen in einer Zelle ohne Anführungszeichen. Setzen Sie die Zelle in Anführungszeichen und verdoppeln Sie das Anführungszeichen.
error-import-csv-unknown-column = Die Spalte { $column } gibt es nicht; eine Datei { $collection }.csv hat die Spalten { $allowed }.
error-import-csv-column-twice = Die Kopfzeile nennt die Spalte { $column } zweimal.
error-import-json-invalid = Die Datei ist kein gültiges Import-JSON: { $problem ->
    [eof] Sie endet mittendrin
    [shape] Erwartet wird ein Objekt mit den Listen partners, accounts, users und agreements, jede mit Datensätzen als JSON-Objekten
    [unreadable] Sie konnte nicht gelesen werden
   *[other] Hier steht etwas, das kein JSON ist
} (Zeile { $line }, Zeichen { $column }).
error-import-collection-twice = Diese Sammlung kommt zweimal vor; geben Sie jede Sammlung nur einmal an.
error-import-unknown-collection = Diese Sammlung gibt es nicht; erwartet wird partners, accounts, users oder agreements.
people-pending = Einladung ausstehend
people-pending-text = Diese Person hat noch kein Passwort gewählt. Ein neuer Link ersetzt die früheren.
people-resend = Einladung erneut senden
people-resent = { $email } hat einen neuen Einladungslink per E-Mail erhalten; frühere Links funktionieren nicht mehr.
people-copy-link = Link kopieren
people-link-copied = Der Link ist in der Zwischenablage.
audit-invitation_resent = Einladung erneut gesendet
problem-invitation-not-pending = { $email } hat keine offene Einladung: Die Person hat bereits ein Passwort gewählt oder keinen Zugang mehr.
token-copy = Token kopieren
token-copied = Das Token ist in der Zwischenablage.
invite-link-dead = Dieser Einladungslink funktioniert nicht mehr: Er wurde schon verwendet, ist abgelaufen oder durch einen neueren ersetzt. Bitten Sie den Administrator Ihres Kontos, Ihnen die Einladung erneut zu senden.
wh-url = Adresse (URL) des Endpunkts
wh-none = Noch keine Endpunkte. Fügen Sie unten einen hinzu, damit Ihre Systeme von jedem Partnerwechsel erfahren.

# #19: the audit's changes as named fields
audit-field-waiting_on = Wartet auf
audit-field-user = Person
audit-field-status = Status
audit-field-name = Name
audit-field-partners = Partner
audit-field-role = Rolle
audit-field-lang = Sprache
audit-field-email = E-Mail
audit-field-token_id = Token
audit-field-support_level = Supportstufe
audit-field-sees = Sieht Verträge
audit-field-products = Produkte
audit-field-password_set = Passwort gesetzt
audit-field-label = Bezeichnung
audit-field-invited = Eingeladen
audit-field-enabled = Aktiv
audit-field-auto_renew = Automatische Verlängerung
audit-field-access = Zugriff
audit-field-url = Adresse
audit-field-time_zone = Zeitzone
audit-field-sessions_ended = Sitzungen beendet
audit-field-seats = Plätze
audit-field-revoked = Widerrufen
audit-field-other_sessions_ended = Andere Sitzungen beendet
audit-field-muted = Keine E-Mail bei
audit-field-id = Kennung
audit-field-endpoint = Endpunkt
audit-field-due_at = Fällig am
audit-field-csn = Kundennummer (CSN)
audit-field-country = Land
audit-field-case = Supportfall
audit-field-valid_days = Gültig (Tage)
audit-field-users = Personen
audit-field-type = Art
audit-field-transaction = Vorgang
audit-field-tokens_revoked = Tokens widerrufen
audit-field-term_end = Laufzeitende
audit-field-secret_rotated = Geheimnis erneuert
audit-field-replace_partner = Zu ersetzender Partner
audit-field-reasons = Gründe
audit-field-reason = Grund
audit-field-program = Programm
audit-field-previous_secret_until = Altes Geheimnis gültig bis
audit-field-password = Passwort
audit-field-number = Nummer
audit-field-new_partner = Neuer Partner
audit-field-kind = Art
audit-field-event_types = Ereignisse
audit-field-description = Beschreibung
audit-field-delivery = Zustellung
audit-field-city = Ort
audit-field-agreement = Vertrag
audit-field-accounts = Kundenkonten
audit-field-agreements = Verträge
audit-field-processing_delay_minutes = Bearbeitungszeit (Minuten)
audit-field-expiry_window_days = Ablauffenster (Tage)
audit-field-acceptance_required = Zustimmung des Partners nötig
audit-field-acceptance_days = Frist für die Zustimmung (Tage)
audit-field-expires_at = Gültig bis
audit-field-term_start = Laufzeitbeginn
audit-field-account = Kundenkonto
audit-field-message = Nachricht
audit-field-answer = Antwort
audit-field-resolution = Lösung
audit-status-active = Aktiv
audit-status-expired = Abgelaufen
audit-status-canceled = Gekündigt
audit-status-suspended = Ausgesetzt
audit-status-inactive = Inaktiv
audit-status-pending = In Bearbeitung
audit-status-applied = Durchgeführt
audit-status-rejected = Abgelehnt
audit-status-withdrawn = Zurückgezogen
audit-status-awaiting_partner = Wartet auf Partner
audit-status-declined = Abgelehnt vom Partner
audit-status-open = Offen
audit-status-resolved = Gelöst
audit-event-submitted = Beantragt
audit-event-withdrawn = Zurückgezogen
audit-event-applied = Durchgeführt
audit-event-rejected = Abgelehnt
audit-event-awaiting_partner = Wartet auf Partner
audit-event-accepted = Angenommen
audit-event-declined = Abgelehnt vom Partner
audit-event-expired = Verfallen
reason-label-auto_renew = Verlängert sich automatisch
reason-label-token_flex_eba = Enterprise Business Agreement mit Token Flex
reason-label-expired = Laufzeit beendet
reason-label-expires_soon = Endet bald
reason-label-not_active = Nicht aktiv
reason-label-subscription_requires_transaction = Abonnement: Wechsel nur mit einem Vorgang
reason-label-change_pending = Wechsel läuft bereits
reason-label-not_permitted = Keine Berechtigung
reason-label-renewal_scheduled = Partner für die Verlängerung benannt
reason-label-transfer_code_required = Nur mit Übertragungscode
reason-label-partner_unknown = Partner unbekannt
reason-label-partner_inactive = Partner inaktiv
reason-label-partner_unchanged = Partner unverändert
language-de = Deutsch
language-en = English

## Spans of time (help articles, support targets).
duration-minutes = { $count ->
    [one] 1 Minute
   *[other] { $count } Minuten
}
duration-hours = { $count ->
    [one] 1 Stunde
   *[other] { $count } Stunden
}
level-response-within = Innerhalb von { $duration }
case-topic-replace_partner = Einen von mehreren Partnern ersetzen
case-topic-question = Frage an den Support
case-subject = Anliegen
case-agreement = Vertrag
case-no-agreement = Kein bestimmter Vertrag
case-level = Supportstufe
case-respond-by = Erste Antwort bis
case-respond-by-text = Der Support antwortet bis { $when } ({ $level }: { $duration }).
case-resolve-question = Als erledigt markieren

## The help center and the assistant (#20).
nav-help = Hilfe
help-title = Hilfe
help-intro = Anleitungen und Antworten zu kontor – für Kunden, Partner und den Support des Herstellers.
help-search-label = Hilfe durchsuchen
help-search = Suchen
help-results = Treffer für „{ $q }“
help-no-results = Dazu steht nichts in der Hilfe. Versuchen Sie andere Wörter, oder fragen Sie den Assistenten – er verbindet Sie auch mit einem Mitarbeiter.
help-audience-everyone = Für alle
help-audience-customer = Für Kunden
help-audience-partner = Für Partner
help-audience-vendor = Für Support und Betrieb
help-related = Verwandte Artikel
help-back = Alle Hilfeartikel
help-more = Mehr dazu in der Hilfe
help-sign-in = Melden Sie sich an, um dem Assistenten Fragen zu Ihren Verträgen zu stellen.
assistant-title = Fragen Sie den Assistenten
assistant-intro = Der Assistent antwortet aus der kontor-Hilfe, erklärt, warum sich der Partner eines Vertrags ändern lässt oder nicht, und verbindet Sie mit einem Mitarbeiter.
assistant-label = Ihre Frage
assistant-hint = Zum Beispiel: Warum kann ich den Partner von 1100 0000 0011 nicht ändern?
assistant-ask = Fragen
assistant-context = Bezogen auf Vertrag { $number }
assistant-you = Sie
assistant-name = Assistent
assistant-answers = Das steht in der Hilfe
assistant-none = Dazu finde ich in der kontor-Hilfe keine Antwort. Ein Mitarbeiter des Supports hilft Ihnen gern weiter.
assistant-unknown-agreement = Unter Ihren Verträgen finde ich keinen mit der Nummer { $number }. Vertragsnummern haben 12 Ziffern, Abonnement-IDs 14.
assistant-eligible = Für { $number } können Sie den Partner jetzt ändern: Öffnen Sie den Vertrag und wählen Sie „{ $action }“.
assistant-blocked = { $count ->
    [one] Für { $number } ist ein Partnerwechsel zurzeit nicht möglich. Der Grund:
   *[other] Für { $number } ist ein Partnerwechsel zurzeit nicht möglich. Es gibt { $count } Gründe:
}
assistant-open-agreement = Vertrag { $number } öffnen
assistant-handoff-title = Mit einem Mitarbeiter sprechen
assistant-handoff-text = Der Support erhält Ihre Frage und dieses Gespräch als Supportfall und antwortet Ihnen dort. Im Fall sehen Sie, bis wann die erste Antwort kommt.
assistant-handoff-message = Möchten Sie noch etwas ergänzen? (optional)
assistant-handoff-submit = Supportfall eröffnen
assistant-handoff-unavailable = Einen Supportfall eröffnen Personen eines Kundenkontos. Als Partner oder Mitarbeiter des Herstellers wenden Sie sich an Ihren Ansprechpartner beim Hersteller.
assistant-handoff-opened = Ihr Supportfall ist eröffnet. Der Support antwortet Ihnen hier; Sie bekommen dazu eine E-Mail.
assistant-transcript-header = Gespräch mit dem Assistenten
assistant-transcript-person = { $name } fragte
assistant-transcript-assistant = Der Assistent antwortete
assistant-transcript-articles = Vorgeschlagene Artikel: { $titles }
assistant-transcript-note = Nachricht
error-question-empty = Bitte schreiben Sie Ihre Frage.
error-assistant-lang = Erwartet wird de oder en.
error-conversation-empty = Das Gespräch enthält keine Frage.
problem-forbidden-ask-support = Einen Supportfall eröffnen nur Personen eines Kundenkontos.
error-conversation-too-long = Höchstens { $max } Beiträge im Gespräch.
help-notifications = Welche E-Mails Sie bekommen
nav-assistant = Assistent fragen

## Zweistufige Anmeldung (#21)
second-step-title = Anmeldung bestätigen
second-step-intro = Ihr Passwort war richtig. Geben Sie den 6-stelligen Code ein, den Ihre Authenticator-App gerade anzeigt, oder einen Ihrer Wiederherstellungscodes.
second-step-code = Code
second-step-hint = 6 Ziffern aus Ihrer App oder ein Wiederherstellungscode wie abcde-fghij.
second-step-submit = Bestätigen
second-step-lost = Telefon verloren? So kommen Sie wieder hinein
second-step-throttled = Zu viele falsche Codes. Versuchen Sie es in { $minutes ->
    [one] einer Minute
   *[other] { $minutes } Minuten
} erneut.
security-title = Zweistufige Anmeldung
security-back = ← Ihre Einstellungen
security-app-title = Authenticator-App
security-standing-enrolled = Die zweistufige Anmeldung ist eingeschaltet: Nach dem Passwort fragt kontor nach einem Code aus Ihrer App.
security-standing-optional = Die zweistufige Anmeldung ist ausgeschaltet. Schalten Sie sie ein, damit ein gestohlenes Passwort allein Ihr Konto nicht öffnet.
security-standing-grace = Ihr Konto verlangt die zweistufige Anmeldung. Richten Sie sie bis { $date } ein; danach können Sie sich nur noch anmelden, um sie einzurichten.
security-standing-due = Ihr Konto verlangt die zweistufige Anmeldung, und die Frist zum Einrichten ist abgelaufen. Richten Sie sie jetzt ein, um weiterzumachen.
security-required-now = Richten Sie zuerst die zweistufige Anmeldung ein: Bis dahin ist dies die einzige Seite, die Sie öffnen können.
security-done-removed = Ihre Authenticator-App wurde entfernt. Die Anmeldung fragt jetzt nur nach Ihrem Passwort.
security-done-rule = Die Regel wurde gespeichert. Wer betroffen ist, wird auf jeder Seite daran erinnert, bis die zweistufige Anmeldung eingerichtet ist.
security-done-reset = Der zweite Faktor wurde zurückgesetzt. Ihre Kollegin bzw. Ihr Kollege richtet bei der nächsten Anmeldung einen neuen ein; sie bzw. er und die Administratoren des Kontos wurden per E-Mail informiert.
security-recovery-used = Sie haben sich mit einem Wiederherstellungscode angemeldet. { $left ->
    [0] Sie haben keine Wiederherstellungscodes mehr: Erstellen Sie jetzt neue.
    [one] Es ist noch ein Code übrig: Erstellen Sie bald neue.
   *[other] Es sind noch { $left } Codes übrig.
}
security-app-ready = Die zweistufige Anmeldung ist eingeschaltet. Speichern Sie jetzt Ihre Wiederherstellungscodes – sie werden nur dieses eine Mal angezeigt.
security-codes-renewed = Neue Wiederherstellungscodes wurden erstellt; die alten gelten nicht mehr. Speichern Sie diese jetzt – sie werden nur dieses eine Mal angezeigt.
security-codes-file-title = kontor-Wiederherstellungscodes für { $email }
security-codes-file-hint = Jeder Code meldet Sie einmal an, wenn Sie Ihre Authenticator-App nicht nutzen können. Bewahren Sie sie sicher auf.
security-codes-title = Ihre Wiederherstellungscodes
security-codes-once = Jeder Code gilt einmal, wenn Ihr Telefon nicht zur Hand ist. Drucken Sie sie aus, laden Sie sie herunter oder legen Sie sie in Ihrem Passwort-Manager ab – kontor kann sie nicht noch einmal anzeigen.
security-codes-download = Als Textdatei herunterladen
security-app-since = Eingerichtet am { $date }.
security-codes-left = { $left ->
    [0] Keine Wiederherstellungscodes mehr übrig.
    [one] Noch ein unbenutzter Wiederherstellungscode.
   *[other] Noch { $left } unbenutzte Wiederherstellungscodes.
}
security-codes-renew = Neue Wiederherstellungscodes erstellen
security-app-remove = Authenticator-App entfernen
security-app-step-install = Installieren Sie eine Authenticator-App auf Ihrem Telefon, zum Beispiel Microsoft Authenticator, Google Authenticator oder eine andere App für Einmalcodes (TOTP).
security-app-step-scan = Scannen Sie diesen QR-Code mit der App.
security-app-key = Scannen klappt nicht? Geben Sie diesen Schlüssel in der App ein:
security-app-step-code = Geben Sie den 6-stelligen Code ein, den die App gerade anzeigt
security-app-confirm = Zweistufige Anmeldung einschalten
security-app-intro = Mit der zweistufigen Anmeldung fragt kontor nach dem Passwort nach einem Code aus einer App auf Ihrem Telefon. Sie erhalten 10 Wiederherstellungscodes für den Fall, dass das Telefon nicht zur Hand ist.
security-app-start = Authenticator-App einrichten
security-rule-title = Zweistufige Anmeldung für Ihr Konto
security-rule-intro = Legen Sie fest, wer in Ihrem Konto die zweistufige Anmeldung nutzen muss. Wer betroffen ist und sie noch nicht eingerichtet hat, wird auf jeder Seite erinnert und kann sich nach der Frist nur noch anmelden, um sie einzurichten.
security-rule-own-first = Richten Sie oben zuerst Ihre eigene zweistufige Anmeldung ein, bevor Sie sie von anderen verlangen.
security-rule-who = Wer muss sie nutzen?
security-rule-off = Niemand (jede Person kann)
security-rule-admins = Administratoren
security-rule-everyone = Alle Personen des Kontos
security-rule-grace = Tage zum Einrichten
security-rule-grace-hint = 0 bis 90 Tage, ab jetzt gerechnet (oder ab dem Beitritt einer Person, wenn später).
security-colleagues-title = Ihre Kolleginnen und Kollegen
security-colleagues-intro = Telefon verloren? Ein Administrator kann den zweiten Faktor einer Kollegin oder eines Kollegen zurücksetzen; bei der nächsten Anmeldung wird ein neuer eingerichtet. Die Person und alle Administratoren erhalten eine E-Mail.
security-colleagues-status = Zweistufige Anmeldung
security-colleagues-action = Aktion
security-colleagues-on = Ein
security-colleagues-off = Aus
security-colleagues-reset = Zurücksetzen
security-colleagues-reset-for = Zweiten Faktor von { $name } zurücksetzen
security-banner = Ihr Konto verlangt die zweistufige Anmeldung: Richten Sie sie bis { $date } ein.
security-banner-link = Jetzt einrichten
settings-security-intro = Schützen Sie Ihr Konto nach dem Passwort mit einem Code aus einer App auf Ihrem Telefon.
settings-security-link = Zweistufige Anmeldung und Wiederherstellungscodes
reauth-title = Bestätigen Sie, dass Sie es sind
reauth-intro = Diese Aktion ändert etwas Wichtiges. Da Ihre Anmeldung schon eine Weile zurückliegt, bestätigen Sie bitte, dass Sie es sind – danach wird sie so ausgeführt, wie Sie sie abgeschickt haben.
reauth-submit = Bestätigen und fortfahren
reauth-cancel = Abbrechen
reauth-password-wrong = Das ist nicht richtig. Bitte versuchen Sie es erneut.
bo-reset-title = Zweiten Faktor zurücksetzen
bo-reset-intro = Für eine Person, die ihren zweiten Faktor verloren hat und in deren Konto kein anderer Administrator ihn zurücksetzen kann. Prüfen Sie zuerst, wer anfragt, und halten Sie dann fest, wie: Nachweis und Zurücksetzen werden protokolliert, und die Person sowie die Administratoren ihres Kontos erhalten eine E-Mail.
bo-reset-method = Wie haben Sie die Person geprüft?
bo-reset-method-callback = Rückruf unter einer hinterlegten Nummer
bo-reset-method-contract_details = Vertragsdaten genannt, die nur der Kunde kennt
bo-reset-method-id_document = Ausweisdokument geprüft
bo-reset-method-missing = Wählen Sie, wie Sie die Person geprüft haben.
bo-reset-note = Was Sie geprüft haben
bo-reset-note-hint = Für das Protokoll, z. B. „+49 30 … aus dem Vertrag angerufen, Vertragsnummer und Datum der letzten Rechnung bestätigt“.
bo-reset-submit = Zweiten Faktor zurücksetzen
bo-reset-done = Der zweite Faktor von { $email } wurde zurückgesetzt. Bei der nächsten Anmeldung wird ein neuer eingerichtet.
bo-reset-unknown = Keine Person mit dieser E-Mail-Adresse hat Zugang.
bo-reset-link = Zweiten Faktor zurücksetzen
mail-subject-second-factor-enabled = Zweistufige Anmeldung eingeschaltet
mail-subject-second-factor-removed = Zweistufige Anmeldung ausgeschaltet
mail-subject-second-factor-reset = Ein zweiter Faktor wurde zurückgesetzt
mail-subject-second-factor-recovery-code-used = Ein Wiederherstellungscode wurde verwendet
mail-subject-second-factor-recovery-codes-renewed = Neue Wiederherstellungscodes erstellt
mail-second-factor-enabled = Die zweistufige Anmeldung wurde am { $at } für { $person } eingeschaltet.
mail-second-factor-removed = Die Authenticator-App von { $person } wurde am { $at } entfernt; die Anmeldung fragt jetzt nur nach dem Passwort.
mail-second-factor-reset = Der zweite Faktor von { $person } wurde am { $at } zurückgesetzt. Bei der nächsten Anmeldung wird ein neuer eingerichtet.
mail-second-factor-recovery-code-used = { $person } hat sich am { $at } mit einem Wiederherstellungscode angemeldet.
mail-second-factor-recovery-codes-renewed = Für { $person } wurden am { $at } neue Wiederherstellungscodes erstellt; die alten gelten nicht mehr.
mail-second-factor-by = Ausgeführt von: { $by }.
mail-second-factor-codes-left = { $left ->
    [0] Es sind keine Wiederherstellungscodes mehr übrig.
    [one] Es ist noch ein Wiederherstellungscode übrig.
   *[other] Es sind noch { $left } Wiederherstellungscodes übrig.
}
mail-second-factor-not-you = Nicht erwartet? Ändern Sie sofort Ihr Passwort und informieren Sie den Administrator Ihres Kontos oder den Support.
mail-second-factor-link = Zweistufige Anmeldung
error-code-malformed = Erwartet werden die 6 Ziffern aus Ihrer App oder ein Wiederherstellungscode.
error-code-wrong = Dieser Code stimmt nicht. Prüfen Sie, ob die Uhrzeit Ihres Telefons automatisch gestellt wird, und geben Sie den aktuellen Code ein.
error-code-reused = Dieser Code wurde schon verwendet. Warten Sie auf den nächsten.
error-recovery-code-wrong = Das ist kein unbenutzter Wiederherstellungscode von Ihnen.
error-second-factor-none = Es ist kein zweiter Faktor eingerichtet.
error-reset-own-second-factor = Ihren eigenen zweiten Faktor können Sie nicht zurücksetzen. Verwenden Sie einen Wiederherstellungscode, oder bitten Sie einen anderen Administrator oder den Support.
error-another-admin-can-reset = Ein anderer Administrator des Kontos kann ihn zurücksetzen: { $names }.
error-text-length-between = Geben Sie { $min } bis { $max } Zeichen an.
error-second-factor-own-first = Richten Sie zuerst Ihren eigenen zweiten Faktor ein, bevor Sie ihn von anderen verlangen.
error-email-colon = Eine E-Mail-Adresse mit „:“ kann keinen Eintrag in einer Authenticator-App benennen.
problem-second-factor-nothing-waiting = Beginnen Sie zuerst mit dem Einrichten der Authenticator-App.
problem-second-factor-exists = Es ist bereits eine Authenticator-App eingerichtet; entfernen Sie sie, bevor Sie eine andere einrichten.
problem-second-factor-none = Es ist kein zweiter Faktor eingerichtet.
problem-second-factor-required-keep = Ihr Konto verlangt einen zweiten Faktor, daher kann er nicht entfernt werden. Erstellen Sie neue Wiederherstellungscodes, oder bitten Sie bei einem neuen Telefon einen Administrator, ihn zurückzusetzen.
problem-second-factor-none-to-reset = Diese Person hat keinen zweiten Faktor, der zurückgesetzt werden könnte.
problem-forbidden-reset-second-factor = Nur ein Administrator des Kontos setzt den zweiten Faktor einer Kollegin oder eines Kollegen zurück.
problem-forbidden-support-reset = Nur Support-Mitarbeitende und Betreiber setzen einen zweiten Faktor nach einer Prüfung zurück.
problem-forbidden-reset-staff = Nur ein Betreiber setzt den zweiten Faktor von Mitarbeitenden des Herstellers zurück.
problem-forbidden-two-factor-rule = Nur der Hauptadministrator des Kontos legt die Regel für die zweistufige Anmeldung fest.
audit-second_factor_enabled = Zweistufige Anmeldung eingeschaltet
audit-second_factor_removed = Zweistufige Anmeldung ausgeschaltet
audit-second_factor_reset = Zweiter Faktor zurückgesetzt
audit-identity_verified = Identität vom Support geprüft
audit-recovery_code_used = Wiederherstellungscode verwendet
audit-recovery_codes_renewed = Neue Wiederherstellungscodes
audit-second_factor_rule_changed = Regel für zweistufige Anmeldung geändert
error-second-factor-setup-due = Diese Person muss zuerst im Portal die zweistufige Anmeldung einrichten.
error-second-factor-needed = Diese Person nutzt die zweistufige Anmeldung: Senden Sie den aktuellen Code der App in „code“.
problem-forbidden-two-factor-rule-read = Nur Personen eines Kundenkontos haben eine Kontoregel für die zweistufige Anmeldung.
error-verification-needed = Der Support hält fest, wie er die Person geprüft hat: Art und Notiz.
mail-subject-second-factor-passkey-added = Ein Passkey wurde hinzugefügt
mail-subject-second-factor-passkey-removed = Ein Passkey wurde entfernt
mail-second-factor-passkey-added = Für { $person } wurde am { $at } ein Passkey hinzugefügt.
mail-second-factor-passkey-removed = Ein Passkey von { $person } wurde am { $at } entfernt.
audit-passkey_added = Passkey hinzugefügt
audit-passkey_removed = Passkey entfernt
error-passkey-refused = Der Passkey wurde nicht akzeptiert. Versuchen Sie es erneut oder melden Sie sich anders an.
problem-passkey-exists = Dieser Passkey ist bereits registriert.
passkey-title = Passkeys
passkey-intro = Ein Passkey meldet Sie mit Fingerabdruck, Gesicht oder PIN Ihres Geräts an – als zweiter Schritt nach dem Passwort oder stattdessen. Er lässt sich nicht abfischen: Er funktioniert nur auf dieser Website.
passkey-name = Name des neuen Passkeys
passkey-name-example = z. B. Laptop, Telefon, Sicherheitsschlüssel
passkey-add = Passkey hinzufügen
passkey-remove = Entfernen
passkey-remove-named = Passkey { $name } entfernen
passkey-added-on = hinzugefügt am { $date }
passkey-used-on = zuletzt verwendet am { $date }
passkey-new-title = Passkey hinzufügen
passkey-new-intro = Klicken Sie auf die Schaltfläche; Ihr Browser oder Gerät fragt dann nach Fingerabdruck, Gesicht, PIN oder Sicherheitsschlüssel und speichert den Passkey.
passkey-new-create = Passkey erstellen
passkey-needs-script = Passkeys brauchen JavaScript in Ihrem Browser.
passkey-failed = Der Passkey konnte nicht verwendet werden. Versuchen Sie es erneut oder wählen Sie einen anderen Weg.
passkey-signin = Mit Passkey anmelden
passkey-second-step = Passkey verwenden
passkey-or-code = … oder geben Sie unten einen Code ein.
passkey-refused = Der Passkey wurde nicht akzeptiert. Versuchen Sie es erneut oder melden Sie sich anders an.
security-done-passkey = Der Passkey wurde hinzugefügt. Ab jetzt können Sie sich damit anmelden.
security-done-passkey-removed = Der Passkey wurde entfernt.
security-done-passkey-refused = Der Passkey wurde nicht hinzugefügt: Die Antwort Ihres Geräts ließ sich nicht prüfen. Versuchen Sie es erneut.
security-done-passkey-required = Dies ist Ihr einziger zweiter Faktor, und Ihr Konto verlangt einen: Fügen Sie zuerst einen weiteren hinzu.

## Single Sign-on (#21)
sso-signin = Mit Single Sign-on (SSO) anmelden
sso-signin-hint = Meldet sich Ihre Organisation über ihre eigene Anmeldung bei kontor an (Microsoft Entra ID, Okta, Google …)? Geben Sie Ihre geschäftliche E-Mail-Adresse ein und wählen Sie Single Sign-on.
sso-none = Für diese E-Mail-Adresse ist kein Single Sign-on eingerichtet. Melden Sie sich mit Ihrem Passwort an.
sso-continue-title = Weiter zur Anmeldung Ihrer Organisation
sso-continue-intro = { $email } meldet sich über das Single Sign-on Ihrer Organisation an. Sie werden zu deren Anmeldeseite geleitet und kommen angemeldet hierher zurück.
sso-continue = Weiter zum Single Sign-on
sso-password-too = Als Hauptadministrator des Kontos können Sie sich auch mit Ihrem Passwort anmelden, etwa wenn das Single Sign-on ausfällt.
sso-use-password = Mit Passwort anmelden
sso-other-email = Andere E-Mail-Adresse verwenden
sso-password-unused = Ihr Konto meldet sich per Single Sign-on an: Ein Passwort zählt hier nicht.
reauth-sso = Ihr Konto meldet sich per Single Sign-on an. Melden Sie sich dort erneut an und senden Sie das Formular dann noch einmal.
sso-refused-title = Single Sign-on hat nicht funktioniert
sso-back-to-signin = Zurück zur Anmeldung
sso-refused-unknown-trip = Diese Anmeldung ist abgelaufen oder wurde schon verwendet. Bitte beginnen Sie erneut auf der Anmeldeseite.
sso-refused-declined = Die Anmeldung bei Ihrer Organisation wurde abgebrochen oder abgelehnt. Bitte versuchen Sie es erneut.
sso-refused-issuer = Die Antwort kam von einem anderen Identitätsanbieter als dem Ihres Kontos. Bitte beginnen Sie erneut; geschieht das wieder, informieren Sie Ihren Administrator.
sso-refused-not-enabled = Single Sign-on wurde für Ihr Konto ausgeschaltet. Melden Sie sich mit Ihrem Passwort an.
sso-refused-token = Die Anmeldung bei Ihrer Organisation konnte nicht bestätigt werden. Bitte versuchen Sie es erneut; geschieht das wieder, sollte Ihr Administrator die Single-Sign-on-Einstellungen prüfen.
sso-refused-domain = Die Domain Ihrer E-Mail-Adresse ist nicht an das Single Sign-on dieses Kontos gebunden.
sso-refused-email = Ihr Identitätsanbieter hat keine bestätigte E-Mail-Adresse gesendet.
sso-refused-access-removed = Ihr Zugang zu kontor wurde entfernt. Wenden Sie sich an den Hauptadministrator Ihres Kontos.
sso-refused-other-tenant = Diese E-Mail-Adresse gehört zu einem anderen kontor-Konto. Wenden Sie sich an den Support.
sso-title = Single Sign-on
sso-intro = Lassen Sie Ihre Personen sich über den Identitätsanbieter Ihrer Organisation mit OpenID Connect anmelden. Personen der gebundenen E-Mail-Domains werden dorthin geleitet; die erste Anmeldung legt sie in kontor an.
sso-card-intro = Lassen Sie Ihre Personen sich über den Identitätsanbieter Ihrer Organisation (OpenID Connect) anmelden und verlangen Sie es auf Wunsch.
sso-card-link = Single Sign-on einrichten
sso-domains-title = E-Mail-Domains
sso-domains-none = An Ihr Konto ist noch keine E-Mail-Domain gebunden: Bis dahin leitet das Single Sign-on niemanden zu Ihrem Anbieter.
sso-domains-intro = Personen mit diesen Adressen werden zu Ihrem Identitätsanbieter geleitet:
sso-domains-how = Der Support des Herstellers bindet eine Domain, sobald er geprüft hat, dass sie Ihnen gehört: Eröffnen Sie einen Supportfall und nennen Sie die Domain.
sso-provider-title = Ihr Identitätsanbieter
sso-callback = Weiterleitungs-URI zum Eintragen bei Ihrem Anbieter
sso-callback-hint = Registrieren Sie kontor bei Ihrem Identitätsanbieter als Webanwendung (vertraulicher Client, Autorisierungscode-Verfahren) mit dieser Weiterleitungs-URI.
sso-issuer = Aussteller-URL (Issuer)
sso-issuer-hint = Zum Beispiel https://login.microsoftonline.com/<Mandant>/v2.0 oder https://ihrefirma.okta.com. kontor liest beim Speichern das Discovery-Dokument.
sso-client-id = Client-ID
sso-client-secret = Client-Geheimnis
sso-secret-kept = Ein Geheimnis ist gespeichert. Lassen Sie das Feld leer, um es zu behalten.
sso-secret-hint = Das Geheimnis, das Ihr Anbieter für kontor anzeigt.
sso-newcomer-role = Rolle von Personen, die sich zum ersten Mal anmelden
sso-newcomer-hint = Sie können sie später für jede Person unter „Personen“ ändern.
sso-enabled = Personen der gebundenen Domains zum Anbieter leiten
sso-required = Single Sign-on verlangen
sso-required-hint = Dann können sich nur noch Sie als Hauptadministrator mit Passwort anmelden (Notfallzugang, etwa wenn der Anbieter ausfällt). Die zweistufige Anmeldung übernimmt für alle anderen der Anbieter.
sso-saved = Single Sign-on gespeichert.
sso-domains-bo-title = Single-Sign-on-Domains
sso-domains-bo-intro = Personen einer gebundenen E-Mail-Domain werden zum Identitätsanbieter des zugehörigen Kundenkontos geleitet. Binden Sie eine Domain erst, wenn Sie geprüft haben, dass sie dem Kunden gehört.
sso-domains-bo-none = Keine Domain ist gebunden.
sso-domain = E-Mail-Domain
sso-account = Kundenkonto (CSN)
sso-approved = Gebunden
sso-domain-remove = Lösen
sso-domain-remove-for = { $domain } lösen
sso-domain-bind-title = Domain binden
sso-domain-bind-intro = Eine Domain gehört zu genau einem Konto. Öffentliche E-Mail-Dienste (gmail.com, web.de …) können nicht gebunden werden.
sso-domain-bind = Domain binden
sso-domain-bound = { $domain } ist gebunden.
sso-domain-removed = { $domain } ist gelöst: Ihre Personen melden sich wieder mit Passwort an.
error-sso-domain-invalid = erwartet wird eine E-Mail-Domain wie beispiel.de (Buchstaben, Ziffern, Bindestriche und Punkte)
error-sso-domain-public = { $domain } ist ein öffentlicher E-Mail-Dienst: Dort kann jeder eine Adresse haben
error-sso-domain-taken = { $domain } ist bereits an ein Konto gebunden
error-sso-account-unknown = kein Kundenkonto hat die CSN { $csn }
error-sso-issuer-invalid = erwartet wird die Aussteller-URL des Identitätsanbieters (https://…), höchstens { $max } Zeichen
error-sso-issuer-unreachable = das Discovery-Dokument des Identitätsanbieters war nicht verwendbar: { $detail }
error-sso-client-field = erwartet wird der Wert, den Ihr Identitätsanbieter anzeigt, 1 bis { $max } Zeichen
error-sso-role-invalid = erwartet wird eines von { $expected }
error-sso-required-needs-enabled = Single Sign-on kann nur verlangt werden, während es eingeschaltet ist
error-sso-required = diese Person meldet sich nur per Single Sign-on an: Erstellen Sie ein Token im Portal
problem-forbidden-sso-settings = Nur der Hauptadministrator des Kontos richtet Single Sign-on ein.
problem-forbidden-sso-domains = Nur ein Betreiber bindet E-Mail-Domains an Single Sign-on.
audit-sso_settings_changed = Single Sign-on geändert
audit-sso_domain_bound = Single-Sign-on-Domain gebunden
audit-sso_domain_unbound = Single-Sign-on-Domain gelöst
audit-sso_linked = Erstmals per Single Sign-on angemeldet
sso-callback-copy = Weiterleitungs-URI kopieren
sso-callback-copied = Kopiert.
sso-password-also = Sie können sich auch mit Ihrem Passwort anmelden.
scim-title = Bereitstellung (SCIM)
scim-intro = Ihr Identitätsanbieter kann Ihre Personen mit SCIM 2.0 in kontor anlegen, ändern und deaktivieren: Wen er deaktiviert, verliert seinen Zugang und jede Sitzung sofort. Geben Sie ihm den Endpunkt unten und ein hier erstelltes Token. Ihr eigener Zugang als Hauptadministrator kann so nicht beendet werden.
scim-url = SCIM-Endpunkt (Mandanten-URL)
scim-url-copy = Endpunkt kopieren
scim-token-label = Name des Tokens
scim-token-made = Erstellt
scim-token-used = Zuletzt verwendet
scim-token-never = Nie
scim-token-create = Bereitstellungs-Token erstellen
scim-token-new = Neues Token „{ $label }“:
scim-token-revoke = Widerrufen
scim-token-revoke-for = Token { $label } widerrufen
scim-token-is-revoked = Widerrufen
scim-token-revoked = Das Token wurde widerrufen: Ihr Identitätsanbieter kann es nicht mehr verwenden.
error-scim-label = erwartet wird ein Name für das Token, 1 bis { $max } Zeichen
problem-forbidden-scim-tokens = Nur der Hauptadministrator des Kontos verwaltet Bereitstellungs-Tokens.
audit-scim_token_created = Bereitstellungs-Token erstellt
audit-scim_token_revoked = Bereitstellungs-Token widerrufen
audit-scim_user_updated = Person durch Bereitstellung geändert

## Erinnerungen, bevor das Zeitfenster schließt (#22)
mail-subject-window-closing = { $count ->
    [one] Der Partner eines Vertrags kann nur noch wenige Tage gewechselt werden
   *[other] Der Partner von { $count } Verträgen kann nur noch wenige Tage gewechselt werden
}
mail-window-closing = { $count ->
    [one] Der Partner eines Vertrags von { $account } kann in kontor nur noch bis zum unten genannten letzten Tag gewechselt werden: Danach endet seine Laufzeit innerhalb des Wechselzeitraums.
   *[other] Der Partner von { $count } Verträgen von { $account } kann in kontor nur noch bis zum jeweils genannten letzten Tag gewechselt werden: Danach endet ihre Laufzeit innerhalb des Wechselzeitraums.
}
mail-window-closing-after = Danach ist ein Wechsel erst zur Verlängerung möglich. Wenn Sie Ihren Partner behalten, müssen Sie nichts tun.
mail-window-closing-last-day = letzter Tag { $date }
mail-window-closing-more = und { $count } weitere
mail-window-closing-link = { $count ->
    [one] Partner wechseln
   *[other] Verträge ansehen
}
mail-footer-reminder = Sie erhalten diese Erinnerung von kontor, weil Sie das Kundenkonto verwalten.

## Wechsel zur Verlängerung (#22)
audit-renewal_partner_named = Partner für die Verlängerung benannt
audit-renewal_partner_replaced = Anderer Partner für die Verlängerung benannt
audit-renewal_partner_withdrawn = Partner für die Verlängerung zurückgezogen
audit-renewal_partner_applied = Partner für die Verlängerung übernommen
audit-renewal_partner_rejected = Partner für die Verlängerung nicht übernommen
audit-renewal_partner_lapsed = Partner für die Verlängerung verfallen
settings-notify-renewal_named = … für die nächste Verlängerung geplant wurde
settings-notify-renewal_withdrawn = … für die Verlängerung zurückgezogen wurde
settings-notify-renewal_applied = … mit der Verlängerung durchgeführt wurde
settings-notify-renewal_rejected = … zur Verlängerung nicht durchgeführt werden konnte
settings-notify-renewal_lapsed = … zur Verlängerung verfallen ist, weil der Vertrag nicht verlängert wurde
mail-subject-renewal_named = Neuer Partner ab der Verlängerung des Vertrags { $agreement }
mail-subject-renewal_withdrawn = Partner für die Verlängerung des Vertrags { $agreement } zurückgezogen
mail-subject-renewal_applied = Partner mit der Verlängerung des Vertrags { $agreement } gewechselt
mail-subject-renewal_rejected = Partner für die Verlängerung des Vertrags { $agreement } nicht übernommen
mail-subject-renewal_lapsed = Partner für die Verlängerung des Vertrags { $agreement } verfallen
mail-renewal_named-account_admin = Für die nächste Verlängerung des Vertrags { $agreement } wurde ein neuer Partner benannt. Ab der Verlängerung betreut er diesen Vertrag. Bis dahin können Sie ihn ersetzen oder die Benennung zurückziehen.
mail-renewal_named-new_partner = Das Kundenkonto { $account } hat Sie als Partner für die nächste Verlängerung des Vertrags { $agreement } benannt. Ab der Verlängerung betreuen Sie diesen Vertrag; Sie können die Verlängerung erfassen.
mail-renewal_named-old_partner = Das Kundenkonto { $account } hat für die nächste Verlängerung des Vertrags { $agreement } einen anderen Partner gewählt. Bis zur Verlängerung betreuen Sie den Vertrag weiter.
mail-renewal_applied-account_admin = Mit der Verlängerung wurde der Partner für den Vertrag { $agreement } geändert.
mail-renewal_applied-new_partner = Mit der Verlängerung sind Sie jetzt Partner für den Vertrag { $agreement } des Kundenkontos { $account }.
mail-renewal_applied-old_partner = Mit der Verlängerung sind Sie nicht mehr Partner für den Vertrag { $agreement } des Kundenkontos { $account }.
mail-renewal_withdrawn = Die Benennung eines Partners für die Verlängerung des Vertrags { $agreement } wurde zurückgezogen. Der bisherige Partner bleibt.
mail-renewal_rejected = Der für die Verlängerung des Vertrags { $agreement } benannte Partner konnte nicht übernehmen:
mail-renewal_lapsed = Der Vertrag { $agreement } wurde nicht rechtzeitig verlängert; der für die Verlängerung benannte Partner hat ihn daher nicht übernommen. Der bisherige Partner bleibt.
mail-fact-renews-on = Verlängerung am
problem-forbidden-renewal-partner = Nur ein Administrator dieses Kontos kann den Partner für die Verlängerung benennen.
problem-renewal-changed = Der Partner für die Verlängerung wurde inzwischen geändert. Laden Sie die Seite neu und versuchen Sie es noch einmal.
problem-renewal-not-named = Für die Verlängerung dieses Vertrags ist kein Partner benannt.
error-renewal-change-now-possible = Der Partner kann jetzt gewechselt werden; nutzen Sie dafür den Partnerwechsel.
error-renewal-not-permitted = Nur ein Administrator dieses Kontos kann den Partner für die Verlängerung benennen.
error-renewal-token-flex-eba = Bei einem Enterprise Business Agreement mit Token Flex wechselt der Partner nur über Ihr Account-Team.
error-renewal-expired = Die Laufzeit ist abgelaufen; verlängern Sie den Vertrag direkt über den neuen Partner.
error-renewal-not-active = Der Vertrag ist gekündigt oder ausgesetzt.
error-renewal-change-pending = Für diesen Vertrag ist ein Partnerwechsel in Bearbeitung; warten Sie ihn ab oder ziehen Sie ihn zuerst zurück.
error-renewal-partner-named = Der Kunde hat für diese Verlängerung den Partner { $csn } benannt: Dieser erfasst die Verlängerung, oder der Administrator des Kunden zieht die Benennung zuerst zurück.
renewal-title = Partner für die nächste Verlängerung
renewal-not-available = Für die Verlängerung dieses Vertrags kann kein Partner benannt werden:
renewal-intro = Der Partner kann jetzt nicht gewechselt werden. Benennen Sie den Partner, der diesen Vertrag ab der nächsten Verlängerung am { $date } betreut; bis dahin bleibt Ihr bisheriger Partner.
renewal-named-now = Für die Verlängerung benannt
renewal-effect = Ab der Verlängerung am { $date } betreut dieser Partner den Vertrag. Bis dahin können Sie ihn ersetzen oder die Benennung zurückziehen.
renewal-name = Diesen Partner benennen
renewal-offer = Partner für die Verlängerung benennen
renewal-replace = Anderen Partner benennen
renewal-withdraw = Benennung zurückziehen
renewal-withdraw-confirm = Benennung für die Verlängerung zurückziehen?
renewal-withdraw-confirm-text = { $partner } übernimmt den Vertrag { $agreement } nicht zur Verlängerung; Ihr bisheriger Partner bleibt. Sie können danach erneut einen Partner benennen.
renewal-scheduled = Ab der Verlängerung am { $date } betreut Sie { $partner }.
renewal-named-flash = Der Partner für die Verlängerung ist benannt. Alle Beteiligten wurden per E-Mail informiert.
renewal-withdrawn-flash = Die Benennung für die Verlängerung wurde zurückgezogen. Ihr bisheriger Partner bleibt.
section-renewal = Partner ab der Verlängerung
reason-action-renewal = Zum benannten Partner für die Verlängerung
changes-renewals = Für die nächste Verlängerung benannt
changes-renewals-intro = Kunden haben Sie als Partner für die nächste Verlängerung dieser Verträge benannt. Bis dahin betreut sie ihr bisheriger Partner.
col-renews-on = Verlängerung am
col-how = Wie
changes-renewal-by-transaction = Sie erfassen die Verlängerung (Abonnement)
changes-renewal-by-itself = Mit der Verlängerung, sobald der Vertrag verlängert wird
bulk-title = Partner mehrerer Verträge wechseln
bulk-chosen = { $count ->
    [one] Ein Vertrag ausgewählt. Geben Sie den neuen Partner ein, um zu sehen, welche wechseln können.
   *[other] { $count } Verträge ausgewählt. Geben Sie den neuen Partner ein, um zu sehen, welche wechseln können.
}
bulk-preview = Verträge prüfen
bulk-eligible = Kann wechseln
bulk-submit = { $count ->
    [one] Partner des einen Vertrags wechseln, der wechseln kann
   *[other] Partner der { $count } Verträge wechseln, die wechseln können
}
bulk-none-eligible = Keiner der ausgewählten Verträge kann jetzt zu diesem Partner wechseln; jede Zeile nennt den Grund.
bulk-result = { $submitted ->
    [one] Ein Wechsel wurde beantragt
   *[other] { $submitted } Wechsel wurden beantragt
}; { $skipped ->
    [0] kein Vertrag wurde ausgelassen.
    [one] ein Vertrag wurde ausgelassen (Grund siehe unten).
   *[other] { $skipped } Verträge wurden ausgelassen (Gründe siehe unten).
}
bulk-failed = Nicht beantragt: Etwas ist schiefgegangen; versuchen Sie diesen Vertrag auf seiner eigenen Seite.
bulk-to-changes = Alle Partnerwechsel ansehen
bulk-chosen-button = Partner der ausgewählten Verträge wechseln
bulk-all-button = Partner aller Verträge dieser Liste wechseln
bulk-choose = Auswählen
bulk-choose-one = Vertrag { $agreement } auswählen
bulk-none-chosen = Wählen Sie zuerst mindestens einen Vertrag aus.
bulk-too-many = Höchstens { $max } Verträge können auf einmal wechseln; grenzen Sie die Liste mit den Filtern ein.
renewal-same-flash = Dieser Partner ist für die Verlängerung bereits benannt; es hat sich nichts geändert.
csv-outcome = Ergebnis
csv-request_status = Stand der Anfrage
csv-reasons = Warum nicht
bulk-outcome-submitted = Beantragt
bulk-outcome-not_eligible = Nicht möglich
bulk-outcome-error = Fehlgeschlagen
bulk-new-partner = Neuer Partner
bulk-withdraw-hint = Jeden Wechsel können Sie bis zu seiner Durchführung auf seiner Seite zurückziehen.

## Fristen, Eskalation (#22)
level-row-resolution = Lösung
level-resolution-within = Innerhalb von { $duration }
sla-on_track = im Plan
sla-due_soon = Frist bald erreicht
sla-response_overdue = Frist überschritten: erste Antwort
sla-resolution_overdue = Frist überschritten: Lösung
sla-met = Fristen eingehalten
sla-missed = Frist verfehlt
case-resolve-by = Lösung bis
case-first-response-at = Erste Antwort am
case-next-due = Nächste Frist
mail-fact-answer-by = Antwort bis
mail-subject-escalated = Partnerwechsel für Vertrag { $agreement } wartet noch auf Antwort
mail-escalated-account_admin = Der neue Partner hat den Partnerwechsel für den Vertrag { $agreement } noch nicht angenommen. Wir haben ihn und unseren Support erinnert; ohne Antwort bis zum unten genannten Zeitpunkt verfällt der Wechsel.
mail-escalated-new_partner = Das Kundenkonto { $account } wartet noch auf Ihre Antwort zum Partnerwechsel für den Vertrag { $agreement }. Bitte nehmen Sie ihn in kontor unter Partnerwechsel an oder lehnen Sie ihn ab – ohne Antwort bis zum unten genannten Zeitpunkt verfällt er.
mail-escalated-support_agent = Der neue Partner hat den Partnerwechsel für den Vertrag { $agreement } von { $account } noch nicht beantwortet; ohne Antwort bis zum unten genannten Zeitpunkt verfällt er. Bitte vermitteln Sie.
settings-notify-escalated = … der neue Partner kurz vor Ablauf noch nicht geantwortet hat
event-partner_change-escalated = Ohne Antwort eskaliert
audit-change_escalated = Wechsel ohne Antwort eskaliert
mail-subject-deadlines-breached = { $count ->
    [one] Supportfrist überschritten
   *[other] { $count } Supportfristen überschritten
}
mail-deadlines-breached = { $count ->
    [one] Eine Frist für einen Supportfall ist überschritten:
   *[other] { $count } Fristen für Supportfälle sind überschritten:
}
mail-breach-first-response = Erste Antwort fällig seit { $due }
mail-breach-resolution = Lösung fällig seit { $due }
mail-deadlines-breached-link = Warteschlange öffnen

## Einsprüche (#22)
mail-subject-disputed = Einspruch gegen den Partnerwechsel für Vertrag { $agreement }
mail-disputed-account_admin = Der bisherige Partner hat dem Partnerwechsel für den Vertrag { $agreement } widersprochen. Der Wechsel ist angehalten, bis der Support des Herstellers entscheidet; Sie erhalten dann Bescheid.
mail-disputed-new_partner = Der bisherige Partner hat dem Partnerwechsel für den Vertrag { $agreement } von { $account } widersprochen. Der Wechsel ist angehalten, bis der Support des Herstellers entscheidet.
mail-disputed-support_agent = Der bisherige Partner hat dem Partnerwechsel für den Vertrag { $agreement } von { $account } widersprochen. Der Wechsel ist angehalten: Bitte prüfen Sie den Einspruch und entscheiden Sie.
mail-subject-dispute_released = Partnerwechsel für Vertrag { $agreement } geht weiter
mail-dispute_released = Der Support hat den Einspruch gegen den Partnerwechsel für den Vertrag { $agreement } geprüft: Der Wechsel geht weiter und wird bei der nächsten Bearbeitung durchgeführt, sofern er dann noch möglich ist.
settings-notify-disputed = … der bisherige Partner widersprochen hat und der Wechsel angehalten ist
settings-notify-dispute_released = … der Support einen angehaltenen Wechsel weitergehen lässt
event-partner_change-disputed = Einspruch eingelegt
event-partner_change-dispute_released = Einspruch geprüft, Wechsel geht weiter
audit-change_disputed = Einspruch gegen den Wechsel
audit-dispute_released = Einspruch geprüft: Wechsel geht weiter
audit-dispute_upheld = Einspruch stattgegeben: Wechsel abgelehnt
audit-transfer_code_created = Übertragungscode erstellt
audit-transfer_code_revoked = Übertragungscode widerrufen
audit-transfer_code_redeemed = Übertragungscode eingelöst
audit-partner_proposed = Neuer Partner vorgeschlagen
audit-proposal_reminded = An vorgeschlagenen Partner erinnert
reason-label-dispute_upheld = Einspruch des bisherigen Partners
problem-forbidden-dispute = Einspruch erheben kann nur ein Partner, den der Wechsel ersetzen würde.
problem-forbidden-disputes = Einsprüche sehen nur die Mitarbeiter des Herstellers und der Partner, der sie eingelegt hat.
problem-already-disputed = Gegen diesen Wechsel wurde bereits Einspruch erhoben; der Support entscheidet darüber.
problem-dispute-window-closed = Einspruch ist nur möglich, solange der Wechsel in Bearbeitung ist und seine Bearbeitungszeit nicht abgelaufen ist.
problem-dispute-decided = Über den Einspruch wurde bereits entschieden (oder der Wechsel wurde zurückgezogen).
error-dispute-reason-empty = Bitte geben Sie an, warum der Wechsel nicht durchgeführt werden soll.
error-dispute-note-empty = Bitte schreiben Sie eine Begründung, die Kunde und Partner lesen.
dispute-title = Einspruch des bisherigen Partners
dispute-state-open = Der Wechsel ist angehalten: Der bisherige Partner hat widersprochen. Der Support entscheidet bis { $when }; bis dahin wird der Wechsel nicht durchgeführt.
dispute-state-released = Der Support hat den Einspruch geprüft: Der Wechsel geht weiter und wird bei der nächsten Bearbeitung durchgeführt, sofern er dann noch möglich ist.
dispute-state-upheld = Der Support hat dem Einspruch stattgegeben: Der Wechsel wurde abgelehnt.
dispute-state-withdrawn = Der Wechsel wurde zurückgezogen, während er angehalten war.
dispute-reason = Begründung des Partners
dispute-note = Begründung des Supports
dispute-note-label = Begründung für Kunde und Partner (zum Stattgeben erforderlich)
dispute-release = Wechsel weitergehen lassen
dispute-uphold = Einspruch stattgeben
dispute-decide-hint = Stattgeben lehnt den Wechsel ab; der Kunde liest Ihre Begründung.
dispute-file-title = Einspruch erheben
dispute-file-intro = Sie können diesem Wechsel bis kurz vor { $when } widersprechen. Er wird dann angehalten, bis der Support des Herstellers entscheidet.
dispute-reason-label = Warum soll der Wechsel nicht durchgeführt werden? (nur für den Support)
dispute-file = Einspruch erheben
dispute-done-disputed = Ihr Einspruch ist eingegangen. Der Wechsel ist angehalten, bis der Support entscheidet.
dispute-done-released = Der Wechsel geht weiter.
dispute-done-upheld = Dem Einspruch wurde stattgegeben; der Wechsel ist abgelehnt.
cases-disputes = Einsprüche gegen Partnerwechsel
cases-disputing-partner = Partner mit Einspruch
mail-breach-about-case = { $account }, Vertrag { $agreement }
mail-breach-about-dispute = Einspruch zu Vertrag { $agreement } von { $account }
change-held-since = Angehalten seit
change-state-held = Der Wechsel zu { $partner } ist angehalten: Der bisherige Partner hat widersprochen, und der Support entscheidet, ob er durchgeführt wird.

## #22 Übertragungscodes und Zustimmung je Programm
problem-forbidden-transfer-code = Übertragungscodes erstellt nur ein Administrator des Kontos.
problem-forbidden-redeem = Übertragungscodes lösen nur Mitarbeiter eines Partners ein.
problem-transfer-code-spent = Dieser Übertragungscode wurde inzwischen eingelöst, widerrufen oder ist abgelaufen.
error-transfer-code-invalid = Dieser Übertragungscode ist nicht gültig: Er ist vielleicht vertippt, schon benutzt, widerrufen oder abgelaufen. Bitten Sie den Kunden um einen neuen.
error-transfer-code-agreements = Wählen Sie 1 bis { $max } Verträge.
error-agreement-unknown = In diesem Konto gibt es keinen Vertrag { $number }.
error-agreement-cannot-change = Für Vertrag { $number } ist jetzt kein Partnerwechsel möglich; die Vertragsseite nennt die Gründe.
error-expected-program = Erwartet wird ein Programmname aus 1–40 Kleinbuchstaben, Ziffern oder Unterstrichen, etwa standard.
problem-too-many-failed-codes = Zu viele falsche Übertragungscodes für diesen Partner oder von dieser Adresse; versuchen Sie es in { $minutes ->
    [one] einer Minute
   *[other] { $minutes } Minuten
} erneut.
codes-title = Übertragungscodes
codes-intro = In manchen Programmen bestätigt der neue Partner einen Partnerwechsel mit einem Übertragungscode. Erstellen Sie einen Code für die Verträge, die der neue Partner übernehmen soll, und geben Sie ihn weiter; er löst ihn im Partnerportal ein.
codes-new = Ihr neuer Übertragungscode.
codes-new-once = Kopieren Sie ihn jetzt und geben Sie ihn dem neuen Partner: Er wird nur dieses eine Mal angezeigt.
codes-copy = Code kopieren
codes-copied = Der Code ist in der Zwischenablage.
codes-create = Code erstellen
codes-none-codeable = Derzeit kann keiner Ihrer Verträge den Partner wechseln. Die Seite des jeweiligen Vertrags nennt die Gründe.
codes-choose = Verträge, die der neue Partner übernimmt
codes-create-button = Code erstellen
codes-list = Ihre Codes
codes-list-empty = Noch keine Übertragungscodes.
codes-col-code = Code
codes-col-agreements = Verträge
codes-col-created = Erstellt
codes-col-expires = Gültig bis
code-status-active = Gültig
code-status-redeemed = Eingelöst
code-status-revoked = Widerrufen
code-status-expired = Abgelaufen
codes-redeemed-by = von Partner { $csn }
codes-revoke = Widerrufen
code-agreement-not-found = Dieser Vertrag wurde nicht gefunden.
codes-link = Übertragungscode erstellen
redeem-title = Übertragungscode einlösen
redeem-intro = Geben Sie den Übertragungscode ein, den Ihnen der Kunde gegeben hat. Für jeden seiner Verträge startet ein Partnerwechsel zu Ihrem Unternehmen.
redeem-code = Übertragungscode
redeem-button = Einlösen
redeem-col-result = Ergebnis
redeem-done = Code …{ $hint } eingelöst. Die Partnerwechsel werden wie jeder andere bearbeitet.
redeem-nothing = Für keinen Vertrag des Codes ist jetzt ein Partnerwechsel möglich. Es wurde nichts gestartet, und der Code bleibt gültig.
redeem-not-started = Nicht gestartet
consent-title = Zustimmung je Programm
consent-intro = Wie der neue Partner der Übernahme eines Vertrags zustimmt, je Programm: gar nicht, durch Annahme innerhalb einiger Tage oder mit einem Übertragungscode vom Kunden. Bereits beantragte Wechsel bleiben bei der Art, mit der sie beantragt wurden.
consent-default = Programme ohne eigene Festlegung: { $model }
consent-program = Programm
consent-program-hint = 1–40 Kleinbuchstaben, Ziffern oder Unterstriche, wie die Verträge es nennen (etwa standard).
consent-model = Zustimmung
consent-updated = Festgelegt
consent-reset = Auf Standard zurücksetzen
consent-none = Alle Programme folgen dem Standard.
consent-set = Für ein Programm festlegen
consent-kind-none = Keine: Der Wechsel erfolgt nach der Bearbeitungszeit
consent-kind-acceptance = Der neue Partner nimmt an
consent-kind-transfer_code = Übertragungscode vom Kunden
consent-acceptance-days = Tage für die Annahme (1–90, bei Annahme)
consent-code-valid-hours = Gültigkeit eines Codes in Stunden (1–720, bei Übertragungscodes)
consent-save = Speichern
consent-model-none = keine
consent-model-acceptance-days = der neue Partner nimmt innerhalb von { $count ->
    [one] 1 Tag
   *[other] { $count } Tagen
} an
consent-model-transfer-code-valid = Übertragungscode, gültig für { $duration }
bo-consent-link = Zustimmung je Programm
mail-subject-proposal = Ihr neuer Partner: { $partner }
mail-subject-proposal-reminder = Erinnerung: Ihr neuer Partner { $partner }
mail-proposal = { $from } betreut { $account } künftig nicht mehr. Der Hersteller schlägt für { $count ->
    [one] Ihren Vertrag
   *[other] Ihre { $count } Verträge
}, die dieser Partner betreut hat, den unten genannten Partner vor.
mail-proposal-after = Ändern Sie den Partner in kontor mit der Kundennummer (CSN) des vorgeschlagenen Partners, oder wählen Sie einen anderen. Bis dahin ändert sich nichts.
mail-proposal-partner = Vorgeschlagener Partner
mail-proposal-csn = Seine Kundennummer (CSN)
mail-proposal-agreement = Vertrag
mail-proposal-link = { $count ->
    [one] Partner jetzt ändern
   *[other] Diese Verträge öffnen
}
problem-proposal-exists = Für die Kunden dieses Partners wurde bereits ein neuer Partner vorgeschlagen.
mail-footer-admin = Sie erhalten diese Nachricht von kontor, weil Sie das Kundenkonto verwalten.
bo-successor = Seinen Kunden einen Nachfolger vorschlagen (CSN)
bo-successor-hint = Optional. Jedes Kundenkonto, das dieser Partner betreut, erhält einmal eine E-Mail mit Name, CSN und Ort des Nachfolgers und einem Link zum Partnerwechsel. Meist zusammen mit dem Status „inaktiv“ angegeben.
proposals-title = Vorgeschlagene Partner
proposals-intro = Die Partner, die den Kunden eines ersetzten Partners vorgeschlagen wurden, und wer darauf reagiert hat.
proposals-none = Bisher wurde kein Partner vorgeschlagen.
proposals-new = Partner vorschlagen
proposals-from = Ersetzter Partner (CSN)
proposals-to = Vorgeschlagener Partner (CSN)
proposals-propose = Vorschlagen und Kunden benachrichtigen
proposals-col-from = Ersetzter Partner
proposals-col-to = Vorgeschlagener Partner
proposals-col-created = Vorgeschlagen am
proposal-title = { $from } → { $to }
proposal-summary = { $count ->
    [one] 1 Konto
   *[other] { $count } Konten
}: { $changed } gewechselt, { $requested } beantragt, { $none } noch ohne Reaktion.
proposal-col-account = Kundenkonto
proposal-col-progress = Stand
proposal-col-mailed = Benachrichtigt
proposal-col-reminded = Erinnert
proposal-progress-changed = Gewechselt
proposal-progress-requested = Beantragt
proposal-progress-none = Noch ohne Reaktion
proposal-remind = Alle ohne Reaktion erinnern
proposal-reminded = { $count ->
    [one] 1 Konto wurde erinnert.
   *[other] { $count } Konten wurden erinnert.
}
proposal-reminders = { $count ->
    [one] einmal
   *[other] { $count }-mal
}
