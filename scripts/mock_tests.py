#!/usr/bin/env python3
"""Write a `terraform test` file for one synthesized stack, from its JSON:
no logical ID is typed by hand, so the tests follow the stacks.

  mock_tests.py SCHEMA.json STACK_DIR

STACK_DIR holds main.tf.json (a stack's cdk.tf.json); the test goes to
STACK_DIR/tests/mock.tftest.hcl. SCHEMA.json is `terraform providers schema
-json` for hashicorp/aws. The test mocks the AWS provider (no credentials,
no network):
- every mocked resource and data source that has a computed "arn" gets a
  well-formed ARN (the provider checks ARN syntax where one is passed on);
  endpoints get a DNS entry, services a name and zones, data sources what
  the stacks read from them;
- every cross-stack read (terraform_remote_state) returns realistic values
  for the outputs the stack uses;
- run "apply" plans and applies the whole stack;
- for each precondition the stack carries (the endpoint's zone check), a run
  breaks what it guards and expects exactly that resource to fail.
"""
import json
import os
import re
import sys

ACCOUNT = "123456789012"


def hcl(value):
    """Render a JSON-like value as HCL."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(hcl(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {hcl(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def main():
    schema_path, stack_dir = sys.argv[1], sys.argv[2]
    # registry.terraform.io/hashicorp/aws, or registry.opentofu.org/... under OpenTofu
    all_schemas = json.load(open(schema_path))["provider_schemas"]
    schemas = next(v for k, v in all_schemas.items() if k.endswith("/hashicorp/aws"))
    doc_text = open(os.path.join(stack_dir, "main.tf.json")).read()
    doc = json.loads(doc_text)
    providers = doc.get("provider", {}).get("aws", [{}])
    region = providers[0].get("region", "ap-northeast-1")
    zones = [region + "a", region + "d"]
    service_name = f"com.amazonaws.vpce.{region}.vpce-svc-0123456789abcdef0"

    def arn(kind, typ):
        return f"arn:aws:{kind}:{region}:{ACCOUNT}:{typ.removeprefix('aws_')}/mock"

    special = {
        ("resource", "aws_vpc_endpoint"): {"dns_entry": [{"dns_name": f"vpce-0123456789abcdef0-mock.{service_name}", "hosted_zone_id": "Z2E726K9Y6RL4W"}]},
        ("resource", "aws_vpc_endpoint_service"): {"service_name": service_name, "availability_zones": zones,
                                                   "private_dns_name_configuration": [{"name": "_0123abcd", "type": "TXT", "value": "vpce:0123456789abcdef", "state": "pendingVerification"}]},
        ("data", "aws_route53_zone"): {"name": "example.com."},  # private_zone is not computed: null in mocks
        ("data", "aws_vpc_endpoint_service"): {"availability_zones": zones, "service_name": service_name},
        ("data", "aws_subnet"): {"availability_zone": zones[0]},
        ("data", "aws_vpc"): {"cidr_block": "10.20.0.0/16", "ipv6_cidr_block": "2600:1f18:abcd:1200::/56"},
        ("resource", "aws_vpc"): {"ipv6_cidr_block": "2600:1f18:abcd:1200::/56"},
        ("data", "aws_caller_identity"): {"account_id": ACCOUNT},
        ("data", "aws_partition"): {"partition": "aws"},
        ("data", "aws_region"): {"name": region},
        ("data", "aws_ec2_managed_prefix_list"): {"id": "pl-0123456789abcdef0"},
    }
    lines = ['mock_provider "aws" {']
    for kind, block in (("resource", "resource_schemas"), ("data", "data_source_schemas")):
        for typ in sorted(doc.get(kind, {})):
            if typ not in schemas[block]:
                continue  # terraform_remote_state: overridden below
            attrs = schemas[block][typ]["block"].get("attributes", {})
            defaults = {}
            if "arn" in attrs and attrs["arn"].get("computed"):
                defaults["arn"] = arn("elasticloadbalancing" if "lb" in typ else "ec2", typ)
            defaults.update(special.get((kind, typ), {}))
            # A mocked value for an argument the stack sets is ignored by
            # Terraform and an error under OpenTofu ("overriding
            # configuration values is not allowed"): mock only what no
            # block of this type sets.
            configured = {k for body in doc[kind][typ].values() for k in body}
            defaults = {k: v for k, v in defaults.items() if k not in configured}
            # Mocks apply to computed attributes only: Terraform ignores
            # others silently, OpenTofu refuses them ("Non-computed field").
            defaults = {k: v for k, v in defaults.items() if attrs.get(k, {}).get("computed")}
            if defaults:
                lines.append(f'  mock_{"data" if kind == "data" else "resource"} "{typ}" {{')
                lines.append(f"    defaults = {hcl(defaults)}")
                lines.append("  }")
    lines.append("}")

    # Cross-stack reads: each output the stack uses, with a realistic value.
    for name in sorted(doc.get("data", {}).get("terraform_remote_state", {})):
        outputs = {}
        for key in sorted(set(re.findall(r"data\.terraform_remote_state\." + re.escape(name) + r"\.outputs\.([\w-]+)", doc_text))):
            if key.endswith("service_name"):
                outputs[key] = service_name
            elif "vpc_endpoint_service" in key:
                outputs[key] = "vpce-svc-0123456789abcdef0"
            elif "vpc_endpoint" in key:
                outputs[key] = "vpce-0123456789abcdef0"
            else:
                outputs[key] = "mock"
        lines += ["", "override_data {", f"  target = data.terraform_remote_state.{name}",
                  f"  values = {{ outputs = {hcl(outputs)} }}", "}"]

    lines += ["", 'run "apply" {', "  command = apply", "}"]

    # Every precondition, broken on purpose: each one must fire.
    broken = 0
    for typ, resources in sorted(doc.get("resource", {}).items()):
        for name, body in sorted(resources.items()):
            for pre in body.get("lifecycle", {}).get("precondition", []):
                subnets = sorted(set(re.findall(r"data\.aws_subnet\.([\w-]+)\.availability_zone", pre["condition"])))
                zones = sorted(set(re.findall(r"data\.aws_route53_zone\.([\w-]+)\.private_zone", pre["condition"])))
                if subnets:  # an endpoint's zone check: a subnet elsewhere
                    target, values, what = f"data.aws_subnet.{subnets[0]}", f'{{ availability_zone = "{region}z" }}', "zone"
                elif zones:  # private DNS verification: another zone than the one named
                    # (private_zone is not computed, so a mock cannot set it)
                    target, values, what = f"data.aws_route53_zone.{zones[0]}", '{ name = "example.org." }', "zone_name"
                else:
                    sys.exit(f"{stack_dir}: {typ}.{name} has a precondition this generator cannot break: {pre['condition']}")
                broken += 1
                lines += ["", f'run "precondition_{typ}_{name}_{what}" {{', "  command = plan",
                          "  override_data {", f"    target = {target}",
                          f"    values = {values}", "  }",
                          f"  expect_failures = [{typ}.{name}]", "}"]
    os.makedirs(os.path.join(stack_dir, "tests"), exist_ok=True)
    with open(os.path.join(stack_dir, "tests", "mock.tftest.hcl"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{stack_dir}: 1 apply run, {broken} precondition runs")


if __name__ == "__main__":
    main()
