import type { PolicyFile } from '../../config/policy-file.schema';

/** Thresholds from `detection` in the policy file (config/default.yaml documents each). */
export type DetectionConfig = PolicyFile['detection'];
