#!/usr/bin/env python3
"""Compare two `terraform show -json PLAN` outputs made against one state
after a cdktf deploy: cdktf's own re-plan, and the plan of the same stack
ejected to plain Terraform (`eject -out DIR`). The ejected code must plan
exactly what cdktf plans: on real AWS that is nothing ("No changes."); on
the emulator, nothing but its documented gaps (scripts/emulator_replan.py
checks cdktf's re-plan for those).
Usage: eject_compare.py STACK CDKTF_PLAN.json EJECTED_PLAN.json EXIT_CODE
EXIT_CODE is the ejected plan's `plan -detailed-exitcode` (0: no changes).
"""
import json
import sys

stack, cdktf_path, ejected_path, rc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def changes(plan):
    out = {}
    for rc_ in plan.get("resource_changes", []):
        actions = rc_["change"]["actions"]
        if actions in (["no-op"], ["read"]):
            continue
        out[rc_["address"]] = {k: rc_["change"].get(k) for k in ("actions", "before", "after", "after_unknown")}
    for name, oc in plan.get("output_changes", {}).items():
        if oc["actions"] != ["no-op"]:
            out["output." + name] = {k: oc.get(k) for k in ("actions", "before", "after")}
    return out


cdktf, ejected = changes(json.load(open(cdktf_path))), changes(json.load(open(ejected_path)))
problems = []
if rc == 1:
    problems.append("the ejected plan failed")
for address in sorted(set(cdktf) | set(ejected)):
    if address not in ejected:
        problems.append(f"{address}: cdktf plans {cdktf[address]['actions']}, the ejected code does not")
    elif address not in cdktf:
        problems.append(f"{address}: the ejected code plans {ejected[address]['actions']}: {json.dumps(ejected[address])[:400]}")
    elif cdktf[address] != ejected[address]:
        problems.append(f"{address}: the ejected code plans another change than cdktf: {json.dumps(ejected[address])[:400]}")
if rc == 0 and ejected:
    problems.append(f"plan -detailed-exitcode said no changes, but the plan has {sorted(ejected)}")
if rc == 2 and not ejected:
    problems.append("plan -detailed-exitcode said changes, but none are in the plan")
for p in problems:
    print(f"FAILED: {stack}: ejected: {p}")
if not problems:
    if not ejected:
        print(f"ok: {stack}: the ejected code plans against the deployed state: No changes.")
    else:
        print(f"ok: {stack}: the ejected code plans exactly cdktf's own re-plan: {len(ejected)} emulator-gap update(s), nothing else (No changes on AWS)")
sys.exit(1 if problems else 0)
