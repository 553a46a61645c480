// Verifies callback requests independently of the worker's Java code. Reads on stdin
//   {"secret": "whsec_...", "requests": [{"headers": {...}, "body": "..."}]}
// and checks the v1 (HMAC) signatures with the published Standard Webhooks library, or
//   {"publicKey": "whpk_...", "requests": [...]}
// and checks the v1a (Ed25519) signatures with Node's own crypto (OpenSSL), as the Standard Webhooks
// specification defines them. Prints one line of JSON: [{"ok": true} | {"ok": false, "error": "..."}].
import { createPublicKey, verify } from "node:crypto";
import { Webhook } from "standardwebhooks";

const TOLERANCE_SECONDS = 5 * 60;
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) {
  input += chunk;
}
const { secret, publicKey, requests } = JSON.parse(input);

function verifyV1a(body, headers) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (!id || !timestamp || !signatures) {
    throw new Error("Missing required headers");
  }
  if (Math.abs(Math.floor(Date.now() / 1000) - parseInt(timestamp, 10)) > TOLERANCE_SECONDS) {
    throw new Error("Message timestamp outside the tolerance");
  }
  const key = createPublicKey({
    key: Buffer.concat([SPKI_ED25519, Buffer.from(publicKey.replace(/^whpk_/, ""), "base64")]),
    format: "der",
    type: "spki",
  });
  const signed = Buffer.from(`${id}.${timestamp}.${body}`, "utf8");
  for (const versioned of signatures.split(" ")) {
    const [version, signature] = versioned.split(",");
    if (version === "v1a" && verify(null, signed, key, Buffer.from(signature, "base64"))) {
      return;
    }
  }
  throw new Error("No matching v1a signature found");
}

const webhook = secret ? new Webhook(secret) : null;
const results = requests.map(({ headers, body }) => {
  try {
    if (webhook) {
      webhook.verify(body, headers);
    } else {
      verifyV1a(body, headers);
    }
    return { ok: true };
  } catch (e) {
    return { ok: false, error: `${e.name}: ${e.message}` };
  }
});
process.stdout.write(JSON.stringify(results) + "\n");
