#!/usr/bin/env python3
"""Read `terraform show -json PLAN` on stdin, after a deploy to the AWS
emulator, and fail on any planned change that is not one of the emulator's
known gaps (moto 5.2 with hashicorp/aws 5.100): it does not store an NLB's
enforce_security_group_inbound_rules_on_private_link_traffic, nor the
description of security group rules that reference another group or a
prefix list, and a private hosted zone is created without its VPC (so it
reads back without it, and public). Each gap
is tolerated only as the empty value the emulator returns. Real AWS keeps
all three, so a re-plan there shows no changes.
Usage: terraform show -json PLAN | emulator_replan.py STACK
"""
import json
import sys

# (resource type, attribute) -> what the emulator reads back instead
GAPS = {
    ("aws_lb", "enforce_security_group_inbound_rules_on_private_link_traffic"): lambda before: before in (None, ""),
    ("aws_vpc_security_group_egress_rule", "description"): lambda before: before in (None, ""),
    ("aws_vpc_security_group_ingress_rule", "description"): lambda before: before in (None, ""),
    ("aws_route53_zone", "vpc"): lambda before: before in (None, []),
}
# The rule description gap only concerns rules that reference a group or a
# prefix list (moto keeps a CIDR rule's description).
REFERENCING = {"aws_vpc_security_group_egress_rule", "aws_vpc_security_group_ingress_rule"}

stack = sys.argv[1]
plan = json.load(sys.stdin)
problems, tolerated = [], []
for rc in plan.get("resource_changes", []):
    actions = rc["change"]["actions"]
    if actions in (["no-op"], ["read"]):
        continue
    before, after = rc["change"].get("before") or {}, rc["change"].get("after") or {}
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    referencing = before.get("referenced_security_group_id") or before.get("prefix_list_id")
    unexplained = [k for k in changed
                   if not GAPS.get((rc["type"], k), lambda _: False)(before.get(k))
                   or (rc["type"] in REFERENCING and k == "description" and not referencing)]
    if actions != ["update"] or unexplained:
        detail = "; ".join(f"{k}: {json.dumps(before.get(k))} -> {json.dumps(after.get(k))}" for k in (unexplained or changed))
        problems.append(f"{rc['address']} {actions}: {detail}")
    else:
        tolerated.append(f"{rc['address']} {changed}")
for t in tolerated:
    print(f"ok: {stack}: emulator gap, not a change on AWS: {t}")
for p in problems:
    print(f"FAILED: {stack}: a re-plan after deploy would change {p}")
if not problems:
    print(f"ok: {stack}: a re-plan after deploy changes nothing else")
sys.exit(1 if problems else 0)
