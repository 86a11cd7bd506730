package fetch

import "testing"

func TestCheckMFACode(t *testing.T) {
	for code, ok := range map[string]bool{
		"123456": true, "000000": true,
		"": false, "12345": false, "1234567": false, "12a456": false, " 123456": false, "１２３４５６": false, "12345\n": false,
	} {
		if err := CheckMFACode(code); (err == nil) != ok {
			t.Errorf("CheckMFACode(%q) = %v", code, err)
		}
	}
}
