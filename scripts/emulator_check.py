#!/usr/bin/env python3
"""Check, through the AWS API, what a user would check after
`cdktf deploy provider consumer` of the demo: the NLB, its listeners and
alb-type target groups with the ALB registered, the endpoint service, the
consumer's interface endpoint and its security group, and the outputs.

Run by scripts/emulator-e2e.sh against the AWS emulator (AWS_ENDPOINT_URL);
it reads the stacks' outputs from the local state files in the project
folder. Each check prints "ok: ..." or "FAILED: ..." naming what is wrong;
the last line is "N passed, M failed" and the exit code is 1 on a failure.
"""
import argparse
import json
import os
import sys

import boto3

passed, failed = 0, 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAILED: {what}")
    return ok


def outputs(project, stack):
    with open(os.path.join(project, f"terraform.{stack}.tfstate")) as f:
        return {k: v["value"] for k, v in json.load(f)["outputs"].items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--project", required=True, help="the cdktf project folder (local state)")
    ap.add_argument("--region", default="ap-northeast-1")
    ap.add_argument("--ports", required=True, help="comma-separated ports the provider publishes")
    ap.add_argument("--clients", required=True, help="comma-separated client CIDRs of the consumer")
    ap.add_argument("--protocol", required=True, choices=["HTTP", "HTTPS"], help="the ALB listeners' protocol")
    ap.add_argument("--domain", default="", help="the consumer's customDomain, if any")
    ap.add_argument("--access-logs", action="store_true", help="provider.nlb.accessLogs with a new bucket")
    ap.add_argument("--probe", action="store_true", help="the consumer has the connectivity probe (consumers[].probe)")
    args = ap.parse_args()
    ports = sorted(int(p) for p in args.ports.split(","))
    clients = sorted(args.clients.split(","))
    elbv2 = boto3.client("elbv2", region_name=args.region)
    ec2 = boto3.client("ec2", region_name=args.region)

    prov, cons = outputs(args.project, "provider"), outputs(args.project, "consumer")
    for name in ("service_name", "service_id"):
        check(prov.get(name), f"provider output {name} is set ({prov.get(name)!r})")
    for name in ("endpoint_id", "endpoint_dns_name"):
        check(cons.get(name), f"consumer output {name} is set ({cons.get(name)!r})")

    svc = ec2.describe_vpc_endpoint_service_configurations(ServiceIds=[prov["service_id"]])["ServiceConfigurations"][0]
    check(svc["AcceptanceRequired"] is True, "the endpoint service requires acceptance")
    nlb_arns = svc["NetworkLoadBalancerArns"]
    if not check(len(nlb_arns) == 1, f"the endpoint service fronts one NLB ({nlb_arns})"):
        return
    nlb = elbv2.describe_load_balancers(LoadBalancerArns=nlb_arns)["LoadBalancers"][0]
    check(nlb["Type"] == "network", f"the service's load balancer is an NLB ({nlb['Type']})")
    check(nlb["Scheme"] == "internal", f"the NLB is internal ({nlb['Scheme']})")
    attrs = {a["Key"]: a["Value"] for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=nlb["LoadBalancerArn"])["Attributes"]}
    check(attrs.get("load_balancing.cross_zone.enabled") == "true", "the NLB balances across zones")
    if args.access_logs:
        bucket = attrs.get("access_logs.s3.bucket", "")
        check(attrs.get("access_logs.s3.enabled") == "true" and bucket, f"the NLB writes access logs to a bucket ({attrs.get('access_logs.s3.enabled')}, {bucket!r})")
        s3 = boto3.client("s3", region_name=args.region)
        if bucket:
            policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
            writers = [st for st in policy["Statement"] if st.get("Principal") == {"Service": "delivery.logs.amazonaws.com"} and st.get("Action") == "s3:PutObject"]
            check(len(writers) == 1 and "/nlb/AWSLogs/" in writers[0]["Resource"], f"only ELB log delivery writes to the bucket, under nlb/AWSLogs/ ({[w.get('Resource') for w in writers]})")
            block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
            check(all(block.values()) and len(block) == 4, f"the log bucket blocks public access ({block})")
            sse = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
            check(sse.get("SSEAlgorithm") == "aws:kms" and sse.get("KMSMasterKeyID"), f"the log bucket encrypts with a KMS key ({sse})")
            check(s3.get_bucket_versioning(Bucket=bucket).get("Status") == "Enabled", "the log bucket is versioned")
    perms = ec2.describe_vpc_endpoint_service_permissions(ServiceId=prov["service_id"])["AllowedPrincipals"]
    account = boto3.client("sts", region_name=args.region).get_caller_identity()["Account"]
    check(f"arn:aws:iam::{account}:root" in [p["Principal"] for p in perms], f"the provider's own account may connect ({[p['Principal'] for p in perms]})")

    albs = [lb for lb in elbv2.describe_load_balancers()["LoadBalancers"] if lb["Type"] == "application"]
    check(len(albs) == 1, f"one ALB behind the NLB ({len(albs)})")
    alb_arn = albs[0]["LoadBalancerArn"] if albs else None
    listeners = {l["Port"]: l for l in elbv2.describe_listeners(LoadBalancerArn=nlb["LoadBalancerArn"])["Listeners"]}
    check(sorted(listeners) == ports, f"the NLB listens on the published ports {ports} (has {sorted(listeners)})")
    for port in ports:
        listener = listeners.get(port)
        if not check(listener is not None, f"NLB listener on port {port} exists"):
            continue
        check(listener["Protocol"] == "TCP", f"NLB listener on port {port} is TCP ({listener['Protocol']})")
        forwards = [a.get("TargetGroupArn") for a in listener["DefaultActions"] if a["Type"] == "forward"]
        if not check(len(forwards) == 1 and forwards[0], f"NLB listener on port {port} forwards to a target group ({listener['DefaultActions']})"):
            continue
        tg = elbv2.describe_target_groups(TargetGroupArns=forwards)["TargetGroups"][0]
        check(tg["TargetType"] == "alb" and tg["Protocol"] == "TCP" and tg["Port"] == port,
              f"target group on port {port} is alb-type TCP {port} ({tg['TargetType']} {tg['Protocol']} {tg['Port']})")
        check(tg.get("HealthCheckProtocol") == args.protocol, f"target group on port {port} checks the ALB over {args.protocol} ({tg.get('HealthCheckProtocol')})")
        targets = [(t["Target"]["Id"], t["Target"].get("Port")) for t in elbv2.describe_target_health(TargetGroupArn=tg["TargetGroupArn"])["TargetHealthDescriptions"]]
        check(targets == [(alb_arn, port)], f"the ALB is registered on port {port} ({targets})")
        if alb_arn:
            alb_listeners = {l["Port"]: l for l in elbv2.describe_listeners(LoadBalancerArn=alb_arn)["Listeners"]}
            alb_l = alb_listeners.get(port, {})
            check(alb_l.get("Protocol") == args.protocol, f"the ALB listens on port {port} with {args.protocol} ({alb_l.get('Protocol')})")
            if args.protocol == "HTTPS":
                certs = [c["CertificateArn"] for c in alb_l.get("Certificates", [])]
                check(len(certs) == 1 and ":acm:" in certs[0], f"the ALB's HTTPS listener on port {port} serves the ACM certificate ({certs})")

    ep = ec2.describe_vpc_endpoints(VpcEndpointIds=[cons["endpoint_id"]])["VpcEndpoints"][0]
    check(ep["VpcEndpointType"] == "Interface", f"the consumer's endpoint is an Interface endpoint ({ep['VpcEndpointType']})")
    check(ep["ServiceName"] == prov["service_name"], f"the endpoint uses the service's name ({ep['ServiceName']})")
    subnets = ec2.describe_subnets(SubnetIds=ep["SubnetIds"])["Subnets"]
    check(len(subnets) >= 2 and all(s["VpcId"] == ep["VpcId"] for s in subnets), f"the endpoint is in {len(subnets)} subnets of its VPC")
    stack_of = lambda tags: {t["Key"]: t["Value"] for t in tags or []}.get("Stack")
    vpc = ec2.describe_vpcs(VpcIds=[ep["VpcId"]])["Vpcs"][0]
    check(stack_of(vpc.get("Tags")) == "consumer" and all(stack_of(s.get("Tags")) == "consumer" for s in subnets),
          f"the endpoint's VPC and subnets are the consumer stack's ({stack_of(vpc.get('Tags'))}, {[stack_of(s.get('Tags')) for s in subnets]})")
    groups = [g["GroupId"] for g in ep["Groups"]]
    if check(len(groups) == 1, f"the endpoint has its own security group ({groups})"):
        rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": groups}])["SecurityGroupRules"]
        ingress = sorted((r["FromPort"], r["ToPort"], r.get("CidrIpv4")) for r in rules if not r["IsEgress"] and r.get("CidrIpv4"))
        want = sorted((p, p, c) for p in ports for c in clients)
        check(ingress == want, f"the endpoint's security group admits exactly ports {ports} from {clients} ({ingress})")
        ingress6 = sorted((r["FromPort"], r["ToPort"], r.get("CidrIpv6")) for r in rules if not r["IsEgress"] and r.get("CidrIpv6"))
        check(not ingress6, f"the endpoint's security group admits no IPv6 ({ingress6})")
        check(not [r for r in rules if r["IsEgress"]], "the endpoint's security group has no egress rule")

    if args.domain:
        check(cons.get("custom_fqdn") == args.domain, f"consumer output custom_fqdn is {args.domain} ({cons.get('custom_fqdn')!r})")
        r53 = boto3.client("route53", region_name=args.region)
        # moto drops the VPC the AWS provider creates the zone with, so the
        # zone comes out public there (see emulator_replan.py); that it is a
        # private zone of the consumer VPC is checked by the synth tests and
        # the mocked-provider tests, and by AWS itself.
        zones = [z for z in r53.list_hosted_zones()["HostedZones"] if z["Name"].rstrip(".") == args.domain]
        if check(len(zones) == 1, f"{args.domain} has one hosted zone ({[z['Name'] for z in zones]})"):
            records = r53.list_resource_record_sets(HostedZoneId=zones[0]["Id"])["ResourceRecordSets"]
            alias = [r["AliasTarget"]["DNSName"].rstrip(".") for r in records if r["Type"] == "A" and r["Name"].rstrip(".") == args.domain and "AliasTarget" in r]
            check(alias == [cons["endpoint_dns_name"]], f"{args.domain} is an alias of the endpoint's DNS name ({alias})")

    if args.probe:
        check_probe(ec2, boto3.client("lambda", region_name=args.region), cons, ep, groups, ports, args.domain)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def check_probe(ec2, lam, cons, ep, endpoint_groups, ports, domain):
    """The probe: a provided.al2023 function in the endpoint's subnets,
    with a group that reaches only the endpoint, which admits it."""
    name = cons.get("probe_function_name")
    if not check(name == "probe-" + cons["endpoint_id"], f"consumer output probe_function_name is probe-<endpoint ID> ({name!r})"):
        return
    fn = lam.get_function(FunctionName=name)
    conf = fn["Configuration"]
    check((conf["Runtime"], conf["Handler"], conf.get("Architectures")) == ("provided.al2023", "bootstrap", ["arm64"]),
          f"the probe runs bootstrap on provided.al2023, arm64 ({conf['Runtime']}, {conf['Handler']}, {conf.get('Architectures')})")
    check(conf["CodeSize"] > 1_000_000, f"the probe's code is the built function ({conf['CodeSize']} bytes)")
    vpc = conf.get("VpcConfig", {})
    check(sorted(vpc.get("SubnetIds", [])) == sorted(ep["SubnetIds"]), f"the probe runs in the endpoint's subnets ({vpc.get('SubnetIds')})")
    env = conf.get("Environment", {}).get("Variables", {})
    hosts = ([domain] if domain else []) + [cons["endpoint_dns_name"]]
    check(env.get("PROBE_HOSTS") == ",".join(hosts) and env.get("PROBE_PORTS") == ",".join(map(str, ports)),
          f"the probe calls {hosts} on {ports} ({env})")
    groups = vpc.get("SecurityGroupIds", [])
    if not check(len(groups) == 1 and groups != endpoint_groups, f"the probe has its own security group ({groups})"):
        return
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": groups}])["SecurityGroupRules"]
    egress = sorted((r["FromPort"], r.get("ReferencedGroupInfo", {}).get("GroupId"), r.get("CidrIpv4")) for r in rules if r["IsEgress"])
    check(egress == sorted((p, endpoint_groups[0], None) for p in ports), f"the probe's group reaches only the endpoint's group on {ports} ({egress})")
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": endpoint_groups}])["SecurityGroupRules"]
    admitted = sorted(r["FromPort"] for r in rules if not r["IsEgress"] and r.get("ReferencedGroupInfo", {}).get("GroupId") == groups[0])
    check(admitted == ports, f"the endpoint's group admits the probe's on {ports} ({admitted})")


if __name__ == "__main__":
    sys.exit(main())
