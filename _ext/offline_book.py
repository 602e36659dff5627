"""Sphinx extension: keep every page of the book working with no network.

Jupyter Book always loads sphinx-thebe ("live code" from a remote Binder), which adds a script
pointing at a CDN -- twice, which also raises "Identifier 'THEBE_JS_URL' has already been
declared" in the browser. This book runs offline and does not offer live code, so the thebe
scripts and style sheet are dropped from every page.
"""

from __future__ import annotations


def _is_thebe(asset) -> bool:
    filename = str(getattr(asset, "filename", "") or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in filename or "THEBE_JS_URL" in body


def drop_live_code(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


def setup(app):
    app.connect("html-page-context", drop_live_code)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
