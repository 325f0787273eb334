app-name = kontor
skip-to-content = Skip to content
nav-billing = Billing and orders
nav-agreements = Subscriptions and contracts
nav-changes = Partner changes
nav-support-levels = Support levels
nav-signout = Sign out
nav-main = Main navigation
lang-switch = Language
signed-in-as = Signed in as { $name }

signin-title = Sign in
signin-email = Email
signin-password = Password
signin-submit = Sign in
signin-failed = The email or password is not correct.
signed-out = You have signed out.
signin-welcome = Your password is saved. Sign in now with your email address and your new password.
signin-expired = Your session has ended. Please sign in again – you will continue where you left off.

agreements-title = Subscriptions and contracts
agreements-intro = Your agreements. A contract has a contract number (12 digits), a subscription a subscription ID (14 digits).
filter-kind = Kind
filter-status = Status
filter-partner = Partner
filter-search = Search
filter-any = Any
filter-apply = Filter
col-number = Number
col-kind = Kind
col-status = Status
col-term-end = Term ends
col-days-left = Days left
col-auto-renew = Auto-renew
col-partners = Partners
col-support = Support level
kind-contract = Contract
kind-subscription = Subscription
number-contract = Contract number
number-subscription = Subscription ID
status-active = Active
status-expired = Expired
status-canceled = Canceled
status-suspended = Suspended
support-standard = Standard
support-advanced = Advanced
support-premium = Premium
yes = Yes
no = No
next-page = Next page
no-agreements = No agreements match.

agreement-title = { $kind } { $number }
section-products = Products
col-products = Products
filter-search-hint = Number, product, partner or CSN
col-product = Product
col-seats = Seats
section-term = Term
term-range = { $start } to { $end }
days-left = { $days ->
    [0] ends today
    [one] 1 day left
   *[other] { $days } days left
}
days-expired = { $days ->
    [one] ended yesterday
   *[other] ended { $days } days ago
}
program = Program
section-partners = Partners of record
section-history = Partner history
col-partner = Partner
col-from = From
col-to = To
col-source = How
history-current = current
source-import = Import
source-self_service = Self-service
source-transaction = Transaction
source-support = Support
download-csv = Download as CSV
section-pending = Partner change in progress
pending-text = { $partner } will replace { $replaced ->
    [one] the current partner
   *[other] the { $replaced } current partners
}. Takes effect no earlier than { $when }.
withdraw = Withdraw
withdrawn-flash = The partner change was withdrawn.
section-audit = Audit log
col-when = When
col-who = Who
col-what = What
actions = Actions
action-update-partner = Update partner details
action-not-available = Updating the partner is not possible right now:
ask-admin = Only an administrator of your account can change the partner. Please ask your administrator.
possible-from = Possible from { $date }.

wizard-title = Update partner details
wizard-step = Step { $step } of 3
wizard-csn = Account number (CSN) of the new partner
wizard-csn-hint = 10 digits. Ask your new partner for it.
wizard-search = Search
wizard-found = Partner found
wizard-continue = Continue
wizard-cancel = Cancel
wizard-review = Review and submit
wizard-current = { $count ->
    [one] Current partner
   *[other] Current partners
}
wizard-new = New partner
wizard-replaces-all = This agreement has several partners. All of them will be replaced by the new partner. To change only one of them, please contact support.
wizard-submit = Submit
wizard-done-title = Request received
wizard-done-text = Your request to change the partner of { $number } to { $partner } has been received. It takes at least { $minutes } minutes until the change shows in the agreement details – no earlier than { $when }. Until then you can withdraw the request in the agreement details.
wizard-done = Done
partner-inactive = This partner is not active and cannot be chosen.
partner-unknown = No partner with this CSN exists.
partner-unchanged = This partner already is the partner of record.
csn-format = Enter exactly 10 digits (spaces and dashes are ignored).

changes-title = Partner changes
changes-tabs = Direction of the partner changes
changes-incoming = Incoming
changes-outgoing = Outgoing
changes-incoming-intro = Customers who chose you as their new partner.
changes-outgoing-intro = Customers moving from you to another partner.
col-customer = Customer
col-submitted = Requested
change-title = Partner change for agreement { $agreement }
change-answer-by = Answer by
change-takes-effect = Takes effect on
change-decided = Decided on
change-reasons = Why the change was not made
change-state-awaiting_partner = { $partner } must accept the change by { $when }, or it expires.
change-state-pending = The change to { $partner } takes effect on { $when } unless it is withdrawn before.
change-state-applied = { $partner } has served this agreement since { $when }.
change-state-rejected = The change was not made on { $when } because it was no longer possible.
change-state-withdrawn = The change was withdrawn on { $when }.
change-state-declined = { $partner } declined the change on { $when }.
change-state-expired = { $partner } did not answer in time; the change expired on { $when }.
col-agreement = Agreement
col-new-partner = New partner
col-old-partners = Replaced
col-expected = Expected / decided
request-pending = Pending
request-applied = Applied
request-rejected = Rejected
request-withdrawn = Withdrawn
request-awaiting_partner = Awaiting partner
request-declined = Declined
request-expired = Expired
no-changes = No partner changes yet.

levels-title = Support levels
levels-own = Your support level: { $level }
levels-own-agreements = Your active agreements include { $levels }. A question about an agreement is answered at that agreement's level; this is the highest.
levels-own-none-title = Your support level
levels-own-none = You have no active agreement at the moment, and so no support level. Support still answers questions about expired agreements.
levels-yours = Your level
levels-reach = How to reach support
levels-reach-text = Ask the assistant: it answers much at once and otherwise opens a support case with your question. The case shows when support will answer and holds the answers. If it is about a particular agreement, give its number.
levels-reach-cases = Go to your support cases
list-and = { $first } and { $last }
levels-intro = Each agreement includes one support level. This is what each includes.
level-row-channels = Channels
level-row-hours = Hours
level-row-response = First response
level-row-contact = Named contact
level-standard-channels = Web and email
level-advanced-channels = Web, email and phone
level-premium-channels = Web, email, phone and remote sessions
level-standard-hours = Business hours
level-advanced-hours = Extended business hours
level-premium-hours = 24/7
level-standard-contact = No
level-advanced-contact = No
level-premium-contact = Yes

error-404-title = Not found
error-404-text = This page does not exist, or you do not have access to it.
error-403-title = Not allowed
error-403-text = You do not have permission for this page. If you need it, ask an administrator of your account.
error-500-title = Something went wrong
error-500-text = Something went wrong on our side. It has been logged; please try again.
error-400-title = Request refused
error-400-text = The request could not be accepted. Please go back and try again.
error-413-title = File or form too large
error-413-text = What you sent is larger than kontor accepts here. Please split an import file into smaller files, or ask your operator.
error-408-title = Request timed out
error-408-text = The request took too long and was stopped; nothing was saved. Please try again.
back-home = Back to your agreements

audit-change_requested = Partner change requested
audit-change_withdrawn = Partner change withdrawn
audit-change_applied = Partner change applied
audit-change_rejected = Partner change rejected
audit-partner_assignment_changed = Partners of record changed
audit-transaction_recorded = Transaction recorded
audit-user_created = User created
audit-role_changed = Role changed
audit-token_issued = API token issued
audit-import_applied = Data imported
audit-policy_changed = Policy changed
audit-partner_saved = Partner directory changed
nav-backoffice = Back office
bo-partners-title = Partner directory
bo-new-partner = New partner
bo-name = Name
bo-city = City
bo-country = Country
bo-email = Email for notifications
bo-save = Save
bo-saved = Partner { $csn } saved.
partner-status-active = Active
partner-status-inactive = Inactive
bo-import-title = Import
bo-import-intro = Upload a file in the import format: JSON with every collection, or a CSV file of one collection named after it (partners.csv, accounts.csv, users.csv, agreements.csv). It is imported completely or not at all; importing the same file again changes nothing.
bo-import-file = Import file (JSON or CSV)
bo-import-submit = Import
bo-import-done = Imported { $partners ->
    [one] 1 partner
   *[other] { $partners } partners
}, { $accounts ->
    [one] 1 customer account
   *[other] { $accounts } customer accounts
}, { $users ->
    [one] 1 person
   *[other] { $users } people
} and { $agreements ->
    [one] 1 agreement
   *[other] { $agreements } agreements
}.
bo-import-more = { $n ->
    [one] … and 1 more error.
   *[other] … and { $n } more errors.
}
bo-import-failed = Nothing was imported. Fix these records and upload the file again:
bo-import-where = Where
bo-import-problem = What
bo-import-at-line = Line { $line }
bo-import-at-record = Record { $n } of { $collection }
bo-import-at-position = Line { $line }, character { $column }
bo-import-at-file = The file's top level
bo-import-column = column
bo-import-field = field
bo-import-key = key
bo-import-entry = , entry { $n }
nav-people = People
people-title = People of your account
people-intro = Administrators see every agreement and may change partners; users see only the agreements chosen for them.
people-role = Role
people-add-agreements = Add more agreements
people-add-agreements-hint = Contract or subscription numbers, separated by commas or new lines.
people-add-agreements-more = The account has more agreements than are offered here.
people-sees = Agreements this user sees
people-removed = { $email } no longer has access. You can invite them again later.
people-saved = Saved for { $email }.
role-primary_admin = Primary administrator
role-secondary_admin = Administrator
actor-worker = kontor (background worker)
actor-import = kontor (import)
actor-cli = kontor (command line)
actor-delivery = kontor (delivery)
actor-demo = kontor (demo data)
role-partner_admin = Partner administrator
role-partner_agent = Partner agent
role-support_agent = Support agent
role-operator = Operator
role-user = User
audit-support_case_opened = Support case opened
audit-support_case_resolved = Support case resolved
nav-cases = Support cases
case-opened = Opened
case-conversation = Conversation
case-first-message = Message when opened
case-no-messages = No messages yet.
case-reply = Reply
case-reply-label = Your reply
case-reply-send = Send reply
case-side-customer = Customer
case-side-support = Support
case-state-open = Open – support will answer
case-state-waiting_for_you = Waiting for your reply
case-state-resolved = Resolved
case-state-waiting_for_support = Waiting for support
case-state-waiting_for_customer = Waiting for the customer
cases-views = Support case views
cases-queue = Open cases
cases-all = All cases
cases-queue-intro = Open cases, the next deadline first; missed deadlines are marked.
error-reply-empty = Please write your reply.
case-title = Change only one of several partners
case-intro = This agreement has several partners. A self-service change replaces all of them; to replace only one, ask support here.
case-replace = Partner to replace
case-message = Message for support (optional)
case-submit = Open support case
case-open = Open
case-resolved = Resolved
case-resolve = Replace this partner
cases-title = Support cases
cases-none = No support cases.
action-change-one = Change only one of several partners
bo-accounts-title = Customer accounts
bo-accounts-intro = Every customer account; open one to see its agreements, people and support cases.
bo-accounts-search-hint = Name or customer number (CSN)
bo-accounts-none = No customer account matches this search.
bo-account-all-agreements = All agreements of this account
bo-account-audit = This account's audit log
bo-account-more-agreements = Show more agreements of this account
bo-account-people = People
bo-account-no-people = This account has no people yet.
bo-account-removed = Access removed
agreements-of-account = Only the agreements of { $account }.
agreements-all-accounts = Show every account
bo-audit-title = Audit search
bo-account = Account
bo-change = Before → after
people-add = Add a person
people-add-submit = Add and create invitation link
people-invited = { $email } was added.
people-invite-link = Invitation link
people-invite-link-text = Send this link to the person. It works once, within 7 days, and lets them choose a password. It is shown only now.
people-remove = Remove access
people-no-access = No access (removed)
invite-title = Choose your password
invite-text = Welcome to kontor. Choose a password of at least 10 characters to finish setting up your access.
invite-submit = Save password

mail-subject-case-reply = New reply in the support case about agreement { $agreement }
mail-case-reply = { $author } writes:
mail-subject-case-reply-general = New reply in your support case
mail-subject-case-opened = New support case about agreement { $agreement }
mail-subject-case-opened-general = New support case
mail-case-opened = { $author } opened a support case:
mail-case-reply-link = Reply in the support case
mail-case-reply-link-support = Open the case and reply
mail-greeting = Hello,
mail-footer = You receive this message from kontor because you administer the customer account or are a partner concerned by the change.
mail-footer-case = You get this message from kontor because you take part in this support case.
mail-footer-operator = You receive this message from kontor because you are an operator.
mail-link = Open in kontor
mail-fact-agreement = Agreement
mail-fact-account = Customer account
mail-fact-new-partner = New partner
mail-fact-old-partners = { $n ->
    [one] Replaced partner
   *[other] Replaced partners
}
mail-fact-request = Request
mail-fact-endpoint = Endpoint
mail-subject-submitted = Partner change requested for agreement { $agreement }
mail-subject-withdrawn = Partner change withdrawn for agreement { $agreement }
mail-subject-applied = Partner changed for agreement { $agreement }
mail-subject-rejected = Partner change for agreement { $agreement } not applied
mail-submitted-account_admin = A change of partner was requested for agreement { $agreement }. It is processed after the processing delay and can be withdrawn until then.
mail-submitted-new_partner = Customer account { $account } asked for you to become the partner of agreement { $agreement }.
mail-submitted-old_partner = Customer account { $account } asked to move agreement { $agreement } to another partner.
mail-withdrawn = The requested partner change for agreement { $agreement } was withdrawn. Nothing changes.
mail-applied-account_admin = The partner of agreement { $agreement } has been changed.
mail-applied-new_partner = You are now the partner of record for agreement { $agreement } of customer account { $account }.
mail-applied-old_partner = You are no longer the partner of record for agreement { $agreement } of customer account { $account }.
mail-rejected = The partner change for agreement { $agreement } could not be applied:
mail-subject-endpoint-disabled = Webhook endpoint disabled: { $url }
mail-endpoint-disabled = kontor disabled the webhook endpoint { $url }: { $reason }. Its events are kept and sent once an operator enables it again.
wh-title = Webhooks
wh-intro = kontor POSTs every partner change to these endpoints, signed per Standard Webhooks, and retries failed deliveries for about three days.
wh-events = Events
wh-all-events = all events
wh-all-events-hint = none checked: all
wh-state-healthy = Enabled
wh-done-enabled = The endpoint is enabled again; its waiting events are sent now.
wh-done-disabled = The endpoint is disabled. Its events are kept until you enable it again.
wh-done-deleted = The endpoint was deleted.
wh-state-failing = Enabled, failing since { $since }
wh-state-disabled = Disabled: { $reason }
wh-enable = Enable
wh-disable = Disable
wh-rotate = New signing secret
wh-delete = Remove
wh-new = Add an endpoint
wh-description = Description
wh-add = Add
wh-secret-once = Signing secret for { $url } – copy it now, it is shown only once. After a rotation the previous secret keeps signing for a day:
dl-title = Deliveries
dl-intro = Emails and webhooks that failed for good (dead letters), wait for their next attempt, or were delivered.
dl-created = Queued
dl-kind = Message
dl-target = Recipient or endpoint
dl-attempts = Attempts
dl-next = Next attempt
dl-error = Last error
dl-resend = Send again
dl-resent = Queued again; it is sent within seconds.
dl-count-dead = { $count ->
    [0] Given up: none
   *[other] Given up: { $count }
}
dl-count-pending = { $count ->
    [0] Pending: none
   *[other] Pending: { $count }
}
dl-count-delivered = Delivered
dl-none-dead = No delivery was given up: everything arrived or is still being tried.
dl-none-pending = Nothing is waiting for an attempt.
dl-none-delivered = Nothing delivered yet.
dl-endpoint-deleted = (deleted endpoint)
audit-webhook_endpoint_saved = Webhook endpoint saved
audit-webhook_endpoint_deleted = Webhook endpoint removed
audit-webhook_endpoint_disabled = Webhook endpoint disabled
audit-delivery_resent = Delivery sent again
audit-password_reset = Password reset
audit-profile_changed = Own details changed
audit-password_changed = Password changed
audit-sessions_ended = Other sessions signed out
audit-notifications_changed = Notifications changed
audit-support_case_replied = Reply in a support case
mail-greeting-name = Hello { $name },
mail-footer-person = You receive this message from kontor because it was asked for your account. If you did not expect it, you can ignore it.
mail-subject-invitation = You are invited to kontor
mail-invitation = You have been given access to your company's agreements in kontor. Set your password with the link below; it works once.
mail-invitation-link = Set your password
mail-subject-password-reset = Reset your kontor password
mail-password-reset = Someone (hopefully you) asked to reset the password of your kontor account. Set a new one with the link below; it works once and signs you out everywhere. If you did not ask, ignore this mail: your password stays as it is.
mail-password-reset-link = Set a new password
mail-subject-password-changed = Your kontor password was changed
mail-password-changed = The password of your kontor account was changed in your settings on { $at }. Your other sessions were signed out.
mail-password-changed-not-you = Was this not you? Reset your password at once with the link below and tell your account administrator.
mail-password-changed-link = Reset password
mail-footer-security = This is a security notice about your kontor account; it cannot be switched off.
mail-link-expires = The link works until { $at }.
reset-forgot = Forgot your password?
reset-title = Reset your password
reset-text = Enter the email address you sign in with. We mail you a link to set a new password; it works once, for 60 minutes.
reset-send = Send the link
reset-sent = If { $email } has an account, a link to set a new password is on its way. It works once, for 60 minutes.
reset-bad-email = Enter an email address such as anna@example.com.
reset-new-text = Choose a new password of at least 10 characters. Saving it signs you out everywhere.
reset-save = Save the new password
reset-expired = This link no longer works: it was used, or more than 60 minutes have passed. Ask for a new one.
reset-done = Your new password is saved. Please sign in.
mail-subject-awaiting_partner = Partner change for agreement { $agreement } awaits the new partner
mail-subject-accepted = Partner change for agreement { $agreement } accepted
mail-subject-declined = Partner change for agreement { $agreement } declined
mail-subject-expired = Partner change for agreement { $agreement } expired
mail-awaiting_partner-account_admin = A change of partner was requested for agreement { $agreement }. The new partner has to accept it first; you are told when they answer.
mail-awaiting_partner-new_partner = Customer account { $account } asked for you to become the partner of agreement { $agreement }. Please accept or decline in kontor under Partner changes.
mail-awaiting_partner-old_partner = Customer account { $account } asked to move agreement { $agreement } to another partner, who has yet to accept.
mail-accepted = The new partner accepted the change for agreement { $agreement }. It is processed after the processing delay.
mail-declined = The new partner declined the change for agreement { $agreement }. Nothing changes.
mail-expired = The new partner did not answer in time for agreement { $agreement }. Nothing changes; the change can be requested again.
audit-change_accepted = Change accepted by the new partner
audit-change_declined = Change declined by the new partner
audit-change_expired = Change expired without an answer
changes-accept = Accept
changes-decline = Decline
changes-accepted = Accepted: the change is processed after the processing delay.
changes-declined = Declined: nothing changes.
signin-throttled = Too many failed sign-ins for this account or from this address. Try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
audit-token_revoked = API token revoked
audit-access_revoked = Signed out everywhere (tokens and sessions)
audit-access_removed = Access removed
audit-invitation_accepted = Invitation accepted, password chosen

cancel = Cancel
withdraw-confirm = Withdraw this partner change?
withdraw-confirm-text = The change for agreement { $agreement } will not be made; the current partner stays. You can request a new change afterwards.
changes-accept-confirm = Accept this partner change?
changes-accept-confirm-text = Your acceptance starts the processing time for agreement { $agreement }; after it you serve the customer for this agreement.
changes-decline-confirm = Decline this partner change?
changes-decline-confirm-text = The change for agreement { $agreement } will not be made, and the customer is told that you declined.
people-remove-confirm = Remove { $email }'s access?
people-remove-confirm-text = They are signed out everywhere at once, their API tokens are revoked and open invitations stop working. You can invite them again later.
wh-disable-confirm = Disable the endpoint { $url }?
wh-disable-confirm-text = Deliveries to it are held and kept until you enable it again.
wh-rotate-confirm = Create a new secret for { $url }?
wh-rotate-confirm-text = The new secret is shown once. The previous one keeps signing alongside for a day, so that you can switch the receiver over.
wh-delete-confirm = Remove the endpoint { $url }?
wh-delete-confirm-text = The endpoint and the log of its deliveries are deleted; pending deliveries to it are dropped. This cannot be undone.

# Labels of codes (Tr::label): programs, webhook event types, messages,
# delivery states.
program-standard = Standard
program-eba_token_flex = Enterprise Business Agreement with Token Flex
event-partner_change-submitted = Partner change requested
event-partner_change-withdrawn = Partner change withdrawn
event-partner_change-applied = Partner change applied
event-partner_change-rejected = Partner change rejected
event-partner_change-awaiting_partner = Awaiting the new partner
event-partner_change-accepted = Accepted by the new partner
event-partner_change-declined = Declined by the new partner
event-partner_change-expired = Expired without an answer
event-partner_change-renewal_named = Partner named for the renewal
event-partner_change-renewal_withdrawn = Partner for the renewal withdrawn
event-partner_change-renewal_applied = Partner changed with the renewal
event-partner_change-renewal_rejected = Partner for the renewal not applied
event-partner_change-renewal_lapsed = Partner for the renewal lapsed
message-kind-partner_change_emails = Partner change notice
message-kind-webhook_endpoint_disabled = Webhook endpoint disabled
message-kind-invitation = Invitation
message-kind-password_reset = Password reset
message-kind-password_changed = Password changed
message-kind-case_reply = Reply in a support case
dl-status-pending = Pending
dl-status-delivered = Delivered
dl-status-dead = Given up
wizard-agreement = Agreement
wizard-product = { $name } ({ $seats ->
    [one] 1 seat
   *[other] { $seats } seats
})
wizard-timing = After you submit, it takes at least { $minutes } minutes until the new partner is your partner. Until then you can withdraw the request.
wizard-timing-acceptance = The new partner has to accept the change within { $days } days; after that it takes at least { $minutes } minutes until they are your partner. Until then you can withdraw the request.
wizard-back = Back

reason-action-support = How to reach support
reason-action-pending = Go to the change in progress

# Field messages of the use cases (FieldError codes), #18.
error-partner-unknown = There is no partner with the account number (CSN) { $csn }.
error-partner-not-active = Partner { $csn } is not active and cannot be chosen.
error-case-not-a-partner = Enter the account number (CSN) of one of this agreement's current partners.
error-case-already-partner = { $csn } already is a partner of this agreement.
error-csn-format = An account number (CSN) has 10 digits, for example 5100-000001.
error-text-too-long = At most { $max } characters.
error-person-has-access = { $email } already has access to kontor.
error-person-is-primary = The primary administrator's access cannot be removed here.
error-email-format = Enter an email address, for example anna@example.com.
error-name-length = Enter a name of 1 to 200 characters.
error-text-length = Enter 1 to { $max } characters.
error-country-format = Enter an ISO 3166-1 country code, for example DE.
error-partner-status = Choose active or inactive.
error-partner-exists = There already is a partner with the account number (CSN) { $csn }.
error-password-length = The password needs at least { $min } characters.
error-password-weak = Choose a password that is harder to guess: no common password, single word, name or keyboard pattern. A few unrelated words make a strong one.
error-password-personal = The password must not contain your name, your company or your email address ("{ $word }").
error-password-too-long = The password can be at most { $max } characters long.
error-role-of-primary = The primary administrator's role cannot be changed here.
error-agreements-of-admin = Administrators see every agreement of the account; only users have a selection.
error-agreement-not-in-account = Agreement { $number } does not belong to this account.
error-webhook-url-format = Enter the endpoint's address with http:// or https://, for example https://hooks.example.com/kontor.
error-webhook-url-private = Addresses on loopback or private networks are not allowed. Whoever runs kontor can allow them with KONTOR_WEBHOOK_ALLOW_PRIVATE=true.
error-webhook-event-unknown = There is no such event.
csv-agreement = Agreement
csv-partner = Partner (CSN)
csv-partner_name = Partner name
csv-valid_from = Valid from
csv-valid_to = Valid to
csv-source = How
csv-seq = No.
csv-at = When
csv-actor = Who
csv-action = What
csv-account = Account
csv-request = Request
csv-before = Before
csv-after = After

## Dates and times (i18n/dates.rs)
date-format = { $day } { $month } { $year }
time-format = { $hour12 }:{ $minute } { $ampm }
datetime-format = { $date }, { $time }
time-am = am
time-pm = pm
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
rel-moment = in a moment
rel-just-now = just now
rel-in-minutes = { $n ->
    [one] in 1 minute
   *[other] in { $n } minutes
}
rel-ago-minutes = { $n ->
    [one] 1 minute ago
   *[other] { $n } minutes ago
}
rel-in-hours = { $n ->
    [one] in about an hour
   *[other] in about { $n } hours
}
rel-ago-hours = { $n ->
    [one] about an hour ago
   *[other] about { $n } hours ago
}
rel-in-days = { $n ->
    [one] in 1 day
   *[other] in { $n } days
}
rel-ago-days = { $n ->
    [one] 1 day ago
   *[other] { $n } days ago
}

## API problems and field messages (web/error.rs)
## The API answers English callers with the English text the code
## carries; these English words are what pages and the scan test use.
problem-invalid-field = { $field }: { $message }
problem-invalid-fields = { $count ->
    [one] 1 field is invalid
   *[other] { $count } fields are invalid
}
problem-unauthenticated = send a valid API token as `Authorization: Bearer <token>`
problem-not-found = { $what } not found
problem-no-such-endpoint = no such endpoint: { $path }
problem-internal = something went wrong on our side; it has been logged
problem-not-eligible = the partner change is not available for this agreement; see reasons
problem-too-many-failed-signins = too many failed sign-ins for this account or from this address; try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}
problem-body-too-large = the request body is larger than { $setting } ({ $limit } bytes); nothing was done
problem-import-too-large = the import is larger than max_import_bytes ({ $limit } bytes); nothing was imported
problem-refused-too-large = { $reason }
problem-request-timeout = the request took too long and was stopped; nothing of it was kept
problem-malformed-json = the body is not valid JSON: { $reason }
problem-unsupported-media-type = send the body as JSON with `Content-Type: application/json`
problem-refused-media-type = { $reason }
problem-method-not-allowed = this method is not allowed here; the Allow header names those that are
problem-bad-request = { $reason }
problem-idempotency-key-reused = this Idempotency-Key was already used with a different request body
problem-idempotency-key-in-flight = a request with this Idempotency-Key is still being processed; retry shortly
problem-invalid-import = { $count } invalid field(s); nothing was imported
problem-permission-read-audit = only account administrators and vendor staff read the audit log
problem-permission-use-back-office = only vendor staff use the back office
problem-permission-manage-partners = only operators change the partner directory
problem-permission-choose-consent = only operators choose how partners consent to a change
problem-permission-import-export = only operators import and export data
problem-permission-operate-webhooks = only operators manage webhooks and deliveries
problem-permission-resolve-support-cases = only support agents resolve support cases
problem-permission-manage-account-people = only the primary admin manages people
problem-permission-revoke-anyones-access = only operators end other people's access
problem-forbidden-record-transactions = only partners and operators record transactions
problem-forbidden-case-reply = only the account's administrators, the person who opened the case, and support reply in a support case
problem-forbidden-open-case = only an administrator of the account opens this support case
problem-forbidden-withdraw = only an administrator of the account can withdraw a partner change
problem-forbidden-answer = only the new partner can accept or decline a partner change
problem-forbidden-change-partner = only { $who ->
    [this] this account's
   *[other] an account
} administrator can change the partner; please ask your administrator
problem-forbidden-manage-people = only the account's primary administrator manages its people
problem-change-pending = a partner change for this agreement is already pending
problem-case-resolved = the support case is already resolved
problem-partner-no-longer-of-record = the partner to replace is no longer a partner of record
problem-request-decided = the request was decided meanwhile and can no longer be withdrawn
problem-request-answered = the request was answered, withdrawn or expired meanwhile
problem-invalid-transition = cannot { $event } a request that is { $status }
problem-token-revoked = this token is already revoked
problem-delivery-delivered = this delivery was delivered; there is nothing to send again
problem-conflict-on = conflict on { $what }
error-expected-csn = expected exactly 10 digits (CSN)
error-expected-contract-number = expected exactly 12 digits (contract number)
error-expected-subscription-id = expected exactly 14 digits (subscription ID)
error-expected-agreement-number = expected a contract number (12 digits) or a subscription ID (14 digits)
error-expected-one-of = expected one of: { $list }
error-expected-uuid = expected { $what ->
    [request] a request
    [token] a token
    [support-case] a support case
    [endpoint] an endpoint
    [delivery] a delivery
    [transfer-code] a transfer code
    [proposal] a proposal
    [dispute] a dispute
   *[other] an
} id (UUID)
error-expected-whole-number = expected a whole number from { $min } to { $max }
error-expected-cursor = expected a cursor returned by the previous page
error-expected-json-object = expected a JSON object
error-expected-date = expected a date as YYYY-MM-DD
error-expected-text = expected 1–{ $max } characters, not only spaces
error-expected-at-least = expected at least { $min }
error-expected-idempotency-key = expected 1–255 visible ASCII characters
error-expected-collection = expected partners, accounts, users or agreements (for a text/csv body)
error-expected-agreement-count = expected 1–{ $max } agreement numbers
error-expected-at-most-events = expected at most { $max } events
error-missing-field = { $reason }
error-unknown-field = { $reason }
error-invalid-value = { $reason }
error-query-form = expected the parameter once, in its documented form ({ $reason })
error-required-for-kind = required for { $kind }: { $field ->
    [term_end] a date as YYYY-MM-DD
    [product] (name, seats) with seats ≥ 1
    [replaces] the name of the product line replaced
   *[other] this field
}
error-not-used-by-kind = not used by { $kind }; leave it out
error-renewal-too-early = a renewal must end after the current term end { $term_end }
error-term-end-unchanged = the new term end must differ from the current one and not be in the past
error-replaces-unknown = must name a product line of the agreement
error-partner-not-own = partner staff can only name their own partner
error-agreement-canceled = the agreement is canceled
error-partner-unchanged = Partner { $csn } already is the partner of record.
error-role-choice = Choose { role-secondary_admin } or { role-user }.
error-lang-choice = Choose German (de) or English (en).

## Your settings (pages/settings.rs)
settings-title = Your settings
settings-check = Please check the marked fields.
settings-profile = Your details
settings-language = Language
settings-language-hint = kontor shows you pages and writes you emails in this language.
settings-time-zone = Time zone
settings-time-zone-hint = Every time in kontor and in your emails is given in this time zone.
settings-profile-saved = Your details are saved.
settings-password = Change password
settings-password-current = Current password
settings-password-new = New password
settings-password-repeat = Repeat the new password
settings-password-hint = At least 10 characters and hard to guess – a few random words, for example. It must not contain your name or email address.
settings-password-submit = Change password
settings-password-wrong = The current password is not correct.
settings-password-mismatch = The two new passwords do not match.
settings-password-saved = Your password is changed. { $ended ->
    [0] You were not signed in anywhere else.
    [one] One other session was signed out.
   *[other] { $ended } other sessions were signed out.
} You will get a confirmation by email.
settings-notify = Email notifications
settings-notify-legend = Get emails about your account's partner changes when a change …
settings-notify-submitted = … is requested
settings-notify-withdrawn = … is withdrawn
settings-notify-applied = … is applied
settings-notify-rejected = … is rejected because it was no longer possible
settings-notify-awaiting_partner = … waits for the new partner's consent
settings-notify-accepted = … is accepted by the new partner
settings-notify-declined = … is declined by the new partner
settings-notify-expired = … expires because the new partner did not answer
settings-notify-always = Security emails are always sent: invitation and reset links, and the notice that your password was changed.
settings-notify-none = Your role gets no emails about partner changes. Partners are notified at their company's contact address.
settings-notify-saved = Your notifications are saved.
settings-sessions = Where you are signed in
settings-sessions-intro = Sessions end after { $minutes } minutes without activity. If you do not recognise a session, sign out all others and change your password.
settings-browser = Browser
settings-browser-unknown = Unknown browser
settings-signed-in = Signed in
settings-last-seen = Last active
settings-this-session = This session
settings-sessions-end = { $count ->
    [one] Sign out the other session
   *[other] Sign out the { $count } other sessions
}
settings-sessions-ended = { $ended ->
    [0] There were no other sessions.
    [one] One other session was signed out.
   *[other] { $ended } other sessions were signed out.
}
error-expected-event = expected one of { $events }
error-time-zone-unknown = Choose a time zone from the list, for example Europe/Berlin.
error-password-current-wrong = This is not the current password.
tokens-title = Personal API tokens
tokens-intro = With a token, scripts and other systems use kontor in your name and with your rights.
tokens-docs = Go to the API documentation
token-label = Name
token-label-example = for example ERP export
token-created = Created
token-validity = Valid
token-days = { $days } days
token-valid-unlimited = Until revoked
token-valid-until = Until { $at }
token-expired-at = Expired on { $at }
token-revoked-at = Revoked on { $at }
token-issue = Create token
token-new = Your new token "{ $label }":
token-new-once = Copy it now – kontor will not show it again.
token-revoke = Revoke
token-revoke-confirm = Revoke the token "{ $label }"?
token-revoke-confirm-text = The token stops working at once; scripts using it are turned away. This cannot be undone.
token-revoked = The token is revoked.
## Import errors (service/import)
## The command line and the API's English callers read the English words
## the import carries; these are what pages say.
error-import-unknown-field = unknown field; expected one of: { $allowed }
error-import-expected-string = expected a string
error-import-expected-bool = expected true or false
error-import-expected-program = expected a program name of 1–40 lower-case letters, digits or underscores, such as standard
error-import-expected-users = expected an array of users
error-import-one-primary-admin = an account has exactly one primary_admin
error-import-one-tenant = give exactly one of account, partner or vendor: true
error-import-role-for-tenant = expected { $tenant ->
    [account] primary_admin, secondary_admin or user
    [partner] partner_admin or partner_agent
   *[other] support_agent or operator
} for this tenant
error-import-term-end-before-start = must not be before term_start
error-import-expected-products = expected at least one product with name and seats (in a CSV file: AutoCAD:5;Revit:2)
error-import-listed-twice = listed twice
error-import-expected-partners = expected at least one partner CSN (in a CSV file separated by ;)
error-import-unknown-reference = no { $what ->
    [account] account
   *[other] partner
} with CSN { $csn } exists in the file or the database
error-import-primary-admin-taken = the account already has another primary_admin
error-import-conflict = conflicts with an existing { $what }
error-import-csv-not-utf8 = the file is not valid CSV at line { $line }: a cell is not UTF-8 text
error-import-csv-row-length = the file is not valid CSV at line { $line }: the row has { $cells } cells, the header { $header }
error-import-csv-unreadable = the file is not valid CSV at line { $line }: { $reason }
error-import-csv-quote-open = the file is not valid CSV at line { $line }: a quoted cell is never closed
error-import-csv-quote-after = the file is not valid CSV at line { $line }: text after a closing quote (quote a quote by doubling it)
error-import-csv-quote-inside = the file is not valid CSV at line { $line }: a quote inside an unquoted cell (quote the cell and double the quote)
error-import-csv-unknown-column = unknown column { $column }; { $collection } takes { $allowed }
error-import-csv-column-twice = the header names column { $column } twice
error-import-json-invalid = the file is not valid import JSON: { $reason }
error-import-collection-twice = this collection appears twice; give each collection once
error-import-unknown-collection = unknown collection; expected partners, accounts, users or agreements
people-pending = Invitation pending
people-pending-text = This person has not chosen a password yet. A new link replaces the earlier ones.
people-resend = Send the invitation again
people-resent = { $email } got a new invitation link by email; earlier links no longer work.
people-copy-link = Copy link
people-link-copied = The link is on the clipboard.
audit-invitation_resent = Invitation sent again
problem-invitation-not-pending = { $email } has no open invitation: they already chose a password or no longer have access.
token-copy = Copy token
token-copied = The token is on the clipboard.
invite-link-dead = This invitation link no longer works: it was used, has expired or was replaced by a newer one. Ask your account administrator to send the invitation again.
wh-url = Endpoint address (URL)
wh-none = No endpoints yet. Add one below so your systems learn of every partner change.

# #19: the audit's changes as named fields
audit-field-waiting_on = Waiting on
audit-field-user = Person
audit-field-status = Status
audit-field-name = Name
audit-field-partners = Partners
audit-field-role = Role
audit-field-lang = Language
audit-field-email = Email
audit-field-token_id = Token
audit-field-support_level = Support level
audit-field-sees = Sees agreements
audit-field-products = Products
audit-field-password_set = Password set
audit-field-label = Label
audit-field-invited = Invited
audit-field-enabled = Active
audit-field-auto_renew = Renews automatically
audit-field-access = Access
audit-field-url = Address
audit-field-time_zone = Time zone
audit-field-sessions_ended = Sessions ended
audit-field-seats = Seats
audit-field-revoked = Revoked
audit-field-other_sessions_ended = Other sessions ended
audit-field-muted = No email about
audit-field-id = Identifier
audit-field-endpoint = Endpoint
audit-field-due_at = Due at
audit-field-csn = Customer number (CSN)
audit-field-country = Country
audit-field-case = Support case
audit-field-valid_days = Valid (days)
audit-field-users = People
audit-field-type = Type
audit-field-transaction = Transaction
audit-field-tokens_revoked = Tokens revoked
audit-field-term_end = Term end
audit-field-secret_rotated = Secret rotated
audit-field-replace_partner = Partner to replace
audit-field-reasons = Reasons
audit-field-reason = Reason
audit-field-program = Program
audit-field-previous_secret_until = Previous secret valid until
audit-field-password = Password
audit-field-number = Number
audit-field-new_partner = New partner
audit-field-kind = Kind
audit-field-event_types = Events
audit-field-description = Description
audit-field-delivery = Delivery
audit-field-city = City
audit-field-agreement = Agreement
audit-field-accounts = Customer accounts
audit-field-agreements = Agreements
audit-field-processing_delay_minutes = Processing time (minutes)
audit-field-expiry_window_days = Expiry window (days)
audit-field-acceptance_required = Partner must accept
audit-field-acceptance_days = Days to accept
audit-field-expires_at = Valid until
audit-field-term_start = Term start
audit-field-account = Customer account
audit-field-message = Message
audit-field-answer = Answer
audit-field-resolution = Resolution
audit-status-active = Active
audit-status-expired = Expired
audit-status-canceled = Canceled
audit-status-suspended = Suspended
audit-status-inactive = Inactive
audit-status-pending = Pending
audit-status-applied = Applied
audit-status-rejected = Rejected
audit-status-withdrawn = Withdrawn
audit-status-awaiting_partner = Awaiting partner
audit-status-declined = Declined by partner
audit-status-open = Open
audit-status-resolved = Resolved
audit-event-submitted = Requested
audit-event-withdrawn = Withdrawn
audit-event-applied = Applied
audit-event-rejected = Rejected
audit-event-awaiting_partner = Awaiting partner
audit-event-accepted = Accepted
audit-event-declined = Declined by partner
audit-event-expired = Expired
reason-label-auto_renew = Renews automatically
reason-label-token_flex_eba = Enterprise Business Agreement with Token Flex
reason-label-expired = Term ended
reason-label-expires_soon = Ends soon
reason-label-not_active = Not active
reason-label-subscription_requires_transaction = Subscription: changes only with a transaction
reason-label-change_pending = A change is already pending
reason-label-not_permitted = Not permitted
reason-label-renewal_scheduled = Partner named for the renewal
reason-label-transfer_code_required = Needs a transfer code
reason-label-partner_unknown = Partner unknown
reason-label-partner_inactive = Partner inactive
reason-label-partner_unchanged = Partner unchanged
language-de = Deutsch
language-en = English

## Spans of time (help articles, support targets).
duration-minutes = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}
duration-hours = { $count ->
    [one] 1 hour
   *[other] { $count } hours
}
level-response-within = Within { $duration }
case-topic-replace_partner = Replace one of several partners
case-topic-question = Question for support
case-subject = Subject
case-agreement = Agreement
case-no-agreement = No particular agreement
case-level = Support level
case-respond-by = First response by
case-respond-by-text = Support answers by { $when } ({ $level }: { $duration }).
case-resolve-question = Mark as resolved

## The help center and the assistant (#20).
nav-help = Help
help-title = Help
help-intro = Guides and answers about kontor – for customers, partners and the vendor's support.
help-search-label = Search the help
help-search = Search
help-results = Results for “{ $q }”
help-no-results = The help has nothing on this. Try other words, or ask the assistant – it can also put you in touch with a person.
help-audience-everyone = For everyone
help-audience-customer = For customers
help-audience-partner = For partners
help-audience-vendor = For support and operations
help-related = Related articles
help-back = All help articles
help-more = More in the help
help-sign-in = Sign in to ask the assistant about your agreements.
assistant-title = Ask the assistant
assistant-intro = The assistant answers from kontor's help, explains why an agreement's partner can or cannot change, and puts you in touch with a person.
assistant-label = Your question
assistant-hint = For example: Why can't I change the partner of 1100 0000 0011?
assistant-ask = Ask
assistant-context = About agreement { $number }
assistant-you = You
assistant-name = Assistant
assistant-answers = From the help
assistant-none = I can't find an answer to that in kontor's help. A person from support will be glad to help.
assistant-unknown-agreement = None of your agreements has the number { $number }. Contract numbers have 12 digits, subscription IDs 14.
assistant-eligible = You can change the partner of { $number } now: open the agreement and choose “{ $action }”.
assistant-blocked = { $count ->
    [one] The partner of { $number } cannot change right now. The reason:
   *[other] The partner of { $number } cannot change right now, for { $count } reasons:
}
assistant-open-agreement = Open agreement { $number }
assistant-handoff-title = Talk to a person
assistant-handoff-text = Support gets your question and this conversation as a support case and answers you there. The case shows when the first answer is due.
assistant-handoff-message = Anything to add? (optional)
assistant-handoff-submit = Open a support case
assistant-handoff-unavailable = Support cases are opened by people of a customer account. As a partner or a member of the vendor's staff, please contact your vendor contact.
assistant-handoff-opened = Your support case is open. Support answers you here, and you get an email when they do.
assistant-transcript-header = Conversation with the assistant
assistant-transcript-person = { $name } asked
assistant-transcript-assistant = The assistant answered
assistant-transcript-articles = Suggested articles: { $titles }
assistant-transcript-note = Message
error-question-empty = Please write your question.
error-assistant-lang = Expected de or en.
error-conversation-empty = The conversation holds no question.
problem-forbidden-ask-support = Only people of a customer account open a support case.
error-conversation-too-long = At most { $max } turns in the conversation.
help-notifications = Which emails you get
nav-assistant = Ask the assistant

## Two-step sign-in (#21)
second-step-title = Confirm your sign-in
second-step-intro = Your password was right. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes.
second-step-code = Code
second-step-hint = 6 digits from your app, or a recovery code such as abcde-fghij.
second-step-submit = Confirm
second-step-lost = Lost your phone? How to get back in
second-step-throttled = Too many wrong codes. Try again in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.
security-title = Two-step sign-in
security-back = ← Your settings
security-app-title = Authenticator app
security-standing-enrolled = Two-step sign-in is on: after your password, kontor asks for a code from your app.
security-standing-optional = Two-step sign-in is off. Turn it on so a stolen password alone cannot open your account.
security-standing-grace = Your account requires two-step sign-in. Set it up by { $date }; after that you can only sign in to set it up.
security-standing-due = Your account requires two-step sign-in, and the time to set it up has passed. Set it up now to continue.
security-required-now = Set up two-step sign-in first: until then, this is the only page you can open.
security-done-removed = Your authenticator app was removed. Sign-in asks only for your password now.
security-done-rule = The rule was saved. Everyone it covers is told on every page until they have set up two-step sign-in.
security-done-reset = The second factor was reset. Your colleague sets up a new one at their next sign-in; they and the account's admins were mailed.
security-recovery-used = You signed in with a recovery code. { $left ->
    [0] You have no recovery codes left: make new ones now.
    [one] One code is left: make new ones soon.
   *[other] { $left } codes are left.
}
security-app-ready = Two-step sign-in is on. Save your recovery codes now – they are shown only this once.
security-codes-renewed = New recovery codes were made; the old ones no longer work. Save these now – they are shown only this once.
security-codes-file-title = kontor recovery codes for { $email }
security-codes-file-hint = Each code signs you in once when you cannot use your authenticator app. Keep them somewhere safe.
security-codes-title = Your recovery codes
security-codes-once = Each code works once, when your phone is not at hand. Print them, download them or keep them in your password manager – kontor cannot show them again.
security-codes-download = Download as a text file
security-app-since = Set up on { $date }.
security-codes-left = { $left ->
    [0] No recovery codes left.
    [one] One unused recovery code left.
   *[other] { $left } unused recovery codes left.
}
security-codes-renew = Make new recovery codes
security-app-remove = Remove the authenticator app
security-app-step-install = Install an authenticator app on your phone, for example Microsoft Authenticator, Google Authenticator or any app for one-time codes (TOTP).
security-app-step-scan = Scan this QR code with the app.
security-app-key = Cannot scan it? Enter this key in the app:
security-app-step-code = Enter the 6-digit code the app shows now
security-app-confirm = Turn on two-step sign-in
security-app-intro = With two-step sign-in, kontor asks for a code from an app on your phone after your password. You get 10 recovery codes for when the phone is not at hand.
security-app-start = Set up an authenticator app
security-rule-title = Two-step sign-in for your account
security-rule-intro = Decide who of your account must use two-step sign-in. People it covers who have not set it up are reminded on every page, and after the grace period can only sign in to set it up.
security-rule-own-first = Set up your own two-step sign-in above before you require it of others.
security-rule-who = Who must use it
security-rule-off = Nobody (each person may)
security-rule-admins = Administrators
security-rule-everyone = Everyone of the account
security-rule-grace = Days to set it up
security-rule-grace-hint = 0 to 90 days, counted from now (or from when a person joins, if later).
security-colleagues-title = Your colleagues
security-colleagues-intro = Lost phone? An administrator can reset a colleague's second factor; they set up a new one at their next sign-in. They and every administrator are mailed.
security-colleagues-status = Two-step sign-in
security-colleagues-action = Action
security-colleagues-on = On
security-colleagues-off = Off
security-colleagues-reset = Reset
security-colleagues-reset-for = Reset the second factor of { $name }
security-banner = Your account requires two-step sign-in: set it up by { $date }.
security-banner-link = Set it up now
settings-security-intro = Protect your account with a code from an app on your phone after your password.
settings-security-link = Two-step sign-in and recovery codes
reauth-title = Confirm it's you
reauth-intro = This action changes something important. Because you signed in a while ago, confirm it's you – then it is carried out as you sent it.
reauth-submit = Confirm and continue
reauth-cancel = Cancel
reauth-password-wrong = That is not right. Try again.
bo-reset-title = Reset a second factor
bo-reset-intro = For a person who lost their second factor and has no other administrator in their account to reset it. First verify who is asking, then record how: the record and the reset are audited, and the person and their account's admins are mailed.
bo-reset-method = How did you verify the person?
bo-reset-method-callback = Called them back on a number on file
bo-reset-method-contract_details = They named contract details only the customer knows
bo-reset-method-id_document = Checked an identity document
bo-reset-method-missing = Choose how you verified the person.
bo-reset-note = What you checked
bo-reset-note-hint = For the audit log, e.g. "Called +49 30 … from the contract, confirmed agreement number and last invoice date".
bo-reset-submit = Reset the second factor
bo-reset-done = The second factor of { $email } was reset. They set up a new one at their next sign-in.
bo-reset-unknown = No person with this email has access.
bo-reset-link = Reset second factor
mail-subject-second-factor-enabled = Two-step sign-in is on
mail-subject-second-factor-removed = Two-step sign-in was turned off
mail-subject-second-factor-reset = A second factor was reset
mail-subject-second-factor-recovery-code-used = A recovery code was used
mail-subject-second-factor-recovery-codes-renewed = New recovery codes were made
mail-second-factor-enabled = Two-step sign-in was turned on for { $person } on { $at }.
mail-second-factor-removed = The authenticator app of { $person } was removed on { $at }; sign-in asks only for the password now.
mail-second-factor-reset = The second factor of { $person } was reset on { $at }. A new one is set up at the next sign-in.
mail-second-factor-recovery-code-used = { $person } signed in with a recovery code on { $at }.
mail-second-factor-recovery-codes-renewed = New recovery codes were made for { $person } on { $at }; the old ones no longer work.
mail-second-factor-by = Done by: { $by }.
mail-second-factor-codes-left = { $left ->
    [0] No recovery codes are left.
    [one] One recovery code is left.
   *[other] { $left } recovery codes are left.
}
mail-second-factor-not-you = Not expected? Change your password at once and tell your account administrator or support.
mail-second-factor-link = Two-step sign-in
error-code-malformed = Expected the 6 digits your app shows, or a recovery code.
error-code-wrong = This code is not right. Check that your phone's time is set automatically and enter the current code.
error-code-reused = This code was used already. Wait for the next one.
error-recovery-code-wrong = This is not an unused recovery code of yours.
error-second-factor-none = No second factor is set up.
error-reset-own-second-factor = You cannot reset your own second factor. Use a recovery code, or ask another administrator or support.
error-another-admin-can-reset = Another administrator of the account can reset it: { $names }.
error-text-length-between = Enter { $min } to { $max } characters.
error-second-factor-own-first = Set up your own second factor before you require one of others.
error-email-colon = An email with ':' cannot name an authenticator entry.
problem-second-factor-nothing-waiting = Start setting up the authenticator app first.
problem-second-factor-exists = An authenticator app is set up already; remove it before setting up another.
problem-second-factor-none = No second factor is set up.
problem-second-factor-required-keep = Your account requires a second factor, so it cannot be removed. Make new recovery codes, or ask an administrator to reset it if you have a new phone.
problem-second-factor-none-to-reset = This person has no second factor to reset.
problem-forbidden-reset-second-factor = Only an administrator of the account resets a colleague's second factor.
problem-forbidden-support-reset = Only support agents and operators reset a second factor after verification.
problem-forbidden-reset-staff = Only an operator resets the second factor of vendor staff.
problem-forbidden-two-factor-rule = Only the account's primary administrator sets the two-step sign-in rule.
audit-second_factor_enabled = Two-step sign-in turned on
audit-second_factor_removed = Two-step sign-in turned off
audit-second_factor_reset = Second factor reset
audit-identity_verified = Identity verified by support
audit-recovery_code_used = Recovery code used
audit-recovery_codes_renewed = New recovery codes
audit-second_factor_rule_changed = Two-step sign-in rule changed
error-second-factor-setup-due = This person must set up two-step sign-in in the portal first.
error-second-factor-needed = This person uses two-step sign-in: send the app's current code in “code”.
problem-forbidden-two-factor-rule-read = Only people of a customer account have an account rule for two-step sign-in.
error-verification-needed = Support records how it verified the person: method and note.
mail-subject-second-factor-passkey-added = A passkey was added
mail-subject-second-factor-passkey-removed = A passkey was removed
mail-second-factor-passkey-added = A passkey was added for { $person } on { $at }.
mail-second-factor-passkey-removed = A passkey of { $person } was removed on { $at }.
audit-passkey_added = Passkey added
audit-passkey_removed = Passkey removed
error-passkey-refused = The passkey was not accepted. Try again, or use another sign-in method.
problem-passkey-exists = This passkey is registered already.
passkey-title = Passkeys
passkey-intro = A passkey signs you in with your device's fingerprint, face or PIN – as the second step after your password, or instead of it. It cannot be phished: it works only on this site.
passkey-name = Name of the new passkey
passkey-name-example = e.g. Laptop, phone, security key
passkey-add = Add a passkey
passkey-remove = Remove
passkey-remove-named = Remove the passkey { $name }
passkey-added-on = added { $date }
passkey-used-on = last used { $date }
passkey-new-title = Add a passkey
passkey-new-intro = Click the button; your browser or device then asks for your fingerprint, face, PIN or security key and saves the passkey.
passkey-new-create = Create the passkey
passkey-needs-script = Passkeys need JavaScript in your browser.
passkey-failed = The passkey could not be used. Try again, or choose another way.
passkey-signin = Sign in with a passkey
passkey-second-step = Use your passkey
passkey-or-code = … or enter a code below.
passkey-refused = The passkey was not accepted. Try again, or use another way to sign in.
security-done-passkey = The passkey was added. You can sign in with it from now on.
security-done-passkey-removed = The passkey was removed.
security-done-passkey-refused = The passkey was not added: your device's answer could not be checked. Try again.
security-done-passkey-required = This is your only second factor, and your account requires one: add another before removing it.

## Single sign-on (#21)
sso-signin = Sign in with single sign-on (SSO)
sso-signin-hint = Does your organisation sign in to kontor through its own sign-in (Microsoft Entra ID, Okta, Google …)? Enter your work email and choose single sign-on.
sso-none = Single sign-on is not set up for this email address. Sign in with your password.
sso-continue-title = Continue to your organisation's sign-in
sso-continue-intro = { $email } signs in through your organisation's single sign-on. You are taken to its sign-in page and come back here signed in.
sso-continue = Continue to single sign-on
sso-password-too = As the account's primary administrator you can also sign in with your password, for example when single sign-on is down.
sso-use-password = Sign in with password
sso-other-email = Use another email address
sso-password-unused = Your account signs in with single sign-on: a password does not count here.
reauth-sso = Your account signs in with single sign-on. Sign in there again, then send the form once more.
sso-refused-title = Single sign-on did not work
sso-back-to-signin = Back to sign-in
sso-refused-unknown-trip = This sign-in has expired or was already used. Please start again from the sign-in page.
sso-refused-declined = Your organisation's sign-in was cancelled or declined. Please try again.
sso-refused-issuer = The answer came from another identity provider than your account's. Please start again; if it happens again, tell your administrator.
sso-refused-not-enabled = Single sign-on was switched off for your account. Sign in with your password.
sso-refused-token = Your organisation's sign-in could not be confirmed. Please try again; if it happens again, your administrator should check the single sign-on settings.
sso-refused-domain = Your email address's domain is not bound to this account's single sign-on.
sso-refused-email = Your identity provider did not send a verified email address.
sso-refused-access-removed = Your access to kontor was removed. Ask your account's primary administrator.
sso-refused-other-tenant = This email address belongs to another kontor account. Ask support.
sso-title = Single sign-on
sso-intro = Let your people sign in through your organisation's identity provider with OpenID Connect. People of the bound email domains are sent there; the first sign-in creates them in kontor.
sso-card-intro = Let your people sign in through your organisation's identity provider (OpenID Connect), and require it if you wish.
sso-card-link = Set up single sign-on
sso-domains-title = Email domains
sso-domains-none = No email domain is bound to your account yet: single sign-on sends nobody to your provider until one is.
sso-domains-intro = People with these addresses are sent to your identity provider:
sso-domains-how = The vendor's support binds a domain once it has checked that it is yours: open a support case and name the domain.
sso-provider-title = Your identity provider
sso-callback = Redirect URI to register at your provider
sso-callback-hint = Register kontor at your identity provider as a web application (confidential client, authorization code flow) with this redirect URI.
sso-issuer = Issuer URL
sso-issuer-hint = For example https://login.microsoftonline.com/<tenant>/v2.0 or https://yourcompany.okta.com. kontor reads its discovery document when you save.
sso-client-id = Client ID
sso-client-secret = Client secret
sso-secret-kept = A secret is stored. Leave the field empty to keep it.
sso-secret-hint = The secret your provider shows for kontor.
sso-newcomer-role = Role of people signing in for the first time
sso-newcomer-hint = Change it later for each person under People.
sso-enabled = Send people of the bound domains to the provider
sso-required = Require single sign-on
sso-required-hint = Only you, the primary administrator, can then still sign in with a password (break glass, for example when the provider is down). Two-step sign-in is the provider's job for everyone else.
sso-saved = Single sign-on saved.
sso-domains-bo-title = Single sign-on domains
sso-domains-bo-intro = People of a bound email domain are sent to the identity provider of its customer account. Bind a domain only after checking that the customer owns it.
sso-domains-bo-none = No domain is bound.
sso-domain = Email domain
sso-account = Customer account (CSN)
sso-approved = Bound
sso-domain-remove = Unbind
sso-domain-remove-for = Unbind { $domain }
sso-domain-bind-title = Bind a domain
sso-domain-bind-intro = A domain belongs to one account. Public mail services (gmail.com, web.de …) cannot be bound.
sso-domain-bind = Bind domain
sso-domain-bound = { $domain } is bound.
sso-domain-removed = { $domain } is unbound: its people sign in with passwords again.
error-sso-domain-invalid = expected an email domain such as example.com (letters, digits, hyphens and dots)
error-sso-domain-public = { $domain } is a public mail service: anybody can have an address there
error-sso-domain-taken = { $domain } is bound to an account already
error-sso-account-unknown = no customer account has the CSN { $csn }
error-sso-issuer-invalid = expected the identity provider's issuer URL (https://…), at most { $max } characters
error-sso-issuer-unreachable = the identity provider's discovery document could not be used: { $detail }
error-sso-client-field = expected the value your identity provider shows, 1 to { $max } characters
error-sso-role-invalid = expected one of { $expected }
error-sso-required-needs-enabled = single sign-on can only be required while it is switched on
error-sso-required = this person signs in with single sign-on only: create a token in the portal
problem-forbidden-sso-settings = Only the account's primary administrator sets up single sign-on.
problem-forbidden-sso-domains = Only an operator binds email domains to single sign-on.
audit-sso_settings_changed = Single sign-on changed
audit-sso_domain_bound = Single sign-on domain bound
audit-sso_domain_unbound = Single sign-on domain unbound
audit-sso_linked = Signed in with single sign-on for the first time
sso-callback-copy = Copy redirect URI
sso-callback-copied = Copied.
sso-password-also = You can also sign in with your password.
scim-title = Provisioning (SCIM)
scim-intro = Your identity provider can create, update and deactivate your people in kontor with SCIM 2.0: people it deactivates lose their access and every session at once. Give it the endpoint below and a token made here. Your own access, as primary administrator, cannot be ended this way.
scim-url = SCIM endpoint (tenant URL)
scim-url-copy = Copy endpoint
scim-token-label = Token name
scim-token-made = Made
scim-token-used = Last used
scim-token-never = Never
scim-token-create = Make a provisioning token
scim-token-new = New token "{ $label }":
scim-token-revoke = Revoke
scim-token-revoke-for = Revoke the token { $label }
scim-token-is-revoked = Revoked
scim-token-revoked = The token was revoked: your identity provider can no longer use it.
error-scim-label = expected a name for the token, 1 to { $max } characters
problem-forbidden-scim-tokens = Only the account's primary administrator manages provisioning tokens.
audit-scim_token_created = Provisioning token made
audit-scim_token_revoked = Provisioning token revoked
audit-scim_user_updated = Person changed by provisioning

## Reminders before the window closes (#22)
mail-subject-window-closing = { $count ->
    [one] The partner of an agreement can be changed for a few more days
   *[other] The partner of { $count } agreements can be changed for a few more days
}
mail-window-closing = { $count ->
    [one] The partner of one agreement of { $account } can be changed in kontor only until the last day below: after that, its term ends within the change window.
   *[other] The partner of { $count } agreements of { $account } can be changed in kontor only until the last day shown for each: after that, their terms end within the change window.
}
mail-window-closing-after = After that, a change is possible only at the renewal. Nothing happens if you keep your partner.
mail-window-closing-last-day = last day { $date }
mail-window-closing-more = and { $count } more
mail-window-closing-link = { $count ->
    [one] Change the partner
   *[other] See the agreements
}
mail-footer-reminder = You receive this reminder from kontor because you administer the customer account.

## Change at renewal (#22)
audit-renewal_partner_named = Partner named for the renewal
audit-renewal_partner_replaced = Other partner named for the renewal
audit-renewal_partner_withdrawn = Partner for the renewal withdrawn
audit-renewal_partner_applied = Partner for the renewal took over
audit-renewal_partner_rejected = Partner for the renewal could not take over
audit-renewal_partner_lapsed = Partner for the renewal lapsed
settings-notify-renewal_named = … is planned for the next renewal
settings-notify-renewal_withdrawn = … planned for the renewal is withdrawn
settings-notify-renewal_applied = … planned for the renewal is applied
settings-notify-renewal_rejected = … planned for the renewal could not be applied
settings-notify-renewal_lapsed = … planned for the renewal lapsed because the agreement was not renewed
mail-subject-renewal_named = New partner for the renewal of agreement { $agreement }
mail-subject-renewal_withdrawn = Partner for the renewal of agreement { $agreement } withdrawn
mail-subject-renewal_applied = Partner changed with the renewal of agreement { $agreement }
mail-subject-renewal_rejected = Partner for the renewal of agreement { $agreement } not applied
mail-subject-renewal_lapsed = Partner for the renewal of agreement { $agreement } lapsed
mail-renewal_named-account_admin = A new partner was named for the next renewal of agreement { $agreement }. From the renewal on, they serve this agreement. Until then you can replace or withdraw them.
mail-renewal_named-new_partner = Customer account { $account } named you as partner for the next renewal of agreement { $agreement }. From the renewal on, you serve this agreement; you can place the renewal.
mail-renewal_named-old_partner = Customer account { $account } chose another partner for the next renewal of agreement { $agreement }. You serve the agreement until the renewal.
mail-renewal_applied-account_admin = With the renewal, the partner of agreement { $agreement } has been changed.
mail-renewal_applied-new_partner = With the renewal, you are now the partner of record for agreement { $agreement } of customer account { $account }.
mail-renewal_applied-old_partner = With the renewal, you are no longer the partner of record for agreement { $agreement } of customer account { $account }.
mail-renewal_withdrawn = The partner named for the renewal of agreement { $agreement } was withdrawn. The current partner stays.
mail-renewal_rejected = The partner named for the renewal of agreement { $agreement } could not take over:
mail-renewal_lapsed = Agreement { $agreement } was not renewed in time, so the partner named for its renewal did not take over. The current partner stays.
mail-fact-renews-on = Renewal on
problem-forbidden-renewal-partner = only an administrator of this account can name the partner for the renewal
problem-renewal-changed = the partner named for the renewal changed meanwhile; reload and try again
problem-renewal-not-named = no partner is named for this agreement's renewal
error-renewal-change-now-possible = the partner can be changed now; use the partner change instead
error-renewal-not-permitted = only an administrator of this account can name the partner for the renewal
error-renewal-token-flex-eba = Enterprise Business Agreements with Token Flex change partner only through your account team
error-renewal-expired = the term has ended; place the renewal with the new partner
error-renewal-not-active = the agreement is canceled or suspended
error-renewal-change-pending = a partner change is open on this agreement; wait for it or withdraw it first
error-renewal-partner-named = the customer named partner { $csn } for this renewal: that partner places the renewal, or the customer's administrator withdraws the naming first
renewal-title = Partner for the next renewal
renewal-not-available = No partner can be named for the renewal of this agreement:
renewal-intro = The partner can't be changed now. Name the partner who serves this agreement from its next renewal on { $date }; until then your current partner stays.
renewal-named-now = Named for the renewal
renewal-effect = From the renewal on { $date }, this partner serves the agreement. You can replace or withdraw them until then.
renewal-name = Name this partner
renewal-offer = Name the partner for the renewal
renewal-replace = Name another partner
renewal-withdraw = Withdraw
renewal-withdraw-confirm = Withdraw the partner named for the renewal?
renewal-withdraw-confirm-text = { $partner } will not take over agreement { $agreement } at its renewal; your current partner stays. You can name a partner again afterwards.
renewal-scheduled = From the renewal on { $date }, { $partner } serves you.
renewal-named-flash = The partner for the renewal is named. Everyone concerned was told by email.
renewal-withdrawn-flash = The partner named for the renewal was withdrawn. Your current partner stays.
section-renewal = Partner from the renewal
reason-action-renewal = See the partner named for the renewal
changes-renewals = Named for the next renewal
changes-renewals-intro = Customers named you as partner for these agreements' next renewal. Until then their current partner serves them.
col-renews-on = Renewal on
col-how = How
changes-renewal-by-transaction = You place the renewal (subscription)
changes-renewal-by-itself = At the renewal, when the agreement renews
bulk-title = Change the partner of several agreements
bulk-chosen = { $count ->
    [one] One agreement chosen. Enter the new partner to see which can change.
   *[other] { $count } agreements chosen. Enter the new partner to see which can change.
}
bulk-preview = Check the agreements
bulk-eligible = Can change
bulk-submit = { $count ->
    [one] Change the partner of the one agreement that can change
   *[other] Change the partner of the { $count } agreements that can change
}
bulk-none-eligible = None of the chosen agreements can change to this partner now; each row says why.
bulk-result = { $submitted ->
    [one] One change was requested
   *[other] { $submitted } changes were requested
}; { $skipped ->
    [0] none was left out.
    [one] one agreement was left out (see why below).
   *[other] { $skipped } agreements were left out (see why below).
}
bulk-failed = Not requested: something went wrong; try this agreement on its own page.
bulk-to-changes = See all partner changes
bulk-chosen-button = Change partner of selected agreements
bulk-all-button = Change partner of all in this list
bulk-choose = Choose
bulk-choose-one = Choose agreement { $agreement }
bulk-none-chosen = Choose at least one agreement first.
bulk-too-many = At most { $max } agreements can change at once; narrow the list with the filters.
renewal-same-flash = This partner is named for the renewal already; nothing changed.
csv-outcome = Outcome
csv-request_status = Request status
csv-reasons = Why not
bulk-outcome-submitted = Requested
bulk-outcome-not_eligible = Not possible
bulk-outcome-error = Failed
bulk-new-partner = New partner
bulk-withdraw-hint = You can withdraw each change on its page until it is applied.

## Deadlines, escalation (#22)
level-row-resolution = Resolution
level-resolution-within = Within { $duration }
sla-on_track = on track
sla-due_soon = due soon
sla-response_overdue = Overdue: first response
sla-resolution_overdue = Overdue: resolution
sla-met = deadlines met
sla-missed = deadline missed
case-resolve-by = Resolve by
case-first-response-at = First answered
case-next-due = Next deadline
mail-fact-answer-by = Answer by
mail-subject-escalated = Partner change for agreement { $agreement } still awaits an answer
mail-escalated-account_admin = The new partner has not yet accepted the partner change for agreement { $agreement }. We reminded them and our support; without an answer by the time below, the change expires.
mail-escalated-new_partner = Customer account { $account } is still waiting for your answer to the partner change for agreement { $agreement }. Please accept or decline it in kontor under Partner changes; without an answer by the time below it expires.
mail-escalated-support_agent = The new partner has not yet answered the partner change for agreement { $agreement } of { $account }; without an answer by the time below it expires. Please mediate.
settings-notify-escalated = … the new partner has still not answered shortly before it expires
event-partner_change-escalated = Escalated without an answer
audit-change_escalated = Change escalated without an answer
mail-subject-deadlines-breached = { $count ->
    [one] Support deadline missed
   *[other] { $count } support deadlines missed
}
mail-deadlines-breached = { $count ->
    [one] A support case's deadline has passed:
   *[other] { $count } support case deadlines have passed:
}
mail-breach-first-response = First response due since { $due }
mail-breach-resolution = Resolution due since { $due }
mail-deadlines-breached-link = Open the queue

## Disputes (#22)
mail-subject-disputed = Dispute against the partner change for agreement { $agreement }
mail-disputed-account_admin = The current partner objected to the partner change for agreement { $agreement }. The change is on hold until the vendor's support decides; you will be told.
mail-disputed-new_partner = The current partner objected to the partner change for agreement { $agreement } of { $account }. The change is on hold until the vendor's support decides.
mail-disputed-support_agent = The current partner objected to the partner change for agreement { $agreement } of { $account }. The change is on hold: please review the dispute and decide.
mail-subject-dispute_released = Partner change for agreement { $agreement } goes ahead
mail-dispute_released = Support reviewed the dispute against the partner change for agreement { $agreement }: the change goes ahead and is applied at the next processing, if it is still possible then.
settings-notify-disputed = … the current partner objected and the change is on hold
settings-notify-dispute_released = … support lets a change on hold go ahead
event-partner_change-disputed = Disputed
event-partner_change-dispute_released = Dispute reviewed, change goes ahead
audit-change_disputed = Change disputed
audit-dispute_released = Dispute reviewed: change goes ahead
audit-dispute_upheld = Dispute upheld: change rejected
audit-transfer_code_created = Transfer code created
audit-transfer_code_revoked = Transfer code revoked
audit-transfer_code_redeemed = Transfer code redeemed
audit-partner_proposed = New partner proposed
audit-proposal_reminded = Reminded of the proposed partner
reason-label-dispute_upheld = Current partner's dispute
problem-forbidden-dispute = Only a partner the change would replace can dispute it.
problem-forbidden-disputes = Disputes are read by the vendor's staff and the partner that filed them.
problem-already-disputed = This change was disputed already; support decides on it.
problem-dispute-window-closed = A change can be disputed only while it is pending and before its processing time ends.
problem-dispute-decided = The dispute was decided already (or the change withdrawn).
error-dispute-reason-empty = Please say why the change should not be made.
error-dispute-note-empty = Please write a note the customer and the partners read.
dispute-title = Current partner's dispute
dispute-state-open = The change is on hold: the current partner objected. Support decides by { $when }; until then the change is not made.
dispute-state-released = Support reviewed the dispute: the change goes ahead and is made at the next processing, if it is still possible then.
dispute-state-upheld = Support upheld the dispute: the change was rejected.
dispute-state-withdrawn = The change was withdrawn while it was on hold.
dispute-reason = The partner's reason
dispute-note = Support's note
dispute-note-label = Note for the customer and the partners (required to uphold)
dispute-release = Let the change go ahead
dispute-uphold = Uphold the dispute
dispute-decide-hint = Upholding rejects the change; the customer reads your note.
dispute-file-title = Dispute this change
dispute-file-intro = You can object to this change until shortly before { $when }. It is then held until the vendor's support decides.
dispute-reason-label = Why should the change not be made? (for support only)
dispute-file = Dispute the change
dispute-done-disputed = Your dispute was filed. The change is on hold until support decides.
dispute-done-released = The change goes ahead.
dispute-done-upheld = The dispute was upheld; the change is rejected.
cases-disputes = Disputed partner changes
cases-disputing-partner = Disputing partner
mail-breach-about-case = { $account }, agreement { $agreement }
mail-breach-about-dispute = Dispute on agreement { $agreement } of { $account }
change-held-since = On hold since
change-state-held = The change to { $partner } is on hold: the current partner objected, and support decides whether it is made.

## #22 transfer codes and consent per program
problem-forbidden-transfer-code = Only an administrator of the account creates transfer codes.
problem-forbidden-redeem = Only partner staff redeem transfer codes.
problem-transfer-code-spent = This transfer code was redeemed, revoked or has expired meanwhile.
error-transfer-code-invalid = This transfer code is not valid: it may be mistyped, used, revoked or expired. Ask the customer for a new one.
error-transfer-code-agreements = Choose 1 to { $max } agreements.
error-agreement-unknown = There is no agreement { $number } in this account.
error-agreement-cannot-change = Agreement { $number } cannot change partner now; its page says why.
error-expected-program = expected a program name of 1–40 lower-case letters, digits or underscores, such as standard
problem-too-many-failed-codes = too many wrong transfer codes for this partner or from this address; try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}
codes-title = Transfer codes
codes-intro = For some programs the new partner confirms a partner change with a transfer code. Create a code for the agreements the new partner should take over and give it to them; they redeem it in the partner portal.
codes-new = Your new transfer code.
codes-new-once = Copy it now and give it to the new partner: it is shown only this once.
codes-copy = Copy code
codes-copied = The code is on the clipboard.
codes-create = Create a code
codes-none-codeable = None of your agreements can change partner at the moment. Each agreement's page says why.
codes-choose = Agreements the new partner takes over
codes-create-button = Create code
codes-list = Your codes
codes-list-empty = No transfer codes yet.
codes-col-code = Code
codes-col-agreements = Agreements
codes-col-created = Created
codes-col-expires = Valid until
code-status-active = Valid
code-status-redeemed = Redeemed
code-status-revoked = Revoked
code-status-expired = Expired
codes-redeemed-by = by partner { $csn }
codes-revoke = Revoke
code-agreement-not-found = This agreement was not found.
codes-link = Create a transfer code
redeem-title = Redeem a transfer code
redeem-intro = Enter the transfer code the customer gave you. A partner change to your company starts for each of its agreements.
redeem-code = Transfer code
redeem-button = Redeem
redeem-col-result = Result
redeem-done = Code …{ $hint } redeemed. The partner changes are processed like any other.
redeem-nothing = None of the code's agreements can change partner now, so nothing was started and the code stays valid.
redeem-not-started = Not started
consent-title = Consent per program
consent-intro = How the new partner agrees to take over an agreement, for each program: not at all, by accepting within a number of days, or with a transfer code the customer gives them. Changes already requested keep the way they were requested.
consent-default = Programs without a choice of their own: { $model }
consent-program = Program
consent-program-hint = 1–40 lower-case letters, digits or underscores, as the agreements name it (for example standard).
consent-model = Consent
consent-updated = Chosen
consent-reset = Back to the default
consent-none = Every program follows the default.
consent-set = Choose for a program
consent-kind-none = None: the change is made after the processing time
consent-kind-acceptance = The new partner accepts
consent-kind-transfer_code = Transfer code from the customer
consent-acceptance-days = Days to accept (1–90, for acceptance)
consent-code-valid-hours = Hours a code is valid (1–720, for transfer codes)
consent-save = Save
consent-model-none = none
consent-model-acceptance-days = the new partner accepts within { $count ->
    [one] 1 day
   *[other] { $count } days
}
consent-model-transfer-code-valid = transfer code, valid for { $duration }
bo-consent-link = Consent per program
mail-subject-proposal = Your new partner: { $partner }
mail-subject-proposal-reminder = Reminder: your new partner { $partner }
mail-proposal = { $from } will no longer serve { $account }. The vendor proposes the partner below for { $count ->
    [one] your agreement
   *[other] your { $count } agreements
} it served.
mail-proposal-after = Change the partner in kontor with the proposed partner's CSN, or choose another partner. Until you do, nothing changes.
mail-proposal-partner = Proposed partner
mail-proposal-csn = Its customer number (CSN)
mail-proposal-agreement = Agreement
mail-proposal-link = { $count ->
    [one] Change the partner now
   *[other] Open these agreements
}
problem-proposal-exists = A new partner was proposed for this partner's customers already.
mail-footer-admin = You receive this message from kontor because you administer the customer account.
bo-successor = Propose a successor to its customers (CSN)
bo-successor-hint = Optional. Every customer account this partner serves is mailed once with the successor's name, CSN and city and a link to change the partner. Usually given when the partner is set to inactive.
proposals-title = Proposed partners
proposals-intro = The partners proposed to the customers of a partner that is replaced, and who has acted on it.
proposals-none = No partner has been proposed yet.
proposals-new = Propose a partner
proposals-from = Replaced partner (CSN)
proposals-to = Proposed partner (CSN)
proposals-propose = Propose and mail the customers
proposals-col-from = Replaced partner
proposals-col-to = Proposed partner
proposals-col-created = Proposed on
proposal-title = { $from } → { $to }
proposal-summary = { $count ->
    [one] 1 account
   *[other] { $count } accounts
}: { $changed } changed, { $requested } requested, { $none } not acted yet.
proposal-col-account = Customer account
proposal-col-progress = Progress
proposal-col-mailed = Mailed
proposal-col-reminded = Reminded
proposal-progress-changed = Changed
proposal-progress-requested = Requested
proposal-progress-none = Not acted yet
proposal-remind = Remind those who have not acted
proposal-reminded = { $count ->
    [one] 1 account was reminded.
   *[other] { $count } accounts were reminded.
}
proposal-reminders = { $count ->
    [one] once
   *[other] { $count } times
}
