//! #22 point 6: reminders before the window for a partner change closes
//! (R4). Each configured reminder goes out once per agreement and term —
//! twice run, on another instance, after a restart — at its day and not
//! before, never for an agreement a change is open on, and names each
//! agreement's last day.

use reqwest::StatusCode;
use time::Duration;

use crate::helpers::*;

const ANNA: &str = "anna@muster.example";
const BERND: &str = "bernd@muster.example";
const OFFSETS: [i64; 2] = [30, 7];

/// A contract of Muster Bau whose term ends `days` after the test's start.
fn contract(number: &str, days: i64) -> (String, String) {
    (
        number.to_owned(),
        (START + Duration::days(days)).date().to_string(),
    )
}

/// Window-closing mails to `to` so far, with their text.
async fn reminders_to(app: &TestApp, to: &str) -> Vec<String> {
    let queued = app
        .mails()
        .await
        .into_iter()
        .filter(|d| d.kind == "window_closing" && d.recipient.as_deref() == Some(to))
        .count();
    let mut texts = Vec::new();
    for f in std::fs::read_dir(app.dir.path().join("mail")).unwrap() {
        let raw = std::fs::read_to_string(f.unwrap().path()).unwrap();
        let raw = raw.replace("=\r\n", "").replace("=\n", "");
        let reminder = raw.contains("Wechselzeitraum") || raw.contains("change window");
        if reminder && raw.contains(&format!("To: {to}")) {
            texts.push(raw);
        }
    }
    assert_eq!(texts.len(), queued, "every queued reminder was written");
    texts
}

#[tokio::test]
async fn each_reminder_goes_out_once_at_its_day_with_the_last_day() {
    let app = TestApp::spawn().await;
    // Window 90 days (R4): the window closes 90 days before the term ends.
    let in_30 = contract("110000000901", 90 + 30); // 30-day reminder today
    let in_7 = contract("110000000902", 90 + 7); // 7-day reminder today
    let in_31 = contract("110000000903", 90 + 31); // nothing yet
    let open = contract("110000000904", 90 + 30); // a change is open on it
    let all = [&in_30, &in_7, &in_31, &open];
    let rows: Vec<(String, &str)> = all.iter().map(|(n, e)| (n.clone(), e.as_str())).collect();
    app.import_muster_contracts(&rows).await;
    let res = app.submit(ANNA, "110000000904", "5100000002").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);

    assert!(app.services.send_window_reminders(&OFFSETS).await.unwrap() >= 1);
    let mails = reminders_to(&app, ANNA).await;
    assert_eq!(mails.len(), 1, "one mail for the account");
    let mail = &mails[0];
    assert!(
        mail.contains("110000000901") && mail.contains("110000000902"),
        "{mail}"
    );
    assert!(
        !mail.contains("110000000903") && !mail.contains("110000000904"),
        "{mail}"
    );
    // Anna reads German. The 7-day one can change for 7 more days,
    // today included: its last day is 2026-12-01 (R4: its term then ends
    // 91 days later).
    assert!(
        mail.contains("110000000902: letzter Tag 1. Dezember 2026"),
        "{mail}"
    );
    assert!(
        mail.contains("110000000901: letzter Tag 24. Dezember 2026"),
        "{mail}"
    );
    assert_eq!(reminders_to(&app, BERND).await.len(), 1, "every admin");
    assert!(
        reminders_to(&app, "carla@muster.example").await.is_empty(),
        "not users"
    );

    // Run again, on another instance, after a restart: nothing new.
    app.services.send_window_reminders(&OFFSETS).await.unwrap();
    let other = app.another_instance().await;
    other
        .services
        .send_window_reminders(&OFFSETS)
        .await
        .unwrap();
    assert_eq!(reminders_to(&app, ANNA).await.len(), 1);

    // A day later the 31-day one reaches its 30 days; the others wait.
    app.advance(Duration::days(1));
    app.services.send_window_reminders(&OFFSETS).await.unwrap();
    let mails = reminders_to(&app, ANNA).await;
    assert_eq!(mails.len(), 2);
    let newest: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("110000000903"))
        .collect();
    assert_eq!(newest.len(), 1);
    assert!(!newest[0].contains("110000000901"));

    // 22 days before it closes the 30-day one is quiet; at 7 days it
    // gets its second reminder, once.
    app.advance(Duration::days(21));
    app.services.send_window_reminders(&OFFSETS).await.unwrap();
    assert_eq!(reminders_to(&app, ANNA).await.len(), 2);
    app.advance(Duration::days(1));
    app.services.send_window_reminders(&OFFSETS).await.unwrap();
    app.services.send_window_reminders(&OFFSETS).await.unwrap();
    let mails = reminders_to(&app, ANNA).await;
    assert_eq!(mails.len(), 3);
    // The next day the 903 gets its 7-day one.
    app.advance(Duration::days(1));
    app.services.send_window_reminders(&OFFSETS).await.unwrap();
    assert_eq!(reminders_to(&app, ANNA).await.len(), 4);
    // Once the windows have closed, nothing more.
    app.advance(Duration::days(30));
    app.services.send_window_reminders(&OFFSETS).await.unwrap();
    assert_eq!(reminders_to(&app, ANNA).await.len(), 4);
}
