/**
 * The closed reading of the OpenAPI document (./strict-answers): an object schema that lists
 * its properties takes no other, an open map and a schema without properties take any, and a
 * schema made of parts (allOf, or properties beside anyOf) is closed as a whole.
 */
import Ajv2020 from 'ajv/dist/2020';
import { closedDocument } from './strict-answers';

const Part = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
const document = {
  openapi: '3.1.0',
  components: { schemas: { Part } },
  paths: {
    '/x': {
      get: {
        responses: {
          '200': {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Part' } } },
          },
          '201': {
            content: {
              'application/json': {
                schema: {
                  allOf: [{ $ref: '#/components/schemas/Part' }, { properties: { b: {} } }],
                },
              },
            },
          },
          '206': {
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Part', properties: { b: {} } },
              },
            },
          },
          '202': {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { kind: { type: 'string' } },
                  anyOf: [{ properties: { one: {} } }, { properties: { two: {} } }],
                },
              },
            },
          },
          '203': {
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { type: 'object', properties: { one: { const: 1 } }, required: ['one'] },
                    { type: 'object', properties: { two: { const: 2 } }, required: ['two'] },
                  ],
                },
              },
            },
          },
          '204': {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    map: {
                      type: 'object',
                      additionalProperties: { $ref: '#/components/schemas/Part' },
                    },
                    loose: { type: 'object', properties: { a: {} }, additionalProperties: {} },
                    bare: { type: 'object' },
                    any: {},
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const ajv = new Ajv2020({ strict: false });
ajv.addSchema(closedDocument(document), 'doc');
const valid = (status: string, body: unknown) =>
  ajv.validate(
    { $ref: `doc#/paths/~1x/get/responses/${status}/content/application~1json/schema` },
    body,
  );

it('leaves the document it is given as it was', () => {
  const before = JSON.stringify(document);
  closedDocument(document);
  expect(JSON.stringify(document)).toBe(before);
});

it('refuses a property an object schema does not list', () => {
  expect(valid('200', { a: 'x' })).toBe(true);
  expect(valid('200', { a: 'x', b: 1 })).toBe(false);
});

it('closes an allOf as a whole, its referenced part still closed where used alone', () => {
  expect(valid('201', { a: 'x', b: 1 })).toBe(true);
  expect(valid('201', { a: 'x', b: 1, c: 1 })).toBe(false);
  expect(valid('200', { a: 'x', b: 1 })).toBe(false);
});

it('closes properties beside a reference as a whole', () => {
  expect(valid('206', { a: 'x', b: 1 })).toBe(true);
  expect(valid('206', { a: 'x', b: 1, c: 1 })).toBe(false);
});

it('closes properties beside an anyOf over the branch that matched', () => {
  expect(valid('202', { kind: 'k', one: 1 })).toBe(true);
  expect(valid('202', { kind: 'k', two: 2 })).toBe(true);
  expect(valid('202', { kind: 'k', three: 3 })).toBe(false);
});

it('closes each alternative of a oneOf on its own', () => {
  expect(valid('203', { one: 1 })).toBe(true);
  expect(valid('203', { one: 1, two: 2 })).toBe(false);
  expect(valid('203', { one: 1, three: 3 })).toBe(false);
});

it('keeps open maps and schemas without properties open, their values closed', () => {
  const open = { map: { k1: { a: 'x' }, k2: { a: 'y' } }, loose: { a: 1, z: 2 }, bare: { q: 1 } };
  expect(valid('204', { ...open, any: { anything: 1 } })).toBe(true);
  expect(valid('204', { ...open, map: { k1: { a: 'x', b: 1 } } })).toBe(false);
  expect(valid('204', { ...open, other: 1 })).toBe(false);
});
