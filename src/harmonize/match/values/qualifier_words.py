"""The words of each kind of qualifier (:mod:`~harmonize.match.values.qualifiers`):
general sample-description, clinical and single-cell vocabulary, no word from a gold file.
One alternation per kind, read case-insensitively as whole words."""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["DISEASE_STATE", "KINDS", "NORMAL_STATE", "SPECIES", "WORDS", "QualifierKind"]

QualifierKind = Literal[
    "species", "life stage", "state", "quality", "sampling", "side", "marker", "count"
]  # fmt: skip
KINDS: tuple[QualifierKind, ...] = (
    "species", "life stage", "state", "quality", "sampling", "side", "marker", "count",
)  # fmt: skip

#: species words -> NCBITaxon CURIE (NCBI Taxonomy common names and adjectives)
SPECIES: dict[str, str] = {
    "human": "NCBITaxon:9606", "humans": "NCBITaxon:9606", "homo sapiens": "NCBITaxon:9606",
    "mouse": "NCBITaxon:10090", "mice": "NCBITaxon:10090", "murine": "NCBITaxon:10090",
    "mus musculus": "NCBITaxon:10090", "rat": "NCBITaxon:10116", "rats": "NCBITaxon:10116",
    "porcine": "NCBITaxon:9823", "pig": "NCBITaxon:9823", "bovine": "NCBITaxon:9913",
    "canine": "NCBITaxon:9615", "feline": "NCBITaxon:9685", "zebrafish": "NCBITaxon:7955",
    "drosophila": "NCBITaxon:7227", "macaque": "NCBITaxon:9544", "rhesus": "NCBITaxon:9544",
    "chicken": "NCBITaxon:9031", "ovine": "NCBITaxon:9940", "equine": "NCBITaxon:9796",
    "rabbit": "NCBITaxon:9986",
}  # fmt: skip

#: states that are a disease themselves: a disease's head ("breast cancer stage II")
_DISEASE_WORDS = r"tumou?r(?:al)?|cancer(?:ous)?|malignant|benign"
DISEASE_STATE = re.compile(_DISEASE_WORDS, re.IGNORECASE)
#: states that say no disease was found: the slot's "normal" fits a value of them
NORMAL_STATE = re.compile(
    r"normal|healthy|control|ctrl|non[- ]?tumou?r(?:al)?|uninvolved|non[- ]?lesional",
    re.IGNORECASE,
)
WORDS: dict[QualifierKind, str] = {
    "species": "|".join(sorted((re.escape(k) for k in SPECIES), key=len, reverse=True)),
    "life stage": (
        r"adults?|f[o]?etal|f[o]?etus|embryonic|p[a]?ediatric|neonatal|newborn|juvenile|"
        r"infant|child|children|larval|adolescent|aged|elderly|postnatal|prenatal|"
        r"E\d{1,2}(?:\.\d)?|P\d{1,2}|\d+\s*(?:weeks?|wks?|days?|months?|years?|yrs?)(?:\s+old)?|"
        r"weeks?\s*\d+|"
        # gestational and post-conception weeks, as developmental atlases write them
        r"(?:GW|PCW)\s?\d{1,2}|\d{1,2}\s?(?:GW|PCW)|gestational\s+weeks?\s*\d{1,2}"
    ),
    "state": (
        # the setting a cell was found in, with a hyphen ("tumor-associated macrophages",
        # "cancer-associated fibroblasts", "tumor-infiltrating lymphocytes"): first, before
        # "tumor" alone is read as a state
        r"(?:[^\W_][\w./+]*+-){1,3}(?:associated|infiltrating)|"
        # how far a disease has gone, not which it is ("stage IV melanoma", "CKD stage 3",
        # "relapsed AML", "COPD exacerbation"): the shipped MONDO names a handful of staged
        # diseases ("metastatic" is no such word: EFO names malignant tumours by it)
        r"stage\s*(?:0|I{1,3}V?|IV|[1-4])[A-C]?|relapsed|refractory|(?:acute\s+)?exacerbations?|"
        # ... its class or grade on a clinical scale ("lupus nephritis class IV", "NYHA class
        # III", "grade 2"), a tumour's TNM stage, pathological, clinical or after therapy
        # ("pT2N0", "T3N1M0", "ypT1N0"; case kept: "T2" alone is no stage)
        r"(?:class|grade)\s*(?:I{1,3}V?|IV|VI?|[1-6])[A-C]?|"
        r"(?-i:(?:y?[cp]|r)?T(?:[0-4]|is|X)[a-d]?N[0-3X][a-c]?(?:M[01X])?"
        r"|(?:y?[cp]|r)T(?:[0-4]|is|X)[a-d]?)|"
        # how severe it is, how differentiated, whether it came back ("severe COPD",
        # "HCC, poorly differentiated", "recurrent GBM", "AML relapse"): the grading and
        # course scales of clinical records, set aside when no name says them
        r"mild|moderate|severe|(?:well|moderately|poorly)[- ]differentiated|"
        r"(?:low|high)[- ]grade|recurrent|recurrence|relapses?|"
        # a metastasis is the tissue's state ("liver mets": liver), not the tissue
        r"metastas[ie]s|mets|"
        rf"normal|healthy|control|ctrl|{_DISEASE_WORDS}|"
        r"adjacent|adj|non[- ]?tumou?r(?:al)?|peri[- ]?tumou?ral|para[- ]?tumou?ral|"
        r"diseased|ffpe|(?:fresh|snap)[- ]frozen|frozen|fresh|formalin[- ]fixed|fixed|"
        r"paraffin[- ]embedded|uninvolved|non[- ]?lesional|lesional|inflamed|live|dead|viable|"
        # how blood or a sample was kept: its anticoagulant, collection tube or preservative
        # ("plasma (EDTA)", "whole blood, PAXgene", "cryopreserved PBMC")
        r"(?:k[23][- ]?)?edta|heparini[sz]ed|heparin|citrated|paxgene|tempus|rnalater|"
        r"cryopreserved|viably[- ]frozen|"
        # the cell cycle, as clusters are named ("Proliferating fibroblast", "Epi_dividing")
        r"proliferating|proliferative|cycling|dividing|mitotic|resting|"
        # grown outside the body (CELLxGENE's tissue_type "cell culture"; GTEx's
        # "Cells - Cultured fibroblasts", "Cells - EBV-transformed lymphocytes")
        r"cultured|in[- ]vitro|immortali[sz]ed|(?:ebv|virus)[- ]transformed|"
        # what was done to the sample, with its agent ("LPS-stimulated", "IFN-g-treated",
        # "mock-infected", "untreated"): words no cell or tissue name uses
        r"(?:[^\W_][\w./+]*+-){0,3}(?:un)?(?:stimulated|treated|infected|transfected|"
        r"transduced|pulsed|challenged)|"
        # the site's exposure, as skin is sampled ("Skin - Not Sun Exposed (Suprapubic)")
        r"(?:not[- ])?sun[- ](?:exposed|protected)|"
        # the sample not separated into its parts ("Whole Blood": not plasma nor cells);
        # a word of the name before the whole organism or genome ("whole body" measures)
        r"whole(?!\s+(?:body|organism|genome|exome|embryo|mount))"
    ),
    # what a cluster's quality control found ("B cell_Contamination", "Doublets"): no cell
    # type of its own (the words of scRNA-seq QC: doublet detection, ambient RNA, debris)
    "quality": (
        r"doublets?|multiplets?|contaminat(?:ion|ed|ing)|contaminants?|low[- ]quality|"
        r"ambient(?:[- ]rna)?|debris|unassigned|undetermined"
    ),
    "sampling": (
        # how the biopsy was taken ("core biopsy", "core needle bx", "punch biopsy")
        r"(?:(?:core|needle|core[- ]needle|punch|excisional|incisional|wedge|shave|"
        r"tru-?cut)[- ])?(?:biops(?:y|ies)|bx)|resections?|resected|aspirates?|aspiration|"
        r"samples?|specimens?|swabs?|smears?|punch|fna|(?:flow|facs)[- ]sorted|sorted|unsorted|"
        r"facs|dissociated|single[- ]cells?|single|sections?|explants?|surgical|autopsy|"
        r"post[- ]?mortem|isolated|tissues?|brushings?|washings?|scrapings?|lavage|"
        r"midstream|clean[- ]catch|"  # how urine was caught
        # what the sample is rather than where it is from (CELLxGENE's tissue_type)
        r"organoids?|xenografts?|pdx"
    ),
    # a capital R or L alone is the side as clinical notes write it ("R lung", "breast (L)")
    "side": r"left|right|lt|rt|bilateral|ipsilateral|contralateral|(?-i:[RL])(?![-.][^\W_])\.?",
    # surface markers of a sorted population ("CD45-", "CD4-negative"): cell-type words;
    # a gene symbol with its level, as clusters are named ("FTL high", "SPP1_high", "PLIN2+"),
    # or several ("IGHA/HG high", "IGHG_IGK high"); mouse and rat symbols are written with
    # a capital, lower-case letters and a number ("Col1a1 high", "Col4A1 high", "Lyz2+")
    "marker": (
        r"CD\d+[a-z]?(?:\s*[+-]|[\s-]?(?:positive|negative|pos|neg|high|low|hi|lo|dim|bright))?|"
        r"(?-i:(?:[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{1,4})?(?:[/_][A-Z][A-Z0-9]{1,9})*"
        r"|[A-Z][a-z]{1,6}\d{1,3}[A-Za-z]?\d{0,2}))"
        r"(?:[\s_]*(?:high|low|hi|lo)\b|\+)"
    ),
    # a number joined to a word by ".", "," or "-" is part of an identifier or a list of
    # locants ("HuH-7.5", "P493-6", "2,3-diol"); "_2" ends a cluster's name ("B_cells_1")
    "count": (
        # a size or an amount of the sample ("skin punch 4mm", "10 ml") is no part of a name
        r"(?<![^\W_][.,-])\d+(?:\.\d+)?\s*(?:mm|cm|[µu]m|mg|ml|[µu]l)|"
        r"(?<![^\W_][.,-])(?:\d+(?:\.\d+)?\s*%|#\s*\d+|(?:rep|replicate|donor|patient|pt|"
        r"batch|run|lane|slide|block|no\.?)\s*\d+|\d+\s*-\s*\d+|\d+)(?![.,-][^\W_])|"
        # clusters numbered in Roman numerals at the end ("Fibroblast II", "(macrophage I)")
        r"(?-i:I{1,3}|IV|VI{0,3}|IX|X)(?=[\s)\]]*$)"
    ),
}
