export const POLICY_DEPS = Symbol('POLICY_DEPS');
