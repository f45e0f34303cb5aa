"""The metadata profile: a JSON Schema in the repo, with vocabularies filled in from gongkai.yml."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import jsonschema

from ..core.config import Settings
from ..core.jsonlines import line_of, pointer
from ..core.problems import Problem
from ..read.load import DESCRIPTOR, Dataset, fields_of, schema_of
from ..read.period import parse_period

PROFILE = Path(__file__).resolve().parents[1] / "schemas" / "dataset.schema.json"


@lru_cache(maxsize=4)
def _validator(settings: Settings) -> jsonschema.Draft202012Validator:
    schema = copy.deepcopy(json.loads(PROFILE.read_text(encoding="utf-8")))
    schema["$defs"]["publisher"]["enum"] = [p.name for p in settings.publishers]
    schema["$defs"]["topic"]["enum"] = [t.name for t in settings.topics]
    schema["properties"]["update_frequency"]["enum"] = [f.name for f in settings.update_frequencies]
    schema["properties"]["open_type"]["enum"] = list(settings.open_types)
    return jsonschema.Draft202012Validator(schema)


def check_profile(ds: Dataset, lines: dict[str, int], settings: Settings) -> Iterator[Problem]:
    if ds.descriptor is None:
        return
    errors = sorted(_validator(settings).iter_errors(ds.descriptor), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        if _about_temporal(error):
            continue  # _temporal says it in a maintainer's words, under its own code
        ptr = pointer(error.absolute_path)
        yield Problem(
            "metadata-profile",
            _message(error),  # jsonschema's words, for JSON readers; the CLI words the facts (core/problemtext.py)
            ds.file(DESCRIPTOR),
            line=line_of(lines, ptr),
            field=ptr or "/",
            dataset=ds.name,
            params=_facts(error),
        )
    yield from _temporal(ds, lines)
    yield from _field_references(ds, lines)


def _about_temporal(error: jsonschema.ValidationError) -> bool:
    if list(error.absolute_path)[:1] == ["temporal"]:
        return True
    return error.validator == "required" and error.message == "'temporal' is a required property"


def _temporal(ds: Dataset, lines: dict[str, int]) -> Iterator[Problem]:
    """The data period every dataset declares: pages, catalogs and the timeliness score read it."""
    meta = ds.descriptor
    if not isinstance(meta, dict):
        return
    if "temporal" not in meta:
        message = (
            'no data period: add "temporal", the day the data are as of ("2022-10-31") '
            'or the period they cover ("2018-01-01/2018-12-31")'
        )
    else:
        try:
            parse_period(meta["temporal"])
            return
        except ValueError as error:
            message = f"temporal {error}"
    line = line_of(lines, "/temporal")
    facts = {"rule": "required"} if "temporal" not in meta else {"rule": "value", "value": _short(meta["temporal"])}
    yield Problem("temporal", message, ds.file(DESCRIPTOR), line=line, field="/temporal", dataset=ds.name, params=facts)


def _message(error: jsonschema.ValidationError) -> str:
    # jsonschema's wording, with long instances cut so one problem stays on one line.
    if error.validator == "required":
        return error.message
    if list(error.absolute_path) == ["description"] and error.validator in ("minLength", "maxLength"):
        return _description_length(error.instance)
    if error.validator == "enum" and isinstance(
        error.validator_value, list
    ):  # the schema's enum (jsonschema types it as maybe unset)
        allowed = "、".join(map(str, error.validator_value))
        return f"{_short(error.instance)} is not one of the allowed values: {allowed} (see gongkai.yml)"
    if error.validator == "pattern":
        return f"{_short(error.instance)} does not match the pattern {error.validator_value}"
    if error.validator == "contains":
        return 'needs at least one contributor with role "maintainer" and an email or path'
    if error.validator == "if" or error.validator == "anyOf" and "unit" in str(error.validator_value):
        return "a number or integer field needs a unit (or unitField naming the field that holds it)"
    return error.message if len(error.message) < 200 else error.message[:200] + "…"


def _description_length(text: object) -> str:
    """Search engines drop a dataset whose description is shorter or longer (Google's Dataset rules)."""
    n = len(text) if isinstance(text, str) else 0
    return (
        f"the description has {n} characters; search engines need 50 to 5,000: "
        "say what the dataset holds (scope, period, units, source)"
    )


def _facts(error: jsonschema.ValidationError) -> dict:
    """The rule that failed and its facts: the property, the value, the limit, for the words at the edge."""
    path = [p for p in error.absolute_path]
    named = [p for p in path if isinstance(p, str)]
    facts: dict = {"rule": error.validator, "property": named[-1] if named else "", "value": _short(error.instance)}
    rule, expected = error.validator, error.validator_value
    if rule == "required":
        found = re.match(r"'(.+)' is a required property", error.message)
        facts["property"] = found.group(1) if found else ""
    elif rule == "type":
        facts["type"] = (
            expected
            if isinstance(expected, str)
            else "/".join(map(str, expected if isinstance(expected, list) else []))
        )
    elif rule == "enum" and isinstance(expected, list):
        facts["allowed"] = "、".join(map(str, expected))
    elif rule == "pattern":
        facts["pattern"] = expected
    elif path == ["description"] and rule in ("minLength", "maxLength"):
        bounds = error.schema if isinstance(error.schema, dict) else {}
        facts.update(
            rule="description_length",
            length=len(error.instance) if isinstance(error.instance, str) else 0,
            shortest=bounds.get("minLength", 0),
            longest=bounds.get("maxLength", "…"),
        )
    elif rule in ("minLength", "maxLength", "minItems"):
        facts["limit"] = expected
        facts["length"] = len(error.instance) if isinstance(error.instance, (str, list)) else 0
    elif rule == "contains":
        facts["example"] = '{"title": "某局", "role": "maintainer", "email": "open@example.gov.cn"}'
    elif rule == "if" or rule == "anyOf" and "unit" in str(expected):
        facts.update(rule="unit", example='"unit": "万人"')
    elif rule == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        facts["keys"] = "、".join(sorted(k for k in error.instance if k not in allowed))
    elif rule == "maxItems":
        facts["limit"] = expected
    elif rule == "const":
        facts["expected"] = _short(expected)
    elif rule not in ("uniqueItems", "format"):
        facts["rule"] = "other"  # anyOf, oneOf, not: no one fact says what is wrong
        facts["expected"] = rule
    return facts


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:60] + "…"


def _field_references(ds: Dataset, lines: dict[str, int]) -> Iterator[Problem]:
    """primaryKey and unitField name fields of the same schema; a crosstab, a resource and its fields."""

    def problem(message: str, parts: list, **facts) -> Problem:
        ptr = pointer(parts)
        return Problem(
            "metadata-profile",
            message,
            ds.file(DESCRIPTOR),
            line=line_of(lines, ptr),
            field=ptr,
            dataset=ds.name,
            params=facts,
        )

    names_by_resource = {}
    for i, res in enumerate(ds.resources):
        names = _names(res)
        if isinstance(res.get("name"), str):
            names_by_resource[res["name"]] = names
        key = schema_of(res).get("primaryKey")
        for name in [key] if isinstance(key, str) else key if isinstance(key, list) else []:
            if isinstance(name, str) and name not in names:
                yield problem(
                    f'primaryKey names "{name}", which is not a field of this resource',
                    ["resources", i, "schema", "primaryKey"],
                    rule="primaryKey",
                    name=name,
                )
        raw_fields = schema_of(res).get("fields")
        for j, field in enumerate(raw_fields if isinstance(raw_fields, list) else []):
            unit_field = field.get("unitField") if isinstance(field, dict) else None
            if isinstance(unit_field, str) and unit_field not in names:
                yield problem(
                    f'unitField "{unit_field}" is not a field of this resource',
                    ["resources", i, "schema", "fields", j, "unitField"],
                    rule="unitField",
                    name=unit_field,
                )

    crosstabs = ds.loaded.get("crosstabs")
    for i, spec in enumerate(crosstabs if isinstance(crosstabs, list) else []):
        if not isinstance(spec, dict) or not isinstance(spec.get("resource"), str):
            continue  # the schema part of the profile reports the shape
        resource = spec["resource"]
        if resource not in names_by_resource:
            yield problem(
                f'crosstab resource "{resource}" is not a resource of this dataset',
                ["crosstabs", i, "resource"],
                rule="crosstab_resource",
                name=resource,
            )
            continue
        for key in ("rows", "columns"):
            if spec.get(key) not in names_by_resource[resource]:
                yield problem(
                    f'crosstab {key} "{spec.get(key)}" is not a field of resource "{resource}"',
                    ["crosstabs", i, key],
                    rule="crosstab_field",
                    key=key,
                    name=spec.get(key),
                    resource=resource,
                )


def _names(resource: dict) -> set[str]:
    return {f["name"] for f in fields_of(resource) if isinstance(f.get("name"), str)}
