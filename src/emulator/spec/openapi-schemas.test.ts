import { describe, expect, it } from 'vitest';
import { convertOpenApiSchema, createSchemaValidator } from './openapi-schemas.js';

describe('OpenAPI 3.0 schemas under ajv', () => {
  it('turns nullable and boolean exclusive bounds into JSON Schema', () => {
    expect(convertOpenApiSchema({ type: 'string', nullable: true, example: { nullable: true } })).toEqual({ type: ['string', 'null'], example: { nullable: true } });
    expect(convertOpenApiSchema({ type: 'integer', maximum: 600, exclusiveMaximum: true })).toEqual({ type: 'integer', exclusiveMaximum: 600 });
    expect(convertOpenApiSchema({ type: 'integer', minimum: 1, exclusiveMinimum: false })).toEqual({ type: 'integer', minimum: 1 });
  });

  it('names the failing field with its path, tolerating unknown formats and keywords', () => {
    const validator = createSchemaValidator({
      Request: { type: 'object', required: ['person_details'], properties: { person_details: { $ref: '#/components/schemas/Person' } } },
      Person: {
        type: 'object',
        title: 'Person',
        'x-order': 1,
        required: ['first_name'],
        properties: { first_name: { type: 'string' }, cip_id: { type: 'string', format: 'xxx-xx-xxxx' }, tags: { type: 'array', items: { type: 'string', enum: ['A', 'B'] } } },
      },
    });
    expect(validator.validate('Request', { person_details: { first_name: 'Ada', cip_id: '123-45-6789' } })).toEqual([]);
    expect(validator.validate('Request', { person_details: { tags: ['C'] } })).toEqual([
      { field: 'person_details.first_name', message: 'is required' },
      { field: 'person_details.tags[0]', message: 'must be one of A, B' },
    ]);
  });
});
