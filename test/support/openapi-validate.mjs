// Validates the OpenAPI document on stdin with @seriousme/openapi-schema-validator (OpenAPI
// 3.0 and 3.1 meta-schemas, on ajv) and prints `{ valid, errors }`. A child process because the
// validator ships ES modules only, which Jest's module system does not load.
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { Validator } from '@seriousme/openapi-schema-validator';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString('utf8');
// eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- the document, as JSON
const result = await new Validator().validate(JSON.parse(text));
process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors ?? [] }));
