//! The bundled reference data as a specification: it passes its own
//! integrity check, `check-data` catches the mistakes a hand-curated list of
//! office holders invites, and the world's office holders are found by role
//! and by name on the article's date.

use assert_cmd::Command;
use isnad::article::Article;
use isnad::extract::{extract, Annotations, Knowledge};
use isnad::reference::Reference;
use predicates::prelude::*;
use std::sync::OnceLock;
use tempfile::TempDir;

fn isnad() -> Command {
    let mut c = Command::cargo_bin("isnad").unwrap();
    c.env_remove("ISNAD_STORE").env_remove("ISNAD_REFERENCE");
    c
}

/// A reference folder holding the given files.
fn folder(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn check_data(dir: &TempDir) -> assert_cmd::assert::Assert {
    isnad()
        .arg("--reference")
        .arg(dir.path())
        .arg("check-data")
        .assert()
}

const TWO_PEOPLE: &str = "id\tcountry\tar\ten\n\
    test-a\tAQ\tاختبار ألف\tTest A\n\
    test-b\tAQ\tاختبار باء\tTest B\n";

fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(|| Knowledge::new(Reference::bundled().expect("bundled reference data parses")))
}

fn run(body: &str, date: &str) -> Annotations {
    let article = Article {
        origin: "test".into(),
        body: body.into(),
        date: Some(date.parse().unwrap()),
        ..Article::default()
    };
    extract(&article, knowledge())
}

fn mentions(a: &Annotations, id: &str) -> usize {
    a.mentions
        .iter()
        .filter(|m| a.entities[m.entity].id == id)
        .count()
}

/// Who held `position` of `of` (`country/AZ`, `org/unhcr`) on `date`.
fn holder(position: &str, of: &str, date: &str) -> Option<String> {
    let k = knowledge();
    let of = k.reference.index_of(of).expect("a known country or body");
    k.holder(position, of, Some(date.parse().unwrap()))
        .map(|p| k.reference.entities[p].id.clone())
}

#[test]
fn the_bundled_data_has_no_problem() {
    isnad()
        .arg("check-data")
        .assert()
        .success()
        .stdout(predicate::str::contains("; 0 problem(s)"));
}

#[test]
fn two_holders_of_a_one_holder_office_on_the_same_day_are_a_problem() {
    let dir = folder(&[
        ("people-test.tsv", TWO_PEOPLE),
        (
            "roles-test.tsv",
            "person\tposition\tof\tstart\tend\n\
             test-a\tpresident\tAQ\t2030-01-01\t2030-06-02\n\
             test-b\tpresident\tAQ\t2030-06-01\t\n",
        ),
    ]);
    check_data(&dir).failure().stderr(predicate::str::contains(
        "president of AQ held by person/test-a and person/test-b at once",
    ));
}

#[test]
fn a_handover_day_ends_one_tenure_and_starts_the_next() {
    let dir = folder(&[
        ("people-test.tsv", TWO_PEOPLE),
        (
            "roles-test.tsv",
            "person\tposition\tof\tstart\tend\n\
             test-a\tpresident\tAQ\t2030-01-01\t2030-06-01\n\
             test-b\tpresident\tAQ\t2030-06-01\t\n",
        ),
    ]);
    check_data(&dir)
        .success()
        .stdout(predicate::str::contains("; 0 problem(s)"));
}

#[test]
fn the_head_of_a_rival_government_is_no_clash() {
    let dir = folder(&[
        ("people-test.tsv", TWO_PEOPLE),
        (
            "roles-test.tsv",
            "person\tposition\tof\tstart\tend\tnote\n\
             test-a\tprime-minister\tAQ\t2030-01-01\t\t\n\
             test-b\tprime-minister\tAQ\t2030-06-01\t\trival government in the east\n",
        ),
    ]);
    check_data(&dir)
        .success()
        .stdout(predicate::str::contains("; 0 problem(s)"));
}

#[test]
fn several_deputies_at_once_are_no_problem_but_one_person_twice_is() {
    let dir = folder(&[
        ("people-test.tsv", TWO_PEOPLE),
        (
            "roles-test.tsv",
            "person\tposition\tof\tstart\tend\n\
             test-a\tdeputy-foreign-minister\tAQ\t2030-01-01\t\n\
             test-b\tdeputy-foreign-minister\tAQ\t2030-02-01\t\n\
             test-a\tdeputy-foreign-minister\tAQ\t2030-03-01\t2030-04-01\n",
        ),
    ]);
    check_data(&dir)
        .failure()
        .stderr(predicate::str::contains(
            "deputy-foreign-minister of AQ held by person/test-a and person/test-a at once",
        ))
        .stderr(predicate::str::contains("person/test-b at once").not());
}

#[test]
fn an_end_before_the_start_and_an_unknown_country_code_are_problems() {
    let dir = folder(&[
        (
            "people-test.tsv",
            "id\tcountry\tar\ten\ntest-c\tQQ\tاختبار جيم\tTest C\n",
        ),
        (
            "roles-test.tsv",
            "person\tposition\tof\tstart\tend\ntest-c\tforeign-minister\tAQ\t2031-01-01\t2030-01-01\n",
        ),
    ]);
    check_data(&dir)
        .failure()
        .stderr(predicate::str::contains(
            "person/test-c: unknown country code QQ",
        ))
        .stderr(predicate::str::contains(
            "person/test-c foreign-minister ends before it starts",
        ));
}

#[test]
fn heads_of_state_government_and_diplomacy_of_every_region_are_known_by_date() {
    for (position, of, date, who) in [
        ("president", "country/AZ", "2020-10-01", "person/aliyev"),
        ("president", "country/NG", "2016-01-01", "person/buhari"),
        ("president", "country/NG", "2024-01-01", "person/tinubu"),
        ("president", "country/BR", "2020-01-01", "person/bolsonaro"),
        ("president", "country/BR", "2024-01-01", "person/lula"),
        (
            "prime-minister",
            "country/JP",
            "2022-06-01",
            "person/kishida",
        ),
        (
            "prime-minister",
            "country/CA",
            "2025-03-14",
            "person/carney",
        ),
        ("chancellor", "country/AT", "2022-06-01", "person/nehammer"),
        (
            "foreign-minister",
            "country/UA",
            "2023-01-01",
            "person/kuleba",
        ),
        (
            "interior-minister",
            "country/GB",
            "2020-01-01",
            "person/priti-patel",
        ),
        ("king", "country/DK", "2024-06-01", "person/frederik-x"),
        (
            "presidential-aide",
            "country/RU",
            "2024-01-01",
            "person/ushakov",
        ),
        (
            "high-commissioner",
            "org/unhcr",
            "2020-01-01",
            "person/grandi",
        ),
        (
            "director-general",
            "org/wfp",
            "2020-01-01",
            "person/david-beasley",
        ),
        ("president", "org/icc", "2022-01-01", "person/hofmanski"),
    ] {
        assert_eq!(
            holder(position, of, date).as_deref(),
            Some(who),
            "{position} of {of} on {date}"
        );
    }
}

#[test]
fn a_handover_day_belongs_to_the_successor() {
    assert_eq!(
        holder("prime-minister", "country/CA", "2025-03-14").as_deref(),
        Some("person/carney")
    );
    assert_eq!(
        holder("prime-minister", "country/CA", "2025-03-13").as_deref(),
        Some("person/trudeau")
    );
}

#[test]
fn an_official_of_a_country_the_old_data_did_not_cover_is_named_in_text() {
    let a = run(
        "وقال الرئيس الأذربيجاني إلهام علييف إن بلاده مستعدة للسلام، فيما قال رئيس الوزراء الأرميني نيكول باشينيان إن المفاوضات مستمرة.",
        "2023-05-10",
    );
    assert!(mentions(&a, "person/aliyev") > 0, "{:?}", a.mentions);
    assert!(mentions(&a, "person/pashinyan") > 0, "{:?}", a.mentions);
}
