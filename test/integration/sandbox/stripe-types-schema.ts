import { join } from 'node:path';
import * as ts from 'typescript';

/**
 * A validator derived from the `stripe` package's TypeScript types (generated from Stripe's
 * OpenAPI spec for the pinned API version), read with the compiler API: required fields
 * present, `null` only where the type allows it, enums (string literal unions), nested
 * objects, arrays, expandable fields (`string | Customer`), discriminated unions (events by
 * `type`), and no field the type does not declare.
 */
export const OBJECT_TYPES = {
  account: 'Stripe.Account',
  customer: 'Stripe.Customer',
  product: 'Stripe.Product',
  price: 'Stripe.Price',
  coupon: 'Stripe.Coupon',
  invoice: 'Stripe.Invoice',
  line_item: 'Stripe.InvoiceLineItem',
  invoiceitem: 'Stripe.InvoiceItem',
  invoice_payment: 'Stripe.InvoicePayment',
  credit_note: 'Stripe.CreditNote',
  credit_note_line_item: 'Stripe.CreditNoteLineItem',
  subscription: 'Stripe.Subscription',
  subscription_item: 'Stripe.SubscriptionItem',
  subscription_schedule: 'Stripe.SubscriptionSchedule',
  payment_intent: 'Stripe.PaymentIntent',
  charge: 'Stripe.Charge',
  dispute: 'Stripe.Dispute',
  event: 'Stripe.Event',
  webhook_endpoint: 'Stripe.WebhookEndpoint',
  'test_helpers.test_clock': 'Stripe.TestHelpers.TestClock',
  deleted_invoice: 'Stripe.DeletedInvoice',
  deleted_invoiceitem: 'Stripe.DeletedInvoiceItem',
  deleted_webhook_endpoint: 'Stripe.DeletedWebhookEndpoint',
  'deleted_test_helpers.test_clock': 'Stripe.TestHelpers.DeletedTestClock',
} as const;

export type ObjectKind = keyof typeof OBJECT_TYPES;

export class StripeTypesSchema {
  private readonly checker: ts.TypeChecker;
  private readonly types = new Map<string, ts.Type>();

  constructor() {
    const root = join(__dirname, '../../..');
    const entry = join(root, 'test/integration/sandbox/__stripe_types_entry__.ts');
    const text = `import Stripe from 'stripe';\nexport interface Types {\n${Object.entries(OBJECT_TYPES)
      .map(([kind, type]) => `  '${kind}': ${type};`)
      .join('\n')}\n}\n`;
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      target: ts.ScriptTarget.ES2022,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) => (name === entry ? ts.createSourceFile(name, text, language) : getSourceFile(name, language, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === entry || fileExists(name);
    const program = ts.createProgram([entry], options, host);
    this.checker = program.getTypeChecker();
    const source = program.getSourceFile(entry) as ts.SourceFile;
    const diagnostics = ts.getPreEmitDiagnostics(program, source);
    if (diagnostics.length) throw new Error(`stripe types did not resolve: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}`);
    const types = source.statements.find(ts.isInterfaceDeclaration) as ts.InterfaceDeclaration;
    const declared = this.checker.getTypeAtLocation(types.name);
    for (const property of this.checker.getPropertiesOfType(declared)) this.types.set(property.name, this.checker.getTypeOfSymbol(property));
  }

  has(kind: string): kind is ObjectKind {
    return this.types.has(kind);
  }

  /** Problems with `value` as a Stripe object of `kind`, each as "path: what". */
  validate(kind: ObjectKind, value: unknown): string[] {
    const errors: string[] = [];
    this.check(value, this.types.get(kind) as ts.Type, kind, errors, 0);
    return errors;
  }

  private describe(type: ts.Type): string {
    return this.checker.typeToString(type).slice(0, 120);
  }

  private check(value: unknown, type: ts.Type, path: string, errors: string[], depth: number): void {
    if (depth > 14) return;
    const flags = type.flags;
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (value === undefined) {
      errors.push(`${path}: missing`);
      return;
    }
    // Decimal fields travel as strings; the client turns them into Decimal objects.
    if (this.isDecimal(type)) {
      if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) errors.push(`${path}: expected a decimal string, got ${JSON.stringify(value)}`);
      return;
    }
    if (type.isUnion()) return this.checkUnion(value, type, path, errors, depth);
    if (flags & ts.TypeFlags.Null) {
      if (value !== null) errors.push(`${path}: expected null`);
      return;
    }
    if (value === null) {
      errors.push(`${path}: null where Stripe's type is ${this.describe(type)}`);
      return;
    }
    if (type.isStringLiteral()) {
      if (value !== type.value) errors.push(`${path}: ${JSON.stringify(value)} is not '${type.value}'`);
      return;
    }
    if (type.isNumberLiteral()) {
      if (value !== type.value) errors.push(`${path}: ${JSON.stringify(value)} is not ${type.value}`);
      return;
    }
    if (flags & ts.TypeFlags.BooleanLiteral) {
      const expected = (type as unknown as { intrinsicName: string }).intrinsicName === 'true';
      if (value !== expected) errors.push(`${path}: expected ${expected}`);
      return;
    }
    if (flags & ts.TypeFlags.String) {
      if (typeof value !== 'string') errors.push(`${path}: expected a string, got ${typeof value}`);
      return;
    }
    if (flags & ts.TypeFlags.Number) {
      if (typeof value !== 'number') errors.push(`${path}: expected a number, got ${typeof value}`);
      return;
    }
    if (flags & ts.TypeFlags.Boolean) {
      if (typeof value !== 'boolean') errors.push(`${path}: expected a boolean`);
      return;
    }
    if (type.isIntersection()) {
      // `string & {}` (OtherString) and similar brands.
      const primitive = type.types.find((t) => t.flags & (ts.TypeFlags.String | ts.TypeFlags.Number));
      if (primitive) return this.check(value, primitive, path, errors, depth);
      for (const part of type.types) this.check(value, part, path, errors, depth);
      return;
    }
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) {
      if (!Array.isArray(value)) {
        errors.push(`${path}: expected an array`);
        return;
      }
      const element = this.checker.getTypeArguments(type as ts.TypeReference)[0];
      value.forEach((item, i) => this.check(item, element, `${path}[${i}]`, errors, depth + 1));
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${path}: expected an object (${this.describe(type)}), got ${Array.isArray(value) ? 'an array' : typeof value}`);
      return;
    }
    const record = value as Record<string, unknown>;
    const properties = this.checker.getPropertiesOfType(type);
    const index = this.checker.getIndexTypeOfType(type, ts.IndexKind.String);
    const known = new Set<string>();
    for (const property of properties) {
      known.add(property.name);
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      if (!(property.name in record)) {
        if (!optional) errors.push(`${path}.${property.name}: missing (required by Stripe's type)`);
        continue;
      }
      // An optional field's `| undefined` is dropped by checkUnion; a present value never is undefined.
      this.check(record[property.name], this.checker.getTypeOfSymbol(property), `${path}.${property.name}`, errors, depth + 1);
    }
    for (const key of Object.keys(record)) {
      if (known.has(key)) continue;
      if (index) this.check(record[key], index, `${path}.${key}`, errors, depth + 1);
      else errors.push(`${path}.${key}: not a field of Stripe's ${this.describe(type)}`);
    }
  }

  private isDecimal(type: ts.Type): boolean {
    if (type.aliasSymbol?.getName() === 'Decimal') return true;
    const name = type.getSymbol()?.getName();
    if (name === 'Decimal' || name === 'DecimalImpl') return true;
    return (
      type.isUnion() &&
      type.types.some((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined))) &&
      type.types.every((t) => t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined) || this.isDecimalPart(t))
    );
  }

  private isDecimalPart(type: ts.Type): boolean {
    const name = type.getSymbol()?.getName();
    return name === 'DecimalImpl' || name === 'Decimal' || this.checker.typeToString(type).includes('"Decimal"');
  }

  private checkUnion(value: unknown, type: ts.UnionType, path: string, errors: string[], depth: number): void {
    let members = type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
    if (value === null) {
      if (!members.some((t) => t.flags & ts.TypeFlags.Null)) errors.push(`${path}: null where Stripe's type is ${this.describe(type)}`);
      return;
    }
    members = members.filter((t) => !(t.flags & ts.TypeFlags.Null));
    if (members.length > 0 && members.every((t) => this.isDecimalPart(t))) {
      if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) errors.push(`${path}: expected a decimal string, got ${JSON.stringify(value)}`);
      return;
    }
    // Enums: the types add `OtherString` (string & {}) so newer values still compile; the
    // sandbox must send one of the values this API version names.
    const otherString = (t: ts.Type) => t.isIntersection() && t.types.some((part) => part.flags & ts.TypeFlags.String);
    if (members.some((t) => t.isStringLiteral()) && members.every((t) => t.isStringLiteral() || otherString(t))) {
      members = members.filter((t) => t.isStringLiteral());
      const allowed = members.map((t) => (t as ts.StringLiteralType).value);
      if (typeof value !== 'string' || !allowed.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
      return;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      // Discriminated unions (events by `type`, objects by `object`).
      for (const key of ['type', 'object']) {
        const tag = (value as Record<string, unknown>)[key];
        if (typeof tag !== 'string') continue;
        const tagged = members.filter((t) => {
          const property = t.getProperty(key);
          const propertyType = property ? this.checker.getTypeOfSymbol(property) : undefined;
          return propertyType?.isStringLiteral() === true;
        });
        if (tagged.length < 2) continue;
        const match = tagged.filter((t) => (this.checker.getTypeOfSymbol(t.getProperty(key) as ts.Symbol) as ts.StringLiteralType).value === tag);
        if (match.length === 0) {
          errors.push(`${path}.${key}: ${JSON.stringify(tag)} is not a ${key} Stripe's types know`);
          return;
        }
        members = match;
        break;
      }
    }
    let best: string[] | undefined;
    for (const member of members) {
      const attempt: string[] = [];
      this.check(value, member, path, attempt, depth);
      if (attempt.length === 0) return;
      if (!best || attempt.length < best.length) best = attempt;
    }
    errors.push(...(best ?? [`${path}: matches nothing in ${this.describe(type)}`]));
  }
}
