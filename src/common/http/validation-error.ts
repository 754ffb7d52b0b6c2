import type { ZodError } from 'zod';
import { DomainError } from '../errors/domain-error';

/** One problem with one field: `path` is the field (`dryRun`, `amount`, `items.0.id`), `message` what is expected. */
export interface InputIssue {
  path: string;
  message: string;
}

/** Zod's issues in the words of the API: unknown keys name the key, every message says what is expected. */
export function issuesOf(error: ZodError): InputIssue[] {
  return error.issues.flatMap((issue): InputIssue[] => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: base ? `${base}.${key}` : key, message: 'unknown field (check the spelling; see /api/docs)' }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined)
      return [{ path: base || '(body)', message: `required: ${issue.message.replace(/^Invalid input: /, '')}` }];
    return [{ path: base || '(body)', message: issue.message.replace(/^Invalid input: /, '') }];
  });
}

/** The 400 of the validation layer: `invalid_input`, a message naming each field, and the issues one by one. */
export function invalidInputIssues(issues: InputIssue[]): DomainError {
  const message = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return new DomainError('invalid_input', message || 'invalid input', { field: issues[0]?.path, issues });
}
