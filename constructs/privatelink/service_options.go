package privatelink

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsregion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsroute53zone"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53record"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpublicaccessblock"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopic"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopicpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpointconnectionnotification"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpointserviceprivatednsverification"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// region, account and partition read once per service, for policies.
type here struct{ partition, region, account *string }

func (s *ProviderEndpointService) here() here {
	if s.where == nil {
		s.where = &here{
			partition: dataawspartition.NewDataAwsPartition(s.scope, jsii.String("Partition"), &dataawspartition.DataAwsPartitionConfig{}).Partition(),
			region:    dataawsregion.NewDataAwsRegion(s.scope, jsii.String("HereRegion"), &dataawsregion.DataAwsRegionConfig{}).Name(),
			account:   dataawscalleridentity.NewDataAwsCallerIdentity(s.scope, jsii.String("Account"), &dataawscalleridentity.DataAwsCallerIdentityConfig{}).AccountId(),
		}
	}
	return *s.where
}

// policyJSON renders an IAM policy document; tokens in it stay tokens
// (cdktf resolves them inside the string).
func policyJSON(statements ...map[string]any) *string {
	raw, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		panic(err) // maps of strings: cannot fail
	}
	return jsii.String(string(raw))
}

// serviceKey is a KMS key (rotation on) that this account administers and
// that one AWS service principal may use for this account only.
func (s *ProviderEndpointService) serviceKey(scope constructs.Construct, id, description, tag, sid, principal string, actions ...string) kmskey.KmsKey {
	h := s.here()
	return kmskey.NewKmsKey(scope, jsii.String(id), &kmskey.KmsKeyConfig{
		Description:       jsii.String(description),
		EnableKeyRotation: jsii.Bool(true),
		Policy: policyJSON(
			map[string]any{
				"Sid": "AccountAdministers", "Effect": "Allow", "Action": "kms:*", "Resource": "*",
				"Principal": map[string]any{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", *h.partition, *h.account)},
			},
			map[string]any{
				"Sid": sid, "Effect": "Allow", "Resource": "*",
				"Principal": map[string]any{"Service": principal},
				"Action":    actions,
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": *h.account}},
			},
		),
		Tags: s.tags(tag),
	})
}

// privateDNS verifies the service's private DNS name: the TXT record AWS
// asks for, in the public zone, then the verification, which waits.
func (s *ProviderEndpointService) privateDNS(d PrivateDNS) {
	if d.ZoneID == "" {
		return
	}
	zone := dataawsroute53zone.NewDataAwsRoute53Zone(s.scope, jsii.String("PrivateDnsZone"), &dataawsroute53zone.DataAwsRoute53ZoneConfig{
		ZoneId: jsii.String(d.ZoneID),
	})
	cfg := s.service.PrivateDnsNameConfiguration().Get(jsii.Number(0))
	zoneName := strings.TrimSuffix(d.ZoneName, ".")
	record := route53record.NewRoute53Record(s.scope, jsii.String("PrivateDnsVerification"), &route53record.Route53RecordConfig{
		ZoneId:  jsii.String(d.ZoneID),
		Name:    cfg.Name(),
		Type:    cfg.Type(),
		Ttl:     jsii.Number(1800),
		Records: jsii.Strings(*cfg.Value()),
		Lifecycle: &cdktf.TerraformResourceLifecycle{Precondition: &[]*cdktf.Precondition{{
			Condition: cdktf.Op_And(
				cdktf.Op_Eq(cdktf.Fn_Trimsuffix(zone.Name(), jsii.String(".")), jsii.String(zoneName)),
				// null only where nothing read the zone (a mocked provider)
				cdktf.Op_Not(cdktf.Fn_Coalesce(&[]any{zone.PrivateZone(), jsii.Bool(false)}))),
			ErrorMessage: jsii.String(fmt.Sprintf("hosted zone %s must be the public zone %s (PrivateDNS.ZoneName): AWS verifies the private DNS name through public DNS", d.ZoneID, zoneName)),
		}}},
	})
	s.verified = vpcendpointserviceprivatednsverification.NewVpcEndpointServicePrivateDnsVerification(s.scope, jsii.String("PrivateDnsVerified"), &vpcendpointserviceprivatednsverification.VpcEndpointServicePrivateDnsVerificationConfig{
		ServiceId:           s.service.Id(),
		WaitForVerification: jsii.Bool(true),
		DependsOn:           &[]cdktf.ITerraformDependable{record},
	})
}

// notifications sends connection events to a topic: the given one, or a
// new one with a key and a policy that admit only this service.
func (s *ProviderEndpointService) notifications(n ConnectionNotifications) {
	topicARN := jsii.String(n.TopicARN)
	var dependsOn *[]cdktf.ITerraformDependable
	if n.TopicARN == "" {
		h := s.here()
		keyID := jsii.String(n.KMSKeyARN)
		if n.KMSKeyARN == "" {
			key := s.serviceKey(s.scope, "NotificationsKey", "Encrypts the PrivateLink connection notifications topic", "notifications",
				"EndpointServicePublishes", "vpce.amazonaws.com", "kms:GenerateDataKey*", "kms:Decrypt")
			keyID = key.Arn()
		}
		topic := snstopic.NewSnsTopic(s.scope, jsii.String("NotificationsTopic"), &snstopic.SnsTopicConfig{
			NamePrefix:     jsii.String("privatelink-connections-"),
			KmsMasterKeyId: keyID,
			Tags:           s.tags("notifications"),
		})
		policy := snstopicpolicy.NewSnsTopicPolicy(s.scope, jsii.String("NotificationsTopicPolicy"), &snstopicpolicy.SnsTopicPolicyConfig{
			Arn: topic.Arn(),
			Policy: policyJSON(map[string]any{
				"Sid": "ThisEndpointServicePublishes", "Effect": "Allow", "Action": "sns:Publish", "Resource": *topic.Arn(),
				"Principal": map[string]any{"Service": "vpce.amazonaws.com"},
				"Condition": map[string]any{
					"StringEquals": map[string]any{"aws:SourceAccount": *h.account},
					"ArnLike":      map[string]any{"aws:SourceArn": *s.service.Arn()},
				},
			}),
		})
		topicARN = topic.Arn()
		dependsOn = &[]cdktf.ITerraformDependable{policy}
	}
	vpcendpointconnectionnotification.NewVpcEndpointConnectionNotification(s.scope, jsii.String("ConnectionNotification"), &vpcendpointconnectionnotification.VpcEndpointConnectionNotificationConfig{
		VpcEndpointServiceId:      s.service.Id(),
		ConnectionNotificationArn: topicARN,
		ConnectionEvents:          jsii.Strings(n.EventList()...),
		DependsOn:                 dependsOn,
	})
}

// accessLogsBucket is the bucket for the NLB's access logs: the given
// one, or a new one that only ELB log delivery (for this account) writes
// to, encrypted with a new key, with expiry. It returns the bucket name
// and what the NLB must wait for (AWS checks the bucket policy when the
// logs are turned on).
func (s *ProviderEndpointService) accessLogsBucket(a AccessLogs) (*string, *[]cdktf.ITerraformDependable) {
	if a.Bucket != "" {
		return jsii.String(a.Bucket), nil
	}
	h := s.here()
	c := constructs.NewConstruct(s.scope, jsii.String("AccessLogs"))
	key := s.serviceKey(c, "Key", "Encrypts the PrivateLink NLB's access logs", "access-logs",
		"LogDeliveryEncrypts", "delivery.logs.amazonaws.com", "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey")
	bucket := s3bucket.NewS3Bucket(c, jsii.String("Bucket"), &s3bucket.S3BucketConfig{
		BucketPrefix: jsii.String("privatelink-nlb-logs-"),
		Tags:         s.tags("access-logs"),
		// Destroyed before its key, and a destroy that stops at a bucket
		// still holding logs never reaches the key that decrypts them.
		DependsOn: &[]cdktf.ITerraformDependable{key},
	})
	block := s3bucketpublicaccessblock.NewS3BucketPublicAccessBlock(c, jsii.String("PublicAccessBlock"), &s3bucketpublicaccessblock.S3BucketPublicAccessBlockConfig{
		Bucket:                bucket.Id(),
		BlockPublicAcls:       jsii.Bool(true),
		BlockPublicPolicy:     jsii.Bool(true),
		IgnorePublicAcls:      jsii.Bool(true),
		RestrictPublicBuckets: jsii.Bool(true),
	})
	s3bucketversioning.NewS3BucketVersioningA(c, jsii.String("Versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
		Bucket:                  bucket.Id(),
		VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{Status: jsii.String("Enabled")},
	})
	encryption := s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(c, jsii.String("Encryption"), &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
		Bucket: bucket.Id(),
		Rule: []*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{{
			ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
				SseAlgorithm:   jsii.String("aws:kms"),
				KmsMasterKeyId: key.Arn(),
			},
			BucketKeyEnabled: jsii.Bool(true),
		}},
	})
	logsExpiry(c, bucket.Id(), a.ExpireDaysOrDefault())
	sourceArn := fmt.Sprintf("arn:%s:logs:%s:%s:*", *h.partition, *h.region, *h.account)
	policy := s3bucketpolicy.NewS3BucketPolicy(c, jsii.String("Policy"), &s3bucketpolicy.S3BucketPolicyConfig{
		Bucket: bucket.Id(),
		Policy: policyJSON(
			map[string]any{
				"Sid": "LogDeliveryWrites", "Effect": "Allow", "Action": "s3:PutObject",
				"Principal": map[string]any{"Service": "delivery.logs.amazonaws.com"},
				"Resource":  fmt.Sprintf("%s/%s/AWSLogs/%s/*", *bucket.Arn(), a.PrefixOrDefault(), *h.account),
				"Condition": map[string]any{
					"StringEquals": map[string]any{"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": *h.account},
					"ArnLike":      map[string]any{"aws:SourceArn": sourceArn},
				},
			},
			map[string]any{
				"Sid": "LogDeliveryChecksAcl", "Effect": "Allow", "Action": "s3:GetBucketAcl",
				"Principal": map[string]any{"Service": "delivery.logs.amazonaws.com"},
				"Resource":  *bucket.Arn(),
				"Condition": map[string]any{
					"StringEquals": map[string]any{"aws:SourceAccount": *h.account},
					"ArnLike":      map[string]any{"aws:SourceArn": sourceArn},
				},
			},
			map[string]any{
				"Sid": "TLSOnly", "Effect": "Deny", "Action": "s3:*", "Principal": "*",
				"Resource":  []string{*bucket.Arn(), *bucket.Arn() + "/*"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			},
		),
		// A policy put while the public access block is being set fails.
		DependsOn: &[]cdktf.ITerraformDependable{block},
	})
	return bucket.Id(), &[]cdktf.ITerraformDependable{policy, encryption}
}

// logsExpiry removes the access logs (and their old versions) from the
// new bucket after days, and abandoned uploads after 7.
func logsExpiry(c constructs.Construct, bucket *string, days int) {
	s3bucketlifecycleconfiguration.NewS3BucketLifecycleConfiguration(c, jsii.String("Expiry"), &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationConfig{
		Bucket: bucket,
		Rule: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{{
			Id:                          jsii.String("expire-access-logs"),
			Status:                      jsii.String("Enabled"),
			Filter:                      &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleFilter{Prefix: jsii.String("")},
			Expiration:                  &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleExpiration{Days: jsii.Number(float64(days))},
			NoncurrentVersionExpiration: &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration{NoncurrentDays: jsii.Number(float64(days))},
			AbortIncompleteMultipartUpload: &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload{
				DaysAfterInitiation: jsii.Number(7),
			},
		}},
	})
}
