/** The offline Stripe sandbox (issue 3): see sandbox.types.ts for the contract. */
export { startSandbox } from './sandbox';
export type {
  FaultSpec,
  PersonaKind,
  PersonaLabel,
  RiskFlag,
  RunningSandbox,
  SandboxAccountInfo,
  SandboxOptions,
  SeededDiscountRequest,
} from './sandbox.types';
export { PERSONA_FLAGS, DEMO_POPULATION } from './scenario/personas';
export { parseFaultSpec } from './faults/faults';
