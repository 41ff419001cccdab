"""Code shared by tools/build_site.py and tools/build_slides.py.

The repository root, the offline front-end assets (``npm ci`` into ``node_modules/``), the
Markdown link rewriting (links to repository files that are not pages become plain text)
and the checks that nothing would be loaded from the network. tools/ is not a package:
both scripts put their own folder on ``sys.path`` and ``import _common``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

NODE_MODULES = ROOT / "node_modules"

# Files the build needs from node_modules (checked before deciding to run `npm ci`).
REQUIRED_ASSETS = (
    "mathjax/es5/tex-mml-chtml.js",
    "mathjax2/MathJax.js",
    "reveal.js/dist/reveal.js",
    "requirejs/require.js",
    "jquery/dist/jquery.min.js",
)
# What of MathJax 3 the site serves: the combined TeX+MathML/CHTML component plus the pieces
# it loads on demand (TeX extensions, CHTML fonts, the context menu and accessibility code).

# [text](target) and ![alt](target); target without spaces, optional "title".
LINK_RE = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(\s+\"[^\"]*\")?\s*\)")
URL_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")

class SiteBuildError(RuntimeError):
    """The site could not be built (message says why and what to do)."""


# --------------------------------------------------------------------------- assets


def ensure_node_modules(root: Path = ROOT, *, quiet: bool = False) -> Path:
    """Install the pinned npm assets with ``npm ci`` unless they are already present.

    Returns the ``node_modules`` folder. ``npm ci`` is run only when a required file is
    missing or ``package-lock.json`` is newer than the installed tree, so repeated builds
    are offline.
    """
    node_modules = root / "node_modules"
    lock = root / "package-lock.json"
    installed_lock = node_modules / ".package-lock.json"
    missing = [p for p in REQUIRED_ASSETS if not (node_modules / p).is_file()]
    stale = (
        lock.is_file()
        and installed_lock.is_file()
        and lock.stat().st_mtime > installed_lock.stat().st_mtime
    )
    if not missing and not stale:
        return node_modules
    npm = shutil.which("npm")
    if npm is None:
        raise SiteBuildError(
            "npm is needed once to install the offline assets (MathJax, reveal.js) into "
            f"node_modules/ but was not found; missing: {', '.join(missing)}. Install Node.js "
            "(e.g. `apt-get install nodejs npm`) and re-run."
        )
    if not quiet:
        print("installing front-end assets: npm ci (package-lock.json) ...", flush=True)
    cmd = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"]
    result = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        raise SiteBuildError(f"`{' '.join(cmd)}` failed:\n{result.stdout}\n{result.stderr}")
    still_missing = [p for p in REQUIRED_ASSETS if not (node_modules / p).is_file()]
    if still_missing:
        raise SiteBuildError(f"npm ci finished but these files are missing: {still_missing}")
    return node_modules


def _rewrite_markdown(
    text: str, src_rel: Path, root: Path, site_files: set[Path], extra: set[Path]
) -> tuple[str, list[str]]:
    """Rewrite relative links in Markdown *text* of the repository file *src_rel*.

    Links to pages of the site stay. Links to repository files outside the site become
    their plain text. Images that exist are kept and recorded in *extra* (to be copied).
    Links to paths that do not exist stay, so Sphinx reports them. Fenced code is skipped.
    Returns the new text and a list of notes of what was de-linked.
    """
    notes: list[str] = []
    base = (root / src_rel).parent

    def repl(m: re.Match[str]) -> str:
        bang, label, target = m.group(1), m.group(2), m.group(3)
        if target.startswith("#") or URL_SCHEME_RE.match(target) or target.startswith("/"):
            return m.group(0)
        path_part = target.split("#", 1)[0].split("?", 1)[0]
        if not path_part:
            return m.group(0)
        resolved = (base / path_part).resolve()
        try:
            rel = resolved.relative_to(root)
        except ValueError:
            return m.group(0)  # outside the repository: let Sphinx complain
        if rel in site_files:
            return m.group(0)
        if not resolved.exists():
            return m.group(0)  # broken link: the -W build will fail on it
        if bang:
            if resolved.is_file():
                extra.add(rel)
            return m.group(0)
        notes.append(f"{src_rel}: link to {target} (not part of the site) shown as text")
        return label

    out_lines = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        marker = stripped[:3]
        if marker in ("```", "~~~"):
            if fence is None:
                fence = marker
            elif marker == fence:
                fence = None
            out_lines.append(line)
            continue
        out_lines.append(line if fence else LINK_RE.sub(repl, line))
    return "".join(out_lines), notes


# --------------------------------------------------------------------------- checks

_NETWORK_RE = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.\-]*:)?//", re.ASCII)
_LOADED_LINK_RELS = {"stylesheet", "preload", "prefetch", "modulepreload", "icon",
                     "shortcut", "apple-touch-icon", "manifest", "dns-prefetch", "preconnect"}


class _AssetParser(HTMLParser):
    """Collect the URLs an HTML page makes the browser fetch by itself."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if rels & _LOADED_LINK_RELS:
                self.urls.append((f"<link rel={a.get('rel')}>", a.get("href", "")))
        elif tag in ("script", "img", "iframe", "source", "video", "audio", "embed", "track",
                     "input"):
            if "src" in a:
                self.urls.append((f"<{tag} src>", a["src"]))
            for item in a.get("srcset", "").split(","):
                if item.strip():
                    self.urls.append((f"<{tag} srcset>", item.split()[0]))
        elif tag == "object" and "data" in a:
            self.urls.append(("<object data>", a["data"]))
        if "style" in a:
            for u in _CSS_URL_RE.findall(a["style"]):
                self.urls.append((f"<{tag} style>", u))


_CSS_URL_RE = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
_CSS_IMPORT_RE = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""")


def network_urls_in_html(text: str) -> list[str]:
    """URLs of resources an HTML page would fetch from the network by itself."""
    parser = _AssetParser()
    parser.feed(text)
    return [f"{where} {url}" for where, url in parser.urls if _NETWORK_RE.match(url)]


def network_urls_in_css(text: str) -> list[str]:
    """``url()`` and ``@import`` targets of a stylesheet that are on the network."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # comments name authors' web sites
    urls = dict.fromkeys(_CSS_IMPORT_RE.findall(text) + _CSS_URL_RE.findall(text))
    return [f"css {url}" for url in urls if _NETWORK_RE.match(url)]


def find_network_assets(site: Path) -> list[str]:
    """Every place in the built *site* where a page would load something over the network."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        problems += [f"{page.relative_to(site)}: {u}" for u in network_urls_in_html(text)]
    for css in sorted(site.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        problems += [f"{css.relative_to(site)}: {u}" for u in network_urls_in_css(text)]
    return problems


