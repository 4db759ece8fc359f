"""A WeasyPrint URL fetcher that reads only what the report is allowed to read.

WeasyPrint's default fetcher follows file://, http(s):// and data: URLs. Ours
refuses every network scheme, accepts data: URLs only when we produced them,
and reads file:// paths only inside allowed folders (our templates/assets and
the brand file's folder), after resolving symlinks.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_BYTES = 8 * 1024 * 1024
TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf",
         ".svg": "image/svg+xml", ".png": "image/png", ".css": "text/css"}


class RefusedURL(ValueError):
    """A URL the report may not fetch."""


class SafeFetcher(URLFetcher):
    def __init__(self, roots: Iterable[str | Path], data_urls: Iterable[str] = ()):
        super().__init__(timeout=1, allowed_protocols=("file", "data"), allow_redirects=False,
                         fail_on_errors=False)
        self.roots = tuple(Path(root).resolve() for root in roots)
        self.data_urls = frozenset(data_urls)
        self.refused: list[str] = []

    def allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            return None
        return path if path.is_file() else None

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            if url not in self.data_urls:
                return self._refuse(url)
            return super().fetch(url, headers)
        if scheme != "file":
            return self._refuse(url)
        path = self.allowed_path(url)
        if path is None:
            return self._refuse(url)
        size = path.stat().st_size
        if size > MAX_BYTES:
            return self._refuse(url)
        kind = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] \
            or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": kind})

    def _refuse(self, url: str):
        self.refused.append(url[:200])
        raise RefusedURL(f"refused to fetch {url[:80]!r}: only the report's own assets may be read")
