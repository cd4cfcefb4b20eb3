#!/usr/bin/env bash
# One scenario of scripts/emulator-e2e.sh (see there), against the AWS
# emulator at $AWS_ENDPOINT_URL:
#   emulator-scenario.sh PROJECT_DIR APP CONFIG PORTS PROTOCOL
# $TF is the engine (terraform, or tofu); the cdktf CLI runs it too
# (TERRAFORM_BINARY_NAME).
# CONFIG is a config file (relative to the repository, or absolute) or ""
# for the zero-config demo; PORTS the ports the provider publishes; PROTOCOL the
# ALB listeners' (HTTPS imports a self-signed certificate into the
# emulator's ACM and uses it as provider.certificateArn).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
dir="$1" app="$2" config="$3" ports="$4" protocol="$5"
cli="$ROOT/node_modules/.bin/cdktf"
domain=""
[ "$protocol" = HTTPS ] && domain=app.example.com # https-demo.yaml's customDomain
extra=()
case "$config" in *access-logs*) extra=(--access-logs) ;; esac
probe=""
case "$config" in "") ;; /*) cfgfile="$config" ;; *) cfgfile="$ROOT/$config" ;; esac
if [ -n "$config" ] && grep -qE '^\s*probe: true' "$cfgfile"; then probe=yes; extra+=(--probe); fi
check() { python3 "$ROOT/scripts/emulator_check.py" --project "$dir" --ports "$ports" --clients 10.20.0.0/16 --protocol "$protocol" --domain "$domain" "${extra[@]}"; }

case "$AWS_ENDPOINT_URL" in http://127.0.0.1:*) ;; *) echo "FAILED: AWS_ENDPOINT_URL $AWS_ENDPOINT_URL is not the loopback emulator"; exit 1 ;; esac
for _ in $(seq 100); do curl -sf --noproxy '*' "$AWS_ENDPOINT_URL/moto-api/" >/dev/null && break; sleep 0.1; done
curl -sf --noproxy '*' "$AWS_ENDPOINT_URL/moto-api/" >/dev/null || { echo "FAILED: the emulator did not start"; exit 1; }

context=""
if [ -n "$config" ]; then
  case "$config" in /*) cp "$config" "$dir/app.yaml" ;; *) cp "$ROOT/$config" "$dir/app.yaml" ;; esac
  context='"albPrivatelinkConfig": "app.yaml"'
fi
if [ "$protocol" = HTTPS ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=app.example.com" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
  arn="$(python3 -c 'import boto3,sys; print(boto3.client("acm").import_certificate(Certificate=open(sys.argv[1],"rb").read(), PrivateKey=open(sys.argv[2],"rb").read())["CertificateArn"])' "$dir/cert.pem" "$dir/key.pem")"
  sed -i "s#certificateArn: .*#certificateArn: $arn#" "$dir/app.yaml"
  echo "ok: imported a self-signed certificate for app.example.com: $arn"
fi
printf '{"language": "go", "app": "%s", "context": {%s}}\n' "$app" "$context" >"$dir/cdktf.json"
cd "$dir"

echo "--- synth, lock, deploy"
"$cli" synth
bash "$ROOT/scripts/lock-providers.sh" cdktf.out
"$cli" deploy provider consumer --auto-approve

echo "--- check through the AWS API"
check

echo "--- cdktf diff, then the same plans read as JSON: no changes but the emulator's gaps"
"$cli" diff provider consumer
for stack in provider consumer; do
  "$TF" -chdir="cdktf.out/stacks/$stack" plan -input=false -no-color -out=replan >/dev/null
  "$TF" -chdir="cdktf.out/stacks/$stack" show -json replan >"replan-$stack.json"
  python3 "$ROOT/scripts/emulator_replan.py" "$stack" <"replan-$stack.json"
done

echo "--- eject to plain Terraform, then plan it against the state cdktf deployed"
"$app" eject -out ejected
for stack in provider consumer; do
  "$TF" -chdir="ejected/$stack" init -input=false -no-color >/dev/null
  rc=0
  "$TF" -chdir="ejected/$stack" plan -input=false -no-color -detailed-exitcode -out=plan >"eject-$stack.log" || rc=$?
  [ "$rc" = 1 ] && cat "eject-$stack.log"
  "$TF" -chdir="ejected/$stack" show -json plan >"eject-$stack.json"
  python3 "$ROOT/scripts/eject_compare.py" "$stack" "replan-$stack.json" "eject-$stack.json" "$rc"
done

echo "--- doctor: the healthy path passes; each fault is named with its fix"
doctor() { # doctor NAME EXPECTED: exit 1 and EXPECTED in its report
  if "$app" doctor >"doctor-$1.log" 2>&1; then
    cat "doctor-$1.log"; echo "FAILED: doctor found no problem after: $1"; exit 1
  fi
  grep -qF "$2" "doctor-$1.log" || { cat "doctor-$1.log"; echo "FAILED: doctor did not say: $2"; exit 1; }
  echo "ok: doctor names $1: $(grep -F "$2" "doctor-$1.log" | head -1 | cut -c1-160)"
}
# On a healthy deploy the doctor finds no problem but the emulator's own
# gaps, each of which it must name: moto drops the VPC of a private zone
# the AWS provider creates (so the custom domain's zone is not associated),
# and runs Lambda functions only in Docker (so the probe, invoked, fails
# with moto's "error running docker").
gaps=()
[ -n "$domain" ] && gaps+=("a private zone for $domain is associated with the VPC=none in vpc-")
[ -n "$probe" ] && gaps+=("the connectivity probe probe-vpce-=error running docker")
"$app" doctor -json >doctor-healthy.json 2>doctor-healthy.err || true
python3 - "${gaps[@]}" <<'PY' || { cat doctor-healthy.err doctor-healthy.json; echo "FAILED: doctor reports problems on a healthy deploy"; exit 1; }
import json, sys
report = json.load(open("doctor-healthy.json"))
problems = [r for r in report["results"] if not r["ok"]]
expected = [g.split("=", 1) for g in sys.argv[1:]]
for check, detail in expected:
    hits = [p for p in problems if p["check"].startswith(check) and detail in p.get("detail", "")]
    assert len(hits) == 1, f"want the emulator gap {check!r} ({detail!r}) named once, got {hits}"
    print(f"ok: doctor names the emulator's gap: {hits[0]['check']}: {hits[0]['detail'][:100]}")
    problems.remove(hits[0])
assert not problems, f"problems on a healthy deploy: {problems}"
oks = sum(r["ok"] for r in report["results"])
assert oks >= 9, f"only {oks} checks passed"
print(f"ok: doctor: {oks} checks pass, and {len(expected)} problems are the emulator's gaps")
PY
python3 - <<'PY'
import boto3
elbv2 = boto3.client("elbv2")
for tg in elbv2.describe_target_groups()["TargetGroups"]:
    if tg["TargetType"] == "alb":
        targets = [t["Target"] for t in elbv2.describe_target_health(TargetGroupArn=tg["TargetGroupArn"])["TargetHealthDescriptions"]]
        elbv2.deregister_targets(TargetGroupArn=tg["TargetGroupArn"], Targets=targets)
PY
doctor deregistered-alb "the ALB is registered on port ${ports%%,*}: the target group has no target"
python3 - <<'PY'
import boto3, json
ec2 = boto3.client("ec2")
state = json.load(open("terraform.consumer.tfstate"))
endpoint = state["outputs"]["endpoint_id"]["value"]
group = ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint])["VpcEndpoints"][0]["Groups"][0]["GroupId"]
rules = [r["SecurityGroupRuleId"] for r in ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"] if not r["IsEgress"]]
ec2.revoke_security_group_ingress(GroupId=group, SecurityGroupRuleIds=rules)
PY
doctor revoked-endpoint-rule "the endpoint's security group admits port ${ports%%,*}: no inbound rule"

echo "--- break the wiring: delete the NLB's listeners; the checks must name it"
python3 - <<'PY'
import boto3
elbv2 = boto3.client("elbv2")
for lb in elbv2.describe_load_balancers()["LoadBalancers"]:
    if lb["Type"] == "network":
        for listener in elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]:
            elbv2.delete_listener(ListenerArn=listener["ListenerArn"])
PY
if check >broken.log; then
  echo "FAILED: the checks passed with the NLB's listeners deleted"; exit 1
fi
grep -q "FAILED: NLB listener on port ${ports%%,*} exists" broken.log || { cat broken.log; echo "FAILED: the checks did not name the missing listener"; exit 1; }
echo "ok: with the NLB's listeners deleted the checks fail, naming the listener on port ${ports%%,*}"
doctor deleted-nlb-listener "NLB listener on port ${ports%%,*} exists: none"

echo "--- destroy: the stacks' dependencies set the order"
# The provider alone is refused while its consumer exists (an endpoint
# service with connections cannot be deleted)...
if "$cli" destroy provider --auto-approve >destroy-provider.log 2>&1; then
  echo "FAILED: cdktf destroy provider ran with the consumer still deployed"; exit 1
fi
grep -q "dependant stacks are not included in the stacks to run: consumer" destroy-provider.log ||
  { tail -20 destroy-provider.log; echo "FAILED: cdktf destroy provider did not name the consumer that depends on it"; exit 1; }
python3 -c 'import boto3,sys; sys.exit(0 if boto3.client("ec2").describe_vpc_endpoint_service_configurations()["ServiceConfigurations"] else 1)' ||
  { echo "FAILED: the refused destroy removed the endpoint service"; exit 1; }
echo "ok: cdktf destroy provider is refused while the consumer exists, and removes nothing"
# ...and named in the wrong order, the consumer still goes first.
"$cli" destroy provider consumer --auto-approve
python3 - <<'PY'
import boto3, sys
ec2, elbv2 = boto3.client("ec2"), boto3.client("elbv2")
ours = [{"Name": "tag:Project", "Values": ["alb-privatelink"]}]
left = {
    "load balancers": [lb["LoadBalancerArn"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]],
    "target groups": [tg["TargetGroupArn"] for tg in elbv2.describe_target_groups()["TargetGroups"]],
    "endpoint services": [s["ServiceId"] for s in ec2.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"]],
    "endpoints": [e["VpcEndpointId"] for e in ec2.describe_vpc_endpoints()["VpcEndpoints"] if e["State"].lower() != "deleted"],
    "VPCs": [v["VpcId"] for v in ec2.describe_vpcs(Filters=ours)["Vpcs"]],
    "security groups": [g["GroupId"] for g in ec2.describe_security_groups(Filters=ours)["SecurityGroups"]],
    "hosted zones": [z["Id"] for z in boto3.client("route53").list_hosted_zones()["HostedZones"]],
    "functions": [f["FunctionName"] for f in boto3.client("lambda").list_functions()["Functions"]],
    "log groups": [g["logGroupName"] for g in boto3.client("logs").describe_log_groups()["logGroups"]],
}
left = {k: v for k, v in left.items() if v}
if left:
    print(f"FAILED: destroy left {left}")
    sys.exit(1)
print("ok: destroy left no load balancer, target group, endpoint service, endpoint, VPC, security group, zone, function or log group")
PY
