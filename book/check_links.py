#!/usr/bin/env python3
"""check_links.py DIR...: every relative link (href, src) in the built books' HTML must
point to an existing file, and its #fragment to an id in that page. Prints each broken
link as page: target and exits 1 when there is one. Python rather than Rust: it checks
mdBook's output in CI and needs nothing but the standard library."""
import html.parser
import os
import sys
import urllib.parse


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value:
                self.links.append(value)


def parse(path, cache={}):
    if path not in cache:
        page = Page()
        with open(path, encoding="utf-8") as f:
            page.feed(f.read())
        cache[path] = page
    return cache[path]


broken = []
for root in sys.argv[1:]:
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".html"):
                continue
            page_path = os.path.join(dirpath, name)
            for link in parse(page_path).links:
                url = urllib.parse.urlparse(link)
                # other sites, and site-absolute paths (the 404 page's site-url "/")
                if url.scheme or link.startswith("/") or link.startswith("mailto:"):
                    continue
                target = urllib.parse.unquote(url.path)
                target = os.path.normpath(os.path.join(dirpath, target)) if target else page_path
                if os.path.isdir(target):
                    target = os.path.join(target, "index.html")
                if not os.path.exists(target):
                    broken.append(f"{page_path}: {link} (no such file)")
                elif url.fragment and target.endswith(".html"):
                    if urllib.parse.unquote(url.fragment) not in parse(target).ids:
                        broken.append(f"{page_path}: {link} (no such anchor)")
for b in broken:
    print(b)
print(f"check_links: {len(broken)} broken link(s)", file=sys.stderr)
sys.exit(1 if broken else 0)
