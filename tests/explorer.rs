//! The explorer as a person uses it: a real headless Chromium (Debian's
//! `chromium` and `chromium-driver`) driven over the W3C WebDriver protocol
//! against `isnad serve`. Each page visited is saved as a screenshot under
//! `target/explorer/`.
//!
//! The WebDriver client is the few commands below, spoken with ureq: the
//! WebDriver crates (fantoccini, thirtyfour) pull in proc-macros that change
//! the features of a crate bindgen shares, and the test build would then
//! compile RocksDB a second time.

mod support;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

/// A chromedriver process with a fresh browser profile.
struct Driver {
    child: Child,
    port: u16,
    profile: tempfile::TempDir,
}

impl Drop for Driver {
    /// Asks chromedriver to end (it then ends its browsers), killing it
    /// only if it does not within 5 s.
    fn drop(&mut self) {
        // SAFETY: signalling our own child.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromedriver() -> Driver {
    let found = Command::new("chromedriver")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "the browser tests need Chromium's WebDriver: apt-get install chromium chromium-driver (scripts/setup.sh does)"
    );
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen within 30 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver {
        child,
        port,
        profile: tempfile::tempdir().unwrap(),
    }
}

/// The key WebDriver names an element by.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One browser session.
struct Browser {
    base: String,
    agent: ureq::Agent,
}

/// An element of the page.
#[derive(Clone)]
struct El(String);

impl Browser {
    fn start(d: &Driver) -> Browser {
        let mut options = serde_json::json!({ "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1280,1400", "--lang=ar",
            format!("--user-data-dir={}", d.profile.path().display()),
        ]});
        if Path::new("/usr/bin/chromium").exists() {
            options["binary"] = "/usr/bin/chromium".into();
        }
        let agent = agent();
        let root = format!("http://127.0.0.1:{}", d.port);
        let caps = serde_json::json!({ "capabilities": { "alwaysMatch": { "goog:chromeOptions": options } } });
        let (status, _, body) = read(
            agent
                .post(&format!("{root}/session"))
                .header("Content-Type", "application/json")
                .send(caps.to_string())
                .unwrap(),
        );
        assert_eq!(status, 200, "a Chromium session: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let id = v["value"]["sessionId"].as_str().unwrap().to_string();
        Browser {
            base: format!("{root}/session/{id}"),
            agent,
        }
    }

    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<serde_json::Value, String> {
        let url = format!("{}{path}", self.base);
        let r = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, b) => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(b.unwrap_or_else(|| serde_json::json!({})).to_string()),
        }
        .map_err(|e| e.to_string())?;
        let (status, _, text) = read(r);
        let v: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
        if status == 200 {
            Ok(v["value"].clone())
        } else {
            Err(format!("{status} {}", v["value"]))
        }
    }

    fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(serde_json::json!({ "url": url })))
            .unwrap();
    }

    fn current_url(&self) -> String {
        self.call("GET", "/url", None)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    fn js(&self, script: &str) -> serde_json::Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(serde_json::json!({ "script": script, "args": [] })),
        )
        .unwrap_or_else(|e| panic!("script {script}: {e}"))
    }

    fn find_all(&self, css: &str) -> Vec<El> {
        self.call(
            "POST",
            "/elements",
            Some(serde_json::json!({ "using": "css selector", "value": css })),
        )
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| El(e[ELEMENT].as_str().unwrap().to_string()))
        .collect()
    }

    fn count(&self, css: &str) -> usize {
        self.find_all(css).len()
    }

    /// Waits up to 20 s for an element.
    fn wait_for(&self, css: &str) -> El {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(e) = self.find_all(css).into_iter().next() {
                return e;
            }
            assert!(
                Instant::now() < deadline,
                "no {css} on {}",
                self.current_url()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn text(&self, e: &El) -> String {
        self.call("GET", &format!("/element/{}/text", e.0), None)
            .unwrap()
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn attr(&self, e: &El, name: &str) -> Option<String> {
        self.call("GET", &format!("/element/{}/attribute/{name}", e.0), None)
            .unwrap()
            .as_str()
            .map(str::to_string)
    }

    fn click(&self, e: &El) {
        self.call("POST", &format!("/element/{}/click", e.0), None)
            .unwrap();
    }

    fn type_in(&self, e: &El, text: &str) {
        self.call(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(serde_json::json!({ "text": text })),
        )
        .unwrap();
    }

    fn set_window_size(&self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            Some(serde_json::json!({ "width": width, "height": height })),
        )
        .unwrap();
    }

    /// Saves the whole page (the window grown to the page's height first).
    fn screenshot(&self, name: &str) {
        let height = self
            .js("return Math.min(document.documentElement.scrollHeight, 4000);")
            .as_f64()
            .unwrap_or(1400.0) as u32;
        self.set_window_size(1280, height.max(800) + 120);
        let png = self.call("GET", "/screenshot", None).unwrap();
        std::fs::write(shots().join(name), base64_decode(png.as_str().unwrap())).unwrap();
        self.set_window_size(1280, 1400);
    }

    /// Ends the session: chromedriver closes the browser.
    fn close(self) {
        let _ = self.call("DELETE", "", None);
    }
}

fn shots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/explorer");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= (val(*c) as u32) << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}

#[test]
fn a_reader_searches_opens_an_entity_follows_a_claim_and_runs_a_saved_query() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_articles(dir.path());
    let server = Server::start(&store, &["--quiet"]);
    let driver = chromedriver();
    let c = Browser::start(&driver);

    // Home: right to left, in Arabic.
    c.goto(&server.url("/"));
    c.wait_for("#top-entities a.entity");
    assert_eq!(c.js("return document.documentElement.dir"), "rtl");
    assert_eq!(
        c.js("return getComputedStyle(document.body).direction"),
        "rtl"
    );
    c.screenshot("home.png");

    // Search in English finds the Arabic entity; so does a search in Arabic.
    c.goto(&server.url("/search?q=Araghchi"));
    let first = c.wait_for("#results li a.entity");
    assert_eq!(c.text(&first), "عباس عراقجي");
    c.goto(&server.url("/"));
    let q = c.wait_for("#q");
    c.type_in(&q, "عراقجي");
    c.click(&c.wait_for("form.search button"));
    let first = c.wait_for("#results li a.entity");
    assert!(
        c.current_url().contains("/search?q="),
        "{}",
        c.current_url()
    );
    assert_eq!(c.text(&first), "عباس عراقجي");
    c.screenshot("search.png");

    // The entity page: names by outlet, claims, events, the network.
    c.click(&first);
    let label = c.wait_for("#entity-label");
    assert_eq!(c.text(&label), "عباس عراقجي");
    assert!(c.count("#names tbody tr") >= 1, "names by outlet");
    assert!(c.count("#claims li.claim") >= 2, "what he said");
    assert!(c.count("#network svg a.node") >= 1, "who is with him");
    let quote = c.wait_for("#claims li.claim blockquote");
    assert!(!c.text(&quote).is_empty());
    c.screenshot("entity.png");

    // Follow a claim to its article: the claim is there, marked.
    // The claim made during the phone call, the article with an event.
    let at = c.js("return Array.from(document.querySelectorAll('#claims li.claim')).findIndex(function (li) { return li.querySelector('blockquote').textContent.indexOf('أمن الحدود') >= 0; });");
    let at = at.as_u64().expect("the claim about the borders is listed") as usize;
    let link = c.find_all("#claims li.claim a.article")[at].clone();
    let href = c.attr(&link, "href").unwrap();
    assert!(href.contains("#claim-"), "{href}");
    c.click(&link);
    c.wait_for("#headline");
    let url = c.current_url();
    let fragment = url.split('#').nth(1).unwrap_or("").to_string();
    assert!(fragment.starts_with("claim-"), "{url}");
    assert_eq!(
        c.count(&format!("#body #{fragment}.claim")),
        1,
        "the claim, underlined in the body"
    );
    // Mentions highlighted and linked, claims underlined with a speaker,
    // triggers marked; the highlighted words are the names themselves.
    let mentions = c.find_all("#body a.mention");
    assert!(mentions.len() >= 3, "{} mentions", mentions.len());
    let mut names = Vec::new();
    for m in &mentions {
        names.push(c.text(m));
        assert!(c.attr(m, "href").unwrap().starts_with("/entity?iri="));
    }
    assert!(names.iter().any(|n| n.contains("عراقجي")), "{names:?}");
    assert!(c.count("#body span.claim") >= 1);
    assert!(c.count("#body sup.speaker") >= 1);
    assert!(c.count("#body mark.trigger") >= 1);
    // The body shown is the stored body, character for character.
    let shown = c.js("var b = document.getElementById('body').cloneNode(true); b.querySelectorAll('sup').forEach(function (s) { s.remove(); }); return b.textContent;");
    let iri = url
        .split("iri=")
        .nth(1)
        .and_then(|v| v.split('#').next())
        .map(percent_decode)
        .unwrap();
    let (_, _, json) = read(
        agent()
            .get(&server.url("/query"))
            .query(
                "query",
                format!("SELECT ?b WHERE {{ GRAPH <{iri}> {{ <{iri}> schema:articleBody ?b }} }}"),
            )
            .call()
            .unwrap(),
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let stored = json["results"]["bindings"][0]["b"]["value"]
        .as_str()
        .unwrap();
    assert_eq!(shown.as_str().unwrap(), stored);
    c.screenshot("article.png");

    // A saved query, run from the query page; its rows link back.
    c.goto(&server.url("/queries"));
    let option = c.wait_for("#saved option[value='claims_by_speaker']");
    c.click(&option);
    let text = c.js("return document.getElementById('sparql').value");
    assert!(text.as_str().unwrap().contains("isn:speaker"), "{text}");
    c.click(&c.wait_for("#run"));
    c.wait_for("#result-table tbody tr");
    assert!(c.count("#result-table tbody tr") >= 4);
    assert!(c.count("#result-table a[href^='/entity?iri=']") >= 1);
    assert!(c.count("#result-table a[href^='/article?iri=']") >= 1);
    let csv = c.attr(&c.wait_for("#dl-csv"), "href").unwrap();
    assert!(csv.starts_with("/query?format=csv&query="), "{csv}");
    c.screenshot("queries.png");

    c.close();
}

#[test]
fn a_hostile_article_runs_no_script_and_shows_its_text_literally() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let out = isnad(&store, &["--quiet", "ingest", SEED, XSS]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Server::start(&store, &["--quiet"]);
    let article = {
        let (_, _, body) = read(
            agent()
                .get(&server.url("/query"))
                .query(
                    "query",
                    "SELECT ?a WHERE { ?a schema:identifier \"serve-xss\" }",
                )
                .query("format", "csv")
                .call()
                .unwrap(),
        );
        body.lines()
            .nth(1)
            .expect("the hostile article is stored")
            .trim()
            .to_string()
    };
    let driver = chromedriver();
    let c = Browser::start(&driver);
    let pages = [
        format!("/article?iri={}", percent_encode(&article)),
        "/".to_string(),
        "/entity?iri=https%3A%2F%2Fw3id.org%2Fisnad%2Fid%2Fperson%2Faraghchi".to_string(),
        format!(
            "/search?q={}",
            percent_encode(
                "<script>window.__pwned=1</script>\"><img src=x onerror=window.__pwned=1>"
            )
        ),
        "/queries".to_string(),
    ];
    for (i, page) in pages.iter().enumerate() {
        c.goto(&server.url(page));
        c.wait_for("main");
        if page == "/queries" {
            // Results drawn by the page's script: headline, body, publisher, URL.
            c.js("document.getElementById('sparql').value = 'SELECT ?h ?b ?p ?u WHERE { ?a schema:identifier \"serve-xss\" ; schema:headline ?h ; schema:articleBody ?b ; schema:publisher ?p ; schema:url ?u }'; document.getElementById('run').click(); return 1;");
            c.wait_for("#result-table tbody tr");
            let cells = c.js("return document.getElementById('result-table').textContent");
            assert!(
                cells
                    .as_str()
                    .unwrap()
                    .contains("<script>window.__pwned=1;"),
                "{cells}"
            );
        }
        // Give any planted handler a moment to fire.
        std::thread::sleep(Duration::from_millis(300));
        let state = c.js(
            "return [typeof window.__pwned, document.title, document.querySelectorAll('script').length, document.querySelectorAll('img').length, document.querySelectorAll('[onerror], [onload], a[href^=\"javascript\" i]').length];",
        );
        assert_eq!(state[0], "undefined", "a script ran on {page}: {state}");
        assert_ne!(state[1], "pwned", "{page}: {state}");
        assert_eq!(
            state[2], 1,
            "only the explorer's own script on {page}: {state}"
        );
        assert_eq!(state[3], 0, "no planted image on {page}: {state}");
        assert_eq!(
            state[4], 0,
            "no planted handler or javascript: link on {page}: {state}"
        );
        if i == 0 {
            // The text is shown as written, markup and all.
            let headline = c.text(&c.wait_for("#headline"));
            assert!(
                headline.contains("<script>window.__pwned=1;document.title='pwned'</script>"),
                "{headline}"
            );
            assert!(
                headline.contains("\"><img src=x onerror=window.__pwned=1>"),
                "{headline}"
            );
            let body = c.text(&c.wait_for("#body"));
            assert!(body.contains("<script>window.__pwned=1</script>"), "{body}");
            assert!(
                body.contains("<a href='javascript:alert(1)'>رابط</a>"),
                "{body}"
            );
            // The quote, in the list of claims, as written.
            let claims = c.text(&c.wait_for("#article-claims"));
            assert!(
                claims.contains("الرسالة <script>window.__pwned=1</script> وصلت إلى <img src=x onerror=window.__pwned=1> الجميع"),
                "{claims}"
            );
            assert!(
                c.count("#body span.claim") >= 1,
                "the hostile quote is underlined"
            );
            // The javascript: URL is not a link.
            assert_eq!(c.count("a.ext"), 0);
            c.screenshot("xss-article.png");
        }
        if i == 2 {
            // The speaker's page quotes it, as written.
            let claims = c.text(&c.wait_for("#claims"));
            assert!(
                claims.contains("<script>window.__pwned=1</script>"),
                "{claims}"
            );
        }
    }
    c.close();
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}
