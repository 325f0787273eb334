//! #20: the help assistant — answers from the help in the asker's
//! language, explains an agreement's eligibility for the asker (R3, R4,
//! R1-safe), and hands the conversation to support as a case with its
//! first response due by the support level.

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::helpers::*;
use crate::portal::{browser, hidden, page};

const ANNA: &str = "anna@muster.example";
const BERND: &str = "bernd@muster.example";
const CARLA: &str = "carla@muster.example";
const DORA: &str = "dora@example-ltd.example";
const PAUL: &str = "paul@cad-partner.example";
const SAM: &str = "sam@vendor.example";

async fn ask(app: &TestApp, who: &str, body: Value) -> Value {
    json_with(
        app.post(who, "/api/v1/assistant/ask", &body).await,
        StatusCode::OK,
    )
    .await
}

fn articles(answer: &Value) -> Vec<String> {
    answer["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["article"].as_str().unwrap().to_owned())
        .collect()
}

fn at(v: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(v.as_str().expect("a time"), &Rfc3339).expect("RFC 3339")
}

/// R4/R3: for each reason an agreement has, the assistant gives exactly the
/// engine's reasons, explains each in the asker's language and puts the
/// reason's own article first; a plain user hears `not_permitted`.
#[tokio::test]
async fn every_reason_is_explained_with_what_to_do_and_its_article_first() {
    let app = TestApp::spawn().await;
    // change_pending: a request is waiting on 110000000008.
    assert_eq!(
        app.submit(ANNA, "110000000008", "5100000002")
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let cases = [
        (ANNA, "1100-0000-0002", "auto_renew", "auto-renew"),
        (ANNA, "1100 0000 0003", "token_flex_eba", "token-flex"),
        (ANNA, "110000000004", "expired", "inactive-agreements"),
        (
            ANNA,
            "1100-0000-0006",
            "expires_soon",
            "expiring-agreements",
        ),
        (ANNA, "1100 0000 0009", "not_active", "inactive-agreements"),
        (
            ANNA,
            "1200-0000-0000-02",
            "subscription_requires_transaction",
            "subscription-partner-change",
        ),
        (ANNA, "1100-0000-0008", "change_pending", "processing-time"),
        (CARLA, "1100-0000-0001", "not_permitted", "roles"),
    ];
    for (who, written, code, article) in cases {
        let number: String = written.chars().filter(char::is_ascii_digit).collect();
        let answer = ask(&app, who, json!({ "question": format!("Warum kann ich den Partner von {written} nicht ändern?") })).await;
        assert_eq!(answer["lang"], "de", "{written}");
        let explained = &answer["agreement"];
        assert_eq!(explained["number"], number.as_str(), "{written}");
        assert_eq!(explained["eligible"], false, "{written}");
        // Exactly the eligibility engine's reasons, in its order.
        let engine = json_with(
            app.get_lang(
                who,
                &format!("/api/v1/agreements/{number}/partner-change/eligibility"),
                "de",
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(reason_codes(explained), reason_codes(&engine), "{written}");
        assert!(
            reason_codes(explained).contains(&code.to_owned()),
            "{written}: {explained}"
        );
        let text = explained["explanation"].as_str().unwrap();
        for reason in engine["reasons"].as_array().unwrap() {
            assert!(
                text.contains(reason["message"].as_str().unwrap()),
                "{written}: {text}"
            );
        }
        assert!(text.contains(&number), "{text}");
        let first_article = articles(&answer)[0].clone();
        let engine_first = reason_codes(&engine)[0].clone();
        if engine_first == code {
            assert_eq!(first_article, article, "{written}: {answer}");
        }
        assert!(
            articles(&answer).contains(&article.to_owned()),
            "{written}: {answer}"
        );
        assert_eq!(answer["handoff"]["suggested"], false, "{written}");
    }
    // A pending change names the date from which the change is possible.
    let pending = ask(
        &app,
        ANNA,
        json!({ "question": "Warum geht 110000000008 nicht?" }),
    )
    .await;
    let reason = &pending["agreement"]["reasons"][0];
    assert_eq!(reason["code"], "change_pending");
    assert!(reason["possible_from"].is_string(), "{pending}");
}

#[tokio::test]
async fn an_eligible_agreement_gets_the_next_step_in_the_askers_language() {
    let app = TestApp::spawn().await;
    let de = ask(
        &app,
        ANNA,
        json!({ "question": "Kann ich für 1100-0000-0008 den Händler wechseln?" }),
    )
    .await;
    assert_eq!(de["agreement"]["eligible"], true);
    assert_eq!(de["agreement"]["reasons"], json!([]));
    let text = de["agreement"]["explanation"].as_str().unwrap();
    assert!(
        text.contains("„Fachhändlerdaten aktualisieren“") && text.contains("60 Minuten"),
        "{text}"
    );
    assert_eq!(articles(&de)[0], "change-partner", "{de}");
    // The same in English, asked in English.
    let en = ask(
        &app,
        ANNA,
        json!({ "question": "can I switch the reseller of 1100 0000 0008?" }),
    )
    .await;
    assert_eq!(en["lang"], "en");
    let text = en["agreement"]["explanation"].as_str().unwrap();
    assert!(
        text.contains("“Update partner details”") && text.contains("60 minutes"),
        "{text}"
    );
    // The page's agreement (the `agreement` field) is the context when the
    // question names none.
    let context = ask(
        &app,
        ANNA,
        json!({ "question": "Geht ein Partnerwechsel?", "agreement": "1100-0000-0002" }),
    )
    .await;
    assert_eq!(context["agreement"]["number"], "110000000002");
    assert_eq!(reason_codes(&context["agreement"]), ["auto_renew"]);
}

/// R1: another tenant's agreement gets exactly the answer a missing one
/// gets — nothing about it is said, whether named in the question or as
/// the context.
#[tokio::test]
async fn another_tenants_agreement_reads_exactly_like_a_missing_one() {
    let app = TestApp::spawn().await;
    for (theirs, missing) in [
        ("1100-0000-0001", "1199-9999-9999"),
        ("1100 0000 0101", "1100 0000 0199"),
    ] {
        let who = if theirs.ends_with("0001") { DORA } else { ANNA };
        let app = &app;
        let raw = |body: Value| async move {
            app.post(who, "/api/v1/assistant/ask", &body)
                .await
                .text()
                .await
                .unwrap()
        };
        let question = |n: &str| json!({ "question": format!("Warum kann ich {n} nicht ändern?") });
        let a = raw(question(theirs)).await;
        assert_eq!(
            a,
            raw(question(missing)).await,
            "another tenant's {theirs} differs from a missing one"
        );
        let a: Value = serde_json::from_str(&a).unwrap();
        assert_eq!(a["agreement"], Value::Null);
        let context = |n: &str| json!({ "question": "Warum geht das nicht?", "agreement": n });
        assert_eq!(raw(context(theirs)).await, raw(context(missing)).await);
    }
    // The page says the same, apart from the number the person typed.
    let anna = browser(&app, ANNA, "de").await;
    let (status, theirs) = page(&app, &anna, "/assistant?q=Was+ist+mit+110000000101%3F").await;
    assert_eq!(status, StatusCode::OK);
    let (_, missing) = page(&app, &anna, "/assistant?q=Was+ist+mit+110000000199%3F").await;
    assert!(
        theirs.contains("keinen mit der Nummer 110000000101"),
        "{theirs}"
    );
    assert_eq!(
        theirs.replace("110000000101", "N"),
        missing.replace("110000000199", "N")
    );
}

#[tokio::test]
async fn out_of_scope_questions_offer_a_person_who_can_be_reached() {
    let app = TestApp::spawn().await;
    let weather = ask(
        &app,
        ANNA,
        json!({ "question": "Wie wird das Wetter morgen in München?" }),
    )
    .await;
    assert_eq!(weather["answers"], json!([]));
    assert_eq!(
        weather["handoff"],
        json!({ "suggested": true, "available": true })
    );
    // A partner is offered no case they could not open.
    let partner = ask(
        &app,
        PAUL,
        json!({ "question": "How do I install AutoCAD?" }),
    )
    .await;
    assert_eq!(
        partner["handoff"],
        json!({ "suggested": true, "available": false })
    );
    // Asking for a person: the contact article first, and a person offered.
    let person = ask(
        &app,
        ANNA,
        json!({ "question": "Ich möchte mit einem Mitarbeiter sprechen" }),
    )
    .await;
    assert_eq!(articles(&person)[0], "contact-support");
    assert_eq!(person["handoff"]["suggested"], true);
    // An answerable question is answered, with a link to read on.
    let answerable = ask(
        &app,
        ANNA,
        json!({ "question": "Wie lange dauert der Partnerwechsel?" }),
    )
    .await;
    assert_eq!(articles(&answerable)[0], "processing-time");
    assert_eq!(answerable["handoff"]["suggested"], false);
    let url = answerable["answers"][0]["url"].as_str().unwrap();
    assert!(url.ends_with("/help/processing-time?lang=de"), "{url}");
}

#[tokio::test]
async fn the_answer_language_is_the_questions_the_chosen_one_or_the_persons() {
    let app = TestApp::spawn().await;
    let english = ask(
        &app,
        ANNA,
        json!({ "question": "how long does a partner change take" }),
    )
    .await;
    assert_eq!(english["lang"], "en");
    let forced = ask(
        &app,
        ANNA,
        json!({ "question": "Wie lange dauert der Partnerwechsel?", "lang": "en" }),
    )
    .await;
    assert_eq!(forced["lang"], "en");
    assert_eq!(
        forced["answers"][0]["title"],
        english["answers"][0]["title"]
    );
    // Undecided words: the caller's language (Accept-Language, else their own).
    let undecided = json!({ "question": "Partner Reseller" });
    let res = app
        .post_lang(ANNA, "/api/v1/assistant/ask", &undecided, "en")
        .await;
    assert_eq!(json_with(res, StatusCode::OK).await["lang"], "en");
    assert_eq!(
        ask(&app, ANNA, undecided).await["lang"],
        "de",
        "anna reads German"
    );
}

#[tokio::test]
async fn bad_questions_name_the_field_and_change_nothing() {
    let app = TestApp::spawn().await;
    let before = app.counts().await;
    for (body, field) in [
        (json!({ "question": "" }), "question"),
        (json!({ "question": "   " }), "question"),
        (json!({ "question": "x".repeat(1001) }), "question"),
        (json!({ "question": "Hilfe", "lang": "fr" }), "lang"),
        (
            json!({ "question": "Hilfe", "agreement": "12" }),
            "agreement",
        ),
    ] {
        let problem = json_with(
            app.post(ANNA, "/api/v1/assistant/ask", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), [field], "{body}");
    }
    let unknown = app
        .post(
            ANNA,
            "/api/v1/assistant/ask",
            &json!({ "question": "x", "colour": "blue" }),
        )
        .await;
    assert!(unknown.status().is_client_error());
    for (body, field) in [
        (json!({ "conversation": [] }), "conversation"),
        (
            json!({ "conversation": [{ "from": "assistant", "text": "Hallo" }] }),
            "conversation",
        ),
        (
            json!({ "conversation": [{ "from": "person", "text": "x".repeat(2001) }] }),
            "conversation[0].text",
        ),
        (
            json!({ "conversation": [{ "from": "person", "text": "Hilfe" }], "message": "x".repeat(2001) }),
            "message",
        ),
        (
            json!({ "conversation": [{ "from": "person", "text": "Hilfe" }], "agreement": "1" }),
            "agreement",
        ),
    ] {
        let problem = json_with(
            app.post(ANNA, "/api/v1/assistant/handoff", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), [field], "{body}");
    }
    // R1: another tenant's agreement is not found, like a missing one.
    for n in ["110000000101", "110000000199"] {
        let body =
            json!({ "conversation": [{ "from": "person", "text": "Hilfe" }], "agreement": n });
        json_with(
            app.post(ANNA, "/api/v1/assistant/handoff", &body).await,
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    // Only people of a customer account open cases.
    for who in [PAUL, SAM] {
        let body = json!({ "conversation": [{ "from": "person", "text": "Hilfe" }] });
        json_with(
            app.post(who, "/api/v1/assistant/handoff", &body).await,
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    assert_eq!(app.counts().await, before, "nothing was written");
}

/// The hand-off opens a case carrying the conversation and the agreement,
/// its first response due by the agreement's support level; support sees
/// it in the queue, is mailed, answers in it and closes it.
#[tokio::test]
async fn a_handoff_opens_a_case_that_support_sees_answers_and_closes() {
    let app = TestApp::spawn().await;
    let body = json!({
        "conversation": [
            { "from": "person", "text": "Warum kann ich 1100-0000-0002 nicht ändern?" },
            { "from": "assistant", "text": "Die automatische Verlängerung ist aktiviert." },
            { "from": "person", "text": "Ich möchte mit einem Mitarbeiter sprechen" }
        ],
        "agreement": "1100-0000-0002",
        "message": "Bitte rufen Sie mich an."
    });
    let case = json_with(
        app.post(ANNA, "/api/v1/assistant/handoff", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(case["topic"], "question");
    assert_eq!(case["agreement"], "110000000002");
    assert_eq!(case["replace_partner"], Value::Null);
    assert_eq!(case["support_level"], "advanced");
    assert_eq!(
        at(&case["respond_by"]) - at(&case["created_at"]),
        time::Duration::hours(4)
    );
    let message = case["message"].as_str().unwrap();
    assert!(message.starts_with("Bitte rufen Sie mich an."), "{message}");
    for line in [
        "Anna Admin fragte: Warum kann ich 1100-0000-0002 nicht ändern?",
        "Der Assistent antwortete: Die automatische Verlängerung ist aktiviert.",
        "Anna Admin fragte: Ich möchte mit einem Mitarbeiter sprechen",
    ] {
        assert!(message.contains(line), "{message}");
    }
    let id = case["id"].as_str().unwrap();
    // Support's queue holds it, and the support agents were told.
    let queue = json_with(
        app.get(SAM, "/api/v1/support-cases?open=true").await,
        StatusCode::OK,
    )
    .await;
    assert!(
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == id),
        "{queue}"
    );
    let told: Vec<_> = app
        .mails()
        .await
        .into_iter()
        .filter(|d| d.kind == "case_reply")
        .filter_map(|d| d.recipient)
        .collect();
    assert_eq!(told, [SAM]);
    // Support answers in it; the customer sees it is their turn.
    let reply = app
        .post(
            SAM,
            &format!("/api/v1/support-cases/{id}/messages"),
            &json!({ "body": "Wir rufen an." }),
        )
        .await;
    assert_eq!(reply.status(), StatusCode::CREATED);
    let seen = json_with(
        app.get(ANNA, &format!("/api/v1/support-cases/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["waiting_on"], "customer");
    // Closing a question changes no partner.
    let before = json_with(
        app.get(ANNA, "/api/v1/agreements/110000000002").await,
        StatusCode::OK,
    )
    .await;
    let closed = json_with(
        app.post(
            SAM,
            &format!("/api/v1/support-cases/{id}/resolve"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(closed["status"], "resolved");
    let after = json_with(
        app.get(ANNA, "/api/v1/agreements/110000000002").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(before["partners"], after["partners"]);
    // Without an agreement, the account's highest active level applies
    // (Muster Bau has a premium agreement): one hour.
    let general =
        json!({ "conversation": [{ "from": "person", "text": "Wer ist mein Ansprechpartner?" }] });
    let case = json_with(
        app.post(ANNA, "/api/v1/assistant/handoff", &general).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(case["agreement"], Value::Null);
    assert_eq!(case["support_level"], "premium");
    assert_eq!(
        at(&case["respond_by"]) - at(&case["created_at"]),
        time::Duration::hours(1)
    );
}

#[tokio::test]
async fn first_response_targets_are_configured_per_level_and_shown() {
    let app = TestApp::spawn_with(|c| {
        c.first_response_hours_advanced = 6;
        c.first_response_hours_standard = 8;
    })
    .await;
    let body = json!({ "conversation": [{ "from": "person", "text": "Frage" }], "agreement": "110000000001" });
    let case = json_with(
        app.post(ANNA, "/api/v1/assistant/handoff", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        at(&case["respond_by"]) - at(&case["created_at"]),
        time::Duration::hours(6)
    );
    let anna = browser(&app, ANNA, "de").await;
    let (_, levels) = page(&app, &anna, "/support-levels").await;
    assert!(
        levels.contains("Innerhalb von 8 Stunden") && levels.contains("Innerhalb von 6 Stunden"),
        "{levels}"
    );
    let (_, article) = page(&app, &anna, "/help/support-levels").await;
    assert!(
        article.contains("8 Stunden") && article.contains("6 Stunden"),
        "the help quotes the configured targets"
    );
}

#[tokio::test]
async fn a_plain_user_hands_off_and_follows_their_own_case() {
    let app = TestApp::spawn().await;
    let body = json!({ "conversation": [{ "from": "person", "text": "Wer darf bei uns den Partner ändern?" }] });
    let case = json_with(
        app.post(CARLA, "/api/v1/assistant/handoff", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let id = case["id"].as_str().unwrap();
    let mine = json_with(
        app.get(CARLA, "/api/v1/support-cases").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        mine["items"].as_array().unwrap().len(),
        1,
        "only her own: {mine}"
    );
    let path = format!("/api/v1/support-cases/{id}/messages");
    assert_eq!(
        app.post(CARLA, &path, &json!({ "body": "Noch eine Frage" }))
            .await
            .status(),
        StatusCode::CREATED
    );
    // The account's admins see it too; another account's do not.
    json_with(
        app.get(BERND, &format!("/api/v1/support-cases/{id}")).await,
        StatusCode::OK,
    )
    .await;
    json_with(
        app.get(DORA, &format!("/api/v1/support-cases/{id}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // An agreement not assigned to her is not found (R1).
    let body = json!({ "conversation": [{ "from": "person", "text": "Frage" }], "agreement": "110000000002" });
    json_with(
        app.post(CARLA, "/api/v1/assistant/handoff", &body).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

/// The portal: a blocked agreement's page carries it as the assistant's
/// context; the answer page explains the reason with its article; the
/// hand-off opens the case and lands on it.
#[tokio::test]
async fn asking_on_a_blocked_agreements_page_explains_it_and_hands_off() {
    let app = TestApp::spawn().await;
    let anna = browser(&app, ANNA, "de").await;
    let (_, agreement) = page(&app, &anna, "/agreements/110000000002").await;
    assert!(
        agreement.contains("Fragen Sie den Assistenten"),
        "every page asks"
    );
    assert_eq!(hidden(&agreement, "agreement"), "110000000002");
    assert!(
        agreement.contains("href=\"/help/auto-renew\""),
        "the reason links its article"
    );
    let (status, answer) = page(
        &app,
        &anna,
        "/assistant?q=Warum+kann+ich+den+Partner+nicht+%C3%A4ndern%3F&agreement=110000000002",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        answer.contains("Die automatische Verlängerung ist aktiviert."),
        "{answer}"
    );
    assert!(answer.contains("href=\"/help/auto-renew\""));
    assert!(answer.contains("<html"), "a whole page without script");
    let (_, fragment) = page(
        &app,
        &anna,
        "/assistant?q=Warum+kann+ich+den+Partner+nicht+%C3%A4ndern%3F&agreement=110000000002&fragment=1",
    )
    .await;
    assert!(
        !fragment.contains("<html")
            && fragment.contains("Die automatische Verlängerung ist aktiviert.")
    );
    let form = [
        ("csrf", hidden(&answer, "csrf")),
        (
            "question",
            "Warum kann ich den Partner nicht ändern?".to_owned(),
        ),
        ("agreement", "110000000002".to_owned()),
        ("earlier", "Hallo".to_owned()),
        ("message", "Bitte um Rückruf".to_owned()),
    ];
    let res = anna
        .post(format!("{}/assistant/handoff", app.base))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to.starts_with("/support-cases/") && to.ends_with("?opened=1"),
        "{to}"
    );
    let (_, case) = page(&app, &anna, &to).await;
    assert!(case.contains("Ihr Supportfall ist eröffnet"), "{case}");
    assert!(case.contains("Frage an den Support") && case.contains("Bitte um Rückruf"));
    assert!(case.contains("Der Assistent antwortete: Für 110000000002 ist ein Partnerwechsel zurzeit nicht möglich"), "{case}");
    assert!(case.contains("Erste Antwort bis"), "{case}");
    // Support finds it in the queue page.
    let sam = browser(&app, SAM, "en").await;
    let (_, queue) = page(&app, &sam, "/support-cases").await;
    assert!(
        queue.contains("Question for support") && queue.contains("Bitte um Rückruf"),
        "{queue}"
    );
}

#[tokio::test]
async fn the_help_center_is_open_to_everyone_in_their_language() {
    let app = TestApp::spawn().await;
    let anonymous = reqwest::Client::new();
    let get = |path: &str, lang: &str| {
        anonymous
            .get(format!("{}{path}", app.base))
            .header("accept-language", lang)
            .send()
    };
    let index = get("/help", "de").await.unwrap();
    assert_eq!(index.status(), StatusCode::OK);
    let index = index.text().await.unwrap();
    assert!(
        index.contains("Für Kunden") && index.contains("href=\"/help/sign-in\""),
        "{index}"
    );
    let article = get("/help/sign-in", "en")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(article.contains("<html lang=\"en\""));
    let german = get("/help/change-partner?lang=de", "en")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        german.contains("<html lang=\"de\"") && german.contains("mindestens 1 Stunde"),
        "the configured delay is quoted"
    );
    assert_eq!(
        get("/help/nope", "de").await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let found = get("/help?q=Fachh%C3%A4ndlerwechsel", "de")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        found.contains("Treffer für „Fachhändlerwechsel“")
            && found.contains("href=\"/help/change-partner\""),
        "{found}"
    );
    // Signing in is needed to ask about agreements.
    let res = get("/assistant?q=Hallo", "de").await.unwrap();
    assert!(
        res.url().path().starts_with("/signin"),
        "redirected to sign in"
    );
}

/// A case is overdue in support's queue from the first moment after its
/// first-response time, not at it, and no longer once support answered.
#[tokio::test]
async fn a_case_is_marked_overdue_only_after_its_first_response_time() {
    let app = TestApp::spawn().await;
    let body = json!({ "conversation": [{ "from": "person", "text": "Frage" }], "agreement": "110000000001" });
    let case = json_with(
        app.post(ANNA, "/api/v1/assistant/handoff", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(case["support_level"], "advanced");
    let id = case["id"].as_str().unwrap().to_owned();
    let queue_is_overdue = || async {
        // A fresh sign-in each time: the test clock moves past idle sessions.
        let sam = browser(&app, SAM, "en").await;
        let (_, queue) = page(&app, &sam, "/support-cases").await;
        assert!(queue.contains(&id), "{queue}");
        queue.contains("badge-sla-response_overdue")
    };
    app.advance(time::Duration::hours(4));
    assert!(!queue_is_overdue().await, "due now, not yet overdue");
    app.advance(time::Duration::seconds(1));
    assert!(queue_is_overdue().await, "one second after its time");
    let reply = app
        .post(
            SAM,
            &format!("/api/v1/support-cases/{id}/messages"),
            &json!({ "body": "Wir sehen nach." }),
        )
        .await;
    assert_eq!(reply.status(), StatusCode::CREATED);
    assert!(!queue_is_overdue().await, "answered: the customer's turn");
}
