// Verifies callback requests with the published Standard Webhooks library, independently of the
// worker's Java code. Reads {"secret": "whsec_...", "requests": [{"headers": {...}, "body": "..."}]}
// on stdin; prints one line of JSON: [{"ok": true} | {"ok": false, "error": "..."}, ...].
import { Webhook } from "standardwebhooks";

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) {
  input += chunk;
}
const { secret, requests } = JSON.parse(input);
const webhook = new Webhook(secret);
const results = requests.map(({ headers, body }) => {
  try {
    webhook.verify(body, headers);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: `${e.name}: ${e.message}` };
  }
});
process.stdout.write(JSON.stringify(results) + "\n");
