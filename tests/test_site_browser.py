"""Headless-Chromium test of the offline site (tools/build_site.py).

Skipped unless ``CRMLAB_BROWSER_TEST=1`` (it needs Debian's ``chromium`` and builds the
site, so it is not part of the fast suite). Run it with::

    CRMLAB_BROWSER_TEST=1 .venv/bin/python -m pytest -p no:xdist tests/test_site_browser.py

Optional: ``CRMLAB_SITE_DIR=build/site`` tests an already built site instead of building
one into a temporary folder; ``CRMLAB_SCREENSHOT_DIR=/tmp/shots`` keeps the screenshots;
``CHROMIUM=/path/to/chrome`` picks the browser.

What it checks, over ``http://127.0.0.1:<port>/`` (Python's http.server) and ``file://``:
every page reachable from ``index.html`` by links loads without a JavaScript error or a
failed local request, the sidebar navigation is present, every ``<img>`` is decoded
(``naturalWidth > 0``), every formula is typeset by the local MathJax, every page of the
site is reached by following links, search finds pages, and no request goes anywhere but
the local server or the local disk (Chrome DevTools Protocol ``Network`` events, via the
``websocket-client`` package that ``jupyter_server`` already depends on).
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    os.environ.get("CRMLAB_BROWSER_TEST") != "1",
    reason="browser test: set CRMLAB_BROWSER_TEST=1 (needs Debian's chromium)",
)

CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
    "--window-size=1280,900",
    "--remote-debugging-port=0",
    # file:// pages may read other local files (Sphinx's search loads searchindex.js that way)
    "--allow-file-access-from-files",
]
LOCAL_SCHEMES = ("data:", "blob:", "about:", "chrome:", "chrome-error:", "devtools:")
PAGE_TIMEOUT = 30.0


def _chromium() -> str:
    for cand in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if cand and shutil.which(cand):
            return shutil.which(cand)  # type: ignore[return-value]
    pytest.fail("CRMLAB_BROWSER_TEST=1 but no chromium found: apt-get install -y chromium")


# --------------------------------------------------------------------------- CDP client


class CDP:
    """Minimal Chrome DevTools Protocol client over one page's websocket."""

    def __init__(self, ws_url: str) -> None:
        import websocket  # websocket-client, a dependency of jupyter_server

        self.ws = websocket.create_connection(ws_url, timeout=PAGE_TIMEOUT, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, **params) -> dict:
        self.next_id += 1
        msg_id = self.next_id
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        deadline = time.monotonic() + PAGE_TIMEOUT
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)
        raise TimeoutError(method)

    def wait_event(self, method: str, timeout: float = PAGE_TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        for i, ev in enumerate(self.events):
            if ev["method"] == method:
                return self.events.pop(i)
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            msg = json.loads(self.ws.recv())
            if msg.get("method") == method:
                return msg
            if "method" in msg:
                self.events.append(msg)
        raise TimeoutError(method)

    def evaluate(self, expression: str):
        res = self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in res:
            raise RuntimeError(f"JS error: {res['exceptionDetails']}")
        return res["result"].get("value")

    def close(self) -> None:
        self.ws.close()



def _stop(proc: subprocess.Popen, timeout: float) -> None:
    """Terminate a helper process; kill it if it does not exit within ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()

@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    given = os.environ.get("CRMLAB_SITE_DIR")
    if given:
        path = Path(given).resolve()
        assert (path / "index.html").is_file(), f"CRMLAB_SITE_DIR={given} has no index.html"
        return path
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_site
    finally:
        sys.path.pop(0)
    out = tmp_path_factory.mktemp("site") / "site"
    t0 = time.perf_counter()
    build_site.build(ROOT, out, quiet=True)
    print(f"site built in {time.perf_counter() - t0:.1f} s")
    return out


@pytest.fixture(scope="module")
def server(site_dir):
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory) -> Path:
    given = os.environ.get("CRMLAB_SCREENSHOT_DIR")
    path = Path(given) if given else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    proc = subprocess.Popen(
        [_chromium(), *CHROME_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + PAGE_TIMEOUT
        while not (port_file.is_file() and port_file.read_text().strip()):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("chromium did not start (no DevToolsActivePort)")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            pages = [t for t in json.load(r) if t["type"] == "page"]
        cdp = CDP(pages[0]["webSocketDebuggerUrl"])
        cdp.send("Network.enable")
        cdp.send("Page.enable")
        cdp.send("Runtime.enable")
        cdp.send("Network.setCacheDisabled", cacheDisabled=True)
        yield cdp
        cdp.close()
    finally:
        _stop(proc, 10)


# --------------------------------------------------------------------------- crawling

READY = """!window.__crmlabOldPage && document.readyState === 'complete' && !!document.body
  && !document.querySelector('meta[http-equiv="refresh" i]')"""
PAGE_PROBE = """
(async () => {
  CUT_WIDE_FUNCTION
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const imgs = [...document.images].filter(i => !i.closest('.pst-navbar-icon, .navbar-brand'));
  await Promise.all(imgs.map(i => i.decode().catch(() => null)));
  return {
    title: document.title,
    location: location.href,
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    navLinks: document.querySelectorAll('nav.bd-links a, #bd-docs-nav a').length,
    stylesheets: document.styleSheets.length,
    images: imgs.map(i => ({src: i.currentSrc || i.src, w: i.naturalWidth, h: i.naturalHeight})),
    math: document.querySelectorAll('.math').length,
    mathTypeset: document.querySelectorAll('.math mjx-container').length,
    mathErrors: document.querySelectorAll('mjx-merror').length,
    bodyText: document.body.innerText.length,
    cutWide: cutWide(),
  };
})()
"""
# Tables, display formulas and code blocks wider than the text column must scroll inside a
# box of their own (overflow-x auto/scroll) that fits the column, never stick out or be cut.
CUT_WIDE_JS = """
function cutWide() {
  const col = document.querySelector('.bd-article') || document.querySelector('main') || document.body;
  const right = col.getBoundingClientRect().right + 1;
  const out = [];
  for (const el of col.querySelectorAll('table, mjx-container[display="true"], pre')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (r.right <= right && el.scrollWidth <= el.clientWidth + 1)) continue;
    let box = el, ok = false;
    while (box && box !== col.parentElement) {
      const s = getComputedStyle(box);
      if (/(auto|scroll)/.test(s.overflowX) && box.getBoundingClientRect().right <= right) { ok = true; break; }
      box = box.parentElement;
    }
    if (!ok) out.push(el.tagName.toLowerCase() + ': ' + (el.textContent || '').trim().slice(0, 50));
  }
  return out;
}
"""


PAGE_PROBE = PAGE_PROBE.replace("CUT_WIDE_FUNCTION", CUT_WIDE_JS)


def _page_key(url: str) -> str:
    """Drop the fragment and query: one page, one visit."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _is_local(url: str, base: str) -> bool:
    if url.startswith(LOCAL_SCHEMES):
        return True
    if base.startswith("file:"):
        return url.startswith("file:")
    return url.startswith(base)


def _load(cdp: CDP, url: str) -> tuple[dict, list[dict]]:
    """Navigate to *url*, wait for load and MathJax; return the probe and the events."""
    cdp.evaluate("window.__crmlabOldPage = true")  # the new document will not have it
    cdp.events.clear()
    cdp.send("Page.navigate", url=url)
    cdp.wait_event("Page.loadEventFired")
    # wait for the new document (the old one may still answer right after the load event)
    deadline = time.monotonic() + PAGE_TIMEOUT
    while not cdp.evaluate(READY):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not finish loading")
        time.sleep(0.1)
    probe = cdp.evaluate(PAGE_PROBE)
    time.sleep(0.05)  # let late events (lazy MathJax pieces) arrive
    cdp.evaluate("1")
    return probe, list(cdp.events)


def crawl(cdp: CDP, base: str, start: tuple[str, ...] = ("index.html", "genindex.html")) -> dict:
    """Visit every page reachable from *start* by links inside *base*.

    The index and search pages are not linked from the pages (search is a form), so the
    index is a start page of its own and search is checked by ``test_search_finds_pages``.
    """
    todo = [_page_key(urllib.parse.urljoin(base, s)) for s in start]
    seen: set[str] = set(todo)
    pages: dict[str, dict] = {}
    requests: list[str] = []
    problems: list[str] = []
    slide_links: set[str] = set()
    while todo:
        url = todo.pop(0)
        probe, events = _load(cdp, url)
        pages[url] = probe
        final = _page_key(probe["location"])
        if final != url:  # a redirect: the target counts as visited
            seen.add(final)
            pages[final] = probe
        for ev in events:
            method, params = ev["method"], ev.get("params", {})
            if method == "Network.requestWillBeSent":
                requests.append(params["request"]["url"])
            elif method == "Network.responseReceived":
                status = params["response"].get("status", 0)
                if status >= 400:
                    problems.append(f"{url}: HTTP {status} for {params['response']['url']}")
            elif method == "Network.loadingFailed" and not params.get("canceled"):
                problems.append(f"{url}: request failed: {params.get('errorText')}")
            elif method == "Runtime.exceptionThrown":
                det = params["exceptionDetails"]
                what = det.get("exception", {}).get("description") or det.get("text")
                problems.append(f"{url}: JS exception at {det.get('url')}:{det.get('lineNumber')}: {what}")
        for link in probe["links"]:
            key = _page_key(link)
            if key in seen or not _is_local(key, base) or key.startswith(LOCAL_SCHEMES):
                continue
            if not key.endswith((".html", "/")):
                continue  # downloads (.ipynb, .png) are not pages
            if key[len(base):].startswith("slides/"):
                slide_links.add(key)  # reveal.js decks: test_slides_offline
                continue
            seen.add(key)
            todo.append(key)
    return {"pages": pages, "requests": requests, "problems": problems,
            "slide_links": sorted(slide_links)}


def _screenshot(cdp: CDP, url: str, path: Path, focus: str | None = None) -> None:
    """Viewport screenshot of *url*, scrolled to the first element matching *focus*."""
    _load(cdp, url)
    if focus:
        cdp.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(focus)});"
            " if (e) e.scrollIntoView({block: 'center'}); })()"
        )
        time.sleep(0.3)
    data = cdp.send("Page.captureScreenshot", format="png")["data"]
    path.write_bytes(base64.b64decode(data))


def _site_pages(site_dir: Path) -> set[str]:
    return {
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*.html")
        if not p.relative_to(site_dir).parts[0].startswith("_")
        and p.relative_to(site_dir).parts[0] != "slides"
    } - {"search.html"}


def _check_crawl(result: dict, base: str, site_dir: Path) -> None:
    pages = result["pages"]
    assert not result["problems"], "\n".join(result["problems"])
    leaving = sorted({u for u in result["requests"] if not _is_local(u, base)})
    assert not leaving, f"requests leaving the machine: {leaving}"
    reached = {urllib.parse.unquote(u[len(base):]) for u in pages}
    missing = _site_pages(site_dir) - reached
    assert not missing, f"pages not reachable by links from index.html: {sorted(missing)}"
    n_images = 0
    for url, probe in pages.items():
        assert probe["stylesheets"] >= 3, f"{url}: styles not loaded"
        assert probe["bodyText"] > 0, f"{url}: empty page"
        if not url.endswith(("genindex.html", "search.html")):
            assert probe["navLinks"] > 0, f"{url}: no sidebar navigation"
        for img in probe["images"]:
            n_images += 1
            assert img["w"] > 0 and img["h"] > 0, f"{url}: image not shown: {img['src']}"
        assert probe["mathTypeset"] == probe["math"], (
            f"{url}: {probe['math'] - probe['mathTypeset']} formulas not typeset by MathJax"
        )
        assert probe["mathErrors"] == 0, f"{url}: MathJax errors"
        assert not probe["cutWide"], f"{url}: wide content cut off instead of scrolling: " \
            f"{probe['cutWide']}"
    notebooks = [u for u in pages if "/notebooks/" in u]
    assert notebooks, "no notebook page reached"
    if (site_dir / "slides").is_dir():
        assert result["slide_links"], "site has slides/ but no page links to them"
    for link in result["slide_links"]:
        rel = urllib.parse.unquote(link[len(base):])
        assert (site_dir / rel).is_file(), f"home page links to missing slides {rel}"
    assert n_images > 0, "no plot image on any page"


# --------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def http_crawl(browser, server):
    t0 = time.perf_counter()
    result = crawl(browser, server)
    result["seconds"] = time.perf_counter() - t0
    return result


def test_every_page_over_localhost(http_crawl, server, site_dir):
    _check_crawl(http_crawl, server, site_dir)
    print(f"{len(http_crawl['pages'])} pages over http in {http_crawl['seconds']:.1f} s")


def test_every_page_from_file_urls(browser, site_dir):
    base = site_dir.as_uri() + "/"
    result = crawl(browser, base)
    _check_crawl(result, base, site_dir)


def _display_formulas(notebook: Path) -> int:
    """``$$ … $$`` blocks in a notebook's Markdown cells: each becomes at least one formula."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return len(re.findall(r"\$\$.+?\$\$", text, flags=re.S))


def test_display_formula_count_on_a_known_page():
    assert _display_formulas(ROOT / "notebooks" / "01_customer_lifecycle.ipynb") >= 3


def test_math_is_rendered_somewhere(http_crawl):
    """The chapters are full of formulas: every chapter page must show MathJax output for at
    least as many formulas as its notebook has display blocks (``$$ … $$``), so a site where
    formulas stay raw TeX, lose their ``.math`` wrapper or are not typeset fails here."""
    typeset = {u: p["mathTypeset"] for u, p in http_crawl["pages"].items() if p["mathTypeset"]}
    assert sum(typeset.values()) >= 50, f"only {sum(typeset.values())} formulas typeset: {typeset}"
    short = []
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        expected = _display_formulas(nb)
        if expected == 0:
            continue
        pages = [p for u, p in http_crawl["pages"].items()
                 if "/notebooks/" in u and urllib.parse.urlparse(u).path.endswith(f"/{nb.stem}.html")]
        assert pages, f"no page for {nb.name} in the crawl"
        got = max(p["mathTypeset"] for p in pages)
        if got < expected:
            short.append(f"{nb.stem}: {got} formulas typeset, the notebook has {expected} display blocks")
    assert not short, "formulas not rendered:\n" + "\n".join(short)


def test_navigation_next_link_goes_to_next_page(browser, server):
    probe, _ = _load(browser, server + "intro.html")
    nxt = browser.evaluate(
        "(() => { const a = document.querySelector('a.right-next'); return a && a.href; })()"
    )
    assert nxt, "intro page has no 'next' link"
    browser.evaluate("document.querySelector('a.right-next').click()")
    browser.wait_event("Page.loadEventFired")
    assert _page_key(browser.evaluate("location.href")) == _page_key(nxt)


@pytest.mark.parametrize("query", ["customer", "客户"])
def test_search_finds_pages(browser, server, query):
    """English and Chinese terms are both found (Chinese needs jieba at build time)."""
    if not query.isascii():
        pytest.importorskip("jieba", reason="Chinese search index needs jieba")
    _load(browser, server + "search.html?q=" + urllib.parse.quote(query))
    deadline = time.monotonic() + PAGE_TIMEOUT
    hits = 0
    while time.monotonic() < deadline:
        hits = browser.evaluate("document.querySelectorAll('#search-results li').length")
        if hits:
            break
        time.sleep(0.2)
    assert hits > 0, f"search for {query!r} found nothing"


def test_screenshots(browser, server, http_crawl, screenshot_dir):
    """Screenshots to look at: intro, a notebook with a plot, a lesson, search results."""
    shots = {"intro": server + "intro.html", "search": server + "search.html?q=customer"}
    focus = {"notebook": "main img", "math": "main .math"}
    for url, probe in http_crawl["pages"].items():
        if "/notebooks/" in url and probe["images"] and "notebook" not in shots:
            shots["notebook"] = url
        if "/lessons/" in url and "/exercises/" not in url and "lesson" not in shots:
            shots["lesson"] = url
        if "/notebooks/" in url and probe["mathTypeset"] and "math" not in shots:
            shots["math"] = url
    for name, url in shots.items():
        path = screenshot_dir / f"site_{name}.png"
        _screenshot(browser, url, path, focus=focus.get(name))
        assert path.stat().st_size > 10_000, f"{path}: screenshot looks blank"
    print(f"screenshots in {screenshot_dir}")


# --------------------------------------------------------------------------- slides

SLIDES_PROBE = """
(async () => {
  const t0 = Date.now();
  while (!document.querySelector('.reveal.ready') && Date.now() - t0 < 20000) {
    await new Promise(r => setTimeout(r, 100));
  }
  // nbconvert loads reveal.js as a RequireJS module: fetch the same instance
  window.Reveal = await new Promise(r => require(["_assets/reveal.js/dist/reveal.js"], r));
  if (window.MathJax && MathJax.Hub) {
    await new Promise(r => MathJax.Hub.Queue(r));
  }
  const imgs = [...document.images];
  await Promise.all(imgs.map(i => i.decode().catch(() => null)));
  // every slide in turn: its content must fit the 1280x720 canvas
  const cfg = Reveal.getConfig();
  const sizes = [];
  for (const s of Reveal.getSlides()) {
    const i = Reveal.getIndices(s);
    Reveal.slide(i.h, i.v);
    await new Promise(r => setTimeout(r, 20));
    if (window.MathJax && MathJax.Hub) await new Promise(r => MathJax.Hub.Queue(r));
    const head = s.querySelector('h1, h2, h3');
    sizes.push({h: i.h, v: i.v, height: s.scrollHeight, width: s.scrollWidth,
                title: head ? head.textContent.slice(0, 60) : '', plot: !!s.querySelector('img')});
  }
  Reveal.slide(0, 0);
  return {
    ready: !!(window.Reveal && Reveal.isReady()),
    slides: window.Reveal ? Reveal.getTotalSlides() : 0,
    width: cfg.width, height: cfg.height, sizes: sizes,
    notes: document.querySelectorAll('aside.notes').length,
    images: imgs.map(i => ({w: i.naturalWidth, h: i.naturalHeight})),
    mathJax: !!(window.MathJax && MathJax.Hub),
    mathErrors: document.querySelectorAll('.MathJax_Error, mjx-merror').length,
  };
})()
"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """Lecture decks of every chapter (tools/build_slides.py defaults)."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_slides
    finally:
        sys.path.pop(0)
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert notebooks, "no chapter notebook to turn into slides"
    return build_slides.build_slides(notebooks, tmp_path_factory.mktemp("slides"), quiet=True)


def _open_deck(browser, html: Path) -> tuple[dict, list[dict]]:
    browser.events.clear()
    browser.send("Page.navigate", url=html.as_uri())
    browser.wait_event("Page.loadEventFired")
    probe = browser.evaluate(SLIDES_PROBE)
    browser.evaluate("1")
    return probe, list(browser.events)


def test_slides_offline_and_fit_1280x720(browser, decks, screenshot_dir):
    """Every lecture deck opens from file:// with reveal.js, plots, MathJax and speaker
    notes, loads nothing from the network, and no slide is taller or wider than 1280x720.
    One screenshot per chapter (``slides_NN.png``: the first slide with a plot)."""
    overflow = []
    browser.send("Emulation.setDeviceMetricsOverride", width=1280, height=720,
                 deviceScaleFactor=1, mobile=False)
    try:
        for html in decks:
            probe, events = _open_deck(browser, html)
            requests = [e["params"]["request"]["url"] for e in events
                        if e["method"] == "Network.requestWillBeSent"]
            by_id = {e["params"]["requestId"]: e["params"]["request"]["url"] for e in events
                     if e["method"] == "Network.requestWillBeSent"}
            failed = [f"{by_id.get(e['params']['requestId'])}: {e['params'].get('errorText')}"
                      for e in events if e["method"] == "Network.loadingFailed"]
            errors = [e["params"]["exceptionDetails"] for e in events
                      if e["method"] == "Runtime.exceptionThrown"]
            leaving = [u for u in requests if not u.startswith(("file:",) + LOCAL_SCHEMES)]
            assert not leaving, f"{html.name} loads from the network: {leaving}"
            assert not failed, f"{html.name}: failed requests: {failed}"
            assert not errors, f"{html.name}: JavaScript errors: {errors}"
            assert probe["ready"] and probe["slides"] > 5, (html.name, probe["slides"])
            assert (probe["width"], probe["height"]) == (1280, 720)
            assert probe["mathJax"] and probe["mathErrors"] == 0, html.name
            assert probe["notes"] >= 3, f"{html.name}: {probe['notes']} slides with speaker notes"
            assert all(i["w"] > 0 for i in probe["images"]), (html.name, probe["images"])
            overflow += [f"{html.name} slide {s['h']}.{s['v']} ({s['title']!r}): "
                         f"{s['width']}x{s['height']}" for s in probe["sizes"]
                         if s["height"] > probe["height"] or s["width"] > probe["width"]]
            shot = next((s for s in probe["sizes"] if s["plot"]), probe["sizes"][0])
            browser.evaluate(f"Reveal.slide({shot['h']}, {shot['v']})")
            time.sleep(0.5)
            data = browser.send("Page.captureScreenshot", format="png")["data"]
            (screenshot_dir / f"slides_{html.name[:2]}.png").write_bytes(base64.b64decode(data))
    finally:
        browser.send("Emulation.clearDeviceMetricsOverride")
    assert not overflow, "slides taller or wider than 1280x720:\n  " + "\n  ".join(overflow)


def test_rise_shows_the_same_deck(screenshot_dir, browser, tmp_path):
    """RISE (Alt+R in JupyterLab) follows the same cell metadata as the lecture decks: its
    reveal.js page of each chapter has one section per ``#``/``##`` slide and the same
    number of slides as tools/slide_structure.py gives."""
    pytest.importorskip("jupyterlab_rise", reason="RISE not installed (site extra)")
    import socket

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import slide_structure
    finally:
        sys.path.pop(0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    jupyter = Path(sys.executable).with_name("jupyter")
    cmd = [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.open_browser=False",
           f"--notebook-dir={ROOT}", "--LabApp.news_url=None", "--allow-root"]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/api/status", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("jupyter lab did not start")
                time.sleep(0.5)
        count = ("({top: document.querySelectorAll('.reveal .slides > section').length,"
                 " leaves: [...document.querySelectorAll('.reveal .slides section')]"
                 ".filter(s => !s.querySelector('section')).length,"
                 " ready: !!document.querySelector('.reveal.ready')})")
        for nb_path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            nb = json.loads(nb_path.read_text(encoding="utf-8"))
            browser.events.clear()
            browser.send("Page.navigate", url=f"{base}/rise/notebooks/{nb_path.name}")
            browser.wait_event("Page.loadEventFired")
            deadline = time.monotonic() + 60
            want = len(slide_structure.slides(nb, lecture=False))
            while True:
                got = browser.evaluate(count)
                if got["ready"] and got["leaves"] >= want or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            assert got["top"] == len(slide_structure.slide_titles(nb)) > 1, (nb_path.name, got)
            assert got["leaves"] == want, (nb_path.name, got, want)
        data = browser.send("Page.captureScreenshot", format="png")["data"]
        (screenshot_dir / "rise_last_chapter.png").write_bytes(base64.b64decode(data))
        browser.send("Page.navigate", url="about:blank")
        browser.wait_event("Page.loadEventFired")
    finally:
        _stop(server, 20)
