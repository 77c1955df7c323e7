"""Masking of personal data: shown masked by default; a full reveal is recorded."""


def mask(value: str | None, keep: int = 4) -> str:
    """'110105194912310025' -> '**************0025'. Short values are masked whole."""
    if not value:
        return ""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]
