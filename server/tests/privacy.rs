//! Data protection on SQLite and PostgreSQL: erasing a person, exporting
//! what is held about them, retention, and the audit log that records it.

mod common;

use common::{record, Browser, Database, Server, Setup};

on_both_engines!(erasing_a_person_removes_them_and_is_audited, exporting_a_person_gives_their_records_as_json, retention_deletes_records_older_than_the_period);

async fn erasing_a_person_removes_them_and_is_audited(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    for (token, id) in [(&s.p1_mentee, "e1"), (&s.p1_mentee, "e2"), (&s.p1_mentor, "e3"), (&s.p2_mentee, "e4")] {
        assert_eq!(server.post("/api/records", Some(token), Some(&format!("{id}.1")), &record(id)).await.status, 201);
    }
    let mut b = Browser::new(&server);
    b.sign_in(s.email, s.password).await;
    let page = b.get("/pairs/P1").await;
    assert!(page.body.contains("Ada Mentee") && page.body.contains("e2"));
    let token = common::csrf_of(&page.body);
    // Without the confirmation nothing happens.
    assert_eq!(b.post_form("/pairs/P1/mentee/erase", &[("csrf", &token)]).await.status, 400);
    let r = b.post_form("/pairs/P1/mentee/erase", &[("csrf", &token), ("confirm", "yes")]).await;
    assert_eq!((r.status, r.header("location")), (303, Some("/pairs/P1?erased=mentee")));
    let pool = db.open().await;
    let left: Vec<String> = sqlx::query_scalar("SELECT record_id FROM records ORDER BY record_id").fetch_all(&pool.pool).await.expect("records");
    assert_eq!(left, ["e3", "e4"], "the mentee's records are gone, the others stay");
    let (name, contact): (Option<String>, Option<String>) = {
        use sqlx::Row;
        let row = sqlx::query("SELECT mentee_name, mentee_contact FROM pairs WHERE pair_id = 'P1'").fetch_one(&pool.pool).await.expect("pair");
        (row.get("mentee_name"), row.get("mentee_contact"))
    };
    assert_eq!((name, contact), (None, None));
    let invitations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE pair_id = 'P1' AND role = 'mentee'").fetch_one(&pool.pool).await.expect("count");
    assert_eq!(invitations, 0);
    assert_eq!(server.post("/api/records", Some(&s.p1_mentee), Some("e5.1"), &record("e5")).await.status, 401, "the invitation no longer works");
    let page = b.get("/pairs/P1").await;
    assert!(!page.body.contains("Ada Mentee") && !page.body.contains("ada@example.org"));
    let audit = b.get("/audit").await;
    assert!(audit.body.contains("Erased a person") && audit.body.contains("pair P1, mentee") && audit.body.contains(s.email), "{}", audit.body);
    let entry: String = sqlx::query_scalar("SELECT action || ' ' || subject || ' ' || actor FROM audit_log WHERE action = 'erase person'").fetch_one(&pool.pool).await.expect("entry");
    assert!(!entry.contains("Ada") && !entry.contains("met on time"), "the audit log says that, not what: {entry}");
}

async fn exporting_a_person_gives_their_records_as_json(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    for (token, id) in [(&s.p1_mentee, "x1"), (&s.p1_mentee, "x2"), (&s.p1_mentor, "x3")] {
        assert_eq!(server.post("/api/records", Some(token), Some(&format!("{id}.1")), &record(id)).await.status, 201);
    }
    let mut b = Browser::new(&server);
    b.sign_in(s.email, s.password).await;
    let token = b.csrf("/pairs/P1").await;
    let r = b.post_form("/pairs/P1/mentee/export", &[("csrf", &token)]).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-disposition").is_some_and(|d| d.contains("attachment")));
    let json = r.json();
    assert_eq!((json["pair"].as_str(), json["role"].as_str(), json["name"].as_str()), (Some("P1"), Some("mentee"), Some("Ada Mentee")));
    assert_eq!(json["contact"], "ada@example.org");
    let ids: Vec<&str> = json["records"].as_array().expect("records").iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, ["x1", "x2"], "their records, not the partner's");
    assert_eq!(json["records"][0]["record"]["data"]["wentWell"], "We met on time");
    assert_eq!(json["invitations"].as_array().map(Vec::len), Some(1));
    assert!(!r.body.contains("mki_"), "no token in the export");
    let audit = b.get("/audit").await;
    assert!(audit.body.contains("Exported a person&#39;s data") && audit.body.contains("pair P1, mentee"));
}

async fn retention_deletes_records_older_than_the_period(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    for id in ["old", "new"] {
        assert_eq!(server.post("/api/records", Some(&s.p1_mentee), Some(&format!("{id}.1")), &record(id)).await.status, 201);
    }
    drop(server);
    let pool = db.open().await;
    // The programme keeps records 30 days: one received 31 days ago, one 29.
    let day = 24 * 60 * 60 * 1000_i64;
    let now = mentorkit_server::db::now_ms();
    sqlx::query("UPDATE records SET received_ms = $1 WHERE record_id = 'old'").bind(now - 31 * day).execute(&pool.pool).await.expect("age");
    sqlx::query("UPDATE records SET received_ms = $1 WHERE record_id = 'new'").bind(now - 29 * day).execute(&pool.pool).await.expect("age");
    // The retention task runs at start.
    let server = Server::start(&db, &[]);
    let mut left = Vec::new();
    for _ in 0..100 {
        left = sqlx::query_scalar::<_, String>("SELECT record_id FROM records").fetch_all(&pool.pool).await.expect("records");
        if left.len() == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(left, ["new"]);
    let entry: String = sqlx::query_scalar("SELECT subject FROM audit_log WHERE actor = 'retention'").fetch_one(&pool.pool).await.expect("audited");
    assert!(entry.contains("1 records older than 30 days"), "{entry}");
    // And from the command line.
    sqlx::query("UPDATE records SET received_ms = $1").bind(now - 40 * day).execute(&pool.pool).await.expect("age");
    assert!(db.admin(&["purge-expired"], None).contains("1 expired records deleted"));
    drop(server);
}
