"""natasha's NER as a last resort for the recipient, loaded on first use.

Only for cased Russian text where a capitalised word stands where a
recipient goes and morphology read no name there ("Напиши Сун Ли привет").
Loading costs ~1.4 s and ~50 ms a call, so it never runs on the common path
(recogniser output is lower case; pymorphy3 guesses most surnames itself)
and never at start-up.
"""
from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


class Ner:
    def __init__(self):
        self._lock = threading.Lock()
        self._loaded = False
        self._tools = None

    def _load(self):
        with self._lock:
            if not self._loaded:
                self._loaded = True
                try:
                    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

                    self._tools = (Doc, Segmenter(), NewsNERTagger(NewsEmbedding()))
                except Exception:  # natasha absent or broken: no fallback
                    log.warning("natasha NER unavailable", exc_info=True)
        return self._tools

    def persons(self, text: str) -> list[tuple[int, int]]:
        """Character spans [start, stop) of the persons natasha finds."""
        tools = self._load()
        if tools is None:
            return []
        doc_cls, segmenter, tagger = tools
        doc = doc_cls(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        return [(s.start, s.stop) for s in doc.spans if s.type == "PER"]
