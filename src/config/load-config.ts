import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { AppConfig } from './app-config';
import { ConfigError } from './config-error';
import { envSchema } from './env.schema';
import { policyFileSchema, type PolicyFile } from './policy-file.schema';

/** A policy file shipped with payrisk, found relative to the package root (works from src/ and dist/src/). */
function shippedPolicyFile(name: string): string {
  for (const candidate of [join(__dirname, '..', '..', 'config', name), join(__dirname, '..', '..', '..', 'config', name)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new ConfigError(`config/${name} not found next to the payrisk package; reinstall payrisk or set PAYRISK_CONFIG`);
}

export function defaultPolicyFilePath(): string {
  return shippedPolicyFile('default.yaml');
}

/** Every policy on (fees and price increases for approval): what the built-in sandbox runs with. */
export function demoPolicyFilePath(): string {
  return shippedPolicyFile('demo.yaml');
}

/**
 * On the built-in sandbox (no STRIPE_SECRET_KEY) and without a policy file of the user's,
 * payrisk shows every policy at work on the demo business: it uses config/demo.yaml.
 */
export function withDemoPoliciesOnSandbox(config: AppConfig, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): AppConfig {
  if (config.stripe.secretKey || env.PAYRISK_CONFIG) return config;
  return loadConfig({ ...env, PAYRISK_CONFIG: demoPolicyFilePath() }, cwd);
}

function describeIssues(where: string, issues: z.core.$ZodIssue[], input: unknown, pathPrefix = ''): string {
  const lines = issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const base = issue.path.join('.');
      const keys = issue.keys.map((key) => (base ? `${base}.${key}` : key));
      return `${pathPrefix}${keys.join(', ')}: unknown key (check the spelling; see config/default.yaml for the valid keys)`;
    }
    const path = issue.path.join('.');
    const got = valueAt(input, issue.path as PropertyKey[]);
    const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
    return `${pathPrefix}${path || '(root)'}: ${issue.message}${shown}`;
  });
  return `Invalid configuration in ${where}:\n  - ${lines.join('\n  - ')}`;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Reads and validates the environment and the policy file, once, at boot.
 * Throws ConfigError with a message naming every bad variable or YAML path.
 * This module is the only reader of process.env.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsedEnv = envSchema.safeParse(present);
  if (!parsedEnv.success) {
    // Secrets are never echoed back: only the variable name and the expectation.
    const safeInput = Object.fromEntries(Object.keys(present).map((key) => [key, key === 'PORT' || key === 'LOG_LEVEL' ? present[key] : undefined]));
    throw new ConfigError(describeIssues('the environment', parsedEnv.error.issues, safeInput));
  }
  const e = parsedEnv.data;

  const policyFilePath = e.PAYRISK_CONFIG ? (isAbsolute(e.PAYRISK_CONFIG) ? e.PAYRISK_CONFIG : resolve(cwd, e.PAYRISK_CONFIG)) : defaultPolicyFilePath();
  if (!existsSync(policyFilePath)) {
    throw new ConfigError(`Invalid configuration in the environment:\n  - PAYRISK_CONFIG: file not found: ${policyFilePath}`);
  }
  const policy = loadPolicyFile(policyFilePath);

  const port = e.PORT ?? 3000;
  return {
    homeDir: resolve(cwd, e.PAYRISK_HOME ?? '.payrisk'),
    port,
    host: e.HOST ?? '127.0.0.1',
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL ?? 'info',
    database: { url: e.DATABASE_URL },
    stripe: {
      secretKey: e.STRIPE_SECRET_KEY,
      apiBase: e.STRIPE_API_BASE,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET,
      connectClientId: e.STRIPE_CONNECT_CLIENT_ID,
      connectWebhookSecret: e.STRIPE_CONNECT_WEBHOOK_SECRET,
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM ?? 'payrisk <payrisk@localhost>', ownerEmail: e.OWNER_EMAIL ?? 'owner@localhost' },
    api: { token: e.API_TOKEN },
    dataKey: e.PAYRISK_SECRET_KEY,
    policyFilePath,
    policy,
  };
}

/**
 * One policy file, read and validated (an added account's `--config`, or PAYRISK_CONFIG's):
 * ConfigError naming the file and the YAML path of every bad value.
 */
export function loadPolicyFile(path: string): PolicyFile {
  if (!existsSync(path)) throw new ConfigError(`Invalid configuration: policy file not found: ${path}`);
  const document = parseDocument(readFileSync(path, 'utf8'));
  if (document.errors.length > 0) {
    throw new ConfigError(`Invalid configuration in ${path}:\n  - YAML syntax: ${document.errors[0].message}`);
  }
  const raw = document.toJS() ?? {};
  const parsedPolicy = policyFileSchema.safeParse(raw);
  if (!parsedPolicy.success) {
    throw new ConfigError(describeIssues(path, parsedPolicy.error.issues, raw));
  }
  return parsedPolicy.data;
}
