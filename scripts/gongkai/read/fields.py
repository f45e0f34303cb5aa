"""Field helpers: a field's unit and its constraints in words, one wording for the pages and the
XLSX data dictionary."""

from __future__ import annotations


def unit_of(field: dict, fields: list[dict]) -> str:
    """The unit of a field, or where to find it when each row states its own."""
    if "unit" in field:
        return field["unit"]
    if "unitField" in field:
        other = next((f for f in fields if f.get("name") == field["unitField"]), {})
        return f"见“{other.get('title') or field['unitField']}”列"
    return ""


def constraints_text(field: dict) -> str:
    c = field.get("constraints") or {}
    words = {
        "required": "必填",
        "unique": "唯一",
        "minimum": "最小值",
        "maximum": "最大值",
        "pattern": "格式",
        "enum": "取值",
        "minLength": "最短",
        "maxLength": "最长",
    }
    parts = []
    for key, value in c.items():
        label = words.get(key, key)
        if value is True:
            parts.append(label)
        elif isinstance(value, list):
            parts.append(f"{label}：{'、'.join(map(str, value))}")
        else:
            parts.append(f"{label}：{value}")
    return "；".join(parts)
