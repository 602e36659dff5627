"""Open every page of the built book in headless Chromium with the network blocked.

Fails on a console error, an uncaught exception, a request outside the build, a broken image,
a broken internal link, or math that MathJax left untypeset. Saves a screenshot of every page
to ``_build/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from urllib.parse import urldefrag, urlparse

import pytest

from tests.book.conftest import ROOT, chromium_path

SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"]


def require_browser():
    """Skip without Chromium or Playwright -- unless AUTOGRADER_REQUIRE_BROWSER=1 (CI sets it)."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package")
    if chromium_path() is None:
        missing.append("Chromium (apt-get install chromium)")
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if os.environ.get("AUTOGRADER_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (AUTOGRADER_REQUIRE_BROWSER=1)")
        pytest.skip(message)


@pytest.fixture(scope="module")
def server(built_book):
    """Serve the build on 127.0.0.1 (loopback only), so pages load as they would from a web host."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


CHECK_PAGE = """async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
    const images = [...document.images].filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src);
    const untypeset = [...document.querySelectorAll('.math')].filter(el => !el.querySelector('mjx-container'))
        .map(el => el.textContent.slice(0, 60));
    const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
    const ids = [...document.querySelectorAll('[id]')].map(el => el.id);
    return {images, untypeset, links, ids, mathCount: document.querySelectorAll('mjx-container').length};
}"""


def test_every_page_renders_offline(built_book, server):
    require_browser()
    from playwright.sync_api import sync_playwright

    pages = sorted(p.relative_to(built_book).as_posix() for p in built_book.rglob("*.html")
                   if "_static" not in p.parts and "_sources" not in p.parts)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems, blocked, anchors, links = [], [], {}, set()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})

        def route(r):
            if r.request.url.startswith(server) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and problems.append(f"{page.url}: console: {msg.text}"))
        page.on("pageerror", lambda err: problems.append(f"{page.url}: uncaught: {err}"))
        for name in pages:
            response = page.goto(server + name, wait_until="load")
            assert response is not None and response.ok, f"{name}: HTTP {response and response.status}"
            result = page.evaluate(CHECK_PAGE)
            problems += [f"{name}: broken image {src}" for src in result["images"]]
            problems += [f"{name}: untypeset math {text!r}" for text in result["untypeset"]]
            anchors[name] = set(result["ids"])
            links.update((name, link) for link in result["links"])
            page.screenshot(path=str(SCREENSHOTS / (name.replace("/", "__") + ".png")), full_page=False)
        browser.close()

    for name, link in sorted(links):
        target, fragment = urldefrag(link)
        if not target.startswith(server):
            if urlparse(target).scheme in ("http", "https"):
                continue  # an external link in the text (a citation): fine to show, never fetched here
            continue
        path = target[len(server):] or "index.html"
        if path.endswith("/"):
            path += "index.html"
        if not (built_book / path).is_file():
            problems.append(f"{name}: broken link to {path}")
        elif fragment and path in anchors and fragment not in anchors[path]:
            problems.append(f"{name}: link to missing anchor {path}#{fragment}")
    problems += [f"request outside the build (blocked): {url}" for url in sorted(set(blocked))]
    assert not problems, "\n".join(problems[:60])


# the term tables: those whose second column is the Chinese term (not the notation table)
TERM_ROWS = """[...document.querySelectorAll('section#glossary table')]
    .filter(t => ((t.querySelector('thead th:nth-child(2)') || {}).textContent || '').trim() === '中文术语')
    .flatMap(t => [...t.querySelectorAll('tbody tr')])"""
GLOSSARY_WRAPS = """() => """ + TERM_ROWS + """.map(tr => {
    const cell = tr.children[1];
    const lineHeight = parseFloat(getComputedStyle(cell).lineHeight) || 24;
    const range = document.createRange();
    range.selectNodeContents(cell);
    return {text: cell.textContent.trim(), lines: Math.round(range.getBoundingClientRect().height / lineHeight)};
}).filter(row => row.lines > 1)"""


def test_glossary_chinese_terms_never_wrap_on_a_phone(built_book, server):
    """On a 390-pixel-wide screen, every 中文术语 still reads as one unit on one line."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort())
        page.goto(server + "glossary.html", wait_until="load")
        wrapped = page.evaluate(GLOSSARY_WRAPS)
        rows = page.evaluate("() => " + TERM_ROWS + ".length")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "glossary-phone.png"), full_page=False)
        browser.close()
    assert rows > 50, "the glossary tables were not found"
    assert not wrapped, f"Chinese terms broken across lines: {wrapped[:5]}"
