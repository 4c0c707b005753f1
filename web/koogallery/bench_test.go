package koogallery

import (
	"net/url"
	"strconv"
	"testing"
)

var benchParams = url.Values{
	"activity":   {"newInstance"},
	"businessId": {"61e834ba-7b97-4418-b8f7-e5345137278c"},
	"customerId": {"68cbc86abc2018ab880d92f36422fa0e"},
	"expireTime": {"20250101080000"},
	"orderId":    {"CS1906666666ABCDE"},
	"productId":  {"00301-666666-0--0"},
	"testFlag":   {"1"},
	"timeStamp":  {"20240101080000123"},
}

var benchPayload = []byte(`{"activity":"newInstance","businessId":"87b94795-0603-4e24-8ae5-69420d60e3c8","orderId":"CS2211181819B4LVS","orderLineId":"CS2211181819B4LVS-000001","testFlag":"1"}`)

func BenchmarkV1Token(b *testing.B) {
	for b.Loop() {
		if _, err := V1Token(testKey, benchParams); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkV2Signature(b *testing.B) {
	for b.Loop() {
		V2Signature(testKey, "50D83FDECAED6CCD8EF597F2A577950527928BA287D04E6036E92B2806FD17DA", "1680508066618", benchPayload)
	}
}

func BenchmarkBodySign(b *testing.B) {
	body := []byte(`{"resultCode":"000000","resultMsg":"success.","encryptType":"1","instanceId":"61e834ba-7b97-4418-b8f7-e5345137278c","appInfo":{"frontEndUrl":"https://app.example/i"}}`)
	for b.Loop() {
		BodySignHeader(testKey, body)
	}
}

func BenchmarkDeriveKeyUncached(b *testing.B) {
	for _, bits := range []int{128, 256} {
		b.Run(strconv.Itoa(bits), func(b *testing.B) {
			for b.Loop() {
				if _, err := DeriveKey(testKey, bits); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDeriveKeyCached(b *testing.B) {
	for _, bits := range []int{128, 256} {
		b.Run(strconv.Itoa(bits), func(b *testing.B) {
			for b.Loop() {
				if _, err := cachedBlock(testKey, bits); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncrypt(b *testing.B) {
	for _, et := range []EncryptType{EncryptAES256, EncryptAES128} {
		b.Run(strconv.Itoa(et.Bits()), func(b *testing.B) {
			for b.Loop() {
				if _, err := Encrypt(testKey, "admin@example.com", et); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecrypt(b *testing.B) {
	for _, et := range []EncryptType{EncryptAES256, EncryptAES128} {
		v, _ := Encrypt(testKey, "admin@example.com", et)
		b.Run(strconv.Itoa(et.Bits()), func(b *testing.B) {
			for b.Loop() {
				if _, err := Decrypt(testKey, v, et); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	v128, _ := Encrypt(testKey, "admin@example.com", EncryptAES128)
	b.Run("auto-128", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := DecryptAuto(testKey, v128); err != nil {
				b.Fatal(err)
			}
		}
	})
}
