"""An organ, then the site sampled in it: ``Brain - Caudate``, ``Brain_Amygdala``.

GTEx names a tissue by its organ and the site sampled, with a spaced dash (``Brain -
Putamen (basal ganglia)``) or, as its files and eQTL tables do, run together with
underscores (``Brain_Amygdala``, ``Artery_Aorta``). The dash is read by
:class:`~harmonize.match.values.bracket_terms.BracketTerms`; this mixin reads the site:

- written without its class noun (``Brain - Caudate``: "caudate" then "nucleus", a part
  of the brain);
- with a bracket of its own that adds nothing (a code, ``(BA9)``; where the site is,
  ``(basal ganglia)``) or that says more (``(cervical c-1)``: the term found is broader);
- run together with the organ (``Brain_Amygdala``): the first words name the organ's term
  and the next a part, kind or sibling of it (``Artery_Aorta``: the aorta is no artery in
  UBERON, but beside one), then nothing, a code or where the site is
  (``Brain_Putamen_basal_ganglia``); ``Brain_Cortex`` is not every cortex;
- naming nothing, but its last words name a part of the organ (``... - Terminal Ileum``:
  the ileum, nearer than the organ, and broader than the value).

Such candidates come from a reading (``specialised``, or ``dropped`` when the site's
bracket says more, ``Spinal cord (cervical c-1)``, or its first words were dropped: a
broader term): never auto-accepted.
:class:`OrganSites` is a mixin of :class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from harmonize.match.values.hits import METHOD_BASE, Hit
from harmonize.match.values.index import FEW_NAMES
from harmonize.match.values.interpret import NOS_WORDS, normal_form
from harmonize.match.values.specialise import bracket_parts, clause_head

if TYPE_CHECKING:
    from harmonize.match.values.bracket_terms import Relation
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical
    from harmonize.ontology.index import OntologyIndex

__all__ = ["OrganSites"]

#: a word of three letters or more, no code ("cervical" in "(cervical c-1)"; not "BA9")
_WORDY = re.compile(r"(?<![\w-])[^\W\d_]{3,}(?![\w-])")
#: at most this many words name the organ ("minor salivary gland")
_ORGAN_WORDS = 3
_MAX_WORDS = 8
#: the site's term ranks as a normalised name read so (above a fuzzy name of the value)
_WEIGHT = 0.95
#: a site's word is a modifier (its class noun left out) when at most this share of the
#: names it is in end with it ("cingulate": 4 of 61 UBERON names, "anterior cingulate")
_MODIFIER_ENDS = 0.1
_SAID: dict[str, str] = {"part": "a part of it", "kind": "a kind of it", "beside": "beside it"}


class OrganSites:
    """The site an organ's name is followed by (a mixin of the value matcher)."""

    index: OntologyIndex
    table: NameTable
    _allowed_row_list: list[bool]
    _modifiers: dict[str, bool]  # memo of _modifier

    if TYPE_CHECKING:  # provided by BracketTerms

        def _relation(
            self, inner_term: str, head_terms: set[str], beside_steps: int = ..., what: str = ...
        ) -> Relation: ...
        def _bracket_names(self, inner: str, *, completed: bool) -> list[Hit]: ...
        def _in_branch(self, hits: list[Hit]) -> bool: ...

    def _site_unnamed(self, site: str, organs: set[str]) -> tuple[list[Hit], str]:
        """Terms a site that names none may mean after the organ's terms ``organs``, and
        how ("begun": its words begin their names; "tail": its last words name them)."""
        if found := self._site_words_begin(site, organs):
            return found, "begun"
        found = self._site_tail(site, organs)
        return found, "tail" if found else ""

    def _site_words_begin(self, site: str, organ_terms: set[str]) -> list[Hit]:
        """``Brain - Caudate``: the site's words, then one more, name a part or kind of the
        organ's term ("caudate" then "nucleus"): the site without its class noun, when its
        last word is a modifier. Only labels and exact synonyms of in-branch terms below
        the organ's ("caudate lobe of liver" is no part of the brain)."""
        parts = bracket_parts(site)
        site_norm = normal_form(parts[0] if parts is not None else site)
        words = site_norm.split()
        rarest = self.table.rarest_postings(words)
        if rarest is None or len(rarest) > FEW_NAMES:
            return []  # (a word of many names, "cell", is no site's own word)
        norms, prefix, spaces = self.table.norm, site_norm + " ", len(words)
        rows = [  # the site's words, then one word more
            r
            for r in rarest.tolist()
            if norms[r].startswith(prefix) and norms[r].count(" ") == spaces
        ]
        found = self._below(rows, organ_terms)
        return found if found and self._modifier(words[-1]) else []

    def _below(self, rows: Iterable[int], organ_terms: set[str]) -> list[Hit]:
        """A hit per in-branch term of ``rows`` (labels and exact synonyms) that is below
        one of the organ's terms (a part or kind of it)."""
        table, allowed, index = self.table, self._allowed_row_list, self.index
        found: dict[int, Hit] = {}
        for row in rows:
            if not (allowed[row] and table.strong(row)) or table.term[row] in found:
                continue
            if organ_terms.isdisjoint(index.steps_above(table.term_ids[table.term[row]])):
                continue
            found[table.term[row]] = Hit(row, "normalized", 1.0, 1.0, 1.0, None, False)
        return list(found.values())

    def _site_tail(self, site: str, organ_terms: set[str]) -> list[Hit]:
        """``Terminal Ileum`` after the intestine: the site's last words name a part
        or kind of the organ's term (the ileum) when all its words name none; the longest
        such tail. A broader term than the value (its first words dropped)."""
        parts = bracket_parts(site)
        words = normal_form(parts[0] if parts is not None else site).split()
        normal = self.table.normal
        for start in range(1, len(words)):
            if found := self._below(normal.get(" ".join(words[start:]), ()), organ_terms):
                return found
        return []

    def _modifier(self, word: str) -> bool:
        """Does ``word`` stand before the noun of the names it is in, and (almost) never end
        one? "caudate", "sigmoid", "tibial" do; "glomerulus" ends most names it is in, so
        ``Kidney_Glomerulus`` is not "glomerulus vasculature"."""
        known = self._modifiers.get(word)
        if known is None:
            table = self.table
            rows = [r for r in table.postings.get(word, ()) if table.strong(r)]
            last = sum(1 for r in rows if table.norm[r].rsplit(" ", 1)[-1] == word)
            known = self._modifiers[word] = bool(rows) and last <= _MODIFIER_ENDS * len(rows)
        return known

    def _site_bracket_aside(self, site: str, hit: Hit) -> str:
        """How a site's own bracket was set aside when it says more than the term ``hit``
        found (``Spinal cord (cervical c-1)``: a broader term), or "" when it adds nothing:
        a code (``(BA9)``) or where the site is (``Putamen (basal ganglia)``)."""
        parts = bracket_parts(site)
        if parts is None:
            return ""
        return self._more_said(parts[1], hit, f"bracket {parts[1]!r}")

    def _more_said(self, words: str, hit: Hit, what: str) -> str:
        """``words`` beside the site that say more than the term ``hit`` found (said as set
        aside, a broader term), or "": a code, ``NOS``, or a term above it (where it is)."""
        if not _WORDY.search(words) or NOS_WORDS.match(words.casefold()):
            return ""
        table = self.table
        above = self.index.steps_above(table.term_ids[table.term[hit.row]])
        where = {table.term_ids[table.term[h.row]] for h in self._bracket_names(
            words, completed=False
        )}  # fmt: skip
        if not where.isdisjoint(above):
            return ""
        return f"{what} set aside: a broader term"

    def _organ_then_site(self, value: str, out: Lexical) -> None:
        """``Brain_Amygdala``, ``Artery_Aorta``, ``Brain_Caudate_basal_ganglia``: the first
        words name an in-branch term (the organ) and the next ones a part, kind or sibling
        of it, when the value's words named no term together. Offered first, the site's
        term; the fuzzy tier still runs."""
        words = out.norm.split() if out.query else []
        if not 2 <= len(words) <= _MAX_WORDS or clause_head(value):
            return  # ("skin with hair follicles": what else the sample holds)
        if self._in_branch([h for h in out.hits if h.method != "fuzzy"]):
            return
        table, allowed = self.table, self._allowed_row_list
        term_ids = table.term_ids
        organs: list[tuple[str, set[str], list[str]]] = []
        for k in range(1, min(_ORGAN_WORDS, len(words) - 1) + 1):
            rows = [
                r
                for r in table.normal.get(" ".join(words[:k]), ())
                if allowed[r] and table.strong(r)
            ]
            if rows:
                organs.append(
                    (table.text[rows[0]], {term_ids[table.term[r]] for r in rows}, words[k:])
                )
        for organ, organ_terms, rest in organs:
            for j in range(len(rest), 0, -1):
                site, more = " ".join(rest[:j]), " ".join(rest[j:])
                if self._offer_site(organ, organ_terms, site, more, out):
                    return
        for organ, organ_terms, rest in organs:  # then a site's last words, broader
            if self._offer_site(organ, organ_terms, " ".join(rest), "", out, tails=True):
                return

    def _offer_site(
        self,
        organ: str,
        organ_terms: set[str],
        site: str,
        more: str,
        out: Lexical,
        *,
        tails: bool = False,
    ) -> bool:
        """Offer the terms ``site`` names (or, ``tails``, its last words name) that stand to
        the organ's terms as a part, kind or sibling; whether any was offered."""
        table, allowed = self.table, self._allowed_row_list
        term_ids = table.term_ids
        if tails:  # "Small_Intestine_Terminal_Ileum": the ileum, a broader term
            found = self._site_tail(site, organ_terms)
        else:
            found = [
                Hit(r, "normalized", 1.0, 1.0, 1.0, None, False)
                for r in table.normal.get(site, ())
                if allowed[r] and table.strong(r) and term_ids[table.term[r]] not in organ_terms
            ] or self._site_words_begin(site, organ_terms)
        offered = False
        seen: set[int] = set()
        for hit in found:
            term = table.term[hit.row]
            relation = self._relation(term_ids[term], organ_terms, 1)
            if relation not in _SAID or term in seen:
                continue
            seen.add(term)
            if more and self._more_said(more, hit, ""):
                continue  # words after the site say more ("B cell IgA Plasma")
            name = table.text[hit.row]
            said = f"read as {organ!r}, then {name!r} ({_SAID[relation]})"
            if tails:
                hit.reading = ("dropped", f"{said}; its first words dropped: a broader term")
            else:
                hit.reading = ("specialised", f"{said}; {more!r} set aside" if more else said)
            hit.score = METHOD_BASE["normalized"] * _WEIGHT
            out.hits.append(hit)
            offered = True
        return offered
