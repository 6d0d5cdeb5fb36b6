"""Transfer size of a page: its HTML plus the stylesheets and scripts it links, gzip-compressed.

Each resource is fetched from the local server with ``Accept-Encoding: gzip``. When the server
compresses it (GZipMiddleware for HTML, WhiteNoise's pre-compressed files for static), the bytes on
the wire are counted; when it does not, the body is gzipped here (level 6) and that size is counted,
so an uncompressed response is not reported as smaller than it would be in a browser.
"""

import gzip
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from bench_load import Client


class _LinkedAssets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").lower().split() and a.get("href"):
            self.stylesheets.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"])


@dataclass
class Resource:
    url: str
    kind: str  # html, css, js
    status: int
    wire_bytes: int  # gzip bytes counted
    raw_bytes: int  # uncompressed body
    server_gzip: bool


@dataclass
class PageSize:
    path: str
    resources: list[Resource] = field(default_factory=list)
    external: list[str] = field(default_factory=list)  # not fetched: only 127.0.0.1 is contacted

    def kb(self, kind: str | None = None) -> float:
        return sum(r.wire_bytes for r in self.resources if kind is None or r.kind == kind) / 1024

    @property
    def ok(self) -> bool:
        return all(r.status == 200 for r in self.resources)


def _measure(client: Client, url: str, kind: str) -> tuple[Resource, bytes]:
    status, headers, body = client.get(url)
    encoding = headers.get("content-encoding", "")
    if encoding == "gzip":
        raw = gzip.decompress(body)
        return Resource(url, kind, status, len(body), len(raw), True), raw
    if encoding:
        raise RuntimeError(f"{url}: unexpected Content-Encoding {encoding!r}")
    return Resource(url, kind, status, len(gzip.compress(body, 6)), len(body), False), body


def page_size(base_url: str, path: str) -> PageSize:
    client = Client(base_url)
    result = PageSize(path=path)
    try:
        html, raw = _measure(client, path, "html")
        result.resources.append(html)
        parser = _LinkedAssets()
        parser.feed(raw.decode("utf-8", errors="replace"))
        seen: set[str] = set()
        base = urljoin(base_url, path)
        for kind, urls in (("css", parser.stylesheets), ("js", parser.scripts)):
            for href in urls:
                absolute = urljoin(base, href)
                parts = urlsplit(absolute)
                if f"{parts.scheme}://{parts.netloc}" != base_url.rstrip("/"):
                    result.external.append(absolute)
                    continue
                local = parts.path + (f"?{parts.query}" if parts.query else "")
                if local in seen:
                    continue
                seen.add(local)
                resource, _body = _measure(client, local, kind)
                result.resources.append(resource)
    finally:
        client.close()
    return result
