//! Claims: reporting verb → speaker → content (quoted or reported), with
//! the chain of transmission (نقلت وكالة X عن Y) and claims inside claims.

use super::context::{is_both, is_that, opens_clause, span_holding, Context};
use super::dates::resolve_relative;
use super::{Claim, Knowledge};
use crate::article::Article;
use crate::reference::Class;
use crate::text::matcher::Scan;

/// Words that may stand between the verb (or its subject) and the content.
const SKIPPABLE: &[&str] = &[
    "اليوم",
    "امس",
    "مساء",
    "صباح",
    "فجر",
    "ظهر",
    "ليل",
    "الليله",
    "الاحد",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "السبت",
    "الماضي",
    "في",
    "خلال",
    "ايضا",
    "كذلك",
    "بدوره",
    "بدورها",
    "من",
    "جهته",
    "جهتها",
    "جانبه",
    "جانبها",
    "ناحيته",
    "الختام",
    "ختام",
    "بيان",
    "تصريح",
    "تصريحات",
    "كلمه",
    "مؤتمر",
    "صحفي",
    "صحافي",
    "لقاء",
    "مقابله",
    "حديث",
    "تغريده",
    "منشور",
    "رساله",
    "عبر",
    "حسابه",
    "حسابها",
    "منصه",
    "اكس",
    "مع",
    "لوسائل",
    "الاعلام",
    "للصحفيين",
    "متلفزه",
    "المتلفزه",
    "الصحفي",
    "صحفيه",
    "الاسبوعي",
    "الاسبوعيه",
    "الرسمي",
    "وسائل",
    "اعلام",
    "هذه",
    "هذا",
    "المحادثه",
    "الهاتفيه",
    "الاتصال",
    "الهاتفي",
    "الاجتماع",
    "اللقاء",
    "حيث",
    "قد",
    "وقد",
    "مجددا",
    "مرة",
    "اخري",
    "له",
    "لها",
    "عن",
    "كل",
];

/// Verbs whose object noun phrase is itself the content (أكد احترام…).
const NP_OBJECT: &[&str] = &[
    "اكد",
    "اعلن",
    "نفي",
    "ادان",
    "رحب",
    "جدد",
    "استنكر",
    "شجب",
    "ندد",
    "اعرب",
    "ابدي",
    "كشف",
    "طالب",
    "نقل",
    "اتهم",
    "وصف",
    "اعلنت",
];

/// What ends the speaker's slot and opens the words said: a colon or an
/// opening quotation mark.
const SPEECH_OPENS: [char; 4] = [':', '«', '"', '“'];

fn is_relative(w: &str) -> bool {
    matches!(
        w,
        "التي" | "الذي" | "الذين" | "اللذان" | "اللتان" | "اللذين"
    )
}

/// A title that speaks with no name anyone knows (وقال رئيس غرفة التجارة
/// إنّ…): the claim's index, the title's normalised byte range and the
/// country its nationality adjective names. Its holder is minted as an
/// anonymous source of that title, never the title's country.
/// Until it is minted, a claim's speaker list holds it as
/// `UNNAMED + its index` so that continuations (وأضاف) keep it.
pub struct UnnamedHolder {
    pub span: (usize, usize),
    pub country: Option<usize>,
}

/// Where the placeholder speakers of [`UnnamedHolder`]s start.
pub const UNNAMED: usize = usize::MAX / 2;

/// `titled`: byte ranges of title and institution phrases (from entities).
pub fn extract(
    article: &Article,
    k: &Knowledge,
    cx: &Context,
    scan: &Scan,
    titled: &[(usize, usize)],
    person_titles: &[(usize, usize)],
) -> (Vec<Claim>, Vec<UnnamedHolder>) {
    let mut unnamed: Vec<UnnamedHolder> = Vec::new();
    let (text, ann) = (cx.text, cx.ann);
    let t = &text.text;
    let mut claims: Vec<Claim> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut recent_people: Vec<usize> = Vec::new();
    let hits = k.verbs.find(scan, text);
    // Words inside a title or institution phrase (رئيس حكومة تصريف الأعمال)
    // may stand between a verb and its named subject.
    // (sorted and disjoint, as the cues they come from)
    let in_title = |b: usize| span_holding(titled, b).is_some();
    let in_person_title = |b: usize| span_holding(person_titles, b).is_some();
    // Where each verb's word starts, to stop at the next verb.
    let verb_starts: rustc_hash::FxHashSet<usize> =
        hits.iter().map(|o| o.nbegin - o.prefix.len()).collect();
    // The (begin, end) of the claims so far, to keep each once.
    let mut spans_seen: rustc_hash::FxHashSet<(usize, usize)> = Default::default();
    // Mentions ending by this byte were read into `recent_people`.
    let mut read_upto = 0;
    for (hi, h) in hits.iter().enumerate() {
        if cx.in_quote(h.nbegin).is_some() {
            continue;
        }
        let verb = &k.reference.verbs[h.payloads[0]];
        let sent = cx.sentence_of(h.nbegin);
        // People mentioned so far, for "الجانبان" (those ending after the
        // last verb read are new; verbs come in order).
        for m in cx.mentions_ending_in(read_upto + 1, h.nbegin) {
            let e = cx.entity(m);
            if cx.class(m) == Class::Person && !recent_people.contains(&e) {
                recent_people.push(e);
            }
        }
        read_upto = read_upto.max(h.nbegin);
        let Some(vt) = cx.tok_at(h.nbegin) else {
            continue;
        };
        let prev_word = vt
            .checked_sub(1)
            .map(|p| cx.word(p).to_string())
            .unwrap_or_default();
        // A finite verb in the middle of a noun phrase (تسجيل مصوّر بثّه)
        // reports nothing: a reporting verb opens its clause.
        let ws = h.nbegin - h.prefix.len();
        let after_actor = !cx.mentions_ending_right_before(ws).is_empty();
        let opens = verb.adverbial
            || starts_clause(cx, ws, h.prefix, false)
            || verb_starts_sentence(cx, vt, sent.b)
            || after_actor
            || is_relative(&prev_word)
            || matches!(
                prev_word.as_str(),
                "قد" | "وقد"
                    | "ثم"
                    | "كما"
                    | "فيما"
                    | "بينما"
                    | "حيث"
                    | "اذ"
                    | "عندما"
                    | "بعدما"
                    | "لما"
            );
        if !opens {
            continue;
        }

        // --- speaker -------------------------------------------------------
        let mut speakers: Vec<usize> = Vec::new();
        let mut cursor = h.nend;
        let mut within = None;
        let mut reported_by: Vec<usize> = Vec::new();
        let mut holder: Option<((usize, usize), Option<usize>)> = None;
        if verb.adverbial {
            speakers = current.clone();
        } else if is_relative(&prev_word) {
            // "…جماعة X، التي أعلنت": the antecedent speaks.
            if let Some(m) = cx
                .mentions_in(sent.b, cx.toks[vt].b)
                .rfind(|&m| cx.class(m).is_actor())
            {
                speakers.push(cx.entity(m));
                // A claim holding the verb was told in its sentence (claims
                // come in the order of their verbs).
                let sent_begin = cx.orig(sent.b, sent.e).0;
                within = claims
                    .iter()
                    .enumerate()
                    .rev()
                    .take_while(|(_, c)| c.verb_begin >= sent_begin)
                    .find(|(_, c)| {
                        c.begin <= cx.orig(h.nbegin, h.nend).0
                            && cx.orig(h.nbegin, h.nend).1 <= c.end
                    })
                    .map(|(i, _)| i);
            }
        } else {
            // "وكان X … قد قال": the subject stands before the verb.
            if prev_word == "قد" {
                if let Some(m) = cx.kan_subject(vt, sent.b) {
                    speakers = subject(cx, m, cx.toks[vt].b).0;
                }
            }
            // "… إن ترامب حثّ": a named subject right before the verb.
            if speakers.is_empty() && vt > 0 {
                if let Some(m) = cx
                    .mentions_ending_right_before(cx.toks[vt].b)
                    .into_iter()
                    .find(|&m| cx.class(m).is_actor() && cx.spans[m].0 >= sent.b)
                {
                    if !verb_starts_sentence(cx, vt, sent.b) {
                        speakers.push(cx.entity(m));
                    }
                }
            }
            let mut w = if speakers.is_empty() {
                cx.tok_after(h.nend)
            } else {
                None
            };
            let mut steps = 0;
            let mut title_words = 0;
            // The words after the verb hold a title (وقال رئيس البلدية،
            // وأعلن الوزير الأمريكي): its holder speaks, or no one we know.
            let mut titled_subject: Option<Option<usize>> = None;
            let mut title_span: Option<(usize, usize)> = None;
            let widen = |span: &mut Option<(usize, usize)>, b: usize, e: usize| {
                *span = Some(span.map_or((b, e), |(x, y)| (x.min(b), y.max(e))));
            };
            while let Some(wi) = w {
                if cx.toks[wi].b >= sent.e || steps > 6 + title_words {
                    break;
                }
                // The speaker stands before a colon or a quotation mark:
                // what follows them was said (وأضاف: «إيران مستعدة…»).
                let gap_from = if wi > 0 {
                    cx.toks[wi - 1].e.max(h.nend)
                } else {
                    h.nend
                };
                if cx.text.text[gap_from.min(cx.toks[wi].b)..cx.toks[wi].b].contains(SPEECH_OPENS) {
                    break;
                }
                if let Some(m) = cx
                    .actor_at(wi)
                    .filter(|&m| cx.is_nisba(m) && titled_subject.is_some())
                {
                    titled_subject = Some(Some(cx.entity(m)));
                    widen(&mut title_span, cx.toks[wi].b, cx.toks[wi].e);
                    steps += 1;
                    w = cx.tok_after(cx.spans[m].1.max(cx.toks[wi].e));
                    continue;
                }
                if let Some(m) = cx.actor_at(wi) {
                    let (s, e) = subject(cx, m, sent.e);
                    speakers = s;
                    cursor = e;
                    // "رئيس حركة حماس …، خليل الحية، إنّ": after a title, the
                    // body is its complement; the person named later speaks.
                    // "المتحدث باسم جيش الاحتلال أفيخاي أدرعي": without a
                    // "that", the person named right after the body.
                    if steps > 0 && cx.class(m) != Class::Person {
                        let named_next = cx
                            .tok_after(e)
                            .and_then(|n| cx.actor_at(n))
                            .filter(|&n| {
                                cx.class(n) == Class::Person && cx.adjacent(e, cx.spans[n].0, false)
                            })
                            .map(|n| (cx.entity(n), cx.spans[n].1));
                        if let Some((p, end)) = person_before_that(cx, e, sent.e).or(named_next) {
                            speakers = vec![p];
                            cursor = end;
                        }
                    }
                    break;
                }
                let word = cx.word(wi);
                if is_both(word) {
                    let n = recent_people.len();
                    if n >= 2 {
                        speakers = vec![recent_people[n - 2], recent_people[n - 1]];
                    }
                    cursor = cx.toks[wi].e;
                    break;
                }
                if in_person_title(cx.toks[wi].b) {
                    titled_subject.get_or_insert(None);
                    widen(&mut title_span, cx.toks[wi].b, cx.toks[wi].e);
                    // A title's words do not count against the walk.
                    title_words += 1;
                    steps += 1;
                    w = cx.tok_after(cx.toks[wi].e);
                    continue;
                } else if !SKIPPABLE.contains(&word) && !in_title(cx.toks[wi].b) {
                    break;
                }
                steps += 1;
                w = cx.tok_after(cx.toks[wi].e);
            }
            // A long subject (عضو المجلس البلدي في بلدة جويا، علي حسن فقيه،
            // إنّ…): the person named before the "that", else the first actor.
            if speakers.is_empty() && !verb.adverbial {
                let mut w = cx.tok_after(h.nend);
                let mut n = 0;
                while let Some(wi) = w {
                    if cx.toks[wi].b >= sent.e || n > 20 {
                        break;
                    }
                    let gap = &cx.text.text[cx.toks[wi.max(1) - 1].e..cx.toks[wi].b];
                    let opens = wi > 0 && gap.contains(SPEECH_OPENS);
                    if is_that(cx.word(wi)) || opens {
                        let between: Vec<usize> = cx
                            .mentions_in(h.nend, cx.toks[wi].b)
                            .filter(|&m| cx.class(m).is_actor() && !cx.is_nisba(m))
                            .collect();
                        let pick = between
                            .iter()
                            .rev()
                            .find(|&&m| cx.class(m) == Class::Person)
                            .or(between.first());
                        if let Some(&m) = pick {
                            speakers.push(cx.entity(m));
                            cursor = cx.spans[m].1;
                        }
                        break;
                    }
                    if verb_starts.contains(&cx.toks[wi].b) {
                        break;
                    }
                    n += 1;
                    w = cx.tok_after(cx.toks[wi].e);
                }
            }
            if speakers.is_empty() {
                speakers = match titled_subject {
                    None => current.clone(),
                    Some(country) => title_holder(cx, &current, country, h.nbegin, title_span),
                };
                if speakers.is_empty() {
                    if let (Some(country), Some(span)) = (titled_subject, title_span) {
                        holder = Some((span, country));
                        cursor = cursor.max(span.1);
                    }
                }
            }
        }
        if speakers.is_empty() && holder.is_none() {
            continue;
        }

        // --- chain: نقلت وكالة X عن Y قوله ----------------------------------
        if verb.act == "report" {
            // نقلت [وسائل إعلام رسمية] عن Y: "عن" within a few words.
            let mut wi = cx.tok_after(cursor);
            for _ in 0..4 {
                match wi {
                    Some(x) if cx.word(x) != "عن" && cx.toks[x].b < sent.e => {
                        wi = cx.tok_after(cx.toks[x].e)
                    }
                    _ => break,
                }
            }
            if let Some(wi) = wi {
                if cx.word(wi) == "عن" {
                    if let Some(m) = cx.tok_after(cx.toks[wi].e).and_then(|n| cx.actor_at(n)) {
                        reported_by = if cursor > h.nend {
                            speakers.clone()
                        } else {
                            Vec::new()
                        };
                        let (s, e) = subject(cx, m, sent.e);
                        speakers = s;
                        cursor = e;
                        if let Some(q) = cx.tok_after(cursor) {
                            if cx.word(q).starts_with("قول") {
                                cursor = cx.toks[q].e;
                            }
                        }
                    }
                }
            }
        }
        // لـ"رويترز", بحسب X, وفقا لـX, نقلا عن X anywhere in the sentence.
        for m in cx.mentions_in(sent.b, sent.e) {
            let e = cx.entity(m);
            if speakers.contains(&e)
                || reported_by.contains(&e)
                || cx.class(m) != Class::Organization
            {
                continue;
            }
            let is_media = k
                .reference
                .entity(&ann.entities[e].id)
                .and_then(|r| r.kind.as_deref())
                == Some("media");
            let before = &t[sent.b..cx.spans[m].0];
            let cue = [
                "بحسب",
                "حسب",
                "وفقا ل",
                "وفق",
                "نقلا عن",
                "حسبما",
                "كما نقلت",
                "نقلت",
            ]
            .iter()
            .any(|c| before.trim_end().ends_with(c) || before.ends_with(&format!("{c} ")));
            let attached = is_media
                && cx.spans[m].0 >= cursor
                && t[cursor..cx.spans[m].0].trim().chars().count() <= 3;
            if cue || attached {
                reported_by.push(e);
                if attached {
                    cursor = cx.spans[m].1;
                }
            }
        }

        // --- content --------------------------------------------------------
        // (past the sentence's end the content stops anyway)
        let next_verb = hits[hi + 1..]
            .iter()
            .take_while(|n| n.nbegin - n.prefix.len() < sent.e)
            .find(|n| {
                cx.in_quote(n.nbegin).is_none()
                    && n.nbegin > cursor
                    && starts_clause(
                        cx,
                        n.nbegin - n.prefix.len(),
                        n.prefix,
                        k.reference.verbs[n.payloads[0]].adverbial,
                    )
            })
            .map(|n| n.nbegin - n.prefix.len());
        // A quotation already told (قال: «…»، وأضاف: «…») is not said again.
        let said = quote_before(cx, ws)
            .filter(|&(b, e)| {
                let (b, e) = cx.orig(b, e);
                !claims.iter().any(|c| c.begin <= b && e <= c.end)
            })
            .map(|(b, e)| (b, e, true))
            .or_else(|| content(cx, &verb.lemma, &verb.act, cursor, sent.e, next_verb));
        let Some((cb, ce, direct)) = said else {
            // A named subject without content still becomes the one who
            // speaks next (وقال الوزير، في تسجيل…، إنّه…).
            if cursor > h.nend && within.is_none() {
                current = speakers;
            }
            continue;
        };
        let (begin, end) = cx.orig(cb, ce);
        let ctext = text.slice(begin, end);
        if ctext.trim().chars().count() < 4 {
            continue;
        }
        let about: Vec<usize> = {
            let mut v: Vec<usize> = cx.mentions_in(cb, ce).map(|m| cx.entity(m)).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let date = resolve_relative(&t[sent.b..cb.max(sent.b)], article.date).or(article.date);
        let verb_text = text.slice(h.begin, h.end);
        if !spans_seen.insert((begin, end)) {
            continue;
        }
        if let Some((span, country)) = holder {
            let known = unnamed
                .iter()
                .position(|u| cx.text.text[u.span.0..u.span.1] == cx.text.text[span.0..span.1]);
            let i = known.unwrap_or_else(|| {
                unnamed.push(UnnamedHolder { span, country });
                unnamed.len() - 1
            });
            speakers = vec![UNNAMED + i];
        }
        claims.push(Claim {
            speakers: speakers.clone(),
            text: ctext,
            begin,
            end,
            direct,
            verb: verb_text,
            verb_begin: h.begin,
            verb_end: h.end,
            act: verb.act.clone(),
            about,
            date,
            reported_by,
            within,
        });
        if within.is_none() {
            current = speakers;
        }
    }
    (claims, unnamed)
}

/// The subject starting at mention `m`: the actor, an apposition (الوزير،
/// حسين…) and coordinated actors (X ونظيره Y). Returns speakers and the
/// byte where the subject ends.
fn subject(cx: &Context, m: usize, limit: usize) -> (Vec<usize>, usize) {
    let mut speakers = vec![cx.entity(m)];
    let mut end = cx.spans[m].1;
    while let Some(w) = cx.tok_after(end) {
        if cx.toks[w].b >= limit {
            break;
        }
        let Some(n) = cx.actor_at(w) else { break };
        let gap_ok = cx.adjacent(end, cx.toks[w].b, true);
        if !gap_ok {
            break;
        }
        let word = cx.word(w);
        let coordinated = word.starts_with('و') && cx.spans[n].0 > cx.toks[w].b;
        let e = cx.entity(n);
        // A name right after a title names the same person; after a comma,
        // any person is in apposition. Otherwise it is an object.
        let comma = cx.text.text[end..cx.toks[w].b].contains(['،', ',']);
        let apposition =
            !coordinated && cx.class(n) == Class::Person && (comma || speakers.contains(&e));
        if coordinated || apposition {
            if !speakers.contains(&e) {
                if apposition && cx.class(m) == Class::Person && speakers.len() == 1 {
                    // An apposition names the same person again.
                } else {
                    speakers.push(e);
                }
            }
            end = cx.spans[n].1;
            continue;
        }
        break;
    }
    (speakers, end)
}

/// «…»، قال X / «…»، أضاف الرئيس: the quotation that a comma alone
/// separates from the reporting verb starting at byte `ws` is what was said.
fn quote_before(cx: &Context, ws: usize) -> Option<(usize, usize)> {
    let t = &cx.text.text;
    let before = t[..ws].trim_end();
    let before = before.strip_suffix(['،', ','])?.trim_end();
    let close = before.chars().next_back()?;
    if !matches!(close, '»' | '"' | '”') {
        return None;
    }
    let end = before.len() - close.len_utf8();
    cx.quotes.iter().copied().find(|&(_, e)| e == end)
}

/// Who a title with no name speaks for (وأضاف الوزير، وقال الرئيس
/// الكيني): the one who spoke last when that is a person of the title's
/// country; else, with a nationality, the person of that country named last
/// before byte `before`; else no one.
fn title_holder(
    cx: &Context,
    current: &[usize],
    country: Option<usize>,
    before: usize,
    title: Option<(usize, usize)>,
) -> Vec<usize> {
    let entities = &cx.ann.entities;
    // A title with a body of its own (رئيس البلدية) names another role
    // than the one who spoke last; a bare one (الرئيس، الوزير) refers back.
    let bare = title.is_none_or(|(b, e)| !cx.text.text[b..e].trim().contains(' '));
    if country.is_none() && !bare {
        return Vec::new();
    }
    let code = |e: usize| entities[e].country.as_deref();
    let fits = |e: usize| {
        e < entities.len()
            && entities[e].class == Class::Person
            && country.is_none_or(|c| code(e) == code(c))
    };
    if current.len() == 1 && fits(current[0]) {
        return current.to_vec();
    }
    let Some(c) = country else {
        return Vec::new();
    };
    cx.mentions_in(0, before)
        .rev()
        .map(|m| cx.entity(m))
        .find(|&e| entities[e].class == Class::Person && code(e).is_some() && code(e) == code(c))
        .into_iter()
        .collect()
}

/// Whether a reporting verb at byte `ws` (its word start) opens a new
/// clause: it carries و/ف, it is an adverbial, or a comma precedes it.
fn starts_clause(cx: &Context, ws: usize, prefix: &str, adverbial: bool) -> bool {
    adverbial
        || prefix.starts_with('و')
        || prefix.starts_with('ف')
        || cx.text.text[..ws]
            .trim_end()
            .ends_with(['،', ',', '.', ':'])
        || ["فيما", "بينما", "كما", "حيث", "اذ", "في حين"]
            .iter()
            .any(|w| cx.text.text[..ws].trim_end().ends_with(w))
}

/// The last person named between `from` and the next "that" (أنّ/إنّ) in
/// the sentence, with where the mention ends.
fn person_before_that(cx: &Context, from: usize, sent_end: usize) -> Option<(usize, usize)> {
    let mut w = cx.tok_after(from);
    let mut n = 0;
    while let Some(wi) = w {
        if cx.toks[wi].b >= sent_end || n > 20 {
            return None;
        }
        if is_that(cx.word(wi)) {
            return cx
                .mentions_in(from, cx.toks[wi].b)
                .rfind(|&m| cx.class(m) == Class::Person)
                .map(|m| (cx.entity(m), cx.spans[m].1));
        }
        n += 1;
        w = cx.tok_after(cx.toks[wi].e);
    }
    None
}

/// Whether word `vt` is the first of its sentence (after و/ف or a comma).
fn verb_starts_sentence(cx: &Context, vt: usize, sent_b: usize) -> bool {
    cx.text.text[sent_b..cx.toks[vt].b].trim().is_empty()
}

/// Finds the content after `from`: (begin, end, direct).
fn content(
    cx: &Context,
    lemma: &str,
    act: &str,
    from: usize,
    sent_end: usize,
    next_verb: Option<usize>,
) -> Option<(usize, usize, bool)> {
    let t = &cx.text.text;
    let lemma = crate::text::key(lemma);
    let lemma = lemma.as_str();
    let mut i = from;
    let mut skipped = 0;
    // Words of an object between the verb and its content (وصف المحادثات بأنها).
    let mut objects = 0;
    let mut asides = 0;
    let stop = next_verb.unwrap_or(usize::MAX).min(sent_end);
    loop {
        let rest = &t[i..];
        let lead = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_whitespace() || c == '،' || c == ',')
                .len();
        i += lead;
        if i >= t.len() || i >= sent_end {
            return None;
        }
        let c = t[i..].chars().next()?;
        if c == ':' {
            i += 1;
            let after = t[i..].trim_start();
            let j = i + (t[i..].len() - after.len());
            if let Some(q) = cx.any_quote(j + after.chars().next().map_or(0, char::len_utf8)) {
                return Some((q.0, q.1, true));
            }
            // وقال: إنّ …: the "that" after the colon opens what was said.
            let j = match cx
                .tok_at(j)
                .filter(|&w| cx.toks[w].b == j && is_that(cx.word(w)))
            {
                Some(w) => {
                    let rest = &t[cx.toks[w].e..];
                    cx.toks[w].e + (rest.len() - rest.trim_start().len())
                }
                None => j,
            };
            return Some((j, clause_end(cx, j, stop), false));
        }
        if let Some(q) = cx.any_quote(i + c.len_utf8()).filter(|_| objects == 0) {
            if matches!(c, '"' | '«' | '“') {
                return Some((q.0, q.1, true));
            }
        }
        let w = cx.tok_at(i)?;
        let word = cx.word(w);
        if is_that(word) {
            let after = cx.toks[w].e;
            // أنّه "…": a quotation right after "that" is direct.
            let rest = &t[after..];
            let trimmed = rest.trim_start();
            if let Some(c) = trimmed.chars().next() {
                if matches!(c, '"' | '«' | '“') {
                    let j = after + (rest.len() - trimmed.len()) + c.len_utf8();
                    if let Some(q) = cx.any_quote(j) {
                        return Some((q.0, q.1, true));
                    }
                }
            }
            let j = after + (rest.len() - trimmed.len());
            return Some((j, clause_end(cx, j, stop), false));
        }
        let preposition = matches!(word, "الي" | "علي" | "عن") || (word == "من" && act == "warn");
        if preposition && (objects == 0 || (objects <= 3 && matches!(act, "demand" | "warn"))) {
            let after = cx.toks[w].e;
            let rest = &t[after..];
            let j = after + (rest.len() - rest.trim_start().len());
            // إلى أنّ …: go on to the "that".
            if let Some(n) = cx.tok_at(j) {
                if is_that(cx.word(n)) {
                    i = j;
                    continue;
                }
            }
            if let Some(c) = t[j..].chars().next() {
                if matches!(c, '"' | '«' | '“') {
                    if let Some(q) = cx.any_quote(j + c.len_utf8()) {
                        return Some((q.0, q.1, true));
                    }
                }
            }
            return Some((j, clause_end(cx, j, stop), false));
        }
        // "، في تسجيل مصوّر بثّه عبر حسابه، إنّه": skip a parenthesis
        // between commas. After the first, one that holds what opens the
        // content is the content (، الذي تولّى التفاوض، النازحين إلى العودة
        // فورًا، وتوجّه: a call's addressee and what they are called to).
        let after_comma = t[..i].trim_end().ends_with(['،', ',']);
        if after_comma {
            if let Some(off) = t[i..stop.min(t.len()).max(i)].find(['،', ',']) {
                let j = i + off;
                let call = matches!(act, "demand" | "warn");
                let opens_content = asides > 0
                    && cx.tok_after(i).is_some_and(|first| {
                        (first..cx.toks.len())
                            .take_while(|&n| cx.toks[n].b < j)
                            .map(|n| cx.word(n))
                            .any(|w| {
                                is_that(w) || (call && matches!(w, "الي" | "علي" | "عن" | "من"))
                            })
                    });
                if t[i..j].split_whitespace().count() <= 12 && !opens_content {
                    i = j + t[j..].chars().next().map_or(1, char::len_utf8);
                    asides += 1;
                    continue;
                }
            }
        }
        if SKIPPABLE.contains(&word) && skipped < 6 {
            skipped += 1;
            i = cx.toks[w].e;
            continue;
        }
        if objects == 0
            && NP_OBJECT.contains(&lemma)
            && cx.actor_at(w).is_none_or(|m| cx.class(m) != Class::Person)
        {
            // "أعلن X، في أول كلمة له منذ …، أنّ …": a long aside, then
            // the "that" the content really follows.
            if let Some(j) = that_after_aside(cx, w, stop) {
                i = j;
                continue;
            }
            return Some((i, clause_end(cx, i, stop), false));
        }
        // An invitation, not a statement: دعا … نظيره لزيارة.
        if act == "demand" && cx.actor_at(w).is_some_and(|m| cx.class(m) == Class::Person) {
            return None;
        }
        objects += 1;
        // Past a few words only a "that" can still open the content.
        if objects > 16 || cx.toks[w].e >= stop {
            return None;
        }
        i = cx.toks[w].e;
    }
}

/// The start of a "that" (أنّ، إنّ) right after a comma within the next 25
/// words from word `w`, before `stop`.
fn that_after_aside(cx: &Context, w: usize, stop: usize) -> Option<usize> {
    let t = &cx.text.text;
    (w + 1..(w + 25).min(cx.toks.len()))
        .take_while(|&k| cx.toks[k].e <= stop)
        .find(|&k| is_that(cx.word(k)) && t[..cx.toks[k].b].trim_end().ends_with(['،', ',']))
        .map(|k| cx.toks[k].b)
}

/// Where indirect content ends: the sentence's end, or a following
/// reporting verb, without trailing punctuation.
fn clause_end(cx: &Context, from: usize, stop: usize) -> usize {
    let t = &cx.text.text;
    let mut e = stop.min(t.len()).max(from);
    // "…، فيما أجرى ماكرون اتصالًا": another clause, another matter.
    let mut k = cx.tok_after(from);
    while let Some(w) = k {
        if cx.toks[w].b >= e {
            break;
        }
        if w > 0
            && opens_clause(cx.word(w))
            && t[cx.toks[w - 1].e..cx.toks[w].b].contains(['،', ','])
        {
            e = cx.toks[w].b;
            break;
        }
        k = Some(w + 1).filter(|&n| n < cx.toks.len());
    }
    while e > from {
        let c = t[..e].chars().next_back().unwrap();
        if c.is_whitespace()
            || matches!(
                c,
                '.' | '،' | ',' | ':' | '؛' | '"' | '»' | '”' | '«' | '“' | ')' | '('
            )
        {
            e -= c.len_utf8();
        } else {
            break;
        }
    }
    e
}
