import { z } from 'zod';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** One line of text: no NUL or other control characters (PostgreSQL refuses NUL in text), at most `max` characters. */
export const safeString = (max = 200) =>
  z
    .string()
    .max(max, `expected at most ${max} characters`)
    .refine((value) => !CONTROL.test(value), 'expected text without control characters (NUL, tabs, line breaks)');

/** Free text such as a note: line breaks and tabs allowed, NUL and other control characters not. */
export const safeText = (max = 2_000) =>
  z
    .string()
    .max(max, `expected at most ${max} characters`)
    .refine((value) => !CONTROL_BUT_LINE_BREAKS.test(value), 'expected text without NUL or other control characters');
