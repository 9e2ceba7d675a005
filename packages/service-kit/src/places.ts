// Contact details and point locations of organizations (branches, grassroots units, Boai homes):
// one set of input rules for every subgraph that stores them (issue 24).
import { z } from 'zod';

/** The bounds of China (incl. its islands) a location must fall in, in degrees. */
export const CHINA_BOUNDS = { longitude: [73.4, 135.1], latitude: [3.8, 53.6] } as const;

/** A trimmed, non-empty text of at most `max` characters, without control characters. */
export const placeText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/** An organization's switchboard or office line: digits with an optional +86, area code, dashes, extension. */
export const officePhoneSchema = z
  .string()
  .trim()
  .regex(/^(\+?86[- ]?)?[0-9][0-9 -]{5,18}[0-9]$/, 'must be a telephone number (digits, optional area code and dashes)');

export const emailSchema = z.string().trim().max(100, 'must be at most 100 characters').email('must be an e-mail address');

/** A mainland postcode (邮政编码): six digits. */
export const postcodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'must be a six-digit postcode');

/** A website: an http or https URL of at most 200 characters. */
export const websiteSchema = z
  .string()
  .trim()
  .max(200, 'must be at most 200 characters')
  .url('must be a web address (http:// or https://)')
  .refine((s) => /^https?:\/\//i.test(s), 'must be a web address (http:// or https://)');

/** Contact details of a unit or home: address, office phone, e-mail (each optional). */
export const contactInputSchema = z.object({
  address: placeText(200).nullish(),
  phone: officePhoneSchema.nullish(),
  email: emailSchema.nullish(),
});

/** Contact details as stored (absent parts null). */
export const contactOf = <C extends Record<string, unknown>>(c: C | null | undefined) =>
  c == null ? c : (Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v ?? null])) as { [K in keyof C]-?: NonNullable<C[K]> | null });

const between = (axis: 'longitude' | 'latitude') => {
  const [min, max] = CHINA_BOUNDS[axis];
  const message = `must be between ${min} and ${max} (China)`;
  return z.number().min(min, message).max(max, message);
};

/** A point (longitude, latitude in degrees) within China's bounds. */
export const locationInputSchema = z.object({ longitude: between('longitude'), latitude: between('latitude') });
