//! Events: trigger words → class and CAMEO code, with agent, target, place,
//! participants and date taken from the sentence around the trigger (the
//! date, when the sentence has none, from the event the report told before).

use super::context::{any_between, is_that, opens_clause, Context};
use super::dates::{anchored_offset, names_other_time, resolve_relative};
use super::{Annotations, Event, Knowledge};
use crate::article::Article;
use crate::reference::Class;
use crate::text::{matcher::Scan, NormText};

/// How far (in words) a noun trigger reaches for its participants.
const WINDOW: usize = 12;

pub fn extract(article: &Article, k: &Knowledge, cx: &Context, scan: &Scan) -> Vec<Event> {
    let (text, ann) = (cx.text, cx.ann);
    let t = &text.text;
    let mut events: Vec<Event> = Vec::new();
    let mut by_class = ByClass::default();
    let hits = k.triggers.find(scan, text);
    // "الضربة استهدفت …": a verb whose subject is the happening just named
    // tells more of it, not of another one.
    let predicate: Vec<bool> = (0..hits.len())
        .map(|i| {
            let lexicon = &k.reference.triggers;
            let (h, this) = (&hits[i], &lexicon[hits[i].payloads[0]]);
            i > 0 && this.verb && {
                let p = &hits[i - 1];
                let prev = &lexicon[p.payloads[0]];
                prev.class == this.class
                    && !prev.verb
                    && t[p.nend..h.nbegin].split_whitespace().count() <= 1
            }
        })
        .collect();
    let trigger_starts: Vec<usize> = hits
        .iter()
        .zip(&predicate)
        .filter(|(_, &p)| !p)
        .map(|(h, _)| h.nbegin)
        .collect();
    let mut claim_spans = ClaimSpans::new(&ann.claims);
    for (h, _) in hits.iter().zip(&predicate).filter(|(_, &p)| !p) {
        let trig = &k.reference.triggers[h.payloads[0]];
        let sent = cx.sentence_of(h.nbegin);
        let Some(tw) = cx.tok_at(h.nbegin) else {
            continue;
        };
        let (tb, te) = cx.orig(h.nbegin, h.nend);
        let claim = claim_spans.last_holding(tb, te);
        // A threat phrase ("ستكون في خطر كبير", "لن يمر دون رد") carries its
        // own tense and negation: the noun filters below are not for it.
        if trig.cue {
            if let Some(ev) = claim
                .and_then(|c| statement_event(ann, (&trig.class, &trig.cameo), c, text, (tb, te)))
            {
                merge_or_push(&mut events, &mut by_class, ev, true, ann);
            }
            continue;
        }
        // "محادثات بشأن البرنامج النووي ورفع العقوبات": a topic, not a
        // happening.
        let topic = !trig.verb
            && (tw.saturating_sub(5)..tw).any(|p| {
                matches!(cx.word(p), "بشان" | "حول" | "بخصوص" | "وبشان" | "وحول")
                    && !t[cx.toks[p].e..h.nbegin].contains(['،', ',', '.'])
            });
        if topic {
            continue;
        }
        // "أيّ عملية", "كل هجوم": no particular happening; "مراكز احتجاز",
        // "مشروع اتفاق": a thing named after one; "ستواجه ضربات", "سيُقابل
        // بهجوم": one that may come; "ليس معاهدة", "لم يلتقِ": one denied.
        let before = tw.checked_sub(1).map_or("", |p| cx.word(p));
        if !trig.verb
            && (matches!(before, "اي" | "كل" | "لاي" | "بأي" | "باي")
                || NOT_A_HAPPENING.contains(&before)
                || foretells(before))
        {
            continue;
        }
        if matches!(
            before,
            "ليس" | "ليست" | "لم" | "لن" | "لا" | "ولم" | "ولن" | "ولا" | "غير"
        ) {
            continue;
        }
        let mut class = trig.class.clone();
        let mut cameo = trig.cameo.clone();
        // "دعا … لزيارة": a visit someone is invited to.
        let near_before: String = {
            let lo = tw.saturating_sub(10);
            t[cx.toks[lo].b.max(sent.b)..h.nbegin].to_string()
        };
        if class == "Visit"
            && !trig.verb
            && (near_before.contains("دعا") || near_before.contains("دعوه"))
        {
            class = "Invitation".into();
            cameo = "036".into();
        }

        let mut agents: Vec<usize> = Vec::new();
        let mut targets: Vec<usize> = Vec::new();
        let after_word = cx.tok_after(h.nend);

        // "في مستهل لقائه": his meeting — whoever the clause is about,
        // inside a statement or not; the noun after it is its object.
        let possessed = !trig.verb && {
            let word = cx.word(tw);
            let rest = &t[h.nend.min(cx.toks[tw].e)..cx.toks[tw].e];
            !rest.is_empty()
                || ["ائه", "ائها", "ائهما", "ائهم"]
                    .iter()
                    .any(|p| word.ends_with(p))
        };
        // "تبنّت … هجومًا", "شنّ X غارات": a verb of doing before a noun
        // trigger; its subject follows it, or (a relative clause, SVO)
        // is the last actor before it.
        if !trig.verb && agents.is_empty() {
            let lo = tw.saturating_sub(12).max(cx.tok_at(sent.b).unwrap_or(0));
            // within the clause: no comma and no other happening between
            let reach = (lo..tw)
                .rev()
                .take_while(|&v| {
                    !t[cx.toks[v].e..h.nbegin].contains(['،', ',', '؛'])
                        && !any_between(&trigger_starts, cx.toks[v].e, h.nbegin)
                })
                .last()
                .unwrap_or(tw);
            if let Some(v) = (reach..tw).rev().find(|&v| is_doing_verb(cx.word(v))) {
                let after = (v + 1..tw).find_map(|n| cx.actor_at(n));
                let who = after.or_else(|| {
                    cx.mentions_in(sent.b, cx.toks[v].b)
                        .rfind(|&m| cx.class(m).is_actor())
                });
                if let Some(m) = who {
                    agents.extend(subject_of(cx, m, h.nbegin).0);
                }
            }
        }

        // A noun's genitive or nationality adjective: هجمات الحوثيين, غارات
        // أميركية (the doer); اغتيال الأمين العام (the one it befell).
        if !trig.verb {
            if let Some(m) = after_word
                .filter(|&n| cx.adjacent(h.nend, cx.toks[n].b, false))
                .and_then(|n| cx.actor_at(n))
            {
                let (who, _) = subject_of(cx, m, sent.e);
                let nisba = cx.ann.mentions[m].kind == super::MentionKind::Nisba;
                // "أجرى ماكرون اتصالًا بنظيره": with the doer known, the
                // noun's complement is whom it was done to
                let done_to = possessed || (!agents.is_empty() && !nisba);
                if done_to || (matches!(class.as_str(), "Killing" | "Arrest") && !nisba) {
                    targets.extend(who);
                } else {
                    agents.extend(who);
                }
            }
        }

        // Cue phrases after the trigger: تلقاه X من Y, نفذتها X ضد Y, مع X.
        let mut w = after_word;
        let mut steps = 0;
        let mut subject_end = h.nend;
        while let Some(wi) = w {
            // Another happening's words belong to it: "ضربات …، بعد يومين
            // من ضربة إيرانية استهدفت …".
            let (wb, we) = (cx.toks[wi].b, cx.toks[wi].e);
            let other_trigger = any_between(&trigger_starts, wb, we.min(h.nbegin))
                || any_between(&trigger_starts, wb.max(h.nbegin + 1), we);
            if cx.toks[wi].b >= sent.e
                || steps > WINDOW
                || other_trigger
                || opens_clause(cx.word(wi))
            {
                break;
            }
            let word = cx.word(wi).to_string();
            let receive =
                word.starts_with("تلقا") || word.starts_with("تلقي") || word.starts_with("استقبل");
            let perform = ["نفذ", "شن", "اجرا", "اجري", "عقد", "وقع", "التقي", "اعلن"]
                .iter()
                .any(|p| word.starts_with(p));
            // "اجتماع … جمع فيدان بنظيريه عراقجي ولافروف": all who met.
            let gather =
                matches!(word.as_str(), "جمع" | "جمعت" | "ضم" | "ضمت") && symmetric(&class);
            if gather && agents.is_empty() && wi > tw {
                let mut end = cx.toks[wi].e;
                let mut n = 0;
                while let Some(x) = cx.tok_after(end) {
                    if cx.toks[x].b >= sent.e || n > 4 {
                        break;
                    }
                    if let Some(m) = cx.actor_at(x) {
                        // الإيراني عباس عراقجي: the person, not the nationality
                        let named = cx.ann.mentions[m].kind == super::MentionKind::Nisba
                            && cx
                                .tok_after(cx.spans[m].1)
                                .and_then(|y| cx.actor_at(y))
                                .is_some_and(|p| cx.class(p) == Class::Person);
                        if !named && !agents.contains(&cx.entity(m)) {
                            agents.push(cx.entity(m));
                        }
                        end = cx.spans[m].1;
                        n = 0;
                        continue;
                    }
                    end = cx.toks[x].e;
                    n += 1;
                }
                subject_end = end;
                w = cx.tok_after(end);
                steps += 1;
                continue;
            }
            if (receive || perform) && agents.is_empty() && wi > tw {
                // the subject, possibly a head noun before the name or
                // nationality (شنّها الطيران الإسرائيلي)
                let subject = (wi + 1..(wi + 3).min(cx.toks.len()))
                    .take_while(|&n| cx.toks[n].b < sent.e)
                    .find_map(|n| cx.actor_at(n));
                if let Some(m) = subject {
                    let (subj, end) = subject_of(cx, m, sent.e);
                    subject_end = end;
                    if receive {
                        targets.extend(subj);
                        if let Some(f) = cx.tok_after(end) {
                            if cx.word(f) == "من" {
                                if let Some(m2) =
                                    cx.tok_after(cx.toks[f].e).and_then(|n| cx.actor_at(n))
                                {
                                    agents.extend(subject_of(cx, m2, sent.e).0);
                                }
                            }
                        }
                    } else {
                        agents.extend(subj);
                    }
                    w = cx.tok_after(subject_end);
                    steps += 1;
                    continue;
                }
            }
            // "تلبيةً لدعوة رسمية من X": who it comes from.
            if word == "من"
                && agents.is_empty()
                && !trig.verb
                && matches!(
                    class.as_str(),
                    "Invitation" | "Accusation" | "Threat" | "Aid" | "Sanction"
                )
            {
                if let Some(m) = cx.tok_after(cx.toks[wi].e).and_then(|n| cx.actor_near(n)) {
                    agents.extend(subject_of(cx, m, sent.e).0);
                }
            }
            // "اتفاق … بين X وY": for a happening with no direction, the
            // parties are its agents.
            if word == "بين" && steps <= 4 && symmetric(&class) {
                if let Some(m) = cx.tok_after(cx.toks[wi].e).and_then(|n| cx.actor_near(n)) {
                    let (parties, _) = subject_of(cx, m, sent.e);
                    if parties.len() >= 2 {
                        targets.retain(|x| !parties.contains(x));
                        agents = parties;
                        steps += 1;
                        w = cx.tok_after(cx.toks[wi].e);
                        continue;
                    }
                }
            }
            if matches!(
                word.as_str(),
                "ضد" | "علي" | "مع" | "بين" | "استهدف" | "استهدفت"
            ) {
                if let Some(m) = cx.tok_after(cx.toks[wi].e).and_then(|n| cx.actor_near(n)) {
                    if cx.class(m) != Class::Country
                        || word != "علي"
                        || class != "MilitaryOperation"
                    {
                        let (obj, _) = subject_of(cx, m, sent.e);
                        for o in obj {
                            if !targets.contains(&o) && !agents.contains(&o) {
                                targets.push(o);
                            }
                        }
                    }
                }
            }
            steps += 1;
            w = cx.tok_after(cx.toks[wi].e);
        }

        // A verb that also reports (هدّد, اتّهم): its speaker is the agent.
        if trig.verb && agents.is_empty() {
            if let Some(c) = claim_spans
                .verbs_in(tb, te)
                .first()
                .map(|&c| &ann.claims[c])
            {
                agents.extend(c.speakers.iter().copied());
            }
        }
        // "وكان X قد التقى": the subject before the verb.
        if trig.verb && agents.is_empty() && tw > 0 && matches!(cx.word(tw - 1), "قد" | "وقد")
        {
            if let Some(m) = cx.kan_subject(tw, sent.b) {
                agents.extend(subject_of(cx, m, h.nbegin).0);
            }
        }
        // "أنّ وزارة الخارجية الإيرانية استدعت …": a subject right before
        // the verb, after أنّ/إنّ or at the start of a clause (SVO).
        if trig.verb && agents.is_empty() && tw > 0 {
            // "أنّ البلدين اتفقا", "اتفق الجانبان": the two parties named last.
            let around = [Some(tw - 1), after_word.filter(|&n| n > tw)];
            if let Some(both) = around
                .into_iter()
                .flatten()
                .find_map(|n| cx.both_parties(cx.word(n), h.nbegin))
            {
                agents.extend(both);
            } else if let Some(m) = cx.actor_ending_at(tw - 1) {
                let first = cx.tok_at(cx.spans[m].0).unwrap_or(tw - 1);
                let clause_start = first == 0
                    || cx.toks[first].b <= sent.b
                    || is_that(cx.word(first - 1))
                    || matches!(cx.word(first - 1), "لان" | "اذ" | "حيث" | "كما" | "بينما")
                    || t[cx.toks[first - 1].e..cx.toks[first].b].contains(['،', ',']);
                if clause_start {
                    agents.push(cx.entity(m));
                }
            }
        }
        // A verb trigger's subject follows it (VSO); its object after that.
        if trig.verb && agents.is_empty() {
            let mut w = after_word;
            let mut steps = 0;
            while let Some(wi) = w {
                if cx.toks[wi].b >= sent.e || steps > 6 {
                    break;
                }
                if let Some(m) = cx.actor_at(wi) {
                    let (subj, end) = subject_of(cx, m, sent.e);
                    agents.extend(subj);
                    // the object: the next actor after the subject (التقى A B)
                    let mut o = cx.tok_after(end);
                    let mut s2 = 0;
                    while let Some(oi) = o {
                        if cx.toks[oi].b >= sent.e || s2 > 6 {
                            break;
                        }
                        if let Some(m2) = cx.actor_at(oi) {
                            if targets.is_empty()
                                && matches!(
                                    class.as_str(),
                                    "Meeting"
                                        | "PhoneCall"
                                        | "Accusation"
                                        | "Threat"
                                        | "Sanction"
                                        | "Arrest"
                                        | "Killing"
                                        | "Invitation"
                                )
                            {
                                targets.extend(subject_of(cx, m2, sent.e).0);
                            }
                            break;
                        }
                        s2 += 1;
                        o = cx.tok_after(cx.toks[oi].e);
                    }
                    break;
                }
                steps += 1;
                w = cx.tok_after(cx.toks[wi].e);
            }
        }
        // Arguments found by structure are strong; a nearby actor is a guess.
        // "اغتيال أمينه العام السابق حسن نصر الله": the person it befell,
        // named a few words on.
        if matches!(class.as_str(), "Killing" | "Arrest") && targets.is_empty() {
            let mut w = after_word;
            for _ in 0..6 {
                let Some(wi) = w else { break };
                if cx.toks[wi].b >= sent.e {
                    break;
                }
                if let Some(m) = cx.actor_at(wi) {
                    if cx.class(m) == Class::Person {
                        targets.push(cx.entity(m));
                    }
                    break;
                }
                w = cx.tok_after(cx.toks[wi].e);
            }
        }
        // "أعلنت مسؤوليتها عن … الهجوم": who claims it did it; "أعلن
        // الاتحاد الأوروبي تقديم مساعدات": what is announced opens with the
        // announcer's own deed.
        if agents.is_empty() {
            if let Some(c) = claim {
                let c = &ann.claims[c];
                // the content is the verb's object (no "that" before it)
                // and starts with the happening, undetermined
                let first = cx
                    .toks
                    .partition_point(|x| cx.text.orig_start(x.b) < c.begin);
                let object = first == 0 || {
                    let w = cx.word(first - 1);
                    !is_that(w) && !matches!(w, "الي" | "علي")
                };
                let opens = object
                    && text.slice(c.begin, tb).split_whitespace().count() <= 1
                    && !is_definite(cx.word(tw))
                    && c.act != "deny"
                    && !c.direct;
                if c.text.contains("مسؤولي") || opens {
                    agents.extend(c.speakers.iter().copied());
                }
            }
        }
        // "اغتالت إسرائيل قياديًا بغارة": the means of a happening just told
        // is done by its doer.
        if agents.is_empty() && !trig.verb && h.prefix.ends_with('ب') {
            if let Some(prev) = events.last().filter(|e| {
                let (sb, _) = cx.orig(sent.b, sent.e);
                e.begin >= sb && e.end <= tb
            }) {
                agents.extend(prev.agents.iter().copied());
            }
        }
        // "الاتفاق" with no doer of its own: the agreement already told of.
        // "المحادثات" after "محادثات غير مباشرة" told as negotiations: the
        // same talks, whichever of the two names the lexicon gives them.
        let told = (!trig.verb && agents.is_empty() && is_definite(cx.word(tw)))
            .then(|| {
                let first = |c: &str| by_class.get(c).and_then(|v| v.first().copied());
                first(&class)
                    .or_else(|| {
                        by_class
                            .iter()
                            .filter(|(c, _)| same_kind(c, &class))
                            .filter_map(|(_, v)| v.first().copied())
                            .min()
                    })
                    .map(|i| &events[i])
            })
            .flatten();
        let anaphoric = told.is_some();
        if let Some(e) = told {
            class = e.class.clone();
            cameo = e.cameo.clone();
        }
        let strong = !anaphoric && (!agents.is_empty() || !targets.is_empty());
        // دعا X Y لزيارة: the one who invites and the invited.
        if class == "Invitation" && agents.is_empty() {
            if let Some(dt) = (cx.tok_at(sent.b).unwrap_or(0)..tw).find(|&t| {
                let w = cx.word(t);
                w.starts_with("دعا")
                    || w.starts_with("ودعا")
                    || w.starts_with("دعوه")
                    || w.starts_with("ودعوه")
            }) {
                let mut w = cx.tok_after(cx.toks[dt].e);
                let mut found: Vec<Vec<usize>> = Vec::new();
                while let Some(wi) = w {
                    if wi >= tw || found.len() == 2 {
                        break;
                    }
                    if let Some(m) = cx.actor_at(wi) {
                        let (who, end) = subject_of(cx, m, h.nbegin);
                        found.push(who);
                        w = cx.tok_after(end);
                        continue;
                    }
                    w = cx.tok_after(cx.toks[wi].e);
                }
                let mut found = found.into_iter();
                agents.extend(found.next().unwrap_or_default());
                targets.extend(found.next().unwrap_or_default());
            }
        }
        let quote = cx.in_quote(h.nbegin);
        // Who threatens or accuses is said, never guessed: "يهدد أمن
        // المنطقة" has a danger for its subject, not an actor.
        // Inside a statement, the guess stays inside what was said: who
        // reports the explosions did not cause them.
        let said_from = if possessed {
            0
        } else {
            claim.map_or(0, |c| ann.claims[c].begin)
        };
        if agents.is_empty() && !matches!(class.as_str(), "Threat" | "Accusation") {
            let lo = tw.saturating_sub(WINDOW);
            if let Some(m) = cx
                .mentions_in(cx.toks[lo].b.max(sent.b), h.nbegin)
                .rfind(|&m| {
                    cx.class(m).is_actor()
                        && cx.in_quote(cx.spans[m].0) == quote
                        && ann.mentions[m].begin >= said_from
                })
            {
                let (subj, _) = subject_of(cx, m, h.nbegin);
                // Countries and institutions do not travel; people do.
                if class != "Visit" || subj.iter().any(|&e| ann.entities[e].class == Class::Person)
                {
                    agents.extend(subj);
                }
            }
        }
        agents.retain(|a| !targets.contains(a));

        // Places and other participants near the trigger.
        let lo = cx.toks[tw.saturating_sub(WINDOW)].b.max(sent.b);
        let hi = cx
            .toks
            .get(tw + WINDOW)
            .map_or(sent.e, |x| x.e)
            .min(sent.e)
            .max(subject_end.min(sent.e));
        let mut places: Vec<usize> = Vec::new();
        let mut participants: Vec<usize> = agents.iter().chain(&targets).copied().collect();
        for m in cx.mentions_in(lo, hi) {
            let e = cx.entity(m);
            let class_m = cx.class(m);
            let prev = cx
                .tok_at(cx.spans[m].0)
                .and_then(|w| w.checked_sub(1))
                .map(|p| cx.word(p))
                .unwrap_or("");
            let own = cx.tok_at(cx.spans[m].0).map(|w| cx.word(w)).unwrap_or("");
            let located = matches!(
                prev,
                "في" | "الي"
                    | "داخل"
                    | "قرب"
                    | "شمال"
                    | "جنوب"
                    | "شرق"
                    | "غرب"
                    | "مدينه"
                    | "محافظه"
                    | "منطقه"
            ) || own.starts_with('ب') && class_m.is_place();
            if (matches!(class_m, Class::City | Class::Region | Class::Place)
                || (class_m == Class::Country && located))
                && !places.contains(&e)
            {
                places.push(e);
            }
            if !participants.contains(&e) && (class_m.is_actor() || class_m.is_place()) {
                participants.push(e);
            }
        }
        for p in &places {
            if !participants.contains(p) {
                participants.push(*p);
            }
        }
        if participants.is_empty() || (agents.is_empty() && targets.is_empty()) {
            continue;
        }
        // "غداة إعلانه رفع العقوبات", "بعد يوم من اتهام الجيش": dated from
        // the clause the phrase hangs it on (that clause's date, else the
        // article's), within the clause (no comma between).
        let mut lo = tw;
        while lo > 0
            && tw - lo < 4
            && cx.toks[lo - 1].b >= sent.b
            && !t[cx.toks[lo - 1].e..cx.toks[lo].b].contains(['،', ',', '؛', '.'])
        {
            lo -= 1;
        }
        let before: Vec<&str> = (lo..tw).map(|i| cx.word(i)).collect();
        let anchored = anchored_offset(&before).and_then(|(days, k)| {
            let clause = &t[sent.b..cx.toks[lo + k].b.max(sent.b)];
            let reference = resolve_relative(clause, article.date).or(article.date)?;
            reference.checked_add_signed(chrono::Duration::days(days))
        });
        // Else the date said nearest after the trigger (غارات شنّها … أمس،
        // ردًّا على صاروخ أطلقه … يوم الأحد), else the sentence's.
        let near_end = cx.toks.get(tw + 8).map_or(sent.e, |x| x.e).min(sent.e);
        let mut date = anchored
            .or_else(|| resolve_relative(&t[h.nbegin..near_end.max(h.nbegin)], article.date))
            .or_else(|| resolve_relative(&t[sent.b..sent.e], article.date));
        // What is done by saying it (a threat, a condemnation, a protest)
        // happened when it was said: the claim's date, and like a claim's,
        // the article's when the text gives none.
        if date.is_none() && matches!(class.as_str(), "Threat" | "Accusation" | "Protest") {
            let (sb, se) = cx.orig(sent.b, sent.e);
            // (claims told in the sentence, or whose verb is the trigger)
            date = claim_spans
                .verbs_in(tb.min(sb), te.max(se))
                .into_iter()
                .map(|c| &ann.claims[c])
                .find(|c| {
                    (c.verb_begin < te && tb < c.verb_end)
                        || (c.verb_begin >= sb
                            && c.verb_end <= se
                            && c.speakers.iter().any(|s| agents.contains(s)))
                })
                .and_then(|c| c.date)
                .or(article.date);
        }
        let ev = Event {
            class,
            cameo,
            trigger: text.slice(tb, te),
            begin: tb,
            end: te,
            agents,
            targets,
            participants,
            places,
            date,
            reported_by: claim,
        };
        merge_or_push(&mut events, &mut by_class, ev, strong, ann);
    }
    // "حذّر X من أنّ إيران ستكون في خطر": a warning of what someone else
    // will suffer is a threat to them.
    for (ci, c) in ann.claims.iter().enumerate() {
        if c.act != "warn" {
            continue;
        }
        let told = events
            .iter()
            .any(|e| e.class == "Threat" && c.begin <= e.begin && e.end <= c.end.max(c.verb_end));
        if told || !foretells(&crate::text::key(&c.text)) {
            continue;
        }
        let Some(ev) =
            statement_event(ann, ("Threat", "130"), ci, text, (c.verb_begin, c.verb_end))
        else {
            continue;
        };
        // the one it befalls is what the warning is about: its first words
        let opens_with_target = mentions_from(ann, c.begin)
            .take_while(|m| text.slice(c.begin, m.begin).split_whitespace().count() <= 1)
            .any(|m| ev.targets.contains(&m.entity));
        if opens_with_target {
            merge_or_push(&mut events, &mut by_class, ev, true, ann);
        }
    }
    narrative_dates(&mut events, text, ann);
    events
}

/// A news report tells what happened on its day in order, and says the day
/// once: "وصل الرئيس … صباح اليوم … وعقد الجانبان جلسة مباحثات … ووقّعا 14
/// مذكرة". An event the report itself tells (not one inside what someone
/// said) with no date of its own takes the date of the event told before
/// it; not when it is foretold (ستُعقد) or its words name another time (a
/// month, a year, الماضي). One before every dated event stays undated.
fn narrative_dates(events: &mut [Event], text: &NormText, ann: &Annotations) {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| events[i].begin);
    let mut told: Option<chrono::NaiveDate> = None;
    // Claims by where they begin, with the furthest end so far: some claim
    // holds a range when one beginning by its start reaches its end.
    let mut claims: Vec<(usize, usize)> = ann.claims.iter().map(|c| (c.begin, c.end)).collect();
    claims.sort_unstable();
    let reach: Vec<usize> = claims
        .iter()
        .scan(0, |m, &(_, e)| {
            *m = e.max(*m);
            Some(*m)
        })
        .collect();
    for i in order {
        let ev = &mut events[i];
        if let Some(d) = ev.date {
            told = Some(d);
            continue;
        }
        // Inside a claim, whatever `reported_by` says: an event told both
        // by the report and in a statement keeps no `reported_by` once merged.
        let k = claims.partition_point(|&(b, _)| b <= ev.begin);
        let said = k > 0 && reach[k - 1] >= ev.end;
        let near = crate::text::key(&text.slice(
            ev.begin.saturating_sub(40),
            (ev.end + 40).min(text.original.len()),
        ));
        if !said && !foretells(&near) && !names_other_time(&near) {
            ev.date = told;
        }
    }
}

/// Whether normalised text says what will happen: a verb in the future
/// (ستكون، سيواجه، سندفع) or a negated future (لن).
fn foretells(normalised: &str) -> bool {
    const NOT_FUTURE: &[&str] = &[
        "سياسه",
        "سياسي",
        "سياسيه",
        "سياسيا",
        "سياسات",
        "سياسيون",
        "سياسيين",
        "سياره",
        "سيارات",
        "سياده",
        "سيطره",
        "سيناء",
        "سيناتور",
        "سيدات",
        "ستين",
        "ستون",
        "سنوات",
        "سنويا",
        "سنوي",
        "سنويه",
        "سنتين",
        "ستوكهولم",
        "سنغافوره",
        "سياحه",
        "سياحي",
        "سياق",
    ];
    normalised.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphabetic());
        w == "لن"
            || (w.chars().count() >= 5
                && ["سي", "ست", "سن"].iter().any(|p| w.starts_with(p))
                && !NOT_FUTURE.contains(&w))
    })
}

/// Heads of a construct whose second noun names a kind of happening, not
/// one that happened: مراكز احتجاز (detention centres), مشروع اتفاق (a draft
/// agreement), قانون العقوبات (the penal code), مسودة اتفاق.
const NOT_A_HAPPENING: &[&str] = &[
    "مركز",
    "مراكز",
    "مرفق",
    "مرافق",
    "مخيم",
    "مخيمات",
    "سجن",
    "سجون",
    "قانون",
    "مشروع",
    "مسوده",
    "نص",
    "بنود",
    "لجنه",
    "قاعه",
    "ثقافه",
    "منطق",
];

/// Whether a word carries the definite article (after و ف ب ل ك).
fn is_definite(word: &str) -> bool {
    let w = word.trim_start_matches(['و', 'ف']);
    w.starts_with("ال") || w.starts_with("لل") || ["بال", "كال"].iter().any(|p| w.starts_with(p))
}

/// Classes a later mention may use for the same happening.
fn same_kind(a: &str, b: &str) -> bool {
    let talks = |c: &str| matches!(c, "Meeting" | "Negotiation");
    a == b || (talks(a) && talks(b))
}

/// Happenings with no direction: all the parties do them together.
fn symmetric(class: &str) -> bool {
    matches!(class, "Agreement" | "Negotiation" | "Meeting" | "PhoneCall")
}

/// Verbs whose object is a happening their subject did (تبنّت هجومًا،
/// شنّ غارات، نفّذ عملية، ارتكب مجزرة).
fn is_doing_verb(word: &str) -> bool {
    let w = word.strip_prefix('و').unwrap_or(word);
    matches!(
        w,
        "تبني"
            | "تبنت"
            | "تبنوا"
            | "شن"
            | "شنت"
            | "شنوا"
            | "نفذ"
            | "نفذت"
            | "نفذوا"
            | "ارتكب"
            | "ارتكبت"
            | "ارتكبوا"
            | "يشن"
            | "تشن"
            | "ينفذ"
            | "تنفذ"
            | "اجري"
            | "اجرت"
            | "اجروا"
            | "يجري"
            | "تجري"
            | "عقد"
            | "عقدت"
            | "عقدوا"
            | "وقع"
            | "وقعت"
            | "وقعوا"
            | "قدم"
            | "قدمت"
            | "فرض"
            | "فرضت"
            | "فرضوا"
            | "يفرض"
            | "تفرض"
    )
}

/// A statement that is itself an event ("لن يمر دون رد": a threat): its
/// speakers are the agents; the actors its content names, other than the
/// speakers and their own country's, are the targets.
fn statement_event(
    ann: &Annotations,
    (class, cameo): (&str, &str),
    claim: usize,
    text: &NormText,
    (tb, te): (usize, usize),
) -> Option<Event> {
    let c = &ann.claims[claim];
    if c.speakers.is_empty() {
        return None;
    }
    let side: Vec<&str> = c
        .speakers
        .iter()
        .filter_map(|&s| ann.entities[s].country.as_deref())
        .collect();
    let mut targets: Vec<usize> = Vec::new();
    for m in mentions_from(ann, c.begin).take_while(|m| m.begin <= c.end) {
        if m.end > c.end {
            continue;
        }
        let e = &ann.entities[m.entity];
        let own = e.country.as_deref().is_some_and(|x| side.contains(&x));
        if e.class.is_actor()
            && !own
            && !c.speakers.contains(&m.entity)
            && !targets.contains(&m.entity)
        {
            targets.push(m.entity);
        }
    }
    let participants = c.speakers.iter().chain(&targets).copied().collect();
    Some(Event {
        class: class.to_string(),
        cameo: cameo.to_string(),
        trigger: text.slice(tb, te),
        begin: tb,
        end: te,
        agents: c.speakers.clone(),
        targets,
        participants,
        places: Vec::new(),
        date: c.date,
        reported_by: c.within,
    })
}

/// The mentions from the first that starts at or after `begin` on (they
/// are sorted by where they start).
fn mentions_from(ann: &Annotations, begin: usize) -> impl Iterator<Item = &super::Mention> {
    debug_assert!(ann.mentions.windows(2).all(|w| w[0].begin <= w[1].begin));
    let k = ann.mentions.partition_point(|m| m.begin < begin);
    ann.mentions[k..].iter()
}

fn subject_of(cx: &Context, m: usize, limit: usize) -> (Vec<usize>, usize) {
    let mut out = vec![cx.entity(m)];
    let mut end = cx.spans[m].1;
    while let Some(w) = cx.tok_after(end) {
        if cx.toks[w].b >= limit || !cx.adjacent(end, cx.toks[w].b, true) {
            break;
        }
        let Some(n) = cx.actor_at(w) else { break };
        let e = cx.entity(n);
        let coordinated = cx.word(w).starts_with('و') && cx.spans[n].0 > cx.toks[w].b;
        if coordinated {
            if !out.contains(&e) {
                out.push(e);
            }
        } else if cx.class(n) != Class::Person && cx.class(m) == Class::Person {
            break;
        }
        end = cx.spans[n].1;
    }
    (out, end)
}

/// One event per happening: a later reference of the same class joins the
/// earlier one unless it tells of another happening — other doers (and no
/// target in common), places in other countries, or another date.
/// A reference whose arguments are only guessed (`strong` false) joins the
/// first event of its class.
/// Event indexes by class, in order: the events a later one may join.
type ByClass = rustc_hash::FxHashMap<String, Vec<usize>>;

/// How many of the latest events of its class a reference with arguments
/// of its own may join: the happening it tells again was told not long
/// before. This bounds the work for each event on a text of any length (a
/// book holds tens of thousands); a news article holds a few dozen events
/// in all, so every one is looked at.
const MERGE_WINDOW: usize = 256;

fn merge_or_push(
    events: &mut Vec<Event>,
    by_class: &mut ByClass,
    mut ev: Event,
    strong: bool,
    ann: &Annotations,
) {
    fn disjoint<T: PartialEq>(a: &[T], b: &[T]) -> bool {
        !a.is_empty() && !b.is_empty() && !a.iter().any(|x| b.contains(x))
    }
    let countries = |places: &[usize]| -> Vec<&str> {
        places
            .iter()
            .filter_map(|&p| ann.entities[p].country.as_deref())
            .collect()
    };
    let ev_countries = countries(&ev.places);
    let same: &[usize] = by_class.get(&ev.class).map_or(&[], Vec::as_slice);
    // the first of its class for a guess, else one of the latest
    let window = if strong {
        &same[same.len().saturating_sub(MERGE_WINDOW)..]
    } else {
        same
    };
    let found = window.iter().copied().find(|&i| {
        let o = &events[i];
        let other_doers =
            disjoint(&o.agents, &ev.agents) && !o.targets.iter().any(|x| ev.targets.contains(x));
        let elsewhere = disjoint(&countries(&o.places), &ev_countries);
        let other_day = o.date.is_some() && ev.date.is_some() && o.date != ev.date;
        // a meeting of A and B, then one of A and C: two meetings
        let parties =
            |e: &Event| -> Vec<usize> { e.agents.iter().chain(&e.targets).copied().collect() };
        let (po, pe) = (parties(o), parties(&ev));
        let other_parties = symmetric(&ev.class)
            && po.len() >= 2
            && pe.len() >= 2
            && !po.iter().all(|x| pe.contains(x))
            && !pe.iter().all(|x| po.contains(x));
        let shared = o.participants.iter().any(|x| ev.participants.contains(x));
        o.class == ev.class
            && (!strong || (!other_doers && !other_parties && !elsewhere && !other_day && shared))
    });
    if let Some(i) = found {
        let old = &mut events[i];
        if !strong {
            ev.agents.clear();
            ev.targets.clear();
        }
        for (dst, src) in [
            (&mut old.agents, &ev.agents),
            (&mut old.targets, &ev.targets),
            (&mut old.participants, &ev.participants),
            (&mut old.places, &ev.places),
        ] {
            for x in src {
                if !dst.contains(x) {
                    dst.push(*x);
                }
            }
        }
        old.date = old.date.or(ev.date);
        if ev.reported_by.is_none() {
            old.reported_by = None;
        }
        return;
    }
    by_class
        .entry(ev.class.clone())
        .or_default()
        .push(events.len());
    events.push(ev);
}

/// Where the claims lie, for the look-ups each trigger makes: the claim
/// holding it, claims whose verb lies in a range.
struct ClaimSpans<'a> {
    claims: &'a [super::Claim],
    /// claim indexes by (verb begin, index), and the longest verb
    by_verb: Vec<usize>,
    longest_verb: usize,
    /// claim indexes by (begin, index); `next` of them read so far
    by_begin: Vec<usize>,
    next: usize,
    /// claims read that may still hold a later trigger: by index, and by
    /// end to drop those a trigger has passed
    open: std::collections::BTreeSet<usize>,
    ends: std::collections::BinaryHeap<std::cmp::Reverse<(usize, usize)>>,
    last: (usize, usize),
}

impl<'a> ClaimSpans<'a> {
    fn new(claims: &'a [super::Claim]) -> ClaimSpans<'a> {
        let mut by_verb: Vec<usize> = (0..claims.len()).collect();
        by_verb.sort_by_key(|&c| (claims[c].verb_begin, c));
        let mut by_begin: Vec<usize> = (0..claims.len()).collect();
        by_begin.sort_by_key(|&c| (claims[c].begin, c));
        let longest_verb = claims
            .iter()
            .map(|c| c.verb_end.saturating_sub(c.verb_begin))
            .max()
            .unwrap_or(0);
        ClaimSpans {
            claims,
            by_verb,
            longest_verb,
            by_begin,
            next: 0,
            open: Default::default(),
            ends: Default::default(),
            last: (0, 0),
        }
    }

    /// The last claim (by index) whose text holds `b..e`. Triggers come in
    /// order, so a claim that ended before one is dropped for good; a
    /// range before the last asked reads all the claims.
    fn last_holding(&mut self, b: usize, e: usize) -> Option<usize> {
        if b < self.last.0 || e < self.last.1 {
            return self.claims.iter().rposition(|c| c.begin <= b && e <= c.end);
        }
        self.last = (b, e);
        while self.next < self.by_begin.len() && self.claims[self.by_begin[self.next]].begin <= b {
            let c = self.by_begin[self.next];
            self.open.insert(c);
            self.ends.push(std::cmp::Reverse((self.claims[c].end, c)));
            self.next += 1;
        }
        while let Some(&std::cmp::Reverse((end, c))) = self.ends.peek() {
            if end >= e {
                break;
            }
            self.ends.pop();
            self.open.remove(&c);
        }
        self.open.last().copied()
    }

    /// Claims whose verb overlaps `b..e`, in claim order.
    fn verbs_in(&self, b: usize, e: usize) -> Vec<usize> {
        let from = b.saturating_sub(self.longest_verb);
        let k = self
            .by_verb
            .partition_point(|&c| self.claims[c].verb_begin < from);
        let mut out: Vec<usize> = self.by_verb[k..]
            .iter()
            .copied()
            .take_while(|&c| self.claims[c].verb_begin < e)
            .filter(|&c| b < self.claims[c].verb_end)
            .collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::EntityInfo;

    fn meeting(agent: usize, target: usize) -> Event {
        Event {
            class: "Meeting".into(),
            cameo: "040".into(),
            trigger: "التقى".into(),
            begin: 0,
            end: 5,
            agents: vec![agent],
            targets: vec![target],
            participants: vec![agent, target],
            places: Vec::new(),
            date: "2024-01-19".parse().ok(),
            reported_by: None,
        }
    }

    /// A meeting of A and B told again joins the first telling while at
    /// most MERGE_WINDOW other meetings came between; further on it is
    /// another meeting.
    #[test]
    fn a_happening_told_again_joins_one_of_the_latest_merge_window_of_its_class() {
        let entity = |i: usize| EntityInfo {
            id: format!("person/p{i}"),
            class: crate::reference::Class::Person,
            label_ar: format!("شخص {i}"),
            label_en: None,
            alt_labels: Vec::new(),
            country: None,
            positions: Vec::new(),
        };
        let ann = Annotations {
            entities: (0..2 * MERGE_WINDOW + 4).map(entity).collect(),
            ..Annotations::default()
        };
        for between in [MERGE_WINDOW - 1, MERGE_WINDOW] {
            let mut events = Vec::new();
            let mut by_class = ByClass::default();
            merge_or_push(&mut events, &mut by_class, meeting(0, 1), true, &ann);
            // other meetings, each of two others
            for i in 0..between {
                let ev = meeting(
                    2 + 2 * i % (2 * MERGE_WINDOW),
                    3 + 2 * i % (2 * MERGE_WINDOW),
                );
                merge_or_push(&mut events, &mut by_class, ev, true, &ann);
            }
            assert_eq!(events.len(), between + 1);
            merge_or_push(&mut events, &mut by_class, meeting(0, 1), true, &ann);
            let joined = events.len() == between + 1;
            assert_eq!(joined, between < MERGE_WINDOW, "{between} between");
        }
    }
}
