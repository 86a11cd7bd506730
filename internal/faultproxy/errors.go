package faultproxy

import (
	"encoding/xml"
	"net/http"
)

// requestID is fixed: faults are fabricated, and a stable ID keeps test
// output comparable.
const requestID = "faultproxy-0000"

// QueryError is a fault shaped like an error from a query-protocol service
// (STS, IAM), which the SDKs parse into an API error with that code.
func QueryError(status int, code, message string) Fault {
	type errorDetail struct {
		Type    string
		Code    string
		Message string
	}
	body := struct {
		XMLName   xml.Name `xml:"ErrorResponse"`
		Error     errorDetail
		RequestID string `xml:"RequestId"`
	}{Error: errorDetail{faultSide(status), code, message}, RequestID: requestID}
	return xmlFault(status, body)
}

// S3Error is a fault shaped like an S3 error response.
func S3Error(status int, code, message string) Fault {
	body := struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		RequestID string `xml:"RequestId"`
	}{Code: code, Message: message, RequestID: requestID}
	return xmlFault(status, body)
}

func faultSide(status int) string {
	if status >= 500 {
		return "Receiver"
	}
	return "Sender"
}

func xmlFault(status int, body any) Fault {
	out, err := xml.Marshal(body)
	if err != nil {
		// Only plain string fields are marshalled: this cannot fail.
		panic(err)
	}
	return Fault{
		Status: status,
		Header: http.Header{
			"Content-Type":     {"text/xml"},
			"X-Amzn-Requestid": {requestID},
		},
		Body: append([]byte(xml.Header), out...),
	}
}
