//! Extraction as a specification: table-driven cases for entities, roles
//! by date, counterparts, patterns, claims and events, and a golden test of
//! the seed article's entities, claims and events.

use isnad::article::{read_path, Article};
use isnad::extract::{extract, Annotations, Event, Knowledge};
use isnad::reference::{Class, Reference};
use std::sync::OnceLock;

fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(|| Knowledge::new(Reference::bundled().expect("bundled reference data parses")))
}

fn article(body: &str, date: Option<&str>) -> Article {
    Article {
        origin: "test".into(),
        body: body.into(),
        date: date.map(|d| d.parse().unwrap()),
        ..Article::default()
    }
}

fn run(body: &str, date: Option<&str>) -> Annotations {
    extract(&article(body, date), knowledge())
}

/// The entity ids mentioned, with the anchors that name them.
fn mentioned(a: &Annotations) -> Vec<(String, String)> {
    a.mentions
        .iter()
        .map(|m| (a.entities[m.entity].id.clone(), m.anchor.clone()))
        .collect()
}

/// How many mentions name entity `id`.
fn mentions_of(a: &Annotations, id: &str) -> usize {
    mentioned(a).iter().filter(|(i, _)| i == id).count()
}

/// The labels of the people found, sorted.
fn people(a: &Annotations) -> Vec<&str> {
    let mut v: Vec<&str> = a
        .entities
        .iter()
        .filter(|e| e.class == Class::Person)
        .map(|e| e.label_ar.as_str())
        .collect();
    v.sort_unstable();
    v
}

/// Fails, listing what was found, unless `id` is mentioned as `anchor`.
#[track_caller]
fn assert_has(a: &Annotations, id: &str, anchor: &str) {
    assert!(
        has(a, id, anchor),
        "no {id} as {anchor:?} in {:?}",
        mentioned(a)
    );
}

fn has(a: &Annotations, id: &str, anchor: &str) -> bool {
    mentioned(a).iter().any(|(i, an)| i == id && an == anchor)
}

fn speakers_of(a: &Annotations, text_start: &str) -> Vec<String> {
    let c = a
        .claims
        .iter()
        .find(|c| c.text.starts_with(text_start))
        .unwrap_or_else(|| panic!("no claim starting {text_start:?} in {:#?}", a.claims));
    let mut s: Vec<String> = c
        .speakers
        .iter()
        .map(|&i| a.entities[i].id.clone())
        .collect();
    s.sort();
    s
}

mod entities {
    use super::*;

    #[test]
    fn names_with_clitics_keep_spans_without_them() {
        let a = run("زار الوفد وباكستان ثم لطهران وبالسعودية.", None);
        for (id, anchor) in [
            ("country/PK", "باكستان"),
            ("place/tehran", "طهران"),
            ("country/SA", "السعودية"),
        ] {
            assert!(has(&a, id, anchor), "{id} {anchor}: {:?}", mentioned(&a));
        }
    }

    #[test]
    fn every_mention_offset_points_at_its_anchor() {
        let body = "أكَّد وزير الخارجية الإيراني، حسين أمير عبد اللهيان، أنَّ إيران وباكستان جارتان.";
        let a = run(body, Some("2024-01-19"));
        let chars: Vec<char> = body.chars().collect();
        assert!(!a.mentions.is_empty());
        for m in &a.mentions {
            let got: String = chars[m.begin..m.end].iter().collect();
            assert_eq!(got, m.anchor);
        }
    }

    #[test]
    fn a_role_resolves_to_its_holder_on_the_article_date() {
        let cases = [
            (
                "قال وزير الخارجية الإيراني إن الوضع هادئ.",
                "2024-01-19",
                "person/amir-abdollahian",
            ),
            (
                "قال وزير الخارجية الإيراني إن الوضع هادئ.",
                "2024-10-01",
                "person/araghchi",
            ),
            (
                "قال الرئيس الأمريكي إن الوضع هادئ.",
                "2024-06-01",
                "person/biden",
            ),
            (
                "قال الرئيس الأمريكي إن الوضع هادئ.",
                "2025-02-01",
                "person/trump",
            ),
        ];
        for (body, date, want) in cases {
            let a = run(body, Some(date));
            assert!(
                a.entities.iter().any(|e| e.id == want),
                "{body} on {date}: expected {want}, got {:?}",
                mentioned(&a)
            );
        }
    }

    #[test]
    fn an_undated_role_is_no_guess() {
        let a = run("قال وزير الخارجية الإيراني إن الوضع هادئ.", None);
        assert!(
            a.entities.iter().all(|e| e.class != Class::Person),
            "{:?}",
            mentioned(&a)
        );
    }

    #[test]
    fn full_name_surname_role_and_counterpart_are_one_person() {
        let body = "أكَّد وزير الخارجية الإيراني، حسين أمير عبد اللهيان ونظيره الباكستاني جليل عباس جيلاني أن العلاقات جيدة. واعتبر عبد اللهيان أن التعاون مهم.";
        let a = run(body, Some("2024-01-19"));
        let people: Vec<&str> = a
            .entities
            .iter()
            .filter(|e| e.class == Class::Person)
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(people.len(), 2, "{:?}", mentioned(&a));
        assert_has(&a, "person/jilani", "نظيره الباكستاني");
        assert!(has(&a, "person/amir-abdollahian", "عبد اللهيان"));
        assert!(has(&a, "person/amir-abdollahian", "وزير الخارجية الإيراني"));
    }

    #[test]
    fn outlet_framing_names_link_to_the_entity_and_stay_as_aliases() {
        let a = run(
            "ويقوم الكيان الصهيوني بقتل المدنيين، وأعلنت جماعة \"جيش الظلم\" مسؤوليتها.",
            Some("2024-01-19"),
        );
        assert_has(&a, "country/IL", "الكيان الصهيوني");
        assert_has(&a, "org/jaish-al-adl", "جيش الظلم");
        let jaish = a
            .entities
            .iter()
            .find(|e| e.id == "org/jaish-al-adl")
            .unwrap();
        assert!(jaish.alt_labels.contains(&"جيش الظلم".to_string()));
    }

    #[test]
    fn unknown_people_places_and_institutions_come_from_patterns() {
        let body = "وقال المسؤول في الإدارة المحلية لمنطقة بنجكور، غلام سرور دهواري، إن مقذوفات سقطت على قرية كوه سبز. وأضاف دهواري أن الأضرار كبيرة. وقالت وزارة الخارجية الباكستانية إن ذلك مرفوض.";
        let a = run(body, Some("2024-01-17"));
        let by_anchor = |anchor: &str| {
            a.mentions
                .iter()
                .find(|m| m.anchor == anchor)
                .map(|m| &a.entities[m.entity])
                .unwrap_or_else(|| panic!("no mention {anchor:?}: {:?}", mentioned(&a)))
        };
        assert_eq!(by_anchor("غلام سرور دهواري").class, Class::Person);
        assert_eq!(
            by_anchor("دهواري").id,
            by_anchor("غلام سرور دهواري").id,
            "surname links back"
        );
        assert_eq!(by_anchor("كوه سبز").class, Class::City);
        assert_eq!(by_anchor("وزارة الخارجية الباكستانية").id, "org/pk-mofa");
    }

    #[test]
    fn minted_iris_are_stable_across_articles() {
        let body = "وقال المسؤول المحلي، غلام سرور دهواري، إن الوضع هادئ.";
        let a = run(body, Some("2024-01-17"));
        let b = run(&format!("نص آخر. {body}"), Some("2025-03-01"));
        let id = |x: &Annotations| {
            x.entities
                .iter()
                .find(|e| e.label_ar == "غلام سرور دهواري")
                .map(|e| e.id.clone())
        };
        assert!(id(&a).is_some());
        assert_eq!(id(&a), id(&b));
    }

    #[test]
    fn users_add_titles_and_given_names_without_recompiling() {
        // المطران is no bundled title and يوحنا no bundled given name:
        // after the title, or set off by commas, nothing marks a name until a
        // user's lexicon file does.
        let titled = "وقال المطران يوحنا جحا إن الزيارة مهمة.";
        let apposed = "وقال مسؤول كنسي، يوحنا جحا، إن الزيارة مهمة.";
        let person = |k: &Knowledge, body: &str| {
            let a = extract(&article(body, Some("2024-01-17")), k);
            a.mentions
                .iter()
                .find(|m| m.anchor == "يوحنا جحا")
                .map(|m| a.entities[m.entity].class)
        };
        assert_eq!(person(knowledge(), titled), None);
        assert_eq!(person(knowledge(), apposed), None);

        let with = |name: &str, text: &str| {
            let mut reference = Reference::bundled().unwrap();
            reference.add_file(name, text, "test").unwrap();
            Knowledge::new(reference)
        };
        let titles = with("name_cues-extra.tsv", "form\trole\nالمطران\ttitle\n");
        assert_eq!(person(&titles, titled), Some(Class::Person));
        assert_eq!(person(&titles, apposed), None);
        let given = with("given_names-extra.tsv", "name\nيوحنا\n");
        assert_eq!(person(&given, apposed), Some(Class::Person));
    }

    #[test]
    fn a_cue_with_an_unknown_role_is_refused_with_its_line() {
        let mut reference = Reference::bundled().unwrap();
        let err = reference
            .add_file(
                "name_cues-extra.tsv",
                "form\trole\nالمطران\tbishop\n",
                "mine.tsv",
            )
            .unwrap_err();
        assert!(
            err.contains("mine.tsv") && err.contains("role must be one of title"),
            "{err}"
        );
    }

    #[test]
    fn a_place_name_inside_a_title_is_the_title() {
        // القائم is a town in Iraq; القائم بالأعمال is a chargé d'affaires.
        let a = run(
            "واستدعت الخارجية القائم بالأعمال العراقي. وسقطت قذائف على القائم.",
            Some("2024-01-17"),
        );
        assert_eq!(mentions_of(&a, "place/al-qaim"), 1, "{:?}", mentioned(&a));
    }

    #[test]
    fn a_nationality_in_a_named_persons_name_is_a_family_name() {
        // السوداني: Iraq's prime minister's family name, and "Sudanese".
        let a = run(
            "استقبل رئيس الوزراء العراقي محمد شياع السوداني الرئيس السوداني. وقال السوداني إن اللقاء مثمر.",
            Some("2024-09-11"),
        );
        let sudan = mentions_of(&a, "country/SD");
        assert_eq!(sudan, 1, "only the title's adjective: {:?}", mentioned(&a));
        assert_has(&a, "person/sudani", "محمد شياع السوداني");
        let sudani: Vec<_> = mentioned(&a)
            .into_iter()
            .filter(|(id, anchor)| id == "person/sudani" && anchor == "السوداني")
            .collect();
        assert_eq!(sudani.len(), 1, "only after قال: {:?}", mentioned(&a));
        assert_has(&a, "country/IQ", "عراقي");
    }

    #[test]
    fn a_position_elect_is_the_next_holder() {
        let body =
            "وقال الرئيس الأمريكي إن الاتفاق صامد، فيما نسب الرئيس الأمريكي المنتخب الفضل لنفسه.";
        let a = run(body, Some("2025-01-16"));
        assert_has(&a, "person/biden", "الرئيس الأمريكي");
        assert_has(&a, "person/trump", "الرئيس الأمريكي المنتخب");
        // Once in office, no one is elect: the title names no one.
        let later = run(body, Some("2025-06-01"));
        assert!(
            mentioned(&later)
                .iter()
                .all(|(_, anchor)| anchor != "الرئيس الأمريكي المنتخب"),
            "{:?}",
            mentioned(&later)
        );
    }

    #[test]
    fn a_title_in_a_body_then_a_given_name_names_a_person() {
        let a = run(
            "وردّ القيادي في الحركة عزت الرشق بأن الحركة ملتزمة. وقال القيادي في حركة حماس أحمد الفلاحي إن الاتفاق صامد. وقال مسؤول في الحركة الإسلامية إن الوضع هادئ.",
            Some("2025-01-16"),
        );
        assert_eq!(
            people(&a),
            ["أحمد الفلاحي", "عزت الرشق"],
            "{:?}",
            mentioned(&a)
        );
    }

    #[test]
    fn a_purpose_after_a_title_is_no_name() {
        // لطلب توضيحات: "to ask for explanations", after the title.
        let a = run(
            "واستدعت الخارجية القائم بالأعمال الباكستاني لطلب توضيحات. واستدعت القائم بالأعمال الهندي سوريش كومار.",
            Some("2024-01-17"),
        );
        assert_eq!(people(&a), ["سوريش كومار"], "{:?}", mentioned(&a));
    }

    #[test]
    fn a_preposition_after_a_place_head_names_no_place() {
        // قرية قرب مدينة سراوان: "a village near the city of Saravan".
        let a = run(
            "قتل ثلاثة في انفجارات هزت قرية قرب مدينة سراوان الحدودية.",
            Some("2024-01-18"),
        );
        assert!(
            mentioned(&a).iter().all(|(_, anchor)| anchor != "قرب"),
            "{:?}",
            mentioned(&a)
        );
        assert_has(&a, "place/saravan", "سراوان");
    }

    #[test]
    fn common_words_are_not_places() {
        let a = run(
            "وقالت الوزارة في بيان إن الاجتماع كان مثمرا، فإن الجانبين اتفقا.",
            Some("2024-01-17"),
        );
        assert!(a.mentions.is_empty(), "{:?}", mentioned(&a));
    }
}

/// Who speaks when the reference data does not know them: a title and an
/// unknown name mint the person; a title with no name is its unnamed
/// holder; a nationality adjective never speaks.
mod speakers {
    use super::*;

    /// The labels of a claim's speakers, and their classes.
    fn speaker_labels(a: &Annotations, text_start: &str) -> Vec<(String, Class)> {
        let c = a
            .claims
            .iter()
            .find(|c| c.text.starts_with(text_start))
            .unwrap_or_else(|| panic!("no claim starting {text_start:?} in {:#?}", a.claims));
        c.speakers
            .iter()
            .map(|&i| (a.entities[i].label_ar.clone(), a.entities[i].class))
            .collect()
    }

    #[test]
    fn a_title_whose_body_takes_several_words_names_the_person_after_it() {
        // title | body in definite words, a construct, في and a known place | name
        let cases = [
            (
                "وقال رئيس غرفة التجارة في الإسكندرية كريم سالم إن الأسعار سترتفع.",
                "الأسعار",
                "كريم سالم",
            ),
            (
                "وقال قائد الشرطة في المدينة جوزيف أوتينو إن الوضع هادئ.",
                "الوضع",
                "جوزيف أوتينو",
            ),
            (
                "وقال رئيس الاستخبارات العسكرية الأوكرانية كيريلو بودانوف: إن التبادل جاء بعد توقف طويل.",
                "التبادل",
                "كيريلو بودانوف",
            ),
            // ألبرتو only looks definite once its hamza is folded.
            (
                "وقال المتحدث باسم اللجنة ألبرتو فرنانديز إن الاجتماع تأجل.",
                "الاجتماع",
                "ألبرتو فرنانديز",
            ),
        ];
        for (body, content, name) in cases {
            let a = run(body, Some("2024-05-01"));
            assert_eq!(
                speaker_labels(&a, content),
                [(name.to_string(), Class::Person)],
                "{body}"
            );
        }
    }

    #[test]
    fn an_occupation_introduces_an_ordinary_person_who_is_quoted() {
        let a = run(
            "وفي السوق، قال التاجر حمادو ساليفو، الذي يبيع الأرز، إن الأسعار ترتفع، مضيفا: \"لن نجد ما نبيعه\".",
            Some("2024-05-01"),
        );
        for content in ["الأسعار", "لن نجد"] {
            assert_eq!(
                speaker_labels(&a, content),
                [("حمادو ساليفو".to_string(), Class::Person)],
                "{content}"
            );
        }
    }

    #[test]
    fn the_person_minted_after_a_title_keeps_speaking_by_surname() {
        let a = run(
            "وقال رئيس الاستخبارات العسكرية الأوكرانية كيريلو بودانوف إن التبادل تم. وأوضح بودانوف أن بين المفرج عنهم جنودا.",
            Some("2024-05-01"),
        );
        let first = speakers_of(&a, "التبادل");
        assert_eq!(speakers_of(&a, "بين المفرج"), first);
        let person = &a.entities[a.claims[0].speakers[0]];
        assert_eq!(person.country.as_deref(), Some("UA"), "{person:?}");
    }

    #[test]
    fn a_nationality_adjective_never_speaks_for_its_title() {
        // No minister of that country is known: the title's unnamed holder
        // speaks, and keeps speaking in a continuation.
        let a = run(
            "وأعلن الوزير الأمريكي أمس أن بلاده مستعدة لتقديم المساعدات. وأضاف أن الأموال ستصل قريبا.",
            Some("2024-05-01"),
        );
        for content in ["بلاده مستعدة", "الأموال ستصل"] {
            let got = speaker_labels(&a, content);
            assert_eq!(
                got,
                [("الوزير الأمريكي".to_string(), Class::AnonymousSource)],
                "{content}"
            );
        }
        assert!(a.claims.iter().all(|c| c
            .speakers
            .iter()
            .all(|&s| a.entities[s].class != Class::Country)));
    }

    #[test]
    fn a_title_with_no_name_after_a_named_person_of_its_country_is_that_person() {
        let a = run(
            "قال الرئيس الكيني وليام روتو إن البلاد بخير. وأضاف الرئيس الكيني أن الشباب غاضبون.",
            Some("2024-05-01"),
        );
        assert_eq!(speakers_of(&a, "الشباب"), speakers_of(&a, "البلاد"));
        let person = &a.entities[a.claims[0].speakers[0]];
        assert_eq!(
            (person.class, person.country.as_deref()),
            (Class::Person, Some("KE"))
        );
    }

    #[test]
    fn a_quotation_the_verb_follows_is_what_was_said() {
        // «…»، قال X and «…»، أضاف الرئيس: the speaker comes after the words.
        let a = run(
            "قال الرئيس الكيني وليام روتو إن البلاد بخير. «الشعب قال كلمته اليوم بوضوح»، أضاف الرئيس الكيني.",
            Some("2024-05-01"),
        );
        assert_eq!(speakers_of(&a, "الشعب قال"), speakers_of(&a, "البلاد"));
        assert!(a
            .claims
            .iter()
            .any(|c| c.direct && c.text == "الشعب قال كلمته اليوم بوضوح"));
        // A quotation told already is not said again by the next verb.
        let a = run(
            "وقال عراقجي: «لن نتفاوض تحت الضغط أبدا»، وأضاف: «إيران مستعدة للحوار دائما».",
            Some("2024-11-01"),
        );
        let texts: Vec<&str> = a.claims.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts.iter().filter(|t| t.starts_with("لن نتفاوض")).count(),
            1,
            "{texts:?}"
        );
    }

    #[test]
    fn a_title_with_no_name_is_not_the_last_speaker_of_another_country() {
        let a = run(
            "قال الرئيس الكيني وليام روتو إن البلاد بخير. وقال رئيس البلدية إن الشوارع مغلقة.",
            Some("2024-05-01"),
        );
        assert_eq!(
            speaker_labels(&a, "الشوارع"),
            [("رئيس البلدية".to_string(), Class::AnonymousSource)]
        );
    }
}

/// Short texts: one sentence, no headline, no date, no title before a name.
mod untitled {
    use super::*;

    /// The (class, label) of every entity found, sorted.
    fn found(a: &Annotations) -> Vec<(Class, &str)> {
        let mut v: Vec<(Class, &str)> = a
            .entities
            .iter()
            .map(|e| (e.class, e.label_ar.as_str()))
            .collect();
        v.sort_unstable_by_key(|(c, l)| (format!("{c:?}"), l.to_string()));
        v
    }

    #[test]
    fn a_given_name_and_the_name_words_after_it_are_a_person() {
        let a = run(
            "وشارك في الندوة كل من يوسف عبد الرحمن الخطيب وماريا غونزاليس.",
            None,
        );
        assert_eq!(
            people(&a),
            ["ماريا غونزاليس", "يوسف عبد الرحمن الخطيب"],
            "{:?}",
            mentioned(&a)
        );
    }

    #[test]
    fn a_given_name_alone_or_before_a_formula_is_no_person() {
        for body in [
            "فسجد يوسف أمام أهل المدينة.",
            "وقال محمد صلى الله عليه وسلم في الحديث.",
            "حدثنا عمر رضي الله عنه.",
        ] {
            let a = run(body, None);
            assert!(people(&a).is_empty(), "{body}: {:?}", mentioned(&a));
        }
    }

    #[test]
    fn a_name_that_is_also_a_word_needs_a_second_name_or_a_verb_of_saying() {
        for body in [
            "ويبقى أمل كبير في التوصل إلى حل.",
            "انتشر نور الشمس فوق التلال.",
            "هذا عمل جميل جدا.",
        ] {
            let a = run(body, None);
            assert!(people(&a).is_empty(), "{body}: {:?}", mentioned(&a));
        }
        let a = run("وأكد عادل عبد المهدي أن الحكومة باقية.", None);
        assert_eq!(people(&a), ["عادل عبد المهدي"], "{:?}", mentioned(&a));
        let a = run("وكتب نور حمدان قائلا إن الطريق مغلق.", None);
        assert_eq!(people(&a), ["نور حمدان"], "{:?}", mentioned(&a));
    }

    #[test]
    fn a_foreign_family_names_ending_makes_a_person() {
        let a = run("وحضر الحفل ياروسلاف كوزنيتسوف والسفير.", None);
        assert_eq!(people(&a), ["ياروسلاف كوزنيتسوف"], "{:?}", mentioned(&a));
        // معروف, تكاليف: Arabic nouns that end the same way.
        for body in ["وهذا أمر معروف للجميع.", "ارتفعت تكاليف النقل."]
        {
            let a = run(body, None);
            assert!(people(&a).is_empty(), "{body}: {:?}", mentioned(&a));
        }
    }

    #[test]
    fn an_institution_by_its_head_and_a_place_or_a_closing_adjective() {
        let a = run(
            "أعلنت جامعة بغداد عن منح دراسية، ووقعت شركة الكهرباء الأردنية عقدا مع معهد البحوث الوطني.",
            None,
        );
        let orgs: Vec<&str> = found(&a)
            .into_iter()
            .filter(|(c, _)| *c == Class::Organization)
            .map(|(_, l)| l)
            .collect();
        assert_eq!(
            orgs,
            ["جامعة بغداد", "شركة الكهرباء الأردنية", "معهد البحوث الوطني"],
            "{:?}",
            mentioned(&a)
        );
        let jordan_power = a
            .entities
            .iter()
            .find(|e| e.label_ar == "شركة الكهرباء الأردنية")
            .unwrap();
        assert_eq!(jordan_power.country.as_deref(), Some("JO"));
    }

    #[test]
    fn a_head_before_a_common_noun_is_no_institution() {
        for body in [
            "أسست شركة طيران جديدة خطا إلى المدينة.",
            "وقعت الشركة الوطنية عقدا.",
            "أكدت جامعة الدول العربية دعمها.",
        ] {
            let a = run(body, None);
            // Minted ids hold "/m-": none may be minted here.
            assert!(
                a.entities.iter().all(|e| !e.id.contains("/m-")),
                "{body}: {:?}",
                mentioned(&a)
            );
        }
    }

    #[test]
    fn a_site_by_its_head_noun_is_a_place() {
        let a = run(
            "هبطت الطائرة في مطار البصرة الدولي، وأغلق معبر الغزلان أمام المسافرين.",
            None,
        );
        let places: Vec<&str> = found(&a)
            .into_iter()
            .filter(|(c, _)| *c == Class::Place)
            .map(|(_, l)| l)
            .collect();
        assert_eq!(
            places,
            ["مطار البصرة الدولي", "معبر الغزلان"],
            "{:?}",
            mentioned(&a)
        );
        assert!(has(&a, "place/basra", "البصرة"), "{:?}", mentioned(&a));
    }

    #[test]
    fn a_sentence_that_names_nothing_gives_an_empty_graph() {
        for body in [
            "هل أنت مشترك بالفعل في الخدمة الجديدة؟",
            "إذا كان الأمر كذلك، فبإمكاننا مساعدتك في أي وقت.",
            "ويبقى الأمل معقودا على جيل جديد من الشباب.",
        ] {
            let a = run(body, None);
            assert!(a.entities.is_empty(), "{body}: {:?}", mentioned(&a));
        }
    }
}

mod claims {
    use super::*;

    #[test]
    fn the_person_named_after_a_spokesmans_body_speaks() {
        let a = run(
            "في المقابل، حذر المتحدث باسم جيش الاحتلال أفيخاي أدرعي سكان الجنوب من العودة إلى القرى الحدودية.",
            Some("2024-11-27"),
        );
        assert_eq!(speakers_of(&a, "العودة إلى القرى"), ["person/adraee"]);
    }

    #[test]
    fn a_call_after_an_aside_and_the_words_said_with_it() {
        // The relative clause is an aside; what follows the next comma is
        // the call itself (addressee, إلى, what they are called to), and
        // بالقول introduces the same speaker's words.
        let body = "بدوره، دعا رئيس مجلس النواب نبيه بري، الذي تولى التفاوض على الاتفاق، النازحين إلى العودة فورا إلى قراهم، وتوجه إليهم بالقول: \"عودوا إلى أرضكم، فهي تقوى بوجودكم\".";
        let a = run(body, Some("2024-11-27"));
        assert_eq!(speakers_of(&a, "العودة فورا إلى قراهم"), ["person/berri"]);
        assert_eq!(speakers_of(&a, "عودوا إلى أرضكم"), ["person/berri"]);
        let said = a
            .claims
            .iter()
            .find(|c| c.text.starts_with("عودوا"))
            .unwrap();
        assert!(said.direct, "{said:#?}");
    }

    #[test]
    fn verb_forms_quote_styles_and_continuations() {
        let body = "وقال وزير الخارجية الإيراني حسين أمير عبد اللهيان إن العلاقات أخوية. وأضاف: \"نحن جيران منذ زمن طويل\". وتابع القول: «التعاون ضروري»، مشيرًا إلى أن الإرهاب عدو مشترك.";
        let a = run(body, Some("2024-01-19"));
        let texts: Vec<(&str, bool)> = a
            .claims
            .iter()
            .map(|c| (c.text.as_str(), c.direct))
            .collect();
        assert_eq!(
            texts,
            [
                ("العلاقات أخوية", false),
                ("نحن جيران منذ زمن طويل", true),
                ("التعاون ضروري", true),
                ("الإرهاب عدو مشترك", false)
            ]
        );
        for c in &a.claims {
            assert_eq!(speakers_of(&a, &c.text), ["person/amir-abdollahian"]);
        }
    }

    #[test]
    fn a_new_subject_switches_the_speaker() {
        let body = "وقال الرئيس الإيراني إبراهيم رئيسي إن التجارة ستنمو. من جهته، قال رئيس الوزراء الباكستاني شهباز شريف إن الحدود آمنة.";
        let a = run(body, Some("2024-04-22"));
        assert_eq!(speakers_of(&a, "التجارة"), ["person/raisi"]);
        assert_eq!(speakers_of(&a, "الحدود"), ["person/shehbaz-sharif"]);
    }

    #[test]
    fn both_parties_speak_together() {
        let body = "أكد وزير الخارجية الإيراني حسين أمير عبد اللهيان ونظيره الباكستاني جليل عباس جيلاني أن العلاقات أخوية.";
        let a = run(body, Some("2024-01-19"));
        assert_eq!(
            speakers_of(&a, "العلاقات"),
            ["person/amir-abdollahian", "person/jilani"]
        );
    }

    #[test]
    fn a_long_aside_before_that_does_not_become_the_content() {
        let a = run(
            "أعلن الرئيس الإيراني مسعود بزشكيان، في أول كلمة متلفزة له منذ دخول اتفاق وقف إطلاق النار حيز التنفيذ فجر الأربعاء الماضي، أن بلاده حققت انتصارا كبيرا.",
            Some("2024-11-29"),
        );
        let texts: Vec<&str> = a.claims.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["بلاده حققت انتصارا كبيرا"]);
    }

    #[test]
    fn an_accusation_says_whom_and_of_what() {
        let a = run(
            "واتهم مكتب رئيس الوزراء الإسرائيلي حركة حماس بالتراجع عن أجزاء من التفاهمات.",
            Some("2025-01-16"),
        );
        let texts: Vec<&str> = a.claims.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["حركة حماس بالتراجع عن أجزاء من التفاهمات"]);
        assert_eq!(speakers_of(&a, "حركة حماس"), ["org/il-pm-office"]);
    }

    #[test]
    fn the_organisation_again_by_its_kind_speaks() {
        let a = run(
            "واعتقلت السلطات عشرات المتظاهرين وفق منظمة العفو الدولية. وقالت المنظمة في بيان إن قوات الأمن استخدمت الغاز المسيل للدموع.",
            Some("2025-03-10"),
        );
        assert_eq!(speakers_of(&a, "قوات الأمن"), ["org/amnesty"]);
        assert!(a
            .mentions
            .iter()
            .any(|m| m.anchor == "المنظمة" && m.kind == isnad::extract::MentionKind::Anaphor));
    }

    #[test]
    fn a_title_over_the_kind_names_a_person_not_the_organisation() {
        let a = run(
            "وأعلن حزب الله موقفه. وقال الأمين العام للحزب إن المقاومة انتصرت.",
            Some("2024-11-29"),
        );
        assert!(
            a.mentions
                .iter()
                .all(|m| m.kind != isnad::extract::MentionKind::Anaphor),
            "{:?}",
            a.mentions
        );
    }

    #[test]
    fn unnamed_media_are_a_source_of_their_own() {
        let a = run(
            "وذكرت وسائل إعلام محلية أن الانفجار وقع قرب مبنى البلدية.",
            Some("2025-03-10"),
        );
        assert_eq!(a.claims.len(), 1, "{:#?}", a.claims);
        assert_eq!(a.claims[0].text, "الانفجار وقع قرب مبنى البلدية");
        assert_eq!(a.claims[0].speakers.len(), 1);
    }

    #[test]
    fn a_chain_keeps_who_reported_it() {
        let body =
            "ونقلت وكالة رويترز عن مصدر أمني باكستاني قوله إن الضربات اقتصرت على مخابئ المسلحين.";
        let a = run(body, Some("2024-01-18"));
        let c = &a.claims[0];
        assert_eq!(c.text, "الضربات اقتصرت على مخابئ المسلحين");
        assert_eq!(a.entities[c.speakers[0]].class, Class::AnonymousSource);
        assert_eq!(a.entities[c.reported_by[0]].id, "org/reuters");
    }

    #[test]
    fn speech_acts_come_from_the_lexicon() {
        let a = run(
            "ونفى الجيش الباكستاني أن تكون الضربة استهدفت مدنيين.",
            Some("2024-01-18"),
        );
        assert_eq!(a.claims[0].act, "deny");
    }

    #[test]
    fn an_invitation_is_not_a_statement() {
        let a = run(
            "ودعا وزير الخارجية الباكستاني نظيره الإيراني لزيارة رسمية إلى إسلام آباد.",
            Some("2024-01-19"),
        );
        assert!(a.claims.is_empty(), "{:#?}", a.claims);
    }
}

mod events {
    use super::*;

    fn ids(a: &Annotations, list: &[usize]) -> Vec<String> {
        let mut v: Vec<String> = list.iter().map(|&i| a.entities[i].id.clone()).collect();
        v.sort();
        v
    }

    #[test]
    fn a_call_received_from_someone_has_them_as_agent() {
        let a = run("وخلال اتصال هاتفي تلقاه وزير الخارجية الإيراني من نظيره الباكستاني، بحث الجانبان العلاقات.", Some("2024-01-19"));
        let call = a
            .events
            .iter()
            .find(|e| e.class == "PhoneCall")
            .expect("a phone call");
        assert_eq!(ids(&a, &call.agents), ["person/jilani"]);
        assert_eq!(ids(&a, &call.targets), ["person/amir-abdollahian"]);
        assert_eq!(call.cameo, "041");
    }

    #[test]
    fn a_meeting_has_its_subject_object_place_and_date() {
        let a = run(
            "التقى الرئيس الأمريكي دونالد ترامب، اليوم الأربعاء في الرياض، الرئيس السوري أحمد الشرع.",
            Some("2025-05-14"),
        );
        let m = a
            .events
            .iter()
            .find(|e| e.class == "Meeting")
            .expect("a meeting");
        assert_eq!(ids(&a, &m.agents), ["person/trump"]);
        assert_eq!(ids(&a, &m.targets), ["person/al-sharaa"]);
        assert_eq!(ids(&a, &m.places), ["place/riyadh"]);
        assert_eq!(m.date.map(|d| d.to_string()).as_deref(), Some("2025-05-14"));
    }

    #[test]
    fn an_invitation_to_visit() {
        let a = run(
            "ودعا وزير الخارجية الباكستاني نظيره الإيراني لزيارة رسمية إلى إسلام آباد.",
            Some("2024-01-19"),
        );
        let inv = a
            .events
            .iter()
            .find(|e| e.class == "Invitation")
            .expect("an invitation");
        assert!(
            ids(&a, &inv.participants).contains(&"place/islamabad".to_string()),
            "{inv:?}"
        );
    }

    #[test]
    fn an_operation_carried_out_against_a_group() {
        let a = run(
            "وأشار الوزير إلى العملية الأخيرة التي نفذتها القوات الإيرانية ضد جماعة \"جيش الظلم\".",
            Some("2024-01-19"),
        );
        let op = a
            .events
            .iter()
            .find(|e| e.class == "MilitaryOperation")
            .expect("an operation");
        assert_eq!(ids(&a, &op.targets), ["org/jaish-al-adl"]);
        assert!(!op.agents.is_empty());
    }

    fn only(a: &Annotations, class: &str) -> Event {
        let found: Vec<&Event> = a.events.iter().filter(|e| e.class == class).collect();
        assert_eq!(found.len(), 1, "one {class} expected: {:#?}", a.events);
        found[0].clone()
    }

    #[test]
    fn what_the_report_tells_next_happened_on_the_day_it_told_before() {
        let a = run(
            "وصل الرئيس الإيراني مسعود بزشكيان صباح اليوم الأربعاء إلى بغداد في أول زيارة خارجية له. \
             وعقد السوداني وبزشكيان جلسة مباحثات في القصر الحكومي. \
             ونسب الرئيس الأمريكي المنتخب الفضل إلى فوزه في انتخابات تشرين الثاني الماضي.",
            Some("2024-09-11"),
        );
        let day = "2024-09-11".parse().ok();
        assert_eq!(only(&a, "Visit").date, day);
        assert_eq!(
            only(&a, "Meeting").date,
            day,
            "told next, no date of its own"
        );
        assert_eq!(only(&a, "Election").date, None, "a month of its own");
    }

    #[test]
    fn a_general_secretary_is_no_year() {
        // العام in الأمين العام is "general", not "the year".
        let a = run(
            "وصل الرئيس الإيراني مسعود بزشكيان صباح اليوم الأربعاء إلى بغداد. \
             والتقى بزشكيان الأمين العام للأمم المتحدة أنطونيو غوتيريش في القصر الحكومي.",
            Some("2024-09-11"),
        );
        let day = "2024-09-11".parse().ok();
        assert_eq!(only(&a, "Meeting").date, day, "{:#?}", a.events);
    }

    #[test]
    fn what_someone_said_keeps_no_date_but_its_own() {
        let a = run(
            "وصل الرئيس الإيراني مسعود بزشكيان صباح اليوم الأربعاء إلى بغداد. \
             وقال بزشكيان إن العدوان الإسرائيلي على غزة يجب أن يتوقف.",
            Some("2024-09-11"),
        );
        assert_eq!(only(&a, "MilitaryOperation").date, None, "{:#?}", a.events);
    }

    #[test]
    fn a_threat_voiced_in_a_statement_is_a_threat_by_its_speaker() {
        let a = run(
            "وقال الرئيس الإيراني مسعود بزشكيان إن الولايات المتحدة «ستدفع الثمن غاليا» إذا تكرر الاعتداء.",
            Some("2025-06-20"),
        );
        let threat = only(&a, "Threat");
        assert_eq!(ids(&a, &threat.agents), ["person/pezeshkian"]);
        assert_eq!(ids(&a, &threat.targets), ["country/US"]);
        assert_eq!(
            threat.date.map(|d| d.to_string()).as_deref(),
            Some("2025-06-20")
        );
        assert!(
            threat.reported_by.is_none(),
            "the statement itself is the event"
        );
    }

    #[test]
    fn a_threat_phrase_keeps_its_own_future_tense() {
        // "ستصبح" foretells a happening named by a noun, but the phrase
        // "في خطر كبير" is the threat itself.
        let a = run(
            "وقال وزير الخارجية الإيراني عباس عراقجي إن القوات الأمريكية في المنطقة ستصبح في خطر كبير إذا تكرر الاعتداء.",
            Some("2025-06-20"),
        );
        let threat = only(&a, "Threat");
        assert_eq!(ids(&a, &threat.agents), ["person/araghchi"]);
    }

    #[test]
    fn a_warning_of_what_another_will_suffer_is_a_threat_to_them() {
        let a = run(
            "وحذر الرئيس الأمريكي دونالد ترامب من أن إيران ستواجه ضربات قاسية إذا فشلت المحادثات.",
            Some("2025-04-12"),
        );
        let threat = only(&a, "Threat");
        assert_eq!(ids(&a, &threat.agents), ["person/trump"]);
        assert_eq!(ids(&a, &threat.targets), ["country/IR"]);
        assert!(
            a.events.iter().all(|e| e.class != "MilitaryOperation"),
            "strikes that may come are no strikes: {:#?}",
            a.events
        );
    }

    /// Who did it: the rule each row shows, its sentence, the article's
    /// date, the one happening of the class it has, and its agents.
    #[test]
    fn the_doer_of_each_happening() {
        type Case<'a> = (&'a str, &'a str, &'a str, &'a str, &'a [&'a str]);
        let cases: &[Case] = &[
            (
                "a condemnation is an accusation by whoever condemns",
                "ودانت قطر الغارات الإسرائيلية على لبنان.",
                "2024-10-01",
                "Accusation",
                &["country/QA"],
            ),
            (
                "the parties after بين, not who announced it",
                "أعلنت مصر التوصل إلى اتفاق لوقف إطلاق النار بين إسرائيل وحركة حماس.",
                "2025-01-15",
                "Agreement",
                &["country/IL", "org/hamas"],
            ),
            (
                "a subject right before the verb, after أنّ",
                "وذكرت وكالة الأنباء أن إيران استدعت السفير البريطاني في طهران.",
                "2024-01-18",
                "Protest",
                &["country/IR"],
            ),
            (
                "his meeting is the clause subject's; the noun after it is whom he met",
                "وكان الرئيس الفرنسي إيمانويل ماكرون قد أعلن، في مستهل لقائه رئيس الوزراء العراقي، أن باريس ستدعم بغداد.",
                "2024-05-06",
                "Meeting",
                &["person/macron"],
            ),
            (
                "the two countries are the two named last",
                "وأكد الرئيس التركي أن بلاده مستعدة للتعاون مع العراق، لافتا إلى أن البلدين اتفقا على مكافحة الإرهاب.",
                "2024-04-22",
                "Agreement",
                &["country/IQ", "country/TR"],
            ),
            (
                "the means of a killing is the killer's",
                "واغتالت إسرائيل الأسبوع الماضي قياديا في حركة حماس بغارة على مدينة صيدا.",
                "2025-03-10",
                "MilitaryOperation",
                &["country/IL"],
            ),
        ];
        for (rule, text, date, class, agents) in cases {
            let a = run(text, Some(date));
            let found: Vec<&Event> = a.events.iter().filter(|e| e.class == *class).collect();
            assert_eq!(found.len(), 1, "{rule}: one {class}: {:#?}", a.events);
            assert_eq!(ids(&a, &found[0].agents), *agents, "{rule}");
        }
    }

    /// What is no happening: the rule, its sentence, and the class that must
    /// not come of it ("" for none at all).
    #[test]
    fn what_is_no_happening() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "a threat phrase outside any statement",
                "ستدفع الشركات الثمن غاليا بسبب الأزمة.",
                "",
            ),
            (
                "a danger to security has no actor for its subject",
                "وحذر الجانبان من أن استمرار الحرب الإسرائيلية يهدد أمن المنطقة.",
                "Threat",
            ),
            (
                "a warning of a danger threatens no one",
                "وحذر وزير الخارجية التركي من أن التصعيد في المنطقة سيؤدي إلى كارثة.",
                "Threat",
            ),
            (
                "a place named after a happening",
                "وطالب الوزير بإغلاق مراكز احتجاز المهاجرين في ليبيا.",
                "",
            ),
            (
                "a denied one",
                "وقال الوزير إن الاتفاق ليس معاهدة جديدة.",
                "",
            ),
        ];
        for (rule, text, class) in cases {
            let a = run(text, Some("2025-01-01"));
            let bad: Vec<&Event> = a
                .events
                .iter()
                .filter(|e| class.is_empty() || e.class == *class)
                .collect();
            assert!(bad.is_empty(), "{rule}: {bad:#?}");
        }
    }

    #[test]
    fn who_claimed_an_attack_in_a_relative_clause_is_its_agent() {
        let a = run(
            "وتنشط في المنطقة حركة الشباب المجاهدين التي تبنت في الشهر الماضي هجوما على قاعدة عسكرية في مقديشو.",
            Some("2024-03-01"),
        );
        let attack = only(&a, "Attack");
        assert_eq!(ids(&a, &attack.agents), ["org/al-shabaab"]);
        assert_eq!(ids(&a, &attack.places), ["place/mogadishu"]);
    }

    #[test]
    fn strikes_in_other_countries_are_other_happenings() {
        let a = run(
            "وشن الحرس الثوري الإيراني غارات على مواقع في أربيل. وبعد يوم شن الحرس الثوري الإيراني ضربات على مواقع قرب كويتا.",
            Some("2024-01-17"),
        );
        let ops: Vec<&Event> = a
            .events
            .iter()
            .filter(|e| e.class == "MilitaryOperation")
            .collect();
        assert_eq!(ops.len(), 2, "{:#?}", a.events);
        assert_eq!(ids(&a, &ops[0].places), ["place/erbil"]);
        assert_eq!(ids(&a, &ops[1].places), ["place/quetta"]);
    }

    #[test]
    fn strikes_by_other_sides_are_other_happenings() {
        let a = run(
            "شنت باكستان اليوم ضربات على مخابئ مسلحين، بعد يومين من ضربة إيرانية استهدفت الأراضي الباكستانية.",
            Some("2024-01-18"),
        );
        let agents: Vec<Vec<String>> = a
            .events
            .iter()
            .filter(|e| e.class == "MilitaryOperation")
            .map(|e| ids(&a, &e.agents))
            .collect();
        assert_eq!(
            agents,
            [vec!["country/PK"], vec!["country/IR"]],
            "{:#?}",
            a.events
        );
    }

    #[test]
    fn the_agreement_again_is_the_agreement_already_told_of() {
        let a = run(
            "وقع العراق وتركيا اتفاقا للتعاون الأمني. وقال مسؤول إن الاتفاق يشمل تبادل المعلومات.",
            Some("2024-08-15"),
        );
        assert_eq!(
            a.events.iter().filter(|e| e.class == "Agreement").count(),
            1,
            "{:#?}",
            a.events
        );
    }

    #[test]
    fn each_happening_takes_the_date_said_nearest_after_it() {
        let a = run(
            "وجاء الإعلان بعد غارات شنها الطيران الإسرائيلي أمس على مطار صنعاء، ردا على صاروخ أطلقه الحوثيون يوم الأحد.",
            Some("2025-05-07"),
        );
        let date = |class: &str| only(&a, class).date.map(|d| d.to_string());
        assert_eq!(date("MilitaryOperation").as_deref(), Some("2025-05-06"));
        assert_eq!(date("Attack").as_deref(), Some("2025-05-04"));
    }

    #[test]
    fn a_happening_hung_on_a_clause_by_the_day_before_or_after_is_dated_from_it() {
        // غداة: the day before the clause it is hung on (here the article's day).
        let a = run(
            "وجاءت تصريحات الوزير غداة غارات شنها الجيش الإسرائيلي على مواقع لحزب الله في جنوب لبنان.",
            Some("2024-03-10"),
        );
        let d = only(&a, "MilitaryOperation").date.map(|d| d.to_string());
        assert_eq!(d.as_deref(), Some("2024-03-09"), "{:#?}", a.events);
        // بعد يومين من: two days before the clause's own date (Tuesday).
        let a = run(
            "وقال الجيش الأمريكي يوم الثلاثاء إن ذلك جاء بعد يومين من هجوم شنه تنظيم داعش على قاعدة عين الأسد.",
            Some("2024-01-18"),
        );
        let d = only(&a, "MilitaryOperation").date.map(|d| d.to_string());
        assert_eq!(d.as_deref(), Some("2024-01-14"), "{:#?}", a.events);
    }

    #[test]
    fn a_condemnation_with_no_date_of_its_own_is_dated_like_a_claim() {
        let a = run(
            "ودانت فرنسا الهجوم على السفارة الإيرانية في دمشق.",
            Some("2024-04-02"),
        );
        let d = only(&a, "Accusation").date.map(|d| d.to_string());
        assert_eq!(d.as_deref(), Some("2024-04-02"), "{:#?}", a.events);
    }

    #[test]
    fn what_talks_are_about_and_a_round_of_them_are_no_happenings() {
        let a = run(
            "واختتمت في مسقط الجولة الأولى من المحادثات غير المباشرة بين إيران والولايات المتحدة بشأن البرنامج النووي ورفع العقوبات.",
            Some("2025-04-12"),
        );
        let classes: Vec<&str> = a.events.iter().map(|e| e.class.as_str()).collect();
        assert_eq!(classes, ["Negotiation"], "{:#?}", a.events);
        assert_eq!(ids(&a, &a.events[0].agents), ["country/IR", "country/US"]);
    }

    #[test]
    fn a_meeting_that_brought_people_together_has_them_all_as_agents() {
        let a = run(
            "وجاء ذلك بعد اجتماع عقد أمس في الدوحة جمع وزير الخارجية التركي هاكان فيدان بنظيريه الإيراني عباس عراقجي والروسي سيرغي لافروف.",
            Some("2024-12-08"),
        );
        let agents = ids(&a, &only(&a, "Meeting").agents);
        for who in ["person/hakan-fidan", "person/araghchi", "person/lavrov"] {
            assert!(agents.contains(&who.to_string()), "{agents:?}");
        }
    }

    #[test]
    fn the_talks_again_are_the_talks_already_told_of() {
        let a = run(
            "انطلقت في مسقط المحادثات غير المباشرة بين إيران والولايات المتحدة. ووصف البيت الأبيض المحادثات بأنها إيجابية.",
            Some("2025-04-12"),
        );
        assert_eq!(a.events.len(), 1, "{:#?}", a.events);
    }

    #[test]
    fn who_made_a_call_and_whom_it_reached() {
        let a = run(
            "وأجرى الرئيس الفرنسي إيمانويل ماكرون اتصالا هاتفيا بنظيره اللبناني جوزيف عون بحثا خلاله التطورات.",
            Some("2025-03-10"),
        );
        let call = only(&a, "PhoneCall");
        assert_eq!(ids(&a, &call.agents), ["person/macron"]);
        assert_eq!(ids(&a, &call.targets), ["person/joseph-aoun"]);
    }

    #[test]
    fn an_announced_deed_is_the_announcers_and_another_clause_is_not() {
        let a = run(
            "وأعلن الاتحاد الأوروبي تقديم مساعدات إنسانية إلى لبنان، فيما أجرى الرئيس الفرنسي إيمانويل ماكرون اتصالا هاتفيا بنظيره اللبناني جوزيف عون.",
            Some("2025-03-10"),
        );
        let aid = only(&a, "Aid");
        assert_eq!(ids(&a, &aid.agents), ["org/eu"]);
        assert_eq!(ids(&a, &only(&a, "PhoneCall").agents), ["person/macron"]);
        let claim = &a.claims[0];
        assert!(claim.text.ends_with("إلى لبنان"), "{}", claim.text);
    }

    #[test]
    fn meetings_with_other_counterparts_are_other_meetings() {
        let a = run(
            "وعقد الرئيس التركي رجب طيب أردوغان والرئيس الفرنسي إيمانويل ماكرون جلسة مباحثات في أنقرة. والتقى ماكرون كذلك وزير الخارجية التركي هاكان فيدان.",
            Some("2025-02-01"),
        );
        let meetings: Vec<Vec<String>> = a
            .events
            .iter()
            .filter(|e| e.class == "Meeting")
            .map(|e| {
                let mut p = ids(&a, &e.agents);
                p.extend(ids(&a, &e.targets));
                p.sort();
                p
            })
            .collect();
        assert_eq!(
            meetings,
            [
                vec!["person/erdogan", "person/macron"],
                vec!["person/hakan-fidan", "person/macron"]
            ],
            "{:#?}",
            a.events
        );
    }

    #[test]
    fn repeated_references_are_one_event() {
        let body = "وخلال اتصال هاتفي تلقاه وزير الخارجية الإيراني من نظيره الباكستاني، تحدث الجانبان. من جهته، أشار وزير خارجية باكستان في هذه المحادثة الهاتفية إلى الأهداف المشتركة.";
        let a = run(body, Some("2024-01-19"));
        assert_eq!(
            a.events.iter().filter(|e| e.class == "PhoneCall").count(),
            1,
            "{:#?}",
            a.events
        );
    }
}

mod golden {
    use super::*;

    fn seed() -> Annotations {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/000_818cbd4057805db6.txt");
        let a = read_path(&path).remove(0).unwrap();
        extract(&a, knowledge())
    }

    #[test]
    fn the_seed_entities() {
        let a = seed();
        let mut ids: Vec<&str> = a
            .entities
            .iter()
            .filter(|e| e.class != Class::AnonymousSource)
            .map(|e| e.id.as_str())
            .collect();
        ids.sort();
        for want in [
            "country/IL",
            "country/IR",
            "country/PK",
            "country/PS",
            "org/jaish-al-adl",
            "person/amir-abdollahian",
            "person/jilani",
            "place/islamabad",
            "place/rask",
            "place/sistan-baluchestan",
            "place/tehran",
        ] {
            assert!(ids.contains(&want), "missing {want} in {ids:?}");
        }
    }

    #[test]
    fn the_seed_claims() {
        let a = seed();
        assert!(a.claims.len() >= 14, "{} claims", a.claims.len());
        let jilani = a
            .claims
            .iter()
            .filter(|c| {
                c.speakers
                    .iter()
                    .any(|&s| a.entities[s].id == "person/jilani")
            })
            .count();
        let abdollahian = a
            .claims
            .iter()
            .filter(|c| {
                c.speakers
                    .iter()
                    .any(|&s| a.entities[s].id == "person/amir-abdollahian")
            })
            .count();
        assert!(
            jilani >= 5 && abdollahian >= 8,
            "jilani {jilani}, amir-abdollahian {abdollahian}"
        );
        assert!(a
            .claims
            .iter()
            .any(|c| c.direct && c.text.starts_with("نحن جيران ومسلمون")));
        let nested = a
            .claims
            .iter()
            .find(|c| c.text.starts_with("مسؤوليتها"))
            .expect("the claim of responsibility");
        assert_eq!(a.entities[nested.speakers[0]].id, "org/jaish-al-adl");
        assert!(nested.within.is_some(), "told inside the minister's claim");
    }

    #[test]
    fn the_seed_events() {
        let a = seed();
        let has = |class: &str, who: &str| {
            a.events.iter().any(|e| {
                e.class == class && e.participants.iter().any(|&p| a.entities[p].id == who)
            })
        };
        assert!(has("PhoneCall", "person/jilani"), "{:#?}", a.events);
        assert!(
            has("MilitaryOperation", "org/jaish-al-adl"),
            "{:#?}",
            a.events
        );
        assert!(has("Attack", "place/rask"), "{:#?}", a.events);
        assert!(has("Invitation", "place/islamabad"), "{:#?}", a.events);
    }
}

mod invitation_in_the_seed {
    use super::*;

    #[test]
    fn the_closing_invitation_is_an_invitation_not_a_visit() {
        let a = run(
            "هذا ودعا وزير الخارجية الباكستاني في الختام، نظيره الإيراني لزيارة رسمية إلى إسلام آباد.",
            Some("2024-01-19"),
        );
        let inv = a
            .events
            .iter()
            .find(|e| e.class == "Invitation")
            .expect("an invitation");
        let agents: Vec<&str> = inv
            .agents
            .iter()
            .map(|&i| a.entities[i].id.as_str())
            .collect();
        assert_eq!(agents, ["person/jilani"]);
    }
}
