// Prints a few of the messages the demo run delivered to examples/b2b-saas/out/crm.jsonl.
import { readFileSync } from 'node:fs';

const file = new URL('./out/crm.jsonl', import.meta.url);
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const pick = ['group', 'identify', 'track'].map((type) => lines.find((l) => JSON.parse(l).type === type)).filter(Boolean);
// The file keeps every run's messages (npm run demo starts it over): these are the first ones.
console.log(`\n${lines.length} messages in examples/b2b-saas/out/crm.jsonl, from every run so far; the first of each call:`);
for (const line of pick) console.log(JSON.stringify(JSON.parse(line), null, 2));
