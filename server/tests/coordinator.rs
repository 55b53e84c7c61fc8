//! The coordinator's view on SQLite and PostgreSQL: a sample programme
//! posted through the API, then the pairs list (each story found by its
//! filter), one pair's page, the report and its spreadsheets, in English,
//! Spanish and Arabic, with a programme's own wording.

mod common;

use common::{Browser, Database, Server};
use mentorkit::i18n::Locale;
use mentorkit_server::coordinator::words::{Word, Words};
use mentorkit_server::sample::{self, Story};

on_both_engines!(the_list_follows_new_records_and_forgets_erased_ones, the_pairs_list_shows_each_story_and_its_filters_find_it, a_pair_shows_both_sides_its_notes_and_agreement_and_nothing_private, the_report_counts_what_was_sent_and_its_spreadsheets_speak_words, the_pages_speak_the_coordinators_language_and_the_programmes_wording, every_page_on_the_way_speaks_the_language_too, an_amended_agreement_shows_as_its_new_version_with_the_earlier_one_kept);

const EMAIL: &str = "coord@example.org";
const PASSWORD: &str = "a long enough password";

/// A programme of `n` sample pairs, its coordinator signed in.
async fn programme(db: &Database, n: usize) -> (Server, Browser, Vec<sample::Pair>) {
    db.admin(&["create-programme", "--id", "prog", "--name", "Arts mentoring"], None);
    db.admin(&["create-coordinator", "--programme", "prog", "--email", EMAIL, "--password-stdin"], Some(PASSWORD));
    let pairs = sample::pairs(n, 8, &mentorkit_server::http::pages::today(), "S");
    let pool = db.open().await;
    sample::seed(&pool, "prog", &pairs).await.expect("the sample is accepted");
    pool.close().await;
    let server = Server::start(db, &[]);
    let mut b = Browser::new(&server);
    assert_eq!(b.sign_in(EMAIL, PASSWORD).await.status, 303);
    (server, b, pairs)
}

/// The pair ids in a pairs page, in order.
fn listed(page: &str) -> Vec<String> {
    page.split("<th scope=\"row\"><a href=\"/pairs/").skip(1).filter_map(|rest| rest.split('"').next().map(str::to_owned)).collect()
}

fn ids_of(pairs: &[sample::Pair], story: Story) -> Vec<String> {
    pairs.iter().filter(|p| p.story == story).map(|p| p.id.clone()).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn the_pairs_list_shows_each_story_and_its_filters_find_it(db: Database) {
    let (_server, mut b, pairs) = programme(&db, 20).await;
    let page = b.get("/pairs").await;
    assert_eq!(page.status, 200);
    assert_eq!(listed(&page.body).len(), 20);
    assert!(page.body.contains("20 pairs:") && !page.body.contains("<script") && !page.body.contains("style="));
    for (query, story) in [
        ("alert=low-ratings", Story::LowRatings),
        ("alert=poor-fit", Story::PoorFit),
        ("status=closed", Story::Closed),
        ("alert=cancellations", Story::Cancelled),
        ("alert=apart", Story::Apart),
        ("alert=no-agreement", Story::NoAgreement),
        ("ends=30", Story::EndingSoon),
    ] {
        let found = listed(&b.get(&format!("/pairs?{query}")).await.body);
        assert_eq!(sorted(found), ids_of(&pairs, story), "{query}");
    }
    let overdue = listed(&b.get("/pairs?rhythm=overdue&sort=rhythm").await.body);
    assert_eq!(sorted(overdue[..2].to_vec()), ids_of(&pairs, Story::Overdue), "the overdue pairs come first, most overdue first");
    let on_track = listed(&b.get("/pairs?rhythm=on-track&alert=none").await.body);
    assert!(ids_of(&pairs, Story::OnTrack).iter().all(|id| on_track.contains(id)), "{on_track:?}");
    let one = &pairs[6];
    let found = listed(&b.get(&format!("/pairs?q={}", one.mentee.split(' ').next().unwrap_or_default())).await.body);
    assert!(found.contains(&one.id), "found by name");
    let body = b.get("/pairs?alert=overdue").await.body;
    assert!(body.contains("Overdue by ") && body.contains("Next session overdue by"), "overdue says by how many days");
    assert!(b.get("/pairs?alert=low-ratings").await.body.contains("Three low ratings in a row from the mentee"));
    assert!(b.get("/pairs?alert=poor-fit").await.body.contains("Mentor: Not a good fit") || b.get("/pairs?alert=poor-fit").await.body.contains("not a good fit"));
}

async fn a_pair_shows_both_sides_its_notes_and_agreement_and_nothing_private(db: Database) {
    let (_server, mut b, pairs) = programme(&db, 10).await;
    let poor = pairs.iter().find(|p| p.story == Story::PoorFit).expect("a poor fit");
    let page = b.get(&format!("/pairs/{}", poor.id)).await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains(&format!("{} and {}", poor.mentee, poor.mentor)), "the names head the page");
    assert!(body.contains("The mentor says the pairing is not a good fit"));
    assert!(body.contains("could we talk about a change?"), "the note for the coordinator is shown");
    assert!(body.contains("Private notes never leave the device"), "the page says private notes are not here");
    assert!(body.contains("We worked through my CV") && body.contains("Good questions; the plan is clearer."), "both sides' answers");
    assert!(body.contains("How long did you meet (minutes)?") && !body.contains("<dt>I am the</dt>"), "the answers, not who answered again");
    assert!(body.contains("class=\"sides\"") && body.contains("<svg") && body.contains("<desc"), "side by side, and a chart with its text");
    assert!(body.contains("Mentoring agreement") || body.contains("agreement"), "the agreement as its document");
    assert!(body.contains("A portfolio to show employers"), "the agreement's goal");
    assert!(body.contains("Send two applications"), "the open action point");
    assert!(body.contains("Export everything held about the mentee"), "the people and their data rights");
    let closed = pairs.iter().find(|p| p.story == Story::Closed).expect("a closed pair");
    let body = b.get(&format!("/pairs/{}", closed.id)).await.body;
    assert!(body.contains("Closing review") || body.contains("closing"), "the closing review is in the timeline");
    assert!(b.get("/pairs/nope").await.status == 404);
}

/// Sessions held in the sample between `from` and `to`: a pair and a day, once.
fn held(pairs: &[sample::Pair], from: &str, to: &str) -> (usize, usize, usize) {
    let mut days = std::collections::BTreeMap::new();
    for p in pairs {
        for (_, r) in &p.records {
            let d = r.data.get("date");
            if r.kind == "session" && d >= from && d <= to {
                let e = days.entry((p.id.clone(), d.to_owned())).or_insert((false, String::new()));
                e.0 |= r.data.get("status") == "held";
                if e.1.is_empty() || r.data.get("status") == "held" {
                    e.1 = r.data.get("status").to_owned();
                }
            }
        }
    }
    let held = days.values().filter(|(h, _)| *h).count();
    let by_mentor = days.values().filter(|(h, s)| !h && s == "cancelled-mentor").count();
    let no_shows = days.values().filter(|(h, s)| !h && s == "no-show").count();
    (held, by_mentor, no_shows)
}

async fn the_report_counts_what_was_sent_and_its_spreadsheets_speak_words(db: Database) {
    let (_server, mut b, pairs) = programme(&db, 20).await;
    let today = mentorkit_server::http::pages::today();
    let year: i32 = today[..4].parse().expect("a year");
    let from = &format!("{}-01-01", year - 3);
    let page = b.get(&format!("/report?from={from}&to={today}")).await;
    assert_eq!(page.status, 200);
    let (held_n, by_mentor, no_shows) = held(&pairs, from, &today);
    let row = |label: &str, n: usize| format!("<th scope=\"row\">{label}</th><td class=\"n\">{n}</td>");
    assert!(page.body.contains(&row("Held", held_n)), "held {held_n}");
    assert!(page.body.contains(&row("Cancelled by the mentor", by_mentor)) && page.body.contains(&row("No-shows", no_shows)));
    assert!(page.body.contains(&row("Closed", ids_of(&pairs, Story::Closed).len())));
    assert!(page.body.contains(&row("Active during the period", 20)));
    assert!(page.body.contains("2 closing reviews: 1 from mentees, 1 from mentors.") || page.body.contains("4 closing reviews: 2 from mentees, 2 from mentors."));
    assert!(page.body.matches("role=\"img\"").count() >= 3, "sessions, ratings and outcomes are drawn: {}", page.body);
    assert!(!page.body.contains("<script") && !page.body.contains("style="));
    let bad = b.get("/report?from=2027-02-02&to=2027-02-01").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("the first not after the second"));

    let csv = b.get(&format!("/report/figures.csv?from={from}&to={today}")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").is_some_and(|t| t.starts_with("text/csv")) && csv.header("content-disposition").is_some_and(|d| d.contains("attachment")));
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Section,Measure,Value");
    assert!(lines.contains(&format!("Sessions,Held,{held_n}").as_str()), "{lines:?}");
    assert!(lines.contains(&"What changed,Clarity about what I want,2") || lines.iter().any(|l| l.starts_with("What changed,")), "outcomes in words: {lines:?}");
    let pairs_csv = b.get(&format!("/report/pairs.csv?from={from}&to={today}")).await.body;
    assert!(pairs_csv.contains(&pairs[0].mentee) && !pairs_csv.contains("cancelled-mentor") && !pairs_csv.contains("new-role"), "names and words, not codes");
    b.get("/language?to=es&back=/report").await;
    let es = b.get(&format!("/report/months.csv?from={from}&to={today}")).await.body;
    assert!(es.trim_start_matches('\u{feff}').starts_with("Mes,Realizadas,Horas de mentoría"), "{es}");
    assert!(es.contains(" de 20"), "months in Spanish words: {es}");
}

async fn the_pages_speak_the_coordinators_language_and_the_programmes_wording(db: Database) {
    let (_server, mut b, _) = programme(&db, 10).await;
    let back = b.get("/language?to=ar&back=%2Fpairs%3Falert%3Dany").await;
    assert_eq!((back.status, back.header("location")), (303, Some("/pairs?alert=any")));
    let page = b.get("/pairs").await.body;
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">") && page.contains("الثنائيات"));
    assert!(b.get("/report").await.body.contains("</a>، <a href=\"/report/months.csv"), "lists are joined with the language's comma");
    assert_eq!(b.get("/language?to=en&back=https://elsewhere.example/").await.header("location"), Some("/pairs"), "only back to this site");
    let labels = std::env::temp_dir().join(format!("labels-{}-{}.json", std::process::id(), db.postgres));
    std::fs::write(&labels, r#"{"en": {"PairsTitle": "Our mentoring pairs"}}"#).expect("write labels");
    db.admin(&["update-programme", "--id", "prog", "--labels", &labels.display().to_string()], None);
    let page = b.get("/pairs").await.body;
    assert!(page.contains("<h1>Our mentoring pairs</h1>"), "the programme's wording");
    std::fs::write(&labels, r#"{"en": {"Nope": "x"}}"#).expect("write labels");
    let out = std::process::Command::new(common::BIN)
        .args(["--database-url", &db.url, "admin", "update-programme", "--id", "prog", "--labels", &labels.display().to_string()])
        .output()
        .expect("admin");
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("no message of this name"));
    let _ = std::fs::remove_file(labels);
    db.admin(&["update-programme", "--id", "prog", "--language", "fr"], None);
    let mut fresh = Browser::new(&_server);
    fresh.sign_in(EMAIL, PASSWORD).await;
    let page = fresh.get("/pairs").await.body;
    assert!(page.contains("<html lang=\"fr\" dir=\"ltr\">") && page.contains("<h1>Binômes</h1>"), "a coordinator who picked no language reads the programme's");
    let out = std::process::Command::new(common::BIN).args(["--database-url", &db.url, "admin", "update-programme", "--id", "prog", "--language", "xx"]).output().expect("admin");
    assert!(!out.status.success(), "an unknown language is refused");
}

async fn the_list_follows_new_records_and_forgets_erased_ones(db: Database) {
    let (server, mut b, _) = programme(&db, 10).await;
    let enrolled = db.admin(&["enrol-pair", "--programme", "prog", "--pair", "Z1", "--mentee-name", "Zora New", "--mentor-name", "Yann New"], None);
    let invitation = common::field(&enrolled, "mentee-invitation").to_owned();
    let row = |page: &str| page.split("<tr>").find(|r| r.contains("/pairs/Z1\"")).map(str::to_owned).unwrap_or_default();
    assert!(row(&b.get("/pairs").await.body).contains("None yet"), "no session yet");
    let body = common::record_about("z-1", "Z1", "mentee").replace("\"rating\":\"4\"", "\"rating\":\"4\",\"status\":\"held\"");
    assert_eq!(server.post("/api/records", Some(&invitation), Some("z-1.1"), &body).await.status, 201);
    let page = b.get("/pairs").await.body;
    assert!(row(&page).contains("5 January 2027") && page.contains("11 pairs:"), "a record sent since the last view is in the next: {}", row(&page));
    let token = b.csrf("/pairs/Z1").await;
    assert_eq!(b.post_form("/pairs/Z1/mentee/erase", &[("csrf", &token), ("confirm", "yes")]).await.status, 303);
    let page = b.get("/pairs").await.body;
    assert!(row(&page).contains("None yet") && !page.contains("Zora New"), "an erased person's records leave the view at once: {}", row(&page));
}

/// The English texts of the pages' messages that read otherwise in `locale`
/// and are long enough not to occur by chance, found in a page's text.
fn english_left(page: &str, locale: Locale) -> Vec<&'static str> {
    let mut text = String::new();
    let mut markup = false;
    for c in page.split("<pre").next().unwrap_or_default().chars() {
        match c {
            '<' => markup = true,
            '>' => markup = false,
            c if !markup => text.push(c),
            _ => {}
        }
    }
    let own = Words::new(locale, None);
    Word::ALL
        .iter()
        .filter(|w| w.english().len() >= 6 && w.english().contains(' ') && own.t(**w) != w.english())
        .map(|w| w.english().split('{').next().unwrap_or_default().trim())
        .filter(|e| e.len() >= 6 && text.contains(e))
        .collect()
}

async fn every_page_on_the_way_speaks_the_language_too(db: Database) {
    let (server, mut b, _) = programme(&db, 2).await;
    let visit = |language: &'static str| {
        let addr = server.addr;
        async move { common::http::request(addr, "GET", "/sign-in", &[("Accept-Language", language)], b"").await.expect("an answer").body }
    };
    let german = visit("de-CH, fr;q=0.8, en;q=0.5").await;
    assert!(german.contains("<html lang=\"de\"") && german.contains("<h1>Anmelden</h1>") && german.contains("hreflang=\"ar\""), "the browser's first language the pages have, with links to the others");
    assert!(visit("pt-BR, es;q=0.7").await.contains("<h1>Iniciar sesión</h1>"));
    assert!(visit("fr;q=0, it").await.contains("<html lang=\"en\""), "a language refused with q=0 is not taken");
    assert!(english_left(&german, Locale::De).is_empty(), "{:?}", english_left(&german, Locale::De));
    assert!(english_left(&visit("it").await, Locale::De).len() >= 2, "an English page is seen as such");

    let mut visitor = Browser::new(&server);
    visitor.cookies.push(("mk_language".into(), "ar".into()));
    let page = visitor.get("/sign-in").await;
    let wrong = visitor.post_form("/sign-in", &[("csrf", &common::csrf_of(&page.body)), ("email", EMAIL), ("password", "not the password at all")]).await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("البريد الإلكتروني أو كلمة المرور غير صحيحة.") && wrong.body.contains("aria-invalid=\"true\""), "{}", wrong.body);
    let refused = visitor.post_form("/sign-in", &[("csrf", "forged"), ("email", EMAIL), ("password", PASSWORD)]).await;
    assert!(refused.status == 403 && refused.body.contains("<h1>مرفوض</h1>"));

    b.get("/language?to=ar&back=/pairs").await;
    let ar = Locale::Ar;
    let form = b.get("/pairs/new").await.body;
    assert!(form.contains("اسم المسترشد") && english_left(&form, ar).is_empty(), "{:?}", english_left(&form, ar));
    let token = common::csrf_of(&form);
    let missing = b.post_form("/pairs", &[("csrf", &token), ("pair", "AR1"), ("mentee_name", " "), ("mentor_name", "Grace")]).await;
    assert_eq!(missing.status, 422);
    assert!(missing.body.contains("اكتب اسم المسترشد"), "the problem in the coordinator's language");
    assert!(missing.body.contains("id=\"mentee_name\" name=\"mentee_name\" value=\"\" required aria-invalid=\"true\" aria-describedby=\"enrol-problem\""), "tied to its field");
    let enrolled = b.post_form("/pairs", &[("csrf", &token), ("pair", "AR1"), ("mentee_name", "Ada"), ("mentor_name", "Grace")]).await;
    assert!(enrolled.body.contains("تم تسجيل الثنائي AR1") && english_left(&enrolled.body, ar).is_empty(), "{:?}", english_left(&enrolled.body, ar));
    let taken = b.post_form("/pairs", &[("csrf", &token), ("pair", "AR1"), ("mentee_name", "Ada"), ("mentor_name", "Grace")]).await;
    assert!(taken.status == 409 && taken.body.contains("يوجد ثنائي مسجّل بهذا المعرّف"));
    let pair = b.get("/pairs/AR1").await.body;
    assert!(pair.contains("تصدير كل ما يُحفظ عن المسترشد (JSON)") && english_left(&pair, ar).is_empty(), "{:?}", english_left(&pair, ar));
    let kept = b.post_form("/pairs/AR1/mentee/erase", &[("csrf", &token)]).await;
    assert!(kept.status == 400 && kept.body.contains("لم يُحذف شيء"), "{}", kept.body);
    let again = b.post_form("/pairs/AR1/mentee/invitation", &[("csrf", &token)]).await.body;
    assert!(again.contains("دعوة جديدة لمسترشد الثنائي AR1") && english_left(&again, ar).is_empty(), "{:?}", english_left(&again, ar));
    assert_eq!(b.post_form("/pairs/AR1/mentee/erase", &[("csrf", &token), ("confirm", "yes")]).await.status, 303);
    let erased = b.get("/pairs/AR1?erased=mentee").await.body;
    assert!(erased.contains("حُذف كل ما كان محفوظًا عن المسترشد.") && erased.contains("الاسم: محذوف"));
    let audit = b.get("/audit").await.body;
    assert!(audit.contains("سجّل ثنائيًا") && audit.contains("حذف شخصًا") && audit.contains("بالتوقيت العالمي"), "actions and moments in words");
    assert!(english_left(&audit, ar).is_empty(), "{:?}", english_left(&audit, ar));
    let missing = b.get("/pairs/no-such-pair").await;
    assert!(missing.status == 404 && missing.body.contains("<h1>غير موجود</h1>") && missing.body.contains("<nav"));
    for path in ["/pairs", "/report", "/pairs/S001"] {
        let page = b.get(path).await.body;
        assert!(english_left(&page, ar).is_empty(), "{path}: {:?}", english_left(&page, ar));
    }
}

async fn an_amended_agreement_shows_as_its_new_version_with_the_earlier_one_kept(db: Database) {
    use mentorkit::model::{delivery::Payload, signing};
    db.admin(&["create-programme", "--id", "prog", "--name", "Arts mentoring"], None);
    db.admin(&["create-coordinator", "--programme", "prog", "--email", EMAIL, "--password-stdin"], Some(PASSWORD));
    let mut pairs = sample::pairs(2, 4, &mentorkit_server::http::pages::today(), "V");
    let pair = pairs.iter_mut().find(|p| p.records.iter().any(|(_, r)| r.kind == "agreement")).expect("a pair with an agreement");
    let (role, first) = pair.records.iter().find(|(_, r)| r.kind == "agreement").cloned().expect("its agreement");
    let mut data = first.data.clone();
    data.set("purpose.text", "AMENDED: a first paid commission by the summer.".into());
    for (party, name) in [("mentee", pair.mentee.clone()), ("mentor", pair.mentor.clone())] {
        signing::sign(&mut data, party, &name, true, &first.submitted).expect("signed again");
    }
    let second = Payload::from_agreement(&data, &first.id, 2, &first.created, &first.submitted).concerning(first.about.clone());
    pair.records.push((role, second));
    let id = pair.id.clone();
    let pool = db.open().await;
    sample::seed(&pool, "prog", &pairs).await.expect("the sample is accepted");
    pool.close().await;
    let server = Server::start(&db, &[]);
    let mut b = Browser::new(&server);
    b.sign_in(EMAIL, PASSWORD).await;
    let body = b.get(&format!("/pairs/{id}")).await.body;
    let section = body.split("<section aria-labelledby=\"agreement\">").nth(1).unwrap_or_default();
    let section = section.split("</section>").next().unwrap_or_default();
    let (current, earlier) = section.split_once("<h3>Earlier versions, as signed</h3>").expect("the earlier version is listed");
    assert!(current.contains("AMENDED: a first paid commission") && current.contains("version 2"), "the version in force is the amended one");
    assert!(earlier.contains("<details class=\"version\"><summary>Version 1, received") && earlier.contains(&signing::short(&signing::fingerprint(&first.data))));
    assert!(earlier.contains(first.data.get("purpose.text")) && !earlier.contains("AMENDED"), "version 1 reads as it was signed");
    let fr = {
        b.get("/language?to=fr&back=/pairs").await;
        b.get(&format!("/pairs/{id}")).await.body
    };
    assert!(fr.contains("Versions précédentes, telles que signées") && fr.contains("Version 1, reçue le"));
}
