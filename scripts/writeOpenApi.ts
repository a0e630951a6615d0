// Writes docs/openapi.json from the route table (src/http/openapi.ts): `npm run openapi`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from '../src/http/openapi';
import { version } from '../package.json';

const target = join(__dirname, '..', 'docs', 'openapi.json');
writeFileSync(target, `${JSON.stringify(openApiDocument(version), null, 2)}\n`);
console.log(`wrote ${target}`);
