"""Pure text functions shared by every matcher: normalisation and tokenising."""

from harmonize.text.normalize import Normalized, normalize, normalize_steps, tokens

__all__ = ["Normalized", "normalize", "normalize_steps", "tokens"]
