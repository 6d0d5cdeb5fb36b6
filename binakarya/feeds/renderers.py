"""The channel feed files, from FeedItems: Meta's CSV, and the RSS 2.0 XML with the ``g:`` namespace that
both Meta and Google Merchant Center read."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from binakarya.feeds.selectors import FeedItem

G_NAMESPACE = "http://base.google.com/ns/1.0"
META_FIELDS = (
    "id",
    "item_group_id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "brand",
)
# Google asks this of goods without a GTIN or MPN, which handmade goods never have.
GOOGLE_EXTRA = {"identifier_exists": "no"}
# Characters XML 1.0 cannot hold at all (control characters other than tab, newline and carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ET.register_namespace("g", G_NAMESPACE)


def meta_csv(items: Iterable[FeedItem]) -> str:
    """Meta's catalog CSV: a header row of META_FIELDS, then one row per item."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(META_FIELDS)
    for item in items:
        writer.writerow([getattr(item, field) for field in META_FIELDS])
    return out.getvalue()


def rss_xml(items: Iterable[FeedItem], *, title: str, link: str, description: str, google: bool = False) -> bytes:
    """An RSS 2.0 document, one ``<item>`` of ``g:`` fields per item (an empty item_group_id left out);
    ``google`` adds ``g:identifier_exists`` = no. UTF-8 with its XML declaration."""
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    for name, text in (("title", title), ("link", link), ("description", description)):
        ET.SubElement(channel, name).text = _NOT_XML.sub("", text)
    for item in items:
        node = ET.SubElement(channel, "item")
        fields = {field: getattr(item, field) for field in META_FIELDS}
        if google:
            fields |= GOOGLE_EXTRA
        for field, value in fields.items():
            if value:
                ET.SubElement(node, f"{{{G_NAMESPACE}}}{field}").text = _NOT_XML.sub("", value)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)
