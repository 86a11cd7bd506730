package faultproxy

import (
	"encoding/xml"
	"net/http"
	"time"
)

// Answers are faults that succeed: what a test plans where the server
// behind the proxy would refuse the caller (moto does not know the
// credentials GetSessionToken returns), so the client gets on, and the
// recorded Calls show what it sent.

// AssumeRoleAnswer is a successful AssumeRole response carrying the given
// credentials, for a test to plan (Inject) where the server behind the
// proxy would refuse the caller.
func AssumeRoleAnswer(roleARN, accessKeyID, secretAccessKey, sessionToken string, expires time.Time) Fault {
	type credentials struct {
		AccessKeyId     string
		SecretAccessKey string
		SessionToken    string
		Expiration      string
	}
	type user struct {
		Arn           string
		AssumedRoleId string
	}
	body := struct {
		XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleResponse"`
		Result  struct {
			Credentials     credentials
			AssumedRoleUser user
		} `xml:"AssumeRoleResult"`
		Metadata struct {
			RequestID string `xml:"RequestId"`
		} `xml:"ResponseMetadata"`
	}{}
	body.Result.Credentials = credentials{accessKeyID, secretAccessKey, sessionToken, expires.UTC().Format(time.RFC3339)}
	body.Result.AssumedRoleUser = user{Arn: roleARN + "/hop", AssumedRoleId: "AROAFAULTPROXY:hop"}
	body.Metadata.RequestID = requestID
	return xmlFault(http.StatusOK, body)
}

// CreateAccessKeyAnswer is a successful IAM CreateAccessKey response.
func CreateAccessKeyAnswer(user, accessKeyID, secretAccessKey string) Fault {
	type accessKey struct {
		UserName        string
		AccessKeyId     string
		Status          string
		SecretAccessKey string
	}
	body := struct {
		XMLName xml.Name `xml:"https://iam.amazonaws.com/doc/2010-05-08/ CreateAccessKeyResponse"`
		Result  struct {
			AccessKey accessKey
		} `xml:"CreateAccessKeyResult"`
		Metadata struct {
			RequestID string `xml:"RequestId"`
		} `xml:"ResponseMetadata"`
	}{}
	body.Result.AccessKey = accessKey{user, accessKeyID, "Active", secretAccessKey}
	body.Metadata.RequestID = requestID
	return xmlFault(http.StatusOK, body)
}

// EmptyAnswer is a successful query-protocol response with no result,
// such as IAM's DeleteAccessKey's.
func EmptyAnswer(action, namespace string) Fault {
	body := struct {
		XMLName  xml.Name
		Metadata struct {
			RequestID string `xml:"RequestId"`
		} `xml:"ResponseMetadata"`
	}{XMLName: xml.Name{Space: namespace, Local: action + "Response"}}
	body.Metadata.RequestID = requestID
	return xmlFault(http.StatusOK, body)
}
