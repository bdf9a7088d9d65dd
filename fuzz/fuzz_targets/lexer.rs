//! The shell's SPARQL lexer and statement splitter: tokens tile the input
//! on character boundaries; statements lie inside it; never a panic.
use isnad_fuzz::lexer;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let src = String::from_utf8_lossy(data);
        let src = src.as_ref();
        let toks = lexer::tokenize(src);
        let mut at = 0;
        for t in &toks {
            assert_eq!(t.start, at, "tokens leave a gap");
            assert!(t.end > t.start && src.is_char_boundary(t.end));
            at = t.end;
        }
        assert_eq!(at, src.len());
        let split = lexer::split(src);
        for r in &split.statements {
            assert!(r.start <= r.end && r.end <= split.rest && src.is_char_boundary(r.start));
            assert!(src.is_char_boundary(r.end));
        }
        assert!(split.rest <= src.len() && src.is_char_boundary(split.rest));
        let _ = lexer::is_blank(src);
        let _ = lexer::is_incomplete(src);
        let _ = lexer::first_token_start(src);
        let _ = lexer::leading_keyword(src);
        let _ = lexer::is_update(src);
    });
}
