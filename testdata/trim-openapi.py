#!/usr/bin/env python3
"""Trim an Atlassian Bitbucket OpenAPI document to what contract validation reads.

Usage: testdata/trim-openapi.py ORIGINAL.json > testdata/bitbucket-specs/NAME.json

Keeps: openapi, info (title, version), servers, paths (operations, parameters, request bodies,
responses) and components (schemas, parameters, responses, requestBodies, securitySchemes).
Drops: prose (`description`, `summary`), examples, `externalDocs`, tags and every `x-` vendor
extension. A schema *property* that happens to be called `description`, `summary` or `example`
(a pull request's description, for instance) is kept: only annotations are removed, never keys
under `properties`. A response's `description` is required by OpenAPI 3.0, so a validator refuses a
document without it: every response keeps one, emptied.
The output is deterministic (sorted keys, compact), so re-running it on the same original changes nothing.
"""
import json
import sys

PROSE = {"description", "summary", "example", "examples", "externalDocs"}
TOP_LEVEL = ("openapi", "info", "servers", "paths", "components")


def trim(node, under_properties=False, in_responses=False):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if not under_properties and (key in PROSE or key.startswith("x-") or key == "tags"):
                continue
            out[key] = trim(value, under_properties=(key == "properties" and not under_properties),
                            in_responses=(key == "responses" and not under_properties))
        if in_responses:
            for response in out.values():
                if isinstance(response, dict) and "$ref" not in response:
                    response["description"] = ""
        return out
    if isinstance(node, list):
        return [trim(item) for item in node]
    return node


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as source:
        document = json.load(source)
    kept = {key: document[key] for key in TOP_LEVEL if key in document}
    if "info" in kept:
        kept["info"] = {k: v for k, v in kept["info"].items() if k in ("title", "version")}
    json.dump(trim(kept), sys.stdout, sort_keys=True, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
