"""Clinical and lab shorthand in partner values, expanded before matching.

A small, general list: each entry is ``(short form, expansion, source)``. Sources are
the ontologies' own synonyms in their full releases (the CELLxGENE JSON files keep exact
synonyms only, so these abbreviations are missing there), Terminologia Anatomica's
abbreviations, common clinical shorthand (Wikipedia, "List of medical abbreviations"),
and the published nomenclature of cell subsets (T cell memory subsets, mononuclear
phagocytes, alveolar epithelium), cited with journal and year. No entry comes from a
benchmark gold file. A short form of this list is read by its expansion, never by an
ontology's own initialism of the same letters (:mod:`.reading_tiers`). Abbreviations the loaded
ontology files give themselves (synonym type ``abbreviation``) are used directly by the
name table (:mod:`harmonize.match.values.abbreviations`). A short form may have several
expansions (``NPC``): each is tried, and the slot's branch decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "AFTER_CORECEPTOR",
    "BEFORE_T",
    "SHORTHAND",
    "Shorthand",
    "expand_shorthand",
    "is_shorthand",
]


@dataclass(frozen=True, slots=True)
class Shorthand:
    short: str
    expansion: str
    source: str


_CL = "CL synonym (cl.obo)"
_UBERON = "UBERON synonym (uberon.obo)"
_EFO = "EFO synonym (efo.obo)"
_TA = "Terminologia Anatomica abbreviation"
_CLIN = "clinical shorthand (Wikipedia, List of medical abbreviations)"
_TMEM = "T cell subset nomenclature (Sallusto et al. 1999, Nature 401:708; Mueller & Mackay 2016, Nat Rev Immunol 16:79)"
_MNP = "mononuclear phagocyte nomenclature (Guilliams et al. 2014, Nat Rev Immunol 14:571)"
_LUNG = "alveolar epithelium shorthand (Travaglini et al. 2020, Nature 587:619)"
_MYELOID = "myeloid progenitor nomenclature (Akashi et al. 2000, Nature 404:193)"
_NEPHRON = "nephron segment shorthand (Lake et al. 2023, Nature 619:585)"
_HEME = "haematopoietic progenitor nomenclature (Kondo et al. 1997, Cell 91:661; Adolfsson et al. 2005, Cell 121:295)"
_TEFF = "effector lymphocyte nomenclature (Zhang & Bevan 2011, Immunity 35:161; Godfrey et al. 2004, Nat Rev Immunol 4:231)"
_RETINA = "retinal cell class shorthand (Baden et al. 2016, Nature 529:345)"
_BRAIN = "NeuroNames abbreviations (Bowden et al. 2012, Neuroinformatics 10:97)"
_GREEK = "T cell receptor chains written in Latin letters (gamma-delta / alpha-beta T cells: Chien et al. 2014, Annu Rev Immunol 32:121)"
_MEMORY = "memory T cell subsets after CD4 / CD8 (Mahnke et al. 2013, Eur J Immunol 43:2797)"
_MONO = "blood monocyte nomenclature (Ziegler-Heitbrock et al. 2010, Blood 116:e74)"
_ENDO = "endothelial cell shorthand (Kalucka et al. 2020, Cell 180:764)"
_TCGA = "TCGA tumour type abbreviations (Weinstein et al. 2013, Nat Genet 45:1113)"
_HLCA = "Human Lung Cell Atlas labels (Sikkema et al. 2023, Nat Med 29:1563)"
_PDAC = "pancreatic cancer shorthand (Kleeff et al. 2016, Nat Rev Dis Primers 2:16022)"
_RCC = "renal cell carcinoma shorthand (Hsieh et al. 2017, Nat Rev Dis Primers 3:17009)"

SHORTHAND: tuple[Shorthand, ...] = tuple(
    Shorthand(short, expansion, source)
    for short, expansion, source in (
        # sample sources / tissues
        ("BM", "bone marrow", _CLIN),
        ("PB", "peripheral blood", _CLIN),
        ("WB", "whole blood", _CLIN),
        ("LN", "lymph node", _CLIN),
        ("LNs", "lymph node", _CLIN),
        ("CSF", "cerebrospinal fluid", _UBERON),
        ("GI", "gastrointestinal", _CLIN),
        ("CNS", "central nervous system", _UBERON),
        ("PNS", "peripheral nervous system", _UBERON),
        ("SI", "small intestine", _CLIN),
        ("LI", "large intestine", _CLIN),
        ("LUL", "upper lobe of left lung", _CLIN),
        ("LLL", "lower lobe of left lung", _CLIN),
        ("RUL", "upper lobe of right lung", _CLIN),
        ("RML", "middle lobe of right lung", _CLIN),
        ("RLL", "lower lobe of right lung", _CLIN),
        ("LV", "left ventricle", _CLIN),
        ("RV", "right ventricle", _CLIN),
        ("ctx", "cortex", _CLIN),
        ("hippo", "hippocampus", _CLIN),
        ("DLPFC", "dorsolateral prefrontal cortex", _BRAIN),
        ("panc", "pancreas", _CLIN),
        ("bx", "biopsy", _CLIN),
        ("ca", "carcinoma", _CLIN),
        ("mets", "metastasis", _CLIN),
        ("FNA", "fine needle aspirate", _CLIN),
        # diseases (an ontology's own abbreviation of another term, such as MONDO's "RA"
        # for refractory anaemia, is met first; words and gene symbols are left out:
        # TCGA's READ, BRCA, OV, ACC, CHOL; CD, which cell markers begin with)
        ("MS", "multiple sclerosis", _CLIN),
        ("UC", "ulcerative colitis", _CLIN),
        ("HIV", "HIV infection", _CLIN),
        ("HBV", "hepatitis B virus infection", _CLIN),
        ("CKD", "chronic kidney disease", _CLIN),
        ("UTI", "urinary tract infection", _CLIN),
        ("TBI", "traumatic brain injury", _CLIN),
        ("ADHD", "attention deficit hyperactivity disorder", _CLIN),
        ("TB", "tuberculosis", _CLIN),
        ("OA", "osteoarthritis", _CLIN),
        ("PE", "pulmonary embolism", _CLIN),
        ("BD", "bipolar disorder", _CLIN),
        ("SZ", "schizophrenia", _CLIN),
        ("PDAC", "pancreatic ductal adenocarcinoma", _PDAC),
        ("ccRCC", "clear cell renal cell carcinoma", _RCC),
        ("BLCA", "bladder urothelial carcinoma", _TCGA),
        ("COAD", "colon adenocarcinoma", _TCGA),
        ("DLBC", "diffuse large B-cell lymphoma", _TCGA),
        ("ESCA", "esophageal carcinoma", _TCGA),
        ("HNSC", "head and neck squamous cell carcinoma", _TCGA),
        ("KICH", "chromophobe renal cell carcinoma", _TCGA),
        ("KIRC", "clear cell renal cell carcinoma", _TCGA),
        ("KIRP", "papillary renal cell carcinoma", _TCGA),
        ("LAML", "acute myeloid leukemia", _TCGA),
        ("LIHC", "hepatocellular carcinoma", _TCGA),
        ("LUAD", "lung adenocarcinoma", _TCGA),
        ("LUSC", "lung squamous cell carcinoma", _TCGA),
        ("MESO", "mesothelioma", _TCGA),
        ("PAAD", "pancreatic adenocarcinoma", _TCGA),
        ("PRAD", "prostate adenocarcinoma", _TCGA),
        ("SARC", "sarcoma", _TCGA),
        ("SKCM", "cutaneous melanoma", _TCGA),
        ("STAD", "stomach adenocarcinoma", _TCGA),
        ("TGCT", "testicular germ cell tumor", _TCGA),
        ("THCA", "thyroid carcinoma", _TCGA),
        ("THYM", "thymoma", _TCGA),
        ("UCEC", "uterine corpus endometrial carcinoma", _TCGA),
        ("UCS", "uterine carcinosarcoma", _TCGA),
        ("UVM", "uveal melanoma", _TCGA),
        ("Lt", "left", _CLIN),
        ("Rt", "right", _CLIN),
        ("sup", "superior", _TA),
        ("inf", "inferior", _TA),
        ("ant", "anterior", _TA),
        ("post", "posterior", _TA),
        ("med", "medial", _TA),
        ("lat", "lateral", _TA),
        ("prox", "proximal", _TA),
        ("dist", "distal", _TA),
        ("m.", "muscle", _TA),
        ("mm.", "muscle", _TA),
        ("n.", "nerve", _TA),
        ("nn.", "nerve", _TA),
        ("a.", "artery", _TA),
        ("v.", "vein", _TA),
        ("lig.", "ligament", _TA),
        # cells
        ("PBMC", "peripheral blood mononuclear cell", _CL),
        ("PBMCs", "peripheral blood mononuclear cell", _CL),
        ("iPSC", "induced pluripotent stem cell", _EFO),
        ("iPSCs", "induced pluripotent stem cell", _EFO),
        ("iPS", "induced pluripotent stem cell", _EFO),
        ("hESC", "embryonic stem cell", _EFO),
        ("hESCs", "embryonic stem cell", _EFO),
        ("ESC", "embryonic stem cell", _CL),
        ("ESCs", "embryonic stem cell", _CL),
        ("NPC", "neural progenitor cell", _CL),
        ("NPC", "nasopharyngeal carcinoma", _CLIN),
        ("NPCs", "neural progenitor cell", _CL),
        ("HSC", "hematopoietic stem cell", _CL),
        ("HSCs", "hematopoietic stem cell", _CL),
        ("HSPC", "hematopoietic multipotent progenitor cell", _CL),
        ("HSPCs", "hematopoietic multipotent progenitor cell", _CL),
        ("MSC", "mesenchymal stem cell", _CL),
        ("MSCs", "mesenchymal stem cell", _CL),
        ("NK", "natural killer cell", _CL),
        ("DC", "dendritic cell", _CL),
        ("DCs", "dendritic cell", _CL),
        ("pDC", "plasmacytoid dendritic cell", _CL),
        ("pDCs", "plasmacytoid dendritic cell", _CL),
        ("cDC", "conventional dendritic cell", _CL),
        ("Treg", "regulatory T cell", _CL),
        ("Tregs", "regulatory T cell", _CL),
        ("RBC", "erythrocyte", _CL),
        ("RBCs", "erythrocyte", _CL),
        ("WBC", "leukocyte", _CL),
        ("WBCs", "leukocyte", _CL),
        ("OPC", "oligodendrocyte precursor cell", _CL),
        ("OPCs", "oligodendrocyte precursor cell", _CL),
        ("MDSC", "myeloid derived suppressor cell", _CL),
        ("ILC", "innate lymphoid cell", _CL),
        ("HUVEC", "endothelial cell of umbilical vein", _CL),
        ("CAF", "cancer associated fibroblast", _CL),
        ("CAFs", "cancer associated fibroblast", _CL),
        ("MAIT", "mucosal invariant T cell", _CL),
        ("Th1", "T-helper 1 cell", _CL),
        ("Th2", "T-helper 2 cell", _CL),
        ("Th17", "T-helper 17 cell", _CL),
        ("Tfh", "T follicular helper cell", _CL),
        ("TN", "naive T cell", _TMEM),
        ("TCM", "central memory T cell", _TMEM),
        ("TEM", "effector memory T cell", _TMEM),
        ("TRM", "tissue-resident memory T cell", _TMEM),
        ("gdT", "gamma-delta T cell", _TMEM),
        ("MNP", "mononuclear phagocyte", _MNP),
        ("MNPs", "mononuclear phagocyte", _MNP),
        ("moDC", "monocyte-derived dendritic cell", _MNP),
        ("moDCs", "monocyte-derived dendritic cell", _MNP),
        ("Mph", "macrophage", _HLCA),
        ("Mphs", "macrophage", _HLCA),
        ("Mφ", "macrophage", _MNP),
        ("MΦ", "macrophage", _MNP),
        ("cMono", "classical monocyte", _MONO),
        ("ncMono", "non-classical monocyte", _MONO),
        ("intMono", "intermediate monocyte", _MONO),
        ("EC", "endothelial cell", _ENDO),
        ("ECs", "endothelial cell", _ENDO),
        ("GMP", "granulocyte monocyte progenitor cell", _MYELOID),
        ("GMPs", "granulocyte monocyte progenitor cell", _MYELOID),
        ("CMP", "common myeloid progenitor", _MYELOID),
        ("CMPs", "common myeloid progenitor", _MYELOID),
        ("CLP", "common lymphoid progenitor", _HEME),
        ("CLPs", "common lymphoid progenitor", _HEME),
        ("LMPP", "lymphoid-primed multipotent progenitor", _HEME),
        ("LMPPs", "lymphoid-primed multipotent progenitor", _HEME),
        ("CTL", "cytotoxic T cell", _TEFF),
        ("CTLs", "cytotoxic T cell", _TEFF),
        ("NKT", "mature NK T cell", _TEFF),
        ("NKTs", "mature NK T cell", _TEFF),
        ("RGC", "retinal ganglion cell", _RETINA),
        ("RGCs", "retinal ganglion cell", _RETINA),
        ("TAL", "thick ascending limb", _NEPHRON),
        ("DCT", "distal convoluted tubule", _NEPHRON),
        ("PT", "proximal tubule", _NEPHRON),
        ("CNT", "connecting tubule", _NEPHRON),
        ("DTL", "descending thin limb", _NEPHRON),
        ("ATL", "ascending thin limb", _NEPHRON),
        ("PEC", "parietal epithelial cell", _NEPHRON),
        ("AT1", "pulmonary alveolar type 1 cell", _LUNG),
        ("AT2", "pulmonary alveolar type 2 cell", _LUNG),
    )
)

#: Greek letters written in Latin ones, read only right before "T" ("gd T cells", "ab_T"):
#: alone, "GD" and "AB" are other things (a disease, a blood group)
BEFORE_T: tuple[Shorthand, ...] = (
    Shorthand("gd", "gamma-delta", _GREEK),
    Shorthand("ab", "alpha-beta", _GREEK),
)
_BEFORE_T = re.compile(
    r"(?<![^\W\d_])(?P<g>gd|ab)(?=[\s_-]?(?-i:T)(?:[\s_-]?cells?)?(?![^\W_]))", re.IGNORECASE
)
_BEFORE_T_ENTRY = {entry.short: entry for entry in BEFORE_T}
#: memory subsets written right after a T cell's coreceptor ("CD8 EM", "CD4+ CM",
#: "CD8EM"): alone, "EM" and "CM" are other things (electron microscopy, centimetre)
AFTER_CORECEPTOR: tuple[Shorthand, ...] = (
    Shorthand("EM", "effector memory T cell", _MEMORY),
    Shorthand("CM", "central memory T cell", _MEMORY),
)
_AFTER_CORECEPTOR = re.compile(
    r"(?<![^\W\d_])CD[48](?:\+|-positive,?)?[\s_-]?(?P<s>EM|CM)(?![^\W_])", re.IGNORECASE
)
_T_CELL_NEXT = re.compile(r"^[\s_-]*T(?:[\s_-]?cells?)?(?![^\W_])", re.IGNORECASE)
_AFTER_CORECEPTOR_ENTRY = {entry.short.casefold(): entry for entry in AFTER_CORECEPTOR}

#: short forms read only when the value is the short form alone: words of the ontology's
#: own names ("HIV infectious disease") and two-letter ones that name other things inside
#: a value ("CD4 PE": phycoerythrin, a flow cytometry dye; "TB" in "TB-positive")
_ALONE = frozenset({"hiv", "hbv", "tb", "oa", "pe", "bd", "sz"})

_BY_SHORT: dict[str, list[Shorthand]] = {}
for _entry in SHORTHAND:
    _BY_SHORT.setdefault(_entry.short.casefold(), []).append(_entry)
_DOTTED = sorted((s for s in _BY_SHORT if s.endswith(".")), key=len, reverse=True)
_TOKEN = re.compile(
    "|".join([*(rf"(?<![\w.]){re.escape(s)}" for s in _DOTTED), r"[^\W\d_][^\W_]*"])
)
# a word joined to another by "-" or "." is part of a name or an identifier
# ("NK-92", "SUP-T1", "HuH-7.5"), not shorthand written alone
_JOINED_BEFORE = re.compile(r"[^\W_][-.]$")
_JOINED_AFTER = re.compile(r"^[-.][^\W_]")
_MAX_READINGS = 4


def is_shorthand(word: str) -> bool:
    """Is ``word`` (any case) a short form of the list?"""
    return word.casefold() in _BY_SHORT


def _joined(value: str, start: int, end: int) -> bool:
    """Is ``value[start:end]`` joined to a neighbouring word by "-" or ".", or written
    right after a number ("SUM-149PT": part of the line's name)?"""
    if _JOINED_BEFORE.search(value[max(0, start - 2) : start]):
        return True
    if start > 0 and value[start - 1].isdigit():
        return True
    return value[end - 1 : end] != "." and bool(_JOINED_AFTER.match(value[end : end + 2]))


def expand_shorthand(value: str) -> list[tuple[str, tuple[Shorthand, ...]]]:
    """Readings of ``value`` with its shorthand expanded (none: an empty list).

    >>> [text for text, _ in expand_shorthand("BM aspirate")]
    ['bone marrow aspirate']
    >>> expand_shorthand("skeletal m.")[0][0]
    'skeletal muscle'
    >>> expand_shorthand("NK-92"), expand_shorthand("Paraoxymální"), expand_shorthand("149PT")
    ([], [], [])
    >>> expand_shorthand("gd T cells")[0][0], expand_shorthand("GD"), expand_shorthand("abt")
    ('gamma-delta T cells', [], [])
    >>> expand_shorthand("CD8 EM")[0][0], expand_shorthand("CD4+CM T cells")[0][0]
    ('CD8 effector memory T cell', 'CD4+ central memory T cell')
    >>> expand_shorthand("EM"), expand_shorthand("CD8 EMT")
    ([], [])
    >>> expand_shorthand("HIV")[0][0], expand_shorthand("HIV disease resulting in anaemia")
    ('HIV infection', [])
    """
    readings: list[tuple[str, tuple[Shorthand, ...]]] = [(value, ())]
    greek = _BEFORE_T.search(value)
    if greek is not None:  # "gd T": gamma-delta T
        entry = _BEFORE_T_ENTRY[greek.group("g").casefold()]
        value = f"{value[: greek.start()]}{entry.expansion} {value[greek.end() :].lstrip(' _-')}"
        readings = [(value, (entry,))]
    subset = _AFTER_CORECEPTOR.search(value) if "cd" in value.lower() else None
    if subset is not None:  # "CD8 EM": CD8 effector memory T cell
        entry = _AFTER_CORECEPTOR_ENTRY[subset.group("s").casefold()]
        start, end = subset.span("s")
        rest = _T_CELL_NEXT.sub("", value[end:])  # ("CD8 EM T cells": one "T cell")
        value = f"{value[:start].rstrip(' _-')} {entry.expansion}{rest}"
        readings = [(value, (*readings[0][1], entry))]
    for match in reversed(list(_TOKEN.finditer(value))):
        short = match.group(0).casefold()
        entries = _BY_SHORT.get(short)
        if not entries or _joined(value, match.start(), match.end()):
            continue
        if short in _ALONE and value.strip().casefold() != short:
            continue  # "HIV disease resulting in ...": a word of the disease's own name
        grown: list[tuple[str, tuple[Shorthand, ...]]] = []
        for text, used in readings:
            for entry in entries:
                new = text[: match.start()] + entry.expansion + text[match.end() :]
                grown.append((new, (entry, *used)))
        readings = grown[:_MAX_READINGS]
    return [(text, used) for text, used in readings if used]
