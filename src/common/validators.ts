import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { parseNationalId } from './national-id.js';

export function IsNationalId(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isNationalId',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} is not a valid national ID (format, birth date or checksum)`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseNationalId(value) !== null },
    });
}

/** `YYYY-MM-DD` that is a real calendar date. */
export function IsCalendarDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a date as YYYY-MM-DD`, ...options },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
          const date = new Date(`${value}T00:00:00Z`);
          return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
        },
      },
    });
}

/** The decorated date must not be before the named sibling date (when both are present). */
export function IsOnOrAfter(otherProperty: string, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isOnOrAfter',
      target: object.constructor,
      propertyName,
      constraints: [otherProperty],
      options: { message: `${propertyName} must not be before ${otherProperty}`, ...options },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const other = (args.object as Record<string, unknown>)[otherProperty];
          return typeof value !== 'string' || typeof other !== 'string' || value >= other;
        },
      },
    });
}
