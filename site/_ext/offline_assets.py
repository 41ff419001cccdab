"""Sphinx extension of the crm-notebooks site: keep every page free of network code.

Jupyter Book 1 always loads sphinx-thebe (live code cells through Binder). The site has
Thebe switched off, yet sphinx-thebe still adds, to every page, an inline script naming
``https://unpkg.com/thebe@.../lib/index.js`` (twice, which raises "Identifier
'THEBE_JS_URL' has already been declared") and ``sphinx-thebe.js``, whose only job is to
fetch that URL. This extension drops both from each page.
"""

from __future__ import annotations

THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe", "thebe_selector")


def _is_thebe(asset) -> bool:
    text = " ".join(
        str(x)
        for x in (
            getattr(asset, "filename", asset),
            getattr(asset, "attributes", {}).get("body", ""),
        )
        if x
    )
    return any(marker in text for marker in THEBE_MARKERS)


def _strip_thebe(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if assets:
            context[key] = [a for a in assets if not _is_thebe(a)]


def setup(app):
    app.connect("html-page-context", _strip_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
