"""Masking of personal identifiers for display: 3204**********0031, 138****5678."""


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    if not value:
        return ""
    digits = value.replace("-", "")
    if len(digits) <= 4:
        return "*" * len(value)
    if len(value) == 11 and value.isdigit():
        return value[:3] + "****" + value[-4:]
    return "*" * (len(value) - 4) + value[-4:]
