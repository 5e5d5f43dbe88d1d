import json, hashlib
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization
sk = bytes.fromhex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')
k = Ed25519PrivateKey.from_private_bytes(sk)
pk = k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
fp = hashlib.sha256(b'receipt vector: fingerprint').hexdigest()
bh = hashlib.sha256(b'receipt vector: ballot').hexdigest()
eh = hashlib.sha256(b'receipt vector: entry').hexdigest()
A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
bits = ''.join(format(b, '08b') for b in bytes.fromhex(bh))[:150]
code = ''.join(A[int(bits[i:i+5], 2)] for i in range(0, 150, 5))
code = '-'.join(code[i:i+5] for i in range(0, 30, 5))
body = {"version":1,"electionId":"mjvote-receipt-vector","fingerprint":fp,"trackingCode":code,"ballotHash":bh,"seq":7,"entryHash":eh,"time":"2026-01-02T03:04:05.678Z","receiptKey":pk}
text = json.dumps(body, sort_keys=True, separators=(',',':'), ensure_ascii=False)
msg = b'mjvote-v1-receipt\x00' + text.encode()
sig = k.sign(msg).hex()
receipt = dict(body); receipt['signature'] = sig
print(json.dumps({
 "description": "A ballot receipt (docs/record.md §5), computed independently with Python's cryptography (OpenSSL Ed25519): signature = Ed25519(secretKey, UTF-8(\"mjvote-v1-receipt\\u0000\") || UTF-8(signedJson)). The secret key is RFC 8032's test 1 key.",
 "secretKey": sk.hex(), "publicKey": pk,
 "election": {"electionId": "mjvote-receipt-vector", "fingerprintHex": fp},
 "entry": {"seq": 7, "hash": eh, "time": "2026-01-02T03:04:05.678Z"},
 "ballot": {"hashHex": bh, "trackingCode": code},
 "signedJson": text,
 "receipt": receipt}, indent=1, ensure_ascii=False))
