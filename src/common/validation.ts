import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { validate, type ValidatorOptions } from 'class-validator';
import { ValidationFailed, type FieldProblem } from './errors.js';

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([code, message]) => ({
      field,
      code: code === 'whitelistValidation' ? 'unknown_field' : code,
      message: code === 'whitelistValidation' ? `${field} is not an allowed field` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Paths of numbers JavaScript writes in exponent form (1e-7, 5e-324): class-validator's maxDecimalPlaces check crashes on them. */
function exponentNumbers(value: unknown, path: string): string[] {
  if (typeof value === 'number') return /e-/i.test(String(value)) ? [path] : [];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => exponentNumbers(inner, path ? `${path}.${key}` : key));
}

/**
 * class-validator's `validate`, except that a number like 1e-7 in a field with `maxDecimalPlaces`
 * (which makes class-validator throw a TypeError) is a field error naming the field, not a 500.
 */
export async function safeValidate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
  try {
    return await validate(object, options);
  } catch (error) {
    const paths = error instanceof TypeError ? exponentNumbers(object, '') : [];
    if (!paths.length) throw error;
    return paths.map((property) => ({ property, constraints: { maxDecimalPlaces: `${property} has too many decimal places` }, children: [] }));
  }
}

class SafeValidationPipe extends ValidationPipe {
  protected override validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    return safeValidate(object, options);
  }
}

/** Rejects unknown fields and wrong types, listing every bad field in one VALIDATION_FAILED error. */
export function createValidationPipe(): ValidationPipe {
  return new SafeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailed(flatten(errors)),
  });
}
