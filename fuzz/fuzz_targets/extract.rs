//! The whole extractor on any text as an article's body (dated and not):
//! never a panic, every offset inside the body and on its characters.
use isnad_fuzz::article::Article;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let body = String::from_utf8_lossy(data).into_owned();
        for date in [chrono::NaiveDate::from_ymd_opt(2024, 1, 19), None] {
            let a = Article {
                origin: "fuzz".into(),
                body: body.clone(),
                date,
                ..Article::default()
            };
            isnad_fuzz::check_extraction(&a);
        }
    });
}
